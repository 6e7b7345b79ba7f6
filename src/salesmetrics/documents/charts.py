"""The digest's charts as PNG images.

Why PNG and not the dashboard's SVG: Gmail, Outlook and most webmail strip inline SVG, while every
mail client shows a PNG. In a message the images travel as related parts (``cid:``), since Gmail also
drops ``data:`` images; in a saved HTML file and the PDF they are ``data:`` URIs, so the file stands
alone. Drawn at twice the size shown, so they stay sharp on high-density screens. Every figure is also
in the image's alt text and in the digest's tables: nothing is said by the picture alone.
"""

from __future__ import annotations

import functools
import io
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ..text.numbers import nice_ticks

# Okabe-Ito blue, as on the dashboard; text and grid as dark and light greys.
BLUE = (0, 114, 178)
INK = (27, 31, 36)
GRID = (216, 220, 225)
MUTED = (87, 96, 106)
WHITE = (255, 255, 255)
WIDTH = 560  # px shown: the 600 px mail column less its padding
SCALE = 2


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the figure, formatted for people



# DejaVu Sans, which the PDF's pages are set in too (scripts/system-deps.sh installs it): Pillow's
# own font has no euro sign, umlaut, eszett or dash, and drew every axis of a workspace in euros
# as "▯30K" (a tester). Where it is missing, Pillow's font still draws the rest.
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
              "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans.ttf")


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if os.path.exists(path):
            return ImageFont.truetype(path, size * SCALE)
    return ImageFont.load_default(size=size * SCALE)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _plain(text: str) -> str:
    # Babel keeps a number and its currency together with no-break spaces, which Pillow's font
    # lacks; in a picture nothing wraps anyway.
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
         width: float) -> str:
    text = _plain(text)
    if draw.textlength(text, font=font) <= width:
        return text
    while len(text) > 1 and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def column_chart(bars: Sequence[Bar], axis: Callable[[float], str], *,
                 height: int = 220) -> tuple[bytes, int, int]:
    """Vertical bars over time, a labelled value axis; returns (png, width, height) as shown."""
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, height * s), WHITE)
    draw = ImageDraw.Draw(image)
    small, tiny = _font(12), _font(11)
    left, right, top, bottom = 70, 8, 12, 30
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    ticks = nice_ticks(max((b.value for b in bars), default=0))
    scale = plot_h / ticks[-1]
    for t in ticks:
        y = top + plot_h - t * scale
        draw.line([(left * s, y * s), ((WIDTH - right) * s, y * s)], fill=GRID, width=s)
        label = _plain(axis(t))
        draw.text(((left - 6) * s, y * s), label, fill=MUTED, font=tiny, anchor="rm")
    slot = plot_w / max(len(bars), 1)
    every = max(1, math.ceil(len(bars) * 56 / plot_w))
    for i, bar in enumerate(bars):
        h = max(bar.value * scale, 0)
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        draw.rectangle([(x * s, (top + plot_h - max(h, 0.5)) * s), ((x + w) * s, (top + plot_h) * s)],
                       fill=BLUE)
        if i % every == 0:
            label = _fit(draw, bar.label, small, (slot * every - 4) * s)
            draw.text(((x + w / 2) * s, (height - bottom + 14) * s), label, fill=INK, font=small,
                      anchor="mm")
    draw.line([(left * s, (top + plot_h) * s), ((WIDTH - right) * s, (top + plot_h) * s)], fill=INK,
              width=s)
    return _png(image), WIDTH, height


def bar_chart(bars: Sequence[Bar], *, label_width: int = 200, row: int = 26) -> tuple[bytes, int, int]:
    """Horizontal bars, label on the left and the figure after the bar; returns (png, width, height)."""
    s = SCALE
    height = row * max(len(bars), 1) + 8
    image = Image.new("RGB", (WIDTH * s, height * s), WHITE)
    draw = ImageDraw.Draw(image)
    font = _font(12)
    value_w = 110
    plot_w = WIDTH - label_width - value_w
    biggest = max((b.value for b in bars), default=0)
    scale = plot_w / biggest if biggest > 0 else 0
    for i, bar in enumerate(bars):
        y = 4 + i * row
        w = max(bar.value * scale, 0.5)
        label = _fit(draw, bar.label, font, (label_width - 12) * s)
        draw.text(((label_width - 8) * s, (y + row / 2) * s), label, fill=INK, font=font, anchor="rm")
        draw.rectangle([(label_width * s, (y + 4) * s), ((label_width + w) * s, (y + row - 4) * s)],
                       fill=BLUE)
        draw.text(((label_width + w + 6) * s, (y + row / 2) * s), _plain(bar.text), fill=INK, font=font,
                  anchor="lm")
    return _png(image), WIDTH, height
