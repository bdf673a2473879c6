"""The book's one figure style and the drawings chapters share, by kind of drawing.

Drawings draw: what they show is computed by the engine (``network``, ``training``,
``metrics``, ``diagnostics``) and handed to them, or computed through it.

``style``       colours (Okabe–Ito), fonts, ``blank_figure``, ``live``, ``message``
``curves``      a loss against one weight; losses against a prediction
``landscapes``  the error surface of one neuron over (w, b)
``networks``    a whole network drawn neuron by neuron, with its forward pass
``step_size``   the error of finite differences against the step h
``bars``        one bar per parameter (where the blame sits) or per chain-rule factor
``costs``       what every gradient costs, counted (backprop against finite differences)
``graphs``      a computational graph recorded by ``autograd``, and its backward pass
``boundaries``  a classifier over the plane (decision boundary), scrubbed by epoch
``digits``      8 × 8 digit images, a classifier's mistakes, confusion matrix, learning curves
``batches``     mini-batches: the noise of their gradients, runs per batch size
``activation_curves``  an activation σ(z) with its tangent, and its slope σ′(z)
``gradient_flow``      how much blame reaches each layer of a deep network
``dead_units``         a network's neurons that never fire, during a training run
``race``        optimisers racing down a valley; steps against the valley's narrowness
``schedules``   a learning-rate schedule against a constant η
"""

from . import digits
from .activation_curves import activation_and_slope
from .bars import blame_bars, chain_factors
from .batches import batch_size_runs, gradient_noise
from .boundaries import BoundaryPanel, boundary_and_loss
from .costs import gradient_counts
from .curves import (
    curve_of_w,
    descent_on_curve,
    loss_comparison,
    one_neuron,
    slope_and_secant,
)
from .dead_units import dead_units_in_training
from .gradient_flow import gradient_per_layer
from .graphs import computational_graph
from .landscapes import (
    Surface,
    descent_on_landscape,
    draw_contours,
    error_surface,
    gradient_on_surface,
)
from .networks import NetworkDrawing, backward_preview, draw_network, forward_preview
from .race import narrowing_valley, race_on_valley
from .schedules import schedule_against_constant
from .step_size import step_size_sweep
from .style import (
    COLORS,
    MIN_FONT,
    OKABE_ITO,
    STYLE,
    blank_figure,
    live,
    message,
    small_fonts,
    style,
)

__all__ = [
    "BoundaryPanel",
    "COLORS",
    "MIN_FONT",
    "NetworkDrawing",
    "OKABE_ITO",
    "STYLE",
    "Surface",
    "activation_and_slope",
    "backward_preview",
    "batch_size_runs",
    "blame_bars",
    "blank_figure",
    "boundary_and_loss",
    "chain_factors",
    "computational_graph",
    "curve_of_w",
    "dead_units_in_training",
    "descent_on_curve",
    "descent_on_landscape",
    "digits",
    "draw_contours",
    "draw_network",
    "error_surface",
    "forward_preview",
    "gradient_counts",
    "gradient_noise",
    "gradient_on_surface",
    "gradient_per_layer",
    "live",
    "loss_comparison",
    "message",
    "narrowing_valley",
    "one_neuron",
    "race_on_valley",
    "schedule_against_constant",
    "slope_and_secant",
    "small_fonts",
    "step_size_sweep",
    "style",
]
