"""What a network's layers are doing: how much blame reaches each one, which of
its neurons are dead, and how noisy a mini-batch's gradient is.

``gradient_sizes(net, X, Y)`` measures, layer by layer, the size of the error
signal δ(l) = ∂L/∂z(l) and of the weights' gradient δ(l) a(l−1)ᵀ, each for one
input: the numbers that shrink (vanish) or grow (explode) in a deep network. ``dead_units``
finds the ReLU neurons whose weighted sum is negative for every input, so that
they output 0, their slope σ′ is 0 and no gradient reaches their weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import get_loss
from .network import Network

# the initialisation each activation is usually paired with (Glorot & Bengio 2010
# for the S-shaped ones, He et al. 2015 for the ReLU family)
STANDARD_INIT = {
    "identity": "lecun",
    "sigmoid": "glorot",
    "tanh": "glorot",
    "relu": "he",
    "leaky_relu": "he",
}


@dataclass
class LayerSizes:
    """Per layer 1 … D (index 0 is layer 1): ``delta[l-1]`` is the size of δ(l),
    the root-mean-square over the samples of its length ‖δ(l)‖; ``weights[l-1]`` is
    the size of one sample's share of the weights' gradient, δ(l) a(l−1)ᵀ, whose
    length is ‖δ(l)‖ ‖a(l−1)‖ (root-mean-square over the samples: the batch's
    gradient adds the shares up, and they partly cancel, by an amount that depends
    on the data, not on the depth); ``inputs[l-1]``, if measured, is the size of the
    layer's input a(l−1) (root-mean-square length over the samples; a(0) = x), the
    other factor of δ(l) a(l−1)ᵀ: it shows the forward pass growing or shrinking;
    ``slopes[l-1]``, if measured, is the typical slope σ′(z(l)) of layer l, the
    root-mean-square over its neurons and the samples (1 for a linear layer)."""

    delta: np.ndarray
    weights: np.ndarray
    inputs: np.ndarray | None = None
    slopes: np.ndarray | None = None

    @property
    def layers(self) -> np.ndarray:
        return np.arange(1, len(self.delta) + 1)

    def ratio(
        self, first: int = 1, last: int | None = None, of: str = "delta"
    ) -> float:
        """size at layer ``first`` ÷ size at layer ``last`` (default: the output layer)."""
        sizes = getattr(self, of)
        last = len(sizes) if last is None else last
        return float(sizes[first - 1] / sizes[last - 1])

    def per_layer(self, of: str = "delta") -> float:
        """The typical factor by which the size changes per layer back: the ratio
        of layer 1 to the output layer, spread evenly over the D − 1 steps between
        them (the geometric mean of the steps)."""
        steps = len(self.delta) - 1
        if steps < 1:
            raise ValueError("one layer of weights has no step back to measure")
        return self.ratio(of=of) ** (1 / steps)


def gradient_sizes(net: Network, X, Y, loss: str = "half_sse") -> LayerSizes:
    """How much blame the backward pass delivers to each layer of ``net`` at (X, Y).

    X: (N, n_0), Y: (N, n_D) → sizes of δ(l) and of δ(l) a(l−1)ᵀ for l = 1 … D,
    per sample (root-mean-square over the N samples).
    """
    _, grads, cache = net.loss_and_gradients(X, Y, loss)

    def lengths(rows):
        return np.sqrt(np.sum(rows**2, axis=1))

    def rms(values):
        return np.sqrt(np.mean(values**2))

    with np.errstate(over="ignore", invalid="ignore"):  # an exploding net overflows
        delta = np.array([rms(lengths(d)) for d in grads.deltas])
        # one sample's share δ_i a_iᵀ of ∂L/∂W(l): its length is ‖δ_i‖ ‖a_i‖
        weights = np.array(
            [
                rms(lengths(d) * lengths(a))
                for d, a in zip(grads.deltas, cache.activations[:-1])
            ]
        )
        inputs = np.array([rms(lengths(a)) for a in cache.activations[:-1]])
        slopes = np.array(
            [
                np.sqrt(np.mean(act.slope(z, a) ** 2))
                for act, z, a in zip(net.activations, cache.zs, cache.activations[1:])
            ]
        )
    return LayerSizes(delta, weights, inputs, slopes)


def deep_network(
    depth: int,
    activation: str,
    width: int = 32,
    gain: float = 1.0,
    seed: int = 0,
    init: str | None = None,
) -> Network:
    """A deep, narrow network for measuring gradients: ``depth`` layers of weights.

    width inputs → (depth − 1) hidden layers of ``width`` neurons with ``activation``
    → one linear output. Weights start as ``init`` prescribes (default: the
    activation's ``STANDARD_INIT``), then are multiplied by ``gain``: gain 1 is the
    standard scale, gain 2 twice it. Biases start at 0.
    """
    if not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be a whole number ≥ 1, got {depth!r}")
    if not (np.isfinite(gain) and gain > 0):
        raise ValueError(f"gain must be a finite number > 0, got {gain!r}")
    init = init or STANDARD_INIT.get(activation, "lecun")
    sizes = [width] * depth + [1]
    net = Network.random(
        sizes, [activation] * (depth - 1) + ["identity"], seed=seed, init=init
    )
    for W in net.weights:
        W *= gain
    return net


def deep_data(width: int = 32, n: int = 64, seed: int = 0):
    """Inputs and targets for ``deep_network``: X (n, width) and Y (n, 1), all N(0, 1)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, width)), rng.normal(size=(n, 1))


def dead_units(net: Network, X) -> list[np.ndarray]:
    """For each hidden layer, which neurons are dead on the inputs X: z ≤ 0 for every row.

    Returns one boolean array per hidden layer (layers 1 … D−1), True where the
    neuron's weighted sum is never positive. For ReLU such a neuron outputs 0 for
    every input and its slope σ′ is 0, so backprop sends nothing to its weights:
    it cannot learn its way back. (For leaky ReLU the same neuron still has slope
    0.01, so it is asleep rather than dead.)
    """
    cache = net.forward(X)
    return [np.all(z <= 0, axis=0) for z in cache.zs[:-1]]


def never_firing_per_epoch(net, snapshots, X) -> np.ndarray:
    """How many hidden neurons have z ≤ 0 for every input, for each parameter vector
    in ``snapshots`` (E, P): ``diagnostics.dead_units`` for all E at once (the forward
    pass of every snapshot in one batched product)."""
    thetas = np.asarray(snapshots, dtype=float)
    a = np.broadcast_to(np.asarray(X, dtype=float), (len(thetas),) + np.shape(X))
    start, dead = 0, np.zeros(len(thetas), dtype=int)
    for l, act in enumerate(net.activations[:-1]):
        n_l, n_prev = net.weights[l].shape  # W(l) is (n_l, n_{l−1})
        W = thetas[:, start : start + n_l * n_prev].reshape(-1, n_l, n_prev)
        b = thetas[:, start + n_l * n_prev : start + n_l * (n_prev + 1)]
        start += n_l * (n_prev + 1)
        z = a @ W.transpose(0, 2, 1) + b[:, None, :]  # z = W a + b, per snapshot
        dead += np.all(z <= 0, axis=1).sum(axis=1)
        a = act.value(z)
    return dead


def minibatch_gradients(
    net, X, Y, loss: str, batch_size: int, draws: int = 200, seed: int = 0
) -> np.ndarray:
    """``draws`` mini-batch gradients (flat vectors) of ``net`` on (X, Y): each from
    ``batch_size`` rows drawn without replacement, as one batch of an epoch is.
    Returns (draws, n_params).

    Every batch goes through one forward and one backward pass, their rows stacked:
    a row's z, a and δ depend on that row alone, so stacking changes none of them.
    Each batch's ∂L/∂ŷ is its own (a mean loss divides by B), and its gradient adds
    up its own rows' δ(l) a(l−1)ᵀ and δ(l), as ``backward`` does for one batch.
    """
    n = len(X)
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must lie between 1 and n = {n}, got {batch_size}")
    rng = np.random.default_rng(seed)
    batches = [rng.choice(n, size=batch_size, replace=False) for _ in range(draws)]
    rows = np.concatenate(batches)
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float).reshape(n, -1)
    cache = net.forward(X[rows])
    by_batch = (draws, batch_size, -1)  # rows regrouped: one block per batch
    lf = get_loss(loss)
    dloss = np.concatenate(
        [
            lf.gradient(y_hat, y)
            for y_hat, y in zip(
                cache.output.reshape(by_batch), Y[rows].reshape(by_batch)
            )
        ]
    )
    deltas = net.backward(cache, dloss).deltas
    flat = []  # W1, b1, W2, b2, …: the order of Gradients.flat()
    for delta, a_prev in zip(deltas, cache.activations[:-1]):
        delta, a_prev = delta.reshape(by_batch), a_prev.reshape(by_batch)
        dW = delta.transpose(0, 2, 1) @ a_prev  # per batch, δᵀ a(l−1): Σ of δ a(l−1)ᵀ
        flat += [dW.reshape(draws, -1), delta.sum(axis=1)]
    return np.concatenate(flat, axis=1)


def spread(grads: np.ndarray, full: np.ndarray) -> float:
    """How far mini-batch gradients scatter around the full one: the root-mean-square
    distance, as a fraction of the full gradient's length."""
    return float(
        np.sqrt(np.mean(np.sum((grads - full) ** 2, axis=1))) / np.linalg.norm(full)
    )
