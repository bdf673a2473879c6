"""The one way a chapter makes sliders: live in Jupyter, still alive in the static book.

A chapter describes an explorable as ``build(fig) -> update``: ``build`` draws the
artists once on a Matplotlib figure and returns ``update(**values)``, which only
moves them (set_data, set_text, …) for the slider values it is given. From that
one description, ``Explorable`` renders:

* **live** — ipywidgets sliders (η on a log scale, weights on linear scales)
  and an image that ``update`` redraws in place on every move;
* **static** — a scrubber: frames precomputed over a grid of the main sliders,
  embedded as data-URI images with a few lines of inline JavaScript, so the
  built HTML book works with no kernel and no network.

Both travel in one MIME bundle. Jupyter shows the widget; the book's
``_config.yml`` tells MyST-NB to prefer ``text/html``, the scrubber.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import plots

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
registry: list[
    Explorable
] = []  # every explorable made in this kernel (the tests walk it)


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

    def __post_init__(self):
        if not (
            np.isfinite(self.min) and np.isfinite(self.max) and self.min < self.max
        ):
            raise ValueError(
                f"slider {self.name!r} needs finite min < max, got {self.min}, {self.max}"
            )
        if not self.min <= self.default <= self.max:
            raise ValueError(
                f"slider {self.name!r} default {self.default} is outside [{self.min}, {self.max}]"
            )
        if self.log and self.min <= 0:
            raise ValueError(f"log slider {self.name!r} needs min > 0, got {self.min}")
        if self.points is not None and not all(
            self.min <= p <= self.max for p in self.points
        ):
            raise ValueError(
                f"slider {self.name!r} points {self.points} leave [{self.min}, {self.max}]"
            )

    def grid(self) -> list[float]:
        """The static frames' values: evenly spaced (log-spaced for η), default included."""
        if self.points is not None:
            return sorted(set(float(p) for p in self.points) | {float(self.default)})
        if self.frames < 2:
            return [self.default]
        if self.log:
            pts = np.geomspace(self.min, self.max, self.frames)
        else:
            pts = np.linspace(self.min, self.max, self.frames)
        nearest = int(
            np.argmin(
                np.abs(np.log(pts / self.default))
                if self.log
                else np.abs(pts - self.default)
            )
        )
        pts[nearest] = (
            self.default
        )  # the page opens at the same picture as the notebook
        return [float(_tidy(p)) for p in pts]

    def widget(self):
        """The ipywidgets slider. Its grid of positions passes through the default exactly, so
        the live figure opens on the same picture as the static one (widgets snap to their step)."""
        import ipywidgets as w

        style = {"description_width": "initial"}
        layout = w.Layout(width="auto", min_width="220px", flex="1 1 220px")
        if self.log:
            step = 0.05  # in powers of ten
            centre, lo, hi = (
                np.log10(self.default),
                np.log10(self.min),
                np.log10(self.max),
            )
            lo_k, hi_k = (
                np.floor((centre - lo) / step + 1e-9),
                np.floor((hi - centre) / step + 1e-9),
            )
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
        step = 10.0 ** np.floor(np.log10((self.max - self.min) / 100))
        lo = self.default - np.floor((self.default - self.min) / step + 1e-9) * step
        return w.FloatSlider(
            value=self.default,
            min=lo,
            max=self.max,
            step=step,
            description=self.label,
            readout_format=".3g",
            continuous_update=True,
            style=style,
            layout=layout,
        )

    def extremes(self) -> list[tuple[str, float]]:
        return [("min", self.min), ("default", self.default), ("max", self.max)]

    def sweep(self, n: int = 25) -> list[float]:
        """n positions from one end to the other, as a reader dragging the slider passes them."""
        pts = (
            np.geomspace(self.min, self.max, n)
            if self.log
            else np.linspace(self.min, self.max, n)
        )
        return [float(p) for p in pts]


@dataclass(frozen=True)
class Choice:
    """A toggle between named options (e.g. two loss functions); ``update`` receives the name."""

    name: str
    label: str
    options: tuple[str, ...]
    default: str
    log: bool = False

    def __post_init__(self):
        if len(self.options) < 2 or self.default not in self.options:
            raise ValueError(
                f"choice {self.name!r} needs ≥ 2 options including its default {self.default!r}"
            )

    def grid(self) -> list[str]:
        return list(self.options)

    def extremes(self) -> list[tuple[str, str]]:
        return [
            ("first", self.options[0]),
            ("default", self.default),
            ("last", self.options[-1]),
        ]

    def sweep(self, n: int = 25) -> list[str]:
        return list(self.options)

    def widget(self):
        import ipywidgets as w

        return w.ToggleButtons(
            options=list(self.options),
            value=self.default,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )


def choice(
    name: str, label: str, options: Sequence[str], default: str | None = None
) -> Choice:
    """A toggle control; in the static book it is one more scrubber over the options."""
    return Choice(
        name, label, tuple(options), default if default is not None else options[0]
    )


def _fmt(v) -> str:
    return v if isinstance(v, str) else f"{v:g}"


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
    return Slider(
        name,
        label,
        min,
        max,
        default,
        log=True,
        frames=frames,
        points=tuple(points) if points is not None else None,
    )


def parameter(
    name: str,
    label: str,
    default: float,
    min: float = -3.0,
    max: float = 3.0,
    frames: int = 7,
    points: Sequence[float] | None = None,
) -> Slider:
    """A weight, bias or input slider on a linear scale, labelled with its math name."""
    return Slider(
        name,
        label,
        min,
        max,
        default,
        log=False,
        frames=frames,
        points=tuple(points) if points is not None else None,
    )


@dataclass
class Explorable:
    """A figure driven by sliders, rendered live (ipywidgets) and static (scrubber).

    build: ``build(fig) -> update``; ``update(**values)`` moves the artists.
    sliders: the controls, in display order.
    alt: the figure's alt text (what a reader who cannot see it should know).
    static: names of the sliders the scrubber varies (default: the first);
    the others stay at their defaults in the static book.
    """

    build: Callable
    sliders: Sequence[Slider | Choice]
    alt: str
    static: Sequence[str] | None = None
    width: float = 7.0
    height: float = 3.2
    caption: str = ""
    timings: list[float] = field(default_factory=list, repr=False)

    def __post_init__(self):
        if not self.sliders:
            raise ValueError("an explorable needs at least one slider")
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"slider names must be unique, got {names}")
        if not self.alt.strip():
            raise ValueError("an explorable needs alt text describing its figure")
        self.static = list(self.static) if self.static is not None else [names[0]]
        unknown = [n for n in self.static if n not in names]
        if unknown:
            raise ValueError(
                f"static sliders {unknown} are not among the sliders {names}"
            )
        self.fig = plots.blank_figure(self.width, self.height)
        with plots.style():
            self._update = self.build(self.fig)
        if not callable(self._update):
            raise ValueError("build(fig) must return the update(**values) function")
        self._widget = None
        self._error = None
        self._background = None
        self._animated: list = []
        registry.append(self)

    # ----- drawing ------------------------------------------------------------------------
    @property
    def defaults(self) -> dict[str, float]:
        return {s.name: s.default for s in self.sliders}

    def draw(self, **values) -> None:
        """Move the figure to ``values`` (missing sliders take their defaults)."""
        with plots.style():
            self._update(**{**self.defaults, **values})

    def png(self, **values) -> bytes:
        """The figure at ``values`` as PNG bytes.

        Fast path (blitting): the first call draws everything and keeps the pixels of
        what never changes; later calls restore those pixels and draw only the
        artists marked animated (``plots.live``), which is all ``update`` may change.
        """
        self.draw(**values)
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()  # lays out the figure and draws the static artists only
            self.fig.set_layout_engine(
                "none"
            )  # freeze the layout: the cached pixels stay valid
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._animated = sorted(
                self.fig.findobj(lambda a: a.get_animated()),
                key=lambda a: a.get_zorder(),
            )
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.fig.draw_artist(artist)
        return _encode_png(canvas)

    # ----- live -------------------------------------------------------------------------------
    def widget(self):
        """The ipywidgets view: sliders above the image; built once, on first use."""
        if self._widget is None:
            import ipywidgets as w

            self._controls = {s.name: s.widget() for s in self.sliders}
            # (no tooltip: JupyterLab's Image view fails to render with one)
            self._image = w.Image(
                value=self.png(),
                format="png",
                layout=w.Layout(max_width="100%", height="auto"),
            )
            self._status = w.HTML(value="")
            caption = w.HTML(value=f"<small>{html.escape(self.caption)}</small>")
            for c in self._controls.values():
                c.observe(self._on_change, names="value")
            self._widget = w.VBox(
                [
                    w.HBox(
                        list(self._controls.values()),
                        layout=w.Layout(flex_flow="row wrap"),
                    ),
                    self._image,
                    self._status,
                    caption,
                ]
            )
        return self._widget

    def _on_change(self, _change=None) -> None:
        start = time.perf_counter()
        values = {n: c.value for n, c in self._controls.items()}
        try:
            self._image.value = self.png(**values)
            self._error = None
            self._status.value = ""
        except (
            Exception
        ) as exc:  # a slider must never leave a traceback in the reader's face
            self._error = exc
            self._status.value = (
                f"<b>Could not draw this setting:</b> {html.escape(str(exc))}"
            )
        self.timings.append(time.perf_counter() - start)

    def set(self, **values) -> None:
        """Move the live sliders as a reader would (each move fires the callback)."""
        self.widget()
        for name, v in values.items():
            self._controls[name].value = v

    # ----- static -------------------------------------------------------------------------
    def frames(self) -> tuple[list[list[float]], list[str]]:
        """(grid of each static slider, frames as base64 PNG in row-major order)."""
        grids = [s.grid() for s in self.sliders if s.name in self.static]
        names = [s.name for s in self.sliders if s.name in self.static]
        out = []
        for combo in itertools.product(*grids):
            out.append(
                base64.b64encode(
                    _small_png(self.png(**dict(zip(names, combo))))
                ).decode("ascii")
            )
        self.draw()  # leave the figure at its defaults
        return grids, out

    def static_html(self) -> str:
        """The self-contained scrubber: images, range inputs and a few lines of JS."""
        grids, frames = self.frames()
        static = [s for s in self.sliders if s.name in self.static]
        uid = "lfm-" + uuid.uuid4().hex[:8]
        controls = []
        for s, grid in zip(static, grids):
            idx = grid.index(s.default)
            values = html.escape(json.dumps(grid))
            if isinstance(
                s, Choice
            ):  # a toggle stays a toggle: one radio button per option
                radios = "".join(
                    f'<label><input type="radio" name="{uid}-{s.name}" value="{k}"{" checked" if k == idx else ""}>'
                    f"{html.escape(option)}</label>"
                    for k, option in enumerate(grid)
                )
                controls.append(
                    f'<fieldset class="lfm-control lfm-choice" data-values="{values}">'
                    f'<legend class="lfm-label">{html.escape(s.label)}</legend>{radios}</fieldset>'
                )
                continue
            controls.append(
                f'<label class="lfm-control"><span class="lfm-label">{html.escape(s.label)}</span>'
                f'<input type="range" min="0" max="{len(grid) - 1}" step="1" value="{idx}" '
                f'aria-label="{html.escape(s.label)}" data-values="{values}">'
                f"<output>{html.escape(_fmt(grid[idx]))}</output></label>"
            )
        fixed = [
            f"{html.escape(s.label)} = {html.escape(_fmt(s.default))}"
            for s in self.sliders
            if s.name not in self.static
        ]
        note = (
            f'<p class="lfm-fixed">Fixed in this static view: {", ".join(fixed)}. '
            f"Open the notebook (Binder or Jupyter) to move every slider.</p>"
            if fixed
            else ""
        )
        caption = (
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            if self.caption
            else ""
        )
        start = int(
            np.ravel_multi_index(
                [g.index(s.default) for s, g in zip(static, grids)],
                [len(g) for g in grids],
            )
        )
        return (
            f'<figure class="lfm-scrubber" id="{uid}" data-frames="{len(frames)}">'
            f'<div class="lfm-controls">{"".join(controls)}</div>'
            f'<img src="data:image/png;base64,{frames[start]}" alt="{html.escape(self.alt)}" '
            f'style="max-width:100%;height:auto">{note}{caption}'
            f'<script type="application/json" class="lfm-frames">{json.dumps(frames)}</script>'
            f"<script>{_SCRUBBER_JS.replace('UID', uid)}</script></figure>"
        )

    # ----- display ------------------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {
            "text/plain": f"<Explorable: {', '.join(s.label for s in self.sliders)}>",
            "text/html": self.static_html(),
        }
        try:
            widget_bundle = self.widget()._repr_mimebundle_()
        except Exception:  # no ipywidgets or no comm: the static view still works
            widget_bundle = None
        if widget_bundle and WIDGET_MIME in widget_bundle:
            bundle[WIDGET_MIME] = widget_bundle[WIDGET_MIME]
        return bundle

    # ----- checks the tests run -----------------------------------------------------------
    def self_test(self) -> list[str]:
        """Move every live slider to its min, default and max; return the problems seen.

        A problem is: a callback error, a drawn line holding NaN/inf, or a slider
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
                problems += [
                    f"{s.name}={v} ({label}): {p}"
                    for p in _non_finite_artists(self.fig)
                ]
                pictures[label] = self._image.value
            ends = [p for label, p in pictures.items() if label != "default"]
            if ends[0] == ends[1]:
                problems.append(
                    f"{s.name}: the figure at both ends of its range is the same"
                )
            self.set(**{s.name: s.default})
        return problems


def _non_finite_artists(fig) -> list[str]:
    bad = []
    for ax in fig.axes:
        for line in ax.get_lines():
            x, y = (np.asarray(d, dtype=float) for d in line.get_data())
            if x.size and not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
                bad.append(f"line {line.get_label()!r} has non-finite data")
    return bad


def _encode_png(canvas) -> bytes:
    """The canvas as PNG, with fast compression (the live path encodes every move)."""
    from PIL import Image

    img = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    )
    out = io.BytesIO()
    img.convert("RGB").save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _small_png(png: bytes, colors: int = 64) -> bytes:
    """Quantise a frame to a palette PNG (a few times smaller; the page stays under 3 MB)."""
    from PIL import Image

    img = (
        Image.open(io.BytesIO(png))
        .convert("RGB")
        .quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    )
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Each control carries its grid in data-values; the frame is the row-major index of the
# positions of all controls (a range input's value, or a fieldset's checked radio).
_SCRUBBER_JS = """(function(){var r=document.getElementById('UID');
var f=JSON.parse(r.querySelector('.lfm-frames').textContent),img=r.querySelector('img'),
cs=Array.prototype.slice.call(r.querySelectorAll('[data-values]'));
function pos(e){return Number(e.tagName==='FIELDSET'?e.querySelector('input:checked').value:e.value);}
function show(){var i=0;cs.forEach(function(e){var v=JSON.parse(e.dataset.values),k=pos(e);i=i*v.length+k;
if(e.tagName!=='FIELDSET'){e.nextElementSibling.textContent=v[k];}});
img.src='data:image/png;base64,'+f[i];r.dataset.frame=i;}
cs.forEach(function(e){e.addEventListener('input',show);e.addEventListener('change',show);});})();"""
