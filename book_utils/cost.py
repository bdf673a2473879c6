"""What a gradient costs, counted rather than timed: multiply-adds and memory.

The work of a fully connected network is its matrix products. For one example,
layer l's forward step z = W a + b takes n_l · n_{l−1} multiply-adds (one per
weight); the backward pass takes the same again for ∂L/∂W = δ aᵀ (one per weight)
and once more to pass δ down, Wᵀ δ (for every layer but the first: nothing needs
δ of the inputs). The element-wise work (adding b, σ and σ′, the ⊙) is one
operation per neuron, not per weight, and is left out of the counts.

So backprop's every gradient costs one forward pass and a backward pass of at most
two forward passes: at most 3 forward passes in all, whatever the network.
Finite differences cost 2 forward passes per parameter. ``cache_bytes`` is
backprop's price in memory: every z and a of the forward pass, kept for the
backward pass (float64: 8 bytes a number).
"""

from __future__ import annotations

from collections.abc import Sequence

FLOAT_BYTES = 8  # float64


def _layers(sizes: Sequence[int]) -> list[tuple[int, int]]:
    """(n_{l−1}, n_l) for l = 1 … D; sizes are [n_0, n_1, …, n_D]."""
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes needs at least two layers of ≥ 1 neuron, got {sizes}")
    return list(zip(sizes[:-1], sizes[1:]))


def forward_multiply_adds(sizes: Sequence[int], batch: int = 1) -> int:
    """Σ_l n_l n_{l−1} per example: one multiply-add per weight."""
    return batch * sum(n_in * n_out for n_in, n_out in _layers(sizes))


def backward_multiply_adds(sizes: Sequence[int], batch: int = 1) -> int:
    """∂L/∂W(l) = δ(l) a(l−1)ᵀ for every layer, one multiply-add per weight, and
    W(l)ᵀ δ(l) to pass δ down for l = D … 2: at most twice the forward pass."""
    layers = _layers(sizes)
    weights = sum(n_in * n_out for n_in, n_out in layers)
    passed_down = sum(n_in * n_out for n_in, n_out in layers[1:])
    return batch * (weights + passed_down)


def n_params(sizes: Sequence[int]) -> int:
    """Every weight and bias: Σ_l n_l (n_{l−1} + 1)."""
    return sum(n_out * (n_in + 1) for n_in, n_out in _layers(sizes))


def finite_difference_multiply_adds(sizes: Sequence[int], batch: int = 1) -> int:
    """Central differences: 2 forward passes for every parameter."""
    return 2 * n_params(sizes) * forward_multiply_adds(sizes, batch)


def backprop_in_forward_passes(sizes: Sequence[int]) -> float:
    """(forward + backward) ÷ forward: what every gradient costs, in forward passes."""
    forward = forward_multiply_adds(sizes)
    return (forward + backward_multiply_adds(sizes)) / forward


def cache_bytes(sizes: Sequence[int], batch: int = 1) -> int:
    """Bytes the forward pass keeps for the backward pass: the input a(0) and every
    z(l) and a(l), for ``batch`` examples (what ``Network.forward`` stores)."""
    layers = _layers(sizes)
    numbers = layers[0][0] + 2 * sum(n_out for _, n_out in layers)
    return FLOAT_BYTES * batch * numbers
