"""The worked numbers of the seed documents, computed by the engine."""

import pytest

from book_utils import examples
from book_utils.symbolic import three_way
from book_utils.training import gradient_descent_step


def test_seed000_update_step():
    # a weight of 0.8, a gradient of 0.3, a learning rate of 0.1 → 0.8 − 0.1·0.3 = 0.77
    assert gradient_descent_step(0.8, 0.3, 0.1) == pytest.approx(0.77, abs=1e-15)


def test_seed002_linear_neuron_loss_and_gradient():
    # w = 2, x = 5, y = 12, L = (y − w·x)² → L = 4, dL/dw = −20
    net = examples.seed_neuron()
    x, y = [[examples.NEURON_X]], [[examples.NEURON_Y]]
    loss, grads, cache = net.loss_and_gradients(x, y, examples.NEURON_LOSS)
    assert cache.output.item() == 10.0
    assert loss == 4.0
    assert grads.dW[0].item() == -20.0
    table = three_way(net, x, y, examples.NEURON_LOSS, names=["W1[0,0]"])
    row = next(r for r in table.rows if r.name == "W1[0,0]")
    assert row.symbolic == pytest.approx(-20.0, abs=1e-12)
    assert row.numeric == pytest.approx(-20.0, rel=1e-8)
    assert table.passed


def test_seed003_network_shape_and_three_way_check():
    # 3 inputs → hidden layers of 3 and 2 → 1 output, sigmoid, E = ½(ŷ − y)²
    net = examples.seed_network()
    assert net.sizes == [3, 3, 2, 1]
    assert [w.shape for w in net.weights] == [(3, 3), (2, 3), (1, 2)]
    assert net.n_params == 23
    table = three_way(net, examples.SEED_X, examples.SEED_Y, "half_sse")
    assert len(table.rows) == 23 and table.passed, str(table)
    assert max(abs(r.symbolic - r.backprop) / max(1e-8, abs(r.symbolic) + abs(r.backprop))
               for r in table.rows) <= 1e-10  # fmt: skip


def test_examples_are_fresh_copies():
    a = examples.seed_network()
    a.weights[0][0, 0] = 99.0
    assert examples.seed_network().weights[0][0, 0] == 0.2
