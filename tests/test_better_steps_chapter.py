"""Chapter 10's claims, where a test can see them: the valley is exactly a bowl, plain
descent's steps grow with κ, momentum's effective step η/(1 − μ), Adam's bias
correction, the gradient of weight decay three ways, and every measured comparison
the prose states (the race, the schedules, the digits, the moons)."""

import math

import numpy as np
import pytest
import sympy as sp

from book_utils import comparisons as cmp
from book_utils import valleys
from book_utils import weight_decay as wd
from book_utils.examples import SEED_X, SEED_Y, memorising_run, seed_network
from book_utils.exercises import check_momentum_step
from book_utils.network import Network
from book_utils.optimizers import SGD, Adam
from book_utils.training import train

SHARE = 0.01  # "there": within 1 % of the start's distance from the minimum


# ----- the valley, exactly -----------------------------------------------------------------
def test_chapter_5s_loss_is_exactly_the_bowl():
    X, Y = cmp.line_data()
    valley = cmp.line_valley()
    rng = np.random.default_rng(0)
    for w, b in rng.normal(scale=3, size=(10, 2)):
        L, grads, _ = Network([[w]], [[b]], "identity").loss_and_gradients(X, Y, "mse")
        assert valley.loss([w, b]) == pytest.approx(L, rel=1e-12)
        np.testing.assert_allclose(valley.gradient([w, b]), grads.flat(), atol=1e-12)
    assert valley.kappa == pytest.approx(37.6, abs=0.05)  # Chapter 5's "38 : 1"
    assert 0.1 < 2 / valley.q_steep < 0.12  # 0.1 bounces in, 0.12 diverges
    # the minimum is the least-squares line, the level curves lie on the bowl
    assert valley.loss(valley.centre) == pytest.approx(valley.floor, rel=1e-12)
    ring = valley.level_curve(0.5)
    np.testing.assert_allclose(valley.loss(ring) - valley.floor, 0.5, rtol=1e-10)
    d_flat, d_steep = valley.distances(cmp.LINE_START)
    np.testing.assert_allclose(valley.at(d_flat, d_steep), cmp.LINE_START)


def test_a_bowl_needs_sensible_curvatures():
    with pytest.raises(ValueError, match="0 < q_flat ≤ q_steep"):
        valleys.Bowl(2.0, 1.0)
    with pytest.raises(ValueError, match="0 < q_flat ≤ q_steep"):
        valleys.Bowl(0.0, 1.0)


def test_steps_grow_in_proportion_to_kappa():
    q_steep = cmp.line_valley().q_steep
    predicted = math.log(1 / SHARE) / (0.1 * q_steep)  # ln 100 / (η q_steep) per κ
    for kappa in (10, 37.6, 100, 300):
        bowl, path = cmp.bowl_roll(kappa, 0.1)
        steps = valleys.steps_to(path, bowl.centre, SHARE)
        assert steps / kappa == pytest.approx(predicted, rel=0.05), kappa
    # the steep direction sets the limit, whatever κ is
    for kappa in (1, 37.6, 300):
        assert cmp.bowl_roll(kappa, 0.12)[1].diverged_at is not None
        assert cmp.bowl_roll(kappa, 0.1)[1].diverged_at is None


def test_steps_to_waits_until_the_path_stays_close():
    path = valleys.Path(np.array([[1.0, 0], [0.001, 0], [0.5, 0], [0.002, 0]]),
                        np.zeros(4))  # fmt: skip
    assert valleys.steps_to(path, (0.0, 0.0), SHARE) == 3  # step 1 swung out again
    assert valleys.steps_to(path, (0.0, 0.0), 1e-4) is None


def test_a_diverging_roll_stops_and_says_when():
    bowl = valleys.Bowl(1.0, 10.0)
    path = valleys.roll(bowl, SGD(0.5), (1.0, 1.0), 100)  # |1 − 0.5·10| = 4
    assert path.diverged_at is not None and path.steps == path.diverged_at - 1
    assert np.all(np.isfinite(path.points)) and np.all(np.isfinite(path.losses))


# ----- momentum ----------------------------------------------------------------------------
def test_the_worked_example_and_the_effective_step():
    w, opt = np.array([0.8]), SGD(0.1, momentum=0.9)
    opt.step([w], [np.array([0.3])])
    assert w[0] == pytest.approx(0.77, abs=1e-15)
    opt.step([w], [np.array([0.3])])
    assert opt.velocity[0][0] == pytest.approx(0.57) and w[0] == pytest.approx(0.713)
    for mu in (0.5, 0.8, 0.9, 0.95):
        steady, flip = SGD(0.1, momentum=mu), SGD(0.1, momentum=mu)
        for k in range(2000):
            steady.step([np.zeros(1)], [np.ones(1)])
            flip.step([np.zeros(1)], [np.array([(-1.0) ** k])])
        assert steady.velocity[0][0] == pytest.approx(1 / (1 - mu), rel=1e-12)
        assert abs(flip.velocity[0][0]) == pytest.approx(1 / (1 + mu), rel=1e-12)


def test_sympy_solves_the_velocity():
    t = sp.Symbol("t", integer=True, positive=True)
    mu, g = sp.symbols("mu g", positive=True)
    v = sp.Function("v")
    v_t = sp.rsolve(v(t) - mu * v(t - 1) - g, v(t), {v(0): 0})
    assert sp.simplify(v_t - g * (1 - mu**t) / (1 - mu)) == 0
    assert sp.simplify(sp.factor(v_t).subs(mu**t, 0) - g / (1 - mu)) == 0


def test_the_race_as_the_text_tells_it():
    centre = cmp.line_valley().centre

    def reached(name, lr, mu=0.0):
        return valleys.steps_to(cmp.race_path(name, lr, mu), centre, SHARE)

    assert reached("plain", 0.03) is None and reached("momentum", 0.03, 0.8) < 40
    assert reached("momentum", 0.1, 0.8) < reached("plain", 0.1)
    assert reached("momentum", 0.1, 0.95) is None  # too much momentum
    adam = min(reached("Adam", lr) or 999 for lr in (0.1, 0.2, 0.3, 0.5, 0.7, 1.0))
    plain = min(reached("plain", lr) or 999 for lr in (0.05, 0.08, 0.1, 0.105))
    mom = min(
        reached("momentum", lr, mu) or 999
        for lr in (0.03, 0.05, 0.08, 0.1)
        for mu in (0.5, 0.7, 0.8)
    )
    assert 2 * mom < adam < plain


def test_the_race_takes_backprops_steps():
    # a race path is train's full-batch run, to the last bit, and the bowl's own roll
    X, Y = cmp.line_data()
    for name, lr, mu in [
        ("plain", 0.1, 0.0),
        ("momentum", 0.03, 0.8),
        ("Adam", 0.5, 0),
    ]:
        run = train(cmp.line_neuron(), X, Y, "mse", epochs=cmp.RACE_STEPS,
                    optimizer=cmp.optimizer(name, lr, mu), record_params=True)  # fmt: skip
        path = cmp.race_path(name, lr, mu)
        assert np.array_equal(path.points, np.array(run.params)), name
        assert np.array_equal(path.losses, np.array(run.losses)), name
    wild = cmp.race_path("plain", 0.3)  # diverges, as train says
    run = train(cmp.line_neuron(), X, Y, "mse", epochs=cmp.RACE_STEPS,
                optimizer=SGD(0.3), record_params=True)  # fmt: skip
    assert wild.diverged_at == run.diverged_at is not None
    path = cmp.race_path("momentum", 0.03, 0.8)
    rolled = valleys.roll(cmp.line_valley(), SGD(0.03, momentum=0.8), cmp.LINE_START,
                          cmp.RACE_STEPS)  # fmt: skip
    np.testing.assert_allclose(path.points, rolled.points, atol=1e-9)


# ----- Adam ---------------------------------------------------------------------------------
def test_bias_correction():
    t = sp.Symbol("t", integer=True, positive=True)
    g, beta1 = sp.symbols("g beta_1", positive=True)
    m = sp.Function("m")
    m_t = sp.rsolve(m(t) - beta1 * m(t - 1) - (1 - beta1) * g, m(t), {m(0): 0})
    assert sp.simplify(m_t / (1 - beta1**t) - g) == 0
    theta = np.zeros(3)
    Adam(0.01).step([theta], [np.array([3.0, -0.02, 250.0])])
    np.testing.assert_allclose(theta, [-0.01, 0.01, -0.01], rtol=1e-6)
    # uncorrected, the first step would be 0.1/√0.001 ≈ 3.16 times η
    assert 0.1 / math.sqrt(0.001) == pytest.approx(3.16, abs=0.005)


# ----- weight decay -------------------------------------------------------------------------
@pytest.mark.parametrize("lam", [0.0, 0.01, 0.1, 0.5, 1.0])
def test_the_penalised_gradient_three_ways(lam):
    table = wd.three_way(seed_network(), SEED_X, SEED_Y, "half_sse", lam)
    assert table.passed and table.max_rel_error < 1e-7 and len(table.rows) == 23


def test_sympy_finds_lambda_theta_for_every_parameter():
    sym = wd.symbolic_penalty((3, 3, 2, 1), ("sigmoid",) * 3, "half_sse")
    for name in seed_network().flat_names():
        assert sp.simplify(sym.extra_term(name) - wd.LAMBDA * sym.net.symbol(name)) == 0


def test_the_optimisers_decay_is_a_step_on_the_penalised_loss():
    net = seed_network()
    theta = net.get_flat()
    want = theta - 0.5 * wd.penalised_gradient(net, SEED_X, SEED_Y, "half_sse", 0.3)
    _, grads, _ = net.loss_and_gradients(SEED_X, SEED_Y, "half_sse")
    params = net.arrays()
    SGD(0.5, weight_decay=0.3).step(params, grads.arrays())
    np.testing.assert_allclose(net.get_flat(), want, rtol=1e-14)


def test_a_wrong_penalty_gradient_is_caught():
    net = seed_network()
    table = wd.three_way(net, SEED_X, SEED_Y, "half_sse", 0.5)
    assert table.passed
    right = wd.penalised_gradient
    try:  # forget the ½ of the penalty: λθ becomes 2λθ
        wd.penalised_gradient = lambda *a: right(*a[:4], 2 * a[4])
        assert not wd.three_way(net, SEED_X, SEED_Y, "half_sse", 0.5).passed
    finally:
        wd.penalised_gradient = right


# ----- schedules ----------------------------------------------------------------------------
def test_the_constant_run_is_chapter_6s():
    X, Y = cmp.line_data()
    chapter6 = train(Network([[-0.5]], [[5.0]], "identity"), X, Y, "mse", lr=0.1,
                     epochs=400, batch_size=5, seed=0)  # fmt: skip
    assert cmp.line_run(0.1).losses == chapter6.losses


def test_schedules_settle_lower_but_do_not_rescue_a_small_step():
    floor = cmp.line_valley().floor

    def above(lr, name):
        return cmp.hover(cmp.line_run(lr, name)) - floor

    assert above(0.1, "step decay") < 1e-4 * above(0.1, "constant")
    assert above(0.1, "cosine") < 1e-3 * above(0.1, "constant")
    assert above(0.01, "step decay") > 10 * above(0.01, "constant")
    with pytest.raises(ValueError, match="unknown schedule"):
        cmp.schedule("linear", 0.1)


# ----- the digits and the moons (Chapter 9's and Chapter 6's networks) -----------------------
def test_the_plain_digits_run_is_chapter_9s():
    data = cmp.digits_data()
    net = Network.random([64, 32, 10], ["relu", "identity"], seed=0, init="he")
    run = train(net, *data["train"], "softmax_ce", lr=0.1, epochs=20, batch_size=32,
                seed=0, validation=data["validation"])  # fmt: skip
    assert cmp.digits_run("plain", 0.1).val_losses == tuple(run.val_losses)


def test_the_digits_comparison_as_the_text_tells_it():
    plain = cmp.digits_run("plain", 0.1)
    equal = cmp.digits_run("momentum", 0.01, 0.9)
    ten, plain1 = cmp.digits_run("momentum", 0.1, 0.9), cmp.digits_run("plain", 1.0)
    adam_slow, adam_fast = cmp.digits_run("Adam", 0.001), cmp.digits_run("Adam", 0.01)
    runs = [plain, equal, ten, plain1, adam_slow, adam_fast]
    assert abs(equal.final - plain.final) < 0.02
    assert abs(ten.final - plain1.final) < 0.01 and ten.dead < plain1.dead
    assert ten.final < 0.6 * plain.final
    assert adam_slow.final == max(r.final for r in runs)
    assert adam_slow.wrong == max(r.wrong for r in runs)
    assert adam_fast.final < plain.final


def test_weight_decay_shrinks_the_digits_weights_without_helping():
    runs = [cmp.digits_run("plain", 0.1, 0.0, lam) for lam in (0.0, 0.001, 0.01)]
    norms = [r.weight_norm for r in runs]
    assert norms == sorted(norms, reverse=True)
    finals = [r.final for r in runs]
    assert finals == sorted(finals) and runs[-1].wrong > runs[0].wrong
    assert runs[0].final - runs[0].train_losses[-1] < 0.2 * runs[0].final


def test_weight_decay_cures_the_moons_overfitting():
    memo, kept = cmp.moons_run(0.0), cmp.moons_run(0.003)
    assert memo.losses == memorising_run(32)[1].losses  # Chapter 6's run
    memo_val, kept_val = np.array(memo.val_losses), np.array(kept.val_losses)
    assert memo_val[-1] > 1.3 * kept_val[-1]
    assert abs(kept_val[-1] - memo_val.min()) < 0.01


# ----- the exercise ---------------------------------------------------------------------
def test_the_momentum_checker():
    def right(theta, v, grad, lr, mu):
        v = mu * v + grad
        return theta - lr * v, v

    assert check_momentum_step(right).passed
    plain = check_momentum_step(lambda th, v, g, lr, mu: (th - lr * g, mu * v + g))
    assert not plain.passed and "plain step" in plain.message
    averaged = check_momentum_step(
        lambda th, v, g, lr, mu: (
            th - lr * (mu * v + (1 - mu) * g),
            mu * v + (1 - mu) * g,
        )
    )
    assert not averaged.passed and "average" in averaged.message
    untouched = check_momentum_step(lambda th, v, g, lr, mu: (th, v))
    assert not untouched.passed and "unchanged" in untouched.message
    broken = check_momentum_step(lambda th, v, g, lr, mu: th)
    assert not broken.passed and "pair" in broken.message
