"""Bars per parameter: how much of the blame each weight and bias carries."""

from __future__ import annotations

import numpy as np

from ..network import Network
from ..notation import parse, symbol
from ..prose import fmt_number as f
from .style import COLORS, live

FLOOR = 1e-6  # bars are drawn on a log scale; smaller gradients sit on the floor


def blame_bars(
    net,
    x,
    params: dict[str, str],
    inputs: dict[str, int],
    target: str = "y",
    loss: str = "half_sse",
    limits=(FLOOR, 1.0),
):
    """Explorable drawing: the size of the gradient of every parameter of ``net``.

    One bar per parameter, grouped by layer and named as the book names them, on a
    log scale (the blame spans orders of magnitude); blue when the gradient is
    positive (raising the parameter raises the error), vermillion when negative.
    ``params`` maps slider names to parameter entries ("w3": "W3[0,0]"), ``inputs``
    slider names to input positions ({"x1": 0}), ``target`` names the target's
    slider; ``x`` gives the inputs no slider moves. ``update(**values)`` recomputes
    every gradient by backprop and names the largest ("the queen") and the smallest.
    """
    names = net.flat_names()
    labels = [symbol(n, net.sizes).tex for n in names]
    layer_of = [parse(n)[1] for n in names]
    x = np.asarray(x, dtype=float).reshape(1, -1)

    def build(fig):
        ax = fig.add_subplot()
        pos = np.arange(len(names))
        bars = ax.bar(pos, np.full(len(names), limits[0]), width=0.75)
        ax.set_yscale("log")
        top = limits[1] * 12  # room above the bars for the layer names and the arrow
        ax.set_ylim(limits[0], top)
        ax.set_xlim(-0.7, len(names) - 0.3)
        ax.set_xticks(pos, [f"${t}$" for t in labels], rotation=90, fontsize=10)
        ax.set_ylabel(r"size of the gradient $|\partial E/\partial\theta|$")
        ax.grid(axis="x", visible=False)
        for layer in sorted(set(layer_of)):
            idx = [i for i, lay in enumerate(layer_of) if lay == layer]
            if idx[0] > 0:
                ax.axvline(idx[0] - 0.5, color=COLORS["neutral"], lw=1, ls=":")
            ax.text(
                (idx[0] + idx[-1]) / 2,
                top / 1.4,
                f"layer {layer}",
                ha="center",
                va="top",
                fontsize=10.5,
                color=COLORS["neutral"],
            )
        ax.bar([0], [0], color=COLORS["positive"], label="positive: lower it")
        ax.bar([0], [0], color=COLORS["negative"], label="negative: raise it")
        fig.legend(loc="outside upper right", ncols=2, fontsize=10)
        zeros = [
            ax.text(i, limits[0] * 1.6, "", ha="center", va="bottom", fontsize=10)
            for i in range(len(names))
        ]
        queen = ax.annotate(
            "",
            (0, 1),
            xytext=(0, 18),
            textcoords="offset points",
            ha="center",
            fontsize=10.5,
            arrowprops=dict(arrowstyle="->", color="#222222"),
        )
        info = ax.set_title("", fontsize=11)
        live(*bars, *zeros, queen, info)

        def update(**values):
            trial = net.with_entries({entry: values[s] for s, entry in params.items()})
            xs = x.copy()
            for s, k in inputs.items():
                xs[0, k] = values[s]
            E, grads, _ = trial.loss_and_gradients(xs, [[values[target]]], loss)
            g = grads.flat()
            size = np.abs(g)
            zero = size < 1e-15  # exactly 0: the weight's input is 0, or a unit is off
            for bar, label, v, gv, z in zip(bars, zeros, size, g, zero):
                bar.set_height(max(v, limits[0]))
                bar.set_color(COLORS["positive"] if gv >= 0 else COLORS["negative"])
                label.set_text("0" if z else "")
            name = [symbol(n, net.sizes).text for n in names]
            top = int(np.argmax(size))
            low = int(np.argmin(np.where(zero, np.inf, size)))
            queen.xy = (top, max(size[top], limits[0]))
            queen.set_text("the queen")
            ratio = size[top] / size[low]
            zeros_said = ""
            if zero.any():
                zeros_said = (
                    f"; {int(zero.sum())} are exactly 0 ("
                    + ", ".join(n for n, z in zip(name, zero) if z)
                    + ")"
                )
            info.set_text(
                f"E = {f(E, '.4g')}: largest {name[top]} ({f(g[top], '.2e')}), "
                f"smallest non-zero {name[low]} ({f(g[low], '.2e')})"
            )
            return (
                f"With E = {f(E, '.4g')}, the largest gradient is {name[top]}'s, "
                f"{f(g[top], '.3g')}; the smallest that is not zero is {name[low]}'s, "
                f"{f(g[low], '.2g')}, {f(ratio, ',.3g')} times smaller{zeros_said}."
            )

        return update

    return build


def chain_factors(b: float = -1.0, y: float = 0.8, limit: float = 3.2):
    """Explorable drawing: the three chain-rule factors of ∂E/∂w for one sigmoid neuron
    ŷ = σ(w·x + b) with E = ½(ŷ − y)², and their product.

    ``update(w, x)``: left, one bar per factor, ∂E/∂ŷ = ŷ − y, ∂ŷ/∂z = σ′(z) and
    ∂z/∂w = x (on one scale); right, their product on its own, finer scale, with a
    dot for the engine's backprop value of ∂E/∂w, which it always matches.
    """
    names = ["∂E/∂ŷ\n= ŷ − y", "∂ŷ/∂z\n= σ′(z)", "∂z/∂w\n= x"]
    biggest = max(y, 1 - y) * 0.25 * limit  # |ŷ − y| · max σ′ · max |x|

    def build(fig):
        ax, ax_p = fig.subplots(1, 2, width_ratios=[3, 1.25])
        colors = [COLORS["loss"], COLORS["step"], COLORS["target"]]
        bars = ax.bar(range(3), [0.0] * 3, width=0.6, color=colors)
        ax.set_xticks(range(3), names, fontsize=10.5)
        ax.set_ylim(-limit, limit)
        ax.set_xlim(-0.6, 2.6)
        ax.set_title("the three factors", fontsize=11)
        (prod,) = ax_p.bar([0], [0.0], width=0.6, color=COLORS["gradient"])
        ax_p.set_xticks([0], ["product\n= ∂E/∂w"], fontsize=10.5)
        ax_p.set_xlim(-0.7, 0.9)
        ax_p.set_ylim(-biggest * 1.1, biggest * 1.1)
        ax_p.set_title("their product\n(○ backprop's ∂E/∂w)", fontsize=11)
        for axis in (ax, ax_p):
            axis.axhline(0, color="#333333", lw=0.8)
            axis.grid(axis="x", visible=False)
        for x0 in (0.5, 1.5):  # the factors multiply: a × between neighbours
            ax.text(
                x0,
                0,
                "×",
                ha="center",
                va="center",
                fontsize=16,
                zorder=4,
                bbox=dict(boxstyle="circle,pad=0.15", fc="white", ec="none"),
            )
        values = [ax.text(i, 0, "", ha="center", fontsize=11) for i in range(3)]
        prod_value = ax_p.text(0.36, 0, "", ha="left", va="center", fontsize=11)
        (dot,) = ax_p.plot(
            [], [], "o", ms=10, mfc="white", mec="black", mew=1.5, zorder=5
        )
        live(*bars, prod, *values, prod_value, dot)

        def update(w, x):
            net = Network([[w]], [[b]], "sigmoid")
            E, grads, cache = net.loss_and_gradients([[x]], [[y]], "half_sse")
            y_hat, z = cache.output.item(), cache.zs[0].item()
            factors = [y_hat - y, y_hat * (1 - y_hat), x]
            product = factors[0] * factors[1] * factors[2]
            backprop = grads.dW[0].item()
            for i, (bar, text, v) in enumerate(zip(bars, values, factors)):
                bar.set_height(v)
                text.set_text(f(v, ".3g"))
                text.set_position((i, v + (0.12 if v >= 0 else -0.35)))
            prod.set_height(product)
            prod_value.set_text(f(product, ".3g"))
            prod_value.set_y(product)
            dot.set_data([0], [backprop])
            return (
                f"At w = {f(w, '.3g')} and x = {f(x, '.3g')} (z = {f(z, '.3g')}, ŷ = "
                f"{f(y_hat, '.3g')}): ∂E/∂ŷ = {f(factors[0], '.3g')}, ∂ŷ/∂z = "
                f"{f(factors[1], '.3g')}, ∂z/∂w = {f(factors[2], '.3g')}; their product "
                f"{f(product, '.4g')} equals backprop's ∂E/∂w = {f(backprop, '.4g')}."
            )

        return update

    return build
