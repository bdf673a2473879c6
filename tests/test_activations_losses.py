"""Every activation derivative and loss gradient, against finite differences and SymPy."""

import numpy as np
import pytest
import sympy as sp

from book_utils.activations import ACTIVATIONS, get_activation, sigmoid
from book_utils.gradcheck import numerical_gradient, relative_error
from book_utils.losses import LOSSES, get_loss, loss_gradient, loss_value, softmax

Z = np.array([-3.0, -1.2, -0.4, 0.3, 0.9, 2.5])  # no point near the ReLU kink


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_derivative_matches_finite_differences(name):
    act = get_activation(name)
    for z0 in Z:
        z = np.array([z0])
        numeric = numerical_gradient(lambda z=z: float(act.value(z)[0]), z)
        assert relative_error(act.derivative(np.array([z0])), numeric).max() < 1e-7, (
            name,
            z0,
        )


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_matches_sympy(name):
    act = get_activation(name)
    z = sp.Symbol("z", real=True)
    value = sp.lambdify(z, act.symbolic(z), "numpy")
    deriv = sp.lambdify(z, sp.diff(act.symbolic(z), z), "numpy")
    for z0 in Z:
        assert abs(float(value(z0)) - float(act.value(np.array([z0]))[0])) < 1e-12
        assert abs(float(deriv(z0)) - float(act.derivative(np.array([z0]))[0])) < 1e-12


def test_sigmoid_is_stable_at_extremes():
    with np.errstate(
        over="raise", divide="raise", invalid="raise"
    ):  # any overflow would raise here
        s = sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    assert s.tolist() == [0.0, 0.5, 1.0]


def test_relu_derivative_is_zero_for_negative_inputs():
    relu = get_activation("relu")
    assert relu.derivative(np.array([-2.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 1.0]


def _loss_case(name, rng):
    if name == "binary_ce":
        return rng.uniform(0.05, 0.95, size=(3, 2)), rng.integers(
            0, 2, size=(3, 2)
        ).astype(float)
    if name == "softmax_ce":
        return rng.normal(size=(3, 4)), np.eye(4)[rng.integers(0, 4, size=3)]
    return rng.normal(size=(3, 2)), rng.normal(size=(3, 2))


@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradient_matches_finite_differences(name):
    y_hat, y = _loss_case(name, np.random.default_rng(0))
    numeric = numerical_gradient(lambda: loss_value(name, y_hat, y), y_hat)
    assert relative_error(loss_gradient(name, y_hat, y), numeric).max() < 1e-7


@pytest.mark.parametrize("name", LOSSES)
def test_loss_matches_sympy(name):
    y_hat, y = _loss_case(name, np.random.default_rng(1))
    Yh = sp.Matrix(*y_hat.shape, lambda i, j: sp.Symbol(f"p{i}{j}", real=True))
    expr = get_loss(name).symbolic(Yh, sp.Matrix(y))
    subs = {
        Yh[i, j]: y_hat[i, j]
        for i in range(y_hat.shape[0])
        for j in range(y_hat.shape[1])
    }
    assert abs(float(expr.subs(subs)) - loss_value(name, y_hat, y)) < 1e-12
    grad = np.array(
        [
            [float(sp.diff(expr, Yh[i, j]).subs(subs)) for j in range(y_hat.shape[1])]
            for i in range(y_hat.shape[0])
        ]
    )
    assert np.abs(grad - loss_gradient(name, y_hat, y)).max() < 1e-12


def test_half_sse_gradient_has_no_factor_two():
    # the ½ is there so the 2 of the derivative cancels (seeds 000 and 003)
    assert loss_gradient("half_sse", [[3.0]], [[1.0]]).item() == 2.0
    assert loss_gradient("sse", [[3.0]], [[1.0]]).item() == 4.0


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    z = np.array([[1000.0, -1000.0, 0.0]])
    y = np.array([[1.0, 0.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert loss_value("softmax_ce", z, y) == pytest.approx(0.0, abs=1e-12)
        assert loss_value("softmax_ce", z, y[:, ::-1].copy()) == pytest.approx(1000.0)
        assert np.all(np.isfinite(loss_gradient("softmax_ce", z, y)))
    assert softmax(z).sum() == pytest.approx(1.0)


def test_binary_cross_entropy_survives_log_zero():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = loss_value("binary_ce", [[1.0], [0.0]], [[0.0], [1.0]])
    assert (
        np.isfinite(value) and value > 20
    )  # confidently wrong is punished hard, not infinitely
