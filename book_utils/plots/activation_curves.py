"""Drawings of activation functions: σ(z) with its tangent, and its slope σ′(z)."""

from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..prose import fmt_number as f
from .style import COLORS, MIN_FONT, live

# the largest slope each activation ever has, and where (for the dotted guide line)
MAX_SLOPE = {
    "identity": 1.0,
    "sigmoid": 0.25,
    "tanh": 1.0,
    "relu": 1.0,
    "leaky_relu": 1.0,
}


def activation_and_slope(
    options: dict[str, str], z_range=(-4.0, 4.0), value_range=(-1.25, 2.25)
):
    """Explorable drawing: one activation and its derivative, at a point z.

    ``options`` maps the names a reader sees to the engine's ("ReLU": "relu").
    ``update(activation, z)``: left, σ(z) (every option faint in grey behind it)
    with the point (z, σ(z)) and the tangent there; right, σ′(z) with the point
    and a dotted line at σ′'s largest value. The slopes are the engine's, the ones
    backprop multiplies by. Returns ``build``.
    """
    zs = np.linspace(*z_range, 481)
    curves = {}
    for label, name in options.items():
        act = get_activation(name)
        values = act.value(zs)
        curves[label] = (values, act.slope(zs, values))

    def build(fig):
        ax, ax_d = fig.subplots(1, 2)
        for values, _ in curves.values():
            ax.plot(zs, values, color="#c8c8c8", lw=1.2, zorder=1)
        for _, slopes in curves.values():
            ax_d.plot(zs, slopes, color="#c8c8c8", lw=1.2, zorder=1)
        for a in (ax, ax_d):
            a.set_xlim(*z_range)
            a.axvline(0, color="#999999", lw=0.8, zorder=0)
            a.axhline(0, color="#999999", lw=0.8, zorder=0)
            a.set_xlabel("weighted sum $z$")
        ax.set_ylim(*value_range)
        ax_d.set_ylim(-0.08, 1.15)
        ax.set_ylabel(r"activation $a = \sigma(z)$")
        ax_d.set_ylabel(r"slope $\sigma'(z)$")
        (curve,) = ax.plot([], [], color=COLORS["loss"], zorder=3)
        (tangent,) = ax.plot(
            [],
            [],
            "--",
            color=COLORS["gradient"],
            lw=1.6,
            zorder=4,
            label=r"tangent: slope $\sigma'(z)$",
        )
        (dot,) = ax.plot(
            [], [], "o", color=COLORS["step"], ms=9, zorder=5, clip_on=False
        )
        (slope_curve,) = ax_d.plot([], [], color=COLORS["gradient"], zorder=3)
        (slope_dot,) = ax_d.plot(
            [], [], "o", color=COLORS["step"], ms=9, zorder=5, clip_on=False
        )
        (top,) = ax_d.plot([], [], ":", color=COLORS["neutral"], lw=1.3, zorder=2)
        top_label = ax_d.text(
            z_range[0] + 0.15,
            0,
            "",
            ha="left",
            va="bottom",
            fontsize=MIN_FONT,
            color=COLORS["neutral"],
        )
        title, title_d = ax.set_title(" "), ax_d.set_title(" ")
        ax.legend(loc="upper left")
        live(
            curve, tangent, dot, slope_curve, slope_dot, top, top_label, title, title_d
        )
        span = 0.22 * (z_range[1] - z_range[0])

        def update(activation, z):
            act = get_activation(options[activation])
            values, slopes = curves[activation]
            curve.set_data(zs, values)
            slope_curve.set_data(zs, slopes)
            zz = np.array([float(z)])
            a = float(act.value(zz)[0])
            s = float(act.slope(zz, act.value(zz))[0])
            dot.set_data([z], [a])
            slope_dot.set_data([z], [s])
            tangent.set_data([z - span, z + span], [a - s * span, a + s * span])
            best = MAX_SLOPE.get(act.name, float(np.max(slopes)))
            top.set_data(z_range, [best, best])
            top_label.set_text(f"largest slope: {f(best, 'g')}")
            top_label.set_y(best + 0.02)
            # by name: the title says which activation it is, where σ would not
            title.set_text(f"{activation}({f(z, '.3g')}) = {f(a, '.3g')}")
            corner = act.kink and abs(float(z)) < 1e-9
            title_d.set_text(
                f"slope: {activation}′({f(z, '.3g')}) = {f(s, '.3g')}"
                + ("  (a corner)" if corner else "")
            )
            said = (
                f"{activation} at z = {f(z, '.3g')}: the neuron outputs "
                f"{f(a, '.3g')} and its slope is {f(s, '.3g')}, the factor backprop "
                f"multiplies by here (never more than {f(best, 'g')})."
            )
            if corner:
                sides = act.slope(
                    np.array([-1.0, 1.0]), act.value(np.array([-1.0, 1.0]))
                )
                said += (
                    f" At z = 0 the curve has a corner: the slope is {f(sides[0], 'g')} "
                    f"on the left and {f(sides[1], 'g')} on the right, and the engine "
                    f"takes {f(s, 'g')}."
                )
            elif s == 0:
                said += " A slope of 0: no gradient passes back through this neuron."
            return said

        return update

    return build
