"""Drawings over one variable: a loss against one weight, and losses against ŷ."""

from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..gradcheck import difference
from ..losses import loss_gradient, loss_value
from ..network import Network
from ..prose import fmt_number as f
from ..training import train
from .style import COLORS, live, warning_note

SIGMOID = get_activation("sigmoid")
PUSH_FLOOR = 1e-4  # the bottom of the push chart (log scale)


def one_neuron(w: float, b: float, activation: str):
    """The one-neuron model ŷ = σ(w·x + b) of the curve and landscape drawings."""
    return Network([[w]], [[b]], activation)


def curve_of_w(X, Y, loss: str, ws, b: float = 0.0, activation: str = "identity"):
    """The loss of ŷ = σ(w·x + b) at each w in ``ws`` (b held fixed): the drawn curve."""
    return np.array([one_neuron(w, b, activation).loss(X, Y, loss) for w in ws])


def descent_on_curve(
    X,
    Y,
    loss: str = "sse",
    w_range=(-1.0, 5.0),
    b: float = 0.0,
    activation: str = "identity",
    steps: int = 6,
    loss_label: str = "E",
    y_max: float | None = None,
):
    """Explorable drawing: the loss as a function of one weight, and descent on it.

    The model is one neuron ŷ = σ(w·x + b) on data (X, Y), with b held fixed: the
    curve is the loss against w, and gradient descent trains w alone, so every step
    drawn lies on the curve. ``update(w, lr)`` marks the current w (blue), draws
    the tangent (its slope is the gradient, from backprop), one step −η·∂/∂w (the
    orange dot) and the ``steps`` steps after it (pink). Points off the chart are
    clipped by the axes, and the description says so. ``y_max`` crops the vertical
    axis to where the action is. Returns ``build``.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    ws = np.linspace(*w_range, 301)
    curve = curve_of_w(X, Y, loss, ws, b, activation)
    top = float(y_max if y_max is not None else curve.max() * 1.08)
    span = w_range[1] - w_range[0]
    sym = loss_label
    what = "error" if sym == "E" else "loss"

    def on_chart(w, value) -> bool:
        return w_range[0] <= w <= w_range[1] and value <= top

    def build(fig):
        ax = fig.add_subplot()
        ax.plot(ws, curve, color=COLORS["loss"], label=f"${sym}(w)$")
        ax.set_xlim(*w_range)
        ax.set_ylim(-0.06 * top, top)
        ax.set_xlabel("weight $w$")
        ax.set_ylabel(f"{what} ${sym}$")
        (tangent,) = ax.plot(
            [],
            [],
            color=COLORS["gradient"],
            lw=1.5,
            ls="--",
            label=rf"tangent: slope $\partial {sym}/\partial w$",
        )
        (path,) = ax.plot(
            [],
            [],
            "o-",
            color=COLORS["path"],
            ms=5,
            lw=1,
            alpha=0.85,
            label=f"the {steps} steps after it",
        )
        (now,) = ax.plot(
            [], [], "o", color=COLORS["loss"], ms=10, zorder=5, label="now"
        )
        (new,) = ax.plot(
            [], [], "o", color=COLORS["step"], ms=10, zorder=6, label="after one step"
        )
        arrow = ax.annotate(
            "",
            xy=(0, 0),
            xytext=(0, 0),
            arrowprops=dict(arrowstyle="->", color=COLORS["step"], lw=2),
        )
        info = ax.set_title("w\nstep", fontsize=11)  # two lines; update writes them
        warn = warning_note(ax, 0.5, 0.96)
        fig.legend(loc="outside right center")
        live(tangent, path, now, new, arrow, info, warn)

        def update(w, lr):
            net = one_neuron(w, b, activation)
            value, grads, _ = net.loss_and_gradients(X, Y, loss)
            g = float(grads.dW[0].item())
            half = 0.12 * span
            tangent.set_data([w - half, w + half], [value - g * half, value + g * half])
            now.set_data([w], [value])
            history = train(
                net,
                X,
                Y,
                loss,
                lr=lr,
                epochs=steps + 1,
                only=["W1"],
                record_params=True,
            )
            pw = np.array([p[0] for p in history.params])  # w after 0, 1, 2, … steps
            pl = np.array(history.losses[: len(pw)])
            w_new, new_loss = (pw[1], pl[1]) if len(pw) > 1 else (w, value)
            new.set_data([w_new], [new_loss])
            path.set_data(pw[2:], pl[2:])  # the axes clip whatever leaves the chart
            arrow.xy, arrow.xyann = (w_new, new_loss), (w, value)
            arrow.set_visible(on_chart(w, value) and on_chart(w_new, new_loss))
            info.set_text(
                f"w = {f(w, '.4g')},  {sym} = {f(value, '.4g')},  ∂{sym}/∂w = {f(g, '.4g')}\n"
                f"step −η·∂{sym}/∂w = {f(-lr * g, '+.4g')}  →  new w = {f(w_new, '.4g')}"
            )
            off = [k for k in range(1, len(pw)) if not on_chart(pw[k], pl[k])]
            if history.diverged:
                warn.set_text(f"η is too large: diverged at step {history.diverged_at}")
            elif off:
                warn.set_text(
                    f"step {off[0]} lands off the chart, at w = {f(pw[off[0]], '.3g')}"
                )
            else:
                warn.set_text("")
            warn.set_visible(bool(warn.get_text()))
            said = (
                f"At w = {f(w, '.4g')}, {sym} = {f(value, '.4g')} and ∂{sym}/∂w = "
                f"{f(g, '.4g')}; one step with η = {f(lr, '.3g')} moves w to "
                f"{f(w_new, '.4g')}."
            )
            if history.diverged:
                return said + f" The run diverges at step {history.diverged_at}."
            later = ", ".join(f(v, ".4g") for v in pw[2:])
            note = f" (from step {off[0]} on, off the chart)" if off else ""
            return said + f" The {steps} steps after it visit w = {later}{note}."

        return update

    return build


def loss_comparison(curve_points: int = 400):
    """Explorable drawing: squared error and binary cross-entropy over a probability ŷ.

    ``update(loss, y_hat, y)``: both curves for target y, the chosen loss's tangent
    at ŷ (its gradient), and the sizes of both losses' pushes (log scale): on ŷ,
    |∂L/∂ŷ|, and on the logit z of a sigmoid output ŷ = σ(z), |∂L/∂z| = |∂L/∂ŷ|·σ′(z)
    (the chain rule, σ′ = ŷ(1 − ŷ)): the same factor for both, so the same ratio.
    """
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
        (dot,) = ax.plot(
            [], [], "o", color="#222222", ms=9, zorder=5, label="prediction ŷ"
        )
        info = ax.set_title("", fontsize=11)
        ax.legend(loc="upper center")
        ax_bar.set_yscale("log")
        ax_bar.set_ylim(PUSH_FLOOR, 1e3)
        colors = [COLORS["loss"], COLORS["path"]] * 2
        bars = ax_bar.bar([0, 1, 2.6, 3.6], [PUSH_FLOOR] * 4, color=colors, width=0.8)
        ax_bar.set_xticks(
            [0.5, 3.1],
            [
                "on $\\hat y$\n$|\\partial L/\\partial \\hat y|$",
                "on $z$\n$|\\partial L/\\partial z|$",
            ],
        )
        ax_bar.set_title("push of each loss", fontsize=11)
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
            info.set_text(f"{loss}: L = {f(value, '.3f')},  ∂L/∂ŷ = {f(g, '.3f')}")
            slope = SIGMOID.from_output(np.float64(y_hat))  # σ′(z) = ŷ(1 − ŷ)
            on_y = [
                abs(loss_gradient(n, [[y_hat]], [[y]]).item()) for n in names.values()
            ]
            on_z = [size * slope for size in on_y]  # the chain rule: × σ′(z)
            for bar, size in zip(bars, on_y + on_z):
                bar.set_height(max(PUSH_FLOOR, size))
            return (
                f"Target {f(y, 'g')}, prediction {f(y_hat, '.3g')}: {loss} is "
                f"{f(value, '.3f')} with slope {f(g, '.3f')}. Push on ŷ: squared "
                f"error {f(on_y[0], '.3g')}, cross-entropy {f(on_y[1], '.3g')}. Push "
                f"on z, both times σ′ = {f(slope, '.3g')}: squared error "
                f"{f(on_z[0], '.3g')}, cross-entropy {f(on_z[1], '.3g')}."
            )

        return update

    return build


def slope_and_secant(
    X,
    Y,
    loss: str = "half_sse",
    w_range=(-3.0, 4.0),
    b: float = 0.0,
    activation: str = "sigmoid",
    loss_label: str = "E",
):
    """Explorable drawing: a loss against one weight, its tangent, and two secants.

    ``update(w, h)``: the tangent at w (slope ∂E/∂w from backprop), the central
    secant through w − h and w + h, and the forward secant through w and w + h, each
    labelled with its slope. As h shrinks the secants turn into the tangent.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    ws = np.linspace(*w_range, 401)
    curve = curve_of_w(X, Y, loss, ws, b, activation)
    lo, hi = float(curve.min()), float(curve.max())
    pad = 0.08 * (hi - lo)
    sym = loss_label

    def E(w):
        return one_neuron(w, b, activation).loss(X, Y, loss)

    def build(fig):
        ax = fig.add_subplot()
        ax.plot(ws, curve, color=COLORS["loss"], label=f"${sym}(w)$")
        ax.set_xlim(*w_range)
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_xlabel("weight $w$")
        ax.set_ylabel(f"error ${sym}$")
        (tangent,) = ax.plot(
            [], [], color=COLORS["gradient"], lw=2, label="tangent (backprop)"
        )
        (central,) = ax.plot(
            [], [], color=COLORS["step"], lw=1.8, label="central secant"
        )
        (forward,) = ax.plot(
            [], [], "--", color=COLORS["path"], lw=1.8, label="forward secant"
        )
        (points,) = ax.plot(
            [], [], "o", color=COLORS["step"], ms=6, zorder=6, label="w − h, w + h"
        )
        (now,) = ax.plot([], [], "o", color=COLORS["loss"], ms=9, zorder=5)
        info = ax.set_title("w\nh", fontsize=11)
        fig.legend(loc="outside right center")
        live(tangent, central, forward, points, now, info)
        span = w_range[1] - w_range[0]

        def update(w, h):
            net = one_neuron(w, b, activation)
            value, grads, _ = net.loss_and_gradients(X, Y, loss)
            g = float(grads.dW[0].item())
            c, fwd = difference(E, w, h, "central"), difference(E, w, h, "forward")
            reach = max(h, 0.15 * span)  # draw each line at least this far either side
            xs = np.array([w - reach, w + reach])
            tangent.set_data(xs, value + g * (xs - w))
            left, right = E(w - h), E(w + h)
            # through both of its points
            central.set_data(xs, left + c * (xs - (w - h)))
            # through (w, E) and (w + h, …)
            forward.set_data(xs, value + fwd * (xs - w))
            points.set_data([w - h, w + h], [left, right])
            now.set_data([w], [value])
            info.set_text(
                f"at w = {f(w, '.3g')}:  tangent slope {f(g, '.5f')}\n"
                f"h = {f(h, '.2g')}:  central {f(c, '.5f')},  forward {f(fwd, '.5f')}"
            )
            return (
                f"At w = {f(w, '.3g')} the slope ∂{sym}/∂w is {f(g, '.5f')}; with "
                f"h = {f(h, '.2g')} the central difference gives {f(c, '.5f')} and "
                f"the forward difference {f(fwd, '.5f')}."
            )

        return update

    return build
