"""book_utils — the engine of *Learning from Mistakes*.

Small modules whose names mirror the maths: ``activations``, ``losses``,
``network``, ``gradcheck``, ``symbolic``, ``training``, ``datasets``, ``plots``,
``explore``, ``exercises``, ``autograd`` and ``diagnostics`` (gradient size per
layer, dead neurons); ``notation`` spells the symbols, ``examples``
holds the running examples and ``prose`` the numbers for the text. Every chapter
imports what it needs from here.
"""

from . import (
    activations,
    autograd,
    datasets,
    diagnostics,
    examples,
    exercises,
    explore,
    gradcheck,
    losses,
    network,
    notation,
    plots,
    prose,
    symbolic,
    training,
)
from .network import Network

__all__ = [
    "activations",
    "autograd",
    "datasets",
    "diagnostics",
    "examples",
    "exercises",
    "explore",
    "gradcheck",
    "losses",
    "network",
    "notation",
    "plots",
    "prose",
    "symbolic",
    "training",
    "Network",
]
__version__ = "0.1.0"
