"""book_utils — the engine of *Learning from Mistakes*.

Small modules whose names mirror the maths: ``activations``, ``losses``,
``network``, ``gradcheck``, ``symbolic``, ``training``, ``datasets``, ``plots``,
``explore`` and ``exercises``. Every chapter imports what it needs from here.
"""

from . import (
    activations,
    datasets,
    exercises,
    explore,
    gradcheck,
    losses,
    network,
    plots,
    prose,
    symbolic,
    training,
)
from .network import Network

__all__ = [
    "activations",
    "datasets",
    "exercises",
    "explore",
    "gradcheck",
    "losses",
    "network",
    "plots",
    "prose",
    "symbolic",
    "training",
    "Network",
]
__version__ = "0.1.0"
