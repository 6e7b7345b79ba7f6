"""What the dashboard shows, as data: the headline tiles and the series behind each chart.

Everything is asked of :func:`~salesmetrics.report.build_report` (grouped ``by`` what the chart
shows) or of the records behind a figure, so a chart can never disagree with the report or the API.
Faces only draw it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import targets
from .access import Viewer
from .apart import apart
from .coverage import activities_imported, comparable, still_to_come
from .drilldown import nps_mix, records_behind
from .errors import CurrencyError, DimensionError, keyed
from .kpis import REGISTRY, compiled, same_figure
from .kpis.known_values import hire_dates
from .kpis.model import TIME_DIMENSIONS, Text
from .kpis.query import Query, buckets
from .kpis.scope import filters_json, normalise_filters, query_maker, resolve_filters, time_label, why_not
from .periods import Period, is_over, stretch, to_date
from .programs import list_programs
from .report import Skipped, build_report, why_empty
from .summary import HEADLINE_KPIS, Headline, apart_json, headlines, items_apart
from .targets import bucket_targets, company_targets
from .text.insights import rule_text
from .trust import moved

if TYPE_CHECKING:
    from .coverage import ClosedAhead, PeriodHint
    from .store import Store

# The leaderboard's columns: what a sales leader ranks reps by.
LEADERBOARD_KPIS = ("revenue_per_rep", "win_rate", "quota_attainment", "activity_count")
# Sales cycle buckets in days (upper bounds inclusive); the last one is open-ended.
CYCLE_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 180), (181, None),
)


@dataclass(frozen=True)
class Point:
    """One bar of a chart: its label, the period to drill into, and the figure."""

    key: str
    value: Any
    n: int
    period: str | None = None  # the period the figure covers, where it differs from the page's
    span: Period | None = None  # the same as a Period (a trend's bucket, cut to the period asked)


@dataclass(frozen=True)
class ProgramMark:
    """A program starting within the period: where the trend marks it (the bucket it starts in)."""

    program_id: str
    name: str
    kind: str
    start_on: date
    bucket: str  # the trend's label of the day, week, month or quarter it starts in

    def as_json(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "name": self.name, "kind": self.kind,
                "start_on": self.start_on, "bucket": self.bucket}


QUOTA = Decimal(1)  # a quota's own target: all of it (against_quota)


@dataclass(frozen=True)
class RepTarget:
    """A rep's own target for one KPI in the period, and where the rep stands against it."""

    target: Any
    status: str | None
    pace: float | None


@dataclass(frozen=True)
class Attention:
    """Why a rep needs a look: ``off_track`` against a target, ``below_quota`` (off track against
    100 % of their quota, to date while the period runs), or a ``drop`` beyond noise from the
    period before (a change in the bad direction with p < 0.05)."""

    rep: str
    reason: str  # off_track, below_quota or drop
    kpi: str
    value: Any
    target: Any = None
    previous: Any = None
    change: float | None = None
    p_value: float | None = None


@dataclass(frozen=True)
class RepLine:
    rep: str
    team: str | None
    values: dict[str, Any]  # kpi id -> value (None: no data, or not applicable with the filters)
    n: dict[str, int]
    flags: dict[str, tuple[str, ...]]
    targets: dict[str, RepTarget] = field(default_factory=dict)
    # The scorecard's diagnosis (insights/scorecard.py) against the rep's team in this view; None
    # where activities or win rates do not apply with the filters.
    diagnosis: str | None = None
    changes: dict[str, tuple[Any, float | None, float | None, bool | None]] = field(default_factory=dict)
    # The diagnosis's reading of the rep's activity (high, typical, low; None: not judged): "in line"
    # with high activity works more than the team, whose win rate it cannot be told apart from.
    activity: str | None = None
    # The rep's quota attainment judged against 100 % of the quota (to date), where they have one
    # (:func:`against_quota`); None without a quota.
    quota: RepTarget | None = None


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int | None  # None: and more
    count: int


@dataclass
class Dashboard:
    period: Period
    grain: str
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    tiles: list[Headline]
    skipped: list[Skipped]
    trend: list[Point]
    products: list[Point]
    reps: list[RepLine]
    activity_mix: list[Point]
    nps_mix: dict[str, int] | None  # None: NPS does not apply with these filters
    cycle: list[Bucket] | None
    rep_names: dict[str, str] = field(default_factory=dict)
    product_names: dict[str, str] = field(default_factory=dict)
    data_version: int = 0
    as_of: date | None = None  # figures as they stood at the end of this day

    @property
    def measured(self) -> Period:
        """The stretch the figures cover: the period, cut at the end of ``as_of`` if it runs past."""
        return self.period.until(self.as_of)
    hint: PeriodHint | None = None  # the period holds no records: where they are
    closed_ahead: ClosedAhead | None = None  # deals closed on a day still to come (Report's)
    # What a tile's figure means under this workspace's settings (ramp_time: the ramp rule as set).
    explanations: dict[str, Text] = field(default_factory=dict)
    programs: list[ProgramMark] = field(default_factory=list)  # programs starting in the period
    # Under a team or rep filter: the company's own targets, shown beside the filtered scope's.
    company_targets: dict[str, Any] = field(default_factory=dict)
    attention: list[Attention] = field(default_factory=list)
    # The trend's lines: revenue in the period before, bucket by bucket (the same stretch of it, as
    # the tiles compare), and the revenue target of each bucket (None where none applies).
    previous_trend: list[Point] = field(default_factory=list)
    trend_targets: list[Any] = field(default_factory=list)
    # The period before and the same period a year before, as the tiles were set beside them
    # (coverage.comparable); without them, as periods.to_date cuts them.
    compared: tuple[Period, Period] | None = None
    # The tiles compared with nothing, for the period before's money without a rate (report.py).
    uncompared: list[Skipped] = field(default_factory=list)
    over: bool = False  # the period was over: its targets were reached or missed (Report.over)

    @property
    def products_apart(self) -> tuple[Decimal, Decimal] | None:
        """(the products' revenue, the total revenue) where line items do not add up to it."""
        return items_apart(next((t.value for t in self.tiles if t.kpi == "total_revenue"), None),
                           [p.value for p in self.products])

    @property
    def previous_period(self) -> Period:
        if self.compared is not None:
            return self.compared[0]
        return to_date(self.period.previous(), self.period, self.as_of)

    @property
    def year_ago_period(self) -> Period:
        if self.compared is not None:
            return self.compared[1]
        return to_date(self.period.year_before(), self.period, self.as_of)

    def applies(self, kpi: str) -> bool:
        return all(s.kpi != kpi for s in self.skipped)

    def as_json(self) -> dict[str, Any]:
        def points(items: list[Point], key: str) -> list[dict[str, Any]]:
            return [{key: p.key, "value": p.value, "n": p.n} for p in items]

        return {
            "period": self.period.as_json(),
            **({"as_of": self.as_of, "measured_period": self.measured.as_json()}
               if self.as_of is not None else {}),
            "previous_period": self.previous_period.as_json(),
            "year_ago_period": self.year_ago_period.as_json(),
            "grain": self.grain,
            "filters": filters_json(self.filters),
            "currency": self.currency,
            "tiles": [t.as_json() for t in self.tiles],
            "skipped": [s.as_json() for s in self.skipped],
            "uncompared": [s.as_json() for s in self.uncompared],
            "trend": [{self.grain: p.key, "period": p.period, "value": p.value, "n": p.n,
                       "target": target}
                      for p, target in zip(self.trend, self.trend_targets or [None] * len(self.trend),
                                           strict=True)],
            "previous_trend": [{self.grain: p.key, "period": p.period, "value": p.value, "n": p.n}
                               for p in self.previous_trend],
            "products": [{**d, "name": self.product_names.get(d["product"])}
                         for d in points(self.products, "product")],
            **apart_json(self.products_apart),
            "reps": [{"rep": r.rep, "name": self.rep_names.get(r.rep), "team": r.team,
                      "values": r.values, "n": r.n, "flags": {k: list(v) for k, v in r.flags.items()},
                      "targets": {k: {"target": t.target, "status": t.status, "pace": t.pace}
                                  for k, t in r.targets.items()},
                      "diagnosis": r.diagnosis}
                     for r in self.reps],
            "attention": [{"rep": a.rep, "name": self.rep_names.get(a.rep), "reason": a.reason,
                           "kpi": a.kpi, "value": a.value, "target": a.target, "previous": a.previous,
                           "change": a.change, "p_value": a.p_value} for a in self.attention],
            "company_targets": self.company_targets,
            "activity_mix": points(self.activity_mix, "activity_type"),
            "nps_mix": self.nps_mix,
            "cycle": None if self.cycle is None else [
                {"low": b.low, "high": b.high, "count": b.count} for b in self.cycle],
            "data_version": self.data_version,
            **({"hint": self.hint.as_json()} if self.hint else {}),
            **({"closed_ahead": self.closed_ahead.as_json()} if self.closed_ahead else {}),
            "explanations": {k: {"en": v.en, "de": v.de} for k, v in self.explanations.items()},
            "programs": [p.as_json() for p in self.programs],
        }


def trend_json(points: Sequence[Point], currency: str | None) -> list[dict[str, Any]]:
    """What `trend --format json` and /api/v1/trend answer: each bucket's revenue with the currency
    it is in (the CSV had it, the JSON did not: 1200.00 of what?)."""
    return [{"key": p.key, "period": p.period, "value": p.value, "currency": currency, "n": p.n}
            for p in points]


def trend_span(points: Sequence[Point]) -> Period | None:
    """The days a trend's bars cover (a running period's up to the day measured): its title's."""
    if not points or points[0].span is None or points[-1].span is None:
        return None
    return stretch(points[0].span.start, points[-1].span.end, points[-1].span.cut_at)


# The longest trend drawn by day: a quarter.
MOST_DAYS = 92


def drawable(measured: Period, grain: str) -> None:
    """Refuse a trend by day over more than :data:`MOST_DAYS` days (of the stretch measured: a
    running year by day in its first weeks is drawn): hundreds of bars, each too thin to read, and
    a page of megabytes. A report by day (an analyst's table) has no such bound."""
    if grain == "day" and measured.days > MOST_DAYS:
        raise keyed(DimensionError(f"a trend by day covers at most {MOST_DAYS} days, and {measured.label} "
                                   f"has {measured.days}: choose week or month"),
                    "trend_days", most=MOST_DAYS, period=measured.label, days=measured.days)


def default_grain(span: Period) -> str:
    """Days for two weeks or less, weeks for a month or less, months up to a year, quarters beyond."""
    if span.days <= 14:
        return "day"
    if span.days <= 35:
        return "week"
    return "month" if span.days <= 366 else "quarter"


def _beside(points: Sequence[Point], span: Period, before: Period, days: Sequence[Point]) -> list[Point]:
    """The revenue of the period before (``before``, as cut to set beside ``span``; ``days``, its
    days' revenue) in the stretches as far into it as each of ``points`` (this period's buckets) is
    into ``span``. By calendar week, December 1st to 5th (one week's bucket) was set beside
    November 1st alone (0.00, the last day of a week starting in October), while the tile set it
    beside November 1st to 5th."""
    if not days:  # refused: money without an exchange rate (the tiles say so), not zeros
        return []
    after = before.records_last_day + timedelta(days=1)  # today's counterpart, with no records yet
    # Each day's revenue and deals by its distance from the first: a stretch is a slice of them.
    value: list[Decimal] = [Decimal("0.00")] * (after - before.start).days
    n = [0] * len(value)
    for d in days:
        if d.span is not None and d.span.start < after:
            value[(d.span.start - before.start).days] += d.value
            n[(d.span.start - before.start).days] += d.n
    out = []
    for i, p in enumerate(points):
        assert p.span is not None  # a trend's bucket
        start = before.start + (p.span.start - span.start)
        # The last bucket takes the rest of a longer period before (January's 29th to 31st beside
        # February's last week): the line adds up to what the tile compares with.
        end = after if i == len(points) - 1 else min(before.start + (p.span.end - span.start), after)
        if start >= end:  # the period before is shorter, or cut sooner
            break
        part = stretch(start, end, before.cut_at if end == after else None)
        first, stop = (start - before.start).days, (end - before.start).days
        out.append(Point(part.label, sum(value[first:stop], Decimal("0.00")), sum(n[first:stop]), part.label,
                         part))
    return out


def applicable(kpis: Sequence[str], filters: Mapping[str, Sequence[str]]) -> list[str]:
    return [k for k in kpis if not why_not(REGISTRY[k], (), normalise_filters(filters))]


def revenue_trend(
    store: Store,
    span: Period,
    grain: str,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> list[Point]:
    """Revenue per day, week, month or quarter of the period (up to the end of ``as_of``); empty buckets
    show as zero."""
    if grain not in TIME_DIMENSIONS:
        raise DimensionError(f"the trend's grain is day, week, month or quarter, not {grain!r}")
    report = build_report(store, span, by=grain, kpis=["total_revenue"], filters=filters, as_of=as_of,
                          viewer=viewer)
    by_label = {r[grain]: r for r in report.rows}
    fy = store.settings.fiscal_year_start
    measured = span.until(as_of)  # weeks after as_of had not happened: no bar, not a zero
    points = []
    for start, end in buckets(measured, grain, fy):
        label = time_label(grain, start, fy)
        row = by_label.get(label, {})
        cut = Period(start, end, label).within(measured)
        points.append(Point(label, row.get("value", Decimal("0.00")), row.get("n", 0), cut.label, cut))
    return points


def build_dashboard(
    store: Store,
    period: str | Period,
    *,
    grain: str | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> Dashboard:
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    chosen_grain = grain or default_grain(span)
    drawable(span.until(as_of), chosen_grain)
    kw: dict[str, Any] = {"filters": where, "as_of": as_of, "viewer": viewer}

    tile_kpis = applicable(HEADLINE_KPIS, where)
    skipped = [Skipped(k, why_not(REGISTRY[k], (), where) or "") for k in HEADLINE_KPIS
               if k not in tile_kpis]
    # Three parts asked side by side, each on a connection of its own (Store.side_by_side).
    (now, tiles, year_ago), charts, (reps, unrated) = store.side_by_side(
        lambda: headlines(store, span, kpis=tile_kpis, year_ago=True, **kw),
        lambda: _charts(store, span, chosen_grain, tile_kpis, **kw),
        lambda: _leaderboard(store, span, **kw),
    )
    # The company's goals are for those who see the company's figure: a rep or a manager filtering
    # to their own team read the company's revenue target on the tile.
    sees_company = viewer is None or viewer.sees_everything
    company = company_targets(store, span) if where and sees_company else {}
    # What no exchange rate converts is left out, each KPI once, with the refusal to word.
    for s in [*now.skipped, *charts.refused, *unrated]:
        if all(s.kpi != k.kpi for k in skipped):
            skipped.append(s)
    return Dashboard(
        period=span, grain=chosen_grain, filters=where, currency=now.currency, tiles=tiles,
        skipped=skipped, uncompared=[s for s in now.uncompared if all(s.kpi != k.kpi for k in skipped)],
        trend=charts.trend, previous_trend=charts.previous_trend,
        trend_targets=bucket_targets(store, "total_revenue", [p.period or p.key for p in charts.trend],
                                     where, viewer),
        products=charts.products, reps=reps, activity_mix=charts.activity_mix,
        nps_mix=charts.nps_mix, cycle=charts.cycle, rep_names=store.names("reps", viewer),
        product_names=store.names("products"), data_version=store.data_version, as_of=as_of,
        hint=now.hint, over=now.over, closed_ahead=now.closed_ahead,
        explanations={"ramp_time": rule_text(store.settings)} if "ramp_time" in tile_kpis else {},
        programs=program_marks(store, span.until(as_of), chosen_grain, where, viewer),
        company_targets=company, attention=needs_attention(reps),
        # The periods the tiles were set beside, as they were cut (the day may turn meanwhile).
        compared=(now.previous or comparable(store, span.previous(), span, as_of), year_ago),
    )


@dataclass(frozen=True)
class _Charts:
    products: list[Point]
    activity_mix: list[Point]
    nps_mix: dict[str, int] | None
    cycle: list[Bucket] | None
    trend: list[Point]
    previous_trend: list[Point]
    refused: list[Skipped]  # the charts of money no exchange rate converts, left empty


def _charts(store: Store, span: Period, grain: str, tile_kpis: Sequence[str], *,
            filters: Mapping[str, Sequence[str]], as_of: date | None, viewer: Viewer | None) -> _Charts:
    """The series behind the dashboard's charts (the KPIs among ``tile_kpis`` decide which)."""
    kw: dict[str, Any] = {"filters": filters, "as_of": as_of, "viewer": viewer}
    refused: list[Skipped] = []

    def trend(period: Period, *, before: bool = False, by: str = grain) -> list[Point]:
        try:
            return revenue_trend(store, period, by, **kw)
        except CurrencyError as exc:  # an empty chart beside the refusal, not zeros
            if not before:  # the period before's line is left out; the tiles flag previous_no_rate
                refused.append(Skipped("total_revenue", str(exc), "no_rate", exc))
            return []

    now = trend(span)
    before = comparable(store, span.previous(), span, as_of)
    by_product = build_report(store, span, kpis=["revenue_per_product"], skip_unrated=True, **kw)
    refused += by_product.skipped
    mix: list[Point] = []
    if "activity_count" in tile_kpis:
        rows = build_report(store, span, by="activity_type", kpis=["activity_count"], **kw).rows
        mix = sorted((Point(r["activity_type"] or "", r["value"], r["n"]) for r in rows),
                     key=lambda p: p.value, reverse=True)
    return _Charts(
        products=sorted((Point(r["product"], r["value"], r["n"]) for r in by_product.rows),
                        key=lambda p: p.value, reverse=True),
        activity_mix=mix,
        nps_mix=nps_mix(records_behind(store, "nps", span, **kw)) if "nps" in tile_kpis else None,
        cycle=(_buckets(cycle_days(store, span, **kw)) if "sales_cycle_length" in tile_kpis
               else None),
        trend=now,
        # The same stretch of the period before, bucket by bucket: drawn as a line over this
        # period's bars. Months and quarters are set beside the calendar's (November beside
        # October); days and weeks beside the days as far into the period before (_beside).
        # Empty for a period still to come, compared with nothing (coverage.still_to_come): its bars of 0
        # under the line of the quarter running read as the drop its tiles no longer say.
        previous_trend=([] if still_to_come(store, span, as_of, viewer) else
                        trend(before, before=True) if grain in ("month", "quarter")
                        else _beside(now, span, before, trend(before, before=True, by="day"))),
        refused=refused,
    )


def program_marks(store: Store, measured: Period, grain: str, filters: Mapping[str, Sequence[str]],
                  viewer: Viewer | None = None) -> list[ProgramMark]:
    """The programs that start within the period, each in the trend's bucket it starts in. Filtered
    to reps or teams, only the programs some of them took part in; never a program none of the reps
    ``viewer`` may see took part in (their trend is not that program's)."""
    teams = store.teams(viewer)
    fy = store.settings.fiscal_year_start
    spans = buckets(measured, grain, fy)
    out = []
    for p in list_programs(store, viewer):
        if not p.participants or not measured.start <= p.start_on < measured.end:
            continue
        if filters.get("rep") and not set(p.participants) & set(filters["rep"]):
            continue
        if filters.get("team") and not {teams.get(r) for r in p.participants} & set(filters["team"]):
            continue
        start = next(s for s, e in spans if s <= p.start_on < e)
        out.append(ProgramMark(p.program_id, p.name, p.kind, p.start_on, time_label(grain, start, fy)))
    return out


def leaderboard(
    store: Store,
    span: Period,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> list[RepLine]:
    """Each rep's revenue, win rate, quota attainment and activities, best revenue first; with the
    rep's own targets, the change from the period before (tested), and the scorecard's diagnosis
    against the rep's team, all from one report (by rep, compared). A KPI whose money no exchange
    rate converts has no value (flag ``no_rate``) for any rep."""
    return _leaderboard(store, span, filters=filters, as_of=as_of, viewer=viewer)[0]


def _won_deals(store: Store, span: Period, *, filters: Mapping[str, Sequence[str]] | None,
               as_of: date | None, viewer: Viewer | None) -> dict[str, int]:
    """Each rep's deals won in the period, counted without their money (under the same filters,
    a product's too): the deals of revenue per rep where no rate converts some of it."""
    query = query_maker(store, span, resolve_filters(store, filters, viewer), as_of=as_of,
                        viewer=viewer)(("rep",))
    rows = compiled.run("won deals by rep", _won_by_rep, query)
    return {str(r["rep"]): int(r["deals"]) for r in rows if r["rep"] is not None}


def _won_by_rep(q: Query) -> Any:
    won = q.won(amounts=False)
    return won.group_by("rep").aggregate(deals=won.count())


def _leaderboard(
    store: Store,
    span: Period,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> tuple[list[RepLine], list[Skipped]]:
    """The leaderboard, and the KPIs of it refused for money without a rate."""
    kpis = applicable(LEADERBOARD_KPIS, filters or {})
    # Only rates and counts are tested against the period before (sums of money and quota attainment
    # are not): only theirs are asked twice.
    tested = [k for k in kpis if k in ("win_rate", "activity_count")]
    kw: dict[str, Any] = {"by": "rep", "filters": filters, "as_of": as_of, "viewer": viewer,
                          "skip_unrated": True}
    plain = [k for k in kpis if k not in tested]
    reports = ([build_report(store, span, kpis=tested, compare=True, **kw)] if tested else []) + (
        [build_report(store, span, kpis=plain, **kw)] if plain else [])
    rows = [row for report in reports for row in report.rows]
    refused = [s for report in reports for s in report.skipped]
    teams = store.teams(viewer)
    lines: dict[str, RepLine] = {}
    for row in rows:
        rep = row["rep"]
        if rep is None:
            continue
        line = lines.get(rep)
        if line is None:  # made once a rep, not once a row (12,000 rows at 2,000 reps)
            line = lines[rep] = RepLine(rep, teams.get(rep), {}, {}, {})
        line.values[row["kpi"]] = row["value"]
        line.n[row["kpi"]] = row["n"]
        line.flags[row["kpi"]] = tuple(row["flags"])
        line.changes[row["kpi"]] = (row.get("previous"), row.get("change"), row.get("p_value"),
                                    row.get("significant"))
        if row.get("target") is not None:
            line.targets[row["kpi"]] = RepTarget(row["target"], row.get("target_status"), row.get("pace"))
    # A rep with activities but no won deal has revenue 0, not "no figure": fill what the KPI itself
    # says about an empty group (0 for sums and counts, nothing for rates).
    # A KPI refused for money without a rate has no value for anyone: not 0. Its won deals are
    # still counted (the leaderboard's deals column): a count needs no rate, and 0 said a rep with
    # five wins had none.
    unrated = {s.kpi for s in refused}
    # One rep's deal in pounds without a rate took every rep's revenue away: asked again without
    # the reps whose won money no rate converts, the others' figures stand (theirs: no_rate).
    others = apart(store, span, sorted(unrated, key=list(REGISTRY).index), "rep", filters=filters,
                   as_of=as_of, viewer=viewer) if unrated else None
    for row in (r for r in others.report.rows if r["rep"]) if others else ():
        if row["rep"] not in lines:
            lines[row["rep"]] = RepLine(row["rep"], teams.get(row["rep"]), {}, {}, {})
        line = lines[row["rep"]]
        line.values[row["kpi"]], line.n[row["kpi"]], line.flags[row["kpi"]] = (
            row["value"], row["n"], tuple(row["flags"]))
        if row.get("target") is not None:
            line.targets[row["kpi"]] = RepTarget(row["target"], row.get("target_status"), row.get("pace"))
    won = (_won_deals(store, span, filters=filters, as_of=as_of, viewer=viewer)
           if "revenue_per_rep" in unrated else {})
    for rep in won:  # under a product filter revenue is the leaderboard's only figure
        if rep not in lines:
            lines[rep] = RepLine(rep, teams.get(rep), {}, {}, {})
    _own_targets_beyond(store, span, kpis, lines, teams, filters=filters, as_of=as_of, viewer=viewer)
    # Quota attainment is asked only where the filters leave a rep's whole figure (KPI.why_not:
    # not of one source's deals), so a quota is never set against part of what it measures.
    if "quota_attainment" in kpis:
        day, over = as_of or store.today(), is_over(span, as_of, store.today())
        # Not judged before a rep's hire date, and "too early" counted from it, as a target of
        # theirs is: a rep hired on the 16th read "missed quota: 0 %" on the 15th (a tester). The
        # figure stays attainment of the quota as imported (which may start on the hire date).
        hires = hire_dates(store, viewer)
        gone = {rep: targets.elapsed_at_work(span, day, hires.get(rep)) for rep in lines}
        quota_of = {rep: against_quota(line.values["quota_attainment"], gone[rep], over,
                                       targets.too_early(span, day, hires.get(rep)))
                    for rep, line in lines.items()
                    if line.values.get("quota_attainment") is not None and gone[rep] > 0}
    else:
        quota_of = {}
    for line in lines.values():
        for kpi in kpis:
            if kpi in unrated and (others is None or not others.answered(kpi) or line.rep in others.unrated):
                deals = won.get(line.rep, 0) if kpi == "revenue_per_rep" else 0
                line.values[kpi], line.n[kpi], line.flags[kpi] = None, deals, ("no_rate",)
            elif kpi not in line.values:
                finalize = REGISTRY[kpi].finalize
                assert finalize is not None
                empty = finalize({})
                # 0 activities where none were ever imported says so (KPI.needs)
                flags = why_empty(store, REGISTRY[kpi], empty.flags, viewer, empty.value)
                line.values[kpi], line.n[kpi], line.flags[kpi] = empty.value, empty.n, tuple(flags)
    zero = Decimal("0.00")
    ordered = sorted(lines.values(),
                     key=lambda line: (-(line.values.get("revenue_per_rep") or zero), line.rep))
    if "activity_count" not in kpis or "win_rate" not in kpis or unrated & {"activity_count", "win_rate"}:
        # Made anew, as below: dataclasses.replace reads every field of every line.
        return [RepLine(line.rep, line.team, line.values, line.n, line.flags, line.targets, line.diagnosis,
                        line.changes, line.activity, quota_of.get(line.rep)) for line in ordered], refused
    # The diagnosis needs each rep's team beside them: the reps of a team in this view.
    from .insights.peers import on_the_team
    from .insights.scorecard import TeamFigures, diagnose, team_figures

    rows = [r for r in rows if r["kpi"] in ("activity_count", "win_rate") and r["rep"]]
    view_teams = {line.team for line in ordered if line.team}
    peers = viewer
    if view_teams and ((filters or {}).get("rep") or (viewer is not None and not viewer.sees_everything)):
        # A view narrowed to some reps (a rep's own, one filtered to a rep) judges them as their
        # page does: against their whole team, whose rows this view does not hold.
        peers = viewer if viewer is None or viewer.sees_everything else Viewer.of_teams("team median",
                                                                                         view_teams)
        wider = {**{k: v for k, v in (filters or {}).items() if k != "rep"}, "team": sorted(view_teams)}
        team_rows = build_report(store, span, by="rep", kpis=["activity_count", "win_rate"], filters=wider,
                                 as_of=as_of, viewer=peers, skip_unrated=True).rows
        rows = [r for r in team_rows if r["rep"]]
        teams = {**store.teams(peers), **teams}
    # Activities counted in this view show they were imported; only a view without any asks.
    imported = (any(r["n"] for r in rows if r["kpi"] == "activity_count")
                or activities_imported(store, span, viewer))
    # Each rep beside their team, or alone without one: grouped once, not searched once a rep
    # (that was quadratic, 1.5 s of a view at 2,000 reps).
    members: dict[str, list[str]] = {}
    # The team in the period: a rep hired after it is no zero in its medians.
    for rep in on_the_team(store, [r for r, t in teams.items() if t], span, peers, as_of):
        members.setdefault(str(teams[rep]), []).append(rep)
    rows_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        team = teams.get(r["rep"])
        rows_of.setdefault(("team", team) if team else ("rep", r["rep"]), []).append(r)
    out = []
    figures: dict[tuple[str, str], TeamFigures] = {}  # the same for each rep of a team
    for line in ordered:
        key = ("team", line.team) if line.team else ("rep", line.rep)
        if key not in figures:
            mates = members.get(line.team, []) if line.team else [line.rep]
            figures[key] = team_figures(mates, rows_of.get(key, []))
        found = diagnose(line.rep, figures[key], activities_imported=imported)
        # Made anew, not dataclasses.replace: that reads the fields a line (2,000 a view).
        out.append(RepLine(line.rep, line.team, line.values, line.n, line.flags, line.targets, found.code,
                           line.changes, found.activity, quota_of.get(line.rep)))
    return out, refused


def _own_targets_beyond(store: Store, span: Period, shown: Sequence[str], lines: dict[str, RepLine],
                        teams: Mapping[str, str | None], *, filters: Mapping[str, Sequence[str]] | None,
                        as_of: date | None, viewer: Viewer | None) -> None:
    """A rep's own targets on KPIs the leaderboard has no column for (the sales cycle, the deal
    size), judged into their lines: a rep who missed one was in neither the Targets column nor
    "Needs attention". One report more, and only where such targets are set."""
    covered = {*shown, *(k for kpi in shown for k in same_figure(kpi, ("rep",)))}
    stored = [t for t in targets.list_targets(store, viewer=viewer)
              if t.scope == "rep" and t.scope_id and t.kpi not in covered]
    kpis = applicable(sorted({t.kpi for t in stored}, key=list(REGISTRY).index), filters or {})
    if not kpis:  # most views: no such target, and nothing more read
        return
    where = resolve_filters(store, filters, viewer)
    asked, on_teams = set(where.get("rep") or ()), set(where.get("team") or ())
    reps = sorted({t.scope_id for t in stored if t.scope_id and (not asked or t.scope_id in asked)
                   and (not on_teams or teams.get(t.scope_id) in on_teams)
                   and (t.period is None or (t.period.start < span.end and span.start < t.period.end))})
    if not reps:
        return
    try:
        # A KPI the leaderboard's filters leave out by rep: no line to judge it into.
        found = build_report(store, span, by="rep", kpis=kpis, filters={**(filters or {}), "rep": reps},
                             as_of=as_of, viewer=viewer, skip_unrated=True)
    except DimensionError:
        return
    for row in found.rows:
        if row.get("target") is None or row.get("rep") is None:
            continue
        line = lines.get(row["rep"])
        if line is None:
            line = lines[row["rep"]] = RepLine(row["rep"], teams.get(row["rep"]), {}, {}, {})
        line.values[row["kpi"]], line.n[row["kpi"]], line.flags[row["kpi"]] = (
            row["value"], row["n"], tuple(row["flags"]))
        line.targets[row["kpi"]] = RepTarget(row["target"], row.get("target_status"), row.get("pace"))


def against_quota(value: Any, elapsed: Decimal, over: bool, early: bool = False) -> RepTarget:
    """A quota is a target of 100 % of itself: a rep's quota attainment (pro-rated to the days so
    far while the period runs, so 100 % is on pace) judged as a sum against its pace is
    (targets.pace_status): on track at 100 %, at risk within 10 % of it or in the first quarter of
    the period, off track below; once the period is over, reached or missed. Only targets set by
    hand were judged: a team's reps at 0 % and 13 % of quota were in no one's "needs attention" (a
    tester). The pace a float, not a Decimal: 2,000 reps a view at 1M deals."""
    pace = float(value)
    return RepTarget(QUOTA, targets.pace_status(pace, elapsed, over, early), round(pace, 4))


def needs_attention(reps: Sequence[RepLine]) -> list[Attention]:
    """Reps off track against a target of their own, then against their quota (unless a target of
    their own on quota attainment said so already), then reps whose figure dropped beyond noise."""
    off = [Attention(r.rep, "off_track", kpi, r.values.get(kpi), target=t.target)
           for r in reps for kpi, t in r.targets.items() if t.status == "off_track"]
    # The furthest behind first: a page lists the first eight.
    off += sorted((Attention(r.rep, "below_quota", "quota_attainment", r.values.get("quota_attainment"),
                             target=r.quota.target)
                   for r in reps if r.quota is not None and r.quota.status == "off_track"
                   and "quota_attainment" not in r.targets), key=lambda a: (a.value, a.rep))
    drops = []
    for r in reps:
        for kpi, (previous, change, p_value, significant) in r.changes.items():
            good_up = REGISTRY[kpi].higher_is_better
            way = moved(r.values.get(kpi), previous, change, significant)
            if significant and way and (way < 0) == bool(good_up):
                drops.append(Attention(r.rep, "drop", kpi, r.values.get(kpi), previous=previous,
                                       change=change, p_value=p_value))
    return off + sorted(drops, key=lambda a: a.p_value or 0)


def _buckets(deals_by_days: Mapping[int, int]) -> list[Bucket]:
    out = []
    for low, high in CYCLE_BUCKETS:
        count = sum(n for d, n in deals_by_days.items() if d >= low and (high is None or d <= high))
        out.append(Bucket(low, high, count))
    return out


def cycle_days(
    store: Store,
    span: Period,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> dict[int, int]:
    """How many deals won in the period took each number of days: the cycle chart's histogram,
    counted in SQL from the deals the sales cycle's figure rests on (read one row per deal into
    Python, it took 0.1-0.4 s a view at 1M deals)."""
    query = query_maker(store, span, resolve_filters(store, filters, viewer), as_of=as_of,
                        viewer=viewer)(())
    rows = compiled.run("cycle days", _cycle_days, query)
    return {int(r["days"]): int(r["deals"]) for r in rows}


def _cycle_days(q: Query) -> Any:
    won = q.won(amounts=False)  # days, not money: a deal without a rate is counted
    t = won.mutate(days=won.closed_at.date().delta(won.created_at.date(), unit="day"))
    return t.group_by("days").aggregate(deals=t.count())
