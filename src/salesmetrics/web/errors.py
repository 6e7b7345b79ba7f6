"""Errors as the web shows them: JSON ``{"error": {"message", "type"}}`` under /api, a page elsewhere.

The status says whose move it is: 400 for a request that cannot be read (bad period, dimension, KPI),
404 for something that is not there, 409 for a workspace that needs a setting first, 422 for an import
refused, 503 while another process holds the workspace. Never a traceback: those go to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..decimal_json import dumps
from ..errors import (
    AmbiguousValueError,
    CurrencyError,
    DimensionError,
    EnvironmentValueError,
    ImportValidationError,
    PeriodError,
    ProgramError,
    RepeatedParameterError,
    SalesmetricsError,
    SettingsError,
    UnknownKPIError,
    UnknownParameterError,
    UnknownProgramError,
    UnknownRepError,
    UnknownValueError,
    WorkspaceBusyError,
    WorkspaceError,
    is_out_of_range,
    out_of_range,
)
from ..text.errors import HTTP_DE, error_text, invalid_text, say
from ..text.problems import problem_text
from .i18n import COOKIE, negotiate

log = logging.getLogger("salesmetrics.web")

# Most specific first.
_KINDS: tuple[tuple[type[Exception], int, str], ...] = (
    (UnknownRepError, 404, "unknown_rep"),
    (UnknownProgramError, 404, "unknown_program"),
    (ProgramError, 400, "bad_program"),
    (AmbiguousValueError, 400, "ambiguous_value"),
    (UnknownValueError, 400, "unknown_value"),
    (UnknownKPIError, 400, "unknown_kpi"),
    (UnknownParameterError, 400, "unknown_parameter"),
    (RepeatedParameterError, 400, "repeated_parameter"),
    (PeriodError, 400, "bad_period"),
    (DimensionError, 400, "bad_dimension"),
    (ImportValidationError, 422, "import_refused"),
    (WorkspaceBusyError, 503, "workspace_busy"),
    (WorkspaceError, 503, "workspace_unavailable"),
    (CurrencyError, 409, "currency"),
    (SettingsError, 409, "settings"),
    # The server's own setting, not the request: whoever runs it is told which, in the message.
    (EnvironmentValueError, 500, "server_setting"),
    (SalesmetricsError, 400, "bad_request"),
)

_HTTP_TYPES = {404: "not_found", 405: "method_not_allowed", 403: "forbidden", 413: "too_large"}


class Refused(StarletteHTTPException):
    """A request refused for who sends it or how (403): its words (``key``, text/errors.py) in the
    reader's language when it is answered."""

    def __init__(self, status_code: int, key: str) -> None:
        super().__init__(status_code, say(key))
        self.key = key


def reader_lang(request: Request) -> str:
    """The reader's language as a page chooses it: ?lang=, the remembered choice, Accept-Language."""
    return negotiate(request.query_params.get("lang"), request.cookies.get(COOKIE),
                     request.headers.get("accept-language"))


def classify(exc: Exception) -> tuple[int, str]:
    for kind, status, name in _KINDS:
        if isinstance(exc, kind):
            return status, name
    return 500, "internal"


def error_body(message: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, **extra}}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


RETRY_AFTER = "2"  # seconds: an import's write is usually done by then, or the next 503 says again


def json_error(status: int, message: str, kind: str, **extra: Any) -> Response:
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return Response(dumps(error_body(message, kind, **extra)), status_code=status,
                    media_type="application/json", headers=headers)


def _problems(exc: Exception, lang: str) -> dict[str, Any]:
    """Each problem of a refused import, in the reader's language as the summary above them is (an
    API asked with ?lang=de had a German summary over English problems; the page words them)."""
    if not isinstance(exc, ImportValidationError):
        return {}
    return {"total": exc.total, "problems": [
        {"file": p.file, "line": p.line, "column": p.column, "value": p.value,
         "message": problem_text(p.message, lang)}
        for p in exc.problems
    ], "repeated": [
        {"file": r.file, "column": r.column, "message": problem_text(r.message, lang), "lines": r.lines,
         "first_line": r.first_line, "distinct": r.distinct, "values": list(r.values)}
        for r in exc.repeated
    ]}


def _value(exc: Exception) -> dict[str, Any]:
    """What was typed and what was probably meant, for a script to correct itself."""
    if isinstance(exc, UnknownParameterError):
        return {"parameters": list(exc.parameters), "accepted": list(exc.accepted)}
    if isinstance(exc, RepeatedParameterError):
        return {"parameters": list(exc.parameters)}
    if not isinstance(exc, UnknownValueError):
        return {}
    return {"dimension": exc.dimension, "value": exc.value, "suggestions": list(exc.suggestions)}


def public_message(exc: Exception, lang: str = "en") -> str:
    """What a visitor is told. The workspace's own errors name its absolute path and the PID
    holding it: those go to the server's log, the visitor learns what to do."""
    if isinstance(exc, WorkspaceBusyError):
        log.info("answered 503 workspace_busy: %s", exc)
        return say("workspace_busy", lang)
    if isinstance(exc, WorkspaceError):
        log.warning("answered 503 workspace_unavailable: %s", exc)
        return say("workspace_unavailable", lang)
    return error_text(exc, lang)


def install(app: FastAPI, page_error: Any,
            allowed: Callable[[str], list[str]] | None = None) -> None:
    """Register the handlers; ``page_error(request, status, message, error)`` renders the HTML
    error page (``error``: the exception, if any, for words in the page's language). ``allowed(path)``:
    every method some route answers at ``path``, for the ``Allow`` of a 405 (Starlette names only
    the methods of the first route of that path)."""

    def respond(request: Request, status: int, message: str, kind: str,
                error: Exception | None = None, **extra: Any) -> Response:
        if wants_json(request):
            return json_error(status, message, kind, **extra)
        response: Response = page_error(request, status, message, error)
        if status == 503:  # a page, too, says when to come back
            response.headers["Retry-After"] = RETRY_AFTER
        return response

    @app.exception_handler(SalesmetricsError)
    async def _salesmetrics(request: Request, exc: SalesmetricsError) -> Response:
        status, kind = classify(exc)
        # Worded for the web (no command-line flags), in the reader's language as a page chooses it:
        # ?lang=, the remembered choice, or the client's Accept-Language (an API asked in German
        # with the header was answered in English).
        lang = reader_lang(request)
        message = public_message(exc, lang)
        return respond(request, status, message, kind, exc, **_problems(exc, lang), **_value(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        lang = reader_lang(request)
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
            kind = str(err.get("type", ""))
            said = invalid_text(kind, "not a field this request takes" if kind == "extra_forbidden"
                                else str(err.get("msg", "invalid")), err.get("ctx"), lang)
            parts.append(f"{where}: {said}" if where else said)
        return respond(request, 400, "; ".join(parts) or "invalid request", "bad_request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        kind = _HTTP_TYPES.get(exc.status_code, "http_error")
        lang = reader_lang(request)
        said = (say(exc.key, lang) if isinstance(exc, Refused)
                else HTTP_DE.get(exc.status_code, str(exc.detail)) if lang.startswith("de")
                else str(exc.detail))
        response = respond(request, exc.status_code, said, kind, exc if isinstance(exc, Refused) else None)
        for name, value in (exc.headers or {}).items():  # Allow on a 405, as HTTP asks
            response.headers[name] = value
        if exc.status_code == 405 and allowed is not None:
            methods = allowed(request.url.path)
            if methods:
                response.headers["Allow"] = ", ".join(methods)
        return response

    @app.exception_handler(duckdb.DataError)
    async def _out_of_range(request: Request, exc: duckdb.DataError) -> Response:
        # A value beyond its type (a rate typed upside down on a large deal): the records ask to
        # be mended, like money without a rate. Any other DataError is ours: logged, a 500.
        if not is_out_of_range(str(exc)):
            return await _internal(request, exc)
        log.warning("a value out of range answering %s: %s", request.url.path, str(exc).splitlines()[0])
        return respond(request, 409, out_of_range(str(exc)), "out_of_range")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error answering %s", request.url.path)
        return respond(request, 500, "internal error; the server log has the details", "internal")
