"""Bars per parameter: how much of the blame each weight and bias carries."""

from __future__ import annotations

import numpy as np

from ..notation import symbol
from ..prose import fmt_number as f
from .style import COLORS, live

FLOOR = 1e-6  # bars are drawn on a log scale; smaller gradients sit on the floor


def blame_bars(net, x, params: dict[str, str], inputs: dict[str, int], target: str = "y",
               loss: str = "half_sse", limits=(FLOOR, 1.0)):  # fmt: skip
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
    layer_of = [int(n[1 : n.index("[")]) for n in names]
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
            ax.text((idx[0] + idx[-1]) / 2, top / 1.4, f"layer {layer}", ha="center",
                    va="top", fontsize=10.5, color=COLORS["neutral"])  # fmt: skip
        ax.bar([0], [0], color=COLORS["positive"], label="positive: lower it")
        ax.bar([0], [0], color=COLORS["negative"], label="negative: raise it")
        fig.legend(loc="outside upper right", ncols=2, fontsize=10)
        queen = ax.annotate("", (0, 1), xytext=(0, 18), textcoords="offset points",
                            ha="center", fontsize=10.5,
                            arrowprops=dict(arrowstyle="->", color="#222222"))  # fmt: skip
        info = ax.set_title("", fontsize=11)
        live(*bars, queen, info)

        def update(**values):
            trial = net.with_entries({entry: values[s] for s, entry in params.items()})
            xs = x.copy()
            for s, k in inputs.items():
                xs[0, k] = values[s]
            E, grads, _ = trial.loss_and_gradients(xs, [[values[target]]], loss)
            g = grads.flat()
            size = np.abs(g)
            for bar, v, gv in zip(bars, size, g):
                bar.set_height(max(v, limits[0]))
                bar.set_color(COLORS["positive"] if gv >= 0 else COLORS["negative"])
            top, low = int(np.argmax(size)), int(np.argmin(size))
            name = [symbol(n, net.sizes).text for n in names]
            queen.xy = (top, max(size[top], limits[0]))
            queen.set_text("the queen")
            ratio = size[top] / max(size[low], 1e-300)
            info.set_text(
                f"E = {f(E, '.4g')}: largest {name[top]} ({f(g[top], '.2e')}), "
                f"smallest {name[low]} ({f(g[low], '.2e')}), {f(ratio, '.3g')}× apart"
            )
            return (
                f"With E = {f(E, '.4g')}, the largest gradient is {name[top]}'s, "
                f"{f(g[top], '.3g')}; the smallest is {name[low]}'s, {f(g[low], '.2g')}, "
                f"{f(ratio, '.3g')} times smaller."
            )

        return update

    return build


def chain_factors(b: float = -1.0, y: float = 0.8, limit: float = 3.2):
    """Explorable drawing: seed 000's three factors of ∂E/∂w for one sigmoid neuron
    ŷ = σ(w·x + b) with E = ½(ŷ − y)², and their product.

    ``update(w, x)``: one bar per factor, ∂E/∂ŷ = ŷ − y, ∂ŷ/∂z = σ′(z), ∂z/∂w = x,
    and a bar for their product; a dot on the product bar is the engine's backprop
    value of ∂E/∂w, which it always matches.
    """
    from ..network import Network

    names = ["∂E/∂ŷ\n= ŷ − y", "∂ŷ/∂z\n= σ′(z)", "∂z/∂w\n= x", "product\n= ∂E/∂w"]

    def build(fig):
        ax = fig.add_subplot()
        pos = np.arange(4)
        colors = [COLORS["loss"], COLORS["step"], COLORS["target"], COLORS["gradient"]]
        bars = ax.bar(pos, [0.0] * 4, width=0.6, color=colors)
        ax.set_xticks(pos, names, fontsize=10.5)
        ax.set_ylim(-limit, limit)
        ax.axhline(0, color="#333333", lw=0.8)
        ax.set_ylabel("value")
        ax.grid(axis="x", visible=False)
        for x0 in (0.5, 1.5):
            ax.text(x0, limit * 0.9, "×", ha="center", va="center", fontsize=16)
        ax.text(2.5, limit * 0.9, "=", ha="center", va="center", fontsize=16)
        values = [ax.text(p, 0, "", ha="center", fontsize=11) for p in pos]
        (dot,) = ax.plot([], [], "o", ms=10, mfc="white", mec="black", mew=1.5, zorder=5,
                         label="backprop's ∂E/∂w")  # fmt: skip
        ax.legend(loc="lower left", fontsize=10)
        info = ax.set_title("", fontsize=11)
        live(*bars, *values, dot, info)

        def update(w, x):
            net = Network([[w]], [[b]], "sigmoid")
            E, grads, cache = net.loss_and_gradients([[x]], [[y]], "half_sse")
            y_hat, z = cache.output.item(), cache.zs[0].item()
            factors = [y_hat - y, y_hat * (1 - y_hat), x]
            product = factors[0] * factors[1] * factors[2]
            backprop = grads.dW[0].item()
            for i, (bar, text, v) in enumerate(zip(bars, values, [*factors, product])):
                bar.set_height(v)
                text.set_text(f(v, ".3g"))
                if i == 3:  # beside the product bar: its end carries backprop's dot
                    text.set_position((3.35, v))
                    text.set_ha("left")
                else:
                    text.set_position((i, v + (0.12 if v >= 0 else -0.32)))
            dot.set_data([3], [backprop])
            info.set_text(f"w = {f(w, '.3g')}, x = {f(x, '.3g')}: z = {f(z, '.3g')}, "
                          f"ŷ = {f(y_hat, '.3g')}, E = {f(E, '.3g')}")  # fmt: skip
            return (
                f"At w = {f(w, '.3g')} and x = {f(x, '.3g')}: ∂E/∂ŷ = {f(factors[0], '.3g')}, "
                f"∂ŷ/∂z = {f(factors[1], '.3g')}, ∂z/∂w = {f(factors[2], '.3g')}; their "
                f"product {f(product, '.4g')} equals backprop's ∂E/∂w = {f(backprop, '.4g')}."
            )

        return update

    return build
