"""Automatic differentiation on scalars: what `loss.backward()` does, in a few lines.

A ``Value`` holds a number and remembers how it was made: from which values
(its *inputs*) by which operation, and the *local derivative* of the result with
respect to each input. Computing with Values records a graph. ``backward()`` then
walks that graph from the end back to the start, in reverse topological order,
and applies the chain rule at every node:

    grad(input) += local derivative × grad(output)

which is backpropagation on any formula, not only on layered networks. The design
follows Karpathy's micrograd, with the local derivatives stored on the edges so
the book can draw them.

    >>> w, x, y = Value(2.0, "w"), Value(5.0, "x"), Value(12.0, "y")
    >>> loss = (y - w * x) ** 2
    >>> loss.backward()
    >>> w.grad
    -20.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable

Number = int | float


class Value:
    """A scalar in a recorded computation: ``data``, ``grad`` (∂ output/∂ this, after
    ``backward``), and the edges back to its inputs with their local derivatives."""

    def __init__(
        self, data: Number, label: str = "", inputs=(), op: str = "", local=()
    ):
        data = float(data)
        if not math.isfinite(data):
            raise ValueError(f"a Value must be a finite number, got {data!r}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = op  # the operation that made it ("" for an input)
        self.inputs: tuple[Value, ...] = tuple(inputs)
        self.local: tuple[float, ...] = tuple(local)  # ∂ self / ∂ input, one per input

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:g}, grad={self.grad:g})"

    # ----- operations: each returns a new Value and its local derivatives ------------
    def __add__(self, other) -> Value:
        other = _value(other)
        return Value(self.data + other.data, "", (self, other), "+", (1.0, 1.0))

    def __mul__(self, other) -> Value:
        other = _value(other)
        product = self.data * other.data
        # ∂(self·other)/∂self = other, ∂(self·other)/∂other = self: swapped
        return Value(product, "", (self, other), "×", (other.data, self.data))

    def __pow__(self, k: Number) -> Value:
        if not isinstance(k, int | float):
            raise ValueError(
                f"only a number can be an exponent here, got {type(k).__name__}"
            )
        return Value(self.data**k, "", (self,), f"^{k:g}", (k * self.data ** (k - 1),))

    def __neg__(self) -> Value:
        return Value(-self.data, "", (self,), "−", (-1.0,))

    def __sub__(self, other) -> Value:
        other = _value(other)
        return Value(self.data - other.data, "", (self, other), "−", (1.0, -1.0))

    def __truediv__(self, other) -> Value:
        return self * _value(other) ** -1

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other) -> Value:
        return _value(other) - self

    def __rtruediv__(self, other) -> Value:
        return _value(other) * self**-1

    def exp(self) -> Value:
        e = math.exp(self.data)
        return Value(e, "", (self,), "exp", (e,))

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data:g}")
        return Value(math.log(self.data), "", (self,), "log", (1 / self.data,))

    def sigmoid(self) -> Value:
        s = 0.5 * (1 + math.tanh(0.5 * self.data))  # σ(z), never overflows
        # the local derivative is the slope σ′(z) = σ(z)(1 − σ(z))
        return Value(s, "", (self,), "σ", (s * (1 - s),))

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return Value(t, "", (self,), "tanh", (1 - t * t,))

    def relu(self) -> Value:
        return Value(max(self.data, 0.0), "", (self,), "ReLU", (float(self.data > 0),))

    def half_squared(self) -> Value:
        """½·v²: the book's error E = ½(ŷ − y)² of one residual; its derivative is v."""
        return Value(0.5 * self.data**2, "", (self,), "½(·)²", (self.data,))

    def named(self, label: str) -> Value:
        """Give this value a name for the drawings (returns itself)."""
        self.label = label
        return self

    # ----- the backward pass -------------------------------------------------------------
    def graph(self) -> list[Value]:
        """Every value this one depends on, each after all of its inputs (topological
        order): the order a forward pass computes them."""
        order, seen = [], set()

        def visit(v: Value) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for inp in v.inputs:
                    visit(inp)
                order.append(v)

        visit(self)
        return order

    def backward(self) -> list[Value]:
        """Fill ``grad`` of every value in the graph with ∂ self / ∂ value.

        Walks the graph backwards (reverse topological order), so a value's
        grad is complete before it is passed on to its inputs. Returns the
        values in the order they were visited. Every grad starts again from 0:
        unlike PyTorch's ``.grad``, nothing accumulates across calls.
        """
        order = self.graph()
        for v in order:
            v.grad = 0.0
        self.grad = 1.0  # ∂ self / ∂ self
        visited = list(reversed(order))
        for v in visited:
            for inp, local in zip(v.inputs, v.local):
                # the chain rule on one edge; += adds the paths up
                inp.grad += local * v.grad
        return visited


def _value(x) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, int | float):
        return Value(x)
    raise ValueError(f"cannot compute with {type(x).__name__}: use numbers or Values")


def values(numbers: Iterable[Number], prefix: str) -> list[Value]:
    """Named inputs: values([2, 5], "x") → [Value(x1=2), Value(x2=5)]."""
    return [Value(n, f"{prefix}{i}") for i, n in enumerate(numbers, start=1)]


def neuron_graph(w: float, b: float, x: float, y: float) -> dict[str, Value]:
    """The computational graph of one sigmoid neuron and its error, named as the book
    names it: x, w, b → w·x → z = w·x + b → a = σ(z) → a − y → E = ½(a − y)²."""
    W, B, X, Y = Value(w, "w"), Value(b, "b"), Value(x, "x"), Value(y, "y")
    wx = (W * X).named("w·x")
    z = (wx + B).named("z")
    a = z.sigmoid().named("a")
    r = (a - Y).named("a − y")
    E = r.half_squared().named("E")
    return {
        "w": W,
        "b": B,
        "x": X,
        "y": Y,
        "w·x": wx,
        "z": z,
        "a": a,
        "a − y": r,
        "E": E,
    }


def fan_out_graph(
    x: float = 3.0, w1: float = 0.5, w2: float = -0.25
) -> dict[str, Value]:
    """The smallest graph in which a value is used twice: x feeds two products,
    which meet again in a sum z, and a sigmoid makes the output,
    f = σ(z) = σ(w₁·x + w₂·x). Backward, two gradients arrive at x and add:
    ∂f/∂x = w₁·σ′(z) + w₂·σ′(z)."""
    X, W1, W2 = Value(x, "x"), Value(w1, "w₁"), Value(w2, "w₂")
    p1 = (W1 * X).named("w₁·x")
    p2 = (W2 * X).named("w₂·x")
    z = (p1 + p2).named("z")
    f = z.sigmoid().named("f")
    return {"x": X, "w₁": W1, "w₂": W2, "w₁·x": p1, "w₂·x": p2, "z": z, "f": f}
