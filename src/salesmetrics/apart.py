"""Figures by rep or team where some of the groups hold money no exchange rate converts.

One deal in pounds without a rate refuses revenue by rep as a whole (it cannot be added into the
company's figure, and a grouped query is one query): every rep's revenue, target and leaderboard
line went blank for one rep's deal. :func:`apart` asks the figures again without the groups that
won such money in the period, so the others' stand and only those read "no exchange rate"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .access import Viewer
from .kpis import compiled
from .kpis.query import Query
from .kpis.scope import query_maker, resolve_filters
from .periods import Period
from .report import Report, build_report
from .store import Store


@dataclass(frozen=True)
class Apart:
    unrated: frozenset[str]  # the reps (teams) that won money no rate converts in the period
    report: Report  # the KPIs asked again for the others; a KPI still refused is in its skipped

    def answered(self, kpi: str) -> bool:
        return all(s.kpi != kpi for s in self.report.skipped)


def apart(store: Store, span: Period, kpis: Sequence[str], by: str, *,
          filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
          viewer: Viewer | None = None, compare: bool = False) -> Apart | None:
    """``kpis`` by ``by`` (rep or team) for the groups in view that won no money without a rate;
    None where none did, or all did. A KPI refused for other money too (a quota without a rate)
    stays refused (:meth:`Apart.answered`)."""
    where = resolve_filters(store, filters, viewer)
    query = query_maker(store, span, where, as_of=as_of, viewer=viewer)((by,))
    unrated = frozenset(str(r["grp"]) for r in compiled.run("unrated won", _unrated_won, query)
                        if r["grp"] is not None)
    teams = store.teams(viewer)
    in_view = set(teams) if by == "rep" else {team for team in teams.values() if team}
    others = sorted(set(where.get(by) or in_view) - unrated)
    if not unrated or not others:
        return None
    report = build_report(store, span, by=by, kpis=list(kpis), filters={**where, by: others}, as_of=as_of,
                          viewer=viewer, compare=compare, skip_unrated=True)
    return Apart(unrated, report)


def _unrated_won(q: Query) -> Any:
    won = q.won(money=False)
    unrated = won.filter(won.rate.isnull())
    return unrated.group_by(grp=unrated[q.by[0]]).aggregate(deals=unrated.count())
