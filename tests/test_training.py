"""Gradient descent over epochs: learning happens, divergence is reported, never NaN."""

import numpy as np
import pytest

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


# ----- Chapter 5 after the fresh-eyes review ----------------------------------------------
def _chapter_5_text() -> str:
    import json
    from pathlib import Path

    cells = json.loads(
        (Path(__file__).parent.parent / "chapters/05_update.ipynb").read_text()
    )["cells"]
    return "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )


def test_a_small_step_lowers_the_loss_by_about_eta_times_the_slope_squared():
    """ΔL ≈ −η (∂L/∂w)²: at w = 2 with η = 0.01 it predicts −4; the step really
    lowers L from 4 to 1 (−3): first order is close, not exact."""
    from book_utils import examples

    net = examples.seed_neuron()
    L, grads, _ = net.loss_and_gradients([[5.0]], [[12.0]], "sse")
    g = grads.dW[0].item()
    after = examples.seed_neuron(2.0 - 0.01 * g).loss([[5.0]], [[12.0]], "sse")
    assert -0.01 * g**2 == -4.0 and after - L == pytest.approx(-3.0)
    for eta in (1e-3, 1e-4):  # the smaller the step, the closer the prediction
        after = examples.seed_neuron(2.0 - eta * g).loss([[5.0]], [[12.0]], "sse")
        assert (after - L) / (-eta * g**2) == pytest.approx(1, abs=30 * eta)
    text = _chapter_5_text()
    assert r"\Delta L \approx -\eta" in text and "steepest descent" in text


def test_the_valleys_curvatures_floor_and_centring_are_what_chapter_5_says():
    """Review items 10, 14 and 15: H = (2/N)[[Σx², Σx], [Σx, N]] is the engine's
    gradient's change per unit step; its eigenvalues are 18.6 and 0.49; the floor runs
    along Δb/Δw = −3.32 (not −2.5); centring alone gives 4.6 and 2, and with scaling
    both are 2."""
    X, Y = datasets.line(n=20, slope=2.0, intercept=1.0, noise=0.5, seed=0)
    x, n = X.ravel(), len(X)

    def grad(w, b):
        g = Network([[w]], [[b]], "identity").loss_and_gradients(X, Y, "mse")[1]
        return np.array([g.dW[0].item(), g.db[0].item()])

    H = 2 / n * np.array([[np.sum(x**2), np.sum(x)], [np.sum(x), n]])
    per_unit = np.column_stack([grad(1.5, 0.0) - grad(0.5, 0.0),
                                grad(0.5, 1.0) - grad(0.5, 0.0)])  # fmt: skip
    np.testing.assert_allclose(per_unit, H, rtol=1e-12)
    (flat, steep), vectors = np.linalg.eigh(H)
    assert f"{steep:.3g}" == "18.6" and f"{flat:.2f}" == "0.49"
    assert vectors[1, 0] / vectors[0, 0] == pytest.approx(-3.32, abs=0.005)
    u = np.array([1.0, -2.5]) / np.hypot(1, 2.5)
    assert u @ H @ u > 1.2 * flat  # the old "2.5 times" was not the floor
    xc = x - x.mean()
    assert sorted(np.linalg.eigvalsh(2 * np.diag([np.mean(xc**2), 1.0]))) == (
        pytest.approx([2.0, 4.6], abs=0.01)
    )
    text = " ".join(_chapter_5_text().split())
    assert "by $2.5$ times as much" not in text
    assert "almost round" not in text and "round bowl" in text
    assert "starts to overshoot the bottom once $\\eta$ passes $1/L''$" in text
    assert "one-weight example's neuron" not in text
    assert "Going deeper: where the curvatures come from" in text


def test_chapter_5_states_both_rules_of_the_verdict_and_that_networks_are_not_bowls():
    """Review items 1 and 31: ≤ 10⁻⁷, or a difference below 50 ε_mach max(1, |L|)/h;
    CS231n's max(|a|, |n|); swapping two hidden neurons of a trained network gives a
    second bottom with a ridge between them."""
    from book_utils import examples, gradcheck

    assert gradcheck.verdict(0.5, 1e-9, gradcheck.noise_floor(1.0)) == "good"
    text = " ".join(_chapter_5_text().split())
    assert r"50\,\varepsilon_{\text{mach}} \max(1, |L|)/h" in text
    assert "CS231n's notes {cite}`cs231n` divide by the larger" in text
    net, run, X, Y = examples.separation_run("XOR")
    net.set_flat(run.snapshots[-1])
    twin = net.copy()
    twin.weights[0][[3, 5]] = twin.weights[0][[5, 3]]
    twin.biases[0][[3, 5]] = twin.biases[0][[5, 3]]
    twin.weights[1][:, [3, 5]] = twin.weights[1][:, [5, 3]]
    assert twin.loss(X, Y, "binary_ce") == pytest.approx(net.loss(X, Y, "binary_ce"))
    mid = net.copy()
    mid.set_flat((net.get_flat() + twin.get_flat()) / 2)
    assert mid.loss(X, Y, "binary_ce") > 50 * net.loss(X, Y, "binary_ce")
    assert "saddle points" in text
