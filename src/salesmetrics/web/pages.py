"""The HTML pages: dashboard, records behind a figure, a rep against the team, insights, import.

Routes parse what was clicked, ask :mod:`.answers` (the core, cached), and hand the result to a
template through :mod:`.views`. A request the core cannot read (a period typed wrong) shows the page
again with the message, so the reader can fix it where they typed it.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import replace as dataclass_replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..access import Viewer
from ..accounts import Snapshot
from ..dashboard import default_grain
from ..drilldown import has_records, without_rate_note, won_lost
from ..errors import (
    CurrencyError,
    DimensionError,
    ImportValidationError,
    PeriodError,
    ProgramError,
    Repeated,
    SalesmetricsError,
    UnknownKPIError,
    UnknownValueError,
    WorkspaceError,
    cut,
    keyed,
)
from ..importing.mapping.crm import VENDORS
from ..insights.program_effect import DEFAULT_KPIS, ProgramEffect
from ..kpis import REGISTRY
from ..kpis.scope import DEAL_FILTERS, filters_json
from ..programs import Program
from ..report import skipped_notes
from ..summary import Headline
from ..text.errors import problem_text, say
from ..text.figures import closed_ahead_text, dimension_title
from ..text.forecast import losses_notes, word
from ..text.problems import skip_reason
from . import answers, auth, views
from . import forecast_views as fviews
from .api import (
    DateFormatForm,
    DecimalCommaForm,
    EncodingForm,
    SourceForm,
    after_import,
    compared,
    format_options,
    save_and_import,
    source_of,
)
from .deps import Filters, current_viewer, get_filters, get_gate, get_lang, require_admin, require_writer
from .errors import Refused, public_message
from .gate import WorkspaceGate
from .i18n import COOKIE, LANGS, Words

TEMPLATES = Path(__file__).parent / "templates"
RECORDS_SHOWN = 500
OVERDUE_SHOWN = 25  # overdue deals listed on the forecast page: forgotten ones pile up
DEALS_SHOWN = answers.FORECAST_LISTED
SCORECARD_HISTORY = 3  # the rep's own previous periods shown beside the current one
# What the navigation carries from one page to the next, per page: only what that page takes. A
# product filter carried into the forecast and the insights gave pages of nothing but its refusal,
# and a segment carried into compare was passed over without a word (a tester).
NAV_KEEPS = {"/": ("period", "as_of", *views.FILTER_DIMS),
             "/insights": ("period", "as_of", *DEAL_FILTERS),
             "/forecast": ("period", "as_of", *DEAL_FILTERS),
             "/compare": ("period", "as_of", "team", "rep")}

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.globals["typed_choice_over"] = views.TYPED_CHOICE_OVER


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
# The refusals of a target's value as typed (targets.parse_value): the form marks that field.
VALUE_REFUSALS = {"target_ambiguous", "target_not_a_number", "target_negative", "target_ratio",
                  "target_score", "target_over_all"}



STATIC = Path(__file__).parent / "static"

@functools.cache
def static_version() -> str:
    """What a page writes after the address of a static file (``?v=``), which a browser then keeps
    for a year: the program's version and each static file's size and modification time. An update
    from git keeps the version's number, and browsers kept last release's stylesheet and script
    beside the new pages; once per process (an update restarts the server), a stat a file."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            st = path.stat()
            h.update(f"{path.relative_to(STATIC)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return f"{__version__}-{h.hexdigest()[:10]}"


def render(request: Request, name: str, lang: str, status: int = 200, **context: Any) -> Response:
    start = time.perf_counter()
    switch = {code: _with_lang(request, code) for code in LANGS}
    given = request.query_params.multi_items()
    nav = {page: (f"?{urlencode(kept)}" if (kept := [(k, v) for k, v in given if k in keeps and v]) else "")
           for page, keeps in NAV_KEEPS.items()}
    frame = auth.context(request)
    response = templates.TemplateResponse(request, name, {
        "t": Words(lang), "lang": lang, "v": static_version(), "switch": switch,
        # The no-login warning, where the server answers others and nobody needs to sign in.
        "public": None if frame["accounts"] else request.app.state.public_address,
        "nav_query": nav, **frame, **context,
    }, status_code=status)
    request.state.render_seconds = time.perf_counter() - start
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def page_error(request: Request, status: int, message: str, error: Exception | None = None) -> Response:
    lang = get_lang(request, request.query_params.get("lang"))
    # Refused for a role: "Not allowed"; a stale form (also 403) asks for a reload, under the plain head.
    key = error.key if isinstance(error, Refused) else None
    title = Words(lang)("not_found" if status == 404 else "forbidden" if key == "admin_only" else "error")
    if error is not None and key is None:  # a refusal's words are said already
        message = _message(error, lang)
    elif status == 404:  # no such page: Starlette's "Not Found", in the reader's language
        message = say("not_found", lang, path=request.url.path)
    elif status == 405:
        message = say("method_not_allowed", lang, method=request.method)
    elif status >= 500:
        message = say("internal", lang)
    return render(request, "error.html", lang, status, title=title, message=message)


def _message(error: Exception, lang: str) -> str:
    """The error in the page's language (text/errors.py words what the core names by a key); the
    workspace's own errors without its path or the PID holding it."""
    return public_message(error, lang)


def _with_lang(request: Request, code: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", code)]
    return f"{request.url.path}?{urlencode(params)}"


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _back(value: str | None) -> str:
    """Only a path on this server: a link back, never a way to send readers elsewhere. Browsers
    read a backslash as a slash and drop tabs and newlines, so ``/\\evil.example`` and
    ``/<tab>/evil.example`` would be ``//evil.example``, another site: refused like it."""
    if (value and value.startswith("/") and "\\" not in value
            and not any(ord(c) < 32 or ord(c) == 127 for c in value)):
        parts = urlsplit(value)
        if not parts.scheme and not parts.netloc and not value.startswith("//"):
            return value
    return "/"


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    period: str = answers.DEFAULT_PERIOD, grain: str | None = None, as_of: date | None = None,
    reps: str | None = None, attention: str | None = None,
) -> Response:
    state = views.ViewState(period, grain or None, filters, as_of)
    choices = answers.dimension_values(gate, viewer)
    try:
        if reps not in (None, "", "all"):
            raise keyed(DimensionError(f"reps={reps!r}: write reps=all for every rep in the "
                                       "leaderboard, or leave it out"), "reps_shown_value", value=reps)
        if attention not in (None, "", "all"):
            raise keyed(DimensionError(f"attention={attention!r}: write attention=all for every rep who "
                                       "needs attention, or leave it out"), "attention_shown_value",
                        value=attention)
        dash = answers.dashboard(gate, viewer, period, grain or None, filters, as_of)
    except READABLE as exc:
        return render(request, "dashboard.html", lang, 400, state=state, choices=choices,
                      error=_message(exc, lang), presets=views.PERIOD_PRESETS, dims=views.FILTER_DIMS,
                      dash=None)
    # Links and the filter form carry the ids the filters resolved to (a rep typed by name).
    state = views.ViewState(period, grain or None, filters_json(dash.filters), as_of)
    f = views.Formatter(lang, dash.currency)
    back = _here(request)
    return render(
        request, "dashboard.html", lang, state=state, choices=choices, error=None, dash=dash, f=f,
        presets=views.PERIOD_PRESETS, dims=views.FILTER_DIMS,
        tiles=views.tiles(dash.tiles, state, f, back, dash.explanations, dash.company_targets, dash.over),
        hint=views.period_hint(dash.hint, state, f),
        closed_ahead=(closed_ahead_text(dash.closed_ahead, lang, day=f.day(dash.closed_ahead.last))
                      if dash.closed_ahead else None),
        skipped=[REGISTRY[s.kpi].title.get(lang) for s in dash.skipped
                 if s.cause not in ("no_rate", "no_line_items")],  # those: said with their reason
        unrated=skipped_notes([*dash.skipped, *dash.uncompared], lang),
        charts=views.dashboard_charts(dash, state, f, back),
        reps=views.leaderboard(dash, state, f, back, None if reps == "all" else views.LEADERBOARD_SHOWN),
        reps_total=len(dash.reps), all_reps_url=state.url("/", reps="all") + "#reps-h",
        attention=views.attention(dash, state, f, None if attention == "all" else views.ATTENTION_SHOWN),
        attention_more=0 if attention == "all" else len(dash.attention) - views.ATTENTION_SHOWN,
        all_attention_url=state.url("/", attention="all") + "#attention",
        reps_columns=[c for c, _ in views.LEADERBOARD_COLUMNS],
        downloads={"pdf": state.url("/api/v1/digest.pdf", grain=None, lang=lang),
                   "xlsx": state.url("/api/v1/report.xlsx", grain=None, compare="true", lang=lang)},
    )


@router.get("/drill", response_class=HTMLResponse)
def drill(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    kpi: str = "total_revenue", period: str = answers.DEFAULT_PERIOD, as_of: date | None = None,
    back: str | None = None,
) -> Response:
    state = views.ViewState(period, None, filters, as_of)
    if kpi not in REGISTRY:
        raise keyed(UnknownKPIError(f"unknown KPI {kpi!r}; see /api/v1/kpis"), "unknown_kpi", kpi=kpi)
    found = answers.records(gate, viewer, kpi, period, filters, as_of)
    values = answers.dimension_values(gate, viewer)
    names = {"rep": dict(values["rep"]), "product": dict(values["product"])}
    f = views.Formatter(lang, found.currency)
    split = views.won_lost(won_lost(found), f) if kpi == "win_rate" else None
    return render(
        request, "drill.html", lang, state=state, found=found, f=f, won_lost=split,
        without_rate=without_rate_note(found, lang),
        kpi_title=REGISTRY[kpi].title.get(lang),
        rows=views.record_rows(found, f, names, RECORDS_SHOWN, state),
        classes=[views.column_class(c) for c in found.columns],
        shown=min(len(found.rows), RECORDS_SHOWN), total_text=views.records_total(found, f),
        csv_url=state.url("/api/v1/records.csv", kpi=kpi, grain=None),
        xlsx_url=state.url("/api/v1/records.xlsx", kpi=kpi, grain=None, lang=lang),
        back=_back(back), filter_names=names,
    )


@router.get("/reps/{rep}", response_class=HTMLResponse)
def rep(
    request: Request, rep: str, gate: GateDep, viewer: ViewerDep, lang: LangDep,
    period: str = answers.DEFAULT_PERIOD, grain: str | None = None, as_of: date | None = None,
) -> Response:
    state = views.ViewState(period, grain or None, {}, as_of)
    # The scorecard is built on the rep's comparison with the team: one answer for both.
    card = answers.scorecard(gate, viewer, rep, period, SCORECARD_HISTORY, as_of)
    comparison = card.peers
    assert comparison is not None
    chosen = grain or default_grain(card.period)
    try:
        trend = answers.trend(gate, viewer, period, chosen, {"rep": [comparison.rep]}, as_of)
    except CurrencyError:  # the revenue the chart draws: refused, and said with the figures
        trend = None
    rep = comparison.rep  # the id, when the address names the rep by name
    f = views.Formatter(lang, comparison.currency)
    back = _here(request)
    earlier = {x.kpi: ("earlier_no_rate",) for x in card.lines if "earlier_no_rate" in x.flags}
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
            # An earlier period without a rate: its empty history cell says why.
            "flags": [f.flag(x, line.days_so_far) for x in (*line.flags, *earlier.get(line.kpi, ()))],
            "href": drill if has_records(line.kpi) else None,
        })
        if missing := REGISTRY[line.kpi].missing_input(line.flags):  # none imported: no zeros to compare
            lines[-1].update(value=f.flag(missing), raw="", median="–", compared=0, interval=None,
                             history=["–" for _ in history], flags=[], href=None,
                             diff=views.change(None, None, REGISTRY[line.kpi].unit, "", f))
    chart = (None if trend is None else
             views.trend_chart(trend, chosen, state, f, back, chart_id="rep-trend", drill={"rep": [rep]}))
    # The rep's own targets, judged as on the dashboard (asked only where the rep has one).
    goals = ([s for s in answers.target_status(gate, viewer, period, as_of)
              if s.scope == "rep" and s.scope_id == rep]
             if any(t.scope == "rep" and t.scope_id == rep for t in answers.targets(gate, viewer, None))
             else [])
    return render(request, "rep.html", lang, state=state, c=comparison, f=f, lines=lines, chart=chart,
                  goals=views.rep_goals(goals, f),
                  unrated=skipped_notes([*card.skipped, *comparison.skipped], lang),
                  dashboard_url=state.url("/", rep=[rep]), rep_path=f"/reps/{quote(rep, safe='')}",
                  diagnosis=views.diagnosis(card, f),
                  history=[f.short_period(p) for p in card.history_periods],
                  programs=views.rep_programs(card, f))


@router.get("/insights", response_class=HTMLResponse)
def insights(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    period: str = answers.DEFAULT_PERIOD, as_of: date | None = None,
) -> Response:
    """What the numbers mean: activity effectiveness, the funnel, order value by satisfaction and
    why deals are lost, for the period and filters in the URL (by default the dashboard's, which
    its link carries no period for: the page goes on from the view it was opened from)."""
    state = views.ViewState(period, None, filters, as_of)
    common: dict[str, Any] = {
        "state": state, "choices": answers.dimension_values(gate, viewer), "presets": views.PERIOD_PRESETS,
        # Its parts count whole deals (kpis.scope.DEAL_FILTERS): a product would be refused.
        "dims": [d for d in views.FILTER_DIMS if d in DEAL_FILTERS], "filters_action": "/insights",
        "show_grain": False,
    }
    # A part whose money no exchange rate converts says so in its place; the others stand.
    refused: dict[str, str] = {}
    parts: dict[str, Any] = {}
    outcomes = answers.insights_page(gate, viewer, period, filters, as_of)  # asked side by side
    for name in ("effectiveness", "funnel", "satisfaction", "losses"):
        outcome = outcomes[name]
        if isinstance(outcome, CurrencyError):
            refused[name] = _message(outcome, lang)
        elif isinstance(outcome, READABLE):
            return render(request, "insights.html", lang, 400, error=_message(outcome, lang),
                          span=None, **common)
        elif isinstance(outcome, Exception):
            raise outcome
        else:
            parts[name] = outcome
    found, funnel, happy, lost = (parts.get(k) for k in ("effectiveness", "funnel", "satisfaction", "losses"))
    shown = [p for p in (found, funnel, happy) if p is not None]
    f = views.Formatter(lang, next((p.currency for p in shown if p.currency), None))
    # The closed deals behind the win rate; a filter the win rate cannot take leaves them out.
    behind = outcomes["won_lost"]
    if isinstance(behind, Exception) and not isinstance(behind, READABLE):
        raise behind
    split = None if isinstance(behind, READABLE) else views.won_lost(behind, f)
    return render(
        request, "insights.html", lang, error=None, f=f, refused=refused,
        span=shown[0].measured if shown else answers.period(gate, period, as_of).until(as_of), **common,
        effectiveness=views.effectiveness(found, f) if found else None,
        effectiveness_chart=views.effectiveness_chart(found, f) if found else None,
        stages=views.funnel_stages(funnel, f) if funnel else [],
        pipeline=views.funnel_pipeline(funnel, f) if funnel else [],
        funnel_note=views.funnel_note(funnel, f) if funnel else "",
        funnel_chart=views.funnel_chart(funnel, f) if funnel else None,
        funnel_refused=[_message(e, lang) for e in funnel.refused] if funnel else [],
        satisfaction=views.satisfaction(happy, f) if happy else None,
        satisfaction_chart=views.satisfaction_chart(happy, f) if happy else None,
        claim=views.claim(happy, f) if happy else None,
        won_lost=split,
        won_lost_url=state.url("/drill", kpi="win_rate", back=_here(request)),
        losses=fviews.losses(lost, f) if lost else None, losses_period=lost.period if lost else None,
        losses_notes=losses_notes(lost, lang) if lost else [],
        hint=views.period_hint(next((p.hint for p in shown if p.hint), None), state, f, "/insights"),
    )


@router.get("/forecast", response_class=HTMLResponse)
def forecast(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep, filters: FiltersDep,
    period: str = answers.FORECAST_PERIOD, as_of: date | None = None, by: str | None = None,
    bar: str | None = None,
) -> Response:
    """The period's bar of closed won, commit, best case and pipeline against quota, coverage, the
    deals behind each part, overdue and moved-out deals, and the accuracy of past quarters."""
    state = views.ViewState(period, None, filters, as_of)
    common: dict[str, Any] = {
        "state": state, "choices": answers.dimension_values(gate, viewer), "presets": views.PERIOD_PRESETS,
        # Whole deals: not by product (kpis.scope.DEAL_FILTERS).
        "dims": [d for d in views.FILTER_DIMS if d in DEAL_FILTERS], "filters_action": "/forecast",
        "show_grain": False, "by": by or "",
        # What the page script puts back in the period field when the address names none: it put
        # the dashboard's last-month there above this quarter's forecast, and Apply then asked
        # for last month (read at 390 px).
        "filters_default_period": answers.FORECAST_PERIOD,
    }
    try:
        found, slipped, accuracy = answers.forecast_page(gate, viewer, period, by or None, filters, as_of)
    except READABLE as exc:
        return render(request, "forecast.html", lang, 400, error=_message(exc, lang), found=None,
                      **common)
    f = views.Formatter(lang, found.currency)
    names = dict(common["choices"]["rep"])  # the reps this viewer may see, by name
    return render(
        request, "forecast.html", lang, error=None, found=found, f=f, **common,
        day=f.day(found.as_of), chart=fviews.forecast_chart(found, state, f),
        figures=fviews.figures(found.total, f), rows=fviews.rows(found, f, names),
        notes=fviews.notes(found, f),
        deals=fviews.deals(found, bar, f, DEALS_SHOWN, names),
        all_deals=state.url("/forecast", by=by) + "#deals",
        api_deals=state.url("/api/v1/forecast", by=by), api_moved=state.url("/api/v1/slippage"),
        overdue=[fviews.deal_row(d, f, names) for d in found.overdue[:OVERDUE_SHOWN]],
        overdue_more=max(0, len(found.overdue) - OVERDUE_SHOWN),
        # Deals marked omitted count in no bar: their sum said, and the way to their list.
        omitted=f.value(found.total.omitted, "money") if found.total.omitted else None,
        omitted_unrated=found.total.omitted is None,
        omitted_url=state.url("/forecast", by=by, bar="omitted") + "#deals",
        moved=fviews.moved_out(slipped, f, DEALS_SHOWN, names),
        accuracy=fviews.accuracy(accuracy, f), accuracy_note=fviews.accuracy_note(accuracy, lang),
        word=partial(word, lang=lang),
    )


@router.get("/programs", response_class=HTMLResponse)
def programs(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep,
    kpi: str = "win_rate", window: int = 90, as_of: date | None = None,
) -> Response:
    """Each program with its effect table, and the chosen KPI month by month (an event study)."""
    chart_kpis = [k for k in DEFAULT_KPIS if k in REGISTRY]
    common: dict[str, Any] = {"kpi": kpi, "window": window, "as_of": as_of, "chart_kpis": chart_kpis,
                              "titles": {k: REGISTRY[k].title.get(lang) for k in chart_kpis}}
    if kpi not in chart_kpis or not 1 <= window <= 3650:
        message = Words(lang)("programs_bad_query", kpi=kpi, kpis=", ".join(chart_kpis), window=window)
        return render(request, "programs.html", lang, 400, cards=[], error=message, **common)
    names = dict(answers.dimension_values(gate, viewer)["rep"])
    cards: list[tuple[Program, ProgramEffect | None, str | None]] = []
    currency = None
    for p in answers.programs(gate, viewer):
        try:
            effect = answers.program_effect(gate, viewer, p.program_id, (), window, None, None, as_of)
        except (ProgramError, *READABLE) as exc:
            cards.append((p, None, _message(exc, lang)))
            continue
        currency = currency or effect.currency
        cards.append((p, effect, None))
    f = views.Formatter(lang, currency)
    shown = [views.program_card(p, effect, error, kpi, names, f) for p, effect, error in cards]
    return render(request, "programs.html", lang, cards=shown, error=None, **common)


def _upload(request: Request, lang: str, status: int = 200, **context: Any) -> Response:
    """The upload page, with the CRMs whose exports it reads (import --from)."""
    return render(request, "upload.html", lang, status, sources=UPLOAD_SOURCES, **context)


UPLOAD_SOURCES = tuple((v.key, v.label) for v in VENDORS.values())


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, lang: LangDep,
                admin: Annotated[Viewer, Depends(require_admin)]) -> Response:
    return _upload(request, lang, result=None, problems=None, chosen={})


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request, gate: GateDep, lang: LangDep,
    files: Annotated[list[UploadFile], File()],
    writer: Annotated[Viewer, Depends(require_writer)],
    decimal_comma: DecimalCommaForm = None,
    date_format: DateFormatForm = None,
    encoding: EncodingForm = None,
    source: SourceForm = None,
) -> Response:
    chosen = {"decimal_comma": decimal_comma, "date_format": date_format or "", "encoding": encoding or "",
              "source": source or ""}
    try:
        summary = save_and_import(gate, files, writer, auth.client_of(request),
                                  format_options(decimal_comma, date_format, encoding), source_of(source))
    except ImportValidationError as exc:
        t = Words(lang)
        listed, unsaid = exc.lines_apart()
        problems = [
            # One problem on many lines (rep ids no reps file has): once, with its values.
            {"file": p.file, "line": t("repeated_lines", n=p.lines, first=p.first_line),
             "column": p.column, "message": problem_text(p.message, lang),
             "value": (p.values[0] if p.distinct == 1 and p.values else
                       t("repeated_values", n=p.distinct,
                         values=p.values_text(t("values_more"), t("characters"))))}
            if isinstance(p, Repeated) else dataclass_replace(p, message=problem_text(p.message, lang),
                                                              value=None if p.value is None
                                                              else cut(p.value, t("characters")))
            for p in listed]
        # The choices stay made: a refusal for a wrong date format is mended by changing it alone.
        return _upload(request, lang, 422, result=None, problems=problems,
                      total=exc.total, unsaid=unsaid, chosen=chosen)
    after_import(request)
    # The rows left out, why in the page's language (as the command says it).
    said = tuple(dataclass_replace(k, reason=skip_reason(k.reason, lang)) for k in summary.skipped)
    summary = dataclass_replace(summary, skipped=said)
    return _upload(request, lang, result=summary, problems=None, chosen=chosen)


# -- targets -------------------------------------------------------------------------------------
TARGETS_PERIOD = "this-quarter"


def _whom(value: str) -> tuple[str | None, str | None]:
    """The form's "for" choice (``""``, ``team:east``, ``rep:R004``) as (team, rep)."""
    kind, _, name = value.partition(":")
    return (name or None, None) if kind == "team" else (None, name or None) if kind == "rep" else (None, None)


def _targets_page(request: Request, gate: WorkspaceGate, viewer: Viewer, lang: str, period: str,
                  status: int = 200, error: str | None = None, saved: str | None = None,
                  form: dict[str, str] | None = None, as_of: date | None = None) -> Response:
    choices = answers.dimension_values(gate, viewer)
    names = dict(choices["rep"])
    f = views.Formatter(lang, answers.workspace_info(gate, viewer)["settings"].get("base_currency"))
    if f.currency is None:
        # Before the statuses are written: their money read "33,695.65", without its "$" (a tester).
        f = views.Formatter(lang, answers.report(gate, viewer, "last-month", "", ["total_revenue"], {},
                                                 None).currency)
    span = statuses = None
    try:
        found = answers.target_status(gate, viewer, period, as_of)
        span = answers.period(gate, period, as_of).until(as_of)  # the stretch as_of measured
        statuses = views.target_statuses(found, f, names)
    except READABLE as exc:
        error = error or _message(exc, lang)
        status = 400 if status == 200 else status
    kpis = [(k, REGISTRY[k].title.get(lang)) for k in views.TARGET_KPIS]
    return render(request, "targets.html", lang, status, f=f, period=period, as_of=as_of, span=span,
                  statuses=statuses,
                  stored=views.stored_targets(answers.targets(gate, viewer, None), f, names), kpis=kpis,
                  choices=choices, error=error, saved=saved, partial=not viewer.sees_everything,
                  form=form or {"kpi": "total_revenue", "whom": "", "value": "", "period": TARGETS_PERIOD})


@router.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep,
                 period: str = TARGETS_PERIOD, saved: str | None = None,
                 removed: str | None = None, as_of: date | None = None) -> Response:
    """Every target: set, change and remove them; each beside its figure, status and pace."""
    words = Words(lang)
    done = next((words(key, kpi=REGISTRY[k].title.get(lang)) for key, k in
                 (("target_saved", saved), ("target_removed", removed)) if k in REGISTRY), None)
    return _targets_page(request, gate, viewer, lang, period, saved=done, as_of=as_of)


@router.post("/targets", response_class=HTMLResponse)
def set_target_page(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep,
    writer: Annotated[Viewer, Depends(require_writer)],
    kpi: Annotated[str, Form()], value: Annotated[str, Form()],
    whom: Annotated[str, Form()] = "", period: Annotated[str, Form()] = "",
) -> Response:
    team, rep_id = _whom(whom)
    try:
        answers.set_target(gate, kpi, value, team=team, rep=rep_id, period=period.strip() or None)
    except SalesmetricsError as exc:
        # Which field the refusal is about: marked invalid, described by it and given the focus.
        wrong = ("period" if isinstance(exc, PeriodError) or exc.key == "target_needs_period" else
                 "value" if exc.key in VALUE_REFUSALS else "")
        form = {"kpi": kpi, "whom": whom, "value": value, "period": period, "wrong": wrong}
        return _targets_page(request, gate, viewer, lang, period.strip() or TARGETS_PERIOD, 400,
                             error=_message(exc, lang), form=form)
    # Post, then redirect: a reload does not send the form again.
    shown = period.strip() or TARGETS_PERIOD
    return RedirectResponse(f"/targets?{urlencode({'period': shown, 'saved': kpi})}", status_code=303)


@router.post("/targets/remove", response_class=HTMLResponse)
def remove_target_page(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep,
    writer: Annotated[Viewer, Depends(require_writer)],
    kpi: Annotated[str, Form()], whom: Annotated[str, Form()] = "", period: Annotated[str, Form()] = "",
) -> Response:
    team, rep_id = _whom(whom)
    try:
        answers.unset_target(gate, kpi, team=team, rep=rep_id, period=period or None)
    except SalesmetricsError as exc:
        return _targets_page(request, gate, viewer, lang, TARGETS_PERIOD, 400, error=_message(exc, lang))
    return RedirectResponse("/targets?" + urlencode({"removed": kpi}), status_code=303)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request, gate: GateDep, viewer: ViewerDep, lang: LangDep,
    team: Annotated[list[str] | None, Query()] = None, rep: Annotated[list[str] | None, Query()] = None,
    period: str = answers.DEFAULT_PERIOD, as_of: date | None = None,
) -> Response:
    """Teams or reps side by side: the KPIs in columns with intervals, "significantly different" marks."""
    choices = answers.dimension_values(gate, viewer)
    # Compare sets whole teams or reps side by side: a filter of another page's address (a segment)
    # is not applied, and said so, rather than passed over.
    unused = [dim for dim in views.FILTER_DIMS
              if dim not in ("team", "rep") and request.query_params.get(dim)]
    note = (Words(lang)("compare_unfiltered", dims=", ".join(dimension_title(d, lang) for d in unused))
            if unused else None)
    common: dict[str, Any] = {"choices": choices, "period": period, "table": None, "error": None,
                              "dimension": "team", "groups": [], "unused": note}
    try:
        dimension, values = compared(team, rep)
        common.update(dimension=dimension, groups=values)
        if len(values) < 2:
            if values:
                common["error"] = Words(lang)("compare_two")
            return render(request, "compare.html", lang, **common)
        found = answers.compare(gate, viewer, dimension, values, period, as_of)
    except READABLE as exc:
        common["error"] = _message(exc, lang)
        return render(request, "compare.html", lang, 400, **common)
    f = views.Formatter(lang, found.currency)
    heads, table = views.comparison_table(found, f)
    common.update(groups=found.groups, table=table)
    return render(request, "compare.html", lang, f=f, found=found, heads=heads,
                  unrated=skipped_notes(found.skipped, lang), **common)


# -- signing in and out ----------------------------------------------------------------------
def _next(value: str | None) -> str:
    # Only a path on this server: never a way to send someone elsewhere after signing in.
    if (value and value.startswith("/") and not value.startswith(("//", "/\\")) and value.isprintable()
            and " " not in value and not value.startswith("/login")):
        return value
    return "/"


def _login_page(request: Request, status: int, error: str | None, email: str, next_: str) -> Response:
    lang = get_lang(request, request.query_params.get("lang"))
    return render(request, "login.html", lang, status, error=error, email=email, next=next_)


@router.get("/login")
def login_form(request: Request, next_: Annotated[str | None, Query(alias="next")] = None) -> Response:
    identity = auth.identity_of(request)
    if not identity.accounts or identity.signed_in:
        return RedirectResponse(_next(next_), status_code=303)
    return _login_page(request, 200, None, "", _next(next_))


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next_: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    state: auth.Auth = request.app.state.auth
    snapshot: Snapshot | None = getattr(request.state, "snapshot", None)
    target = _next(next_)
    if snapshot is None or not snapshot.has_users:
        return RedirectResponse(target, status_code=303)
    words = Words(get_lang(request, request.query_params.get("lang")))
    if not auth.csrf_ok(request, csrf):
        return _login_page(request, 403, words("login_expired"), email, target)
    address, client = email.strip().lower()[:254], auth.client_of(request)
    keys = (f"account:{address}", f"client:{client}")
    wait = state.throttle.retry_after(*keys)
    if wait is not None:
        response = _login_page(request, 429, words("login_throttled", minutes=max(1, round(wait / 60))),
                               email, target)
        response.headers["Retry-After"] = str(wait)
        return response
    user = snapshot.login(address, password)
    if user is None:
        state.throttle.failed(*keys)
        _note(state, address, client)
        return _login_page(request, 401, words("login_failed"), email, target)
    state.throttle.succeeded(keys[0])
    with state.gate.writing(actor=user.email, client=client) as ws:
        session_id, _ = ws.accounts.start_session(user.email, lifetime=state.session_lifetime)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, snapshot.session_cookie(session_id), httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/",
                        max_age=int(state.session_lifetime.total_seconds()))
    return response


def _note(state: auth.Auth, email: str, client: str) -> None:
    """A failed sign-in in the audit log (the email as typed; never the password)."""
    try:
        with state.gate.writing(actor=email or "(no email)", client=client, wait=1.0) as ws:
            ws.accounts.note("login_failed", email)
    except WorkspaceError:
        pass  # the log is busy: the throttle still counts the attempt


@router.post("/logout")
async def logout(request: Request) -> Response:
    await auth.check_csrf(request)
    identity = auth.identity_of(request)
    state: auth.Auth = request.app.state.auth
    if identity.session_id is not None and identity.user is not None:
        session_id, email = identity.session_id, identity.user.email

        def end() -> None:
            with state.gate.writing(actor=email, client=auth.client_of(request)) as ws:
                ws.accounts.end_session(session_id)

        await run_in_threadpool(end)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


AUDIT_SHOWN = 200


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, gate: GateDep, lang: LangDep,
          admin: Annotated[Viewer, Depends(require_admin)]) -> Response:
    """The audit log, newest first: sign-ins, imports, targets, settings, users and tokens."""
    with gate.reading() as ws:
        entries = ws.accounts.audit_log(AUDIT_SHOWN)
    return render(request, "audit.html", lang, entries=entries)
