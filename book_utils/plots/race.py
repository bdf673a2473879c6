"""Optimisers raced down a valley, and plain descent in valleys of any narrowness.

Drawings only: the paths come from the engine (``valleys.roll``, ``valleys.race``),
handed over by a function of the slider values; how far each point is from the
minimum is ``valleys.distances``. Each optimiser keeps one colour and one marker
shape across the chapter, so the lines stay apart in grey too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..prose import fmt_number as f
from ..prose import sci
from ..valleys import distances
from .style import COLORS, OKABE_ITO, live, message, powers_of_ten

# one look per optimiser: (colour, marker, line style)
LOOKS = {
    "plain": (COLORS["path"], "o", "-"),
    "momentum": (OKABE_ITO["blue"], "s", "-"),
    "Adam": (OKABE_ITO["orange"], "^", "--"),
}
PCT = "\u00a0%"  # a number and its % never part at a line break
DISTANCE_LABEL = "distance to the minimum,\nshare of the start's (log)"


def _gap(path, centre) -> np.ndarray:
    """Distance from the minimum after each step as a share of the start's, kept
    above 1e-12 for a log axis."""
    return np.maximum(distances(path, centre), 1e-12)


def _percent(share: float) -> str:
    """A share as a percentage: 100 %, 62 %, 0.048 %, 5 × 10⁻⁶ % (never "1e+02 %")."""
    pct = 100 * share
    if pct >= 9.95:
        return f"{f(pct, ',.0f')}{PCT}"  # whole percents: 10 %, 100 %, 1,250 %
    return f"{f(pct, '.2g')}{PCT}" if pct >= 0.01 else f"{sci(pct, 1)}{PCT}"


def _count(k: int | None, path, cap: int) -> str:
    """The race's verdict on one path, as its label in the figure says it."""
    if path.diverged_at is not None:
        return f"diverged at step {path.diverged_at}"
    return f"there in {k} steps" if k is not None else f"not there in {cap}"


def _distance_axes(ax, steps: int, share: float, title: str):
    ax.set_xlim(0, steps)
    ax.set_yscale("log")
    powers_of_ten(ax)
    ax.set_ylim(share * 1e-3, 3)
    ax.set_xlabel("step")
    ax.set_ylabel(DISTANCE_LABEL)
    ax.set_title(title)
    ax.axhline(share, color=COLORS["target"], lw=1, ls=":")
    there = f"there: within {f(100 * share, 'g')}{PCT} of the start's distance"
    ax.text(0.03 * steps, 0.7 * share, there, ha="left", va="top", fontsize=9.5,
            color=COLORS["target"])  # fmt: skip


def race_on_valley(
    paths_of: Callable, grid, centre, steps: int, share: float, reached: Callable
):
    """Explorable drawing: optimisers racing down one valley, scrubbed by step.

    paths_of(lr, mu) → {name: valleys.Path} for the names of ``LOOKS``;
    grid: (w values, b values, L on the grid) for the contours; centre: the
    minimum; steps: the race's length; reached(path) → the step from which the
    path stays within ``share`` of its starting distance from the minimum (or None).
    ``update(step, lr, mu)``: each path up to ``step`` on the contours (left) and
    its distance from the minimum, as a share of the start's, per step (right).
    """
    ws, bs, values = grid
    floor = float(values.min())

    def build(fig):
        ax, ax_gap = fig.subplots(1, 2, width_ratios=[1.15, 1])
        levels = floor + (values.max() - floor) * np.geomspace(1e-3, 0.8, 10)
        ax.contour(
            ws,
            bs,
            values,
            levels=levels,
            colors=COLORS["neutral"],
            linewidths=0.7,
            alpha=0.55,
        )
        ax.plot([centre[0]], [centre[1]], "*", color=COLORS["target"], ms=14)
        ax.set_xlim(ws[0], ws[-1])
        ax.set_ylim(bs[0], bs[-1])
        ax.set_xlabel("weight $w$")
        ax.set_ylabel("bias $b$")
        ax.set_title("the paths")
        _distance_axes(ax_gap, steps, share, "how far from the minimum")
        lines, heads, curves, ends, arrivals = {}, {}, {}, {}, {}
        for name, (colour, marker, style) in LOOKS.items():
            (lines[name],) = ax.plot(
                [], [], style, color=colour, lw=1.4, marker=marker, ms=3, label=name
            )
            (heads[name],) = ax.plot(
                [], [], marker, color=colour, ms=10, mec="white", zorder=6
            )
            (curves[name],) = ax_gap.plot([], [], style, color=colour, lw=1.8)
            (ends[name],) = ax_gap.plot([], [], marker, color=colour, ms=8, mec="white")
            # where the path gets there for good: a tick on the 1 % line
            (arrivals[name],) = ax_gap.plot([], [], "|", color=colour, ms=16, mew=2.5)
        fig.legend(loc="outside lower center", ncol=3)
        live(*lines.values(), *heads.values(), *curves.values(), *ends.values())
        live(*arrivals.values())
        warn = live(message(ax_gap, ""))

        def update(step, lr, mu):
            step = int(round(step))
            said, wild = [], []
            for name, path in paths_of(lr, mu).items():
                shown = min(step, path.steps)  # a diverged path stops early
                pts = path.points[: shown + 1]
                lines[name].set_data(pts[:, 0], pts[:, 1])
                heads[name].set_data([pts[-1, 0]], [pts[-1, 1]])
                gap = _gap(path, centre)[: shown + 1]
                curves[name].set_data(np.arange(shown + 1), gap)
                ends[name].set_data([shown], [gap[-1]])
                k = reached(path)
                count = _count(k, path, steps)
                if path.diverged_at is not None:
                    wild.append(f"{name} diverged at step {path.diverged_at}")
                    said.append(f"{name}: diverged at step {path.diverged_at}")
                    continue
                arrivals[name].set_data(
                    [k] if k is not None else [], [share] * (k is not None)
                )
                said.append(f"{name}: {_percent(gap[-1])}, {count}")
            warn.set_text("\n".join(wild))
            warn.set_visible(bool(wild))
            return (
                f"η = {f(lr, '.3g')}, μ = {f(mu, '.3g')}. After {step} steps, the "
                "distance left to the minimum, as a share of the start's: "
                + "; ".join(said)
                + f" (there: within {f(100 * share, 'g')}{PCT} for good)."
            )

        return update

    return build


def narrowing_valley(
    roll_of: Callable, lims, steps: int, share: float, reached: Callable
):
    """Explorable drawing: plain gradient descent in a valley made narrower.

    roll_of(kappa, lr) → (valleys.Bowl, valleys.Path): the valley for κ and the
    path of ``steps`` plain steps down it from the same start. Left: the valley's
    contour ellipses (along the floor, d_flat; across it, d_steep) and the path;
    right: the distance from the minimum per step, and the target ``share``.
    """
    (x0, x1), (y0, y1) = lims

    def build(fig):
        ax, ax_gap = fig.subplots(1, 2, width_ratios=[1.15, 1])
        rings = [
            ax.plot([], [], color=COLORS["neutral"], lw=0.7, alpha=0.6)[0]
            for _ in range(7)
        ]
        ax.plot([0], [0], "*", color=COLORS["target"], ms=14)
        colour, marker, style = LOOKS["plain"]
        (path_line,) = ax.plot([], [], style, color=colour, lw=1.2, marker=marker, ms=3)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("along the floor, $d_{\\mathrm{flat}}$")
        ax.set_ylabel("across, $d_{\\mathrm{steep}}$")
        ax.set_title("the valley: along its floor, and across")
        _distance_axes(ax_gap, steps, share, "plain gradient descent")
        (curve,) = ax_gap.plot([], [], style, color=colour, lw=1.8)
        warn = message(ax_gap, "")
        live(*rings, path_line, curve, warn)

        def update(kappa, lr):
            bowl, path = roll_of(kappa, lr)
            start_excess = path.losses[0] - bowl.floor
            for ring, level in zip(rings, np.geomspace(0.005, 0.8, len(rings))):
                pts = bowl.level_curve(level * start_excess)
                ring.set_data(pts[:, 0], pts[:, 1])
            path_line.set_data(path.points[:, 0], path.points[:, 1])
            gap = _gap(path, bowl.centre)
            curve.set_data(np.arange(len(gap)), gap)
            kap, rate = f(kappa, ".3g"), f(lr, ".3g")
            head = f"κ = {kap}, η = {rate}: "
            pct = f"{f(100 * share, 'g')}{PCT}"
            warn.set_visible(path.diverged_at is not None)
            if path.diverged_at is not None:
                warn.set_text(
                    f"η = {rate} is too large:\ndiverged at step {path.diverged_at}"
                )
                return head + f"the zigzag grows; diverged at step {path.diverged_at}."
            k = reached(path)
            if k is None:
                return (
                    head + f"after {steps} steps the path is still at "
                    f"{_percent(gap[-1])} of its starting distance."
                )
            return (
                head
                + f"the path stays within {pct} of its starting distance from step {k}."
            )

        return update

    return build
