"""Every face names the stretch it measured when ``--as-of`` cuts the period (issue 10 follow-up, item
5): the JSON of every answer carries ``as_of`` and ``measured_period`` as the report's does, the
report's CSV says it in columns, the CLI's titles and the pages show the cut stretch, never the whole
quarter."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app
from test_as_of import around  # noqa: F401  (the fixture: records on both sides of 15 November)

MEASURED = {"label": "2026-10-01..2026-11-15", "start": "2026-10-01", "end": "2026-11-16"}
CUT = ("--period", "2026-Q4", "--as-of", "2026-11-15")


@pytest.fixture
def staged(around: Cli, csvs: Any) -> Cli:  # noqa: F811
    """The same records, with a stage history, so the funnel has rows to show."""
    around.import_(csvs("stage_history", [
        {"deal_id": "a1", "stage": "qualify", "entered_at": "2026-11-01T09:00:00"},
        {"deal_id": "a1", "stage": "propose", "entered_at": "2026-11-10T09:00:00"},
        {"deal_id": "a2", "stage": "qualify", "entered_at": "2026-11-01T09:00:00"},
    ]))
    return around


COMMANDS = [("funnel",), ("cycle",), ("activities",), ("satisfaction",), ("scorecard", "ann"),
            ("records", "total_revenue"), ("rep", "ann"), ("compare", "west", "east")]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_answer_says_as_of_and_the_stretch_measured(staged: Cli, command: tuple[str, ...]) -> None:
    data = json.loads(staged(*command, *CUT, "--format", "json").stdout)
    assert data["as_of"] == "2026-11-15" and data["measured_period"] == MEASURED
    assert data["period"]["end"] == "2027-01-01"  # the period asked for stays as asked
    # A period that has ended is taken whole: no as-of day to say (one still running is taken as
    # of today, test_as_of.py).
    whole = json.loads(staged(*command, "--period", "2026-10-01..2026-12-01", "--format", "json").stdout)
    assert "as_of" not in whole and "measured_period" not in whole


def test_the_api_says_as_of_on_every_answer(staged: Cli) -> None:
    params = {"period": "2026-Q4", "as_of": "2026-11-15"}
    with TestClient(create_app(staged.db, warm=False)) as client:
        for path, extra in [("/api/v1/records", {"kpi": "total_revenue"}), ("/api/v1/reps/ann", {}),
                            ("/api/v1/reps/ann/scorecard", {}), ("/api/v1/funnel", {}),
                            ("/api/v1/activities", {}), ("/api/v1/satisfaction", {}),
                            ("/api/v1/cycle", {}), ("/api/v1/compare", {"team": ["west", "east"]})]:
            r = client.get(path, params={**params, **extra})
            assert r.status_code == 200, (path, r.text)
            assert r.json()["as_of"] == "2026-11-15" and r.json()["measured_period"] == MEASURED, path


def test_the_report_csv_says_the_stretch_measured(staged: Cli) -> None:
    text = staged("report", *CUT, "--kpi", "total_revenue", "--format", "csv").stdout
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["period_start"], row["period_end"]) == ("2026-10-01", "2027-01-01")
    assert (row["as_of"], row["measured_start"], row["measured_end"]) == ("2026-11-15", "2026-10-01",
                                                                          "2026-11-16")
    assert row["value"] == "5000.00"
    plain = staged("report", "--period", "2026-10-01..2026-12-01", "--kpi", "total_revenue", "--format",
                   "csv").stdout  # ended: taken whole
    assert "as_of" not in plain.splitlines()[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_the_cli_titles_name_the_stretch_measured(staged: Cli, command: tuple[str, ...]) -> None:
    text = " ".join(staged(*command, *CUT).stdout.split())
    assert "2026-10-01..2026-11-15" in text, text
    assert "2026-Q4" not in text


def test_the_pages_show_the_stretch_measured(staged: Cli) -> None:
    params = {"period": "2026-Q4", "as_of": "2026-11-15"}
    with TestClient(create_app(staged.db, warm=False)) as client:
        pages = {path: client.get(path, params={**params, **extra}).text.replace("\u2009", " ")
                 for path, extra in [("/insights", {}), ("/reps/ann", {}),
                                     ("/drill", {"kpi": "total_revenue"}),
                                     ("/compare", {"team": ["west", "east"]}), ("/targets", {})]}
    for path, page in pages.items():
        assert "Oct 1 – Nov 15, 2026" in page, path
        assert "Oct 1 – Dec 31, 2026" not in page, path
