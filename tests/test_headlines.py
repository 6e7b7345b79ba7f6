"""Headlines that have no figure say what can be said instead, in every face: the Kaplan-Meier median
not reached yet reads "over N days" (the longest time observed) with why, and any other empty
headline says why in words, never a bare dash.

October 2026: jim wins w1 after 10 days; o1, o2 and o3 are still open on 1 November at 61, 11 and 91
days. Kaplan-Meier: 4 deals at risk on day 10, one won: S = 0.75, and then only censorings, so the
curve never reaches 0.5 and the median is beyond the longest time observed, 91 days. No NPS answers,
no quotas, no hire dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app


def deal(deal_id: str, status: str, created: str, closed: str = "") -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": "jim", "account": "Acme", "created_at": f"{created}T09:00:00",
            "closed_at": f"{closed}T09:00:00" if closed else "", "status": status, "amount": "1000.00",
            "currency": "USD"}


@pytest.fixture
def filled(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    csvs("reps", [{"rep_id": "jim", "name": "Jim Halpert", "team": "east"}])
    cli.import_(csvs("deals", [
        deal("w1", "won", "2026-10-01", "2026-10-11"),
        deal("o1", "open", "2026-09-01"),
        deal("o2", "open", "2026-10-21"),
        deal("o3", "open", "2026-08-02"),
    ]).parent)
    cli.columns = 200  # one line a KPI: the tables are read cell by cell
    return cli


def value_cells(table_text: str) -> dict[str, str]:
    """KPI title -> the Value column of the summary's head table (Rich's box drawing)."""
    cells: dict[str, str] = {}
    for line in table_text.splitlines():
        if line.startswith("└"):  # the end of the head table; the top reps follow
            break
        parts = [p.strip() for p in line.split("│")]
        if len(parts) > 3 and parts[1] and parts[1] != "KPI":
            cells[parts[1]] = parts[2]
    return cells


def test_a_median_not_reached_reads_over_the_longest_time_observed(filled: Cli) -> None:
    row = filled.report("--period", "2026-10", "--kpi", "sales_cycle_median_km")["rows"][0]
    assert row["value"] is None and row["n"] == 4
    assert "median_not_reached" in row["flags"] and row["lower_bound"] == 91

    table = filled("report", "--period", "2026-10", "--kpi", "sales_cycle_median_km").stdout
    summary = filled("summary", "--period", "2026-10").stdout
    german = filled("summary", "--period", "2026-10", "--lang", "de").stdout
    cycle = filled("cycle", "--period", "2026-10").stdout

    assert "over 91 days" in table and "under half of the deals won yet" in " ".join(table.split())
    assert value_cells(summary)["Sales cycle (median, open deals counted)"] == "over 91 days"
    assert "über 91 Tage" in german
    assert "Kaplan-Meier median over 91 days" in cycle
    # The CSV says it too: an empty value with a flag, and no "over 91", lost it (a tester).
    lines = filled("report", "--period", "2026-10", "--kpi", "sales_cycle_median_km", "--format",
                   "csv").stdout.splitlines()
    assert lines[0].endswith(",ci_low,ci_high,lower_bound")
    assert lines[1].startswith("sales_cycle_median_km,,days,") and lines[1].endswith(",91.0")
    # Without a median beyond its data, the columns are as they were.
    reached = filled("report", "--period", "2026-10", "--kpi", "win_rate", "--format", "csv").stdout
    assert reached.splitlines()[0].endswith(",ci_low,ci_high")


def test_no_headline_is_a_bare_dash(filled: Cli) -> None:
    english = value_cells(filled("summary", "--period", "2026-10").stdout)
    german = value_cells(filled("summary", "--period", "2026-10", "--lang", "de").stdout)
    # In a month with nothing at all, every figure that cannot be 0 says why.
    empty = value_cells(filled("summary", "--period", "2026-12").stdout)

    assert english["Net Promoter Score"] == "no answers" and english["Quota attainment"] == "no quota"
    assert german["Net Promoter Score"] == "keine Antworten"
    assert empty["Win rate (closed)"] == "no deal closed" and empty["Average deal size"] == "no deal won"
    for cells in (english, german, empty):
        assert len(cells) == 10 and "–" not in cells.values() and "" not in cells.values(), cells


def test_the_dashboard_tile_and_the_api_say_over_n_days(filled: Cli) -> None:
    with TestClient(create_app(filled.db, warm=False)) as client:
        page = client.get("/", params={"period": "2026-10"}).text
        german = client.get("/", params={"period": "2026-10", "lang": "de"}).text
        api = client.get("/api/v1/summary", params={"period": "2026-10"}).json()

    tile = re.search(r'<article class="tile" data-kpi="sales_cycle_median_km".*?</article>', page, re.S)
    assert tile and "over 91 days" in tile[0]
    assert "the median lies beyond the longest time observed, 91 days" in " ".join(tile[0].split())
    nps = re.search(r'<article class="tile" data-kpi="nps".*?</article>', page, re.S)
    assert nps and "no answers" in nps[0]
    assert "über 91 Tage" in german
    km = next(h for h in api["headlines"] if h["kpi"] == "sales_cycle_median_km")
    assert km["value"] is None and km["lower_bound"] == 91
