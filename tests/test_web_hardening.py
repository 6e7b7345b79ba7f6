"""The server against hostile or careless requests (issue 18): uploads within limits and named
sanely, answers only under its own names, links back only to itself, 503s that leak nothing."""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from salesmetrics import Workspace
from salesmetrics.importing import handoff
from salesmetrics.web.app import create_app
from salesmetrics.web.guards import allowed_hosts, host_of
from webdata import make_workspace

DEALS = (b"deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
         b"n1,jim,2026-10-01,2026-10-02,won,10.00,USD\n")
MORE_DEALS = (b"deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
              b"n2,ann,2026-10-01,2026-10-03,won,20.00,USD\n")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "web.duckdb")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False, max_upload_bytes=50_000)) as c:
        yield c


def _csv(name: str, body: bytes) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, body, "text/csv"))


# -- item 5: the request size -----------------------------------------------------------------
def test_an_upload_over_the_limit_is_413_and_writes_nothing(client: TestClient, db: Path) -> None:
    big = DEALS + b"".join(b"x%d,jim,2026-10-01,2026-10-02,won,10.00,USD\n" % i for i in range(2000))
    assert len(big) > 50_000
    api = client.post("/api/v1/import", files=[_csv("deals.csv", big)])
    assert api.status_code == 413 and api.json()["error"]["type"] == "too_large"
    assert "0.05 MB" in api.json()["error"]["message"] and "--max-upload-mb" in api.json()["error"]["message"]
    page = client.post("/upload", files=[_csv("deals.csv", big)])
    assert page.status_code == 413 and "<html" in page.text and "0.05 MB" in page.text
    assert client.get("/api/v1/workspace").json()["counts"]["deals"] == 5
    assert client.post("/api/v1/import", files=[_csv("deals.csv", DEALS)]).status_code == 200


def test_the_limit_is_a_setting(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = DEALS + b"#" * 2_000_000
    monkeypatch.setenv("SALESMETRICS_MAX_UPLOAD_MB", "1")
    with TestClient(create_app(db, warm=False)) as small:
        assert small.post("/api/v1/import", files=[_csv("deals.csv", body)]).status_code == 413
    monkeypatch.setenv("SALESMETRICS_MAX_UPLOAD_MB", "3")
    with TestClient(create_app(db, warm=False)) as larger:  # read, then refused for its content
        assert larger.post("/api/v1/import", files=[_csv("deals.csv", body)]).status_code == 422


def test_reads_are_answered_while_an_upload_is_checked(client: TestClient,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    checking, release = threading.Event(), threading.Event()
    keep = handoff.KeepChecked.write

    def slow_keep(self: handoff.KeepChecked, *args: Any, **kwargs: Any) -> Any:
        checking.set()  # the files are checked; the rows are being kept
        release.wait(20)
        return keep(self, *args, **kwargs)

    monkeypatch.setattr(handoff.KeepChecked, "write", slow_keep)
    result: dict[str, Any] = {}
    upload = threading.Thread(target=lambda: result.update(
        r=client.post("/api/v1/import", files=[_csv("deals.csv", DEALS)])))
    upload.start()
    assert checking.wait(20)
    start = time.monotonic()
    # A view never answered before: it needs the file, and gets it beside the upload.
    report = client.get("/api/v1/report", params={"period": "2026-09", "kpi": "total_revenue"})
    assert report.status_code == 200 and time.monotonic() - start < 5
    assert report.json()["rows"][0]["value"] == 700.0
    release.set()
    upload.join(30)
    assert result["r"].status_code == 200, result["r"].text
    assert result["r"].json()["tables"]["deals"] == {"inserted": 1, "updated": 0, "unchanged": 0}


# -- items 6 and 8: names of uploads ----------------------------------------------------------
@pytest.mark.parametrize("name", ["..", ".", "a/..", "..\\"])
def test_an_upload_named_dot_dot_is_a_problem(client: TestClient, name: str) -> None:
    r = client.post("/api/v1/import", files=[_csv(name, DEALS)])
    assert r.status_code == 422, r.text
    [problem] = r.json()["error"]["problems"]
    assert problem["message"].startswith("not a file name") and "/tmp" not in r.text


def test_two_files_of_one_name_are_both_imported(client: TestClient) -> None:
    r = client.post("/api/v1/import", files=[_csv("deals.csv", DEALS), _csv("deals.csv", MORE_DEALS)])
    assert r.status_code == 200, r.text
    assert r.json()["files"] == ["deals.csv", "deals.csv (2)"]
    assert r.json()["tables"]["deals"]["inserted"] == 2
    clash = client.post("/api/v1/import", files=[_csv("deals.csv", DEALS), _csv("deals.csv", DEALS)])
    assert clash.status_code == 422
    [problem] = clash.json()["error"]["problems"]
    assert problem["file"] == "deals.csv (2)" and "already on deals.csv line 2" in problem["message"]
    assert "salesmetrics-" not in clash.text


def test_upload_problems_never_name_the_servers_folders(client: TestClient) -> None:
    r = client.post("/api/v1/import", files=[_csv("deals.csv", b"\xff\xfe\x00\x01garbage")])
    assert r.status_code == 422
    assert "/tmp" not in r.text and "salesmetrics-" not in r.text
    assert r.json()["error"]["problems"][0]["file"] == "deals.csv"
    # Nor what an import says of a file without rows (a file with its header alone).
    empty = client.post("/api/v1/import", files=[_csv("deals.csv", DEALS.split(b"\n", 1)[0] + b"\n")])
    assert empty.status_code == 200, empty.text
    assert empty.json()["files_without_rows"] == ["deals.csv"] and "/tmp" not in empty.text


# -- item 9: the Host header -------------------------------------------------------------------
def test_host_names_answered_per_binding() -> None:
    assert host_of("[::1]:8000") == "::1" and host_of("LocalHost:80") == "localhost"
    assert allowed_hosts("10.1.2.3") == {"10.1.2.3"}
    assert allowed_hosts("::1") == {"::1"}
    assert allowed_hosts("0.0.0.0", ["crm.example"]) == {"crm.example"}
    everywhere = allowed_hosts("0.0.0.0")
    assert everywhere and "evil.example" not in everywhere


@pytest.mark.parametrize("bound", ["127.0.0.1", "::1", "0.0.0.0", "10.1.2.3"])
def test_every_binding_refuses_a_foreign_host(db: Path, bound: str) -> None:
    app = create_app(db, warm=False, allowed_hosts=sorted(allowed_hosts(bound, ["crm.example"])))
    with TestClient(app) as c:
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
            r = c.get("/api/v1/kpis", headers={"host": host})
            assert r.status_code == 400 and r.json()["error"]["type"] == "bad_host", host
            assert c.post("/api/v1/import", headers={"host": host},
                          files=[_csv("deals.csv", DEALS)]).status_code == 400
        for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "crm.example", "CRM.example:8000"):
            assert c.get("/api/v1/kpis", headers={"host": host}).status_code == 200, host


# -- item 11: the link back ---------------------------------------------------------------------
@pytest.mark.parametrize("back", ["/\\evil.example", "//evil.example", "https://evil.example/",
                                  "/\t/evil.example", "\\\\evil.example", "javascript:alert(1)",
                                  "/%09/evil.example\n", " //evil.example"])
def test_drill_links_back_only_to_this_site(client: TestClient, back: str) -> None:
    r = client.get("/drill", params={"kpi": "total_revenue", "period": "2026-10", "back": back})
    assert r.status_code == 200
    assert '<p><a href="/">' in r.text
    for link in re.findall(r'href="([^"]*)"', html.unescape(r.text)):  # every link stays on this site
        assert link.startswith(("/", "?", "#")) and not link.startswith(("//", "/\\")), link
        assert not any(c in link for c in "\t\n\r"), link


def test_a_relative_path_back_is_kept(client: TestClient) -> None:
    r = client.get("/drill", params={"kpi": "total_revenue", "back": "/reps/jim?period=2026-10"})
    assert 'href="/reps/jim?period=2026-10"' in r.text


# -- items 13 and 14: 503 and 405 -----------------------------------------------------------------
def test_busy_answers_name_no_path_or_process(db: Path) -> None:
    import subprocess
    import sys

    with TestClient(create_app(db, warm=False, read_wait=0.5)) as c:
        assert c.get("/health").status_code == 200  # the version read, and kept while the file is unchanged
        time.sleep(1.1)  # past the second a probe's answer is kept
        holder = ("import sys, time, duckdb\n"
                  "c = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(30)")
        hold = subprocess.Popen([sys.executable, "-c", holder, str(db)], stdout=subprocess.PIPE, text=True)
        try:
            assert hold.stdout is not None and hold.stdout.readline().strip() == "locked"
            start = time.monotonic()
            r = c.get("/api/v1/report", params={"period": "2026-10"})
            page = c.get("/", params={"period": "2026-10"})
            # Not "ok" while nothing can be read: the version alone said so (a tester).
            health = c.get("/health")
            assert time.monotonic() - start < 15
        finally:
            hold.kill()
            hold.wait()
    assert health.status_code == 503 and health.headers["retry-after"].isdigit()
    assert health.json() == {"status": "busy"}  # to retry, not to restart the server for
    assert r.status_code == 503 and r.headers["retry-after"].isdigit()
    busy = "the workspace is busy: an import, or another program, is writing it; try again in a few seconds"
    assert r.json()["error"] == {"message": busy, "type": "workspace_busy"}
    assert page.status_code == 503
    for text in (r.text, page.text):
        assert str(db) not in text and str(hold.pid) not in text and "PID" not in text


def test_method_not_allowed_says_which_are(client: TestClient) -> None:
    r = client.post("/api/v1/report")
    assert r.status_code == 405 and r.headers["allow"] == "GET"
    assert client.delete("/api/v1/import").headers["allow"] == "POST"


def test_the_schema_documents_400_not_422_for_reads(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if method == "get":
                assert "422" not in codes and "400" in codes, path
            ok = operation["responses"].get("200") or operation["responses"]["201"]  # 201: created
            assert ok["content"], path
    report = schema["paths"]["/api/v1/report"]["get"]["responses"]
    shape = report["200"]["content"]["application/json"]["schema"]
    assert shape == {"$ref": "#/components/schemas/ReportOut"}
    assert {"period", "rows", "currency"} <= set(schema["components"]["schemas"]["ReportOut"]["required"])
    assert schema["paths"]["/api/v1/import"]["post"]["responses"]["413"]


def test_a_workspace_opened_elsewhere_by_typo_is_not_made(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "typo.duckdb", warm=False)) as c:
        r = c.get("/api/v1/report")
    assert r.status_code == 503 and "typo" not in r.text
    assert not (tmp_path / "typo.duckdb").exists()
    Workspace.open(tmp_path / "real.duckdb").close()


# -- the same guards in front of sign-in and the accounts' writes (issue 12 merged) -------------
@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    from accountsdata import make_workspace as make_team

    return make_team(tmp_path / "team.duckdb")


def _sessions(db: Path) -> int:
    with Workspace.open(db, read_only=True) as ws:
        return int(ws.connection.execute("SELECT count(*) FROM sessions").fetchone()[0])


def test_sign_in_answers_only_under_the_servers_names(team_db: Path) -> None:
    from accountsdata import ADMIN, PASSWORD
    from helpers import form_token

    app = create_app(team_db, warm=False, allowed_hosts=sorted(allowed_hosts("0.0.0.0", ["crm.example"])))
    with TestClient(app, base_url="http://crm.example") as c:
        csrf = form_token(c.get("/login").text)
        form = {"email": ADMIN, "password": PASSWORD, "csrf": csrf, "next": "/"}
        for path in ("/login", "/logout"):
            r = c.post(path, data=form, headers={"host": "evil.example"}, follow_redirects=False)
            assert r.status_code == 400 and r.json()["error"]["type"] == "bad_host", path
        assert c.get("/login", headers={"host": "evil.example"}).status_code == 400
        assert _sessions(team_db) == 0
        assert c.post("/login", data=form, follow_redirects=False).status_code == 303
        assert _sessions(team_db) == 1


def test_a_sign_in_or_a_target_over_the_size_limit_is_413(team_db: Path) -> None:
    from accountsdata import ADMIN

    with Workspace.open(team_db) as ws:
        _, token = ws.accounts.create_token(ADMIN, "big")
    with TestClient(create_app(team_db, warm=False, max_upload_bytes=10_000)) as c:
        r = c.post("/login", data={"email": ADMIN, "password": "x" * 20_000}, follow_redirects=False)
        assert r.status_code == 413 and "<html" in r.text and "0.01 MB" in r.text
        big = c.put("/api/v1/targets", content=b'{"kpi": "win_rate", "value": "' + b"9" * 20_000 + b'"}',
                    headers={"content-type": "application/json", "Authorization": f"Bearer {token}"})
        assert big.status_code == 413 and big.json()["error"]["type"] == "too_large"
        assert c.get("/api/v1/targets", params={"kpi": "win_rate"},
                     headers={"Authorization": f"Bearer {token}"}).json() == []
    assert _sessions(team_db) == 0


def test_a_body_other_than_an_upload_s_is_held_to_a_megabyte_and_its_fields_to_a_name_s_length(
        team_db: Path) -> None:
    """A 2 MB rep in a target's body held the write turn, every read behind it answered 503, for
    26 s (its "did you mean" matched the whole value), and was repeated twice in the answer; a
    program named with 10 million characters was stored (a tester)."""
    from accountsdata import ADMIN

    with Workspace.open(team_db) as ws:
        _, token = ws.accounts.create_token(ADMIN, "big")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(team_db, warm=False)) as c:  # uploads up to 100 MB
        huge = c.put("/api/v1/targets", json={"kpi": "win_rate", "value": 0.3, "rep": "x" * 2_000_000},
                     headers=auth)
        assert huge.status_code == 413 and "anything but an upload" in huge.json()["error"]["message"]
        # Said to be an upload, it is still no upload's route (the review).
        posing = c.put("/api/v1/targets", files={"rep": ("x", b"x" * 2_000_000)}, headers=auth)
        assert posing.status_code == 413
        long = c.put("/api/v1/targets", json={"kpi": "win_rate", "value": 0.3, "rep": "x" * 5_000},
                     headers=auth)
        assert long.status_code == 400 and len(long.content) < 2_000, long.text[:300]
        before = c.get("/api/v1/programs", headers=auth).json()
        program = c.post("/api/v1/programs", json={"name": "p" * 100_000, "start_on": "2026-01-01",
                                                   "teams": ["east"]}, headers=auth)
        assert program.status_code == 400 and c.get("/api/v1/programs", headers=auth).json() == before
        # A value just short of a name's length is matched as ever, and echoed cut.
        started = time.perf_counter()
        odd = c.get("/api/v1/report", params={"period": "2026-10", "rep": "y" * 150}, headers=auth)
        assert odd.status_code == 400 and time.perf_counter() - started < 5
    from salesmetrics.kpis.known_values import closest, echoed

    assert closest("x" * 201, ["x" * 200]) == [] and echoed("z" * 100) == "z" * 80 + "... (100 characters)"


def test_405_names_every_method_the_path_takes(team_db: Path) -> None:
    from accountsdata import ADMIN

    with Workspace.open(team_db) as ws:
        _, token = ws.accounts.create_token(ADMIN, "allow")
    with TestClient(create_app(team_db, warm=False), headers={"Authorization": f"Bearer {token}"}) as c:
        targets = c.post("/api/v1/targets")
        assert targets.status_code == 405 and targets.headers["allow"] == "GET, PUT, DELETE"
        assert targets.json()["error"]["type"] == "method_not_allowed"
        assert c.delete("/login").headers["allow"] == "GET, POST"
        assert c.get("/logout", follow_redirects=False).headers["allow"] == "POST"
        assert c.post("/api/v1/report").headers["allow"] == "GET"
