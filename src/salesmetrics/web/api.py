"""The JSON API under /api/v1: the same answers the dashboard draws, for scripts and analysts.

Bodies are written with :func:`salesmetrics.decimal_json.dumps`, so money stays an exact decimal number
(``7500.00``) as in ``salesmetrics report --format json``; a report is that command's JSON contract.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, StringConstraints

from ..access import Viewer
from ..dashboard import trend_json
from ..decimal_json import dumps
from ..errors import DimensionError, ImportValidationError, Problem, SalesmetricsError, keyed
from ..insights.funnel import parse_probabilities
from ..kpis import REGISTRY
from ..periods import DEFAULT_INSIGHT_PERIOD
from ..targets import TargetError
from . import answers, errors, schemas
from .auth import client_of
from .deps import (
    Filters,
    current_viewer,
    get_filters,
    get_gate,
    get_lang,
    known_parameters,
    require_admin,
    require_writer,
)
from .gate import WorkspaceGate

if TYPE_CHECKING:
    from ..importing import FormatOptions, ImportSummary  # uploads only: the import loads pyarrow

# Every route refuses a query parameter it does not take (deps.known_parameters).
router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Depends(known_parameters)])


class ErrorDetail(BaseModel):
    message: str
    type: str
    # unknown_value, ambiguous_value, unknown_rep: what was typed and the closest values that exist
    dimension: str | None = None
    value: str | None = None
    suggestions: list[str] | None = None
    # unknown_parameter: the query parameters the endpoint does not take, and the ones it does
    parameters: list[str] | None = None
    accepted: list[str] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad period, dimension, filter or KPI id; a filter "
                                              "value the workspace does not know (`unknown_value`, "
                                              "with `suggestions`) or a rep's name several reps share "
                                              "(`ambiguous_value`, with their ids); a query parameter "
                                              "the endpoint does not take (`unknown_parameter`, with "
                                              "`parameters` and `accepted`)."},
    409: {"model": ErrorBody, "description": "The workspace needs a setting first (e.g. base_currency)."},
    503: {"model": ErrorBody, "description": "Another import is running (`workspace_busy`): retry after "
                                              "the seconds `Retry-After` says.",
          "headers": {"Retry-After": {"description": "Seconds to wait before asking again.",
                                      "schema": {"type": "integer"}}}},
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI schema as the server answers: a request that cannot be read is a 400 with the
    error body (FastAPI would document its own 422), a body too large a 413, and, once the workspace
    has users, 401 without a sign-in and 403 for a write by someone other than an admin."""
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.get("responses", {})
            if "HTTPValidationError" in str(responses.get("422")):
                del responses["422"]
            responses.setdefault("400", {"description": "The request cannot be read (`bad_request`).",
                                         "content": body})
            responses.setdefault("401", {"description": "Sign in first (`unauthorized`): the workspace "
                                                        "has users; send `Authorization: Bearer TOKEN`.",
                                         "content": body})
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("403", {"description": "Only an admin may change the workspace, "
                                                            "with the form's CSRF token (`forbidden`).",
                                             "content": body})
            if method in ("post", "put", "patch"):
                responses["413"] = {"description": "The request is larger than the server accepts "
                                                   "(`too_large`).", "content": body}
    components = schema.get("components", {}).get("schemas", {})
    text = str(schema.get("paths"))
    for name in ("HTTPValidationError", "ValidationError"):
        if name in components and f"/{name}'" not in text:
            del components[name]
    return schema


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


@router.get("/kpis", response_model=list[schemas.KPIOut], summary="The KPI catalogue", responses=_example([{
    "id": "win_rate", "title": "Win rate (closed)", "unit": "ratio", "higher_is_better": True,
    "formula": "count(won) / count(won + lost), deals closed in the period",
    "dimensions": ["rep", "team", "source", "pipeline", "day", "week", "month", "quarter"]}]))
def kpis(lang: Annotated[str, Depends(get_lang)]) -> Response:
    """Every KPI with its title and description (in `lang`), unit, direction, formula and the
    dimensions it can be grouped and filtered by."""
    return json_response([k.as_json(lang) for k in REGISTRY.values()])


@router.get("/report", response_model=schemas.ReportOut,
            summary="KPIs for a period, grouped and filtered", responses=_example({
    "period": {"label": "2026-10", "start": "2026-10-01", "end": "2026-11-01"}, "by": ["team"],
    "filters": {}, "currency": "USD", "rows": [{"kpi": "total_revenue", "value": 7500.00, "unit": "money",
                                                "currency": "USD", "team": "east", "n": 3, "flags": []}],
    "skipped": []}))
def report(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    by: Annotated[str, Query(description="Group by: rep, team, product, source, activity_type, "
                                          "pipeline and one of day, week, month, quarter; "
                                          "comma-separated.")] = "",
    kpi: Annotated[list[str] | None, Query(description="KPI ids (repeatable or comma-separated). "
                                                       "Default: all.")] = None,
    as_of: AsOfParam = None,
    compare: Annotated[bool, Query(description="Each row beside the period before (the same stretch of "
                                               "it while this one runs): previous, change, p_value, "
                                               "significant.")] = False,
) -> Response:
    """The JSON contract of `salesmetrics report --format json`: rows per KPI and group, with `n`
    (the records the value rests on) and `flags`. Money is an exact decimal number."""
    ids = [k.strip() for item in kpi or [] for k in item.split(",") if k.strip()]
    result = answers.report(gate, viewer, period, by, ids, filters, as_of, compare)
    return json_response(result.as_json())


@router.get("/summary", response_model=schemas.SummaryOut,
            summary="Every KPI beside the period before", responses=ERRORS)
def summary(gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
            period: PeriodParam = answers.DEFAULT_PERIOD, as_of: AsOfParam = None) -> Response:
    """What `salesmetrics summary` prints: each headline KPI with the previous period's value and the
    change (relative for money, counts and days; in points for rates and NPS), top reps, products;
    narrowed by the filters as a report is."""
    return json_response(answers.summary(gate, viewer, period, as_of, filters).as_json())


@router.get("/dashboard", response_model=schemas.DashboardOut,
            summary="Everything the dashboard draws", responses=ERRORS)
def dashboard(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    grain: Annotated[str | None, Query(description="Trend by day (at most 92 days), week, month or "
                                                   "quarter. Default: by the period's length.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """Tiles (value, previous period, a year before, target status), the revenue trend, revenue per
    product, the reps' leaderboard, activity mix, NPS answers and sales cycle distribution."""
    return json_response(answers.dashboard(gate, viewer, period, grain, filters, as_of).as_json())


@router.get("/records", response_model=schemas.RecordsOut,
            summary="The records behind a figure", responses=_example({
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
    return Response(found.to_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{found.file_name("csv")}"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/report.xlsx", summary="The report as an Excel workbook",
            responses={200: {"content": {XLSX: {}}}, **ERRORS})
def report_xlsx(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep, lang: Annotated[str, Depends(get_lang)],
    period: PeriodParam = answers.DEFAULT_PERIOD,
    by: Annotated[str, Query(description="Group by, as for /report.")] = "",
    kpi: Annotated[list[str] | None, Query(description="KPI ids. Default: all.")] = None,
    compare: Annotated[bool, Query(description="Also the period before and the test of the change.")] = False,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics report --format xlsx` writes: a cover sheet (period, filters, as of) and a
    long sheet, a row per KPI and group, with numbers as numbers."""
    from ..documents.xlsx import report_workbook

    ids = [k.strip() for item in kpi or [] for k in item.split(",") if k.strip()]
    result = answers.report(gate, viewer, period, by, ids, filters, as_of, compare)
    name = f"report-{result.period.start.isoformat()}-{result.measured.last_day.isoformat()}.xlsx"
    return _download(report_workbook(result, lang, answers.names(gate, viewer, result.by)), XLSX, name)


@router.get("/records.xlsx", summary="The records behind a figure, as an Excel workbook",
            responses={200: {"content": {XLSX: {}}}, **ERRORS})
def records_xlsx(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep, lang: Annotated[str, Depends(get_lang)],
    kpi: Annotated[str, Query(description="The KPI whose figure to explain.")],
    period: PeriodParam = answers.DEFAULT_PERIOD,
    as_of: AsOfParam = None,
) -> Response:
    from ..documents.xlsx import records_workbook

    found = answers.records(gate, viewer, kpi, period, filters, as_of)
    return _download(records_workbook(found, lang), XLSX, found.file_name("xlsx"))


@router.get("/digest", response_model=schemas.DigestOut, summary="The period's digest, as data",
            responses=ERRORS)
def digest(gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
           period: PeriodParam = "last-week", as_of: AsOfParam = None) -> Response:
    """What `salesmetrics digest --format json` prints: every headline KPI beside the period before
    with its noise badge, the targets (off track first), the reps who need attention, the charts'
    series and the significant changes."""
    return json_response(answers.digest(gate, viewer, period, filters, as_of).as_json())


@router.get("/digest.pdf", summary="The period's digest as PDF",
            responses={200: {"content": {"application/pdf": {}}}, **ERRORS})
def digest_pdf(gate: GateDep, viewer: ViewerDep, filters: FiltersDep, lang: Annotated[str, Depends(get_lang)],
               period: PeriodParam = "last-week", as_of: AsOfParam = None) -> Response:
    """What `salesmetrics digest --output FILE.pdf` writes (the dashboard's "Download PDF")."""
    from ..documents.digests import digest_file, file_name

    found = answers.digest(gate, viewer, period, filters, as_of)
    return _download(digest_file(found, lang, "pdf"), "application/pdf", file_name(found, "pdf"))


@router.get("/digest.html", summary="The period's digest as one self-contained HTML file",
            responses={200: {"content": {"text/html": {}}}, **ERRORS})
def digest_html(gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
                lang: Annotated[str, Depends(get_lang)], period: PeriodParam = "last-week",
                as_of: AsOfParam = None) -> Response:
    """What `salesmetrics digest --output FILE.html` writes: the mail's HTML, its charts inside."""
    from ..documents.digests import digest_file, file_name

    found = answers.digest(gate, viewer, period, filters, as_of)
    return _download(digest_file(found, lang, "html"), "text/html; charset=utf-8", file_name(found, "html"))


# Schedules and alerts say who gets what (addresses, owners, filters): the admin's, as setting them is.
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Only an admin may see this."}, **ERRORS}


@router.get("/schedules", response_model=list[schemas.ScheduleOut], summary="The digests on a schedule",
            responses=ADMIN_ERRORS)
def schedules(gate: GateDep, viewer: Annotated[Viewer, Depends(require_admin)]) -> Response:
    """What `salesmetrics schedule list --format json` prints: each schedule and its last delivery
    (read fresh: deliveries do not change the data version). Admins only."""
    with gate.reading() as ws:
        return json_response([s.as_json() for s in ws.list_schedules()])


@router.get("/alerts", response_model=list[schemas.AlertOut], summary="The alerts", responses=ADMIN_ERRORS)
def alerts(gate: GateDep, viewer: Annotated[Viewer, Depends(require_admin)]) -> Response:
    """What `salesmetrics alert list --format json` prints: each alert, its state and last message.
    Admins only."""
    with gate.reading() as ws:
        return json_response([a.as_json() for a in ws.list_alerts(checked=True)])


@router.get("/reps", response_model=list[schemas.RepOut], summary="The reps", responses=_example([
    {"rep": "jim", "name": "Jim Halpert", "team": "east"}]))
def reps(gate: GateDep, viewer: ViewerDep) -> Response:
    values = answers.dimension_values(gate, viewer)
    teams = answers.teams(gate, viewer)
    return json_response([{"rep": r, "name": name, "team": teams.get(r)} for r, name in values["rep"]])


@router.get("/reps/{rep}", response_model=schemas.RepComparisonOut,
            summary="One rep beside the team's median",
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


@router.get("/compare", response_model=schemas.CompareOut, summary="Teams or reps side by side",
            responses=ERRORS)
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
        raise keyed(DimensionError("compare teams or reps, not both at once"), "compare_not_both")
    return ("rep", split[1]) if split[1] else ("team", split[0])


@router.get("/reps/{rep}/scorecard", response_model=schemas.ScorecardOut,
            summary="One rep's scorecard and diagnosis",
            responses={404: {"model": ErrorBody, "description": "No such rep."}, **ERRORS})
def rep_scorecard(
    gate: GateDep, viewer: ViewerDep,
    rep: Annotated[str, PathParam(description="The rep's id or full name.")],
    period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
    history: Annotated[int, Query(ge=0, le=12, description="Own previous periods to compare with.")] = 3,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics scorecard REP --format json` prints: each KPI with its 95 % interval beside
    the team's median and the rep's own previous periods, and the diagnosis (code, figures, and the
    text in English and German): needs more activity, needs training, or not enough data."""
    return json_response(answers.scorecard(gate, viewer, rep, period, history, as_of).as_json())


@router.get("/trend", response_model=list[schemas.PointOut],
            summary="Revenue per day, week, month or quarter", responses=ERRORS)
def trend(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = answers.DEFAULT_PERIOD,
    grain: Annotated[str | None, Query(description="day, week, month or quarter. Default: by the "
                                                   "period's length.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """What the dashboard's trend chart draws: revenue per bucket of the period; empty buckets are
    zero. `salesmetrics trend` prints the same."""
    points = answers.trend(gate, viewer, period, grain, filters, as_of)
    return json_response(trend_json(points, answers.base_currency(gate)))


@router.get("/activities", response_model=schemas.ActivitiesOut,
            summary="Which activity types go with won deals", responses=ERRORS)
def activities(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
    by: Annotated[str, Query(description="rep or team: the figures of each; empty: everyone.")] = "",
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics activities --format json` prints: per activity type, the closed deals that
    had it, their wins and revenue (overlapping: never additive), win rate with and without it."""
    return json_response(answers.effectiveness(gate, viewer, period, filters, as_of, by or None).as_json())


@router.get("/funnel", response_model=schemas.FunnelOut,
            summary="Stage conversion, velocity and the weighted pipeline", responses=ERRORS)
def funnel(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
    by: Annotated[str, Query(description="rep, team or pipeline: a funnel each; empty: everyone.")] = "",
    cohort: Annotated[bool, Query(description="Follow the deals created in the period, instead of the "
                                              "stage moves made in it.")] = False,
    probability: Annotated[list[str] | None, Query(description=(
        "STAGE=P (repeatable): the win probability of a stage for the weighted pipeline. Default: "
        "each stage's historical stage-to-win rate."))] = None,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics funnel --format json` prints, with the same `by`, `cohort` and
    `probability`."""
    given = parse_probabilities(probability or [])
    return json_response(answers.funnel(gate, viewer, period, filters, as_of, by or None, cohort,
                                        given).as_json())


@router.get("/satisfaction", response_model=schemas.SatisfactionOut,
            summary="Promoters' orders against detractors'", responses=ERRORS)
def satisfaction(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = "last-year",
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics satisfaction --format json` prints: the article's "+33 %", tested."""
    return json_response(answers.satisfaction(gate, viewer, period, filters, as_of).as_json())


@router.get("/ramp", response_model=schemas.RampOut,
            summary="New hires' ramp by hire-month cohort", responses=ERRORS)
def ramp(gate: GateDep, viewer: ViewerDep, as_of: AsOfParam = None) -> Response:
    """What `salesmetrics ramp --format json` prints, against RAIN Group's 9 and 15 months."""
    return json_response(answers.ramp(gate, viewer, as_of).as_json())


@router.get("/cycle", response_model=schemas.CycleOut, summary="The sales cycle two ways", responses=ERRORS)
def cycle(gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
          period: PeriodParam = DEFAULT_INSIGHT_PERIOD, as_of: AsOfParam = None) -> Response:
    """What `salesmetrics cycle --format json` prints: the average over won deals beside the
    Kaplan-Meier median that counts the deals still open, and why they differ."""
    return json_response(answers.cycle(gate, viewer, period, filters, as_of).as_json())


@router.get("/forecast", response_model=schemas.ForecastOut,
            summary="What the period will close at, against quota", responses=ERRORS)
def forecast(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = "this-quarter",
    by: Annotated[str | None, Query(description="rep or team; empty: everyone.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics forecast --format json` prints: per rep or team and in `total`,
    closed_won, commit, best_case, pipeline, weighted, quota, gap, coverage and the calls
    (call_commit, call_best_case); `deals`: the deals behind each bar; `overdue`: open deals
    expected before the as-of day, counted in no bar."""
    return json_response(answers.forecast(gate, viewer, period, by or None, filters, as_of).as_json())


@router.get("/forecast/accuracy", response_model=schemas.AccuracyOut,
            summary="How right past forecasts were", responses=ERRORS)
def forecast_accuracy(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    last: Annotated[int, Query(ge=1, le=20, description="Quarters to look back on.")] = 4,
    by: Annotated[str, Query(description="rep or team.")] = "rep",
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics forecast --accuracy --last N --format json` prints: per past quarter and
    rep (and everyone), the calls at the start and middle of the quarter, as the kept history knew
    them, against what closed, with the relative errors."""
    found = answers.forecast_accuracy(gate, viewer, last, by or None, filters, as_of)
    return json_response(found.as_json())


@router.get("/slippage", response_model=schemas.SlippageOut,
            summary="Deals whose expected close date was pushed", responses=ERRORS)
def slippage(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = "this-quarter",
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics slippage --format json` prints: per pushed deal its pushes, days, from,
    to and amount; `moved_out`: the deals pushed out of the period."""
    return json_response(answers.slippage(gate, viewer, period, filters, as_of).as_json())


@router.get("/losses", response_model=schemas.LossesOut, summary="Why deals are lost", responses=ERRORS)
def losses(
    gate: GateDep, viewer: ViewerDep, filters: FiltersDep,
    period: PeriodParam = DEFAULT_INSIGHT_PERIOD,
    by: Annotated[str | None, Query(description="rep, team or segment; empty: everyone.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics losses --format json` prints: per lost reason the lost count (with its
    Poisson interval), value and rate (with Wilson's interval), beside the period before."""
    return json_response(answers.losses(gate, viewer, period, by or None, filters, as_of).as_json())


@router.get("/targets", response_model=list[schemas.TargetOut], summary="The targets set", responses=ERRORS)
def targets(
    gate: GateDep, viewer: ViewerDep,
    kpi: Annotated[str | None, Query(description="Only this KPI.")] = None,
) -> Response:
    """What `salesmetrics target list --format json` prints: the targets the one asking may see."""
    return json_response([t.as_json() for t in answers.targets(gate, viewer, kpi)])


class Body(BaseModel):
    """A request's body: a field it does not take is refused, never ignored ("tem": "east" set the
    company's target)."""

    model_config = ConfigDict(extra="forbid")


# A name, id or period as anyone types it: a program named with 10 million characters was stored,
# and its page took 15 s at every view (a tester).
Short = Annotated[str, StringConstraints(max_length=200)]


class TargetBody(Body):
    """A goal to set: for the company (neither team nor rep), a team or a rep; for one period or,
    without one, standing (rates and averages only: a sum needs its period)."""

    kpi: Short
    # 0.3, "30%", "250000"; read exactly (as text), never as a float sum. A bool is taken apart to be
    # refused: as an int, a JSON true was stored as a target of 1 (a tester).
    value: Short | bool | int | float
    team: Short | None = None
    rep: Short | None = None
    period: Short | None = None


@router.put("/targets", response_model=schemas.TargetOut, summary="Set or change a target", responses={
    200: {"content": {"application/json": {"example": {
        "kpi": "win_rate", "scope": "team", "scope_id": "east", "value": 0.3, "unit": "ratio",
        "period": {"label": "2026-Q4", "start": "2026-10-01", "end": "2027-01-01"}}}}}, **ERRORS})
def put_target(gate: GateDep, writer: Annotated[Viewer, Depends(require_writer)],
               body: TargetBody) -> Response:
    """What `salesmetrics target set` does: the same target (KPI, scope, period) set again is changed."""
    if isinstance(body.value, bool):
        said = str(body.value).lower()
        raise keyed(TargetError(f"target {said!r} is not a number"), "target_not_a_number", value=said)
    # A JSON number is a number already: only text is read in either convention (250.000).
    value = body.value if isinstance(body.value, str) else Decimal(str(body.value))
    # An empty team, rep or period is refused where it is read, never taken as none given.
    target = answers.set_target(gate, body.kpi, value, team=body.team, rep=body.rep, period=body.period)
    return json_response(target.as_json())


@router.delete("/targets", response_model=schemas.TargetRemovedOut, summary="Remove a target", responses={
    404: {"model": ErrorBody, "description": "No such target."}, **ERRORS})
def delete_target(
    gate: GateDep, writer: Annotated[Viewer, Depends(require_writer)],
    kpi: Annotated[str, Query(description="The KPI whose target to remove.")],
    team: Annotated[str | None, Query(description="A team's target.")] = None,
    rep: Annotated[str | None, Query(description="A rep's target (id or full name).")] = None,
    period: Annotated[str | None, Query(description="The target's period; none: the standing one.")] = None,
) -> Response:
    """What `salesmetrics target unset` does."""
    if not answers.unset_target(gate, kpi, team=team, rep=rep, period=period):
        return errors.json_error(404, f"no {kpi} target for {rep or team or 'the company'}"
                                 f"{' in ' + period if period else ''}", "not_found")
    return json_response({"removed": True, "kpi": kpi, "team": team, "rep": rep, "period": period})


@router.get("/targets/status", response_model=list[schemas.TargetStatusOut],
            summary="Each target beside its figure", responses=ERRORS)
def target_status(gate: GateDep, viewer: ViewerDep, period: PeriodParam = "this-quarter",
                  as_of: AsOfParam = None) -> Response:
    """What `salesmetrics target status --format json` prints: on track, at risk or off track, and
    the pace within a running period."""
    return json_response([s.as_json() for s in answers.target_status(gate, viewer, period, as_of)])


ProgramParam = Annotated[str, PathParam(description="The program's id, or its name (in any case).")]
PROGRAM_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such program (`unknown_program`)."}, **ERRORS}


class NewProgram(Body):
    """A program to record, as `salesmetrics program add` takes it."""

    name: Short
    start_on: date
    end_on: date | None = None
    kind: Short = "training"
    # A number, or text as `program add --cost` takes it ("1.234,56", "12 000"): read by one rule.
    cost: Decimal | Short | None = None
    currency: Short | None = None
    teams: list[Short] = []
    reps: list[Short] = []


@router.get("/programs", response_model=list[schemas.ProgramOut], summary="The enablement programs",
            responses=_example([{
    "program_id": "discovery-training", "name": "Discovery training", "kind": "training",
    "start_on": "2026-04-01", "end_on": "2026-04-03", "cost": 12000.00, "currency": "USD",
    "participants": ["R015", "R016"]}]))
def programs(gate: GateDep, viewer: ViewerDep) -> Response:
    """What `salesmetrics program list --format json` prints: every program, oldest start first,
    with its participants' rep ids."""
    return json_response([p.as_json() for p in answers.programs(gate, viewer)])


@router.get("/programs/{program}", response_model=schemas.ProgramOut, summary="One program",
            responses=PROGRAM_ERRORS)
def program(gate: GateDep, viewer: ViewerDep, program: ProgramParam) -> Response:
    """What `salesmetrics program show NAME --format json` prints."""
    return json_response(answers.program(gate, viewer, program).as_json())


@router.get("/programs/{program}/effect", response_model=schemas.ProgramEffectOut,
            summary="Did the program work?", responses=PROGRAM_ERRORS)
def program_effect(
    gate: GateDep, viewer: ViewerDep, program: ProgramParam,
    kpi: Annotated[list[str] | None, Query(description="KPI ids (repeatable or comma-separated). Default: "
                                                       "win_rate, activity_count, average_deal_size, "
                                                       "sales_cycle_length, revenue_per_rep, "
                                                       "quota_attainment.")] = None,
    window: Annotated[int, Query(ge=1, le=3650, description="Days before the start and after the end "
                                                            "to compare.")] = 90,
    compare_with: Annotated[str | None, Query(description="team:T or rep:R1,R2 instead of the reps "
                                                          "active in both windows and in no program "
                                                          "starting in either.")] = None,
    cost: Annotated[str | None, Query(description="What the program cost, if not recorded with it.")] = None,
    as_of: AsOfParam = None,
) -> Response:
    """What `salesmetrics program effect NAME --format json` prints: per KPI the participants' and the
    comparison group's figures before and after, the difference in differences (`effect`, in the
    KPI's unit) with its 95 % interval clustered by rep and p-value, and `flags`
    (`no_comparison_group`, `small_sample`, `seasonality`); the KPIs month by month
    (`event_study`); for onboarding programs, new hires' months to ramp before and after
    (`onboarding`)."""
    ids = [k.strip() for item in kpi or [] for k in item.split(",") if k.strip()]
    found = answers.program_effect(gate, viewer, program, ids, window, compare_with, cost, as_of)
    return json_response(found.as_json())


@router.post("/programs", response_model=schemas.ProgramOut, summary="Record a program", status_code=201,
             responses={
    404: {"model": ErrorBody, "description": "A rep named is not in the workspace (`unknown_rep`)."},
    **ERRORS})
def add_program(gate: GateDep, writer: Annotated[Viewer, Depends(require_writer)],
                body: NewProgram) -> Response:
    """As `salesmetrics program add`: refused (400 `bad_program`, `unknown_value`) for a name used
    twice, a start after the end, or a team or rep that is not in the workspace."""
    found = answers.add_program(gate, body.name, start=body.start_on, end=body.end_on, kind=body.kind,
                                cost=body.cost, currency=body.currency, teams=body.teams, reps=body.reps)
    return json_response(found.as_json(), 201)


@router.delete("/programs/{program}", response_model=schemas.ProgramOut,
               summary="Remove a program", responses=PROGRAM_ERRORS)
def remove_program(gate: GateDep, writer: Annotated[Viewer, Depends(require_writer)],
                   program: ProgramParam) -> Response:
    """As `salesmetrics program remove`: the program and its participants; the removed program."""
    return json_response(answers.remove_program(gate, program).as_json())


@router.get("/dimensions", response_model=dict[str, list[schemas.ValueLabel]],
            summary="What each filter can be set to", responses=ERRORS)
def dimensions(gate: GateDep, viewer: ViewerDep) -> Response:
    values = answers.dimension_values(gate, viewer)
    return json_response({dim: [{"id": i, "label": label} for i, label in pairs]
                          for dim, pairs in values.items()})


@router.get("/workspace", response_model=schemas.WorkspaceOut,
            summary="The workspace: data version, counts, settings", responses=ERRORS)
def workspace(gate: GateDep, viewer: ViewerDep) -> Response:
    return json_response(answers.workspace_info(gate, viewer))


@router.post("/import", response_model=schemas.ImportOut, summary="Import CSV or Parquet files", responses={
    422: {"model": ErrorBody, "description": "Refused; `problems` lists file, line, column, value."},
    **ERRORS})
def import_(
    request: Request, gate: GateDep,
    writer: Annotated[Viewer, Depends(require_writer)],
    files: Annotated[list[UploadFile], File(description="deals.csv, reps.csv, ...: the name says the "
                                                        "table.")],
    decimal_comma: DecimalCommaForm = None,
    date_format: DateFormatForm = None,
    encoding: EncodingForm = None,
    source: SourceForm = None,
) -> Response:
    """All or nothing, as `salesmetrics import`: every file is checked before anything is written.
    `decimal_comma`, `date_format`, `encoding` and `source` are the command's `--decimal-comma`,
    `--date-format`, `--encoding` and `--from`: a German file (1.234,56 and 31.12.2026) imports with
    `decimal_comma=true` and `date_format=dd.mm.yyyy`, one saved by Excel on Windows with
    `encoding=cp1252` too, a Pipedrive export with `source=pipedrive`. A mapping file (`.toml`,
    as `salesmetrics import --inspect FILE` proposes it) sent among the files reads them, as
    `--mapping` does."""
    summary = save_and_import(gate, files, writer, client_of(request),
                              format_options(decimal_comma, date_format, encoding), source_of(source))
    after_import(request)
    return json_response(summary.as_json())


def after_import(request: Request) -> None:
    """Alerts are checked after every import: the schedule runner wakes up (web/app.py)."""
    wake = getattr(request.app.state, "wake_schedules", None)
    if wake is not None:
        wake.set()


# How the uploaded files write numbers and dates, as `import --decimal-comma --date-format` says it.
DecimalCommaForm = Annotated[bool | None, Form(description=(
    "true: the files write 1.234,56 (a decimal comma); false: 1,234.56. Default: 1234.56, as "
    "canonical files are written."))]
DateFormatForm = Annotated[str | None, Form(description=(
    "How the files write dates: dd.mm.yyyy, dd/mm/yyyy, mm/dd/yyyy, dd.mm.yyyy HH:MM, ... Default: "
    "ISO 8601 (2026-03-31)."))]
EncodingForm = Annotated[str | None, Form(description=(
    "The files' text encoding: cp1252 (a CSV saved by Excel on Windows), latin-1, utf-16, ... "
    "Default: UTF-8."))]
SourceForm = Annotated[str | None, Form(description=(
    "The CRM the files are exports of, as `import --from`: close, hubspot, salesforce or pipedrive. "
    "Default: canonical files, each named for its table (deals.csv, reps.csv, ...)."))]


def source_of(source: str | None) -> str | None:
    """The form's CRM (None: canonical files); one it does not know is refused as --from refuses
    it. A Pipedrive export dropped on the page was told "import it with --from pipedrive", which
    neither the page nor the API had a field for (a tester)."""
    return (source or "").strip().lower() or None


def format_options(decimal_comma: bool | None, date_format: str | None,
                   encoding: str | None = None) -> FormatOptions | None:
    """The form's choices as the import takes them (None: none made); a date format or an encoding
    that names none is refused as the command refuses it. The encoding: a file saved by Excel on
    Windows was refused on the upload page with "--encoding cp1252", which the page had no field
    for (a tester)."""
    from ..importing import FormatOptions

    if decimal_comma is None and not date_format and not encoding:
        return None
    # The form's "" is the default: ISO dates, UTF-8.
    return FormatOptions.given(decimal_comma, date_format or None, encoding or None)


def save_and_import(gate: WorkspaceGate, files: list[UploadFile], writer: Viewer,
                    client: str | None = None, options: FormatOptions | None = None,
                    source: str | None = None) -> ImportSummary:
    """Save uploads under their own names (which say the table) and import them in one go; problems
    name the files as uploaded, never the server's folders. Two files of one name are both
    imported (the second named ``deals.csv (2)`` in messages), as two folders' files would be."""
    from ..importing.run import TEMP_PREFIX

    # Named as an import's work folder (its process id in it): a server killed mid-upload leaves
    # one, and the next import removes it (run.clean_stale_folders), 84 MB kept for ever before.
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-upload-") as tmp:
        folder = Path(tmp)
        paths: list[Path] = []
        shown: dict[str, str] = {}  # saved path -> the name the uploader knows
        refused: list[Problem] = []
        seen: dict[str, int] = {}
        for upload in files:
            name = upload_name(upload.filename)
            if name is None:
                refused.append(Problem(f"(upload) {upload.filename!r}", None, None, None,
                                       "not a file name; name files for their table, e.g. deals.csv"))
                continue
            seen[name] = seen.get(name, 0) + 1
            target = folder / str(seen[name]) / name
            target.parent.mkdir(exist_ok=True)
            with target.open("wb") as out:
                while chunk := upload.file.read(1 << 20):
                    out.write(chunk)
            paths.append(target)
            shown[str(target)] = name if seen[name] == 1 else f"{name} ({seen[name]})"
        if refused:
            raise ImportValidationError(refused)
        if not paths:
            raise ImportValidationError([Problem("(upload)", None, None, None, "no file was sent")])

        def named(text: str) -> str:
            for saved, name in shown.items():
                text = text.replace(saved, name)
            return text.replace(str(folder), "(upload)")

        # A mapping file (from `import --inspect`) sent with the export reads it, as --mapping does:
        # a German export had no way in through the page (a tester).
        mappings = [p for p in paths if p.suffix.lower() == ".toml"]
        paths = [p for p in paths if p not in mappings]
        if mappings and source:
            raise ImportValidationError([Problem("(upload)", None, None, None,
                                                 "a mapping file and an export of a CRM (--from) were "
                                                 "sent together: send one or the other")])
        if not paths:
            raise ImportValidationError([Problem("(upload)", None, None, None,
                                                 "only mapping files were sent: send the export they read "
                                                 "with them")])
        try:
            summary = answers.import_files(gate, paths, writer, client, options, source,
                                           [str(m) for m in mappings] or None)
            return replace(summary, files=tuple(named(f) for f in summary.files),
                           skipped=tuple(replace(k, file=named(k.file)) for k in summary.skipped),
                           without_rows=tuple(named(f) for f in summary.without_rows))
        except ImportValidationError as exc:
            problems = [replace(p, file=named(p.file), message=named(p.message)) for p in exc.problems]
            repeated = [replace(r, file=named(r.file), message=named(r.message)) for r in exc.repeated]
            raise ImportValidationError(problems, exc.total, repeated) from None
        except SalesmetricsError as exc:  # the disk is full, ...: said without the server's folders
            text = named(str(exc))
            if text == str(exc):
                raise
            try:
                renamed = type(exc)(text)
            except TypeError:
                raise exc from None
            raise renamed from None


def upload_name(filename: str | None) -> str | None:
    """The file name an upload was sent with, without any folder; None for one that names no file
    (empty, ``.``, ``..``, or holding characters no file name has)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in ("", ".", "..") or any(ord(c) < 32 for c in name):
        return None
    return name
