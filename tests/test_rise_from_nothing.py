"""A figure that rose from nothing: 0 activities in September, 6 in October.

Found by a tester: its change in % has no value (there is nothing to divide by), and the digest read
that as "Activities fell from 0 to 6", with no good or bad way; an alert watching for a drop said the
change "could not be tested", beside the report's own test of it (p = 0.031)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from helpers import Cli
from mailserver import MailServer

OCTOBER = ("--period", "2026-10", "--as-of", "2026-10-31")


def _workspace(cli: Cli, csvs: Callable[..., Path], activities: int = 6) -> Cli:
    csvs("reps", [{"rep_id": "ann", "team": "east"}])
    csvs("deals", [{"deal_id": "d1", "rep_id": "ann", "status": "won", "amount": "500.00",
                    "currency": "USD", "created_at": "2026-09-01T09:00:00",
                    "closed_at": "2026-10-20T09:00:00"}])
    cli.import_(csvs("activities", [
        {"activity_id": f"a{i}", "rep_id": "ann", "type": "call",
         "occurred_at": f"2026-10-{i + 10:02d}T10:00:00", "deal_id": "d1"}
        for i in range(activities)]).parent)
    return cli


def test_the_digest_says_a_rise_from_nothing_rose(cli: Cli, csvs: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    _workspace(cli, csvs)
    [row] = cli.report(*OCTOBER, "--kpi", "activity_count", "--compare")["rows"]
    assert (row["value"], row["previous"], row["change"]) == (6, 0, None)
    assert row["significant"] is True and row["p_value"] == 0.031376  # 6 against 0, over 31 and 30 days
    summary = json.loads(cli("summary", *OCTOBER, "--format", "json").stdout)
    heads = {h["kpi"]: h for h in summary["headlines"]}
    assert heads["activity_count"]["better"] is True  # was None: no change in % to judge
    for lang, said in (("en", "Activities rose from 0 to 6 (–): better, significant (p = 0.031)."),
                       ("de", "Aktivitäten: von 0 auf 6 gestiegen (–), besser, signifikant (p = 0,031).")):
        out = tmp_path / f"digest-{lang}.html"
        cli("digest", *OCTOBER, "--output", str(out), "--lang", lang)
        text = " ".join(re.sub("<[^>]+>", " ", out.read_text()).split())
        assert said in text, text[:3000]
        assert "fell" not in text and "gefallen" not in text


def test_the_dashboard_tile_shows_the_rise_and_its_test(cli: Cli, csvs: Callable[..., Path]) -> None:
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    _workspace(cli, csvs)
    with TestClient(create_app(cli.db, warm=False, schedules=False)) as client:
        page = client.get("/", params={"period": "2026-10", "as_of": "2026-10-31"}).text
    tile = page[page.index('data-kpi="activity_count"'):]
    tile = tile[:tile.index("</article>")]
    first = tile[tile.index('<li class="'):tile.index("</li>")]
    assert first.startswith('<li class="better"><span class="arrow" aria-hidden="true">▲</span>'), first
    assert 'data-test="significant"' in first


def test_a_month_before_any_record_is_nothing_to_have_risen_from(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    """The review: revenue of a workspace whose records start in October read "better" than
    September's 0 and a year before's, months no record reaches. Sums are never tested: unjudged."""
    csvs("reps", [{"rep_id": "ann", "team": "east"}])
    cli.import_(csvs("deals", [
        {"deal_id": f"d{i}", "rep_id": "ann", "status": "won", "amount": amount, "currency": "USD",
         "created_at": f"2026-10-0{i}T09:00:00", "closed_at": f"2026-10-2{i}T09:00:00"}
        for i, amount in ((1, "500.00"), (2, "700.00"))]).parent)
    summary = json.loads(cli("summary", *OCTOBER, "--format", "json").stdout)
    revenue = {h["kpi"]: h for h in summary["headlines"]}["total_revenue"]
    assert (revenue["value"], revenue["previous"], revenue["year_ago"]) == (1200, 0, 0)
    assert (revenue["change"], revenue["better"], revenue["year_better"]) == (None, None, None)


def test_an_alert_on_a_drop_judges_a_rise_from_nothing(cli: Cli, csvs: Callable[..., Path],
                                                      smtp: MailServer) -> None:
    _workspace(cli, csvs)
    cli("alert", "add", "activity_count", "--when", "significant_drop", "--period", "2026-10",
        "--to", "lead@example.com")
    ran = cli("schedule", "run-due", "--as-of", "2026-11-02", "--smtp", smtp.url)
    assert ran.exit_code == 0 and "cannot be judged" not in ran.stdout and smtp.received == []
    [alert] = json.loads(cli("alert", "list", "--format", "json").stdout)
    assert alert["state"] == "ok" and alert["unjudged"] is None


def test_an_alert_on_a_drop_judges_a_rise_from_nothing_within_noise(
        cli: Cli, csvs: Callable[..., Path], smtp: MailServer) -> None:
    """The review: 0 to 2 activities, tested and within noise, is no drop: ok, not "could not be
    tested" (the test ran)."""
    _workspace(cli, csvs, activities=2)
    [row] = cli.report(*OCTOBER, "--kpi", "activity_count", "--compare")["rows"]
    assert (row["value"], row["previous"], row["change"], row["significant"]) == (2, 0, None, False)
    cli("alert", "add", "activity_count", "--when", "significant_drop", "--period", "2026-10",
        "--to", "lead@example.com")
    ran = cli("schedule", "run-due", "--as-of", "2026-11-02", "--smtp", smtp.url)
    assert "cannot be judged" not in ran.stdout and smtp.received == []
    [alert] = json.loads(cli("alert", "list", "--format", "json").stdout)
    assert alert["state"] == "ok" and alert["unjudged"] is None
