"""Finite-difference gradients and the book's verdict on a gradient.

Central differences: ∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / 2h, with h = 1e-6
in float64. The relative error is CS231n's |a − n| / max(1e-8, |a| + |n|).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

H = 1e-6  # step for central differences
GOOD = 1e-7  # relative error at or below this is "good"
SUSPECT = 1e-4  # above GOOD and up to this is "suspect"; beyond it, "wrong"
EPS = float(np.finfo(float).eps)  # 2.2e-16: the spacing of float64 numbers near 1


def difference(f: Callable[[float], float], x: float, h: float = H,
               method: str = "central") -> float:  # fmt: skip
    """The finite-difference estimate of f′(x), the definition of a derivative with h > 0.

    forward: (f(x + h) − f(x)) / h, off by about h·f″/2 (truncation) and ε|f|/h
    (round-off); central: (f(x + h) − f(x − h)) / 2h, off by about h²·f‴/6 and ε|f|/h.
    """
    h = float(h)
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"the step h must be a finite number > 0, got {h!r}")
    if method == "forward":
        return (f(x + h) - f(x)) / h
    if method == "central":
        return (f(x + h) - f(x - h)) / (2 * h)
    raise ValueError(f"unknown method {method!r}; valid names are: forward, central")


def step_size_sweep(f, derivative, xs, hs) -> dict[str, np.ndarray]:
    """How far each finite difference lands from the exact derivative, for every step h.

    f: x ↦ f(x) and derivative: x ↦ f′(x) (exact, e.g. from SymPy), at every point of
    ``xs``. Returns {"forward": errors, "central": errors}, one root-mean-square error
    over the points per h: the measured V of truncation against round-off.
    """
    exact = np.array([derivative(x) for x in xs])
    out = {}
    for method in ("forward", "central"):
        errs = [
            np.sqrt(
                np.mean(
                    [(difference(f, x, h, method) - d) ** 2 for x, d in zip(xs, exact)]
                )
            )
            for h in hs
        ]
        out[method] = np.array(errs)
    return out


def numerical_gradient(
    f: Callable[[], float], x: np.ndarray, h: float = H
) -> np.ndarray:
    """Central-difference gradient of ``f()`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x`` (e.g. a network's weight matrix);
    each entry of ``x`` is nudged in place and restored afterwards, even on error.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(
            "numerical_gradient needs a float64 numpy array to nudge in place"
        )
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = f()
            x[idx] = old - h
            f_minus = f()
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, n) -> np.ndarray:
    """|a − n| / max(1e-8, |a| + |n|), entry by entry."""
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    if a.shape != n.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {n.shape}")
    return np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))


def noise_floor(f_value: float, h: float = H) -> float:
    """An absolute difference this small is round-off, not a bug.

    Central differences lose about ε·|f|/h to rounding (ε ≈ 2.2e-16); we allow a
    generous 50× that, so a gradient that is truly ~0 is not called wrong.
    """
    return 50 * np.finfo(float).eps * max(1.0, abs(f_value)) / h


def verdict(
    rel_err: float, abs_err: float = np.inf, floor: float = 0.0, near_kink: bool = False
) -> str:
    """'good', 'suspect', 'wrong' — or 'near kink' (flagged, never failed)."""
    if near_kink:
        return "near kink"
    if rel_err <= GOOD or abs_err <= floor:
        return "good"
    if rel_err <= SUSPECT:
        return "suspect"
    return "wrong"


@dataclass
class CheckResult:
    """Analytic vs numeric gradient of one parameter array."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: np.ndarray
    floor: float
    near_kink: bool

    @property
    def max_rel_error(self) -> float:
        return float(self.rel_error.max()) if self.rel_error.size else 0.0

    @property
    def max_abs_error(self) -> float:
        return (
            float(np.abs(self.analytic - self.numeric).max())
            if self.analytic.size
            else 0.0
        )

    @property
    def verdict(self) -> str:
        return verdict(
            self.max_rel_error, self.max_abs_error, self.floor, self.near_kink
        )

    @property
    def passed(self) -> bool:
        return self.verdict in ("good", "near kink")


def check_gradient(
    f: Callable[[], float],
    x: np.ndarray,
    analytic,
    name: str = "θ",
    h: float = H,
    near_kink: bool = False,
) -> CheckResult:
    """Compare an analytic gradient of ``f()`` w.r.t. ``x`` with central differences."""
    analytic = np.asarray(analytic, dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(
            f"analytic gradient has shape {analytic.shape} but {name} has shape {x.shape}"
        )
    numeric = numerical_gradient(f, x, h)
    return CheckResult(
        name,
        analytic,
        numeric,
        relative_error(analytic, numeric),
        noise_floor(f(), h),
        near_kink,
    )


def near_kink(net, X, h: float = H) -> bool:
    """True if some pre-activation z of a ReLU-like layer is within reach of a nudge h.

    Nudging one parameter by h moves a z by roughly h·(1 + Σ|a_prev|), amplified by
    up to max|w| per layer on the way; we flag any z closer to 0 than 10× that bound.
    Such a point can straddle the corner, where finite differences mean nothing.
    """
    w_max = max(1.0, max(float(np.abs(W).max()) for W in net.weights))
    cache = net.forward(X)
    for l, act in enumerate(net.activations):
        if act.kink:
            reach = (
                10
                * h
                * (1 + np.abs(cache.activations[l]).sum(axis=1).max())
                * w_max**net.n_layers
            )
            if np.min(np.abs(cache.zs[l])) < reach:
                return True
    return False


def check_network(net, X, Y, loss: str = "half_sse", h: float = H) -> list[CheckResult]:
    """Backprop vs finite differences for every parameter array of ``net``."""
    _, grads, _ = net.loss_and_gradients(X, Y, loss)
    kink = near_kink(net, X, h)
    f = lambda: net.loss(X, Y, loss)  # noqa: E731
    return [
        check_gradient(f, p, grads.by_name()[name], name, h, kink)
        for name, p in net.params().items()
    ]


@dataclass
class GradientTimes:
    """Seconds, best of several runs: one forward pass; every gradient by backprop
    (a forward and a backward pass); every gradient by central differences (two
    forward passes per parameter)."""

    forward: float
    backprop: float
    finite_differences: float

    def in_forward_passes(self) -> tuple[float, float]:
        """(backprop, finite differences), each in units of one forward pass."""
        return self.backprop / self.forward, self.finite_differences / self.forward


def _best_time(fn, repeats: int) -> float:
    import time

    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def time_gradients(
    net, X, Y, loss: str = "half_sse", repeats: int = 5
) -> GradientTimes:
    """How long every gradient of ``net`` at (X, Y) takes, by backprop and by central
    differences, and how long one forward pass takes, timed the same way (best of
    ``repeats``). The finite differences nudge the network's own parameter arrays in
    place, so each costs exactly two forward passes and nothing else."""

    def finite_differences():
        for p in net.params().values():
            numerical_gradient(lambda: net.loss(X, Y, loss), p)

    return GradientTimes(
        forward=_best_time(lambda: net.loss(X, Y, loss), 5 * repeats),
        backprop=_best_time(lambda: net.loss_and_gradients(X, Y, loss), repeats),
        finite_differences=_best_time(finite_differences, max(1, repeats // 2)),
    )
