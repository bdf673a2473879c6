"""Chapter 8's engine and claims: gradient sizes per layer (vanishing, exploding), the
size-step rule against the measurements, what the weight-scale bullets say against
what the figure draws, the five-neuron chain three ways, initialisation and its
self-checking exercise, and the chapter's notation (D for the depth, n_{l−1} and n_l
for a layer's fan-in and fan-out)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from notebook_runner import last_json, run

from book_utils import Network, explore, plots, symbolic, training
from book_utils.diagnostics import LayerSizes, deep_data, deep_network, gradient_sizes
from book_utils.exercises import check_initialisation
from book_utils.plots.gradient_flow import size_text

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "08_deep_networks.ipynb"
X_DEEP, Y_DEEP = deep_data(width=32)


def sizes(name, depth, **kw):
    return gradient_sizes(deep_network(depth, name, **kw), X_DEEP, Y_DEEP)


def markdown(path=CHAPTER) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join(
        "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"
    )


SHOW = r"""
import json
print(json.dumps({k: str(v) for k, v in globals().items() if k.endswith("_t")}))
"""


@pytest.fixture(scope="module")
def executed():
    """The chapter, run in a fresh kernel, with a last cell that prints its numbers."""
    return run(CHAPTER, [SHOW])


@pytest.fixture(scope="module")
def prose(executed):
    """The numbers the chapter's text shows, from a fresh run of the notebook."""
    return last_json(executed)


# ----- vanishing and exploding ----------------------------------------------------
def test_ten_sigmoid_layers_vanish_and_ten_relu_layers_with_he_do_not():
    """The issue's test: at standard initialisation, layer 1 of a 10-layer sigmoid
    network gets at least 100× less gradient than layer 10; ReLU with He does not."""
    sig = sizes("sigmoid", 10)  # Glorot, the sigmoid's standard start
    relu = sizes("relu", 10, init="he")
    for of in ("delta", "weights"):
        assert sig.ratio(1, 10, of=of) <= 1 / 100, of
        assert relu.ratio(1, 10, of=of) > 1 / 100, of
    assert sig.ratio() < 0.3**9  # about a quarter per layer, as σ′ ≤ ¼ predicts


def test_vanishing_holds_for_every_draw_and_depth_makes_it_worse():
    for seed in range(5):
        assert sizes("sigmoid", 20, seed=seed).ratio() < 1e-9
        assert sizes("relu", 20, seed=seed).ratio() > 1e-2
    shares = [sizes("sigmoid", d).ratio() for d in (2, 5, 10, 15, 20)]
    assert shares == sorted(shares, reverse=True)


def test_large_weights_explode_and_small_ones_vanish_even_with_relu():
    boom = sizes("relu", 20, gain=2.0)
    assert boom.ratio() > 1e3 and boom.weights.min() > 1e9
    assert sizes("tanh", 20, gain=2.0).ratio() > 1  # tanh's outputs stay bounded
    assert sizes("relu", 20, gain=0.5).ratio() < 1e-3
    assert sizes("relu", 20, init="glorot").ratio() < sizes("relu", 20).ratio() / 10
    run = training.train(
        deep_network(20, "relu", gain=2.0), X_DEEP, Y_DEEP, lr=0.01, epochs=5
    )
    assert run.diverged and run.diverged_at == 1


def test_gradient_sizes_are_the_lengths_of_backprops_deltas():
    net = deep_network(4, "tanh", width=5, seed=3)
    X, Y = deep_data(width=5, n=7, seed=1)
    s = gradient_sizes(net, X, Y)
    _, grads, cache = net.loss_and_gradients(X, Y, "half_sse")
    for l in range(4):
        rms = np.sqrt(np.mean(np.sum(grads.deltas[l] ** 2, axis=1)))
        assert s.delta[l] == pytest.approx(rms, rel=1e-12)
        # one sample's share δ_i a_iᵀ of the weights' gradient, root-mean-square
        shares = [np.linalg.norm(np.outer(d, a))
                  for d, a in zip(grads.deltas[l], cache.activations[l])]  # fmt: skip
        assert s.weights[l] == pytest.approx(np.sqrt(np.mean(np.square(shares))))
        # the shares add up to the batch's gradient
        total = sum(
            np.outer(d, a) for d, a in zip(grads.deltas[l], cache.activations[l])
        )
        np.testing.assert_allclose(total, grads.dW[l], rtol=1e-12, atol=1e-15)
    assert list(s.layers) == [1, 2, 3, 4]


def test_deep_network_refuses_bad_depths_and_gains():
    with pytest.raises(ValueError, match="depth must be a whole number"):
        deep_network(0, "relu")
    with pytest.raises(ValueError, match="gain must be a finite number > 0"):
        deep_network(3, "relu", gain=0.0)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        deep_network(3, "swish")


# ----- bends: the collapse and XOR --------------------------------------------------
def test_at_twice_the_weights_the_forward_pass_explodes_too():
    boom = sizes("relu", 20, gain=2.0)
    assert np.all(np.diff(boom.inputs) > 0) and boom.inputs[-1] > 1e5
    assert np.argmax(boom.weights) == 19 and np.argmax(boom.delta) == 0
    X, Y = deep_data(width=5, n=7, seed=1)
    net = deep_network(3, "tanh", width=5)
    _, _, cache = net.loss_and_gradients(X, Y, "half_sse")
    got = gradient_sizes(net, X, Y).inputs
    want = [np.sqrt(np.mean(np.sum(a**2, axis=1))) for a in cache.activations[:-1]]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_the_size_step_rule_predicts_the_measured_factor_per_layer():
    """‖δ(l)‖ ≈ √n_l · s · σ̄′ · ‖δ(l+1)‖: the chapter's table, within 15 %."""
    for name, gain, init, s in [
        ("sigmoid", 1.0, None, np.sqrt(2 / 64)),
        ("sigmoid", 2.0, None, np.sqrt(2 / 64)),
        ("tanh", 1.0, None, np.sqrt(2 / 64)),
        ("relu", 1.0, None, np.sqrt(2 / 32)),
        ("relu", 1.0, "glorot", np.sqrt(2 / 64)),
        ("relu", 2.0, None, np.sqrt(2 / 32)),
        ("relu", 0.5, None, np.sqrt(2 / 32)),
    ]:
        got = sizes(name, 20, gain=gain, init=init)
        predicted = np.sqrt(32) * s * gain * np.mean(got.slopes[:-1])
        assert predicted / got.per_layer() == pytest.approx(1, abs=0.15), name
    relu = sizes("relu", 20)
    assert relu.slopes[-1] == 1.0  # the linear output
    assert np.all(np.abs(relu.slopes[:-1] - np.sqrt(0.5)) < 0.1)  # half active
    assert relu.per_layer() == pytest.approx(relu.ratio() ** (1 / 19))
    with pytest.raises(ValueError, match="no step back"):
        sizes("relu", 1).per_layer()


def test_weight_scale_2_says_the_smallest_weight_gradient_as_the_figure_draws_it(prose):
    """Issue 18: "at least 2 × 10¹²" against 1.6 × 10¹² at layer 1 in the same bullet.
    The smallest weight gradient is layer 1's, and the text gives it with the figure's
    two digits."""
    boom = sizes("relu", 20, gain=2.0)
    assert np.argmin(boom.weights) == 0
    assert prose["boom_w_first_t"] == size_text(boom.weights[0])
    assert prose["boom_w_out_t"] == size_text(boom.weights[-1])
    text = markdown()
    assert "at least {eval}`boom_w" not in text
    said = _frame("ReLU", 20, 2.0)
    assert f"to {prose['boom_w_first_t']} at layer 1" in said


def test_weight_scale_half_the_words_say_what_the_figure_shows(prose):
    """Issue 18: at weight scale ½ δ vanishes, but the weights' gradient δ aᵀ also
    carries the forward signal, which vanishes towards the output: δ at layer 1 is
    under a thousandth of the output's, the weights' gradients a few times apart,
    and every layer's is tiny. The text says so, with the figure's numbers."""
    small = sizes("relu", 20, gain=0.5)
    assert small.ratio() < 1e-3 and small.ratio(of="weights") > 0.1
    assert small.inputs[-1] < 1e-3 * small.inputs[0]
    assert small.weights.max() < 1e-4 < 1 < sizes("relu", 20).weights.min()
    assert prose["small_w_first_t"] == size_text(small.weights[0])
    assert prose["small_w_out_t"] == size_text(small.weights[-1])
    said = _frame("ReLU", 20, 0.5)
    assert f"goes from {prose['small_w_out_t']} at the output" in said
    bullet = markdown().split("**Weight scale ½**")[1].split("\n\n")[0]
    assert "{eval}`small_w_first_t`" in bullet and "every layer barely" in bullet
    assert "even larger than the output" not in bullet
    sig = sizes("sigmoid", 20)  # where the first layers really do stop learning
    assert (
        sig.ratio(of="weights") < 1e-9
        and sig.inputs[1:].max() < 2 * sig.inputs[1:].min()
    )


def _frame(activation, depth, gain):
    acts = {"sigmoid": "sigmoid", "tanh": "tanh", "ReLU": "relu"}
    e = explore.Explorable(
        plots.gradient_per_layer(
            lambda activation, depth, gain: sizes(acts[activation], int(depth), gain=gain)
        ),
        [explore.choice("activation", "σ", list(acts)),
         explore.parameter("depth", "layers", 10, 1, 20),
         explore.Slider("gain", "scale", 0.5, 2.0, 1.0, log=True)],
        alt="x", static=["depth", "gain"],
    )  # fmt: skip
    return e.draw(activation=activation, depth=depth, gain=gain)


# ----- the five-neuron chain, three ways ---------------------------------------------
def chain(activation, w, depth=5):
    net = Network([[[w]]] * depth, [[0.0]] * depth, activation)
    table = symbolic.three_way(net, [[1.0]], [[0.0]], "half_sse")
    grads = {r.name: r.backprop for r in table.rows}
    W = np.array([grads[f"W{l}[0,0]"] for l in range(1, depth + 1)])
    d = np.array([grads[f"b{l}[0]"] for l in range(1, depth + 1)])
    return table, W, d


def test_the_chain_shows_delta_and_delta_times_a_apart_three_ways():
    table, W, d = chain("relu", 0.5)
    assert table.passed and not table.near_kink
    np.testing.assert_allclose(W, 0.5**5 * 0.5**4, rtol=1e-12)  # (ŷ − y) w^(D−1) x
    np.testing.assert_allclose(d, 0.5**5 * 0.5 ** np.arange(4, -1, -1), rtol=1e-12)
    table, W, d = chain("relu", 2.0)
    np.testing.assert_allclose(W, 2.0**5 * 2.0**4, rtol=1e-12)
    table, W, d = chain("sigmoid", 1.0)
    assert table.passed and table.max_rel_error < 1e-6
    assert abs(d[0]) < abs(d[-1]) / 100  # vanishing, and the true derivative
    text = symbolic.chain_rule([1] * 6, "W1[0,0]").latex
    assert text.count(r"\sigma'") == 5 and text.endswith("x")


# ----- initialisation and its exercise ------------------------------------------------
def he(n_prev, n, rng):
    return rng.normal(0.0, np.sqrt(2 / n_prev), (n, n_prev))


def test_the_initialisation_checker_passes_he_and_names_the_slips():
    ok = check_initialisation(he)
    assert ok.passed and "20-layer ReLU network" in ok.message
    slips = {
        "transposed": lambda a, b, r: he(b, a, r),
        "the variance": lambda a, b, r: r.normal(0, 2 / a, (b, a)),
        "divides by the inputs": lambda a, b, r: r.normal(0, np.sqrt(2 / b), (b, a)),
        "LeCun's": lambda a, b, r: r.normal(0, np.sqrt(1 / a), (b, a)),
        "Glorot's": lambda a, b, r: r.normal(0, np.sqrt(2 / (a + b)), (b, a)),
        "default spread": lambda a, b, r: r.normal(size=(b, a)),
        "the same seed": lambda a, b, r: np.random.normal(0, np.sqrt(2 / a), (b, a)),
        "every weight is the same": lambda a, b, r: np.full((b, a), 0.1),
        "raised": lambda a, b, r: 1 / 0,
    }
    for said, fn in slips.items():
        got = check_initialisation(fn)
        assert not got.passed and said in got.message, (said, got.message)
    uniform = check_initialisation(
        lambda a, b, r: r.uniform(-np.sqrt(6 / a), np.sqrt(6 / a), (b, a))
    )
    assert uniform.passed  # He's spread, drawn uniformly, is He's spread


def test_he_keeps_a_deep_relu_network_in_step_and_glorot_loses_a_root_two_per_layer():
    he_, glorot = sizes("relu", 20), sizes("relu", 20, init="glorot")
    assert he_.per_layer() > 0.9 and glorot.per_layer() == pytest.approx(
        np.sqrt(0.5), abs=0.06
    )
    assert sizes("sigmoid", 20, gain=2.0).ratio() < 1e-6  # twice is far from enough


# ----- the chapter's text -------------------------------------------------------------
def test_the_chapter_uses_d_for_the_depth_and_n_l_for_a_layers_width():
    """Issue 18: D is the depth (L is a loss); fan-in and fan-out are n_{l−1} and n_l;
    s is the spread of the starting weights."""
    for path in (CHAPTER, ROOT / "chapters" / "07_activations.ipynb"):
        text = markdown(path)
        assert not re.search(
            r"\^\{\(L[)-]|\(L - 1\)|\$L\$ layers|\$L = 2|layer \$L\$", text
        )
        assert "n_{\\text{in}}" not in text and "n_{\\text{out}}" not in text
    text = markdown()
    assert "deep_network(D," in text and "(\\tfrac14)^{D-1}" in text
    assert (
        r"\sqrt{\frac{2}{n_{l-1} + n_l}}" in text
        and r"\sqrt{\frac{2}{n_{l-1}}}" in text
    )
    assert "with spread $s$, from $\\mathcal N(0, s^2)$" in text
    assert "$N(0" not in text  # N is a data set's size


def test_the_chapter_sits_between_7_and_9_and_its_links_resolve():
    toc = (ROOT / "_toc.yml").read_text()
    assert (
        toc.index("07_activations")
        < toc.index("08_deep_networks")
        < toc.index("09_putting_it_together")
    )
    for path in (CHAPTER, ROOT / "chapters" / "07_activations.ipynb"):
        for target in re.findall(r"\{doc\}`[^`<]*<([^>]+)>`", markdown(path)):
            assert (path.parent / f"{target}.ipynb").exists() or (
                path.parent / f"{target}.md"
            ).exists(), target


def test_the_prose_numbers_are_the_engines(prose):
    assert prose["sig20_t"] == size_text(sizes("sigmoid", 20).ratio())  # as drawn
    assert prose["small_t"] == size_text(sizes("relu", 20, gain=0.5).ratio())
    assert prose["boom_t"] == size_text(sizes("relu", 20, gain=2.0).ratio())
    assert prose["boom_epoch_t"] == "1"
    first = next(d for d in range(2, 21) if sizes("sigmoid", d).ratio() < 1e-6)
    assert prose["measured_depth_t"] == str(first) and prose["bound_depth_t"] == "11"


# ----- the drawings -------------------------------------------------------------------
def test_the_gradient_flow_figure_draws_the_measured_sizes():
    acts = {"sigmoid": "sigmoid", "ReLU": "relu"}

    def sizes_of(activation, depth, gain):
        return sizes(acts[activation], int(depth), gain=gain)

    e = explore.Explorable(
        plots.gradient_per_layer(sizes_of),
        [explore.choice("activation", "σ", list(acts)),
         explore.parameter("depth", "D", 10, 1, 20),
         explore.Slider("gain", "scale", 0.5, 2.0, 1.0, log=True)],
        alt="x", static=["depth", "gain"],
    )  # fmt: skip
    said = e.draw(activation="sigmoid", depth=10, gain=1.0)
    line = [l for l in e.fig.axes[0].get_lines() if "error signal" in l.get_label()][0]
    np.testing.assert_allclose(line.get_ydata(), sizes("sigmoid", 10).delta, rtol=1e-12)
    assert said.startswith("10 layers") and "× 10⁻" in said
    assert e.draw(activation="ReLU", depth=1, gain=1.0).startswith("One layer")
    assert "off the chart" not in " ".join(t.get_text() for t in e.fig.axes[0].texts)

    tiny = LayerSizes(np.array([1e-30, 1.0]), np.array([1e-28, 2.0]))
    off = explore.Explorable(
        plots.gradient_per_layer(lambda depth: tiny),
        [explore.parameter("depth", "D", 2, 1, 20)],
        alt="x",
    )
    off.draw(depth=2)
    ax = off.fig.axes[0]
    note = [t for t in ax.texts if "off the chart" in t.get_text()]
    assert note and note[0].get_visible()
    drawn = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert min(min(line.get_ydata()) for line in drawn) == 1e-20  # on the edge


def test_the_gradient_figure_names_what_it_shows():
    """Depth 1 has no hidden activation; sizes keep two digits (1.3 × 10⁻⁶ is not a
    millionth)."""
    acts = {"sigmoid": "sigmoid", "ReLU": "relu"}

    def sizes_of(activation, depth):
        return sizes(acts[activation], int(depth))

    e = explore.Explorable(
        plots.gradient_per_layer(sizes_of),
        [explore.choice("activation", "σ", list(acts)),
         explore.parameter("depth", "D", 10, 1, 20)], alt="x",
    )  # fmt: skip
    one = e.draw(activation="sigmoid", depth=1)
    assert "no hidden activation" in one and "of sigmoid" not in one
    out = [t for t in e.fig.axes[0].texts if "output" in t.get_text()][0]
    assert out.get_ha() == "left"  # clear of the y tick labels
    ten = e.draw(activation="sigmoid", depth=10)
    share = sizes("sigmoid", 10).ratio()
    assert f"{plots.gradient_flow.size_text(share)} times as much" in ten
    assert plots.gradient_flow.size_text(1.3e-6) == "1.3 × 10⁻⁶"


# ----- the fresh-eyes review of the built chapter ----------------------------------------
def test_larger_weights_raise_the_sigmoids_factor_only_by_making_switches(prose):
    """Review item 4: no "no starting size rescues": the factor per layer grows with the
    weight scale (0.22, 0.39, 0.62 at 1, 2, 4 times Glorot's) and comes near 1 only at
    about ten times, where most hidden outputs lie within 5 % of 0 or 1."""
    factors = [sizes("sigmoid", 20, gain=g).per_layer() for g in (1, 2, 4, 10)]
    assert factors == sorted(factors) and factors[-1] > 0.8 > factors[-2]
    assert prose["sig_f4_t"] == f"{factors[2]:.2f}"
    net = deep_network(20, "sigmoid", gain=10.0)
    hidden = np.concatenate([a.ravel() for a in net.forward(X_DEEP).activations[1:-1]])
    share = np.mean((hidden < 0.05) | (hidden > 0.95))
    assert share > 0.5 and prose["sat10_t"] == f"{100 * share:.0f}"
    text = markdown()
    assert "No starting size rescues" not in text
    assert "make its factor small whatever the start" not in text


def test_the_initialisation_section_says_what_each_rule_assumes_and_is_called():
    """Review items 2, 3, 8 and 34."""
    text = markdown()
    assert "the spread needs\nan extra factor of 2" not in text
    assert "variance\n$s^2$ needs an extra factor of 2" in text
    assert "PyTorch and Keras call the first" not in text
    for name in (
        "xavier_uniform_",
        "xavier_normal_",
        "kaiming_normal_",
        "GlorotNormal",
    ):
        assert f"`{name}`" in text
    assert "uniform distribution" in text and "Their count assumes a slope" in text
    assert "today's deep networks are ReLU-like" not in text
    assert "Gers, Schmidhuber and Cummins, 2000" in text or "gers2000" in text
    assert 'scaled only by a "forget" gate' not in text


def test_tiny_chain_gradients_pass_by_the_round_off_rule(prose):
    """Review item 1: at w = ½ the sigmoid chain's layer-1 gradients miss by a relative
    3 × 10⁻⁷ (above 10⁻⁷) and pass because the miss is round-off; the text says so."""
    table, _, _ = chain("sigmoid", 0.5)
    worst = max(table.rows, key=lambda r: r.rel_error)
    assert worst.rel_error > 1e-7 and worst.verdict == "good"
    assert prose["tiny_rel_t"] == "3 × 10⁻⁷"
    assert "second rule" in markdown()


def test_one_layer_is_one_network_and_the_sympy_product_names_every_neuron(executed):
    """Review items 13 and 24: at depth 1 the three activations draw the same network
    (no hidden activation); σ′(z⁽⁵⁾) carries its neuron's index like the others."""
    shown = "\n".join(
        o.get("data", {}).get("text/latex", "")
        for c in executed.cells
        for o in c.get("outputs", [])
    )
    assert r"\sigma'(z^{(5)}_{1})" in shown and r"\sigma'(z^{(5)})" not in shown
    code = "\n".join(
        "".join(c["source"])
        for c in json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
    )
    assert 'FLOW[activation] if depth > 1 else "sigmoid"' in code
