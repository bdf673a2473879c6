"""The exercise checkers pass right answers, fail wrong ones, and say something useful."""

import numpy as np

from book_utils import Network, exercises
from book_utils.losses import loss_value


def test_update_step_checker():
    assert exercises.check_update_step(lambda w, g, lr: w - lr * g).passed
    uphill = exercises.check_update_step(lambda w, g, lr: w + lr * g)
    assert (
        not uphill.passed and "subtract" in uphill.message and "0.77" in uphill.message
    )
    no_lr = exercises.check_update_step(lambda w, g, lr: w - g)
    assert not no_lr.passed and "learning rate" in no_lr.message
    crash = exercises.check_update_step(lambda w, g, lr: 1 / 0)
    assert not crash.passed and "ZeroDivisionError" in crash.message


def test_forward_checker():
    net = Network.random([3, 2, 1], "sigmoid", seed=0)
    inputs = [[1.0, 0.5, -1.0], [0.0, 0.0, 0.0]]
    assert exercises.check_forward(lambda x: net.predict(x).ravel(), net, inputs).passed
    wrong = exercises.check_forward(lambda x: x[:1], net, inputs)
    assert not wrong.passed and "the engine gives" in wrong.message


def test_loss_checker_runs_a_gradient_check():
    cases = [([[0.3]], [[1.0]]), ([[0.9], [0.2]], [[1.0], [0.0]])]
    ref = lambda p, t: loss_value("binary_ce", p, t)  # noqa: E731
    value = lambda p, t: -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))  # noqa: E731
    good = lambda p, t: (p - t) / (p * (1 - p)) / len(p)  # noqa: E731
    assert exercises.check_loss(value, good, ref, cases).passed
    bad_grad = exercises.check_loss(value, lambda p, t: (p - t) / len(p), ref, cases)
    assert not bad_grad.passed and "finite differences give" in bad_grad.message
    bad_value = exercises.check_loss(
        lambda p, t: np.mean((p - t) ** 2), good, ref, cases
    )
    assert not bad_value.passed and "expected 1.20397" in bad_value.message
    assert "0.48999999" not in bad_value.message  # numbers are shown rounded


def test_numerical_gradient_checker():
    def central(f, t, h):
        g = np.zeros_like(t)
        for i in range(t.size):
            old = t[i]
            t[i] = old + h
            up = f(t)
            t[i] = old - h
            down = f(t)
            t[i] = old
            g[i] = (up - down) / (2 * h)
        return g

    def forward(f, t, h):
        return np.array([(f(t + h * e) - f(t)) / h for e in np.eye(t.size)])

    def nudges_and_forgets(f, t, h):
        t += h
        return central(f, t, h)

    assert exercises.check_numerical_gradient(central).passed
    fwd = exercises.check_numerical_gradient(forward)
    assert (
        not fwd.passed
        and "forward difference" in fwd.message
        and "backprop says" in fwd.message
    )
    assert (
        "changed theta"
        in exercises.check_numerical_gradient(nudges_and_forgets).message
    )
    wrong = exercises.check_numerical_gradient(lambda f, t, h: np.zeros(3))
    assert not wrong.passed and "shape (23,)" in wrong.message


def test_activation_checker_runs_the_gradient_check_and_names_the_z():
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    softplus = lambda z: np.log1p(np.exp(z))  # noqa: E731
    assert exercises.check_activation(softplus, sig).passed
    itself = exercises.check_activation(softplus, softplus)
    assert not itself.passed and "not its slope" in itself.message
    mirrored = exercises.check_activation(softplus, lambda z: sig(-z))
    assert not mirrored.passed and "gradient check fails at z = " in mirrored.message
    assert "sign of z" in mirrored.message
    wrong_value = exercises.check_activation(lambda z: z, sig)
    assert not wrong_value.passed and "softplus(−6) should be" in wrong_value.message
    elu = lambda z: np.where(z > 0, z, np.exp(z) - 1)  # noqa: E731
    elu_slope = lambda z: np.where(z > 0, 1.0, np.exp(z))  # noqa: E731
    assert exercises.check_activation(elu, elu_slope, "elu").passed
    kept_the_one = exercises.check_activation(
        elu, lambda z: np.where(z > 0, 1.0, np.exp(z) - 1), "elu"
    )
    assert not kept_the_one.passed and "constant" in kept_the_one.message
    starter = exercises.check_activation(np.zeros_like, np.zeros_like)
    assert not starter.passed
    crash = exercises.check_activation(softplus, lambda z: 1 / 0)
    assert "ZeroDivisionError" in crash.message


def test_confusion_matrix_checker():
    def right(truth, guess):
        out = np.zeros((10, 10), dtype=int)
        for t, g in zip(truth, guess):
            out[t, g] += 1
        return out

    assert exercises.check_confusion_matrix(right).passed
    swapped = exercises.check_confusion_matrix(lambda t, g: right(t, g).T)
    assert not swapped.passed and "swapped" in swapped.message
    shares = exercises.check_confusion_matrix(
        lambda t, g: right(t, g) / np.maximum(1, right(t, g).sum(axis=1, keepdims=True))
    )
    assert not shares.passed and "Count" in shares.message
    small = exercises.check_confusion_matrix(lambda t, g: np.zeros((9, 9)))
    assert not small.passed and "10 × 10" in small.message
    crash = exercises.check_confusion_matrix(lambda t, g: t[100])
    assert not crash.passed and "IndexError" in crash.message
    nothing = exercises.check_confusion_matrix(lambda t, g: np.zeros((10, 10)))
    assert not nothing.passed and "there are" in nothing.message
    assert "not the right count of (true digit, guess) pairs" in nothing.message
    assert "differs." not in nothing.message


def _epoch(shuffle: bool, per_batch: bool):
    """One epoch of mini-batch SGD, optionally with Chapter 6's two classic slips."""

    def epoch(net, X, Y, loss, lr, batch_size, rng):
        n = len(X)
        order = rng.permutation(n) if shuffle else np.arange(n)
        size = batch_size if per_batch else n
        for start in range(0, n, size):
            rows = order[start : start + size]
            _, grads, _ = net.loss_and_gradients(X[rows], Y[rows], loss)
            for W, dW in zip(net.weights, grads.dW):
                W -= lr * dW
            for b, db in zip(net.biases, grads.db):
                b -= lr * db

    return epoch


def test_epoch_checker_names_the_missing_shuffle_and_the_single_step():
    assert exercises.check_epoch(_epoch(shuffle=True, per_batch=True)).passed
    unshuffled = exercises.check_epoch(_epoch(shuffle=False, per_batch=True))
    assert not unshuffled.passed and "shuffle" in unshuffled.message
    one_step = exercises.check_epoch(_epoch(shuffle=True, per_batch=False))
    assert not one_step.passed and "one step per batch" in one_step.message
    untouched = exercises.check_epoch(lambda *args: None)
    assert not untouched.passed and "did not change" in untouched.message
    crash = exercises.check_epoch(lambda *args: 1 / 0)
    assert not crash.passed and "ZeroDivisionError" in crash.message


def test_sigmoid_slope_checker_names_the_usual_slips():
    """Chapter 1's exercise 4: σ′ = σ(1 − σ), in either form, passes; the slips of
    the derivation each get their own hint."""

    def sig(z):
        return 1 / (1 + np.exp(-z))

    assert exercises.check_sigmoid_slope(lambda z: sig(z) * (1 - sig(z))).passed
    assert exercises.check_sigmoid_slope(
        lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2
    ).passed
    slips = {
        "σ(1 + σ)": lambda z: sig(z) * (1 + sig(z)),
        "is squared": lambda z: np.exp(-z) / (1 + np.exp(-z)),
        "the sign": lambda z: -sig(z) * (1 - sig(z)),
        "σ(z) itself": sig,
        "tanh": lambda z: 1 - sig(z) ** 2,
    }
    for hint, fn in slips.items():
        said = exercises.check_sigmoid_slope(fn)
        assert not said.passed and hint in said.message, said.message
        assert "central differences of σ give" in said.message
    unfilled = exercises.check_sigmoid_slope(np.zeros_like)
    assert not unfilled.passed and "0.00246651" in unfilled.message
    scalar = exercises.check_sigmoid_slope(lambda z: 0.25)
    assert not scalar.passed and "entry by entry" in scalar.message
    crash = exercises.check_sigmoid_slope(lambda z: undefined_name)  # noqa: F821
    assert not crash.passed and "NameError" in crash.message
