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
