"""Targets of averages, rates and scores are compared as set; only sums and counts are pro-rated by
days and paced against the share of the period gone (issue 10, item 4)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from helpers import Cli
from salesmetrics import Workspace
from salesmetrics.kpis import REGISTRY, _validate

Csvs = Any


def deal(deal_id: str, rep: str, status: str, amount: str, closed: str) -> dict[str, Any]:
    return {"deal_id": deal_id, "rep_id": rep, "account": f"acct-{deal_id}",
            "created_at": "2026-09-01T09:00:00", "closed_at": closed, "status": status,
            "amount": amount, "currency": "USD"}


@pytest.fixture
def west(cli: Cli, csvs: Csvs) -> Cli:
    """Team west wins 30,000 and 20,000 in ISO week 47 of 2026 (16-22 November) and 5,000 in
    October; team east wins 1,000 in week 47."""
    csvs("reps", [{"rep_id": "ann", "team": "west"}, {"rep_id": "jim", "team": "east"}])
    cli.import_(csvs("deals", [
        deal("w1", "ann", "won", "30000.00", "2026-11-17T09:00:00"),
        deal("w2", "ann", "won", "20000.00", "2026-11-19T09:00:00"),
        deal("w3", "ann", "won", "5000.00", "2026-10-07T09:00:00"),
        deal("e1", "jim", "won", "1000.00", "2026-11-18T09:00:00"),
    ]).parent)
    return cli


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli(*args, "--format", "json").stdout)


def test_an_average_target_is_not_pro_rated_in_a_shorter_period(west: Cli) -> None:
    # The case: a quarter's average deal size target, looked at for one week.
    west("target", "set", "average_deal_size", "20000", "--team", "west", "--period", "2026-Q4")
    [status] = as_json(west, "target", "status", "--period", "2026-W47", "--as-of", "2026-11-22")
    # West's week: (30,000 + 20,000) / 2 = 25,000 against 20,000 as set (not 20,000 x 7/92 = 1,521.74).
    assert (status["kpi"], status["scope_id"]) == ("average_deal_size", "west")
    assert status["target"] == 20000 and status["value"] == 25000
    assert status["pace"] == 1.25 and status["status"] == "on_track"
    rows = {r["team"]: r for r in west.report("--period", "2026-W47", "--kpi", "average_deal_size",
                                              "--by", "team")["rows"]}
    assert rows["west"]["target"] == 20000 and rows["west"]["pace"] == 1.25
    assert rows["east"]["target"] is None


def test_an_average_is_paced_against_its_target_not_the_share_of_the_period(west: Cli) -> None:
    west("target", "set", "average_deal_size", "20000", "--team", "west", "--period", "2026-Q4")
    # On 22 November, 53 of 92 days are gone. West's average so far: 55,000 / 3 = 18,333.33: below
    # 20,000 (pace .9167), not "ahead" because only 58 % of the quarter is gone.
    [status] = as_json(west, "target", "status", "--period", "2026-Q4", "--as-of", "2026-11-22")
    assert status["value"] == 18333.33 and status["target"] == 20000
    assert status["pace"] == pytest.approx(0.9167, abs=1e-4)
    assert status["status"] == "at_risk"  # three deals: the interval still holds 20,000
    assert status["elapsed"] == pytest.approx(53 / 92, abs=1e-6)


def test_a_sum_target_is_still_pro_rated_by_days(west: Cli) -> None:
    west("target", "set", "total_revenue", "92000", "--period", "2026-Q4")
    [row] = west.report("--period", "2026-W47", "--kpi", "total_revenue", "--as-of", "2026-11-22")["rows"]
    assert row["target"] == 7000 and row["value"] == 51000  # 92,000 x 7/92; 30,000 + 20,000 + 1,000
    assert row["pace"] == pytest.approx(51000 / 7000, abs=1e-4)


def test_the_dashboard_tile_shows_the_average_target_as_set(west: Cli) -> None:
    west("target", "set", "average_deal_size", "20000", "--team", "west", "--period", "2026-Q4")
    west("target", "set", "nps", "40", "--team", "west", "--period", "2026-Q4")
    with Workspace.open(west.db) as ws:
        dash = ws.dashboard("2026-W47", filters={"team": ["west"]}, as_of=date(2026, 11, 22))
        tiles = {t.kpi: t for t in dash.tiles}
        assert ws.targets("2026-W47", filters={"team": ["west"]}) == {
            "average_deal_size": Decimal("20000"), "nps": Decimal("40")}
    assert tiles["average_deal_size"].target == 20000 and tiles["average_deal_size"].pace == 1.25


def test_averages_rates_and_scores_may_have_standing_targets_sums_may_not(west: Cli) -> None:
    west("target", "set", "average_deal_size", "20000", "--team", "west")  # every period
    [row] = west.report("--period", "2026-W47", "--kpi", "average_deal_size", "--filter",
                        "team=west")["rows"]
    assert row["target"] == 20000 and row["pace"] == 1.25
    refused = west("target", "set", "activity_count", "100", ok=False)
    assert refused.exit_code == 2 and "give the target a period" in refused.stderr


def test_each_kpi_declares_how_it_aggregates() -> None:
    assert {k: v.accumulates for k, v in REGISTRY.items()} == {
        "total_revenue": True, "revenue_per_rep": True, "revenue_per_product": True,
        "average_deal_size": False, "sales_cycle_length": False, "sales_cycle_median_km": False,
        "win_rate": False, "pipeline_win_rate": False, "quota_attainment": False,
        "activity_count": True, "nps": False, "ramp_time": False,
        "lost_deals": True, "lost_value": True,  # counted and summed: they grow with the period
    }
    with pytest.raises(RuntimeError, match="win_rate: a sum cannot have unit 'ratio'"):
        _validate((replace(REGISTRY["win_rate"], aggregation="sum"),))
    with pytest.raises(RuntimeError, match="unknown aggregation 'total'"):
        _validate((replace(REGISTRY["nps"], aggregation="total"),))  # type: ignore[arg-type]
