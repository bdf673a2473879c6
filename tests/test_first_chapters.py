"""Chapters 1 and 2's claims, computed afresh: the worked matrix–vector product, the
sigmoid's slope derived step by step, and squared error against cross-entropy
(σ′ scales both losses' pushes alike: the ratio stays, the sizes change)."""

import numpy as np
import pytest
import sympy as sp

from book_utils import examples, explore, plots
from book_utils.activations import get_activation
from book_utils.losses import loss_gradient


def test_the_worked_matrix_vector_product_is_two_weighted_sums():
    """Chapter 1: W (the first two neurons of hidden layer 1) times x = (1, 0.5, −1)
    is one weighted sum per row, and the batch form X Wᵀ repeats it row by row."""
    W = examples.seed_network().weights[0][:2]
    x = examples.SEED_X.ravel()
    assert W.shape == (2, 3)
    by_hand = [sum(W[j, k] * x[k] for k in range(3)) for j in range(2)]
    np.testing.assert_allclose(W @ x, by_hand, rtol=0, atol=1e-15)
    np.testing.assert_allclose(W @ x, [-0.7, 1.25], atol=1e-15)
    X = np.array([x, [2.0, -1.0, 0.5]])
    assert W.T.shape == (3, 2)
    np.testing.assert_allclose((X @ W.T)[0], W @ x, atol=0)
    np.testing.assert_allclose((X @ W.T)[1], [1.15, 0.4], atol=1e-15)
    # σ(WX + b) is the same layer only with the examples as the columns of X
    np.testing.assert_allclose(W @ X.T, (X @ W.T).T, atol=0)
    assert (X @ W.T).shape == (2, 2) and (W @ X.T).shape == (2, 2)


def test_every_line_of_the_sigmoid_slope_derivation_is_its_derivative():
    z = sp.Symbol("z", real=True)
    g = 1 + sp.exp(-z)  # the quotient rule's g, and Exercise 4's
    slope = sp.diff(1 / g, z)
    lines = [(0 * g + sp.exp(-z)) / g**2, sp.exp(-z) / g**2,
             (1 / g) * (sp.exp(-z) / g), (1 / g) * (1 - 1 / g)]  # fmt: skip
    assert all(sp.simplify(line - slope) == 0 for line in lines)
    grid = np.linspace(-8, 8, 1601)
    values = get_activation("sigmoid").derivative(grid)
    assert values.max() == 0.25 == values[800]  # at most ¼, at z = 0


def pushes(y_hat, y=1.0):
    """|∂L/∂ŷ| and |∂L/∂z| (z the logit of a sigmoid output) for squared error and
    binary cross-entropy."""
    on_y = np.array([abs(loss_gradient(n, [[y_hat]], [[y]]).item())
                     for n in ("sse", "binary_ce")])  # fmt: skip
    return on_y, on_y * get_activation("sigmoid").from_output(np.float64(y_hat))


def test_sigma_prime_scales_both_pushes_alike_the_ratio_stays_51():
    """Chapter 2: at ŷ = 0.01, y = 1 the slopes are 1.98 and 100 (ratio 51); times
    σ′ = 0.0099 they are 0.0196 and 0.99: the same ratio, not a larger one."""
    on_y, on_z = pushes(0.01)
    np.testing.assert_allclose(on_y, [1.98, 100.0], rtol=1e-12)
    np.testing.assert_allclose(on_z, [0.0196020, 0.99], rtol=1e-6)
    assert on_y[1] / on_y[0] == pytest.approx(on_z[1] / on_z[0], rel=1e-12)
    assert round(on_y[1] / on_y[0]) == round(on_z[1] / on_z[0]) == 51
    # what changes is the size: both pushes shrink a hundredfold …
    assert on_z / on_y == pytest.approx(0.0099, rel=1e-12)
    # … and squared error pushes hardest at ŷ = 1/3, less the more wrong it is
    grid = np.linspace(0.001, 0.999, 999)
    se = np.array([pushes(p)[1][0] for p in grid])
    assert grid[np.argmax(se)] == pytest.approx(1 / 3, abs=1e-3)
    assert pushes(0.5)[1][0] / on_z[0] == pytest.approx(12.75, rel=1e-3)


def test_the_loss_comparison_bars_show_both_pushes():
    e = explore.Explorable(
        plots.loss_comparison(),
        [explore.choice("loss", "loss", ["squared error", "cross-entropy"]),
         explore.parameter("y_hat", "ŷ", 0.3, 0.01, 0.99),
         explore.parameter("y", "y", 1.0, 0.0, 1.0)], alt="x")  # fmt: skip
    said = e.draw(loss="squared error", y_hat=0.01, y=1.0)
    heights = [bar.get_height() for bar in e.fig.axes[1].patches]
    on_y, on_z = pushes(0.01)
    np.testing.assert_allclose(heights, [*on_y, *on_z], rtol=1e-12)
    assert "Push on ŷ: squared error 1.98, cross-entropy 100" in said
    assert "σ′ = 0.0099: squared error 0.0196, cross-entropy 0.99" in said
    # at the slider's other extremes every bar is drawn at its true height
    for y_hat, y in ((0.99, 1.0), (0.01, 0.0), (0.99, 0.0)):
        e.draw(loss="cross-entropy", y_hat=y_hat, y=y)
        heights = [bar.get_height() for bar in e.fig.axes[1].patches]
        np.testing.assert_allclose(heights, np.concatenate(pushes(y_hat, y)))
        assert min(heights) > plots.curves.PUSH_FLOOR
