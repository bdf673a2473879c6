"""What backprop costs, counted: the counts in book_utils.cost are the work and the
memory the engine really spends, read off the engine's own forward and backward."""

import numpy as np
import pytest

from book_utils import cost
from book_utils.examples import SEED_X, SEED_Y, seed_network
from book_utils.losses import get_loss
from book_utils.network import Network


class Counted(np.ndarray):
    """An array that counts the multiply-adds of every matrix product it takes part in."""

    tally = [0]

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        def plain_(x):
            return x.view(np.ndarray) if isinstance(x, Counted) else x

        plain = [plain_(x) for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(plain_(x) for x in kwargs["out"])
        if ufunc is np.matmul:
            a, b = plain
            m, k = a.shape if a.ndim == 2 else (1, a.shape[0])
            n = b.shape[1] if b.ndim == 2 else 1
            Counted.tally[0] += m * k * n
        out = getattr(ufunc, method)(*plain, **kwargs)
        return out.view(Counted) if isinstance(out, np.ndarray) else out


def counted_pass(net, X, Y, loss="half_sse"):
    """(multiply-adds of the forward pass, of the backward pass) as the engine runs."""
    net.weights = [W.view(Counted) for W in net.weights]  # every product meets a W
    Counted.tally[0] = 0
    cache = net.forward(X)
    forward = Counted.tally[0]
    output = cache.output.view(np.ndarray)
    dloss = get_loss(loss).gradient(output, np.asarray(Y, float))
    net.backward(cache, dloss)
    return forward, Counted.tally[0] - forward, cache


@pytest.mark.parametrize("sizes,batch", [([3, 3, 2, 1], 1), ([64, 32, 10], 32),
                                         ([2, 50, 50, 50, 1], 7), ([4, 1], 3)])  # fmt: skip
def test_the_counts_are_the_engines_own_work_and_memory(sizes, batch):
    net = Network.random(sizes, "sigmoid", seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(batch, sizes[0])), rng.normal(size=(batch, sizes[-1]))
    forward, backward, cache = counted_pass(net, X, Y)
    assert forward == cost.forward_multiply_adds(sizes, batch)
    assert backward == cost.backward_multiply_adds(sizes, batch)
    kept = sum(a.nbytes for a in cache.zs) + sum(a.nbytes for a in cache.activations)
    assert kept == cost.cache_bytes(sizes, batch)
    assert cost.n_params(sizes) == net.n_params


def test_the_three_three_two_one_network_counted_by_hand():
    sizes = [3, 3, 2, 1]
    # forward: 3·3 + 2·3 + 1·2 = 17; backward: 17 for δaᵀ, 2·3 + 1·2 = 8 to pass δ down
    assert cost.forward_multiply_adds(sizes) == 17
    assert cost.backward_multiply_adds(sizes) == 25
    assert cost.backprop_in_forward_passes(sizes) == pytest.approx(42 / 17)
    assert cost.finite_difference_multiply_adds(sizes) == 2 * 23 * 17  # 782
    assert cost.cache_bytes(sizes) == 8 * (3 + 2 * (3 + 2 + 1))  # 120 bytes
    forward, backward, _ = counted_pass(seed_network(), SEED_X, SEED_Y)
    assert (forward, backward) == (17, 25)


@pytest.mark.parametrize(
    "sizes", [[1, 1], [3, 3, 2, 1], [64, 32, 10], [784, 1000, 1000, 10]]
)
def test_backprop_costs_at_most_three_forward_passes(sizes):
    assert 2 <= cost.backprop_in_forward_passes(sizes) <= 3


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="at least two layers"):
        cost.forward_multiply_adds([3])
    with pytest.raises(ValueError, match="at least two layers"):
        cost.cache_bytes([3, 0, 1])
