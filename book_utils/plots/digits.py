"""Drawings of a digit classifier: 8 × 8 images, the mistakes it makes, its confusion
matrix, its learning curves, and its first-layer weights seen as images.

Digits are drawn dark on white (ink on paper). Weights use the book's colours for
sign: blue where a pixel pushes a hidden neuron up, vermillion where it pushes it down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from ..metrics import worst_mix_up
from ..prose import a_digit, times
from ..prose import fmt_number as f
from ..render import StillFigure
from .style import COLORS, blank_figure, live, rgb_of, style, warning_note

INK = LinearSegmentedColormap.from_list("ink", ["#ffffff", "#111111"])
SIGNED = LinearSegmentedColormap.from_list(
    "signed", [COLORS["negative"], "#ffffff", COLORS["positive"]]
)
RARE = "#b8b8b8"  # pixels (almost) never inked: no gradient ever reached their weights


def _no_axes(ax):
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)


def _tiles(tiles, columns: int, gap: int = 2, top: int = 4):
    """RGB tiles (m, 8, 8, 3) laid out on one white canvas, ``top`` rows of white above
    each for its label: one image instead of one axes per tile (much faster to draw).
    Returns the canvas and the (x, y) centre of each label."""
    rows = -(-len(tiles) // columns)
    h, w = 8 + top + gap, 8 + gap
    out = np.ones((rows * h, columns * w - gap, 3))
    spots = []
    for i, tile in enumerate(tiles):
        r, c = divmod(i, columns)
        out[r * h + top : r * h + top + 8, c * w : c * w + 8] = tile
        spots.append((c * w + 3.5, r * h + top - 1.8))
    return out, spots


def _tile_figure(tiles, labels, columns, width, fontsize, frames=False):
    canvas, spots = _tiles(tiles, columns)
    fig = blank_figure(width, width * canvas.shape[0] / canvas.shape[1])
    with style():
        ax = fig.add_subplot()
        ax.imshow(canvas, interpolation="nearest", aspect="equal")
        _no_axes(ax)
        for (x, y), lab in zip(spots, labels):
            ax.text(x, y, lab, ha="center", va="center", fontsize=fontsize)
        if frames:
            for x, y in spots:
                ax.add_patch(
                    Rectangle((x - 4, y + 1.3), 8, 8, fill=False, ec="#bbbbbb", lw=0.8)
                )
    return fig


def digit_samples(images, labels, columns: int = 10, width: float = 8.0) -> StillFigure:
    """A grid of digit images, each with its label above it."""
    images = np.asarray(images)
    tiles = INK(np.clip(images, 0, 1))[..., :3]
    fig = _tile_figure(tiles, [str(v) for v in labels], columns, width, 12)
    said = ", ".join(str(v) for v in labels)
    alt = (
        f"{len(images)} handwritten digits, each an 8 by 8 grid of grey pixels, "
        f"dark ink on white, labelled {said}."
    )
    return StillFigure(fig, alt)


def hidden_units(
    net, units: Sequence[int], columns: int = 6, width: float = 8.0, rare=None
) -> StillFigure:
    """The first-layer weights of some hidden neurons, each row of W(1) as an 8 × 8
    image: what pattern of ink makes that neuron fire. Each neuron has its own colour
    scale (its largest weight is the deepest colour). ``rare`` (64 booleans) marks
    pixels that are (almost) never inked: their weights hardly ever get a gradient,
    so they are drawn grey instead of in the colour of their leftover start value."""
    W = net.weights[0]
    units = list(units)
    rare = np.zeros(W.shape[1], bool) if rare is None else np.asarray(rare, bool)
    if rare.shape != (W.shape[1],):
        raise ValueError(
            f"rare needs {W.shape[1]} entries, one per pixel; got {rare.shape}"
        )
    scales = [float(np.abs(W[j][~rare]).max()) or 1.0 for j in units]
    tiles = []
    for j, scale in zip(units, scales):
        rgb = SIGNED(0.5 + 0.5 * np.clip(W[j] / scale, -1, 1))[:, :3]
        rgb[rare] = rgb_of(RARE)
        tiles.append(rgb.reshape(8, 8, 3))
    labels = [f"neuron {j + 1}" for j in units]
    fig = _tile_figure(np.array(tiles), labels, columns, width, 11, frames=True)
    alt = (
        f"The 64 incoming weights of {len(units)} hidden neurons, each drawn as an 8 "
        "by 8 image: blue where ink on that pixel raises the neuron's weighted sum, "
        "vermillion where it lowers it, near white for weights near 0. Each neuron "
        "has its own colour scale, its deepest colour at its own largest weight "
        f"(from {f(min(scales), '.2g')} to {f(max(scales), '.2g')} across these "
        f"{len(units)}); there is no shared colour bar."
    )
    if rare.any():
        alt += (
            f" Grey squares mark the {int(rare.sum())} pixels that are almost never "
            "inked, whose weights have barely moved from their random start."
        )
    return StillFigure(fig, alt)


# ----- explorables ----------------------------------------------------------------------------
def _mosaic(images, cols: int, rows: int, gap: int = 1, label: int = 5) -> np.ndarray:
    """Images (m, 8, 8) tiled into one array, with white gaps and a white strip under
    each row for its labels; empty cells stay white (0)."""
    h = 8 + label + gap
    out = np.zeros((rows * h, cols * (8 + gap)))
    for i, img in enumerate(images[: rows * cols]):
        r, c = divmod(i, cols)
        out[r * h : r * h + 8, c * (8 + gap) : c * (8 + gap) + 8] = img
    return out


def _glyph_maker(fontsize: float, dpi: float) -> Callable[[str], np.ndarray]:
    """``alpha(text)``: the text rendered once by Matplotlib's own font engine (the
    one Agg draws text with, in the current style's font) as an alpha mask
    (h, w) in 0…1, cached. Stamping masks into an image draws many small labels
    for the price of one image, where one Text artist each costs a millisecond."""
    font = get_font(findfont(FontProperties()))
    size = float(fontsize)

    @cache
    def alpha(text: str) -> np.ndarray:
        font.set_size(size, dpi)
        font.set_text(text, 0.0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=True)
        return np.asarray(font.get_image(), dtype=float) / 255.0

    return alpha


def _stamp(canvas, mask, cx: float, cy: float, colour) -> None:
    """Blend ``colour`` into ``canvas`` (h, w, 3) through ``mask``, centred at (cx, cy)."""
    h, w = mask.shape
    y0, x0 = int(round(cy - h / 2)), int(round(cx - w / 2))
    ys, xs = (
        slice(max(y0, 0), min(y0 + h, canvas.shape[0])),
        slice(max(x0, 0), min(x0 + w, canvas.shape[1])),
    )
    m = mask[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0, None]
    canvas[ys, xs] = canvas[ys, xs] * (1 - m) + np.asarray(colour) * m


def _rgba8(rgb) -> np.ndarray:
    """0…1 RGB floats as the opaque 8-bit RGBA Agg draws without converting."""
    out = np.empty(rgb.shape[:2] + (4,), np.uint8)
    out[..., :3] = rgb * 255 + 0.5
    out[..., 3] = 255
    return out


def _mosaic_index(chosen, cols: int, rows: int, gap: int = 1, label: int = 5):
    """Index arrays into a stack of n coloured images (n, 8, 8, 3) plus one white
    image at index n: the same layout as ``_mosaic``, as fancy indices."""
    n_white = -1  # the last image of the stack is white
    h = 8 + label + gap
    which = np.full((rows * h, cols * (8 + gap)), n_white)
    py = np.zeros_like(which)
    px = np.zeros_like(which)
    for i, img in enumerate(list(chosen)[: rows * cols]):
        r, c = divmod(i, cols)
        ys, xs = slice(r * h, r * h + 8), slice(c * (8 + gap), c * (8 + gap) + 8)
        which[ys, xs] = img
        py[ys, xs] = np.arange(8)[:, None]
        px[ys, xs] = np.arange(8)[None, :]
    return which, py, px


def _pixels(ax, fig):
    """The axes' box in whole figure pixels: (x0, y0 from the bottom, width, height),
    and for every pixel column and row the data unit it shows (nearest, as imshow)."""
    ax.apply_aspect()
    box = ax.get_position().transformed(fig.transFigure)
    x0, y0 = int(round(box.x0)), int(round(box.y0))
    w, h = int(round(box.x1)) - x0, int(round(box.y1)) - y0
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    cols = np.floor(left + 0.5 + (np.arange(w) + 0.5) * (right - left) / w).astype(int)
    rows = np.floor(top + 0.5 + (np.arange(h) + 0.5) * (bottom - top) / h).astype(int)
    return (x0, y0, w, h), rows, cols


def mistakes(
    get_verdicts: Callable,
    images,
    epoch: str = "epoch",
    cols: int = 5,
    rows: int = 3,
    which: str = "test",
):
    """Explorable drawing: the test digits a network gets wrong, and its confusion matrix.

    ``get_verdicts(epoch)`` returns the ``metrics.Verdicts`` of the network after that epoch
    on the images ``images`` (n, 8, 8) of the ``which`` set ("test", "validation").
    Left: the first ``cols × rows`` wrong answers, each labelled "true → guess"
    with the confidence of the guess.
    Right: the confusion matrix, right answers on the diagonal (blue), mix-ups off
    it (vermillion), deeper for larger counts. Returns ``build``.

    Fast: each panel is one image at the screen's own pixels (a figure image, never
    resampled), its labels and counts stamped in as cached glyph masks; only the
    title is a Text artist. Axes stay for the layout and the matrix's ticks.
    """
    images = np.asarray(images)
    gap, strip = 1, 5
    cell_h = 8 + strip + gap

    def build(fig):
        grid = fig.add_gridspec(1, 2, width_ratios=[1.25, 1.0])
        left, right = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        shape = _mosaic([], cols, rows, gap, strip).shape
        left.set_xlim(-0.5, shape[1] - 0.5)
        left.set_ylim(shape[0] - 0.5, -0.5)
        left.set_aspect("equal")
        _no_axes(left)
        head = left.set_title(" ", fontsize=11)
        right.set_xlim(-0.5, 9.5)
        right.set_ylim(9.5, -0.5)
        right.set_aspect("equal")
        right.set_xticks(range(10))
        right.set_yticks(range(10))
        for side in right.spines.values():
            side.set_visible(False)
        right.tick_params(length=0)
        right.grid(False)
        right.set_xlabel("the network's guess")
        right.set_ylabel("the true digit")
        right.xaxis.set_label_position("top")
        right.xaxis.tick_top()
        # lay the figure out once, now, and keep it: the panels' pixels are fixed
        fig.get_layout_engine().execute(fig)
        fig.set_layout_engine("none")
        (lx, ly, lw, lh), l_rows, l_cols = _pixels(left, fig)
        (rx, ry, rw, rh), r_rows, r_cols = _pixels(right, fig)
        l_rows, l_cols = (
            np.clip(l_rows, 0, shape[0] - 1),
            np.clip(l_cols, 0, shape[1] - 1),
        )
        r_rows, r_cols = np.clip(r_rows, 0, 9), np.clip(r_cols, 0, 9)
        tile = fig.figimage(np.ones((lh, lw, 3)), lx, ly, origin="upper")
        matrix = fig.figimage(np.ones((rh, rw, 3)), rx, ry, origin="upper")
        live(tile, matrix, head)
        # every image's colours once, and white (index n) for empty cells
        coloured = np.concatenate([INK(images)[..., :3], np.ones((1, 8, 8, 3))])
        label_alpha = _glyph_maker(10, fig.dpi)
        count_alpha = _glyph_maker(11.5, fig.dpi)
        # pixels per data unit, and each label's and count's centre in pixels
        lkx, lky = lw / shape[1], lh / shape[0]
        spots = [
            (
                (c * (8 + gap) + 3.5 + 0.5) * lkx,
                (r * cell_h + 8 + strip / 2 - 0.3 + 0.5) * lky,
            )
            for r in range(rows)
            for c in range(cols)
        ]
        rkx, rky = rw / 10, rh / 10
        red, blue = rgb_of(COLORS["negative"]), rgb_of(COLORS["positive"])
        white, dark = rgb_of("white"), rgb_of("#222222")

        def update(**values):
            k = int(round(values[epoch]))
            v = get_verdicts(k)
            wrong = v.wrong
            units = coloured[_mosaic_index(wrong, cols, rows, gap, strip)]
            left_rgb = np.ascontiguousarray(units[l_rows][:, l_cols])
            for i, (cx, cy) in enumerate(spots[: len(wrong)]):
                j = wrong[i]
                pct = f(100 * v.confidence[j], ".0f")
                _stamp(
                    left_rgb,
                    label_alpha(f"{v.truth[j]}→{v.guess[j]} {pct}%"),
                    cx,
                    cy,
                    red,
                )
            tile.set_data(_rgba8(left_rgb))
            n = len(v.truth)
            more = f", first {cols * rows} shown" if len(wrong) > cols * rows else ""
            head.set_text(f"after epoch {k}: {len(wrong)} of {n} wrong{more}")
            conf = v.confusion()
            diag = np.eye(10, dtype=bool)
            share = conf / max(1, conf.sum(axis=1).max())
            depth = np.where(diag, 0.15 + 0.6 * share, np.minimum(1.0, 0.2 + conf / 8))
            depth = np.where(conf == 0, 0.0, depth)[..., None]
            colour = np.where(diag[..., None], blue, red)
            rgb = 1 - depth * (1 - colour)
            right_rgb = np.ascontiguousarray(rgb[r_rows][:, r_cols])
            for r, c in zip(*np.nonzero(conf)):
                ink = white if depth[r, c, 0] > 0.55 else dark
                _stamp(
                    right_rgb,
                    count_alpha(str(conf[r, c])),
                    (c + 0.5) * rkx,
                    (r + 0.5) * rky,
                    ink,
                )
            matrix.set_data(_rgba8(right_rgb))
            said = (
                f"After epoch {k} the network gets {len(wrong)} of the {n} {which} digits "
                f"wrong ({f(100 * v.accuracy, '.1f')} % right)."
            )
            if len(wrong):
                t_, g_, m_ = worst_mix_up(conf)
                said += (
                    f" Its most common mistake reads {a_digit(t_)} as "
                    f"{a_digit(g_)} ({times(m_)})."
                )
            return said

        return update

    return build


LOSS_LOW, LOSS_CLIP, LOSS_HIGH = 5e-3, 5.0, 50.0  # the loss panel's log scale


def learning_curves(get_run: Callable, epochs: int, width_name: str = "width"):
    """Explorable drawing: accuracy and loss per epoch, on the training and the
    validation set, for the run that ``get_run(**values)`` returns.

    ``get_run`` returns a ``metrics.Curves``. Left: accuracy; right: the
    cross-entropy on a log scale. A run that diverged says at which epoch; a run
    whose hidden neurons all died says so. Returns ``build``.
    """

    def build(fig):
        left, right = fig.subplots(1, 2)
        for ax in (left, right):
            ax.set_xlim(0, epochs)
            ax.set_xlabel("epoch")
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        left.set_ylim(0, 1.02)
        left.set_ylabel("share right")
        right.set_yscale("log")
        right.set_ylim(LOSS_LOW, LOSS_HIGH)
        # fixed decades, no minor ticks: a log axis that computes its own ticks
        # costs more to lay out than everything else on the figure
        right.yaxis.set_major_locator(FixedLocator([1e-2, 1e-1, 1.0, 10.0]))
        right.yaxis.set_minor_locator(NullLocator())
        right.set_ylabel("cross-entropy $L$")
        kw = dict(color=COLORS["loss"])
        vw = dict(color=COLORS["path"], ls="--")
        (acc_t,) = left.plot([], [], label="training", **kw)
        (acc_v,) = left.plot([], [], label="validation", **vw)
        (loss_t,) = right.plot([], [], label="training", **kw)
        (loss_v,) = right.plot([], [], label="validation", **vw)
        # below both panels, where no line can run under it
        fig.legend(handles=[acc_t, acc_v], loc="outside lower center", ncol=2)
        title = fig.suptitle(" ", fontsize=11.5)
        # top right of the loss panel: above 5 on a scale that reaches 50, where
        # no loss line goes (every loss starts near ln 10 and lines are clipped)
        note = warning_note(right, 0.97, 0.95, ha="right")
        live(acc_t, acc_v, loss_t, loss_v, title, note)

        def update(**values):
            run = get_run(**values)
            x = np.arange(len(run.train_acc))
            acc_t.set_data(x, run.train_acc)
            acc_v.set_data(x, run.val_acc)
            loss_t.set_data(x, np.clip(run.train_loss, LOSS_LOW, LOSS_CLIP))
            loss_v.set_data(x, np.clip(run.val_loss, LOSS_LOW, LOSS_CLIP))
            last = len(x) - 1
            title.set_text(
                f"η = {f(run.lr, '.3g')}, {run.width} hidden neurons: "
                f"{f(100 * run.val_acc[-1], '.1f')} % of the validation digits right "
                f"after epoch {last}"
            )
            said = (
                f"With η = {f(run.lr, '.3g')} and {run.width} hidden neurons, validation "
                f"accuracy after epoch {last} is {f(100 * run.val_acc[-1], '.1f')} % "
                f"(training {f(100 * run.train_acc[-1], '.1f')} %); the validation "
                f"loss is {f(run.val_loss[-1], '.3g')}."
            )
            msg = ""
            if run.diverged_at is not None:
                msg = f"diverged at epoch {run.diverged_at}"
            elif run.dead == run.width:
                msg = f"all {run.width} hidden neurons died:\nthe loss stays near ln 10"
            elif run.dead and run.dead == run.dead_at_start:
                msg = f"{run.dead} of {run.width} hidden neurons dead from the start"
            elif run.dead_at_start:
                msg = (
                    f"{run.dead} of {run.width} hidden neurons died\n"
                    f"({run.dead_at_start} dead from the start)"
                )
            elif run.dead:
                msg = f"{run.dead} of {run.width} hidden neurons died"
            if msg:
                said += (
                    " "
                    + msg[0].upper()
                    + msg[1:].replace(":\n", ", so ").replace("\n", " ")
                    + "."
                )
            note.set_text(msg)
            note.set_visible(bool(msg))
            return said

        return update

    return build
