"""Drawings of how much blame reaches each layer of a deep network: the size of the
error signal δ and of the weights' gradient, layer by layer, on a log scale."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..prose import fmt_number as f
from ..prose import sci
from .style import COLORS, MIN_FONT, live, warning_note


def size_text(value: float) -> str:
    """A size as the figure writes it: 0.29 or 140 plainly, 1.3 × 10⁻⁶ beyond (two
    digits, so 1.3 × 10⁻⁶ is not mistaken for a millionth)."""
    if 1e-2 <= abs(value) < 10:
        return f(value, ".2g")
    if 10 <= abs(value) < 1e3:
        return f(value, ".0f")
    return str(sci(value, 2))


def gradient_per_layer(sizes_of: Callable, max_depth: int = 20, y_range=(1e-20, 1e16)):
    """Explorable drawing: the backward pass of a deep network, layer by layer.

    ``sizes_of(**values)`` returns the ``diagnostics.LayerSizes`` of the network
    the sliders describe (it must carry a ``depth`` slider). Drawn against the
    layer l (1 on the left, the output on the right, where the backward pass
    starts): the size of δ(l) (solid) and of one input's share δ(l) a(l−1)ᵀ of the
    weights' gradient (dashed), and a dotted
    guide that shrinks by ¼ per layer from the output's δ, sigmoid's best case.
    Sizes outside ``y_range`` are drawn on its edge and the note says so.
    Returns ``build``.
    """
    lo, hi = y_range

    def build(fig):
        ax = fig.add_subplot()
        ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        ax.set_xlim(0.5, max_depth + 0.5)
        ticks = [1] + list(range(5, max_depth + 1, 5))
        ax.set_xticks(ticks)
        ax.set_xlabel(
            "layer $l$    (← the backward pass runs this way, from the output)"
        )
        ax.set_ylabel("size (log scale)")
        ax.set_yticks(
            [10.0**k for k in range(int(np.log10(lo)), int(np.log10(hi)) + 1, 4)]
        )
        (guide,) = ax.plot(
            [], [], ":", color=COLORS["neutral"], lw=1.4, label="× ¼ per layer"
        )
        # one input's share of ∂E/∂W(l), as diagnostics.gradient_sizes measures it
        weights_label = r"weights' gradient $\|\delta^{(l)} a^{(l-1)\mathsf{T}}\|$"
        (weights,) = ax.plot(
            [],
            [],
            "s--",
            color=COLORS["loss"],
            ms=4,
            lw=1.3,
            alpha=0.85,
            label=weights_label,
        )
        (delta,) = ax.plot(
            [],
            [],
            "o-",
            color=COLORS["gradient"],
            ms=6,
            label=r"error signal $\|\delta^{(l)}\|$",
        )
        (first,) = ax.plot(
            [], [], "o", ms=12, mfc="none", mec=COLORS["step"], mew=2.2, zorder=6
        )
        out_line = ax.axvline(max_depth, color="#999999", lw=1.0, ls="-", zorder=0)
        out_text = ax.text(
            max_depth,
            hi,
            "output ",
            ha="right",
            va="top",
            fontsize=MIN_FONT,
            color=COLORS["neutral"],
        )
        note = warning_note(ax, 0.5, 0.04, va="bottom", fontsize=10)
        # title and legend from the left, where a phone's screen starts
        title = ax.set_title(" ", loc="left")
        fig.legend(handles=[delta, weights, guide], loc="outside upper left", ncols=2)
        live(guide, weights, delta, first, out_line, out_text, note, title)

        def update(**values):
            sizes = sizes_of(**values)
            depth = len(sizes.delta)
            layers = np.arange(1, depth + 1)
            d = np.nan_to_num(sizes.delta, nan=hi, posinf=hi)
            w = np.nan_to_num(sizes.weights, nan=hi, posinf=hi)
            delta.set_data(layers, np.clip(d, lo, hi))
            weights.set_data(layers, np.clip(w, lo, hi))
            first.set_data([1], [np.clip(d[0], lo, hi)])
            guide.set_data(layers, np.clip(d[-1] * 0.25 ** (depth - layers), lo, hi))
            out_line.set_xdata([depth, depth])
            # right of the line near the left edge, clear of ticks
            out_text.set_x(depth)
            out_text.set_text("output " if depth > 2 else " output")
            out_text.set_ha("right" if depth > 2 else "left")
            far = depth > 1
            ratio = d[0] / d[-1]
            setting = (
                f" of {values['activation']}" if "activation" in values else ""
            ) + (
                f", weights at {f(values['gain'], '.3g')}× the standard size"
                if "gain" in values
                else ""
            )
            clipped = bool(np.any((d < lo) | (d > hi) | (w < lo) | (w > hi)))
            note.set_text(
                "sizes off the chart are drawn on its edge" if clipped else ""
            )
            note.set_visible(clipped)
            if far:
                title.set_text(
                    f"layer 1 gets {size_text(ratio)} × the output layer's δ"
                )
                said = f"{depth} layers{setting}: " + (
                    f"the error signal δ has size {size_text(d[-1])} at "
                    f"the output and {size_text(d[0])} at layer 1, {size_text(ratio)} "
                    f"times as much; the weights' gradient goes from {size_text(w[-1])} "
                    f"at the output to {size_text(w[0])} at layer 1."
                )
            else:
                title.set_text("one layer of weights, no hidden activation")
                said = (
                    "One layer of weights"
                    + (
                        f", at {f(values['gain'], '.3g')}× the standard size"
                        if "gain" in values
                        else ""
                    )
                    + (
                        ", straight from the inputs to the linear output, so no hidden "
                        f"activation is involved: δ has size {size_text(d[0])} and the "
                        f"weights' gradient {size_text(w[0])}; there is no earlier layer for "
                        "it to shrink in."
                    )
                )
            return said

        return update

    return build
