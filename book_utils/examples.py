"""The book's running examples, defined once so every chapter uses the same numbers.

* ``seed_network()`` — seed 003's network: 3 inputs, two hidden layers (3 and 2
  neurons), 1 output, sigmoid everywhere, with hand-picked weights a reader can
  follow (the 3-3-2-1 network, 23 parameters). ``SEED_X`` is its input and
  ``SEED_Y`` its target.
* ``seed_neuron()`` — seed 002's neuron ŷ = w·x with w = 2, seen on x = 5 with
  target y = 12 and loss L = (y − w·x)² (the engine's squared error "sse"):
  L = 4 and dL/dw = −20.
"""

from __future__ import annotations

import numpy as np

from .network import Network

SEED_W = [
    [[0.2, -0.4, 0.7], [0.5, 0.3, -0.6], [-0.3, 0.8, 0.1]],  # W(1): 3 × 3
    [[0.6, -0.5, 0.4], [-0.7, 0.2, 0.9]],  # W(2): 2 × 3
    [[1.2, -0.8]],  # W(3): 1 × 2
]
SEED_B = [[0.1, -0.2, 0.05], [0.0, 0.1], [0.2]]
SEED_X = np.array([[1.0, 0.5, -1.0]])  # one sample, as a row
SEED_Y = np.array([[1.0]])

NEURON_W, NEURON_X, NEURON_Y = 2.0, 5.0, 12.0
NEURON_LOSS = "sse"  # L = (ŷ − y)², the same as (y − w·x)²


def seed_network(activation: str = "sigmoid") -> Network:
    """A fresh copy of the 3-3-2-1 network (changing it never changes another chapter's)."""
    return Network(SEED_W, SEED_B, activation)


def seed_neuron(w: float = NEURON_W) -> Network:
    """Seed 002's neuron ŷ = w·x (no bias is trained: b = 0, identity activation)."""
    return Network([[w]], [[0.0]], "identity")
