"""Bad input gets a ValueError that names the problem."""

import numpy as np
import pytest

from book_utils import Network, datasets
from book_utils.activations import get_activation
from book_utils.explore import Slider
from book_utils.losses import get_loss, loss_value
from book_utils.training import gradient_descent_step, train


def net():
    return Network(
        [[[1.0, 2.0], [3.0, 4.0]], [[1.0, 1.0]]],
        [[0.0, 0.0], [0.0]],
        ["sigmoid", "identity"],
    )


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'.*sigmoid.*relu"):
        get_activation("swish")
    with pytest.raises(ValueError, match="unknown activation"):
        Network([[[1.0]]], [[0.0]], ["softplus"])


def test_unknown_loss_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'.*half_sse.*softmax_ce"):
        get_loss("hinge")
    with pytest.raises(ValueError, match="unknown loss"):
        net().loss([[1.0, 2.0]], [[1.0]], "hinge")


def test_mismatched_input_shape_quotes_both():
    with pytest.raises(
        ValueError,
        match=r"X has shape \(1, 3\) but the network expects \(n_samples, 2\)",
    ):
        net().predict([[1.0, 2.0, 3.0]])


def test_mismatched_target_shape_quotes_both():
    with pytest.raises(ValueError, match=r"y_hat \(2, 1\) vs y \(2, 2\)"):
        net().loss([[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"y_hat \(1, 2\) vs y \(1, 3\)"):
        loss_value("mse", [[1.0, 2.0]], [[1.0, 2.0, 3.0]])


def test_weights_with_wrong_shapes():
    with pytest.raises(
        ValueError, match=r"W2 has shape \(1, 3\) but layer 1 has 2 neurons"
    ):
        Network([np.ones((2, 2)), np.ones((1, 3))], [np.zeros(2), np.zeros(1)])
    with pytest.raises(
        ValueError, match=r"b1 has shape \(3,\) but W1 has shape \(2, 2\)"
    ):
        Network([np.ones((2, 2))], [np.zeros(3)])
    with pytest.raises(ValueError, match="2 weight matrices but 1 bias"):
        Network([np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"W1 needs shape \(2, 2\), got \(3,\)"):
        net().set_param("W1", [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="has 3 entries but the network has 9"):
        net().set_flat([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="non-finite"):
        Network([[[np.nan]]], [[0.0]])


def test_empty_data():
    with pytest.raises(ValueError, match="empty data"):
        net().predict(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="empty data"):
        loss_value("half_sse", [], [])
    with pytest.raises(ValueError, match="n must be a whole number"):
        datasets.moons(0)


@pytest.mark.parametrize(
    "lr, message",
    [
        (0.0, "must be positive"),
        (-0.1, "must be positive"),
        (float("nan"), "must be finite"),
        (float("inf"), "must be finite"),
        ("fast", "must be a number"),
    ],
)
def test_bad_learning_rate(lr, message):
    with pytest.raises(ValueError, match=f"learning rate {message}"):
        gradient_descent_step(0.8, 0.3, lr)
    X, Y = datasets.xor()
    with pytest.raises(ValueError, match=f"learning rate {message}"):
        train(Network.random([2, 2, 1], seed=0), X, Y, lr=lr, epochs=3)


@pytest.mark.parametrize("epochs", [0, -1, 2.5])
def test_bad_epochs(epochs):
    X, Y = datasets.xor()
    with pytest.raises(ValueError, match="epochs must be a whole number ≥ 1"):
        train(Network.random([2, 2, 1], seed=0), X, Y, lr=0.1, epochs=epochs)


def test_bad_slider():
    with pytest.raises(ValueError, match="default 5 is outside"):
        Slider("w", "w", -1, 1, 5)
    with pytest.raises(ValueError, match="log slider 'lr' needs min > 0"):
        Slider("lr", "η", 0, 1, 0.1, log=True)
