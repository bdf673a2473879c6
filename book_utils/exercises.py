"""Checkers for the chapters' exercises: pass or fail, with a message that helps.

A checker runs the reader's function on a few cases, compares with the engine,
and returns a ``Feedback`` that displays as a coloured box in Jupyter and in the
book. It never raises for a wrong answer — a wrong answer is part of learning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from math import isclose, tanh

import numpy as np

from .activations import Activation
from .autograd import Value
from .gradcheck import (
    check_network,
    difference,
    noise_floor,
    numerical_gradient,
    passes,
    relative_error,
    verdict,
)
from .metrics import confusion_matrix
from .network import Network
from .notation import symbol
from .optimizers import SGD
from .prose import fmt_number
from .training import gradient_descent_step, train, train_epoch


@dataclass
class Feedback:
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return ("✔ Correct! " if self.passed else "✘ Not yet. ") + self.message

    def _repr_html_(self) -> str:
        if self.passed:
            color, mark, kind = "#009E73", "✔ Correct!", "lfm-feedback lfm-passed"
        else:
            color, mark, kind = "#D55E00", "✘ Not yet.", "lfm-feedback"
        style = f"border-left:4px solid {color};padding:4px 10px"
        return (
            f'<div class="{kind}" role="status" style="{style}">'
            f"<b>{mark}</b> {escape(self.message)}</div>"
        )


def _show(x) -> str:
    """A number or array as a reader wants to see it: 6 significant digits, no float noise."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return fmt_number(arr, ".6g")
    return "[" + ", ".join(_show(row) for row in arr) + "]"


def _call(fn: Callable, *args):
    try:
        return np.asarray(fn(*args), dtype=float), None
    except Exception as exc:  # the reader's code: report, don't crash the page
        return None, f"your function raised {type(exc).__name__}: {exc}"


def check_update_step(fn: Callable) -> Feedback:
    """``fn(w, grad, lr)`` should return w − lr·grad."""
    cases = [
        (0.8, 0.3, 0.1),
        (2.0, -4.0, 0.05),
        (-1.0, 0.5, 1.0),
        (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.2),
    ]
    for w, g, lr in cases:
        got, err = _call(fn, w, g, lr)
        if err:
            return Feedback(False, err)
        want = np.asarray(gradient_descent_step(w, g, lr))
        if got.shape != want.shape or not np.allclose(
            got, want, rtol=1e-12, atol=1e-12
        ):
            hint = ""
            if got.shape == want.shape and np.allclose(
                got, np.asarray(w) + lr * np.asarray(g)
            ):
                hint = " You moved *up* the slope: the step goes against the gradient, so subtract."
            elif got.shape == want.shape and np.allclose(
                got, np.asarray(w) - np.asarray(g)
            ):
                hint = " You forgot to scale the gradient by the learning rate η."
            return Feedback(
                False,
                f"for w={_show(w)}, gradient={_show(g)}, η={lr} you returned {_show(got)}, "
                f"expected {_show(want)}.{hint}",
            )
    return Feedback(
        True,
        f"your update matches the engine on {len(cases)} cases, including 0.8 − 0.1·0.3 = 0.77.",
    )


def check_forward(fn: Callable, net, inputs: list) -> Feedback:
    """``fn(x)`` should return the network's output for the input vector x."""
    for x in inputs:
        got, err = _call(fn, np.asarray(x, dtype=float))
        if err:
            return Feedback(False, err)
        want = net.predict(np.asarray(x, dtype=float)).ravel()
        if got.size != want.size or not np.allclose(
            got.ravel(), want, rtol=1e-9, atol=1e-12
        ):
            return Feedback(
                False,
                f"for x={_show(x)} you returned {_show(got.ravel())}, "
                f"the engine gives {_show(want)}. Check the order W·a + b, then σ, layer by layer.",
            )
    return Feedback(
        True, f"your forward pass matches the engine on {len(inputs)} inputs."
    )


def check_loss(
    value_fn: Callable, grad_fn: Callable, reference: Callable, cases: list
) -> Feedback:
    """``value_fn(y_hat, y)`` should equal ``reference``; ``grad_fn`` must pass the
    gradient check."""
    for y_hat, y in cases:
        y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
        got, err = _call(value_fn, y_hat, y)
        if err:
            return Feedback(False, err)
        want = reference(y_hat, y)
        if not np.allclose(got, want, rtol=1e-9):
            return Feedback(
                False,
                f"loss for ŷ={_show(y_hat.ravel())}, y={_show(y.ravel())}: you returned "
                f"{_show(got)}, expected {_show(want)}.",
            )
        grad, err = _call(grad_fn, y_hat, y)
        if err:
            return Feedback(False, err)
        probe = y_hat.copy()
        numeric = numerical_gradient(lambda p=probe, t=y: float(value_fn(p, t)), probe)
        if grad.shape != numeric.shape or relative_error(grad, numeric).max() > 1e-6:
            return Feedback(
                False,
                f"your gradient at ŷ={_show(y_hat.ravel())}, y={_show(y.ravel())} is "
                f"{_show(np.ravel(grad))}, but finite differences give {_show(numeric.ravel())}. "
                "Differentiate your loss with respect to ŷ.",
            )
    return Feedback(
        True,
        f"your loss matches on {len(cases)} cases and its gradient passes the "
        "finite-difference check.",
    )


def check_numerical_gradient(fn: Callable, seeds=(0, 1, 2)) -> Feedback:
    """``fn(f, theta, h)`` should return the central-difference gradient of ``f`` at theta.

    ``f`` takes a parameter vector and returns the error; the checker builds random
    networks, compares the reader's gradient with backprop entry by entry, and names
    the entry that is off (and whether it looks like a forward difference).
    """
    for seed in seeds:
        rng = np.random.default_rng(seed)
        net = Network.random([3, 3, 2, 1], "sigmoid", seed=rng)
        X, Y = rng.normal(size=(2, 3)), rng.uniform(size=(2, 1))
        theta = net.get_flat()

        def f(t, net=net, X=X, Y=Y):
            trial = net.copy()
            trial.set_flat(t)
            return trial.loss(X, Y, "half_sse")

        backprop = net.loss_and_gradients(X, Y, "half_sse")[1].flat()
        before = theta.copy()
        got, err = _call(fn, f, theta, 1e-6)
        if err:
            return Feedback(False, err)
        if not np.array_equal(theta, before):
            return Feedback(
                False,
                "your function changed theta: put every entry back after "
                "nudging it (or nudge a copy).",
            )
        if got.shape != backprop.shape:
            return Feedback(
                False,
                f"you returned shape {got.shape}; the gradient has one "
                f"entry per parameter, shape {backprop.shape}.",
            )
        rel = relative_error(got, backprop)
        floor = noise_floor(f(theta))  # a difference this small is rounding, not a bug
        bad = [
            i
            for i in range(rel.size)
            if verdict(rel[i], abs(got[i] - backprop[i]), floor) != "good"
        ]
        worst = max(bad, key=lambda i: rel[i]) if bad else None
        if worst is not None:
            name = symbol(net.flat_names()[worst], net.sizes).text
            probe = theta.copy()
            forward = numerical_gradient(lambda p=probe: f(p), probe, 1e-6, "forward")
            hint = ""
            if np.allclose(got, forward, rtol=1e-9, atol=1e-12):
                hint = (
                    " That is the forward difference: use f(θ + h) − f(θ − h) over 2h."
                )
            return Feedback(
                False,
                f"on a random 3-3-2-1 network (seed {seed}) your ∂E/∂{name} is "
                f"{_show(got[worst])}, backprop says {_show(backprop[worst])}: relative "
                f"error {fmt_number(rel[worst], '.1e')}.{hint}",
            )
    return Feedback(
        True,
        f"your central differences match backprop on {len(seeds)} random networks, "
        "all 23 entries, as closely as the book's own checker.",
    )


def check_backward(fn: Callable, seeds=(0, 1, 2)) -> Feedback:
    """``fn(W1, W2, a0, z1, a1, z2, a2, dE_da2)`` should return (dW1, db1, dW2, db2)
    for a two-layer sigmoid network and a batch of samples (rows).

    The checker runs the engine's forward pass on random networks and batches, hands
    the reader its cache, and compares each gradient with the engine's backprop; it
    names the first one that is off, by how much, and the likely mistake.
    """
    for seed in seeds:
        rng = np.random.default_rng(seed)
        n0, n1, n2 = rng.integers(2, 5, size=3)
        net = Network.random([n0, n1, n2], "sigmoid", seed=rng)
        for b in net.biases:
            b[:] = rng.normal(0, 0.5, size=b.shape)
        X, Y = rng.normal(size=(4, n0)), rng.uniform(size=(4, n2))
        cache = net.forward(X)
        a0, a1, a2 = cache.activations
        z1, z2 = cache.zs
        dE_da2 = a2 - Y  # E = ½Σ(ŷ − y)²
        want = net.backward(cache, dE_da2)
        got, err = _call_many(
            fn, net.weights[0], net.weights[1], a0, z1, a1, z2, a2, dE_da2
        )
        if err:
            return Feedback(False, err)
        names = ["∂E/∂W⁽¹⁾", "∂E/∂b⁽¹⁾", "∂E/∂W⁽²⁾", "∂E/∂b⁽²⁾"]
        expected = [want.dW[0], want.db[0], want.dW[1], want.db[1]]
        if len(got) != 4:
            return Feedback(
                False,
                f"return four arrays (dW1, db1, dW2, db2); you returned {len(got)}.",
            )
        for name, g, e in zip(names, got, expected):
            if g.shape != e.shape:
                return Feedback(
                    False,
                    f"{name} should have shape {e.shape} (like the parameter), "
                    f"yours has {g.shape}.",
                )
            if not np.allclose(g, e, rtol=1e-9, atol=1e-12):
                off = float(np.max(np.abs(g - e)))
                hint = _backward_hint(name, g, want, net, cache, dE_da2)
                return Feedback(
                    False,
                    f"{name} differs from the engine's by up to {fmt_number(off, '.2g')} "
                    f"(a {n0}-{n1}-{n2} network, a batch of 4, seed {seed}).{hint}",
                )
    return Feedback(
        True,
        f"your backward pass matches the engine on {len(seeds)} random networks "
        "and batches: all four gradients.",
    )


def _call_many(fn, *args):
    try:
        out = fn(*args)
        return [np.asarray(o, dtype=float) for o in out], None
    except Exception as exc:  # the reader's code: report, don't crash the page
        return None, f"your function raised {type(exc).__name__}: {exc}"


def _backward_hint(name, got, want, net, cache, dE_da2) -> str:
    """Recognise the usual mistakes: a forgotten σ′, a missing sum over the batch."""
    delta2_no_slope = dE_da2
    delta1_no_slope = want.deltas[1] @ net.weights[1]
    candidates = {
        "∂E/∂W⁽²⁾": [
            (delta2_no_slope.T @ cache.activations[1], " Did you forget σ′(z⁽²⁾)?")
        ],
        "∂E/∂b⁽²⁾": [
            (delta2_no_slope.sum(axis=0), " Did you forget σ′(z⁽²⁾)?"),
            (want.deltas[1][0], " Sum δ⁽²⁾ over the batch (axis 0)."),
        ],
        "∂E/∂W⁽¹⁾": [
            (delta1_no_slope.T @ cache.activations[0], " Did you forget σ′(z⁽¹⁾)?")
        ],
        "∂E/∂b⁽¹⁾": [
            (delta1_no_slope.sum(axis=0), " Did you forget σ′(z⁽¹⁾)?"),
            (want.deltas[0][0], " Sum δ⁽¹⁾ over the batch (axis 0)."),
        ],
    }
    for value, hint in candidates.get(name, []):
        if value.shape == got.shape and np.allclose(value, got, rtol=1e-9, atol=1e-12):
            return hint
    return ""


def check_epoch(fn: Callable, seeds=(0, 1, 2)) -> Feedback:
    """``fn(net, X, Y, loss, lr, batch_size, rng)`` should train ``net`` in place for
    one epoch of mini-batch SGD: shuffle the rows with ``rng.permutation(n)``, then
    take one step per batch of ``batch_size`` rows (the last may be smaller).

    The checker runs it on small random networks and compares the weights after the
    epoch with the engine's ``train(..., epochs=1)`` from the same seeded generator.
    """

    def after(net, X, Y, batch_size, seed, **kw):
        trial = net.copy()
        train(
            trial, X, Y, "mse", lr=0.1, epochs=1, batch_size=batch_size, seed=seed, **kw
        )
        return trial.get_flat()

    for seed in seeds:
        rng = np.random.default_rng(100 + seed)
        net = Network.random([2, 3, 1], ["tanh", "identity"], seed=rng)
        X, Y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
        batch_size = 3  # 10 rows: batches of 3, 3, 3 and 1
        want = after(net, X, Y, batch_size, seed)
        mine = net.copy()
        try:
            fn(
                mine,
                X.copy(),
                Y.copy(),
                "mse",
                0.1,
                batch_size,
                np.random.default_rng(seed),
            )
        except Exception as exc:  # the reader's code: report, don't crash the page
            return Feedback(False, f"your function raised {type(exc).__name__}: {exc}")
        got = mine.get_flat()
        if np.allclose(got, want, rtol=1e-10, atol=1e-12):
            continue
        if np.array_equal(got, net.get_flat()):
            return Feedback(
                False,
                "the network's weights did not change: update "
                "them in place (net.weights[i] -= …).",
            )
        hint = ""
        unshuffled = net.copy()  # the same epoch with the rows in their stored order
        train_epoch(unshuffled, X, Y, "mse", SGD(0.1), batch_size, _StoredOrder())
        if np.allclose(got, unshuffled.get_flat(), rtol=1e-10, atol=1e-12):
            hint = (
                " You visited the rows in their stored order: shuffle them first "
                "with rng.permutation(n)."
            )
        elif np.allclose(got, after(net, X, Y, None, seed), rtol=1e-10, atol=1e-12):
            hint = " You took one step on the whole set: take one step per batch."
        worst = int(np.argmax(np.abs(got - want)))
        name = symbol(net.flat_names()[worst], net.sizes).text
        return Feedback(
            False,
            f"after one epoch on a random 2-3-1 network (seed {seed}, 10 samples, "
            f"batches of {batch_size}) your {name} is {_show(got[worst])}, the engine's "
            f"is {_show(want[worst])}.{hint}",
        )
    return Feedback(
        True,
        f"your epoch matches the engine's on {len(seeds)} random networks: the same "
        "shuffle, the same four batches, the same weights to 10 digits.",
    )


ACTIVATION_EXERCISES = {
    # name: (what it is, reference value, reference slope)
    "softplus": (
        "log(1 + eᶻ)",
        lambda z: np.logaddexp(0.0, z),
        lambda z: 1 / (1 + np.exp(-z)),
    ),
    "elu": (
        "z for z > 0, eᶻ − 1 below",
        lambda z: np.where(z > 0, z, np.expm1(z)),
        lambda z: np.where(z > 0, 1.0, np.exp(z)),
    ),
}


def check_activation(
    value_fn: Callable, slope_fn: Callable, name: str = "softplus"
) -> Feedback:
    """``value_fn(z)`` should be the activation ``name`` ("softplus" or "elu") and
    ``slope_fn(z)`` its derivative, entry by entry on arrays.

    The checker compares the values with the formula, then runs the gradient
    check: the reader's slope against central differences of the reader's own
    function at a row of z, naming the z where they part (and the likely slip);
    last, backprop through a small network built with the reader's activation
    must match finite differences.
    """
    if name not in ACTIVATION_EXERCISES:
        raise ValueError(
            f"unknown exercise {name!r}; valid: {', '.join(ACTIVATION_EXERCISES)}"
        )
    formula, ref_value, ref_slope = ACTIVATION_EXERCISES[name]
    zs = np.array([-6.0, -3.0, -1.0, -0.5, 0.3, 1.0, 2.5, 6.0])
    with np.errstate(all="ignore"):
        got, err = _call(value_fn, zs.copy())
        if err:
            return Feedback(False, err)
        if got.shape != zs.shape:
            return Feedback(
                False,
                f"for an array of {zs.size} values of z your function "
                f"returned shape {got.shape}: work entry by entry "
                "(np.exp, np.log, np.where).",
            )
        want = ref_value(zs)
        off = ~np.isclose(got, want, rtol=1e-9, atol=1e-12)
        if off.any():
            i = int(np.argmax(off))
            return Feedback(
                False,
                f"{name}({_show(zs[i])}) should be {formula} = "
                f"{_show(want[i])}; yours gives {_show(got[i])}.",
            )
        slope, err = _call(slope_fn, zs.copy())
        if err:
            return Feedback(False, err)
        if slope.shape != zs.shape:
            return Feedback(
                False,
                f"your derivative returned shape {slope.shape} for "
                f"{zs.size} values of z: one slope per z.",
            )
        numeric = difference(lambda z: np.asarray(value_fn(z), float), zs)
    rel = relative_error(slope, numeric)
    if rel.max() > 1e-6:
        i = int(np.argmax(rel))
        hint = ""
        if np.allclose(slope, got, rtol=1e-9):
            hint = " You returned the activation itself, not its slope."
        elif np.allclose(slope, ref_slope(-zs), rtol=1e-9):
            hint = " Your slope is the right one mirrored, at −z: check the sign of z."
        elif name == "elu" and np.allclose(slope, np.where(zs > 0, 1.0, np.expm1(zs))):
            hint = " Below 0 the slope of eᶻ − 1 is eᶻ: the − 1 is a constant."
        return Feedback(
            False,
            f"the gradient check fails at z = {_show(zs[i])}: your derivative gives "
            f"{_show(slope[i])}, but central differences of your {name} give "
            f"{_show(numeric[i])} (relative error {fmt_number(rel[i], '.1e')}).{hint}",
        )
    act = Activation(name, value_fn, slope_fn, lambda z: None)
    rng = np.random.default_rng(0)
    net = Network.random([2, 3, 1], [act, "identity"], seed=rng)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    with np.errstate(all="ignore"):
        checks = check_network(net, X, Y, "half_sse")
    if max(c.max_rel_error for c in checks) > 1e-6:
        return Feedback(
            False,
            "your pair passes on its own, but backprop through a 2-3-1 "
            "network with it disagrees with finite differences: does "
            "your derivative work on 2-D arrays?",
        )
    return Feedback(
        True,
        f"your {name} matches {formula} at {zs.size} points, its derivative passes the "
        "gradient check at every one, and backprop through a 2-3-1 network built with "
        "it agrees with finite differences.",
    )


class _StoredOrder:
    """A stand-in for a Generator whose "shuffle" keeps the rows in their stored order."""

    @staticmethod
    def permutation(n: int) -> np.ndarray:
        return np.arange(n)


def check_confusion_matrix(fn: Callable, seeds=(0, 1, 2)) -> Feedback:
    """``fn(truth, guess)`` should return the 10 × 10 confusion matrix: entry [t, g]
    counts the digits whose true class is t and whose guess is g.

    The checker tries a few sets of labels (random, and one with no mistakes) and
    recognises the usual slips: rows and columns swapped, shares instead of counts.
    """
    rng = np.random.default_rng(seeds[0])
    cases = [(t := rng.integers(0, 10, 40), t.copy())]
    for seed in seeds:
        rng = np.random.default_rng(seed)
        truth = rng.integers(0, 10, 60)
        guess = np.where(rng.random(60) < 0.7, truth, rng.integers(0, 10, 60))
        cases.append((truth, guess))
    for truth, guess in cases:
        want = confusion_matrix(truth, guess)
        got, err = _call(fn, truth.copy(), guess.copy())
        if err:
            return Feedback(False, err)
        if got.shape != want.shape:
            return Feedback(
                False,
                f"return a 10 × 10 array (one row per true digit, one "
                f"column per guess); yours has shape {got.shape}.",
            )
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want.T):
            hint = " Rows and columns are swapped: the row is the true digit, the column the guess."
        elif np.isclose(got.sum(), 1.0) or np.allclose(
            got.sum(axis=1)[want.sum(axis=1) > 0], 1.0
        ):
            hint = " Count the digits (whole numbers); do not divide by the totals."
        else:
            t, g = np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape)
            hint = (
                f" For true digit {t} and guess {g} you have {_show(got[t, g])}, "
                f"there are {want[t, g]}."
            )
        what = (
            "a set of guesses with no mistakes"
            if np.array_equal(truth, guess)
            else f"{len(truth)} random true digits and guesses"
        )
        return Feedback(
            False,
            f"your matrix is not the right count of (true digit, "
            f"guess) pairs for {what}.{hint}",
        )
    return Feedback(
        True,
        f"your confusion matrix matches on {len(cases)} sets of labels, "
        "including one with no mistakes at all.",
    )


def check_sigmoid_slope(fn: Callable) -> Feedback:
    """``fn(z)`` should return the sigmoid's slope σ′(z) = σ(z)(1 − σ(z)), entry by
    entry on an array of z.

    The checker runs the gradient check: the reader's slope against central
    differences of σ at a row of z, naming the z where they part, and recognises the
    usual slips of the derivation: σ(1 + σ), the square left off (1 + e⁻ᶻ)², a sign
    lost, σ itself, tanh's 1 − σ².
    """
    zs = np.array([-6.0, -3.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5, 6.0])

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    s = sigmoid(zs)
    with np.errstate(all="ignore"):
        got, err = _call(fn, zs.copy())
    if err:
        return Feedback(False, err)
    if got.shape != zs.shape:
        return Feedback(
            False,
            f"for an array of {zs.size} values of z your function returned shape "
            f"{got.shape}: work entry by entry (np.exp, *, /), one slope per z.",
        )
    numeric = difference(sigmoid, zs)
    bad = ~np.isfinite(got)
    if bad.any():
        i = int(np.argmax(bad))
        return Feedback(
            False,
            f"at z = {_show(zs[i])} your slope is {_show(got[i])}, not a number "
            "the sigmoid can have: σ′ is finite everywhere.",
        )
    rel = relative_error(got, numeric)
    if rel.max() <= 1e-6:
        return Feedback(
            True,
            f"your slope passes the gradient check at {zs.size} values of z from −6 "
            f"to 6: it is {_show(got[4])} at z = 0, its largest, and "
            f"{_show(got[-1])} at z = 6, where the sigmoid is nearly flat.",
        )
    e = np.exp(-zs)
    slips = [
        (s * (1 + s), " That is σ(1 + σ): the second factor is 1 − σ(z), because "
         "e⁻ᶻ/(1 + e⁻ᶻ) = 1 − σ(z)."),
        (e / (1 + e), " The denominator is squared: σ′(z) = e⁻ᶻ/(1 + e⁻ᶻ)²."),
        (-s * (1 - s), " Check the sign: σ only ever rises, so its slope is "
         "positive (the minus of the power −1 and the minus of −e⁻ᶻ cancel)."),
        (s, " That is σ(z) itself, not its slope."),
        (1 - s**2, " 1 − σ² is the pattern of tanh's slope; the sigmoid's is "
         "σ(1 − σ)."),
        (1 / (1 + e) ** 2, " The numerator is e⁻ᶻ, the slope of 1 + e⁻ᶻ without "
         "its minus sign, not 1."),
    ]  # fmt: skip
    hint = next(
        (text for wrong, text in slips if np.allclose(got, wrong, rtol=1e-9)), ""
    )
    i = int(np.argmax(rel))
    return Feedback(
        False,
        f"the gradient check fails at z = {_show(zs[i])}: your slope gives "
        f"{_show(got[i])}, but central differences of σ give {_show(numeric[i])} "
        f"(relative error {fmt_number(rel[i], '.1e')}).{hint}",
    )


def _deep_relu_share(
    layer_weights: Callable, depth: int = 20, width: int = 32
) -> float:
    """How much of the output layer's δ reaches layer 1 of a ``depth``-layer ReLU
    network (``width`` neurons a layer, one linear output, biases 0) whose weights
    come from ``layer_weights(n_prev, n)``: the root-mean-square length of δ(1)
    over 64 random examples, divided by that of δ(D)."""
    sizes = [width] * depth + [1]
    weights = [layer_weights(n_prev, n) for n_prev, n in zip(sizes[:-1], sizes[1:])]
    net = Network(
        weights, [np.zeros(n) for n in sizes[1:]], ["relu"] * (depth - 1) + ["identity"]
    )
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(64, width)), rng.normal(size=(64, 1))
    with np.errstate(all="ignore"):
        _, grads, _ = net.loss_and_gradients(X, Y, "half_sse")
        size = [np.sqrt(np.mean(np.sum(d**2, axis=1))) for d in grads.deltas]
    return float(size[0] / size[-1])


def check_initialisation(fn: Callable, seed: int = 0) -> Feedback:
    """``fn(n_prev, n, rng)`` should return He's starting weights for a ReLU layer
    with n_{l−1} = ``n_prev`` inputs and n_l = ``n`` neurons: an (n_l, n_{l−1})
    array drawn from N(0, s²), s = √(2/n_{l−1}), with the Generator ``rng``.

    The checker measures the spread of the weights at a few layer shapes and
    recognises the usual slips (the shape transposed, the variance for the
    spread, n_l for n_{l−1}, Glorot's or LeCun's rule, a generator of one's own);
    last, it starts a 20-layer ReLU network with the reader's weights and says
    how much of the output layer's δ reaches layer 1.
    """
    for n_prev, n in [(64, 256), (256, 64), (100, 300)]:
        W, err = _call(fn, n_prev, n, np.random.default_rng(seed))
        if err:
            return Feedback(False, err)
        if W.shape != (n, n_prev):
            hint = (
                " That is (n_{l−1}, n_l), transposed: W⁽ˡ⁾ has one row per neuron "
                "of layer l and one column per input."
                if W.shape == (n_prev, n)
                else ""
            )
            return Feedback(
                False,
                f"for n_{{l−1}} = {n_prev} inputs and n_l = {n} neurons, return an "
                f"array of shape ({n}, {n_prev}); yours has shape {W.shape}.{hint}",
            )
        if not np.all(np.isfinite(W)):
            return Feedback(False, "some of your weights are not finite numbers.")
        if np.ptp(W) == 0:
            return Feedback(
                False,
                "every weight is the same: draw them at random, so that the neurons "
                "of a layer differ (with equal weights they compute the same thing "
                "and get the same gradient, forever).",
            )
        want, got = np.sqrt(2 / n_prev), float(W.std())
        if abs(W.mean()) > 0.1 * want:
            return Feedback(
                False,
                f"your weights average {_show(W.mean())}: centre them on 0 "
                "(a normal distribution with mean 0).",
            )
        if abs(got / want - 1) > 0.05:
            half = "ReLU zeroes about half of its inputs, so He doubles the variance"
            slips = [
                (2 / n_prev, "the variance 2/n_{l−1}: the spread s is its square root"),
                (np.sqrt(2 / n), "√(2/n_l): He divides by the inputs n_{l−1}"),
                (np.sqrt(1 / n_prev), f"LeCun's 1/√n_{{l−1}}: {half}"),
                (np.sqrt(2 / (n_prev + n)), "Glorot's √(2/(n_{l−1} + n_l)), for tanh"),
                (1.0, "numpy's default spread, 1: pass s as rng.normal's scale"),
            ]
            hint = next(
                (f" That is {h}." for s, h in slips if abs(got / s - 1) < 0.05), ""
            )
            return Feedback(
                False,
                f"for a layer with n_{{l−1}} = {n_prev} inputs He's spread is "
                f"√(2/{n_prev}) = {_show(want)}; your weights' spread is "
                f"{_show(got)}.{hint}",
            )
    same, _ = _call(fn, 64, 64, np.random.default_rng(seed + 1))
    again, _ = _call(fn, 64, 64, np.random.default_rng(seed + 1))
    if same is None or again is None or not np.array_equal(same, again):
        return Feedback(
            False,
            "the same seed gave different weights: draw them with the Generator "
            "rng you are given (rng.normal), so a run can be repeated exactly.",
        )
    rng = np.random.default_rng(seed + 2)
    share = _deep_relu_share(lambda n_prev, n: np.asarray(fn(n_prev, n, rng), float))
    small = _deep_relu_share(lambda n_prev, n: rng.normal(0.0, 0.1, (n, n_prev)))
    return Feedback(
        True,
        f"your weights have He's spread at 3 layer shapes, and a 20-layer ReLU "
        f"network started with them passes {fmt_number(share, '.2g')} of the output "
        f"layer's δ back to layer 1 (started with a spread of 0.1 instead, layer 1 "
        f"would get {fmt_number(small, '.1e')}).",
    )


def check_momentum_step(fn: Callable) -> Feedback:
    """``fn(theta, v, grad, lr, mu)`` should return ``(theta_new, v_new)``: one step of
    gradient descent with momentum, v ← μv + g then θ ← θ − ηv (PyTorch's rule).

    The checker takes several steps with the reader's function, feeding back what it
    returns, and compares every step with ``optimizers.SGD(lr, momentum=mu)``; it
    recognises the usual slips (a plain step, an averaged velocity, the old velocity).
    """
    cases = [  # (θ₀, gradients one per step, η, μ)
        (0.8, [0.3, 0.3], 0.1, 0.9),
        (2.0, [1.0, -4.0, 0.5], 0.5, 0.5),
        (
            np.array([1.0, -2.0]),
            [np.array([0.5, 0.25]), np.array([-1.0, 2.0])],
            0.2,
            0.8,
        ),
    ]
    for theta0, grads, lr, mu in cases:
        engine = SGD(lr, momentum=mu)
        want = np.atleast_1d(np.array(theta0, dtype=float))
        theta, v = (
            np.array(theta0, dtype=float),
            np.zeros_like(np.asarray(theta0, float)),
        )
        for k, g in enumerate(grads, start=1):
            v_old, theta_old = np.array(v, dtype=float), np.array(theta, dtype=float)
            engine.step([want], [np.atleast_1d(np.array(g, dtype=float))])
            try:
                out = fn(
                    theta_old.copy(), v_old.copy(), np.array(g, dtype=float), lr, mu
                )
                theta, v = (np.asarray(x, dtype=float) for x in out)
            except Exception as exc:  # the reader's code: report, don't crash the page
                return Feedback(
                    False,
                    f"return the pair (theta_new, v_new); calling your function "
                    f"raised {type(exc).__name__}: {exc}",
                )
            v_want = engine.velocity[0].reshape(np.shape(theta_old))
            theta_want = want.reshape(np.shape(theta_old))
            if np.allclose(theta, theta_want, rtol=1e-12, atol=1e-15) and np.allclose(
                v, v_want, rtol=1e-12, atol=1e-15
            ):
                continue
            hint = ""
            if np.array_equal(theta, theta_old) and np.array_equal(v, v_old):
                hint = " Your function returns θ and v unchanged: fill it in."
            elif np.allclose(v, mu * v_old + (1 - mu) * g):
                hint = (
                    " Your velocity is an average, μv + (1 − μ)g; the book and "
                    "PyTorch add the whole gradient: v ← μv + g."
                )
            elif np.allclose(theta, theta_old - lr * np.asarray(g)):
                hint = (
                    " That is a plain step θ − ηg: step along the new velocity, θ − ηv."
                )
            elif np.allclose(theta, theta_old - lr * v_old):
                hint = " Update v first (v ← μv + g), then step with the new v."
            return Feedback(
                False,
                f"from θ = {_show(theta0)} with η = {_show(lr)}, μ = {_show(mu)}, after "
                f"step {k} (gradient {_show(g)}) you have θ = {_show(theta)}, "
                f"v = {_show(v)}; the engine has θ = {_show(theta_want)}, "
                f"v = {_show(v_want)}.{hint}",
            )
    return Feedback(
        True,
        f"your momentum steps match the engine's, step after step, on {len(cases)} "
        "runs: on a number and on an array, with gradients that keep their sign and "
        "gradients that flip.",
    )


def check_value_op(fn: Callable) -> Feedback:
    """``fn(v)`` should return a new autograd ``Value`` for tanh of the Value ``v``:
    data tanh(v.data), one input (v itself) and one local derivative, the slope of
    tanh at v.data, as ``Value.sigmoid`` records σ′.

    The checker runs ``backward`` through the reader's operation, alone at a row of
    z and inside f = tanh(x·x + x), where x is used twice, and judges every
    gradient against central differences of tanh with the book's one verdict; it
    names the usual slips (tanh itself, 1 − tanh without the square, a lost sign,
    the input instead of the slope).
    """
    for z in (-2.0, -0.5, 0.0, 0.7, 1.5):
        v = Value(z, "z")
        try:
            out = fn(v)
        except Exception as exc:  # the reader's code: report, don't crash the page
            return Feedback(False, f"your function raised {type(exc).__name__}: {exc}")
        if not isinstance(out, Value):
            return Feedback(
                False,
                f'return a new Value, Value(t, "", (v,), "tanh", (local,)), '
                f"not {type(out).__name__}.",
            )
        t = tanh(z)
        if not isclose(out.data, t, rel_tol=1e-12, abs_tol=1e-15):
            return Feedback(
                False,
                f"at z = {_show(z)} your Value holds {_show(out.data)}, but "
                f"tanh(z) = {_show(t)}.",
            )
        if len(out.inputs) != 1 or out.inputs[0] is not v or len(out.local) != 1:
            return Feedback(
                False,
                "record one input, v itself, and one local derivative: "
                "inputs (v,) and local (slope,).",
            )
        if isinstance(out.local[0], Value):
            return Feedback(
                False, "store the local derivative as a number (a float), not a Value."
            )
        out.backward()
        numeric = difference(tanh, z)
        rel = float(relative_error(v.grad, numeric))
        if not passes(verdict(rel, abs(v.grad - numeric), noise_floor(t))):
            slips = [
                (t, " That is tanh itself, not its slope."),
                (1 - t, " Square it: the slope is 1 − tanh(z)²."),
                (1 + t * t, " Check the sign: 1 − tanh(z)², not 1 + tanh(z)²."),
                (t * t - 1, " Check the sign: tanh only rises, so its slope is positive."),
                (z, " That is the input, not the slope: a multiply box stores its "
                 "partner, tanh stores how steep it is at z."),
            ]  # fmt: skip
            hint = next(
                (text for wrong, text in slips if isclose(out.local[0], wrong)), ""
            )
            return Feedback(
                False,
                f"the gradient check fails at z = {_show(z)}: backward through your "
                f"operation gives {_show(v.grad)}, central differences of tanh give "
                f"{_show(numeric)}.{hint}",
            )
    x = Value(0.4, "x")
    f = fn(x * x + x)
    f.backward()
    numeric = difference(lambda s: tanh(s * s + s), 0.4)
    if not passes(verdict(float(relative_error(x.grad, numeric)))):
        return Feedback(
            False,
            f"alone your operation passes, but in f = tanh(x·x + x) at x = 0.4 "
            f"backward gives ∂f/∂x = {_show(x.grad)} and finite differences "
            f"{_show(numeric)}: does it change its input v or keep state between calls?",
        )
    return Feedback(
        True,
        f"backward through your tanh matches central differences at 5 values of z, "
        f"and in f = tanh(x·x + x), where x is used twice: ∂f/∂x = {_show(x.grad)} "
        f"at x = 0.4, the two paths added.",
    )
