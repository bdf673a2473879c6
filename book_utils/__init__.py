"""book_utils — the engine of *Learning from Mistakes*.

Small modules whose names mirror the maths, each loaded the first time it is used
(``bu.symbolic`` loads SymPy, ``bu.plots`` Matplotlib; the numeric core needs NumPy
alone), from the bottom up:

``prose``, ``notation``   numbers and symbols as the text writes them
``activations``, ``losses``, ``datasets``, ``autograd``   the pieces
``network``               the fully connected network: forward and backward
``cost``                  what a gradient costs: multiply-adds and memory, counted
``html_tables``           the one HTML table writer
``gradcheck``             finite differences and the one verdict on a gradient
``optimizers``, ``training``   steps and epochs
``metrics``, ``diagnostics``, ``examples``   what a run did; the running examples
``valleys``, ``comparisons``   quadratic valleys and optimisers' paths down them; the
                          optimisers compared on the book's problems (Chapter 10)
``symbolic``              the same network in SymPy: the three-way check
``weight_decay``          the penalty (λ/2)‖θ‖² and its gradient, checked three ways
``render``, ``plots``, ``explore``   figures, drawings, sliders
``exercises``             the self-checking exercises
"""

from importlib import import_module

from .network import Network

MODULES = (
    "activations",
    "autograd",
    "comparisons",
    "cost",
    "datasets",
    "diagnostics",
    "examples",
    "exercises",
    "explore",
    "gradcheck",
    "html_tables",
    "losses",
    "metrics",
    "network",
    "notation",
    "optimizers",
    "plots",
    "prose",
    "render",
    "symbolic",
    "training",
    "valleys",
    "weight_decay",
)
__all__ = [*MODULES, "Network"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """``bu.symbolic`` and friends import on first use (PEP 562), so importing the
    numeric core never pays for SymPy or Matplotlib."""
    if name in MODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *MODULES])
