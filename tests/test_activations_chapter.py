"""Chapter 7's engine: gradient sizes per layer (vanishing, exploding), dead units,
the linear collapse and XOR, σ′ three ways, and the chapter's drawings."""

import numpy as np
import pytest
import sympy as sp

from book_utils import (
    Network,
    datasets,
    examples,
    explore,
    metrics,
    plots,
    symbolic,
    training,
)
from book_utils.activations import Activation, get_activation
from book_utils.diagnostics import (
    dead_units,
    deep_data,
    deep_network,
    gradient_sizes,
    never_firing_per_epoch,
)

X_DEEP, Y_DEEP = deep_data(width=32)


def sizes(name, depth, **kw):
    return gradient_sizes(deep_network(depth, name, **kw), X_DEEP, Y_DEEP)


# ----- vanishing and exploding ----------------------------------------------------
def test_ten_sigmoid_layers_vanish_and_ten_relu_layers_with_he_do_not():
    """The issue's test: at standard initialisation, layer 1 of a 10-layer sigmoid
    network gets at least 100× less gradient than layer 10; ReLU with He does not."""
    sig = sizes("sigmoid", 10)  # Glorot, the sigmoid's standard start
    relu = sizes("relu", 10, init="he")
    for of in ("delta", "weights"):
        assert sig.ratio(1, 10, of=of) <= 1 / 100, of
        assert relu.ratio(1, 10, of=of) > 1 / 100, of
    assert sig.ratio() < 0.3**9  # about a quarter per layer, as σ′ ≤ ¼ predicts


def test_vanishing_holds_for_every_draw_and_depth_makes_it_worse():
    for seed in range(5):
        assert sizes("sigmoid", 20, seed=seed).ratio() < 1e-9
        assert sizes("relu", 20, seed=seed).ratio() > 1e-2
    shares = [sizes("sigmoid", d).ratio() for d in (2, 5, 10, 15, 20)]
    assert shares == sorted(shares, reverse=True)


def test_large_weights_explode_and_small_ones_vanish_even_with_relu():
    boom = sizes("relu", 20, gain=2.0)
    assert boom.ratio() > 1e3 and boom.weights.min() > 1e9
    assert sizes("tanh", 20, gain=2.0).ratio() > 1  # tanh's outputs stay bounded
    assert sizes("relu", 20, gain=0.5).ratio() < 1e-3
    assert sizes("relu", 20, init="glorot").ratio() < sizes("relu", 20).ratio() / 10
    run = training.train(
        deep_network(20, "relu", gain=2.0), X_DEEP, Y_DEEP, lr=0.01, epochs=5
    )
    assert run.diverged and run.diverged_at == 1


def test_gradient_sizes_are_the_lengths_of_backprops_deltas():
    net = deep_network(4, "tanh", width=5, seed=3)
    X, Y = deep_data(width=5, n=7, seed=1)
    s = gradient_sizes(net, X, Y)
    _, grads, _ = net.loss_and_gradients(X, Y, "half_sse")
    for l in range(4):
        rms = np.sqrt(np.mean(np.sum(grads.deltas[l] ** 2, axis=1)))
        assert s.delta[l] == pytest.approx(rms, rel=1e-12)
        assert s.weights[l] == pytest.approx(np.linalg.norm(grads.dW[l]), rel=1e-12)
    assert list(s.layers) == [1, 2, 3, 4]


def test_deep_network_refuses_bad_depths_and_gains():
    with pytest.raises(ValueError, match="depth must be a whole number"):
        deep_network(0, "relu")
    with pytest.raises(ValueError, match="gain must be a finite number > 0"):
        deep_network(3, "relu", gain=0.0)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        deep_network(3, "swish")


# ----- bends: the collapse and XOR --------------------------------------------------
def test_linear_layers_multiply_out_to_one_layer():
    linear = examples.seed_network("identity")
    (W1, W2, W3), (b1, b2, b3) = linear.weights, linear.biases
    one = Network([W3 @ W2 @ W1], [W3 @ (W2 @ b1 + b2) + b3], "identity")
    X = np.random.default_rng(1).normal(size=(20, 3))
    np.testing.assert_allclose(linear.predict(X), one.predict(X), rtol=0, atol=1e-12)
    assert one.n_params == 4
    bent = examples.seed_network("tanh")
    assert not np.allclose(bent.predict(X), one.predict(X), atol=1e-3)


def xor_history(hidden):
    task = examples.plane("XOR")
    net = task.network(width=8, hidden=hidden)
    history = training.train(net, task.X, task.Y, task.loss, lr=1.0, epochs=400)
    return net, history, task


def test_a_linear_network_cannot_learn_xor_and_a_bent_one_can():
    """The issue's test: the linear network's XOR loss stays above the non-linear one's."""
    _, flat, task = xor_history("identity")
    assert min(flat.losses) > np.log(2) - 0.01  # stuck at the loss of answering ½
    for hidden in ("tanh", "relu", "sigmoid"):
        net, bent, _ = xor_history(hidden)
        assert bent.losses[-1] < flat.losses[-1] - 0.4, hidden
        assert metrics.accuracy(net, task.X, task.Y) > 0.9, hidden
    four_X, four_Y = datasets.xor()  # the four corners alone: no line fits either
    line = Network.random([2, 4, 1], ["identity", "sigmoid"], seed=0, init="glorot")
    run = training.train(line, four_X, four_Y, "binary_ce", lr=1.0, epochs=300)
    assert min(run.losses) > np.log(2) - 0.01


# ----- dead units -------------------------------------------------------------------
def test_a_dead_relu_gets_exactly_zero_gradient_and_never_moves():
    X = np.linspace(-2, 2, 5).reshape(-1, 1)
    net = Network(
        [[[1.0], [0.5]], [[1.0, 1.0]]], [[0.0, -2.0], [0.0]], ["relu", "identity"]
    )
    assert [list(m) for m in dead_units(net, X)] == [[False, True]]
    _, grads, _ = net.loss_and_gradients(X, np.ones((5, 1)), "half_sse")
    assert grads.dW[0][1, 0] == 0 and grads.db[0][1] == 0 and grads.dW[0][0, 0] != 0
    before = net.weights[0][1].copy()
    training.train(net, X, np.ones((5, 1)), lr=0.1, epochs=50)
    assert np.array_equal(net.weights[0][1], before)
    leaky = Network(
        [[[1.0], [0.5]], [[1.0, 1.0]]], [[0.0, -2.0], [0.0]],
        ["leaky_relu", "identity"],
    )  # fmt: skip
    training.train(leaky, X, np.ones((5, 1)), lr=0.1, epochs=50)
    assert not np.array_equal(leaky.weights[0][1], before)  # asleep, not dead


def test_counting_every_epoch_at_once_matches_dead_units_per_snapshot():
    X, Y = datasets.moons(n=60, noise=0.15, seed=0)
    net = Network.random([2, 6, 6, 1], ["relu", "relu", "sigmoid"], init="he")
    for b in net.biases[:-1]:
        b[:] = -0.5
    run = training.train(net, X, Y, "binary_ce", lr=3.0, epochs=40, record_epochs=True)
    fast = never_firing_per_epoch(net, run.snapshots, X)
    probe = net.copy()
    slow = []
    for theta in run.snapshots:
        probe.set_flat(theta)
        slow.append(sum(int(m.sum()) for m in dead_units(probe, X)))
    assert list(fast) == slow and max(slow) > 0


# ----- σ′ three ways ----------------------------------------------------------------
def test_activation_slopes_agree_three_ways_and_the_kink_is_flagged():
    for z in (-4.0, -1.0, 0.5, 3.0):
        table = symbolic.activation_three_way(z)
        assert table.passed and not table.near_kink and table.max_rel_error < 1e-7
    corner = symbolic.activation_three_way(0.0)
    assert corner.passed and corner.near_kink
    assert [r.verdict for r in corner.rows] == [
        "good",
        "good",
        "near kink",
        "near kink",
    ]
    said = corner.summary()
    assert "agree on sigmoid and tanh" in said
    assert "on ReLU and leaky ReLU they disagree at a kink" in said


def test_the_dead_neurons_table_says_disagree_at_a_kink_and_never_10_to_the_0():
    """At w = 0.5, b = −1 an input sits on the corner: SymPy and finite differences
    give −1 and −0.5, backprop 0 and 0. The summary must not say they agree."""
    x5, y5 = np.linspace(-2.0, 2.0, 5).reshape(-1, 1), np.ones((5, 1))
    kinks = 0
    for w in (-1.0, 0.5, 2.0):
        for b in (-3.0, -1.0, 0.0, 1.0):
            table = symbolic.three_way(Network([[w]], [[b]], "relu"), x5, y5)
            said = table.summary()
            assert table.passed and "10⁰" not in said, said
            split = [r for r in table.rows if abs(r.backprop - r.symbolic) > 1e-6]
            if split:
                kinks += 1
                assert "disagree at a kink" in said and "flagged" in said, said
                assert "agree on both" not in said, said
            else:
                assert "disagree" not in said, said
    assert kinks >= 6
    table = symbolic.three_way(Network([[0.5]], [[-1.0]], "relu"), x5, y5)
    assert [r.symbolic for r in table.rows] == pytest.approx([-1.0, -0.5])
    assert [r.backprop for r in table.rows] == [0.0, 0.0]
    assert table.summary().startswith(
        "SymPy, backprop and finite differences disagree at a kink: flagged"
    )
    assert "largest relative error 1)" in table.summary()


def test_the_slope_check_catches_a_wrong_derivative():
    sig = get_activation("sigmoid")
    wrong = Activation("sigmoid", sig.value, lambda z: sig.value(z),
                       lambda z: 1 / (1 + sp.exp(-z)))  # fmt: skip
    table = symbolic.activation_three_way(1.0, names=(wrong, "tanh"))
    assert not table.passed and table.rows[0].verdict == "wrong"
    assert table.summary().startswith("MISMATCH in sigmoid")


def test_sympys_slopes_are_the_books_formulas():
    s, ds, _ = symbolic.activation_derivative("sigmoid")
    assert sp.simplify(ds - s * (1 - s)) == 0
    t, dt, _ = symbolic.activation_derivative("tanh")
    assert sp.simplify(dt - (1 - sp.tanh(symbolic.Z) ** 2)) == 0
    _, dl, fl = symbolic.activation_derivative("leaky_relu")
    z = symbolic.Z
    assert dl == sp.Heaviside(z) + sp.Heaviside(-z) / 100
    assert float(fl(-2.0)) == pytest.approx(0.01) and float(fl(2.0)) == 1.0


# ----- the drawings -------------------------------------------------------------------
def test_the_activation_figure_draws_the_engines_slope_as_its_tangent():
    names = {"sigmoid": "sigmoid", "ReLU": "relu"}
    e = explore.Explorable(
        plots.activation_and_slope(names),
        [explore.choice("activation", "σ", list(names)),
         explore.parameter("z", "z", 1.0, -4, 4)], alt="x",
    )  # fmt: skip
    said = e.draw(activation="sigmoid", z=1.0)
    tangent = [
        l for l in e.fig.axes[0].get_lines() if l.get_label().startswith("tangent")
    ]
    xs, ys = tangent[0].get_data()
    s = 1 / (1 + np.exp(-1.0))
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(s * (1 - s), rel=1e-12)
    assert "0.197" in said
    corner = e.draw(activation="ReLU", z=0.0)
    assert "corner" in corner and "the engine takes 0" in corner


def test_the_gradient_flow_figure_draws_the_measured_sizes():
    acts = {"sigmoid": "sigmoid", "ReLU": "relu"}

    def sizes_of(activation, depth, gain):
        return sizes(acts[activation], int(depth), gain=gain)

    e = explore.Explorable(
        plots.gradient_per_layer(sizes_of),
        [explore.choice("activation", "σ", list(acts)),
         explore.parameter("depth", "L", 10, 1, 20),
         explore.Slider("gain", "scale", 0.5, 2.0, 1.0, log=True)],
        alt="x", static=["depth", "gain"],
    )  # fmt: skip
    said = e.draw(activation="sigmoid", depth=10, gain=1.0)
    line = [l for l in e.fig.axes[0].get_lines() if "error signal" in l.get_label()][0]
    np.testing.assert_allclose(line.get_ydata(), sizes("sigmoid", 10).delta, rtol=1e-12)
    assert said.startswith("10 layers") and "× 10⁻" in said
    assert e.draw(activation="ReLU", depth=1, gain=1.0).startswith("One layer")
    assert "off the chart" not in " ".join(t.get_text() for t in e.fig.axes[0].texts)

    from book_utils.diagnostics import LayerSizes

    tiny = LayerSizes(np.array([1e-30, 1.0]), np.array([1e-28, 2.0]))
    off = explore.Explorable(
        plots.gradient_per_layer(lambda depth: tiny),
        [explore.parameter("depth", "L", 2, 1, 20)],
        alt="x",
    )
    off.draw(depth=2)
    ax = off.fig.axes[0]
    note = [t for t in ax.texts if "off the chart" in t.get_text()]
    assert note and note[0].get_visible()
    drawn = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert min(min(line.get_ydata()) for line in drawn) == 1e-20  # on the edge


def test_the_dead_units_figure_counts_what_diagnostics_counts():
    X, Y = datasets.moons(n=60, noise=0.15, seed=0)
    sizes_ = [2, 6, 6, 1]

    def run(lr, b0):
        net = Network.random(sizes_, ["relu", "relu", "sigmoid"], init="he")
        for b in net.biases[:-1]:
            b[:] = b0
        h = training.train(net, X, Y, "binary_ce", lr=lr, epochs=30, record_epochs=True)
        return net, h, X

    e = explore.Explorable(
        plots.dead_units_in_training(run, sizes_, 30),
        [explore.learning_rate(1.0, 0.1, 10.0), explore.parameter("b0", "b", 0.0, -2, 0)],
        alt="x", static=["lr", "b0"],
    )  # fmt: skip
    said = e.draw(lr=1.0, b0=-2.0)
    net, h, _ = run(1.0, -2.0)
    net.set_flat(h.snapshots[-1])
    dead = sum(int(m.sum()) for m in dead_units(net, X))
    assert f"{dead} after 30 epochs" in said
    assert f"{dead} of 12 hidden neurons never fire" in e.fig.axes[0].get_title()


def test_the_figures_name_what_they_show():
    """Depth 1 has no hidden activation; sizes keep two digits (1.3 × 10⁻⁶ is not a
    millionth); the XOR frames name the activation in the picture too; the slope
    figure's dots are not clipped at z = ±4."""
    acts = {"sigmoid": "sigmoid", "ReLU": "relu"}

    def sizes_of(activation, depth):
        return sizes(acts[activation], int(depth))

    e = explore.Explorable(
        plots.gradient_per_layer(sizes_of),
        [explore.choice("activation", "σ", list(acts)),
         explore.parameter("depth", "L", 10, 1, 20)], alt="x",
    )  # fmt: skip
    one = e.draw(activation="sigmoid", depth=1)
    assert "no hidden activation" in one and "of sigmoid" not in one
    out = [t for t in e.fig.axes[0].texts if "output" in t.get_text()][0]
    assert out.get_ha() == "left"  # clear of the y tick labels
    ten = e.draw(activation="sigmoid", depth=10)
    share = sizes("sigmoid", 10).ratio()
    assert f"{plots.gradient_flow.size_text(share)} times as much" in ten
    assert plots.gradient_flow.size_text(1.3e-6) == "1.3 × 10⁻⁶"

    task = examples.plane("XOR", n=40)

    def run(activation):
        net = task.network(width=4, hidden=acts[activation])
        h = training.train(net, task.X, task.Y, task.loss, epochs=3, record_epochs=True)
        return net, h, task.X, task.Y

    for title_label, starts in ((lambda activation: activation, "ReLU\nafter epoch 3"),
                                (None, "after epoch 3")):  # fmt: skip
        b = explore.Explorable(
            plots.boundary_and_loss(run, title_label=title_label),
            [explore.choice("activation", "a", list(acts)),
             explore.parameter("epoch", "epoch", 3, 0, 3)], alt="x",
        )  # fmt: skip
        b.draw(activation="ReLU", epoch=3)
        assert b.fig.axes[0].get_title().startswith(starts)

    a = explore.Explorable(
        plots.activation_and_slope(acts),
        [explore.choice("activation", "a", list(acts)),
         explore.parameter("z", "z", 1.0, -4, 4)], alt="x",
    )  # fmt: skip
    a.draw(activation="ReLU", z=4.0)
    dots = [l for ax in a.fig.axes for l in ax.get_lines() if l.get_marker() == "o"]
    assert dots and not any(l.get_clip_on() for l in dots)
    assert a.fig.axes[0].get_title() == "ReLU(4) = 4"


def test_at_twice_the_weights_the_forward_pass_explodes_too():
    boom = sizes("relu", 20, gain=2.0)
    assert np.all(np.diff(boom.inputs) > 0) and boom.inputs[-1] > 1e5
    assert np.argmax(boom.weights) == 19 and np.argmax(boom.delta) == 0
    X, Y = deep_data(width=5, n=7, seed=1)
    net = deep_network(3, "tanh", width=5)
    _, _, cache = net.loss_and_gradients(X, Y, "half_sse")
    got = gradient_sizes(net, X, Y).inputs
    want = [np.sqrt(np.mean(np.sum(a**2, axis=1))) for a in cache.activations[:-1]]
    np.testing.assert_allclose(got, want, rtol=1e-12)
