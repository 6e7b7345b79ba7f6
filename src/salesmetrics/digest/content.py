"""A period's digest as data: what a sales leader reads on Monday morning.

Every figure is asked of the functions the other faces ask (headlines, target status, the
scorecard's diagnosis, the revenue trend), so the digest can never disagree with the dashboard or
``salesmetrics report``. Faces render it (:mod:`salesmetrics.documents`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..access import Viewer
from ..coverage import ClosedAhead, PeriodHint, activities_imported
from ..dashboard import Point, applicable, revenue_trend
from ..errors import CurrencyError, DimensionError
from ..insights.peers import on_the_team
from ..insights.scorecard import (
    MIN_CLOSED,
    Diagnosis,
    TeamFigures,
    diagnose,
    team_figures,
    without_small_medians,
)
from ..kpis import REGISTRY
from ..kpis.scope import filters_json, resolve_filters, why_not
from ..periods import Period, add_months
from ..report import Skipped, build_report
from ..store import Store
from ..summary import HEADLINE_KPIS, Headline, headlines
from ..target_status import TargetStatus, target_statuses

# The diagnoses a leader should act on (insights/scorecard.py); "strong" and "in_line" need nothing.
ATTENTION = ("needs_activity_and_training", "needs_training", "needs_more_activity")
# A week holds too few closed deals for a verdict (the scorecard wants MIN_CLOSED per rep), so the
# reps are judged on the 90 days that end with the digest's period.
ATTENTION_DAYS = 90
# Off track first: what needs doing comes before what goes well.
STATUS_ORDER = {"off_track": 0, "at_risk": 1, "on_track": 2, None: 3}
TOP_PRODUCTS = 8


@dataclass(frozen=True)
class Attention:
    """A rep the scorecard's diagnosis says needs something: more activity, training, or both."""

    rep: str
    name: str | None
    team: str | None
    diagnosis: Diagnosis

    def as_json(self) -> dict[str, Any]:
        return {"rep": self.rep, "name": self.name, "team": self.team,
                "diagnosis": self.diagnosis.as_json()}


@dataclass(frozen=True)
class Digest:
    period: Period
    previous_period: Period
    as_of: date | None
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    headlines: list[Headline]
    targets: list[TargetStatus]  # off track first
    attention: list[Attention]
    attention_period: Period
    trend: list[Point]
    trend_grain: str
    products: list[Point]
    hint: PeriodHint | None  # the period holds no records: where they are
    rep_names: dict[str, str] = field(default_factory=dict)
    product_names: dict[str, str] = field(default_factory=dict)
    data_version: int = 0
    # KPIs left out: money no exchange rate converts (report.Skipped, "no_rate").
    skipped: list[Skipped] = field(default_factory=list)
    # The products past the chart's TOP_PRODUCTS: how many, and their revenue (said, not dropped).
    more_products: int = 0
    more_products_value: Decimal = Decimal("0.00")
    # The revenue chart's refusal: its months reach back further than the period's figures.
    trend_refused: CurrencyError | None = None
    # The headlines compared with nothing, for the period before's money without a rate.
    uncompared: list[Skipped] = field(default_factory=list)
    # The reps in view with enough closed deals for a verdict: none, and "no rep needs attention"
    # is no all-clear (a tester: three reps of 4, 3 and 2 closed deals were "in line").
    attention_judged: int = 0
    # Whose view it is where that is not everyone's (a schedule's owner, --as-user): the teams or
    # reps they may see, and who. A manager's digest read as the company's figures, unsaid.
    scope: dict[str, tuple[str, ...]] = field(default_factory=dict)
    seen_by: str | None = None
    # The filters the targets and the reps to coach are not about (all but team and rep): under
    # them both are left out, and the digest says why.
    unfiltered: tuple[str, ...] = ()
    # The period's deals closed on a day still to come: not counted yet, said (coverage.py).
    closed_ahead: ClosedAhead | None = None

    @property
    def measured(self) -> Period:
        """The stretch the figures cover: the period, cut at the end of ``as_of`` if it runs past."""
        return self.period.until(self.as_of)

    @property
    def empty(self) -> bool:
        """No record in the period: the digest says so (or is not sent, with ``--skip-empty``)."""
        return self.hint is not None

    @property
    def changes(self) -> list[Headline]:
        """The headlines whose change from the period before is beyond noise."""
        return [h for h in self.headlines if h.significant]

    @property
    def off_track(self) -> list[TargetStatus]:
        return [t for t in self.targets if t.status == "off_track"]

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(),
            **({"as_of": self.as_of, "measured_period": self.measured.as_json()}
               if self.as_of is not None else {}),
            "previous_period": self.previous_period.as_json(),
            "filters": filters_json(self.filters),
            "scope": {k: list(v) for k, v in self.scope.items()},
            "seen_by": self.seen_by,
            "currency": self.currency,
            "headlines": [h.as_json() for h in self.headlines],
            "targets": [t.as_json() for t in self.targets],
            "attention": [a.as_json() for a in self.attention],
            "attention_period": self.attention_period.as_json(),
            "attention_judged": self.attention_judged,
            "significant_changes": [h.kpi for h in self.changes],
            "trend": [{self.trend_grain: p.key, "period": p.period, "value": p.value, "n": p.n}
                      for p in self.trend],
            "trend_grain": self.trend_grain,
            "products": [{"product": p.key, "name": self.product_names.get(p.key), "value": p.value,
                          "n": p.n} for p in self.products],
            "more_products": {"count": self.more_products, "value": self.more_products_value},
            "empty": self.empty,
            **({"hint": self.hint.as_json()} if self.hint else {}),
            "data_version": self.data_version,
            "skipped": [s.as_json() for s in self.skipped],
            "trend_refused": None if self.trend_refused is None else str(self.trend_refused),
            "uncompared": [s.as_json() for s in self.uncompared],
            "unfiltered": list(self.unfiltered),
            **({"closed_ahead": self.closed_ahead.as_json()} if self.closed_ahead else {}),
        }


def build_digest(store: Store, period: str | Period, *,
                 filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
                 viewer: Viewer | None = None) -> Digest:
    """The digest of ``period`` as ``viewer`` may see it (every core call gets the viewer, so a
    rep's digest holds only what that rep may see)."""
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    kw: dict[str, Any] = {"filters": where, "as_of": as_of, "viewer": viewer}
    shown = applicable(HEADLINE_KPIS, where)
    report, heads, _ = headlines(store, span, kpis=shown, **kw)
    measured = span.until(as_of)
    teams = store.teams(viewer)
    grain, trend_span = trend_window(measured, span)
    # Said, as the dashboard and the summary say them: a digest by source without its quota,
    # activity, NPS and ramp lines left them out with "skipped": [] (the output tester).
    skipped = [*(Skipped(k, why_not(REGISTRY[k], (), where) or "") for k in HEADLINE_KPIS if k not in shown),
               *report.skipped]
    trend_refused = None
    try:
        trend = revenue_trend(store, trend_span, grain, **kw)
    except CurrencyError as exc:  # no chart of money no rate converts: said, not drawn as zeros
        trend, trend_refused = [], exc
    products = _products(store, span, kw, skipped)
    top, rest = products[:TOP_PRODUCTS], products[TOP_PRODUCTS:]
    # A rep's verdict reads all their deals and activities, and a target is the company's, a team's
    # or a rep's figure: under a filter by source or product neither is that filter's, and a digest
    # "Filters: Source = inbound" listed a rep for his win rate over every source.
    unfiltered = tuple(d for d in where if d not in ("team", "rep"))
    attention, judged = ([], 0) if unfiltered else _attention(store, measured, where, teams, as_of, viewer)
    return Digest(
        period=span, previous_period=report.previous or span.previous(), as_of=as_of, filters=where,
        currency=report.currency, headlines=heads,
        targets=[] if unfiltered else _targets_in_view(
            target_statuses(store, span, as_of=as_of, viewer=viewer), where, teams),
        attention=attention, attention_judged=judged, attention_period=attention_window(measured),
        trend=trend, trend_grain=grain,
        products=top, hint=report.hint, rep_names=store.names("reps"),
        product_names=store.names("products"), data_version=store.data_version,
        skipped=skipped, trend_refused=trend_refused, uncompared=report.uncompared,
        more_products=len(rest), more_products_value=sum((p.value for p in rest), Decimal("0.00")),
        scope=_scope(viewer), seen_by=None if viewer is None or viewer.sees_everything else viewer.name,
        unfiltered=unfiltered, closed_ahead=report.closed_ahead,
    )


def trend_window(measured: Period, period: Period | None = None) -> tuple[str, Period]:
    """The revenue chart's grain and stretch: the period's own bucket and the ones before it, so a
    week is seen against its quarter (13 weeks), a month against its year (12 months), and a quarter
    or more against two years (quarters). The grain is the whole ``period``'s (where given), the
    stretch ends where it is measured: December's digest on the 7th drew 13 weeks, November's 12
    months, and a schedule of this-month changed charts each month (a tester)."""
    last = measured.last_day
    days = (period or measured).days
    if days <= 14:
        start = last - timedelta(days=last.weekday()) - timedelta(weeks=12)
        return "week", Period(min(start, measured.start), measured.end, "trend")
    if days <= 100:
        start = add_months(date(last.year, last.month, 1), -11)
        return "month", Period(min(start, measured.start), measured.end, "trend")
    start = add_months(date(last.year, last.month, 1), -23)
    return "quarter", Period(min(start, measured.start), measured.end, "trend")


def attention_window(measured: Period) -> Period:
    start = min(measured.start, measured.end - timedelta(days=ATTENTION_DAYS))
    return Period(start, measured.end, f"{start.isoformat()}..{measured.last_day.isoformat()}")


def _targets_in_view(statuses: list[TargetStatus], where: Mapping[str, Sequence[str]],
                     teams: Mapping[str, str | None]) -> list[TargetStatus]:
    """The targets whose figure the digest is about: all of them unfiltered; filtered to teams or
    reps, those teams' and reps' own (filtered otherwise, a product, a source, none are asked:
    a target is a company's, team's or rep's figure, never a product's)."""
    if where:
        team_f, rep_f = set(where.get("team", ())), set(where.get("rep", ()))
        reps = {r for r, t in teams.items() if (not team_f or t in team_f) and (not rep_f or r in rep_f)}
        statuses = [s for s in statuses
                    if (s.scope == "team" and s.scope_id in team_f and not rep_f)
                    or (s.scope == "rep" and s.scope_id in reps)]
    return sorted(statuses, key=lambda s: (STATUS_ORDER.get(s.status, 3), s.scope != "company"))


def _attention(store: Store, measured: Period, where: Mapping[str, Sequence[str]],
               teams: Mapping[str, str | None], as_of: date | None,
               viewer: Viewer | None) -> tuple[list[Attention], int]:
    """The reps in view whose diagnosis calls for action, judged as their scorecard judges them:
    against their whole team's median, over :data:`ATTENTION_DAYS`; and how many were judged."""
    team_f, rep_f = set(where.get("team", ())), set(where.get("rep", ()))
    in_view = [r for r, t in sorted(teams.items()) if (not team_f or t in team_f)
               and (not rep_f or r in rep_f)]
    if not in_view:
        return [], 0
    window = attention_window(measured)
    # As the scorecard does: one who sees only part of a team (a rep) is still judged against the
    # whole team's medians; only the reps in view are listed.
    peer_viewer = viewer
    in_teams = {t for r in in_view if (t := teams.get(r))}
    if viewer is not None and not viewer.sees_everything and in_teams:
        peer_viewer = Viewer.of_teams("team median", in_teams)
        teams = {**store.teams(peer_viewer), **teams}
    report = build_report(store, window, by="rep", kpis=["activity_count", "win_rate"], as_of=as_of,
                          viewer=peer_viewer)
    rows = [r for r in report.rows if r.get("rep") is not None]
    imported = activities_imported(store, window, peer_viewer)
    names = store.names("reps")
    closed = {r["rep"]: int(r["n"]) for r in rows if r["kpi"] == "win_rate"}
    out = []
    # Each team's side of the diagnosis once, not once per rep (quadratic at 2,000 reps).
    members: dict[str | None, list[str]] = {}
    for r in on_the_team(store, sorted(teams), window, peer_viewer, as_of):
        members.setdefault(teams[r], []).append(r)
    figures: dict[str | None, TeamFigures] = {}
    # As on the scorecard: medians are shown to one who sees some teammates only if they rest on
    # enough reps.
    hidden = peer_viewer is not viewer
    judged = 0
    for rep in in_view:
        if closed.get(rep, 0) < MIN_CLOSED:
            continue  # not enough data: nothing to act on (the scorecard says why)
        judged += 1
        team = teams.get(rep)
        if not team:  # alone, as on the scorecard: the reps without a team are no team
            mine = team_figures([rep], [r for r in rows if r.get("rep") == rep])
        else:
            if team not in figures:
                figures[team] = team_figures(members.get(team, []), rows)
            mine = figures[team]
        diagnosis = diagnose(rep, mine, activities_imported=imported)
        if hidden:
            diagnosis = without_small_medians(diagnosis, mine)
        if diagnosis.code in ATTENTION:
            out.append(Attention(rep, names.get(rep), team, diagnosis))
    return sorted(out, key=lambda a: (ATTENTION.index(a.diagnosis.code), a.name or a.rep)), judged


def _products(store: Store, span: Period, kw: dict[str, Any], skipped: list[Skipped]) -> list[Point]:
    try:
        found = build_report(store, span, kpis=["revenue_per_product"], skip_unrated=True, **kw)
    except DimensionError:  # filtered by something products cannot be (an activity type)
        return []
    skipped += found.skipped
    rows = found.rows
    points = sorted((Point(r["product"], r["value"], r["n"]) for r in rows if r.get("value")),
                    key=lambda p: (-p.value, p.key))
    return points


def _scope(viewer: Viewer | None) -> dict[str, tuple[str, ...]]:
    """The teams and reps ``viewer`` may see (none: everyone's), as filters are written; a side
    they may see nothing of is not named (an empty "Team = ")."""
    if viewer is None:
        return {}
    return {dim: tuple(sorted(values)) for dim, values in (("team", viewer.teams), ("rep", viewer.rep_ids))
            if values}
