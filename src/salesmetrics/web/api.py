"""The JSON API under /api/v1: the same answers the dashboard draws, for scripts and analysts.

Bodies are written with :func:`salesmetrics.decimal_json.dumps`, so money stays an exact decimal number
(``7500.00``) as in ``salesmetrics report --format json``; a report is that command's JSON contract.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel

from ..access import Viewer
from ..decimal_json import dumps
from ..errors import DimensionError, ImportValidationError, Problem
from ..kpis import REGISTRY
from ..periods import DEFAULT_INSIGHT_PERIOD
from . import answers, errors
from .auth import client_of
from .deps import Filters, current_viewer, get_filters, get_gate, get_lang, require_writer
from .gate import WorkspaceGate

if TYPE_CHECKING:
    from ..importing import ImportSummary  # uploads only: the import pipeline loads pyarrow

router = APIRouter(prefix="/api/v1", tags=["api"])


class ErrorDetail(BaseModel):
    message: str
    type: str
    # unknown_value, ambiguous_value, unknown_rep: what was typed and the closest values that exist
    dimension: str | None = None
    value: str | None = None
    suggestions: list[str] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad period, dimension, filter or KPI id; a filter "
                                              "value the workspace does not know (`unknown_value`, "
                                              "with `suggestions`) or a rep's name several reps share "
                                              "(`ambiguous_value`, with their ids)."},
    409: {"model": ErrorBody, "description": "The workspace needs a setting first (e.g. base_currency)."},
    503: {"model": ErrorBody, "description": "Another process holds the workspace; retry shortly."},
}

PeriodParam = Annotated[str, Query(
    description="2026-10, 2026-Q3, 2026-W47, 2026, 2026-10-05, 2026-10-01..2026-10-31, last-30-days, "
                "this-month, last-quarter, ...")]
AsOfParam = Annotated[date | None, Query(description=(
    "Figures as they stood at the end of this day: later records do not count, a period running past "
    "it is cut there, relative periods and the pace end on it. Default: today, with every record "
    "counted."))]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
GateDep = Annotated[WorkspaceGate, Depends(get_gate)]
FiltersDep = Annotated[Filters, Depends(get_filters)]


def json_response(data: Any, status: int = 200) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json")


def _example(data: Any) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": data}}}, **ERRORS}


@router.get("/kpis", summary="The KPI catalogue", responses=_example([{
    "id": "win_rate", "title": "Win rate (closed)", "unit": "ratio", "higher_is_better": True,
    "formula": "count(won) / count(won + lost), deals closed in the period",
    "dimensions": ["rep", "team", "source", "pipeline", "week", "month", "quarter"]}]))
def kpis(lang: Annotated[str, Depends(get_lang)]) -> Response:
    """Every KPI with its title and description (in `lang`), unit, direction, formula and the
    dimensions it can be grouped and filtered by."""
    return json_response([k.as_json(lang) for k in REGISTRY.values()])


@router.get("/report", summary="KPIs for a period, grouped and filtered", responses=_example({
    "period": {"label": "2026-10", "start": "2026-10-01", "end": "2026-11-01"}, "by": ["team"],
    "filters": {}, "currency": "USD", "rows": [{"kpi": "total_revenue", "value": 7500.00, "unit": "money",
                                                "currency": "USD", "team": "east", "n": 3, "flags": []}],
    "skipped": []}))
def report(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    by: Annotated[str, Query(description="Group by: rep, team, product, source, activity_type, "
                                          "pipeline and one of week, month, quarter; comma-separated.")] = "",
    kpi: Annotated[list[str] | None, Query(description="KPI ids (repeatable or comma-separated). "
                                                       "Default: all.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """The JSON contract of `salesmetrics report --format json`: rows per KPI and group, with `n`
    (the records the value rests on) and `flags`. Money is an exact decimal number."""
    ids = [k.strip() for item in kpi or [] for k in item.split(",") if k.strip()]
    result = answers.report(gate, viewer, period, by, ids, filters, as_of)
    return json_response(result.as_json())


@router.get("/summary", summary="Every KPI beside the period before", responses=ERRORS)
def summary(gate: GateDep, viewer: ViewerDep, period: PeriodParam = answers.DEFAULT_PERIOD,
            as_of: AsOfParam = None) -> Response:
    """What `salesmetrics summary` prints: each headline KPI with the previous period's value and the
    change (relative for money, counts and days; in points for rates and NPS), top reps, products."""
    return json_response(answers.summary(gate, viewer, period, as_of).as_json())


@router.get("/dashboard", summary="Everything the dashboard draws", responses=ERRORS)
def dashboard(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    grain: Annotated[str | None, Query(description="Trend by week, month or quarter. Default: by "
                                                   "the period's length.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """Tiles (value, previous period, a year before, target status), the revenue trend, revenue per
    product, the reps' leaderboard, activity mix, NPS answers and sales cycle distribution."""
    return json_response(answers.dashboard(gate, viewer, period, grain, filters, as_of).as_json())


@router.get("/records", summary="The records behind a figure", responses=_example({
    "kpi": "total_revenue", "kind": "deals", "period": {"label": "2026-10", "start": "2026-10-01",
                                                        "end": "2026-11-01"},
    "filters": {"team": ["east"]}, "currency": "USD", "columns": ["deal_id", "amount"], "total": 1,
    "offset": 0, "rows": [{"deal_id": "d1", "amount": 7500.00}]}))
def records(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    kpi: Annotated[str, Query(description="The KPI whose figure to explain, e.g. total_revenue.")],
    period: PeriodParam = answers.DEFAULT_PERIOD,
    as_of: AsOfParam = None,
    limit: Annotated[int | None, Query(ge=0, description="At most this many rows.")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The deals behind revenue, the closed deals behind a win rate, the activities behind a count,
    the answers behind an NPS: read as the KPI reads them, so they add up to its figure
    (`total` is the figure's `n`)."""
    found = answers.records(gate, viewer, kpi, period, filters, as_of)
    return json_response(found.as_json(limit=limit, offset=offset))


@router.get("/records.csv", summary="The records behind a figure, as CSV",
            responses={200: {"content": {"text/csv": {}}}, **ERRORS})
def records_csv(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    kpi: Annotated[str, Query(description="The KPI whose figure to explain.")],
    period: PeriodParam = answers.DEFAULT_PERIOD,
    as_of: AsOfParam = None,
) -> Response:
    found = answers.records(gate, viewer, kpi, period, filters, as_of)
    name = f"{kpi}-{found.period.start.isoformat()}-{found.period.last_day.isoformat()}.csv"
    return Response(found.to_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/reps", summary="The reps", responses=_example([
    {"rep": "jim", "name": "Jim Halpert", "team": "east"}]))
def reps(gate: GateDep, viewer: ViewerDep) -> Response:
    values = answers.dimension_values(gate, viewer)
    teams = answers.teams(gate, viewer)
    return json_response([{"rep": r, "name": name, "team": teams.get(r)} for r, name in values["rep"]])


@router.get("/reps/{rep}", summary="One rep beside the team's median",
            responses={404: {"model": ErrorBody, "description": "No such rep."}, **ERRORS})
def rep(
    gate: GateDep, viewer: ViewerDep,
    rep: Annotated[str, PathParam(description="The rep's id or full name.")],
    period: PeriodParam = answers.DEFAULT_PERIOD,
    as_of: AsOfParam = None,
) -> Response:
    """Each KPI for the rep beside the median of the team's reps (reps without any record count as
    zero for sums and counts, and are left out for rates and averages)."""
    comparison, _, _ = answers.rep(gate, viewer, rep, period, None, as_of)
    return json_response(comparison.as_json())


@router.get("/compare", summary="Teams or reps side by side", responses=ERRORS)
def compare(
    gate: GateDep, viewer: ViewerDep,
    team: Annotated[list[str] | None, Query(description="Two or more teams (repeatable or "
                                                        "comma-separated).")] = None,
    rep: Annotated[list[str] | None, Query(description="Or two or more reps (ids or full names).")] = None,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics compare` prints: each headline KPI per group with its 95 % interval, and for
    each group after the first the test against the first (`p_value`, `significant`; null: not
    tested, as for sums of money)."""
    dimension, values = compared(team, rep)
    return json_response(answers.compare(gate, viewer, dimension, values, period, as_of).as_json())


def compared(team: list[str] | None, rep: list[str] | None) -> tuple[str, list[str]]:
    """Which groups a compare request names: teams, or reps (not both)."""
    split = [[v.strip() for item in given or [] for v in item.split(",") if v.strip()]
             for given in (team, rep)]
    if split[0] and split[1]:
        raise DimensionError("compare teams or reps, not both at once")
    return ("rep", split[1]) if split[1] else ("team", split[0])


@router.get("/reps/{rep}/scorecard", summary="One rep's scorecard and diagnosis",
            responses={404: {"model": ErrorBody, "description": "No such rep."}, **ERRORS})
def rep_scorecard(
    gate: GateDep, viewer: ViewerDep,
    rep: Annotated[str, PathParam(description="The rep's id or full name.")],
    period: PeriodParam = answers.DEFAULT_PERIOD,
    history: Annotated[int, Query(ge=0, le=12, description="Own previous periods to compare with.")] = 3,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics scorecard REP --format json` prints: each KPI with its 95 % interval beside
    the team's median and the rep's own previous periods, and the diagnosis (code, figures, and the
    text in English and German): needs more activity, needs training, or not enough data."""
    return json_response(answers.scorecard(gate, viewer, rep, period, history, as_of).as_json())


@router.get("/trend", summary="Revenue per week, month or quarter", responses=ERRORS)
def trend(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    grain: Annotated[str | None, Query(description="week, month or quarter. Default: by the period's "
                                                   "length.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """What the dashboard's trend chart draws: revenue per bucket of the period; empty buckets are
    zero. `salesmetrics trend` prints the same."""
    points = answers.trend(gate, viewer, period, grain, filters, as_of)
    return json_response([{"key": p.key, "period": p.period, "value": p.value, "n": p.n} for p in points])


@router.get("/activities", summary="Which activity types go with won deals", responses=ERRORS)
def activities(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics activities --format json` prints: per activity type, the closed deals that
    had it, their wins and revenue (overlapping: never additive), win rate with and without it."""
    return json_response(answers.effectiveness(gate, viewer, period, filters, as_of).as_json())


@router.get("/funnel", summary="Stage conversion, velocity and the weighted pipeline", responses=ERRORS)
def funnel(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics funnel --format json` prints."""
    return json_response(answers.funnel(gate, viewer, period, filters, as_of).as_json())


@router.get("/satisfaction", summary="Promoters' orders against detractors'", responses=ERRORS)
def satisfaction(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = "last-year",
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics satisfaction --format json` prints: the article's "+33 %", tested."""
    return json_response(answers.satisfaction(gate, viewer, period, filters, as_of).as_json())


@router.get("/ramp", summary="New hires' ramp by hire-month cohort", responses=ERRORS)
def ramp(gate: GateDep, viewer: ViewerDep, as_of: AsOfParam = None) -> Response:
    """What `salesmetrics ramp --format json` prints, against RAIN Group's 9 and 15 months."""
    return json_response(answers.ramp(gate, viewer, as_of).as_json())


@router.get("/cycle", summary="The sales cycle two ways", responses=ERRORS)
def cycle(gate: GateDep, viewer: ViewerDep, period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
          as_of: AsOfParam = None) -> Response:
    """What `salesmetrics cycle --format json` prints: the average over won deals beside the
    Kaplan-Meier median that counts the deals still open, and why they differ."""
    return json_response(answers.cycle(gate, viewer, period, as_of).as_json())


@router.get("/targets", summary="The targets set", responses=ERRORS)
def targets(
    gate: GateDep, viewer: ViewerDep,
    kpi: Annotated[str | None, Query(description="Only this KPI.")] = None,
) -> Response:
    """What `salesmetrics target list --format json` prints: the targets the one asking may see."""
    return json_response([t.as_json() for t in answers.targets(gate, viewer, kpi)])


class TargetBody(BaseModel):
    """A goal to set: for the company (neither team nor rep), a team or a rep; for one period or,
    without one, standing (rates and averages only: a sum needs its period)."""

    kpi: str
    value: str | int | float  # 0.3, "30%", "250000"; read exactly (as text), never as a float sum
    team: str | None = None
    rep: str | None = None
    period: str | None = None


@router.put("/targets", summary="Set or change a target", responses={
    200: {"content": {"application/json": {"example": {
        "kpi": "win_rate", "scope": "team", "scope_id": "east", "value": 0.3, "unit": "ratio",
        "period": {"label": "2026-Q4", "start": "2026-10-01", "end": "2027-01-01"}}}}}, **ERRORS})
def put_target(gate: GateDep, writer: Annotated[Viewer, Depends(require_writer)],
               body: TargetBody) -> Response:
    """What `salesmetrics target set` does: the same target (KPI, scope, period) set again is changed."""
    target = answers.set_target(gate, body.kpi, str(body.value), team=body.team or None,
                                rep=body.rep or None, period=body.period or None)
    return json_response(target.as_json())


@router.delete("/targets", summary="Remove a target", responses={
    404: {"model": ErrorBody, "description": "No such target."}, **ERRORS})
def delete_target(
    gate: GateDep, writer: Annotated[Viewer, Depends(require_writer)],
    kpi: Annotated[str, Query(description="The KPI whose target to remove.")],
    team: Annotated[str | None, Query(description="A team's target.")] = None,
    rep: Annotated[str | None, Query(description="A rep's target (id or full name).")] = None,
    period: Annotated[str | None, Query(description="The target's period; none: the standing one.")] = None,
) -> Response:
    """What `salesmetrics target unset` does."""
    if not answers.unset_target(gate, kpi, team=team or None, rep=rep or None, period=period or None):
        return errors.json_error(404, f"no {kpi} target for {rep or team or 'the company'}"
                                 f"{' in ' + period if period else ''}", "not_found")
    return json_response({"removed": True, "kpi": kpi, "team": team, "rep": rep, "period": period})


@router.get("/targets/status", summary="Each target beside its figure", responses=ERRORS)
def target_status(gate: GateDep, viewer: ViewerDep, period: PeriodParam = "this-quarter",
                  as_of: AsOfParam = None) -> Response:
    """What `salesmetrics target status --format json` prints: on track, at risk or off track, and
    the pace within a running period."""
    return json_response([s.as_json() for s in answers.target_status(gate, viewer, period, as_of)])


@router.get("/dimensions", summary="What each filter can be set to", responses=ERRORS)
def dimensions(gate: GateDep, viewer: ViewerDep) -> Response:
    values = answers.dimension_values(gate, viewer)
    return json_response({dim: [{"id": i, "label": label} for i, label in pairs]
                          for dim, pairs in values.items()})


@router.get("/workspace", summary="The workspace: data version, counts, settings", responses=ERRORS)
def workspace(gate: GateDep, viewer: ViewerDep) -> Response:
    return json_response(answers.workspace_info(gate, viewer))


@router.post("/import", summary="Import CSV or Parquet files", responses={
    422: {"model": ErrorBody, "description": "Refused; `problems` lists file, line, column, value."},
    **ERRORS})
def import_(
    request: Request, gate: GateDep,
    writer: Annotated[Viewer, Depends(require_writer)],
    files: Annotated[list[UploadFile], File(description="deals.csv, reps.csv, ...: the name says the "
                                                        "table.")],
) -> Response:
    """All or nothing, as `salesmetrics import`: every file is checked before anything is written."""
    summary = save_and_import(gate, files, writer, client_of(request))
    return json_response(summary.as_json())


def save_and_import(gate: WorkspaceGate, files: list[UploadFile], writer: Viewer,
                    client: str | None = None) -> ImportSummary:
    """Save uploads under their own names (which say the table) and import them in one go; problems
    name the files as uploaded."""
    with tempfile.TemporaryDirectory(prefix="salesmetrics-upload-") as tmp:
        folder = Path(tmp)
        paths = []
        for upload in files:
            name = Path(upload.filename or "").name
            if not name:
                continue
            target = folder / name
            with target.open("wb") as out:
                while chunk := upload.file.read(1 << 20):
                    out.write(chunk)
            paths.append(target)
        if not paths:
            raise ImportValidationError([Problem("(upload)", None, None, None, "no file was sent")])
        try:
            summary = answers.import_files(gate, paths, writer, client)
            return replace(summary, files=tuple(f.replace(f"{folder}/", "") for f in summary.files))
        except ImportValidationError as exc:
            named = [replace(p, file=p.file.replace(f"{folder}/", "")) for p in exc.problems]
            raise ImportValidationError(named, exc.total) from None
