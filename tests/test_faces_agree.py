"""Every question asked in the terminal and through the API gets the same answer, on the hand-worked
workspace of tests/webdata.py (October 2026: revenue 3000.30 from d1 and d2, d3 lost, d5 open)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app
from webdata import make_workspace


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "web.duckdb")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False)) as c:
        yield c


def cli_json(cli: Cli, *args: str) -> object:
    return json.loads(cli(*args, "--format", "json").stdout, parse_float=Decimal)


def api_json(client: TestClient, path: str) -> object:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return json.loads(response.text, parse_float=Decimal)


@pytest.mark.parametrize(("command", "route"), [
    (("activities", "--period", "2026-10"), "/api/v1/activities?period=2026-10"),
    (("funnel", "--period", "2026-10"), "/api/v1/funnel?period=2026-10"),
    (("satisfaction", "--period", "2026"), "/api/v1/satisfaction?period=2026"),
    (("ramp", "--as-of", "2026-10-31"), "/api/v1/ramp?as_of=2026-10-31"),
    (("cycle", "--period", "2026-10"), "/api/v1/cycle?period=2026-10"),
    (("summary", "--period", "2026-10"), "/api/v1/summary?period=2026-10"),
    (("trend", "--period", "2026-Q4", "--grain", "month"), "/api/v1/trend?period=2026-Q4&grain=month"),
    (("rep", "Jim Halpert", "--period", "2026-10"), "/api/v1/reps/jim?period=2026-10"),
    (("target", "status", "--period", "2026-10"), "/api/v1/targets/status?period=2026-10"),
    (("target", "list"), "/api/v1/targets"),
])
def test_the_terminal_and_the_api_agree(db: Path, client: TestClient, command: tuple[str, ...],
                                        route: str) -> None:
    cli = Cli(db)
    cli("target", "set", "total_revenue", "2500", "--period", "2026-10")
    assert cli_json(cli, *command) == api_json(client, route)


def test_trend_and_records_add_up_to_the_report(db: Path, client: TestClient) -> None:
    cli = Cli(db)
    trend = cli_json(cli, "trend", "--period", "2026-09-01..2026-11-30", "--grain", "month")
    assert trend == [  # with its currency, as the CSV has it: 700.00 of what?
        {"key": "2026-09", "period": "2026-09", "value": Decimal("700.00"), "currency": "USD", "n": 1},
        {"key": "2026-10", "period": "2026-10", "value": Decimal("3000.30"), "currency": "USD", "n": 2},
        {"key": "2026-11", "period": "2026-11", "value": Decimal("0.00"), "currency": "USD", "n": 0},
    ]
    # The same as CSV, for a spreadsheet (the trend had table and json alone).
    csv_trend = cli("trend", "--period", "2026-09-01..2026-11-30", "--grain", "month", "--format",
                    "csv").stdout.splitlines()
    assert csv_trend == ["key,period,value,currency,n", "2026-09,2026-09,700.00,USD,1",
                         "2026-10,2026-10,3000.30,USD,2", "2026-11,2026-11,0.00,USD,0"]
    behind = cli_json(cli, "records", "total_revenue", "--period", "2026-10")
    assert isinstance(behind, dict)
    assert sorted(r["deal_id"] for r in behind["rows"]) == ["d1", "d2"]
    assert sum(r["amount"] for r in behind["rows"]) == Decimal("3000.30")
    csv_out = cli("records", "win_rate", "--period", "2026-10", "--format", "csv").stdout.splitlines()
    assert len(csv_out) == 4 and csv_out[0].startswith("deal_id,")  # d1, d2 won, d3 lost
    table = cli("records", "win_rate", "--period", "2026-10", "--limit", "1").stdout
    assert "1 of 3 shown" in table


def test_a_week_only_partly_in_the_period_says_which_days(db: Path) -> None:
    """October 2026 by week: W40 holds only Oct 1-4 and W44 only Oct 26-31 of it; the table says
    so beside the key, so a short week's figure is not read as a whole week's."""
    cli = Cli(db, columns=100)
    trend = cli_json(cli, "trend", "--period", "2026-10", "--grain", "week")
    assert isinstance(trend, list)
    assert [(p["key"], p["period"]) for p in trend if p["key"] != p["period"]] == [
        ("2026-W40", "2026-10-01..2026-10-04"), ("2026-W44", "2026-10-26..2026-10-31")]
    for lang, first, last, caption, whole in (
            ("en", "2026-W40 (Oct 1 – 4, 2026)", "2026-W44 (Oct 26 – 31, 2026)",
             "(days): only these days are in the figure", "2026-W41"),
            # In German the week reads as a German reader knows it (Kalenderwoche), as on the pages.
            ("de", "KW 40 2026 (1.–4. Okt. 2026)", "KW 44 2026 (26.–31. Okt. 2026)",
             "(Tage): nur diese Tage sind mitgezählt", "KW 41 2026")):
        text = cli("trend", "--period", "2026-10", "--grain", "week", "--lang", lang).stdout
        text = text.replace("\u2009", " ").replace("\xa0", " ")
        assert first in text and last in text and caption in text, text
        assert f"│ {whole} " in text  # a whole week keeps its key alone
        table = cli("report", "--period", "2026-10", "--by", "week", "--kpi", "total_revenue",
                    "--lang", lang).stdout
        table = table.replace("\u2009", " ").replace("\xa0", " ")
        assert f"│ {whole} " in table and "2026-W41" not in table.replace(whole, ""), table
        assert first in table and last in table and caption in table, table  # as trend says it
    # The title says the days and what the trend was narrowed to: a team's $1,200.00 under "Total
    # revenue" alone read as the company's.
    east = cli("trend", "--period", "2026-10", "--grain", "week", "--filter", "team=east").stdout
    assert "Total revenue, 2026-10-01 – 2026-10-31 (Team east)" in east, east
    cut = cli("trend", "--period", "2026-10", "--grain", "week", "--as-of", "2026-10-20",
              "--lang", "de").stdout
    assert cut.replace("\u2009", " ").replace("\xa0", " ").splitlines()[0].strip() == \
        "Gesamtumsatz, 01.10.2026 – 20.10.2026", cut


def test_a_quarter_only_partly_in_the_period_says_which_days(db: Path) -> None:
    """August to November by quarter: Q3 holds Aug 1 - Sep 30 and Q4 Oct 1 - Nov 30 of it. Unmarked,
    a quarter still running (or cut by the period) read as a whole quarter's figure."""
    cli = Cli(db, columns=100)
    for lang, q3, q4, caption in (
            ("en", "2026-Q3 (Aug 1 – Sep 30, 2026)", "2026-Q4 (Oct 1 – Nov 30, 2026)",
             "(days): only these days are in the figure"),
            ("de", "2026-Q3 (1. Aug. – 30. Sept. 2026)", "2026-Q4 (1. Okt. – 30. Nov. 2026)",
             "(Tage): nur diese Tage sind mitgezählt")):
        table = cli("report", "--period", "2026-08-01..2026-11-30", "--by", "quarter", "--kpi",
                    "total_revenue", "--lang", lang).stdout
        table = table.replace("\u2009", " ").replace("\xa0", " ")
        assert q3 in table and q4 in table and caption in table, table
    whole = cli("report", "--period", "2026-07-01..2026-09-30", "--by", "quarter", "--kpi",
                "total_revenue").stdout
    assert "│ 2026-Q3 " in whole and "(days)" not in whole, whole
    # A fiscal year from April: its Q3 is October to December, its Q2 July to September.
    cli("config", "set", "fiscal_year_start", "4")
    fiscal = cli("report", "--period", "2026-08-01..2026-11-30", "--by", "quarter", "--kpi",
                 "total_revenue").stdout.replace("\u2009", " ").replace("\xa0", " ")
    assert "2026-Q2 (Aug 1 – Sep 30, 2026)" in fiscal and "2026-Q3 (Oct 1 – Nov 30, 2026)" in fiscal, fiscal


def test_a_rep_beside_the_team_median_by_name(db: Path) -> None:
    cli = Cli(db)
    found = cli_json(cli, "rep", "jim halpert", "--period", "2026-10")
    assert isinstance(found, dict)
    lines = {line["kpi"]: line for line in found["kpis"]}
    assert found["rep"] == "jim" and found["team"] == "east"
    assert lines["total_revenue"]["value"] == Decimal("1000.10")
    table = cli("rep", "jim", "--period", "2026-10").stdout
    assert "$1,000.10" in table


def test_the_dashboard_as_json_is_the_apis(db: Path, client: TestClient) -> None:
    cli = Cli(db)
    from_cli = json.loads(cli("dashboard", "--period", "2026-10").stdout, parse_float=Decimal)
    assert from_cli == api_json(client, "/api/v1/dashboard?period=2026-10")
    tiles = {t["kpi"]: t for t in from_cli["tiles"]}
    assert tiles["total_revenue"]["value"] == Decimal("3000.30")
