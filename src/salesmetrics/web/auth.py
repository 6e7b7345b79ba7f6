"""Who is asking, for every request: a signed session cookie (pages) or ``Authorization: Bearer``
(the API), checked before any route runs; and the forms' CSRF tokens, sign-in throttling, and the
sign-in and sign-out pages.

A workspace without users needs no sign-in (the server then answers only where it was started for:
loopback, or ``--no-login``). Once it has a user, every page and API route needs a session or a
token, except ``/login``, ``/static/`` and ``/health``: without one the API answers 401 and pages
send the browser to ``/login``. What the one asking may then see is decided by their
:class:`~salesmetrics.access.Viewer` in the core, never here.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..access import Viewer
from ..accounts import SESSION_LIFETIME, Snapshot, Throttle, User, csrf_token, utc_now
from ..errors import WorkspaceBusyError, WorkspaceError
from ..text.errors import say
from .errors import Refused, json_error, reader_lang, wants_json
from .gate import WorkspaceGate

SESSION_COOKIE = "sm_session"
NONCE_COOKIE = "sm_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
# What may be asked without signing in: the sign-in page, the files pages load, a health check.
OPEN_PATHS = ("/login", "/health", "/favicon.ico")
OPEN_PREFIXES = ("/static/",)
TOKEN_TOUCH_SECONDS = 60  # how fresh a token's "last used" is kept (each update writes the file)

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Identity:
    """The one asking: their viewer, and how they proved who they are."""

    viewer: Viewer
    user: User | None = None
    session_id: str | None = None
    token_id: str | None = None
    accounts: bool = False  # whether the workspace has users at all

    @property
    def signed_in(self) -> bool:
        return self.user is not None


NOBODY = Identity(Viewer.everyone())  # a workspace without users: everyone sees everything
# Not signed in, where there are users: sees no record and may change nothing (only open paths
# answer such a request at all).
STRANGER = Identity(Viewer("not signed in", rep_ids=frozenset(), role="rep"), accounts=True)


class Auth:
    """What the server keeps about sign-ins between requests."""

    def __init__(self, gate: WorkspaceGate, session_lifetime: timedelta = SESSION_LIFETIME,
                 throttle: Throttle | None = None, open_without_users: bool = True) -> None:
        self.gate = gate
        # Whether a workspace without users is served to anyone: only where the server was started
        # for that (loopback, or --no-login). Started for people who sign in on an address others
        # reach, removing the last user must not open every figure, and writes, to anyone.
        self.open_without_users = open_without_users
        self.session_lifetime = session_lifetime
        self.throttle = throttle or Throttle()
        # Forms of a workspace without users are signed with a key of this process's own.
        self.local_key = secrets.token_bytes(32)
        self._touched: dict[str, float] = {}

    def key(self, snapshot: Snapshot) -> bytes:
        return snapshot.key or self.local_key


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def client_of(request: Request) -> str:
    # Behind a reverse proxy on this machine, `serve --proxy` has uvicorn take it from X-Forwarded-For.
    return request.client.host if request.client else "unknown"


def identify(request: Request, snapshot: Snapshot) -> Identity:
    if not snapshot.has_users:
        return NOBODY
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        found = snapshot.token(credentials.strip())
        if found is None:
            return STRANGER
        token, user = found
        return Identity(snapshot.viewer(user), user, token_id=token.token_id, accounts=True)
    session = snapshot.session(request.cookies.get(SESSION_COOKIE), utc_now())
    if session is None:
        return STRANGER
    session_id, user = session
    return Identity(snapshot.viewer(user), user, session_id=session_id, accounts=True)


async def authenticate(request: Request) -> Response | None:
    """Say who is asking (``request.state.identity``); a response instead when they must sign in."""
    auth: Auth = request.app.state.auth
    try:
        snapshot = await run_in_threadpool(auth.gate.accounts)
    except WorkspaceError:
        # Busy or missing: the route meets the same error and says it (a page, or JSON 503); until
        # then the request is one that sees nothing and may change nothing.
        request.state.identity, request.state.snapshot = STRANGER, None
        return None
    if not snapshot.has_users and not auth.open_without_users and not is_open(request.url.path):
        request.state.identity, request.state.snapshot = STRANGER, snapshot
        lang = reader_lang(request)
        said = say("no_users", lang)
        if wants_json(request):
            return json_error(503, said, "no_users")
        return HTMLResponse(f"<!doctype html><html lang=\"{lang}\"><meta charset=\"utf-8\">"
                            f"<title>salesmetrics</title><p>{escape(said)}</p></html>", status_code=503)
    identity = identify(request, snapshot)
    request.state.identity, request.state.snapshot = identity, snapshot
    if not identity.accounts or identity.signed_in or is_open(request.url.path):
        if identity.token_id is not None:
            await run_in_threadpool(_touch, auth, snapshot, identity.token_id)
        return None
    if wants_json(request):
        response = json_error(401, say("sign_in_first", reader_lang(request)), "unauthorized")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _touch(auth: Auth, snapshot: Snapshot, token_id: str) -> None:
    """Note when a token was used ("token list"), at most once a minute: each note writes the file.
    Best effort: only while nothing reads or writes the file, so no dashboard answer gives way to it
    (a busy server notes it at the first request that finds the file free)."""
    import time

    now = time.monotonic()
    token = snapshot.tokens.get(token_id)
    last = auth._touched.get(token_id)
    if last is not None and now - last < TOKEN_TOUCH_SECONDS:
        return
    seen = token.last_used_at if token else None
    if seen is not None and (utc_now() - seen).total_seconds() < TOKEN_TOUCH_SECONDS:
        return
    auth._touched[token_id] = now
    try:
        with auth.gate.writing_if_free() as ws:
            ws.accounts.token_used(token_id, utc_now())
    except WorkspaceError:
        del auth._touched[token_id]


def identity_of(request: Request) -> Identity:
    found: Identity | None = getattr(request.state, "identity", None)
    if found is None:  # every request passes authenticate(); a request that did not sees nothing
        return STRANGER
    return found


# -- forms ----------------------------------------------------------------------------------------
def nonce_of(request: Request) -> str:
    """The browser's CSRF nonce (a cookie); a new one is made, and set on the way out, if it has none."""
    nonce = request.cookies.get(NONCE_COOKIE) or getattr(request.state, "new_nonce", None)
    if not nonce:
        nonce = request.state.new_nonce = secrets.token_urlsafe(32)
    return str(nonce)


def form_token(request: Request) -> str:
    """The hidden ``csrf`` field of every form on this page."""
    auth: Auth = request.app.state.auth
    snapshot: Snapshot | None = getattr(request.state, "snapshot", None)
    key = auth.key(snapshot) if snapshot is not None else auth.local_key
    return csrf_token(key, nonce_of(request), identity_of(request).session_id)


def csrf_ok(request: Request, given: str | None) -> bool:
    nonce = request.cookies.get(NONCE_COOKIE)
    if not nonce or not given:
        return False
    return secrets.compare_digest(given, form_token(request))


def needs_csrf(request: Request) -> bool:
    """Forms always carry a token; an API call needs one only when a browser's session cookie is
    what signs it in (a script with a token, or with no accounts at all, sends no cookie)."""
    identity = identity_of(request)
    if identity.token_id is not None:
        return False
    return not request.url.path.startswith("/api/") or identity.session_id is not None


async def check_csrf(request: Request) -> None:
    """Refuse a form posted without this browser's token: another site's page cannot read it."""
    if not needs_csrf(request):
        return
    given = request.headers.get(CSRF_HEADER)
    kind = request.headers.get("content-type", "")
    if given is None and kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not csrf_ok(request, given):
        raise Refused(403, "form_stale")


def finish(request: Request, response: Response) -> None:
    """Set the cookies a request decided on (a new CSRF nonce)."""
    new = getattr(request.state, "new_nonce", None)
    if new and not request.cookies.get(NONCE_COOKIE):
        response.set_cookie(NONCE_COOKIE, new, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")


# A probe's answer is kept this long: opening the file for every call is work anyone could ask for.
HEALTH_KEPT = 1.0


@router.api_route("/health", methods=["GET", "HEAD"])  # HEAD: what uptime monitors send
def health(request: Request) -> Response:
    """For a load balancer or a monitor: whether the workspace can be read now. Needs no sign-in and
    says nothing about the records. ``busy`` (503) while an import is written: to retry, not to
    restart the server for."""
    from ..decimal_json import dumps

    auth: Auth = request.app.state.auth
    kept = getattr(request.app.state, "health", None)
    if kept is None or time.monotonic() - kept[0] > HEALTH_KEPT:
        kept = (time.monotonic(), _health(auth))
        request.app.state.health = kept
    status = kept[1]
    if status != "ok":
        # Every 503 says when to ask again (an import's write is usually done by then).
        return Response(dumps({"status": status}), status_code=503, media_type="application/json",
                        headers={"Retry-After": "2"})
    return Response(dumps({"status": "ok"}), media_type="application/json")


def _health(auth: Auth) -> str:
    try:
        auth.gate.version()
        # Opened too, as an answer is: the version alone said "ok" while another process held the
        # file for writing and every page answered 503 (a tester).
        with auth.gate.reading(holds=False, wait=0.5):
            pass
    except WorkspaceBusyError:
        return "busy"
    except WorkspaceError:
        return "unavailable"
    return "ok"


def context(request: Request) -> dict[str, Any]:
    """What every page's frame shows of the one signed in."""
    identity = identity_of(request)
    return {"csrf": form_token(request), "user": identity.user, "accounts": identity.accounts,
            "may_write": identity.viewer.may_write, "sees": _sees(identity.viewer),
            # Comparing takes two to compare: a rep, who sees their own figures only, had a
            # Compare page offering nothing to set them against (the dashboard tester).
            "compares": identity.viewer.rep_ids is None or len(identity.viewer.rep_ids) > 1}


def _sees(viewer: Viewer) -> tuple[str, str] | None:
    """What the header says the viewer sees, as a text key and the teams: every figure is of that
    much (a rep's row "by team" holds their own deals only). None: everything."""
    if viewer.rep_ids is not None:
        return "sees_own", ""
    if viewer.teams is not None:
        return ("sees_team" if len(viewer.teams) == 1 else "sees_teams"), ", ".join(sorted(viewer.teams))
    return None
