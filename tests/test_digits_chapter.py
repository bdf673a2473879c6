"""The handwritten-digits chapter: the network it trains, the checks it shows, its drawings."""

import json

import numpy as np
import pytest
from notebook_runner import CHAPTERS, last_json, run

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
        if not on[0]:  # its mask is 0: its weights' and bias's gradients are 0
            for r in table.rows:
                if r.name in ("W1[0,0]", "W1[0,1]", "W1[0,2]", "b1[0]"):
                    assert r.backprop == r.symbolic == r.numeric == 0
                if r.name == "b1[1]":
                    assert r.backprop != 0


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


REPORT = r"""
import json
print(json.dumps({
    "shown": str(test_t), "acc": test_accuracy, "wrong": wrong,
    "val_loss": {str(r): c.val_loss[-1] for r, c in
                 [(0.1, base), (0.3, mid), (1.0, fast)]},
    "val_wrong": {str(k): v for k, v in val_wrong.items()},
    "vl_fast_t": str(vl_fast_t), "vw_fast_t": str(vw_fast_t),
    "cost_t": str(cost_t), "fwd_t": str(fwd_t), "bwd_t": str(bwd_t),
    "passes_t": str(passes_t), "fd_passes_t": str(fd_passes_t),
    "cache_t": str(cache_t), "table": check._repr_html_(),
    "picked": [net.flat_names()[i] for i in picked],
    "by_hand_equal": bool(np.array_equal(by_hand.get_flat(), net.get_flat())),
    "worst_t": str(worst_t), "worst": check.max_rel_error,
    "min_z": min_z, "small_errors": small_errors, "small_err_t": str(small_err_t),
    "w2": [w2_name, str(w2_math_t)], "per_image_t": str(per_image_t),
    "cache_sum_t": str(cache_sum_t), "born_t": str(born_t),
    "born_max_t": str(born_max_t), "slow_dead": [slow.dead, slow.dead_at_start],
    "fast_dead": [fast.dead, fast.dead_at_start],
    "base_best": int(np.argmin(base.val_loss)), "gap": float(gap),
}))
"""


@pytest.fixture(scope="module")
def chapter():
    """The chapter run once, top to bottom, with its numbers reported back."""
    return last_json(run(CHAPTERS / "09_putting_it_together.ipynb", [REPORT]))


@pytest.fixture(scope="module")
def text():
    """The chapter's Markdown, as a reader reads it."""
    nb = json.loads((CHAPTERS / "09_putting_it_together.ipynb").read_text())
    return "\n".join(
        "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"
    )


@pytest.fixture(scope="module")
def by_hand():
    """The chapter's visible NumPy lines, ``gradients`` and ``train_by_hand``, run
    as a reader runs them (their cells' source, executed here)."""
    nb = json.loads((CHAPTERS / "09_putting_it_together.ipynb").read_text())
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    grads = next(s for s in sources if s.startswith("def gradients("))
    loop = next(s for s in sources if s.startswith("def train_by_hand("))
    loop = loop.split("\n\n\none_epoch")[0]  # the definition, not its first use
    data = bu.datasets.digits(seed=0)
    X, Y = data["train"]
    space = {"np": np, "bu": bu, "sizes": SIZES, "acts": ACTS,
             "n_train": len(X), "X_train": X, "Y_train": Y}  # fmt: skip
    exec(grads, space)
    exec(loop, space)
    return space


def test_the_numpy_step_equals_the_engine_gradients(by_hand, data):
    """The box in NumPy gives the engine's gradients, bit for bit, on any network
    and batch, and agrees with finite differences."""
    X, Y = data["train"]
    for seed in range(4):
        net = bu.Network.random(SIZES, ACTS, seed=seed, init="he")
        rows = np.random.default_rng(seed).choice(len(X), 7 + 9 * seed, False)
        mine = by_hand["gradients"](*net.arrays(), X[rows], Y[rows])
        _, engine, _ = net.loss_and_gradients(X[rows], Y[rows], "softmax_ce")
        for a, b in zip(mine, engine.arrays()):
            assert a.shape == b.shape and np.array_equal(a, b)
    checks = bu.gradcheck.check_network(net, X[rows], Y[rows], "softmax_ce")
    mine = by_hand["gradients"](*net.arrays(), X[rows], Y[rows])
    for c, g in zip(checks, mine):
        assert c.passed
        assert np.all(bu.gradcheck.relative_error(g, c.numeric) <= 1e-7) or (
            np.all(np.abs(g - c.numeric) <= c.floor)
        )


def test_the_numpy_step_trains_to_the_same_accuracy_as_train(by_hand, data):
    """The issue's "done when": the NumPy loop trains the digits network as train()
    does (the same weights, so the same accuracy), one epoch and twenty."""
    for epochs in (1, 20):
        mine = by_hand["train_by_hand"](epochs=epochs)
        net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
        bu.training.train(
            net, *data["train"], "softmax_ce", **{**SEASON, "epochs": epochs}
        )
        assert np.array_equal(mine.get_flat(), net.get_flat())
        for part in ("validation", "test"):
            assert bu.metrics.accuracy(mine, *data[part]) == bu.metrics.accuracy(
                net, *data[part]
            )
    assert bu.metrics.accuracy(mine, *data["test"]) >= 0.9


def test_p_minus_y_by_the_steps_of_the_derivation():
    """L = −Σ y z + log S when the target adds up to 1, and its derivative by each
    score is p_c − y_c: for any number of classes, not only the chapter's three."""
    import sympy as sp

    for k in (2, 4):
        z = sp.symbols(f"z0:{k}", real=True)
        y = sp.symbols(f"y0:{k}", real=True)
        S = sum(sp.exp(v) for v in z)
        p = [sp.exp(v) / S for v in z]
        L = -sum(yc * sp.log(pc) for yc, pc in zip(y, p))
        step = -sum(yc * zc for yc, zc in zip(y, z)) + sp.log(S)
        adds_to_1 = {y[-1]: 1 - sum(y[:-1])}
        assert sp.expand(sp.expand_log(L - step, force=True).subs(adds_to_1)) == 0
        for zc, pc, yc in zip(z, p, y):
            assert sp.cancel(sp.diff(step, zc) - (pc - yc)) == 0
            assert sp.cancel((sp.diff(L, zc) - (pc - yc)).subs(adds_to_1)) == 0


def test_the_text_states_the_accuracy_the_run_reached(data, chapter):
    """The chapter's test-accuracy figure is the run's, and the run reaches ≥ 90 %."""
    net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    bu.training.train(net, *data["train"], "softmax_ce", **SEASON)
    acc = bu.metrics.accuracy(net, *data["test"])
    assert acc == chapter["acc"] >= 0.9
    assert float(chapter["shown"]) <= 100 * acc + 0.05
    assert chapter["wrong"][-1] < chapter["wrong"][0]
    assert chapter["by_hand_equal"]


def test_eta_is_chosen_as_the_validation_set_would_and_the_text_says_so(chapter, text):
    """Issue 18: η = 1 has the lower validation loss and the fewer mistakes; the
    text names it the validation set's choice and says why the book keeps 0.1."""
    loss, wrong = chapter["val_loss"], chapter["val_wrong"]
    assert loss["1.0"] < loss["0.3"] < loss["0.1"]
    assert wrong["1.0"] == min(wrong.values()) < wrong["0.1"]
    assert "A careful search would pick" not in text
    assert "Which $\\eta$ would the validation set choose? $\\eta = 1$" in text
    assert "departs from its own rule" in text
    assert chapter["vl_fast_t"] == f"{loss['1.0']:.3f}"
    assert int(chapter["cost_t"]) == wrong["0.1"] - wrong["1.0"]


def test_the_loop_table_says_the_run_was_a_fixed_twenty_epochs(text):
    assert "stopped by the validation set" not in text
    assert "a fixed 20 epochs" in text and "confirmed the last" in text


def test_classes_are_numbered_as_the_digits(text, chapter):
    """c = 0 … 9 in every sum, and the output layer's entries carry the digit."""
    assert "c = 1" not in text and "c=1" not in text and "{10}" not in text
    assert r"\sum_{c=0}^{9}" in text and r"\sum_{c'=0}^{9}" in text
    outputs = [n for n in chapter["picked"] if n.startswith("b2")]
    assert outputs, "the random draw no longer shows an output bias"
    for name in outputs:
        digit = name[3:-1]
        assert f"<i>b</i><sup>(2)</sup><sub>{digit}</sub>" in chapter["table"]


def test_weight_decay_and_momentum_are_explained_where_they_appear(text):
    """No unexplained "weight penalty"; Chapter 10 is linked where the better steps
    are named, each with a sentence of what it does."""
    assert "weight penalty" not in text and "no momentum" not in text
    where = text.index("{doc}`Chapter 10 <10_better_steps>` changes only step 5")
    around = " ".join(text[where : where + 900].split())
    assert "*weight decay* pulls every weight a little towards 0" in around
    # review 9: momentum's v is a decaying running sum (not an average, not a sum)
    assert "{term}`momentum` steps along a *decaying* running sum" in around
    assert "factor $\\mu < 1$" in around


def test_the_cost_sentence_counts_this_network(chapter):
    sizes = SIZES
    assert chapter["fwd_t"] == f"{bu.cost.forward_multiply_adds(sizes):,}" == "2,368"
    assert chapter["bwd_t"] == f"{bu.cost.backward_multiply_adds(sizes):,}" == "2,688"
    assert chapter["passes_t"] == "2.1" and chapter["fd_passes_t"] == "4,820"
    assert chapter["cache_t"] == f"{bu.cost.cache_bytes(sizes, 32):,}"


def test_nearest_neighbours_votes_among_the_closest():
    known = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0], [6.0, 5.0]])
    labels = np.array([1, 1, 7, 7, 2])
    q = np.array([[0.1, 0.2], [5.2, 5.1]])
    assert bu.metrics.nearest_neighbours(known, labels, q, 1).tolist() == [1, 7]
    assert bu.metrics.nearest_neighbours(known, labels, q, 3).tolist() == [1, 7]
    # a tied vote goes to the smaller digit
    tie = bu.metrics.nearest_neighbours(
        [[0.0, 0.0], [2.0, 0.0]], [3, 1], [[1.0, 0.0]], 2
    )
    assert tie.tolist() == [1]
    with pytest.raises(ValueError, match="same length"):
        bu.metrics.nearest_neighbours(known, labels, [[1.0, 2.0, 3.0]], 1)
    with pytest.raises(ValueError, match="one label per row"):
        bu.metrics.nearest_neighbours(known, labels[:3], q, 1)
    with pytest.raises(ValueError, match="k must be"):
        bu.metrics.nearest_neighbours(known, labels, q, 9)


def test_the_baselines_do_as_well_as_the_network(data, trained):
    """The Going-deeper block's claim (computed only while the book builds): softmax
    regression and k-nearest neighbours, every choice made on validation, are within
    one standard error of the network's test score."""
    nb = json.loads((CHAPTERS / "09_putting_it_together.ipynb").read_text())
    cell = next(
        "".join(c["source"]) for c in nb["cells"]
        if "".join(c["source"]).startswith("# Going deeper: two baselines")
    )  # fmt: skip
    net, _ = trained
    acc = bu.metrics.accuracy(net, *data["test"])
    space = {
        "bu": bu, "np": np, "season": SEASON,
        "X_train": data["train"][0], "Y_train": data["train"][1],
        "X_val": data["validation"][0], "Y_val": data["validation"][1],
        "X_test": data["test"][0], "Y_test": data["test"][1],
        "train_labels": data["train"][1].argmax(axis=1),
        "val_labels": data["validation"][1].argmax(axis=1),
        "test_labels": data["labels"], "test_accuracy": acc,
        "se": np.sqrt(acc * (1 - acc) / len(data["labels"])),
        "num": bu.prose.num, "text": bu.prose.text,
    }  # fmt: skip
    exec(cell, space)
    assert str(space["linear_t"]) == "…"  # not built: Run All does not wait
    shown = space["baselines"]()  # asserts within one standard error
    assert shown["linear_lr_t"] == "1" and shown["best_k_t"] == "3"
    assert float(shown["linear_t"]) >= 100 * acc and float(shown["knn_t"]) >= 100 * acc


def test_the_writers_description_is_scikit_learns_own():
    """The chapter reads scikit-learn's description of the digits from its file
    (no import of scikit-learn): the same text as load_digits().DESCR."""
    import importlib.util
    from pathlib import Path

    from sklearn.datasets import load_digits

    root = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    path = Path(root, "datasets", "descr", "digits.rst")
    assert path.read_text(encoding="utf-8") == load_digits().DESCR


def test_the_digits_file_is_scikit_learns_digits():
    """datasets.digits reads scikit-learn's file without importing it: the same data."""
    from sklearn.datasets import load_digits

    pixels, target = bu.datasets._digits_file()
    reference = load_digits()
    assert np.array_equal(pixels, reference.data)
    assert np.array_equal(target, reference.target)


# ----- the fresh-eyes review of Chapter 9 (items by number) -------------------------


def test_review_10_the_box_holds_steps_2_to_5(text):
    assert "six steps of training fit in one box" not in text
    assert ":::{admonition} Steps 2–5 for the 64-32-10 network" in text
    assert (
        "Step 1\n(initialise) comes once before the box; step 6 repeats the box."
        in text
    )
    assert "## Steps 2 to 6" not in text


def test_review_18_the_box_gives_every_shape_and_the_broadcast(text):
    box = text[text.index(":::{admonition} Steps 2–5") :]
    box = box[: box.index("\n:::\n")]
    for shape in ("(10, 32)", "(32, 64)", "&(10) ", "&(32)\n"):
        assert shape in box, shape
    assert box.count("\\underset{(B, 32)}") == 3
    assert box.count("\\underset{(B, 10)}") == 3
    assert "broadcasting" in text and "adds up $\\delta$'s $B$ rows" in text


def test_review_11_pytorch_differences_are_said(text):
    block = text[text.index(":::{dropdown} Going deeper: the same loop in PyTorch") :]
    block = block[: block.index("\n:::\n")]
    assert (
        "*logits*" in block
        and "integer 0–9" in block
        and "instead of a one-hot row" in block
    )
    assert "$\\pm 1/\\sqrt{n_{l-1}}$" in block and "copied in" in block


def test_review_12_29_one_relative_error_computed_and_the_kink(chapter, text):
    """The agreement figures are the computed ones, in the book's one definition
    (gradcheck's), the cut-down copy's over every slider setting; the kink caveat
    is said and no z of the check's images is within the nudge's reach."""
    assert r"\max(10^{-8}, |g_{\text{bp}}| + |g|)" in text
    assert "\\max(|" not in text  # no other definition
    assert bu.gradcheck.relative_error(1.0, 0.5) == 0.5 / 1.5
    assert bu.gradcheck.relative_error(0.0, 0.0) == 0.0
    assert chapter["worst_t"] == bu.prose.sci(chapter["worst"], 2)
    assert chapter["worst"] < bu.gradcheck.GOOD
    assert "{eval}`worst_t`" in text and "{eval}`small_err_t`" in text
    assert "5 \\times 10^{-8}" not in text and "5×10" not in text
    assert len(chapter["small_errors"]) == 9
    assert chapter["small_err_t"] == bu.prose.sci(max(chapter["small_errors"]), 2)
    assert "near kink" in text and "{eval}`min_z_t`" in text
    assert chapter["min_z"] > 100 * bu.gradcheck.H


def test_review_15_code_counts_from_0_maths_from_1(chapter, text):
    code, maths = chapter["w2"]
    assert code == "W2[6,12]" and maths == "w⁽²⁾₆,₁₃"
    assert "Code counts from 0, the maths from 1" in text
    assert "$w^{(1)}_{11}$, is `W1[0,0]`" in text
    assert "is `W2[6,12]` in code" in text  # in code type: the chapter asserts it


def test_review_19_the_numbers_kept_per_image_are_counted(chapter):
    assert chapter["per_image_t"] == "148"
    assert chapter["cache_sum_t"] == "64 + 32 + 32 + 10 + 10"
    assert sum(map(int, chapter["cache_sum_t"].split(" + "))) == 148
    assert bu.cost.cache_bytes(SIZES, 1) == 8 * 148


def test_review_20_the_dead_neuron_at_small_eta_was_born_dead(data, chapter, text):
    """At η = 0.01 one neuron is dead: it was dead before the first step (He's draw
    put its weighted sum below 0 on every training image), so no η revives it."""
    X = data["train"][0]
    start = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    z = start.forward(X).zs[0]
    born = np.flatnonzero(np.all(z <= 0, axis=0))
    assert born.tolist() == [int(chapter["born_t"]) - 1]
    assert chapter["slow_dead"] == [1, 1]  # dead at the end, and from the start
    assert chapter["fast_dead"][1] == 1 and chapter["fast_dead"][0] > 1
    assert (
        float(chapter["born_max_t"].replace("−", "-"))
        == float(f"{z[:, born[0]].max():.2g}")
        < 0
    )
    assert "born dead" in text and "{eval}`born_t`" in text


def test_review_20_the_note_says_dead_from_the_start():
    x = np.linspace(0, 1, 21)
    runs = {
        "born": bu.metrics.Curves(0.01, 32, x, x, 1 - x + 0.01, 1 - x, 1, None, 1),
        "both": bu.metrics.Curves(1.0, 32, x, x, 1 - x + 0.01, 1 - x, 11, None, 1),
    }
    e = bu.explore.Explorable(
        digits.learning_curves(lambda lr, which: runs[which], 20),
        sliders=[bu.explore.learning_rate(0.1, 0.01, 3.0),
                 bu.explore.choice("which", "run", list(runs))],
        static=["lr", "which"], alt="curves", width=9.0, height=3.6,
    )  # fmt: skip
    assert "1 of 32 hidden neurons dead from the start." in e.draw(which="born")
    said = e.draw(which="both")
    assert "11 of 32 hidden neurons died (1 dead from the start)." in said


def test_review_23_24_five_seeds_and_no_overfitting_at_20_epochs(data, chapter, text):
    """The Going-deeper block's ranges over seeds 0-4 (computed while the book
    builds): every seed's validation loss is lowest at epoch 20 (as Chapter 10
    says), so a train/validation gap is not called overfitting."""
    assert chapter["base_best"] == 20 and chapter["gap"] > 0
    assert "first hint of {term}`overfitting`" not in text
    assert (
        "not yet {term}`overfitting`: the validation loss is lowest at epoch 20" in text
    )
    assert "seed 0, for the starting weights and the shuffles" in text
    nb = json.loads((CHAPTERS / "09_putting_it_together.ipynb").read_text())
    cell = next(
        "".join(c["source"]) for c in nb["cells"]
        if "".join(c["source"]).startswith("# Going deeper: how much was luck?")
    )  # fmt: skip
    net = bu.Network.random(SIZES, ACTS, seed=0, init="he")
    bu.training.train(net, *data["train"], "softmax_ce", **SEASON)
    space = {
        "bu": bu, "np": np, "season": SEASON, "sizes": SIZES, "acts": ACTS,
        "X_train": data["train"][0], "Y_train": data["train"][1],
        "X_val": data["validation"][0], "Y_val": data["validation"][1],
        "X_test": data["test"][0], "Y_test": data["test"][1],
        "test_accuracy": bu.metrics.accuracy(net, *data["test"]),
        "num": bu.prose.num, "text": bu.prose.text,
    }  # fmt: skip
    exec(cell, space)
    assert str(space["luck_val_t"]) == "…"  # not built: Run All does not wait
    shown = {k: str(v) for k, v in space["luck"]().items()}  # asserts inside
    assert shown["luck_dead3_t"] == "5"  # η = 3 kills every neuron, every seed
    low, high = (float(v) for v in shown["luck_test_t"].split("–"))
    assert low < high and high == round(100 * space["test_accuracy"], 1)
    assert shown["luck_rank_t"] == "the best"


def test_review_28_softmax_jacobian_is_full_and_gives_p_minus_y(text):
    """BP1's ⊙ needs a diagonal Jacobian; the softmax's is full, and Jᵀ ∂L/∂p is p − y."""
    import sympy as sp

    assert "Going deeper: the softmax's Jacobian, and Nielsen's BP1" in text
    for k in (2, 4):
        z = sp.symbols(f"z0:{k}", real=True)
        y = sp.symbols(f"y0:{k}", real=True)
        S = sum(sp.exp(v) for v in z)
        p = [sp.exp(v) / S for v in z]
        J = sp.Matrix(p).jacobian(z)
        assert J[0, 1] != 0
        adds_to_1 = {y[-1]: 1 - sum(y[:-1])}
        road = (J.T * sp.Matrix([-yc / pc for yc, pc in zip(y, p)])).subs(adds_to_1)
        for c in range(k):
            assert sp.cancel(road[c] - (p[c] - y[c]).subs(adds_to_1)) == 0


def test_speed_the_mistakes_figure_stamps_its_labels(trained, data):
    """The fast path: only the title is a Text artist that moves; the labels and
    counts are stamped into the two panel images, which change with the epoch."""
    net, history = trained

    def after(k):
        t = net.copy()
        t.set_flat(history.snapshots[k])
        return bu.metrics.verdicts(t, data["validation"][0],
                                   data["validation"][1].argmax(axis=1))  # fmt: skip

    images = data["validation"][0].reshape(-1, 8, 8)
    e = bu.explore.Explorable(
        digits.mistakes(after, images, which="validation", cols=4),
        sliders=[bu.explore.parameter("epoch", "epoch", 20, 0, 20, points=range(21))],
        alt="mistakes", width=7.2, height=4.2,
    )  # fmt: skip
    e.png(epoch=20)
    moving = e.fig.findobj(lambda a: a.get_animated())
    assert sum(type(a).__name__ == "Text" for a in moving) == 1
    panels = [a for a in moving if type(a).__name__ == "FigureImage"]
    assert len(panels) == 2
    at20 = [np.array(a.get_array()) for a in panels]
    e.png(epoch=0)
    assert all(
        not np.array_equal(a, np.array(b.get_array())) for a, b in zip(at20, panels)
    )
    # a count stamped into a cell darkens some of its pixels (white on blue, dark on pale)
    assert len(np.unique(at20[1].reshape(-1, 4), axis=0)) > 20
