"""book_utils.explore: one description, a live widget and a static scrubber."""

import base64
import json
import re

import numpy as np
import pytest

from book_utils import Network, datasets, explore, plots
from book_utils.explore import WIDGET_MIME, Explorable


def line_explorable(**kw):
    def build(fig):
        ax = fig.add_subplot()
        ax.set_xlim(-3, 3)
        ax.set_ylim(-10, 10)
        line = plots.live(ax.plot([], [])[0])

        def update(w, lr):
            xs = np.linspace(-3, 3, 5)
            line.set_data(xs, w * xs * lr * 10)

        return update

    sliders = [
        explore.parameter("w", "w", 1.0, -3, 3, frames=4),
        explore.learning_rate(0.1, 0.01, 1.0, frames=3),
    ]
    return Explorable(build, sliders, alt="a line whose slope follows w and η", **kw)


def test_mime_bundle_carries_widget_and_static_scrubber():
    e = line_explorable(static=["w", "lr"])
    bundle = e._repr_mimebundle_()
    assert WIDGET_MIME in bundle and bundle[WIDGET_MIME]["model_id"]
    html = bundle["text/html"]
    assert html.count('type="range"') == 2
    frames = json.loads(
        re.search(
            r'<script type="application/json" class="lfm-frames">(.*?)</script>', html
        ).group(1)
    )
    assert len(frames) == 4 * 3 == int(re.search(r'data-frames="(\d+)"', html).group(1))
    assert len(set(frames)) == len(frames)  # every frame is a different picture
    for f in frames:
        assert base64.b64decode(f)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "http://" not in html and "https://" not in html
    assert 'alt="a line whose slope follows w and η"' in html


def test_default_is_on_the_grid_and_the_page_opens_on_it():
    s = explore.learning_rate(0.05, 0.001, 0.3)
    assert 0.05 in s.grid() and len(s.grid()) == 9
    assert explore.parameter("w", "w", 0.3, -1, 1, points=[-1, 1]).grid() == [
        -1.0,
        0.3,
        1.0,
    ]


def test_live_slider_moves_redraw_the_image():
    e = line_explorable()
    e.widget()
    before = e._image.value
    e.set(w=-2.0)
    assert e._image.value != before
    assert e.timings, "the callback records its latency"


def test_blitting_matches_a_full_redraw():
    e = line_explorable()
    e.png(w=2.0)  # creates the cached background
    fast = e.png(w=-1.5)
    e.fig.canvas.draw()  # full redraw, animated artists left out …
    for a in e._animated:  # … then drawn on top, as a reference
        e.fig.draw_artist(a)
    from book_utils.explore import _encode_png

    assert fast == _encode_png(e.fig.canvas)


def test_self_test_catches_nan_and_dead_sliders():
    def build(fig):
        ax = fig.add_subplot()
        line = plots.live(ax.plot([], [])[0])

        def update(w, lr):
            line.set_data(
                [0, 1], [0, np.nan if w > 2 else w]
            )  # NaN at the top of the range; η does nothing

        return update

    e = Explorable(
        build,
        [explore.parameter("w", "w", 0.0, -3, 3), explore.learning_rate(0.1, 0.01, 1)],
        alt="bad",
    )
    problems = e.self_test()
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
        line_explorable(static=["x"])


@pytest.mark.parametrize("lr", [0.001, 0.02, 0.1])
def test_descent_on_curve_draws_sensible_pictures_at_every_learning_rate(lr):
    e = Explorable(
        plots.descent_on_curve([[5.0]], [[12.0]], "sse", w_range=(0.0, 4.8)),
        [
            explore.learning_rate(0.01, 0.001, 0.1),
            explore.parameter("w", "w", 2.0, 0.0, 4.8),
        ],
        alt="x",
    )
    e.png(lr=lr, w=0.0)
    texts = [t.get_text() for t in e.fig.axes[0].texts]
    if lr == 0.1:  # 2.5× past the divergence threshold 0.04
        assert any("diverged at step" in t for t in texts)
    else:
        assert not any("diverged" in t for t in texts)
    assert not explore._non_finite_artists(e.fig)


def test_landscape_reports_divergence_and_stays_finite():
    X, Y = datasets.line(20)
    e = Explorable(
        plots.descent_on_landscape(X, Y, "mse"),
        [
            explore.learning_rate(0.05, 0.001, 0.3),
            explore.parameter("w0", "w0", -0.5, -1, 5),
            explore.parameter("b0", "b0", 5.0, -4, 6),
        ],
        alt="x",
    )
    e.png(lr=0.3)
    assert any("diverged at step" in t.get_text() for t in e.fig.axes[1].texts)
    assert not explore._non_finite_artists(e.fig)
    e.png(lr=0.05)
    assert not any(t.get_text() for t in e.fig.axes[1].texts)


def test_three_way_figure_shows_agreement():
    X, Y = datasets.line(20)
    e = Explorable(
        plots.three_way_figure(
            lambda w, b, lr: Network([[w]], [[b]], "identity"), X, Y, "mse"
        ),
        [
            explore.parameter("w", "w", 0.5, -1, 5),
            explore.parameter("b", "b", 0, -4, 6),
            explore.learning_rate(0.05, 0.001, 0.3),
        ],
        alt="x",
    )
    e.png(w=1.0, b=0.0, lr=0.05)
    assert "all three agree" in e.fig.axes[0].get_title()
    assert e.self_test() == []


def test_choice_is_a_toggle_live_and_a_scrubber_static():
    def build(fig):
        ax = fig.add_subplot()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        text = plots.live(ax.text(0.5, 0.5, ""))

        def update(kind, p):
            text.set_text(f"{kind} {p:.2f}")

        return update

    e = Explorable(
        build,
        [
            explore.choice("kind", "loss", ["squared", "cross-entropy"]),
            explore.parameter("p", "ŷ", 0.5, 0.0, 1.0, frames=3),
        ],
        alt="x",
        static=["kind", "p"],
    )
    html = e.static_html()
    assert (
        html.count('type="range"') == 1
        and html.count('type="radio"') == 2
        and 'data-frames="6"' in html
    )
    assert "squared" in html and "cross-entropy" in html
    assert e.self_test() == []
    e.set(kind="cross-entropy")
    assert type(e._controls["kind"]).__name__ == "ToggleButtons"


@pytest.mark.parametrize(
    "slider",
    [
        explore.parameter("w", "w", 2.0, 0.0, 4.8),
        explore.parameter("b", "b", -0.5, -1, 5),
        explore.parameter("p", "ŷ", 0.3, 0.01, 0.99),
        explore.learning_rate(0.05, 0.001, 0.3),
        explore.learning_rate(0.01, 0.001, 0.1),
    ],
)
def test_widget_keeps_the_default_on_its_grid(slider):
    widget = slider.widget()
    assert widget.value == pytest.approx(slider.default, rel=1e-12)
    positions = (
        (np.log10(slider.default) - widget.min) / widget.step
        if slider.log
        else (slider.default - widget.min) / widget.step
    )
    assert abs(positions - round(positions)) < 1e-6, (
        "the default must sit on the slider's step grid"
    )
    low = 10**widget.min if slider.log else widget.min
    high = 10**widget.max if slider.log else widget.max
    assert slider.min <= low + 1e-12 and high <= slider.max + 1e-12
