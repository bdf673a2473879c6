"""Error against step size: how well a finite difference estimates a derivative."""

from __future__ import annotations

import numpy as np

from ..gradcheck import EPS, best_step
from ..prose import fmt_number as f
from .style import COLORS, live


def step_size_sweep(hs, sweep: dict[str, np.ndarray], scale: float = 1.0):
    """Explorable drawing: the measured error of forward and central differences against
    h, on log–log axes, with the current h marked and each method's best h starred.

    hs: the steps measured; sweep: {"forward": errors, "central": errors} from
    ``gradcheck.step_size_sweep``; scale: a typical size of f (sets the round-off
    guide ε_mach·scale/h, ε_mach the float64 precision). ``update(h)`` marks h on
    both curves. Returns ``build``.
    """
    hs = np.asarray(hs, dtype=float)
    fwd, cen = (np.maximum(sweep[m], 1e-18) for m in ("forward", "central"))
    best = {m: best_step(hs, e) for m, e in (("forward", fwd), ("central", cen))}
    colors = {"forward": COLORS["path"], "central": COLORS["step"]}

    def build(fig):
        ax = fig.add_subplot()
        for method, errs in (("forward", fwd), ("central", cen)):
            ax.loglog(
                hs,
                errs,
                "o-",
                ms=3,
                lw=1.6,
                color=colors[method],
                label=f"{method} difference",
            )
            h_best, e_best = best[method]
            ax.loglog(
                [h_best],
                [e_best],
                "*",
                ms=16,
                color=colors[method],
                mec="black",
                mew=0.6,
                zorder=6,
            )
            offset = (0, -34) if method == "forward" else (44, 14)  # clear of the axis
            ax.annotate(
                f"best {method}\nh ≈ {f(h_best, '.0e')}",
                (h_best, e_best),
                textcoords="offset points",
                xytext=offset,
                ha="center",
                fontsize=10,
                color="#222222",
            )
        guide = hs[hs > 1e-12]
        ax.loglog(
            guide,
            EPS * scale / guide,
            ":",
            color=COLORS["neutral"],
            lw=1.2,
            label="round-off ≈ $\\varepsilon_{\\mathrm{mach}}|E|/h$",
        )
        ax.set_xlabel("step $h$")
        ax.set_ylabel("error of the estimate")
        ax.set_xlim(hs[0] * 0.5, hs[-1] * 2)
        ax.set_ylim(min(fwd.min(), cen.min()) / 20, max(fwd.max(), cen.max()) * 20)
        ax.text(
            0.02,
            0.04,
            "round-off wins ←",
            transform=ax.transAxes,
            fontsize=10,
            color=COLORS["neutral"],
        )
        ax.text(
            0.98,
            0.04,
            "→ truncation wins",
            transform=ax.transAxes,
            ha="right",
            fontsize=10,
            color=COLORS["neutral"],
        )
        ax.legend(loc="upper center", ncols=3, fontsize=10)
        marker = ax.axvline(hs[0], color=COLORS["gradient"], lw=1.5)
        (dots,) = ax.loglog([], [], "o", ms=9, color=COLORS["gradient"], zorder=7)
        info = ax.set_title("", fontsize=11)
        live(marker, dots, info)

        def update(h):
            e_f = float(np.exp(np.interp(np.log(h), np.log(hs), np.log(fwd))))
            e_c = float(np.exp(np.interp(np.log(h), np.log(hs), np.log(cen))))
            marker.set_xdata([h, h])
            dots.set_data([h, h], [e_f, e_c])
            info.set_text(
                f"h = {f(h, '.0e')}:  forward off by {f(e_f, '.1e')},  "
                f"central off by {f(e_c, '.1e')}"
            )
            return (
                f"At h = {f(h, '.0e')} the forward difference is off by {f(e_f, '.1e')} "
                f"and the central difference by {f(e_c, '.1e')}. Measured best steps: "
                f"forward h ≈ {f(best['forward'][0], '.0e')} (error "
                f"{f(best['forward'][1], '.1e')}), central h ≈ "
                f"{f(best['central'][0], '.0e')} (error {f(best['central'][1], '.1e')})."
            )

        return update

    return build
