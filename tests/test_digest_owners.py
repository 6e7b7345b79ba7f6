"""Digests, schedules and alerts whose owner is a user: each message holds only what the owner's
account may see, read from the accounts when it runs; an owner that is no user is refused when the
schedule is added, and a schedule whose owner was removed later fails closed (nothing sent).

The workspace is tests/accountsdata.py's: Vorhaus (a rep, quintessa@example.com) won 1000.00 in
October 2026 against his target of 1500; north 4200.00; the company 8200.00 against 9000."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from accountsdata import ADMIN, MANAGER, ME, REP, SURNAMES, TEAMS, make_workspace, markers
from helpers import Cli
from mailserver import MailServer

NOVEMBER_2 = ("--as-of", "2026-11-02")  # a Monday: "last-month" is October


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(make_workspace(tmp_path / "team.duckdb"))


def _revenue(digest: dict[str, object]) -> object:
    headlines = digest["headlines"]
    assert isinstance(headlines, list)
    return next(h["value"] for h in headlines if h["kpi"] == "total_revenue")


def test_a_digest_as_a_user_holds_what_they_see(cli: Cli) -> None:
    company = json.loads(cli("digest", "--period", "2026-10", "--format", "json").stdout,
                         parse_float=Decimal)
    rep = cli("digest", "--period", "2026-10", "--format", "json", "--as-user", REP).stdout
    manager = json.loads(cli("digest", "--period", "2026-10", "--format", "json", "--as-user",
                             MANAGER).stdout, parse_float=Decimal)
    assert _revenue(company) == Decimal("8200.00")
    assert _revenue(json.loads(rep, parse_float=Decimal)) == Decimal("1000.00")
    assert _revenue(manager) == Decimal("4200.00")
    # Each says whose view it is: the manager's read as the company's figures, unsaid.
    assert (company["scope"], company["seen_by"]) == ({}, None)
    assert (manager["scope"], manager["seen_by"]) == ({"team": ["north"]}, MANAGER)
    page = cli.db.parent / "north.html"
    cli("digest", "--period", "2026-10", "--as-user", MANAGER, "--output", str(page))
    assert f"Only what {MANAGER} may see: Team = north" in page.read_text(encoding="utf-8")
    cli("digest", "--period", "2026-10", "--as-user", MANAGER, "--lang", "de", "--output", str(page))
    assert f"Nur, was {MANAGER} sehen darf: Team = north" in page.read_text(encoding="utf-8")
    for other in (r for r in SURNAMES if r != ME):
        for marker in markers(other):
            assert marker not in rep
    # A manager whom no target of theirs applies to is not told to set one (they may not).
    cli("digest", "--period", "2025-10", "--as-user", MANAGER, "--output", str(page))
    said = page.read_text(encoding="utf-8")
    assert "No target you may see applies to this digest." in said and "target set" not in said


def test_a_schedule_owned_by_a_rep_mails_only_their_figures(cli: Cli, smtp: MailServer) -> None:
    cli("schedule", "add", "mine", "--every", "month 1 08:00", "--period", "last-month",
        "--to", "quintessa@example.com", "--owner", REP.upper(), "--format", "html")
    [stored] = json.loads(cli("schedule", "list", "--format", "json").stdout)
    assert stored["owner"] == REP  # the account's email, as the accounts spell it
    # The table says whose view it holds: not the company's.
    assert REP in Cli(cli.db, columns=250)("schedule", "list").stdout
    sent = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert "sent: schedule mine" in sent.stdout
    [mail] = smtp.received
    text = mail.text() + mail.html()
    assert "$1,000.00" in text and "$8,200.00" not in text and "$4,200.00" not in text
    assert f"Only what {REP} may see: Rep = " in mail.text()
    for other in (r for r in SURNAMES if r != ME):
        for marker in markers(other):
            assert marker not in text


def test_an_alert_owned_by_a_manager_watches_their_teams(cli: Cli, smtp: MailServer) -> None:
    # The manager of north may not name south: to them it is no team at all.
    refused = cli("alert", "add", "total_revenue", "--when", "off_track", "--team", "south",
                  "--to", "lead@example.com", "--period", "2026-10", "--owner", MANAGER, ok=False)
    assert refused.exit_code == 2 and "south" in refused.stderr
    cli("target", "set", "total_revenue", "5000", "--team", "north", "--period", "2026-10")
    cli("alert", "add", "total_revenue", "--when", "off_track", "--team", "north",
        "--to", "lead@example.com", "--period", "2026-10", "--owner", MANAGER)
    cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    [mail] = smtp.received
    assert "$4,200.00 against a target of $5,000.00" in mail.text()
    assert all(t == "north" for r, t in TEAMS.items() if SURNAMES[r] in mail.text())


def test_an_owned_alert_on_the_company_says_whose_company(cli: Cli) -> None:
    """A tester: `alert add total_revenue --owner MANAGER` confirmed "total_revenue (company)", where
    its mail sets north's figure (what the manager may see) against the target."""
    args = ("alert", "add", "total_revenue", "--when", "off_track", "--to", "lead@example.com",
            "--period", "2026-11")
    # The company's target is not what it is judged against: north's is (the review).
    cli("target", "set", "total_revenue", "9000", "--period", "2026-11")
    added = cli(*args, "--owner", MANAGER)
    assert f"total_revenue (company, as {MANAGER} sees it) off_track over 2026-11" in " ".join(
        added.stdout.split())
    warned = " ".join(added.stderr.split())
    assert ("no total_revenue target is set for the team north over 2026-11: this alert stays quiet until "
            "one is (salesmetrics target set total_revenue VALUE --team north)") in warned
    cli("target", "set", "total_revenue", "5000", "--team", "north", "--period", "2026-11")
    assert "warning" not in cli(*args, "--owner", MANAGER).stderr
    # One who sees everything sees the company's: no "as ... sees it".
    plain = cli(*args, "--owner", ADMIN).stdout
    assert "total_revenue (company) off_track" in " ".join(plain.split())


def test_a_team_its_owner_sees_only_part_of_is_refused(cli: Cli) -> None:
    """A rep of north owning an alert on team north, or a digest filtered to it, got their own
    figures under the team's name ("Win rate (team north) ... 50.0 %" where north's is 66.7 %).
    Refused when added; their own figures, or the team's with no owner, are taken."""
    for args in (("alert", "add", "win_rate", "--when", "significant_drop", "--team", "north",
                  "--period", "2026-10", "--to", "lead@example.com", "--owner", REP),
                 ("schedule", "add", "north", "--every", "mon 08:00", "--filter", "team=north",
                  "--to", "lead@example.com", "--owner", REP)):
        refused = cli(*args, ok=False)
        said = " ".join(refused.stderr.split())
        assert refused.exit_code == 2, said
        assert f"{REP} sees only part of team north, so the messages would give their share of it under " \
               "the team's name" in said
    assert json.loads(cli("alert", "list", "--format", "json").stdout) == []
    assert json.loads(cli("schedule", "list", "--format", "json").stdout) == []
    cli("alert", "add", "win_rate", "--when", "significant_drop", "--rep", ME, "--period", "2026-10",
        "--to", "lead@example.com", "--owner", REP)
    cli("alert", "add", "win_rate", "--when", "significant_drop", "--team", "north", "--period", "2026-10",
        "--to", "lead@example.com", "--owner", MANAGER)  # the manager sees all of north
    assert len(json.loads(cli("alert", "list", "--format", "json").stdout)) == 2


def test_a_team_its_owner_no_longer_wholly_sees_is_checked_when_it_runs(cli: Cli, smtp: MailServer) -> None:
    """Allowed when added (reps saw their team), the alert and the digest would have mailed the rep's
    own figures under the team's name once reps saw only their own: they fail, and nothing is sent."""
    cli("config", "set", "rep_visibility", "team")
    cli("target", "set", "total_revenue", "5000", "--team", "north", "--period", "2026-10")
    cli("alert", "add", "total_revenue", "--when", "off_track", "--team", "north",
        "--to", "lead@example.com", "--period", "2026-10", "--owner", REP)
    cli("schedule", "add", "north", "--every", "month 1 08:00", "--period", "last-month",
        "--filter", "team=north", "--to", "lead@example.com", "--owner", REP, "--format", "html")
    cli("config", "set", "rep_visibility", "own")
    failed = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url, ok=False)
    said = " ".join((failed.stdout + failed.stderr).split())
    assert failed.exit_code == 1
    assert said.count(f"{REP} sees only part of team north") == 2, said
    assert smtp.received == []  # not $1,000.00 (the rep's) as north's $4,200.00
    # Seen whole again, both go out with the team's figures.
    cli("config", "set", "rep_visibility", "team")
    cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    assert len(smtp.received) == 2
    assert all("$4,200.00" in mail.text() for mail in smtp.received)


def test_an_owner_who_is_no_user_is_refused_and_a_removed_one_fails_closed(cli: Cli,
                                                                             smtp: MailServer) -> None:
    refused = cli("schedule", "add", "x", "--every", "mon 08:00", "--to", "a@example.com",
                  "--owner", "nobody@example.com", ok=False)
    assert refused.exit_code == 2 and "nobody@example.com" in refused.stderr
    assert json.loads(cli("schedule", "list", "--format", "json").stdout) == []
    cli("schedule", "add", "mine", "--every", "month 1 08:00", "--period", "last-month",
        "--to", "quintessa@example.com", "--owner", REP)
    cli("alert", "add", "win_rate", "--when", "off_track", "--to", "lead@example.com")
    cli("alert", "remove", "1")
    # Who set up which mail, to whom and as whom, is in the audit log, as targets and users are.
    log = [(e["action"], e["detail"]) for e in json.loads(cli("audit", "--format", "json").stdout)]
    assert log[:3] == [("alert_remove", "1"),
                       ("alert_add", "1: win_rate company off_track this-quarter, to lead@example.com"),
                       ("schedule_add", f"mine: month 1 08:00, last-month, to quintessa@example.com, "
                                        f"owner {REP}")]
    removed = cli("user", "remove", REP)
    assert f"Note: {REP} owned schedule mine: each fails at its next run" in " ".join(removed.stderr.split())
    failed = cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url, ok=False)
    assert failed.exit_code == 1 and "no user of this workspace" in failed.stdout + failed.stderr
    assert smtp.received == []  # not the company's figures instead


def test_a_reps_digest_judges_them_as_their_scorecard_does(demo_db: Path, tmp_path: Path) -> None:
    """Each rep the company's digest lists to coach finds themselves in their own digest, with the
    same diagnosis: judged against their whole team's medians, as their scorecard judges them. Their
    own digest had judged them against themselves alone, and listed nobody."""
    import shutil

    from helpers import add_user

    cli = Cli(Path(shutil.copy(demo_db, tmp_path / "demo.duckdb")))
    period = ("--period", "2026-Q3", "--format", "json")
    listed = json.loads(cli("digest", *period).stdout)["attention"]
    assert listed, "the demo's Q3 has reps to coach"
    for entry in listed[:3]:
        email = f"{entry['rep'].lower()}@example.com"
        add_user(cli, email, "--role", "rep", "--rep", entry["rep"])
        own = json.loads(cli("digest", *period, "--as-user", email).stdout)["attention"]
        assert [(a["rep"], a["diagnosis"]["code"]) for a in own] == [(entry["rep"],
                                                                     entry["diagnosis"]["code"])]
        card = json.loads(cli("scorecard", entry["rep"], *period, "--as-user", email).stdout)
        assert card["diagnosis"]["code"] == entry["diagnosis"]["code"]
        # Their dashboard's leaderboard (their own line) and one filtered to them say the same.
        for seen in (("--as-user", email), ("--filter", f"rep={entry['rep']}")):
            board = json.loads(cli("dashboard", "--period", "2026-Q3", *seen).stdout)["reps"]
            assert [(r["rep"], r["diagnosis"]) for r in board] == [(entry["rep"], entry["diagnosis"]["code"])]


def test_a_company_alert_of_a_rep_says_whose_figure_it_watches(cli: Cli, smtp: MailServer) -> None:
    """Found by a tester: a rep owning an alert on the company's revenue was mailed their own revenue
    as "Total revenue (company) is off track": it names whose it is."""
    cli("alert", "add", "total_revenue", "--when", "off_track", "--to", "quintessa@example.com",
        "--period", "2026-10", "--owner", REP)
    cli("schedule", "run-due", *NOVEMBER_2, "--smtp", smtp.url)
    [mail] = smtp.received
    assert mail.text().startswith(f"Total revenue (what {REP} may see) missed its target for Oct"), \
        mail.text()
    assert "(company)" not in mail.text() and "$1,000.00" in mail.text()
    # The list says it too: "company" alone read as the whole company's figure (a tester).
    cells = [line.split("│")[3] for line in cli("alert", "list").stdout.splitlines() if line.startswith("│")]
    whose = " ".join(" ".join(cells).split())
    assert whose == f"company as {REP} sees it", whose


def test_a_rep_or_team_the_owner_may_not_see_is_said_so(cli: Cli) -> None:
    """Found by a tester: naming another rep for a rep's alert said "no rep ... in this workspace; did
    you mean" the owner's own; the admin adding it sees that rep. It says the owner may not see them."""
    other = next(r for r in SURNAMES if r != ME)
    refused = cli("alert", "add", "win_rate", "--rep", other, "--when", "significant_drop", "--to",
                  "a@example.com", "--owner", REP, ok=False)
    assert refused.exit_code == 2
    assert f"{REP} may not see rep {other!r}" in " ".join(refused.stderr.split()), refused.stderr
    south = cli("schedule", "add", "s", "--every", "mon 08:00", "--to", "a@example.com", "--filter",
                "team=south", "--owner", MANAGER, ok=False)
    assert south.exit_code == 2 and f"{MANAGER} may not see team 'south'" in " ".join(south.stderr.split())
    nowhere = cli("alert", "add", "win_rate", "--rep", "nobody-at-all", "--when", "significant_drop", "--to",
                  "a@example.com", "--owner", REP, ok=False)
    assert nowhere.exit_code == 2 and "no rep 'nobody-at-all'" in nowhere.stderr  # in no one's view
