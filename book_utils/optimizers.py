"""Better steps than θ ← θ − η g: momentum, Adam, weight decay, learning-rate schedules.

Each optimizer updates a list of parameter arrays (a network's W(1), b(1),
W(2), b(2), …) in place from the list of their gradients, one equation per line.
The rules are exactly PyTorch's with its defaults, so what a reader learns here
carries over to ``torch.optim``:

- ``SGD`` = ``torch.optim.SGD`` (``dampening=0``):
  g ← g + λθ,  v ← μv + g,  θ ← θ − η v;
  with ``nesterov=True``, θ ← θ − η (g + μv): the velocity's next step, looked at
  before it is taken.
  (Sutskever et al. write v ← μv − ηg, θ ← θ + v: the same steps while η is
  constant, since their v is −η times this one; different steps once η changes.)
- ``Adam`` = ``torch.optim.Adam`` (no amsgrad; L2 weight decay, not AdamW):
  g ← g + λθ,  m ← β₁m + (1 − β₁)g,  r ← β₂r + (1 − β₂)g²,
  θ ← θ − η/(1 − β₁ᵗ) · m / (√r / √(1 − β₂ᵗ) + ε).
  (The running mean of g² is r, as Goodfellow et al. write it: v is momentum's
  velocity. PyTorch calls m and r ``exp_avg`` and ``exp_avg_sq``.)
- ``AdaGrad`` = ``torch.optim.Adagrad`` (no ``lr_decay``): r ← r + g²,
  θ ← θ − η g / (√r + ε). r is a running *sum*: steps shrink for good.
- ``RMSProp`` = ``torch.optim.RMSprop`` (not centred, no momentum):
  r ← β₂r + (1 − β₂)g², θ ← θ − η g / (√r + ε). PyTorch calls β₂ ``alpha``.

Weight decay applies to every array handed to ``step``, biases included, as
PyTorch's ``weight_decay`` applies to every parameter in the group.

Usage, one call per mini-batch::

    opt = SGD(lr=0.1, momentum=0.9)
    opt.step([W1, b1, W2, b2], [dW1, db1, dW2, db2])

A schedule gives η_τ for each epoch τ = 0, 1, …, T − 1, counted from 0 as PyTorch's
schedulers count ``last_epoch``: ``Constant``, ``StepDecay`` (= ``StepLR``) and
``Cosine`` (= ``CosineAnnealingLR``'s closed form). Set ``opt.lr = schedule.lr_at(τ)``
before each epoch, as a PyTorch scheduler sets ``param_group["lr"]``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

import numpy as np

__all__ = [
    "SGD",
    "Adam",
    "AdaGrad",
    "RMSProp",
    "Optimizer",
    "Schedule",
    "Constant",
    "StepDecay",
    "Cosine",
]


# ----- checks on the hyper-parameters -------------------------------------------------
def _number(value, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None


def _positive(value, what: str) -> float:
    """A finite number > 0 (η, ε, γ)."""
    x = _number(value, what)
    if not math.isfinite(x) or x <= 0:
        raise ValueError(f"{what} must be a finite number > 0, got {value!r}")
    return x


def _non_negative(value, what: str) -> float:
    """A finite number ≥ 0 (λ, η_min)."""
    x = _number(value, what)
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"{what} must be a finite number ≥ 0, got {value!r}")
    return x


def _fraction(value, what: str) -> float:
    """A number in [0, 1) (μ, β₁, β₂): at 1 the running average never forgets."""
    x = _number(value, what)
    if not 0 <= x < 1:
        raise ValueError(f"{what} must be in [0, 1), got {value!r}")
    return x


def _whole(value, what: str, least: int) -> int:
    """A whole number ≥ least (step_size, epochs, an epoch)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < least
    ):
        raise ValueError(f"{what} must be a whole number ≥ {least}, got {value!r}")
    return int(value)


def _g(x: float) -> str:
    return format(x, "g")


# ----- optimizers ---------------------------------------------------------------------
class Optimizer:
    """What SGD and Adam share: η, the step count t, and the shapes their state is for.

    State is kept per position in the parameter list, so an optimizer belongs to
    one network: a list of another length or shape is a ValueError until ``reset()``.
    """

    def __init__(self, lr: float) -> None:
        self.lr = lr
        self.reset()

    @property
    def lr(self) -> float:
        """η, the learning rate; a schedule may change it between steps."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _positive(value, "learning rate η")

    def reset(self) -> None:
        """Forget the state (step count, running averages): the next step is a first step."""
        self.t = 0
        self.shapes: list[tuple[int, ...]] | None = None
        self._checked: list[np.ndarray] = []  # the arrays the last full check passed

    def _start(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Check the lists, make the state on the first step, and count the step."""
        if not self._as_checked(params, grads):
            self._check(params, grads)
        self.t += 1

    def _as_checked(self, params, grads) -> bool:
        """The very arrays the last full check passed, with gradients of their
        shapes: nothing to look at again (training asks this every step)."""
        return (
            len(params) == len(self._checked)
            and all(map(operator.is_, params, self._checked))
            and [getattr(g, "shape", None) for g in grads] == self.shapes
        )

    def _check(self, params, grads) -> None:
        """Every array a float ndarray of its gradient's shape, and the shapes those
        of the state (made here on the first step)."""
        if len(params) != len(grads):
            raise ValueError(
                f"got {len(params)} parameter arrays but {len(grads)} gradients"
            )
        shapes = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray):
                raise ValueError(
                    f"params[{i}] is a {type(p).__name__}, not a NumPy array: "
                    "the update is in place, so every parameter must be a float array"
                )
            if p.dtype.kind != "f":
                raise ValueError(
                    f"params[{i}] has dtype {p.dtype}: the update is in place, "
                    "so every parameter must be a float array"
                )
            if p.shape != np.shape(g):
                raise ValueError(
                    f"params[{i}] has shape {p.shape} but grads[{i}] has shape {np.shape(g)}"
                )
            shapes.append(p.shape)
        if self.shapes is None:
            self.shapes = shapes
            self._new_state(params)
        elif shapes != self.shapes:
            raise ValueError(
                f"the parameters have shapes {shapes} but this optimizer's state is "
                f"for shapes {self.shapes}; call reset() to start on new parameters"
            )
        self._checked = list(params)

    def _new_state(self, params: Sequence[np.ndarray]) -> None:
        """Zeros shaped like the parameters for every running quantity."""

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent with momentum and weight decay, as ``torch.optim.SGD``.

    Momentum μ keeps a velocity v, a running sum of past gradients that decays by
    μ every step (v = g + μg_prev + μ²g_prev2 + …), so steps grow
    along directions the gradient keeps pointing and cancel where it zigzags.
    Weight decay λ adds λθ to the gradient: the gradient of (λ/2)‖θ‖².
    With μ = 0 and λ = 0 it is the plain update θ ← θ − η g, bit for bit.
    Nesterov's momentum steps by g + μv instead of v: where the velocity is about
    to carry θ, one step early.
    """

    def __init__(
        self,
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        self.momentum = _fraction(momentum, "momentum μ")
        self.weight_decay = _non_negative(weight_decay, "weight decay λ")
        if nesterov and not self.momentum:
            raise ValueError("Nesterov momentum needs a momentum μ > 0")
        self.nesterov = bool(nesterov)
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.velocity: list[np.ndarray] = []  # v, one per parameter array

    def _new_state(self, params: Sequence[np.ndarray]) -> None:
        if self.momentum:
            self.velocity = [np.zeros_like(p) for p in params]

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every θ in ``params`` in place from its gradient g in ``grads``.

        params, grads: lists of float arrays, the same shapes in the same order
        (e.g. [W1 (n_1, n_0), b1 (n_1,), …]); ``grads`` is left unchanged.
        """
        self._start(params, grads)
        lr = self.lr
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.weight_decay:
                g = g + self.weight_decay * p  # g ← g + λθ
            if self.momentum:
                v = self.velocity[i]
                v[...] = self.momentum * v + g  # v ← μv + g   (v = g on the first step)
                g = g + self.momentum * v if self.nesterov else v  # Nesterov: g + μv
            p -= lr * g  # θ ← θ − η v   (θ ← θ − η g without momentum)

    def __repr__(self) -> str:
        parts = [f"η={_g(self.lr)}"]
        if self.momentum:
            parts.append(f"μ={_g(self.momentum)}")
        if self.nesterov:
            parts.append("Nesterov")
        if self.weight_decay:
            parts.append(f"λ={_g(self.weight_decay)}")
        return f"SGD({', '.join(parts)})"


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), as ``torch.optim.Adam`` computes it.

    m and r are running averages of g and g²; dividing by √r gives every
    parameter a step of about η, whatever the size of its gradient. The averages
    start at 0, so early on they are too small by a factor 1 − βᵗ: the bias
    correction divides it out. Weight decay λ is added to the gradient (L2, not AdamW).
    """

    def __init__(
        self,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        try:
            beta1, beta2 = betas
        except (TypeError, ValueError):
            raise ValueError(f"betas must be a pair (β₁, β₂), got {betas!r}") from None
        self.beta1 = _fraction(beta1, "β₁ (betas[0])")
        self.beta2 = _fraction(beta2, "β₂ (betas[1])")
        self.eps = _positive(eps, "eps ε")
        self.weight_decay = _non_negative(weight_decay, "weight decay λ")
        super().__init__(lr)

    @property
    def betas(self) -> tuple[float, float]:
        return self.beta1, self.beta2

    def reset(self) -> None:
        super().reset()
        self.m: list[np.ndarray] = []  # running mean of g, one per parameter array
        self.r: list[np.ndarray] = []  # running mean of g², one per parameter array

    def _new_state(self, params: Sequence[np.ndarray]) -> None:
        self.m = [np.zeros_like(p) for p in params]
        self.r = [np.zeros_like(p) for p in params]

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every θ in ``params`` in place from its gradient g in ``grads``.

        params, grads: lists of float arrays, the same shapes in the same order
        (e.g. [W1 (n_1, n_0), b1 (n_1,), …]); ``grads`` is left unchanged.
        """
        self._start(params, grads)
        b1, b2, t = self.beta1, self.beta2, self.t
        step_size = self.lr / (1 - b1**t)  # η / (1 − β₁ᵗ)
        root_bias2 = math.sqrt(1 - b2**t)  # √(1 − β₂ᵗ)
        for p, g, m, r in zip(params, grads, self.m, self.r):
            if self.weight_decay:
                g = g + self.weight_decay * p  # g ← g + λθ
            m[...] = b1 * m + (1 - b1) * g  # m ← β₁m + (1 − β₁)g
            r[...] = b2 * r + (1 - b2) * g * g  # r ← β₂r + (1 − β₂)g²
            denom = np.sqrt(r) / root_bias2 + self.eps  # √r / √(1 − β₂ᵗ) + ε
            p -= step_size * m / denom  # θ ← θ − η/(1 − β₁ᵗ) · m / denom

    def __repr__(self) -> str:
        parts = [f"η={_g(self.lr)}"]
        if self.betas != (0.9, 0.999):
            parts.append(f"β₁={_g(self.beta1)}, β₂={_g(self.beta2)}")
        if self.eps != 1e-8:
            parts.append(f"ε={_g(self.eps)}")
        if self.weight_decay:
            parts.append(f"λ={_g(self.weight_decay)}")
        return f"Adam({', '.join(parts)})"


class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan & Singer 2011), as ``torch.optim.Adagrad`` computes it.

    r adds up every g² so far, and each parameter's step is η g/(√r + ε): a
    parameter whose gradients have been large takes small steps, one whose
    gradients are rare or small keeps large ones. r only grows, so on a steady
    gradient the step after t steps is η/√t: it shrinks for good.
    """

    def __init__(
        self, lr: float = 0.01, eps: float = 1e-10, weight_decay: float = 0.0
    ) -> None:
        self.eps = _positive(eps, "eps ε")
        self.weight_decay = _non_negative(weight_decay, "weight decay λ")
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.r: list[np.ndarray] = []  # what the squared gradients add up to

    def _new_state(self, params: Sequence[np.ndarray]) -> None:
        self.r = [np.zeros_like(p) for p in params]

    def _add_square(self, r: np.ndarray, g: np.ndarray) -> None:
        r += g * g  # r ← r + g²

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every θ in ``params`` in place from its gradient g in ``grads``."""
        self._start(params, grads)
        for p, g, r in zip(params, grads, self.r):
            if self.weight_decay:
                g = g + self.weight_decay * p  # g ← g + λθ
            self._add_square(r, g)
            p -= self.lr * g / (np.sqrt(r) + self.eps)  # θ ← θ − η g / (√r + ε)

    def __repr__(self) -> str:
        parts = [f"η={_g(self.lr)}"]
        if self.weight_decay:
            parts.append(f"λ={_g(self.weight_decay)}")
        return f"{type(self).__name__}({', '.join(parts)})"


class RMSProp(AdaGrad):
    """RMSProp (Tieleman & Hinton 2012), as ``torch.optim.RMSprop`` computes it.

    AdaGrad with a running *average* of g² in place of the sum, so the steps do
    not die out: r ← β₂r + (1 − β₂)g², θ ← θ − η g/(√r + ε). Adam is RMSProp with
    momentum's running mean of g in place of g, and both averages bias-corrected.
    PyTorch calls β₂ ``alpha`` (default 0.99).
    """

    def __init__(
        self,
        lr: float = 0.01,
        beta2: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        self.beta2 = _fraction(beta2, "β₂ (PyTorch's alpha)")
        super().__init__(lr, eps, weight_decay)

    def _add_square(self, r: np.ndarray, g: np.ndarray) -> None:
        r[...] = self.beta2 * r + (1 - self.beta2) * g * g  # r ← β₂r + (1 − β₂)g²

    def __repr__(self) -> str:
        text = super().__repr__()
        return text if self.beta2 == 0.99 else f"{text[:-1]}, β₂={_g(self.beta2)})"


# ----- learning-rate schedules --------------------------------------------------------
class Schedule:
    """η_τ as a function of the epoch τ = 0, 1, 2, … (τ = 0 is before any decay).

    τ, not t: t counts the optimiser's steps (Adam's 1 − βᵗ), τ the epochs."""

    def __init__(self, lr: float) -> None:
        self.lr = _positive(lr, "learning rate η")

    def lr_at(self, epoch: int) -> float:
        """η for epoch ``epoch`` (0 = the first epoch, as PyTorch's ``last_epoch``)."""
        return self._lr_at(_whole(epoch, "epoch", 0))

    def _lr_at(self, tau: int) -> float:
        raise NotImplementedError


class Constant(Schedule):
    """The same η every epoch: what training does without a schedule."""

    def _lr_at(self, tau: int) -> float:
        return self.lr  # η_τ = η

    def __repr__(self) -> str:
        return f"Constant(η={_g(self.lr)})"


class StepDecay(Schedule):
    """η_τ = η·γ^⌊τ / step_size⌋, as ``torch.optim.lr_scheduler.StepLR``.

    Big steps while far from a minimum, then smaller ones to settle into it.
    """

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(lr)
        self.step_size = _whole(step_size, "step_size", 1)
        self.gamma = _positive(gamma, "gamma γ")

    def _lr_at(self, tau: int) -> float:
        return self.lr * self.gamma ** (tau // self.step_size)  # η γ^⌊τ/step_size⌋

    def __repr__(self) -> str:
        return f"StepDecay(η={_g(self.lr)}, step_size={self.step_size}, γ={_g(self.gamma)})"


class Cosine(Schedule):
    """η_τ = η_min + (η − η_min)(1 + cos(π τ / T))/2 with T = ``epochs``, as
    ``CosineAnnealingLR(T_max=epochs, eta_min=lr_min)`` in closed form.

    η glides from η at τ = 0 to η_min at τ = T without a jump; the last epoch
    of a T-epoch run (τ = T − 1) still has η > η_min. Past T the cosine rises
    again, as PyTorch's does.
    """

    def __init__(self, lr: float, epochs: int, lr_min: float = 0.0) -> None:
        super().__init__(lr)
        self.epochs = _whole(epochs, "epochs", 1)
        self.lr_min = _non_negative(lr_min, "lr_min η_min")
        if self.lr_min > self.lr:
            raise ValueError(
                f"lr_min η_min must not exceed the learning rate η = {_g(self.lr)}, "
                f"got {lr_min!r}"
            )

    def _lr_at(self, tau: int) -> float:
        # η_τ = η_min + (η − η_min)(1 + cos(π τ / T))/2
        return (
            self.lr_min
            + (self.lr - self.lr_min) * (1 + math.cos(math.pi * tau / self.epochs)) / 2
        )

    def __repr__(self) -> str:
        return f"Cosine(η={_g(self.lr)}, T={self.epochs}, η_min={_g(self.lr_min)})"
