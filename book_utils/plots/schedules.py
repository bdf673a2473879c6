"""A learning-rate schedule against a constant η: the loss per epoch, and η per epoch.

Drawing only: the runs come from the engine (``comparisons.line_run``), handed over
by a function of the slider values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..prose import fmt_number as f
from ..prose import sci
from .style import COLORS, MIN_FONT, live, powers_of_ten


def _small(x: float) -> str:
    """0.6 plainly, 3.6 × 10⁻⁶ in powers of ten."""
    return f(x, ".2g") if x >= 0.01 else sci(x, 2)


def schedule_against_constant(
    runs_of: Callable, floor: float, epochs: int, last: int, y_range
):
    """Explorable drawing: one run with a constant η, one with a schedule.

    runs_of(lr, schedule) → (constant History, scheduled History, η_τ per epoch of
    the schedule, where each settles); floor: the lowest possible loss L_min;
    ``last``: the epochs averaged for "where it settles"; y_range: the loss axis.
    Left: L − L_min after each epoch (log) for both runs, the averaging window
    (the last ``last`` epochs) shaded. Right: η_τ for each epoch τ (log).
    """

    def build(fig):
        ax, ax_lr = fig.subplots(1, 2, width_ratios=[1.5, 1])
        # the window averaged for "where a run settles", shaded and named
        ax.axvspan(epochs - last, epochs, color=COLORS["neutral"], alpha=0.15, lw=0)
        ax.text(
            epochs - last / 2,
            0.03,
            f"last {last}:\naveraged",
            ha="center",
            va="bottom",
            fontsize=MIN_FONT,
            color=COLORS["neutral"],
            transform=ax.get_xaxis_transform(),
        )
        (const,) = ax.semilogy(
            [], [], color=COLORS["neutral"], lw=1.1, label="constant η"
        )
        (sched,) = ax.semilogy(
            [], [], color=COLORS["loss"], lw=1.4, label="with the schedule"
        )
        ax.set_xlim(0, epochs)
        ax.set_ylim(*y_range)
        ax.set_xlabel("epoch")
        ax.set_ylabel("$L - L_{\\min}$ (log scale)")
        ax.set_title("loss above the best possible")
        (lr_const,) = ax_lr.semilogy([], [], color=COLORS["neutral"], lw=1.5)
        (lr_sched,) = ax_lr.semilogy([], [], color=COLORS["loss"], lw=2)
        ax_lr.set_xlim(0, epochs)
        ax_lr.set_xlabel("epoch")
        ax_lr.set_ylabel("η (log scale)")
        ax_lr.set_title("the learning rate")
        powers_of_ten(ax)
        powers_of_ten(ax_lr)
        fig.legend(handles=[const, sched], loc="outside lower center", ncol=2)
        live(const, sched, lr_const, lr_sched)
        ax_lr.set_ylim(1e-6, 1.0)

        def update(lr, schedule):
            flat, run, lrs, (settle_flat, settle) = runs_of(lr, schedule)
            lr = lrs[0]  # the run's own η (the live slider may snap to it)
            x = np.arange(len(flat.losses))
            const.set_data(x, np.maximum(np.array(flat.losses) - floor, 1e-12))
            sched.set_data(x, np.maximum(np.array(run.losses) - floor, 1e-12))
            tau = np.arange(len(lrs))  # the epochs τ = 0, …, T − 1
            lr_const.set_data(tau, np.full(len(lrs), lr))  # η, every epoch
            lr_sched.set_data(tau, np.maximum(lrs, 1e-12))  # η_τ
            above, above_s = _small(settle_flat - floor), _small(settle - floor)
            sched.set_visible(schedule != "constant")
            lr_sched.set_visible(schedule != "constant")
            if schedule == "constant":
                return (
                    f"η = {f(lr, '.3g')} held constant: over the last {last} epochs "
                    f"the loss sits {above} above the best possible."
                )
            return (
                f"η = {f(lr, '.3g')}, {schedule}: over the last {last} epochs the loss "
                f"sits {above_s} above the best possible, against {above} with η "
                "held constant."
            )

        return update

    return build
