"""The optimizers and schedules: worked by hand, checked against PyTorch, every ValueError."""

import math
import re

import numpy as np
import pytest

from book_utils.comparisons import momentum_forms
from book_utils.optimizers import (
    SGD,
    AdaGrad,
    Adam,
    Constant,
    Cosine,
    RMSProp,
    StepDecay,
)


def scalar(value: float) -> np.ndarray:
    """One parameter θ as a float64 array of shape (1,), updated in place."""
    return np.array([value])


# ----- SGD, worked by hand ---------------------------------------------------------------
def test_plain_sgd_is_bit_identical_to_the_engines_update():
    rng = np.random.default_rng(3)
    shapes = [(3, 2), (3,), (1, 3), (1,)]
    params = [rng.normal(size=s) for s in shapes]
    expected = [p.copy() for p in params]
    for lr in (0.1, 0.37, 2.5e-3):
        opt = SGD(lr)
        for _ in range(4):
            grads = [rng.normal(size=s) * 10.0 ** rng.integers(-8, 3) for s in shapes]
            opt.step(params, grads)
            for e, g in zip(expected, grads):
                e -= lr * g  # training.train's update: w ← w − η ∂L/∂w
            assert all(np.array_equal(p, e) for p, e in zip(params, expected))


def test_sgd_momentum_three_steps_by_hand():
    # η = 0.5, μ = 0.5, θ₀ = 3, gradients 1, 2, −4 (every number exact in binary):
    # step 1: v = g = 1                     θ = 3 − 0.5·1 = 2.5
    # step 2: v = 0.5·1 + 2 = 2.5           θ = 2.5 − 0.5·2.5 = 1.25
    # step 3: v = 0.5·2.5 − 4 = −2.75       θ = 1.25 + 0.5·2.75 = 2.625
    theta, opt = scalar(3.0), SGD(lr=0.5, momentum=0.5)
    for g, v, after in [(1.0, 1.0, 2.5), (2.0, 2.5, 1.25), (-4.0, -2.75, 2.625)]:
        opt.step([theta], [scalar(g)])
        assert opt.velocity[0][0] == v and theta[0] == after
    assert opt.t == 3


def test_sgd_momentum_builds_speed_on_a_constant_gradient():
    # η = 0.1, μ = 0.9, θ₀ = 1, g = 1 every step:
    # v₁ = 1, θ₁ = 0.9;  v₂ = 0.9 + 1 = 1.9, θ₂ = 0.71;  v₃ = 1.71 + 1 = 2.71, θ₃ = 0.439
    theta, opt = scalar(1.0), SGD(lr=0.1, momentum=0.9)
    for after in (0.9, 0.71, 0.439):
        opt.step([theta], [scalar(1.0)])
        assert theta[0] == pytest.approx(after, rel=1e-15)


def sutskever_momentum(theta0, grads, lrs, mu):
    """Sutskever et al.'s form, written out: v ← μv − η g, θ ← θ + v."""
    theta, v, out = theta0, 0.0, []
    for g, lr in zip(grads, lrs):
        v = mu * v - lr * g
        theta = theta + v
        out.append(theta)
    return out


def pytorch_momentum(theta0, grads, lrs, mu):
    """The engine's SGD (PyTorch's form, dampening 0): v ← μv + g, θ ← θ − η v."""
    theta, opt, out = scalar(theta0), SGD(lrs[0], momentum=mu), []
    for g, lr in zip(grads, lrs):
        opt.lr = lr
        opt.step([theta], [scalar(g)])
        out.append(theta[0])
    return out


def test_sutskevers_momentum_takes_the_same_steps_while_eta_is_constant():
    rng = np.random.default_rng(7)
    grads = rng.normal(size=30)
    for lr, mu in [(0.1, 0.9), (0.03, 0.5), (1.0, 0.99)]:
        ours = pytorch_momentum(0.8, grads, [lr] * 30, mu)
        theirs = sutskever_momentum(0.8, grads, [lr] * 30, mu)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_sutskevers_momentum_differs_once_eta_changes():
    # η halved after two steps, g = 0.3 five times, μ = 0.9, θ₀ = 0.8
    lrs, grads = [0.1, 0.1, 0.05, 0.05, 0.05], [0.3] * 5
    ours = pytorch_momentum(0.8, grads, lrs, 0.9)
    theirs = sutskever_momentum(0.8, grads, lrs, 0.9)
    np.testing.assert_allclose(ours[:2], theirs[:2], rtol=1e-14)
    # step 3, PyTorch: v = 0.9·0.57 + 0.3 = 0.813, θ = 0.713 − 0.05·0.813
    # Sutskever: v = 0.9·(−0.057) − 0.015 = −0.0663, θ = 0.713 − 0.0663
    assert ours[2] == pytest.approx(0.713 - 0.05 * 0.813, rel=1e-14)
    assert theirs[2] == pytest.approx(0.713 - 0.0663, rel=1e-14)
    assert ours[-1] - theirs[-1] > 0.05  # the new η rescales all of PyTorch's v
    # the chapter's version of the same comparison
    np.testing.assert_allclose(momentum_forms(lrs, grads, 0.9, 0.8), [ours, theirs],
                               rtol=1e-14)  # fmt: skip


def test_sgd_has_no_dampening():
    # PyTorch's dampening d scales g by 1 − d; the engine is d = 0: v = μv + g
    theta, opt = scalar(0.0), SGD(1.0, momentum=0.9)
    for _ in range(3):
        opt.step([theta], [scalar(1.0)])
    assert opt.velocity[0][0] == pytest.approx(1 + 0.9 + 0.81, rel=1e-15)


def test_weight_decay_adds_lambda_theta_to_the_gradient():
    # η = 0.5, λ = 0.25, θ₀ = 2, g = 1:  g + λθ = 1 + 0.5 = 1.5,  θ = 2 − 0.5·1.5 = 1.25
    theta = scalar(2.0)
    SGD(lr=0.5, weight_decay=0.25).step([theta], [scalar(1.0)])
    assert theta[0] == 1.25
    # with μ = 0.5 as well, a second step with g = 1:
    # g + λθ = 1 + 0.25·1.25 = 1.3125,  v = 0.5·1.5 + 1.3125 = 2.0625,
    # θ = 1.25 − 0.5·2.0625 = 0.21875
    theta, opt = scalar(2.0), SGD(lr=0.5, momentum=0.5, weight_decay=0.25)
    opt.step([theta], [scalar(1.0)])
    opt.step([theta], [scalar(1.0)])
    assert opt.velocity[0][0] == 2.0625 and theta[0] == 0.21875
    # Adam sees the decayed gradient too: m₁ = (1 − β₁)(g + λθ) = 0.1·1.5
    theta, adam = scalar(2.0), Adam(lr=0.1, weight_decay=0.25)
    adam.step([theta], [scalar(1.0)])
    assert adam.m[0][0] == pytest.approx(0.1 * 1.5, rel=1e-15)
    assert adam.r[0][0] == pytest.approx(0.001 * 1.5**2, rel=1e-15)


def test_nesterov_three_steps_by_hand():
    # η = 0.5, μ = 0.5, θ₀ = 3, gradients 1, 2, −4 (every number exact in binary):
    # step 1: v = 1,                  θ = 3 − 0.5·(1 + 0.5·1) = 2.25
    # step 2: v = 0.5·1 + 2 = 2.5,    θ = 2.25 − 0.5·(2 + 0.5·2.5) = 0.625
    # step 3: v = 1.25 − 4 = −2.75,   θ = 0.625 − 0.5·(−4 − 0.5·2.75) = 3.3125
    theta, opt = scalar(3.0), SGD(lr=0.5, momentum=0.5, nesterov=True)
    for g, v, after in [(1.0, 1.0, 2.25), (2.0, 2.5, 0.625), (-4.0, -2.75, 3.3125)]:
        opt.step([theta], [scalar(g)])
        assert opt.velocity[0][0] == v and theta[0] == after
    assert "Nesterov" in repr(opt)


def test_nesterov_looks_one_step_ahead_of_momentum():
    # the step g + μv is the step momentum would take next if the gradient stayed g
    g = [0.3, -0.1, 0.25, 0.4]
    ahead, plain = SGD(0.1, 0.9, nesterov=True), SGD(0.1, 0.9)
    t_ahead, t_plain = scalar(1.0), scalar(1.0)
    for gk in g:
        before = t_ahead.copy()
        ahead.step([t_ahead], [scalar(gk)])
        plain.step([t_plain], [scalar(gk)])
        v = plain.velocity[0][0]  # the same velocity in both
        assert ahead.velocity[0][0] == v
        assert (before - t_ahead)[0] == pytest.approx(0.1 * (gk + 0.9 * v), rel=1e-15)


def test_adagrad_two_steps_by_hand_and_its_steps_shrink_like_one_over_root_t():
    # η = 0.5, θ₀ = 1, g = 3 then 4:  r = 9, θ = 1 − 0.5·3/3 = 0.5;
    # r = 9 + 16 = 25, θ = 0.5 − 0.5·4/5 = 0.1   (ε = 1e−10 moves the last digits only)
    theta, opt = scalar(1.0), AdaGrad(lr=0.5)
    opt.step([theta], [scalar(3.0)])
    assert opt.r[0][0] == 9.0 and theta[0] == pytest.approx(0.5, rel=1e-10)
    opt.step([theta], [scalar(4.0)])
    assert opt.r[0][0] == 25.0 and theta[0] == pytest.approx(0.1, rel=1e-9)
    # a steady gradient: r = t g², so step t moves θ by η/√t
    theta, opt = scalar(0.0), AdaGrad(lr=0.01)
    for t in range(1, 101):
        before = theta[0]
        opt.step([theta], [scalar(2.0)])
        assert before - theta[0] == pytest.approx(0.01 / math.sqrt(t), rel=1e-9)


def test_rmsprop_two_steps_by_hand_and_its_steps_stay_near_lr():
    # η = 0.1, β₂ = 0.5, ε = 1e−8, θ₀ = 1, g = 2 then 2:
    # r = 0.5·4 = 2,         θ₁ = 1 − 0.1·2/(√2 + ε)
    # r = 0.5·2 + 0.5·4 = 3, θ₂ = θ₁ − 0.1·2/(√3 + ε)
    theta, opt = scalar(1.0), RMSProp(lr=0.1, beta2=0.5)
    opt.step([theta], [scalar(2.0)])
    theta1 = 1 - 0.1 * 2 / (math.sqrt(2) + 1e-8)
    assert opt.r[0][0] == 2.0 and theta[0] == pytest.approx(theta1, rel=1e-15)
    opt.step([theta], [scalar(2.0)])
    theta2 = theta1 - 0.1 * 2 / (math.sqrt(3) + 1e-8)
    assert opt.r[0][0] == 3.0 and theta[0] == pytest.approx(theta2, rel=1e-15)
    # a steady gradient: r → g², so the steps settle at η (AdaGrad's die out)
    theta, opt = scalar(0.0), RMSProp(lr=0.01)
    for _ in range(2000):
        before = theta[0]
        opt.step([theta], [scalar(5.0)])
    assert before - theta[0] == pytest.approx(0.01, rel=1e-6)


def test_weight_decay_reaches_adagrad_and_rmsprop_too():
    # g + λθ = 1 + 0.5·2 = 2: AdaGrad's r = 4, RMSProp's r = 0.01·4 (β₂ = 0.99)
    for opt, r in [
        (AdaGrad(0.1, weight_decay=0.5), 4.0),
        (RMSProp(0.1, weight_decay=0.5), 0.04),
    ]:
        theta = scalar(2.0)
        opt.step([theta], [scalar(1.0)])
        assert opt.r[0][0] == pytest.approx(r, rel=1e-15)


# ----- Adam, worked by hand --------------------------------------------------------------
def test_adam_two_steps_by_hand():
    # η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e−8, θ₀ = 1.
    # step 1, g = 0.5:   m = 0.1·0.5 = 0.05,  r = 0.001·0.25 = 0.00025,
    #   m̂ = 0.05/(1 − 0.9) = 0.5,  √r̂ = √(0.00025/0.001) = 0.5,
    #   θ₁ = 1 − 0.1·0.5/(0.5 + 1e−8) ≈ 0.900000002
    # step 2, g = −0.25: m = 0.9·0.05 + 0.1·(−0.25) = 0.02,
    #   r = 0.999·0.00025 + 0.001·0.0625 = 0.00031225,
    #   m̂ = 0.02/(1 − 0.81) = 0.02/0.19,  r̂ = 0.00031225/(1 − 0.998001) = 0.00031225/0.001999
    theta, opt = scalar(1.0), Adam(lr=0.1)
    opt.step([theta], [scalar(0.5)])
    theta1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
    assert theta[0] == pytest.approx(theta1, rel=1e-15)
    assert theta[0] == pytest.approx(0.900000002, rel=1e-15)
    opt.step([theta], [scalar(-0.25)])
    assert opt.m[0][0] == pytest.approx(0.02, rel=1e-15)
    assert opt.r[0][0] == pytest.approx(0.00031225, rel=1e-15)
    theta2 = theta1 - 0.1 * (0.02 / 0.19) / (math.sqrt(0.00031225 / 0.001999) + 1e-8)
    assert theta[0] == pytest.approx(theta2, rel=1e-15)
    assert opt.t == 2


def test_adams_first_step_is_lr_times_the_sign_of_g():
    # m̂₁ = g and √r̂₁ = |g|, so θ₁ = θ₀ − η g/(|g| + ε): a step of η whatever the size of g
    g = np.array([3.0, -0.02, 250.0, -1e-2, 0.7])
    theta, lr = np.zeros(5), 0.01
    Adam(lr=lr).step([theta], [g])
    np.testing.assert_allclose(theta, -lr * g / (np.abs(g) + 1e-8), rtol=1e-15)
    np.testing.assert_allclose(theta, -lr * np.sign(g), rtol=1e-6)  # ε/|g| ≤ 1e−6


def test_adams_bias_corrected_averages_equal_a_constant_gradient():
    # with g constant, m_t = (1 − β₁ᵗ) g and r_t = (1 − β₂ᵗ) g², so m̂_t = g, r̂_t = g²
    # exactly, and every step moves θ by η g/(|g| + ε)
    g, theta, lr = np.array([0.5, -3.0]), np.array([1.0, 2.0]), 0.01
    opt = Adam(lr=lr, betas=(0.8, 0.99))
    for t in range(1, 31):
        before = theta.copy()
        opt.step([theta], [g])
        np.testing.assert_allclose(opt.m[0] / (1 - 0.8**t), g, rtol=1e-14)
        np.testing.assert_allclose(opt.r[0] / (1 - 0.99**t), g**2, rtol=1e-14)
        np.testing.assert_allclose(
            before - theta, lr * g / (np.abs(g) + 1e-8), rtol=1e-12
        )


def test_adam_with_a_zero_gradient_stays_put():
    # m = r = 0, so the step is 0/(0 + ε) = 0: no 0/0
    theta = np.array([0.3, -0.7])
    Adam().step([theta], [np.zeros(2)])
    assert np.array_equal(theta, [0.3, -0.7])


# ----- lists of arrays, state, reset -----------------------------------------------------
@pytest.mark.parametrize(
    "opt",
    [SGD(0.1), SGD(0.1, momentum=0.9, weight_decay=0.01), Adam(weight_decay=0.01)],
    ids=repr,
)
def test_a_network_is_updated_in_place_and_its_gradients_are_not(opt):
    opt = fresh(opt)  # the parameter is a template: no state shared between tests
    rng = np.random.default_rng(0)
    shapes = [(3, 2), (3,), (1, 3), (1,)]  # W1, b1, W2, b2 of a 2-3-1 network
    params = [rng.normal(size=s) for s in shapes]
    grads = [rng.normal(size=s) for s in shapes]
    ids, before, grads_before = (
        [id(p) for p in params],
        [p.copy() for p in params],
        [g.copy() for g in grads],
    )
    for _ in range(3):
        opt.step(params, grads)
    assert [id(p) for p in params] == ids  # the same arrays, changed in place
    assert all(p.shape == s for p, s in zip(params, shapes))
    assert all(not np.array_equal(p, b) for p, b in zip(params, before))
    assert all(np.array_equal(g, b) for g, b in zip(grads, grads_before))
    # each array moved as if it had been alone: the state is per position
    for i in range(4):
        alone, theta = fresh(opt), before[i].copy()
        for _ in range(3):
            alone.step([theta], [grads_before[i]])
        assert np.array_equal(theta, params[i])


def fresh(opt):
    """A new optimizer with the same settings and no state."""
    if isinstance(opt, SGD):
        return SGD(opt.lr, momentum=opt.momentum, weight_decay=opt.weight_decay)
    return Adam(opt.lr, betas=opt.betas, eps=opt.eps, weight_decay=opt.weight_decay)


@pytest.mark.parametrize("opt", [SGD(0.1, momentum=0.9), Adam(0.1)], ids=repr)
def test_reset_forgets_the_state(opt):
    opt = fresh(opt)
    theta = scalar(1.0)
    for g in (0.5, -0.2, 0.3):
        opt.step([theta], [scalar(g)])
    opt.reset()
    assert opt.t == 0
    theta, new, new_theta = np.array([4.0, 5.0]), fresh(opt), np.array([4.0, 5.0])
    opt.step([theta], [np.array([1.0, -1.0])])  # a new shape is fine after reset()
    new.step([new_theta], [np.array([1.0, -1.0])])
    assert np.array_equal(theta, new_theta) and opt.t == 1


def test_lr_can_change_between_steps_as_a_schedule_does():
    theta, opt, schedule = scalar(1.0), SGD(0.5), StepDecay(0.5, step_size=1, gamma=0.5)
    for epoch in range(3):  # η = 0.5, 0.25, 0.125 with g = 1
        opt.lr = schedule.lr_at(epoch)
        opt.step([theta], [scalar(1.0)])
    assert theta[0] == 1 - 0.5 - 0.25 - 0.125


def test_repr_names_the_optimizer_for_legends():
    assert repr(SGD(0.1)) == "SGD(η=0.1)"
    assert repr(SGD(0.1, momentum=0.9)) == "SGD(η=0.1, μ=0.9)"
    assert repr(SGD(0.05, 0.9, 1e-4)) == "SGD(η=0.05, μ=0.9, λ=0.0001)"
    assert repr(Adam()) == "Adam(η=0.001)"
    assert repr(Adam(0.01, (0.8, 0.99), 1e-6, 0.01)) == (
        "Adam(η=0.01, β₁=0.8, β₂=0.99, ε=1e-06, λ=0.01)"
    )
    assert repr(Constant(0.1)) == "Constant(η=0.1)"
    assert repr(StepDecay(0.1, 10)) == "StepDecay(η=0.1, step_size=10, γ=0.1)"
    assert repr(Cosine(0.1, 50)) == "Cosine(η=0.1, T=50, η_min=0)"


# ----- schedules, worked by hand ---------------------------------------------------------
def test_constant_schedule():
    assert [Constant(0.3).lr_at(t) for t in (0, 1, 1000)] == [0.3, 0.3, 0.3]


def test_step_decay_by_hand():
    # η = 0.1, step_size = 3, γ = 0.5: epochs 0–2 → 0.1, 3–5 → 0.05, 6–8 → 0.025
    s = StepDecay(0.1, step_size=3, gamma=0.5)
    assert [s.lr_at(t) for t in range(9)] == [0.1] * 3 + [0.05] * 3 + [0.025] * 3


def test_cosine_by_hand():
    # η = 1, T = 4: (1 + cos(πt/4))/2 = 1, (1 + √½)/2, ½, (1 − √½)/2, 0
    s = Cosine(1.0, epochs=4)
    half_root = math.sqrt(0.5)
    expected = [1.0, (1 + half_root) / 2, 0.5, (1 - half_root) / 2, 0.0]
    assert [s.lr_at(t) for t in range(5)] == pytest.approx(
        expected, rel=1e-15, abs=1e-16
    )
    # with η_min = 0.2 the same curve is squeezed into [0.2, 1]: η_min + 0.8·(…)
    s = Cosine(1.0, epochs=4, lr_min=0.2)
    assert [s.lr_at(t) for t in range(5)] == pytest.approx(
        [0.2 + 0.8 * e for e in expected], rel=1e-15
    )
    assert s.lr_at(3) > s.lr_min  # the last epoch of a 4-epoch run still moves


# ----- against PyTorch -------------------------------------------------------------------
# The literals below were recorded with torch 2.13.0+cpu (pip install torch==2.13.0 numpy in a
# scratch venv outside the repo; torch is not a dependency of the book) by this script:
#
#     import torch
#     from torch.optim import SGD, Adagrad, Adam, RMSprop
#     from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR
#     def run(make):  # 5 steps from THETA0 with GRADS (as defined below)
#         params = [torch.tensor(p, dtype=torch.float64) for p in THETA0]
#         opt, after = make(params), []
#         for gs in GRADS:
#             for p, g in zip(params, gs):
#                 p.grad = torch.tensor(g, dtype=torch.float64)
#             opt.step()
#             after.append([p.detach().clone().tolist() for p in params])
#         state = {k: [opt.state[p][k].tolist() for p in params]
#                  for k in opt.state[params[0]] if k != "step"}
#         return after, state
#     run(lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01))
#     run(lambda ps: Adam(ps, weight_decay=0.01))
#     run(lambda ps: Adam(ps, lr=0.1, betas=(0.8, 0.99), weight_decay=0.01))
#     # recorded with torch 2.5.1 (the same script; torch.optim's rules are unchanged):
#     run(lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True))
#     run(lambda ps: Adagrad(ps, lr=0.1, weight_decay=0.01))
#     run(lambda ps: RMSprop(ps, lr=0.01, alpha=0.9, weight_decay=0.01))
#     def lrs(make_sched, epochs):  # get_last_lr() before each epoch, then step()
#         opt = SGD([torch.zeros(1, dtype=torch.float64)], lr=0.1)
#         sched, out = make_sched(opt), []
#         for _ in range(epochs):
#             out.append(sched.get_last_lr()[0])
#             opt.step()
#             sched.step()
#         return out
#     lrs(lambda o: StepLR(o, 3, 0.5), 10)
#     lrs(lambda o: CosineAnnealingLR(o, T_max=8, eta_min=0.001), 9)
#     lrs(lambda o: CosineAnnealingLR(o, T_max=8), 8)
#
# and printed with repr(). The scheduler numbers are torch's chainable (recursive) values,
# the ones a PyTorch user gets, so they also test that the closed form agrees with them.
THETA0 = ([[0.5, -1.0], [2.0, 0.25]], [0.1, -0.3])  # a W (2, 2) and a b (2,)
GRADS = [  # the gradient handed to step k = 1 … 5, same shapes
    ([[0.3, -0.2], [0.1, 0.4]], [0.05, -0.6]),
    ([[0.25, 0.1], [-0.3, 0.35]], [0.02, -0.4]),
    ([[-0.1, 0.3], [0.2, 0.3]], [-0.01, -0.2]),
    ([[0.2, -0.4], [0.05, -0.1]], [0.03, 0.1]),
    ([[0.15, 0.05], [-0.25, 0.2]], [0.04, 0.3]),
]

# per optimizer: the parameters after step k = 1 … 5, and the state after step 5 (torch names)
TORCH_STEPS = {
    "SGD(lr=0.1, momentum=0.9, weight_decay=0.01)": {
        "after": [
            [[[0.4695, -0.979], [1.988, 0.20975]], [0.0949, -0.2397]],
            [
                [[0.41658049999999996, -0.969121], [2.0052119999999998, 0.13831525]],
                [0.08821509999999999, -0.1451903],
            ],
            [
                [
                    [0.37853636949999997, -0.989260779],
                    [1.9986975879999997, 0.04388565975],
                ],
                [0.0831104749, -0.039986379700000005],
            ],
            [
                [
                    [0.32391811568049994, -0.9663973193209999],
                    [1.9858359196119997, -0.03114485713475],
                ],
                [0.0754332018351, 0.04473713494969999],
            ],
            [
                [
                    [0.25943776912726946, -0.949853808290579],
                    [1.9972745821431876, -0.11864117747389026],
                ],
                [0.0644482228748549, 0.09094356099948028],
            ],
        ],
        "momentum_buffer": [
            [
                [0.644803465532305, -0.16543511030421007],
                [-0.11438662531187994, 0.8749632033914025],
            ],
            [0.10984978960245101, -0.46206426049780297],
        ],
    },
    "Adam(weight_decay=0.01)": {
        "after": [
            [
                [
                    [0.4990000000327869, -0.999000000047619],
                    [1.9990000000833332, 0.2490000000248447],
                ],
                [0.0990000001960784, -0.2990000000165837],
            ],
            [
                [
                    [0.4980086017779365, -0.9986774590855392],
                    [1.9994201972077106, 0.24800563252871938],
                ],
                [0.0980970786344673, -0.29802936765792504],
            ],
            [
                [
                    [0.4974118893297386, -0.9990252293882219],
                    [1.9993093394687758, 0.2470220645215848],
                ],
                [0.09751147615509395, -0.2971345698862839],
            ],
            [
                [
                    [0.4967143091384152, -0.998783764569991],
                    [1.999113565037785, 0.24631753692497946],
                ],
                [0.09681003458151795, -0.2964819782448869],
            ],
            [
                [
                    [0.4959806563324098, -0.9986196981633392],
                    [1.9992533649211781, 0.24558234732829282],
                ],
                [0.09601640497822583, -0.2961674305905031],
            ],
        ],
        "exp_avg": [
            [
                [0.0648475929769992, -0.016623206212913393],
                [-0.011421506669641314, 0.08807406795736075],
            ],
            [0.011030309996957961, -0.04694610787895757],
        ],
        "exp_avg_sq": [
            [
                [0.00023247641915097967, 0.00030546581120391127],
                [0.00019861201895025868, 0.00042704119229637887],
            ],
            [5.747935082905678e-06, 0.000662824650825576],
        ],
    },
    "Adam(lr=0.1, betas=(0.8, 0.99), weight_decay=0.01)": {
        "after": [
            [
                [
                    [0.4000000032786884, -0.9000000047619046],
                    [1.9000000083333326, 0.15000000248447198],
                ],
                [1.9607839296664764e-08, -0.20000000165837475],
            ],
            [
                [
                    [0.3013782825575498, -0.8735214815782506],
                    [1.9474873851926462, 0.050944289655272174],
                ],
                [-0.08736040691869179, -0.10402821498815619],
            ],
            [
                [
                    [0.24888054584582403, -0.9174668023896342],
                    [1.9340169398550142, -0.04632907677198127],
                ],
                [-0.13555451210896718, -0.01802626809346833],
            ],
            [
                [
                    [0.18280300375100478, -0.8898954034315842],
                    [1.9115860354510104, -0.10879687601603275],
                ],
                [-0.19931284872297572, 0.03825864912778044],
            ],
            [
                [
                    [0.11242317491781811, -0.8731794875092953],
                    [1.9308881273051537, -0.17594368081552114],
                ],
                [-0.2765851860371373, 0.05475030784995015],
            ],
        ],
        "exp_avg": [
            [
                [0.10134477908588636, -0.027850645191982933],
                [-0.025933616963750034, 0.1311398884184356],
            ],
            [0.0170185857824022, -0.04024804084757702],
        ],
        "exp_avg_sq": [
            [
                [0.0022482184443611644, 0.003009832509981545],
                [0.0019572647904799122, 0.0041357195957780315],
            ],
            [5.259334242836163e-05, 0.006457924855005512],
        ],
    },
    "SGD(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True)": {
        "after": [
            [
                [[0.44205, -0.9601], [1.9772, 0.17352499999999998]],
                [0.09031, -0.18542999999999998],
            ],
            [
                [[0.369005105, -0.96026581], [2.02072332, 0.07409280249999997]],
                [0.082207411, -0.06023468299999998],
            ],
            [
                [
                    [0.3444614348005, -1.007454623961],
                    [1.992834413692, -0.04088077907475003],
                ],
                [0.07854016581909999, 0.05438866119770002],
            ],
            [
                [
                    [0.275049759489329, -0.9458746319693742],
                    [1.9742666636167852, -0.09821264548953301],
                ],
                [0.0685644055111337, 0.12039212130465439],
            ],
            [
                [
                    [0.20186667245756587, -0.935062186537734],
                    [2.007598132860543, -0.19666151393757486],
                ],
                [0.054626635012730074, 0.1316154401655124],
            ],
        ],
        "momentum_buffer": [
            [
                [0.6434226363585979, -0.1651841199963428],
                [-0.1145081767486041, 0.872745345483682],
            ],
            [0.10965784547658324, -0.4593745664684741],
        ],
    },
    "Adagrad(lr=0.1, weight_decay=0.01)": {
        "after": [
            [
                [
                    [0.4000000000327869, -0.900000000047619],
                    [1.9000000000833333, 0.1500000000248447],
                ],
                [1.960784451471298e-10, -0.20000000001658375],
            ],
            [
                [
                    [0.3360063447435474, -0.9397607437935012],
                    [1.9919652112395492, 0.08422243641118668],
                ],
                [-0.03650875262222494, -0.144529980401699],
            ],
            [
                [
                    [0.35966304295551926, -1.018321803110831],
                    [1.9335481364876121, 0.03516468972375153],
                ],
                [-0.01791778155158851, -0.1177488888896817],
            ],
            [
                [
                    [0.31505709895410555, -0.9440591790446564],
                    [1.9154352476434378, 0.051203777279265075],
                ],
                [-0.06508210591254673, -0.13077488438730603],
            ],
            [
                [
                    [0.28324633361497714, -0.951382637992729],
                    [1.967076789106496, 0.020489943773339535],
                ],
                [-0.11791967518302277, -0.16740904441867172],
            ],
        ],
        "sum": [
            [
                [0.23178696265374157, 0.30672608851137484],
                [0.1998227753414421, 0.42619941552841195],
            ],
            [0.0055460743585842645, 0.6647761584162825],
        ],
    },
    "RMSprop(lr=0.01, alpha=0.9, weight_decay=0.01)": {
        "after": [
            [
                [
                    [0.4683772266770044, -0.9683772281602202],
                    [1.9683772317316472, 0.21837722588278807],
                ],
                [0.0683772430061472, -0.2683772250566909],
            ],
            [
                [
                    [0.44748369676607247, -0.9814340739696304],
                    [1.9976760033455085, 0.19693761359338585],
                ],
                [0.05594670020915074, -0.250174722672198],
            ],
            [
                [
                    [0.45547602757330347, -1.0071565531652344],
                    [1.97843989054415, 0.18041559039572425],
                ],
                [0.061823010824115905, -0.24094593680441148],
            ],
            [
                [
                    [0.4398062849973978, -0.9827674739530274],
                    [1.972136507732311, 0.18599023126898703],
                ],
                [0.04486605924916698, -0.24558340893991917],
            ],
            [
                [
                    [0.42820782555134934, -0.985278021693207],
                    [1.990154679489924, 0.1747058941471515],
                ],
                [0.025945828268129686, -0.25906512072374316],
            ],
        ],
        "square_avg": [
            [
                [0.01772078728447957, 0.025604536463051438],
                [0.016333745320192737, 0.03199985160285807],
            ],
            [0.0004570408468625416, 0.04870939802027347],
        ],
    },
}
# per scheduler: η for epoch 0, 1, 2, …
TORCH_LRS = {
    "StepLR(lr=0.1, step_size=3, gamma=0.5)": [
        0.1,
        0.1,
        0.1,
        0.05,
        0.05,
        0.05,
        0.025,
        0.025,
        0.025,
        0.0125,
    ],
    "CosineAnnealingLR(lr=0.1, T_max=8, eta_min=0.001)": [
        0.1,
        0.0962320368593087,
        0.0855017856687341,
        0.06944282990207196,
        0.0505,
        0.03155717009792806,
        0.0154982143312659,
        0.004767963140691306,
        0.001,
    ],
    "CosineAnnealingLR(lr=0.1, T_max=8)": [
        0.1,
        0.09619397662556434,
        0.08535533905932738,
        0.0691341716182545,
        0.05,
        0.030865828381745515,
        0.014644660940672627,
        0.0038060233744356634,
    ],
}


OURS = {
    "SGD(lr=0.1, momentum=0.9, weight_decay=0.01)": (
        lambda: SGD(0.1, momentum=0.9, weight_decay=0.01),
        {"momentum_buffer": "velocity"},
    ),
    "Adam(weight_decay=0.01)": (
        lambda: Adam(weight_decay=0.01),
        {"exp_avg": "m", "exp_avg_sq": "r"},
    ),
    "Adam(lr=0.1, betas=(0.8, 0.99), weight_decay=0.01)": (
        lambda: Adam(0.1, betas=(0.8, 0.99), weight_decay=0.01),
        {"exp_avg": "m", "exp_avg_sq": "r"},
    ),
    "SGD(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True)": (
        lambda: SGD(0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
        {"momentum_buffer": "velocity"},
    ),
    "Adagrad(lr=0.1, weight_decay=0.01)": (
        lambda: AdaGrad(0.1, weight_decay=0.01),
        {"sum": "r"},
    ),
    "RMSprop(lr=0.01, alpha=0.9, weight_decay=0.01)": (
        lambda: RMSProp(0.01, beta2=0.9, weight_decay=0.01),
        {"square_avg": "r"},
    ),
}


def max_relative_difference(ours, theirs) -> float:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    return float(np.max(np.abs(ours - theirs) / np.abs(theirs)))


@pytest.mark.parametrize("name", list(TORCH_STEPS))
def test_optimizers_reproduce_pytorch(name):
    make, state_names = OURS[name]
    opt, recorded = make(), TORCH_STEPS[name]
    params = [np.array(p) for p in THETA0]
    worst = 0.0
    for gs, after in zip(GRADS, recorded["after"], strict=True):
        opt.step(params, [np.array(g) for g in gs])
        for p, theirs in zip(params, after, strict=True):
            worst = max(worst, max_relative_difference(p, theirs))
    for torch_name, ours in state_names.items():
        for s, theirs in zip(getattr(opt, ours), recorded[torch_name], strict=True):
            worst = max(worst, max_relative_difference(s, theirs))
    print(f"{name}: largest relative difference from torch {worst:.2g}")
    assert worst <= 1e-14


@pytest.mark.parametrize(
    "name, ours",
    [
        (
            "StepLR(lr=0.1, step_size=3, gamma=0.5)",
            StepDecay(0.1, step_size=3, gamma=0.5),
        ),
        (
            "CosineAnnealingLR(lr=0.1, T_max=8, eta_min=0.001)",
            Cosine(0.1, epochs=8, lr_min=0.001),
        ),
        ("CosineAnnealingLR(lr=0.1, T_max=8)", Cosine(0.1, epochs=8)),
    ],
)
def test_schedules_reproduce_pytorch(name, ours):
    theirs = TORCH_LRS[name]
    lrs = [ours.lr_at(t) for t in range(len(theirs))]
    worst = max_relative_difference(lrs, theirs)
    print(f"{name}: largest relative difference from torch {worst:.2g}")
    assert worst <= 1e-14


# ----- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGD(0.0), "learning rate η must be a finite number > 0, got 0.0"),
        (lambda: SGD(-0.1), "learning rate η must be a finite number > 0, got -0.1"),
        (lambda: SGD(math.inf), "learning rate η must be a finite number > 0, got inf"),
        (lambda: SGD(math.nan), "learning rate η must be a finite number > 0, got nan"),
        (lambda: SGD("fast"), "learning rate η must be a number, got 'fast'"),
        (lambda: SGD(0.1, momentum=1.0), "momentum μ must be in [0, 1), got 1.0"),
        (lambda: SGD(0.1, momentum=-0.5), "momentum μ must be in [0, 1), got -0.5"),
        (lambda: SGD(0.1, momentum=math.nan), "momentum μ must be in [0, 1), got nan"),
        (
            lambda: SGD(0.1, weight_decay=-1e-4),
            "weight decay λ must be a finite number ≥ 0, got -0.0001",
        ),
        (
            lambda: SGD(0.1, weight_decay=math.inf),
            "weight decay λ must be a finite number ≥ 0, got inf",
        ),
        (lambda: Adam(lr=0), "learning rate η must be a finite number > 0, got 0"),
        (lambda: Adam(betas=(1.0, 0.999)), "β₁ (betas[0]) must be in [0, 1), got 1.0"),
        (lambda: Adam(betas=(0.9, 1.5)), "β₂ (betas[1]) must be in [0, 1), got 1.5"),
        (lambda: Adam(betas=(0.9, -0.1)), "β₂ (betas[1]) must be in [0, 1), got -0.1"),
        (lambda: Adam(betas=0.9), "betas must be a pair (β₁, β₂), got 0.9"),
        (lambda: Adam(betas=(0.9,)), "betas must be a pair (β₁, β₂), got (0.9,)"),
        (lambda: Adam(eps=0.0), "eps ε must be a finite number > 0, got 0.0"),
        (lambda: Adam(eps=-1e-8), "eps ε must be a finite number > 0, got -1e-08"),
        (
            lambda: Adam(weight_decay=math.nan),
            "weight decay λ must be a finite number ≥ 0, got nan",
        ),
        (lambda: SGD(0.1, nesterov=True), "Nesterov momentum needs a momentum μ > 0"),
        (lambda: AdaGrad(lr=-0.1), "learning rate η must be a finite number > 0"),
        (lambda: AdaGrad(eps=0.0), "eps ε must be a finite number > 0, got 0.0"),
        (lambda: RMSProp(beta2=1.0), "β₂ (PyTorch's alpha) must be in [0, 1), got 1.0"),
        (lambda: RMSProp(eps=math.nan), "eps ε must be a finite number > 0, got nan"),
        (
            lambda: RMSProp(weight_decay=-1.0),
            "weight decay λ must be a finite number ≥ 0, got -1.0",
        ),
        (lambda: Constant(0.0), "learning rate η must be a finite number > 0, got 0.0"),
        (lambda: StepDecay(-1.0, 10), "learning rate η must be a finite number > 0"),
        (lambda: StepDecay(0.1, 0), "step_size must be a whole number ≥ 1, got 0"),
        (lambda: StepDecay(0.1, 2.5), "step_size must be a whole number ≥ 1, got 2.5"),
        (lambda: StepDecay(0.1, 10, gamma=0.0), "gamma γ must be a finite number > 0"),
        (lambda: StepDecay(0.1, 10, gamma=-0.5), "gamma γ must be a finite number > 0"),
        (lambda: Cosine(math.inf, 10), "learning rate η must be a finite number > 0"),
        (lambda: Cosine(0.1, 0), "epochs must be a whole number ≥ 1, got 0"),
        (lambda: Cosine(0.1, True), "epochs must be a whole number ≥ 1, got True"),
        (
            lambda: Cosine(0.1, 10, lr_min=-0.01),
            "lr_min η_min must be a finite number ≥ 0",
        ),
        (
            lambda: Cosine(0.1, 10, lr_min=0.2),
            "lr_min η_min must not exceed the learning rate η = 0.1, got 0.2",
        ),
        (lambda: Constant(0.1).lr_at(-1), "epoch must be a whole number ≥ 0, got -1"),
        (
            lambda: Cosine(0.1, 10).lr_at(1.5),
            "epoch must be a whole number ≥ 0, got 1.5",
        ),
    ],
)
def test_bad_settings_name_the_problem(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


@pytest.mark.parametrize("opt", [SGD(0.1), Adam()], ids=repr)
def test_learning_rate_set_later_is_checked_too(opt):
    with pytest.raises(ValueError, match=re.escape("learning rate η must be a finite")):
        opt.lr = 0.0
    with pytest.raises(ValueError, match=re.escape("learning rate η must be a finite")):
        opt.lr = math.nan
    assert opt.lr in (0.1, 1e-3)  # unchanged


@pytest.mark.parametrize(
    "make", [lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.1)], ids=["SGD", "Adam"]
)
def test_mismatched_lists_quote_both_shapes(make):
    opt = make()
    W, b = np.zeros((2, 3)), np.zeros(2)
    with pytest.raises(ValueError, match="got 2 parameter arrays but 1 gradients"):
        opt.step([W, b], [np.ones((2, 3))])
    with pytest.raises(
        ValueError,
        match=re.escape("params[1] has shape (2,) but grads[1] has shape (3,)"),
    ):
        opt.step([W, b], [np.ones((2, 3)), np.ones(3)])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "params[0] is a float, not a NumPy array: the update is in place"
        ),
    ):
        opt.step([1.0], [0.5])
    with pytest.raises(
        ValueError, match=re.escape("params[0] has dtype int64: the update is in place")
    ):
        opt.step([np.array([1, 2])], [np.array([0.5, 0.5])])
    assert opt.t == 0 and opt.shapes is None  # nothing was taken as a step
    opt.step([W, b], [np.ones((2, 3)), np.ones(2)])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "the parameters have shapes [(2, 3), (3,)] but this optimizer's state is "
            "for shapes [(2, 3), (2,)]; call reset()"
        ),
    ):
        opt.step([W, np.zeros(3)], [np.ones((2, 3)), np.ones(3)])
    with pytest.raises(
        ValueError,
        match=re.escape(
            "the parameters have shapes [(2, 3)] but this optimizer's state"
        ),
    ):
        opt.step([W], [np.ones((2, 3))])
    assert opt.t == 1
    # the same arrays again: every later step takes the quick look, which must
    # still send anything else to the full check and its messages
    opt.step([W, b], [np.ones((2, 3)), np.ones(2)])
    with pytest.raises(
        ValueError,
        match=re.escape("params[1] has shape (2,) but grads[1] has shape (3,)"),
    ):
        opt.step([W, b], [np.ones((2, 3)), np.ones(3)])
    with pytest.raises(ValueError, match="got 2 parameter arrays but 3 gradients"):
        opt.step([W, b], [np.ones((2, 3)), np.ones(2), np.ones(2)])
    with pytest.raises(ValueError, match=re.escape("params[1] has dtype int64")):
        opt.step([W, np.array([1, 2])], [np.ones((2, 3)), np.ones(2)])
    with pytest.raises(ValueError, match=re.escape("params[1] is a list")):
        opt.step([W, [0.0, 0.0]], [np.ones((2, 3)), np.ones(2)])
    assert opt.t == 2
    opt.reset()
    opt.step([W], [np.ones((2, 3))])  # after reset() a new list is fine
