"""The web application: dashboard pages and the JSON API over one workspace file.

``create_app`` wires the parts together and holds no business logic: pages and API routes ask the
core through :mod:`.answers`, and every figure comes from :class:`~salesmetrics.Workspace`.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Route, compile_path

from .. import __version__, environment
from ..access import Viewer
from ..accounts import SESSION_LIFETIME, Throttle
from ..errors import WorkspaceError
from ..runtime import settle
from ..text.errors import say
from . import answers, api, auth, deps, errors, pages
from .gate import WorkspaceGate
from .guards import BodyLimit, HostCheck

STATIC = pages.STATIC
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
with status 400 (bad period, dimension, filter or KPI), 401 (sign in first, once the workspace has
users), 403 (a write by someone other than an admin), 404 (unknown rep), 405 (with `Allow`), 409 (a
setting is needed), 413 (too large), 422 (import refused, with `problems`) or 503 (another import is
running; retry after `Retry-After` seconds).
"""


def create_app(
    db_path: str | Path,
    *,
    public_address: str | None = None,
    allowed_hosts: list[str] | None = None,
    warm: bool = True,
    lock_wait: float = 30.0,
    read_wait: float = 5.0,
    cache_size: int = 128,
    ready_wait: float = 60.0,
    on_ready: Callable[[], None] | None = None,
    max_upload_bytes: int | None = None,
    session_lifetime: timedelta = SESSION_LIFETIME,
    throttle: Throttle | None = None,
    schedules: bool = False,
    hold: float = 0.0,
    share_results: bool = True,
    settle: bool = False,
    open_without_users: bool = True,
) -> FastAPI:
    """The app for the workspace at ``db_path``.

    ``public_address``: set when bound to an address other people can reach; every page then says
    there is no login. ``allowed_hosts``: Host headers to answer (a page on another site cannot use
    a DNS name pointing at 127.0.0.1 to read the figures); loopback names are always answered, and
    None answers any (a library's choice; ``salesmetrics serve`` always gives them). ``warm``:
    compute the default dashboard at start-up, and start answering only once it is ready (at most
    ``ready_wait`` seconds), so the first visitor is served from the cache instead of waiting for
    it; ``on_ready`` is called then (`salesmetrics serve` prints its address). ``lock_wait``: how
    long an upload waits for the file; ``read_wait``: how long a request waits for a writer before
    it is answered 503 with Retry-After. ``max_upload_bytes``: the largest request body (default
    ``$SALESMETRICS_MAX_UPLOAD_MB``, else 100 MB); larger ones get 413. ``session_lifetime``: how
    long a sign-in lasts; ``throttle``: how failed sign-ins are counted (accounts.Throttle).
    ``schedules``: send the digests that fall due and check the alerts, every
    ``$SALESMETRICS_SCHEDULE_INTERVAL`` seconds (default 60) and after each upload, as `salesmetrics
    schedule run-due` does (`salesmetrics serve` turns it on; an app embedded in a process that also
    writes the file must not hold connections of its own). ``hold``: keep the file open read-only
    for this many seconds after the last answer (web/gate.py; `salesmetrics serve`: 60), so the next
    request finds what DuckDB read for the last; a writer of any process (`salesmetrics import`,
    anything opening it through :mod:`salesmetrics.storage`) still gets in at once; other tools
    that open the file for writing are refused until the hold lapses. ``settle``: once the
    start-up work is done, keep what the process holds out of the garbage collector's passes
    (runtime.settle; `serve`: on), which only a process that is the server should do.
    ``share_results``: keep the query results of every request for the next, until the records
    change (recall.Recall: a million values at most); off, each request computes what it shows.
    ``open_without_users``: a workspace without users is served to anyone, without sign-in;
    `serve` sets it only on loopback or with --no-login, so removing the last user of a server
    others reach closes it (503 ``no_users``) instead of opening it.
    """
    # Read before anything starts: a value they do not take is said by `serve`, not by a thread or
    # by every upload (the import's memory and workbook limits are read again by each import).
    interval = _schedule_interval() if schedules else 0.0
    body_limit = max_upload_bytes or upload_limit()
    environment.import_memory()
    environment.xlsx_limit()
    gate = WorkspaceGate(Path(db_path), wait=lock_wait, read_wait=read_wait, cache_size=cache_size,
                         hold=hold, share_results=share_results)
    wake = threading.Event()
    visitors = _Visitors()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        ready = threading.Event()
        helpers: list[threading.Thread] = []
        if warm:
            helpers.append(threading.Thread(
                target=_keep_warm, args=(gate, stop, ready, visitors.busy, settle),
                name="salesmetrics-warm", daemon=True))
            helpers[-1].start()
            await _look_through_routes(app)  # Python's work, beside DuckDB's for the dashboard
            # Uvicorn opens the port after this: nobody can ask before the default view is ready.
            await asyncio.get_running_loop().run_in_executor(None, ready.wait, ready_wait)
        if schedules:
            helpers.append(threading.Thread(
                target=_run_schedules, args=(gate, stop, wake, interval),
                name="salesmetrics-schedules", daemon=True))
            helpers[-1].start()
        if on_ready is not None:
            on_ready()
        yield
        stop.set()
        wake.set()
        # Each looks at ``stop`` between two questions. One still in DuckDB when the process ends
        # took it down ("terminate called after throwing ..."): Ctrl+C during the warm-up at 1M deals.
        await asyncio.get_running_loop().run_in_executor(None, _join, helpers, SHUTDOWN_WAIT)
        gate.release(for_good=True)

    app = FastAPI(title="salesmetrics", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan,
                  dependencies=[Depends(deps.check_as_of)])
    app.state.gate = gate
    app.state.auth = auth.Auth(gate, session_lifetime, throttle, open_without_users)
    app.state.wake_schedules = wake  # set after an upload: alerts are checked after every import
    app.state.public_address = public_address
    # Nearest the routes: a body over the limit is refused (413) as a route reads it, before it is
    # stored; the error handlers word the answer.
    app.add_middleware(BodyLimit, max_bytes=body_limit)
    # Pages of ~80 KB of HTML go as ~10 KB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        start = time.perf_counter()
        with visitors.visit(request.url.path):
            if request.method == "POST" and not _same_origin(request):
                response = errors.json_error(403, say("cross_site", errors.reader_lang(request)), "forbidden")
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
            # Pages link static files with ?v=<version and files> (pages.static_version): a new
            # release or a changed file is a new address, so a browser may keep them for a year.
            versioned = request.query_params.get("v") == pages.static_version()
            response.headers["Cache-Control"] = ("public, max-age=31536000, immutable" if versioned
                                                 else "no-cache")
        elif "cache-control" not in response.headers:
            response.headers["Cache-Control"] = "no-cache"  # figures change with every import
        auth.finish(request, response)
        return response

    # Added last, so it runs first, before anyone is signed in or any route runs: a foreign Host is
    # refused (DNS rebinding).
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, hosts=allowed_hosts)

    errors.install(app, pages.page_error, lambda path: allowed_methods(app, path))
    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def openapi() -> dict[str, Any]:
        # Scripts sign in with a token: say so in the schema, so the docs' "Authorize" takes one.
        if app.openapi_schema is None:
            # ... and say 400 (not FastAPI's 422) for a request that cannot be read: what it gets.
            schema = api.document_errors(FastAPI.openapi(app))
            schema.setdefault("components", {})["securitySchemes"] = {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "An API token: `salesmetrics token create EMAIL` (needed once the "
                               "workspace has users)."}}
            schema["security"] = [{"bearer": []}, {}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse((STATIC / "docs.html").read_text(encoding="utf-8"))

    return app


MAX_UPLOAD_ENV = "SALESMETRICS_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 100


def upload_limit(megabytes: float | None = None) -> int:
    """The largest request body, in bytes: ``megabytes``, else $SALESMETRICS_MAX_UPLOAD_MB, else 100."""
    if megabytes is None:
        megabytes = environment.number(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD_MB, takes="megabytes",
                                       above=True)
    return int(megabytes * 1_000_000)


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


class _Visitors:
    """How many page and API requests are in flight: the background warm-up waits while any is, so
    it does not take a visitor's CPU (static files do not count)."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def busy(self) -> bool:
        return self._count > 0

    @contextmanager
    def visit(self, path: str) -> Iterator[None]:
        counted = not path.startswith("/static/")
        if counted:
            with self._lock:
                self._count += 1
        try:
            yield
        finally:
            if counted:
                with self._lock:
                    self._count -= 1


SHUTDOWN_WAIT = 30.0  # seconds the helper threads have, together, to finish when the app stops


def _join(threads: Sequence[threading.Thread], wait: float) -> None:
    deadline = time.monotonic() + wait
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


async def _look_through_routes(app: FastAPI) -> None:
    """FastAPI works out what each route of a router needs (its dependencies, its models) when a
    request first looks through the router: the first view after start took 0.6 s at 1M deals for
    that alone, the next 30 ms. A request of our own for a static file that is not there (open to
    anyone, and matched after every router) looks through them all before a visitor can ask."""
    path = "/static/-not-there"
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        pass

    try:
        await app(scope, receive, send)
    except Exception:  # only ever a head start: the first visitor's request would do the same
        log.exception("looking through the routes at start failed")


def _keep_warm(gate: WorkspaceGate, stop: threading.Event, ready: threading.Event | None = None,
               busy: Callable[[], bool] = lambda: False, settled: bool = False,
               every: float = 2.0) -> None:
    """Compute the default dashboard at start-up and again after each change of the data, so the
    first visitor after an import does not wait for it; ``ready`` is set once the first is done (or
    failed: requests will say why). Looking for a change costs a stat of the file. Then the insights
    page for the same period and the forecast page, and once a process the queries of the other
    views a visitor is likely to open next, pausing while a visitor's request is in flight.

    It asks as "everyone", which is also what an admin sees (a viewer is what it may see, not who it
    is): its answers are cached under that viewer, so only a viewer who may see everything is served
    them; reps' and managers' first views are computed when they ask."""
    warmed: int | None = None
    prepared = False
    try:
        while not stop.is_set():
            try:
                version = gate.version()
                if version != warmed:
                    start = time.perf_counter()
                    answers.warm_up(gate, Viewer.everyone())
                    log.info("dashboard for data version %d ready in %.2f s", version,
                             time.perf_counter() - start)
                    if warmed is None:  # the page's own first render: templates, number formats
                        pages.compile_templates()
                        if settled:
                            settle()
                    if ready is not None:
                        ready.set()
                    while busy() and not stop.is_set():  # a visitor first
                        time.sleep(0.05)
                    answers.warm_next(gate, Viewer.everyone(), stop.is_set)
                    warmed = version
                if not prepared:  # compiled SQL outlives data versions: once a process is enough
                    start = time.perf_counter()
                    views = answers.prepare_queries(gate, Viewer.everyone(), stop.is_set, busy)
                    log.info("queries of %d views compiled in %.2f s", views, time.perf_counter() - start)
                    prepared = True
                    if settled:  # Ibis, imported to compile, and the kept SQL stay as long
                        while busy() and not stop.is_set():  # a full collection holds every thread
                            time.sleep(0.05)
                        settle()
            except WorkspaceError as exc:  # busy or missing: try again later; requests will say so
                log.info("warm-up postponed: %s", exc)
                if ready is not None:
                    ready.set()
            except Exception:
                log.exception("warm-up failed")
                return
            stop.wait(every)
    finally:
        if ready is not None:
            ready.set()


def _schedule_interval() -> float:
    # At least a second: 0 would ask the workspace in a busy loop. Less is refused, as README says,
    # never raised to 1 without a word.
    return environment.number("SALESMETRICS_SCHEDULE_INTERVAL", 60, takes="seconds_1", minimum=1.0)


def _run_schedules(gate: WorkspaceGate, stop: threading.Event, wake: threading.Event,
                   every: float) -> None:
    """Send the digests that fall due and tell alerts' changes, as `schedule run-due` does: claims
    are taken in the workspace, so this and a cron job never both send one. Looking for work costs
    a read; claiming and recording take the gate's writer's turn for a moment each."""
    from ..digest.schedules import occasion_text
    from ..documents.deliver import UNJUDGED, Mailer, run_due

    own = gate.in_background()  # a round a minute must not keep the file open for good
    # Why each alert cannot be judged, as last logged: said once, and again when it changes, not
    # every round (a line a minute per alert without a target).
    unjudged: dict[str, str] = {}
    while not stop.is_set():
        try:
            with own.reading() as ws:
                work = bool(ws.list_schedules() or ws.list_alerts())
            if work:
                outcomes = run_due(own, Mailer())
                for outcome in outcomes:
                    level = logging.WARNING if outcome.failed else logging.INFO
                    if outcome.status == UNJUDGED and unjudged.get(outcome.name) == outcome.detail:
                        level = logging.DEBUG
                    log.log(level, "%s %s (%s): %s %s", outcome.kind, outcome.name,
                            occasion_text(outcome.occasion), outcome.status, outcome.detail)
                unjudged = {o.name: o.detail for o in outcomes if o.status == UNJUDGED}
        except WorkspaceError as exc:  # busy or missing: the next round tries again
            log.info("schedules postponed: %s", exc)
        except Exception:
            log.exception("running schedules failed")
        wake.wait(every)
        wake.clear()


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method a route of ``app`` answers at ``path`` (GET, PUT and DELETE at /api/v1/targets),
    in a fixed order: the ``Allow`` of a 405."""
    found: set[str] = set()
    for route in routes_of(app):
        if route.methods and compile_path(route.path)[0].match(path):
            found |= set(route.methods)
    return [m for m in METHODS if m in found]


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
