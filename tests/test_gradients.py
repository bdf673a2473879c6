"""Chapter 3's engine: finite differences and their best step, and the gradient drawings."""

import numpy as np
import pytest
import sympy as sp

from book_utils import Network, cost, examples, explore, gradcheck, plots
from book_utils.gradcheck import best_step

X, Y, B = np.array([[2.0]]), np.array([[0.8]]), -1.0


def E(w):
    return Network([[w]], [[B]], "sigmoid").loss(X, Y, "half_sse")


def exact_slope():
    w = sp.Symbol("w")
    E_w = (1 / (1 + sp.exp(-(2 * w + B))) - 0.8) ** 2 / 2
    return sp.lambdify(w, sp.diff(E_w, w))


def test_step_size_sweep_finds_the_best_steps_theory_predicts():
    """Truncation against round-off: the balance with its constants, as Chapter 3 now
    writes it, puts the best central step at (6ε)^(1/3) ≈ 1.1e-5 and the best forward
    step at √(2ε) ≈ 2.1e-8; the measured stars sit within a factor 3 of both."""
    hs = np.logspace(-14, -1, 53)
    errors = gradcheck.step_size_sweep(E, exact_slope(), np.linspace(-3, 4, 40), hs)
    best_c, err_c = best_step(hs, errors["central"])
    best_f, err_f = best_step(hs, errors["forward"])
    assert 1e-7 <= best_c <= 1e-4 and 1e-10 <= best_f <= 1e-6
    eps = gradcheck.EPS
    assert (6 * eps) ** (1 / 3) / 3 < best_c < (6 * eps) ** (1 / 3) * 3
    assert (2 * eps) ** 0.5 / 3 < best_f < (2 * eps) ** 0.5 * 3
    assert err_c < err_f / 100  # central is far more accurate at its best
    big = hs > 1e-3  # pure truncation: slopes 1 and 2 on log-log axes
    slope_f = np.polyfit(np.log(hs[big]), np.log(errors["forward"][big]), 1)[0]
    slope_c = np.polyfit(np.log(hs[big]), np.log(errors["central"][big]), 1)[0]
    assert slope_f == pytest.approx(1, abs=0.15) and slope_c == pytest.approx(
        2, abs=0.15
    )
    tiny = hs < 1e-11  # pure round-off: the error grows as h shrinks
    assert errors["central"][tiny][0] > errors["central"][tiny][-1]


def test_difference_refuses_bad_steps_and_methods():
    with pytest.raises(ValueError, match="step h must be a finite number > 0"):
        gradcheck.difference(E, 0.0, 0.0)
    with pytest.raises(ValueError, match="unknown method 'backward'"):
        gradcheck.difference(E, 0.0, 1e-3, "backward")
    parabola = lambda w: (12 - 5 * w) ** 2  # noqa: E731
    assert gradcheck.difference(parabola, 2.0, 0.1, "central") == pytest.approx(
        -20, abs=1e-9
    )
    assert gradcheck.difference(parabola, 2.0, 0.1, "forward") == pytest.approx(
        -17.5, abs=1e-9
    )


def test_secants_are_drawn_with_the_slopes_of_the_differences():
    e = explore.Explorable(plots.slope_and_secant(X, Y, "half_sse", b=B),
                           [explore.parameter("w", "w", 0.5, -3, 4),
                            explore.parameter("h", "h", 0.5, 0.001, 2.0)], alt="x")  # fmt: skip
    e.png(w=0.5, h=0.5)
    lines = {line.get_label(): line for line in e.fig.axes[0].get_lines()}
    for label, method in (("central secant", "central"), ("forward secant", "forward")):
        xs, ys = lines[label].get_data()
        slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
        assert slope == pytest.approx(
            gradcheck.difference(E, 0.5, 0.5, method), rel=1e-9
        )
    xs, ys = lines["tangent (backprop)"].get_data()
    g = (
        Network([[0.5]], [[B]], "sigmoid")
        .loss_and_gradients(X, Y, "half_sse")[1]
        .dW[0]
        .item()
    )
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(g, rel=1e-9)


def test_blame_bars_show_every_gradient_and_name_the_queen():
    net = examples.seed_network()
    e = explore.Explorable(
        plots.blame_bars(net, examples.SEED_X, params={"w3": "W3[0,0]"},
                         inputs={"x1": 0}, target="y"),
        [explore.parameter("x1", "x₁", 1.0, -2, 2), explore.parameter("w3", "w", 1.2, -3, 3),
         explore.parameter("y", "y", 1.0, 0, 1)], alt="x", static=["x1"])  # fmt: skip
    said = e.draw()
    grads = net.loss_and_gradients(examples.SEED_X, examples.SEED_Y, "half_sse")[
        1
    ].flat()
    heights = [bar.get_height() for bar in e.fig.axes[0].patches[: net.n_params]]
    np.testing.assert_allclose(heights, np.maximum(np.abs(grads), plots.bars.FLOOR))
    assert "b⁽³⁾₁" in said and "w⁽¹⁾₃₂" in said  # the queen and the pawn of the chapter


def test_gradient_arrow_is_the_gradient_and_one_step_lowers_the_error():
    X2, Y2 = np.array([[2.0], [-1.0]]), np.array([[0.8], [0.3]])
    e = explore.Explorable(
        plots.gradient_on_surface(X2, Y2, "half_sse", (-3, 4), (-3, 3)),
        [explore.parameter("w", "w", -1.0, -3, 4), explore.parameter("b", "b", 1.0, -3, 3),
         explore.learning_rate(3.0, 0.1, 30)], alt="x", static=["lr"])  # fmt: skip
    said = e.draw()
    up = [t for t in e.fig.axes[0].texts if getattr(t, "arrow_patch", None)][0]
    direction = np.subtract(up.xy, up.xyann)
    net = Network([[-1.0]], [[1.0]], "sigmoid")
    E0, g, _ = net.loss_and_gradients(X2, Y2, "half_sse")
    grad = np.array([g.dW[0].item(), g.db[0].item()])
    cos = direction @ grad / np.linalg.norm(direction) / np.linalg.norm(grad)
    assert cos == pytest.approx(1.0, abs=1e-12)  # the uphill arrow is +∇E
    after = Network([[-1.0 - 3 * grad[0]]], [[1.0 - 3 * grad[1]]], "sigmoid").loss(
        X2, Y2, "half_sse"
    )
    assert after < E0 and f"{E0:.4f}" in said


def test_at_x1_6_only_the_second_neurons_factor_shrinks_7_times():
    """Chapter 3, "Blame in a real network": pushing x₁ from 1 to 6 shrinks δ⁽¹⁾₂
    (neuron 2's shared factor) about 7.3 times, and with it its bias and the weights
    that read x₂ and x₃; but w⁽¹⁾₂₁ reads x₁, which grew 6 times, so its blame falls
    only about 1.2 times (0.0037 → 0.0030); w⁽¹⁾₁₁'s grows about 6.2 times."""
    net = examples.seed_network()
    x1, y = examples.SEED_X, examples.SEED_Y
    x6 = x1.copy()
    x6[0, 0] = 6.0
    g1 = net.loss_and_gradients(x1, y, "half_sse")[1]
    g6 = net.loss_and_gradients(x6, y, "half_sse")[1]
    sink = g1.deltas[0][0, 1] / g6.deltas[0][0, 1]
    assert sink == pytest.approx(7.28, abs=0.01)
    np.testing.assert_allclose(g1.dW[0][1, 1:] / g6.dW[0][1, 1:], sink)
    assert g1.db[0][1] / g6.db[0][1] == pytest.approx(sink)
    fall21 = g1.dW[0][1, 0] / g6.dW[0][1, 0]
    assert fall21 == pytest.approx(sink / 6) and fall21 == pytest.approx(1.21, abs=0.01)
    assert (round(g1.dW[0][1, 0], 4), round(g6.dW[0][1, 0], 4)) == (0.0037, 0.0030)
    assert g6.dW[0][0, 0] / g1.dW[0][0, 0] == pytest.approx(6.19, abs=0.01)


def test_the_cost_counts_chapter_3_states():
    """Counted, not timed: the 3-3-2-1 network's forward pass is 17 multiply-adds,
    its backward pass 25 (17 for the weights' gradients, 8 to pass δ down), every
    gradient ≈ 2.5 forward passes (≤ 3 for any network); finite differences 2 passes
    per parameter, 46 for its 23 parameters."""
    sizes = [3, 3, 2, 1]
    assert cost.forward_multiply_adds(sizes) == 17
    assert cost.backward_multiply_adds(sizes) == 25
    assert cost.backprop_in_forward_passes(sizes) == 42 / 17
    assert round(42 / 17, 1) == 2.5
    assert cost.n_params(sizes) == 23
    assert cost.finite_difference_multiply_adds(sizes) == 46 * 17 == 782
    image = [784, 256, 256, 10]
    assert cost.n_params(image) == 269_322
    assert cost.backprop_in_forward_passes(image) == pytest.approx(2.2533, abs=1e-4)
    assert cost.backprop_in_forward_passes([100, 50, 10]) == pytest.approx(
        2.09, abs=0.01
    )
    for sizes in ([3, 3, 2, 1], image, [100, 50, 10], [5, 1], [2, 40, 40, 40, 1]):
        assert 1 <= cost.backprop_in_forward_passes(sizes) <= 3


def test_h_1e6_central_beats_every_forward_difference():
    """Chapter 3's main-line conclusion: with h = 10⁻⁶ the central difference is off
    by a few 10⁻¹¹ at most (root-mean-square over 40 weights), less than the forward
    difference at its best h."""
    ws = np.linspace(-3, 4, 40)
    at = gradcheck.step_size_sweep(E, exact_slope(), ws, [1e-6])
    hs = np.logspace(-14, -1, 53)
    sweep = gradcheck.step_size_sweep(E, exact_slope(), ws, hs)
    assert at["central"].item() < 1e-10
    assert at["central"].item() < best_step(hs, sweep["forward"])[1]
    assert at["central"].item() == sweep["central"][32]  # hs[32] is 10⁻⁶ exactly


def test_the_central_secant_wins_only_once_h_is_small():
    """Chapter 3: at w = 1.5 and h = 1 the central secant has the wrong sign and the
    forward one is closer; at h = 0.01 the central one wins."""
    g = Network([[1.5]], [[B]], "sigmoid").loss_and_gradients(X, Y, "half_sse")[1]
    g = g.dW[0].item()
    fwd, cen = (gradcheck.difference(E, 1.5, 1.0, m) for m in ("forward", "central"))
    assert round(g, 4) == 0.017 and round(cen, 4) == -0.0142 and cen * g < 0
    assert abs(fwd - g) < abs(cen - g)
    small = [gradcheck.difference(E, 1.5, 0.01, m) for m in ("forward", "central")]
    assert abs(small[1] - g) < abs(small[0] - g) / 10


def test_the_two_sensitivities_add_for_a_small_step():
    """Chapter 3: ΔE ≈ ∂E/∂w Δw + ∂E/∂b Δb, the dot product, at (w, b) = (−1, 1)."""
    X2, Y2 = np.array([[2.0], [-1.0]]), np.array([[0.8], [0.3]])
    E0, g, _ = Network([[-1.0]], [[1.0]], "sigmoid").loss_and_gradients(
        X2, Y2, "half_sse"
    )
    step = np.array([0.01, -0.02])
    predicted = np.dot([g.dW[0].item(), g.db[0].item()], step)
    moved = Network([[-0.99]], [[0.98]], "sigmoid").loss(X2, Y2, "half_sse") - E0
    assert moved == pytest.approx(predicted, rel=0.02)
