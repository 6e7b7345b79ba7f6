"""A rep hired within a period, through the commands a leader uses: their target counts from the
hire date, the period before it has no figure of theirs (not a 0), and a ramp band open above says
so in words. Found by a tester: a rep hired on November 1st "missed" October's share of her
quarter's target, and her 20 activities read as a significant rise from 0."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Cli

REPS = [{"rep_id": "r1", "name": "Rita One", "team": "A", "hired_on": "2024-01-01"},
        {"rep_id": "r3", "name": "Rosa Three", "team": "A", "hired_on": "2026-11-01"}]


def _deal(deal_id: str, rep: str, created: str, closed: str, amount: str) -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": rep, "created_at": f"{created}T09:00:00",
            "closed_at": f"{closed}T10:00:00", "status": "won", "amount": amount, "currency": "USD"}


@pytest.fixture
def hired(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    csvs("reps", REPS)
    csvs("activities", [{"activity_id": f"{rep}{i}", "rep_id": rep, "type": "call",
                         "occurred_at": f"2026-{month}-{day:02d}T10:00:00"}
                        for rep, month, days in (("r1", "10", 20), ("r1", "11", 20), ("r3", "11", 20))
                        for i, day in ((f"{month}-{d}", d) for d in range(1, days + 1))])
    folder = csvs("deals", [_deal("a1", "r1", "2026-09-20", "2026-10-05", "9000"),
                            _deal("a2", "r1", "2026-10-20", "2026-11-10", "6000"),
                            _deal("b1", "r3", "2026-11-02", "2026-11-10", "3000")]).parent
    cli.import_(folder)
    cli("target", "set", "total_revenue", "12000", "--rep", "r3", "--period", "2026-Q4")
    return cli


def _statuses(cli: Cli, *args: str) -> dict[str, dict[str, Any]]:
    rows = json.loads(cli("target", "status", *args, "--format", "json").stdout)
    return {r["scope_id"]: r for r in rows if r["scope"] == "rep"}


def test_a_rep_s_target_counts_from_the_hire_date(hired: Cli) -> None:
    # October is before her first day: no target of hers, not 12,000 x 31/92 "missed".
    assert _statuses(hired, "--period", "2026-10") == {}
    # The week of October 26th holds one day of hers: 1/61 of her quarter's target.
    assert _statuses(hired, "--period", "2026-W44")["r3"]["target"] == 196.72
    assert _statuses(hired, "--period", "2026-12")["r3"]["target"] == 6098.36  # 31 of her 61 days
    # As of November 15th she has been there 15 of 61 days: 3,000 against 2,950.82 is on track
    # (against half the quarter, 6,000, it read off track at a pace of 50 %).
    mid = _statuses(hired, "--period", "2026-Q4", "--as-of", "2026-11-15")["r3"]
    assert (mid["target"], mid["value"], mid["status"], mid["pace"]) == (12000, 3000.0, "on_track", 1.0167)
    assert mid["elapsed"] == pytest.approx(15 / 61)  # the share her pace is read on (the review)
    # Whose target, by name, as the targets page says it (the table said "rep r3").
    assert "Rosa Three (r3)" in hired("target", "status", "--period", "2026-12").stdout


def test_a_rep_hired_since_the_period_before_is_compared_with_nothing(hired: Cli) -> None:
    rows = json.loads(hired("report", "--period", "2026-11", "--by", "rep", "--compare", "--kpi",
                            "total_revenue", "--kpi", "activity_count", "--format", "json").stdout)["rows"]
    compared = {(r["kpi"], r["rep"]): (r["value"], r["previous"], r["significant"]) for r in rows}
    assert compared == {
        ("total_revenue", "r1"): (6000.0, 9000.0, None), ("total_revenue", "r3"): (3000.0, None, None),
        ("activity_count", "r1"): (20, 20, False), ("activity_count", "r3"): (20, None, None)}
    # Her own figure, filtered to her, is compared with nothing too (the review).
    alone = json.loads(hired("report", "--period", "2026-11", "--filter", "rep=r3", "--compare", "--kpi",
                             "activity_count", "--format", "json").stdout)["rows"]
    assert [(r["value"], r["previous"], r["significant"]) for r in alone] == [(20, None, None)]
    # By rep and filtered to a kind of activity: still hers, compared with nothing (a review: the
    # target's rule, which leaves part of a figure unjudged, had turned hers into a rise from 0).
    calls = json.loads(hired("report", "--period", "2026-11", "--by", "rep", "--compare", "--kpi",
                             "activity_count", "--filter", "activity_type=call", "--format", "json").stdout)
    assert {r["rep"]: (r["value"], r["previous"]) for r in calls["rows"]} == {"r1": (20, 20),
                                                                             "r3": (20, None)}
    card = json.loads(hired("scorecard", "r3", "--period", "2026-W45", "--format", "json").stdout)
    revenue = next(line for line in card["kpis"] if line["kpi"] == "total_revenue")
    # The two weeks before end before her first day; the week of October 26th holds it.
    assert [(h["period"], h["value"]) for h in revenue["history"]] == [
        ("2026-10-12..2026-10-18", None), ("2026-10-19..2026-10-25", None), ("2026-10-26..2026-11-01", 0.0)]


def test_a_ramp_band_open_above_says_so_in_words(cli: Cli, csvs: Callable[..., Path]) -> None:
    """Kaplan-Meier's band of the median months to ramp has no upper bound while few have ramped:
    it read "(95 %: 3" and two dashes, and three dashes with no bound at all."""
    reps = [("o1", "2020-01-01"), ("h1", "2026-01-01"), ("h2", "2026-02-01"), ("h3", "2026-03-01")]
    csvs("reps", [{"rep_id": r, "name": r.upper(), "team": "A", "hired_on": h} for r, h in reps])
    last_day = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30}
    csvs("quotas", [{"rep_id": r, "period_start": f"2026-{m:02d}-01",
                     "period_end": f"2026-{m:02d}-{last_day[m]}", "amount": "10000", "currency": "USD"}
                    for r, _ in reps for m in range(1, 7)])
    # h1 at quota from March (ramped in month 3), h3 from May (month 3), h2 never.
    wins = {"o1": dict.fromkeys(range(1, 7), "12000"), "h1": dict.fromkeys((3, 4, 5), "12000"),
            "h2": dict.fromkeys(range(2, 7), "1000"), "h3": dict.fromkeys((5, 6), "12000")}
    folder = csvs("deals", [_deal("d0", "o1", "2025-11-01", "2025-12-01", "100"), *(
        _deal(f"{r}{m}", r, f"2026-{m:02d}-01", f"2026-{m:02d}-15", amount)
        for r, months in wins.items() for m, amount in months.items())]).parent
    cli.import_(folder)

    def said(*args: str) -> str:
        return " ".join(cli("ramp", *args).stdout.split())

    assert "those still ramping count as 'not yet'): 3 (95 %: 3 – open);" in said("--as-of", "2026-06-30")
    assert "„noch nicht“): 3 Monate (95 %: 3 – offen);" in said("--as-of", "2026-06-30", "--lang", "de")
    assert "'not yet'): not reached (95 %: not known);" in said("--as-of", "2026-03-20")
    # As of April 20th h1 is at quota in March and, with 12,000 won on April 15th, in April
    # already: ramped in month 3, as ramp time in the report says (ramp said "not yet", a tester).
    cohorts = json.loads(cli("ramp", "--as-of", "2026-04-20", "--format", "json").stdout)["cohorts"]
    assert [c["months_to_ramp"] for c in cohorts] == [{"h1": 3}, {"h2": None}, {"h3": None}]
    report = json.loads(cli("report", "--kpi", "ramp_time", "--period", "2026-04", "--as-of", "2026-04-20",
                            "--by", "rep", "--format", "json").stdout)["rows"]
    assert [(r["rep"], r["value"]) for r in report] == [("h1", 89.0), ("h2", None), ("h3", None)]


def test_a_running_month_never_moves_the_complete_months_of_the_revenue_rule(demo_db: Path,
                                                                             tmp_path: Path) -> None:
    """The running month, read for its hit, fed its few days into the revenue rule's bar (the
    veterans' median month): every complete month's share moved from one day to the next (the
    review). The curves of complete months are the same on any day of the month."""
    import shutil

    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    cli = Cli(copy)
    cli("config", "set", "ramp_rule", "revenue")

    def curves(day: str) -> list[Any]:
        cohorts = json.loads(cli("ramp", "--as-of", day, "--format", "json").stdout)["cohorts"]
        return [c["curve"] for c in cohorts]

    assert curves("2026-10-02") == curves("2026-10-14")
