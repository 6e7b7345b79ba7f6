"""The insights over a period that holds no records say where the records are and what to try, as the
report does (issue 10 follow-up, item 15): the commands on stderr and in their JSON, the API, and the
insights page. Records here run from 20 October 2016 to 31 December 2017 (test_empty_period)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app
from test_empty_period import HINT, SAID, filled  # noqa: F401  (filled: the fixture)

INSIGHTS = [("scorecard", "jim"), ("activities",), ("funnel",), ("satisfaction",), ("cycle",)]


@pytest.mark.parametrize("command", INSIGHTS)
def test_every_insight_command_says_where_the_records_are(filled: Cli, command: tuple[str, ...]) -> None:  # noqa: F811
    table = filled(*command, "--period", "2026-10")
    german = filled(*command, "--period", "2026-10", "--lang", "de")
    data = json.loads(filled(*command, "--period", "2026-10", "--format", "json").stdout)

    assert SAID in " ".join(table.stderr.split())
    assert "versuchen Sie --period 2017" in " ".join(german.stderr.split())
    assert data["hint"] == HINT


@pytest.mark.parametrize("command", INSIGHTS)
def test_a_period_with_records_gives_no_hint(filled: Cli, command: tuple[str, ...]) -> None:  # noqa: F811
    assert "try --period" not in filled(*command, "--period", "2017").stderr
    assert "hint" not in json.loads(filled(*command, "--period", "2017", "--format", "json").stdout)


def test_the_api_and_the_insights_page_say_where_the_records_are(filled: Cli) -> None:  # noqa: F811
    with TestClient(create_app(filled.db, warm=False)) as client:
        apis = [client.get(f"/api/v1/{path}", params={"period": "2020"}).json()
                for path in ("activities", "funnel", "satisfaction", "cycle", "reps/jim/scorecard")]
        page = client.get("/insights", params={"period": "2020"}).text
        german = client.get("/insights", params={"period": "2020", "lang": "de"}).text
        full = client.get("/insights", params={"period": "2017"}).text

    assert all(data["hint"] == HINT for data in apis)
    assert "No records in this period: the records run from Oct 20, 2016 to Dec 31, 2017." in page
    assert 'href="/insights?period=2017">Show 2017</a>' in page
    assert "die Datensätze reichen vom 20.10.2016 bis 31.12.2017" in german
    assert 'id="hint"' not in full
