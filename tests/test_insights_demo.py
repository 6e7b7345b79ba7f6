"""The insights on the demo workspace, whose patterns are planted on purpose (salesmetrics.demo):
the scorecard must find the busy rep who converts poorly and the quiet one who converts well."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from salesmetrics import Workspace
from salesmetrics.demo import HIGH_ACTIVITY_LOW_CONVERSION_REP, LOW_ACTIVITY_HIGH_CONVERSION_REP

TODAY = date(2026, 10, 15)
NINE_MONTHS = "2026-01-01..2026-09-30"


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[Workspace]:
    with Workspace.open(demo_db, read_only=True) as ws:
        yield ws


def test_the_planted_reps_get_opposite_diagnoses(demo: Workspace) -> None:
    busy = demo.scorecard(HIGH_ACTIVITY_LOW_CONVERSION_REP, NINE_MONTHS, as_of=TODAY).diagnosis
    assert (busy.code, busy.activity, busy.conversion) == ("needs_training", "high", "low")
    quiet = demo.scorecard(LOW_ACTIVITY_HIGH_CONVERSION_REP, NINE_MONTHS, as_of=TODAY).diagnosis
    assert quiet.code == "needs_more_activity" and quiet.activity == "low"
    assert quiet.conversion in ("high", "typical")


def test_the_other_insights_answer_on_real_looking_data(demo: Workspace) -> None:
    funnel = demo.funnel("2026-Q2", as_of=TODAY)
    assert [s.stage for s in funnel.stages] == ["qualification", "discovery", "proposal", "negotiation"]
    assert funnel.velocity_per_day is not None and funnel.velocity_per_day > 0
    assert 0 < funnel.weighted_pipeline < funnel.open_amount
    # Later stages win more often: the probabilities learnt from history climb.
    probs = [funnel.probabilities[s.stage] for s in funnel.stages]
    assert probs == sorted(probs)
    assert demo.satisfaction("2025-10-01..2026-09-30", as_of=TODAY).verdict != "not_enough_data"
    ramp = demo.ramp_cohorts(as_of=TODAY)
    assert ramp.reps >= 5 and ramp.median_months is not None
    effect = demo.activity_effectiveness("2026-Q2", as_of=TODAY)
    [everyone] = effect.groups
    assert everyone.demo_to_win is not None and everyone.activities_per_won_deal is not None
    assert everyone.activities_per_won_deal > (everyone.activities_per_lost_deal or 0)


def test_report_rows_carry_intervals_and_changes(demo: Workspace, tmp_path: Path) -> None:
    rows = {r["kpi"]: r for r in demo.report("2026-Q2", compare=True).rows
            if "rep" not in r and "product" not in r}
    win = rows["win_rate"]
    assert win["ci_low"] < win["value"] < win["ci_high"] and win["n"] >= 30
    assert "small_sample" not in win["flags"] and win["significant"] in (True, False)
    km, mean = rows["sales_cycle_median_km"], rows["sales_cycle_length"]
    # Open deals count in the median: it is never shorter than the average of won deals alone.
    assert km["value"] is None or km["value"] >= mean["value"] - 5
