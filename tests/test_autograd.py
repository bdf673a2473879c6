"""book_utils.autograd: the chain rule on a recorded graph agrees with the engine and SymPy."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from book_utils import Network
from book_utils.autograd import Value, neuron_graph


def test_seed002_loss_backward_gives_minus_twenty():
    w, x, y = Value(2.0, "w"), Value(5.0, "x"), Value(12.0, "y")
    loss = (y - w * x) ** 2
    loss.backward()
    assert loss.data == 4.0 and w.grad == -20.0 and x.grad == -8.0


finite = st.floats(-3, 3, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(finite, finite, finite, st.floats(0, 1))
def test_one_neuron_graph_matches_the_engine(w, b, x, y):
    graph = neuron_graph(w, b, x, y)
    graph["E"].backward()
    E, grads, _ = Network([[w]], [[b]], "sigmoid").loss_and_gradients(
        [[x]], [[y]], "half_sse"
    )
    assert graph["E"].data == pytest.approx(E, rel=1e-12, abs=1e-15)
    assert graph["w"].grad == pytest.approx(grads.dW[0].item(), rel=1e-10, abs=1e-14)
    assert graph["b"].grad == pytest.approx(grads.db[0].item(), rel=1e-10, abs=1e-14)


OPS = ["add", "sub", "mul", "div", "square", "exp", "log", "tanh", "sigmoid", "neg"]


@st.composite
def expressions(draw, depth=4):
    """A random formula of a, b, c, built twice: with Values and with SymPy."""
    a, b, c = (draw(st.floats(-1.5, 1.5, allow_nan=False)) for _ in range(3))
    values = [Value(a, "a"), Value(b, "b"), Value(c, "c")]
    symbols = list(sp.symbols("a b c", real=True))
    pool = list(zip(values, symbols))
    for _ in range(draw(st.integers(1, depth))):
        op = draw(st.sampled_from(OPS))
        (v1, s1), (v2, s2) = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        if op == "add":
            pool.append((v1 + v2, s1 + s2))
        elif op == "sub":
            pool.append((v1 - v2, s1 - s2))
        elif op == "mul":
            pool.append((v1 * v2, s1 * s2))
        elif op == "div":
            if abs(v2.data) < 0.2:
                continue
            pool.append((v1 / v2, s1 / s2))
        elif op == "square":
            pool.append((v1**2, s1**2))
        elif op == "exp":
            pool.append((v1.exp(), sp.exp(s1)))
        elif op == "log":
            if v1.data < 0.2:  # log only where it is defined and well-conditioned
                continue
            pool.append((v1.log(), sp.log(s1)))
        elif op == "tanh":
            pool.append((v1.tanh(), sp.tanh(s1)))
        elif op == "sigmoid":
            pool.append((v1.sigmoid(), 1 / (1 + sp.exp(-s1))))
        else:
            pool.append((-v1, -s1))
    out_v, out_s = pool[-1]
    return out_v, out_s, values, symbols, (a, b, c)


@settings(max_examples=120, deadline=None)
@given(expressions())
def test_random_formulas_match_sympy(case):
    out_v, out_s, values, symbols, point = case
    out_v.backward()
    at = dict(zip(symbols, point))
    assert out_v.data == pytest.approx(float(out_s.subs(at)), rel=1e-9, abs=1e-12)
    for v, s in zip(values, symbols):
        exact = float(sp.diff(out_s, s).subs(at))
        grad = v.grad if v in out_v.graph() else 0.0
        assert grad == pytest.approx(exact, rel=1e-8, abs=1e-10)


APPLY = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu,
         "identity": lambda v: v}  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 4), min_size=2, max_size=4),
    st.sampled_from(sorted(APPLY)),
    st.integers(0, 10_000),
)
def test_small_networks_built_from_values_match_the_engine(sizes, activation, seed):
    """Random layer sizes and activations: every ∂E/∂W and ∂E/∂b from the recorded
    graph equals the engine's backward pass."""
    rng = np.random.default_rng(seed)
    net = Network.random(sizes, activation, seed=rng)
    for b in net.biases:
        b[:] = rng.normal(size=b.shape)
    x, y = rng.normal(size=sizes[0]), rng.normal(size=sizes[-1])
    cache = net.forward([x])
    if activation == "relu" and any(np.any(np.abs(z) < 1e-9) for z in cache.zs):
        return  # exactly on ReLU's corner the two may pick different sides
    Ws = [[[Value(v) for v in row] for row in W] for W in net.weights]
    bs = [[Value(v) for v in b] for b in net.biases]
    a = [Value(v) for v in x]
    for W, b in zip(Ws, bs):
        a = [APPLY[activation](sum((w * ai for w, ai in zip(row, a)), bj))
             for row, bj in zip(W, b)]  # fmt: skip
    E = sum(((out - t).half_squared() for out, t in zip(a, y)), Value(0.0))
    E.backward()
    _, grads, _ = net.loss_and_gradients([x], [y], "half_sse")
    assert E.data == pytest.approx(net.loss([x], [y], "half_sse"), rel=1e-12)
    for l, (W, b) in enumerate(zip(Ws, bs)):
        np.testing.assert_allclose([[w.grad for w in row] for row in W], grads.dW[l],
                                   rtol=1e-9, atol=1e-12)  # fmt: skip
        np.testing.assert_allclose([v.grad for v in b], grads.db[l], rtol=1e-9,
                                   atol=1e-12)  # fmt: skip


def test_a_value_used_twice_collects_both_contributions():
    x = Value(3.0, "x")
    y = x * x + x  # dy/dx = 2x + 1 = 7
    y.backward()
    assert x.grad == 7.0
    y.backward()  # a second backward starts afresh
    assert x.grad == 7.0


def test_bad_values_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="finite number"):
        Value(math.inf)
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match="cannot compute with str"):
        Value(1.0) + "2"
    with pytest.raises(ValueError, match="only a number can be an exponent"):
        Value(2.0) ** Value(3.0)


def test_multiplication_and_the_sigmoid_record_their_local_derivatives():
    a, b = Value(3.0), Value(-2.0)
    product = a * b
    assert product.inputs == (a, b) and product.local == (-2.0, 3.0)  # swapped
    s = a.sigmoid()
    sigma = 1 / (1 + math.exp(-3.0))
    assert s.local[0] == pytest.approx(sigma * (1 - sigma), rel=1e-15)  # its slope
    total = a + b
    assert total.local == (1.0, 1.0)  # passes the gradient on unchanged


def overwriting_backward(out):
    """Value.backward with = where it has +=: the bug Chapter 4 catches."""
    order = out.graph()
    for v in order:
        v.grad = 0.0
    out.grad = 1.0
    for v in reversed(order):
        for inp, local in zip(v.inputs, v.local):
            inp.grad = local * v.grad


def test_overwriting_instead_of_adding_is_caught_by_the_gradient_checker():
    from book_utils import gradcheck, notation

    grads = []
    for run in (overwriting_backward, Value.backward):
        x = Value(3.0, "x")
        f = x * x
        run(f)
        grads.append(x.grad)
    assert grads == [3.0, 6.0]
    numeric = gradcheck.difference(lambda t: t * t, 3.0)
    table = gradcheck.compare(
        ["=", "+="], [notation.Symbol(s, s, s) for s in ("=", "+=")], grads,
        [numeric, numeric], f_value=9.0)  # fmt: skip
    assert [r.verdict for r in table.rows] == ["wrong", "good"]
    assert not table.passed and "MISMATCH" in table.summary()


def test_the_overwriting_bug_hides_where_no_value_is_used_twice():
    right, wrong = neuron_graph(0.5, -1.0, 2.0, 0.8), neuron_graph(0.5, -1.0, 2.0, 0.8)
    right["E"].backward()
    overwriting_backward(wrong["E"])
    assert all(right[k].grad == wrong[k].grad for k in right)


def test_the_fan_out_graph_matches_sympy():
    from book_utils.autograd import fan_out_graph

    x, w1, w2 = sp.symbols("x w1 w2", real=True)
    f = 1 / (1 + sp.exp(-(w1 * x + w2 * x)))
    at = {x: 3.0, w1: 0.5, w2: -0.25}
    graph = fan_out_graph(3.0, 0.5, -0.25)
    graph["f"].backward()
    for name, s in (("x", x), ("w₁", w1), ("w₂", w2)):
        assert graph[name].grad == pytest.approx(
            float(sp.diff(f, s).subs(at)), rel=1e-12
        )


def test_the_value_op_checker_judges_tanh_by_finite_differences():
    from book_utils import exercises

    def op(slope):
        def my_tanh(v):
            t = math.tanh(v.data)
            return Value(t, "", (v,), "tanh", (slope(t, v.data),))

        return my_tanh

    assert exercises.check_value_op(op(lambda t, z: 1 - t * t)).passed
    assert exercises.check_value_op(lambda v: v.tanh()).passed
    for slope, hint in (
        (lambda t, z: t, "tanh itself"),
        (lambda t, z: 1 - t, "Square it"),
        (lambda t, z: 1 + t * t, "sign"),
        (lambda t, z: z, "the input"),
        (lambda t, z: 0.0, "central differences of tanh give"),
    ):
        said = exercises.check_value_op(op(slope))
        assert not said.passed and hint in said.message
    assert "ZeroDivisionError" in exercises.check_value_op(lambda v: 1 / 0).message
    assert "not float" in exercises.check_value_op(lambda v: math.tanh(v.data)).message
