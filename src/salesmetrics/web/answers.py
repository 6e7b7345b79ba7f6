"""The questions the server asks the core, each cached under one key.

Pages and API routes ask through here, so a page and the API share answers, and the start-up warm-up
fills exactly the entry the first visitor needs. Relative periods ("last-month") depend on the day,
so keys carry today's date when no ``as_of`` pins them.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..access import Viewer
from ..comparison import Comparison
from ..dashboard import Dashboard, Point
from ..digest.content import Digest
from ..drilldown import RecordsBehind, WonLost
from ..errors import CurrencyError, SalesmetricsError, WorkspaceBusyError, WorkspaceError
from ..insights.cycle import CycleComparison
from ..insights.effectiveness import ActivityEffectiveness
from ..insights.forecast import Accuracy, Forecast
from ..insights.funnel import Funnel
from ..insights.losses import Losses
from ..insights.peers import RepComparison
from ..insights.program_effect import ProgramEffect
from ..insights.ramp import RampCohorts
from ..insights.satisfaction import Satisfaction
from ..insights.scorecard import Scorecard
from ..insights.slippage import Slippage
from ..kpis import REGISTRY
from ..programs import Program
from ..report import Report
from ..summary import Summary
from ..target_status import TargetStatus
from ..targets import Target
from .gate import Question, WorkspaceGate

if TYPE_CHECKING:
    from ..importing import FormatOptions, ImportSummary  # uploads only: the import loads pyarrow

DEFAULT_PERIOD = "last-month"
log = logging.getLogger("salesmetrics.web")

FrozenFilters = tuple[tuple[str, tuple[str, ...]], ...]


def freeze(filters: Mapping[str, Sequence[str]] | None) -> FrozenFilters:
    return tuple(sorted((k, tuple(v)) for k, v in (filters or {}).items()))


def _day(gate: WorkspaceGate, as_of: date | None) -> Hashable:
    """The day an answer is for: ``as_of``, or today on the workspace's clock. An ``as_of`` of
    today is kept apart: today is not over, so its comparison is cut (coverage.comparable), at
    the minute while records are dated after now (WorkspaceGate.running_minute)."""
    zone, today = gate.clock()
    if as_of is not None:
        return (as_of, True, gate.running_minute()) if as_of >= today else (as_of, False)
    return "today", zone, today, gate.running_minute()


def dashboard_key(gate: WorkspaceGate, viewer: Viewer, period: str, grain: str | None,
                  filters: Mapping[str, Sequence[str]], as_of: date | None) -> Hashable:
    return ("dashboard", viewer, period, grain, freeze(filters), _day(gate, as_of))


def dashboard(gate: WorkspaceGate, viewer: Viewer, period: str, grain: str | None,
              filters: Mapping[str, Sequence[str]], as_of: date | None) -> Dashboard:
    key = dashboard_key(gate, viewer, period, grain, filters, as_of)
    return gate.answer(key, lambda ws: ws.dashboard(period, grain=grain, filters=filters, as_of=as_of,
                                                    viewer=viewer))


def report(gate: WorkspaceGate, viewer: Viewer, period: str, by: str, kpis: Sequence[str],
           filters: Mapping[str, Sequence[str]], as_of: date | None, compare: bool = False) -> Report:
    key = ("report", viewer, period, by, tuple(kpis), freeze(filters), _day(gate, as_of), compare)
    return gate.answer(key, lambda ws: ws.report(period, by=by, kpis=list(kpis) or None, filters=filters,
                                                 as_of=as_of, viewer=viewer, compare=compare))


def summary(gate: WorkspaceGate, viewer: Viewer, period: str, as_of: date | None,
            filters: Mapping[str, Sequence[str]] | None = None) -> Summary:
    key = ("summary", viewer, period, freeze(filters), _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.summary(period, filters=filters, as_of=as_of, viewer=viewer))


def digest(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
           as_of: date | None) -> Digest:
    key = ("digest", viewer, period, freeze(filters), _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.digest(period, filters=filters, as_of=as_of, viewer=viewer))


def records(gate: WorkspaceGate, viewer: Viewer, kpi: str, period: str,
            filters: Mapping[str, Sequence[str]], as_of: date | None) -> RecordsBehind:
    key = ("records", viewer, kpi, period, freeze(filters), _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.records_behind(kpi, period, filters=filters, as_of=as_of,
                                                         viewer=viewer))


def _won_lost(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
              as_of: date | None) -> Question[WonLost]:
    key = ("won lost", viewer, period, freeze(filters), _day(gate, as_of))
    return Question(key, lambda ws: ws.won_lost(period, filters=filters, as_of=as_of, viewer=viewer))


def won_lost(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
             as_of: date | None) -> WonLost:
    return gate.ask(_won_lost(gate, viewer, period, filters, as_of))


def rep(gate: WorkspaceGate, viewer: Viewer, rep_id: str, period: str, grain: str | None,
        as_of: date | None) -> tuple[RepComparison, list[Any], str]:
    """A rep beside the team's median, and the rep's revenue trend."""
    from ..dashboard import default_grain

    def compute(ws: Any) -> tuple[RepComparison, list[Any], str]:
        comparison = ws.rep_comparison(rep_id, period, as_of=as_of, viewer=viewer)
        span = ws.period(period, as_of)
        chosen = grain or default_grain(span)
        try:
            trend = ws.revenue_trend(span, chosen, filters={"rep": [comparison.rep]}, as_of=as_of,
                                     viewer=viewer)
        except CurrencyError:  # revenue no rate converts: the comparison names it (skipped)
            trend = []
        return comparison, trend, chosen

    return gate.answer(("rep", viewer, rep_id, period, grain, _day(gate, as_of)), compute)


def compare(gate: WorkspaceGate, viewer: Viewer, dimension: str, values: Sequence[str], period: str,
            as_of: date | None) -> Comparison:
    key = ("compare", viewer, dimension, tuple(values), period, _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.compare(dimension, values, period, as_of=as_of, viewer=viewer))


def scorecard(gate: WorkspaceGate, viewer: Viewer, rep_id: str, period: str, history: int,
              as_of: date | None) -> Scorecard:
    """A rep's scorecard: each KPI with its interval beside the team's median and the rep's own
    previous periods, and the diagnosis."""
    key = ("scorecard", viewer, rep_id, period, history, _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.scorecard(rep_id, period, history=history, as_of=as_of,
                                                    viewer=viewer))


def _effectiveness(gate: WorkspaceGate, viewer: Viewer, period: str,
                   filters: Mapping[str, Sequence[str]], as_of: date | None,
                   by: str | None = None) -> Question[ActivityEffectiveness]:
    key = ("effectiveness", viewer, period, freeze(filters), _day(gate, as_of), by)
    return Question(key, lambda ws: ws.activity_effectiveness(period, by=by, filters=filters, as_of=as_of,
                                                              viewer=viewer))


def effectiveness(gate: WorkspaceGate, viewer: Viewer, period: str,
                  filters: Mapping[str, Sequence[str]], as_of: date | None,
                  by: str | None = None) -> ActivityEffectiveness:
    return gate.ask(_effectiveness(gate, viewer, period, filters, as_of, by))


def _funnel(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
            as_of: date | None, by: str | None = None, cohort: bool = False,
            probabilities: Mapping[str, float] | None = None) -> Question[Funnel]:
    key = ("funnel", viewer, period, freeze(filters), _day(gate, as_of), by, cohort,
           tuple(sorted((probabilities or {}).items())))
    return Question(key, lambda ws: ws.funnel(period, cohort=cohort, probabilities=probabilities or None,
                                              filters=filters, as_of=as_of, viewer=viewer, by=by))


def funnel(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
           as_of: date | None, by: str | None = None, cohort: bool = False,
           probabilities: Mapping[str, float] | None = None) -> Funnel:
    return gate.ask(_funnel(gate, viewer, period, filters, as_of, by, cohort, probabilities))


def _satisfaction(gate: WorkspaceGate, viewer: Viewer, period: str,
                  filters: Mapping[str, Sequence[str]], as_of: date | None) -> Question[Satisfaction]:
    key = ("satisfaction", viewer, period, freeze(filters), _day(gate, as_of))
    return Question(key, lambda ws: ws.satisfaction(period, filters=filters, as_of=as_of, viewer=viewer))


def satisfaction(gate: WorkspaceGate, viewer: Viewer, period: str,
                 filters: Mapping[str, Sequence[str]], as_of: date | None) -> Satisfaction:
    return gate.ask(_satisfaction(gate, viewer, period, filters, as_of))


def ramp(gate: WorkspaceGate, viewer: Viewer, as_of: date | None) -> RampCohorts:
    return gate.answer(("ramp", viewer, _day(gate, as_of)),
                       lambda ws: ws.ramp_cohorts(as_of=as_of, viewer=viewer))


def cycle(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
          as_of: date | None) -> CycleComparison:
    key = ("cycle", viewer, period, freeze(filters), _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.cycle(period, as_of=as_of, filters=filters, viewer=viewer))


def _forecast(gate: WorkspaceGate, viewer: Viewer, period: str, by: str | None,
              filters: Mapping[str, Sequence[str]], as_of: date | None,
              listed: int | None = None) -> Question[Forecast]:
    key = ("forecast", viewer, period, by, freeze(filters), _day(gate, as_of), listed)
    return Question(key, lambda ws: ws.forecast(period, as_of=as_of, by=by, filters=filters, viewer=viewer,
                                                listed=listed))


def forecast(gate: WorkspaceGate, viewer: Viewer, period: str, by: str | None,
             filters: Mapping[str, Sequence[str]], as_of: date | None,
             listed: int | None = None) -> Forecast:
    return gate.ask(_forecast(gate, viewer, period, by, filters, as_of, listed))


def _forecast_accuracy(gate: WorkspaceGate, viewer: Viewer, last: int, by: str | None,
                       filters: Mapping[str, Sequence[str]], as_of: date | None) -> Question[Accuracy]:
    key = ("forecast accuracy", viewer, last, by, freeze(filters), _day(gate, as_of))
    return Question(key, lambda ws: ws.forecast_accuracy(last=last, as_of=as_of, by=by, filters=filters,
                                                         viewer=viewer))


def forecast_accuracy(gate: WorkspaceGate, viewer: Viewer, last: int, by: str | None,
                      filters: Mapping[str, Sequence[str]], as_of: date | None) -> Accuracy:
    return gate.ask(_forecast_accuracy(gate, viewer, last, by, filters, as_of))


# The forecast page's questions (pages.forecast): its default period, the deals it lists behind the
# bar and moved out of the period (the API lists them all), and the past quarters of its accuracy.
FORECAST_PERIOD = "this-quarter"
FORECAST_LISTED = 100
ACCURACY_QUARTERS = 4


def forecast_page(gate: WorkspaceGate, viewer: Viewer, period: str, by: str | None,
                  filters: Mapping[str, Sequence[str]], as_of: date | None,
                  ) -> tuple[Forecast, Slippage, Accuracy]:
    """What the forecast page shows: the forecast, the deals moved out, and past quarters' accuracy,
    asked together (WorkspaceGate.answers: they share one deal history). The first refusal is
    raised: each part rests on the same deals."""
    found = gate.answers([_forecast(gate, viewer, period, by, filters, as_of, FORECAST_LISTED),
                          _slippage(gate, viewer, period, filters, as_of),
                          _forecast_accuracy(gate, viewer, ACCURACY_QUARTERS, "rep", filters, as_of)])
    for outcome in found:
        if isinstance(outcome, Exception):
            raise outcome
    forecast_, slipped, accuracy = found
    return forecast_, slipped, accuracy


def _slippage(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
              as_of: date | None) -> Question[Slippage]:
    key = ("slippage", viewer, period, freeze(filters), _day(gate, as_of))
    return Question(key, lambda ws: ws.slippage(period, as_of=as_of, filters=filters, viewer=viewer))


def slippage(gate: WorkspaceGate, viewer: Viewer, period: str, filters: Mapping[str, Sequence[str]],
             as_of: date | None) -> Slippage:
    return gate.ask(_slippage(gate, viewer, period, filters, as_of))


def _losses(gate: WorkspaceGate, viewer: Viewer, period: str, by: str | None,
            filters: Mapping[str, Sequence[str]], as_of: date | None) -> Question[Losses]:
    key = ("losses", viewer, period, by, freeze(filters), _day(gate, as_of))
    return Question(key, lambda ws: ws.losses(period, by=by, filters=filters, as_of=as_of, viewer=viewer))


def losses(gate: WorkspaceGate, viewer: Viewer, period: str, by: str | None,
           filters: Mapping[str, Sequence[str]], as_of: date | None) -> Losses:
    return gate.ask(_losses(gate, viewer, period, by, filters, as_of))


def insights_page(gate: WorkspaceGate, viewer: Viewer, period: str,
                  filters: Mapping[str, Sequence[str]], as_of: date | None) -> dict[str, Any]:
    """What the insights page shows, by part (effectiveness, funnel, satisfaction, losses and the
    closed deals behind the win rate), asked together (WorkspaceGate.answers): each part's answer,
    or the error that refused it, in its place."""
    asked: dict[str, Question[Any]] = {
        "effectiveness": _effectiveness(gate, viewer, period, filters, as_of),
        "funnel": _funnel(gate, viewer, period, filters, as_of),
        "satisfaction": _satisfaction(gate, viewer, period, filters, as_of),
        "losses": _losses(gate, viewer, period, None, filters, as_of),
        "won_lost": _won_lost(gate, viewer, period, filters, as_of)}
    return dict(zip(asked, gate.answers(list(asked.values())), strict=True))


def trend(gate: WorkspaceGate, viewer: Viewer, period: str, grain: str | None,
          filters: Mapping[str, Sequence[str]], as_of: date | None) -> list[Point]:
    key = ("trend", viewer, period, grain, freeze(filters), _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.revenue_trend(period, grain, filters=filters, as_of=as_of,
                                                        viewer=viewer))


def base_currency(gate: WorkspaceGate) -> str | None:
    """The currency sums are in (Workspace.base_currency), asked once a data version."""
    return gate.answer(("base currency",), lambda ws: ws.base_currency())


def targets(gate: WorkspaceGate, viewer: Viewer, kpi: str | None) -> list[Target]:
    return gate.answer(("targets", viewer, kpi), lambda ws: ws.list_targets(kpi, viewer=viewer))


def target_status(gate: WorkspaceGate, viewer: Viewer, period: str, as_of: date | None) -> list[TargetStatus]:
    key = ("target status", viewer, period, _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.target_status(period, as_of=as_of, viewer=viewer))


def programs(gate: WorkspaceGate, viewer: Viewer) -> list[Program]:
    return gate.answer(("programs", viewer), lambda ws: ws.programs(viewer))


def program(gate: WorkspaceGate, viewer: Viewer, name: str) -> Program:
    return gate.answer(("program", viewer, name), lambda ws: ws.program(name, viewer))


def program_effect(gate: WorkspaceGate, viewer: Viewer, name: str, kpis: Sequence[str], window: int,
                   compare_with: str | None, cost: str | None, as_of: date | None) -> ProgramEffect:
    key = ("program effect", viewer, name, tuple(kpis), window, compare_with, cost, _day(gate, as_of))
    return gate.answer(key, lambda ws: ws.program_effect(name, kpis=list(kpis) or None, window=window,
                                                         compare_with=compare_with, cost=cost, as_of=as_of,
                                                         viewer=viewer))


def add_program(gate: WorkspaceGate, name: str, **given: Any) -> Program:
    """Written through the gate, as an import is: readers finish first, the cache moves on."""
    with gate.writing() as ws:
        found: Program = ws.add_program(name, **given)
        return found


def remove_program(gate: WorkspaceGate, name: str) -> Program:
    with gate.writing() as ws:
        found: Program = ws.remove_program(name)
        return found


def set_target(gate: WorkspaceGate, kpi: str, value: str | Decimal, *, team: str | None, rep: str | None,
               period: str | None) -> Target:
    """Write through the gate, as an import does: answers cached so far belong to the old data
    version (targets bump it), so no page shows the old goal afterwards."""
    with gate.writing() as ws:
        return ws.set_target(kpi, value, team=team, rep=rep, period=period)


def unset_target(gate: WorkspaceGate, kpi: str, *, team: str | None, rep: str | None,
                 period: str | None) -> bool:
    with gate.writing() as ws:
        return ws.unset_target(kpi, team=team, rep=rep, period=period)


def period(gate: WorkspaceGate, text: str, as_of: date | None = None) -> Any:
    """A period as the workspace reads it (its fiscal year), or PeriodError."""
    return gate.answer(("period", text, _day(gate, as_of)), lambda ws: ws.period(text, as_of))


def dimension_values(gate: WorkspaceGate, viewer: Viewer) -> dict[str, list[tuple[str, str]]]:
    return gate.answer(("dimensions", viewer), lambda ws: ws.dimension_values(viewer))


def names(gate: WorkspaceGate, viewer: Viewer, dims: Sequence[str]) -> dict[str, dict[str, str]]:
    """The names of the reps and products among ``dims`` (id -> name; ids without one left out)."""
    tables = {"rep": "reps", "product": "products"}
    wanted = tuple(d for d in tables if d in dims)
    return gate.answer(("names", viewer, wanted), lambda ws: {
        d: ws.names(tables[d], viewer if d == "rep" else None) for d in wanted})


def teams(gate: WorkspaceGate, viewer: Viewer) -> dict[str, str | None]:
    return gate.answer(("teams", viewer), lambda ws: ws.teams(viewer))


MAIL_SETTINGS = ("smtp_url", "mail_from")


def workspace_info(gate: WorkspaceGate, viewer: Viewer) -> dict[str, Any]:
    def compute(ws: Any) -> dict[str, Any]:
        settings = ws.setting_values()
        if not viewer.may_write:  # the mail relay's host and user are the admins' business
            settings = {k: v for k, v in settings.items() if k not in MAIL_SETTINGS}
        return {"data_version": ws.data_version, "counts": ws.counts(viewer),
                "settings": settings, "kpis": len(REGISTRY)}

    return gate.answer(("workspace", viewer), compute)


def import_files(gate: WorkspaceGate, paths: Sequence[Any], writer: Viewer,
                 client: str | None = None, options: FormatOptions | None = None,
                 source: str | None = None, mapping: Sequence[str] | None = None) -> ImportSummary:
    """Check the files on a read-only connection, beside the readers the server keeps answering,
    then write them through the gate: running readers finish first, and the answers cached so far
    belong to the old data version, so nothing stale is served afterwards. Readers wait only for
    the write itself (and get 503 with Retry-After if it outlasts their wait). The audit log names
    ``writer``."""
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    from ..importing.handoff import KeepChecked, write_kept
    from ..importing.run import TEMP_PREFIX, noticed

    actor = writer.name if writer.name != Viewer.everyone().name else "web (no sign-in)"
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-checked-") as folder:
        kept = KeepChecked(Path(folder))
        with gate.reading() as ws:
            checked = ws.store.import_files(*paths, destination=kept, options=options, source=source,
                                            mapping=mapping)
            version = ws.data_version
        with gate.writing(actor=actor, client=client) as ws:
            if ws.data_version != version:
                # Another process wrote in between: check again against what is there now.
                return ws.import_files(*paths, options=options, source=source, mapping=mapping)
            counts = write_kept(ws.connection, kept)
            seen = noticed(ws.connection, list(kept.tables), ws.store.now())
            return ws.store.imported(replace(checked, **seen).written(counts))


def warm_up(gate: WorkspaceGate, viewer: Viewer) -> None:
    """Compute what the first visitor of the dashboard will ask for: the default view first (the
    filter form's values are part of it), nothing else before it."""
    dimension_values(gate, viewer)
    dashboard(gate, viewer, DEFAULT_PERIOD, None, {}, None)


def warm_next(gate: WorkspaceGate, viewer: Viewer, stop: Callable[[], bool] = lambda: False) -> None:
    """After the default view: the answers of the insights page for the same period, the page a
    visitor opens next from the navigation, then the forecast page's (its first view read every
    deal's history: 1.5-3 s at 1M deals); cached like any answer (per data version). ``stop``
    is asked between two questions: a server stopping waits for the one asked."""
    questions: list[Callable[[], Any]] = [
        lambda: effectiveness(gate, viewer, DEFAULT_PERIOD, {}, None),
        lambda: funnel(gate, viewer, DEFAULT_PERIOD, {}, None),
        lambda: satisfaction(gate, viewer, DEFAULT_PERIOD, {}, None),
        lambda: won_lost(gate, viewer, DEFAULT_PERIOD, {}, None),
        lambda: losses(gate, viewer, DEFAULT_PERIOD, None, {}, None),
    ]
    for question in questions:
        if stop():
            return
        try:
            question()
        except CurrencyError:
            continue  # money without a rate: the page says so in that part, the others are asked
    if stop():
        return
    try:
        forecast_page(gate, viewer, FORECAST_PERIOD, None, {}, None)
    except WorkspaceError:
        raise  # busy or gone: the warm-up tries again later
    except SalesmetricsError:
        pass  # a currency without a rate, ...: the page says so when it is asked, not cached


# Two periods of each grain the dashboard picks by default (weeks for a month, months for a quarter),
# and a week, drawn by day: its first view compiled its queries by day (0.6-0.9 s at M, 0.3 s after).
SHAPE_PERIODS = ("last-month", "this-month", "last-quarter", "this-quarter", "this-week")


def _rep_view(ws: Any, rep_id: str, period: str, viewer: Viewer) -> None:
    """What a rep's page asks (the :func:`scorecard`, with the comparison it is built on, and the
    rep's :func:`trend`; the API's :func:`rep` too), uncached: only to compile its SQL."""
    from ..dashboard import default_grain

    comparison = ws.rep_comparison(rep_id, period, viewer=viewer)
    span = ws.period(period)
    ws.revenue_trend(span, default_grain(span), filters={"rep": [comparison.rep]}, viewer=viewer)
    ws.scorecard(rep_id, period, history=3, viewer=viewer)


def prepare_queries(gate: WorkspaceGate, viewer: Viewer, stop: Callable[[], bool],
                    busy: Callable[[], bool] = lambda: False) -> int:
    """Ask the dashboard's questions once per grain and filter, uncached, so their SQL is compiled
    (kpis/compiled.py) before a visitor changes the period or picks a filter: the first such view
    then takes what DuckDB takes, not what compiling takes. The SQL takes filter values as
    parameters, so one value of each filter stands for all; one rep's page stands for every rep's.
    Between views it waits while ``busy()`` (a visitor's request in flight): on a small machine a
    background view would take half the visitor's CPU. Returns the views computed."""
    values = dimension_values(gate, viewer)
    shapes: list[dict[str, list[str]]] = [{}]
    shapes += [{dim: [values[dim][0][0]]}
               for dim in ("team", "rep", "product", "source", "pipeline", "segment") if values.get(dim)]
    # A rep's page (its KPIs by rep, the rep's trend, the scorecard's earlier periods) right after
    # the unfiltered dashboard: a leader clicks a name in the leaderboard before anything else.
    first_rep = values["rep"][0][0] if values.get("rep") else None
    jobs: list[tuple[str, dict[str, list[str]], str]] = [("dashboard", {}, p) for p in SHAPE_PERIODS]
    jobs += [("rep", {}, p) for p in SHAPE_PERIODS[:2] if first_rep]
    jobs += [("dashboard", f, p) for f in shapes[1:] for p in SHAPE_PERIODS]
    done = 0
    for kind, filters, period in jobs:
        while busy() and not stop():
            time.sleep(0.05)
        if stop():
            return done
        try:
            with gate.reading() as ws:  # one view a connection: an import can go in between
                if kind == "rep" and first_rep:
                    _rep_view(ws, first_rep, period, viewer)
                else:
                    ws.dashboard(period, filters=filters, viewer=viewer)
        except WorkspaceBusyError:
            raise  # an import is writing: the caller tries again later
        except Exception as exc:  # refused (a setting missing) or failed: a visitor will see it
            log.info("view %s %s %s not prepared: %s", kind, period, filters, exc)
            continue
        done += 1
    return done
