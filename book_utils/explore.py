"""The one way a chapter makes sliders: live in Jupyter, still alive in the static book.

A chapter describes an explorable as one pure function of the slider values:

* ``Explorable(build, sliders, alt)`` for a figure. ``build(fig)`` draws the artists
  once and returns ``update(**values)``, which only moves them (set_data, set_text,
  …) and may return one line that says what the frame shows in numbers
  ("ŷ: 0.580 → 0.627"). That line is the frame's alt text and is read out by
  screen readers when the frame changes.
* ``Table(make, sliders, caption)`` for a table. ``make(**values)`` returns the
  table's HTML (and optionally that line). Tables stay tables: text a screen
  reader can walk, never a picture.

From that one description each renders two views:

* **live** (Jupyter, Binder): ipywidgets sliders (η on a log scale, weights on
  linear scales) that redraw the figure or table in place on every move;
* **static** (the built HTML book): a scrubber over a grid of the main sliders,
  with every frame precomputed and a few lines of inline JavaScript, so the page
  works with no kernel and no network.

Both travel in one MIME bundle; Jupyter shows the widget and the book's
``_config.yml`` makes MyST-NB prefer ``text/html``. The static frames are drawn
only while the book is being built (the ``_ext/lfm_build`` Sphinx extension sets
``LFM_STATIC_FRAMES=1`` for the kernels it starts), so Run All in Jupyter stays
fast; elsewhere ``text/html`` is a single still frame.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import time
import uuid
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files

import ipywidgets as w
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text

from .plots.style import blank_figure, style, ticks_in_view_only
from .prose import fmt_number
from .render import (
    PHONE_SCALE,  # noqa: F401  (the tests read it here, beside the figures' HTML)
    base64_png,
    caption_html,
    encode_png,
    image_html,
    small_png,
)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STATIC_ENV = "LFM_STATIC_FRAMES"
# every explorable made in this kernel, by order of making: the tests walk it. Weak
# references only, so a cell run again does not keep its old figures alive.
registry: weakref.WeakValueDictionary[int, _View] = weakref.WeakValueDictionary()
_made = itertools.count()
# the scrubber's script, without its comment lines (they stay in the file)
_SCRUBBER_JS = "\n".join(
    line
    for line in (files(__package__) / "scrubber.js").read_text().splitlines()
    if not line.startswith("//")
)


def views() -> list[_View]:
    """The explorables of this kernel that are still alive, in the order they were made."""
    return list(registry.values())


def building_book() -> bool:
    """True while the HTML book is being built: only then are static frames drawn."""
    return os.environ.get(STATIC_ENV) == "1"


@dataclass(frozen=True)
class Slider:
    """One slider: keyword ``name`` for ``update``, math ``label`` to show, range, default.

    ``log`` sliders move on a log scale (the learning rate). ``frames`` is how
    many positions the static scrubber precomputes along this slider; ``points``
    names them exactly instead (the default is added if missing).
    """

    name: str
    label: str
    min: float
    max: float
    default: float
    log: bool = False
    frames: int = 9
    points: tuple[float, ...] | None = None
    step: float | None = None  # the live slider's step (e.g. 1 for an epoch or a count)

    def __post_init__(self):
        if not (
            np.isfinite(self.min) and np.isfinite(self.max) and self.min < self.max
        ):
            raise ValueError(
                f"slider {self.name!r} needs finite min < max, got {self.min}, {self.max}"
            )
        if not self.min <= self.default <= self.max:
            raise ValueError(
                f"slider {self.name!r} default {self.default} is outside "
                f"[{self.min}, {self.max}]"
            )
        if self.log and self.min <= 0:
            raise ValueError(f"log slider {self.name!r} needs min > 0, got {self.min}")
        if self.step is not None and not (np.isfinite(self.step) and self.step > 0):
            raise ValueError(f"slider {self.name!r} needs a step > 0, got {self.step}")
        if self.points is not None and not all(
            self.min <= p <= self.max for p in self.points
        ):
            raise ValueError(
                f"slider {self.name!r} points {self.points} leave [{self.min}, {self.max}]"
            )

    def grid(self) -> list[float]:
        """The static frames' values: evenly spaced (log-spaced for η), default included."""
        if self.points is not None:
            return sorted({float(p) for p in self.points} | {float(self.default)})
        if self.frames < 2:
            return [self.default]
        if self.log:
            pts = np.geomspace(self.min, self.max, self.frames)
            nearest = int(np.argmin(np.abs(np.log(pts / self.default))))
        else:
            pts = np.linspace(self.min, self.max, self.frames)
            nearest = int(np.argmin(np.abs(pts - self.default)))
        pts[nearest] = self.default  # the page opens on the notebook's picture
        return [_tidy(p) for p in pts]

    def show(self, value) -> str:
        """The value as the reader sees it next to the slider (real minus sign);
        a whole-number slider prints every digit: 1000, never 1e+03."""
        if self.step is not None and float(self.step).is_integer():
            return fmt_number(round(float(value)), ".0f")
        return fmt_number(value, ".3g")

    def widget(self):
        """The ipywidgets slider. Its grid of positions passes through the default
        exactly, so the live figure opens on the same picture as the static one."""
        style = {"description_width": "initial"}
        layout = w.Layout(width="auto", min_width="220px", flex="1 1 220px")
        if self.log:
            step = 0.05  # in powers of ten
            centre, lo, hi = (np.log10(v) for v in (self.default, self.min, self.max))
            lo_k = np.floor((centre - lo) / step + 1e-9)
            hi_k = np.floor((hi - centre) / step + 1e-9)
            return w.FloatLogSlider(
                value=self.default,
                base=10,
                min=centre - lo_k * step,
                max=centre + hi_k * step,
                step=step,
                description=self.label,
                readout_format=".3g",
                continuous_update=True,
                style=style,
                layout=layout,
            )
        step = self.step or 10.0 ** np.floor(np.log10((self.max - self.min) / 100))
        lo = self.default - np.floor((self.default - self.min) / step + 1e-9) * step
        whole = float(step).is_integer() and float(self.default).is_integer()
        return w.FloatSlider(
            value=self.default,
            min=lo,
            max=self.max,
            step=step,
            description=self.label,
            readout_format=".0f" if whole else ".3g",
            continuous_update=True,
            style=style,
            layout=layout,
        )

    def extremes(self) -> list[tuple[str, float]]:
        return [("min", self.min), ("default", self.default), ("max", self.max)]

    def sweep(self, n: int = 25) -> list[float]:
        """n positions from one end to the other, as a reader dragging the slider passes."""
        if self.log:
            pts = np.geomspace(self.min, self.max, n)
        else:
            pts = np.linspace(self.min, self.max, n)
        return [float(p) for p in pts]


@dataclass(frozen=True)
class Choice:
    """A toggle between named options (e.g. two loss functions); ``update`` gets the name."""

    name: str
    label: str
    options: tuple[str, ...]
    default: str
    log: bool = False

    def __post_init__(self):
        if len(self.options) < 2 or self.default not in self.options:
            raise ValueError(
                f"choice {self.name!r} needs ≥ 2 options including its default "
                f"{self.default!r}"
            )

    def grid(self) -> list[str]:
        return list(self.options)

    def show(self, value) -> str:
        return str(value)

    def extremes(self) -> list[tuple[str, str]]:
        return [
            ("first", self.options[0]),
            ("default", self.default),
            ("last", self.options[-1]),
        ]

    def sweep(self, n: int = 25) -> list[str]:
        return list(self.options)

    def widget(self):
        return w.ToggleButtons(
            options=list(self.options),
            value=self.default,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )


def choice(name: str, label: str, options: Sequence[str], default: str | None = None):
    """A toggle control; in the static book it is a group of radio buttons."""
    return Choice(
        name, label, tuple(options), default if default is not None else options[0]
    )


def _tidy(x: float) -> float:
    """Round a grid value to 3 significant figures so labels read 0.1, not 0.1000000002."""
    return float(f"{x:.3g}")


def learning_rate(
    default: float = 0.1,
    min: float = 0.001,
    max: float = 10.0,
    name: str = "lr",
    label: str = "η",
    frames: int = 9,
    points: Sequence[float] | None = None,
) -> Slider:
    """The learning-rate slider: log scale, labelled η."""
    pts = tuple(points) if points is not None else None
    return Slider(name, label, min, max, default, log=True, frames=frames, points=pts)


def parameter(
    name: str,
    label: str,
    default: float,
    min: float = -3.0,
    max: float = 3.0,
    frames: int = 7,
    points: Sequence[float] | None = None,
    step: float | None = None,
) -> Slider:
    """A weight, bias or input slider on a linear scale, labelled with its math name.
    ``step=1`` makes the live slider move in whole numbers (an epoch, a count)."""
    pts = tuple(points) if points is not None else None
    return Slider(
        name, label, min, max, default, log=False, frames=frames, points=pts, step=step
    )


class _View(ABC):
    """What figures and tables share: the controls, the live widget, the static scrubber.

    A subclass says how one frame is made and shown, in the hooks below: it renders
    a frame (``_render``), wraps it for the page (``_static_payload``,
    ``_frame_html``) and for the widget (``_live_view``, ``_set_live``,
    ``_live_value``), and says what non-finite data it would show (``_non_finite``).
    """

    kind = "view"

    def __init__(self, sliders, static, caption: str):
        self.sliders = list(sliders)
        self.caption = caption
        self.timings: list[float] = []
        if not self.sliders:
            raise ValueError("an explorable needs at least one slider")
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"slider names must be unique, got {names}")
        self.static = list(static) if static is not None else [names[0]]
        unknown = [n for n in self.static if n not in names]
        if unknown:
            raise ValueError(
                f"static sliders {unknown} are not among the sliders {names}"
            )
        frozen_eta = [
            s.label for s in self.sliders if s.log and s.name not in self.static
        ]
        if frozen_eta:
            raise ValueError(
                f"the learning-rate slider {frozen_eta} must move in the static book: "
                "add it to static"
            )
        self._widget = None
        self._error = None
        self._description = ""
        registry[next(_made)] = self

    # ----- the hooks a kind of view fills in ---------------------------------------------
    @abstractmethod
    def _render(self, **values) -> tuple[object, str]:
        """(payload, one-line description) of the frame at ``values``."""

    @abstractmethod
    def _static_payload(self, payload) -> str:
        """A frame as the static page stores it."""

    @abstractmethod
    def _frame_html(self, payload: str, said: str) -> str:
        """The page's HTML for one stored frame and its description."""

    @abstractmethod
    def _live_view(self, payload):
        """The widget that shows a frame live (made once)."""

    @abstractmethod
    def _set_live(self, payload) -> None:
        """Show a new frame in the live widget."""

    @abstractmethod
    def _live_value(self):
        """What the live widget shows now (for the tests)."""

    @abstractmethod
    def _non_finite(self) -> list[str]:
        """What non-finite data the live view shows (for ``self_test``)."""

    def _still_payload(self, payload) -> str:
        """The default frame as a still page stores it (like any static frame)."""
        return self._static_payload(payload)

    @property
    def defaults(self) -> dict:
        return {s.name: s.default for s in self.sliders}

    @cached_property
    def _default_frame(self):
        """The frame at the defaults, drawn once: the widget and the still view share it."""
        return self._render(**self.defaults)

    # ----- live ------------------------------------------------------------------------
    def widget(self):
        """The ipywidgets view: sliders above the picture; built once, on first use."""
        if self._widget is None:
            self._controls = {s.name: s.widget() for s in self.sliders}
            payload, self._description = self._default_frame
            self._view = self._live_view(payload)
            self._status = w.HTML(value="")
            self._said = w.HTML(value=self._said_html())
            caption = w.HTML(value=f"<small>{html.escape(self.caption)}</small>")
            for c in self._controls.values():
                c.observe(self._on_change, names="value")
            row = w.HBox(
                list(self._controls.values()), layout=w.Layout(flex_flow="row wrap")
            )
            self._widget = w.VBox([row, self._view, self._status, self._said, caption])
        return self._widget

    def _said_html(self) -> str:
        text = html.escape(self._description or "")
        return f'<div class="lfm-desc" aria-live="polite">{text}</div>'

    def _on_change(self, _change=None) -> None:
        start = time.perf_counter()
        values = {n: c.value for n, c in self._controls.items()}
        try:
            payload, self._description = self._render(**values)
            self._set_live(payload)
            self._said.value = self._said_html()
            self._error = None
            self._status.value = ""
        # a slider never leaves a traceback in the reader's face
        except Exception as exc:
            self._error = exc
            msg = html.escape(str(exc))
            self._status.value = f"<b>Could not draw this setting:</b> {msg}"
        self.timings.append(time.perf_counter() - start)

    def set(self, **values) -> None:
        """Move the live sliders as a reader would (each move fires the callback)."""
        self.widget()
        for name, v in values.items():
            self._controls[name].value = v

    def live_payload(self):
        """What the live view shows now (PNG bytes or HTML), for the tests."""
        return self._live_value()

    # ----- static ----------------------------------------------------------------------
    def frames(self) -> tuple[list[list], list, list[str]]:
        """(grid of each static slider, payload per frame, description per frame),
        frames in row-major order over the static sliders' grids."""
        static = [s for s in self.sliders if s.name in self.static]
        grids = [s.grid() for s in static]
        payloads, descriptions = [], []
        for combo in itertools.product(*grids):
            payload, said = self._render(
                **{**self.defaults, **dict(zip([s.name for s in static], combo))}
            )
            payloads.append(self._static_payload(payload))
            descriptions.append(said or "")
        self._render(**self.defaults)  # leave the figure at its defaults
        return grids, payloads, descriptions

    def static_html(self) -> str:
        """The self-contained scrubber: every frame, the controls and a few lines of JS."""
        grids, payloads, descriptions = self.frames()
        static = [s for s in self.sliders if s.name in self.static]
        uid = "lfm-" + uuid.uuid4().hex[:8]
        unique = list(dict.fromkeys(payloads))  # identical frames are stored once
        data = {
            "f": unique,
            "i": [unique.index(p) for p in payloads],
            "d": descriptions,
        }
        shape = [len(g) for g in grids]
        start = int(
            np.ravel_multi_index(
                [g.index(s.default) for s, g in zip(static, grids)], shape
            )
        )
        controls = "".join(self._control_html(uid, s, g) for s, g in zip(static, grids))
        return (
            f'<figure class="lfm-explorable lfm-scrubber" id="{uid}" data-kind="{self.kind}" '
            f'data-frames="{len(payloads)}">'
            f'<div class="lfm-controls">{controls}</div>'
            f"{self._frame_html(payloads[start], descriptions[start])}"
            f"{self._fixed_note()}{self._caption_html()}"
            f'<script type="application/json" class="lfm-frames">{_json_for_script(data)}</script>'
            f"<script>{_SCRUBBER_JS.replace('UID', uid)}</script></figure>"
        )

    def still_html(self) -> str:
        """Outside the book build: the default frame alone (the widget is the live view)."""
        payload, said = self._default_frame
        note = (
            '<p class="lfm-fixed">A still picture at the default settings. Run this '
            "notebook with a live kernel (Jupyter or Binder) to move the sliders.</p>"
        )
        return (
            f'<figure class="lfm-explorable lfm-still" data-kind="{self.kind}">'
            f"{self._frame_html(self._still_payload(payload), said or '')}{note}"
            f"{self._caption_html()}</figure>"
        )

    def _control_html(self, uid: str, s, grid) -> str:
        shown = [s.show(v) for v in grid]
        values = html.escape(json.dumps(shown, ensure_ascii=False))
        idx = grid.index(s.default)
        label = html.escape(s.label)
        if isinstance(s, Choice):  # a toggle stays a toggle: one radio per option
            radios = "".join(
                f'<label><input type="radio" name="{uid}-{s.name}" value="{k}"'
                f"{' checked' if k == idx else ''}>{html.escape(option)}</label>"
                for k, option in enumerate(shown)
            )
            return (
                f'<fieldset class="lfm-control lfm-choice" data-values="{values}">'
                f'<legend class="lfm-label">{label}</legend>{radios}</fieldset>'
            )
        now = html.escape(shown[idx])
        return (
            f'<div class="lfm-control">'
            f'<label class="lfm-label" for="{uid}-{s.name}">{label}</label>'
            f'<input id="{uid}-{s.name}" type="range" min="0" max="{len(grid) - 1}" step="1" '
            f'value="{idx}" aria-valuetext="{label} = {now}" data-label="{label}" '
            f'data-values="{values}">'
            f'<output for="{uid}-{s.name}" aria-live="polite">{now}</output></div>'
        )

    def _fixed_note(self) -> str:
        fixed = [
            f"{html.escape(s.label)} = {html.escape(s.show(s.default))}"
            for s in self.sliders
            if s.name not in self.static
        ]
        if not fixed:
            return ""
        return (
            f'<p class="lfm-fixed">Fixed in this static view: {", ".join(fixed)}. '
            "Open the notebook (Binder or Jupyter) to move every slider.</p>"
        )

    def _caption_html(self) -> str:
        return caption_html(self.caption)

    # ----- display ---------------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        labels = ", ".join(s.label for s in self.sliders)
        page = self.static_html() if building_book() else self.still_html()
        bundle = {"text/plain": f"<{type(self).__name__}: {labels}>", "text/html": page}
        try:
            widget_bundle = self.widget()._repr_mimebundle_()
        except Exception:  # no ipywidgets or no comm: the static view still works
            widget_bundle = None
        if widget_bundle and WIDGET_MIME in widget_bundle:
            bundle[WIDGET_MIME] = widget_bundle[WIDGET_MIME]
        return bundle

    # ----- checks the tests run --------------------------------------------------------
    def self_test(self) -> list[str]:
        """Move every live slider to its min, default and max; return the problems seen.

        A problem is a callback error, non-finite data drawn or shown, or a slider
        whose min and max give the same picture.
        """
        problems = []
        self.widget()
        for s in self.sliders:
            pictures = {}
            for label, v in s.extremes():
                self.set(**{s.name: v})
                if self._error is not None:
                    problems.append(f"{s.name}={v} ({label}): {self._error!r}")
                problems += [f"{s.name}={v} ({label}): {p}" for p in self._non_finite()]
                pictures[label] = self.live_payload()
            ends = [p for label, p in pictures.items() if label != "default"]
            if ends[0] == ends[1]:
                problems.append(
                    f"{s.name}: the figure at both ends of its range is the same"
                )
            self.set(**{s.name: s.default})
        return problems


class Explorable(_View):
    """A figure driven by sliders, rendered live (ipywidgets) and static (scrubber).

    build: ``build(fig) -> update``; ``update(**values)`` moves the artists and may
    return one line describing the frame in numbers (it extends the alt text).
    sliders: the controls, in display order.
    alt: the figure's alt text (what a reader who cannot see it should know).
    static: names of the sliders the scrubber varies (default: the first); the
    others stay at their defaults in the static book (η must always be static).
    """

    kind = "image"

    def __init__(
        self,
        build: Callable,
        sliders: Sequence[Slider | Choice],
        alt: str,
        static: Sequence[str] | None = None,
        width: float = 7.0,
        height: float = 3.2,
        caption: str = "",
    ):
        if not callable(build):
            raise ValueError("an explorable needs build(fig) -> update")
        if not alt.strip():
            raise ValueError("an explorable needs alt text describing its figure")
        self.build, self.alt, self.width, self.height = build, alt, width, height
        super().__init__(sliders, static, caption)
        self.fig = blank_figure(self.width, self.height)
        with style():
            self._update = self.build(self.fig)
        if not callable(self._update):
            raise ValueError("build(fig) must return the update(**values) function")
        ticks_in_view_only(self.fig)  # the same picture, laid out sooner
        self._background = None
        self._animated: list = []
        self._texts = _TextPixels(self.fig)

    def draw(self, **values) -> str:
        """Move the figure to ``values`` (missing sliders take their defaults);
        returns the frame's description (or "")."""
        with style():
            said = self._update(**{**self.defaults, **values})
        return said or ""

    def png(self, **values) -> bytes:
        """The figure at ``values`` as PNG bytes.

        Fast path (blitting): the first call draws everything and keeps the pixels of
        what never changes; later calls restore those pixels and draw only the
        artists marked animated (``plots.live``), which is all ``update`` may change.
        """
        self._description = self.draw(**values)
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()  # lays out the figure and draws the static artists only
            # freeze the layout: cached pixels stay valid
            self.fig.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._animated = sorted(
                self.fig.findobj(lambda a: a.get_animated()),
                key=lambda a: a.get_zorder(),
            )
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self._animated:
            if type(artist) is Text:  # plain texts: their pixels are kept
                self._texts.draw(artist, renderer)
            else:
                self.fig.draw_artist(artist)
        return encode_png(canvas)

    def _render(self, **values):
        png = self.png(**values)
        return png, self._description

    def _static_payload(self, png: bytes) -> str:
        return base64_png(small_png(png))

    def _still_payload(self, png: bytes) -> str:
        return base64_png(png)  # one frame: no need to shrink it

    def _frame_html(self, payload: str, said: str) -> str:
        alt = f"{self.alt} {said}".strip()
        return (
            f"{image_html(self.fig, payload, alt, data_alt=self.alt)}"
            f'<p class="lfm-desc" aria-live="polite">{html.escape(said)}</p>'
        )

    def _live_view(self, png: bytes):
        # (no tooltip: JupyterLab's Image view fails to render with one)
        layout = w.Layout(max_width="100%", height="auto")
        self._image = w.Image(value=png, format="png", layout=layout)
        return self._image

    def _set_live(self, png: bytes) -> None:
        self._image.value = png

    def _live_value(self):
        return self._image.value

    def _non_finite(self) -> list[str]:
        return _non_finite_artists(self.fig)


class Table(_View):
    """An HTML table driven by sliders: live (ipywidgets HTML) and static (scrubber).

    make: ``make(**values)`` returns the table's HTML (or an object with
    ``_repr_html_``), or a pair (HTML, one-line summary of its numbers).
    """

    kind = "table"

    def __init__(
        self,
        make: Callable,
        sliders: Sequence[Slider | Choice],
        caption: str,
        static: Sequence[str] | None = None,
    ):
        if not callable(make):
            raise ValueError("a table needs make(**values) -> html")
        self.make = make
        super().__init__(sliders, static, caption)

    def _render(self, **values):
        out = self.make(**{**self.defaults, **values})
        page, said = out if isinstance(out, tuple) else (out, "")
        page = page._repr_html_() if hasattr(page, "_repr_html_") else str(page)
        return page, said

    def _static_payload(self, page: str) -> str:
        return page

    def _frame_html(self, payload: str, said: str) -> str:
        return (
            f'<div class="lfm-view"><div class="lfm-html">{payload}</div></div>'
            f'<p class="lfm-desc" aria-live="polite">{html.escape(said)}</p>'
        )

    def _live_view(self, page: str):
        self._html = w.HTML(value=page)
        return self._html

    def _set_live(self, page: str) -> None:
        self._html.value = page

    def _live_value(self):
        return self._html.value

    def _non_finite(self) -> list[str]:
        text = self._html.value.lower()
        return [
            f"the table shows {bad}" for bad in ("nan", "inf") if f">{bad}<" in text
        ]


class _TextPixels:
    """The pixels of each text a live figure has drawn, kept by what the text is.

    Agg lays out and rasterises a text glyph by glyph (about 1–2 ms a label), and
    a blitted frame redraws every animated label although most read the same as in
    an earlier frame. A text is drawn once onto a transparent canvas, its pixels
    are kept under a key of everything that decides them (string, place, colour,
    font, angle, alignment, box, clip), and later frames paste them (0.05 ms); the
    picture is the same to within 2 levels of 255 where antialiased edges blend.
    """

    MAX = 4000  # kept texts (each a few kB)

    def __init__(self, fig):
        self.fig = fig
        self.kept: dict = {}
        self._canvas = None

    @staticmethod
    def _key(t: Text):
        box = t.get_bbox_patch()
        if box is not None:
            box = (
                repr(box.get_boxstyle().__dict__),
                type(box.get_boxstyle()).__name__,
                tuple(box.get_facecolor()),
                tuple(box.get_edgecolor()),
                box.get_linewidth(),
                str(box.get_linestyle()),
                box.get_visible(),
                t._bbox_patch.get_mutation_scale(),
            )
        clip = None
        if t.get_clip_on():
            cb, cp = t.get_clip_box(), t.get_clip_path()
            if cp is not None:
                return None  # a clip path: draw it the ordinary way
            clip = None if cb is None else tuple(np.round(cb.bounds, 6))
        if t.get_path_effects() or t.get_usetex() or t.get_wrap():
            return None
        pos = t.get_transform().transform(t.get_unitless_position())
        return (
            t.get_text(),
            tuple(np.round(pos, 6)),
            repr(t.get_color()),
            t.get_alpha(),
            hash(t.get_fontproperties()),
            t.get_rotation(),
            t.get_rotation_mode(),
            t.get_horizontalalignment(),
            t.get_verticalalignment(),
            t._multialignment,
            t.get_linespacing(),
            t.get_antialiased(),
            t.get_transform_rotates_text(),
            box,
            clip,
            t.get_zorder(),
        )

    def draw(self, t: Text, renderer) -> None:
        if not t.get_visible() or not t.get_text():
            return
        key = self._key(t)
        if key is None:
            self.fig.draw_artist(t)
            return
        kept = self.kept.get(key)
        if kept is None:
            kept = self._rasterise(t)
            if len(self.kept) >= self.MAX:
                self.kept.clear()
            self.kept[key] = kept
        x, y, pixels = kept
        if pixels is not None:
            gc = renderer.new_gc()
            renderer.draw_image(gc, x, y, pixels)
            gc.restore()

    def _rasterise(self, t: Text):
        """(x, y from the bottom, RGBA rows bottom first) of ``t`` alone."""
        w_px, h_px = self.fig.canvas.get_width_height()
        if self._canvas is None or self._canvas[0] != (w_px, h_px):
            self._canvas = ((w_px, h_px), RendererAgg(w_px, h_px, self.fig.dpi))
        r = self._canvas[1]
        t.draw(r)
        rgba = np.asarray(r.buffer_rgba())
        box = t.get_window_extent(r)
        if t.get_bbox_patch() is not None:
            box = box.union([box, t.get_bbox_patch().get_window_extent(r)])
        # rows from the top; a margin for antialiased edges and the box's line
        c0, c1 = int(np.floor(box.x0)) - 4, int(np.ceil(box.x1)) + 4
        r0, r1 = h_px - int(np.ceil(box.y1)) - 4, h_px - int(np.floor(box.y0)) + 4
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, w_px), min(r1, h_px)
        alpha = rgba[:, :, 3]
        # each pixel read as one little-endian number R + 2⁸G + 2¹⁶B + 2²⁴A: a
        # drawn pixel (alpha > 0) is ≥ 2²⁴, one test instead of four passes
        drawn = rgba.view("<u4")[:, :, 0] >= 1 << 24
        if np.count_nonzero(drawn[r0:r1, c0:c1]) != np.count_nonzero(drawn):
            c0, r0, c1, r1 = 0, 0, w_px, h_px  # drawn outside its extent: look at all
        region = alpha[r0:r1, c0:c1]
        rows = np.flatnonzero(region.any(axis=1))
        cols = np.flatnonzero(region.any(axis=0))
        if rows.size == 0:
            r.clear()
            return 0, 0, None
        top, bottom = r0 + rows[0], r0 + rows[-1] + 1
        left, right = c0 + cols[0], c0 + cols[-1] + 1
        pixels = rgba[top:bottom, left:right][::-1].copy()
        r.clear()
        return int(left), int(h_px - bottom), pixels


def _non_finite_artists(fig) -> list[str]:
    bad = []
    for ax in fig.axes:
        for line in ax.get_lines():
            x, y = (np.asarray(d, dtype=float) for d in line.get_data())
            if x.size and not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
                bad.append(f"line {line.get_label()!r} has non-finite data")
    return bad


def _json_for_script(data) -> str:
    """JSON that is safe inside <script>: no "</" can close the tag early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
