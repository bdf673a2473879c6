"""Chapter 6 (epochs): the runs it shows do what its text says, and its drawings and
helpers hold up at their edges."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from book_utils import datasets, examples, explore, metrics, optimizers, plots, training
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


@pytest.mark.parametrize(
    "name, loss, B", [("moons", None, 1), ("moons", None, 8), ("moons", None, 80),
                      ("spirals", None, 10), ("moons", "mse", 5), ("moons", "half_sse", 5)],
)  # fmt: skip
def test_stacked_minibatch_gradients_are_each_batchs_own_backward_pass(name, loss, B):
    """minibatch_gradients runs every draw's rows through one stacked pass; each
    row of its answer must be the engine's gradient of that batch alone, drawn
    from the same random rows, for mean and summed losses and for softmax."""
    task = examples.plane(name, n=80 if name == "moons" else None)
    net, loss = task.network(), loss or task.loss
    stacked = minibatch_gradients(net, task.X, task.Y, loss, B, draws=30, seed=3)
    rng = np.random.default_rng(3)
    for row in stacked:
        rows = rng.choice(len(task.X), size=B, replace=False)
        alone = net.loss_and_gradients(task.X[rows], task.Y[rows], loss)[1].flat()
        assert np.allclose(row, alone, rtol=1e-12, atol=1e-15 * np.abs(alone).max())


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


# ----- issue 18: the corrected claims, where a test can see them -----------------------
CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"


def markdown_of(name: str) -> str:
    cells = json.loads((CHAPTERS / name).read_text(encoding="utf-8"))["cells"]
    return "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )


def test_an_epoch_slider_reads_whole_numbers_in_the_static_book(monkeypatch):
    """The validation figure's readout said "1e+03" at its last frame."""
    monkeypatch.setenv(explore.STATIC_ENV, "1")
    epoch = explore.parameter(
        "epoch", "epoch", 0, 0, 1000, points=[0, 230, 1000], step=1
    )
    assert [epoch.show(v) for v in epoch.grid()] == ["0", "230", "1000"]
    assert epoch.widget().readout_format == ".0f" and epoch.widget().step == 1

    def build(fig):
        ax = fig.add_subplot()
        (line,) = ax.plot([], [])
        plots.live(line)

        def update(epoch):
            line.set_data([0, 1], [0, epoch])
            return f"epoch {epoch:.0f}"

        return update

    page = explore.Explorable(build, [epoch], alt="x").static_html()
    assert "1e+03" not in page and "1000" in page
    cells = json.loads((CHAPTERS / "06_epochs.ipynb").read_text(encoding="utf-8"))
    code = "\n".join(
        "".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "code"
    )
    epoch_sliders = re.findall(r'explore\.parameter\(\s*"epoch"[^)]*?\)', code)
    assert len(epoch_sliders) == 2 and all("step=1" in s for s in epoch_sliders)


def test_the_output_gradient_is_bounded_by_one_but_the_hidden_one_is_not():
    """With the cross-entropy the output layer's δ is ŷ − y (p − y), inside (−1, 1),
    and it multiplies tanh outputs, also inside (−1, 1): no output gradient entry
    reaches 1, at any step of any run. The hidden layer's δ is passed back through
    W⁽²⁾, and at η = 30 the spirals' hidden gradients pass 1, as the text says."""
    for name in examples.PLANE_SETS:
        for lr in (1.0, 30.0):
            largest = examples.step_gradients(name, lr, 8)
            assert largest.shape == (5 * 150 if name == "spirals" else 4 * 150, 2)
            assert largest[:, 1].max() < 1, (name, lr)
    hidden, output = examples.step_gradients("spirals", 30.0, 8).max(axis=0)
    assert output < 1 < hidden
    net, run, X, Y = examples.separation_run("spirals", 30.0, 8)
    net.set_flat(run.snapshots[-1])
    assert np.abs(net.weights[1]).max() > 50  # the output weights grew large
    assert not run.diverged


def test_recording_the_gradients_changes_no_step():
    task = examples.plane("moons")
    plain = task.network()
    training.train(plain, task.X, task.Y, task.loss, lr=30.0, epochs=5, batch_size=30)
    recorded = task.network()
    steps = examples.LargestGradients(30.0, 2)
    training.train(recorded, task.X, task.Y, task.loss, epochs=5, batch_size=30,
                   optimizer=steps)  # fmt: skip
    assert np.array_equal(plain.get_flat(), recorded.get_flat())
    assert steps.largest.shape == (5 * 4, 2)


def test_train_epoch_is_the_loop_and_train_adds_only_the_books():
    """Chapter 6 shows train_epoch's source and asserts train ends bit-identical."""
    task = examples.plane("moons")
    by_hand, by_train = task.network(), task.network()
    rng, sgd = np.random.default_rng(0), optimizers.SGD(1.0)
    for _ in range(3):
        training.train_epoch(by_hand, task.X, task.Y, task.loss, sgd, 30, rng)
    training.train(by_train, task.X, task.Y, task.loss, lr=1.0, epochs=3, batch_size=30)
    assert np.array_equal(by_hand.get_flat(), by_train.get_flat())
    assert "inspect.getsource(bu.training.train_epoch)" in (
        CHAPTERS / "06_epochs.ipynb"
    ).read_text(encoding="utf-8")


def test_two_neurons_underfit_and_then_overfit_as_the_text_names_them():
    _, wide, _, _ = examples.memorising_run(32)
    _, narrow, _, _ = examples.memorising_run(2)
    v2, v32 = np.array(narrow.val_losses), np.array(wide.val_losses)
    stop2 = int(np.argmin(v2))
    # underfitting: far from fitting even the training set, and a higher minimum
    assert narrow.losses[-1] > 3 * wide.losses[-1] and v2.min() > 1.2 * v32.min()
    # overfitting after its best epoch: training loss falls, validation loss climbs
    assert narrow.losses[-1] < narrow.losses[stop2] and v2[-1] > 1.2 * v2[stop2]
    text = markdown_of("06_epochs.ipynb")
    assert "both faces" not in text
    assert "This network **underfits**" in text and "it overfits as well" in text
    assert "Two neurons underfit" in text  # Exercise 3's solution agrees


def test_chapter_6_says_what_the_output_bound_covers():
    text = markdown_of("06_epochs.ipynb")
    assert "never larger than 1, so each step is bounded" not in text
    assert "That bound holds for the output layer only." in " ".join(text.split())


@pytest.mark.parametrize("name", ["05_update.ipynb", "06_epochs.ipynb"])
def test_the_size_of_a_data_set_is_N_never_n(name):
    """n_l is a layer's width; a data set's size is N (notation page), B a batch's."""
    text = markdown_of(name)
    # the relative error's a and n (analytic, numerical) are Chapter 3's names
    text = text.replace("$a$ and $n$", "").replace("|a - n|", "").replace("|n|", "")
    maths = re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", text, flags=re.S)
    lone_n = re.compile(r"(?<![\\A-Za-z])n(?![A-Za-z_])")
    assert not [m for m in maths if lone_n.search(m)], name
    assert "rng.permutation(n)" not in text
    if name == "06_epochs.ipynb":
        assert r"\sqrt{(N - B)/\big(B\,(N - 1)\big)}" in text
        assert r"\left\lceil \frac{N}{B} \right\rceil" in text


@pytest.mark.parametrize("name", ["05_update.ipynb", "06_epochs.ipynb"])
def test_every_number_in_the_prose_is_computed_before_it_is_read(name):
    """The book executes inline: an {eval} name must exist when its cell is reached."""
    cells = json.loads((CHAPTERS / name).read_text(encoding="utf-8"))["cells"]
    code_so_far = ""
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            code_so_far += source + "\n"
            continue
        for var in re.findall(r"\{eval\}`(\w+)`", source):
            assert re.search(rf"\b{var}\b[^\n=]*=(?!=)", code_so_far), (name, var)


# ----- the fresh-eyes review of the built chapter ----------------------------------------
def test_chapter_6_names_its_runs_and_says_what_they_show():
    """Review items 17-22 and 32 (and 6: the hidden slope of the tanh network is tanh′)."""
    text = markdown_of("06_epochs.ipynb")
    flat = " ".join(text.split())
    assert "froze a bias" not in text  # Chapter 5 never showed it
    assert (
        "$\\theta \\leftarrow \\theta - \\eta\\, g$" in text
    )  # what optimizer.step does
    assert (
        "\\delta^{\\mathsf T}a" not in text
        and "\\delta^{(l)\\mathsf T} A^{(l-1)}" in text
    )
    assert (
        "{eval}`n_spirals_t`" in text
        and "{eval}`spiral_steps_t` steps per epoch" in text
    )
    assert "$(w, b) = (-0.5, 5)$" in text  # the epochs table's start
    assert "8 tanh neurons, a sigmoid output" in text  # the gradient-noise network
    assert "bit\n  by bit" not in text and "before the moons" in flat
    assert "cured by *early stopping*" not in text and "limits overfitting" in flat
    assert "falls all the way" not in text and "weight decay" in text
    assert "as if $\\eta$ were multiplied by $B$" in flat  # mean against sum
    deeper = text.split("Going deeper: what $\\eta = 30$ does")[1].split("\n:::")[0]
    assert "\\tanh'(z^{(1)})" in deeper and "\\sigma'" not in deeper


def test_the_spirals_pass_95_percent_before_the_moons_and_never_stall():
    def first(name):
        acc = metrics.accuracy_per_epoch(*examples.separation_run(name, 1.0, 8))
        return acc, int(np.flatnonzero(acc >= 0.95)[0])

    spirals, s = first("spirals")
    _, m = first("moons")
    assert s < m and np.all(np.diff(spirals[0 : s + 1 : 5]) > 0)
    losses = examples.separation_run("moons", 1.0, 8)[1].losses
    assert losses[15] > 0.8 * losses[3]  # the moons' plateau
    assert len(examples.plane("spirals").X) == 150
    assert examples.step_gradients("spirals", 30.0, 8).shape[0] == 5 * 150


@pytest.mark.parametrize("name", ["05_update.ipynb", "06_epochs.ipynb"])
def test_percent_signs_keep_their_numbers_on_the_same_line(name):
    """A number and its % are joined by a no-break space, as everywhere in the book."""
    assert not re.search(r"[0-9`] %", markdown_of(name))
