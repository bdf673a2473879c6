"""The book's one figure style and the drawings chapters share.

Colours are the Okabe–Ito palette, safe for the common forms of colour blindness.
Figures are made with ``matplotlib.figure.Figure`` directly (not pyplot), so a
figure shows only where a chapter displays it.
"""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
# what each colour means across the book
COLORS = {
    "loss": OKABE_ITO["blue"],
    "gradient": OKABE_ITO["vermillion"],
    "step": OKABE_ITO["orange"],
    "target": OKABE_ITO["green"],
    "path": OKABE_ITO["purple"],
    "neutral": "#555555",
    "positive": OKABE_ITO["blue"],
    "negative": OKABE_ITO["vermillion"],
}

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "lines.linewidth": 2,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]),
    "mathtext.fontset": "dejavusans",
}


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 7.0, height: float = 3.2, **subplot_kw):
    """A styled figure with an Agg canvas and its axes: (fig, axes), axes squeezed as in pyplot."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    return fig, axes


def blank_figure(width: float = 7.0, height: float = 3.2) -> Figure:
    """A styled figure with an Agg canvas and no axes yet (explorables add their own)."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
    return fig


def style():
    """The style as a context manager: ``with plots.style(): …`` for figures made elsewhere."""
    return mpl.rc_context(STYLE)


def message(ax, text: str, color: str = COLORS["gradient"]):
    """A text artist centred on ``ax`` (e.g. "diverged at step 7"); returns it so it can be updated."""
    return ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=12,
                   color=color, bbox=dict(boxstyle="round", facecolor="white", edgecolor=color, alpha=0.9))


def finite_or_clip(values, limit: float = 1e6) -> np.ndarray:
    """Values safe to hand to a plot: non-finite or huge entries become ±limit."""
    v = np.asarray(values, dtype=float)
    return np.clip(np.nan_to_num(v, nan=limit, posinf=limit, neginf=-limit), -limit, limit)
