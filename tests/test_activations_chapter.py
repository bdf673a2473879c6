"""Chapter 7's engine and claims: the linear collapse and XOR (three bends and none),
the sigmoid output's cancellation with the cross-entropy, dead units, σ′ three ways
(the corner at z = 0 in a Going-deeper block), and the chapter's drawings."""

import json
import re
from pathlib import Path

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
from book_utils.diagnostics import dead_units, never_firing_per_epoch

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "07_activations.ipynb"


def cells(kind: str) -> list[str]:
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def main_line(markdown: str) -> str:
    """The markdown outside collapsed (dropdown) blocks."""
    return re.sub(r":::\{dropdown\}.*?\n:::", "", markdown, flags=re.S)


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


def test_the_xor_comparison_trains_three_bends_and_none_and_says_so():
    """Issue 18: only sigmoid, tanh and ReLU are trained, and none; the words and the
    caption must not count "none" as a fourth activation."""
    text = "\n".join(cells("markdown"))
    assert "each of the four hidden activations" not in text
    assert "each of the three bends" in text and "and with none" in text
    code = "\n".join(cells("code"))
    assert "all four" not in code and "compare the four" not in code
    assert "three bends and none at epoch 400" in code
    ran = re.search(r"for hidden in (\(.*?\)):", code).group(1)
    assert sorted(eval(ran)) == ["identity", "relu", "sigmoid", "tanh"]


def test_a_sigmoid_output_cancels_the_cross_entropys_whole_denominator():
    """Issue 18: the binary cross-entropy's ∂L/∂ŷ is (ŷ − y)/(ŷ(1 − ŷ)), not 1/ŷ; times
    the sigmoid's slope ŷ(1 − ŷ) it leaves the residual, for y = 0 as for y = 1."""
    _, dL, _ = symbolic.loss_derivative("binary_ce")
    y_hat, y = symbolic.Y_HAT, symbolic.Y_TRUE
    assert sp.simplify(dL - (y_hat - y) / (y_hat * (1 - y_hat))) == 0
    assert sp.simplify(dL * y_hat * (1 - y_hat) - (y_hat - y)) == 0
    assert sp.simplify(dL.subs(y, 1) + 1 / y_hat) == 0  # 1/ŷ is only y = 1
    assert sp.simplify(dL.subs(y, 0) - 1 / (1 - y_hat)) == 0
    text = "\n".join(cells("markdown"))
    assert "against the loss's $1/\\hat y$" not in text
    assert r"(\hat y - y)/\big(\hat y(1 - \hat y)\big)" in text
    task = examples.plane("XOR")
    net = task.network(width=8, hidden="sigmoid")
    _, grads, cache = net.loss_and_gradients(task.X, task.Y, task.loss)
    np.testing.assert_allclose(
        grads.deltas[-1], (cache.output - task.Y) / len(task.X), rtol=1e-12
    )


def test_the_chapter_names_non_linearity_and_keeps_one_three_way_table():
    """Issue 18: the book names seed 000's word; the three-way check appears once, where
    it teaches (the slopes, at z away from the corner); the corner, step(0) = ½, sits
    in a Going-deeper block."""
    text = "\n".join(cells("markdown"))
    assert "{term}`non-linearity`" in main_line(text)
    code = "\n".join(cells("code"))
    assert code.count("bu.explore.Table(") == 1
    points = re.search(r'"z", "z", 0.5, -4.0, 4.0, points=(\[.*?\])', code).group(1)
    assert 0 not in eval(points)
    for z in eval(points):
        table = symbolic.activation_three_way(z)
        assert table.passed and not table.near_kink
    assert "step}(0) = \\tfrac12" not in main_line(text)
    assert ":::{dropdown} Going deeper: the corner at $z = 0$" in text
    assert "07_activations" not in text  # no links to itself
    assert "{doc}`Chapter 8 <08_deep_networks>`" in text


def test_chapter_7_leaves_deep_networks_to_chapter_8():
    """The split: no vanishing-gradient measurements, no initialisation formulas, no
    layer count L here."""
    text = "\n".join(cells("markdown"))
    for gone in ("deep_network(", "s_{\\text{He}}", "n_{\\text{in}}", "delta-unrolled"):
        assert gone not in text, gone
    assert not re.search(r"\^\{\(L[)-]|\$L\$ layers|\\delta\^\{\(L\)\}", text)


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


def test_at_the_corner_the_check_says_disagree_at_a_kink_and_never_10_to_the_0():
    """The Going-deeper block's neuron: at w = 0.5, b = −1 an input sits on the corner,
    SymPy and finite differences give −1 and −0.5, backprop 0 and 0. Over a grid of
    (w, b) the summary never says they agree when they do not."""
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
    """The XOR frames name the activation in the picture too; the slope figure's dots
    are not clipped at z = ±4."""
    acts = {"sigmoid": "sigmoid", "ReLU": "relu"}
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


def test_from_a_starting_bias_of_minus_2_the_moons_network_never_wakes():
    """The chapter's claims, checked in the notebook only while the book builds: from
    biases of −2 nothing changes at any η with ReLU, nor up to η = 1 with leaky ReLU
    (the neurons sleep through all 200 epochs and the loss stays at ln 2)."""
    X, Y = datasets.moons(n=60, noise=0.15, seed=0)
    sizes_ = [2, 6, 6, 1]

    def run(lr, act):
        net = Network.random(sizes_, [act, act, "sigmoid"], init="he")
        for b in net.biases[:-1]:
            b[:] = -2.0
        h = training.train(
            net, X, Y, "binary_ce", lr=lr, epochs=200, record_epochs=True
        )
        return never_firing_per_epoch(net, h.snapshots, X), h.losses[-1]

    for act, rates in (("relu", (0.1, 0.3, 1, 3, 10)), ("leaky_relu", (0.1, 0.3, 1))):
        for lr in rates:
            counts, loss = run(lr, act)
            assert counts[0] == counts[-1] >= 10 and abs(loss - np.log(2)) < 0.01, (
                act,
                lr,
            )
    counts, loss = run(3.0, "leaky_relu")
    assert counts[-1] < counts[0] and loss < np.log(2) - 0.1  # larger steps wake some


# ----- the fresh-eyes review of the built chapter ----------------------------------------
def test_a_dead_first_layer_relu_stays_dead_and_a_deeper_one_can_come_back():
    """Review item 5: in the moons network a second-layer ReLU that never fires at
    the start fires again once the first layer has learned (η = 1, biases 0; and
    η = 3, biases −1); a first-layer one never does, at any of the figure's settings;
    the text says which is which."""
    X, Y = datasets.moons(n=60, noise=0.15, seed=0)

    def dead(lr, b0):
        net = Network.random([2, 6, 6, 1], ["relu", "relu", "sigmoid"], init="he")
        for b in net.biases[:-1]:
            b[:] = b0
        h = training.train(
            net, X, Y, "binary_ce", lr=lr, epochs=200, record_epochs=True
        )
        out = []
        for flat in (h.snapshots[0], h.snapshots[-1]):
            net.set_flat(flat)
            out.append([set(np.flatnonzero(d)) for d in dead_units(net, X)])
        return out

    for lr, b0 in ((1.0, 0.0), (3.0, -1.0)):
        start, end = dead(lr, b0)
        assert start[0] <= end[0] and len(start[1] - end[1]) == 1, (lr, b0)
    for lr in (0.3, 10.0):
        start, end = dead(lr, -1.0)
        assert start[0] <= end[0]  # the first layer's dead stay dead
    text = "\n".join(cells("markdown"))
    assert "no update ever again" not in text and "never learns again" not in text
    assert "stays dead for good" in text and "can lift its $z$ above 0 again" in text


def test_chapter_7_names_the_theorem_and_the_relatives():
    """Review items 6 and 33."""
    text = " ".join("\n".join(cells("markdown")).split())
    assert "so far $\\sigma$ always meant it" not in text
    assert "{term}`universal approximation theorem`" in text
    assert "Cybenko" in text or "cybenko" in text
    for name in ("*PReLU*", "*ELU*", "*GELU*"):
        assert name in text
