"""The book's running examples, defined once so every chapter uses the same numbers.

* ``seed_network()`` — seed 003's network: 3 inputs, two hidden layers (3 and 2
  neurons), 1 output, sigmoid everywhere, with hand-picked weights a reader can
  follow (the 3-3-2-1 network, 23 parameters). ``SEED_X`` is its input and
  ``SEED_Y`` its target.
* ``seed_neuron()`` — seed 002's neuron ŷ = w·x with w = 2, seen on x = 5 with
  target y = 12 and loss L = (y − w·x)² (the engine's squared error "sse"):
  L = 4 and dL/dw = −20.
* ``plane(name)`` — the 2-D classification sets of the later chapters (XOR, two
  moons, three spirals), standardised, with the loss and network that fit them;
  ``separation_run`` and ``memorising_run`` are the training runs of Chapter 6;
  ``step_gradients`` says how large each layer's gradient was at every step of a
  ``separation_run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from . import datasets
from .network import Network
from .optimizers import SGD
from .training import train

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


# ----- the plane: 2-D classification problems (Epochs, Activations) ----------------------
PLANE_SETS = ("XOR", "moons", "spirals")


@dataclass(frozen=True)
class Classification:
    """A labelled data set in the plane and what a network needs to learn it.

    ``X`` (N, 2) is standardised (each column mean 0, spread 1); ``Y`` is (N, 1)
    0/1 labels for two classes, or (N, K) one-hot rows for K classes. Two classes
    get one sigmoid output and the binary cross-entropy; more get K scores and the
    softmax cross-entropy.
    """

    name: str
    X: np.ndarray
    Y: np.ndarray

    @property
    def classes(self) -> int:
        return max(2, self.Y.shape[1])

    @property
    def loss(self) -> str:
        return "binary_ce" if self.Y.shape[1] == 1 else "softmax_ce"

    def network(self, width: int = 8, seed: int = 2, hidden: str = "tanh") -> Network:
        """2 → width → outputs, Glorot-scaled random weights from a seeded generator."""
        out = "sigmoid" if self.Y.shape[1] == 1 else "identity"
        sizes = [2, int(width), self.Y.shape[1]]
        return Network.random(sizes, [hidden, out], seed=seed, init="glorot")


def plane(name: str, n: int | None = None, seed: int = 0) -> Classification:
    """One of ``PLANE_SETS``: "XOR" (a noisy cloud around the four corners), "moons"
    (two interleaved half circles) or "spirals" (three arms), standardised."""
    makers = {
        "XOR": lambda: datasets.xor(n or 120, noise=0.18, seed=seed),
        "moons": lambda: datasets.moons(n or 120, noise=0.15, seed=seed),
        "spirals": lambda: datasets.spirals(n or 150, classes=3, noise=0.12, seed=seed),
    }
    if name not in makers:
        raise ValueError(
            f"unknown data set {name!r}; valid names are: {', '.join(makers)}"
        )
    X, Y = makers[name]()
    return Classification(name, datasets.standardize(X), Y)


class LargestGradients(SGD):
    """Plain gradient descent (SGD's step, unchanged bit for bit) that also notes,
    before every step, the largest |entry| of each layer's gradient, its weights'
    and its bias's together. ``largest`` is (steps, layers)."""

    def __init__(self, lr: float, layers: int) -> None:
        super().__init__(lr)
        self.layers, self.rows = layers, []

    def step(self, params, grads) -> None:
        # train hands the gradients over in the network's order: W1, b1, W2, b2, …
        pairs = zip(grads[0::2], grads[1::2])
        self.rows.append([max(np.abs(dW).max(), np.abs(db).max()) for dW, db in pairs])
        super().step(params, grads)

    @property
    def largest(self) -> np.ndarray:
        return np.array(self.rows, dtype=float).reshape(-1, self.layers)


def _separation_training(name, width, epochs, batch_size, optimizer_for):
    """``plane(name)`` trained by ``optimizer_for(net)``, every epoch kept:
    ((network, History, X, Y), the optimiser)."""
    task = plane(name)
    net = task.network(width=int(width))
    optimizer = optimizer_for(net)
    run = train(
        net,
        task.X,
        task.Y,
        task.loss,
        epochs=epochs,
        batch_size=batch_size,
        record_epochs=True,
        optimizer=optimizer,
    )
    return (net, run, task.X, task.Y), optimizer


@cache
def separation_run(
    name: str, lr: float = 1.0, width: int = 8, epochs: int = 150, batch_size: int = 30
):
    """Chapter 6's run: ``plane(name)`` learned by its network with mini-batch SGD,
    every epoch kept. Returns (network, History, X, Y), as an epoch scrubber wants
    it (``plots.boundary_and_loss``); cached, so each setting trains once."""

    def sgd(net):
        return SGD(float(lr))

    return _separation_training(name, width, epochs, batch_size, sgd)[0]


@cache
def step_gradients(
    name: str, lr: float = 1.0, width: int = 8, epochs: int = 150, batch_size: int = 30
) -> np.ndarray:
    """The largest |entry| of each layer's gradient at every step of
    ``separation_run`` with these settings: (steps, layers), layer 1 first.
    The run is trained again with the gradients noted (it takes the same steps:
    noting them changes none), so the runs a slider asks for stay fast."""

    def noting(net):
        return LargestGradients(float(lr), net.n_layers)

    _, steps = _separation_training(name, width, epochs, batch_size, noting)
    return steps.largest


def few_moons(n_train: int = 40, n_validation: int = 400, noise: float = 0.3):
    """Few noisy moon points to train on, many more to validate with, both scaled by
    the training set's mean and spread: ((X, Y), (X_val, Y_val))."""
    X, Y = datasets.moons(n_train, noise=noise, seed=1)
    X_val, Y_val = datasets.moons(n_validation, noise=noise, seed=2)
    standardize = datasets.standardize
    return (standardize(X), Y), (standardize(X_val, like=X), Y_val)


@cache
def memorising_run(width: int, epochs: int = 1000, lr: float = 1.0):
    """Chapter 6's overfitting run: a 2-width-1 tanh network trained full batch on
    ``few_moons()``, its validation loss kept every epoch. Returns (network,
    History, X, Y) of the training set; cached."""
    (X, Y), validation = few_moons()
    net = Network.random([2, int(width), 1], ["tanh", "sigmoid"], seed=1, init="glorot")
    run = train(
        net,
        X,
        Y,
        "binary_ce",
        lr=lr,
        epochs=epochs,
        record_epochs=True,
        validation=validation,
    )
    return net, run, X, Y
