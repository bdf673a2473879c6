"""The handwritten-digits chapter: the network it trains, the checks it shows, its drawings."""

import json

import numpy as np
import pytest
from notebook_runner import CHAPTERS, run

import book_utils as bu
from book_utils.plots import digits

SIZES, ACTS = [64, 32, 10], ["relu", "identity"]
SEASON = dict(lr=0.1, epochs=20, batch_size=32, seed=0)


@pytest.fixture(scope="module")
def data():
    return bu.datasets.digits(seed=0)


@pytest.fixture(scope="module")
def trained(data):
    net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    history = bu.training.train(
        net, *data["train"], "softmax_ce", **SEASON, record_epochs=True,
        validation=data["validation"],
    )  # fmt: skip
    return net, history


def test_the_split_is_fixed_and_disjoint(data):
    again = bu.datasets.digits(seed=0)
    for part in ("train", "validation", "test"):
        assert np.array_equal(data[part][0], again[part][0])
    rows = np.concatenate([data[p][0] for p in ("train", "validation", "test")])
    assert len(rows) == 1797
    assert np.array_equal(data["test"][1].argmax(axis=1), data["labels"])


def test_the_trained_network_reads_at_least_nine_digits_in_ten(data, trained):
    net, history = trained
    assert history.status == "ok"
    assert bu.metrics.accuracy(net, *data["test"]) >= 0.9
    assert history.losses[-1] < history.losses[0] / 10


def test_whole_network_gradient_check_passes_before_and_after_training(data, trained):
    X5, Y5 = data["train"][0][:5], data["train"][1][:5]
    fresh = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    for net in (fresh, trained[0]):
        results = bu.gradcheck.check_network(net, X5, Y5, "softmax_ce")
        assert all(r.passed for r in results), [r.verdict for r in results]


def test_the_check_can_fail(data):
    """A backward pass that forgets ReLU's slope is caught by the same check."""
    net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    X5, Y5 = data["train"][0][:5], data["train"][1][:5]
    relu = net.activations[0]
    broken = bu.activations.Activation(
        "relu", relu.value, lambda z: np.ones_like(z), relu.symbolic, kink=True,
    )  # fmt: skip
    net.activations[0] = broken
    results = bu.gradcheck.check_network(net, X5, Y5, "softmax_ce")
    assert not results[0].passed  # ∂L/∂W(1) is wrong without σ′


def test_softmax_cross_entropy_sends_back_p_minus_y(data):
    net = bu.Network.random(SIZES, ACTS, seed=3, init="he")
    X, Y = data["train"][0][:7], data["train"][1][:7]
    cache = net.forward(X)
    dloss = bu.losses.loss_gradient("softmax_ce", cache.output, Y)
    delta_out = net.backward(cache, dloss).deltas[-1]
    p = bu.losses.softmax(cache.output)
    assert np.allclose(delta_out, (p - Y) / len(X), rtol=0, atol=1e-15)


def test_cut_down_copy_agrees_three_ways_with_both_neurons_alive(data):
    """The chapter's 3-2-3 copy: at every slider setting the three methods agree, the
    second hidden neuron fires (so the loss is never ln 3, all scores equal), and at
    the default both fire and none of the 17 gradients is 0."""
    X, Y = data["train"]
    pixels = [35, 36, 37]
    inked = np.all(X[:, pixels] > 0, axis=1)
    first = int(np.flatnonzero((Y.argmax(axis=1) < 3) & inked)[0])
    x, y = X[[first]][:, pixels], Y[[first], :3]
    small = bu.Network.random([3, 2, 3], ACTS, seed=38, init="he")
    default = round(2 * small.weights[0][0, 0]) / 2
    for w in np.linspace(-2.0, 2.0, 9):
        net = small.with_entries({"W1[0,0]": w})
        table = bu.symbolic.three_way(net, x, y, "softmax_ce")
        assert table.passed and len(table.rows) == 17
        on = net.forward(x).activations[1][0] > 0
        assert on[1]
        assert abs(net.loss(x, y, "softmax_ce") - np.log(3)) > 1e-3
        if w == default:
            assert on.all() and all(r.backprop != 0 for r in table.rows)
        if w == -2.0:
            assert not on[0]  # the slider can switch the first neuron off


def test_confusion_matrix_counts_rows_as_truth():
    c = bu.metrics.confusion_matrix([3, 3, 5], [3, 8, 5])
    assert c.shape == (10, 10) and c.sum() == 3
    assert c[3, 3] == 1 and c[3, 8] == 1 and c[5, 5] == 1 and c[8, 3] == 0
    assert bu.metrics.worst_mix_up(c) == (3, 8, 1)
    with pytest.raises(ValueError, match="shape"):
        bu.metrics.confusion_matrix([1, 2], [1])


def test_verdicts_and_names(trained, data):
    v = bu.metrics.verdicts(trained[0], data["test"][0], data["labels"])
    assert 0.9 <= v.accuracy <= 1 and np.all(
        (0.1 <= v.confidence) & (v.confidence <= 1)
    )
    assert len(v.wrong) == round((1 - v.accuracy) * len(v.truth))
    entry = bu.notation.symbol("W1[2,20]", [64, 32, 10], comma=True)
    assert entry.html == "<i>w</i><sup>(1)</sup><sub>3,21</sub>"
    assert bu.prose.a_digit(8) == "an 8" and bu.prose.a_digit(1) == "a 1"


def test_mistakes_explorable_moves_and_shrinks(trained, data):
    net, history = trained

    def after(k):
        t = net.copy()
        t.set_flat(history.snapshots[k])
        return bu.metrics.verdicts(t, data["test"][0], data["labels"])

    e = bu.explore.Explorable(
        digits.mistakes(after, data["images"], which="test"),
        sliders=[bu.explore.parameter("epoch", "epoch", 20, 0, 20, points=range(21))],
        alt="mistakes", width=9.0, height=4.3,
    )  # fmt: skip
    assert e.self_test() == []
    assert bu.plots.small_fonts(e.fig) == []
    said0, said20 = e.draw(epoch=0), e.draw(epoch=20)
    wrong0, wrong20 = (
        int(s.split(" gets ")[1].split(" of ")[0]) for s in (said0, said20)
    )
    assert wrong20 < wrong0


def test_learning_curves_say_when_units_died_or_the_run_diverged():
    x = np.linspace(0, 1, 21)
    runs = {
        "ok": bu.metrics.Curves(0.1, 32, x, x, 1 - x + 0.01, 1 - x + 0.02, 0),
        "dead": bu.metrics.Curves(3.0, 32, x * 0, x * 0, x * 0 + 2.3, x * 0 + 2.3, 32),
        "gone": bu.metrics.Curves(9.0, 8, x[:4], x[:4], x[:4] + 1, x[:4] + 1, 0, 4),
    }
    e = bu.explore.Explorable(
        digits.learning_curves(lambda lr, which: runs[which if lr < 1 else "dead"], 20),
        sliders=[bu.explore.learning_rate(0.1, 0.01, 3.0),
                 bu.explore.choice("which", "run", list(runs))],
        static=["lr", "which"], alt="curves", width=9.0, height=3.6,
    )  # fmt: skip
    assert e.self_test() == []
    assert "All 32 hidden neurons died, so the loss stays near ln 10." in e.draw(
        which="dead"
    )
    assert "Diverged at epoch 4" in e.draw(which="gone")
    assert "died" not in e.draw(which="ok")


def test_times_reads_like_prose():
    assert [bu.prose.times(n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]


def test_hidden_neurons_grey_out_pixels_that_are_never_inked(data):
    net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    rare = np.mean(data["train"][0] > 0, axis=0) < 0.01
    fig = digits.hidden_units(net, range(3), rare=rare)
    assert f"Grey squares mark the {int(rare.sum())} pixels" in fig.alt
    assert "no shared colour bar" in fig.alt and "does not matter" not in fig.alt
    with pytest.raises(ValueError, match="one per pixel"):
        digits.hidden_units(net, range(3), rare=rare[:10])


def test_never_inked_pixels_keep_their_starting_weights(data, trained):
    """No ink, no gradient: the chapter's claim about the grey squares."""
    never = np.flatnonzero(data["train"][0].max(axis=0) == 0)
    start = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    assert len(never) >= 1
    assert np.array_equal(trained[0].weights[0][:, never], start.weights[0][:, never])


def test_the_validation_set_chooses_the_epoch(data, trained):
    """Early stopping by the validation loss keeps the final weights of this run."""
    _, history = trained
    assert int(np.argmin(history.val_losses)) == len(history.val_losses) - 1


def test_still_figures_need_alt_text(data):
    with pytest.raises(ValueError, match="alt"):
        bu.render.StillFigure(bu.plots.blank_figure(), "  ")
    page = digits.digit_samples(data["images"][:4], data["labels"][:4])._repr_html_()
    assert 'alt="4 handwritten digits' in page and "data:image/png;base64," in page


def test_the_text_states_the_accuracy_the_run_reached(data):
    """The chapter's test-accuracy figure is the run's, and the run reaches ≥ 90 %."""
    report = (
        "import json\n"
        "print(json.dumps({'shown': str(test_t), 'acc': test_accuracy,"
        " 'sk': str(sk_t), 'wrong': wrong}))"
    )
    nb = run(CHAPTERS / "09_putting_it_together.ipynb", [report])
    out = json.loads(
        "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        .strip()
        .splitlines()[-1]
    )
    net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    bu.training.train(net, *data["train"], "softmax_ce", **SEASON)
    acc = bu.metrics.accuracy(net, *data["test"])
    assert acc == out["acc"] >= 0.9
    assert float(out["shown"]) <= 100 * acc + 0.05
    assert out["wrong"][-1] < out["wrong"][0]
