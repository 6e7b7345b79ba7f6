"""The JSON API through the real app, on a small workspace with hand-computed figures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import Cli, write_csv
from salesmetrics import REGISTRY
from salesmetrics.web.app import create_app
from salesmetrics.web.gate import WorkspaceGate
from webdata import make_workspace


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "web.duckdb")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False)) as c:
        yield c


def exact(response: Any) -> Any:
    """The body with numbers as Decimals, so money is compared digit for digit."""
    return json.loads(response.text, parse_float=Decimal)


def error(response: Any, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["type"] == kind
    message: str = body["error"]["message"]
    assert message
    return message


def test_report_is_the_cli_contract_with_exact_money(client: TestClient, db: Path) -> None:
    r = client.get("/api/v1/report", params={"period": "2026-10", "by": "team",
                                             "kpi": ["total_revenue", "win_rate"]})
    assert r.status_code == 200
    assert '"value": 1000.10' in r.text  # exact decimal text, not a float's 1000.1
    rows = {(row["kpi"], row["team"]): row for row in exact(r)["rows"]}
    assert rows["total_revenue", "east"]["value"] == Decimal("1000.10")
    assert rows["total_revenue", "west"]["value"] == Decimal("2000.20")
    assert rows["win_rate", "west"]["value"] == Decimal("0.5")
    cli = Cli(db).report("--period", "2026-10", "--by", "team", "--kpi", "total_revenue",
                         "--kpi", "win_rate")
    assert r.json() == cli


def test_report_filters_by_parameter_or_filter_syntax(client: TestClient) -> None:
    def revenue(**params: Any) -> Decimal:
        r = client.get("/api/v1/report", params={"period": "2026-10", "kpi": "total_revenue", **params})
        assert r.status_code == 200, r.text
        value: Decimal = exact(r)["rows"][0]["value"]
        return value

    assert revenue() == Decimal("3000.30")
    assert revenue(team="east") == Decimal("1000.10")
    assert revenue(filter="team=west") == Decimal("2000.20")
    assert revenue(team="east,west") == Decimal("3000.30")
    assert revenue(product="P2") == Decimal("1000.00")  # the P2 lines of won deals
    # An empty value is a script's unset variable, not a form's "All" (pages keep that): refused.
    empty = client.get("/api/v1/report", params={"period": "2026-10", "kpi": "total_revenue", "team": ""})
    assert empty.status_code == 400 and empty.json()["error"]["type"] == "bad_dimension"


def test_kpi_catalogue_in_both_languages(client: TestClient) -> None:
    en = client.get("/api/v1/kpis").json()
    assert [k["id"] for k in en] == list(REGISTRY)
    de = client.get("/api/v1/kpis", params={"lang": "de"}).json()
    assert de[0]["title"] == "Gesamtumsatz"
    assert client.get("/api/v1/kpis", headers={"Accept-Language": "de-DE,de;q=0.9"}).json()[0][
        "title"] == "Gesamtumsatz"


def test_summary_and_dashboard(client: TestClient) -> None:
    summary = exact(client.get("/api/v1/summary", params={"period": "2026-10"}))
    heads = {h["kpi"]: h for h in summary["headlines"]}
    assert heads["total_revenue"]["value"] == Decimal("3000.30")
    assert heads["total_revenue"]["previous"] == Decimal("700.00")
    assert heads["activity_count"]["value"] == 4 and heads["activity_count"]["previous"] == 1

    dash = exact(client.get("/api/v1/dashboard", params={"period": "2026-10"}))
    tiles = {t["kpi"]: t for t in dash["tiles"]}
    assert tiles["average_deal_size"]["value"] == Decimal("1500.15")
    assert tiles["sales_cycle_length"]["value"] == 13
    assert tiles["nps"]["value"] == 0 and tiles["nps"]["n"] == 3
    assert tiles["quota_attainment"]["value"] == Decimal("0.428614")  # 3000.30 / 7000
    assert tiles["total_revenue"]["target"] is None and tiles["total_revenue"]["status"] is None
    assert dash["grain"] == "week"
    assert sum(p["value"] for p in dash["trend"]) == Decimal("3000.30")
    assert dash["nps_mix"] == {"detractor": 1, "passive": 1, "promoter": 1}
    assert {(b["low"], b["count"]) for b in dash["cycle"] if b["count"]} == {(8, 1), (15, 1)}
    assert {p["product"]: p["value"] for p in dash["products"]} == {
        "P1": Decimal("2000.30"), "P2": Decimal("1000.00")}
    mix = {a["activity_type"]: a["value"] for a in dash["activity_mix"]}
    assert mix == {"call": 2, "email": 1, "demo": 1}
    reps = {r["rep"]: r for r in dash["reps"]}
    assert reps["bob"]["values"]["revenue_per_rep"] == Decimal("0.00")  # no deal won: zero, not missing
    assert reps["jim"]["values"]["quota_attainment"] == Decimal("0.50005")

    product = exact(client.get("/api/v1/dashboard", params={"period": "2026-10", "product": "P1"}))
    assert [t["kpi"] for t in product["tiles"]] == ["total_revenue"]
    assert {s["kpi"] for s in product["skipped"]} >= {"win_rate", "nps"}


def test_records_behind_a_figure_add_up(client: TestClient) -> None:
    r = exact(client.get("/api/v1/records", params={"kpi": "total_revenue", "period": "2026-10"}))
    assert r["kind"] == "deals" and r["total"] == 2
    assert sum(row["amount"] for row in r["rows"]) == Decimal("3000.30")
    assert [row["deal_id"] for row in r["rows"]] == ["d2", "d1"]  # latest first

    east = exact(client.get("/api/v1/records", params={"kpi": "win_rate", "period": "2026-10",
                                                       "team": "west"}))
    assert sorted((row["deal_id"], row["status"]) for row in east["rows"]) == [("d2", "won"), ("d3", "lost")]

    items = exact(client.get("/api/v1/records", params={"kpi": "total_revenue", "period": "2026-10",
                                                        "product": "P2"}))
    assert items["kind"] == "deal_items" and [row["revenue"] for row in items["rows"]] == [
        Decimal("1000.00")]

    answers = exact(client.get("/api/v1/records", params={"kpi": "nps", "period": "2026-10",
                                                          "limit": 2}))
    assert answers["total"] == 3 and len(answers["rows"]) == 2
    assert answers["rows"][0]["category"] == "detractor"

    csv = client.get("/api/v1/records.csv", params={"kpi": "total_revenue", "period": "2026-10"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    lines = csv.text.splitlines()
    # The rep's name right after the id: a spreadsheet reads names, the ids still join.
    assert lines[0].startswith("deal_id,closed_at,created_at,rep,rep_name,team,account")
    assert len(lines) == 3 and ",ann,Ann Perkins,west,Globex,referral,new,won,2000.20," in lines[1]
    assert ",jim,Jim Halpert,east,Acme," in lines[2]


def test_reps_and_one_rep_against_the_team(client: TestClient) -> None:
    reps = client.get("/api/v1/reps").json()
    assert {r["rep"]: r["team"] for r in reps} == {"jim": "east", "ann": "west", "bob": "east"}
    jim = exact(client.get("/api/v1/reps/jim", params={"period": "2026-10"}))
    lines = {line["kpi"]: line for line in jim["kpis"]}
    assert jim["team"] == "east" and jim["team_reps"] == ["bob", "jim"]
    assert lines["total_revenue"]["value"] == Decimal("1000.10")
    assert lines["total_revenue"]["team_median"] == Decimal("500.05")  # middle of 1000.10 and 0
    assert lines["activity_count"]["team_median"] == Decimal("1.5")


@pytest.mark.parametrize(("params", "kind", "words"), [
    ({"period": "2026-13"}, "bad_period", "no month 13"),
    ({"period": "whenever"}, "bad_period", "cannot read period"),
    ({"by": "planet"}, "bad_dimension", "cannot group by 'planet'"),
    ({"filter": "planet=mars"}, "bad_dimension", "cannot filter by 'planet'"),
    ({"filter": "team"}, "bad_dimension", "DIM=VALUE"),
    ({"kpi": "happiness"}, "unknown_kpi", "happiness"),
    ({"kpi": "nps", "product": "P1"}, "bad_dimension", "nps cannot be grouped or filtered by product"),
    ({"as_of": "yesterday-ish"}, "bad_period", "as_of"),
])
def test_bad_input_is_a_400_with_a_json_error(client: TestClient, params: dict[str, str], kind: str,
                                             words: str) -> None:
    assert words in error(client.get("/api/v1/report", params=params), 400, kind)


def test_not_found_and_unknown_kpi_in_records(client: TestClient) -> None:
    assert "nobody" in error(client.get("/api/v1/reps/nobody"), 404, "unknown_rep")
    error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    error(client.get("/api/v1/records", params={"kpi": "vibes"}), 400, "unknown_kpi")
    error(client.get("/api/v1/records"), 400, "bad_request")  # kpi is required
    error(client.post("/api/v1/report"), 405, "method_not_allowed")


def test_an_unexpected_failure_is_a_500_without_traceback(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from salesmetrics import Workspace

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Workspace, "report", broken)
    with TestClient(create_app(db, warm=False), raise_server_exceptions=False) as c:
        message = error(c.get("/api/v1/report"), 500, "internal")
    assert "secret" not in message


def test_an_unchanged_workspace_is_not_asked_twice(client: TestClient, db: Path) -> None:
    gate: WorkspaceGate = client.app.state.gate  # type: ignore[attr-defined]
    params = {"period": "2026-10", "kpi": "total_revenue"}
    first = client.get("/api/v1/report", params=params).text
    misses = gate.cache.stats.misses
    assert client.get("/api/v1/report", params=params).text == first
    assert gate.cache.stats.misses == misses
    assert "3000.30" in first

    # Another process writes: the next request sees the new figure.
    folder = db.parent / "more"
    write_csv(folder / "deals.csv", [{
        "deal_id": "d9", "rep_id": "bob", "created_at": "2026-10-01T10:00:00",
        "closed_at": "2026-10-20T10:00:00", "status": "won", "amount": "99.99", "currency": "USD"}])
    Cli(db).import_(folder)
    assert exact(client.get("/api/v1/report", params=params))["rows"][0]["value"] == Decimal("3100.29")


def test_import_through_the_api(client: TestClient, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "up" / "deals.csv", [{
        "deal_id": "d7", "rep_id": "jim", "created_at": "2026-10-01T10:00:00",
        "closed_at": "2026-10-21T10:00:00", "status": "won", "amount": "10.00", "currency": "USD"}])
    r = client.post("/api/v1/import", files=[("files", ("deals.csv", good.read_bytes(), "text/csv"))])
    assert r.status_code == 200, r.text
    assert r.json()["tables"]["deals"] == {"inserted": 1, "updated": 0, "unchanged": 0}
    report = client.get("/api/v1/report", params={"period": "2026-10", "kpi": "total_revenue"})
    assert exact(report)["rows"][0]["value"] == Decimal("3010.30")

    bad = b"deal_id,rep_id,created_at,status,amount\nd8,jim,not a date,won,12x\n"
    r = client.post("/api/v1/import", files=[("files", ("deals.csv", bad, "text/csv"))])
    message = error(r, 422, "import_refused")
    assert message.startswith("Import refused, nothing was written")
    problems = r.json()["error"]["problems"]
    assert {p["column"] for p in problems} >= {"created_at", "amount"}
    assert all(p["file"] == "deals.csv" and p["line"] == 2 for p in problems if p["column"])


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    r = client.post("/api/v1/import", headers={"Origin": "https://evil.example"},
                    files=[("files", ("deals.csv", b"x", "text/csv"))])
    error(r, 403, "forbidden")


def test_every_field_an_answer_has_is_in_its_schema(client: TestClient) -> None:
    """A client generated from /openapi.json dropped what the schema did not name: the dashboard's
    previous_trend and attention, a report's as_of and measured_period, slippage's history_from.
    Checked for the top-level fields of every route that answers one object (not the lists)."""
    spec = client.get("/openapi.json").json()
    models = spec["components"]["schemas"]
    asked = {"period": "2026-10"}
    extra: dict[str, dict[str, Any]] = {
        "/api/v1/report": {"compare": "true", "as_of": "2026-10-10"},
        "/api/v1/records": {"kpi": "win_rate"}, "/api/v1/compare": {"team": ["east", "west"]}}
    checked = 0
    for path, item in spec["paths"].items():
        answer = item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
        ref = answer.get("application/json", {}).get("schema", {}).get("$ref")
        if not path.startswith("/api/v1/") or ref is None or "{program}" in path:
            continue
        got = client.get(path.replace("{rep}", "jim"), params={**asked, **extra.get(path, {})})
        if got.status_code == 400:  # a route that takes no period (ramp, kpis)
            got = client.get(path.replace("{rep}", "jim"), params=extra.get(path, {}))
        assert got.status_code == 200, (path, got.text)
        named = set(models[ref.rsplit("/", 1)[1]].get("properties", {}))
        assert set(got.json()) - named == set(), path
        checked += 1
    assert checked >= 18


def test_openapi_schema_and_offline_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/v1/kpis", "/api/v1/report", "/api/v1/summary", "/api/v1/records",
                 "/api/v1/records.csv", "/api/v1/reps", "/api/v1/reps/{rep}", "/api/v1/import"):
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/v1/report"]["get"]["parameters"]}
    assert {"period", "by", "kpi", "team", "filter", "as_of"} <= params
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "http" not in docs.text.replace('http-equiv', '')
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
