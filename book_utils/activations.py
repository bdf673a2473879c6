"""Activation functions σ: value, derivative σ'(z), and the same function in SymPy.

Every activation is a small record so the network, the gradient checker and the
symbolic engine all read the *same* definition: if a derivative were wrong here,
the three-way check in every chapter would catch it. The SymPy forms import SymPy
only when they are called, so the numeric engine loads with NumPy alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01  # the slope of leaky ReLU for z < 0


def _sympy():
    # deferred on purpose: SymPy takes half a second to import, and only the
    # symbolic forms below need it (book_utils.symbolic calls them)
    import sympy

    return sympy


@dataclass(frozen=True)
class Activation:
    """One activation: ``value(z)``, ``derivative(z)`` = σ'(z), ``symbolic(z)`` in SymPy.

    ``from_output(a)`` gives σ'(z) from the output a = σ(z) where that is cheaper
    (σ' = σ(1 − σ) for the sigmoid, 1 − tanh² for tanh): the forward pass has
    already computed a, so backprop need not evaluate σ again. ``kink`` is True when
    σ has a corner at z = 0 (ReLU-like), where finite differences are unreliable and
    the gradient checker flags rather than fails.
    """

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    symbolic: Callable  # a SymPy expression in → a SymPy expression out
    kink: bool = False
    from_output: Callable[[np.ndarray], np.ndarray] | None = None

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """σ'(z) for the pre-activation z whose activation is a = σ(z)."""
        return (
            self.from_output(a) if self.from_output is not None else self.derivative(z)
        )


def _sigmoid(z):
    # 1/(1+e^-z) written as ½(1 + tanh(z/2)): identical maths, never overflows.
    s = np.multiply(z, 0.5, dtype=float)
    np.tanh(s, out=s)  # in place: one array, four passes over it
    s *= 0.5
    s += 0.5
    return s


def _sigmoid_from_output(a):
    return a * (1.0 - a)  # σ'(z) = σ(z)(1 − σ(z))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1.0 - s)  # σ'(z) = σ(z)(1 − σ(z))


def _tanh_prime(z):
    return 1.0 - np.tanh(z) ** 2


def _tanh_from_output(a):
    return 1.0 - a * a  # tanh'(z) = 1 − tanh(z)²


def _relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def _relu_prime(z):
    return (np.asarray(z) > 0).astype(float)  # we take σ'(0) = 0


def _relu_from_output(a):
    return (a > 0).astype(float)  # a > 0 exactly when z > 0


def _leaky(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_prime(z):
    return np.where(np.asarray(z) > 0, 1.0, LEAKY_SLOPE)


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        "identity",
        lambda z: np.asarray(z, dtype=float),
        lambda z: np.ones_like(np.asarray(z, dtype=float)),
        lambda z: z,
    ),
    "sigmoid": Activation(
        "sigmoid",
        _sigmoid,
        _sigmoid_prime,
        lambda z: 1 / (1 + _sympy().exp(-z)),
        from_output=_sigmoid_from_output,
    ),
    "tanh": Activation(
        "tanh",
        np.tanh,
        _tanh_prime,
        lambda z: _sympy().tanh(z),
        from_output=_tanh_from_output,
    ),
    "relu": Activation(
        "relu",
        _relu,
        _relu_prime,
        lambda z: _sympy().Max(z, 0),
        kink=True,
        from_output=_relu_from_output,
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        _leaky,
        _leaky_prime,
        # LEAKY_SLOPE exactly; SymPy's dσ/dz comes out as Heaviside steps
        lambda z: _sympy().Max(z, _sympy().Rational(1, 100) * z),
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
