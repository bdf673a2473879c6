"""Drawings over two parameters: the error surface of one neuron over (w, b)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..prose import fmt_number as f
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
    """Evaluate the loss over an n × n grid (once: it does not depend on any slider)."""
    from ..losses import get_loss

    lf = get_loss(loss)
    ws, bs = np.linspace(*w_range, n), np.linspace(*b_range, n)
    values = np.array(
        [[lf.value(one_neuron(w, b, activation).predict(X), Y) for w in ws] for b in bs]
    )
    return Surface(ws, bs, values)


def draw_contours(ax, surface: Surface, levels: int = 14):
    """Contour lines of ``surface`` on ``ax``, denser near the minimum, and a star on it."""
    qs = np.quantile(surface.values, np.linspace(0.0, 0.97, levels) ** 2)
    ax.contour(
        surface.ws, surface.bs, surface.values, levels=np.unique(qs),
        colors=COLORS["neutral"], linewidths=0.7, alpha=0.7,
    )  # fmt: skip
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
    full-batch steps and draws the path on the contours (left) and the loss after
    each step (right). A run that diverges is drawn up to its last finite step,
    with "diverged at step k".
    """
    from ..training import train

    X = np.asarray(X, dtype=float).reshape(-1, 1)
    Y = np.asarray(Y, dtype=float).reshape(-1, 1)
    surface = error_surface(X, Y, loss, w_range, b_range, activation)

    def build(fig):
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.25, 1])
        draw_contours(ax, surface)
        ax.set_title("descent on the error surface")
        (path,) = ax.plot(
            [], [], "o-", color=COLORS["path"], ms=4, lw=1.2, label="path"
        )
        (start,) = ax.plot([], [], "o", color=COLORS["step"], ms=9, label="start")
        ax.legend(loc="upper right")
        (curve,) = ax_loss.semilogy([], [], color=COLORS["loss"])
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("error (log scale)")
        ax_loss.set_title("error after each step")
        lo, hi = float(surface.values.min()), float(surface.values.max())
        ax_loss.set_ylim(max(lo * 0.5, 1e-3), hi * 10)
        warn = message(ax_loss, "")
        live(path, start, curve, warn)

        def update(lr, w0, b0):
            net = one_neuron(w0, b0, activation)
            history = train(net, X, Y, loss, lr=lr, epochs=epochs, record_params=True)
            p = np.array(history.params)
            start.set_data([w0], [b0])
            inside = (
                (p[:, 0] >= w_range[0]) & (p[:, 0] <= w_range[1])
                & (p[:, 1] >= b_range[0]) & (p[:, 1] <= b_range[1])
            )  # fmt: skip
            cut = len(p) if inside.all() else int(np.argmin(inside))  # stop at the edge
            path.set_data(p[:cut, 0], p[:cut, 1])
            losses = np.array(history.losses)
            curve.set_data(np.arange(len(losses)), np.maximum(losses, 1e-12))
            start_at = f"From (w, b) = ({f(w0, '.3g')}, {f(b0, '.3g')}) with η = {f(lr, '.3g')}"
            if history.diverged:
                warn.set_text(
                    f"η = {f(lr, '.3g')} is too large:\ndiverged at step {history.diverged_at}"
                )
                warn.set_visible(True)
                return f"{start_at} the run diverges at step {history.diverged_at}."
            warn.set_visible(False)
            w_end, b_end = p[-1]
            return (
                f"{start_at}, {epochs} steps end at (w, b) = ({f(w_end, '.3g')}, "
                f"{f(b_end, '.3g')}); the error falls from {f(losses[0], '.3g')} to "
                f"{f(losses[-1], '.3g')}."
            )

        return update

    return build
