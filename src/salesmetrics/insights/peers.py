"""One rep against their team: each KPI for the rep beside the median of the team's reps.

The median, not the mean: one star closer or one rep on leave would drag a mean; the median is the
figure of the rep in the middle. A rep who worked in the period and won or logged nothing counts as
zero, as the KPI itself would say (the report's rows of 0); a rep who did not work in it at all (on
leave, gone, a name in the reps file) is left out, as a rep without a rate or an average is: a
zero of theirs pulled the team's median revenue down.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ..access import PRIVATE_MIN, Viewer
from ..errors import UnknownRepError
from ..kpis import REGISTRY, compiled
from ..kpis.known_values import hire_dates, resolve_rep
from ..kpis.query import Query
from ..periods import Measured, Period
from ..report import Skipped, build_report, why_empty

if TYPE_CHECKING:
    from ..store import Store

# total_revenue grouped by rep is the rep's revenue; revenue_per_product is about products.
REP_KPIS = ("total_revenue", "average_deal_size", "sales_cycle_length", "win_rate", "pipeline_win_rate",
            "quota_attainment", "activity_count", "nps", "ramp_time")


@dataclass(frozen=True)
class PeerLine:
    kpi: str
    value: Any
    n: int
    flags: tuple[str, ...]
    team_median: Any
    compared: int  # reps the median is taken over
    days_so_far: int | None = None  # ramp_time of a rep still ramping: no value, the days so far


@dataclass(frozen=True)
class RepComparison(Measured):
    rep: str
    name: str | None
    team: str | None
    hired_on: date | None
    period: Period
    currency: str | None
    lines: list[PeerLine]
    team_reps: list[str]
    as_of: date | None = None  # figures as they stood at the end of this day
    skipped: list[Skipped] = field(default_factory=list)  # KPIs refused: money without a rate

    def line(self, kpi: str) -> PeerLine:
        return next(line for line in self.lines if line.kpi == kpi)

    def as_json(self) -> dict[str, Any]:
        return {
            "rep": self.rep, "name": self.name, "team": self.team, "hired_on": self.hired_on,
            "period": self.period.as_json(), **self.as_of_json(), "currency": self.currency,
            "team_reps": self.team_reps,
            "kpis": [
                {"kpi": line.kpi, "unit": REGISTRY[line.kpi].unit, "value": line.value,
                 "team_median": line.team_median, "compared": line.compared, "n": line.n,
                 "flags": list(line.flags), "days_so_far": line.days_so_far}
                for line in self.lines
            ],
            "skipped": [s.as_json() for s in self.skipped],
        }


def rep_info(store: Store, rep: str, span: Period, viewer: Viewer | None) -> dict[str, Any]:
    """The rep's ``rep_id``, ``name``, ``team`` and ``hired_on``, found by id or full name
    (:func:`salesmetrics.kpis.known_values.resolve_rep`). Asked as a query for that rep, kept compiled
    like a KPI (kpis/compiled.py): as an Ibis expression it imported Ibis for a rep's page in a new
    process that had the rest of the page's SQL kept."""
    rep_id = resolve_rep(store, rep, viewer)
    query = Query(records=store.records(viewer), period=span, filters={"rep": (rep_id,)})
    rows = compiled.run("rep's record", _rep_record, query)
    if not rows:
        raise UnknownRepError("rep", rep)
    found = rows[0]
    return {"rep_id": found["rep"], "name": found["name"], "team": found["team"],
            "hired_on": found["hired_on"]}


def _rep_record(q: Query) -> Any:
    return q.reps()




def team_peers(store: Store, team: str | None, viewer: Viewer | None,
               rep: str | None = None) -> tuple[Viewer | None, list[str]]:
    """The viewer a team's median is computed as, and the team's reps. A rep who sees only their
    own records is still set beside their team: the median is computed over the whole team, and
    only medians leave (never a peer's id, name or figure). A rep without a team (``team`` None)
    is alone: the reps without one are no team (a tester: a teamless rep's "team median" was her
    own figure, and an admin's the median of every rep without a team)."""
    if team is None:
        return viewer, [rep] if rep else []
    peer_viewer = viewer
    if viewer is not None and not viewer.sees_everything:
        peer_viewer = Viewer.of_teams("team median", {team})
    teams = store.teams(peer_viewer)
    return peer_viewer, sorted(r for r, t in teams.items() if (t or None) == team)


def on_the_team(store: Store, reps: list[str], span: Period, viewer: Viewer | None,
                as_of: date | None = None) -> list[str]:
    """Of ``reps``, those on the team in ``span`` (as far as ``as_of``): a rep hired after it was
    not, and a zero of theirs in the team's medians would pull them down. Without a hire date, on it."""
    end = span.end if as_of is None else min(span.end, as_of + timedelta(days=1))
    hired = hire_dates(store, viewer)
    return [r for r in reps if (day := hired.get(r)) is None or day < end]


def private(store: Store, peers: list[str], viewer: Viewer | None) -> bool:
    """Whether ``viewer`` may not see some of ``peers`` (then only medians of them are shown)."""
    if viewer is None or viewer.sees_everything:
        return False
    return not set(peers) <= set(store.teams(viewer))


def build_rep_comparison(
    store: Store,
    rep: str,
    period: str | Period,
    *,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> RepComparison:
    rep_id = resolve_rep(store, rep, viewer)  # an unknown rep is said before a period's mistake
    span = store.period(period, as_of)
    info = rep_info(store, rep_id, span, viewer)
    rep = info["rep_id"]
    team = info.get("team") or None
    peer_viewer, peers = team_peers(store, team, viewer, rep)
    hidden = private(store, peers, viewer)
    filters = {"team": [team]} if team else {"rep": [rep]}
    # Money no exchange rate converts takes its KPIs away (flag no_rate), not the others.
    report = build_report(store, span, by="rep", kpis=REP_KPIS, filters=filters, as_of=as_of,
                          viewer=peer_viewer, skip_unrated=True)
    # The rep's own figures as the one asking sees them (a figure may rest on everything the
    # viewer sees: ramp_time's benchmark), the same as on their dashboard.
    own = report if peer_viewer == viewer else build_report(
        store, span, by="rep", kpis=REP_KPIS, filters={"rep": [rep]}, as_of=as_of, viewer=viewer,
        skip_unrated=True)
    refused = {s.kpi: s for s in [*report.skipped, *own.skipped]}
    on_team = on_the_team(store, peers, span, peer_viewer, as_of) if team else []  # no median of one
    lines = []
    for kpi in REP_KPIS:
        if kpi in refused:
            lines.append(PeerLine(kpi, None, 0, ("no_rate",), None, 0))
            continue
        rows = {r["rep"]: r for r in report.rows if r["kpi"] == kpi}
        definition = REGISTRY[kpi]
        assert definition.finalize is not None
        empty = definition.finalize({})
        mine = next((r for r in own.rows if r["kpi"] == kpi and r["rep"] == rep), None)
        values = [rows[r]["value"] for r in on_team if r in rows]
        present = [v for v in values if v is not None]
        if hidden and len(present) < PRIVATE_MIN:
            present = []
        median = statistics.median(present) if present else None
        if isinstance(median, Decimal):  # the middle of two amounts can have half a cent
            median = median.quantize(Decimal("0.01"), ROUND_HALF_UP)
        elif isinstance(median, float):  # as precise as the KPIs themselves, no float noise
            median = round(median, 6)
        lines.append(PeerLine(
            kpi,
            mine["value"] if mine else empty.value,
            mine["n"] if mine else 0,
            tuple(mine["flags"]) if mine else tuple(why_empty(store, definition, empty.flags, viewer,
                                                              empty.value)),
            median,
            len(present),
            mine.get("days_so_far") if mine else None,
        ))
    shown = [r for r in peers if r == rep] if hidden else peers
    return RepComparison(rep, info.get("name"), team, info.get("hired_on"), span, report.currency,
                         lines, shown, as_of, list(refused.values()))
