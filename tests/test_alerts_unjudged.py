"""Alerts that could never fire are refused, or say why they cannot be judged.

Found by an exploratory test on the demo workspace: ``alert add total_revenue --when significant_drop``
was taken, but a sum's change is never tested against noise, so its state stayed "unknown": July's
revenue fell 31 % and `schedule run-due` said nothing (exit 0), `alert list` "not checked yet" for
ever. So did an ``off_track`` alert on a figure without a target, or with one its owner may not see.

The workspaces: tests/webdata.py's (total revenue $3,000.30 in October 2026, less than in September)
and tests/accountsdata.py's (the company's October revenue $8,200.00 against a target of $9,000.00;
its manager sees team north alone, without a target)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import accountsdata
import webdata
from helpers import Cli
from mailserver import MailServer
from salesmetrics.kpis import REGISTRY

NOVEMBER_2 = ("--as-of", "2026-11-02")
# What the registry says can take a significant_drop (a KPI whose changes are tested), in its order.
TESTED = "average_deal_size, sales_cycle_length, win_rate, pipeline_win_rate, activity_count, nps, ramp_time"


def _alerts(cli: Cli) -> Any:
    return json.loads(cli("alert", "list", "--format", "json").stdout)


def _said(text: str) -> str:
    """Text as one line, whatever the terminal wrapped."""
    return " ".join(text.split())


def _states(cli: Cli) -> str:
    """The state column of `alert list`, its cells (folded over lines) read as one text."""
    lines = [line.split("│") for line in cli("alert", "list").stdout.splitlines() if line.startswith("│")]
    return _said(" ".join(cells[7] for cells in lines))


def test_a_significant_drop_on_a_kpi_never_tested_is_refused(tmp_path: Path) -> None:
    cli = Cli(webdata.make_workspace(tmp_path / "work.duckdb"))
    # The figure changed, and the change is never tested: such an alert could never fire.
    [row] = cli.report("--period", "2026-10", "--kpi", "total_revenue", "--compare")["rows"]
    assert row["change"] == 3.286143 and row["significant"] is None and row["p_value"] is None
    for kpi, extra in (("total_revenue", ()), ("quota_attainment", ()),
                       ("quota_attainment", ("--team", "east")), ("sales_cycle_median_km", ())):
        refused = cli("alert", "add", kpi, "--when", "significant_drop", "--period", "2026-10",
                      "--to", "lead@example.com", *extra, ok=False)
        said = " ".join(refused.stderr.split())
        assert refused.exit_code == 2, said
        assert (f"{kpi} has no significance test (its changes are never tested against noise), so a "
                f"significant_drop alert on it could never fire; KPIs that can take one: ") in said
        assert f"(or watch {kpi} with --when off_track and a target)" in said
    said = " ".join(refused.stderr.split())
    assert f"KPIs that can take one: {TESTED} (or" in said
    # The list is the registry's: every KPI it names has its changes tested, and no other can fire.
    assert TESTED.split(", ") == [k.id for k in REGISTRY.values() if k.tests_changes and not k.always_by]
    assert _alerts(cli) == []  # nothing stored
    added = cli("alert", "add", "win_rate", "--when", "significant_drop", "--period", "2026-10",
                "--to", "lead@example.com")
    assert "alert 1: win_rate (company) significant_drop over 2026-10" in added.stdout


def test_an_off_track_alert_without_a_target_says_why_it_cannot_be_judged(tmp_path: Path,
                                                                          smtp: MailServer) -> None:
    cli = Cli(webdata.make_workspace(tmp_path / "work.duckdb"), columns=300)
    added = cli("alert", "add", "total_revenue", "--when", "off_track", "--period", "2026-10",
                "--to", "lead@example.com")
    assert added.exit_code == 0  # a target may come later: taken, with a warning
    assert "warning: no total_revenue target is set for the company over 2026-10" in _said(added.stderr)
    why = ("no target for total_revenue (company) in Oct 1 – 31, 2026, so it cannot go off track: set one "
           "with salesmetrics target set total_revenue VALUE --period 2026-10")
    ran = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert ran.exit_code == 0 and smtp.received == []
    assert f"cannot be judged: alert 1 (total_revenue off_track): {why}" in _said(ran.stdout)
    assert _states(cli) == f"cannot be judged: {why}"
    [alert] = _alerts(cli)
    assert alert["state"] is None and alert["unjudged"] == {
        "reason": "no_target", "period": {"label": "2026-10", "start": "2026-10-01", "end": "2026-11-01"},
        "detail": None}
    # A target set: judged ($3,000.30 of $5,000.00, missed), told, and nothing said of judging any more.
    cli("target", "set", "total_revenue", "5000", "--period", "2026-10")
    ran = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert "sent: alert 1 (1:off_track)" in ran.stdout and "cannot be judged" not in ran.stdout
    assert smtp.received[0].text().startswith(
        "Total revenue (company) missed its target for Oct 1\u2009–\u200931, 2026: $3,000.30 against a "
        "target of $5,000.00 (60 % of it).")
    [alert] = _alerts(cli)
    assert alert["state"] == "off_track" and alert["unjudged"] is None
    # Removed again: the state told stands, and the list says it cannot be judged now.
    cli("target", "unset", "total_revenue", "--period", "2026-10")
    assert _states(cli) == f"off_track; now cannot be judged: {why}"


def test_an_alert_whose_owner_may_not_see_the_target_says_so(tmp_path: Path, smtp: MailServer) -> None:
    cli = Cli(accountsdata.make_workspace(tmp_path / "team.duckdb"), columns=300)
    cli("alert", "add", "total_revenue", "--when", "off_track", "--period", "2026-10", "--to",
        "lead@example.com", "--owner", accountsdata.MANAGER)
    ran = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert ran.exit_code == 0 and smtp.received == []
    why = ("the total_revenue target (company) in Oct 1 – 31, 2026 is not one north.lead@example.com may "
           "see, and the alert holds only what they see")
    assert f"cannot be judged: alert 1 (total_revenue off_track): {why}" in _said(ran.stdout)
    [alert] = _alerts(cli)
    assert alert["unjudged"]["reason"] == "target_hidden"
    # The company's own alert sees the company's target: $8,200.00 of $9,000.00, off track.
    cli("alert", "add", "total_revenue", "--when", "off_track", "--period", "2026-10",
        "--to", "lead@example.com")
    ran = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert "sent: alert 2 (1:off_track)" in ran.stdout
    assert "$8,200.00 against a target of $9,000.00" in smtp.received[0].text()


def test_an_alert_on_a_period_not_started_cannot_be_judged_yet(tmp_path: Path, smtp: MailServer) -> None:
    # run-due --as-of a day before the alert's period failed (exit 1: "starts after"), where the
    # same alert by the clock was only not judged yet (exit 0).
    cli = Cli(webdata.make_workspace(tmp_path / "work.duckdb"), columns=300)
    cli("target", "set", "total_revenue", "5000", "--period", "2026-12")
    cli("alert", "add", "total_revenue", "--when", "off_track", "--period", "2026-12",
        "--to", "lead@example.com")
    ran = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert ran.exit_code == 0 and smtp.received == [] and "failed" not in ran.stdout
    assert ("cannot be judged: alert 1 (total_revenue off_track): Dec 1 – 31, 2026 has not started yet on "
            "the day judged: nothing in it to judge") in _said(ran.stdout)
    [alert] = _alerts(cli)
    assert alert["state"] is None


def test_why_an_alert_cannot_be_judged_is_said_in_german_too() -> None:
    from salesmetrics.periods import parse_period
    from salesmetrics.text.digest import unjudged_sentence

    october = parse_period("2026-10")
    said = unjudged_sentence("no_target", "total_revenue", "team", "east", october, {}, "de",
                             watched="2026-10")
    assert said == ("kein Ziel für total_revenue (Team east) in 1.–31. Okt. 2026, also kann es nicht außer "
                    "Plan geraten: eines setzt salesmetrics target set total_revenue WERT --team east "
                    "--period 2026-10")


def test_serve_says_once_why_an_alert_cannot_be_judged(tmp_path: Path, smtp: MailServer,
                                                       monkeypatch: Any, caplog: Any) -> None:
    """`serve` checks the alerts every round (a minute by default): an alert without a target was
    logged as "cannot be judged" every round, a line a minute for ever. Said once; again only when
    why changes."""
    import logging
    import time

    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    cli = Cli(webdata.make_workspace(tmp_path / "work.duckdb"))
    cli("alert", "add", "total_revenue", "--when", "off_track", "--period", "2026-10", "--to",
        "lead@example.com")
    monkeypatch.setenv("SALESMETRICS_SMTP_URL", smtp.url)
    monkeypatch.setenv("SALESMETRICS_SCHEDULE_INTERVAL", "1")
    caplog.set_level(logging.DEBUG, logger="salesmetrics.web")

    def lines(level: int) -> list[str]:
        return [r.getMessage() for r in caplog.records
                if r.levelno == level and "cannot be judged" in r.getMessage()]

    with TestClient(create_app(cli.db, warm=False, schedules=True)):
        deadline = time.monotonic() + 60
        while len(lines(logging.DEBUG)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    assert len(lines(logging.DEBUG)) >= 2  # checked round after round
    [said] = lines(logging.INFO)
    assert said.startswith("alert 1 (") and "no target for total_revenue (company)" in said
    assert smtp.received == []
