"""A rep's page sets them beside the median of their team's reps: only of the reps on the team in
that period. Dan, hired after October, counted as a rep with no revenue in October's median: Ann,
Bo and Cy's $1,000, $2,000 and $3,000 gave $1,500 'median of 4 reps', not $2,000 of 3."""

from __future__ import annotations

import json
from typing import Any

from helpers import Cli


def test_a_rep_hired_after_the_period_is_not_in_its_team_median(cli: Cli, csvs: Any) -> None:
    hired = {"ann": "2025-01-01", "bo": "2025-01-01", "cy": "2026-10-10", "dan": "2026-11-15"}
    csvs("reps", [{"rep_id": r, "name": r.title(), "team": "east", "hired_on": day}
                  for r, day in hired.items()])
    won = (("ann", 20, "1000.00"), ("bo", 21, "2000.00"), ("cy", 22, "3000.00"))
    cli.import_(csvs("deals", [
        {"deal_id": f"d-{rep}", "rep_id": rep, "created_at": "2026-10-01", "closed_at": f"2026-10-{day}",
         "status": "won", "amount": amount, "currency": "USD"} for rep, day, amount in won]).parent)
    page = json.loads(cli("rep", "ann", "--period", "2026-10", "--format", "json").stdout)
    revenue = next(k for k in page["kpis"] if k["kpi"] == "total_revenue")
    assert (revenue["team_median"], revenue["compared"]) == (2000.0, 3)
    # In November Dan is on the team, and none of the four has a record: no one worked, so there is
    # no median (it was four zeros: a median of reps who did not work, the analyst tester).
    november = json.loads(cli("rep", "ann", "--period", "2026-11", "--format", "json").stdout)
    later = next(k for k in november["kpis"] if k["kpi"] == "total_revenue")
    assert (later["team_median"], later["compared"]) == (None, 0)


def test_the_diagnosis_leaves_out_a_rep_hired_after_the_period_too(cli: Cli, csvs: Any) -> None:
    """Ann, Bo and Cy log 4, 10 and 12 activities in October; Dan joins on 15 November. Ann's
    October diagnosis set her beside a team median of 7 activities (Dan's zero among them) while
    her scorecard's table said 10: both say 10 now, on her scorecard, in the digest and on the
    dashboard."""
    hired = {"ann": "2025-01-01", "bo": "2025-01-01", "cy": "2025-01-01", "dan": "2026-11-15"}
    csvs("reps", [{"rep_id": r, "name": r.title(), "team": "east", "hired_on": day}
                  for r, day in hired.items()])
    csvs("activities", [{"activity_id": f"{rep}-{i}", "rep_id": rep, "type": "call",
                         "occurred_at": f"2026-10-{i + 1:02d}T09:00:00"}
                        for rep, n in (("ann", 4), ("bo", 10), ("cy", 12)) for i in range(n)])
    cli.import_(csvs("deals", [
        {"deal_id": f"{rep}-{i}", "rep_id": rep, "created_at": "2026-09-01",
         "closed_at": f"2026-10-{i + 1:02d}", "status": "won" if i % 2 else "lost", "amount": "100.00",
         "currency": "USD"}
        for rep in ("ann", "bo", "cy") for i in range(12)]).parent)
    card = json.loads(cli("scorecard", "ann", "--period", "2026-10", "--format", "json").stdout)
    assert card["diagnosis"]["figures"]["team_median_activities"] == 10
    board = json.loads(cli("dashboard", "--period", "2026-10").stdout)["reps"]
    assert {r["rep"]: r["diagnosis"] for r in board}["ann"] == card["diagnosis"]["code"]
