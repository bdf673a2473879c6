"""Small, deterministic toy data sets made with NumPy (no downloads).

Every function returns (X, Y): X is (N, n_0), Y is (N, n_out), one example per
row, where N is the ``n`` asked for (the book's N, the size of a data set); the
same seed always gives the same numbers.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np


def _n(n: int) -> int:
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number ≥ 1, got {n!r}")
    return int(n)


def xor(
    n: int | None = None, noise: float = 0.15, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """XOR: class 1 where exactly one coordinate is 1 — no straight line separates it.

    With no ``n``, the four corner points: X (4, 2), Y (4, 1). With ``n``, a cloud
    of n points around the four corners in turn (Gaussian ``noise``), labelled by
    their corner: X (n, 2), Y (n, 1).
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    if n is None:
        return X, Y
    corner = np.arange(_n(n)) % 4
    rng = np.random.default_rng(seed)
    return X[corner] + rng.normal(0, noise, size=(n, 2)), Y[corner]


def standardize(X, like=None) -> np.ndarray:
    """Shift and scale each column to mean 0 and spread 1 (by the columns of ``like``,
    e.g. the training set, when given): inputs centred on zero train faster."""
    X = np.asarray(X, dtype=float)
    ref = X if like is None else np.asarray(like, dtype=float)
    spread = ref.std(axis=0)
    if np.any(spread == 0):
        raise ValueError("a column of the data is constant: it cannot be scaled")
    return (X - ref.mean(axis=0)) / spread


def moons(
    n: int = 100, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: X (n, 2), Y (n, 1) with labels 0/1."""
    n = _n(n)
    rng = np.random.default_rng(seed)
    n_top = n // 2
    t_top = np.linspace(0, np.pi, n_top)
    t_bot = np.linspace(0, np.pi, n - n_top)
    top = np.column_stack([np.cos(t_top), np.sin(t_top)])
    bottom = np.column_stack([1 - np.cos(t_bot), 0.5 - np.sin(t_bot)])
    X = np.vstack([top, bottom]) + rng.normal(0, noise, size=(n, 2))
    Y = np.concatenate([np.zeros(n_top), np.ones(n - n_top)]).reshape(-1, 1)
    return X, Y


def spirals(
    n: int = 150, classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """CS231n's spiral arms: X (n, 2), Y (n, classes) one-hot."""
    n = _n(n)
    if classes < 2:
        raise ValueError(f"spirals needs at least 2 classes, got {classes}")
    rng = np.random.default_rng(seed)
    counts = [len(range(c, n, classes)) for c in range(classes)]  # as even as n allows
    labels = np.repeat(np.arange(classes), counts)
    # radius grows along each arm
    r = np.concatenate([np.linspace(0.05, 1, m) for m in counts])
    t = labels * 2 * np.pi / classes + r * 4 + rng.normal(0, noise, size=n)
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, np.eye(classes)[labels]


def regression_1d(
    n: int = 40, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """y = sin(2x) + noise on x ∈ [−2, 2]: X (n, 1), Y (n, 1)."""
    n = _n(n)
    rng = np.random.default_rng(seed)
    x = np.linspace(-2, 2, n)
    return x.reshape(-1, 1), (np.sin(2 * x) + rng.normal(0, noise, size=n)).reshape(
        -1, 1
    )


def line(
    n: int = 20,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.5,
    seed: int = 0,
):
    """Points near y = slope·x + intercept on x ∈ [0, 5]: the one-neuron model's data."""
    n = _n(n)
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 5, n)
    return x.reshape(-1, 1), (
        slope * x + intercept + rng.normal(0, noise, size=n)
    ).reshape(-1, 1)


DIGITS_COUNT = 1797  # images in the UCI digits set (``digits`` checks it)


def digits_split(validation: int = 297, test: int = 300) -> dict[str, int]:
    """How many images ``digits`` puts in each set, without loading them."""
    if validation < 1 or test < 1 or validation + test >= DIGITS_COUNT:
        raise ValueError(
            f"validation ({validation}) and test ({test}) must be ≥ 1 and leave "
            f"training samples out of {DIGITS_COUNT}"
        )
    train = DIGITS_COUNT - validation - test
    return {"train": train, "validation": validation, "test": test}


def sklearn_data_dir() -> Path:
    """The folder of scikit-learn's bundled data sets, found without importing
    scikit-learn (a second's import for one small file)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(
            "scikit-learn is not installed: pip install -r requirements.txt"
        )
    return Path(spec.submodule_search_locations[0], "datasets")


def _digits_file() -> tuple[np.ndarray, np.ndarray]:
    """(pixels (1797, 64) in 0…16, digits (1797,)): the file scikit-learn's
    ``load_digits`` reads, one image per row and its digit last."""
    table = np.loadtxt(sklearn_data_dir() / "data" / "digits.csv.gz", delimiter=",")
    return table[:, :-1], table[:, -1].astype(int)


def digits(seed: int = 0, validation: int = 297, test: int = 300) -> dict[str, tuple]:
    """The UCI optical-recognition handwritten digits: 1,797 images of 8 × 8 pixels.

    Alpaydin & Kaynak (1998), UCI Machine Learning Repository (CC BY 4.0), shipped
    inside scikit-learn (no download). Pixels are scaled from 0…16 to 0…1. Returns
    {"train", "validation", "test"} → (X (n, 64), Y (n, 10) one-hot), split by a
    seeded shuffle so every build sees the same three sets, plus "labels" (the
    digit of each test row) and "images" (the test images, 8 × 8).
    """
    sizes = digits_split(validation, test)
    pixels, target = _digits_file()
    n = len(target)
    if n != DIGITS_COUNT:
        raise ValueError(f"expected {DIGITS_COUNT} digit images, scikit-learn has {n}")
    order = np.random.default_rng(seed).permutation(n)
    X = pixels[order] / 16.0
    Y = np.eye(10)[target[order]]
    cut1, cut2 = sizes["train"], n - test
    return {
        "train": (X[:cut1], Y[:cut1]),
        "validation": (X[cut1:cut2], Y[cut1:cut2]),
        "test": (X[cut2:], Y[cut2:]),
        "labels": target[order][cut2:],
        "images": pixels[order][cut2:].reshape(-1, 8, 8) / 16.0,
    }
