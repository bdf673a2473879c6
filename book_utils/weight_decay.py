"""Weight decay as a penalty: the loss L_λ = L + (λ/2)‖θ‖², its gradient, checked
three ways (E_λ = E + (λ/2)‖θ‖² when the loss is E = ½Σ(ŷ − y)²).

The penalty covers every parameter the optimiser is handed, weights and biases
alike, as PyTorch's ``weight_decay`` does and as ``optimizers.SGD(weight_decay=λ)``
does: ‖θ‖² is the sum of the squares of all of them. Its gradient is λθ, so

    ∂/∂θ [L + (λ/2)‖θ‖²] = ∂L/∂θ + λθ,

and a step of gradient descent on the penalised loss is the optimiser's step with
g ← g + λθ. ``three_way`` checks that gradient: SymPy differentiates the whole
penalised loss, backprop adds λθ to its own gradient, finite differences nudge
the penalised loss; ``gradcheck`` judges. ‖θ‖ is the Euclidean length of all the
parameters taken as one vector, ‖θ‖² = Σθ².
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import sympy as sp

from .gradcheck import (
    GradientTable,
    H,
    judge_network,
)
from .html_tables import gradient_table_html
from .prose import fmt_number as f
from .symbolic import SymbolicNetwork

# named to sort before every parameter, so SymPy writes λw, not wλ
LAMBDA = sp.Symbol("Lambda", nonnegative=True)


def letter(loss: str) -> str:
    """The book's letter for the loss: E for ½Σ(ŷ − y)², L for any other."""
    return "E" if loss == "half_sse" else "L"


def penalised_name(loss: str) -> str:
    """ "E_λ = E + (λ/2)‖θ‖²" (or with L): what the penalised loss is called."""
    a = letter(loss)
    return f"{a}_λ = {a} + (λ/2)‖θ‖²"


def penalty(net, lam: float) -> float:
    """(λ/2)‖θ‖² over every weight and bias of ``net``."""
    theta = net.get_flat()
    return 0.5 * lam * float(theta @ theta)


def penalised_loss(net, X, Y, loss: str, lam: float) -> float:
    """L + (λ/2)‖θ‖²."""
    return net.loss(X, Y, loss) + penalty(net, lam)


def penalised_gradient(net, X, Y, loss: str, lam: float) -> np.ndarray:
    """∂L/∂θ by backprop, plus λθ: the gradient of L + (λ/2)‖θ‖², in the order
    of ``net.get_flat()``."""
    _, grads, _ = net.loss_and_gradients(X, Y, loss)
    return grads.flat() + lam * net.get_flat()  # g + λθ


class SymbolicPenalty:
    """The penalised loss L + (λ/2)‖θ‖² of a network as one SymPy expression, with
    its exact derivative by every parameter (compiled once)."""

    def __init__(self, sizes, activations, loss: str, n_samples: int = 1):
        self.net = SymbolicNetwork(sizes, activations, loss, n_samples, derive=False)
        params = self.net.param_symbols
        self.penalty = LAMBDA / 2 * sum(s**2 for s in params)  # (λ/2)‖θ‖²
        self.expr = self.net.loss_expr + self.penalty
        # ∂L_λ/∂θ, term by term as SymPy differentiates a sum: ∂L/∂θ + ∂penalty/∂θ
        self.loss_gradient = [sp.diff(self.net.loss_to_derive, s) for s in params]
        self.gradient_exprs = [
            d + sp.diff(self.penalty, s) for d, s in zip(self.loss_gradient, params)
        ]
        args = [params, list(self.net.X), list(self.net.Y), LAMBDA]
        # shared subexpressions found once, in the order met (sorting them is slow)
        self._grad_fn = sp.lambdify(args, self.gradient_exprs, "numpy", cse=_cse)

    def gradient(self, net, X, Y, lam: float) -> np.ndarray:
        """The exact gradient at ``net``'s parameters, inputs X, targets Y and λ."""
        theta = list(net.get_flat())
        x, y = (list(np.asarray(a, dtype=float).ravel()) for a in (X, Y))
        return np.array(self._grad_fn(theta, x, y, float(lam)), dtype=float)

    def extra_term(self, flat_name: str) -> sp.Expr:
        """∂(L + penalty)/∂θ − ∂L/∂θ for one parameter, as SymPy finds it (λθ):
        the derivative of the whole penalised loss, less the loss's own."""
        i = self.net.param_symbols.index(self.net.symbol(flat_name))
        return self.gradient_exprs[i] - self.loss_gradient[i]  # SymPy cancels ∂L/∂θ

    def latex(self, expr) -> str:
        return sp.latex(expr, symbol_names={**self.net.latex_names, LAMBDA: r"\lambda"})


def _cse(exprs):
    return sp.cse(exprs, order="none")


@lru_cache(maxsize=8)
def symbolic_penalty(sizes: tuple, activations: tuple, loss: str) -> SymbolicPenalty:
    """Cached: SymPy builds and differentiates a network's penalised loss once."""
    return SymbolicPenalty(list(sizes), list(activations), loss)


def three_way(
    net, X, Y, loss: str, lam: float, names: Sequence[str] | None = None, h: float = H
) -> GradientTable:
    """∂/∂θ of L + (λ/2)‖θ‖²: SymPy | backprop + λθ | finite differences, judged,
    one row per parameter (``names`` picks the rows shown; all are checked)."""
    X = net._inputs(X)
    if X.shape[0] != 1:
        raise ValueError(f"the symbolic check takes one example, got {X.shape[0]}")
    sym = symbolic_penalty(tuple(net.sizes), tuple(net.activation_names), loss)
    exact = sym.gradient(net, X, Y, lam)
    backprop = penalised_gradient(net, X, Y, loss, lam)
    rows, kink, shown = judge_network(
        net, X, lambda: penalised_loss(net, X, Y, loss, lam), backprop, exact, names, h
    )
    return GradientTable(
        rows,
        f"{letter(loss)}_λ",
        kink,
        method="backprop + λθ",
        title=f"∂{letter(loss)}_λ/∂θ three ways, {penalised_name(loss)}",
        shown=shown,
    )


def three_way_table(
    make_problem: Callable, loss: str, names: Sequence[str] | None = None
):
    """``make(**values)`` for an ``explore.Table``: the three-way check of the
    penalised gradient at the sliders. ``make_problem(**values)`` returns
    (network, X, Y, λ); the table adds each parameter's value θ and the penalty's
    share λθ of its gradient."""

    def make(**values):
        net, X, Y, lam = make_problem(**values)
        table = three_way(net, X, Y, loss, lam, names)
        flat = dict(zip(net.flat_names(), net.get_flat()))
        cells = {
            r.name: [f(flat[r.name], ".4g"), f(lam * flat[r.name], ".4g")]
            for r in table.rows
        }
        total = f(penalised_loss(net, X, Y, loss, lam), ".6g")
        a, rate = letter(loss), f(lam, ".3g")
        caption = (
            f"The gradient of {penalised_name(loss)}, three ways "
            f"(at λ = {rate}, {a}_λ = {total})"
        )
        page = gradient_table_html(table, (["θ", "λθ"], cells), caption)
        return page, f"At λ = {f(lam, '.3g')}: {table.summary()}."

    return make
