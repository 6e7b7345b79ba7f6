"""Accounts on the web: every route of the app, asked by every role and by nobody, answers with the
status its role earns and never shows a rep's answer to anyone who may not see that rep; and sign-in
itself (sessions that expire, tokens that are revoked, CSRF, throttling, security headers)."""

from __future__ import annotations

import html
import io
import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

import salesmetrics.accounts as accounts_module
from accountsdata import (
    ADMIN,
    COACHING,
    MANAGER,
    ME,
    PASSWORD,
    PLAYBOOK,
    REP,
    SURNAMES,
    TEAMS,
    make_workspace,
    markers,
)
from helpers import Cli, form_token
from salesmetrics import Viewer, Workspace
from salesmetrics.accounts import Throttle
from salesmetrics.web.app import create_app, routes_of
from salesmetrics.web.i18n import COOKIE as LANG_COOKIE

PERIOD = "2026-10"
# What each route is asked with, besides ?period= (a page ignores what it does not take; an API route
# refuses it, so it is asked only with what it takes: _params).
PARAMS: dict[str, dict[str, str | list[str]]] = {
    "/api/v1/records": {"kpi": "total_revenue"},
    "/api/v1/records.csv": {"kpi": "total_revenue"},
    "/api/v1/records.xlsx": {"kpi": "total_revenue"},
    "/drill": {"kpi": "total_revenue"},
    "/compare": {"team": ["north", "south"]},
    "/api/v1/compare": {"team": ["north", "south"]},
    # Mid-October, so the forecast has open deals of every kind; the bar's deals listed; by rep.
    "/forecast": {"as_of": "2026-10-15", "by": "rep", "bar": "commit"},
    "/api/v1/forecast": {"as_of": "2026-10-15", "by": "rep"},
    # The quarter October is in is the last before this as-of: what was forecast for it mid-way.
    "/api/v1/forecast/accuracy": {"as_of": "2027-01-15", "by": "rep"},
    "/api/v1/losses": {"by": "rep"},
    # Discovery coaching measured over a week each side, as of a day after both windows.
    "/programs": {"window": "7", "as_of": "2026-10-31"},
    "/api/v1/programs/{program}/effect": {"window": "7", "as_of": "2026-10-31"},
}
# Comparing two teams: a rep or a manager sees one of them, and is told the other is none they know.
PARTLY_SEEN = {"/compare", "/api/v1/compare"}
OPEN = {"/login", "/health", "/favicon.ico"}
ADMIN_ONLY = {"/upload", "/audit", "/api/v1/schedules", "/api/v1/alerts"}  # who gets what: the admin's


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("accounts") / "team.duckdb", forecast=True)


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


def _readable(r: Any) -> str:
    """The text a person reads in the answer: a workbook's cells and a PDF's text, not their
    compressed bytes (where a name would not be found)."""
    kind = r.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    return html.unescape(r.text)


def _url(route: APIRoute | Route) -> str:
    return route.path.replace("{rep}", ME).replace("{program}", COACHING)


def _taken(dependant: Any) -> set[str]:
    """The query parameters a route (and its dependencies) declares, by the name a request uses."""
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _taken(sub)
    return names


def _params(route: APIRoute | Route) -> dict[str, str | list[str]]:
    """?period= and the route's PARAMS; for an API route only those it takes (it refuses the rest
    with 400 unknown_parameter)."""
    params: dict[str, str | list[str]] = {"period": PERIOD, **PARAMS.get(route.path, {})}
    if isinstance(route, APIRoute) and route.path.startswith("/api/"):
        params = {k: v for k, v in params.items() if k in _taken(route.dependant)}
    return params


def test_every_route_for_every_role_shows_only_what_the_role_may_see(
        clients: dict[str, TestClient], db: Path) -> None:
    routes = [r for r in routes_of(clients["admin"].app) if "GET" in (r.methods or set())]  # type: ignore[arg-type]
    paths = {r.path for r in routes}
    assert len(routes) > 25 and {"/", "/api/v1/dashboard", "/reps/{rep}", "/audit"} <= paths
    secrets = _secrets(db)
    for role, client in clients.items():
        for route in routes:
            url = _url(route)
            r = client.get(url, params=_params(route), follow_redirects=False)
            assert r.status_code in _expected(role, route.path), (role, url, r.status_code, r.text[:300])
            if role == "nobody" and r.status_code == 303:
                assert r.headers["location"].startswith("/login?next=")
            if role == "nobody" and r.status_code == 401:
                assert r.json()["error"]["type"] == "unauthorized"
            text = _readable(r)
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


def test_an_unknown_parameter_is_refused_only_to_someone_signed_in(clients: dict[str, TestClient]) -> None:
    """Sign-in comes first: nobody learns which parameters a route takes; a signed-in rep or a token
    is told the one it does not take (and a rep may not write, however asked)."""
    params = {"period": PERIOD, "tem": "north"}
    assert clients["nobody"].get("/api/v1/report", params=params).status_code == 401
    for role in ("rep", "script", "admin"):
        r = clients[role].get("/api/v1/report", params=params)
        assert r.status_code == 400 and r.json()["error"]["parameters"] == ["tem"], role
    put = clients["rep"].put("/api/v1/targets", json={"kpi": "win_rate", "value": "0.3"})
    assert put.status_code == 403


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
    mine, whole = lead.get("/api/v1/workspace").json(), clients["admin"].get("/api/v1/workspace").json()
    assert mine["counts"]["deals"] == 8  # with Nkemelu's open one
    assert whole["counts"]["deals"] == 12
    # The mail relay's host and user are the admins' (the roles tester): the rest is everyone's.
    assert {"smtp_url", "mail_from", "base_currency"} <= set(whole["settings"])
    assert "base_currency" in mine["settings"] and not {"smtp_url", "mail_from"} & set(mine["settings"])


def test_the_company_s_targets_beside_a_filter_are_for_those_who_see_the_company(
        clients: dict[str, TestClient]) -> None:
    """Filtered to a team or a rep, the dashboard sets the company's goals beside the scope's: a rep
    and a manager filtering to their own read the company's $9,000.00 revenue target, which
    /api/v1/targets rightly does not list for them."""
    for role, params in (("rep", {"rep": ME}), ("manager", {"team": "north"}), ("admin", {"team": "north"})):
        client = clients[role]
        dash = client.get("/api/v1/dashboard", params={"period": PERIOD, **params}).json()
        page = client.get("/", params={"period": PERIOD, **params}).text
        if role == "admin":
            assert dash["company_targets"]["total_revenue"] == 9000.0
            assert "9,000.00" in page
        else:
            assert dash["company_targets"] == {}, role
            assert "9,000.00" not in page and "9000" not in page, role


def test_the_forecast_slippage_accuracy_and_losses_of_each_role(clients: dict[str, TestClient]) -> None:
    """Issue 15's answers are the viewer's: the walk above found no hidden rep in them, and here
    each role's figures are those of its own deals (accountsdata's forecast exports)."""
    def get(role: str, path: str, **params: str) -> Any:
        period = {} if path == "forecast/accuracy" else {"period": PERIOD}  # it takes no period
        r = clients[role].get(f"/api/v1/{path}", params={**period, **params})
        assert r.status_code == 200, (role, path, r.text[:300])
        return r.json()

    def total(role: str) -> tuple[Any, ...]:
        t = get(role, "forecast", as_of="2026-10-15")["total"]
        return tuple(t[k] for k in ("closed_won", "commit", "best_case", "overdue", "weighted", "quota"))

    # Everyone: 8200 won; commit Vorhaus 300 + Nkemelu 900; Ferrandiz's best case was pushed to
    # November on Oct 9 and his 600 expected Oct 10 is overdue; weighted 8200 + 150 + 540.
    assert total("admin") == (8200.0, 1200.0, 0.0, 600.0, 8890.0, 10000.0)
    assert total("manager") == (4200.0, 1200.0, 0.0, 0.0, 4890.0, 5000.0)  # north
    assert total("rep") == total("script") == (1000.0, 300.0, 0.0, 0.0, 1150.0, 2000.0)
    mine = get("rep", "forecast", as_of="2026-10-15", by="rep")
    assert [r["rep"] for r in mine["rows"]] == [ME]
    assert {d["deal_id"] for d in mine["deals"]} == {"dl-xqvorhaus-1", "dl-xqvorhaus-3"}
    assert mine["overdue"] == []
    # Slippage: the admin sees Ferrandiz's deal moved out of October, the others do not.
    moved = {role: get(role, "slippage")["moved_out"] for role in ("admin", "manager", "rep")}
    assert moved == {"admin": {"deals": 1, "amount": 1200.0}, "manager": {"deals": 0, "amount": 0.0},
                     "rep": {"deals": 0, "amount": 0.0}}
    assert [r["deal_id"] for r in get("rep", "slippage")["rows"]] == ["dl-xqvorhaus-3"]
    assert {r["deal_id"] for r in get("manager", "slippage")["rows"]} == {"dl-xqvorhaus-3", "dl-xqnkemelu-3"}
    # Accuracy of 2026-Q4, per rep (None: the viewer's total): only the reps the viewer may see.
    def accuracy(role: str) -> dict[str | None, float]:
        rows = get(role, "forecast/accuracy", as_of="2027-01-15", by="rep")["rows"]
        return {r["rep"]: r["actual"] for r in rows if r["period"]["label"] == "2026-Q4"}
    assert accuracy("admin") == {"xqvorhaus": 1000.0, "xqnkemelu": 2500.0, "xqtrapani": 700.0,
                                 "xqferrandiz": 4000.0, None: 8200.0}
    assert accuracy("manager") == {"xqvorhaus": 1000.0, "xqnkemelu": 2500.0, "xqtrapani": 700.0,
                                   None: 4200.0}
    assert accuracy("rep") == {ME: 1000.0, None: 1000.0}
    # Losses by rep: Trapani's "timing" is north's, not the rep's.
    assert {(r["rep"], r["lost_reason"]) for r in get("manager", "losses", by="rep")["rows"]} == {
        ("xqvorhaus", "price"), ("xqtrapani", "timing")}
    assert {(r["rep"], r["lost_reason"]) for r in get("rep", "losses", by="rep")["rows"]} == {(ME, "price")}
    # A hidden rep is no filter value: refused, without their name; the page's bar lists own deals.
    refused = clients["rep"].get("/api/v1/forecast", params={"period": PERIOD, "rep": "xqferrandiz"})
    assert refused.status_code == 400 and "Ferrandiz" not in refused.text
    page = clients["rep"].get("/forecast", params={"period": PERIOD, "as_of": "2026-10-15", "bar": "commit"})
    assert page.status_code == 200 and "dl-xqvorhaus-3" in page.text
    admin_page = clients["admin"].get("/forecast", params={"period": PERIOD, "as_of": "2026-10-15"})
    assert "dl-xqferrandiz-4" in admin_page.text  # overdue, listed apart: the walk's data is there


def test_the_kept_history_is_read_only_for_the_deals_a_viewer_may_see(db: Path) -> None:
    """deal_changes is scoped where every record is (salesmetrics.records), not only by the
    forecast's own join on the visible deals: a rep reads the history of their own deal alone."""
    with Workspace.open(db, read_only=True) as ws:
        def changed(viewer: Viewer) -> set[str]:
            t = ws.store.records(viewer).table("deal_changes")
            return set(t.select("deal_id").distinct().to_pyarrow().column("deal_id").to_pylist())
        assert changed(Viewer.of_rep(REP, ME)) == {f"dl-{ME}-{n}" for n in (1, 2, 3)}
        north = changed(Viewer.of_teams(MANAGER, {"north"}))
        assert north and all(TEAMS[d.split("-")[1]] == "north" for d in north)
        assert "dl-xqferrandiz-3" in changed(Viewer.everyone())


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


def test_a_token_s_last_use_is_noted_without_interrupting_a_busy_dashboard(db: Path) -> None:
    """Noting when a token was used writes the file, but it is a note that can wait: it never makes
    a reader give way (a long dashboard query answered 503) and never holds a request back. It is
    written once nothing reads."""
    import threading

    from salesmetrics.errors import WorkspaceBusyError

    cli = Cli(db)
    token = cli("token", "create", MANAGER, "--name", "nightly").stdout.strip().splitlines()[-1].split()[-1]
    token_id = token.split("_")[1]
    auth = {"Authorization": f"Bearer {token}"}
    failures: list[BaseException] = []
    with TestClient(create_app(db, warm=False)) as client:
        gate = client.app.state.gate  # type: ignore[attr-defined]

        def busy_reader() -> None:  # a dashboard answer computing for 3 s
            try:
                with gate.reading() as ws:
                    end = time.monotonic() + 3.0
                    while time.monotonic() < end:
                        ws.connection.execute("SELECT sum(hash(i)) FROM range(5000000) t(i)").fetchall()
            except (WorkspaceBusyError, Exception) as exc:  # interrupted: what the test forbids
                failures.append(exc)

        reader = threading.Thread(target=busy_reader)
        reader.start()
        time.sleep(1.3)  # open longer than a reader keeps a waiting writer out (yield_after)
        r = client.get("/api/v1/report", params={"period": PERIOD, "kpi": "total_revenue"}, headers=auth)
        assert r.status_code == 200 and r.json()["rows"][0]["value"] == 4200.0
        reader.join()
        assert failures == []
        listed = {t["id"]: t for t in json.loads(cli("token", "list", "--format", "json").stdout)}
        assert listed[token_id]["last_used_at"] is None  # the file was busy: the note waits
        # Nothing reads now: the next request notes it.
        assert client.get("/api/v1/kpis", headers=auth).status_code == 200
    listed = {t["id"]: t for t in json.loads(cli("token", "list", "--format", "json").stdout)}
    assert listed[token_id]["last_used_at"] is not None


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
    # A password in neither composed nor decomposed form is tried three ways, for anyone: two checks
    # for a known email and one for an unknown told which had accounts (review).
    calls.clear()
    with TestClient(create_app(db, warm=False)) as client:
        mixed = "A\u0308rger-Übermut-Paß-99"  # Ä decomposed, Ü composed: three forms
        assert sign_in(client, "nobody@example.com", mixed).status_code == 401
        assert sign_in(client, REP, mixed).status_code == 401
    assert len(calls) == 6


def test_security_headers_on_every_response(db: Path, clients: dict[str, TestClient]) -> None:
    nobody, rep = clients["nobody"], clients["rep"]
    answers = [nobody.get("/", follow_redirects=False), nobody.get("/api/v1/report"), nobody.get("/login"),
               nobody.get("/health"), nobody.head("/health"), nobody.get("/static/style.css"),
               rep.get("/nowhere"),
               rep.get("/api/v1/report", params={"period": "nonsense"}), rep.get("/upload"),
               rep.get("/", params={"period": PERIOD}), rep.get("/docs"), nobody.post("/logout")]
    assert answers[4].status_code == 200 and answers[4].content == b""  # HEAD: uptime monitors send it
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


def test_insights_additions_follow_the_viewer(clients: dict[str, TestClient], db: Path) -> None:
    """The win rate's won and lost, the CSV's rep names and the trend's target line are the viewer's
    own: the north manager's closed deals (4 won for 4200.00, 2 lost for 500.00) name north's reps
    only; Vorhaus's are 1 won (1000.00) and 1 lost (400.00); a trend's target is the one whose
    figure the unfiltered trend is (Vorhaus 1500, the company 9000, none for team north)."""
    from salesmetrics.access import Viewer

    csv = clients["manager"].get("/api/v1/records.csv", params={"kpi": "win_rate", "period": PERIOD})
    head, *lines = csv.text.splitlines()
    columns = head.split(",")
    at = columns.index("rep")
    assert columns[at + 1] == "rep_name" and len(lines) == 6
    assert {line.split(",")[at + 1] for line in lines} == {"Quintessa Vorhaus", "Bartholomew Nkemelu",
                                                            "Ysolde Trapani"}
    with Workspace.open(db, read_only=True) as ws:
        north = ws.records_behind("win_rate", PERIOD, viewer=Viewer.of_teams("lead", {"north"}))
    assert set(north.names["rep"]) == {"xqvorhaus", "xqnkemelu", "xqtrapani"}
    split = clients["manager"].get("/api/v1/records", params={"kpi": "win_rate", "period": PERIOD}).json()
    assert split["won_lost"]["won"] == {"deals": 4, "amount": 4200.0}
    assert split["won_lost"]["lost"]["deals"] == 2 and split["won_lost"]["lost"]["amount"] == 500.0
    mine = clients["rep"].get("/api/v1/records", params={"kpi": "win_rate", "period": PERIOD}).json()
    assert mine["won_lost"]["won"] == {"deals": 1, "amount": 1000.0}
    assert mine["won_lost"]["lost"]["amount"] == 400.0
    drill = text_of_page(clients["rep"].get("/drill", params={"kpi": "win_rate", "period": PERIOD}).text)
    assert "1,000.00" in drill and "400.00" in drill and "1,400.00" not in drill

    def target(role: str) -> Any:
        answer = clients[role].get("/api/v1/dashboard", params={"period": PERIOD, "grain": "month"}).json()
        return [point["target"] for point in answer["trend"]]
    assert target("rep") == [1500.0] and target("admin") == [9000.0] and target("manager") == [None]


def text_of_page(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
def test_a_programs_effect_is_measured_over_the_reps_the_viewer_may_see(
        clients: dict[str, TestClient]) -> None:
    """Discovery coaching (north) over a week each side (accountsdata): each viewer's effect is computed
    from the reps they may see, the comparison group too; what they see none of is refused, saying so."""
    asked = {"window": "7", "as_of": "2026-10-31", "kpi": "win_rate,activity_count"}

    def effect(role: str) -> dict[str, Any]:
        r = clients[role].get(f"/api/v1/programs/{COACHING}/effect", params=asked)
        assert r.status_code == 200, (role, r.text)
        found: dict[str, Any] = r.json()
        return found

    def rows(found: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
        return {r["kpi"]: (r["participants_before"], r["participants_after"], r["others_before"],
                           r["others_after"], r["effect"], r["n_participants"], r["n_others"], r["flags"])
                for r in found["rows"]}

    # The admin: Nkemelu and Vorhaus (Trapani closed nothing before), against Ferrandiz (south).
    admin = effect("admin")
    assert (admin["participants_measured"], admin["comparison"]["reps"]) == (
        ["xqnkemelu", "xqvorhaus"], ["xqferrandiz"])
    assert rows(admin)["activity_count"] == (0.0, 2.5, 0.0, 4.0, -1.5, 2, 1, ["small_sample"])
    # The manager of north sees no rep outside it: no comparison group, a plain before and after.
    lead = effect("manager")
    assert (lead["participants_measured"], lead["comparison"]["reps"]) == (["xqnkemelu", "xqvorhaus"], [])
    assert rows(lead)["activity_count"] == (0.0, 2.5, None, None, 2.5, 2, 0,
                                            ["no_comparison_group", "small_sample"])
    # A rep: their own change alone (won 1 of 1 before, 0 of 1 after; 0 then 3 activities).
    for role in ("rep", "script"):
        mine = effect(role)
        assert mine["participants_measured"] == [ME] and mine["program"]["participants"] == [ME]
        assert rows(mine) == {
            "win_rate": (1.0, 0.0, None, None, -1.0, 1, 0, ["no_comparison_group", "small_sample"]),
            "activity_count": (0.0, 3.0, None, None, 3.0, 1, 0, ["no_comparison_group", "small_sample"])}
    # The list names only the participants each may see.
    seen = {role: {p["program_id"]: p["participants"] for p in clients[role].get("/api/v1/programs").json()}
            for role in ("rep", "manager", "admin")}
    assert seen["rep"] == {COACHING: [ME], PLAYBOOK: []}
    assert seen["manager"] == {COACHING: ["xqnkemelu", "xqtrapani", "xqvorhaus"], PLAYBOOK: []}
    assert seen["admin"][PLAYBOOK] == ["xqferrandiz"]
    # The dashboard's trend marks a program's start only for those who see someone who took part.
    marks = {role: [m["program_id"] for m in clients[role].get("/api/v1/dashboard", params={
        "period": "2026-09"}).json()["programs"]] for role in ("rep", "manager", "admin")}
    assert marks == {"rep": [], "manager": [], "admin": [PLAYBOOK]}
    # A program of reps one may not see is refused in words, not measured over nobody.
    refused = clients["manager"].get(f"/api/v1/programs/{PLAYBOOK}/effect", params=asked)
    assert refused.status_code == 400 and refused.json()["error"]["type"] == "bad_program"
    assert "no participants you can see" in refused.json()["error"]["message"]
    page = clients["rep"].get("/programs", params={"window": "7", "as_of": "2026-10-31", "lang": "de"})
    assert page.status_code == 200
    assert "hat keine Teilnehmer, die Sie sehen können" in html.unescape(page.text)
    # Nor may a hidden rep be named as the comparison.
    hidden = clients["manager"].get(f"/api/v1/programs/{COACHING}/effect",
                                    params={**asked, "compare_with": "rep:xqferrandiz"})
    # As a hidden rep's page: no such rep.
    assert hidden.status_code == 404 and hidden.json()["error"]["type"] == "unknown_rep"
    assert "Ferrandiz" not in hidden.text and "Octavian" not in hidden.text
    # Recording or removing a program is the admin's.
    body = {"name": "Cold calling", "start_on": "2026-11-01", "reps": [ME]}
    for role in ("rep", "script", "manager"):
        assert clients[role].post("/api/v1/programs", json=body).status_code == 403, role
        assert clients[role].delete(f"/api/v1/programs/{COACHING}").status_code == 403, role


def test_the_header_says_how_much_each_viewer_sees(clients: dict[str, TestClient]) -> None:
    """Every figure of a rep is of their own records, of a manager of their teams: a rep's row
    "by team" holds their own deals under the team's name, so the frame of every page says so."""
    def header(role: str, lang: str = "en") -> str:
        page = clients[role].get("/forecast", params={"period": PERIOD, "by": "team", "lang": lang})
        assert page.status_code == 200, page.text
        return page.text.split('<form class="account"', 1)[1].split("</form>", 1)[0]

    assert '<span class="sees">(your own records only)</span>' in header("rep")
    assert '<span class="sees">(nur Ihre eigenen Datensätze)</span>' in header("rep", "de")
    assert '<span class="sees">(team north only)</span>' in header("manager")
    assert '<span class="sees">(nur Team north)</span>' in header("manager", "de")
    assert 'class="sees"' not in header("admin")


def test_a_reps_page_shows_their_targets(clients: dict[str, TestClient]) -> None:
    """The rep page showed none of the rep's targets: Vorhaus won 1,000.00 in October against his
    1,500.00, off track once October is over. His own page says so, to him and to the admin; a
    rep without a target gets no empty block."""
    for role in ("rep", "admin"):
        client = clients[role]
        remembered = client.cookies.get(LANG_COOKIE)  # ?lang= is remembered: put back after
        page = client.get(f"/reps/{ME}", params={"period": PERIOD, "lang": "en"}).text
        client.cookies.delete(LANG_COOKIE)
        if remembered is not None:
            client.cookies.set(LANG_COOKIE, remembered)
        goal = re.search(r'<li data-kpi="total_revenue" data-status="([a-z_]*)">(.*?)</li>', page, re.S)
        assert goal is not None, role
        said = " ".join(re.sub(r"<[^>]+>", " ", goal[2]).split())
        assert goal[1] == "off_track"
        assert said.startswith("Total revenue : $1,000.00 · Target $1,500.00 ✗ missed"), said
    others = [r for r in SURNAMES if r != ME and r != "xqnkemelu"]
    assert 'id="goals-h"' not in clients["admin"].get(f"/reps/{others[0]}", params={"period": PERIOD}).text


def test_the_targets_page_offers_to_change_them_only_to_whoever_may(clients: dict[str, TestClient]) -> None:
    """Found by a tester: a rep or manager was shown the form to set a target and a Remove button on
    each, and each answered 403. They see the targets and how they stand, and that an admin sets them."""
    for role in ("rep", "manager"):
        page = clients[role].get("/targets", params={"period": PERIOD, "lang": "en"}).text
        assert 'action="/targets"' not in page.replace('method="get" action="/targets"', "")
        assert 'action="/targets/remove"' not in page and 'id="read-only"' in page, role
        assert "Targets are set by an admin of this workspace" in page
        assert 'data-kpi="total_revenue"' in page  # the targets they see stand
    admin = clients["admin"].get("/targets", params={"period": PERIOD, "lang": "en"}).text
    assert 'method="post" action="/targets"' in admin and 'action="/targets/remove"' in admin
    assert 'id="read-only"' not in admin


def test_a_reps_revenue_target_set_as_total_revenue_is_on_the_leaderboard(
        clients: dict[str, TestClient]) -> None:
    """A rep's revenue target is set as the README says, total_revenue --rep; the leaderboard reads
    revenue_per_rep, and left it out (and so "needs attention" too) while the target status said
    off track: Vorhaus won 1,000.00 of his 1,500.00 in October."""
    dash = clients["admin"].get("/api/v1/dashboard", params={"period": PERIOD}).json()
    [mine] = [line for line in dash["reps"] if line["rep"] == ME]
    assert mine["targets"]["revenue_per_rep"] == {"target": 1500.0, "status": "off_track", "pace": 0.6667}
    assert any(a["rep"] == ME and a["kpi"] == "revenue_per_rep" for a in dash["attention"]), dash["attention"]


def test_compare_tells_a_rep_there_is_nothing_to_set_side_by_side(clients: dict[str, TestClient]) -> None:
    """A rep sees one team and one rep, and the page needs two: a form that could only fail. It
    says so and points to the rep's own page; a manager still gets the form."""
    page = clients["rep"].get("/compare").text
    assert 'id="compare-alone"' in page and f'href="/reps/{ME}"' in page
    assert 'class="card compare-form"' not in page
    assert 'class="card compare-form"' in clients["admin"].get("/compare").text
    # Nor does the rep's menu offer the page; a manager's and an admin's do.
    assert 'href="/compare' not in clients["rep"].get("/").text
    assert all('href="/compare' in clients[role].get("/").text for role in ("manager", "admin"))


def test_a_chart_of_few_deals_counts_its_axis_in_whole_steps(clients: dict[str, TestClient]) -> None:
    """A rep's charts of one or two deals read 0, 0, 1, 1, 2 up their value axis (steps of a half,
    written as whole numbers)."""
    page = clients["rep"].get("/", params={"period": PERIOD, "lang": "en"}).text
    charts = re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert charts
    for chart in charts:
        axis = re.findall(r'<text class="tick" x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)</text>', chart)
        assert len(axis) == len(set(axis)), axis


def test_refusals_are_said_in_the_readers_language(clients: dict[str, TestClient]) -> None:
    """The 401, 403 and unknown-parameter answers were English whatever the client asked for."""
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    signed_out = clients["nobody"].get("/api/v1/report", params={"period": PERIOD}, headers=german)
    assert signed_out.status_code == 401
    assert signed_out.json()["error"] == {"type": "unauthorized", "message": "Bitte zuerst anmelden: "
                                          "Authorization: Bearer TOKEN mitsenden (salesmetrics token "
                                          "create EMAIL)"}
    script = clients["script"]
    not_admin = script.put("/api/v1/targets", json={"kpi": "win_rate", "value": "12%"}, headers=german)
    assert not_admin.status_code == 403 and not_admin.json()["error"]["message"] == "Das darf nur ein Admin"
    english = script.put("/api/v1/targets", json={"kpi": "win_rate", "value": "12%"})
    assert english.json()["error"]["message"] == "only an admin may do this"
    mistyped = script.get("/api/v1/report", params={"period": PERIOD, "tem": "north"}, headers=german)
    assert mistyped.status_code == 400
    assert mistyped.json()["error"]["message"].startswith(
        "unbekannter Abfrageparameter 'tem' (meinten Sie 'team'?); dieser Endpunkt nimmt: ")
    assert mistyped.json()["error"]["parameters"] == ["tem"]
    page = clients["rep"].get("/audit", headers=german)  # not ?lang=: a cookie would keep it
    assert page.status_code == 403 and "Das darf nur ein Admin" in page.text
    assert "<h1>Keine Berechtigung</h1>" in page.text  # not "Etwas stimmt nicht" (a tester)


def test_a_server_for_people_who_sign_in_closes_when_its_last_user_goes(tmp_path: Path) -> None:
    """`serve --host` on an address others reach, with users: removing the last one made every
    request the view of someone who sees everything and may write (a target set with no
    sign-in). Closed instead (503 no_users), said in `user remove` and in the answer."""
    db = make_workspace(tmp_path / "team.duckdb")
    cli = Cli(db)
    with TestClient(create_app(db, warm=False, open_without_users=False),
                    base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/v1/report", params={"period": PERIOD}).status_code == 401
        for email in (REP, MANAGER):
            assert cli("user", "remove", email).stderr == ""
        last = cli("user", "remove", ADMIN)
        assert "that was the last user" in " ".join(last.stderr.split())
        api = client.get("/api/v1/report", params={"period": PERIOD})
        assert api.status_code == 503 and api.json()["error"]["type"] == "no_users"
        assert "salesmetrics user add EMAIL --role admin" in api.json()["error"]["message"]
        wrote = client.put("/api/v1/targets", json={"kpi": "win_rate", "value": "12%"})
        assert wrote.status_code == 503
        page = client.get("/")
        assert page.status_code == 503 and "has no users any more" in page.text
        german = client.get("/", headers={"Accept-Language": "de"})
        assert german.status_code == 503 and '<html lang="de">' in german.text
        assert "der Arbeitsbereich hat keine Nutzer mehr" in german.text
        assert client.get("/health").status_code == 200
    assert cli("target", "list", "--format", "json").stdout.count("win_rate") == 0
    # On loopback (the default), a workspace without users is open, as it always was.
    with TestClient(create_app(db, warm=False), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/v1/report", params={"period": PERIOD}).status_code == 200


def test_a_password_signs_in_however_its_umlauts_were_typed(tmp_path: Path) -> None:
    """Set as "Ö" (one character), typed as O and a combining diaeresis (a Mac, some phones): 401."""
    import unicodedata

    from salesmetrics.accounts import HASHER

    composed = "Überraschungsei-Ölfaß9"
    typed = unicodedata.normalize("NFD", composed)
    assert typed != composed
    db = make_workspace(tmp_path / "umlaut.duckdb")
    with Workspace.open(db) as ws:
        ws.accounts.add_user("anna@example.com", "admin", composed)
        ws.accounts.add_user("old@example.com", "admin", "a long enough password")
        # A hash kept before passwords were normalised: of the decomposed form, as typed then.
        ws.store.connection.execute("UPDATE users SET password_hash = ? WHERE email = 'old@example.com'",
                                    [HASHER.hash(typed)])
    with TestClient(create_app(db, warm=False)) as client:
        assert sign_in(client, "anna@example.com", typed).status_code == 303
    for password in (typed, composed):
        with TestClient(create_app(db, warm=False)) as client:
            assert sign_in(client, "old@example.com", password).status_code == 303, password
    with TestClient(create_app(db, warm=False)) as client:
        assert sign_in(client, "anna@example.com", "Uberraschungsei-Olfass9").status_code == 401


def test_a_rep_is_told_no_target_of_theirs_applies_not_that_none_is_set(
        clients: dict[str, TestClient]) -> None:
    """Found by the roles tester: "No targets set yet." on a rep's page while the company's and
    other reps' targets were set; what a rep may say is about what they may see."""
    old = {"period": "2020-01", "lang": "en"}  # another test may have left a German cookie
    mine = clients["rep"].get("/targets", params=old).text
    assert "No target you may see applies to this period." in mine and "No target applies" not in mine
    assert "No target applies to this period." in clients["admin"].get("/targets", params=old).text
