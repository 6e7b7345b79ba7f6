"""Accounts on the web: every route of the app, asked by every role and by nobody, answers with the
status its role earns and never shows a rep's answer to anyone who may not see that rep; and sign-in
itself (sessions that expire, tokens that are revoked, CSRF, throttling, security headers)."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

import salesmetrics.accounts as accounts_module
from accountsdata import ADMIN, MANAGER, ME, PASSWORD, REP, SURNAMES, TEAMS, make_workspace, markers
from helpers import Cli, form_token
from salesmetrics import Workspace
from salesmetrics.accounts import Throttle
from salesmetrics.web.app import create_app, routes_of

PERIOD = "2026-10"
# What each route is asked with, besides ?period= (any route ignores what it does not take).
PARAMS: dict[str, dict[str, str | list[str]]] = {
    "/api/v1/records": {"kpi": "total_revenue"},
    "/api/v1/records.csv": {"kpi": "total_revenue"},
    "/drill": {"kpi": "total_revenue"},
    "/compare": {"team": ["north", "south"]},
    "/api/v1/compare": {"team": ["north", "south"]},
}
# Comparing two teams: a rep or a manager sees one of them, and is told the other is none they know.
PARTLY_SEEN = {"/compare", "/api/v1/compare"}
OPEN = {"/login", "/health", "/favicon.ico"}
ADMIN_ONLY = {"/upload", "/audit"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("accounts") / "team.duckdb")


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf": form_token(page.text), "next": "/"}, follow_redirects=False)


@pytest.fixture(scope="module")
def clients(db: Path) -> Iterator[dict[str, TestClient]]:
    """A browser per role, signed in; "nobody" is not; "script" carries the rep's API token."""
    app = create_app(db, warm=False)
    with Workspace.open(db) as ws:
        _, token = ws.accounts.create_token(REP, "walk")
    out: dict[str, TestClient] = {}
    for role in ("nobody", "rep", "script", "manager", "admin"):
        client = TestClient(app, base_url="http://127.0.0.1:8000")
        client.__enter__()
        if role in ("rep", "manager", "admin"):
            email = {"rep": REP, "manager": MANAGER, "admin": ADMIN}[role]
            assert sign_in(client, email).status_code == 303
        if role == "script":
            client.headers["Authorization"] = f"Bearer {token}"
        out[role] = client
    yield out
    for client in out.values():
        client.__exit__(None, None, None)


def _hidden(role: str) -> list[str]:
    """The reps whose ids, names and records ``role`` must never be shown."""
    if role in ("rep", "script"):
        return [r for r in SURNAMES if r != ME]
    if role == "manager":
        return [r for r in SURNAMES if TEAMS[r] != "north"]
    return []


def _expected(role: str, path: str) -> set[int]:
    if path in OPEN:
        return {200, 303, 404}  # /login sends a signed-in browser on; there is no /favicon.ico
    if role == "nobody":
        return {401} if path.startswith("/api/") or path == "/openapi.json" else {303}
    if path in ADMIN_ONLY and role != "admin":
        return {403}
    if path in PARTLY_SEEN and role != "admin":
        return {200, 400}
    return {200}


def _url(route: APIRoute | Route) -> str:
    return route.path.replace("{rep}", ME)


def test_every_route_for_every_role_shows_only_what_the_role_may_see(
        clients: dict[str, TestClient], db: Path) -> None:
    routes = [r for r in routes_of(clients["admin"].app) if "GET" in (r.methods or set())]  # type: ignore[arg-type]
    paths = {r.path for r in routes}
    assert len(routes) > 25 and {"/", "/api/v1/dashboard", "/reps/{rep}", "/audit"} <= paths
    secrets = _secrets(db)
    for role, client in clients.items():
        for route in routes:
            url = _url(route)
            r = client.get(url, params={"period": PERIOD, **PARAMS.get(route.path, {})},
                           follow_redirects=False)
            assert r.status_code in _expected(role, route.path), (role, url, r.status_code, r.text[:300])
            if role == "nobody" and r.status_code == 303:
                assert r.headers["location"].startswith("/login?next=")
            if role == "nobody" and r.status_code == 401:
                assert r.json()["error"]["type"] == "unauthorized"
            text = html.unescape(r.text)
            for rep in _hidden(role):
                for marker in markers(rep):
                    assert marker.lower() not in text.lower(), (role, url, marker)
            for secret in secrets:
                assert secret not in text, (role, url, "a credential")
    # The walk saw real answers: the rep's own figure and name, the admin's everyone.
    rep_dash = clients["rep"].get("/api/v1/dashboard", params={"period": PERIOD}).json()
    assert [t["value"] for t in rep_dash["tiles"] if t["kpi"] == "total_revenue"] == [1000.0]
    assert [line["rep"] for line in rep_dash["reps"]] == [ME]
    admin_dash = clients["admin"].get("/api/v1/dashboard", params={"period": PERIOD}).json()
    assert {line["rep"] for line in admin_dash["reps"]} == set(SURNAMES)


def _secrets(db: Path) -> list[str]:
    """What must never leave the server: password hashes, stored token and session hashes, the key."""
    with Workspace.open(db, read_only=True) as ws:
        con = ws.connection
        found = [r[0] for r in con.execute("SELECT password_hash FROM users").fetchall()]
        found += [r[0] for r in con.execute("SELECT token_hash FROM api_tokens").fetchall()]
        found += [r[0] for r in con.execute("SELECT id_hash FROM sessions").fetchall()]
        found += [r[0] for r in con.execute("SELECT value FROM auth_secret").fetchall()]
    return [*found, "$argon2id$", PASSWORD]


def test_a_rep_finds_only_their_own_rows_and_no_one_elses_name_in_a_refusal(
        clients: dict[str, TestClient]) -> None:
    rep = clients["rep"]
    report = rep.get("/api/v1/report", params={"period": PERIOD, "by": "rep,team",
                                                "kpi": "total_revenue,win_rate"}).json()
    assert {(r["kpi"], r["rep"], r["team"], r["value"]) for r in report["rows"]} == {
        ("total_revenue", ME, "north", 1000.0), ("win_rate", ME, "north", 0.5)}
    # A colleague is no value this rep can filter by, and the refusal suggests only their own.
    refused = rep.get("/api/v1/report", params={"period": PERIOD, "rep": "Bartholomew"})
    assert refused.status_code == 400
    assert refused.json()["error"]["suggestions"] == []
    assert "Nkemelu" not in refused.text and "xqnkemelu" not in refused.text
    typo = rep.get("/api/v1/report", params={"period": PERIOD, "team": "sout"}).json()["error"]
    assert "south" not in str(typo)
    other = rep.get("/api/v1/reps/xqnkemelu/scorecard", params={"period": PERIOD})
    assert other.status_code == 404 and "Bartholomew" not in other.text
    assert rep.get("/reps/xqferrandiz", params={"period": PERIOD}).status_code == 404
    # The scorecard sets the rep beside the team's median (three reps), and names none of them.
    card = rep.get(f"/api/v1/reps/{ME}/scorecard", params={"period": PERIOD}).json()
    revenue = next(k for k in card["kpis"] if k["kpi"] == "total_revenue")
    assert revenue["value"] == 1000.0 and revenue["team_median"] == 1000.0 and revenue["compared"] == 3
    activity = next(k for k in card["kpis"] if k["kpi"] == "activity_count")
    assert activity["team_median"] == 2 and activity["compared"] == 3  # 3, 2, 1
    peers = rep.get(f"/api/v1/reps/{ME}", params={"period": PERIOD}).json()
    assert peers["team_reps"] == [ME]
    # Their own target, not a colleague's, the team's or the company's.
    assert [(t["scope"], t["scope_id"]) for t in rep.get("/api/v1/targets").json()] == [("rep", ME)]
    tile = next(t for t in rep.get("/api/v1/dashboard", params={"period": PERIOD}).json()["tiles"]
                if t["kpi"] == "total_revenue")
    assert tile["target"] == 1500.0  # an unfiltered figure of a rep is theirs


def test_a_manager_sees_their_teams_and_the_company_only_as_their_sum(clients: dict[str, TestClient]) -> None:
    lead = clients["manager"]
    revenue = lead.get("/api/v1/report", params={"period": PERIOD, "kpi": "total_revenue"}).json()
    assert revenue["rows"][0]["value"] == 4200.0  # north alone: 1000 + 2000 + 500 + 700
    assert revenue["rows"][0]["target"] is None  # the company's 9000 is not theirs to meet
    by_rep = lead.get("/api/v1/report", params={"period": PERIOD, "kpi": "total_revenue", "by": "rep"}).json()
    assert {r["rep"]: r["value"] for r in by_rep["rows"]} == {
        "xqvorhaus": 1000.0, "xqnkemelu": 2500.0, "xqtrapani": 700.0}
    assert sorted((t["scope"], t["scope_id"]) for t in lead.get("/api/v1/targets").json()) == [
        ("rep", "xqnkemelu"), ("rep", "xqvorhaus")]
    assert lead.get("/api/v1/workspace").json()["counts"]["deals"] == 7
    assert clients["admin"].get("/api/v1/workspace").json()["counts"]["deals"] == 9


def test_writes_are_for_admins(clients: dict[str, TestClient]) -> None:
    deals = (b"deal_id,rep_id,created_at,closed_at,status,amount\n"
             b"dl-new,xqvorhaus,2026-10-01,2026-10-02,won,5.00\n")
    for role in ("rep", "script", "manager"):
        r = clients[role].post("/api/v1/import", files=[("files", ("deals.csv", deals, "text/csv"))])
        assert r.status_code == 403 and r.json()["error"]["type"] == "forbidden", role
    assert clients["nobody"].post("/api/v1/import", files=[("files", ("deals.csv", deals, "text/csv"))]
                                  ).status_code == 401


def test_signing_out_ends_the_session(db: Path) -> None:
    with TestClient(create_app(db, warm=False)) as client:
        assert sign_in(client, MANAGER).status_code == 303
        page = client.get("/", params={"period": PERIOD})
        assert page.status_code == 200 and "Signed in as north.lead@example.com" in page.text
        cookie = client.cookies["sm_session"]
        # Without the page's token a sign-out is refused (another site cannot sign anyone out).
        assert client.post("/logout", follow_redirects=False).status_code == 403
        out = client.post("/logout", data={"csrf": form_token(page.text)}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
        # The old cookie is worth nothing now: the session is gone from the workspace.
        client.cookies.set("sm_session", cookie)
        assert client.get("/api/v1/kpis").status_code == 401


def test_a_session_expires(db: Path) -> None:
    app = create_app(db, warm=False, session_lifetime=timedelta(seconds=1))
    with TestClient(app) as client:
        r = sign_in(client, REP)
        assert "Max-Age=1" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
        assert "samesite=lax" in r.headers["set-cookie"].lower()
        assert "secure" not in r.headers["set-cookie"].lower()  # plain HTTP here
        assert client.get("/api/v1/kpis").status_code == 200
        time.sleep(1.2)
        client.cookies.set("sm_session", r.cookies["sm_session"])  # a browser would have dropped it
        assert client.get("/api/v1/kpis").status_code == 401
        assert client.get("/", follow_redirects=False).status_code == 303


def test_cookies_are_secure_over_https(db: Path) -> None:
    with TestClient(create_app(db, warm=False), base_url="https://sales.example") as client:
        r = sign_in(client, REP)
        assert r.status_code == 303 and "; secure" in r.headers["set-cookie"].lower()


def test_a_forged_sign_in_is_refused(db: Path) -> None:
    with TestClient(create_app(db, warm=False)) as client:
        client.get("/login")
        forged = client.post("/login", data={"email": REP, "password": PASSWORD, "csrf": "made-up"},
                             follow_redirects=False)
        assert forged.status_code == 403 and "sm_session" not in forged.headers.get("set-cookie", "")
        other_site = client.post("/login", headers={"Origin": "https://evil.example"}, data={
            "email": REP, "password": PASSWORD, "csrf": form_token(client.get("/login").text)})
        assert other_site.status_code == 403


def test_a_revoked_token_is_refused(db: Path, tmp_path: Path) -> None:
    cli = Cli(db)
    made = cli("token", "create", MANAGER, "--name", "nightly").stdout
    token = made.strip().splitlines()[-1].split()[-1]
    token_id = token.split("_")[1]
    with TestClient(create_app(db, warm=False)) as client:
        auth = {"Authorization": f"Bearer {token}"}
        r = client.get("/api/v1/report", params={"period": PERIOD, "kpi": "total_revenue"}, headers=auth)
        assert r.status_code == 200 and r.json()["rows"][0]["value"] == 4200.0
        listed = {t["id"]: t for t in json.loads(cli("token", "list", "--format", "json").stdout)}
        assert listed[token_id]["last_used_at"] is not None and listed[token_id]["name"] == "nightly"
        cli("token", "revoke", token_id)
        r = client.get("/api/v1/report", params={"period": PERIOD}, headers=auth)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert client.get("/api/v1/kpis", headers={"Authorization": "Bearer smt_x_y"}).status_code == 401


def test_failed_sign_ins_are_throttled_per_account_and_per_client(db: Path) -> None:
    now = [1000.0]
    app = create_app(db, warm=False, throttle=Throttle(limit=10, window=300, lockout=900,
                                                       clock=lambda: now[0]))
    with TestClient(app, client=("198.51.100.1", 40000)) as a, \
            TestClient(app, client=("198.51.100.2", 40000)) as b, \
            TestClient(app, client=("198.51.100.3", 40000)) as c:
        for _ in range(10):
            assert sign_in(a, REP, "wrong password!").status_code == 401
        # The 11th attempt is refused before the password is looked at: the right one too.
        locked = sign_in(a, REP)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 800
        assert "Too many failed sign-ins" in html.unescape(locked.text)
        assert sign_in(b, REP).status_code == 429  # the account is locked, from anywhere
        assert sign_in(a, MANAGER).status_code == 429  # and the client, for any account
        assert sign_in(b, MANAGER).status_code == 303  # others are not
        # One client trying many accounts is locked out as well.
        for i in range(10):
            assert sign_in(c, f"guess{i}@example.com", "guess guess guess").status_code == 401
        assert sign_in(c, ADMIN).status_code == 429
        now[0] += 901  # "for a while": then the right password works again
        assert sign_in(a, REP).status_code == 303


def test_an_unknown_email_costs_the_same_argon2_work(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = accounts_module.HASHER

    class Spy:
        def verify(self, hashed: str, password: str) -> bool:
            calls.append(hashed)
            return real.verify(hashed, password)

        def hash(self, password: str) -> str:
            return real.hash(password)

    monkeypatch.setattr(accounts_module, "HASHER", Spy())
    with TestClient(create_app(db, warm=False)) as client:
        assert sign_in(client, "nobody@example.com").status_code == 401
        assert sign_in(client, REP, "wrong password!").status_code == 401
    assert len(calls) == 2 and all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") for h in calls)


def test_security_headers_on_every_response(db: Path, clients: dict[str, TestClient]) -> None:
    nobody, rep = clients["nobody"], clients["rep"]
    answers = [nobody.get("/", follow_redirects=False), nobody.get("/api/v1/report"), nobody.get("/login"),
               nobody.get("/health"), nobody.get("/static/style.css"), rep.get("/nowhere"),
               rep.get("/api/v1/report", params={"period": "nonsense"}), rep.get("/upload"),
               rep.get("/", params={"period": PERIOD}), rep.get("/docs"), nobody.post("/logout")]
    for r in answers:
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, r.url
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_no_template_holds_inline_script() -> None:
    folder = Path(accounts_module.__file__).parent / "web" / "templates"
    for page in folder.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), page.name
        assert not re.search(r"\son[a-z]+\s*=", text), page.name
        assert "javascript:" not in text, page.name


def test_the_sign_in_page_offers_nothing_else(clients: dict[str, TestClient]) -> None:
    page = clients["nobody"].get("/login").text
    assert 'href="/upload"' not in page and 'href="/audit"' not in page and 'action="/logout"' not in page
    admin = clients["admin"].get("/", params={"period": PERIOD}).text
    assert 'href="/upload"' in admin and 'href="/audit"' in admin and 'action="/logout"' in admin
    rep = clients["rep"].get("/", params={"period": PERIOD}).text
    assert 'href="/upload"' not in rep and 'href="/audit"' not in rep and 'action="/logout"' in rep


def test_every_form_carries_a_csrf_token(clients: dict[str, TestClient]) -> None:
    pages = [clients["nobody"].get("/login").text, clients["admin"].get("/upload").text,
             clients["rep"].get("/", params={"period": PERIOD}).text]
    for page in pages:
        posting = re.findall(r"<form[^>]*method=\"post\".*?</form>", page, re.S)
        assert posting
        assert all('name="csrf"' in form for form in posting)


def test_the_audit_log_names_who_did_what(db: Path, clients: dict[str, TestClient]) -> None:
    page = clients["admin"].get("/audit")
    assert page.status_code == 200
    assert "login" in page.text and ADMIN in page.text and "user_add" in page.text
    assert PASSWORD not in page.text and "$argon2" not in page.text
    assert clients["manager"].get("/audit").status_code == 403


def test_an_admin_imports_with_a_token_or_with_the_sessions_csrf_token(tmp_path: Path) -> None:
    db = make_workspace(tmp_path / "team.duckdb")
    with Workspace.open(db) as ws:
        _, token = ws.accounts.create_token(ADMIN, "loader")

    def deals(n: int) -> list[tuple[str, tuple[str, bytes, str]]]:
        body = (f"deal_id,rep_id,created_at,closed_at,status,amount\n"
                f"dl-xqvorhaus-{n},xqvorhaus,2026-10-01,2026-10-02,won,5.00\n").encode()
        return [("files", ("deals.csv", body, "text/csv"))]

    with TestClient(create_app(db, warm=False)) as client:
        scripted = client.post("/api/v1/import", files=deals(7), headers={"Authorization": f"Bearer {token}"})
        assert scripted.status_code == 200 and scripted.json()["tables"]["deals"]["inserted"] == 1
        assert sign_in(client, ADMIN).status_code == 303
        # A browser's session alone does not sign a write: the page's token must come with it.
        assert client.post("/api/v1/import", files=deals(8)).status_code == 403
        page = client.get("/upload").text
        ok = client.post("/api/v1/import", files=deals(8), headers={"X-CSRF-Token": form_token(page)})
        assert ok.status_code == 200, ok.text
    with Workspace.open(db, read_only=True) as ws:
        log = ws.accounts.audit_log(10)
    imports = [(e.actor, e.client) for e in log if e.action == "import"]
    assert imports[:2] == [(ADMIN, "testclient"), (ADMIN, "testclient")]
    assert [e.action for e in log][:2] == ["import", "login"]
