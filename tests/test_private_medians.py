"""A rep sees their team only as medians, and a median of two is no secret: beside one's own figure
it gives the other's away. Team north has five reps, but in October 2026 only two of them closed
deals: low won 1 of 12, high 11 of 12. The team's median win rate, 50 %, is the two rates' middle,
so low, knowing their own 8.3 %, would read high's 91.7 % from it. Every rep has 5 activities: that
median rests on all five and stays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Cli, add_user, write_csv

REPS = ("low", "high", "quiet1", "quiet2", "quiet3")
PERIOD = ("--period", "2026-10", "--format", "json")


def _deals(rep: str, won: int) -> list[dict[str, str]]:
    return [{"deal_id": f"{rep}-{i}", "rep_id": rep, "account": f"acct {rep} {i}",
             "created_at": "2026-09-01T10:00:00", "closed_at": f"2026-10-{i + 1:02d}T10:00:00",
             "status": "won" if i < won else "lost", "amount": "100.00", "currency": "USD"}
            for i in range(12)]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r, "team": "north", "hired_on": "2020-01-01"}
                                    for r in REPS])
    write_csv(folder / "deals.csv", [*_deals("low", 1), *_deals("high", 11)])
    write_csv(folder / "activities.csv", [
        {"activity_id": f"{r}-{i}", "rep_id": r, "type": "call", "occurred_at": f"2026-10-{i + 10}T09:00:00"}
        for r in REPS for i in range(5)])
    cli = Cli(tmp_path / "team.duckdb")
    cli.import_(folder)
    add_user(cli, "low@example.com", "--role", "rep", "--rep", "low")
    return cli


def _figures(diagnosis: dict[str, object]) -> dict[str, object]:
    figures = diagnosis["figures"]
    assert isinstance(figures, dict)
    return {k: figures[k] for k in ("win_rate", "team_median_win_rate", "activities",
                                    "team_median_activities", "team_median_activities_per_closed_deal")}


def test_a_reps_scorecard_leaves_out_a_median_of_two(cli: Cli) -> None:
    admin = json.loads(cli("scorecard", "low", *PERIOD).stdout)["diagnosis"]
    assert admin["code"] == "needs_training"
    assert _figures(admin) == {"win_rate": 0.083333, "team_median_win_rate": 0.5, "activities": 5,
                               "team_median_activities": 5,
                               "team_median_activities_per_closed_deal": 0.42}
    own = json.loads(cli("scorecard", "low", *PERIOD, "--as-user", "low@example.com").stdout)["diagnosis"]
    assert own["code"] == "needs_training"  # where the rep stands is theirs to know
    assert _figures(own) == {"win_rate": 0.083333, "team_median_win_rate": None, "activities": 5,
                             "team_median_activities": 5,
                             "team_median_activities_per_closed_deal": None}
    text = " ".join(cli("scorecard", "low", "--period", "2026-10", "--as-user", "low@example.com")
                    .stdout.split())
    assert text.endswith("0.42 per closed deal (team –); win rate 8 % (95 % interval 1 %–35 %) "
                         "against the team's –. No programs on record.")
    # `rep` says the withheld median as a dash too, not the figure's empty word ("no deal closed").
    table = Cli(cli.db, columns=200)("rep", "low", "--period", "2026-10", "--as-user",
                                     "low@example.com").stdout
    [win] = [line.split("│") for line in table.splitlines() if "Win rate (closed)" in line]
    assert win[-2].strip() == "–", table


def test_a_reps_digest_leaves_out_a_median_of_two(cli: Cli, tmp_path: Path) -> None:
    [admin] = json.loads(cli("digest", *PERIOD).stdout)["attention"]
    assert (admin["rep"], admin["diagnosis"]["figures"]["team_median_win_rate"]) == ("low", 0.5)
    [own] = json.loads(cli("digest", *PERIOD, "--as-user", "low@example.com").stdout)["attention"]
    assert own["rep"] == "low" and own["diagnosis"]["code"] == admin["diagnosis"]["code"]
    assert _figures(own["diagnosis"]) == {**_figures(admin["diagnosis"]), "team_median_win_rate": None,
                                          "team_median_activities_per_closed_deal": None}
    rate = "win rate 8 % (95 % interval 1 %–35 %) against the team&#39;s"
    for user, median in (((), f"team 0.42); {rate} 50 %."),
                         (("--as-user", "low@example.com"), f"team –); {rate} –.")):
        cli("digest", "--period", "2026-10", *user, "--output", str(tmp_path / "digest.html"))
        assert median in (tmp_path / "digest.html").read_text()


def test_reps_without_a_team_are_no_team(tmp_path: Path) -> None:
    """Found by a tester: a rep without a team was shown a "team median" that was her own figure
    (compared 1), and an admin the median of every rep without a team, as if they were one team
    called "-". Without a team there is no team median, for anyone asking."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r, "team": "", "hired_on": "2020-01-01"}
                                    for r in ("z1", "z2", "z3")])
    write_csv(folder / "deals.csv", [*_deals("z1", 1), *_deals("z2", 11), *_deals("z3", 6)])
    cli = Cli(tmp_path / "teamless.duckdb")
    cli.import_(folder)
    add_user(cli, "z1@example.com", "--role", "rep", "--rep", "z1")
    for who in ((), ("--as-user", "z1@example.com")):
        rep = json.loads(cli("rep", "z1", *PERIOD, *who).stdout)
        lines = {line["kpi"]: line for line in rep["kpis"]}
        assert lines["total_revenue"]["value"] == 100.0, who
        assert {(k, line["team_median"], line["compared"]) for k, line in lines.items()} == {
            (k, None, 0) for k in lines}, who
        assert rep["team"] is None and rep["team_reps"] == ["z1"], who
        card = json.loads(cli("scorecard", "z1", *PERIOD, *who).stdout)
        assert card["diagnosis"]["code"] == "not_enough_data", who
        assert card["diagnosis"]["figures"]["teammates"] == 0, who
    # The digest judges them as their scorecards do (the review: z1's 1 of 12 read "needs training"
    # beside the median of every rep without a team).
    digest = json.loads(cli("digest", *PERIOD).stdout)
    assert digest["attention"] == [] and digest["attention_judged"] == 3
