"""Gradient descent over epochs: learning happens, divergence is reported, never NaN."""

import numpy as np

from book_utils import Network, datasets
from book_utils.training import train


def test_loss_decreases_on_xor():
    X, Y = datasets.xor()
    net = Network.random([2, 3, 1], "sigmoid", seed=0)
    history = train(net, X, Y, "half_sse", lr=2.0, epochs=3000)
    assert history.status == "ok" and history.diverged_at is None
    assert len(history.losses) == 3001
    assert history.losses[-1] < 0.05 * history.losses[0]
    assert np.all(np.abs(net.predict(X) - Y) < 0.25)  # XOR is actually learned


def test_mini_batch_sgd_is_seeded_and_learns():
    X, Y = datasets.regression_1d(40)
    runs = []
    for _ in range(2):
        net = Network.random([1, 8, 1], ["tanh", "identity"], seed=1)
        runs.append(train(net, X, Y, "mse", lr=0.05, epochs=200, batch_size=8, seed=7))
    assert runs[0].losses == runs[1].losses  # same seed, same numbers
    assert runs[0].losses[-1] < 0.5 * runs[0].losses[0]


def test_huge_learning_rate_reports_divergence_with_its_epoch():
    X, Y = datasets.xor()
    net = Network.random([2, 3, 1], ["tanh", "identity"], seed=0)
    history = train(net, X, Y, "half_sse", lr=50.0, epochs=100, record_params=True)
    assert (
        history.diverged
        and history.diverged_at is not None
        and 1 <= history.diverged_at <= 100
    )
    assert history.message == f"diverged at epoch {history.diverged_at}"
    assert (
        len(history.losses) == history.diverged_at
    )  # the losses before the blow-up, all finite
    assert np.all(np.isfinite(history.losses))
    assert all(np.all(np.isfinite(p)) for p in history.params)
    assert np.all(
        np.isfinite(net.get_flat())
    )  # the network is left at its last finite state


def test_record_params_stores_the_path():
    X, Y = datasets.line(10)
    net = Network([[0.0]], [[0.0]], "identity")
    history = train(net, X, Y, "mse", lr=0.01, epochs=5, record_params=True)
    assert len(history.params) == 6 and history.params[0].tolist() == [0.0, 0.0]
    assert np.array_equal(history.params[-1], net.get_flat())


def test_datasets_are_deterministic():
    for make in (
        datasets.moons,
        datasets.spirals,
        datasets.regression_1d,
        datasets.line,
    ):
        a, b = make(), make()
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    X, Y = datasets.spirals(30, classes=3)
    assert X.shape == (30, 2) and Y.shape == (30, 3) and Y.sum() == 30


def test_only_trains_the_named_parameters():
    X, Y = datasets.line(10)
    net = Network([[0.0]], [[0.5]], "identity")
    history = train(
        net, X, Y, "mse", lr=0.01, epochs=5, only=["W1"], record_params=True
    )
    assert net.biases[0][0] == 0.5 and net.weights[0][0, 0] != 0.0
    assert all(p[1] == 0.5 for p in history.params)


def test_only_refuses_unknown_parameters():
    X, Y = datasets.line(10)
    import pytest

    with pytest.raises(ValueError, match=r"cannot train \['W2'\]"):
        train(Network([[0.0]], [[0.0]], "identity"), X, Y, "mse", only=["W2"])


def test_validation_loss_and_epoch_snapshots_are_recorded():
    X, Y = datasets.regression_1d(40)
    Xv, Yv = datasets.regression_1d(20, seed=1)
    net = Network.random([1, 6, 1], ["tanh", "identity"], seed=2)
    history = train(net, X, Y, "mse", lr=0.05, epochs=7, batch_size=8,
                    record_epochs=True, validation=(Xv, Yv))  # fmt: skip
    assert len(history.val_losses) == len(history.losses) == len(history.snapshots) == 8
    assert history.steps_per_epoch == 5
    assert np.array_equal(history.snapshots[-1], net.get_flat())
    assert history.val_losses[-1] == net.loss(Xv, Yv, "mse")


def test_accuracy_for_one_output_and_for_classes():
    net = Network([[10.0]], [[-5.0]], "sigmoid")  # ŷ > ½ exactly when x > 0.5
    assert (
        train_accuracy(net, [[0.0], [1.0], [0.2], [0.9]], [[0], [1], [1], [1]]) == 0.75
    )
    three = Network([np.eye(3)], [np.zeros(3)], "identity")  # class: the largest input
    assert train_accuracy(three, np.eye(3)[[0, 2, 1]], np.eye(3)[[0, 2, 2]]) == 2 / 3


def train_accuracy(net, X, Y):
    from book_utils.metrics import accuracy

    return accuracy(net, np.array(X, float), np.array(Y, float))


def test_initialisations_have_the_spread_they_promise():
    import pytest

    for init, s in (
        ("lecun", 1 / np.sqrt(400)),
        ("glorot", np.sqrt(2 / 800)),
        ("he", np.sqrt(2 / 400)),
    ):
        w = Network.random([400, 400], init=init, seed=1).weights[0]
        assert w.std() == pytest.approx(s, rel=0.02), init
    with pytest.raises(ValueError, match="unknown init 'xavier'"):
        Network.random([2, 2], init="xavier")


def test_digits_split_is_fixed_and_disjoint():
    a, b = datasets.digits(), datasets.digits()
    assert np.array_equal(a["test"][0], b["test"][0])
    sizes = [len(a[k][0]) for k in ("train", "validation", "test")]
    assert sizes == [1200, 297, 300] and sum(sizes) == 1797
    assert a["train"][0].min() >= 0 and a["train"][0].max() <= 1
    assert np.array_equal(np.argmax(a["test"][1], axis=1), a["labels"])


def test_curvature_sets_the_largest_learning_rate_chapter_5():
    """Chapter 5 defines curvature as the second derivative (how fast the slope
    changes) and says η must stay below 2 over the steepest one: for seed 002's
    weight L'' = 2x² = 50, so 0.04; for the tilted valley of the line 2/18.6, where
    0.1 still converges and 0.12 diverges, and the valley is 38 times steeper
    across than along (Chapter 10 reuses it)."""
    import json
    from pathlib import Path

    from book_utils import examples

    def slope(w):
        net = examples.seed_neuron(w)
        return net.loss_and_gradients([[5.0]], [[12.0]], "sse")[1].dW[0].item()

    curvature = slope(3.0) - slope(2.0)
    assert curvature == 50.0 == 2 * 5.0**2
    for eta, diverges in ((0.95 * 2 / curvature, False), (1.05 * 2 / curvature, True)):
        run = train(examples.seed_neuron(), [[5.0]], [[12.0]], "sse", lr=eta,
                    epochs=300, only=["W1"])  # fmt: skip
        assert run.diverged == diverges, eta
    X, Y = datasets.line(n=20, slope=2.0, intercept=1.0, noise=0.5, seed=0)
    x = X.ravel()
    flat, steep = np.linalg.eigvalsh(
        2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
    )
    assert round(steep / flat) == 38 and 0.1 < 2 / steep < 0.12
    for eta, diverges in ((0.1, False), (0.12, True)):
        run = train(Network([[-0.5]], [[5.0]], "identity"), X, Y, "mse", lr=eta,
                    epochs=200)  # fmt: skip
        assert run.diverged == diverges, eta
    cells = json.loads(
        (Path(__file__).parent.parent / "chapters/05_update.ipynb").read_text()
    )["cells"]
    text = "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )
    text = " ".join(text.split())
    defined = text.index("How sharply a loss bends is its *curvature*: its second")
    assert defined < text.index("stay below 2 over the steepest curvature")
