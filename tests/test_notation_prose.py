"""The book's spelling of symbols and numbers: one name per symbol, real minus signs."""

import pytest

from book_utils import notation, prose


@pytest.mark.parametrize(
    "name, sizes, text, tex",
    [("W1[0,2]", [3, 3, 2, 1], "w⁽¹⁾₁₃", "w^{(1)}_{13}"),
     ("b3[0]", [3, 3, 2, 1], "b⁽³⁾₁", "b^{(3)}_{1}"),
     ("W1[0,0]", [1, 1], "w", "w"),
     ("b1[0]", [1, 1], "b", "b"),
     ("W1[0,1]", [3, 1], "w₂", "w_{2}"),
     ("W2[1,0]", [2, 2, 2], "w⁽²⁾₂₁", "w^{(2)}_{21}")],
)  # fmt: skip
def test_parameter_names(name, sizes, text, tex):
    s = notation.symbol(name, sizes)
    assert (s.text, s.tex) == (text, tex)
    assert s.html.startswith("<i>")


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match="not a parameter entry"):
        notation.symbol("W1", [2, 1])
    with pytest.raises(ValueError, match="layers 1 … 1"):
        notation.symbol("W2[0,0]", [2, 1])


def test_numbers_in_prose_use_a_real_minus_and_never_minus_zero():
    assert prose.num(-20) == "−20" and repr(prose.num(-20)) == "−20"
    assert prose.num(3.5e-7, ".1e") == "3.5e−07"
    assert prose.num(-0.0001, ".2f") == "0.00"
    assert prose.num(0.77, ".2f") == "0.77"
    assert notation.layer_symbol("δ", 2, 0) == "δ⁽²⁾₁"


def test_parameters_described_in_words():
    sizes = [3, 3, 2, 1]
    assert notation.describe("b3[0]", sizes) == "the bias of the output neuron"
    assert (
        notation.describe("W1[2,1]", sizes)
        == "the weight from input 2 to neuron 3 of hidden layer 1"
    )
    assert notation.describe("W3[0,1]", sizes) == (
        "the weight from neuron 2 of hidden layer 2 to the output neuron"
    )


def test_large_ratios_are_rounded_for_reading():
    assert prose.about(2349) == "2,300" and prose.about(-12345678) == "−12,000,000"
    assert prose.about(0.473) == "0.47" and prose.about(99) == "99"


def test_scientific_notation_in_prose():
    assert prose.sci(6.2e-6) == "6 × 10⁻⁶" and prose.sci(1e-8) == "10⁻⁸"
    assert prose.sci(-2.5e3, 2) == "−2.5 × 10³"


def test_long_sums_are_written_one_term_per_line():
    import sympy as sp

    from book_utils.symbolic import SymbolicNetwork

    batch = SymbolicNetwork([1, 1], "identity", "mse", n_samples=3)
    tex = batch.latex_lines("L", batch.loss_expr)
    assert tex.startswith(r"\begin{aligned} L &=") and tex.count(r"\\") == 2
    assert tex.count("&+") == 2 and "x_{c}" in tex
    assert "&-" in batch.latex_lines("L", 1 - batch.loss_expr)
    assert sp.Add.make_args(batch.loss_expr)  # three terms, one per example
