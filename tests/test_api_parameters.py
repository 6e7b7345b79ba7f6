"""The API refuses a query parameter it does not take, naming it (issue 10 follow-up, defect 3): a
mistyped ``tem=east`` or ``asof=`` would otherwise answer for the whole company, or today, as if it had
been read. One rule for every API route, read from the route's own parameters; ``lang`` is taken
everywhere. Pages ignore what they do not know (a link may carry tracking parameters). The summary
takes the filters every other figure takes.

October 2026 (webdata): jim (east) wins 1000.10, ann (west) 2000.20; 3000.30 in all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app, routes_of
from webdata import make_workspace


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("params") / "web.duckdb")


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False)) as c:
        yield c


@pytest.mark.parametrize(("path", "params", "unknown", "meant"), [
    ("/api/v1/report", {"period": "2026-10", "tem": "east"}, "tem", "team"),
    ("/api/v1/report", {"period": "2026-10", "asof": "2026-08-01"}, "asof", "as_of"),
    ("/api/v1/summary", {"period": "2026-10", "teams": "east"}, "teams", "team"),
    ("/api/v1/records", {"kpi": "total_revenue", "perod": "2026-10"}, "perod", "period"),
    ("/api/v1/reps/jim/scorecard", {"histroy": "2"}, "histroy", "history"),
    ("/api/v1/ramp", {"period": "2026-10"}, "period", None),  # ramp has no period
    ("/api/v1/kpis", {"kpi": "win_rate"}, "kpi", None),
])
def test_an_unknown_parameter_is_refused_naming_it(client: TestClient, path: str, params: dict[str, str],
                                                   unknown: str, meant: str | None) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["type"] == "unknown_parameter" and error["parameters"] == [unknown]
    assert f"unknown query parameter '{unknown}'" in error["message"]
    if meant:
        assert f"did you mean '{meant}'" in error["message"]
    assert meant is None or meant in error["accepted"]


@pytest.mark.parametrize("query", ["period=2026-10&period=2026-09", "period=2026-10&by=team&by=rep",
                                   "period=2026-10&as_of=2026-10-10&as_of=2026-10-20"])
def test_a_parameter_of_one_value_given_twice_is_refused(client: TestClient, query: str) -> None:
    # Answered for the last one alone, it looked like what was asked: by=team&by=rep lost the teams.
    r = client.get(f"/api/v1/report?{query}")
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    repeated = query.split("&")[-1].split("=")[0]
    assert (error["type"], error["parameters"]) == ("repeated_parameter", [repeated])
    assert f"query parameter '{repeated}' given more than once" in error["message"]
    # What is a list is taken as one: KPIs, filters, filter=.
    both = client.get("/api/v1/report?period=2026-10&kpi=total_revenue&kpi=win_rate&team=east&team=west"
                      "&filter=rep=jim&filter=source=inbound")
    assert both.status_code == 200
    assert {r["kpi"] for r in both.json()["rows"]} == {"total_revenue", "win_rate"}
    assert client.get("/api/v1/report?period=2026-10&by=team,rep").status_code == 200


def test_a_language_the_api_does_not_speak_is_refused(client: TestClient) -> None:
    # lang=fr was answered in English without a word; the command line refuses --lang fr.
    r = client.get("/api/v1/summary", params={"period": "2026-10", "lang": "fr"})
    assert r.status_code == 400 and r.json()["error"] == {"type": "bad_request",
                                                         "message": "lang 'fr': write en or de"}
    assert client.get("/api/v1/summary", params={"period": "2026-10", "lang": "de-AT"}).status_code == 200
    assert client.get("/api/v1/summary", params={"period": "2026-10", "lang": "english"}).status_code == 400
    assert client.get("/", params={"lang": "fr"}).status_code == 200  # a page falls back to English


# What a route cannot answer without (a KPI's records, two groups to compare).
NEEDS: dict[str, dict[str, str | list[str]]] = {
    "/api/v1/records": {"kpi": "total_revenue"},
    "/api/v1/records.csv": {"kpi": "total_revenue"},
    "/api/v1/records.xlsx": {"kpi": "total_revenue"},
    "/api/v1/compare": {"team": ["east", "west"]},
}


def test_every_api_route_refuses_unknown_parameters_and_takes_lang(client: TestClient) -> None:
    routes = [r for r in routes_of(client.app)  # type: ignore[arg-type]
              if isinstance(r, APIRoute) and r.path.startswith("/api/") and "GET" in r.methods]
    assert len(routes) >= 15
    for route in routes:
        path = route.path.replace("{rep}", "jim")
        params = NEEDS.get(route.path, {})
        assert client.get(path, params={**params, "nosuch": "1"}).status_code == 400, route.path
        # This workspace has no programs: one's route answers 404 (test_programs asks them).
        ok = {200, 404} if "{program}" in route.path else {200}
        assert client.get(path, params={**params, "lang": "de"}).status_code in ok, route.path


def test_targets_are_written_only_with_parameters_they_take(client: TestClient) -> None:
    """PUT and DELETE /api/v1/targets refuse what they do not take and change nothing then: a
    mistyped ``perod=`` on a DELETE would otherwise remove the standing target instead."""
    body = {"kpi": "win_rate", "value": "0.4", "team": "east"}

    def east() -> list[object]:
        return [(t["value"], t["period"]) for t in client.get("/api/v1/targets").json()
                if t["kpi"] == "win_rate" and t["scope_id"] == "east"]

    refused = client.put("/api/v1/targets", params={"nosuch": "1"}, json=body)
    assert refused.status_code == 400 and refused.json()["error"]["parameters"] == ["nosuch"]
    assert east() == []
    assert client.put("/api/v1/targets", json=body).status_code == 200
    assert client.put("/api/v1/targets", json={**body, "period": "2026-Q4"}).status_code == 200
    assert len(east()) == 2
    typo = client.delete("/api/v1/targets", params={"kpi": "win_rate", "team": "east", "perod": "2026-Q4"})
    assert typo.status_code == 400 and "did you mean 'period'" in typo.json()["error"]["message"]
    assert len(east()) == 2
    gone = client.delete("/api/v1/targets", params={"kpi": "win_rate", "team": "east", "period": "2026-Q4"})
    assert gone.status_code == 200 and east() == [(0.4, None)]
    assert client.delete("/api/v1/targets", params={"kpi": "win_rate", "team": "east"}).status_code == 200
    assert east() == []


def test_compare_refuses_what_it_does_not_take(client: TestClient) -> None:
    params = {"team": ["east", "west"], "period": "2026-10"}
    assert client.get("/api/v1/compare", params=params).status_code == 200
    r = client.get("/api/v1/compare", params={**params, "teams": "north"})
    assert r.status_code == 400 and r.json()["error"]["parameters"] == ["teams"]


def test_the_summary_takes_filters(client: TestClient, db: Path) -> None:
    def revenue(**params: str) -> object:
        data = client.get("/api/v1/summary", params={"period": "2026-10", **params}).json()
        return next(h["value"] for h in data["headlines"] if h["kpi"] == "total_revenue")

    assert revenue() == 3000.30
    assert revenue(team="east") == revenue(rep="Jim Halpert") == revenue(filter="rep=jim") == 1000.10
    data = client.get("/api/v1/summary", params={"period": "2026-10", "team": "east"}).json()
    assert data["filters"] == {"team": ["east"]}
    assert [r["rep"] for r in data["top_reps"]] == ["jim"]
    # An empty value (a script's unset variable) was the company's figures; a page's "All" is none.
    for params in ({"team": ""}, {"filter": "team="}):
        empty = client.get("/api/v1/summary", params={"period": "2026-10", **params})
        assert empty.status_code == 400 and empty.json()["error"]["type"] == "bad_dimension", params
        assert "an empty value names nothing" in empty.json()["error"]["message"]
        german = client.get("/api/v1/summary", params={"period": "2026-10", "lang": "de", **params})
        assert "ein leerer Wert nennt nichts" in german.json()["error"]["message"]
    assert client.get("/", params={"period": "2026-10", "team": ""}).status_code == 200
    wrong = client.get("/api/v1/summary", params={"period": "2026-10", "team": "Eest"})
    assert wrong.status_code == 400 and wrong.json()["error"]["type"] == "unknown_value"
    # The command line's summary takes --filter too.
    text = Cli(db, columns=120)("summary", "--period", "2026-10", "--filter", "team=east").stdout
    assert "$1,000.10" in text and "$3,000.30" not in text


def test_pages_ignore_parameters_they_do_not_know(client: TestClient) -> None:
    page = client.get("/", params={"period": "2026-10", "utm_source": "newsletter"})
    assert page.status_code == 200
    assert client.get("/insights", params={"period": "2026-10", "ref": "mail"}).status_code == 200


def test_an_api_error_follows_accept_language_as_the_pages_do(client: TestClient) -> None:
    """?lang=de worded an API error in German; the Accept-Language header, which the pages follow,
    was passed over."""
    asked = {"period": "2026-13"}
    german = client.get("/api/v1/report", params=asked, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert german.status_code == 400
    assert german.json()["error"]["message"] == "'2026-13': Es gibt keinen Monat 13"
    english = client.get("/api/v1/report", params=asked, headers={"Accept-Language": "en-US"})
    assert english.json()["error"]["message"] == "'2026-13': there is no month 13"
    chosen = client.get("/api/v1/report", params={**asked, "lang": "en"}, headers={"Accept-Language": "de"})
    assert chosen.json()["error"]["message"] == "'2026-13': there is no month 13"  # ?lang= first


def test_a_value_of_the_wrong_type_and_a_missing_route_are_said_in_german(client: TestClient) -> None:
    """A tester: ?lang=de answered "window: Input should be a valid integer" and "Not Found"."""
    german = client.get("/api/v1/programs/x/effect", params={"window": "abc", "lang": "de"})
    assert german.status_code == 400
    assert german.json()["error"]["message"] == "window: eine ganze Zahl ist erwartet"
    english = client.get("/api/v1/programs/x/effect", params={"window": "abc", "lang": "en"})
    assert english.json()["error"]["message"].startswith("window: Input should be a valid integer")
    nowhere = client.get("/api/v1/nope", params={"lang": "de"})
    assert nowhere.status_code == 404 and nowhere.json()["error"]["message"] == "Nicht gefunden"
    assert client.get("/api/v1/nope").json()["error"]["message"] == "Not Found"
