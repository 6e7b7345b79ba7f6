"""Quota attainment measured day by day. A quota for October alone was set against the quarter's
revenue without a word (6.61 where 20,480 of 20,500 was won in November and December), and a team's
own quota for October replaced its reps' quotas for the whole quarter (270.9 for 243.5). Now a
team's quota is its own on the days it has one, else its reps', and revenue won on a day no quota
measures is flagged ``unquoted_revenue``, a rep's own figure too.

The workspace: ann and bob in team west; ann wins 1,000 on Oct 10 and 2,000 on Nov 10, bob 3,000 on
Dec 10. Case "rep": ann's quota is 3,100 for October alone. Case "team": ann's and bob's quotas are
9,200 each for the quarter (100 a day over 92 days), and west's own is 31,000 for October."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Cli

HEADER = ["rep_id", "team", "period_start", "period_end", "amount", "currency"]
Q4 = ("--period", "2025-Q4", "--kpi", "quota_attainment")


def _deal(deal_id: str, rep: str, amount: str, closed: str) -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": rep, "created_at": "2025-09-01T10:00:00",
            "closed_at": f"{closed}T10:00:00", "status": "won", "amount": amount, "currency": "USD"}


@pytest.fixture
def west(cli: Cli, csvs: Callable[..., Path]) -> Callable[[list[dict[str, str]]], Cli]:
    def make(quotas: list[dict[str, str]]) -> Cli:
        csvs("reps", [{"rep_id": "ann", "name": "Ann", "team": "west"},
                      {"rep_id": "bob", "name": "Bob", "team": "west"}])
        csvs("deals", [_deal("d1", "ann", "1000.00", "2025-10-10"),
                       _deal("d2", "ann", "2000.00", "2025-11-10"),
                       _deal("d3", "bob", "3000.00", "2025-12-10")])
        cli.import_(csvs("quotas", [{**q, "currency": "USD"} for q in quotas], header=HEADER).parent)
        return cli
    return make


def _rows(cli: Cli, *args: str) -> dict[Any, tuple[Any, list[str]]]:
    out = {}
    for r in cli.report(*args)["rows"]:
        key = tuple(r[k] for k in ("rep", "team", "month") if k in r) or None
        out[key[0] if key and len(key) == 1 else key] = (r["value"], r["flags"])
    return out


def test_a_rep_s_quota_for_part_of_the_period_flags_the_revenue_outside_it(west: Any) -> None:
    cli = west([{"rep_id": "ann", "team": "", "period_start": "2025-10-01", "period_end": "2025-10-31",
                 "amount": "3100.00"}])
    # 3,000 against October's 3,100: 2,000 of it was won in November, when ann had no quota.
    assert _rows(cli, *Q4, "--by", "rep") == {
        "ann": (round(3000 / 3100, 6), ["unquoted_revenue"]), "bob": (None, ["no_quota"])}
    assert _rows(cli, *Q4, "--by", "rep,month") == {
        ("ann", "2025-10"): (round(1000 / 3100, 6), []), ("ann", "2025-11"): (None, ["no_quota"]),
        ("bob", "2025-12"): (None, ["no_quota"])}
    assert _rows(cli, *Q4, "--by", "team") == {"west": (round(6000 / 3100, 6), ["unquoted_revenue"])}
    # Within October alone nothing is outside a quota.
    assert _rows(cli, "--period", "2025-10", "--kpi", "quota_attainment", "--by", "rep") == {
        "ann": (round(1000 / 3100, 6), [])}


def test_a_team_s_own_quota_counts_on_its_days_and_its_reps_quotas_on_the_others(west: Any) -> None:
    quarter = [{"rep_id": r, "team": "", "period_start": "2025-10-01", "period_end": "2025-12-31",
                "amount": "9200.00"} for r in ("ann", "bob")]
    cli = west([*quarter, {"rep_id": "", "team": "west", "period_start": "2025-10-01",
                           "period_end": "2025-10-31", "amount": "31000.00"}])
    # October: west's own 31,000; November and December: ann's and bob's 100 a day each, 61 days.
    quota = 31000 + 2 * 100 * 61
    assert _rows(cli, *Q4, "--by", "team") == {"west": (round(6000 / quota, 6), ["quota_prorated"])}
    [company] = cli.report(*Q4)["rows"]
    assert company["value"] == round(6000 / quota, 6)
    by_month = _rows(cli, *Q4, "--by", "team,month")
    assert by_month == {("west", "2025-10"): (round(1000 / 31000, 6), []),
                        ("west", "2025-11"): (round(2000 / 6000, 6), ["quota_prorated"]),
                        ("west", "2025-12"): (round(3000 / 6200, 6), ["quota_prorated"])}
    # A rep's own figure is their own quota's, whatever their team's.
    assert _rows(cli, *Q4, "--by", "rep") == {"ann": (round(3000 / 9200, 6), []),
                                                "bob": (round(3000 / 9200, 6), [])}


def test_a_quota_of_zero_measures_nothing_and_its_revenue_is_flagged(west: Any) -> None:
    # bob's quota is 0 for the quarter: his own figure reads "no quota". The team's and the
    # company's set his 3,000 on top of ann's 9,200 and said nothing (0.652174 unflagged), as if
    # a quota had measured it.
    cli = west([{"rep_id": "ann", "team": "", "period_start": "2025-10-01", "period_end": "2025-12-31",
                 "amount": "9200.00"},
                {"rep_id": "bob", "team": "", "period_start": "2025-10-01", "period_end": "2025-12-31",
                 "amount": "0.00"}])
    assert _rows(cli, *Q4, "--by", "rep") == {
        "ann": (round(3000 / 9200, 6), []), "bob": (None, ["no_quota"])}
    assert _rows(cli, *Q4, "--by", "team") == {"west": (round(6000 / 9200, 6), ["unquoted_revenue"])}
    assert _rows(cli, *Q4) == {None: (round(6000 / 9200, 6), ["unquoted_revenue"])}


def test_a_team_s_own_quota_of_zero_does_not_stand_in_for_its_reps(west: Any) -> None:
    # west's own 0.00 for October took the place of ann's and bob's October quotas: 6,000 against
    # November's and December's alone (0.491803, "pro-rated"), October's 1,000 unflagged.
    quarter = {"team": "", "period_start": "2025-10-01", "period_end": "2025-12-31", "amount": "9200.00"}
    cli = west([{"rep_id": "ann", **quarter}, {"rep_id": "bob", **quarter},
                {"rep_id": "", "team": "west", "period_start": "2025-10-01", "period_end": "2025-10-31",
                 "amount": "0.00"}])
    assert _rows(cli, *Q4, "--by", "team") == {"west": (round(6000 / 18400, 6), [])}
