"""Figures by rep or team where some of the groups hold money no exchange rate converts.

One deal in pounds without a rate refuses revenue by rep as a whole (it cannot be added into the
company's figure, and a grouped query is one query): every rep's revenue, target and leaderboard
line went blank for one rep's deal. :func:`apart` asks the figures again without the groups that
won such money in the period, so the others' stand and only those read "no exchange rate"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from . import targets
from .access import Viewer
from .kpis import REGISTRY, compiled
from .kpis.query import Query
from .kpis.scope import parse_kpis, query_maker, resolve_filters
from .periods import Period
from .report import Report, Skipped, build_report, unrated_row
from .store import Store


@dataclass(frozen=True)
class Apart:
    unrated: Mapping[str, int]  # the reps (teams) that won money no rate converts, and their deals won
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
    unrated = {str(r["grp"]): int(r["deals"]) for r in compiled.run("unrated won", _unrated_won, query)
               if r["grp"] is not None}
    # The groups the filters leave in view: the reps of the teams asked for, the teams of the reps
    # asked for (a rep beside a team they are not on is refused: known_values._on_the_teams).
    teams = store.teams(viewer)
    asked_teams, asked_reps = where.get("team"), where.get("rep")
    in_view = ({rep for rep, team in teams.items() if not asked_teams or team in asked_teams}
               if by == "rep" else
               {team for rep, team in teams.items() if team and (not asked_reps or rep in asked_reps)})
    others = sorted(set(where.get(by) or in_view) - set(unrated))
    if not unrated or not others:
        return None
    report = build_report(store, span, by=by, kpis=list(kpis), filters={**where, by: others}, as_of=as_of,
                          viewer=viewer, compare=compare, skip_unrated=True)
    return Apart(unrated, report)


def _unrated_won(q: Query) -> Any:
    won = q.won(money=False)
    unrated = won.filter(won.rate.isnull())
    return unrated.group_by(grp=unrated[q.by[0]]).aggregate(deals=unrated.count())


def answered_apart(store: Store, report: Report, kpis: str | Iterable[str] | None = None, *,
                   filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
                   viewer: Viewer | None = None) -> Report:
    """``report``, by rep or team alone, with the money KPIs it left out for some groups' money
    without a rate answered for the others (in the order asked, ``kpis``); the groups without a
    rate get a row of no figure (flag no_rate) and are named in ``Report.unrated``. One rep's deal
    in pounds took every rep's revenue out of ``report --by rep``."""
    by = report.by[0] if len(report.by) == 1 else None
    refused = [s for s in report.skipped if s.cause == "no_rate"]
    if by not in ("rep", "team") or not refused:
        return report
    assert by is not None
    compared = report.previous is not None
    if by == "team" and _teamless_in_view(store, report.filters, viewer):
        # The reps of no team are a group no filter can ask for alone: rather than leave it out of
        # the answer without a word, the KPI stays left out for everyone, said so.
        return report
    others = apart(store, report.period, [s.kpi for s in refused], by, filters=filters, as_of=as_of,
                   viewer=viewer, compare=compared)
    answered = [s for s in refused if others is not None and others.answered(s.kpi)]
    if others is None or not answered:
        return report
    done = {s.kpi for s in answered}
    groups = tuple(sorted(others.unrated))
    # A KPI grouped by more than ``by`` unasked (revenue per product) has no row a group could fill.
    # n: the group's deals won, counted without their money (0 read as a rep with five wins having none).
    blank = [{**unrated_row(kpi, report.currency, {by: group}, compared), "n": others.unrated[group]}
             for kpi in done for group in groups if set(REGISTRY[kpi].always_by) <= {by}]
    targets.annotate_rows(store, report.period, report.by, report.filters, blank, as_of, viewer)
    asked = parse_kpis(kpis) or list(REGISTRY)
    rank = {kpi: i for i, kpi in enumerate(asked)}
    # Python's sort keeps ties in order: each KPI's rows stay in their groups' order.
    rows = sorted([*report.rows, *sorted([*(r for r in others.report.rows if r["kpi"] in done), *blank],
                                         key=lambda r: "" if r.get(by) is None else str(r[by]))],
                  key=lambda r: rank.get(r["kpi"], len(rank)))
    return replace(report, rows=rows, skipped=[s for s in report.skipped if s.kpi not in done],
                   unrated=[Skipped(s.kpi, s.reason, s.cause, s.error, s.period, groups) for s in answered],
                   uncompared=[*report.uncompared,
                               *(s for s in others.report.uncompared if s.kpi in done)])


def _teamless_in_view(store: Store, where: Mapping[str, Sequence[str]], viewer: Viewer | None) -> bool:
    """Whether a rep of no team is among those the (resolved) filters leave in view."""
    return any(team is None and (not where.get("rep") or rep in where["rep"])
               for rep, team in store.teams(viewer).items()) and not where.get("team")
