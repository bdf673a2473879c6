"""Valleys that optimisers race down: Chapter 5's, exactly, and bowls of any narrowness.

The mean squared error of one linear neuron ŷ = w·x + b is exactly a quadratic
bowl over (w, b): L(θ) = L_min + ½ (θ − θ*)ᵀ H (θ − θ*), with the curvature
matrix H = 2 [[mean x², mean x], [mean x, 1]]. Along H's two axes the slope
changes at the rates q_flat and q_steep (its eigenvalues); their ratio
κ = q_steep / q_flat, the *condition number*, says how narrow the valley is.

* ``Bowl``: such a valley, made from its two curvatures and the direction of its
  floor, with its loss and gradient; ``Bowl.of_line(X, Y)`` is Chapter 5's valley.
* ``roll(bowl, optimizer, start, steps)``: the path an optimiser (``optimizers.SGD``,
  ``Adam``) takes down a bowl, stopped and reported if it diverges.
* ``race(net, X, Y, loss, optimizer, steps)``: the same on a network, each step a
  full-batch step of ``training.train`` (backprop's gradient), as a ``Path``.
* ``steps_to(path, centre, share)``: the step from which the path stays within
  ``share`` of its starting distance from the minimum (None if it never settles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .network import Network
from .optimizers import Optimizer
from .training import EXPLODE_FACTOR


@dataclass(frozen=True)
class Bowl:
    """L(θ) = floor + ½ (θ − centre)ᵀ H (θ − centre) over two parameters θ = (θ₁, θ₂).

    H has curvature ``q_flat`` along the unit direction at ``angle`` (radians, from
    the θ₁ axis) and ``q_steep`` across it. ``angle = 0`` puts the floor along θ₁:
    the axes of the parameters are the axes of the valley.
    """

    q_flat: float
    q_steep: float
    angle: float = 0.0
    centre: tuple[float, float] = (0.0, 0.0)
    floor: float = 0.0

    def __post_init__(self):
        if not (0 < self.q_flat <= self.q_steep and math.isfinite(self.q_steep)):
            raise ValueError(
                f"a bowl needs 0 < q_flat ≤ q_steep, got {self.q_flat}, {self.q_steep}"
            )

    @classmethod
    def of_line(cls, X, Y) -> Bowl:
        """Chapter 5's valley: the MSE of ŷ = w·x + b on the points (X, Y), exactly.

        H = 2 [[mean x², mean x], [mean x, 1]] (the MSE's second derivatives); the
        centre is the least-squares line, the floor its loss.
        """
        x = np.asarray(X, dtype=float).ravel()
        y = np.asarray(Y, dtype=float).ravel()
        H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
        (q_flat, q_steep), axes = np.linalg.eigh(H)  # curvatures, smallest first
        flat = axes[:, 0] * np.sign(axes[0, 0] or 1.0)  # the floor, pointing to +w
        A = np.column_stack([x, np.ones_like(x)])
        centre, *_ = np.linalg.lstsq(A, y, rcond=None)
        floor = float(np.mean((A @ centre - y) ** 2))
        angle = float(np.arctan2(flat[1], flat[0]))
        return cls(float(q_flat), float(q_steep), angle, tuple(centre), floor)

    @property
    def kappa(self) -> float:
        """The condition number q_steep / q_flat: how much steeper across than along."""
        return self.q_steep / self.q_flat

    @property
    def axes(self) -> np.ndarray:
        """(2, 2): row 0 the floor's direction (flat), row 1 across it (steep)."""
        c, s = math.cos(self.angle), math.sin(self.angle)
        return np.array([[c, s], [-s, c]])

    @cached_property
    def hessian(self) -> np.ndarray:
        """H = Σ q uuᵀ over the two axes u: the curvature matrix (made once)."""
        flat, steep = self.axes
        return self.q_flat * np.outer(flat, flat) + self.q_steep * np.outer(
            steep, steep
        )

    def loss(self, theta) -> np.ndarray:
        """L at θ: (…, 2) → (…) (any number of points at once)."""
        d = np.asarray(theta, dtype=float) - np.asarray(self.centre)
        return self.floor + 0.5 * np.einsum("...i,ij,...j->...", d, self.hessian, d)

    def gradient(self, theta) -> np.ndarray:
        """∇L = H (θ − centre): (2,) → (2,)."""
        return self.hessian @ (np.asarray(theta, dtype=float) - np.asarray(self.centre))

    def distances(self, theta) -> tuple[float, float]:
        """(d_flat, d_steep): θ's signed distance from the centre along the floor
        and across it."""
        d = self.axes @ (np.asarray(theta, dtype=float) - np.asarray(self.centre))
        return float(d[0]), float(d[1])

    def at(self, d_flat: float, d_steep: float) -> np.ndarray:
        """The point d_flat along the floor and d_steep across it from the centre."""
        d = np.array([d_flat, d_steep], dtype=float)
        return np.asarray(self.centre) + self.axes.T @ d

    def level_curve(self, excess: float, n: int = 181) -> np.ndarray:
        """(n, 2): the closed contour where L − floor = ``excess``, an ellipse with
        half-axes √(2·excess/q) along the floor and across it."""
        t = np.linspace(0, 2 * np.pi, n)
        along = np.sqrt(2 * excess / self.q_flat) * np.cos(t)
        across = np.sqrt(2 * excess / self.q_steep) * np.sin(t)
        return np.asarray(self.centre) + np.column_stack([along, across]) @ self.axes

    def grid(self, range1, range2, n: int = 121):
        """(θ₁ values, θ₂ values, L on the grid): ``values[i, j]`` at (θ₁[j], θ₂[i])."""
        t1, t2 = np.linspace(*range1, n), np.linspace(*range2, n)
        points = np.stack(np.meshgrid(t1, t2), axis=-1)
        return t1, t2, self.loss(points)


@dataclass
class Path:
    """Where an optimiser went: ``points[k]`` and ``losses[k]`` after step k (0 = the
    start), all finite; ``diverged_at`` is the step at which the loss blew up, if it
    did (the path stops just before it)."""

    points: np.ndarray
    losses: np.ndarray
    diverged_at: int | None = None

    @property
    def steps(self) -> int:
        return len(self.losses) - 1


def roll(bowl: Bowl, optimizer: Optimizer, start, steps: int) -> Path:
    """``steps`` steps of ``optimizer`` down ``bowl`` from ``start`` (the optimiser is
    reset first). Stops when the loss passes EXPLODE_FACTOR times its start, as
    ``training.train`` does."""
    optimizer.reset()
    theta = np.array(start, dtype=float)
    H, centre, floor = bowl.hessian, np.asarray(bowl.centre, dtype=float), bowl.floor
    points, losses = [theta.copy()], [float(bowl.loss(theta))]
    limit = EXPLODE_FACTOR * max(losses[0], 1.0)
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            optimizer.step([theta], [H @ (theta - centre)])  # ∇L = H (θ − centre)
            d = theta - centre
            value = floor + 0.5 * float(d @ H @ d)
            if not (np.isfinite(value) and value <= limit):
                return Path(np.array(points), np.array(losses), k)
            points.append(theta.copy())
            losses.append(value)
    return Path(np.array(points), np.array(losses))


def race(net: Network, X, Y, loss: str, optimizer: Optimizer, steps: int) -> Path:
    """``steps`` full-batch steps of ``optimizer`` on a copy of ``net``, each from
    backprop's gradient: ``training.train(…, epochs=steps)``'s path, with one
    forward pass per step instead of two (the loss comes with the gradient).
    Stops, as ``train`` does, when the loss passes EXPLODE_FACTOR times its start."""
    optimizer.reset()
    net = net.copy()
    X, params = net._inputs(X), net.arrays()
    with np.errstate(all="ignore"):
        value, grads, _ = net.loss_and_gradients(X, Y, loss)
        points, losses = [net.get_flat()], [float(value)]
        limit = EXPLODE_FACTOR * max(losses[0], 1.0)
        for k in range(1, steps + 1):
            optimizer.step(params, grads.arrays())  # θ ← the optimiser's step
            value, grads, _ = net.loss_and_gradients(X, Y, loss)
            theta = net.get_flat()
            if not (np.isfinite(value) and value <= limit and np.isfinite(theta).all()):
                return Path(np.array(points), np.array(losses), k)
            points.append(theta)
            losses.append(float(value))
    return Path(np.array(points), np.array(losses))


def distances(path: Path, centre) -> np.ndarray:
    """‖θ_k − centre‖ / ‖θ_0 − centre‖ for every step k: how far from the minimum,
    as a share of the start's distance."""
    gaps = np.linalg.norm(path.points - np.asarray(centre, dtype=float), axis=1)
    return gaps / gaps[0]


def steps_to(path: Path, centre, share: float = 0.01) -> int | None:
    """The first step k whose distance from ``centre`` is at most ``share`` of the
    start's (and stays so: a path that swings out again has not arrived), or None."""
    near = distances(path, centre) <= share
    if not near[-1]:
        return None
    away = np.flatnonzero(~near)
    return int(away[-1] + 1) if away.size else 0
