"""Chapter 10's measured comparisons: the same problems as earlier chapters, trained
with better steps, one cached run per setting.

* ``race_paths(lr, mu, adam_lr, steps)``: plain gradient descent, momentum and Adam
  down Chapter 5's valley (the neuron ŷ = w·x + b, twenty points, MSE), full batch,
  from Chapter 5's start (w, b) = (−0.5, 5).
* ``bowl_roll(kappa, lr, steps)``: plain gradient descent down a valley as steep
  across as Chapter 5's but κ times flatter along its floor, from the same start.
* ``line_run(lr, schedule, seed)``: Chapter 6's mini-batch run on the twenty points
  (batches of 5, 400 epochs, shuffled by ``seed``), with a learning-rate schedule.
* ``digits_run(...)``: Chapter 9's 64-32-10 network on the digits, 20 epochs of
  mini-batches of 32, with any optimiser; ``digits_runs`` the same for each of
  ``SEEDS``; ``moons_run(λ)``: Chapter 6's 32-neuron network that memorises 40
  noisy moon points, with weight decay.
* ``momentum_forms(lrs, grads, mu)``: the parameter after each step of PyTorch's
  momentum (the engine's) and of Sutskever et al.'s form, side by side.

The race and the valleys are full batch from a fixed start: nothing in them is
random. The mini-batch runs are: ``SEEDS`` are the draws a chapter reports over.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from . import datasets
from .examples import few_moons
from .metrics import accuracy
from .network import Network
from .optimizers import (
    SGD,
    AdaGrad,
    Adam,
    Constant,
    Cosine,
    Optimizer,
    RMSProp,
    StepDecay,
)
from .training import History, train
from .valleys import Bowl, Path, race, roll

LINE_START = (-0.5, 5.0)  # Chapter 5's starting point (w₀, b₀)
SEEDS = (0, 1, 2, 3, 4)  # the draws measured claims are run over (0 = the chapter's)
RACE_STEPS = 150  # the race's length
BOWL_STEPS = 800  # plain descent's run down a narrowed valley
SCHEDULES = ("constant", "step decay", "cosine")
LINE_EPOCHS = 400  # Chapter 6's run
STEP_EVERY, STEP_GAMMA = 100, 0.1  # step decay: η × 0.1 every 100 epochs


@cache
def line_data() -> tuple[np.ndarray, np.ndarray]:
    """Chapter 5's twenty points near the line y = 2x + 1 (x between 0 and 5)."""
    return datasets.line(n=20, slope=2.0, intercept=1.0, noise=0.5, seed=0)


@cache
def line_valley() -> Bowl:
    """Chapter 5's valley, exactly: the MSE of ŷ = w·x + b on the twenty points."""
    return Bowl.of_line(*line_data())


def line_neuron() -> Network:
    """ŷ = w·x + b at Chapter 5's start."""
    w0, b0 = LINE_START
    return Network([[w0]], [[b0]], "identity")


def optimizer(
    name: str, lr: float, momentum: float = 0.0, weight_decay: float = 0.0
) -> Optimizer:
    """ "plain" (SGD), "momentum" (SGD with μ), "Nesterov" (SGD with Nesterov's μ),
    "Adam", "AdaGrad" or "RMSProp", with the engine's defaults."""
    if name == "plain":
        return SGD(lr, weight_decay=weight_decay)
    if name in ("momentum", "Nesterov"):
        return SGD(lr, momentum, weight_decay=weight_decay, nesterov=name == "Nesterov")
    makers = {"Adam": Adam, "AdaGrad": AdaGrad, "RMSProp": RMSProp}
    if name in makers:
        return makers[name](lr, weight_decay=weight_decay)
    raise ValueError(
        f"unknown optimiser {name!r}; valid names: plain, momentum, Nesterov, "
        "Adam, AdaGrad, RMSProp"
    )


@cache
def race_path(name: str, lr: float, mu: float = 0.0, steps: int = RACE_STEPS) -> Path:
    """One optimiser's full-batch path down Chapter 5's valley (backprop's gradient)."""
    X, Y = line_data()
    return race(line_neuron(), X, Y, "mse", optimizer(name, lr, mu), steps)


def race_paths(
    lr: float, mu: float, adam_lr: float, steps: int = RACE_STEPS
) -> dict[str, Path]:
    """Plain descent and momentum at η = ``lr`` (μ = ``mu``), Adam at ``adam_lr``."""
    return {
        "plain": race_path("plain", float(lr), 0.0, steps),
        "momentum": race_path("momentum", float(lr), float(mu), steps),
        "Adam": race_path("Adam", float(adam_lr), 0.0, steps),
    }


@cache
def adam_race_path(lr: float, beta1: float, steps: int = RACE_STEPS) -> Path:
    """Adam's full-batch path down Chapter 5's valley with its own β₁ (β₂ = 0.999)."""
    X, Y = line_data()
    opt = Adam(float(lr), betas=(float(beta1), 0.999))
    return race(line_neuron(), X, Y, "mse", opt, steps)


def momentum_forms(lrs, grads, mu: float, theta0: float = 0.0):
    """θ after each step of momentum written two ways, from the same gradients
    ``grads`` and the rates ``lrs`` (one per step):

    - PyTorch's (the engine's ``SGD``): v ← μv + g, θ ← θ − η v;
    - Sutskever et al.'s: v ← μv − η g, θ ← θ + v.

    Returns two arrays (PyTorch's, Sutskever's). With a constant η they agree (the
    second v is −η times the first); when η changes, PyTorch's new η rescales the
    whole velocity at once, while Sutskever's velocity keeps the old η's steps."""
    theta, opt = np.array([float(theta0)]), SGD(float(lrs[0]), momentum=mu)
    s_theta, s_v = float(theta0), 0.0
    ours, theirs = [], []
    for lr, g in zip(lrs, grads):
        opt.lr = float(lr)
        opt.step([theta], [np.array([float(g)])])  # v ← μv + g, θ ← θ − η v
        s_v = mu * s_v - lr * g  # v ← μv − η g
        s_theta = s_theta + s_v  # θ ← θ + v
        ours.append(theta[0])
        theirs.append(s_theta)
    return np.array(ours), np.array(theirs)


def narrowed(kappa: float) -> Bowl:
    """A valley as steep across as Chapter 5's, κ times flatter along its floor,
    in its own axes: d_flat along the floor, d_steep across, the minimum at 0."""
    q_steep = line_valley().q_steep
    return Bowl(q_steep / float(kappa), q_steep)


def bowl_start() -> tuple[float, float]:
    """Chapter 5's start, as (d_flat, d_steep) from the minimum of its valley."""
    return line_valley().distances(LINE_START)


@cache
def bowl_roll(kappa: float, lr: float, steps: int = BOWL_STEPS) -> tuple[Bowl, Path]:
    """Plain gradient descent with η = ``lr`` down ``narrowed(kappa)``."""
    bowl = narrowed(kappa)
    return bowl, roll(bowl, SGD(float(lr)), bowl_start(), steps)


def schedule(name: str, lr: float, epochs: int = LINE_EPOCHS):
    """The chapter's schedules: "constant", "step decay" (η × 0.1 every 100 epochs)
    or "cosine" (from η to 0 over the run)."""
    if name == "constant":
        return Constant(lr)
    if name == "step decay":
        return StepDecay(lr, STEP_EVERY, STEP_GAMMA)
    if name == "cosine":
        return Cosine(lr, epochs)
    raise ValueError(f"unknown schedule {name!r}; valid names: {', '.join(SCHEDULES)}")


@cache
def line_run(
    lr: float, name: str = "constant", epochs: int = LINE_EPOCHS, seed: int = 0
) -> History:
    """Chapter 6's run: the neuron from Chapter 5's start, mini-batches of 5
    shuffled by ``seed``, with the schedule ``name``. As Chapter 6's
    ``train(…, lr=η)`` when constant and ``seed`` = 0."""
    X, Y = line_data()
    return train(
        line_neuron(),
        X,
        Y,
        "mse",
        lr=float(lr),
        epochs=epochs,
        batch_size=5,
        seed=seed,
        optimizer=SGD(float(lr)),
        schedule=schedule(name, float(lr), epochs),
    )


def hover(run: History, last: int = 100) -> float:
    """The mean loss over the last ``last`` epochs: where a run settles."""
    return float(np.mean(run.losses[-last:]))


@dataclass(frozen=True)
class DigitsRun:
    """What a run on the digits did: losses after every epoch (0 = the start), the
    validation digits it misreads at the end, the size of its weights ‖W‖ (every
    weight, no bias), and its hidden neurons that never fire on a training image."""

    train_losses: tuple[float, ...]
    val_losses: tuple[float, ...]
    wrong: int
    weight_norm: float
    dead: int
    diverged_at: int | None

    @property
    def final(self) -> float:
        return self.val_losses[-1]


@cache
def digits_data():
    return datasets.digits(seed=0)


@cache
def digits_run(
    name: str = "plain",
    lr: float = 0.1,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    epochs: int = 20,
    seed: int = 0,
) -> DigitsRun:
    """Chapter 9's network and settings (He start, batches of 32, 20 epochs) with
    the optimiser ``name`` (``optimizer``). ``seed`` = 0 is Chapter 9's run."""
    data = digits_data()
    (X, Y), (X_val, Y_val) = data["train"], data["validation"]
    net = Network.random([64, 32, 10], ["relu", "identity"], seed=seed, init="he")
    run = train(
        net,
        X,
        Y,
        "softmax_ce",
        epochs=epochs,
        batch_size=32,
        seed=seed,
        optimizer=optimizer(name, lr, momentum, weight_decay),
        validation=(X_val, Y_val),
    )
    hidden = net.forward(X).activations[1]
    return DigitsRun(
        tuple(run.losses),
        tuple(run.val_losses),
        int(round((1 - accuracy(net, X_val, Y_val)) * len(X_val))),
        float(np.sqrt(sum(float(np.sum(W * W)) for W in net.weights))),
        int(np.sum(np.all(hidden <= 0, axis=0))),
        run.diverged_at,
    )


def digits_runs(
    name: str = "plain",
    lr: float = 0.1,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    seeds: tuple[int, ...] = SEEDS,
) -> tuple[DigitsRun, ...]:
    """``digits_run`` once for each seed (starting weights and shuffles)."""
    return tuple(digits_run(name, lr, momentum, weight_decay, seed=s) for s in seeds)


@cache
def moons_run(weight_decay: float, epochs: int = 1000) -> History:
    """Chapter 6's overfitting run (2-32-1, tanh, 40 noisy moon points, full batch,
    η = 1), with weight decay λ. λ = 0 is Chapter 6's run."""
    (X, Y), validation = few_moons()
    net = Network.random([2, 32, 1], ["tanh", "sigmoid"], seed=1, init="glorot")
    return train(
        net,
        X,
        Y,
        "binary_ce",
        lr=1.0,
        epochs=epochs,
        validation=validation,
        optimizer=SGD(1.0, weight_decay=weight_decay),
    )
