"""The web application: dashboard pages and the JSON API over one workspace file.

``create_app`` wires the parts together and holds no business logic: pages and API routes ask the
core through :mod:`.answers`, and every figure comes from :class:`~salesmetrics.Workspace`.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import BaseRoute, Route

from .. import __version__
from ..access import Viewer
from ..accounts import SESSION_LIFETIME, Throttle
from ..errors import WorkspaceError
from . import answers, api, auth, errors, pages
from .gate import WorkspaceGate

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("salesmetrics.web")

# Everything the pages load comes from this server; the browser refuses anything else, so a
# template that slipped in a CDN link would fail loudly in tests instead of leaking requests.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets inline styles; its page gets that one allowance.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

DESCRIPTION = """Sales KPIs from CRM records, over one salesmetrics workspace.

Every figure is the one `salesmetrics report` computes. Money is an exact decimal number in the
workspace's base currency. Errors are JSON: `{"error": {"message": "...", "type": "bad_period"}}`
with status 400 (bad period, dimension, filter or KPI), 404 (unknown rep), 409 (a setting is needed),
422 (import refused, with `problems`) or 503 (another process holds the workspace; retry).
"""


def create_app(
    db_path: str | Path,
    *,
    public_address: str | None = None,
    allowed_hosts: list[str] | None = None,
    warm: bool = True,
    lock_wait: float = 15.0,
    cache_size: int = 128,
    session_lifetime: timedelta = SESSION_LIFETIME,
    throttle: Throttle | None = None,
) -> FastAPI:
    """The app for the workspace at ``db_path``.

    ``public_address``: set when bound to an address other people can reach; every page then says
    there is no login. ``allowed_hosts``: Host headers to answer (a page on another site cannot use
    a DNS name pointing at 127.0.0.1 to read the figures). ``warm``: compute the default dashboard
    at start-up, so the first visitor does not wait for it. ``session_lifetime``: how long a
    sign-in lasts; ``throttle``: how failed sign-ins are counted (accounts.Throttle).
    """
    gate = WorkspaceGate(Path(db_path), wait=lock_wait, cache_size=cache_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        if warm:
            threading.Thread(target=_keep_warm, args=(gate, stop), name="salesmetrics-warm",
                             daemon=True).start()
        yield
        stop.set()

    app = FastAPI(title="salesmetrics", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.gate = gate
    app.state.auth = auth.Auth(gate, session_lifetime, throttle)
    app.state.public_address = public_address
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    # Pages of ~80 KB of HTML go as ~10 KB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        start = time.perf_counter()
        if request.method == "POST" and not _same_origin(request):
            response = errors.json_error(403, "cross-site form posts are refused", "forbidden")
        else:
            # Who is asking, before any route: a route cannot forget to check.
            response = await auth.authenticate(request) or await call_next(request)
        total = (time.perf_counter() - start) * 1000
        timing = f"app;dur={total:.1f}"
        rendered = getattr(request.state, "render_seconds", None)
        if rendered is not None:
            timing += f", render;dur={rendered * 1000:.1f}"
        response.headers["Server-Timing"] = timing
        secure(request, response)
        if request.url.path.startswith("/static/"):
            # Pages link static files with ?v=<version> (pages.static_url): a new release is a new
            # address, so a browser may keep them for a year without asking.
            versioned = request.query_params.get("v") == __version__
            response.headers["Cache-Control"] = ("public, max-age=31536000, immutable" if versioned
                                                 else "no-cache")
        elif "cache-control" not in response.headers:
            response.headers["Cache-Control"] = "no-cache"  # figures change with every import
        auth.finish(request, response)
        return response

    errors.install(app, pages.page_error)
    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def openapi() -> dict[str, Any]:
        # Scripts sign in with a token: say so in the schema, so the docs' "Authorize" takes one.
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            schema.setdefault("components", {})["securitySchemes"] = {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "An API token: `salesmetrics token create EMAIL` (needed once the "
                               "workspace has users)."}}
            schema["security"] = [{"bearer": []}, {}]
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse((STATIC / "docs.html").read_text(encoding="utf-8"))

    return app


def secure(request: Request, response: Response) -> None:
    """The headers every response carries, whatever answered it (a page, the API, an error, a
    redirect to the sign-in page): no script but our own files, never inside another site's frame,
    no guessing of content types, no address leaked to other sites."""
    response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/docs" else CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    personal = auth.SESSION_COOKIE in request.cookies or "authorization" in request.headers
    if not request.url.path.startswith("/static/") and (personal or request.url.path == "/login"):
        response.headers.setdefault("Cache-Control", "no-store")  # answers for one person only


def _same_origin(request: Request) -> bool:
    """A browser says where a form came from; a post from another site's page is refused."""
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def _keep_warm(gate: WorkspaceGate, stop: threading.Event, every: float = 2.0) -> None:
    """Compute the default dashboard at start-up and again after each change of the data, so the
    first visitor after an import does not wait for it. Looking for a change costs a stat of the file.
    Then, once, compile the queries of the other views a visitor is likely to open next.

    It asks as "everyone", which is also what an admin sees (a viewer is what it may see, not who it
    is); reps' and managers' first views are computed when they ask."""
    pages.compile_templates()
    warmed: int | None = None
    prepared = False
    while not stop.is_set():
        try:
            version = gate.version()
            if version != warmed:
                start = time.perf_counter()
                answers.warm_up(gate, Viewer.everyone())
                log.info("dashboard for data version %d ready in %.2f s", version,
                         time.perf_counter() - start)
                warmed = version
            if not prepared:  # compiled SQL outlives data versions: once a process is enough
                start = time.perf_counter()
                views = answers.prepare_queries(gate, Viewer.everyone(), stop.is_set)
                log.info("queries of %d views compiled in %.2f s", views, time.perf_counter() - start)
                prepared = True
        except WorkspaceError as exc:  # busy or missing: try again later; requests will say so
            log.info("warm-up postponed: %s", exc)
        except Exception:
            log.exception("warm-up failed")
            return
        stop.wait(every)


def routes_of(app: FastAPI) -> list[APIRoute | Route]:
    """Every route the app answers, with routers included flattened (FastAPI keeps an included router
    as one entry): for the tests that walk them all, and for anything that lists them."""
    found: list[APIRoute | Route] = []

    def walk(routes: Sequence[BaseRoute], prefix: str) -> None:
        for route in routes:
            original = getattr(route, "original_router", None)
            if original is not None:
                context = getattr(route, "include_context", None)
                walk(original.routes, prefix + str(getattr(context, "prefix", "") or ""))
            elif isinstance(route, APIRoute | Route):
                if prefix:
                    route = copy.copy(route)
                    route.path = prefix + route.path
                found.append(route)

    walk(app.routes, "")
    return found
