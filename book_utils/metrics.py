"""How well a network does: accuracy, its answers on labelled examples and the
mistakes among them (the confusion matrix), and its curves over a training run.

Measurements only (NumPy); the drawings of them live in ``plots``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import softmax


def accuracy(net, X, Y) -> float:
    """The fraction of samples classified right.

    One output (a probability, sigmoid): the class is ŷ > ½. Several outputs
    (scores or probabilities, one per class): the class is the largest one.
    Y holds 0/1 labels, or one-hot rows.
    """
    y_hat = net.predict(X)
    Y = np.asarray(Y, dtype=float).reshape(y_hat.shape)
    if y_hat.shape[1] == 1:
        return float(np.mean((y_hat > 0.5) == (Y > 0.5)))
    return float(np.mean(np.argmax(y_hat, axis=1) == np.argmax(Y, axis=1)))


def probabilities(net, points) -> np.ndarray:
    """Class probabilities of ``net`` at ``points`` (m, 2) → (m, K).

    One output is read as the probability of class 1 (a sigmoid output), so the
    two classes get [1 − p, p]; several outputs are scores, turned into
    probabilities by the softmax (the output of a softmax cross-entropy network).
    """
    out = net.predict(points)
    if out.shape[1] == 1:
        p = np.clip(out[:, 0], 0.0, 1.0)
        return np.column_stack([1 - p, p])
    return softmax(out)


def labels_of(Y) -> np.ndarray:
    """Class numbers 0 … K−1 from 0/1 labels (n, 1) or one-hot rows (n, K)."""
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1 or Y.shape[1] == 1:
        return (Y.reshape(-1) > 0.5).astype(int)
    return np.argmax(Y, axis=1)


def confusion_matrix(truth, guess, classes: int = 10) -> np.ndarray:
    """Counts (classes, classes): row = the true class, column = the guess."""
    truth, guess = np.asarray(truth, dtype=int), np.asarray(guess, dtype=int)
    if truth.shape != guess.shape:
        raise ValueError(
            f"truth has shape {truth.shape} but guess has shape {guess.shape}"
        )
    out = np.zeros((classes, classes), dtype=int)
    np.add.at(out, (truth, guess), 1)
    return out


@dataclass
class Verdicts:
    """A classifier's answers on labelled images: its guess and its confidence in it
    (the softmax probability of the guess), and which answers are wrong."""

    guess: np.ndarray
    confidence: np.ndarray
    truth: np.ndarray

    @property
    def wrong(self) -> np.ndarray:
        return np.flatnonzero(self.guess != self.truth)

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.guess == self.truth))

    def confusion(self, classes: int = 10) -> np.ndarray:
        return confusion_matrix(self.truth, self.guess, classes)


def verdicts(net, X, labels) -> Verdicts:
    """Run ``net`` (scores out, as trained with the softmax cross-entropy) on X."""
    p = softmax(net.predict(X))
    guess = np.argmax(p, axis=1)
    return Verdicts(guess, p[np.arange(len(guess)), guess], np.asarray(labels))


def worst_mix_up(confusion: np.ndarray) -> tuple[int, int, int]:
    """(true class, guess, count) of the largest off-diagonal cell."""
    off = confusion.copy()
    np.fill_diagonal(off, -1)
    t, g = np.unravel_index(int(np.argmax(off)), off.shape)
    return int(t), int(g), int(off[t, g])


def accuracy_per_epoch(net, run, X, Y) -> np.ndarray:
    """The fraction of (X, Y) classified right after each epoch of ``run``."""
    out = []
    for theta in run.snapshots:
        net.set_flat(theta)
        out.append(accuracy(net, X, Y))
    net.set_flat(run.snapshots[-1])
    return np.array(out)


@dataclass
class Curves:
    """One training run summarised per epoch for ``learning_curves``."""

    lr: float
    width: int
    train_acc: np.ndarray
    val_acc: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    dead: int  # hidden neurons that output 0 for every training image at the end
    diverged_at: int | None = None
    dead_at_start: int = 0  # of those, dead before the first step (the draw's)


def curves(net, history, train, validation, lr: float) -> Curves:
    """Accuracy per epoch from a History trained with ``record_epochs=True``."""
    theta = net.get_flat()
    acc_t = accuracy_per_epoch(net, history, *train)
    acc_v = accuracy_per_epoch(net, history, *validation)
    net.set_flat(theta)
    hidden = net.forward(train[0]).activations[1]
    off = np.all(hidden <= 0, axis=0)
    # a neuron dead before the first step never had a gradient: the draw's fault
    net.set_flat(history.snapshots[0])
    off_at_start = np.all(net.forward(train[0]).activations[1] <= 0, axis=0)
    net.set_flat(theta)
    losses, val_losses = np.array(history.losses), np.array(history.val_losses)
    width = net.sizes[1]
    return Curves(
        float(lr),
        width,
        acc_t,
        acc_v,
        losses,
        val_losses,
        int(off.sum()),
        history.diverged_at,
        int(np.sum(off & off_at_start)),
    )


def nearest_neighbours(X_known, labels, X, k: int = 1, classes: int = 10) -> np.ndarray:
    """The k-nearest-neighbours guess for each row of X: the most common label among
    the k rows of ``X_known`` closest to it (Euclidean distance, pixel by pixel).

    X_known: (N, d) with ``labels`` (N,) in 0 … classes − 1; X: (M, d) → (M,).
    A baseline that learns no weights: what a network has to beat. A tied vote
    goes to the smallest label; a tie in distance for the k-th place is broken
    arbitrarily.
    """
    X_known, X = np.asarray(X_known, dtype=float), np.asarray(X, dtype=float)
    labels = np.asarray(labels, dtype=int)
    if X_known.ndim != 2 or X.ndim != 2 or X_known.shape[1] != X.shape[1]:
        raise ValueError(
            f"X_known has shape {X_known.shape} and X has shape {X.shape}: "
            "both need rows of the same length"
        )
    if labels.shape != (len(X_known),):
        raise ValueError(
            f"labels has shape {labels.shape}; it needs one label per row of "
            f"X_known, shape ({len(X_known)},)"
        )
    if not 1 <= k <= len(X_known):
        raise ValueError(f"k must be between 1 and {len(X_known)}, got {k}")
    # |x − x'|² = |x|² − 2 x·x' + |x'|², for every pair at once: (M, N)
    d2 = (X**2).sum(axis=1)[:, None] - 2 * X @ X_known.T + (X_known**2).sum(axis=1)
    # the k smallest of each row, in no particular order (all a vote needs)
    nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
    votes = np.zeros((len(X), classes), dtype=int)
    np.add.at(votes, (np.arange(len(X))[:, None], labels[nearest]), 1)
    return np.argmax(votes, axis=1)
