"""The book's one figure style: colours, fonts, and the helpers every drawing uses.

Colours are the Okabe–Ito palette, safe for the common forms of colour blindness,
and each has one meaning across the book (``COLORS``). Fonts are large enough to
read when a 900 px figure shrinks into a 700 px column, and no text is smaller
than ``MIN_FONT`` points (the tests check every explorable). Figures are made with
``matplotlib.figure.Figure`` directly (not pyplot), so a figure shows only where
a chapter displays it.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..prose import sci

# Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "pink": "#CC79A7",  # Okabe & Ito call it "reddish purple"; on screen it reads pink
}
# what each colour means across the book
COLORS = {
    "loss": OKABE_ITO["blue"],
    "gradient": OKABE_ITO["vermillion"],
    "step": OKABE_ITO["orange"],
    "target": OKABE_ITO["green"],
    "path": OKABE_ITO["pink"],
    "neutral": "#555555",
    "positive": OKABE_ITO["blue"],
    "negative": OKABE_ITO["vermillion"],
}

MIN_FONT = 9.5  # points: the smallest text any figure may use
STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 11.5,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "lines.linewidth": 2,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(
        color=[
            OKABE_ITO[c]
            for c in ("blue", "orange", "green", "vermillion", "pink", "sky", "black")
        ]
    ),
    "mathtext.fontset": "dejavusans",
}


def blank_figure(width: float = 7.0, height: float = 3.2) -> Figure:
    """A styled figure with an Agg canvas and no axes yet (explorables add their own)."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
    return fig


class _InViewLogLocator(LogLocator):
    """Matplotlib's log locator, giving only the ticks inside the view.

    Matplotlib makes a tick (its lines and labels) for every place a locator
    gives, then draws only those inside the axes; a log locator gives a decade or
    more beyond each end. Dropping those first leaves the same picture with a
    third fewer ticks to make and measure when a figure is first laid out.
    """

    def tick_values(self, vmin, vmax):
        ticks = super().tick_values(vmin, vmax)
        if not (vmin > 0 and vmax > 0):
            return ticks  # not a view a log axis draws: leave it to Matplotlib
        lo, hi = sorted(np.log10([vmin, vmax]))
        slack = 1e-9 * (hi - lo)  # Matplotlib draws within 1e-10 of the ends: wider
        with np.errstate(divide="ignore", invalid="ignore"):
            where = np.log10(ticks)
        return ticks[(where >= lo - slack) & (where <= hi + slack)]


def ticks_in_view_only(fig) -> None:
    """Swap every log axis's tick locators of ``fig`` for ``_InViewLogLocator``
    with the same settings (call once the axes have their scales)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for get, put in (
                (axis.get_major_locator, axis.set_major_locator),
                (axis.get_minor_locator, axis.set_minor_locator),
            ):
                old = get()
                if type(old) is LogLocator:
                    put(
                        _InViewLogLocator(
                            old._base, subs=old._subs, numticks=old.numticks
                        )
                    )


def warning_note(ax, x: float, y: float, ha="center", va="top", fontsize=11):
    """An empty text at (x, y) in ``ax``'s own coordinates (0–1), boxed in the
    warning colour: ``update`` writes it when a run diverged or a value is off the
    chart, and shows or hides it."""
    return ax.text(
        x,
        y,
        "",
        transform=ax.transAxes,
        ha=ha,
        va=va,
        fontsize=fontsize,
        color=COLORS["gradient"],
        bbox=dict(boxstyle="round", fc="white", ec=COLORS["gradient"]),
        zorder=10,
    )


def rgb_of(colour: str) -> np.ndarray:
    """A colour ("#0072B2", "white", …) as an array of red, green, blue in 0…1."""
    return np.array(mpl.colors.to_rgb(colour))


def style():
    """The style as a context manager: ``with plots.style(): …`` for other figures."""
    return mpl.rc_context(STYLE)


def message(ax, text: str, color: str = COLORS["gradient"]):
    """A text artist centred on ``ax`` (e.g. "diverged at step 7"); returns it."""
    box = dict(boxstyle="round", facecolor="white", edgecolor=color, alpha=0.95)
    return ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=12,
        color=color,
        bbox=box,
        zorder=10,
    )


def live(*artists):
    """Mark artists that an explorable's ``update`` changes (they are redrawn on every
    move; everything else is drawn once and cached). Returns the artists."""
    for a in artists:
        a.set_animated(True)
    return artists if len(artists) > 1 else artists[0]


def small_fonts(fig) -> list[str]:
    """Texts in ``fig`` smaller than MIN_FONT (the tests want none)."""
    return [
        f"{t.get_text()[:30]!r} at {t.get_fontsize():g} pt"
        for t in fig.findobj(Text)
        if t.get_text().strip() and t.get_fontsize() < MIN_FONT - 1e-9
    ]


def powers_of_ten(ax) -> None:
    """Label a log y axis 10⁻², 10⁻¹, 10⁰ in plain text (no mathtext to parse: the
    figure draws faster), and leave its minor ticks unlabelled."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: str(sci(y, 1))))
    ax.yaxis.set_minor_formatter(NullFormatter())
