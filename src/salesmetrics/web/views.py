"""From the core's answers to what a page shows: words, formatted figures, links and charts.

Formatting only: every figure comes from the core as it is, and is written with
:func:`salesmetrics.text.numbers.format_value`, like the terminal writes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from ..coverage import PeriodHint
from ..dashboard import Dashboard, Point, ProgramMark
from ..drilldown import COLUMN_UNITS, RecordsBehind, WonLost, has_records
from ..insights.effectiveness import ActivityEffectiveness
from ..insights.funnel import Funnel
from ..insights.program_effect import EventStudy, ProgramEffect
from ..insights.ramp import BENCHMARK_COMPETENT, BENCHMARK_TOP
from ..insights.satisfaction import CLAIMED_UPLIFT, Satisfaction
from ..insights.scorecard import Scorecard
from ..kpis import REGISTRY
from ..kpis.model import Text
from ..periods import Period, add_months, parse_period
from ..programs import Program
from ..summary import Headline
from ..target_status import TargetStatus
from ..text.figures import format_figure, format_flag, format_status
from ..text.insights import diagnosis_label_key
from ..text.numbers import (
    LOCALES,
    format_compact,
    format_day,
    format_delta,
    format_p_value,
    format_period,
    format_record_moment,
    short_of_one,
    week_label,
)
from ..text.numbers import format_value as render_value
from ..text.programs import (
    also_in_text,
    cost_caveat,
    effect_sentence,
    effect_span,
    format_effect,
    format_group_value,
    format_p,
    format_unit_cost,
    kind_text,
    kpi_label,
    months_text,
    not_measured_text,
    onboarding_sentence,
    ramping_text,
)
from . import charts
from .i18n import Words

PERIOD_PRESETS = ("this-month", "last-month", "last-30-days", "last-90-days", "this-quarter",
                  "last-quarter", "this-year", "last-year")
FILTER_DIMS = ("team", "rep", "product", "source", "pipeline", "segment", "industry", "region")
# Past this many values a filter is typed (a name or an ID) instead of picked from a list: 2,000 reps
# at 1M deals made a list nobody scrolls through, 113 KB of a 310 KB page on a phone.
TYPED_CHOICE_OVER = 200


@dataclass(frozen=True)
class ViewState:
    """What a page was asked for; links made from it keep the period, filters and language."""

    period: str
    grain: str | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    as_of: date | None = None

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        merged: dict[str, Any] = {"period": self.period, "grain": self.grain, "as_of": self.as_of,
                                  **self.filters}
        merged.update(changes)
        out: list[tuple[str, str]] = []
        for key, value in merged.items():
            for item in value if isinstance(value, list | tuple) else [value]:
                if item is not None and item != "":
                    out.append((key, str(item)))
        return out

    def url(self, path: str, **changes: Any) -> str:
        query = urlencode(self.params(**changes))
        return f"{path}?{query}" if query else path

    def value(self, dim: str) -> str:
        values = self.filters.get(dim) or []
        return values[0] if len(values) == 1 else ""


def raw(value: Any) -> str:
    """A figure exactly as the API writes it, for data attributes tests and scripts can read."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


class Formatter:
    """Figures for one language and currency."""

    def __init__(self, lang: str, currency: str | None) -> None:
        self.lang = lang
        self.currency = currency
        self.t = Words(lang)

    def value(self, value: Any, unit: str) -> str:
        return render_value(value, unit, self.currency, self.lang)

    def kpi(self, value: Any, kpi: str) -> str:
        return self.value(value, REGISTRY[kpi].unit)

    def number(self, value: int) -> str:
        return self.value(value, "count")

    def decimal(self, value: Any, pattern: str = "#,##0.#") -> str:
        """A plain figure (activities per deal, days in a stage, a ratio of two averages)."""
        if value is None:
            return "–"
        return str(format_decimal(value, format=pattern, locale=LOCALES[self.lang]))

    def percent(self, value: Any) -> str:
        """A share to the whole percent: the pace against a target."""
        if value is None:
            return "–"
        return str(format_percent(value, format="#,##0 %", locale=LOCALES[self.lang]))

    def p_value(self, p: float) -> str:
        return format_p_value(p, self.lang)

    def p_text(self, p: float) -> str:
        """``p < 0.001`` or ``p = 0.034``."""
        shown = self.p_value(p)
        return f"p {shown}" if shown.startswith("<") else f"p = {shown}"

    def span(self, low: Any, high: Any, unit: str) -> str | None:
        """An interval, ``18.3 to 24.1 %`` (with a dash): a unit both ends share is written once.
        None without one; an open upper end (a median not bounded yet) reads as "at least"."""
        if low is None:
            return None
        lo = self.value(low, unit)
        if high is None:
            return self.t("at_least", value=lo)
        hi = self.value(high, unit)
        unit_text = re.search(r"\D*$", lo)
        suffix = unit_text[0] if unit_text else ""
        if suffix.strip() and hi.endswith(suffix):
            lo = lo[: -len(suffix)]
        return f"{lo} – {hi}"

    def interval(self, low: Any, high: Any, unit: str) -> str | None:
        """``95 %: 18.3 to 24.1 %`` (with a dash), or None without an interval."""
        span = self.span(low, high, unit)
        return None if span is None else self.t("ci", range=span)

    def short_period(self, period: Period) -> str:
        """A column head for a period: ``Jul 2026`` for a month, ``2026-Q2`` for a quarter."""
        if period.cut_within is not None:  # part of its last day (periods.to_date): says so
            return self.period(period)
        if period.start.day == 1 and add_months(period.start, 1) == period.end:
            return str(format_skeleton("yMMM", period.start, locale=LOCALES[self.lang]))
        if re.fullmatch(r"\d{4}(-Q\d)?", period.label):
            return period.label
        return self.period(period)

    def period(self, period: Any) -> str:
        return format_period(period, self.lang)

    def deals(self, n: int) -> str:
        """``12 deals``, ``1 deal``."""
        return self.t("deals_count_one") if n == 1 else self.t("deals_count", n=self.number(n))

    def day(self, day: date) -> str:
        return format_day(day, self.lang)

    def flag(self, flag: str, days_so_far: int | None = None) -> str:
        return format_flag(flag, self.lang, days_so_far)

    def cell(self, column: str, value: Any) -> str:
        if value is None:
            return "–"
        unit = COLUMN_UNITS.get(column)
        if unit == "datetime" and isinstance(value, datetime):
            return format_record_moment(value, self.lang)
        if unit == "bool":
            return self.t.value(str(bool(value)).lower())
        if unit in ("money", "days", "count"):
            return self.value(value, unit)
        if column in ("status", "category", "activity_type"):
            return self.t.value(str(value))
        return str(value)


@dataclass(frozen=True)
class HintView:
    """A period without records: where the records are, and a link to a period that has some."""

    text: str
    link: str | None
    href: str | None


def period_hint(hint: PeriodHint | None, state: ViewState, f: Formatter,
                path: str = "/") -> HintView | None:
    """The hint, linking ``path`` (the page it is on) for the period suggested."""
    if hint is None:
        return None
    if hint.unseen:
        return HintView(f.t("no_records_yours"), None, None)
    if hint.first is None or hint.last is None or hint.suggestion is None:
        return HintView(f.t("no_records_yet"), None, None)
    if not hint.outside:  # a quiet day between records: said, with nothing to try instead
        return HintView(f.t("period_quiet", first=f.day(hint.first), last=f.day(hint.last)), None, None)
    return HintView(f.t("period_without_records", first=f.day(hint.first), last=f.day(hint.last)),
                    f.t("try_period", period=hint.suggestion), state.url(path, period=hint.suggestion))


# -- tiles -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    text: str
    against: str
    arrow: str  # up or down triangle, or a dash for no change
    judgement: str  # better, worse or same
    test: str | None = None  # significant or noise (None: not tested)
    test_text: str | None = None
    test_title: str | None = None  # the p-value, in words


@dataclass(frozen=True)
class TargetBadge:
    status: str  # on_track, at_risk, off_track
    text: str
    icon: str  # a shape as well as a colour: told apart without colour vision
    pace: str | None


STATUS_ICONS = {"on_track": "✓", "at_risk": "!", "off_track": "✗"}


@dataclass(frozen=True)
class Tile:
    kpi: str
    title: str
    explain: str
    value: str
    raw: str
    href: str | None
    changes: list[Change]
    basis: str
    flags: list[str]
    target: str | None
    status: str | None
    interval: str | None = None
    badge: TargetBadge | None = None
    note: str | None = None  # why the value reads as it does (a median not reached yet)
    company_target: str | None = None  # under a team filter: the company's own goal, beside the team's


def change(change: float | None, better: bool | None, unit: str, against: str, f: Formatter,
           significant: bool | None = None, p_value: float | None = None,
           moved: int | None = None) -> Change:
    """``moved``: which way the figure went where ``change`` has no value for it (0 to 6
    activities, beyond noise: Headline.moved): its arrow and its test's badge, as the digest says it."""
    way = moved if change is None else int(change > 0) - int(change < 0)
    arrow = "" if way is None else "–" if way == 0 else ("▲" if way > 0 else "▼")
    judgement = {True: "better", False: "worse", None: "same"}[better]
    test = test_text = test_title = None
    if significant is not None and way is not None:
        test = "significant" if significant else "noise"
        test_text = f.t(test)
        if p_value is not None:
            test_title = f.t(f"{test}_help", p=f.p_text(p_value))
    elif change is not None:  # every change says whether it was tested: "not tested" is a badge too
        test, test_text, test_title = "untested", f.t("untested"), f.t("untested_help")
    return Change(format_delta(change, unit, f.lang, points=f.t("points")), against, arrow, judgement,
                  test, test_text, test_title)


def target_badge(status: str | None, pace: float | None, f: Formatter,
                 over: bool = False) -> TargetBadge | None:
    """``over``: the period is over, and its target was reached or missed (text.figures.OVER_TEXT)."""
    if status is None:
        return None
    return TargetBadge(status, format_status(status, f.lang, over=over), STATUS_ICONS.get(status, ""),
                       None if pace is None else f.t("pace", value=f.percent(pace)))


@dataclass(frozen=True)
class Goal:
    """A rep's target on their page: the figure, the goal, and how it stands."""

    kpi: str
    title: str
    value: str
    target: str
    badge: TargetBadge | None


def rep_goals(statuses: Sequence[TargetStatus], f: Formatter) -> list[Goal]:
    return [Goal(s.kpi, REGISTRY[s.kpi].title.get(f.lang), f.kpi(s.value, s.kpi),
                 f.t("target", value=f.kpi(s.target, s.kpi)), target_badge(s.status, s.pace, f, s.over))
            for s in statuses]


def tiles(headlines: Sequence[Headline], state: ViewState, f: Formatter, back: str,
          explanations: Mapping[str, Text] | None = None,
          company_targets: Mapping[str, Any] | None = None, over: bool = False) -> list[Tile]:
    """The headline tiles; ``explanations`` add what a figure means under the workspace's settings."""
    out = []
    for h in headlines:
        kpi = REGISTRY[h.kpi]
        explain = first_sentence(kpi.description.get(f.lang))
        if explanations and h.kpi in explanations:
            explain = f"{explain} {explanations[h.kpi].get(f.lang)}"
        changes = [change(h.change, h.better, kpi.unit, f.t("vs_previous"), f, h.significant, h.p_value,
                          h.moved),
                   change(h.year_change, h.year_better, kpi.unit, f.t("vs_year"), f)]
        out.append(Tile(
            kpi=h.kpi, title=kpi.title.get(f.lang), explain=explain,
            value=format_figure(h.kpi, h.value, f.currency, f.lang, flags=h.flags, lower_bound=h.lower_bound),
            raw=raw(h.value),
            href=state.url("/drill", kpi=h.kpi, back=back, grain=None) if has_records(h.kpi) else None,
            changes=changes,
            basis=f.t("based_on", n=f.number(h.n), what=f.t.n_words(h.kpi, h.n)),
            flags=[f.flag(x, h.days_so_far) for x in h.flags],
            target=f.t("target", value=f.kpi(h.target, h.kpi)) if h.target is not None else None,
            status=h.target_status,
            interval=f.interval(h.ci_low, h.ci_high, kpi.unit),
            badge=target_badge(h.target_status, h.pace, f, over) if h.target is not None else None,
            note=(f.t("median_beyond", value=f.value(h.lower_bound, kpi.unit))
                  if h.value is None and h.lower_bound is not None else None),
            company_target=(f.t("company_target", value=f.kpi(company_targets[h.kpi], h.kpi))
                            if company_targets and h.kpi in company_targets else None),
        ))
    return out


# -- charts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: Markup | None  # None: nothing to draw
    rows: Sequence[tuple[str, str, str | None]]  # data table: label, figure, link
    wide: bool = False
    caption: str | None = None
    # More columns in the data table (the period before, the target): their heads, and each row's
    # cells; the first two heads name the label and figure columns.
    heads: tuple[str, ...] = ()
    more: Sequence[tuple[str, ...]] = ()


def _summary(bars: Sequence[charts.Bar], f: Formatter) -> str:
    if not bars:
        return f.t("no_data")
    top = max(bars, key=lambda b: b.value)
    return f.t("chart_summary", n=len(bars), label=top.label, value=top.text)


def _table(bars: Sequence[charts.Bar]) -> list[tuple[str, str, str | None]]:
    return [(b.label, b.text, b.href) for b in bars]


def _short_time_label(key: str, grain: str, lang: str) -> str:
    if grain == "day":
        return str(format_skeleton("MMMd", date.fromisoformat(key), locale=LOCALES[lang]))
    if grain == "week":
        return week_label(key, lang, year=False)
    if grain == "month":
        year, month = key.split("-")
        return str(format_skeleton("yMMM", date(int(year), int(month), 1), locale=LOCALES[lang]))
    return key


def trend_chart(points: Sequence[Point], grain: str, state: ViewState, f: Formatter, back: str,
                chart_id: str = "trend", drill: dict[str, Any] | None = None,
                previous: Sequence[Point] | None = None, targets: Sequence[Any] | None = None,
                programs: Sequence[ProgramMark] = ()) -> Chart:
    """Revenue per bucket as bars; with ``previous`` the period before as a line (bucket by bucket:
    a month beside a month, a week beside the days as far into the period before), with
    ``targets`` each bucket's target as a dashed step, and each program's start as a dashed
    vertical line."""
    bars = []
    for p in points:
        span = p.span or parse_period(p.key)
        label = (f.period(span) if grain == "day" else
                 f"{week_label(p.key, f.lang) if grain == 'week' else p.key} ({f.period(span)})")
        bars.append(charts.Bar(
            label=label, value=float(p.value), text=f.value(p.value, "money"),
            short=_short_time_label(p.key, grain, f.lang), note=f.deals(p.n),
            href=state.url("/drill", kpi="total_revenue", period=p.period or p.key, back=back, grain=None,
                           **(drill or {})),
        ))
    title = f.t("revenue_trend", grain=f.t(grain))
    series, heads, more = _trend_lines(points, grain, f, previous, targets)
    marked = program_markers(points, programs, f)
    svg = None
    drawn = any(b.value for b in bars) or any(v for s in series for v in s.values)
    if drawn and series:
        svg = charts.responsive(chart_id, lambda cid, width: charts.line_chart_over_columns(
            cid, title, bars, series, bars_label=f.t("this_period"), summary=_summary(bars, f),
            width=width, axis=lambda v: format_compact(v, "money", f.currency, f.lang),
            markers=[m for m, _ in marked]), wide=True)
    elif drawn:
        svg = charts.responsive(chart_id, lambda cid, width: charts.column_chart(
            cid, title, bars, summary=_summary(bars, f), width=width,
            axis=lambda v: format_compact(v, "money", f.currency, f.lang),
            markers=[m for m, _ in marked]), wide=True)
    rows = _table(bars) + [(m.label, f.day(p.start_on), f"/programs#program-{p.program_id}")
                           for m, p in marked]
    if more:  # a program's row has no period before or target
        more = [*more, *[("",) * len(more[0])] * len(marked)]
    return Chart(chart_id, title, svg, rows, wide=True, heads=heads, more=more)


def _trend_lines(points: Sequence[Point], grain: str, f: Formatter, previous: Sequence[Point] | None,
                 targets: Sequence[Any] | None) -> tuple[list[charts.Series], tuple[str, ...],
                                                         list[tuple[str, ...]]]:
    """The trend's lines and the data table's extra columns: the period before's bucket at the same
    place (its days, or its month or quarter, and revenue) and the bucket's target."""
    series: list[charts.Series] = []
    heads: list[str] = []
    cells: list[list[str]] = [[] for _ in points]
    if previous:
        before = [previous[i] if i < len(previous) else None for i in range(len(points))]
        texts = [None if p is None else f.value(p.value, "money") for p in before]
        series.append(charts.Series(f.t("previous_period"), [None if p is None else float(p.value)
                                                              for p in before], "previous", texts))
        heads.append(f.t("previous_period"))
        for row, p, text in zip(cells, before, texts, strict=True):
            # Days and weeks are set beside the days as far into the period before: named by them.
            named = (f.period(p.span) if p is not None and p.span is not None and grain in ("day", "week")
                     else None if p is None else _short_time_label(p.key, grain, f.lang))
            row.append("–" if p is None else f"{text} ({named})")
    if targets and any(t is not None for t in targets):
        texts = [None if t is None else f.value(t, "money") for t in targets]
        series.append(charts.Series(f.t("trend_target"), [None if t is None else float(t) for t in targets],
                                    "target", texts))
        heads.append(f.t("trend_target"))
        for row, text in zip(cells, texts, strict=True):
            row.append(text or "–")
    if not heads:
        return series, (), []
    return series, (f.t(grain).capitalize(), f.t("this_period"), *heads), [tuple(row) for row in cells]


def program_markers(points: Sequence[Point], programs: Sequence[ProgramMark],
                    f: Formatter) -> list[tuple[charts.Marker, ProgramMark]]:
    """Each program's start on the trend: in the bar of the bucket it starts in, as far into it as
    the day is into the bucket."""
    out = []
    for mark in programs:
        index = next((i for i, p in enumerate(points) if p.key == mark.bucket), None)
        if index is None:
            continue
        span = points[index].span or parse_period(points[index].key)
        share = min(max((mark.start_on - span.start).days / max(span.days, 1), 0.0), 0.99)
        out.append((charts.Marker(index + share, f.t("program_marker", name=mark.name)), mark))
    return out


def product_chart(dash: Dashboard, state: ViewState, f: Formatter, back: str) -> Chart:
    bars = [charts.Bar(
        label=dash.product_names.get(p.key) or p.key, value=float(p.value), text=f.value(p.value, "money"),
        note=f.deals(p.n),
        href=state.url("/drill", kpi="revenue_per_product", product=[p.key], back=back, grain=None),
    ) for p in dash.products]
    title = f.t("revenue_per_product")
    svg = charts.responsive("products", lambda cid, width: charts.bar_chart(
        cid, title, bars, summary=_summary(bars, f), label_width=250, width=width)) if bars else None
    apart = dash.products_apart
    caption = None if apart is None else f.t(
        "products_apart", items=f.value(apart[0], "money"), revenue=f.value(apart[1], "money"))
    return Chart("products", title, svg, _table(bars), caption=caption)


def activity_chart(dash: Dashboard, state: ViewState, f: Formatter, back: str) -> Chart:
    bars = [charts.Bar(
        label=f.t.value(p.key), value=float(p.value), text=f.number(p.value), colour=charts.GREEN,
        href=state.url("/drill", kpi="activity_count", activity_type=[p.key], back=back, grain=None),
    ) for p in dash.activity_mix]
    title = f.t("activity_mix")
    svg = charts.responsive("activities", lambda cid, width: charts.bar_chart(
        cid, title, bars, summary=_summary(bars, f), label_width=140, width=width)) if bars else None
    return Chart("activities", title, svg, _table(bars))


def nps_chart(dash: Dashboard, state: ViewState, f: Formatter, back: str) -> Chart | None:
    if dash.nps_mix is None:
        return None
    href = state.url("/drill", kpi="nps", back=back, grain=None)
    colours = {"detractor": (charts.VERMILLION, False), "passive": (charts.YELLOW, True),
               "promoter": (charts.GREEN, False)}
    segments = [charts.Segment(f.t(cat), count, colours[cat][0], href, colours[cat][1])
                for cat, count in dash.nps_mix.items()]
    title = f.t("nps_mix")
    total = sum(dash.nps_mix.values())
    summary = ", ".join(f"{s.label}: {s.count}" for s in segments)
    svg = charts.responsive("nps", lambda cid, width: charts.stacked_bar(
        cid, title, segments, summary=summary, width=width)) if total else None
    caption = None
    nps = next((t for t in dash.tiles if t.kpi == "nps"), None)
    if nps is not None:
        caption = f"{REGISTRY['nps'].title.get(f.lang)}: {f.kpi(nps.value, 'nps')} · " + f.t(
            "based_on", n=f.number(nps.n), what=f.t.n_words("nps", nps.n))
    return Chart("nps", title, svg, [(s.label, f.number(s.count), href) for s in segments],
                 caption=caption)


def quota_chart(dash: Dashboard, state: ViewState, f: Formatter, back: str) -> Chart | None:
    if not dash.applies("quota_attainment"):
        return None
    ranked = sorted((line for line in dash.reps if line.values.get("quota_attainment") is not None),
                    key=lambda r: -(r.values["quota_attainment"]))
    # Cut at a day within it (as of a day, or today while it runs): each quota pro-rated to the
    # days so far. A period over, or still to come, holds its quotas whole.
    to_date = dash.as_of is not None and not dash.over
    notes = [f.t("quota_chart_to_date")] if to_date else []
    if len(ranked) > LEADERBOARD_SHOWN:
        # A bar per rep stops being a chart: the highest and the lowest, the rest in the leaderboard.
        half = LEADERBOARD_SHOWN // 2
        notes.append(f.t("quota_chart_cut", n=f.number(half), total=f.number(len(ranked))))
        ranked = ranked[:half] + ranked[-half:]
    caption = " ".join(notes) or None
    bars = []
    for line in ranked:
        value = line.values["quota_attainment"]
        bars.append(charts.Bar(
            label=dash.rep_names.get(line.rep) or line.rep, value=float(value),
            text=f.kpi(short_of_one(value, 3), "quota_attainment"),  # 0.99996 was "100.0 %" in orange
            colour=charts.BLUE if value >= 1 else charts.ORANGE,
            href=state.url("/drill", kpi="quota_attainment", rep=[line.rep], back=back, grain=None),
        ))
    title = f.t("quota_per_rep")
    svg = None
    if bars:
        svg = charts.responsive("quota", lambda cid, width: charts.bar_chart(
            cid, title, bars, summary=_summary(bars, f), reference=1.0,
            reference_label=f.t("target_line_to_date" if to_date else "target_line"), label_width=180,
            width=width, row=22), wide=True)
    return Chart("quota", title, svg, _table(bars), wide=True, caption=caption)


def cycle_chart(dash: Dashboard, state: ViewState, f: Formatter, back: str) -> Chart | None:
    if dash.cycle is None:
        return None
    href = state.url("/drill", kpi="sales_cycle_length", back=back, grain=None)
    bars = []
    for b in dash.cycle:
        label = (f.t("cycle_open", low=b.low) if b.high is None
                 else f.t("cycle_bucket", low=b.low, high=b.high))
        short = f"{b.low}+" if b.high is None else f"{b.low}–{b.high}"
        bars.append(charts.Bar(label=label, value=b.count, text=f.deals(b.count),
                               short=short, colour=charts.SKY, href=href))
    title = f.t("cycle")
    svg = None
    if any(b.value for b in bars):
        svg = charts.responsive("cycle", lambda cid, width: charts.column_chart(
            cid, title, bars, summary=_summary(bars, f), width=width,
            axis=lambda v: f.value(int(v), "count")))
    return Chart("cycle", title, svg, _table(bars), caption=f.t("cycle_axis"))


def dashboard_charts(dash: Dashboard, state: ViewState, f: Formatter, back: str) -> list[Chart]:
    # A chart of money no rate converts is left out; the note above the charts says why.
    made = [
        trend_chart(dash.trend, dash.grain, state, f, back, previous=dash.previous_trend,
                    targets=dash.trend_targets, programs=dash.programs)
        if dash.applies("total_revenue") else None,
        product_chart(dash, state, f, back) if dash.applies("revenue_per_product") else None,
        activity_chart(dash, state, f, back) if dash.applies("activity_count") else None,
        nps_chart(dash, state, f, back),
        cycle_chart(dash, state, f, back),
        quota_chart(dash, state, f, back),
    ]
    return [c for c in made if c is not None]


def rep_url(rep: str, state: ViewState) -> str:
    """A rep's page for the same period (the page is about the rep, so other filters are dropped)."""
    return state.url(f"/reps/{quote(rep, safe='')}", grain=None, **dict.fromkeys(FILTER_DIMS))


# -- leaderboard -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    text: str
    raw: str
    href: str | None = None
    small: bool = False  # rests on fewer than 30 records (flag small_sample): marked, read with care
    n: str | None = None


@dataclass(frozen=True)
class RepRow:
    rep: str
    name: str
    team: str
    href: str
    cells: dict[str, Cell]
    diagnosis: str | None = None  # the code, for sorting and tests
    diagnosis_text: str = ""
    badges: list[tuple[str, TargetBadge]] = field(default_factory=list)  # (KPI title, badge)


LEADERBOARD_COLUMNS = (("revenue", "revenue_per_rep"), ("deals", "revenue_per_rep"),
                       ("win_rate", "win_rate"), ("quota", "quota_attainment"),
                       ("activities", "activity_count"))


# Reps the dashboard lists before it offers the rest behind a link: a page of 2,000 reps was 5 MB
# of HTML and 0.7 s of rendering a view at 1M deals, and nobody reads past the first screens.
LEADERBOARD_SHOWN = 50


def leaderboard(dash: Dashboard, state: ViewState, f: Formatter, back: str,
                limit: int | None = LEADERBOARD_SHOWN) -> list[RepRow]:
    """The leaderboard's rows, best revenue first: the first ``limit`` (None: every rep)."""
    rows = []
    unrated = {s.kpi: s.cause == "no_rate" for s in dash.skipped}
    for line in dash.reps[:limit]:
        cells: dict[str, Cell] = {}
        for column, kpi in LEADERBOARD_COLUMNS:
            # Money without a rate is the rep's own "no exchange rate" (the deals still count), not
            # a dash down the column: the other reps' revenue stands (dashboard._apart).
            if not dash.applies(kpi) and not unrated.get(kpi):
                cells[column] = Cell("–", "")
                continue
            missing = REGISTRY[kpi].missing_input(line.flags.get(kpi, ()))
            if column != "deals" and missing:
                cells[column] = Cell(f.flag(missing), "")  # "none imported", not a column of zeros
                continue
            if column != "deals" and "no_rate" in line.flags.get(kpi, ()):
                cells[column] = Cell(f.flag("no_rate"), "")
                continue
            value: Any = line.n.get(kpi, 0) if column == "deals" else line.values.get(kpi)
            drill = "total_revenue" if kpi == "revenue_per_rep" else kpi
            text = f.number(value) if column == "deals" else f.kpi(value, kpi)
            small = column != "deals" and "small_sample" in line.flags.get(kpi, ())
            cells[column] = Cell(text, raw(value),
                                 state.url("/drill", kpi=drill, rep=[line.rep], back=back, grain=None),
                                 small, f.t("based_on", n=f.number(line.n.get(kpi, 0)),
                                            what=f.t.n_words(kpi, line.n.get(kpi, 0))) if small else None)
        badges = []
        for kpi, goal in line.targets.items():
            badge = target_badge(goal.status, goal.pace, f, dash.over)
            if badge is not None:
                badges.append((f"{REGISTRY[kpi].title.get(f.lang)}: {f.kpi(goal.target, kpi)}", badge))
        said = diagnosis_label_key(line.diagnosis, line.activity)
        rows.append(RepRow(line.rep, dash.rep_names.get(line.rep) or line.rep, line.team or "",
                           rep_url(line.rep, state), cells, line.diagnosis, f.t(said) if said else "–",
                           badges))
    return rows


@dataclass(frozen=True)
class AttentionItem:
    rep: str
    name: str
    href: str
    reason: str
    text: str


ATTENTION_SHOWN = 8  # the panel's first; the others are counted ("and 12 more")


def attention(dash: Dashboard, state: ViewState, f: Formatter,
              shown: int | None = ATTENTION_SHOWN) -> list[AttentionItem]:
    """The "needs attention" panel's first ``shown`` (None: all, asked with attention=all): reps off
    target, behind their quota, or with a drop beyond noise, in words. Only those are worded: at
    2,000 reps a thousand may be behind their quota, and wording each took 40 ms of a view."""
    out = []
    for a in dash.attention[:shown]:
        unit = REGISTRY[a.kpi].unit
        title = REGISTRY[a.kpi].title.get(f.lang)
        if a.reason == "off_track":
            text = f.t("attention_missed" if dash.over else "attention_off_track", kpi=title,
                       value=f.kpi(a.value, a.kpi),
                       target=f.kpi(a.target, a.kpi))
        elif a.reason == "below_quota":
            text = f.t("attention_quota_missed" if dash.over else "attention_below_quota",
                       value=f.kpi(a.value, a.kpi))
        else:
            text = f.t("attention_drop", kpi=title, value=f.kpi(a.value, a.kpi),
                       previous=f.kpi(a.previous, a.kpi),
                       change=format_delta(a.change, unit, f.lang, points=f.t("points")),
                       p=f.p_text(a.p_value or 0.0))
        out.append(AttentionItem(a.rep, dash.rep_names.get(a.rep) or a.rep, rep_url(a.rep, state),
                                 a.reason, text))
    return out


# -- records -----------------------------------------------------------------------------------
def column_class(column: str) -> str:
    """Figures align right; moments and ids stay on one line; names may wrap."""
    unit = COLUMN_UNITS.get(column)
    if unit in ("money", "days", "count"):
        return "num"
    if unit == "datetime" or column.endswith("_id"):
        return "nowrap"
    return ""


def record_rows(found: RecordsBehind, f: Formatter, names: dict[str, dict[str, str]], limit: int,
                state: ViewState) -> list[list[tuple[str, str | None]]]:
    """Cells as (text, link): reps link to their page, names replace ids where known."""
    out = []
    for row in found.rows[:limit]:
        cells: list[tuple[str, str | None]] = []
        for column in found.columns:
            value = row.get(column)
            if column == "rep" and value:
                cells.append((names["rep"].get(value) or value, rep_url(value, state)))
            elif column == "product" and value:
                cells.append((names["product"].get(value) or value, None))
            else:
                cells.append((f.cell(column, value), None))
        out.append(cells)
    return out


def records_total(found: RecordsBehind, f: Formatter) -> str | None:
    if found.kpi == "win_rate":  # won and lost money are two figures (won_lost), never one sum
        return None
    if "won_in_period" in found.columns:  # won revenue and open pipeline (Kaplan-Meier, pipeline win rate)
        return None
    if found.without_rate:  # a sum without the deals no rate converts would be short (the note says)
        return None
    if found.quota is not None:  # quota attainment: the sum beside the quota it is set against
        return found.quota_text(f.lang)
    for column in ("amount", "revenue"):
        if column in found.columns:
            total = sum((r[column] for r in found.rows if r.get(column) is not None), Decimal("0.00"))
            return f.t("records_sum", value=f.value(total, "money"))
    return None


# -- a rep's scorecard -------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """One figure the diagnosis rests on: the rep's, the team's median, and how it reads."""

    key: str
    label: str
    mine: str
    interval: str | None
    team: str
    reading: str | None  # above, below or like the team (None: not judged)
    reading_class: str


@dataclass(frozen=True)
class DiagnosisView:
    code: str
    verdict: str
    enough: bool
    facts: list[Fact]


def diagnosis(card: Scorecard, f: Formatter) -> DiagnosisView:
    """The scorecard's diagnosis in words, with its figures formatted for the page's language."""
    d = card.diagnosis
    fig = d.figures
    ci = fig.get("win_rate_ci") or [None, None]
    activity_ci = fig.get("activities_ci") or [None, None]

    def reading(level: str | None) -> tuple[str | None, str]:
        return (None, "") if level is None else (f.t(f"reading_{level}"), level)

    activity, activity_class = reading(d.activity)
    conversion, conversion_class = reading(d.conversion)
    won_of = f.t("won_of", won=f.number(fig["won_deals"]), closed=f.number(fig["closed_deals"]))
    facts = [
        Fact("activities", f.t("activities"), f.number(fig["activities"]),
             None if activity_ci[0] is None else f.t("ci", range=(
                 f"{f.decimal(activity_ci[0], '#,##0')} – {f.decimal(activity_ci[1], '#,##0')}")),
             f.decimal(fig["team_median_activities"]), activity, activity_class),
        Fact("activities_per_closed_deal", f.t("per_closed_deal"),
             f.decimal(fig["activities_per_closed_deal"], "#,##0.0#"), None,
             f.decimal(fig["team_median_activities_per_closed_deal"], "#,##0.0#"), None, ""),
        Fact("win_rate", f.t("win_rate"), f.kpi(fig["win_rate"], "win_rate"),
             f.interval(ci[0], ci[1], "ratio"), f.kpi(fig["team_median_win_rate"], "win_rate"),
             conversion, conversion_class),
        Fact("closed_deals", f.t("closed_deals"), won_of, None, "", None, ""),
    ]
    if d.activity_missing:  # no activities to compare: the verdict says so, no zeros are shown
        facts = [fact for fact in facts if fact.key not in ("activities", "activities_per_closed_deal")]
    return DiagnosisView(d.code, d.verdict(f.lang), d.code != "not_enough_data", facts)


def history_cells(card: Scorecard | None, kpi: str, f: Formatter) -> tuple[str | None, list[str]]:
    """A KPI's interval this period and its values in the rep's previous periods, from the scorecard
    (None and blanks for a KPI the scorecard does not carry)."""
    line = next((x for x in card.lines if x.kpi == kpi), None) if card else None
    if card is None or line is None:
        return None, ["" for _ in (card.history_periods if card else ())]
    unit = REGISTRY[kpi].unit
    return f.span(line.ci_low, line.ci_high, unit), [f.kpi(v, kpi) for _, v in line.history]


# -- insights ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class EffectivenessView:
    closed: str
    won: str
    per_won: str
    per_lost: str
    meeting_to_win: str
    demo_to_win: str
    rows: list[dict[str, str]]
    revenue_won: str = ""  # of all won deals, once each: what the overlapping column is not
    without_rate: str | None = None  # won deals no rate converts: their revenue is left empty


def effectiveness(result: ActivityEffectiveness, f: Formatter) -> EffectivenessView | None:
    """Everyone's activity effectiveness (the page asks for no grouping): None without closed deals."""
    if not result.groups:
        return None
    g = result.groups[0]
    rows = [{
        "type": f.t.value(t.activity_type), "code": t.activity_type,
        "deals_with": f.number(t.deals_with), "won_with": f.number(t.won_with),
        "revenue": f.value(t.revenue_with, "money"),
        "rate_with": f.kpi(t.win_rate_with, "win_rate"),
        "interval": f.span(t.ci_low, t.ci_high, "ratio") or "",
        "rate_without": f.kpi(t.win_rate_without, "win_rate"),
        "per_won": f.decimal(t.per_won_deal, "#,##0.00"), "per_lost": f.decimal(t.per_lost_deal, "#,##0.00"),
    } for t in g.types]
    return EffectivenessView(
        f.number(g.closed), f.number(g.won), f.decimal(g.activities_per_won_deal, "#,##0.0#"),
        f.decimal(g.activities_per_lost_deal, "#,##0.0#"), f.kpi(g.meeting_to_win, "win_rate"),
        f.kpi(g.demo_to_win, "win_rate"), rows, f.value(g.revenue_won, "money"),
        f.t("won_lost_without_rate", n=f.number(g.without_rate)) if g.without_rate else None,
    )


def funnel_stages(result: Funnel, f: Formatter) -> list[dict[str, str]]:
    return [{
        "stage": s.stage, "at_start": f.number(s.open_at_start), "entered": f.number(s.entered),
        "advanced": f.number(s.advanced), "dropped": f.number(s.dropped),
        "moved_back": f.number(s.moved_back), "open": f.number(s.still_open),
        "conversion": f.kpi(s.conversion, "win_rate"), "interval": f.span(s.ci_low, s.ci_high, "ratio") or "",
        "to_win": f.kpi(s.to_win, "win_rate"),
        "days": "–" if s.days_median is None else f.value(s.days_median, "days"),
        "stays": f.number(s.stays),
    } for s in result.stages]


def funnel_note(result: Funnel, f: Formatter) -> str:
    """How the funnel's counts add up (each row; across stages, skips), or why there are none."""
    if not result.has_history:
        return f.t("no_stage_history")
    if not any(s.open_at_start or s.entered or s.still_open for s in result.stages):
        return f.t("no_stage_moves")
    key = "funnel_adds_up_cohort" if result.cohort else "funnel_adds_up"
    return f.t(key, skipped=f.number(sum(s.skipped for s in result.stages)),
               back=f.number(sum(s.moved_back for s in result.stages)))


def funnel_pipeline(result: Funnel, f: Formatter) -> list[tuple[str, str]]:
    return [
        (f.t("open_deals"), f.number(result.open_deals)),
        (f.t("open_amount"), f.value(result.open_amount, "money")),
        (f.t("weighted_pipeline"), f.value(result.weighted_pipeline, "money")
         if result.weighted_pipeline is not None
         else f.t("weighted_no_rate") if result.without_rate else f.t("weighted_no_history")),
        (f.t("velocity"), f.value(result.velocity_per_day, "money")),
    ]


@dataclass(frozen=True)
class SatisfactionView:
    verdict: str
    verdict_code: str
    enough: bool
    rows: list[dict[str, str]]
    ratio: str | None
    ratio_interval: str | None
    difference: str | None
    difference_interval: str | None
    p_value: str | None
    claim: str


def satisfaction(result: Satisfaction, f: Formatter) -> SatisfactionView:
    rows = [{"category": f.t(g.category), "code": g.category, "accounts": f.number(g.accounts),
             "orders": f.number(g.orders), "average": f.value(g.average_order, "money")}
            for g in result.groups]
    ratio = ratio_ci = None
    if result.ratio is not None:
        ratio = f.t("times", value=f.decimal(result.ratio, "#,##0.00"))
        if result.ratio_ci:
            low, high = result.ratio_ci
            ratio_ci = f.t("ci", range=f"{f.decimal(low, '#,##0.00')} – {f.decimal(high, '#,##0.00')}")
    diff_ci = None
    if result.difference_ci:
        diff_ci = f.interval(result.difference_ci[0], result.difference_ci[1], "money")
    return SatisfactionView(
        result.said(f.lang), result.verdict,
        result.verdict != "not_enough_data", rows, ratio, ratio_ci,
        None if result.difference is None else f.value(result.difference, "money"), diff_ci,
        None if result.p_value is None else f.p_value(result.p_value),
        f.t("claim", value=f.percent(CLAIMED_UPLIFT)),
    )


# -- enablement programs -----------------------------------------------------------------------
def rep_programs(card: Scorecard, f: Formatter) -> list[dict[str, str]]:
    """The programs a rep took part in, for the rep's page (each links to its effect)."""
    return [{"id": p.program_id, "name": p.name, "kind": kind_text(p.kind, f.lang),
             "start": f.day(p.start_on), "href": f"/programs#program-{p.program_id}"}
            for p in card.programs]


@dataclass(frozen=True)
class EffectLine:
    kpi: str
    label: str
    cells: list[str]  # participants before, after; comparison before, after
    effect: str
    raw_effect: str
    interval: str
    p_value: str
    test: str | None  # significant, noise (None: not tested)
    test_text: str | None
    reps: str
    notes: list[str]
    sentence: str


@dataclass(frozen=True)
class ProgramCard:
    program_id: str
    name: str
    kind: str
    dates: str
    cost: str | None
    participants: str
    windows: str | None = None
    comparison: str | None = None
    ramping: str | None = None  # the measured reps still new in the window before
    not_measured: str | None = None  # the participants the effect does not rest on, and why
    also_in: str | None = None  # other programs the participants took within the windows
    lines: list[EffectLine] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    chart: Chart | None = None
    hires: list[dict[str, str]] = field(default_factory=list)
    hires_sentence: str | None = None
    error: str | None = None


def _program_head(p: Program, names: Mapping[str, str], f: Formatter) -> dict[str, Any]:
    dates = f.day(p.start_on) + (f" – {f.day(p.end_on)}" if p.end_on and p.end_on != p.start_on else "")
    who = ", ".join(names.get(r, r) for r in p.participants)
    return {"program_id": p.program_id, "name": p.name, "kind": kind_text(p.kind, f.lang), "dates": dates,
            "cost": None if p.cost is None else f.value(p.cost, "money") if p.currency == f.currency
            else render_value(p.cost, "money", p.currency, f.lang),
            "participants": f"({len(p.participants)}): {who}"}


def program_card(p: Program, effect: ProgramEffect | None, error: str | None, chart_kpi: str,
                 names: Mapping[str, str], f: Formatter) -> ProgramCard:
    head = _program_head(p, names, f)
    if effect is None:
        return ProgramCard(**head, error=f.t("program_error", message=error or ""))
    span = "{} – {}"
    key = "program_windows_cut" if effect.cut else "program_windows"
    windows = f.t(key, days=effect.before.days, window=effect.window_days,
                  before=span.format(f.day(effect.before.start), f.day(effect.before.last_day)),
                  after_from=f.day(effect.after.start),
                  after=span.format(f.day(effect.after.start), f.day(effect.after.last_day)))
    if effect.onboarding is not None:
        o = effect.onboarding
        hires = []
        for key, g in (("hired_before", o.hired_before), ("hired_after", o.hired_after)):
            high = "…" if g.ci_high is None else months_text(g.ci_high, f.lang)
            band = "" if g.ci_low is None else f"{months_text(g.ci_low, f.lang)} – {high}"
            hires.append({"group": f.t(key), "code": key, "n": f.number(len(g.reps)),
                          "ramped": f.number(g.ramped), "median": months_text(g.median_months, f.lang),
                          "raw": raw(g.median_months), "interval": band})
        sentence = onboarding_sentence(o.hired_before, o.hired_after, o.p_value, o.flags, BENCHMARK_COMPETENT,
                                       BENCHMARK_TOP, f.lang)
        return ProgramCard(**head, windows=None, hires=hires, hires_sentence=sentence)
    lines = []
    for r in effect.rows:
        test = ("tentative" if r.significant is None and r.p_value is not None else
                None if r.significant is None else "significant" if r.significant else "noise")
        lines.append(EffectLine(
            r.kpi, kpi_label(r.kpi, r.basis, f.lang),
            [format_group_value(v, r.unit, r.currency, f.lang) for v in
             (r.participants_before, r.participants_after, r.others_before, r.others_after)],
            format_effect(r.effect, r.unit, r.currency, f.lang), raw(r.effect),
            effect_span(r.ci_low, r.ci_high, r.unit, r.currency, f.lang),
            format_p(r.p_value, f.lang), test, f.t(test) if test else None,
            f"{r.n_participants} / {r.n_others}", [f.flag(x) for x in r.flags if x != "no_data"],
            effect_sentence(r, r.currency, f.lang),
        ))
    costs = []
    for r in effect.rows:
        noise = cost_caveat(r, f.lang)
        if effect.cost_share is not None and effect.cost is not None:
            noise += f.t("cost_prorated_note", n=effect.cost_share[0], m=effect.cost_share[1],
                         cost=f.value(effect.cost, "money"))
        if r.cost_per_extra_won_deal is not None:
            costs.append(f.t("cost_per_won_deal", value=f.value(r.cost_per_extra_won_deal, "money")) + noise)
        if r.cost_per_extra_revenue is not None:
            costs.append(f.t("cost_per_revenue", value=format_unit_cost(r.cost_per_extra_revenue, f.currency,
                                                                        f.lang)) + noise)
    rule = f.t("comparison_auto") if effect.comparison == "auto" else effect.comparison
    comparison = f.t("program_comparison", rule=rule, reps=", ".join(names.get(r, r) for r in effect.others)
                     or "–")
    since = f.day(effect.ramping_since) if effect.ramping_since else ""
    study = next((e for e in effect.event_study if e.kpi == chart_kpi), None)
    return ProgramCard(**head, windows=windows, comparison=comparison,
                       ramping=ramping_text(effect, names, since, f.lang),
                       not_measured=not_measured_text(effect, names, f.day, f.lang),
                       also_in=also_in_text(effect, f.day, f.lang), lines=lines, costs=costs,
                       chart=event_chart(p, study, f) if study else None)


def event_chart(p: Program, study: EventStudy, f: Formatter) -> Chart:
    """The KPI month by month for participants and the comparison group, each with its 95 % band,
    the program's start marked."""
    unit = study.unit
    chart_id = f"event-{re.sub(r'[^A-Za-z0-9_-]', '-', p.program_id)}"
    labels = [str(format_skeleton("yMMM", pt.start, locale=LOCALES[f.lang])) for pt in study.points]

    def number(v: Any) -> float | None:
        return None if v is None else float(v)

    def text(v: Any, low: Any, high: Any) -> str:
        shown = format_group_value(v, unit, f.currency, f.lang)
        band = f.span(low, high, unit) if unit != "count" else (
            None if low is None else f"{format_group_value(low, unit, None, f.lang)} – "
                                     f"{format_group_value(high, unit, None, f.lang)}")
        return shown if band is None or v is None else f"{shown} ({f.t('ci', range=band)})"

    pts = study.points
    series = [
        charts.BandLine(f.t("event_participants"), charts.BLUE, [number(x.participants) for x in pts],
                      [number(x.participants_low) for x in pts], [number(x.participants_high) for x in pts],
                      [text(x.participants, x.participants_low, x.participants_high) for x in pts]),
        charts.BandLine(f.t("event_others"), charts.ORANGE, [number(x.others) for x in pts],
                      [number(x.others_low) for x in pts], [number(x.others_high) for x in pts],
                      [text(x.others, x.others_low, x.others_high) for x in pts], dashed=True),
    ]
    markers = []
    for i, pt in enumerate(pts):
        nxt = pts[i + 1].start if i + 1 < len(pts) else add_months(pt.start.replace(day=1), 1)
        if pt.start <= p.start_on < nxt:
            share = (p.start_on - pt.start).days / max((nxt - pt.start).days, 1)
            markers.append(charts.Marker(i + share, f.t("event_start")))
    title = f.t("event_study", kpi=REGISTRY[study.kpi].title.get(f.lang))
    svg = None
    if any(v is not None for s in series for v in s.values):
        svg = charts.responsive(chart_id, lambda cid, width: charts.line_chart(
            cid, title, labels, series, markers=markers, summary=f.t("event_band"), width=width,
            axis=lambda v: format_compact(v, unit, f.currency, f.lang)), wide=True)
    rows: list[tuple[str, str, str | None]] = [
        (f"{labels[i]} · {s.label}", s.texts[i], None) for s in series for i in range(len(pts))]
    return Chart(chart_id, title, svg, rows, wide=True, caption=f.t("event_band"))
# -- targets -----------------------------------------------------------------------------------
# A KPI counted per product or loss reason has no figure a target could be set against.
TARGET_KPIS = tuple(k for k, d in REGISTRY.items() if not {"product", "lost_reason"} & set(d.always_by))


def whom(scope: str, scope_id: str | None, names: Mapping[str, str], f: Formatter) -> str:
    """Who a target is for, in words: the company, team east, or a rep by name."""
    if scope == "company" or scope_id is None:
        return f.t("company")
    if scope == "rep":
        return f"{names.get(scope_id) or scope_id} ({scope_id})"
    return f"{f.t('team')} {scope_id}"


def target_period(period: Period | None, f: Formatter) -> str:
    return f.t("standing") if period is None else f.period(period)


def stored_targets(targets: Sequence[Any], f: Formatter, names: Mapping[str, str]) -> list[dict[str, str]]:
    """The targets set, with what the remove button sends back (the period as its dates)."""
    return [{
        "kpi": t.kpi, "title": REGISTRY[t.kpi].title.get(f.lang), "whom": whom(t.scope, t.scope_id, names, f),
        "scope": t.scope, "scope_id": t.scope_id or "", "period": target_period(t.period, f),
        "period_key": "" if t.period is None else f"{t.period.start}..{t.period.last_day}",
        "value": f.kpi(t.value, t.kpi),
    } for t in targets]


def target_statuses(statuses: Sequence[Any], f: Formatter, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each target beside its figure: status badge (shape and word) and pace."""
    return [{
        "kpi": s.kpi, "title": REGISTRY[s.kpi].title.get(f.lang), "whom": whom(s.scope, s.scope_id, names, f),
        "scope": s.scope, "scope_id": s.scope_id or "", "target": f.kpi(s.target, s.kpi),
        "value": f.kpi(s.value, s.kpi), "badge": target_badge(s.status, s.pace, f, s.over),
        "elapsed": f.percent(s.elapsed),
    } for s in statuses]


# -- side by side --------------------------------------------------------------------------------
def comparison_table(found: Any, f: Formatter) -> tuple[list[str], list[dict[str, Any]]]:
    """Column heads (the groups) and a row per KPI: each group's figure and interval, and beside each
    group after the first whether it differs from the first beyond noise."""
    heads = [found.names.get(g) or g for g in found.groups]
    lines = []
    for line in found.kpis:
        unit = REGISTRY[line.kpi].unit
        cells = []
        for group, row, test in zip(found.groups, line.rows, [None, *line.tests], strict=True):
            value = row["value"] if row else None
            cell: dict[str, Any] = {
                "group": group, "raw": raw(value),
                # The figure, or why there is none (never a bare dash): "over 130 days", "no deal won".
                "value": format_figure(line.kpi, value, f.currency, f.lang,
                                       flags=row["flags"] if row else line.empty,
                                       lower_bound=row.get("lower_bound") if row else None),
                "interval": f.span(row.get("ci_low"), row.get("ci_high"), unit) if row else None,
                # What the figure rests on, and whether that is few: the CLI's n and small_sample,
                # which the page left out beside "significantly different" on 4 answers (a tester).
                "n": f.number(row["n"]) if row and row.get("n") is not None else None,
                "small": bool(row) and "small_sample" in row["flags"],
                "test": None}
            if group != found.groups[0]:
                if test is None:
                    cell.update(test="untested", test_text=f.t("untested"),
                                test_help=f.t("compare_untested_help"))
                else:
                    code = "significant" if test[1] else "noise"
                    cell.update(test=code, test_text=f.t(f"compare_{code}"),
                                test_help=f.t(f"{code}_help_compare", p=f.p_text(test[0]), first=heads[0]))
            cells.append(cell)
        lines.append({"kpi": line.kpi, "title": REGISTRY[line.kpi].title.get(f.lang), "cells": cells})
    return heads, lines


# -- the insights' charts ----------------------------------------------------------------------------
def effectiveness_chart(result: ActivityEffectiveness, f: Formatter) -> Chart | None:
    """Win rate with each activity type as a mark with its 95 % interval, and without it as a hollow
    mark on the same axis: how far apart they are, and whether noise could close the gap."""
    if not result.groups or not result.groups[0].types:
        return None
    types = result.groups[0].types
    rows = [charts.Interval(
        label=f.t.value(t.activity_type), value=t.win_rate_with, low=t.ci_low, high=t.ci_high,
        text=f.kpi(t.win_rate_with, "win_rate"), other=t.win_rate_without,
        note=f.t("with_without", with_=f.kpi(t.win_rate_with, "win_rate"),
                 without=f.kpi(t.win_rate_without, "win_rate")),
    ) for t in types]
    title = f.t("effectiveness_chart")
    best = max(types, key=lambda t: t.win_rate_with or 0)
    summary = f.t("effectiveness_chart_summary", n=f.number(len(types)), label=f.t.value(best.activity_type),
                  value=f.kpi(best.win_rate_with, "win_rate"))
    legend = [("mark", f.t("rate_with_ci")), ("other", f.t("rate_without_mark"))]
    svg = charts.responsive("effectiveness-chart", lambda cid, width: charts.interval_chart(
        cid, title, rows, axis=lambda v: f.value(v, "ratio"), summary=summary, legend=legend,
        width=width), wide=True)
    table = [(f.t.value(t.activity_type), f.kpi(t.win_rate_with, "win_rate"), None) for t in types]
    more = [(f.span(t.ci_low, t.ci_high, "ratio") or "–", f.kpi(t.win_rate_without, "win_rate"))
            for t in types]
    return Chart("effectiveness-chart", title, svg, table, wide=True,
                 heads=(f.t("activity_type"), f.t("rate_with"), f.t("interval"), f.t("rate_without")),
                 more=more)


def funnel_chart(result: Funnel, f: Formatter) -> Chart | None:
    """Each stage as wide as the deals that were in it (in it at the start plus entered), with the
    share that went on."""
    stages = [s for s in result.stages if s.open_at_start + s.entered]
    if not stages:
        return None
    bars = [charts.Bar(
        label=s.stage, value=s.open_at_start + s.entered,
        text=f.t("in_stage", n=f.number(s.open_at_start + s.entered), rate=f.kpi(s.conversion, "win_rate")),
        colour=charts.SKY, note=f.t("in_stage_note"),
    ) for s in stages]
    title = f.t("funnel_chart")
    summary = f.t("funnel_chart_summary", n=f.number(len(stages)), first=stages[0].stage,
                  first_count=f.number(int(bars[0].value)), last=stages[-1].stage,
                  last_count=f.number(int(bars[-1].value)))
    svg = charts.responsive("funnel-chart", lambda cid, width: charts.funnel_chart(
        cid, title, bars, summary=summary, width=width))
    table = [(s.stage, f.number(s.open_at_start + s.entered), None) for s in stages]
    more = [(f.kpi(s.conversion, "win_rate"),) for s in stages]
    return Chart("funnel-chart", title, svg, table, caption=f.t("in_stage_note"),
                 heads=(f.t("stage"), f.t("stage_deals"), f.t("conversion")), more=more)


SATISFACTION_COLOURS = {"promoter": charts.GREEN, "passive": charts.YELLOW, "detractor": charts.VERMILLION}


def satisfaction_chart(result: Satisfaction, f: Formatter) -> Chart | None:
    groups = [g for g in result.groups if g.average_order is not None]
    if not groups:
        return None
    bars = [charts.Bar(label=f.t(g.category), value=float(g.average_order or 0),
                       text=f.value(g.average_order, "money"), colour=SATISFACTION_COLOURS[g.category],
                       note=f"{f.t('accounts')}: {f.number(g.accounts)}, "
                            f"{f.t('orders')}: {f.number(g.orders)}")
            for g in groups]
    title = f.t("satisfaction_chart")
    svg = charts.responsive("satisfaction-chart", lambda cid, width: charts.bar_chart(
        cid, title, bars, summary=_summary(bars, f), label_width=150, width=width))
    table = [(f.t(g.category), f.value(g.average_order, "money"), None) for g in groups]
    more = [(f.number(g.accounts), f.number(g.orders)) for g in groups]
    return Chart("satisfaction-chart", title, svg, table,
                 heads=(f.t("group"), f.t("average_order"), f.t("accounts"), f.t("orders")), more=more)


@dataclass(frozen=True)
class ClaimView:
    """The article's 33 % beside what the records say, and a chart of the ratio against both."""

    claim: str
    data: str
    verdict: str
    chart: Chart | None


def claim(result: Satisfaction, f: Formatter) -> ClaimView:
    claimed = 1 + CLAIMED_UPLIFT
    times = f.t("times", value=f.decimal(claimed, "#,##0.00"))
    said = f.t("claim_text", value=f.percent(CLAIMED_UPLIFT), ratio=f.decimal(claimed, "#,##0.00"))
    verdict = result.said(f.lang)
    groups = {g.category: g for g in result.groups}
    if result.ratio is None:
        data = f.t("data_text_none", promoters=f.number(groups["promoter"].accounts),
                   detractors=f.number(groups["detractor"].accounts))
        return ClaimView(said, data, verdict, None)
    ratio = f.t("times", value=f.decimal(result.ratio, "#,##0.00"))
    low, high = result.ratio_ci or (None, None)
    interval = ("" if low is None else
                f.t("ci", range=f"{f.decimal(low, '#,##0.00')} – {f.decimal(high, '#,##0.00')}"))
    sides = ("promoter", "detractor")
    data = f.t("data_text", ratio=f.decimal(result.ratio, "#,##0.00"), interval=interval,
               accounts=f.number(sum(groups[c].accounts for c in sides)),
               orders=f.number(sum(groups[c].orders for c in sides)))
    title = f.t("claim_chart")
    rows = [charts.Interval(label=f.t("ratio_short"), value=result.ratio, low=low, high=high, text=ratio,
                            note=interval)]
    summary = f.t("claim_chart_summary", ratio=ratio, interval=interval, claim=times)
    top = max(2.0, (high or result.ratio) * 1.1)
    svg = charts.responsive("claim-chart", lambda cid, width: charts.interval_chart(
        cid, title, rows, axis=lambda v: f.decimal(v, "#,##0.0#") + "×", summary=summary,
        references=[(1.0, f.t("no_difference_line")), (claimed, f.t("claim_line"))], top_value=top,
        width=width, label_width=90, legend=[("mark", f.t("ratio_mark"))]))
    table = [(f.t("ratio_mark"), ratio, None), (f.t("claim_says"), times, None)]
    chart = Chart("claim-chart", title, svg, table, caption=interval or None)
    return ClaimView(said, data, verdict, chart)


# -- a win rate's deals, won and lost apart ----------------------------------------------------------
@dataclass(frozen=True)
class WonLostView:
    won: str
    won_deals: str
    won_amount: str
    lost: str
    lost_deals: str
    lost_amount: str
    rate: str
    reasons: list[dict[str, str]]
    reasons_total: str
    without_rate: str | None = None  # deals of it no exchange rate converts: their amounts are empty


def won_lost(split: WonLost, f: Formatter) -> WonLostView:
    """Won and lost side by side, each with its own count and amount (never one sum of both), and
    the lost deals by reason."""
    rate = split.won / split.closed if split.closed else None
    reasons = [{
        "reason": r.reason or f.t("no_reason"), "code": r.reason or "", "deals": f.number(r.deals),
        "raw": str(r.deals), "share": f.percent(r.deals / split.lost) if split.lost else "–",
        "amount": f.value(r.amount, "money"),
    } for r in split.reasons]
    return WonLostView(
        f.t("deals_amount", n=f.number(split.won), amount=f.value(split.won_amount, "money")),
        str(split.won), raw(split.won_amount),
        f.t("deals_amount", n=f.number(split.lost), amount=f.value(split.lost_amount, "money")),
        str(split.lost), raw(split.lost_amount),
        f.t("won_lost_rate", rate=f.kpi(rate, "win_rate"), won=f.number(split.won),
            closed=f.number(split.closed)),
        reasons, f.t("lost_reasons_add_up", n=f.number(split.lost)),
        f.t("won_lost_without_rate", n=f.number(split.without_rate)) if split.without_rate else None,
    )
