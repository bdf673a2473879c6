"""Activation functions σ: value, derivative σ'(z), and the same function in SymPy.

Every activation is a small record so the network, the gradient checker and the
symbolic engine all read the *same* definition: if a derivative were wrong here,
the three-way check in every chapter would catch it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

LEAKY_SLOPE = 0.01  # the slope of leaky ReLU for z < 0


@dataclass(frozen=True)
class Activation:
    """One activation: ``value(z)``, ``derivative(z)`` = σ'(z), ``symbolic(z)`` in SymPy.

    ``kink`` is True when σ has a corner at z = 0 (ReLU-like), where finite
    differences are unreliable and the gradient checker flags rather than fails.
    """

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    symbolic: Callable[[sp.Expr], sp.Expr]
    kink: bool = False


def _sigmoid(z):
    # 1/(1+e^-z) written as ½(1 + tanh(z/2)): identical maths, never overflows.
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1.0 - s)  # σ'(z) = σ(z)(1 − σ(z))


def _tanh_prime(z):
    return 1.0 - np.tanh(z) ** 2


def _relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def _relu_prime(z):
    return (np.asarray(z) > 0).astype(float)  # we take σ'(0) = 0


def _leaky(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_prime(z):
    return np.where(np.asarray(z) > 0, 1.0, LEAKY_SLOPE)


_SLOPE = sp.Rational(1, 100)

ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        "identity",
        lambda z: np.asarray(z, dtype=float),
        lambda z: np.ones_like(np.asarray(z, dtype=float)),
        lambda z: z,
    ),
    "sigmoid": Activation(
        "sigmoid", _sigmoid, _sigmoid_prime, lambda z: 1 / (1 + sp.exp(-z))
    ),
    "tanh": Activation("tanh", np.tanh, _tanh_prime, sp.tanh),
    "relu": Activation("relu", _relu, _relu_prime, lambda z: sp.Max(z, 0), kink=True),
    "leaky_relu": Activation(
        "leaky_relu",
        _leaky,
        _leaky_prime,
        lambda z: sp.Max(z, _SLOPE * z),  # dσ/dz comes out as Heaviside steps
        kink=True,
    ),
}


def get_activation(name: str | Activation) -> Activation:
    """Look an activation up by name; a ValueError lists the valid names."""
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; valid names are: {', '.join(ACTIVATIONS)}"
        ) from None


def sigmoid(z):
    """σ(z) = 1/(1+e^−z), stable for any float z (no overflow at ±1000)."""
    return _sigmoid(z)


def relu(z):
    """max(0, z)."""
    return _relu(z)
