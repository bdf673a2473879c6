"""A fully connected network, written the way the book writes the maths.

Layer l (1 … D, D the network's depth) has a weight matrix ``W[l]`` of shape (n_l, n_{l-1}) — entry
``W[l][j, k]`` connects neuron k of layer l−1 to neuron j of layer l — a bias
``b[l]`` of shape (n_l,), and an activation σ. A batch is a matrix of rows, so

    Z(l) = A(l−1) W(l)ᵀ + b(l),     A(l) = σ(Z(l)).

In code the lists are 0-based: ``weights[0]`` is W(1). Parameters are also
reachable by name ("W1", "b1", "W2", …) and as one flat vector, which is what the
sliders and the gradient checker use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from .activations import Activation, get_activation
from .losses import _check, get_loss
from .notation import array_name, entry_name

# the spread s of N(0, s²) for a layer's weights, from its fan-in n_{l−1} and fan-out n_l
INITS = {
    "lecun": lambda fan_in, fan_out: 1 / np.sqrt(fan_in),
    "glorot": lambda fan_in, fan_out: np.sqrt(2 / (fan_in + fan_out)),
    "he": lambda fan_in, fan_out: np.sqrt(2 / fan_in),
}


@dataclass
class ForwardCache:
    """What the forward pass keeps for the backward pass (as Nielsen keeps zs, activations).

    ``zs[i]`` is Z(i+1), shape (n, n_{i+1}); ``activations[0]`` is the input X and
    ``activations[i]`` is A(i), so ``activations[-1]`` is the prediction Ŷ.
    """

    zs: list[np.ndarray]
    activations: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]


@dataclass
class Gradients:
    """The backward pass's results: δ(l) per layer, ∂L/∂W(l), ∂L/∂b(l)."""

    deltas: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]

    def flat(self) -> np.ndarray:
        """All gradients in the same order as ``Network.get_flat()``."""
        return np.concatenate([g.ravel() for g in self.arrays()])

    def by_name(self) -> dict[str, np.ndarray]:
        """{"W1": ∂L/∂W(1), "b1": ∂L/∂b(1), …}, named as ``Network.params()``."""
        return _by_layer(self.dW, self.db)

    def arrays(self) -> list[np.ndarray]:
        """[∂L/∂W(1), ∂L/∂b(1), ∂L/∂W(2), …]: the order of ``Network.arrays()``."""
        return [g for pair in zip(self.dW, self.db) for g in pair]


def _as_float_array(value, what: str) -> np.ndarray:
    arr = np.array(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} contains non-finite values (NaN or inf)")
    return arr


class Network:
    """A fully connected network with one activation per layer.

    Build it from explicit numbers (the chapters use hand-picked weights)::

        Network([W1, W2], [b1, b2], ["sigmoid", "identity"])

    or at random with ``Network.random(sizes, activations, seed)``.
    """

    def __init__(
        self,
        weights: Sequence,
        biases: Sequence,
        activations: Sequence[str] | str = "sigmoid",
    ) -> None:
        if len(weights) == 0:
            raise ValueError("a network needs at least one layer of weights")
        if len(weights) != len(biases):
            raise ValueError(
                f"got {len(weights)} weight matrices but {len(biases)} bias vectors"
            )
        self.weights = [
            np.atleast_2d(_as_float_array(w, f"W{i}")) for i, w in enumerate(weights, 1)
        ]
        self.biases = [
            np.atleast_1d(_as_float_array(b, f"b{i}")).ravel()
            for i, b in enumerate(biases, 1)
        ]
        for i in range(1, len(self.weights)):
            if self.weights[i].shape[1] != self.weights[i - 1].shape[0]:
                raise ValueError(
                    f"W{i + 1} has shape {self.weights[i].shape} but layer {i} has "
                    f"{self.weights[i - 1].shape[0]} neurons, so W{i + 1} needs "
                    f"{self.weights[i - 1].shape[0]} columns"
                )
        for i, (w, b) in enumerate(zip(self.weights, self.biases), 1):
            if b.shape != (w.shape[0],):
                raise ValueError(
                    f"b{i} has shape {b.shape} but W{i} has shape {w.shape}: "
                    f"b{i} needs shape ({w.shape[0]},)"
                )
        if isinstance(activations, (str, Activation)):
            activations = [activations] * len(self.weights)
        if len(activations) != len(self.weights):
            raise ValueError(
                f"got {len(activations)} activations for {len(self.weights)} layers"
            )
        self.activations: list[Activation] = [get_activation(a) for a in activations]

    # ----- construction -------------------------------------------------------------
    @classmethod
    def random(
        cls,
        sizes: Sequence[int],
        activations: Sequence[str] | str = "sigmoid",
        seed: int | np.random.Generator = 0,
        scale: float | None = None,
        init: str = "lecun",
    ) -> Network:
        """Random weights from a seeded Generator; biases start at 0.

        sizes: [n_0, n_1, …, n_D], the number of neurons in every layer, inputs first.
        Each weight of layer l is drawn from N(0, s²) with s set by ``init``:
        "lecun" s = 1/√n_{l−1} (the default: sigmoid neurons start away from saturation),
        "glorot" s = √(2/(n_{l−1} + n_l)) (Glorot & Bengio 2010, for sigmoid and tanh),
        "he" s = √(2/n_{l−1}) (He et al. 2015, for ReLU, which zeroes half its inputs);
        n_{l−1} and n_l are the layer's fan-in and fan-out.
        A number ``scale`` overrides them all: s = scale in every layer.
        """
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2:
            raise ValueError(
                f"sizes needs at least an input and an output size, got {sizes}"
            )
        if any(s < 1 for s in sizes):
            raise ValueError(
                f"every layer needs at least one neuron, got sizes {sizes}"
            )
        spread = INITS.get(init)
        if spread is None:
            raise ValueError(
                f"unknown init {init!r}; valid names are: {', '.join(INITS)}"
            )
        if scale is not None and not (np.isfinite(scale) and scale >= 0):
            raise ValueError(f"scale must be a finite number ≥ 0, got {scale!r}")
        rng = np.random.default_rng(seed)  # a Generator comes back unchanged
        weights = [
            rng.normal(
                0.0,
                scale if scale is not None else spread(fan_in, fan_out),
                (fan_out, fan_in),
            )
            for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
        ]
        biases = [np.zeros(n) for n in sizes[1:]]
        return cls(weights, biases, activations)

    def copy(self) -> Network:
        return Network(
            [w.copy() for w in self.weights],
            [b.copy() for b in self.biases],
            self.activations,
        )

    # ----- shape facts --------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    @property
    def n_layers(self) -> int:
        return len(self.weights)

    @property
    def activation_names(self) -> list[str]:
        return [a.name for a in self.activations]

    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X.reshape(1, -1)  # a single sample written as a vector
        if X.size == 0:
            raise ValueError("empty data: X has no samples")
        n_0 = self.weights[0].shape[1]  # the input size
        if X.ndim != 2 or X.shape[1] != n_0:
            raise ValueError(
                f"X has shape {X.shape} but the network expects (n_samples, {n_0})"
            )
        return X

    # ----- forward and backward -----------------------------------------------------
    def forward(self, X) -> ForwardCache:
        """X: (n, n_0) → cache with every Z(l) and A(l); the prediction is ``cache.output``."""
        a = self._inputs(X)
        zs, activations = [], [a]
        for W, b, act in zip(self.weights, self.biases, self.activations):
            z = a @ W.T  # z = W a + b, for every row at once
            z += b
            a = act.value(z)  # a = σ(z)
            zs.append(z)
            activations.append(a)
        return ForwardCache(zs, activations)

    def predict(self, X) -> np.ndarray:
        """X: (n, n_0) → Ŷ: (n, n_D)."""
        return self.forward(X).output

    def backward(self, cache: ForwardCache, dloss: np.ndarray) -> Gradients:
        """Backpropagate dloss = ∂loss/∂Ŷ: returns δ, ∂loss/∂W, ∂loss/∂b.

        One loop, one line per equation, from the output layer D down to
        layer 1. Layers count as in the book, 1 … D; Python lists start at 0,
        so layer l sits at index l − 1, and acts[l] is a(l). With a batch, δ(l)
        has a row per sample, and δ(l)ᵀ a(l−1) adds up the samples.
        """
        zs, acts = cache.zs, cache.activations  # acts[0] is the input x = a(0)
        D = self.n_layers  # the depth: the output layer is layer D
        deltas, dW, db = [None] * D, [None] * D, [None] * D
        # δ(D) = ∂loss/∂a(D) ⊙ σ′(z(D))
        delta = dloss * self.activations[D - 1].slope(zs[D - 1], acts[D])
        for l in range(D, 0, -1):
            deltas[l - 1] = delta
            dW[l - 1] = delta.T @ acts[l - 1]  # ∂loss/∂W(l) = δ(l) a(l−1)ᵀ
            db[l - 1] = delta.sum(axis=0)  # ∂loss/∂b(l) = δ(l)
            if l > 1:  # δ(l−1) = (W(l)ᵀ δ(l)) ⊙ σ′(z(l−1))
                delta = delta @ self.weights[l - 1]
                delta *= self.activations[l - 2].slope(zs[l - 2], acts[l - 1])
        return Gradients(deltas, dW, db)

    def loss(self, X, Y, loss: str = "half_sse") -> float:
        """L(Ŷ(X), Y) for the named loss."""
        y_hat = self.predict(X)
        y_hat, Y = _check(y_hat, _targets(Y, y_hat))
        return get_loss(loss).value(y_hat, Y)

    def loss_and_gradients(
        self, X, Y, loss: str = "half_sse"
    ) -> tuple[float, Gradients, ForwardCache]:
        """Forward, loss, backward in one call: (L, gradients, forward cache)."""
        lf = get_loss(loss)
        cache = self.forward(X)
        y_hat, Y = _check(cache.output, _targets(Y, cache.output))
        return lf.value(y_hat, Y), self.backward(cache, lf.gradient(y_hat, Y)), cache

    # ----- parameters by name and as one vector -------------------------------------
    @property
    def param_names(self) -> list[str]:
        return list(self.params())

    def params(self) -> dict[str, np.ndarray]:
        """{"W1": W(1), "b1": b(1), …} — the arrays themselves, not copies."""
        return _by_layer(self.weights, self.biases)

    def arrays(self) -> list[np.ndarray]:
        """[W(1), b(1), W(2), b(2), …]: the arrays themselves, as an optimiser takes
        them (the order of ``Gradients.arrays()`` and of the flat vector)."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def get_param(self, name: str) -> np.ndarray:
        try:
            return self.params()[name]
        except KeyError:
            raise ValueError(
                f"unknown parameter {name!r}; this network has {', '.join(self.param_names)}"
            ) from None

    def set_param(self, name: str, value) -> None:
        """Overwrite one parameter array in place; its shape must not change."""
        target = self.get_param(name)
        value = _as_float_array(value, name)
        if value.shape != target.shape:
            raise ValueError(f"{name} needs shape {target.shape}, got {value.shape}")
        target[...] = value

    @property
    def n_params(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def flat_names(self) -> list[str]:
        """Names of each entry of the flat vector, e.g. "W1[0,2]", "b1[0]"."""
        return [
            entry_name(name, idx)
            for name, arr in self.params().items()
            for idx in np.ndindex(arr.shape)
        ]

    def get_flat(self) -> np.ndarray:
        """Every parameter in one vector: W1, b1, W2, b2, … (row-major)."""
        return np.concatenate([p.ravel() for p in self.params().values()])

    def set_flat(self, theta) -> None:
        theta = _as_float_array(theta, "the parameter vector").ravel()
        if theta.size != self.n_params:
            raise ValueError(
                f"the parameter vector has {theta.size} entries but the network has {self.n_params}"
            )
        i = 0
        for p in self.params().values():
            p[...] = theta[i : i + p.size].reshape(p.shape)
            i += p.size

    def with_entries(self, entries: dict[str, float]) -> Network:
        """A copy with some entries changed, named as in ``flat_names()``:
        {"W1[0,0]": 0.5, "b3[0]": 0.2}."""
        names = self.flat_names()
        theta = self.get_flat()
        for name, value in entries.items():
            if name not in names:
                raise ValueError(
                    f"unknown parameter entry {name!r}; valid: {', '.join(names)}"
                )
            theta[names.index(name)] = value
        out = self.copy()
        out.set_flat(theta)
        return out

    def __repr__(self) -> str:
        return f"Network(sizes={self.sizes}, activations={self.activation_names})"


def _by_layer(weights, biases) -> dict[str, np.ndarray]:
    """{"W1": weights[0], "b1": biases[0], "W2": …}."""
    names = _array_names(len(weights))
    return dict(zip(names, [p for pair in zip(weights, biases) for p in pair]))


@cache
def _array_names(depth: int) -> tuple[str, ...]:
    """("W1", "b1", …, "bD"), named once per depth (training asks every step)."""
    return tuple(array_name(k, l) for l in range(1, depth + 1) for k in ("W", "b"))


def _targets(Y, y_hat: np.ndarray) -> np.ndarray:
    """Targets as a float array; a 1-D target for a 1-output network becomes a column."""
    Y = np.asarray(Y, dtype=float)
    if Y.ndim <= 1 and y_hat.shape[1] == 1 and Y.size == y_hat.shape[0]:
        Y = Y.reshape(-1, 1)
    elif Y.ndim == 1 and y_hat.shape[0] == 1:
        Y = Y.reshape(1, -1)
    return Y
