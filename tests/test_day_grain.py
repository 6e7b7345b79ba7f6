"""Figures by day: ``report --by day``, and the dashboard's trend of a week in days, with the period
before set beside each bucket by the days as far into it (not by the calendar's weeks).

The workspace: ann wins 1,000.00 and 500.00 on Monday, October 5th 2026, loses a deal on the 7th and
wins 200.00 late on the 8th; in the week before she won 300.00 on Tuesday the 29th of September,
and 400.00 on June 30th."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app

WEEK = ("--period", "2026-10-05..2026-10-08")


def _deal(deal_id: str, closed: str, status: str, amount: str) -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": "ann", "created_at": "2026-06-01T10:00:00", "closed_at": closed,
            "status": status, "amount": amount, "currency": "USD"}


def _import(cli: Cli, csvs: Callable[..., Path]) -> None:
    cli.import_(csvs("reps", [{"rep_id": "ann", "name": "Ann", "team": "west"}]), csvs("deals", [
        _deal("d1", "2026-10-05T09:00:00", "won", "1000.00"),
        _deal("d2", "2026-10-05T16:00:00", "won", "500.00"),
        _deal("d3", "2026-10-07T11:00:00", "lost", "700.00"),
        _deal("d4", "2026-10-08T23:30:00", "won", "200.00"),
        _deal("d0", "2026-09-29T12:00:00", "won", "300.00"),
        _deal("dj", "2026-06-30T12:00:00", "won", "400.00")]))


def test_a_report_by_day_lists_every_day_of_the_period(cli: Cli, csvs: Callable[..., Path]) -> None:
    _import(cli, csvs)
    rows = cli.report(*WEEK, "--by", "day", "--kpi", "total_revenue", "--kpi", "win_rate")["rows"]
    figures = {(r["kpi"], r["day"]): (r["value"], r["n"]) for r in rows}
    assert figures == {
        ("total_revenue", "2026-10-05"): (1500.0, 2), ("total_revenue", "2026-10-06"): (0.0, 0),
        ("total_revenue", "2026-10-07"): (0.0, 0), ("total_revenue", "2026-10-08"): (200.0, 1),
        ("win_rate", "2026-10-05"): (1.0, 2), ("win_rate", "2026-10-06"): (None, 0),
        ("win_rate", "2026-10-07"): (0.0, 1), ("win_rate", "2026-10-08"): (1.0, 1)}


def test_days_read_as_a_german_reader_writes_them(cli: Cli, csvs: Callable[..., Path]) -> None:
    _import(cli, csvs)
    said = cli("report", *WEEK, "--by", "day", "--kpi", "total_revenue", "--lang", "de").stdout
    cells = [[c.strip() for c in line.split("│")[2:4]] for line in said.splitlines() if "│" in line]
    assert "┃ Tag" in said
    assert ["05.10.2026", "1.500,00\xa0$"] in cells and ["08.10.2026", "200,00\xa0$"] in cells
    # One time grain at a time, and the refusal names the new one.
    refused = cli("report", *WEEK, "--by", "day,week", ok=False)
    assert refused.exit_code != 0
    assert "group by one time grain at a time (day, week, month or quarter)" in " ".join(
        refused.output.split())


def test_the_dashboard_of_a_week_shows_its_days_beside_the_days_before(cli: Cli,
                                                                       csvs: Callable[..., Path]) -> None:
    _import(cli, csvs)
    with TestClient(create_app(cli.db, warm=False)) as client:
        dash = client.get("/api/v1/dashboard", params={"period": "2026-W41"}).json()
        assert dash["grain"] == "day"  # a week in one bar said nothing
        assert [(p["day"], p["value"]) for p in dash["trend"]] == [
            ("2026-10-05", 1500.0), ("2026-10-06", 0.0), ("2026-10-07", 0.0), ("2026-10-08", 200.0),
            ("2026-10-09", 0.0), ("2026-10-10", 0.0), ("2026-10-11", 0.0)]
        # Tuesday beside Tuesday: W40 begins on Monday the 28th.
        assert [(p["period"], p["value"]) for p in dash["previous_trend"]][:3] == [
            ("2026-09-28", 0.0), ("2026-09-29", 300.0), ("2026-09-30", 0.0)]
        page = _text(client.get("/", params={"period": "2026-W41", "lang": "en"}).text)
        assert "Day This period Period before" in page
        assert "Oct 6, 2026 $0.00 $300.00 (Sep 29, 2026)" in page
        # A year by day would be 365 bars too thin to read: refused, in the reader's language,
        # on the page with its form to choose another.
        refused = client.get("/api/v1/dashboard", params={"period": "2025", "grain": "day"})
        assert refused.status_code == 400
        assert refused.json()["error"]["message"] == (
            "a trend by day covers at most 92 days, and 2025 has 365: choose week or month")
        german = client.get("/", params={"period": "2025", "grain": "day", "lang": "de"})
        assert german.status_code == 400 and 'id="f-grain"' in german.text
        assert ("ein Verlauf nach Tagen umfasst höchstens 92 Tage, 2025 hat 365: Woche oder Monat wählen"
                in _text(german.text))


def test_a_month_s_weeks_are_set_beside_the_same_days_of_the_month_before(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    """October 2026 begins on a Thursday, September on a Tuesday. By calendar week, October's first
    (Thursday 1st to Sunday 4th) was set beside September's first (Tuesday 1st to Sunday 6th), and
    October's last days (Monday 26th to Saturday 31st) beside W40 (September 28th to 30th)."""
    _import(cli, csvs)
    with TestClient(create_app(cli.db, warm=False)) as client:
        dash = client.get("/api/v1/dashboard", params={"period": "2026-10", "grain": "week"}).json()
        assert [p["week"] for p in dash["trend"]] == ["2026-W40", "2026-W41", "2026-W42", "2026-W43",
                                                      "2026-W44"]
        assert [(p["period"], p["value"]) for p in dash["previous_trend"]] == [
            ("2026-09-01..2026-09-04", 0.0), ("2026-09-05..2026-09-11", 0.0),
            ("2026-09-12..2026-09-18", 0.0), ("2026-09-19..2026-09-25", 0.0),
            ("2026-09-26..2026-09-30", 300.0)]
        # A quarter's months beside the months of the quarter before, as the calendar has them.
        quarter = client.get("/api/v1/dashboard", params={"period": "2026-Q3"}).json()
        assert [(p["month"], p["value"]) for p in quarter["previous_trend"]] == [
            ("2026-04", 0.0), ("2026-05", 0.0), ("2026-06", 400.0)]


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_last_bucket_takes_the_rest_of_a_longer_period_before(cli: Cli,
                                                                  csvs: Callable[..., Path]) -> None:
    """February beside January: January's 29th to 31st lie past February's 28 days. Left out, the
    line added up to less than the tile compared with (the month's last days, its biggest)."""
    _import(cli, csvs)
    cli.import_(csvs("deals", [{**_deal("j1", "2026-01-30T10:00:00", "won", "900.00"),
                                "created_at": "2026-01-02T10:00:00"},
                               {**_deal("j2", "2026-01-27T10:00:00", "won", "100.00"),
                                "created_at": "2026-01-02T10:00:00"}]))
    with TestClient(create_app(cli.db, warm=False)) as client:
        dash = client.get("/api/v1/dashboard", params={"period": "2026-02"}).json()
        assert dash["grain"] == "week"
        last = dash["previous_trend"][-1]
        assert (last["period"], last["value"]) == ("2026-01-23..2026-01-31", 1000.0)
        revenue = next(t for t in dash["tiles"] if t["kpi"] == "total_revenue")
        assert sum(p["value"] for p in dash["previous_trend"]) == revenue["previous"] == 1000.0


def test_a_trend_by_day_is_bounded_wherever_it_is_drawn(cli: Cli, csvs: Callable[..., Path]) -> None:
    _import(cli, csvs)
    with TestClient(create_app(cli.db, warm=False)) as client:
        for path in ("/api/v1/trend", "/reps/ann"):
            refused = client.get(path, params={"period": "2025", "grain": "day", "lang": "en"})
            assert refused.status_code == 400, path
            assert "a trend by day covers at most 92 days, and 2025 has 365" in _text(refused.text), path
        # The stretch measured counts, not the period named: 2026 as of January 10th is ten days.
        early = client.get("/api/v1/trend", params={"period": "2026", "grain": "day", "as_of": "2026-01-10"})
        assert early.status_code == 200 and len(early.json()) == 10
    refused = cli("trend", "--period", "2025", "--grain", "day", ok=False)
    assert refused.exit_code == 2 and "at most 92 days" in " ".join(refused.output.split())
    german = cli("trend", *WEEK, "--grain", "day", "--lang", "de").stdout
    assert "05.10.2026" in german and "2026-10-05" not in german


def test_a_comparison_by_a_time_grain_says_why_every_before_is_empty(cli: Cli,
                                                                    csvs: Callable[..., Path]) -> None:
    """Found by a tester: --compare --by day read a dash in every Before cell, without a word."""
    _import(cli, csvs)
    asked = cli("report", *WEEK, "--by", "day", "--kpi", "total_revenue", "--compare")
    assert ("Grouped by day, the rows have no counterpart in the period before"
            in " ".join(asked.stderr.split()))
    german = cli("report", *WEEK, "--by", "day", "--kpi", "total_revenue", "--compare", "--lang", "de")
    assert "Nach Tag gruppiert, haben die Zeilen kein Gegenstück" in " ".join(german.stderr.split())
    # Without the comparison, or without a time grain, nothing is said.
    assert "counterpart" not in cli("report", *WEEK, "--by", "day", "--kpi", "total_revenue").stderr
    assert "counterpart" not in cli("report", *WEEK, "--by", "rep", "--kpi", "total_revenue",
                                    "--compare").stderr
