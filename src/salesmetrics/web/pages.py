"""The HTML pages: dashboard, records behind a figure, a rep against the team, insights, import.

Routes parse what was clicked, ask :mod:`.answers` (the core, cached), and hand the result to a
template through :mod:`.views`. A request the core cannot read (a period typed wrong) shows the page
again with the message, so the reader can fix it where they typed it.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ..access import Viewer
from ..drilldown import has_records
from ..errors import DimensionError, ImportValidationError, PeriodError, UnknownKPIError, UnknownValueError
from ..kpis import REGISTRY
from ..summary import Headline
from . import answers, views
from .api import save_and_import
from .deps import Filters, current_viewer, get_filters, get_gate, get_lang, require_writer
from .gate import WorkspaceGate
from .i18n import COOKIE, LANGS, Words

TEMPLATES = Path(__file__).parent / "templates"
RECORDS_SHOWN = 500
SCORECARD_HISTORY = 3  # the rep's own previous periods shown beside the current one
# What a link in the navigation keeps of the page it is on: the view (period and filters).
NAV_KEEPS = ("period", "as_of", *views.FILTER_DIMS)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES))


def compile_templates() -> None:
    """Compile every template now (Jinja keeps them), not on the first visitor's time: ~30 ms."""
    for path in sorted(TEMPLATES.glob("*.html")):
        templates.env.get_template(path.name)

ViewerDep = Annotated[Viewer, Depends(current_viewer)]
GateDep = Annotated[WorkspaceGate, Depends(get_gate)]
LangDep = Annotated[str, Depends(get_lang)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
# The words a reader can fix by typing again: shown on the page, not as an error page.
READABLE = (PeriodError, DimensionError, UnknownKPIError, UnknownValueError)


def render(request: Request, name: str, lang: str, status: int = 200, **context: Any) -> Response:
    start = time.perf_counter()
    switch = {code: _with_lang(request, code) for code in LANGS}
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in NAV_KEEPS and v]
    response = templates.TemplateResponse(request, name, {
        "t": Words(lang), "lang": lang, "switch": switch, "public": request.app.state.public_address,
        "nav_query": f"?{urlencode(kept)}" if kept else "", **context,
    }, status_code=status)
    request.state.render_seconds = time.perf_counter() - start
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def page_error(request: Request, status: int, message: str, error: Exception | None = None) -> Response:
    lang = get_lang(request, request.query_params.get("lang"))
    title = Words(lang)("not_found" if status == 404 else "error")
    if error is not None:
        message = _message(error, lang)
    return render(request, "error.html", lang, status, title=title, message=message)


def _message(error: Exception, lang: str) -> str:
    """The error in the page's language where the core words it in both (an unknown value)."""
    return error.text(lang) if isinstance(error, UnknownValueError) else str(error)


def _with_lang(request: Request, code: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", code)]
    return f"{request.url.path}?{urlencode(params)}"


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _back(value: str | None) -> str:
    # Only a path on this server: a link back, never a way to send readers elsewhere.
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/"


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    period: str = answers.DEFAULT_PERIOD, grain: str | None = None, as_of: date | None = None,
) -> Response:
    state = views.ViewState(period, grain or None, filters, as_of)
    choices = answers.dimension_values(gate, viewer)
    try:
        dash = answers.dashboard(gate, viewer, period, grain or None, filters, as_of)
    except READABLE as exc:
        return render(request, "dashboard.html", lang, 400, state=state, choices=choices,
                      error=_message(exc, lang), presets=views.PERIOD_PRESETS, dims=views.FILTER_DIMS,
                      dash=None)
    # Links and the filter form carry the ids the filters resolved to (a rep typed by name).
    state = views.ViewState(period, grain or None, {k: list(v) for k, v in dash.filters.items()}, as_of)
    f = views.Formatter(lang, dash.currency)
    back = _here(request)
    return render(
        request, "dashboard.html", lang, state=state, choices=choices, error=None, dash=dash, f=f,
        presets=views.PERIOD_PRESETS, dims=views.FILTER_DIMS,
        tiles=views.tiles(dash.tiles, state, f, back, dash.explanations),
        hint=views.period_hint(dash.hint, state, f),
        skipped=[REGISTRY[s.kpi].title.get(lang) for s in dash.skipped],
        charts=views.dashboard_charts(dash, state, f, back),
        reps=views.leaderboard(dash, state, f, back),
        reps_columns=[c for c, _ in views.LEADERBOARD_COLUMNS],
    )


@router.get("/drill", response_class=HTMLResponse)
def drill(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    kpi: str = "total_revenue", period: str = answers.DEFAULT_PERIOD, as_of: date | None = None,
    back: str | None = None,
) -> Response:
    state = views.ViewState(period, None, filters, as_of)
    if kpi not in REGISTRY:
        raise UnknownKPIError(f"unknown KPI {kpi!r}; see /api/v1/kpis")
    found = answers.records(gate, viewer, kpi, period, filters, as_of)
    values = answers.dimension_values(gate, viewer)
    names = {"rep": dict(values["rep"]), "product": dict(values["product"])}
    f = views.Formatter(lang, found.currency)
    return render(
        request, "drill.html", lang, state=state, found=found, f=f,
        kpi_title=REGISTRY[kpi].title.get(lang),
        rows=views.record_rows(found, f, names, RECORDS_SHOWN, state),
        classes=[views.column_class(c) for c in found.columns],
        shown=min(len(found.rows), RECORDS_SHOWN), total_text=views.records_total(found, f),
        csv_url=state.url("/api/v1/records.csv", kpi=kpi, grain=None),
        back=_back(back), filter_names=names,
    )


@router.get("/reps/{rep}", response_class=HTMLResponse)
def rep(
    request: Request, rep: str, gate: GateDep, viewer: ViewerDep, lang: LangDep,
    period: str = answers.DEFAULT_PERIOD, grain: str | None = None, as_of: date | None = None,
) -> Response:
    state = views.ViewState(period, grain or None, {}, as_of)
    comparison, trend, chosen = answers.rep(gate, viewer, rep, period, grain or None, as_of)
    card = answers.scorecard(gate, viewer, rep, period, SCORECARD_HISTORY, as_of)
    rep = comparison.rep  # the id, when the address names the rep by name
    f = views.Formatter(lang, comparison.currency)
    back = _here(request)
    lines = []
    for line in comparison.lines:
        drill = state.url("/drill", kpi=line.kpi, rep=[rep], back=back, grain=None)
        # The median plays "before": the change and whether it is the good way, as on the tiles.
        against = Headline(line.kpi, line.value, line.team_median, line.n, line.flags)
        interval, history = views.history_cells(card, line.kpi, f)
        lines.append({
            "interval": interval, "history": history,
            "diff": views.change(against.change, against.better, REGISTRY[line.kpi].unit, "", f),
            "kpi": line.kpi, "title": REGISTRY[line.kpi].title.get(lang),
            "explain": views.first_sentence(REGISTRY[line.kpi].description.get(lang)),
            "value": f.kpi(line.value, line.kpi), "raw": views.raw(line.value),
            "median": f.kpi(line.team_median, line.kpi), "compared": line.compared,
            "flags": [f.flag(x, line.days_so_far) for x in line.flags],
            "href": drill if has_records(line.kpi) else None,
        })
    chart = views.trend_chart(trend, chosen, state, f, back, chart_id="rep-trend", drill={"rep": [rep]})
    return render(request, "rep.html", lang, state=state, c=comparison, f=f, lines=lines, chart=chart,
                  dashboard_url=state.url("/", rep=[rep]), rep_path=f"/reps/{quote(rep, safe='')}",
                  diagnosis=views.diagnosis(card, f),
                  history=[f.short_period(p) for p in card.history_periods])


@router.get("/insights", response_class=HTMLResponse)
def insights(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    period: str = answers.DEFAULT_PERIOD, as_of: date | None = None,
) -> Response:
    """What the numbers mean: activity effectiveness, the funnel, and order value by satisfaction,
    for the period and filters in the URL."""
    state = views.ViewState(period, None, filters, as_of)
    common: dict[str, Any] = {
        "state": state, "choices": answers.dimension_values(gate, viewer), "presets": views.PERIOD_PRESETS,
        "dims": views.FILTER_DIMS, "filters_action": "/insights", "show_grain": False,
    }
    try:
        found = answers.effectiveness(gate, viewer, period, filters, as_of)
        funnel = answers.funnel(gate, viewer, period, filters, as_of)
        happy = answers.satisfaction(gate, viewer, period, filters, as_of)
    except READABLE as exc:
        return render(request, "insights.html", lang, 400, error=_message(exc, lang), span=None,
                      **common)
    f = views.Formatter(lang, found.currency or funnel.currency or happy.currency)
    return render(
        request, "insights.html", lang, error=None, f=f, span=found.measured, **common,
        effectiveness=views.effectiveness(found, f),
        stages=views.funnel_stages(funnel, f), pipeline=views.funnel_pipeline(funnel, f),
        funnel_note=views.funnel_note(funnel, f),
        satisfaction=views.satisfaction(happy, f),
        hint=views.period_hint(found.hint or funnel.hint or happy.hint, state, f, "/insights"),
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, lang: LangDep) -> Response:
    return render(request, "upload.html", lang, result=None, problems=None)


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request, gate: GateDep, lang: LangDep,
    files: Annotated[list[UploadFile], File()],
    writer: Annotated[Viewer, Depends(require_writer)],
) -> Response:
    try:
        summary = save_and_import(gate, files)
    except ImportValidationError as exc:
        return render(request, "upload.html", lang, 422, result=None, problems=exc.problems,
                      total=exc.total)
    return render(request, "upload.html", lang, result=summary, problems=None)
