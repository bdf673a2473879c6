"""Loss functions L(ŷ, y): value, gradient ∂L/∂ŷ, and the same loss in SymPy.

Shapes: ``y_hat`` and ``y`` are both (n_samples, n_outputs). The squared-error
losses of the seeds *sum* over every sample and output (that is how the seeds
write them); the mean-based losses divide by the number of samples (MSE by the
number of entries), as PyTorch does by default.

``softmax_ce`` takes the network's raw outputs (logits) and one-hot targets, so
a network trained with it uses the identity activation on its last layer.

``output`` is not a measure of error: L = Σŷ ignores the target, so its gradient
is the sensitivity of the prediction itself, ∂ŷ/∂θ (the forward-pass chapter uses it).

The SymPy forms import SymPy only when they are called (``book_utils.symbolic``
calls them), so the numeric engine loads with NumPy alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

PROB_EPS = 1e-12  # binary cross-entropy clips p to [ε, 1−ε] so log(0) never happens


@dataclass(frozen=True)
class Loss:
    """One loss: ``value(ŷ, y)`` → float, ``gradient(ŷ, y)`` → ∂L/∂ŷ (same shape as ŷ),
    ``symbolic(Ŷ, Y)`` → SymPy expression for sympy Matrices of the same shape."""

    name: str
    formula: str  # LaTeX, as the chapters print it
    value: Callable[[np.ndarray, np.ndarray], float]
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]
    symbolic: Callable  # (Ŷ, Y) as SymPy matrices → a SymPy expression
    symbol: str = "L"  # what the page calls it: E (½ squared error), L, or ŷ itself
    title: str = ""  # its name in the prose ("squared error", "cross-entropy", …)


def _check(y_hat, y):
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    if y_hat.shape != y.shape:
        raise ValueError(
            f"prediction and target shapes differ: y_hat {y_hat.shape} vs y {y.shape}"
        )
    if y_hat.size == 0:
        raise ValueError("empty data: the prediction and target have no entries")
    return y_hat, y


def _rows(y_hat):
    return y_hat.shape[0] if y_hat.ndim > 1 else 1


def _half_sse(y_hat, y):
    return 0.5 * float(np.sum((y_hat - y) ** 2))


def _sse(y_hat, y):
    return float(np.sum((y_hat - y) ** 2))


def _mse(y_hat, y):
    return float(np.mean((y_hat - y) ** 2))


def _bce(p, y):
    p = _clipped(p)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)) / _rows(p)) + 0.0


def _clipped(p):
    # np.clip's result, bit for bit, without its overhead (this runs every step)
    return np.minimum(np.maximum(p, PROB_EPS), 1 - PROB_EPS)


def _bce_grad(p, y):
    p = _clipped(p)
    return (p - y) / (p * (1 - p)) / _rows(p)


def _log_softmax(z):
    z = np.atleast_2d(z)
    # largest logit becomes 0: exp never overflows
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for logits of any size. (n, k) → (n, k)."""
    return np.exp(_log_softmax(z))


def _softmax_ce(z, y):
    # + 0.0 turns −0.0 into 0.0
    return float(-np.sum(y * _log_softmax(z)) / _rows(z)) + 0.0


def _softmax_ce_grad(z, y):
    return (softmax(z).reshape(z.shape) - y) / _rows(z)


def _sym_rows(m) -> int:
    return m.shape[0]


def _sympy():
    # deferred on purpose: SymPy takes half a second to import, and only the
    # symbolic forms below need it
    import sympy

    return sympy


LOSSES: dict[str, Loss] = {
    "half_sse": Loss(
        "half_sse",
        r"E = \tfrac12 \sum (\hat y - y)^2",
        _half_sse,
        lambda y_hat, y: y_hat - y,
        lambda Yh, Y: (
            _sympy().Rational(1, 2) * sum((a - b) ** 2 for a, b in zip(Yh, Y))
        ),
        "E",
        "E = ½ Σ(ŷ − y)²",
    ),
    "sse": Loss(
        "sse",
        r"L = \sum (\hat y - y)^2",
        _sse,
        lambda y_hat, y: 2 * (y_hat - y),
        lambda Yh, Y: sum((a - b) ** 2 for a, b in zip(Yh, Y)),
        "L",
        "squared error Σ(ŷ − y)²",
    ),
    "mse": Loss(
        "mse",
        r"L = \frac{1}{N} \sum (\hat y - y)^2",
        _mse,
        lambda y_hat, y: 2 * (y_hat - y) / y_hat.size,
        lambda Yh, Y: sum((a - b) ** 2 for a, b in zip(Yh, Y)) / len(Yh),
        "L",
        "mean squared error",
    ),
    "binary_ce": Loss(
        "binary_ce",
        r"L = -\frac{1}{N} \sum \left[y \log \hat y + (1-y)\log(1-\hat y)\right]",
        _bce,
        _bce_grad,
        lambda P, Y: (
            -sum(
                y * _sympy().log(p) + (1 - y) * _sympy().log(1 - p)
                for p, y in zip(P, Y)
            )
            / _sym_rows(P)
        ),
        "L",
        "binary cross-entropy",
    ),
    "softmax_ce": Loss(
        "softmax_ce",
        r"L = -\frac{1}{N} \sum_i \sum_c y_{ic} \log \operatorname{softmax}(z_i)_c",
        _softmax_ce,
        _softmax_ce_grad,
        lambda Z, Y: (
            -sum(
                Y[i, k]
                * (
                    Z[i, k]
                    - _sympy().log(
                        sum(_sympy().exp(Z[i, j]) for j in range(Z.shape[1]))
                    )
                )
                for i in range(Z.shape[0])
                for k in range(Z.shape[1])
            )
            / _sym_rows(Z)
        ),
        "L",
        "softmax cross-entropy",
    ),
    # not an error measure: L = Σŷ, so ∂L/∂θ is how the prediction itself moves with θ
    "output": Loss(
        "output",
        r"L = \sum \hat y",
        lambda y_hat, y: float(np.sum(y_hat)),
        lambda y_hat, y: np.ones_like(y_hat),
        lambda Yh, Y: sum(Yh),
        "ŷ",
        "the prediction ŷ itself",
    ),
}


def get_loss(name: str | Loss) -> Loss:
    """Look a loss up by name; a ValueError lists the valid names."""
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown loss {name!r}; valid names are: {', '.join(LOSSES)}"
        ) from None


def loss_value(name: str, y_hat, y) -> float:
    """L(ŷ, y) for the named loss, after checking the shapes agree."""
    y_hat, y = _check(y_hat, y)
    return get_loss(name).value(y_hat, y)


def loss_gradient(name: str, y_hat, y) -> np.ndarray:
    """∂L/∂ŷ for the named loss (∂L/∂logits for softmax_ce); same shape as ŷ."""
    y_hat, y = _check(y_hat, y)
    return get_loss(name).gradient(y_hat, y)
