"""Charts drawn on the server as SVG.

Why not a JavaScript charting library: the dashboard's charts are bars and one stacked bar, which a
hundred lines of SVG draw exactly; every bar can be a plain link into the records behind it; the page
works without scripts, prints, loads nothing but itself (Plotly's bundle alone is 4.5 MB), and tests
can read the charts' figures from the HTML. Colours are the Okabe-Ito palette, which people with
any common colour-vision deficiency tell apart; every figure is also written out, never shown by
colour alone, and each chart has a data table for screen readers and keyboards.

A chart is no stack of links: the bars are drawn, not focusable (a keyboard would otherwise stop on
every bar, 200 stops on one page), and the chart's data table beside it holds the links into the
records. Each chart is drawn at a few widths (:func:`responsive`) and the page shows the one that fits
the screen, so text stays 12 px on a phone as on a desktop instead of shrinking with the picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#1b1f24"
GRID = "#d8dce1"

# Widths of the drawing in px: what a phone, a half-width card and a full-width card show, so the
# 12 px text stays about 12 px on each (style.css picks the variant by the screen's width).
NARROW = 320
WIDTH = 600
WIDE = 1200
CHAR = 6.6  # average width of a 12 px system-font character, for fitting labels


@dataclass(frozen=True)
class Bar:
    label: str  # full label, for tooltips and screen readers
    value: float  # what the bar's length shows
    text: str  # the figure, formatted for people
    href: str | None = None
    short: str | None = None  # label under or beside the bar, where space is tight
    colour: str = BLUE
    note: str | None = None  # one more line for the tooltip


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    colour: str
    href: str | None = None
    dark_text: bool = False  # light colours need dark text on them


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis steps (1, 2, 2.5 or 5 times a power of ten) from zero to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _fit(text: str, width: float) -> str:
    chars = max(int(width / CHAR), 4)
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _link(href: str | None, label: str, body: str) -> str:
    """One drawn mark. ``href`` is not made a link: the data table beside the chart carries it."""
    return f"<g>{body}</g>"


def _frame(chart_id: str, title: str, summary: str, width: float, height: float, body: str) -> Markup:
    # role="img": one thing to a screen reader, named by the title and the summary; the figures one by
    # one are in the data table.
    return Markup(
        f'<svg class="chart w{width:g}" id="{chart_id}" data-chart="{chart_id.rsplit("-", 1)[0]}" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(summary)}</desc>'
        f"{body}</svg>"
    )


def responsive(chart_id: str, draw: Callable[[str, int], Markup], wide: bool = False) -> Markup:
    """The chart drawn for a phone, a half-width card and (``wide``) a full-width one; style.css shows
    the one that fits, so its text is not scaled below a readable size."""
    variants = [("narrow", NARROW), ("regular", WIDTH)] + ([("wide", WIDE)] if wide else [])
    return Markup("".join(f'<div class="chart-v {name}">{draw(f"{chart_id}-{name}", width)}</div>'
                          for name, width in variants))


def column_chart(chart_id: str, title: str, bars: Sequence[Bar], *,
                 axis: Callable[[float], str], summary: str = "", height: int = 240,
                 width: int = WIDTH) -> Markup:
    """Vertical bars over a category or time axis, with a labelled value axis."""
    left, right, top, bottom = (72 if width > NARROW else 56), 8, 18, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max((b.value for b in bars), default=0))
    scale = plot_h / ticks[-1]
    parts = []
    for t in ticks:
        y = top + plot_h - t * scale
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(axis(t))}</text>")
    slot = plot_w / max(len(bars), 1)
    every = max(1, math.ceil(len(bars) * 64 / plot_w))  # keep x labels from running into each other
    # A figure above each bar only where every figure fits its slot.
    values_fit = len(bars) <= 8 and all(len(b.text) * CHAR <= slot for b in bars)
    for i, bar in enumerate(bars):
        h = max(bar.value * scale, 0)
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        tip = f"{bar.label}: {bar.text}" + (f"\n{bar.note}" if bar.note else "")
        body = (f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{w:.1f}" '
                f'height="{max(h, 0.5):.1f}" fill="{bar.colour}"><title>{escape(tip)}</title></rect>')
        if values_fit:
            body += (f'<text class="value" x="{x + w / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
                     f'text-anchor="middle">{escape(bar.text)}</text>')
        parts.append(_link(bar.href, tip, body))
        if i % every == 0:
            label = _fit(bar.short or bar.label, slot * every - 4)
            parts.append(f'<text class="tick" x="{x + w / 2:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
                 f'stroke="{INK}"/>')
    return _frame(chart_id, title, summary, width, height, "".join(parts))


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], *, summary: str = "",
              reference: float | None = None, reference_label: str = "",
              label_width: int = 220, width: int = WIDTH, row: int = 26) -> Markup:
    """Horizontal bars, one per row, label on the left and the figure after the bar; on a phone's
    width the label goes above its bar, so neither is squeezed."""
    top, value_w = 8 if reference is None else 24, 110
    stacked = width <= NARROW
    if stacked:
        label_width, row = 0, row + 14
    height = top + row * max(len(bars), 1) + 6
    plot_w = width - label_width - value_w - (4 if stacked else 0)
    biggest = max([b.value for b in bars] + ([reference] if reference is not None else []), default=0)
    scale = plot_w / biggest if biggest > 0 else 0
    parts = []
    for i, bar in enumerate(bars):
        y = top + i * row
        w = max(bar.value * scale, 0)
        tip = f"{bar.label}: {bar.text}" + (f"\n{bar.note}" if bar.note else "")
        if stacked:
            bar_y, bar_h = y + 16, row - 20
            label = (f'<text class="label" x="0" y="{y + 12}">'
                     f"{escape(_fit(bar.short or bar.label, width))}</text>")
        else:
            bar_y, bar_h = y + 4, row - 8
            label = (f'<text class="label" x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" '
                     f'text-anchor="end">{escape(_fit(bar.short or bar.label, label_width - 12))}</text>')
        body = (
            label +
            f'<rect class="bar" x="{label_width}" y="{bar_y}" width="{max(w, 0.5):.1f}" height="{bar_h}" '
            f'fill="{bar.colour}"><title>{escape(tip)}</title></rect>'
            f'<text class="value" x="{label_width + w + 6:.1f}" y="{bar_y + bar_h / 2 + 4:.1f}">'
            f"{escape(bar.text)}</text>"
        )
        parts.append(_link(bar.href, tip, body))
    if reference is not None and scale:
        x = label_width + reference * scale
        parts.append(f'<line class="reference" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" '
                     f'y2="{height - 2}" stroke="{INK}" stroke-dasharray="4 3"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{top - 10}" text-anchor="middle">'
                     f"{escape(reference_label)}</text>")
    return _frame(chart_id, title, summary, width, height, "".join(parts))


def stacked_bar(chart_id: str, title: str, segments: Sequence[Segment], *, summary: str = "",
                width: int = WIDTH) -> Markup:
    """One bar split into shares (NPS: detractors, passives, promoters) with a legend below."""
    total = sum(s.count for s in segments)
    left, bar_h, top = 8, 36, 8
    plot_w = width - 2 * left
    parts = []
    x = float(left)
    for s in segments:
        w = plot_w * s.count / total if total else 0
        share = f"{s.count / total:.0%}" if total else "0%"
        tip = f"{s.label}: {s.count} ({share})"
        body = (f'<rect class="bar" x="{x:.1f}" y="{top}" width="{max(w, 0):.1f}" height="{bar_h}" '
                f'fill="{s.colour}"><title>{escape(tip)}</title></rect>')
        # No figure inside the bar: white or black text on these colours falls short of 4.5:1 on some
        # of them; the legend below says each share.
        parts.append(_link(s.href, tip, body))
        x += w
    legend_y = top + bar_h + 22
    lx = float(left)
    for s in segments:
        share = f"{s.count / total:.0%}" if total else "0%"
        label = f"{s.label}: {s.count} ({share})"
        if lx > left and lx + 18 + len(label) * CHAR > width:  # the legend wraps on a narrow drawing
            lx, legend_y = float(left), legend_y + 20
        parts.append(f'<rect x="{lx:.1f}" y="{legend_y - 10}" width="12" height="12" fill="{s.colour}" '
                     f'stroke="{INK}" stroke-width="0.5"/>')
        parts.append(f'<text class="label" x="{lx + 18:.1f}" y="{legend_y}">{escape(label)}</text>')
        lx += 18 + len(label) * CHAR + 24
    return _frame(chart_id, title, summary, width, legend_y + 10, "".join(parts))
