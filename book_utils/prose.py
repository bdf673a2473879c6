"""Numbers for the prose: computed in a code cell, printed in the text.

A chapter writes ``E_now = prose.num(E, ".4g")`` in a code cell and {eval}`E_now`
in a Markdown cell. MyST-NB (the HTML book, executed inline) and jupyterlab-myst
(JupyterLab, Binder) both show the *repr* of the variable, so ``num`` returns a
string whose repr is the formatted number itself — no quotes, no ``np.float64(…)``.
"""

from __future__ import annotations


class Shown(str):
    """A str that reprs as itself, so inline {eval} shows it as plain text."""

    def __repr__(self) -> str:
        return str(self)


def num(value, fmt: str = "g") -> Shown:
    """``value`` formatted with ``fmt`` (e.g. ".2f", ".4g"), ready for {eval} in the text."""
    return Shown(format(float(value), fmt))


def text(value) -> Shown:
    """Any text, ready for {eval} in the prose."""
    return Shown(str(value))
