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
    for part in (r"\sigma'(z^{(3)})", r"\sigma'(z^{(2)}_{1})",
                 r"\sigma'(z^{(1)}_{1})", "x_{1}"):  # fmt: skip
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
    e = explore.Explorable(graph, [explore.parameter("step", "step", 0, 0, 5)], alt="x")
    assert e.draw(step=0).startswith("Forward pass")
    one = e.draw(step=1)
    assert "∂E/∂E = 1" in one and "∂E/∂(a − y) = −0.3" in one and "∂E/∂a " not in one
    assert "∂E/∂w =" not in e.draw(step=4)
    assert e.draw(step=5).endswith("∂E/∂w = −0.15.")
    # the five operations, in the order Value.backward visits them
    steps = plots.graphs.backward_steps(neuron_graph(0.5, -1, 2, 0.8))
    assert steps == ["E", "a − y", "a", "z", "w·x"]


def test_the_fan_out_graph_adds_two_gradients_at_the_value_used_twice():
    from book_utils.autograd import fan_out_graph

    x, w1, w2 = 3.0, 0.5, -0.25
    graph = fan_out_graph(x, w1, w2)
    assert plots.graphs.consumers(graph)["x"] == ["w₁·x", "w₂·x"]
    z = w1 * x + w2 * x
    slope = np.exp(-z) / (1 + np.exp(-z)) ** 2
    one = plots.graphs.arrivals(graph, 3)["x"]  # a path still missing
    both = plots.graphs.arrivals(graph, 4)["x"]
    assert len(one) == 1 and len(both) == 2
    assert sorted(c for _, c in both) == pytest.approx(sorted([w1 * slope, w2 * slope]))
    assert graph["x"].grad == pytest.approx((w1 + w2) * slope, rel=1e-14)
    assert sum(c for _, c in both) == pytest.approx(graph["x"].grad, rel=1e-15)
    # each kind of box: + passes unchanged, × swaps, σ scales by its slope
    assert graph["w₁·x"].grad == graph["w₂·x"].grad == graph["z"].grad
    assert graph["z"].grad == pytest.approx(slope, rel=1e-14)
    assert graph["w₁"].grad == pytest.approx(x * slope, rel=1e-14)
    where = {k: (i / 7, 0.5) for i, k in enumerate(graph)}
    e = explore.Explorable(
        plots.computational_graph(lambda **v: fan_out_graph(x, w1, w2), where),
        [explore.parameter("step", "step", 0, 0, 4)],
        alt="x",
    )
    said = e.draw(step=3)
    assert "so far (1 of 2 paths)" in said
    assert (
        "+ …"
        in [t.get_text() for t in e.fig.axes[0].texts if "∂f/∂x" in t.get_text()][0]
    )
    assert "∂f/∂x = −0.05447 + 0.1089 = 0.05447" in e.draw(step=4)


@pytest.mark.parametrize("name", examples.seed_network().flat_names())
def test_the_sum_over_paths_is_sympys_derivative_for_every_parameter(name):
    net, grads, cache = seed_pass()
    paths = symbolic.path_sum(net.sizes, name)
    assert paths.agrees  # an identity, σ left abstract
    layer = int(name[1])
    assert len(paths.paths) == (2 if layer == 1 else 1)  # one per neuron of layer 2
    backprop = grads.flat()[net.flat_names().index(name)]
    assert sum(paths.values(net, cache, y=1.0)) == pytest.approx(
        backprop, rel=1e-12, abs=1e-16
    )


def test_a_missing_path_is_caught():
    paths = symbolic.path_sum([3, 3, 2, 1], "W1[0,0]")
    half = symbolic.PathSum(paths.name, paths.tex, paths.paths[:1], paths.through[:1],
                            paths.local)  # fmt: skip
    assert paths.agrees and not half.agrees


def test_sympy_confirms_every_step_of_the_derivation():
    steps = symbolic.derivation_steps((3, 3, 2, 1))
    counts = {}
    for s in steps:
        counts[s.equation] = counts.get(s.equation, 0) + 1
        assert s.holds, s
    assert counts == {"bp-output": 1, "bp-hidden": 5, "bp-weights": 17, "bp-biases": 6}
    assert [s.where for s in steps[:6]] == ["δ⁽³⁾", "δ⁽²⁾₁", "δ⁽²⁾₂", "δ⁽¹⁾₁", "δ⁽¹⁾₂",
                                             "δ⁽¹⁾₃"]  # fmt: skip
    # and on a network with two outputs (a sum over both in E)
    assert all(s.holds for s in symbolic.derivation_steps((2, 2, 2)))


def test_an_identity_check_can_fail():
    z = symbolic._Local([1, 1]).z[0][0]
    slope = symbolic._SigmaPrime(z)
    assert symbolic._identical(slope * (z + 1), slope * z + slope)
    assert not symbolic._identical(slope * z, z)  # σ′ forgotten


def test_the_hand_worked_numbers_are_the_engines():
    """Chapter 4's worked derivation, recomputed with plain NumPy, no engine."""
    net, grads, cache = seed_pass()
    W1, W2, W3 = (np.array(W) for W in net.weights)
    b1, b2, b3 = (np.array(b) for b in net.biases)
    x = np.array([1.0, 0.5, -1.0])
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    a1 = sig(W1 @ x + b1)
    a2 = sig(W2 @ a1 + b2)
    y_hat = sig(W3 @ a2 + b3)[0]
    d3 = (y_hat - 1.0) * y_hat * (1 - y_hat)
    d2 = W3[0] * d3 * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    assert round(d3, 4) == -0.1023 and round(d2[0], 4) == -0.0307
    assert round(d1[0], 5) == -0.00732 and round(d2[0] * a1[0], 5) == -0.01086
    np.testing.assert_allclose(grads.deltas[2].ravel(), [d3], rtol=1e-13)
    np.testing.assert_allclose(grads.deltas[1].ravel(), d2, rtol=1e-13)
    np.testing.assert_allclose(grads.deltas[0].ravel(), d1, rtol=1e-13)
    assert grads.dW[1][0, 0] == pytest.approx(d2[0] * a1[0], rel=1e-13)
    # the seed's three-factor formula, corrected: ∂ŷ/∂z⁽²⁾₁ has three factors itself
    hidden_chain = y_hat * (1 - y_hat) * W3[0, 0] * a2[0] * (1 - a2[0])
    assert round(hidden_chain, 4) == 0.073 and round(a2[0] * (1 - a2[0]), 4) == 0.2499
    assert d2[0] == pytest.approx((y_hat - 1) * hidden_chain, rel=1e-14)


def test_the_cost_counts_of_the_chapter():
    from book_utils import cost

    assert (cost.forward_multiply_adds([3, 3, 2, 1]),
            cost.backward_multiply_adds([3, 3, 2, 1]),
            cost.finite_difference_multiply_adds([3, 3, 2, 1])) == (17, 25, 782)  # fmt: skip
    for n in (2, 64, 1024):
        sizes = [3, n, n, 1]
        forward = 3 * n + n * n + n
        assert cost.forward_multiply_adds(sizes) == forward
        assert cost.backward_multiply_adds(sizes) == forward + n * n + n
        assert cost.n_params(sizes) == n * n + 6 * n + 1
        assert (
            cost.finite_difference_multiply_adds(sizes)
            == 2 * (n * n + 6 * n + 1) * forward
        )
        assert 2.5 <= (2 * forward + n * n + n) / forward < 3
    assert cost.cache_bytes([3, 3, 2, 1]) == 120
    assert cost.cache_bytes([64, 32, 10], batch=32) == 37_888


def test_the_cost_figure_plots_the_counts():
    from book_utils import cost
    from book_utils.plots import gradient_counts

    widths = [2, 16, 128]
    nets = [[3, n, n, 1] for n in widths]
    fw = [cost.forward_multiply_adds(s) for s in nets]
    bp = [f + cost.backward_multiply_adds(s) for f, s in zip(fw, nets)]
    fd = [cost.finite_difference_multiply_adds(s) for s in nets]
    params = [cost.n_params(s) for s in nets]
    e = explore.Explorable(
        gradient_counts(widths, params, fw, bp, fd),
        [explore.parameter("width", "n", 16, 2, 128, points=widths)],
        alt="x",
    )
    said = e.draw(width=16)
    assert f"{params[1]:,} parameters" in said and f"{bp[1]:,} (" in said
    lines = e.fig.axes[0].get_lines()
    assert [list(line.get_ydata()) for line in lines[:3]] == [fd, bp, fw]


def test_the_backward_drawing_shades_reached_neurons_sky_blue():
    """The chapter's alt text says so: reached neurons are sky blue, not vermillion."""
    from book_utils.plots.style import OKABE_ITO, rgb_of

    net, _, _ = seed_pass()
    e = explore.Explorable(
        plots.backward_preview(net, 1.0, {"w3": "W3[0,0]"}, {"x1": 0}, x=examples.SEED_X),
        [explore.parameter("step", "step", 1, 0, 3), explore.parameter("x1", "x", 1.0, -2, 2),
         explore.parameter("w3", "w", 1.2, -3, 3), explore.parameter("y", "y", 1.0, 0, 1),
         explore.learning_rate(1.0, 0.01, 10)], alt="x", static=["lr"])  # fmt: skip
    e.draw(step=1)
    faces = e.fig.axes[0].collections[0].get_facecolors()
    output = faces[-1][:3]
    sky = rgb_of(OKABE_ITO["sky"])
    assert np.allclose(output, 0.15 + 0.85 * sky)
    assert np.allclose(faces[0][:3], 1.0)  # inputs not reached: white


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


def test_the_output_delta_of_E_is_not_proportional_to_the_miss_but_cross_entropys_is():
    """Chapter 4's BP1: with E and a sigmoid, δ⁽ᵒᵘᵗ⁾ = (ŷ − y)σ′(z): a miss of 0.4
    asks for 3 times the correction of a miss of 0.2, a miss of 0.99 for less; with
    cross-entropy δ⁽ᵒᵘᵗ⁾ = ŷ − y (the archer's rule), and a softmax's is p − y."""
    from book_utils import Network, losses

    def delta(y_hat, loss):
        z = np.log(y_hat / (1 - y_hat))  # the output neuron's z for this ŷ
        one = Network([[1.0]], [[0.0]], "sigmoid")
        return one.loss_and_gradients([[z]], [[1.0]], loss)[1].deltas[0].item()

    d = [delta(1 - miss, "half_sse") for miss in (0.2, 0.4, 0.99)]
    assert [round(v, 4) for v in d] == [-0.032, -0.096, -0.0098]
    assert d[1] / d[0] == pytest.approx(3) and abs(d[2]) < abs(d[0])
    for miss in (0.2, 0.4, 0.99):
        assert delta(1 - miss, "binary_ce") == pytest.approx(-miss, rel=1e-9)
    # softmax + cross-entropy: the full Jacobian, transposed, times ∂L/∂p is p − y
    z = np.array([2.0, 1.0, 0.1])
    y = np.array([0.0, 0.0, 1.0])
    p = losses.softmax(z[None, :])[0]
    jacobian = np.diag(p) - np.outer(p, p)
    assert np.count_nonzero(jacobian) == 9
    np.testing.assert_allclose(jacobian.T @ (-y / p), p - y, rtol=1e-12)


def test_what_backprop_keeps_and_what_it_strictly_needs():
    from book_utils import cost

    net, grads, cache = seed_pass()
    kept = sum(v.nbytes for v in cache.zs + cache.activations)
    assert kept == cost.cache_bytes(net.sizes) == 120  # x, every z, every a
    assert sum(v.nbytes for v in cache.activations[1:]) == 48  # a⁽¹⁾ … a⁽ᴰ⁾
    assert cost.FLOAT_BYTES * 32 * (32 + 10) == 10_752  # 64-32-10, batch 32


def test_a_penalty_gives_one_weight_two_paths_that_add():
    from book_utils.autograd import Value

    w = Value(0.5, "w")
    E_lam = ((w * 2.0 - 1.0).sigmoid() - 0.8).half_squared() + 0.1 / 2 * w * w
    E_lam.backward()
    delta = (0.5 - 0.8) * 0.25  # exercise 3: z = 0, a = ½, σ′ = ¼
    assert w.grad == pytest.approx(delta * 2.0 + 0.1 * 0.5, rel=1e-14)
    assert round(w.grad, 4) == -0.1


def test_the_four_equations_are_labelled_and_ordered_as_nielsens():
    import json
    from pathlib import Path

    path = Path(__file__).parent.parent / "chapters" / "04_chain_rule.ipynb"
    text = "".join(
        "".join(c["source"])
        for c in json.loads(path.read_text())["cells"]
        if c["cell_type"] == "markdown"
    )
    labels = ["$$ (bp-output)", "$$ (bp-hidden)", "$$ (bp-biases)", "$$ (bp-weights)"]
    where = [text.index(label) for label in labels]
    assert where == sorted(where)  # BP1, BP2, BP3 (biases), BP4 (weights)
    for name in ("(BP1)", "(BP2)", "(BP3, BP4)"):
        assert name in text
    assert "proportional to the miss" not in text.replace("not proportional", "")
