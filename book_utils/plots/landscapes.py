"""Drawings over two parameters: the error surface of one neuron over (w, b)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activations import get_activation
from ..losses import get_loss
from ..prose import fmt_number as f
from ..training import EXPLODE_FACTOR, train
from .curves import one_neuron
from .style import COLORS, live, message


@dataclass
class Surface:
    """The loss of ŷ = σ(w·x + b) on a grid of (w, b): ``values[i, j]`` is at (ws[j], bs[i])."""

    ws: np.ndarray
    bs: np.ndarray
    values: np.ndarray

    @property
    def minimum(self) -> tuple[float, float]:
        i, j = np.unravel_index(np.argmin(self.values), self.values.shape)
        return float(self.ws[j]), float(self.bs[i])


def error_surface(
    X, Y, loss, w_range, b_range, activation="identity", n=121
) -> Surface:
    """Evaluate the loss over an n × n grid (once: it does not depend on any slider).

    The predictions σ(w·x + b) of every grid point come from the engine's activation
    in one vectorised call; the loss of each point from the engine's loss.
    """
    lf, act = get_loss(loss), get_activation(activation)
    ws, bs = np.linspace(*w_range, n), np.linspace(*b_range, n)
    x = np.asarray(X, dtype=float).reshape(-1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    y_hat = act.value(ws[None, :, None] * x[None, None, :] + bs[:, None, None])
    values = np.array([[lf.value(p.reshape(-1, 1), Y) for p in row] for row in y_hat])
    return Surface(ws, bs, values)


def draw_contours(ax, surface: Surface, levels: int = 14):
    """Contour lines of ``surface`` on ``ax``, denser near the minimum, and a star on it."""
    qs = np.quantile(surface.values, np.linspace(0.0, 0.97, levels) ** 2)
    ax.contour(
        surface.ws,
        surface.bs,
        surface.values,
        levels=np.unique(qs),
        colors=COLORS["neutral"],
        linewidths=0.7,
        alpha=0.7,
    )
    w_best, b_best = surface.minimum
    ax.plot([w_best], [b_best], "*", color=COLORS["target"], ms=14, label="minimum")
    ax.set_xlim(surface.ws[0], surface.ws[-1])
    ax.set_ylim(surface.bs[0], surface.bs[-1])
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")


def descent_on_landscape(
    X,
    Y,
    loss: str = "mse",
    w_range=(-1.0, 5.0),
    b_range=(-4.0, 6.0),
    epochs: int = 40,
    activation: str = "identity",
):
    """Explorable drawing: loss contours over (w, b) of one neuron, and the descent path.

    ``update(lr, w0, b0)`` trains from (w0, b0) with the engine for ``epochs``
    full-batch steps and draws the path on the contours (left; the axes clip steps
    that leave the chart) and the loss after each step (right). A run that diverges
    (the loss passes a million times its start) is drawn up to its last finite step.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    surface = error_surface(X, Y, loss, w_range, b_range, activation)

    def build(fig):
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.25, 1])
        draw_contours(ax, surface)
        ax.set_title("descent on the loss surface")
        (path,) = ax.plot(
            [], [], "o-", color=COLORS["path"], ms=4, lw=1.2, label="path"
        )
        (start,) = ax.plot(
            [], [], "o", color=COLORS["loss"], ms=9, zorder=5, label="start"
        )
        # below the map, where no path can cover it and a phone shows it
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3)
        (curve,) = ax_loss.semilogy([], [], color=COLORS["loss"])
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("loss (log scale)")
        ax_loss.set_title("loss after each step")
        lo, hi = float(surface.values.min()), float(surface.values.max())
        ax_loss.set_ylim(max(lo * 0.5, 1e-3), hi * 10)
        warn = message(ax_loss, "")
        live(path, start, curve, warn)

        def update(lr, w0, b0):
            net = one_neuron(w0, b0, activation)
            history = train(net, X, Y, loss, lr=lr, epochs=epochs, record_params=True)
            p = np.array(history.params)
            start.set_data([w0], [b0])
            path.set_data(p[:, 0], p[:, 1])  # the axes clip steps that leave the chart
            losses = np.array(history.losses)
            curve.set_data(np.arange(len(losses)), np.maximum(losses, 1e-12))
            start_at = f"From (w, b) = ({f(w0, '.3g')}, {f(b0, '.3g')}) with η = {f(lr, '.3g')}"
            if history.diverged:
                warn.set_text(
                    f"η = {f(lr, '.3g')} is too large:\ndiverged at step "
                    f"{history.diverged_at}"
                )
                warn.set_visible(True)
                return (
                    f"{start_at} the run diverges: at step {history.diverged_at} the loss "
                    f"passes {f(EXPLODE_FACTOR, ',.0f')} times its start."
                )
            warn.set_visible(False)
            w_end, b_end = p[-1]
            return (
                f"{start_at}, {epochs} steps end at (w, b) = ({f(w_end, '.3g')}, "
                f"{f(b_end, '.3g')}); the loss falls from {f(losses[0], '.3g')} to "
                f"{f(losses[-1], '.3g')}."
            )

        return update

    return build


def gradient_on_surface(
    X,
    Y,
    loss: str = "half_sse",
    w_range=(-3.0, 4.0),
    b_range=(-3.0, 3.0),
    activation: str = "sigmoid",
):
    """Explorable drawing: the gradient at one point of the error surface, and one step.

    Contours of the loss over (w, b), drawn to one scale; at the point set by
    ``update(w, b, lr)`` an arrow along +∇E (uphill, vermillion) and one along −∇E
    (downhill, green: towards the minimum's star), both of one drawn length (the size
    is in the title), and the point where one gradient-descent step with η lands.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    surface = error_surface(X, Y, loss, w_range, b_range, activation)
    arrow_len = 0.11 * (w_range[1] - w_range[0])

    def build(fig):
        ax = fig.add_subplot()
        draw_contours(ax, surface, levels=16)
        # one scale: the gradient crosses contours at right angles
        ax.set_aspect("equal")
        style = dict(arrowstyle="-|>", lw=2.4)
        up, down = (
            ax.annotate(
                "",
                (0, 0),
                xytext=(0, 0),
                annotation_clip=False,
                zorder=8,
                arrowprops={**style, "color": COLORS[role]},
            )
            for role in ("gradient", "target")
        )
        up.arrow_patch.set_clip_on(True)
        down.arrow_patch.set_clip_on(True)
        (step,) = ax.plot([], [], ":", color=COLORS["path"], lw=1.6, zorder=7)
        (landing,) = ax.plot([], [], "o", color=COLORS["path"], ms=9, zorder=9)
        (now,) = ax.plot([], [], "o", color=COLORS["loss"], ms=10, zorder=9)
        for color, marker, label in (
            (COLORS["loss"], "o", "(w, b) now"),
            (COLORS["path"], "o", "after one step"),
        ):
            ax.plot([], [], marker, color=color, ms=9, label=label)  # legend entries
        ax.plot([], [], color=COLORS["gradient"], lw=2.4, label="+∇E: uphill")
        ax.plot([], [], color=COLORS["target"], lw=2.4, label="−∇E: downhill")
        fig.legend(loc="outside right center")
        info = ax.set_title("", fontsize=11)
        live(up, down, step, landing, now, info)

        def update(w, b, lr):
            net = one_neuron(w, b, activation)
            E, grads, _ = net.loss_and_gradients(X, Y, loss)
            g = np.array([grads.dW[0].item(), grads.db[0].item()])
            size = float(np.hypot(*g))
            unit = g / size if size > 0 else np.zeros(2)
            up.xy, up.xyann = (w + arrow_len * unit[0], b + arrow_len * unit[1]), (w, b)
            down.xy, down.xyann = (
                (w - arrow_len * unit[0], b - arrow_len * unit[1]),
                (w, b),
            )
            w_new, b_new = w - lr * g[0], b - lr * g[1]
            E_new = one_neuron(w_new, b_new, activation).loss(X, Y, loss)
            now.set_data([w], [b])
            landing.set_data([w_new], [b_new])  # off the chart, the axes clip it
            step.set_data([w, w_new], [b, b_new])
            change = "falls" if E_new < E else "rises"
            verdict = "" if E_new < E else ": the step overshot"
            info.set_text(
                f"∇E = ({f(g[0], '.3g')}, {f(g[1], '.3g')}), size {f(size, '.3g')};  "
                f"one step: E {f(E, '.4g')} → {f(E_new, '.4g')}"
            )
            return (
                f"At (w, b) = ({f(w, '.3g')}, {f(b, '.3g')}) the gradient is "
                f"({f(g[0], '.3g')}, {f(g[1], '.3g')}); one step with η = {f(lr, '.3g')} "
                f"goes to ({f(w_new, '.3g')}, {f(b_new, '.3g')}), and E {change} from "
                f"{f(E, '.4g')} to {f(E_new, '.4g')}{verdict}."
            )

        return update

    return build
