"""Chapter 4's engine: the chain rule in SymPy, the backward-pass drawings, the checker."""

import numpy as np
import pytest

from book_utils import examples, exercises, explore, plots, symbolic


def seed_pass():
    net = examples.seed_network()
    E, grads, cache = net.loss_and_gradients(
        examples.SEED_X, examples.SEED_Y, "half_sse"
    )
    return net, grads, cache


@pytest.mark.parametrize("name", examples.seed_network().flat_names())
def test_sympys_chain_of_factors_equals_backprop_for_every_parameter(name):
    net, grads, cache = seed_pass()
    chain = symbolic.chain_rule(net.sizes, name)
    backprop = grads.flat()[net.flat_names().index(name)]
    assert chain.value(net, cache, y=1.0) == pytest.approx(
        backprop, rel=1e-12, abs=1e-15
    )
    assert chain.latex.startswith(
        r"\left(\hat y - y\right)"
    )  # blame starts at the residual


def test_the_first_layer_weights_chain_runs_through_every_layer():
    latex = symbolic.chain_rule([3, 3, 2, 1], "W1[0,0]").latex
    for part in (r"\sigma'\left(z^{(3)}\right)", r"\sigma'\left(z^{(2)}_{1}\right)",
                 r"\sigma'\left(z^{(1)}_{1}\right)", "x_{1}"):  # fmt: skip
        assert part in latex
    assert (
        latex.index("z^{(3)}") < latex.index("z^{(2)}_{1}") < latex.index("z^{(1)}_{1}")
    )


def test_backward_preview_reveals_deltas_layer_by_layer():
    net, grads, _ = seed_pass()
    e = explore.Explorable(
        plots.backward_preview(net, 1.0, {"w3": "W3[0,0]"}, {"x1": 0}, x=examples.SEED_X),
        [explore.parameter("step", "step", 0, 0, 3), explore.parameter("x1", "x", 1.0, -2, 2),
         explore.parameter("w3", "w", 1.2, -3, 3), explore.parameter("y", "y", 1.0, 0, 1),
         explore.learning_rate(1.0, 0.01, 10)], alt="x", static=["lr"])  # fmt: skip
    assert "forward pass only" in e.draw(step=0)
    one = e.draw(step=1)
    assert "δ⁽³⁾" in one and "δ⁽²⁾" not in one
    three = e.draw(step=3)
    assert f"{grads.deltas[0][0, 0]:.3f}".replace("-", "−") in three


def test_computational_graph_steps_back_from_the_error():
    from book_utils.autograd import neuron_graph

    names = ["x", "w", "w·x", "b", "z", "a", "y", "a − y", "E"]
    where = {k: (i / 9, 0.5) for i, k in enumerate(names)}
    graph = plots.computational_graph(lambda **v: neuron_graph(0.5, -1, 2, 0.8), where)
    e = explore.Explorable(graph, [explore.parameter("step", "step", 0, 0, 9)], alt="x")
    assert e.draw(step=0).startswith("Forward pass")
    assert "∂E/∂E = 1" in e.draw(step=1) and "∂E/∂w =" not in e.draw(step=8)
    assert e.draw(step=9).endswith("∂E/∂w = −0.15.")


def test_chain_factors_multiply_to_backprop():
    sliders = [
        explore.parameter("w", "w", 0.5, -3, 3),
        explore.parameter("x", "x", 2.0, -3, 3),
    ]
    e = explore.Explorable(plots.chain_factors(), sliders, alt="x")
    said = e.draw(w=1.3, x=-0.7)
    heights = [bar.get_height() for bar in e.fig.axes[0].patches[:3]]
    product = e.fig.axes[1].patches[0].get_height()
    assert product == pytest.approx(np.prod(heights), rel=1e-12)
    assert "equals backprop's" in said


def test_backward_checker():
    def sp(z):
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)

    def right(W1, W2, a0, z1, a1, z2, a2, dE):
        d2 = dE * sp(z2)
        d1 = (d2 @ W2) * sp(z1)
        return d1.T @ a0, d1.sum(0), d2.T @ a1, d2.sum(0)

    def forgot_slope(W1, W2, a0, z1, a1, z2, a2, dE):
        d2 = dE * sp(z2)
        d1 = d2 @ W2
        return d1.T @ a0, d1.sum(0), d2.T @ a1, d2.sum(0)

    assert exercises.check_backward(right).passed
    wrong = exercises.check_backward(forgot_slope)
    assert (
        not wrong.passed and "∂E/∂W⁽¹⁾" in wrong.message and "σ′(z⁽¹⁾)" in wrong.message
    )
    crash = exercises.check_backward(lambda *a: 1 / 0)
    assert "ZeroDivisionError" in crash.message
