"""What a computation costs: work against the size of the problem, on log–log axes."""

from __future__ import annotations

import numpy as np

from ..prose import fmt_number as f
from .style import COLORS, live


def gradient_counts(widths, n_params, forward, backprop, finite, name="3-n-n-1"):
    """Explorable drawing: multiply-adds for every gradient of a network against its
    number of parameters, counted (``book_utils.cost``), on log–log axes: one forward
    pass, every gradient by backprop (a forward and a backward pass), every gradient
    by central differences (two forward passes per parameter).

    ``widths`` names each network (the n of ``name``); ``update(width)`` marks the
    network whose width is nearest (on the log scale) and reads its counts off.
    """
    widths = np.asarray(widths, dtype=float)
    n = np.asarray(n_params, dtype=float)
    fw, bp, fd = (np.asarray(v, dtype=float) for v in (forward, backprop, finite))

    def build(fig):
        ax = fig.add_subplot()
        ax.loglog(
            n,
            fd,
            "o-",
            color=COLORS["gradient"],
            label="every gradient, finite differences (2 passes per parameter)",
        )
        ax.loglog(
            n,
            bp,
            "o-",
            color=COLORS["loss"],
            label="every gradient, backprop (1 forward + 1 backward pass)",
        )
        ax.loglog(n, fw, "o--", color=COLORS["neutral"], label="one forward pass")
        ax.set_xlabel("number of weights and biases")
        ax.set_ylabel("multiply-adds (counted)")
        ax.set_ylim(fw.min() / 4, fd.max() * 40)
        ax.legend(loc="upper left")
        marker = ax.axvline(n[0], color=COLORS["neutral"], lw=1, ls=":")
        (dots,) = ax.loglog(
            [], [], "o", ms=11, mfc="none", mec="black", mew=1.6, zorder=5
        )
        info = ax.set_title("", fontsize=11)
        live(marker, dots, info)

        def update(width):
            i = int(np.argmin(np.abs(np.log(widths) - np.log(max(width, 1.0)))))
            marker.set_xdata([n[i], n[i]])
            dots.set_data([n[i]] * 3, [fw[i], bp[i], fd[i]])
            net = name.replace("n", f"{int(widths[i])}")
            passes_bp, passes_fd = bp[i] / fw[i], fd[i] / fw[i]
            info.set_text(
                f"{net}, in forward passes: backprop {f(passes_bp, '.3g')}, "
                f"finite differences {f(passes_fd, ',.0f')}"
            )
            return (
                f"The {net} network has {int(n[i]):,} parameters. One forward pass "
                f"takes {int(fw[i]):,} multiply-adds; every gradient by backprop "
                f"{int(bp[i]):,} ({f(passes_bp, '.3g')} forward passes); by finite "
                f"differences {int(fd[i]):,} ({f(passes_fd, ',.0f')} forward passes)."
            )

        return update

    return build
