"""Chapter 6 (epochs): the runs it shows do what its text says, and its drawings and
helpers hold up at their edges."""

import numpy as np
import pytest

from book_utils import datasets, examples, explore, metrics, plots, training
from book_utils.diagnostics import minibatch_gradients, spread


@pytest.mark.parametrize("name", examples.PLANE_SETS)
def test_the_chapters_network_learns_each_plane_set(name):
    """The text's claim (≥ 99 % right after the run at η = 1) holds, and the run
    passes 95 % somewhere along the way, which the text reports as an epoch."""
    acc = metrics.accuracy_per_epoch(*examples.separation_run(name, 1.0, 8))
    assert acc[-1] >= 0.99, (name, acc[-1])
    assert acc[0] < 0.8, "epoch 0 should be a guess"
    assert np.flatnonzero(acc >= 0.95).size


def test_a_tenth_of_the_step_is_not_enough_and_thirty_times_thrashes():
    slow = {n: metrics.accuracy_per_epoch(*examples.separation_run(n, 0.1, 8))
            for n in examples.PLANE_SETS}  # fmt: skip
    good = {n: metrics.accuracy_per_epoch(*examples.separation_run(n, 1.0, 8))
            for n in examples.PLANE_SETS}  # fmt: skip
    assert all(slow[n][-1] < good[n][-1] for n in ("moons", "spirals"))
    for n in ("moons", "spirals"):
        wild = metrics.accuracy_per_epoch(*examples.separation_run(n, 30.0, 8))
        assert wild.max() < 0.95, n


def test_the_validation_loss_turns_up_while_the_training_loss_falls():
    _, run, X, _ = examples.memorising_run(32)
    val = np.array(run.val_losses)
    stop = int(np.argmin(val))
    assert 0 < stop < run.epochs
    assert run.losses[-1] < run.losses[stop]
    assert val[-1] > 1.2 * val[stop]
    assert len(X) == 40


def test_train_is_the_loop_the_chapter_writes_out():
    task = examples.plane("moons")
    net, twin = task.network(), task.network()
    rng, n = np.random.default_rng(0), len(task.X)
    for _ in range(2):
        order = rng.permutation(n)
        for start in range(0, n, 30):
            rows = order[start : start + 30]
            grads = net.loss_and_gradients(task.X[rows], task.Y[rows], task.loss)[1]
            for p, g in zip(net.params().values(), grads.by_name().values()):
                p -= 1.0 * g
    training.train(twin, task.X, task.Y, task.loss, lr=1.0, epochs=2, batch_size=30)
    assert np.array_equal(net.get_flat(), twin.get_flat())


def test_minibatch_noise_follows_the_square_root_law():
    task = examples.plane("moons", n=80)
    net = task.network()
    full = net.loss_and_gradients(task.X, task.Y, task.loss)[1].flat()
    s = {B: spread(minibatch_gradients(net, task.X, task.Y, task.loss, B, 400), full)
         for B in (1, 4, 16, 80)}  # fmt: skip
    n = 80
    for B in (4, 16):  # without replacement: spread(1)·√((n − B) / (B (n − 1)))
        predicted = s[1] * np.sqrt((n - B) / (B * (n - 1)))
        assert s[B] == pytest.approx(predicted, rel=0.15)
    assert s[80] < 1e-12


def test_minibatch_gradients_reject_impossible_batch_sizes():
    task = examples.plane("XOR")
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_gradients(task.network(), task.X, task.Y, task.loss, 0)
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_gradients(task.network(), task.X, task.Y, task.loss, 10_000)


def test_plane_and_xor_and_standardize_say_what_is_wrong():
    with pytest.raises(ValueError, match="valid names"):
        examples.plane("circles")
    X, Y = datasets.xor()
    assert X.shape == (4, 2) and Y.ravel().tolist() == [0, 1, 1, 0]
    X, Y = datasets.xor(n=40, noise=0.1)
    assert X.shape == (40, 2) and Y.shape == (40, 1)
    Z = datasets.standardize(X)
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    with pytest.raises(ValueError, match="constant"):
        datasets.standardize(np.ones((5, 2)))


def test_digits_split_matches_the_data_without_loading_it():
    sizes = datasets.digits_split()
    assert sum(sizes.values()) == datasets.DIGITS_COUNT
    data = datasets.digits()
    assert {k: len(data[k][0]) for k in sizes} == sizes
    with pytest.raises(ValueError):
        datasets.digits_split(validation=1000, test=1000)


def test_the_boundary_panel_paints_the_predicted_class():
    task = examples.plane("XOR")
    net, run, X, Y = examples.separation_run("XOR", 1.0, 8)
    fig = plots.blank_figure()
    panel = plots.BoundaryPanel(fig.add_subplot(), limits=((-2.7, 2.7), (-2.7, 2.7)))
    acc = panel.show(net, X, Y)
    assert acc == pytest.approx(metrics.accuracy(net, task.X, task.Y))
    assert panel.boundary.get_segments(), "no decision boundary drawn"
    rgb = panel.image.get_array()
    assert rgb.shape[-1] == 3 and np.all((0 <= rgb) & (rgb <= 1))


def test_an_epoch_past_a_diverged_run_shows_the_last_finite_state():
    """A run that diverges stops early: the epoch scrubber must not index past it."""
    task = examples.plane("XOR")
    net = examples.Network([[0.5, 0.5]], [0.0], "identity")
    run = training.train(net, task.X, task.Y, "mse", lr=5.0, epochs=50,
                         record_epochs=True)  # fmt: skip
    assert run.diverged and len(run.snapshots) < 50

    def get_run():
        return net, run, task.X, task.Y

    e = explore.Explorable(plots.boundary_and_loss(get_run, limits=((-3, 3), (-3, 3))),
                           [explore.parameter("epoch", "epoch", 0, 0, 50)], alt="x")  # fmt: skip
    said = e.draw(epoch=50)
    assert f"diverged at epoch {run.diverged_at}" in said
    assert e.self_test() == []


def test_a_minibatch_gradient_is_the_mean_of_its_examples_three_ways():
    """Chapter 6's SymPy section: the MSE of a batch of three, checked three ways,
    equals the mean of the three single-example squared-error gradients."""
    import sympy as sp

    from book_utils import Network, symbolic

    X, Y = datasets.line(n=20, slope=2.0, intercept=1.0, noise=0.5, seed=0)
    X3, Y3 = X[:3], Y[:3]
    for w, b in ((0.5, 0.0), (-1.0, 3.0), (4.0, -2.0)):
        net = Network([[w]], [[b]], "identity")
        table = symbolic.three_way(net, X3, Y3, "mse")
        assert table.passed and table.max_rel_error < 1e-7, table
        singles = [net.loss_and_gradients(X3[i : i + 1], Y3[i : i + 1], "sse")[1].flat()
                   for i in range(3)]  # fmt: skip
        assert np.allclose([r.backprop for r in table.rows], np.mean(singles, axis=0))
    batch = symbolic.SymbolicNetwork([1, 1], "identity", "mse", n_samples=3)
    w, b = batch.symbol("W1[0,0]"), batch.symbol("b1[0]")
    xs, ys = list(batch.X), list(batch.Y)
    mean = sum(2 * x * (w * x + b - y) for x, y in zip(xs, ys)) / 3
    assert sp.simplify(sp.diff(batch.loss_expr, w) - mean) == 0
