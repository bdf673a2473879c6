"""The book's one figure style and the drawings chapters share.

Colours are the Okabe–Ito palette, safe for the common forms of colour blindness.
Figures are made with ``matplotlib.figure.Figure`` directly (not pyplot), so a
figure shows only where a chapter displays it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
# what each colour means across the book
COLORS = {
    "loss": OKABE_ITO["blue"],
    "gradient": OKABE_ITO["vermillion"],
    "step": OKABE_ITO["orange"],
    "target": OKABE_ITO["green"],
    "path": OKABE_ITO["purple"],
    "neutral": "#555555",
    "positive": OKABE_ITO["blue"],
    "negative": OKABE_ITO["vermillion"],
}

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "lines.linewidth": 2,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(
        color=[
            OKABE_ITO[c]
            for c in (
                "blue",
                "orange",
                "green",
                "vermillion",
                "purple",
                "sky",
                "yellow",
                "black",
            )
        ]
    ),
    "mathtext.fontset": "dejavusans",
}


def blank_figure(width: float = 7.0, height: float = 3.2) -> Figure:
    """A styled figure with an Agg canvas and no axes yet (explorables add their own)."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
    return fig


def style():
    """The style as a context manager: ``with plots.style(): …`` for figures made elsewhere."""
    return mpl.rc_context(STYLE)


def message(ax, text: str, color: str = COLORS["gradient"]):
    """A text artist centred on ``ax`` (e.g. "diverged at step 7"); returns it so it can be updated."""
    return ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=12,
        color=color,
        bbox=dict(boxstyle="round", facecolor="white", edgecolor=color, alpha=0.9),
    )


def live(*artists):
    """Mark artists that an explorable's ``update`` changes (they are redrawn on every move;
    everything else is drawn once and cached). Returns the artists, for unpacking."""
    for a in artists:
        a.set_animated(True)
    return artists if len(artists) > 1 else artists[0]


def gradient_table(
    ax, n_rows: int, extra_columns: tuple[str, ...] = (), method: str = "backprop"
):
    """Draw an empty three-way gradient table on ``ax``; return ``fill(table, extra=None, caption="")``.

    ``fill`` writes a ``symbolic.GradientTable`` into the cells (and optional extra
    columns, one list of strings per row), colouring the verdicts, so a table can be
    an explorable whose numbers follow the sliders. Only the numbers are redrawn on a
    slider move; the rules, the header and the parameter names are drawn once.
    """
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    header = [
        "parameter",
        "SymPy",
        method,
        "finite diff.",
        "rel. error",
        *extra_columns,
    ]
    first = 0.16
    rest = (1 - first) / (len(header) - 1)
    centres = [first / 2] + [first + rest * (j + 0.5) for j in range(len(header) - 1)]
    row_h = 1 / (n_rows + 1.2)
    row_y = [1 - row_h * (i + 0.5) for i in range(n_rows + 1)]
    for x, text in zip(centres, header):
        ax.text(x, row_y[0], text, ha="center", va="center", fontsize=10, weight="bold")
    for y in (1.0, 1 - row_h, row_y[-1] - row_h / 2):
        ax.plot([0, 1], [y, y], color="#333333", lw=0.8, solid_capstyle="butt")
    names = [
        ax.text(centres[0], y, "", ha="center", va="center", fontsize=10)
        for y in row_y[1:]
    ]
    cells = [
        [ax.text(x, y, "", ha="center", va="center", fontsize=10) for x in centres[1:]]
        for y in row_y[1:]
    ]
    title = ax.set_title("", fontsize=10)
    live(title, *[c for row in cells for c in row])

    def fill(table, extra=None, caption: str = ""):
        if len(table.rows) != n_rows:
            raise ValueError(
                f"the table was drawn for {n_rows} rows, got {len(table.rows)}"
            )
        for i, r in enumerate(table.rows):
            if not names[
                i
            ].get_text():  # the first fill happens before the static pixels are cached
                names[i].set_text(f"${r.latex}$")
            values = [
                f"{r.symbolic:.6g}",
                f"{r.backprop:.6g}",
                f"{r.numeric:.6g}",
                f"{r.rel_error:.0e} ({r.verdict})",
                *(extra[i] if extra else []),
            ]
            for cell, v in zip(cells[i], values):
                cell.set_text(v)
            good = r.verdict in ("good", "near kink")
            cells[i][3].set_color(COLORS["target"] if good else COLORS["gradient"])
        title.set_text(caption)

    return fill


# ----- reusable explorable drawings -----------------------------------------------------------
def _one_neuron(w: float, b: float, activation: str):
    from .network import Network

    return Network([[w]], [[b]], activation)


def descent_on_curve(
    X,
    Y,
    loss: str = "sse",
    w_range=(-1.0, 5.0),
    b: float = 0.0,
    activation: str = "identity",
    steps: int = 6,
    loss_label: str = "E",
):
    """Explorable drawing: the loss as a function of one weight, and gradient descent on it.

    The model is one neuron ŷ = σ(w·x + b) on data (X, Y). ``update(w, lr)`` marks
    the current w, draws the tangent (its slope is ∂E/∂w, from backprop), the step
    −η·∂E/∂w to the next weight, and the ``steps`` steps after it. Returns ``build``.
    """
    from .training import gradient_descent_step, train

    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    ws = np.linspace(*w_range, 301)
    curve = np.array([_one_neuron(w, b, activation).loss(X, Y, loss) for w in ws])
    top = float(curve.max())
    span = w_range[1] - w_range[0]

    def build(fig):
        ax = fig.add_subplot()
        ax.plot(ws, curve, color=COLORS["loss"], label=f"${loss_label}(w)$")
        ax.set_xlim(*w_range)
        ax.set_ylim(-0.06 * top, 1.08 * top)
        ax.set_xlabel("weight $w$")
        ax.set_ylabel(f"error ${loss_label}$")
        (tangent,) = ax.plot(
            [],
            [],
            color=COLORS["gradient"],
            lw=1.5,
            ls="--",
            label=r"tangent, slope $\partial E/\partial w$",
        )
        (path,) = ax.plot(
            [],
            [],
            "o-",
            color=COLORS["path"],
            ms=4,
            lw=1,
            alpha=0.6,
            label=f"the next {steps} steps",
        )
        (now,) = ax.plot(
            [], [], "o", color=COLORS["loss"], ms=9, zorder=5, label="current $w$"
        )
        (new,) = ax.plot(
            [],
            [],
            "o",
            color=COLORS["step"],
            ms=9,
            zorder=5,
            label=r"after one step: $w - \eta\,\partial E/\partial w$",
        )
        arrow = ax.annotate(
            "",
            xy=(0, 0),
            xytext=(0, 0),
            arrowprops=dict(arrowstyle="->", color=COLORS["step"], lw=2),
        )
        info = ax.set_title(
            "w\nstep", fontsize=9.5
        )  # two lines of room; update writes the numbers
        warn = message(ax, "")
        ax.legend(loc="upper right", fontsize=8.5)
        live(tangent, path, now, new, arrow, info, warn)

        def update(w, lr):
            net = _one_neuron(w, b, activation)
            value, grads, _ = net.loss_and_gradients(X, Y, loss)
            g = float(grads.dW[0].item())
            w_new = gradient_descent_step(w, g, lr)
            half = 0.12 * span
            tangent.set_data([w - half, w + half], [value - g * half, value + g * half])
            now.set_data([w], [value])
            history = train(net, X, Y, loss, lr=lr, epochs=steps, record_params=True)
            pw = np.array([p[0] for p in history.params])
            pl = np.array(history.losses[: len(pw)])
            inside = (pw >= w_range[0]) & (pw <= w_range[1]) & (pl <= 1.08 * top)
            cut = int(np.argmin(inside)) if not inside.all() else len(pw)
            path.set_data(pw[:cut], pl[:cut])
            on_chart = w_range[0] <= w_new <= w_range[1]
            new_loss = _one_neuron(w_new, b, activation).loss(X, Y, loss)
            if on_chart and new_loss <= 1.08 * top:
                new.set_data([w_new], [new_loss])
                arrow.xy, arrow.xyann = (w_new, new_loss), (w, value)
                arrow.set_visible(True)
            else:
                new.set_data([], [])
                arrow.set_visible(False)
            info.set_text(
                f"w = {w:.3g},  {loss_label} = {value:.4g},  ∂{loss_label}/∂w = {g:.4g}\n"
                f"step −η·∂{loss_label}/∂w = {-lr * g:+.4g}  →  new w = {w_new:.4g}"
            )
            if history.diverged:
                warn.set_text(f"η is too large: diverged at step {history.diverged_at}")
            elif not on_chart or new_loss > 1.08 * top:
                warn.set_text(
                    f"the step overshoots off the chart (new w = {w_new:.3g})"
                )
            else:
                warn.set_text("")
            warn.set_visible(bool(warn.get_text()))

        return update

    return build


def descent_on_landscape(
    X,
    Y,
    loss: str = "mse",
    w_range=(-1.0, 5.0),
    b_range=(-4.0, 6.0),
    epochs: int = 40,
    activation: str = "identity",
):
    """Explorable drawing: loss contours over (w, b) of one neuron, and the descent path.

    ``update(lr, w0, b0)`` trains from (w0, b0) with the engine for ``epochs`` full-batch
    steps and draws the path on the contours (left) and the loss per epoch (right).
    A run that diverges is drawn up to its last finite step, with "diverged at step k".
    """
    from .training import train

    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    ws = np.linspace(*w_range, 121)
    bs = np.linspace(*b_range, 121)
    # the surface does not depend on the sliders: compute it once, vectorised over the grid
    from .losses import get_loss

    lf = get_loss(loss)
    grid = np.array(
        [
            [lf.value(_one_neuron(w, b, activation).predict(X), Y) for w in ws]
            for b in bs
        ]
    )
    best = np.unravel_index(np.argmin(grid), grid.shape)

    def build(fig):
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.25, 1])
        levels = np.quantile(grid, np.linspace(0.0, 0.97, 14) ** 2)
        ax.contour(
            ws,
            bs,
            grid,
            levels=np.unique(levels),
            colors=COLORS["neutral"],
            linewidths=0.7,
            alpha=0.7,
        )
        ax.plot(
            [ws[best[1]]],
            [bs[best[0]]],
            "*",
            color=COLORS["target"],
            ms=13,
            label="minimum",
        )
        ax.set_xlim(*w_range)
        ax.set_ylim(*b_range)
        ax.set_xlabel("weight $w$")
        ax.set_ylabel("bias $b$")
        ax.set_title("gradient descent on the error surface")
        (path,) = ax.plot(
            [], [], "o-", color=COLORS["path"], ms=3, lw=1.2, label="path"
        )
        (start,) = ax.plot([], [], "o", color=COLORS["step"], ms=8, label="start")
        ax.legend(loc="upper right", fontsize=8.5)
        (curve,) = ax_loss.semilogy([], [], color=COLORS["loss"])
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("error (log scale)")
        ax_loss.set_title("error after each step")
        lo, hi = float(grid.min()), float(grid.max())
        ax_loss.set_ylim(max(lo * 0.5, 1e-3), hi * 10)
        warn = message(ax_loss, "")
        live(path, start, curve, warn)

        def update(lr, w0, b0):
            net = _one_neuron(w0, b0, activation)
            history = train(net, X, Y, loss, lr=lr, epochs=epochs, record_params=True)
            p = np.array(history.params)
            start.set_data([w0], [b0])
            inside = (
                (p[:, 0] >= w_range[0])
                & (p[:, 0] <= w_range[1])
                & (p[:, 1] >= b_range[0])
                & (p[:, 1] <= b_range[1])
            )
            cut = (
                len(p) if inside.all() else int(np.argmin(inside))
            )  # stop where the path leaves the chart
            path.set_data(p[:cut, 0], p[:cut, 1])
            losses = np.array(history.losses)
            curve.set_data(np.arange(len(losses)), np.maximum(losses, 1e-12))
            warn.set_text(
                f"η = {lr:.3g} is too large:\ndiverged at step {history.diverged_at}"
                if history.diverged
                else ""
            )
            warn.set_visible(history.diverged)

        return update

    return build


def table_figure(make_table: Callable):
    """Explorable drawing of a three-way gradient table.

    ``make_table(**values)`` returns ``(GradientTable, extra, caption)`` for the slider
    values, where ``extra`` is None or (column names, one list of strings per row).
    """

    def build(fig):
        ax = fig.add_subplot()
        holder = {}

        def update(**values):
            table, extra, caption = make_table(**values)
            columns, rows = extra if extra else ((), None)
            if "fill" not in holder:
                holder["fill"] = gradient_table(
                    ax, len(table.rows), tuple(columns), table.method
                )
            holder["fill"](table, rows, caption=caption)

        return update

    return build


def three_way_figure(
    make_net: Callable, X, Y, loss: str, names: Sequence[str] | None = None
):
    """Explorable drawing: the three-way gradient table of a network at the slider values.

    ``make_net(**values)`` builds the network for the current sliders. The table
    shows, per parameter, SymPy | backprop | finite differences | relative error, the
    current value and, when there is an ``lr`` slider, the value after one step.
    """
    from .symbolic import three_way
    from .training import gradient_descent_step

    def make_table(**values):
        net = make_net(**values)
        table = three_way(net, X, Y, loss, names=list(names) if names else None)
        flat = dict(zip(net.flat_names(), net.get_flat()))
        columns, rows = ["value"], [[f"{flat[r.name]:.4g}"] for r in table.rows]
        if "lr" in values:
            columns.append("after one step")
            for row, r in zip(rows, table.rows):
                row.append(
                    f"{gradient_descent_step(flat[r.name], r.backprop, values['lr']):.4g}"
                )
        verdict = "all three agree" if table.passed else "MISMATCH: a gradient is wrong"
        return (
            table,
            (columns, rows),
            f"{loss}: L = {net.loss(X, Y, loss):.6g}  —  {verdict}",
        )

    return table_figure(make_table)


def draw_network(
    ax,
    sizes: Sequence[int],
    input_names: Sequence[str] | None = None,
    output_name: str = "ŷ",
):
    """Draw a fully connected network's skeleton on ``ax``; return ``show(net, cache)``.

    ``show`` colours and thickens every connection by its weight (blue positive,
    vermillion negative, width ∝ |w|) and writes each neuron's activation a inside it
    and its weighted sum z below it — the forward pass, layer by layer.
    """
    ax.set_axis_off()
    n_layers = len(sizes)
    ys = [np.linspace(0.9, 0.1, n) if n > 1 else np.array([0.5]) for n in sizes]
    xs = np.linspace(0.08, 0.92, n_layers)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.1, 1.04)
    edges = []  # (layer l, j, k, Line2D): W[l][j, k] joins neuron k of layer l to neuron j of layer l+1
    for l in range(n_layers - 1):
        for j in range(sizes[l + 1]):
            for k in range(sizes[l]):
                (line,) = ax.plot(
                    [xs[l], xs[l + 1]],
                    [ys[l][k], ys[l + 1][j]],
                    zorder=1,
                    solid_capstyle="round",
                )
                edges.append((l, j, k, line))
    centres = [(l, k) for l in range(n_layers) for k in range(sizes[l])]
    dots = ax.scatter(
        [xs[l] for l, _ in centres],
        [ys[l][k] for l, k in centres],
        s=1000,
        zorder=3,
        edgecolors="#333333",
        linewidths=1.2,
        facecolors="white",
    )
    values, sums = [], []
    for l, k in centres:
        values.append(
            (
                l,
                k,
                ax.text(
                    xs[l], ys[l][k], "", ha="center", va="center", fontsize=9, zorder=4
                ),
            )
        )
        if l > 0:
            sums.append(
                (
                    l,
                    k,
                    ax.text(
                        xs[l],
                        ys[l][k] - 0.1,
                        "",
                        ha="center",
                        va="top",
                        fontsize=8,
                        color="#333333",
                        zorder=4,
                        bbox=dict(
                            boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85
                        ),
                    ),
                )
            )
    names = (
        list(input_names) if input_names else [f"$x_{k + 1}$" for k in range(sizes[0])]
    )
    for k, name in enumerate(names):
        ax.text(xs[0] - 0.06, ys[0][k], name, ha="right", va="center", fontsize=10)
    ax.text(xs[-1] + 0.06, ys[-1][0], output_name, ha="left", va="center", fontsize=11)
    ax.text(
        0.5,
        -0.05,
        "line colour: blue = positive weight, vermillion = negative;  thickness = size of the weight",
        ha="center",
        va="top",
        fontsize=8,
        color=COLORS["neutral"],
    )
    for l in range(n_layers):
        label = (
            "input" if l == 0 else ("output" if l == n_layers - 1 else f"hidden {l}")
        )
        ax.text(
            xs[l],
            1.03,
            label,
            ha="center",
            va="bottom",
            fontsize=9,
            color=COLORS["neutral"],
        )
    live(*[e[3] for e in edges], dots, *[v[2] for v in values], *[s[2] for s in sums])

    def show(net, cache, sample: int = 0):
        wmax = max(1e-9, max(float(np.abs(W).max()) for W in net.weights))
        for l, j, k, line in edges:
            w = float(net.weights[l][j, k])
            line.set_color(COLORS["positive"] if w >= 0 else COLORS["negative"])
            line.set_linewidth(0.4 + 4.0 * abs(w) / wmax)
            line.set_alpha(0.35 + 0.6 * abs(w) / wmax)
        strength = [
            min(1.0, abs(float(cache.activations[l][sample, k]))) for l, k in centres
        ]
        dots.set_facecolors(
            [mpl.colors.to_rgba(OKABE_ITO["sky"], 0.15 + 0.6 * a) for a in strength]
        )
        for l, k, text in values:
            text.set_text(f"{float(cache.activations[l][sample, k]):.2f}")
        for l, k, text in sums:
            text.set_text(f"z={float(cache.zs[l - 1][sample, k]):.2f}")

    return show


def forward_preview(
    net,
    target: float,
    params: dict[str, str],
    inputs: Sequence[str],
    loss: str = "half_sse",
):
    """Explorable drawing: the forward pass of ``net`` drawn layer by layer, and one learning step.

    ``params`` maps slider names to parameter entries ("w1_11": "W1[0,0]"), ``inputs``
    names the input sliders in order, and an ``lr`` slider sets η. Left: the network
    with every z and a. Right: the prediction now and after one gradient-descent step
    on every parameter towards ``target``.
    """

    def build(fig):
        ax_net, ax_out = fig.subplots(1, 2, width_ratios=[2.6, 1])
        show = draw_network(ax_net, net.sizes)
        ax_out.set_ylim(0, 1)
        ax_out.set_xlim(-0.6, 1.6)
        ax_out.set_xticks([0, 1], ["now", "after one\nstep"])
        ax_out.set_ylabel("prediction $\\hat y$")
        ax_out.axhline(target, color=COLORS["target"], ls="--", lw=1.5)
        ax_out.text(
            1.55,
            target - 0.02,
            "target y",
            ha="right",
            va="top",
            color=COLORS["target"],
            fontsize=9,
        )
        bars = ax_out.bar(
            [0, 1], [0, 0], color=[COLORS["loss"], COLORS["step"]], width=0.6
        )
        title = ax_out.set_title("", fontsize=9.5)
        live(*bars, title)

        def update(lr, **values):
            trial = net.with_entries(
                {entry: values[name] for name, entry in params.items()}
            )
            x = [[values[name] for name in inputs]]
            E, grads, cache = trial.loss_and_gradients(x, [[target]], loss)
            show(trial, cache)
            trial.set_flat(
                trial.get_flat() - lr * grads.flat()
            )  # one step on every parameter
            now, after = cache.output.item(), trial.predict(x).item()
            bars[0].set_height(now)
            bars[1].set_height(after)
            title.set_text(
                f"ŷ: {now:.3f} → {after:.3f}\nE: {E:.4f} → {trial.loss(x, [[target]], loss):.4f}"
            )

        return update

    return build


def loss_comparison(curve_points: int = 400):
    """Explorable drawing: squared error and binary cross-entropy over a probability ŷ.

    ``update(loss, y_hat, y)``: both curves for target y, the chosen loss's tangent at
    ŷ (its gradient), and the sizes of both gradients side by side (log scale).
    """
    from .losses import loss_gradient, loss_value

    names = {"squared error": "sse", "cross-entropy": "binary_ce"}
    p = np.linspace(0.001, 0.999, curve_points)
    cache = {}  # the curves depend only on the target

    def curves(y):
        if y not in cache:
            cache[y] = [
                np.array([loss_value(n, [[q]], [[y]]) for q in p])
                for n in names.values()
            ]
        return cache[y]

    def build(fig):
        ax, ax_bar = fig.subplots(1, 2, width_ratios=[2.2, 1])
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.2, 5)
        ax.set_xlabel("prediction $\\hat y$")
        ax.set_ylabel("loss")
        (se_line,) = ax.plot(
            p,
            np.zeros_like(p),
            color=COLORS["loss"],
            label="squared error $(\\hat y - y)^2$",
        )
        (ce_line,) = ax.plot(
            p, np.zeros_like(p), color=COLORS["path"], label="cross-entropy"
        )
        target = ax.axvline(
            0, color=COLORS["target"], ls=":", lw=1.5, label="target $y$"
        )
        (tangent,) = ax.plot(
            [],
            [],
            color=COLORS["gradient"],
            ls="--",
            lw=1.5,
            label="tangent (gradient)",
        )
        (dot,) = ax.plot([], [], "o", color=COLORS["step"], ms=9, zorder=5)
        info = ax.text(
            0.5,
            0.55,
            "",
            transform=ax.transAxes,
            ha="center",
            fontsize=9,
            family="monospace",
            bbox=dict(
                boxstyle="round", facecolor="white", edgecolor="#cccccc", alpha=0.9
            ),
        )
        ax.legend(loc="upper center", fontsize=8.5)
        ax_bar.set_yscale("log")
        ax_bar.set_ylim(1e-3, 1e3)
        bars = ax_bar.bar(
            [0, 1], [1e-3, 1e-3], color=[COLORS["loss"], COLORS["path"]], width=0.6
        )
        ax_bar.set_xticks([0, 1], ["squared\nerror", "cross-\nentropy"])
        ax_bar.set_title(
            "size of the gradient $|\\partial L/\\partial \\hat y|$", fontsize=10
        )
        live(se_line, ce_line, target, tangent, dot, info, *bars)

        def update(loss, y_hat, y):
            se, ce = curves(y)
            se_line.set_ydata(se)
            ce_line.set_ydata(ce)
            se_line.set_alpha(1.0 if loss == "squared error" else 0.35)
            ce_line.set_alpha(1.0 if loss == "cross-entropy" else 0.35)
            target.set_xdata([y, y])
            value = loss_value(names[loss], [[y_hat]], [[y]])
            g = loss_gradient(names[loss], [[y_hat]], [[y]]).item()
            tangent.set_data(
                [y_hat - 0.12, y_hat + 0.12], [value - 0.12 * g, value + 0.12 * g]
            )
            dot.set_data([y_hat], [min(value, 5.0)])
            info.set_text(f"{loss}: L = {value:.3f}, ∂L/∂ŷ = {g:.3f}")
            for bar, n in zip(bars, names.values()):
                bar.set_height(
                    max(1e-3, abs(loss_gradient(n, [[y_hat]], [[y]]).item()))
                )

        return update

    return build
