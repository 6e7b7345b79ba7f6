"""A rate's or score's target in a period that is over is judged reached or not, as a sum's is.

Found by an exploratory test on the demo workspace: October's win rate of 41.1 % against a target of
45 % still read "at risk" in November (its interval held the target), and so an ``off_track`` alert
on it never fired; so did last month's NPS of 23.8 against 40. While a period runs, the interval
rule stands: the gap may be noise the rest of the period closes.

October 2026 here: 9 deals won and 11 lost, closed Oct 1-15 (win rate 45.0 %; its 95 % interval,
about 26 % to 66 %, holds a target of 50 %); 10 NPS answers, Oct 1-10: 2 promoters, 2 passives, 6
detractors (NPS -40; its interval holds a target of 0)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Cli
from mailserver import MailServer

REPS = [{"rep_id": "ann", "name": "Ann Lee", "team": "east"}]
DEALS = [{"deal_id": f"d{i}", "rep_id": "ann", "created_at": "2026-09-01",
          "closed_at": f"2026-10-{1 + i % 15:02d} 10:00", "status": "won" if i < 9 else "lost",
          "amount": "100.00", "currency": "USD"} for i in range(20)]
ANSWERS = [{"response_id": f"a{i}", "score": str(score), "responded_at": f"2026-10-{i + 1:02d} 09:00"}
           for i, score in enumerate([10, 9, 8, 7, 3, 3, 2, 1, 0, 0])]
RUNNING = ("--as-of", "2026-10-20")  # October still running: the same records, 20 days of 31 gone
OVER = ("--as-of", "2026-11-02")


@pytest.fixture
def targeted(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    cli.import_(csvs("reps", REPS), csvs("deals", DEALS), csvs("nps_responses", ANSWERS))
    cli("target", "set", "win_rate", "50%", "--period", "2026-10")
    cli("target", "set", "nps", "0")
    return cli


def _json(cli: Cli, *args: str) -> Any:
    return json.loads(cli(*args, "--format", "json").stdout)


def _statuses(cli: Cli, *as_of: str) -> dict[str, tuple[Any, Any, Any, Any]]:
    return {s["kpi"]: (s["value"], s["target"], s["status"], s["pace"])
            for s in _json(cli, "target", "status", "--period", "2026-10", *as_of)}


def test_a_rate_and_a_score_missed_in_a_period_that_is_over_are_off_track(targeted: Cli) -> None:
    cli = targeted
    # While October runs, both gaps lie within the noise of 20 deals and 10 answers: at risk.
    assert _statuses(cli, *RUNNING) == {"win_rate": (0.45, 0.5, "at_risk", 0.9),
                                        "nps": (-40, 0, "at_risk", None)}
    # Once it is over, the figures are final: missed.
    assert _statuses(cli, *OVER) == {"win_rate": (0.45, 0.5, "off_track", 0.9),
                                     "nps": (-40, 0, "off_track", None)}
    # Without --as-of (today is long past October) the same.
    assert {k: v[2] for k, v in _statuses(cli).items()} == {"win_rate": "off_track", "nps": "off_track"}
    # Reached is still reached once the period is over.
    cli("target", "set", "win_rate", "45%", "--period", "2026-10")
    assert _statuses(cli, *OVER)["win_rate"] == (0.45, 0.45, "on_track", 1.0)
    # The table says it in words.
    cli("target", "set", "win_rate", "50%", "--period", "2026-10")
    table = cli("target", "status", "--period", "2026-10", *OVER).stdout
    [line] = [line for line in table.splitlines() if "Win rate" in line]
    assert [cell.strip() for cell in line.split("│")[1:7]] == [
        "Win rate (closed)", "company", "45.0 %", "50.0 %", "90 %", "missed"]


def test_every_face_judges_a_finished_period_alike(targeted: Cli) -> None:
    cli = targeted
    [row] = cli.report("--period", "2026-10", "--kpi", "win_rate", *OVER)["rows"]
    assert (row["value"], row["target"], row["target_status"], row["pace"]) == (0.45, 0.5, "off_track", 0.9)
    headlines = {h["kpi"]: h for h in _json(cli, "summary", "--period", "2026-10", *OVER)["headlines"]}
    assert (headlines["win_rate"]["target_status"], headlines["win_rate"]["status"]) == ("off_track",
                                                                                         "off_target")
    assert headlines["nps"]["target_status"] == "off_track"
    digest = _json(cli, "digest", "--period", "2026-10", *OVER)
    assert [(t["kpi"], t["value"], t["status"]) for t in digest["targets"]] == [
        ("win_rate", 0.45, "off_track"), ("nps", -40, "off_track")]
    for as_of, status in ((OVER, "off_track"), (RUNNING, "at_risk")):
        drawn = json.loads(cli("dashboard", "--period", "2026-10", *as_of).stdout)
        tiles = {t["kpi"]: t for t in drawn["tiles"]}
        assert (tiles["win_rate"]["target_status"], tiles["nps"]["target_status"]) == (status, status)


def test_an_off_track_alert_on_a_rate_fires_once_its_period_is_over(targeted: Cli, smtp: MailServer) -> None:
    cli = targeted
    cli("alert", "add", "win_rate", "--when", "off_track", "--period", "2026-10", "--to", "lead@example.com")
    running = cli("schedule", "run-due", *RUNNING, "--smtp", smtp.url)
    assert "quiet: alert 1 (1:ok)" in running.stdout and smtp.received == []  # at risk: not yet
    over = cli("schedule", "run-due", "--as-of", "2026-10-31", "--smtp", smtp.url)
    assert "sent: alert 1 (2:off_track)" in over.stdout
    [mail] = smtp.received
    # As of October's end the month is over: missed, not off track.
    assert mail.text().startswith("Win rate (closed) (company) missed its target for Oct 1\u2009–\u200931, "
                                  "2026: 45.0 % against a target of 50.0 % (90 % of it).")
    [alert] = _json(cli, "alert", "list")
    assert alert["state"] == "off_track" and alert["unjudged"] is None
