"""The same network, written as SymPy expressions: exact derivatives to check backprop.

``SymbolicNetwork(sizes, activations, loss, n_samples)`` builds the loss as one
expression in the weights, biases, inputs and targets, differentiates it with
respect to every parameter, and lambdifies both, so a chapter can evaluate the
exact gradient at the current slider values in microseconds.

``three_way(net, X, Y, loss)`` is the book's gradient check: symbolic | backprop |
finite difference | relative error, one row per parameter entry (a
``gradcheck.GradientTable``, judged by ``gradcheck``'s one verdict), and
``three_way_table`` makes it an explorable table that follows the sliders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from html import escape

import numpy as np
import sympy as sp

from . import notation
from .activations import get_activation
from .gradcheck import (
    GradientTable,
    H,
    difference,
    judge,
    judge_network,
    noise_floor,
    numerical_gradient,
)
from .html_tables import gradient_table_html
from .losses import get_loss
from .prose import fmt_number as f
from .training import gradient_descent_step


@cache
def activation_function(name: str):
    """σ as a SymPy function of its own (the identity stays z itself).

    Its derivative is SymPy's derivative of the activation's formula, never the
    engine's σ′, and it evaluates through that formula, compiled by SymPy: the
    gradient SymPy finds is the one it finds from the formula written out, only
    quicker (three times, on the 3-3-2-1 network), because the chain rule meets σ
    as one link instead of re-reading its insides for every parameter.
    """
    act = get_activation(name)
    if act.name == "identity":
        return lambda z: z
    t = sp.Dummy("t", real=True)
    formula = act.symbolic(t)
    slope = sp.diff(formula, t)  # SymPy's own dσ/dz

    def fdiff(self, argindex=1):
        return slope.xreplace({t: self.args[0]})

    return type(
        f"sigma_{act.name}",
        (sp.Function,),
        {"fdiff": fdiff, "_imp_": staticmethod(sp.lambdify(t, formula, "numpy"))},
    )


class SymbolicNetwork:
    """A network's loss as a SymPy expression, with its exact gradient.

    sizes: [n_0, …, n_D]; activations: one name per layer (or one for all);
    loss: a loss name; n_samples: rows of X (keep it small: expressions grow).
    Symbols: W[l][j,k] = w^{(l)}_{jk}, b[l][j] = b^{(l)}_j, X[i,k] = x_{ik}, Y[i,j] = y_{ij};
    indices are 1-based in LaTeX, as in the text.
    """

    def __init__(
        self,
        sizes,
        activations,
        loss: str = "half_sse",
        n_samples: int = 1,
        derive: bool = True,
    ):
        self.sizes = [int(s) for s in sizes]
        D = len(self.sizes) - 1  # the depth
        if isinstance(activations, str):
            activations = [activations] * D
        self.acts = [get_activation(a) for a in activations]
        if len(self.acts) != D:
            raise ValueError(f"got {len(self.acts)} activations for {D} layers")
        self.loss_name = get_loss(loss).name
        self.n_samples = int(n_samples)
        self.latex_names: dict[sp.Symbol, str] = {}
        self.W, self.b = [], []
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), 1):
            W, b = notation.array_name("W", l), notation.array_name("b", l)
            self.W.append(
                self._params(
                    (n_out, n_in), lambda j, k, W=W: notation.entry_name(W, (j, k))
                )
            )
            self.b.append(
                self._params((n_out, 1), lambda j, k, b=b: notation.entry_name(b, (j,)))
            )
        self.X = self._data_matrix("x", self.sizes[0])
        self.Y = self._data_matrix("y", self.sizes[-1])
        # forward pass, one sample (row) at a time, exactly as the engine does it
        outs, to_derive = [], []
        self.z_exprs: list[list[sp.Matrix]] = []
        for i in range(self.n_samples):
            a = a_opaque = self.X[i, :].T
            zs = []
            for W, b, act in zip(self.W, self.b, self.acts):
                z = W * a + b
                zs.append(z)
                a = z.applyfunc(act.symbolic)
                a_opaque = (W * a_opaque + b).applyfunc(activation_function(act.name))
            self.z_exprs.append(zs)
            outs.append(a.T)
            to_derive.append(a_opaque.T)
        self.Y_hat = sp.Matrix.vstack(*outs)
        self.loss_expr = get_loss(loss).symbolic(self.Y_hat, self.Y)
        # the same loss with each σ kept whole (``activation_function``): what is
        # differentiated, as the chain rule then never re-reads σ's formula
        self.loss_to_derive = get_loss(loss).symbolic(
            sp.Matrix.vstack(*to_derive), self.Y
        )
        self.param_symbols = [
            s for W, b in zip(self.W, self.b) for s in list(W) + list(b)
        ]
        self._arg_symbols = [self.param_symbols, list(self.X), list(self.Y)]
        if (
            derive
        ):  # the exact gradient, compiled (skipped when only the symbols are wanted)
            self.gradient_exprs = [
                sp.diff(self.loss_to_derive, s) for s in self.param_symbols
            ]
            self._grad_fn = self._compile(self.gradient_exprs)

    def _compile(self, exprs, n_args: int = 3):
        """SymPy expressions → a NumPy function of (parameters, X, Y), common
        subexpressions shared (fast to build and to evaluate)."""
        return sp.lambdify(self._arg_symbols[:n_args], exprs, modules="numpy", cse=True)

    @cached_property
    def _loss_fn(self):
        return self._compile(self.loss_expr)

    @cached_property
    def _out_fn(self):
        return self._compile(list(self.Y_hat), n_args=2)

    def _params(self, shape, code) -> sp.Matrix:
        """A matrix of parameter symbols, named for the code ("W1[0,2]") and, through
        ``notation``, for the page (w^{(1)}_{13})."""
        return self._matrix(
            shape, code, lambda i, j: notation.symbol(code(i, j), self.sizes).tex
        )

    def _matrix(self, shape, code, tex) -> sp.Matrix:
        """A matrix of real symbols; ``code(i, j)`` names each for the code,
        ``tex(i, j)`` for the page."""
        m = sp.zeros(*shape)
        for i, j in np.ndindex(shape):
            m[i, j] = sp.Symbol(code(i, j), real=True)
            self.latex_names[m[i, j]] = tex(i, j)
        return m

    def _data_matrix(self, letter: str, width: int) -> sp.Matrix:
        """x or y for every sample: x_k for one sample (x alone if 1×1); with several,
        the samples are lettered, x_a, x_b, … (x_{a,k}), so that x_1 keeps meaning
        "input 1" everywhere in the book."""
        n = self.n_samples

        def tex(i, k):
            if n == 1:
                return letter if width == 1 else f"{letter}_{{{k + 1}}}"
            sample = chr(ord("a") + i) if i < 26 else str(i + 1)
            return (
                f"{letter}_{{{sample}}}"
                if width == 1
                else f"{letter}_{{{sample},{k + 1}}}"
            )

        return self._matrix((n, width), lambda i, k: f"{letter}[{i},{k}]", tex)

    # ----- evaluation ----------------------------------------------------------------
    def _args(self, net, X, Y=None):
        X = np.asarray(X, dtype=float).reshape(self.n_samples, self.sizes[0])
        args = [list(net.get_flat()), list(X.ravel())]
        if Y is not None:
            args.append(list(np.asarray(Y, dtype=float).ravel()))
        return args

    def output(self, net, X) -> np.ndarray:
        """Ŷ from the symbolic forward pass: (n_samples, n_D)."""
        return np.array(self._out_fn(*self._args(net, X)), dtype=float).reshape(
            self.n_samples, -1
        )

    def loss(self, net, X, Y) -> float:
        return float(self._loss_fn(*self._args(net, X, Y)))

    def gradient(self, net, X, Y) -> np.ndarray:
        """Exact ∂L/∂θ for every parameter, in the order of ``net.get_flat()``."""
        return np.array(self._grad_fn(*self._args(net, X, Y)), dtype=float)

    # ----- rendering -------------------------------------------------------------------
    def symbol(self, flat_name: str) -> sp.Symbol:
        """The symbol of a parameter entry named as in ``Network.flat_names()``, e.g. "W1[0,1]"."""
        for s in self.param_symbols:
            if s.name == flat_name:
                return s
        raise ValueError(f"unknown parameter entry {flat_name!r}")

    def latex(self, expr) -> str:
        return sp.latex(expr, symbol_names=self.latex_names)

    def latex_lines(self, lhs: str, expr) -> str:
        """``lhs = expr`` as aligned LaTeX with one term of the sum per line: a sum
        over several examples then fits a phone's width."""
        lines = []
        for k, term in enumerate(sp.Add.make_args(expr)):
            tex = self.latex(term)
            if k == 0:
                lines.append(f"{lhs} &= {tex}")
            elif tex.startswith("-"):
                lines.append(f"&- {tex[1:]}")
            else:
                lines.append(f"&+ {tex}")
        return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"

    def layer_equations(self) -> str:
        """The forward pass as aligned LaTeX, one line per neuron, with σ left as a name:
        a^{(1)}_1 = σ(w^{(1)}_{11} x_1 + …), …, ŷ = σ(…). (First sample only.)"""
        sigma = sp.Function(r"\sigma")
        names = dict(self.latex_names)
        a = self.X[0, :].T
        lines = []
        for l, (W, b) in enumerate(zip(self.W, self.b), start=1):
            outs = [sp.Symbol(f"a{l}_{j}") for j in range(W.shape[0])]
            last = l == len(self.W)
            for j, s in enumerate(outs):
                names[s] = (
                    r"\hat y"
                    if last and W.shape[0] == 1
                    else rf"a^{{({l})}}_{{{j + 1}}}"
                )
            z = W * a + b
            lines += [
                f"{sp.latex(s, symbol_names=names)} &= "
                f"{sp.latex(sigma(z[j]), symbol_names=names)}"
                for j, s in enumerate(outs)
            ]
            a = sp.Matrix(outs)
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"

    def derivative(self, flat_name: str, simplify: bool = True) -> sp.Expr:
        expr = sp.diff(self.loss_expr, self.symbol(flat_name))
        return sp.simplify(expr) if simplify else expr


@lru_cache(maxsize=32)
def symbolic_network(
    sizes: tuple, activations: tuple, loss: str, n_samples: int
) -> SymbolicNetwork:
    """Cached construction: the slow part (building, differentiating, lambdifying) runs once."""
    return SymbolicNetwork(list(sizes), list(activations), loss, n_samples)


def for_network(net, loss: str, n_samples: int) -> SymbolicNetwork:
    return symbolic_network(
        tuple(net.sizes), tuple(net.activation_names), loss, n_samples
    )


def three_way(
    net, X, Y, loss: str = "half_sse", names: list[str] | None = None, h: float = H
) -> GradientTable:
    """Symbolic | backprop | finite difference | relative error for ``net`` at (X, Y).

    names: entries to show, as in ``net.flat_names()`` (default: all of them);
    every entry is checked either way, and the verdict covers them all.
    """
    X = net._inputs(X)
    sym = for_network(net, loss, X.shape[0])
    _, grads, _ = net.loss_and_gradients(X, Y, loss)
    exact = sym.gradient(net, X, Y)
    rows, kink, shown = judge_network(
        net, X, lambda: net.loss(X, Y, loss), grads.flat(), exact, names, h
    )
    return GradientTable(rows, get_loss(loss).symbol, kink, shown=shown)


def three_way_table(
    make_problem: Callable, loss: str, names: Sequence[str] | None = None
):
    """``make(**values)`` for an ``explore.Table``: the three-way check at the sliders.

    ``make_problem(**values)`` returns (network, X, Y) for the slider values. The
    table shows, per parameter, SymPy | backprop | finite differences | relative
    error, then the parameter's value and, when there is an ``lr`` slider, its
    value after one gradient-descent step.
    """
    symbol = get_loss(loss).symbol

    def make(**values):
        net, X, Y = make_problem(**values)
        table = three_way(net, X, Y, loss, names=list(names) if names else None)
        flat = dict(zip(net.flat_names(), net.get_flat()))
        if "lr" in values:
            columns = ["now → after one step"]
            cells = {
                r.name: [
                    f"{f(flat[r.name], '.4g')} → "
                    f"{f(gradient_descent_step(flat[r.name], r.backprop, values['lr']), '.4g')}"
                ]
                for r in table.rows
            }
        else:
            columns = ["value"]
            cells = {r.name: [f(flat[r.name], ".4g")] for r in table.rows}
        value = f(net.loss(X, Y, loss), ".6g")
        caption = f"∂{symbol}/∂θ three ways, at {symbol} = {value}"
        page = gradient_table_html(table, (columns, cells), caption)
        return page, f"At {symbol} = {value}: {table.summary()}."

    return make


# ----- losses on their own: ∂L/∂ŷ for one prediction -------------------------------------------
Y_HAT, Y_TRUE = sp.Symbol(r"\hat{y}", real=True), sp.Symbol("y", real=True)


@cache
def loss_derivative(name: str) -> tuple[sp.Expr, sp.Expr, object]:
    """(L(ŷ, y), ∂L/∂ŷ, lambdified ∂L/∂ŷ) for one prediction ŷ and target y."""
    expr = get_loss(name).symbolic(sp.Matrix([[Y_HAT]]), sp.Matrix([[Y_TRUE]]))
    deriv = sp.simplify(sp.diff(expr, Y_HAT))
    return expr, deriv, sp.lambdify([Y_HAT, Y_TRUE], deriv, modules="numpy")


def loss_three_way(
    y_hat: float, y: float, names=("half_sse", "sse", "mse", "binary_ce"), h: float = H
) -> GradientTable:
    """∂L/∂ŷ three ways (SymPy | the engine's formula | finite differences) for each loss."""
    rows = []
    target = np.array([[float(y)]])
    for name in names:
        lf = get_loss(name)
        _, _, fn = loss_derivative(name)
        pred = np.array([[float(y_hat)]])
        exact = float(fn(float(y_hat), float(y)))
        engine = float(lf.gradient(pred, target)[0, 0])
        numeric = float(
            numerical_gradient(lambda lf=lf, p=pred: lf.value(p, target), pred, h)[0, 0]
        )
        label = notation.Symbol(lf.title, escape(lf.title), lf.title)
        floor = noise_floor(lf.value(pred, target), h)
        rows.append(judge(name, label, engine, numeric, floor, exact=exact))
    return GradientTable(
        rows,
        "L",
        False,
        method="engine's formula",
        title="The derivative by ŷ of each loss, three ways",
        row_header="loss",
    )


# ----- the chain rule in sight: σ left abstract, every weighted sum named --------------------
class _Sigma(sp.Function):
    """σ as an unknown function: SymPy differentiates it to σ′ and leaves it at that."""

    def fdiff(self, argindex=1):
        return _SigmaPrime(self.args[0])

    def _latex(self, printer, exp=None):
        out = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return out if exp is None else rf"{out}^{{{exp}}}"


class _SigmaPrime(sp.Function):
    """σ′, the derivative of the abstract σ."""

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        # plain brackets round a single name (σ′(z⁽²⁾₁), no extra space), sized ones else
        out = (
            rf"\sigma'({arg})"
            if self.args[0].is_Symbol
            else rf"\sigma'\left({arg}\right)"
        )
        return out if exp is None else rf"{out}^{{{exp}}}"


@dataclass
class ChainRule:
    """∂E/∂θ of one sample written with the network's own names, E = ½(ŷ − y)².

    ``expr`` uses σ′(z⁽ˡ⁾ⱼ) for every activation's slope, z⁽ˡ⁾ⱼ and a⁽ˡ⁾ⱼ for the
    weighted sums and activations, ŷ for the output: the factors the chain rule
    multiplies, in sight. ``latex`` renders it; ``value(net, cache, y)`` evaluates it
    with the numbers of a forward pass (σ′ from the activation, as the engine does).
    """

    expr: sp.Expr
    names: dict
    z: list  # z[l-1][j]: the symbol of z⁽ˡ⁾ⱼ
    a: list  # a[l-1][j]: the symbol of a⁽ˡ⁾ⱼ (the output's is ŷ)
    params: dict  # parameter entry name → symbol
    x: list
    y: sp.Symbol

    @property
    def latex(self) -> str:
        """The product in the order blame travels: ∂E/∂ŷ first, then the output's σ′,
        back layer by layer, and the input the parameter reads last."""
        layers = len(self.z)

        def rank(factor) -> float:
            slopes = [
                int(s.name[1 : s.name.index("_")])
                for s in factor.atoms(sp.Symbol)
                if s.name.startswith("z") and factor.has(_SigmaPrime(s))
            ]
            if factor.has(self.y):
                return 0  # ŷ − y
            if isinstance(factor, _SigmaPrime):
                return 2 * (layers - slopes[0]) + 1
            if slopes:  # a sum over the paths through a later layer
                return 2 * (layers - max(slopes)) + 1.5
            return 99  # the input or activation the parameter multiplies

        return r" \cdot ".join(self._factors(rank))

    def aligned(self, lhs: str, width: int = 48) -> str:
        """The product over several lines of at most about ``width`` visible characters,
        broken between factors into an aligned block (so it fits a book column)."""
        lines, current = [], []
        for factor in self.latex.split(r" \cdot "):
            if current and _visible(" ".join(current + [factor])) > width:
                lines.append(r" \cdot ".join(current))
                current = []
            current.append(factor)
        lines.append(r" \cdot ".join(current))
        body = r" \\ &\quad \cdot ".join(lines)
        return rf"\begin{{aligned}} {lhs} &= {body} \end{{aligned}}"

    def _factors(self, rank) -> list[str]:
        factors = sorted(sp.Mul.make_args(self.expr), key=rank)
        shown = [sp.latex(f, symbol_names=self.names) for f in factors]
        return [
            rf"\left({t}\right)" if isinstance(f, sp.Add) else t
            for f, t in zip(factors, shown)
        ]

    def value(self, net, cache, y: float, sample: int = 0) -> float:
        subs = {s: v for s, v in zip(self.params.values(), net.get_flat())}
        subs.update(
            {s: float(cache.activations[0][sample, k]) for k, s in enumerate(self.x)}
        )
        subs[self.y] = float(y)
        for l, (zs, az) in enumerate(zip(self.z, self.a)):
            for j, (zj, aj) in enumerate(zip(zs, az)):
                a_val = float(cache.activations[l + 1][sample, j])
                subs[zj] = float(cache.zs[l][sample, j])
                subs[aj] = a_val
                subs[_SigmaPrime(zj)] = a_val * (1 - a_val)  # σ′(z) = σ(z)(1 − σ(z))
        return float(
            self.expr.xreplace(
                {k: v for k, v in subs.items() if not k.is_Symbol}
            ).xreplace({k: v for k, v in subs.items() if k.is_Symbol})
        )


def chain_rule(sizes, flat_name: str) -> ChainRule:
    """∂E/∂(one parameter) for a sigmoid network with layer sizes ``sizes`` and one
    sample, E = ½(ŷ − y)², as the chain rule's product of factors."""
    # the symbols
    base = SymbolicNetwork(sizes, "identity", "half_sse", 1, derive=False)
    names = dict(base.latex_names)
    D = len(base.W)  # the depth
    z_syms, a_syms, reduced = [], [], []
    prev_full, prev_short = base.X[0, :].T, base.X[0, :].T
    fulls = []
    for l, (W, b) in enumerate(zip(base.W, base.b), start=1):
        n = W.shape[0]
        zl = [sp.Symbol(f"z{l}_{j}", real=True) for j in range(n)]
        al = [sp.Symbol(f"a{l}_{j}", real=True) for j in range(n)]
        for j in range(n):
            names[zl[j]] = (
                rf"z^{{({l})}}_{{{j + 1}}}" if n > 1 or l < D else rf"z^{{({l})}}"
            )
            names[al[j]] = (
                r"\hat y" if l == D and n == 1 else rf"a^{{({l})}}_{{{j + 1}}}"
            )
        full = W * prev_full + b  # nested all the way down to x
        short = W * prev_short + b  # in terms of the previous layer's σ(z) symbols
        fulls.append(full)
        reduced.append(short)
        z_syms.append(zl)
        a_syms.append(al)
        prev_full = full.applyfunc(_Sigma)
        prev_short = sp.Matrix([_Sigma(s) for s in zl])
    y = base.Y[0, 0]
    E = sp.Rational(1, 2) * (prev_full[0] - y) ** 2
    d = sp.diff(E, base.symbol(flat_name))
    for l in range(D):  # fold the nested sums back into their names, innermost first
        rename = reduced[l] if l > 0 else fulls[0]
        d = d.xreplace({rename[j]: z_syms[l][j] for j in range(len(z_syms[l]))})
    d = d.xreplace(
        {_Sigma(s): a for zs, az in zip(z_syms, a_syms) for s, a in zip(zs, az)}
    )
    params = {s.name: s for s in base.param_symbols}
    return ChainRule(sp.factor_terms(d), names, z_syms, a_syms, params, list(base.X), y)


def _visible(latex: str) -> int:
    """Roughly how many characters a LaTeX string shows (commands and braces dropped)."""
    return len(re.sub(r"\\[a-zA-Z]+|[{}^_]|\\left|\\right", "", latex))


# ----- activations on their own: σ′(z) for one weighted sum -------------------------------------
Z = sp.Symbol("z", real=True)


def _tidy_steps(expr: sp.Expr) -> sp.Expr:
    """θ(99z/100) → θ(z): a step function only cares about the sign of its argument."""

    def one(arg, *rest):
        coeff, rest_arg = arg.as_coeff_Mul()
        return sp.Heaviside(sp.sign(coeff) * rest_arg)

    return expr.replace(sp.Heaviside, one)


@cache
def activation_derivative(name: str) -> tuple[sp.Expr, sp.Expr, object]:
    """(σ(z), dσ/dz as SymPy derives it, lambdified dσ/dz) for one activation.

    ReLU-like derivatives come out as Heaviside steps θ(z); SymPy gives θ(0) = ½,
    the average of the slopes on either side of the corner (the engine takes 0).
    """
    act = get_activation(name)
    expr = act.symbolic(Z)
    deriv = _tidy_steps(sp.diff(expr, Z))
    return expr, deriv, sp.lambdify(Z, deriv, modules="numpy")


def activation_three_way(
    z: float,
    names=("sigmoid", "tanh", "relu", "leaky_relu"),
    h: float = H,
) -> GradientTable:
    """σ′(z) three ways for each activation: SymPy | the engine's slope (what
    backprop multiplies by) | central differences of σ | relative error.

    A ReLU-like activation within 10·h of its corner at 0 is flagged "near kink",
    not failed: there the two sides disagree and no single slope is right.
    """
    z = float(z)
    rows, any_kink = [], False
    for name in names:
        act = get_activation(name)
        if isinstance(name, str):
            fn = activation_derivative(act.name)[2]
        else:  # an Activation made by hand (the tests give one a wrong derivative)
            fn = sp.lambdify(Z, sp.diff(act.symbolic(Z), Z), modules="numpy")
        zz = np.array([z])
        exact = float(np.asarray(fn(z), dtype=float))
        engine = float(act.slope(zz, act.value(zz))[0])
        numeric = float(difference(act.value, zz, h)[0])
        kink = act.kink and abs(z) < 10 * h
        any_kink |= kink
        title = ACTIVATION_TITLES.get(act.name, act.name)
        label = notation.Symbol(title, escape(title), title)
        floor = noise_floor(float(act.value(zz)[0]), h)
        rows.append(judge(act.name, label, engine, numeric, floor, kink, exact=exact))
    return GradientTable(
        rows,
        "σ",
        any_kink,
        method="engine's slope",
        title=f"σ′(z) at z = {f(z, '.3g')}, three ways",
        row_header="activation",
    )


ACTIVATION_TITLES = {  # the names a reader sees
    "identity": "none (linear)",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
}


# ----- the chain rule, step by step: sums over paths, and the four equations -----------------
class _Local:
    """A sigmoid network written link by link, for one sample, E = ½Σ(ŷ − y)²: every
    weighted sum z⁽ˡ⁾ⱼ and activation a⁽ˡ⁾ⱼ is a symbol of its own, so SymPy can take
    each *local* derivative (∂z/∂w, ∂a/∂z, ∂z/∂a, ∂E/∂ŷ) by itself; ``nested`` maps
    those symbols back to the whole formula in the weights and inputs, σ left abstract."""

    def __init__(self, sizes):
        base = SymbolicNetwork(sizes, "identity", "half_sse", 1, derive=False)
        self.base, self.W, self.b = base, base.W, base.b
        self.D = D = len(base.W)  # the depth
        self.names = dict(base.latex_names)
        self.x = list(base.X[0, :])
        self.y = list(base.Y[0, :])
        self.z, self.a = (
            [],
            [self.x],
        )  # z[l-1]: symbols of layer l; a[l]: a(l), a(0) = x
        self.z_of = []  # z_of[l-1][j]: z⁽ˡ⁾ⱼ in terms of layer l−1's a symbols
        nested = {}
        below = list(self.x)  # a(l−1) as the whole formula
        for l, (W, b) in enumerate(zip(base.W, base.b), start=1):
            n = W.shape[0]
            zl = [sp.Symbol(f"z{l}_{j}", real=True) for j in range(n)]
            al = [sp.Symbol(f"a{l}_{j}", real=True) for j in range(n)]
            for j in range(n):
                one = n == 1 and l == D
                self.names[zl[j]] = rf"z^{{({l})}}" + ("" if one else f"_{{{j + 1}}}")
                self.names[al[j]] = r"\hat y" if one else rf"a^{{({l})}}_{{{j + 1}}}"
            prev = self.a[-1]
            self.z_of.append(
                [
                    sum(W[j, k] * prev[k] for k in range(len(prev))) + b[j]
                    for j in range(n)
                ]
            )
            full = [
                sum(W[j, k] * below[k] for k in range(len(below))) + b[j]
                for j in range(n)
            ]
            nested.update({zl[j]: full[j] for j in range(n)})
            nested.update({al[j]: _Sigma(full[j]) for j in range(n)})
            below = [_Sigma(v) for v in full]
            self.z.append(zl)
            self.a.append(al)
        self.nested = nested
        self.E_local = sp.Rational(1, 2) * sum(
            (a - t) ** 2 for a, t in zip(self.a[-1], self.y)
        )
        self.E = self.E_local.xreplace(nested)  # the whole formula

    def param(self, flat_name: str) -> tuple[str, int, int, int | None, sp.Symbol]:
        """("w" or "b", layer l, neuron j, input k or None, symbol)."""
        kind, layer, idx = notation.parse(flat_name)
        k = idx[1] if kind == "w" else None
        return kind, layer, idx[0], k, self.base.symbol(flat_name)

    def whole(self, expr):
        """A link-by-link expression as the whole formula (σ′ of nested sums)."""
        return expr.xreplace(self.nested)


def _identical(a, b) -> bool:
    """Two SymPy expressions are equal for every value of every symbol (σ abstract)."""
    return sp.expand(a - b) == 0


@dataclass
class PathSum:
    """∂E/∂θ built by the multivariable chain rule: one product of local derivatives
    for every path from the parameter θ to E, all added.

    ``paths[p]`` is path p's factors in the order blame travels, from ∂E/∂ŷ back to
    ∂z/∂θ; ``through[p]`` the neurons (layer, index) it passes, output first. Each
    factor is SymPy's derivative of one link. ``agrees`` compares the sum with
    SymPy's derivative of the whole formula, as an identity (σ left abstract)."""

    name: str
    tex: str  # the parameter's name, w^{(1)}_{11}
    paths: list[list[sp.Expr]]
    through: list[list[tuple[int, int]]]
    local: _Local

    @property
    def expr(self) -> sp.Expr:
        return sp.Add(*[sp.Mul(*p) for p in self.paths])

    @cached_property
    def total(self) -> sp.Expr:
        """SymPy's derivative of the whole formula E with respect to θ."""
        return sp.diff(self.local.E, self.local.base.symbol(self.name))

    @cached_property
    def agrees(self) -> bool:
        return _identical(self.local.whole(self.expr), self.total)

    def path_latex(self, p: int) -> str:
        return r" \cdot ".join(
            rf"\left({t}\right)" if isinstance(f, sp.Add) else t
            for f, t in (
                (f, sp.latex(f, symbol_names=self.local.names)) for f in self.paths[p]
            )
        )

    def aligned(self, lhs: str, per_line: int = 4) -> str:
        """lhs = path 1 + path 2 + …, each path over lines of ``per_line`` factors."""
        lines = []
        for p in range(len(self.paths)):
            factors = self.path_latex(p).split(r" \cdot ")
            chunks = [
                r" \cdot ".join(factors[i : i + per_line])
                for i in range(0, len(factors), per_line)
            ]
            first = (f"{lhs} &= " if p == 0 else "&+ ") + chunks[0]
            lines += [first] + [rf"&\quad {{}} \cdot {c}" for c in chunks[1:]]
        return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"

    def values(self, net, cache, y, sample: int = 0) -> list[float]:
        """Each path's product, with the numbers of a forward pass."""
        subs = _forward_numbers(self.local, net, cache, y, sample)
        return [float(sp.Mul(*p).xreplace(subs)) for p in self.paths]


def _forward_numbers(local: _Local, net, cache, y, sample: int = 0) -> dict:
    """Every symbol of the link-by-link network → its number in a forward pass
    (σ′(z) from the activation, σ(1 − σ), as the engine computes it)."""
    subs = {s: v for s, v in zip(local.base.param_symbols, net.get_flat())}
    subs.update(
        {s: float(cache.activations[0][sample, k]) for k, s in enumerate(local.x)}
    )
    ys = np.atleast_1d(np.asarray(y, dtype=float)).ravel()
    subs.update({s: float(v) for s, v in zip(local.y, ys)})
    for l, zs in enumerate(local.z, start=1):
        for j, zj in enumerate(zs):
            a_val = float(cache.activations[l][sample, j])
            subs[zj] = float(cache.zs[l - 1][sample, j])
            subs[local.a[l][j]] = a_val
            subs[_SigmaPrime(zj)] = a_val * (1 - a_val)
    return subs


@lru_cache(maxsize=8)
def _local(sizes: tuple) -> _Local:
    return _Local(list(sizes))


def path_sum(sizes, flat_name: str) -> PathSum:
    """∂E/∂θ for one parameter of a sigmoid network as the sum over its paths.

    θ = w⁽ˡ⁾ⱼₖ (or b⁽ˡ⁾ⱼ) reaches E through z⁽ˡ⁾ⱼ, then through every neuron of
    every later layer: a path picks one neuron per layer. Each link's local derivative
    is SymPy's: ∂E/∂ŷ, ∂a/∂z = σ′(z), ∂z⁽ˡ⁺¹⁾ₘ/∂a⁽ˡ⁾ⱼ = w⁽ˡ⁺¹⁾ₘⱼ, ∂z/∂θ."""
    loc = _local(tuple(int(s) for s in sizes))
    kind, l, j, _, theta = loc.param(flat_name)
    D = loc.D
    paths, through = [], []
    later = [range(len(loc.z[m - 1])) for m in range(l + 1, D + 1)]
    for route in _product_of(later):
        neurons = [(l, j)] + [(l + 1 + i, r) for i, r in enumerate(route)]
        (lo, jo) = neurons[-1]
        out_a = loc.a[lo][jo]
        factors = [sp.diff(loc.E_local, out_a)]  # ∂E/∂ŷ
        for (la, ja), (lb, jb) in zip(neurons[::-1], neurons[::-1][1:]):
            z = loc.z[la - 1][ja]
            factors.append(sp.diff(_Sigma(z), z))  # ∂a/∂z = σ′(z)
            factors.append(sp.diff(loc.z_of[la - 1][ja], loc.a[lb][jb]))  # ∂z/∂a
        z = loc.z[l - 1][j]
        factors.append(sp.diff(_Sigma(z), z))
        factors.append(sp.diff(loc.z_of[l - 1][j], theta))  # ∂z/∂θ
        paths.append(factors)
        through.append(neurons[::-1])
    tex = notation.symbol(flat_name, sizes).tex
    return PathSum(flat_name, tex, paths, through, loc)


def _product_of(ranges) -> list[tuple[int, ...]]:
    """Every choice of one entry from each range (one neuron per later layer)."""
    out = [()]
    for r in ranges:
        out = [t + (i,) for t in out for i in r]
    return out


@dataclass
class DerivationStep:
    """One claim of the derivation, checked by SymPy as an identity in every weight,
    bias, input and target (σ left abstract): ``equation`` is the label of the
    chapter's equation, ``where`` the neuron or parameter it was checked for."""

    equation: str
    where: str
    holds: bool


@cache
def derivation_steps(sizes: tuple) -> list[DerivationStep]:
    """SymPy re-derives the four equations of backprop for a sigmoid network.

    δ⁽ˡ⁾ⱼ is SymPy's own ∂E/∂z⁽ˡ⁾ⱼ, with E written as a function of layer l's
    weighted sums. Then, for every neuron and parameter:
    bp-output: δ⁽ᴰ⁾ⱼ = (a⁽ᴰ⁾ⱼ − yⱼ) σ′(z⁽ᴰ⁾ⱼ);
    bp-hidden: δ⁽ˡ⁾ⱼ = (Σₘ w⁽ˡ⁺¹⁾ₘⱼ δ⁽ˡ⁺¹⁾ₘ) σ′(z⁽ˡ⁾ⱼ);
    bp-weights: ∂E/∂w⁽ˡ⁾ⱼₖ = δ⁽ˡ⁾ⱼ a⁽ˡ⁻¹⁾ₖ;  bp-biases: ∂E/∂b⁽ˡ⁾ⱼ = δ⁽ˡ⁾ⱼ."""
    loc = _local(tuple(int(s) for s in sizes))
    D, W, b, ys = loc.D, loc.W, loc.b, loc.y
    zs = [sp.Matrix(z) for z in loc.z]  # zs[l-1]: layer l's weighted sums as symbols

    def E_from(l):  # E as a function of layer l's weighted sums
        a = zs[l - 1].applyfunc(_Sigma)
        for Wm, bm in zip(W[l:], b[l:]):
            a = (Wm * a + bm).applyfunc(_Sigma)
        return sp.Rational(1, 2) * sum((a[o] - ys[o]) ** 2 for o in range(len(ys)))

    delta = {l: [sp.diff(E_from(l), z) for z in zs[l - 1]] for l in range(1, D + 1)}
    steps = []
    for j, z in enumerate(zs[D - 1]):
        claim = (_Sigma(z) - ys[j]) * _SigmaPrime(z)
        steps.append(
            DerivationStep(
                "bp-output",
                layer_name(D, j, "δ", len(ys)),
                _identical(delta[D][j], claim),
            )
        )
    for l in range(D - 1, 0, -1):
        above = W[l] * zs[l - 1].applyfunc(_Sigma) + b[l]  # z(l+1) from z(l)
        back = {zs[l][m]: above[m] for m in range(len(above))}
        for j, z in enumerate(zs[l - 1]):
            total = sum(
                W[l][m, j] * delta[l + 1][m].xreplace(back)
                for m in range(W[l].shape[0])
            )
            steps.append(
                DerivationStep(
                    "bp-hidden",
                    layer_name(l, j, "δ"),
                    _identical(delta[l][j], total * _SigmaPrime(z)),
                )
            )
    for l in range(1, D + 1):
        whole = {zs[l - 1][j]: loc.nested[zs[l - 1][j]] for j in range(len(zs[l - 1]))}
        for name in _layer_params(W[l - 1], b[l - 1]):
            kind, _, j, k, theta = loc.param(name)
            rate = sp.diff(loc.E, theta)
            d = delta[l][j].xreplace(whole)
            claim = d * loc.whole(loc.a[l - 1][k]) if kind == "w" else d
            equation = "bp-weights" if kind == "w" else "bp-biases"
            label = notation.symbol(name, sizes).text
            steps.append(DerivationStep(equation, label, _identical(rate, claim)))
    return steps


def _layer_params(W: sp.Matrix, b: sp.Matrix) -> list[str]:
    return [s.name for s in list(W) + list(b)]


def layer_name(l: int, j: int, kind: str, n: int = 2) -> str:
    """δ⁽²⁾₁ for (2, 0, "δ"); a layer of one neuron (``n`` = 1) drops the index: δ⁽³⁾."""
    return notation.layer_symbol(kind, l, j if n > 1 else None)
