"""How the book writes a parameter: one name, three spellings (LaTeX, HTML, Unicode).

The engine names parameter entries as ``Network.flat_names()`` does ("W1[0,2]",
"b3[0]"); the page writes them as the maths does: w⁽¹⁾₁₃ (the weight from neuron
3 of layer 0 to neuron 1 of layer 1) and b⁽³⁾₁. Tables, slider labels and SymPy
output all take their names from here, so the same symbol never appears in two
forms.

Rules: a multi-layer network writes w^{(l)}_{jk} and b^{(l)}_j; a single layer
drops the layer; a single neuron with one input is just w and b.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class Symbol:
    """One parameter entry's name in the three forms the book needs."""

    tex: str
    html: str
    text: str


def array_name(kind: str, layer: int) -> str:
    """The engine's name for a layer's parameter array: ("W", 1) → "W1", ("b", 3) → "b3"."""
    return f"{kind}{layer}"


def entry_name(array: str, index) -> str:
    """The engine's name for one entry of a parameter array, 0-based as in NumPy:
    ("W1", (0, 2)) → "W1[0,2]", ("b3", (0,)) → "b3[0]"."""
    return f"{array}[{','.join(str(int(i)) for i in index)}]"


def parse(flat_name: str) -> tuple[str, int, tuple[int, ...]]:
    """ "W1[0,2]" → ("w", 1, (0, 2)); "b3[0]" → ("b", 3, (0,)). Indices stay 0-based."""
    m = re.fullmatch(r"([Wb])(\d+)\[(\d+(?:,\d+)?)\]", flat_name)
    if m is None:
        raise ValueError(f"not a parameter entry name: {flat_name!r} (e.g. 'W1[0,2]')")
    kind = "w" if m.group(1) == "W" else "b"
    return kind, int(m.group(2)), tuple(int(i) for i in m.group(3).split(","))


def symbol(flat_name: str, sizes, comma: bool = False) -> Symbol:
    """The book's name for a parameter entry of a network with layer sizes ``sizes``.

    ``comma`` splits the indices, for layers of ten neurons or more: w⁽¹⁾₃,₂₁."""
    kind, layer, idx = parse(flat_name)
    sizes = list(sizes)
    n_layers = len(sizes) - 1
    if not 1 <= layer <= n_layers:
        raise ValueError(f"{flat_name!r}: the network has layers 1 … {n_layers}")
    sub = [i + 1 for i in idx]
    if n_layers == 1 and sizes == [1, 1]:
        sub = []  # a single neuron with one input: w and b
    elif n_layers == 1 and sizes[1] == 1:
        sub = sub[1:] if kind == "w" else []  # one neuron, many inputs: w_k and b
    sup = "" if n_layers == 1 else f"({layer})"
    digits = ("," if comma else "").join(str(i) for i in sub)
    tex = kind + (f"^{{{sup}}}" if sup else "") + (f"_{{{digits}}}" if digits else "")
    page = (
        kind
        + (f"<sup>{sup}</sup>" if sup else "")
        + (f"<sub>{digits}</sub>" if digits else "")
    )
    text = kind + sup.translate(_SUP) + digits.translate(_SUB)
    return Symbol(tex, f"<i>{kind}</i>{page[1:]}", text)


def layer_symbol(kind: str, layer: int, index: int | None = None) -> str:
    """Unicode for a per-layer quantity: ("δ", 2, 0) → δ⁽²⁾₁; ("a", 1) → a⁽¹⁾."""
    out = kind + f"({layer})".translate(_SUP)
    return out + (str(index + 1).translate(_SUB) if index is not None else "")


def describe(flat_name: str, sizes) -> str:
    """A parameter in words: "the weight from input 2 to neuron 1 of hidden layer 1",
    "the bias of the output neuron"."""
    kind, layer, idx = parse(flat_name)
    sizes = list(sizes)
    n_layers = len(sizes) - 1

    def neuron(l: int, j: int) -> str:
        if l == 0:
            return f"input {j + 1}"
        if l == n_layers:
            return "the output neuron" if sizes[l] == 1 else f"output neuron {j + 1}"
        return f"neuron {j + 1} of hidden layer {l}"

    if kind == "b":
        return f"the bias of {neuron(layer, idx[0])}"
    return f"the weight from {neuron(layer - 1, idx[1])} to {neuron(layer, idx[0])}"
