"""Ramp time that a leader can trust: a group of reps who are all still ramping has no ramp time (their
days so far are said apart), and one lucky month is not a ramp (``ramp_sustain``, K of N months).

The records: the first deal is on 2024-12-01 (a veteran's), every new hire has a $10,000 monthly quota.

* lucky (east, hired 2025-01-01): 278 % in March, then 9 %, 13 %, 3 % and nothing: one lucky month;
* steady (west, hired 2025-01-01): 100 % in June, 50 % in July, 120 % in August: 2 of 3, ramped from
  June (180 days from hire to June 30), known once August is over;
* fresh (north, hired 2025-06-01): 5 % every month: still ramping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import Cli, add_user, write_csv
from salesmetrics import Workspace

MONTHLY = {
    "lucky": {3: "27800.00", 4: "900.00", 5: "1300.00", 6: "300.00"},
    "steady": {6: "10000.00", 7: "5000.00", 8: "12000.00"},
    "fresh": {m: "500.00" for m in range(6, 13)},
}
HIRED = {"lucky": "2025-01-01", "steady": "2025-01-01", "fresh": "2025-06-01"}
TEAMS = {"lucky": "east", "steady": "west", "fresh": "north"}


def _month_end(month: int) -> str:
    following = date(2025, month + 1, 1) if month < 12 else date(2026, 1, 1)
    return (following - timedelta(days=1)).isoformat()


def write_records(folder: Path, *, hired: bool = True) -> Path:
    write_csv(folder / "reps.csv", [
        {"rep_id": "vet", "name": "Vera Veteran", "team": "central",
         "hired_on": "2020-01-01" if hired else ""},
        *({"rep_id": rep, "name": rep.title(), "team": TEAMS[rep], "hired_on": HIRED[rep] if hired else ""}
          for rep in HIRED)])
    deals = [{"deal_id": "first", "rep_id": "vet", "created_at": "2024-12-01T09:00:00",
              "closed_at": "2024-12-10T09:00:00", "status": "won", "amount": "5000.00", "currency": "USD"}]
    for rep, months in MONTHLY.items():
        for month, amount in months.items():
            deals.append({"deal_id": f"{rep}-{month}", "rep_id": rep, "created_at": "2025-01-02T09:00:00",
                          "closed_at": f"2025-{month:02d}-15T09:00:00", "status": "won", "amount": amount,
                          "currency": "USD"})
    write_csv(folder / "deals.csv", deals)
    write_csv(folder / "quotas.csv", [
        {"rep_id": rep, "period_start": f"2025-{m:02d}-01", "period_end": _month_end(m),
         "amount": "10000.00", "currency": "USD"}
        for rep in HIRED for m in range(int(HIRED[rep][5:7]), 13)])
    return folder


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "ramp.duckdb")
    cli.import_(write_records(tmp_path / "records"))
    return cli


def rows(cli: Cli, *args: str) -> dict[Any, dict[str, Any]]:
    report = cli.report("--kpi", "ramp_time", *args)
    return {r.get("rep") or r.get("team"): r for r in report["rows"]}


def flat(text: str) -> str:
    """Table text without the frame, in one line: a cell that wrapped reads as one phrase."""
    return " ".join(re.sub(r"[│┃┏┓┗┛┡┩└┘┌┐━─╇╈╋┳┻┼═]", " ", text).split())


def test_a_team_whose_reps_all_still_ramp_has_no_ramp_time(cli: Cli) -> None:
    by_team = rows(cli, "--period", "2025-Q3", "--by", "team")
    # north: fresh is 121 days in (June 1 to September 30, the quarter's last day, as a ramp counts to
    # its month's last day) and has not ramped. That is not a ramp time.
    north = by_team["north"]
    assert (north["value"], north["n"], north["flags"]) == (None, 0, ["still_ramping"])
    assert north["days_so_far"] == (date(2025, 9, 30) - date(2025, 6, 1)).days == 121
    # west: steady ramped from June (confirmed in August, inside Q3): 180 days.
    west = by_team["west"]
    assert (west["value"], west["n"], west["days_so_far"]) == (180, 1, None)
    assert by_team["east"]["value"] is None and by_team["east"]["days_so_far"] == 272

    table = flat(cli("report", "--period", "2025-Q3", "--kpi", "ramp_time", "--by", "team").stdout)
    assert "north no new rep ramped 0 still ramping (121 days so far)" in table
    assert "west 180 days 1" in table
    german = flat(cli("report", "--period", "2025-Q3", "--kpi", "ramp_time", "--by", "team",
                      "--lang", "de").stdout)
    assert "north kein Neuzugang eingearbeitet 0 noch in Einarbeitung (bisher 121 Tage)" in german
    csv = cli("report", "--period", "2025-Q3", "--kpi", "ramp_time", "--by", "team", "--format",
              "csv").stdout.splitlines()
    assert csv[0].endswith(",ci_low,ci_high,days_so_far")
    assert [line for line in csv if line.startswith("ramp_time,north,")] == [
        "ramp_time,north,,days,,0,still_ramping,2025-07-01,2025-10-01,,,121"]
    # A company figure with one ramped rep says how long the others have been at it so far.
    company = rows(cli, "--period", "2025-Q3")[None]
    assert (company["value"], company["n"], company["days_so_far"]) == (180, 1, 272)
    assert company["flags"] == ["2_still_ramping", "small_sample"]


def test_one_lucky_month_is_not_a_ramp(cli: Cli) -> None:
    year = rows(cli, "--period", "2025", "--by", "rep")
    # lucky: 278 % in March, then 9 %, 13 %, 3 %, 0 %: still ramping at the end of 2025.
    assert year["lucky"]["value"] is None and year["lucky"]["flags"] == ["still_ramping"]
    assert year["lucky"]["days_so_far"] == 364  # January 1st to December 31st
    assert year["steady"]["value"] == 180
    # The cohorts say the same, month by month of tenure.
    cohorts = json.loads(cli("ramp", "--as-of", "2025-12-31", "--format", "json").stdout)
    assert cohorts["sustain"] == "2/3"
    months = {rep: m for c in cohorts["cohorts"] for rep, m in c["months_to_ramp"].items()}
    assert months == {"lucky": None, "steady": 6, "fresh": None}
    text = " ".join(cli("ramp", "--as-of", "2025-12-31").stdout.split())
    assert ("in 2 of 3 consecutive months, not in one lucky month; the ramp month is the first of "
            "those 2") in text

    # The setting: one month is enough (the old reading) ...
    assert cli("config", "set", "ramp_sustain", "1/1").stdout.strip() == "ramp_sustain = 1/1"
    year = rows(cli, "--period", "2025", "--by", "rep")
    assert year["lucky"]["value"] == (date(2025, 3, 31) - date(2025, 1, 1)).days == 89
    cohorts = json.loads(cli("ramp", "--as-of", "2025-12-31", "--format", "json").stdout)
    assert {rep: m for c in cohorts["cohorts"] for rep, m in c["months_to_ramp"].items()}["lucky"] == 3
    # ... or three in a row: steady's July was half its quota.
    cli("config", "set", "ramp_sustain", "3/3")
    assert rows(cli, "--period", "2025", "--by", "rep")["steady"]["value"] is None
    german = " ".join(cli("ramp", "--as-of", "2025-12-31", "--lang", "de").stdout.split())
    assert "in 3 von 3 aufeinanderfolgenden Monaten" in german


def test_ramp_sustain_is_checked(cli: Cli) -> None:
    assert "ramp_sustain" in cli("config").stdout and "2/3" in cli("config").stdout
    assert cli("config", "set", "ramp_sustain", " 2 / 4 ").stdout.strip() == "ramp_sustain = 2/4"
    for value, message in [("4/3", "1 <= K <= N <= 12"), ("0/3", "1 <= K <= N <= 12"),
                           ("2/13", "1 <= K <= N <= 12"), ("two of three", "written K/N"),
                           ("2", "written K/N")]:
        result = cli("config", "set", "ramp_sustain", value, ok=False)
        assert result.exit_code == 2 and message in result.stderr, value


def test_ramp_threshold_is_checked(cli: Cli) -> None:
    """The refusal names the whole range: "above 0" alone read wrong for 11, which is refused too."""
    assert cli("config", "set", "ramp_threshold", "0.8").stdout.strip() == "ramp_threshold = 0.8"
    for value, message in [("11", "above 0 and at most 10"), ("0", "above 0 and at most 10"),
                           ("nan", "above 0 and at most 10"),
                           ("80%", "a number such as 1.0")]:
        result = cli("config", "set", "ramp_threshold", value, ok=False)
        assert result.exit_code == 2 and message in result.stderr, value


def test_kept_sql_follows_the_sustain_setting(tmp_path: Path) -> None:
    """The compiled-SQL cache (kpis/compiled.py) keys on ramp_sustain: the text kept for 2/3 never
    answers for 1/1."""
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        ws.import_files(write_records(tmp_path / "records"))
        for _ in range(3):  # compiled, checked against stand-ins, then kept
            assert ws.report("2025", by="rep", kpis=["ramp_time"]).value("ramp_time", rep="lucky") is None
        ws.set_setting("ramp_sustain", "1/1")
        assert ws.report("2025", by="rep", kpis=["ramp_time"]).value("ramp_time", rep="lucky") == 89


def test_the_records_behind_ramp_time_list_reps_still_ramping(cli: Cli) -> None:
    with Workspace.open(cli.db, read_only=True) as ws:
        found = ws.records_behind("ramp_time", "2025-Q3")
    assert sorted((r["rep"], r["days"], r["status"]) for r in found.rows) == [
        ("fresh", 121, "still_ramping"), ("lucky", 272, "still_ramping"), ("steady", 180, "ramped")]
    # Whole days, as the reps still ramping have them: a ramped rep's read 180.0 in JSON and CSV.
    assert all(type(r["days"]) is int for r in found.rows)
    csv = cli("records", "ramp_time", "--period", "2025-Q3", "--format", "csv").stdout
    assert "\nsteady,Steady,180,ramped\n" in csv


@pytest.fixture
def client(cli: Cli) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    with TestClient(create_app(cli.db, warm=False)) as c:
        yield c


def tip(page: str, kpi: str) -> str:
    import html

    start = page.index(f'data-kpi="{kpi}" data-value=')
    found = re.search(r'data-tip="([^"]*)"', page[start:])
    assert found
    return html.unescape(found[1])


def test_the_dashboard_explains_the_ramp_rule_as_set(cli: Cli, client: Any) -> None:
    page = client.get("/", params={"period": "2025-Q3", "lang": "en"}).text
    assert "100 % of their quota" in tip(page, "ramp_time")
    assert "in 2 of 3 consecutive months, not in one lucky month" in tip(page, "ramp_time")
    german = client.get("/", params={"period": "2025-Q3", "lang": "de"}).text
    assert "in 2 von 3 aufeinanderfolgenden Monaten" in tip(german, "ramp_time")
    # The company's tile: one rep ramped, the others' days so far said beside it.
    assert "2 still ramping (longest 272 days so far)" in page
    cli("config", "set", "ramp_sustain", "1/1")
    page = client.get("/", params={"period": "2025-Q3", "lang": "en"}).text
    assert "in a month (ramp_sustain 1/1)" in tip(page, "ramp_time")


def test_ramp_without_hire_dates_says_why(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "nohire.duckdb")
    cli.import_(write_records(tmp_path / "records", hired=False))
    out = " ".join(cli("ramp", "--as-of", "2025-12-31").stdout.split())
    assert out.startswith("No rep has a hire date, and ramp is measured from it: import reps with hired_on")
    assert "Kaplan-Meier" not in out and "cohort" not in out
    data = json.loads(cli("ramp", "--as-of", "2025-12-31", "--format", "json").stdout)
    assert (data["missing"], data["reps"], data["reps_with_hire_date"]) == ("no_hire_dates", 0, 0)
    german = " ".join(cli("ramp", "--as-of", "2025-12-31", "--lang", "de").stdout.split())
    assert german.startswith("Kein Mitarbeiter hat ein Einstellungsdatum")


def test_a_report_by_team_says_ramp_time_has_no_row(tmp_path: Path) -> None:
    """Found by a tester: ungrouped, ramp time reads "no new rep ramped"; in a report of every KPI by
    team it had no row, and nothing said it was left out (the JSON's skipped was empty)."""
    cli = Cli(tmp_path / "nohire.duckdb")
    cli.import_(write_records(tmp_path / "records", hired=False))
    assert rows(cli, "--period", "2025-Q3")[None]["flags"] == ["no_hire_dates"]
    report = cli.report("--period", "2025-Q3", "--by", "team")
    assert "ramp_time" in report["no_rows"] and all(r["kpi"] != "ramp_time" for r in report["rows"])
    assert "win_rate" not in report["no_rows"] and any(r["kpi"] == "win_rate" for r in report["rows"])
    said = " ".join(cli("report", "--period", "2025-Q3", "--by", "team").stderr.split())
    assert "Ramp time: no row by team; the report without --by says why" in said
    german = " ".join(cli("report", "--period", "2025-Q3", "--by", "team", "--lang", "de").stderr.split())
    assert "Einarbeitungszeit: keine Zeile nach Team; warum, sagt der Bericht ohne --by" in german
    assert "no_rows" not in cli.report("--period", "2025-Q3")  # ungrouped: every KPI has its row
    book = tmp_path / "by-team.xlsx"
    cli("report", "--period", "2025-Q3", "--by", "team", "--format", "xlsx", "--output", str(book))
    cover = [tuple(r) for r in openpyxl.load_workbook(book)["Cover"].iter_rows(values_only=True)]
    assert ("Left out", "Ramp time: no row by team; the report without --by says why") in cover


def test_ramp_with_every_hire_before_the_records_says_why(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "old.duckdb")
    folder = write_records(tmp_path / "records")
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r, "team": "east", "hired_on": "2020-01-01"}
                                    for r in ("vet", *HIRED)])
    cli.import_(folder)
    out = " ".join(cli("ramp", "--as-of", "2025-12-31").stdout.split())
    assert out.startswith("4 reps have a hire date, all before the first deal on record (2024-12-01): "
                          "their first months are not in the records")


def test_a_filter_does_not_move_the_revenue_rules_bar(cli: Cli) -> None:
    """Under the revenue rule the bar is the median monthly revenue of every rep past 12 months'
    tenure (here the veteran's $5,000): narrowing the report to one rep must not change it."""
    cli("config", "set", "ramp_rule", "revenue")
    # steady: $10,000, $5,000, $12,000 from June: at the bar from June on.
    assert rows(cli, "--period", "2025", "--by", "rep")["steady"]["value"] == 180
    assert rows(cli, "--period", "2025", "--by", "rep", "--filter", "rep=steady")["steady"]["value"] == 180
    assert rows(cli, "--period", "2025", "--filter", "team=west")[None]["value"] == 180


@pytest.mark.parametrize("rule", ["quota", "revenue"])
def test_a_rep_and_their_manager_see_the_ramp_time_everyone_sees(cli: Cli, rule: str) -> None:
    """The first deal on record is the veteran's (December 2024). Steady sees only steady's deals,
    the first in June 2025, after steady's hire: measured from that first deal, nobody could ever
    see their own ramp time (it was 'no data' for every rep). The first deal and the revenue rule's
    bar (the veteran's months) are the workspace's, whoever asks."""
    cli("config", "set", "ramp_rule", rule)
    add_user(cli, "steady@example.com", "--role", "rep", "--rep", "steady")
    add_user(cli, "west@example.com", "--role", "manager", "--team", "west")
    everyone = rows(cli, "--period", "2025", "--by", "rep")["steady"]
    assert (everyone["value"], everyone["flags"]) == (180, ["small_sample"])
    for user in ("steady@example.com", "west@example.com"):
        seen = rows(cli, "--period", "2025", "--by", "rep", "--as-user", user)
        assert list(seen) == ["steady"], user
        assert (seen["steady"]["value"], seen["steady"]["flags"]) == (180, ["small_sample"]), user
        cohorts = json.loads(cli("ramp", "--as-of", "2025-12-31", "--as-user", user, "--format",
                                 "json").stdout)
        assert cohorts["first_record"] == "2024-12-01" and cohorts["missing"] is None
        assert {r: m for c in cohorts["cohorts"] for r, m in c["months_to_ramp"].items()} == {"steady": 6}
        shares = [p["attainment_mean"] for c in cohorts["cohorts"] for p in c["curve"]]
        if rule == "revenue":
            # The bar is the one veteran's median month: a share of it, times steady's own revenue,
            # would give Vera's revenue away. Not shown; whether a month is at it still counts.
            assert shares and all(s is None for s in shares)
        else:
            assert any(s is not None for s in shares)
    admin = json.loads(cli("ramp", "--as-of", "2025-12-31", "--format", "json").stdout)
    assert any(p["attainment_mean"] is not None for c in admin["cohorts"] for p in c["curve"])


def test_a_bar_of_nothing_is_no_bar(tmp_path: Path) -> None:
    """Under the revenue rule a veteran whose only month past a year's tenure is a won deal of $0.00
    sets a bar of $0: no bar at all, as a quota of $0 is none. Any month with revenue used to be
    "at" it, so lucky (one $27,800 month, then $900) was ramped from March; nobody is."""
    folder = write_records(tmp_path / "records")
    deals = (folder / "deals.csv").read_text().replace(
        "first,vet,2024-12-01T09:00:00,2024-12-10T09:00:00,won,5000.00",
        "first,vet,2024-12-01T09:00:00,2024-12-10T09:00:00,won,0.00")
    assert "won,0.00" in deals
    (folder / "deals.csv").write_text(deals)
    cli = Cli(tmp_path / "ramp.duckdb")
    cli.import_(folder)
    cli("config", "set", "ramp_rule", "revenue")
    by_rep = rows(cli, "--period", "2025", "--by", "rep")
    assert {rep: (r["value"], r["flags"]) for rep, r in by_rep.items()} == {
        rep: (None, ["still_ramping"]) for rep in HIRED}
    # The quota rule does not read the bar: steady is ramped from June as ever.
    cli("config", "set", "ramp_rule", "quota")
    assert rows(cli, "--period", "2025", "--by", "rep")["steady"]["value"] == 180


def test_a_rep_exactly_at_quota_is_at_quota(tmp_path: Path) -> None:
    """$1,234.56 sold against a $1,234.56 quota is 100 %, in a month of 30 days too (where the quota's
    share of the month, 1234.56 x 30 / 30, is 1234.5600000000002 in binary floating point)."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "exact", "name": "Exact", "team": "east",
                                     "hired_on": "2025-04-01"}])
    write_csv(folder / "deals.csv", [
        {"deal_id": f"e{m}", "rep_id": "exact", "created_at": "2025-04-01T09:00:00",
         "closed_at": f"2025-{m:02d}-10T09:00:00", "status": "won", "amount": "1234.56",
         "currency": "USD"} for m in (4, 6)])
    write_csv(folder / "quotas.csv", [
        {"rep_id": "exact", "period_start": f"2025-{m:02d}-01", "period_end": _month_end(m),
         "amount": "1234.56", "currency": "USD"} for m in (4, 5, 6)])
    cli = Cli(tmp_path / "exact.duckdb")
    cli.import_(folder)
    # April and June (both 30 days) at quota, May not: 2 of 3, ramped in April.
    assert rows(cli, "--period", "2025-Q2", "--by", "rep")["exact"]["value"] == (
        date(2025, 4, 30) - date(2025, 4, 1)).days
    cohorts = json.loads(cli("ramp", "--as-of", "2025-06-30", "--format", "json").stdout)
    assert cohorts["cohorts"][0]["months_to_ramp"] == {"exact": 1}


def test_a_month_without_revenue_is_never_at_quota(tmp_path: Path) -> None:
    """With a threshold so small that a quota of $0.01 times it rounds to 0 in binary floating point,
    "revenue at least quota x threshold" holds for a month of no revenue, or of a won deal of $0.00.
    Neither is a month at target: both reps are still ramping, as the reference has them."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": rep, "name": rep.title(), "team": "east",
                                     "hired_on": "2024-01-01"} for rep in ("idle", "zero")])
    write_csv(folder / "deals.csv", [
        {"deal_id": "z1", "rep_id": "zero", "created_at": "2024-01-01T09:00:00",
         "closed_at": "2024-03-15T09:00:00", "status": "won", "amount": "0.00", "currency": "USD"}])
    write_csv(folder / "quotas.csv", [
        {"rep_id": rep, "period_start": f"2024-{m:02d}-01", "period_end": f"2024-{m:02d}-28",
         "amount": "0.01", "currency": "USD"} for rep in ("idle", "zero") for m in range(1, 7)])
    cli = Cli(tmp_path / "tiny.duckdb")
    cli.import_(folder)
    cli("config", "set", "ramp_threshold", "5e-324")
    cli("config", "set", "ramp_sustain", "1/1")
    by_rep = rows(cli, "--period", "2024", "--by", "rep")
    assert {rep: (r["value"], r["n"], r["flags"]) for rep, r in by_rep.items()} == {
        rep: (None, 0, ["still_ramping"]) for rep in ("idle", "zero")}


def _veteran_and_hires(tmp_path: Path, hires: tuple[str, ...], sales: list[tuple[str, str, str]]) -> Cli:
    """A veteran (hired 2023) and new hires (2025-01-01) of team east, with won deals (rep, day,
    amount), under the revenue rule."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [
        {"rep_id": "vet", "name": "Vet", "team": "east", "hired_on": "2023-01-01"},
        *({"rep_id": rep, "name": rep.title(), "team": "east", "hired_on": "2025-01-01"} for rep in hires)])
    write_csv(folder / "deals.csv", [
        {"deal_id": f"{rep}{day}", "rep_id": rep, "created_at": "2025-01-01T09:00:00",
         "closed_at": f"{day}T09:00:00", "status": "won", "amount": amount, "currency": "USD"}
        for rep, day, amount in sales])
    cli = Cli(tmp_path / "ramp.duckdb")
    cli.import_(folder)
    cli("config", "set", "ramp_rule", "revenue")
    return cli


def test_the_revenue_rules_bar_is_the_exact_median(tmp_path: Path) -> None:
    """The veteran's months past a year of tenure: $1,000.00 and $1,000.01, so the bar is $1,000.005.
    Two months at $1,000.00 are under it; two at $1,000.01 reach it."""
    sales = [("vet", 1, "1000.00"), ("vet", 2, "1000.01"), ("under", 3, "1000.00"), ("under", 4, "1000.00"),
             ("at", 3, "1000.01"), ("at", 4, "1000.01")]
    cli = _veteran_and_hires(tmp_path, ("under", "at"),
                             [(rep, f"2025-{m:02d}-10", amount) for rep, m, amount in sales])
    found = rows(cli, "--period", "2025-04", "--by", "rep")
    assert found["under"]["value"] is None and found["under"]["flags"] == ["still_ramping"]
    assert found["at"]["value"] == (date(2025, 3, 31) - date(2025, 1, 1)).days
    cohorts = json.loads(cli("ramp", "--as-of", "2025-04-30", "--format", "json").stdout)
    assert cohorts["cohorts"][0]["months_to_ramp"] == {"at": 3, "under": None}


@pytest.mark.parametrize(("as_of", "said", "missing"), [
    # Before the first deal: nothing was on record yet (not "hired before the records").
    ("2024-06-30", "No deal was on record by 2024-06-30 (the first is from 2024-12-01): ramp is measured "
                   "from the first deal on.", "no_deals_yet"),
    # After it, but before any rep hired since then had started: they were hired later.
    ("2024-12-15", "No rep hired on or after the first deal on record (2024-12-01) had started by "
                   "2024-12-15: 3 reps were hired later.", "none_hired_yet"),
])
def test_ramp_as_of_a_day_before_the_hires_gives_the_true_reason(cli: Cli, as_of: str, said: str,
                                                                  missing: str) -> None:
    out = " ".join(cli("ramp", "--as-of", as_of).stdout.split())
    assert out.startswith(said), out
    assert "all before the first deal" not in out
    data = json.loads(cli("ramp", "--as-of", as_of, "--format", "json").stdout)
    assert data["missing"] == missing and data["reps"] == 0
    german = " ".join(cli("ramp", "--as-of", as_of, "--lang", "de").stdout.split())
    assert as_of in german and "alle vor dem ersten Deal" not in german


def test_the_ramp_table_writes_percent_as_each_language_does(cli: Cli) -> None:
    english = cli("ramp", "--as-of", "2025-12-31").stdout
    german = cli("ramp", "--as-of", "2025-12-31", "--lang", "de").stdout
    # lucky's 278 % in March and steady's nothing, as the 2025-01 cohort's mean: 139 %
    assert re.search(r"│\s+139%\s+│", english)
    assert re.search(r"│\s+139\xa0%\s+│", german) and not re.search(r"\d%", german)


def test_the_rollup_is_read_only_while_fresh(tmp_path: Path) -> None:
    """Ramp time reads won revenue per rep and month from a rollup every write rebuilds
    (storage.ROLLUP). A program that changes the deals and moves the data version without
    rebuilding it (an older salesmetrics) leaves it stale: it is then not read, and the figures are
    the deals' own. The next write of ours rebuilds it."""
    import duckdb

    cli = Cli(tmp_path / "ramp.duckdb")
    cli.import_(write_records(tmp_path / "records"))
    assert rows(cli, "--period", "2025-Q3", "--by", "team")["west"]["value"] == 180
    # steady's July is made 100 %: ramped from June, and confirmed in July already.
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE deals SET amount = 10000.00 WHERE deal_id = 'steady-7'")
    con.execute("UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                "WHERE key = 'data_version'")
    con.close()
    asked = [("--period", "2025-07"), ("--period", "2025-08"), ("--period", "2025-Q3"),
             ("--period", "2025-07-28..2025-08-03"), ("--period", "2025-07", "--as-of", "2025-07-20"),
             ("--period", "2025"), ("--period", "2025-07", "--filter", "team=west")]

    def figures() -> list[Any]:
        return [{k: (r["value"], r["n"], r["days_so_far"]) for k, r in rows(cli, *a, "--by", by).items()}
                for a in asked for by in ("team", "rep")]

    with Workspace.open(cli.db, read_only=True) as ws:
        assert not ws.store.rollups_fresh()
    stale = figures()
    assert rows(cli, "--period", "2025-07", "--by", "team")["west"]["value"] == 180  # the deals' own
    assert "west" not in rows(cli, "--period", "2025-08", "--by", "team")
    cli("config", "set", "ramp_sustain", "2/3")  # any write of ours rebuilds the rollup
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.store.rollups_fresh()
    # Read from the rollup (the month a period ends in from the deals): the same figures.
    assert figures() == stale
    # And it is what is read: a rollup made to say otherwise (July back at 50 %) is believed, and
    # steady is still ramping at the end of July.
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE won_by_rep_month SET amount = 5000.00 WHERE rep_id = 'steady' "
                "AND month = DATE '2025-07-01'")
    con.close()
    assert rows(cli, "--period", "2025-07", "--by", "team")["west"]["flags"] == ["still_ramping"]


def test_the_revenue_rules_bar_leaves_out_a_month_cut_short(tmp_path: Path) -> None:
    """The bar is over complete months: as of April 5th, the veteran's $500.00 so far in April is no
    month of hers. It made the bar $5,250.00 (the median of $10,000.00 and $500.00), and the new
    hire's $6,000.00 by April 3rd read as ramped in the report while the ramp view, as of the same
    day, said still ramping (its bar: $10,000.00)."""
    cli = _veteran_and_hires(tmp_path, ("new",), [("vet", "2025-03-10", "10000.00"),
                                                  ("vet", "2025-04-02", "500.00"),
                                                  ("new", "2025-04-03", "6000.00")])
    cli("config", "set", "ramp_sustain", "1/1")
    found = rows(cli, "--period", "2025-04", "--as-of", "2025-04-05", "--by", "rep")
    assert found["new"]["value"] is None and found["new"]["flags"] == ["still_ramping"]
    assert found["new"]["days_so_far"] == (date(2025, 4, 5) - date(2025, 1, 1)).days
    cohorts = json.loads(cli("ramp", "--as-of", "2025-04-05", "--format", "json").stdout)
    assert cohorts["cohorts"][0]["months_to_ramp"] == {"new": None}
    # Once April is over it is a month of the veteran's like any: the bar is $5,250.00, and
    # $6,000.00 is at it, in both.
    found = rows(cli, "--period", "2025-04", "--by", "rep")
    assert found["new"]["value"] == (date(2025, 4, 30) - date(2025, 1, 1)).days
    cohorts = json.loads(cli("ramp", "--as-of", "2025-04-30", "--format", "json").stdout)
    assert cohorts["cohorts"][0]["months_to_ramp"] == {"new": 4}
