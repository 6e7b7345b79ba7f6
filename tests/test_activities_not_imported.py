"""A workspace without a single activity (Maven's CRM set has none) showed "Activities 0", before
0, and a leaderboard column of zeros: read as reps who did nothing. The count stays 0 (it is what
was imported) but every face says none were imported, compares it with nothing, and stops saying so
once an activity is imported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics import Viewer, Workspace
from salesmetrics.web.app import create_app

REPS = [{"rep_id": "ann", "name": "Ann", "team": "East"}, {"rep_id": "bob", "name": "Bob", "team": "East"}]
DEALS = [
    {"deal_id": "d1", "rep_id": "ann", "created_at": "2026-09-01", "closed_at": "2026-10-05",
     "status": "won", "amount": "1200.00", "currency": "EUR"},
    {"deal_id": "d2", "rep_id": "bob", "created_at": "2026-09-02", "closed_at": "2026-10-06",
     "status": "won", "amount": "300.50", "currency": "EUR"},
    {"deal_id": "d0", "rep_id": "bob", "created_at": "2026-08-02", "closed_at": "2026-09-06",
     "status": "won", "amount": "99.00", "currency": "EUR"},
]
ACTIVITIES = [{"activity_id": "a1", "rep_id": "ann", "type": "call", "occurred_at": "2026-10-02 10:00"}]


def _row(rows: list[dict[str, Any]], kpi: str) -> dict[str, Any]:
    return next(r for r in rows if r["kpi"] == kpi)


def _said(text: str) -> str:
    return " ".join(text.split())


def test_the_count_stays_zero_and_says_none_were_imported(cli: Cli, csvs: Callable[..., Path]) -> None:
    cli.import_(csvs("reps", REPS), csvs("deals", DEALS))
    row = cli.report("--period", "2026-10", "--kpi", "activity_count", "--compare")["rows"][0]
    assert (row["value"], row["n"], row["flags"]) == (0, 0, ["no_activities"])
    assert (row["previous"], row["change"], row["significant"]) == (None, None, None)
    line = next(x for x in cli("summary", "--period", "2026-10").stdout.splitlines() if "Activities" in x)
    assert [c.strip() for c in line.split("│")[2:5]] == ["none imported", "–", "–"]
    de = next(x for x in cli("summary", "--period", "2026-10", "--lang", "de").stdout.splitlines()
              if "Aktivitäten" in x)
    assert "keine importiert" in de
    rep = next(x for x in cli("rep", "ann", "--period", "2026-10").stdout.splitlines() if "Activities" in x)
    assert [c.strip() for c in rep.split("│")[2:4]] == ["none imported", "none imported"]
    # Grouped, there is no row at all: said, not an empty frame.
    by_rep = cli("report", "--period", "2026-10", "--kpi", "activity_count", "--by", "rep")
    assert ("No rows: nothing these KPIs count falls in 2026-10-01 – 2026-10-31 (grouped by Rep)"
            in _said(by_rep.stderr))

    # One activity imported: a real count again, and a rep without any has a real 0.
    cli.import_(csvs("activities", ACTIVITIES))
    now = cli.report("--period", "2026-10", "--kpi", "activity_count", "--compare")["rows"][0]
    assert (now["value"], now["flags"], now["previous"]) == (1, [], 0)
    bob = json.loads(cli("rep", "bob", "--period", "2026-10", "--format", "json").stdout)
    assert [(x["value"], x["flags"]) for x in bob["kpis"] if x["kpi"] == "activity_count"] == [(0, [])]


def test_the_dashboard_says_none_imported_in_the_tile_the_leaderboard_and_the_rep_page(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    cli.import_(csvs("reps", REPS), csvs("deals", DEALS))
    dash = json.loads(cli("dashboard", "--period", "2026-10").stdout)
    tile = _row(dash["tiles"], "activity_count")
    assert (tile["value"], tile["flags"]) == (0, ["no_activities"])
    with TestClient(create_app(cli.db, warm=False)) as client:
        page = _said(client.get("/?period=2026-10&lang=en").text)
        assert 'title="Show the records behind Activities">none imported</a>' in page
        for rep in ("ann", "bob"):
            row = page[page.index(f'<tr data-rep="{rep}">'):]
            row = row[:row.index("</tr>")]
            assert '<td class="num" data-col="activities" data-value="">none imported</td>' in row
            assert 'data-col="revenue" data-value="' in row  # the other columns keep their figures
        de = _said(client.get("/reps/ann?period=2026-10&lang=de").text)
        line = de[de.index('<tr data-kpi="activity_count"'):]
        line = line[:line.index("</tr>")]
        assert '<td class="num">keine importiert </td>' in line
        assert line.count('<td class="num past">–</td>') == 3 and ">0<" not in line


def test_rows_added_for_buckets_and_targets_say_it_too_and_no_target_is_judged(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    cli.import_(csvs("reps", REPS), csvs("deals", DEALS))
    cli("target", "set", "activity_count", "100", "--rep", "ann", "--period", "2026-Q4")
    cli("target", "set", "activity_count", "300", "--period", "2026-Q4")
    by_month = cli.report("--period", "2026-Q4", "--as-of", "2026-11-15", "--kpi", "activity_count",
                          "--by", "month")["rows"]
    assert [(r["month"], r["value"], r["flags"]) for r in by_month] == [
        ("2026-10", 0, ["no_activities"]), ("2026-11", 0, ["bucket_cut", "no_activities"])]  # cut at the 15th
    by_rep = cli.report("--period", "2026-Q4", "--as-of", "2026-11-15", "--kpi", "activity_count",
                        "--by", "rep")["rows"]
    assert [(r["rep"], r["value"], r["flags"], r["target"], r["target_status"], r["pace"])
            for r in by_rep] == [("ann", 0, ["no_activities"], 100, None, None)]
    status = json.loads(cli("target", "status", "--period", "2026-Q4", "--as-of", "2026-11-15",
                            "--format", "json").stdout)
    assert {(t["scope"], t["status"]) for t in status if t["kpi"] == "activity_count"} == {
        ("company", None), ("rep", None)}
    card = cli("scorecard", "ann", "--period", "2026-10").stdout
    line = next(x for x in card.splitlines() if "Activities" in x)
    assert [c.strip() for c in line.split("│")[2:8]] == ["none imported", "", "–", "–", "–", "–"]
    dash = json.loads(cli("dashboard", "--period", "2026-10").stdout)
    tile = _row(dash["tiles"], "activity_count")
    assert (tile["previous"], tile["year_ago"]) == (None, None)


def test_a_viewer_without_activities_of_their_own_has_a_real_zero(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    """Whether activities were imported is the workspace's question, not the viewer's: a rep who
    logged nothing, beside a colleague who did, did nothing."""
    cli.import_(csvs("reps", REPS), csvs("deals", DEALS), csvs("activities", ACTIVITIES))
    with Workspace.open(cli.db, read_only=True) as ws:
        bob = ws.report("2026-10", kpis=["activity_count"], viewer=Viewer.of_rep("bob@example.com", "bob"))
        assert [(r["value"], r["flags"]) for r in bob.rows] == [(0, [])]
        west = ws.report("2026-10", kpis=["activity_count"], filters={"rep": ["bob"]})
        assert [(r["value"], r["flags"]) for r in west.rows] == [(0, [])]
