"""Gradient descent over epochs: the update step, one epoch, and a training loop
that notices divergence.

The update rule (seed 000): w_new = w_old − η ∂E/∂w, and the same for every bias.
An *epoch* is one pass over the whole training set; full-batch gradient descent
takes one step per epoch, mini-batch SGD one step per batch. ``train_epoch`` is
that loop as the chapters write it; ``train`` runs it epoch after epoch and keeps
the books (the losses, the path taken, whether the run diverged).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .losses import get_loss
from .optimizers import SGD, Optimizer
from .prose import fmt_number

EXPLODE_FACTOR = 1e6  # a loss this many times its starting value counts as diverged


def check_learning_rate(lr) -> float:
    """η must be a finite positive number; anything else is a ValueError that says so."""
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        raise ValueError(f"learning rate must be a number, got {lr!r}") from None
    if not np.isfinite(lr):
        raise ValueError(f"learning rate must be finite, got {lr}")
    if lr <= 0:
        raise ValueError(f"learning rate must be positive, got {lr}")
    return lr


def gradient_descent_step(param, grad, lr: float):
    """One update: param − η · grad (works for a number or an array; returns a new value)."""
    lr = check_learning_rate(lr)
    param_arr, grad_arr = np.asarray(param, dtype=float), np.asarray(grad, dtype=float)
    if param_arr.shape != grad_arr.shape:
        raise ValueError(
            f"parameter shape {param_arr.shape} and gradient shape {grad_arr.shape} differ"
        )
    new = param_arr - lr * grad_arr
    return float(new) if new.ndim == 0 else new


@dataclass
class History:
    """What training did: the loss after each epoch and whether it went well.

    ``losses[0]`` is the loss before training; ``losses[k]`` the loss after k epochs
    (on the whole training set). ``val_losses`` does the same on the validation set
    when one is given. ``params`` holds the flat parameter vector after every step
    (``record_params``), ``snapshots`` after every epoch (``record_epochs``), both
    starting with the initial values. ``steps_per_epoch`` is n / B rounded up.
    ``status`` is "ok" or "diverged"; when diverged, ``diverged_at`` is the epoch
    at which the loss stopped being finite or exploded, and every stored loss and
    parameter is still finite (the network is left at its last finite state).
    """

    losses: list[float] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    params: list[np.ndarray] = field(default_factory=list)
    snapshots: list[np.ndarray] = field(default_factory=list)
    steps_per_epoch: int = 1
    status: str = "ok"
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"

    @property
    def epochs(self) -> int:
        """Epochs completed."""
        return len(self.losses) - 1

    @property
    def message(self) -> str:
        if self.diverged:
            return f"diverged at epoch {self.diverged_at}"
        start, end = (fmt_number(v, ".4g") for v in (self.losses[0], self.losses[-1]))
        return f"{self.epochs} epochs, loss {start} → {end}"


def _exploded(value: float, start: float) -> bool:
    return not math.isfinite(value) or value > EXPLODE_FACTOR * max(start, 1.0)


def train_epoch(
    net,
    X,
    Y,
    loss: str,
    optimizer: Optimizer,
    batch_size: int,
    rng: np.random.Generator,
    names: Sequence[str] | None = None,
    after_step: Callable[[], None] | None = None,
) -> None:
    """One epoch of mini-batch gradient descent on ``net``, in place.

    X: (N, n_0), Y: (N, n_out). Shuffle the rows (unless one batch holds them all),
    then one update per batch of ``batch_size`` rows (the last may be smaller).
    ``names`` picks the parameters that learn ("W1", "b1", …; default: all), and
    ``after_step()`` runs after every update (``train`` records the path with it).
    """
    N = len(X)
    lf, params = get_loss(loss), net.params()  # the arrays themselves
    names = list(params) if names is None else list(names)
    order = rng.permutation(N) if batch_size < N else np.arange(N)
    for start in range(0, N, batch_size):
        rows = order[start : start + batch_size]  # one mini-batch
        cache = net.forward(X[rows])  # forward pass
        dloss = lf.gradient(cache.output, Y[rows])  # ∂L/∂ŷ
        grads = net.backward(cache, dloss).by_name()  # backward pass
        # update: θ ← θ − η ∂L/∂θ (or the optimiser's better step)
        optimizer.step([params[k] for k in names], [grads[k] for k in names])
        if after_step is not None:
            after_step()


def train(
    net,
    X,
    Y,
    loss: str = "half_sse",
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int | np.random.Generator = 0,
    record_params: bool = False,
    record_epochs: bool = False,
    only: Sequence[str] | None = None,
    validation: tuple | None = None,
    optimizer: Optimizer | None = None,
    schedule=None,
) -> History:
    """Train ``net`` in place by gradient descent and return its History.

    X: (N, n_0), Y: (N, n_out). ``batch_size`` None means full batch (one step per
    epoch); otherwise the samples are shuffled each epoch by a seeded Generator
    and visited in mini-batches of that size. ``only`` names the parameters to
    train ("W1", "b1", …); the others stay frozen. ``validation`` is (X_val, Y_val),
    whose loss is recorded after every epoch but never trained on.
    ``optimizer`` (``optimizers.SGD``, ``Adam``) takes each step; without one the
    step is plain gradient descent with η = ``lr`` (with one, ``lr`` is not used:
    the optimiser holds η). ``schedule`` (``optimizers``'
    ``StepDecay``, ``Cosine``) sets the optimiser's η before every epoch.
    """
    lr = check_learning_rate(lr)
    optimizer = SGD(lr) if optimizer is None else optimizer
    get_loss(loss)
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a whole number ≥ 1, got {epochs!r}")
    X = net._inputs(X)
    start_loss = net.loss(X, Y, loss)  # also checks the shapes of Y
    Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
    n = X.shape[0]
    batch_size = n if batch_size is None else batch_size
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number ≥ 1, got {batch_size!r}")
    trained = list(net.param_names if only is None else only)
    unknown = sorted(set(trained) - set(net.param_names))
    if unknown:
        raise ValueError(
            f"cannot train {unknown}: this network has {', '.join(net.param_names)}"
        )
    rng = np.random.default_rng(seed)  # a Generator comes back unchanged
    history = History(losses=[start_loss], steps_per_epoch=-(-n // batch_size))
    if validation is not None:
        history.val_losses.append(net.loss(*validation, loss))
    if record_params:
        history.params.append(net.get_flat())
    if record_epochs:
        history.snapshots.append(net.get_flat())

    def record_step():  # the path, step by step, as long as it stays finite
        if np.all(np.isfinite(net.get_flat())):
            history.params.append(net.get_flat())

    after = net.get_flat()  # the parameters after the last epoch (here: the start)
    for epoch in range(1, epochs + 1):
        before, recorded = after, len(history.params)
        if schedule is not None:
            optimizer.lr = schedule.lr_at(epoch - 1)
        with np.errstate(all="ignore"):  # overflow is reported below as divergence
            train_epoch(
                net,
                X,
                Y,
                loss,
                optimizer,
                batch_size,
                rng,
                trained,
                record_step if record_params else None,
            )
            after = net.get_flat()
            finite = np.isfinite(after).all()
            value = net.loss(X, Y, loss) if finite else np.inf
        if _exploded(value, start_loss):
            net.set_flat(before)
            del history.params[recorded:]  # keep only the steps before the blow-up
            history.status, history.diverged_at = "diverged", epoch
            return history
        history.losses.append(value)
        if validation is not None:
            history.val_losses.append(net.loss(*validation, loss))
        if record_epochs:
            history.snapshots.append(after)
    return history
