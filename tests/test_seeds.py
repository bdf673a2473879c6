"""The worked numbers of the seed documents, computed by the engine."""

import pytest

from book_utils import Network
from book_utils.symbolic import three_way
from book_utils.training import gradient_descent_step


def test_seed000_update_step():
    # a weight of 0.8, a gradient of 0.3, a learning rate of 0.1 → 0.8 − 0.03 = 0.77
    assert gradient_descent_step(0.8, 0.3, 0.1) == pytest.approx(0.77, abs=1e-15)


def test_seed002_linear_neuron_loss_and_gradient():
    # w = 2, x = 5, y = 12, L = (y − w·x)² → L = 4, dL/dw = −20
    net = Network([[2.0]], [[0.0]], "identity")
    loss, grads, cache = net.loss_and_gradients([[5.0]], [[12.0]], "sse")
    assert cache.output.item() == 10.0
    assert loss == 4.0
    assert grads.dW[0].item() == -20.0
    table = three_way(net, [[5.0]], [[12.0]], "sse", names=["W1[0,0]"])
    assert table.rows[0].symbolic == pytest.approx(-20.0, abs=1e-12)
    assert table.rows[0].numeric == pytest.approx(-20.0, rel=1e-8)
    assert table.passed


def test_seed003_network_shape_and_three_way_check():
    # 3 inputs → two hidden layers → 1 output, Ŷ = σ(W X + b), E = ½(Ŷ − Y)²
    net = Network.random([3, 4, 4, 1], "sigmoid", seed=3)
    assert net.sizes == [3, 4, 4, 1]
    assert [w.shape for w in net.weights] == [(4, 3), (4, 4), (1, 4)]
    table = three_way(net, [[0.5, -1.0, 2.0]], [[1.0]], "half_sse")
    assert len(table.rows) == net.n_params == 4 * 3 + 4 + 4 * 4 + 4 + 4 + 1
    assert table.passed, str(table)
    assert (
        max(
            abs(r.symbolic - r.backprop) / max(1e-8, abs(r.symbolic) + abs(r.backprop))
            for r in table.rows
        )
        <= 1e-10
    )
