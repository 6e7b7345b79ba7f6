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

from ..text.numbers import nice_ticks

# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#1b1f24"  # style.css gives lines of INK and GRID the colour scheme's muted
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
                 width: int = WIDTH, series: Sequence[Series] = (), top: int = 18,
                 markers: Sequence[Marker] = ()) -> Markup:
    """Vertical bars over a category or time axis, with a labelled value axis; ``series`` are lines
    over the bars (see :func:`line_chart_over_columns`, which adds their legend); ``markers`` are
    moments drawn as dashed vertical lines (a program's start on a trend)."""
    left, right, bottom = (72 if width > NARROW else 56), 8, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    lined = [v for s in series for v in s.values if v is not None]
    shown = [b.value for b in bars] + lined
    # Counts (deals, answers) get whole steps; any figure with a fraction keeps the finer ones.
    ticks = nice_ticks(max(shown, default=0), whole=all(float(v).is_integer() for v in shown))
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
    for s in series:
        parts.append(_series(s, left, slot, top + plot_h, scale))
    parts += [_marker(m, left, slot, top, top + plot_h) for m in markers]
    return _frame(chart_id, title, summary, width, height, "".join(parts))


def _series(s: Series, left: float, slot: float, base: float, scale: float) -> str:
    """A line over the bars: the period before through each slot's middle (a mark at each point), a
    target as a step across each slot. A None value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    marks = []
    for i, value in enumerate(s.values):
        if value is None:
            runs.append([])
            continue
        y = base - value * scale
        x0 = left + i * slot
        text = s.texts[i] if i < len(s.texts) and s.texts[i] else ""
        if s.kind == "target":
            runs[-1] += [(x0 + 1, y), (x0 + slot - 1, y)]
        else:
            runs[-1].append((x0 + slot / 2, y))
            marks.append(f'<circle class="series-mark" cx="{x0 + slot / 2:.1f}" cy="{y:.1f}" r="3">'
                         f"<title>{escape(s.label)}: {escape(text)}</title></circle>")
    dash = ' stroke-dasharray="5 3"' if s.kind == "target" else ""
    lines = "".join(
        f'<polyline class="series {s.kind}" fill="none" stroke="{SERIES_COLOURS[s.kind]}" stroke-width="2"'
        f'{dash} points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}"/>' for run in runs if run)
    return f'<g class="{s.kind}">{lines}{"".join(marks)}</g>'


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
    # The reference line first, under the bars and their words: on a phone the names stand where
    # it runs, and it ran through them (the dashboard tester); the page's stylesheet rings the
    # words in the card's colour.
    if reference is not None and scale:
        x = label_width + reference * scale
        parts.append(f'<line class="reference" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" '
                     f'y2="{height - 2}" stroke="{INK}" stroke-dasharray="4 3"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{top - 10}" text-anchor="middle">'
                     f"{escape(reference_label)}</text>")
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


# -- lines over bars, intervals, a funnel ---------------------------------------------------------
@dataclass(frozen=True)
class Series:
    """A line drawn over a column chart's bars, one value per bar (None: no point there).

    ``kind`` says how it is drawn (style.css): ``previous`` a solid line with a mark at each bar, so a
    single point still shows; ``target`` a dashed step across each bar's slot, the level the bar
    should reach."""

    label: str
    values: Sequence[float | None]
    kind: str  # previous or target
    texts: Sequence[str | None] = ()  # each value in words, for the tooltips


SERIES_COLOURS = {"previous": INK, "target": VERMILLION}


def _legend(items: Sequence[tuple[str, str]], width: float, y: float) -> tuple[str, float]:
    """A legend row (wrapping on a narrow drawing): (kind, label) with kind ``bar``, ``previous`` or
    ``target``. Returns the SVG and the y below it."""
    parts, x = [], 0.0
    for kind, label in items:
        need = 26 + len(label) * CHAR
        if x > 0 and x + need > width:
            x, y = 0.0, y + 18
        if kind == "bar":
            parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="14" height="10" fill="{BLUE}"/>')
        elif kind == "mark":  # a figure with its interval (interval_chart)
            parts.append(f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="{y - 4}" y2="{y - 4}" stroke="{BLUE}" '
                         f'stroke-width="2"/><circle cx="{x + 9:.1f}" cy="{y - 4}" r="4" fill="{BLUE}"/>')
        elif kind == "other":
            parts.append(f'<rect x="{x + 4:.1f}" y="{y - 9}" width="9" height="9" fill="none" '
                         f'stroke="{VERMILLION}" stroke-width="2" '
                         f'transform="rotate(45 {x + 8.5:.1f} {y - 4.5})"/>')
        else:
            dash = ' stroke-dasharray="5 3"' if kind == "target" else ""
            parts.append(f'<line class="series {kind}" x1="{x:.1f}" x2="{x + 18:.1f}" y1="{y - 4}" '
                         f'y2="{y - 4}" stroke="{SERIES_COLOURS[kind]}" stroke-width="2"{dash}/>')
            if kind == "previous":
                parts.append(f'<circle class="series-mark" cx="{x + 9:.1f}" cy="{y - 4}" r="3"/>')
        parts.append(f'<text class="legend" x="{x + 22:.1f}" y="{y}">{escape(label)}</text>')
        x += need + 12
    return "".join(parts), y + 8


def line_chart_over_columns(chart_id: str, title: str, bars: Sequence[Bar], series: Sequence[Series], *,
                            axis: Callable[[float], str], bars_label: str, summary: str = "",
                            height: int = 260, width: int = WIDTH,
                            markers: Sequence[Marker] = ()) -> Markup:
    """The column chart with lines over it (the period before, the target) and a legend on top."""
    legend, below = _legend([("bar", bars_label)] + [(s.kind, s.label) for s in series], width - 8, 14)
    body = column_chart(chart_id, title, bars, axis=axis, summary=summary, height=height, width=width,
                        series=series, top=int(below) + 6, markers=markers)
    return Markup(str(body).replace("</svg>", f'<g class="legend">{legend}</g></svg>', 1))


def interval_chart(chart_id: str, title: str, rows: Sequence[Interval], *, axis: Callable[[float], str],
                   summary: str = "", legend: Sequence[tuple[str, str]] = (),
                   references: Sequence[tuple[float, str]] = (), top_value: float | None = None,
                   label_width: int = 150, width: int = WIDTH, row: int = 30) -> Markup:
    """A mark per row with its 95 % interval as a whisker (and a second, hollow mark: the figure
    without), on one value axis; ``references`` are labelled vertical lines (1.0, a claim). On a
    phone's width the label goes above its row."""
    stacked = width <= NARROW
    if stacked:
        label_width, row = 0, row + 14
    value_w = 64
    legend_svg, top = _legend(legend, width - 8, 14) if legend else ("", 4.0)
    top += 16 * len(references) + 2  # one line per reference label, so close ones do not collide
    height = top + row * max(len(rows), 1) + 24
    plot_x = label_width + 6 if label_width else 16  # room for the first tick's label
    plot_w = width - plot_x - value_w - 12
    values = [v for r in rows for v in (r.value, r.low, r.high, r.other) if v is not None]
    values += [v for v, _ in references]
    ticks = nice_ticks(top_value if top_value is not None else max(values, default=1.0), 4)
    scale = plot_w / ticks[-1]
    parts = [legend_svg]
    bottom = top + row * max(len(rows), 1)
    for t in ticks:
        x = plot_x + t * scale
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
                     f"{escape(axis(t))}</text>")
    for i, (value, label) in enumerate(references):
        x = plot_x + value * scale
        y = top - 8 - 16 * (len(references) - 1 - i)
        parts.append(f'<line class="reference" x1="{x:.1f}" x2="{x:.1f}" y1="{y + 4}" y2="{bottom}" '
                     f'stroke="{INK}" stroke-dasharray="4 3"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>')
    for i, r in enumerate(rows):
        y = top + i * row
        mid = y + (row + 14) / 2 if stacked else y + row / 2
        tip = r.label + ": " + r.text + (f"\n{r.note}" if r.note else "")
        if stacked:
            parts.append(f'<text class="label" x="0" y="{y + 12}">{escape(_fit(r.label, width))}</text>')
        else:
            parts.append(f'<text class="label" x="{label_width - 4}" y="{mid + 4:.1f}" text-anchor="end">'
                         f"{escape(_fit(r.label, label_width - 8))}</text>")
        body = ""
        if r.low is not None and r.high is not None:
            x1, x2 = plot_x + r.low * scale, plot_x + r.high * scale
            body += (f'<line class="whisker" x1="{x1:.1f}" x2="{x2:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
                     f'stroke="{BLUE}" stroke-width="2"/>')
            for x in (x1, x2):
                body += (f'<line class="whisker" x1="{x:.1f}" x2="{x:.1f}" y1="{mid - 6:.1f}" '
                         f'y2="{mid + 6:.1f}" stroke="{BLUE}" stroke-width="2"/>')
        if r.other is not None:
            x = plot_x + r.other * scale
            body += (f'<rect class="other" x="{x - 5:.1f}" y="{mid - 5:.1f}" width="10" height="10" '
                     f'transform="rotate(45 {x:.1f} {mid:.1f})" fill="none" stroke="{VERMILLION}" '
                     f'stroke-width="2"/>')
        if r.value is not None:
            body += (f'<circle class="mark" cx="{plot_x + r.value * scale:.1f}" cy="{mid:.1f}" r="5" '
                     f'fill="{BLUE}"/>')
        parts.append(f'<g><title>{escape(tip)}</title>{body}</g>')
        parts.append(f'<text class="value" x="{width - value_w:.1f}" y="{mid + 4:.1f}">'
                     f"{escape(r.text)}</text>")
    return _frame(chart_id, title, summary, width, height, "".join(parts))


@dataclass(frozen=True)
class Interval:
    """One row of an interval chart: the figure, its 95 % interval, and maybe a figure to set it
    against (the win rate without an activity type)."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    text: str  # the figure in words, right of the row
    other: float | None = None
    note: str | None = None  # more for the tooltip


def funnel_chart(chart_id: str, title: str, bars: Sequence[Bar], *, summary: str = "",
                 label_width: int = 150, width: int = WIDTH, row: int = 30) -> Markup:
    """Stages top to bottom, each a bar centred on one axis, as wide as the deals that were in it;
    the figure (and how many went on) to the right. On a phone's width the label goes above."""
    stacked = width <= NARROW
    if stacked:  # the figure goes beside the label, above the bar: the bar takes the whole width
        label_width, row = 0, row + 14
    value_w = 0 if stacked else 150
    height = 6 + row * max(len(bars), 1)
    plot_x, plot_w = label_width + 6, width - label_width - value_w - 12
    biggest = max((b.value for b in bars), default=0)
    scale = plot_w / biggest if biggest > 0 else 0
    centre = plot_x + plot_w / 2
    parts = []
    for i, bar in enumerate(bars):
        y = top = 4 + i * row
        w = max(bar.value * scale, 1.0)
        tip = f"{bar.label}: {bar.text}" + (f"\n{bar.note}" if bar.note else "")
        if stacked:
            parts.append(f'<text class="label" x="0" y="{y + 12}">'
                         f'{escape(_fit(f"{bar.short or bar.label}: {bar.text}", width))}</text>')
            top = y + 16
        else:
            parts.append(f'<text class="label" x="{label_width - 4}" y="{y + row / 2 + 4:.1f}" '
                         f'text-anchor="end">{escape(_fit(bar.short or bar.label, label_width - 8))}</text>')
        h = row - (20 if stacked else 8)
        parts.append(f'<g><rect class="bar" x="{centre - w / 2:.1f}" y="{top + (0 if stacked else 4)}" '
                     f'width="{w:.1f}" height="{h}" fill="{bar.colour}"><title>{escape(tip)}</title>'
                     "</rect></g>")
        if not stacked:
            parts.append(f'<text class="value" x="{width - value_w:.1f}" '
                         f'y="{top + 4 + h / 2 + 4:.1f}">{escape(_fit(bar.text, value_w))}</text>')
    return _frame(chart_id, title, summary, width, height, "".join(parts))
def money_stack(chart_id: str, title: str, segments: Sequence[Bar], *, summary: str = "",
                target: float | None = None, target_label: str = "", width: int = WIDE) -> Markup:
    """One bar of amounts laid end to end (the forecast: closed won, then commit, best case and
    pipeline) against a target line (the quota); the legend below writes every figure out (in
    lines, as wide as the chart allows). The links to what is behind each part are the data
    table's, as every chart's (:func:`_link`)."""
    left, right, top, bar_h = 8, 8, 26, 40
    plot_w = width - left - right
    total = sum(max(s.value, 0) for s in segments)
    biggest = max(total, target or 0)
    scale = plot_w / biggest if biggest > 0 else 0
    parts = []
    x = float(left)
    for s in segments:
        w = max(s.value, 0) * scale
        tip = f"{s.label}: {s.text}" + (f"\n{s.note}" if s.note else "")
        body = (f'<rect class="bar" x="{x:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{s.colour}"><title>{escape(tip)}</title></rect>')
        if w > len(s.text) * CHAR + 8:
            fill = INK if s.colour in (YELLOW, SKY, ORANGE) else "#ffffff"
            body += (f'<text class="inside" x="{x + w / 2:.1f}" y="{top + bar_h / 2 + 4}" '
                     f'text-anchor="middle" fill="{fill}">{escape(s.text)}</text>')
        parts.append(_link(s.href, tip, body))
        x += w
    if target is not None and scale:
        tx = left + target * scale
        parts.append(f'<line class="reference" x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 8}" '
                     f'y2="{top + bar_h + 8}" stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>')
        anchor = "end" if tx > width - 120 else "middle"
        parts.append(f'<text class="tick" x="{tx:.1f}" y="{top - 12}" text-anchor="{anchor}">'
                     f"{escape(target_label)}</text>")
    legend_y = top + bar_h + 30
    lx = float(left)
    for s in segments:
        label = f"{s.short or s.label}: {s.text}"
        step = 18 + len(label) * CHAR + 24
        if lx > left and lx + step - 24 > width - right:  # a narrow chart: the legend wraps
            lx, legend_y = float(left), legend_y + 20
        body = (f'<rect x="{lx:.1f}" y="{legend_y - 10}" width="12" height="12" fill="{s.colour}" '
                f'stroke="{INK}" stroke-width="0.5"/>'
                f'<text class="label" x="{lx + 18:.1f}" y="{legend_y}">{escape(label)}</text>')
        parts.append(_link(s.href, f"{s.label}: {s.text}", body))
        lx += step
    return _frame(chart_id, title, summary, width, legend_y + 10, "".join(parts))


@dataclass(frozen=True)
class BandLine:
    """One line of a line chart, with its 95 % band: a value (or None: no figure) per x label."""

    label: str
    colour: str
    values: Sequence[float | None]
    lows: Sequence[float | None]
    highs: Sequence[float | None]
    texts: Sequence[str]  # each value as people read it, for tooltips
    dashed: bool = False  # told apart by the line's pattern and the points' shape, not colour alone


@dataclass(frozen=True)
class Marker:
    """A moment on the x axis: ``position`` in slots (2.5 is halfway through the third label's slot)."""

    position: float
    label: str


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indices of consecutive values that are there: a line is not drawn across a gap."""
    runs: list[list[int]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _marker(m: Marker, left: float, slot: float, top: float, bottom_y: float) -> str:
    x = left + m.position * slot
    return (f'<g class="marker"><line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{bottom_y:.1f}" '
            f'stroke="{INK}" stroke-dasharray="4 3"><title>{escape(m.label)}</title></line>'
            f'<text class="tick" x="{x + 4:.1f}" y="{top + 6}" paint-order="stroke" stroke="#ffffff" '
            f'stroke-width="4">{escape(m.label)}</text></g>')


def line_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[BandLine], *,
               axis: Callable[[float], str], summary: str = "", markers: Sequence[Marker] = (),
               height: int = 260, width: int = WIDE) -> Markup:
    """Lines over a time axis, each with a shaded band (its 95 % interval), and vertical dashed lines
    for moments (a program's start). A legend says which line is which by pattern and shape."""
    left, right, top, bottom = (72 if width > NARROW else 56), 8, 22, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    present = [v for s in series for v in (*s.values, *s.highs) if v is not None]
    ticks = nice_ticks(max(present, default=0))
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(labels), 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + (i + 0.5) * slot, top + plot_h - v * scale

    parts = []
    for t in ticks:
        y = top + plot_h - t * scale
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(axis(t))}</text>")
    every = max(1, math.ceil(len(labels) * 64 / plot_w))
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text class="tick" x="{left + (i + 0.5) * slot:.1f}" y="{top + plot_h + 16}" '
                         f'text-anchor="middle">{escape(_fit(label, slot * every - 4))}</text>')
    for s in series:
        banded = [i for i in range(len(labels)) if s.lows[i] is not None and s.highs[i] is not None]
        for run in _runs([1.0 if i in banded else None for i in range(len(labels))]):
            upper = [xy(i, float(s.highs[i] or 0)) for i in run]
            lower = [xy(i, float(s.lows[i] or 0)) for i in reversed(run)]
            if len(run) == 1:  # a lone month: a bar of its band
                (x, y1), (_, y2) = upper[0], lower[0]
                parts.append(f'<rect class="band" x="{x - 6:.1f}" y="{y1:.1f}" width="12" '
                             f'height="{max(y2 - y1, 0.5):.1f}" fill="{s.colour}" fill-opacity="0.18"/>')
                continue
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower)
            parts.append(f'<polygon class="band" points="{points}" fill="{s.colour}" fill-opacity="0.18"/>')
        for run in _runs(s.values):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, float(s.values[i] or 0)) for i in run))
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            parts.append(f'<polyline class="line" points="{path}" fill="none" stroke="{s.colour}" '
                         f'stroke-width="2"{dash}/>')
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x, y = xy(i, float(v))
            tip = escape(f"{s.label}, {labels[i]}: {s.texts[i]}")
            shape = (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{s.colour}">'
                     if s.dashed else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{s.colour}">')
            closing = "</rect>" if s.dashed else "</circle>"
            parts.append(f'{shape}<title>{tip}</title>{closing}')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
                 f'stroke="{INK}"/>')
    parts += [_marker(m, left, slot, top, top + plot_h) for m in markers]
    lx, ly = float(left), height - 14
    for s in series:
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        parts.append(f'<line x1="{lx:.1f}" x2="{lx + 24:.1f}" y1="{ly - 4}" y2="{ly - 4}" '
                     f'stroke="{s.colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text class="label" x="{lx + 30:.1f}" y="{ly}">{escape(s.label)}</text>')
        lx += 30 + len(s.label) * CHAR + 24
    return _frame(chart_id, title, summary, width, height, "".join(parts))
