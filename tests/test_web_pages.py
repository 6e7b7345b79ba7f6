"""The HTML pages through the real app: figures, languages, errors a reader can fix, safety."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from salesmetrics.web.app import create_app
from salesmetrics.web.i18n import negotiate
from webdata import make_workspace


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "web.duckdb")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False)) as c:
        yield c


def tile(html: str, kpi: str) -> str:
    match = re.search(rf'data-kpi="{kpi}" data-value="([^"]*)"', html)
    assert match, f"no tile {kpi}"
    return match[1]


def test_dashboard_tiles_charts_and_leaderboard(client: TestClient) -> None:
    r = client.get("/", params={"period": "2026-10"})
    assert r.status_code == 200
    page = r.text
    assert tile(page, "total_revenue") == "3000.30"
    assert "$3,000.30" in page and "$700.00" not in page
    assert "+328.6 %" in page  # against September's 700.00
    assert 'id="trend"' in page and 'id="products"' in page and 'id="nps"' in page
    assert 'href="/drill?period=2026-10&amp;kpi=total_revenue' in page
    assert 'data-rep="jim"' in page and 'href="/reps/jim?period=2026-10"' in page
    assert "Share of opportunities turned into customers" in page  # the explanation on hover
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert "http://" not in page and "https://" not in page  # nothing from elsewhere


def test_language_by_header_switch_and_cookie(client: TestClient) -> None:
    german = client.get("/", params={"period": "2026-10"}, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in german.text and "3.000,30\xa0$" in german.text
    assert "Gesamtumsatz" in german.text and "1.–31. Okt. 2026" in german.text
    client.get("/", params={"period": "2026-10", "lang": "de"})
    assert client.cookies.get("lang") == "de"
    assert '<html lang="de">' in client.get("/upload").text
    english = client.get("/", params={"period": "2026-10", "lang": "en"})
    assert "$3,000.30" in english.text


@pytest.mark.parametrize(("header", "lang"), [
    ("de-DE,de;q=0.9,en;q=0.8", "de"), ("en-US,en;q=0.9,de;q=0.8", "en"), ("fr-FR,de;q=0.5", "de"),
    ("fr", "en"), ("", "en"), ("de;q=0.2,en;q=0.4", "en"),
])
def test_accept_language(header: str, lang: str) -> None:
    assert negotiate(None, None, header) == lang


def test_filters_stay_in_the_url_and_narrow_the_figures(client: TestClient) -> None:
    html = client.get("/", params={"period": "2026-10", "team": "east"}).text
    assert tile(html, "total_revenue") == "1000.10"
    assert '<option value="east" selected>' in html
    assert "team=east" in html  # drill links keep the filter
    product = client.get("/", params={"period": "2026-10", "product": "P2"}).text
    assert tile(product, "total_revenue") == "1000.00"
    assert "Not shown with these filters" in product


def test_a_mistyped_period_is_shown_where_it_was_typed(client: TestClient) -> None:
    r = client.get("/", params={"period": "2026-13"})
    assert r.status_code == 400
    assert "there is no month 13" in r.text and 'value="2026-13"' in r.text
    assert "Traceback" not in r.text


def test_drill_down_page(client: TestClient) -> None:
    r = client.get("/drill", params={"kpi": "total_revenue", "period": "2026-10", "team": "east",
                                     "back": "/?period=2026-10&team=east"})
    assert r.status_code == 200
    assert 'data-total="1"' in r.text and "Jim Halpert" in r.text and "$1,000.10" in r.text
    assert 'href="/?period=2026-10&amp;team=east"' in r.text
    assert 'href="/api/v1/records.csv?period=2026-10&amp;team=east&amp;kpi=total_revenue"' in r.text
    outside = client.get("/drill", params={"kpi": "nps", "back": "https://evil.example/"})
    assert '<p><a href="/">← Back to the dashboard</a></p>' in outside.text  # not elsewhere
    assert client.get("/drill", params={"kpi": "nope"}).status_code == 400


def test_rep_page(client: TestClient) -> None:
    r = client.get("/reps/jim", params={"period": "2026-10"})
    assert r.status_code == 200
    assert "Jim Halpert" in r.text and "$500.05" in r.text  # the team's median
    missing = client.get("/reps/nobody")
    assert missing.status_code == 404 and "no rep 'nobody'" in html.unescape(missing.text)
    assert "<html" in missing.text and "Traceback" not in missing.text


def test_upload_page(client: TestClient) -> None:
    assert 'enctype="multipart/form-data"' in client.get("/upload").text
    bad = client.post("/upload", files=[("files", ("deals.csv", b"deal_id,rep_id\nd9,jim\n", "text/csv"))])
    assert bad.status_code == 422
    assert "Import refused, nothing was written" in bad.text and "deals.csv" in bad.text
    good = b"deal_id,rep_id,created_at,closed_at,status,amount\nd9,jim,2026-10-01,2026-10-02,won,5.00\n"
    ok = client.post("/upload", files=[("files", ("deals.csv", good, "text/csv"))])
    assert ok.status_code == 200 and "Imported deals.csv" in ok.text
    assert tile(client.get("/", params={"period": "2026-10"}).text, "total_revenue") == "3005.30"


def test_the_no_login_warning_when_others_can_reach_it(db: Path) -> None:
    with TestClient(create_app(db, warm=False, public_address="http://0.0.0.0:8000/")) as c:
        assert "no login yet" in c.get("/", params={"period": "2026-10"}).text


def test_a_local_server_answers_local_names_only(db: Path) -> None:
    app = create_app(db, warm=False, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/v1/kpis").status_code == 200
        assert c.get("/api/v1/kpis", headers={"Host": "attacker.example"}).status_code == 400


def test_serve_binds_locally_and_warns_when_it_does_not(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from salesmetrics.cli import app as cli

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: started.append({"app": web, **kw}))
    runner = CliRunner()
    local = runner.invoke(cli, ["serve", "--db", str(db), "--port", "8123"])
    assert local.exit_code == 0, local.output
    assert started[-1]["host"] == "127.0.0.1" and started[-1]["port"] == 8123
    assert "http://127.0.0.1:8123/" in local.stdout and "no login" not in local.output
    assert started[-1]["app"].state.public_address is None  # type: ignore[attr-defined]

    public = runner.invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert public.exit_code == 0, public.output
    assert "no login yet" in public.stderr
    assert started[-1]["app"].state.public_address == "http://0.0.0.0:8000/"  # type: ignore[attr-defined]

    missing = runner.invoke(cli, ["serve", "--db", str(db.parent / "nothing.duckdb")])
    assert missing.exit_code == 1 and "no workspace at" in missing.stderr


def test_a_tile_shows_its_target(db: Path) -> None:
    from salesmetrics import Workspace

    with Workspace.open(db) as ws:
        ws.set_target("total_revenue", "2500", period="2026-10")
        ws.set_target("win_rate", "0.8", period="2026-10")
    with TestClient(create_app(db, warm=False)) as c:
        page = c.get("/", params={"period": "2026-10", "lang": "en"}).text
    assert "Target $2,500.00 · on target" in page
    assert "Target 80.0 % · off target" in page
