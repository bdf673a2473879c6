"""Numbers for the prose: computed in a code cell, printed in the text.

A chapter computes ``E_now = prose.num(E, ".4g")`` in a (hidden) code cell and
writes {eval}`E_now` in a Markdown cell. MyST-NB (the HTML book, executed
inline) and jupyterlab-myst (JupyterLab, Binder) both show the *repr* of the
variable, so ``num`` returns a string whose repr is the formatted number itself:
no quotes, no ``np.float64(…)``, and a real minus sign (−20, not -20).
"""

from __future__ import annotations

MINUS = "\u2212"  # the typographic minus sign


class Shown(str):
    """A str that reprs as itself, so inline {eval} shows it as plain text."""

    def __repr__(self) -> str:
        return str(self)


def fmt_number(value, fmt: str = "g") -> str:
    """``value`` formatted with ``fmt``, with a real minus sign; −0 prints as 0."""
    value = float(value)
    out = format(value, fmt)
    mantissa = out.split("e")[0].split("E")[0]
    if out.startswith("-") and set(mantissa) <= set("-0.,"):
        out = out[1:]  # never show "−0"
    return out.replace("-", MINUS)  # also in exponents: 1.2e−05


def num(value, fmt: str = "g") -> Shown:
    """``value`` formatted with ``fmt`` (e.g. ".2f", ".4g"), ready for {eval} in the text."""
    return Shown(fmt_number(value, fmt))


def about(value, digits: int = 2) -> Shown:
    """A large ratio rounded for reading: 2349 → "2,300", 0.47 → "0.47"."""
    value = float(value)
    if abs(value) < 10**digits:
        return Shown(fmt_number(value, f".{digits}g"))
    keep = digits - len(str(int(abs(value))))
    return Shown(fmt_number(round(value, keep), ",.0f"))


def sci(value, digits: int = 1) -> Shown:
    """Scientific notation as a book prints it: 6.2e-06 → "6 × 10⁻⁶" (``digits``
    significant digits; a mantissa of 1 is left out: "10⁻⁸")."""
    value = float(value)
    if value == 0:
        return Shown("0")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
    if mantissa in ("1", "1." + "0" * (digits - 1)):
        return Shown(power)
    return Shown(f"{mantissa.replace('-', MINUS)} × {power}")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def a_digit(d: int) -> str:
    """ "a 1", "an 8": the digit with its article."""
    return f"an {d}" if d == 8 else f"a {d}"


def times(n: int) -> str:
    """ "once", "twice", "3 times": how often."""
    return {1: "once", 2: "twice"}.get(int(n), f"{int(n)} times")


def text(value) -> Shown:
    """Any text, ready for {eval} in the prose."""
    return Shown(str(value))
