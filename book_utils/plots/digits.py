"""Drawings of a digit classifier: 8 × 8 images, the mistakes it makes, its confusion
matrix, its learning curves, and its first-layer weights seen as images.

Digits are drawn dark on white (ink on paper). Weights use the book's colours for
sign: blue where a pixel pushes a hidden neuron up, vermillion where it pushes it down.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from ..prose import fmt_number as f
from .style import COLORS, blank_figure, live, rgb_of, style

INK = LinearSegmentedColormap.from_list("ink", ["#ffffff", "#111111"])
SIGNED = LinearSegmentedColormap.from_list(
    "signed", [COLORS["negative"], "#ffffff", COLORS["positive"]]
)
RARE = "#b8b8b8"  # pixels (almost) never inked: no gradient ever reached their weights


# ----- what the drawings show -------------------------------------------------------------
def confusion_matrix(truth, guess, classes: int = 10) -> np.ndarray:
    """Counts (classes, classes): row = the true class, column = the guess."""
    truth, guess = np.asarray(truth, dtype=int), np.asarray(guess, dtype=int)
    if truth.shape != guess.shape:
        raise ValueError(
            f"truth has shape {truth.shape} but guess has shape {guess.shape}"
        )
    out = np.zeros((classes, classes), dtype=int)
    np.add.at(out, (truth, guess), 1)
    return out


@dataclass
class Verdicts:
    """A classifier's answers on labelled images: its guess and its confidence in it
    (the softmax probability of the guess), and which answers are wrong."""

    guess: np.ndarray
    confidence: np.ndarray
    truth: np.ndarray

    @property
    def wrong(self) -> np.ndarray:
        return np.flatnonzero(self.guess != self.truth)

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.guess == self.truth))

    def confusion(self, classes: int = 10) -> np.ndarray:
        return confusion_matrix(self.truth, self.guess, classes)


def verdicts(net, X, labels) -> Verdicts:
    """Run ``net`` (scores out, as trained with the softmax cross-entropy) on X."""
    from ..losses import softmax

    p = softmax(net.predict(X))
    guess = np.argmax(p, axis=1)
    return Verdicts(guess, p[np.arange(len(guess)), guess], np.asarray(labels))


def a_digit(d: int) -> str:
    """ "a 1", "an 8": the digit with its article, for the prose."""
    return f"an {d}" if d == 8 else f"a {d}"


def entry_html(flat_name: str) -> str:
    """A parameter entry for a table of a large layer, indices split by a comma:
    "W1[2,20]" → w⁽¹⁾₃,₂₁ in HTML (1-based, as in the text)."""
    from ..notation import parse

    kind, layer, idx = parse(flat_name)
    sub = ",".join(str(i + 1) for i in idx)
    return f"<i>{kind}</i><sup>({layer})</sup><sub>{sub}</sub>"


def worst_mix_up(confusion: np.ndarray) -> tuple[int, int, int]:
    """(true class, guess, count) of the largest off-diagonal cell."""
    off = confusion.copy()
    np.fill_diagonal(off, -1)
    t, g = np.unravel_index(int(np.argmax(off)), off.shape)
    return int(t), int(g), int(off[t, g])


# ----- a static figure on the page ----------------------------------------------------------
class StillFigure:
    """A figure with no sliders, shown as an image with alt text and a caption in the
    same panel as the explorables (HTML, so the alt text reaches the book)."""

    def __init__(self, fig, alt: str, caption: str = ""):
        if not alt.strip():
            raise ValueError("a figure needs alt text describing it")
        from ..explore import _encode_png, _small_png

        fig.canvas.draw()
        self.png = _small_png(_encode_png(fig.canvas))
        self.fig, self.alt, self.caption = fig, alt, caption

    def _repr_html_(self) -> str:
        w, h = (int(round(v * self.fig.dpi)) for v in self.fig.get_size_inches())
        data = base64.b64encode(self.png).decode("ascii")
        cap = (
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            if self.caption
            else ""
        )
        return (
            '<figure class="lfm-explorable lfm-still" data-kind="image">'
            f'<div class="lfm-view"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt)}" width="{w}" height="{h}" '
            f'style="min-width:{int(0.7 * w)}px"></div>{cap}</figure>'
        )


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
            from matplotlib.patches import Rectangle

            for x, y in spots:
                ax.add_patch(Rectangle((x - 4, y + 1.3), 8, 8, fill=False,
                                       ec="#bbbbbb", lw=0.8))  # fmt: skip
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


def hidden_units(net, units: Sequence[int], columns: int = 6, width: float = 8.0,
                 rare=None) -> StillFigure:  # fmt: skip
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


# ----- a gradient check as a table ------------------------------------------------------------
def gradient_check_table(labels: Sequence[str], backprop, numeric, caption: str) -> str:
    """HTML table: one row per parameter, backprop | finite difference | relative
    error, and underneath the verdict on all of them. ``labels`` are the
    parameters' names in HTML."""
    from ..gradcheck import relative_error
    from ..prose import sci

    backprop, numeric = np.asarray(backprop, float), np.asarray(numeric, float)
    rel = relative_error(backprop, numeric)
    cols = ["parameter", "backprop", "finite difference", "relative error"]
    head = "".join(f'<th scope="col">{c}</th>' for c in cols)
    body = []
    for name, a, n, r in zip(labels, backprop, numeric, rel):
        ok = r <= 1e-7
        mark = f"{f(r, '.0e') if r else '0'} {'✔' if ok else '✘ wrong'}"
        tds = "".join(
            f'<td data-label="{c}">{v}</td>'
            for c, v in zip(cols[1:3], [f(a, ".6g"), f(n, ".6g")])
        )
        state = "lfm-ok" if ok else "lfm-bad"
        tds += f'<td data-label="relative error" class="{state}">{mark}</td>'
        body.append(f'<tr><th scope="row">{name}</th>{tds}</tr>')
    passed = bool(np.all(rel <= 1e-7))
    summary = (
        f"backprop and finite differences agree on all {len(rel)} "
        f"(largest relative error {sci(rel.max(), 2)})"
        if passed
        else f"MISMATCH in {int(np.sum(rel > 1e-7))} of {len(rel)}: a gradient is wrong"
    )
    state = "lfm-ok" if passed else "lfm-bad"
    foot = (
        f'<tfoot><tr><td colspan="{len(cols)}" class="{state}">{summary}</td></tr>'
        "</tfoot>"
    )
    return (
        f'<table class="lfm-table lfm-gradcheck"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table>"
    )


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


def mistakes(get_verdicts: Callable, images, epoch: str = "epoch",
             cols: int = 5, rows: int = 3, which: str = "test"):  # fmt: skip
    """Explorable drawing: the test digits a network gets wrong, and its confusion matrix.

    ``get_verdicts(epoch)`` returns the ``Verdicts`` of the network after that epoch
    on the images ``images`` (n, 8, 8) of the ``which`` set ("test", "validation").
    Left: the first ``cols × rows`` wrong answers, each labelled "true → guess"
    with the confidence of the guess.
    Right: the confusion matrix, right answers on the diagonal (blue), mix-ups off
    it (vermillion), deeper for larger counts. Returns ``build``.
    """
    images = np.asarray(images)
    gap, strip = 1, 5
    cell_h = 8 + strip + gap

    def build(fig):
        grid = fig.add_gridspec(1, 2, width_ratios=[1.25, 1.0])
        left, right = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        blank = _mosaic([], cols, rows, gap, strip)
        tile = left.imshow(blank, cmap=INK, vmin=0, vmax=1, interpolation="nearest",
                           aspect="equal")  # fmt: skip
        _no_axes(left)
        labels = [
            left.text(c * (8 + gap) + 3.5, r * cell_h + 8 + strip / 2 - 0.3, "",
                      ha="center", va="center", fontsize=10, color=COLORS["negative"])
            for r in range(rows) for c in range(cols)
        ]  # fmt: skip
        head = left.set_title(" ", fontsize=11)
        matrix = right.imshow(np.ones((10, 10, 3)), interpolation="nearest")
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
        counts = [
            right.text(c, r, "", ha="center", va="center", fontsize=11.5)
            for r in range(10) for c in range(10)
        ]  # fmt: skip
        live(tile, head, matrix, *labels, *counts)
        blue, red = rgb_of(COLORS["positive"]), rgb_of(COLORS["negative"])

        def update(**values):
            k = int(round(values[epoch]))
            v = get_verdicts(k)
            wrong = v.wrong
            tile.set_data(_mosaic(images[wrong], cols, rows, gap, strip))
            for i, t in enumerate(labels):
                if i < len(wrong):
                    j = wrong[i]
                    pct = f(100 * v.confidence[j], ".0f")
                    t.set_text(f"{v.truth[j]}→{v.guess[j]} {pct}%")
                else:
                    t.set_text("")
            n = len(v.truth)
            more = f", first {cols * rows} shown" if len(wrong) > cols * rows else ""
            head.set_text(f"after epoch {k}: {len(wrong)} of {n} wrong{more}")
            conf = v.confusion()
            rgb = np.ones((10, 10, 3))
            diag = np.eye(10, dtype=bool)
            share = conf / max(1, conf.sum(axis=1).max())
            depth = np.where(diag, 0.15 + 0.6 * share, np.minimum(1.0, 0.2 + conf / 8))
            depth = np.where(conf == 0, 0.0, depth)[..., None]
            colour = np.where(diag[..., None], blue, red)
            rgb = 1 - depth * (1 - colour)
            matrix.set_data(rgb)
            for i, t in enumerate(counts):
                r, c = divmod(i, 10)
                t.set_text(str(conf[r, c]) if conf[r, c] else "")
                t.set_color("white" if depth[r, c, 0] > 0.55 else "#222222")
            said = (
                f"After epoch {k} the network gets {len(wrong)} of the {n} {which} digits "
                f"wrong ({f(100 * v.accuracy, '.1f')} % right)."
            )
            if len(wrong):
                t_, g_, m_ = worst_mix_up(conf)
                said += (f" Its most common mistake reads {a_digit(t_)} as "
                         f"{a_digit(g_)} ({times(m_)}).")  # fmt: skip
            return said

        return update

    return build


def times(n: int) -> str:
    """ "once", "twice", "3 times": how often, for the prose."""
    return {1: "once", 2: "twice"}.get(int(n), f"{int(n)} times")


LOSS_LOW, LOSS_CLIP, LOSS_HIGH = 5e-3, 5.0, 50.0  # the loss panel's log scale


def learning_curves(get_run: Callable, epochs: int, width_name: str = "width"):
    """Explorable drawing: accuracy and loss per epoch, on the training and the
    validation set, for the run that ``get_run(**values)`` returns.

    ``get_run`` returns a ``Curves`` (below). Left: accuracy; right: the
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
        note = right.text(0.97, 0.95, "", transform=right.transAxes, ha="right",
                          va="top", fontsize=11, color=COLORS["gradient"],
                          bbox=dict(boxstyle="round", fc="white",
                                    ec=COLORS["gradient"]), zorder=10)  # fmt: skip
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
            elif run.dead:
                msg = f"{run.dead} of {run.width} hidden neurons died"
            if msg:
                said += " " + msg[0].upper() + msg[1:].replace(":\n", ", so ") + "."
            note.set_text(msg)
            note.set_visible(bool(msg))
            return said

        return update

    return build


@dataclass
class Curves:
    """One training run summarised per epoch for ``learning_curves``."""

    lr: float
    width: int
    train_acc: np.ndarray
    val_acc: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    dead: int  # hidden neurons that output 0 for every training image at the end
    diverged_at: int | None = None


def curves(net, history, train, validation, lr: float) -> Curves:
    """Accuracy per epoch from a History trained with ``record_epochs=True``."""
    from ..training import accuracy

    theta = net.get_flat()
    acc_t, acc_v = [], []
    for snap in history.snapshots:
        net.set_flat(snap)
        acc_t.append(accuracy(net, *train))
        acc_v.append(accuracy(net, *validation))
    net.set_flat(theta)
    hidden = net.forward(train[0]).activations[1]
    dead = int(np.sum(np.all(hidden <= 0, axis=0)))
    return Curves(float(lr), net.sizes[1], np.array(acc_t), np.array(acc_v),
                  np.array(history.losses), np.array(history.val_losses), dead,
                  history.diverged_at)  # fmt: skip


__all__ = [
    "Curves", "StillFigure", "Verdicts", "a_digit", "confusion_matrix", "curves",
    "digit_samples", "entry_html", "times",
    "gradient_check_table", "hidden_units", "learning_curves", "mistakes", "verdicts",
    "worst_mix_up",
]  # fmt: skip
