"""Gradient descent over epochs: the update step, and a training loop that notices divergence.

The update rule (seed 000): w_new = w_old − η ∂E/∂w, and the same for every bias.
An *epoch* is one pass over the whole training set; full-batch gradient descent
takes one step per epoch, mini-batch SGD one step per batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .losses import get_loss

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

    ``losses[0]`` is the loss before training; ``losses[e]`` the loss after epoch e.
    ``status`` is "ok" or "diverged"; when diverged, ``diverged_at`` is the epoch
    at which the loss stopped being finite or exploded, and every stored loss and
    parameter is still finite (the network is left at its last finite state).
    """

    losses: list[float] = field(default_factory=list)
    params: list[np.ndarray] = field(default_factory=list)
    status: str = "ok"
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"

    @property
    def message(self) -> str:
        if self.diverged:
            return f"diverged at epoch {self.diverged_at}"
        return f"{len(self.losses) - 1} epochs, loss {self.losses[0]:.4g} → {self.losses[-1]:.4g}"


def _exploded(value: float, start: float) -> bool:
    return not np.isfinite(value) or value > EXPLODE_FACTOR * max(start, 1.0)


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
) -> History:
    """Train ``net`` in place by gradient descent and return its History.

    X: (n, n_0), Y: (n, n_L). batch_size None means full batch (one step per
    epoch); otherwise samples are shuffled each epoch by a seeded Generator and
    visited in mini-batches. With ``record_params`` the flat parameter vector is
    stored after every step (the landscape plots draw that path).
    """
    lr = check_learning_rate(lr)
    get_loss(loss)
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a whole number ≥ 1, got {epochs!r}")
    X = net._inputs(X)
    start_loss = net.loss(X, Y, loss)  # also checks the shapes of Y
    Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
    n = X.shape[0]
    if batch_size is None:
        batch_size = n
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number ≥ 1, got {batch_size!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    history = History(losses=[start_loss])
    if record_params:
        history.params.append(net.get_flat())
    for epoch in range(1, epochs + 1):
        before, recorded = net.get_flat(), len(history.params)
        order = rng.permutation(n) if batch_size < n else np.arange(n)
        with np.errstate(
            all="ignore"
        ):  # overflow is caught below and reported as divergence
            for start in range(0, n, batch_size):
                rows = order[start : start + batch_size]
                _, grads, _ = net.loss_and_gradients(X[rows], Y[rows], loss)
                for p, g in zip(
                    net.params().values(),
                    (g for pair in zip(grads.dW, grads.db) for g in pair),
                ):
                    p -= lr * g  # w ← w − η ∂L/∂w
                if record_params and np.all(np.isfinite(net.get_flat())):
                    history.params.append(net.get_flat())
            value = (
                net.loss(X, Y, loss) if np.all(np.isfinite(net.get_flat())) else np.inf
            )
        if _exploded(value, start_loss):
            net.set_flat(before)
            del history.params[recorded:]  # keep only the steps before the blow-up
            history.status, history.diverged_at = "diverged", epoch
            return history
        history.losses.append(value)
    return history
