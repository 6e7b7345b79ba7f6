"""Errors as the web shows them: JSON ``{"error": {"message", "type"}}`` under /api, a page elsewhere.

The status says whose move it is: 400 for a request that cannot be read (bad period, dimension, KPI),
404 for something that is not there, 409 for a workspace that needs a setting first, 422 for an import
refused, 503 while another process holds the workspace. Never a traceback: those go to the log.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..decimal_json import dumps
from ..errors import (
    AmbiguousValueError,
    CurrencyError,
    DimensionError,
    ImportValidationError,
    PeriodError,
    SalesmetricsError,
    SettingsError,
    UnknownKPIError,
    UnknownRepError,
    UnknownValueError,
    WorkspaceBusyError,
    WorkspaceError,
)
from ..text.errors import error_text

log = logging.getLogger("salesmetrics.web")

# Most specific first.
_KINDS: tuple[tuple[type[Exception], int, str], ...] = (
    (UnknownRepError, 404, "unknown_rep"),
    (AmbiguousValueError, 400, "ambiguous_value"),
    (UnknownValueError, 400, "unknown_value"),
    (UnknownKPIError, 400, "unknown_kpi"),
    (PeriodError, 400, "bad_period"),
    (DimensionError, 400, "bad_dimension"),
    (ImportValidationError, 422, "import_refused"),
    (WorkspaceBusyError, 503, "workspace_busy"),
    (WorkspaceError, 503, "workspace_unavailable"),
    (CurrencyError, 409, "currency"),
    (SettingsError, 409, "settings"),
    (SalesmetricsError, 400, "bad_request"),
)

_HTTP_TYPES = {404: "not_found", 405: "method_not_allowed", 403: "forbidden"}


def classify(exc: Exception) -> tuple[int, str]:
    for kind, status, name in _KINDS:
        if isinstance(exc, kind):
            return status, name
    return 500, "internal"


def error_body(message: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, **extra}}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def json_error(status: int, message: str, kind: str, **extra: Any) -> Response:
    headers = {"Retry-After": "2"} if status == 503 else None
    return Response(dumps(error_body(message, kind, **extra)), status_code=status,
                    media_type="application/json", headers=headers)


def _problems(exc: Exception) -> dict[str, Any]:
    if not isinstance(exc, ImportValidationError):
        return {}
    return {"total": exc.total, "problems": [
        {"file": p.file, "line": p.line, "column": p.column, "value": p.value, "message": p.message}
        for p in exc.problems
    ]}


def _value(exc: Exception) -> dict[str, Any]:
    """What was typed and what was probably meant, for a script to correct itself."""
    if not isinstance(exc, UnknownValueError):
        return {}
    return {"dimension": exc.dimension, "value": exc.value, "suggestions": list(exc.suggestions)}


def install(app: FastAPI, page_error: Any) -> None:
    """Register the handlers; ``page_error(request, status, message, error)`` renders the HTML
    error page (``error``: the exception, if any, for words in the page's language)."""

    def respond(request: Request, status: int, message: str, kind: str,
                error: Exception | None = None, **extra: Any) -> Response:
        if wants_json(request):
            return json_error(status, message, kind, **extra)
        response: Response = page_error(request, status, message, error)
        return response

    @app.exception_handler(SalesmetricsError)
    async def _salesmetrics(request: Request, exc: SalesmetricsError) -> Response:
        status, kind = classify(exc)
        # Worded for the web (no command-line flags), in ?lang= when the API is asked in German.
        message = error_text(exc, request.query_params.get("lang") or "en")
        return respond(request, status, message, kind, exc, **_problems(exc), **_value(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
        return respond(request, 400, "; ".join(parts) or "invalid request", "bad_request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        kind = _HTTP_TYPES.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, str(exc.detail), kind)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error answering %s", request.url.path)
        return respond(request, 500, "internal error; the server log has the details", "internal")
