"""Finite-difference gradients and the book's verdict on a gradient.

Central differences: ∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / 2h, with h = 1e-6
in float64. The relative error is CS231n's |a − n| / max(1e-8, |a| + |n|).

This module is the one place that judges a gradient: ``verdict`` (with the noise
floor below which a difference is round-off), and the ``GradientTable`` every
gradient table of the book is made of — two ways (an analytic gradient against
finite differences) or three (SymPy beside them, built by ``symbolic``).
"""

from __future__ import annotations

import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .html_tables import gradient_table_html
from .notation import Symbol, symbol
from .prose import fmt_number, sci

H = 1e-6  # step for central differences
GOOD = 1e-7  # relative error at or below this is "good"
SUSPECT = 1e-4  # above GOOD and up to this is "suspect"; beyond it, "wrong"
EPS = float(np.finfo(float).eps)  # 2.2e-16: the spacing of float64 numbers near 1
# the verdicts that pass (a kink is flagged, not failed)
PASSING = (
    "good",
    "near kink",
)


def difference(
    f: Callable[[float], float], x: float, h: float = H, method: str = "central"
) -> float:
    """The finite-difference estimate of f′(x), the definition of a derivative with h > 0.

    forward: (f(x + h) − f(x)) / h, off by about h·f″/2 (truncation) and ε|f|/h
    (round-off); central: (f(x + h) − f(x − h)) / 2h, off by about h²·f‴/6 and ε|f|/h.
    ``x`` may be an array when f works entry by entry (an activation): then every
    entry gets its own difference.
    """
    h = float(h)
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"the step h must be a finite number > 0, got {h!r}")
    if method == "forward":
        return (f(x + h) - f(x)) / h
    if method == "central":
        return (f(x + h) - f(x - h)) / (2 * h)
    raise ValueError(f"unknown method {method!r}; valid names are: forward, central")


def step_size_sweep(f, derivative, xs, hs) -> dict[str, np.ndarray]:
    """How far each finite difference lands from the exact derivative, for every step h.

    f: x ↦ f(x) and derivative: x ↦ f′(x) (exact, e.g. from SymPy), at every point of
    ``xs``. Returns {"forward": errors, "central": errors}, one root-mean-square error
    over the points per h: the measured V of truncation against round-off.
    """
    exact = np.array([derivative(x) for x in xs])
    out = {}
    for method in ("forward", "central"):
        errs = [
            np.sqrt(
                np.mean(
                    [(difference(f, x, h, method) - d) ** 2 for x, d in zip(xs, exact)]
                )
            )
            for h in hs
        ]
        out[method] = np.array(errs)
    return out


def best_step(hs, errors) -> tuple[float, float]:
    """The step with the smallest measured error, and that error."""
    i = int(np.argmin(errors))
    return float(hs[i]), float(errors[i])


def numerical_gradient(
    f: Callable[[], float], x: np.ndarray, h: float = H, method: str = "central"
) -> np.ndarray:
    """Finite-difference gradient of ``f()`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x`` (e.g. a network's weight matrix);
    each entry of ``x`` is nudged in place and restored afterwards, even on error.
    ``method`` is "central" (the book's checks) or "forward" (to recognise it).
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(
            "numerical_gradient needs a float64 numpy array to nudge in place"
        )
    if method not in ("central", "forward"):
        raise ValueError(
            f"unknown method {method!r}; valid names are: forward, central"
        )
    grad = np.zeros_like(x)
    f_x = f() if method == "forward" else None
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = f()
            if method == "forward":
                grad[idx] = (f_plus - f_x) / h
                continue
            x[idx] = old - h
            f_minus = f()
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, n) -> np.ndarray:
    """|a − n| / max(1e-8, |a| + |n|), entry by entry."""
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    if a.shape != n.shape:
        raise ValueError(f"cannot compare gradients of shapes {a.shape} and {n.shape}")
    return np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))


def noise_floor(f_value: float, h: float = H) -> float:
    """An absolute difference this small is round-off, not a bug.

    Central differences lose about ε·|f|/h to rounding (ε ≈ 2.2e-16); we allow a
    generous 50× that, so a gradient that is truly ~0 is not called wrong.
    """
    return 50 * np.finfo(float).eps * max(1.0, abs(f_value)) / h


def verdict(
    rel_err: float, abs_err: float = np.inf, floor: float = 0.0, near_kink: bool = False
) -> str:
    """'good', 'suspect', 'wrong' — or 'near kink' (flagged, never failed)."""
    if near_kink:
        return "near kink"
    if rel_err <= GOOD or abs_err <= floor:
        return "good"
    if rel_err <= SUSPECT:
        return "suspect"
    return "wrong"


def passes(judged: str) -> bool:
    """True for a verdict that passes: "good", or "near kink" (flagged, not failed)."""
    return judged in PASSING


@dataclass
class CheckResult:
    """Analytic vs numeric gradient of one parameter array."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: np.ndarray
    floor: float
    near_kink: bool

    @property
    def max_rel_error(self) -> float:
        return float(self.rel_error.max()) if self.rel_error.size else 0.0

    @property
    def max_abs_error(self) -> float:
        return (
            float(np.abs(self.analytic - self.numeric).max())
            if self.analytic.size
            else 0.0
        )

    @property
    def verdict(self) -> str:
        return verdict(
            self.max_rel_error, self.max_abs_error, self.floor, self.near_kink
        )

    @property
    def passed(self) -> bool:
        return passes(self.verdict)


def check_gradient(
    f: Callable[[], float],
    x: np.ndarray,
    analytic,
    name: str = "θ",
    h: float = H,
    near_kink: bool = False,
) -> CheckResult:
    """Compare an analytic gradient of ``f()`` w.r.t. ``x`` with central differences."""
    analytic = np.asarray(analytic, dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(
            f"analytic gradient has shape {analytic.shape} but {name} has shape {x.shape}"
        )
    numeric = numerical_gradient(f, x, h)
    return CheckResult(
        name,
        analytic,
        numeric,
        relative_error(analytic, numeric),
        noise_floor(f(), h),
        near_kink,
    )


def near_kink(net, X, h: float = H) -> bool:
    """True if some pre-activation z of a ReLU-like layer is within reach of a nudge h.

    Nudging one parameter by h moves a z by roughly h·(1 + Σ|a_prev|), amplified by
    up to max|w| per layer on the way; we flag any z closer to 0 than 10× that bound.
    Such a point can straddle the corner, where finite differences mean nothing.
    """
    w_max = max(1.0, max(float(np.abs(W).max()) for W in net.weights))
    cache = net.forward(X)
    for l, act in enumerate(net.activations):
        if act.kink:
            reach = (
                10
                * h
                * (1 + np.abs(cache.activations[l]).sum(axis=1).max())
                * w_max**net.n_layers
            )
            if np.min(np.abs(cache.zs[l])) < reach:
                return True
    return False


def check_network(net, X, Y, loss: str = "half_sse", h: float = H) -> list[CheckResult]:
    """Backprop vs finite differences for every parameter array of ``net``."""
    _, grads, _ = net.loss_and_gradients(X, Y, loss)
    kink = near_kink(net, X, h)
    f = lambda: net.loss(X, Y, loss)  # noqa: E731
    return [
        check_gradient(f, p, grads.by_name()[name], name, h, kink)
        for name, p in net.params().items()
    ]


def _error_text(value: float) -> str:
    """A relative error as a summary writes it: 0.33 or 1 plainly, 7 × 10⁻¹¹ below."""
    if value == 0 or value >= 1e-2:
        return fmt_number(value, ".2g")
    return str(sci(value, 2))


@dataclass
class GradientRow:
    """One gradient entry, judged: the analytic value (``backprop``, or a formula's),
    finite differences, and SymPy's exact value where there is one."""

    name: str  # the engine's name for the entry, "W1[0,0]"
    label: Symbol  # the book's name for it, w⁽¹⁾₁₁
    symbolic: float | None
    backprop: float
    numeric: float
    rel_error: float  # worst of the comparisons with backprop, relative
    verdict: str

    @property
    def latex(self) -> str:
        return self.label.tex

    @property
    def passed(self) -> bool:
        return passes(self.verdict)


def judge(
    name: str,
    label: Symbol,
    analytic: float,
    numeric: float,
    floor: float,
    near_kink: bool = False,
    exact: float | None = None,
) -> GradientRow:
    """Judge one entry: the analytic gradient against finite differences, and against
    SymPy's ``exact`` value when given; the worst comparison decides the verdict."""
    others = [numeric] if exact is None else [exact, numeric]
    worst = max(float(relative_error(o, analytic)) for o in others)
    abs_err = max(abs(o - analytic) for o in others)
    return GradientRow(
        name,
        label,
        None if exact is None else float(exact),
        float(analytic),
        float(numeric),
        worst,
        verdict(worst, abs_err, floor, near_kink),
    )


@dataclass
class GradientTable:
    """A gradient check, two ways or three; displays as an HTML table in Jupyter and
    in the book (``html_tables.gradient_table_html``).

    ``rows`` holds every entry checked; ``shown`` (names) picks the rows to display,
    while the verdict underneath always covers all of them.
    """

    rows: list[GradientRow]
    of: str  # what is differentiated: "E", "L" or "ŷ"
    near_kink: bool
    method: str = "backprop"  # the analytic column: backprop, or a formula's
    title: str = ""  # the caption; by default "∂E/∂θ three ways"
    row_header: str = "parameter"
    shown: list[str] | None = None

    @property
    def three_way(self) -> bool:
        """True when SymPy's exact values are a column of their own."""
        return any(r.symbolic is not None for r in self.rows)

    @property
    def caption(self) -> str:
        ways = "three ways" if self.three_way else "two ways"
        return self.title or f"∂{self.of}/∂θ {ways}"

    @property
    def max_rel_error(self) -> float:
        return max(r.rel_error for r in self.rows)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.rows)

    @property
    def visible_rows(self) -> list[GradientRow]:
        if self.shown is None:
            return self.rows
        return [r for r in self.rows if r.name in self.shown]

    def summary(self) -> str:
        """One line on all rows: do the methods agree, and how closely. Rows flagged
        at a kink are named apart, and said to disagree where they do."""
        n = len(self.rows)
        what = {1: "gradient", 2: "gradients"}.get(n, f"{n} gradients")
        if not self.passed:
            bad = [r.label.text for r in self.rows if not r.passed]
            worst = f"largest relative error {_error_text(self.max_rel_error)}"
            return f"MISMATCH in {', '.join(bad)}: a gradient is wrong ({worst})"
        if self.three_way:
            methods = f"SymPy, {self.method} and finite differences"
        else:
            methods = (
                f"{self.method[0].upper()}{self.method[1:]} and finite differences"
            )
        split = [
            r for r in self.rows if r.verdict == "near kink" and r.rel_error > GOOD
        ]
        rest = [r for r in self.rows if r not in split]
        if not split:
            which = {1: "the", 2: "both"}.get(n, "all")
            worst = f"largest relative error {_error_text(self.max_rel_error)}"
            kink = "; a point near a ReLU kink is flagged" if self.near_kink else ""
            return f"{methods} agree on {which} {what} ({worst}){kink}"

        def named(rows, many):
            return " and ".join(r.label.text for r in rows) if len(rows) <= 4 else many

        names = named(split, f"{len(split)} of them")
        corner = "the slopes on either side of the corner differ"
        if not rest:
            return (
                f"{methods} disagree at a kink: flagged, not failed ({corner}; "
                f"largest relative error {_error_text(self.max_rel_error)})"
            )
        worst = f"largest relative error {_error_text(max(r.rel_error for r in rest))}"
        others = named(rest, f"the other {len(rest)}")
        return (
            f"{methods} agree on {others} ({worst}); on {names} "
            f"they disagree at a kink, where {corner}: flagged, not failed"
        )

    def _repr_html_(self) -> str:
        return gradient_table_html(self)

    def _repr_markdown_(self) -> str:
        sym = ["SymPy"] if self.three_way else []
        head = [
            self.row_header,
            *sym,
            self.method,
            "finite difference",
            "relative error",
        ]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.visible_rows:
            cells = [f"${r.latex}$"] + ([f"{r.symbolic:.10g}"] if sym else [])
            cells += [f"{r.backprop:.10g}", f"{r.numeric:.10g}", f"{r.rel_error:.1e}"]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._repr_markdown_()


def compare(
    names: Sequence[str],
    labels: Sequence[Symbol],
    analytic,
    numeric,
    f_value: float,
    h: float = H,
    near_kink: bool = False,
    title: str = "",
    of: str = "L",
) -> GradientTable:
    """Two ways: an analytic gradient (backprop) against finite differences, entry by
    entry, judged by the book's one verdict (relative error, and the noise floor of
    ``f_value``, the value of the function differentiated)."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    if analytic.shape != numeric.shape or len(names) != analytic.size:
        raise ValueError(
            f"{len(names)} names for gradients of shapes {analytic.shape} and "
            f"{numeric.shape}: they must match"
        )
    floor = noise_floor(f_value, h)
    rows = [
        judge(name, label, a, n, floor, near_kink)
        for name, label, a, n in zip(names, labels, analytic.ravel(), numeric.ravel())
    ]
    return GradientTable(rows, of, near_kink, title=title)


def judge_network(
    net, X, loss_now: Callable[[], float], analytic, exact, names=None, h: float = H
) -> tuple[list[GradientRow], bool, list[str] | None]:
    """Every parameter of ``net`` judged three ways: ``exact`` (SymPy) | ``analytic``
    (backprop) | central differences of ``loss_now()``, the loss at the network's
    current parameters. Returns (rows, near a kink?, the rows to show): ``names``
    picks the rows shown, as in ``net.flat_names()``; every parameter is checked."""
    all_names = net.flat_names()
    unknown = sorted(set(names or []) - set(all_names))
    if unknown:
        raise ValueError(
            f"unknown parameter entries {unknown}; valid: {', '.join(all_names)}"
        )
    theta = net.get_flat()

    def value() -> float:
        net.set_flat(theta)
        return loss_now()

    numeric = numerical_gradient(value, theta, h)
    floor = noise_floor(value(), h)  # value() also puts the parameters back
    kink = near_kink(net, X, h)
    rows = [
        judge(n, symbol(n, net.sizes), analytic[i], numeric[i], floor, kink, exact[i])
        for i, n in enumerate(all_names)
    ]
    return rows, kink, list(names) if names else None


@dataclass
class GradientTimes:
    """Seconds, best of several runs: one forward pass; every gradient by backprop
    (a forward and a backward pass); every gradient by central differences (two
    forward passes per parameter)."""

    forward: float
    backprop: float
    finite_differences: float

    def in_forward_passes(self) -> tuple[float, float]:
        """(backprop, finite differences), each in units of one forward pass."""
        return self.backprop / self.forward, self.finite_differences / self.forward


def _best_time(fn, repeats: int) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeats))


def time_gradients(
    net, X, Y, loss: str = "half_sse", repeats: int = 5
) -> GradientTimes:
    """How long every gradient of ``net`` at (X, Y) takes, by backprop and by central
    differences, and how long one forward pass takes, timed the same way: each the
    best of ``repeats`` runs (the short forward pass of 5 × ``repeats``), so that a
    moment of load elsewhere is not counted. The finite differences nudge the network's
    own parameter arrays in place, so each costs exactly two forward passes and
    nothing else. Timings only confirm the counts of ``book_utils.cost``."""

    def finite_differences():
        for p in net.params().values():
            numerical_gradient(lambda: net.loss(X, Y, loss), p)

    return GradientTimes(
        forward=_best_time(lambda: net.loss(X, Y, loss), 5 * repeats),
        backprop=_best_time(lambda: net.loss_and_gradients(X, Y, loss), repeats),
        finite_differences=_best_time(finite_differences, repeats),
    )
