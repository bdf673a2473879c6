"""book_utils.explore: one description, a live widget and a static scrubber."""

import base64
import json
import re

import numpy as np
import pytest

from book_utils import Network, datasets, explore, plots, render, symbolic
from book_utils.explore import STATIC_ENV, WIDGET_MIME, Explorable, Table


def line_explorable(**kw):
    def build(fig):
        ax = fig.add_subplot()
        ax.set_xlim(-3, 3)
        ax.set_ylim(-10, 10)
        line = plots.live(ax.plot([], [])[0])

        def update(w, lr):
            xs = np.linspace(-3, 3, 5)
            line.set_data(xs, w * xs * lr * 10)
            return f"slope {w * lr * 10:.3g}"

        return update

    sliders = [
        explore.parameter("w", "w", 1.0, -3, 3, frames=4),
        explore.learning_rate(0.1, 0.01, 1.0, frames=3),
    ]
    kw.setdefault("static", ["w", "lr"])
    return Explorable(build, sliders, alt="a line whose slope follows w and η", **kw)


def frames_of(page: str) -> dict:
    data = re.search(
        r'<script type="application/json" class="lfm-frames">(.*?)</script>', page
    )
    return json.loads(data.group(1))


def test_static_scrubber_carries_every_frame_and_its_description(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")
    e = line_explorable()
    bundle = e._repr_mimebundle_()
    assert WIDGET_MIME in bundle and bundle[WIDGET_MIME]["model_id"]
    page = bundle["text/html"]
    assert page.count('type="range"') == 2
    data = frames_of(page)
    assert (
        len(data["i"]) == 4 * 3 == int(re.search(r'data-frames="(\d+)"', page).group(1))
    )
    assert (
        len(set(data["f"])) == len(data["f"]) == 12
    )  # every frame a different picture
    for f in data["f"]:
        assert base64.b64decode(f)[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(set(data["d"])) == 12 and all(d.startswith("slope ") for d in data["d"])
    assert "http://" not in page and "https://" not in page
    assert 'data-alt="a line whose slope follows w and η"' in page
    # the page opens on the default frame, whose alt text carries its numbers
    assert 'alt="a line whose slope follows w and η slope 1"' in page


def test_outside_a_book_build_the_page_is_one_still_frame(monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)
    e = line_explorable()
    page = e._repr_mimebundle_()["text/html"]
    assert "lfm-frames" not in page and "<script" not in page
    assert (
        page.count("<img") == 1
        and "run this notebook with a live kernel" in page.lower()
    )
    assert WIDGET_MIME in e._repr_mimebundle_()


def test_identical_frames_are_stored_once(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")

    def build(fig):
        ax = fig.add_subplot()
        text = plots.live(ax.text(0.5, 0.5, ""))

        def update(w, lr):
            text.set_text("up" if w > 0 else "down")  # η changes nothing drawn

        return update

    sliders = [
        explore.parameter("w", "w", 1.0, -1, 1, frames=4),
        explore.learning_rate(0.1, 0.01, 1.0, frames=5),
    ]
    page = Explorable(build, sliders, alt="x", static=["w", "lr"]).static_html()
    data = frames_of(page)
    assert len(data["i"]) == 20 and len(data["f"]) == 2


def test_sliders_announce_their_values_to_screen_readers(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")
    page = line_explorable().static_html()
    assert 'aria-valuetext="η = 0.1"' in page and 'aria-valuetext="w = 1"' in page
    assert page.count('aria-live="polite"') >= 3  # both readouts and the description
    assert "setAttribute('aria-valuetext'" in page


def test_the_learning_rate_always_moves_in_the_static_book():
    with pytest.raises(ValueError, match="learning-rate slider"):
        line_explorable(static=["w"])


def test_default_is_on_the_grid_and_the_page_opens_on_it():
    s = explore.learning_rate(0.05, 0.001, 0.3)
    assert 0.05 in s.grid() and len(s.grid()) == 9
    assert explore.parameter("w", "w", 0.3, -1, 1, points=[-1, 1]).grid() == [
        -1.0,
        0.3,
        1.0,
    ]
    assert explore.parameter("b", "b", -0.5, -1, 1).show(-0.5) == "−0.5"  # a real minus


def test_live_slider_moves_redraw_the_image_and_say_what_changed():
    e = line_explorable()
    e.widget()
    before, said = e._image.value, e._said.value
    e.set(w=-2.0)
    assert (
        e._image.value != before and e._said.value != said and "slope" in e._said.value
    )
    assert e.timings, "the callback records its latency"


def test_blitting_matches_a_full_redraw():
    e = line_explorable()
    e.png(w=2.0)  # creates the cached background
    fast = e.png(w=-1.5)
    e.fig.canvas.draw()  # full redraw, animated artists left out …
    for a in e._animated:  # … then drawn on top, as a reference
        e.fig.draw_artist(a)
    from book_utils.render import encode_png

    assert fast == encode_png(e.fig.canvas)


def test_the_png_writer_keeps_every_pixel_pillow_would_write():
    """encode_png writes the PNG itself (no row filters, fast deflate): a decoder
    must read back exactly the RGB pixels Pillow would have saved, for a figure with
    text, lines, markers and a smooth image (the boundary panel's background)."""
    import io

    from PIL import Image

    from book_utils import examples
    from book_utils.render import encode_png

    e = Explorable(
        plots.boundary_and_loss(lambda: examples.separation_run("spirals", 1.0, 8),
                                limits=((-2.7, 2.7), (-2.7, 2.7)), epochs_max=150),
        [explore.parameter("epoch", "epoch", 40, 0, 150, step=1)], alt="x",
        width=8.6, height=3.9,
    )  # fmt: skip
    png = e.png()
    canvas = e.fig.canvas
    w, h = canvas.get_width_height()
    rgba = np.asarray(canvas.buffer_rgba())
    pillow = Image.frombuffer("RGBA", (w, h), rgba.tobytes(), "raw", "RGBA", 0, 1)
    decoded = Image.open(io.BytesIO(png))
    assert decoded.mode == "RGB" and decoded.size == (w, h)
    assert np.array_equal(np.asarray(decoded), np.asarray(pillow.convert("RGB")))
    assert len(np.unique(rgba[:, :, :3].reshape(-1, 3), axis=0)) > 1000  # a rich image
    assert png == encode_png(canvas)  # the same bytes every time


def test_log_axes_make_only_the_ticks_they_draw_and_look_the_same(monkeypatch):
    """Explorables swap Matplotlib's log locators for ones that drop the ticks
    outside the view: fewer ticks are made, and every pixel is what the default
    locators draw (a Matplotlib change to LogLocator would show here)."""
    import io

    from PIL import Image

    from book_utils import examples, training

    task = examples.plane("moons", n=80)
    runs = [
        training.train(task.network(), task.X, task.Y, task.loss, lr=0.3, epochs=10,
                       batch_size=B)
        for B in (1, 8, 80)
    ]  # fmt: skip

    def make():
        return Explorable(
            plots.batch_size_runs(lambda lr: runs, ("1", "8", "80"), N=80, epochs=10,
                                  loss_range=(0.05, 10.0)),
            [explore.learning_rate(0.3, 0.01, 10.0),
             explore.choice("batch", "batch", ("1", "8", "80"), "8")],
            alt="x", static=["lr"], width=8.6, height=3.7,
        )  # fmt: skip

    def pixels(e):
        return np.asarray(Image.open(io.BytesIO(e.png())))

    def ticks(e):
        return sum(
            len(axis.majorTicks) + len(axis.minorTicks)
            for ax in e.fig.axes
            for axis in (ax.xaxis, ax.yaxis)
        )

    swapped = make()
    assert "InView" in type(swapped.fig.axes[0].yaxis.get_minor_locator()).__name__
    ours = pixels(swapped)
    monkeypatch.setattr(explore, "ticks_in_view_only", lambda fig: None)
    default = make()
    assert type(default.fig.axes[0].yaxis.get_minor_locator()).__name__ == "LogLocator"
    assert np.array_equal(ours, pixels(default))
    assert ticks(swapped) < 0.8 * ticks(default)


def test_self_test_catches_nan_and_dead_sliders():
    def build(fig):
        ax = fig.add_subplot()
        line = plots.live(ax.plot([], [])[0])

        def update(w, lr):
            line.set_data(
                [0, 1], [0, np.nan if w > 2 else w]
            )  # NaN at the top; η is dead

        return update

    sliders = [
        explore.parameter("w", "w", 0.0, -3, 3),
        explore.learning_rate(0.1, 0.01, 1),
    ]
    problems = Explorable(build, sliders, alt="bad", static=["lr"]).self_test()
    assert any("w=3" in p and "non-finite" in p for p in problems)
    assert any(
        p.startswith("lr: the figure at both ends of its range is the same")
        for p in problems
    )


def test_a_crashing_update_shows_a_message_not_a_traceback():
    def build(fig):
        ax = fig.add_subplot()
        line = plots.live(ax.plot([], [])[0])

        def update(w):
            if w < 0:
                raise ValueError("negative w")
            line.set_data([0, 1], [0, w])

        return update

    e = Explorable(build, [explore.parameter("w", "w", 1.0, -1, 2)], alt="crash")
    e.set(w=-1.0)  # must not raise
    assert "negative w" in e._status.value
    assert any("negative w" in p for p in e.self_test())


def test_explorable_needs_alt_text_and_known_static_sliders():
    with pytest.raises(ValueError, match="alt text"):
        Explorable(
            lambda fig: lambda w: None, [explore.parameter("w", "w", 0)], alt=" "
        )
    with pytest.raises(ValueError, match=r"static sliders \['x'\]"):
        line_explorable(static=["x", "lr"])


def test_table_explorable_swaps_html_frames(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")
    X, Y = datasets.line(20)

    def problem(w, b, lr):
        return Network([[w]], [[b]], "identity"), X, Y

    t = Table(symbolic.three_way_table(problem, "mse"),
              [explore.parameter("w", "w", 0.5, -1, 5, frames=3),
               explore.parameter("b", "b", 0.0, -4, 6, frames=2),
               explore.learning_rate(0.05, 0.001, 0.3, frames=2)],
              caption="check", static=["w", "lr"])  # fmt: skip
    page = t.static_html()
    data = frames_of(page)
    assert len(data["i"]) == 3 * 2 and all("<table" in f for f in data["f"])
    assert "<img" not in page and 'data-kind="table"' in page
    assert all("agree on both gradients" in d for d in data["d"])
    assert t.self_test() == []
    t.set(w=2.0)
    assert "0.5 →" not in t.live_payload() and "2 →" in t.live_payload()


def test_table_self_test_sees_nan_in_a_table():
    t = Table(lambda w: f"<table><tr><td>{'nan' if w > 0 else w}</td></tr></table>",
              [explore.parameter("w", "w", 0.0, -1, 1)], caption="x")  # fmt: skip
    assert any("nan" in p for p in t.self_test())


def test_choice_is_a_toggle_live_and_radio_buttons_static(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")

    def build(fig):
        ax = fig.add_subplot()
        text = plots.live(ax.text(0.5, 0.5, ""))

        def update(kind, p):
            text.set_text(f"{kind} {p:.2f}")

        return update

    controls = [
        explore.choice("kind", "loss", ["squared", "cross-entropy"]),
        explore.parameter("p", "ŷ", 0.5, 0.0, 1.0, frames=3),
    ]
    e = Explorable(build, controls, alt="x", static=["kind", "p"])
    page = e.static_html()
    assert page.count('type="range"') == 1 and page.count('type="radio"') == 2
    assert 'data-frames="6"' in page and "cross-entropy" in page
    assert e.self_test() == []
    e.set(kind="cross-entropy")
    assert type(e._controls["kind"]).__name__ == "ToggleButtons"


# ----- the shared drawings -------------------------------------------------------------
@pytest.mark.parametrize("lr", [0.001, 0.02, 0.1])
def test_descent_on_curve_draws_sensible_pictures_at_every_learning_rate(lr):
    e = Explorable(plots.descent_on_curve([[5.0]], [[12.0]], "sse", w_range=(0.0, 4.8)),
                   [explore.learning_rate(0.01, 0.001, 0.1),
                    explore.parameter("w", "w", 2.0, 0.0, 4.8)],
                   alt="x", static=["lr"])  # fmt: skip
    e.png(lr=lr, w=0.0)
    texts = [t.get_text() for t in e.fig.axes[0].texts]
    assert not explore._non_finite_artists(e.fig)
    if lr == 0.1:  # 2.5× past the divergence threshold 0.04 of the w-only model
        assert any("diverged at step" in t or "overshoots" in t for t in texts)
    else:
        assert not any("diverged" in t for t in texts)


@pytest.mark.parametrize(
    "X, Y, loss, b, act, w, lr",
    [([[2.0]], [[0.8]], "half_sse", -1.0, "sigmoid", -1.5, 3.0),  # the Error chapter
     ([[2.0]], [[0.8]], "half_sse", -1.0, "sigmoid", 0.0, 10.0),
     ([[5.0]], [[12.0]], "sse", 0.0, "identity", 2.0, 0.038),  # the Update chapter
     ([[5.0]], [[12.0]], "sse", 0.0, "identity", 0.5, 0.015)],
)  # fmt: skip
def test_every_step_drawn_lies_on_the_drawn_curve(X, Y, loss, b, act, w, lr):
    """The faded steps are trained with b fixed, exactly as the curve E(w) is drawn."""
    build = plots.descent_on_curve(X, Y, loss, w_range=(-3.0, 4.8), b=b, activation=act)
    e = Explorable(build, [explore.learning_rate(lr, 0.001, 100.0),
                           explore.parameter("w", "w", w, -3.0, 4.8)], alt="x")  # fmt: skip
    e.png(lr=lr, w=w)
    ax = e.fig.axes[0]
    curve = ax.get_lines()[0]
    path = next(line for line in ax.get_lines() if "after it" in line.get_label())
    first = next(
        line for line in ax.get_lines() if line.get_label() == "after one step"
    )
    ws, es = (np.concatenate([a, b]) for a, b in zip(first.get_data(), path.get_data()))
    assert len(ws) == 7, "one step and the six after it"
    on_curve = plots.curve_of_w(np.array(X), np.array(Y), loss, ws, b, act)
    np.testing.assert_allclose(es, on_curve, rtol=1e-12, atol=1e-12)
    assert np.interp(ws[0], *curve.get_data()) == pytest.approx(
        es[0], rel=2e-3, abs=2e-3
    )


def test_landscape_reports_divergence_and_stays_finite():
    X, Y = datasets.line(20)
    e = Explorable(plots.descent_on_landscape(X, Y, "mse"),
                   [explore.learning_rate(0.05, 0.001, 0.3),
                    explore.parameter("w0", "w0", -0.5, -1, 5),
                    explore.parameter("b0", "b0", 5.0, -4, 6)], alt="x")  # fmt: skip
    said = e.draw(lr=0.3)
    e.png(lr=0.3)
    assert any("diverged at step" in t.get_text() for t in e.fig.axes[1].texts)
    assert "diverges: at step" in said and "1,000,000 times its start" in said
    assert not explore._non_finite_artists(e.fig)
    e.png(lr=0.05)
    assert not any(t.get_text() and t.get_visible() for t in e.fig.axes[1].texts)


def test_no_drawing_uses_text_smaller_than_the_book_minimum():
    X, Y = datasets.line(20)
    net = Network.random([3, 3, 2, 1], seed=0)
    drawings = [
        (plots.descent_on_curve(X, Y, "mse"), {"w": 1.0, "lr": 0.01}),
        (plots.descent_on_landscape(X, Y, "mse"), {"lr": 0.01, "w0": 0.0, "b0": 0.0}),
        (plots.loss_comparison(), {"loss": "cross-entropy", "y_hat": 0.3, "y": 1.0}),
        (plots.forward_preview(net, 1.0, {}, ["x1", "x2", "x3"]),
         {"lr": 0.1, "x1": 1.0, "x2": 0.0, "x3": -1.0}),
    ]  # fmt: skip
    for build, values in drawings:
        fig = plots.blank_figure()
        with plots.style():
            build(fig)(**values)
        fig.canvas.draw()
        assert plots.small_fonts(fig) == []
    fig = plots.blank_figure()
    fig.add_subplot().text(0, 0, "tiny", fontsize=7)
    assert plots.small_fonts(fig) == ["'tiny' at 7 pt"]


@pytest.mark.parametrize(
    "slider",
    [explore.parameter("w", "w", 2.0, 0.0, 4.8), explore.parameter("b", "b", -0.5, -1, 5),
     explore.parameter("p", "ŷ", 0.3, 0.01, 0.99), explore.learning_rate(0.05, 0.001, 0.3),
     explore.learning_rate(0.01, 0.001, 0.1)],
)  # fmt: skip
def test_widget_keeps_the_default_on_its_grid(slider):
    widget = slider.widget()
    assert widget.value == pytest.approx(slider.default, rel=1e-12)
    if slider.log:
        positions = (np.log10(slider.default) - widget.min) / widget.step
    else:
        positions = (slider.default - widget.min) / widget.step
    assert abs(positions - round(positions)) < 1e-6, (
        "the default must sit on the step grid"
    )
    low = 10**widget.min if slider.log else widget.min
    high = 10**widget.max if slider.log else widget.max
    assert slider.min <= low + 1e-12 and high <= slider.max + 1e-12


def test_static_frames_keep_the_palette_colours():
    """Quantising a frame must not merge the book's colours: thin orange, vermillion
    and pink marks among many grey contour lines (median cut used to merge them)."""
    import io

    from PIL import Image

    X, Y = np.array([[2.0], [-1.0]]), np.array([[0.8], [0.3]])
    e = Explorable(plots.gradient_on_surface(X, Y, "half_sse", (-3, 4), (-3, 3)),
                   [explore.parameter("w", "w", -1.0, -3, 4),
                    explore.parameter("b", "b", 1.0, -3, 3),
                    explore.learning_rate(3.0, 0.1, 30)], alt="x", static=["lr"])  # fmt: skip
    raw = np.asarray(Image.open(io.BytesIO(e.png())).convert("RGB")).astype(int)
    small = np.asarray(Image.open(io.BytesIO(render.small_png(e.png()))).convert("RGB"))
    coloured = (raw.max(axis=2) - raw.min(axis=2)) > 60  # saturated pixels: the marks
    error = np.abs(raw - small.astype(int))[coloured].mean()
    assert error < 3, f"quantising shifts the marks' colours by {error:.1f} on average"
    assert (small[0, 0] == 255).all(), "the background must stay the page's exact white"


def test_a_whole_number_slider_moves_in_whole_numbers():
    s = explore.parameter("epoch", "epoch", 10, 0, 20, step=1)
    w = s.widget()
    assert w.step == 1 and w.readout_format == ".0f" and w.value == 10
    assert explore.parameter("w", "w", 0.5).widget().step == 0.01
    with pytest.raises(ValueError, match="step"):
        explore.parameter("epoch", "epoch", 10, 0, 20, step=0)


def test_the_registry_lists_live_views_without_keeping_them_alive():
    import gc
    import weakref

    e = line_explorable()
    assert e in explore.views()
    gone = weakref.ref(e)
    del e
    gc.collect()
    assert gone() is None  # a cell run again frees its old figure
    assert all(v is not None for v in explore.views())


def test_every_view_kind_declares_its_hooks():
    with pytest.raises(TypeError, match="abstract"):
        explore._View([explore.parameter("w", "w", 0.0)], None, "")
