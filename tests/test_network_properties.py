"""Backprop against finite differences and SymPy over random networks (hypothesis)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from book_utils import Network
from book_utils.gradcheck import check_network
from book_utils.symbolic import three_way

ACTS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
REGRESSION_LOSSES = ["half_sse", "sse", "mse", "output"]


@st.composite
def problems(draw, max_layers=4, max_width=6, max_samples=4):
    """A random network, data and a loss that fits its output layer."""
    n_layers = draw(st.integers(1, max_layers))
    sizes = [draw(st.integers(1, max_width)) for _ in range(n_layers + 1)]
    hidden = [draw(st.sampled_from(ACTS)) for _ in range(n_layers - 1)]
    loss = draw(st.sampled_from(REGRESSION_LOSSES + ["binary_ce", "softmax_ce"]))
    if loss == "binary_ce":
        out = "sigmoid"
    elif loss == "softmax_ce":
        out = "identity"
        sizes[-1] = max(2, sizes[-1])
    else:
        out = draw(st.sampled_from(ACTS))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net = Network.random(sizes, hidden + [out], seed=rng, scale=0.8)
    for b in net.biases:
        b[:] = rng.normal(0, 0.3, size=b.shape)
    n = draw(st.integers(1, max_samples))
    X = rng.normal(0, 1, size=(n, sizes[0]))
    if loss == "binary_ce":
        Y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
    elif loss == "softmax_ce":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=n)]
    else:
        Y = rng.normal(0, 1, size=(n, sizes[-1]))
    return net, X, Y, loss


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_backprop_matches_finite_differences(problem):
    net, X, Y, loss = problem
    results = check_network(net, X, Y, loss)
    assume(
        not results[0].near_kink
    )  # within reach of a ReLU corner finite differences mean nothing
    if loss == "binary_ce":
        # a saturated sigmoid stores 1 − p with few correct digits, and finite differences of
        # log(1 − p) amplify that round-off past 1e-7 (the reason real code uses logits)
        p = net.predict(X)
        assume(np.all((p > 1e-3) & (p < 1 - 1e-3)))
    for r in results:
        assert r.verdict == "good", (
            net,
            loss,
            r.name,
            r.max_rel_error,
            r.max_abs_error,
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_layers=3, max_width=3, max_samples=2))
def test_backprop_matches_sympy(problem):
    net, X, Y, loss = problem
    table = three_way(net, X, Y, loss)
    for row in table.rows:
        err = abs(row.symbolic - row.backprop) / max(
            1e-8, abs(row.symbolic) + abs(row.backprop)
        )
        assert err <= 1e-10, (net, loss, row)


def test_a_broken_backward_pass_is_caught():
    """The checker is not a rubber stamp: a wrong σ' makes it fail."""
    rng = np.random.default_rng(0)
    net = Network.random([3, 4, 2], ["tanh", "sigmoid"], seed=rng)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    assert all(r.passed for r in check_network(net, X, Y, "half_sse"))
    from book_utils.activations import Activation

    good = net.activations[0]
    net.activations[0] = Activation(
        "tanh", good.value, lambda z: 1 - np.tanh(z), good.symbolic
    )  # forgot the square
    results = check_network(net, X, Y, "half_sse")
    assert not results[0].passed and results[0].verdict == "wrong"
    assert not three_way(net, X, Y, "half_sse").passed


def test_forward_keeps_zs_and_activations():
    net = Network(
        [[[1.0, -1.0]], [[2.0]]][0:1] + [[[2.0]]], [[0.5], [0.0]], ["relu", "identity"]
    )
    cache = net.forward([[3.0, 1.0]])
    assert [z.tolist() for z in cache.zs] == [[[2.5]], [[5.0]]]
    assert [a.tolist() for a in cache.activations] == [[[3.0, 1.0]], [[2.5]], [[5.0]]]


def test_parameters_by_name_and_flat_vector_round_trip():
    net = Network.random([2, 3, 1], "tanh", seed=0)
    theta = net.get_flat()
    assert theta.size == net.n_params == 2 * 3 + 3 + 3 + 1
    assert (
        net.flat_names()[:2] == ["W1[0,0]", "W1[0,1]"]
        and net.flat_names()[-1] == "b2[0]"
    )
    net.set_param("b2", [7.0])
    assert net.get_flat()[-1] == 7.0
    net.set_flat(theta)
    assert np.array_equal(net.get_flat(), theta)
    _, grads, _ = net.loss_and_gradients([[1.0, 2.0]], [[0.0]])
    assert grads.flat().shape == theta.shape
    assert list(grads.by_name()) == net.param_names


def test_a_relu_kink_is_flagged_not_failed():
    # the hidden neuron sits exactly on the ReLU corner: z = 1·1 − 1 = 0
    net = Network([[[1.0]], [[2.0]]], [[-1.0], [0.0]], ["relu", "identity"])
    results = check_network(net, [[1.0]], [[3.0]], "half_sse")
    assert all(r.near_kink and r.verdict == "near kink" and r.passed for r in results)
    moved = Network(
        [[[1.0]], [[2.0]]], [[-0.5], [0.0]], ["relu", "identity"]
    )  # z = 0.5: far from it
    assert all(
        r.verdict == "good" for r in check_network(moved, [[1.0]], [[3.0]], "half_sse")
    )


def test_with_entries_changes_a_copy():
    net = Network.random([2, 2, 1], "tanh", seed=0)
    changed = net.with_entries({"W1[0,1]": 5.0, "b2[0]": -1.0})
    assert changed.weights[0][0, 1] == 5.0 and changed.biases[1][0] == -1.0
    assert net.weights[0][0, 1] != 5.0
    with pytest.raises(ValueError, match=r"unknown parameter entry 'W9\[0,0\]'"):
        net.with_entries({"W9[0,0]": 1.0})
