"""A Matplotlib figure turned into what a page shows: PNG bytes, and the HTML around
them (the image with its alt text, the caption). Explorables and still figures both
render through here, so every figure on a page is written the same way.
"""

from __future__ import annotations

import base64
import html
import io
import struct
import zlib

import numpy as np
from PIL import Image

PHONE_SCALE = 0.7  # on a phone a figure keeps ≥ 70 % of its size and pans sideways


def encode_png(canvas) -> bytes:
    """The canvas as an RGB PNG, written here: every row unfiltered, deflated at level 1.

    The live path encodes every move. Pillow tries five filters on every row and
    keeps the best: measured here, 1.8 times the time for a larger file (92 KiB
    against 82 for Chapter 7's dead-neuron figure). The pixels are the ones Pillow
    writes (a test decodes both).
    """
    w, h = canvas.get_width_height()
    rgba = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    rgb = np.asarray(rgba.convert("RGB"))  # Pillow drops alpha 3× faster than slicing
    rows = np.empty((h, 1 + 3 * w), dtype=np.uint8)
    rows[:, 0] = 0  # each row: filter type 0 (none), then its pixels
    rows[:, 1:] = rgb.reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, and the CRC of type and data."""
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def small_png(png: bytes, colors: int = 128) -> bytes:
    """Quantise a frame to a palette PNG (a few times smaller; pages stay under 3 MB).

    Fast octree keeps the few saturated colours of a figure exact (median cut merged
    orange, vermillion and pink into one) and gives smaller files too. The lightest
    colour, the figure's background, becomes exactly the page's white.
    """
    img = Image.open(io.BytesIO(png)).convert("RGB")
    img = img.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    palette = img.getpalette()[: 3 * colors]
    whitest = max(
        range(len(palette) // 3), key=lambda i: sum(palette[3 * i : 3 * i + 3])
    )
    if sum(palette[3 * whitest : 3 * whitest + 3]) >= 3 * 245:
        palette[3 * whitest : 3 * whitest + 3] = [255, 255, 255]
        img.putpalette(palette)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def base64_png(png: bytes) -> str:
    """PNG bytes as the base64 text a data: URL carries."""
    return base64.b64encode(png).decode("ascii")


def image_html(fig, payload: str, alt: str, data_alt: str | None = None) -> str:
    """The figure's image (``payload``: base64 PNG) at its own size, never shrunk on
    a phone below PHONE_SCALE of it (the panel pans sideways instead).
    ``data_alt`` keeps the figure's fixed alt text for a scrubber that appends the
    frame's numbers to it."""
    w, h = (int(round(v * fig.dpi)) for v in fig.get_size_inches())
    keep = "" if data_alt is None else f' data-alt="{html.escape(data_alt)}"'
    return (
        f'<div class="lfm-view"><img src="data:image/png;base64,{payload}" '
        f'alt="{html.escape(alt)}"{keep} width="{w}" height="{h}" '
        f'style="min-width:{int(PHONE_SCALE * w)}px"></div>'
    )


def caption_html(caption: str) -> str:
    return f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""


class StillFigure:
    """A figure with no sliders, shown as an image with alt text and a caption in the
    same panel as the explorables (HTML, so the alt text reaches the book)."""

    def __init__(self, fig, alt: str, caption: str = ""):
        if not alt.strip():
            raise ValueError("a figure needs alt text describing it")
        fig.canvas.draw()
        self.png = small_png(encode_png(fig.canvas))
        self.fig, self.alt, self.caption = fig, alt, caption

    def _repr_html_(self) -> str:
        image = image_html(self.fig, base64_png(self.png), self.alt)
        return (
            '<figure class="lfm-explorable lfm-still" data-kind="image">'
            f"{image}{caption_html(self.caption)}</figure>"
        )
