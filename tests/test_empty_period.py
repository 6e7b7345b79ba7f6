"""A report over a period that holds no records says where the records are and what to try, in every
face: CLI table, CSV and JSON, summary, API and dashboard. Records here run from 20 October 2016 (w1
created) to 31 December 2017 (w2 won), as in the Maven CRM data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from helpers import Cli, clock_at
from mailserver import MailServer
from salesmetrics.web.app import create_app

HINT = {"records_start": "2016-10-20", "records_end": "2017-12-31", "suggested_period": "2017",
        "records_unseen": False}
SAID = "records run 2016-10-20 to 2017-12-31: try --period 2017"


@pytest.fixture
def filled(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    csvs("reps", [{"rep_id": "jim", "team": "east"}, {"rep_id": "ann", "team": "west"}])
    cli.import_(csvs("deals", [
        {"deal_id": "w1", "rep_id": "jim", "created_at": "2016-10-20T09:00:00",
         "closed_at": "2017-03-01T09:00:00", "status": "won", "amount": "1054.00", "currency": "USD"},
        {"deal_id": "w2", "rep_id": "jim", "created_at": "2017-06-01T09:00:00",
         "closed_at": "2017-12-31T16:00:00", "status": "won", "amount": "4514.00", "currency": "USD"},
        # Left open since 2017, as Maven's Engaging deals: open in every period after, but no record
        # of any of them.
        {"deal_id": "o1", "rep_id": "jim", "created_at": "2017-02-01T09:00:00", "status": "open",
         "amount": "500.00", "currency": "USD"},
    ]).parent)
    return cli


def test_the_cli_says_where_the_records_are(filled: Cli) -> None:
    table = filled("report", "--period", "2026-10")
    csv = filled("report", "--period", "2026-10", "--format", "csv")
    data = filled.report("--period", "2026-10")
    summary = filled("summary", "--period", "2026-10")
    german = filled("summary", "--period", "2026-10", "--lang", "de")

    for result in (table, csv, summary):
        assert SAID in " ".join(result.stderr.split())
    assert "die Datensätze reichen von 20.10.2016 bis 31.12.2017; versuchen Sie --period 2017" in " ".join(
        german.stderr.split())
    assert data["hint"] == HINT
    assert data["period"] == {"label": "2026-10", "start": "2026-10-01", "end": "2026-11-01"}
    assert data["rows"][0] == {"kpi": "total_revenue", "value": 0.0, "unit": "money", "currency": "USD",
                               "n": 0, "flags": [], "ci_low": None, "ci_high": None, "target": None,
                               "target_status": None, "pace": None}


def test_a_period_with_records_has_no_hint_even_when_a_filter_leaves_nothing(filled: Cli) -> None:
    assert "hint" not in filled.report("--period", "2017")
    # ann's team sold nothing in March 2017, but the workspace has records then: a real zero.
    west = filled.report("--period", "2017-03", "--filter", "team=west")
    assert "hint" not in west and west["rows"][0]["value"] == 0
    assert "try --period" not in filled("report", "--period", "2017-03", "--filter", "team=west").stderr


def test_the_suggestion_is_a_fiscal_year_that_holds_records(filled: Cli) -> None:
    filled("config", "set", "fiscal_year_start", "7")  # 2017 is July 2017 to June 2018

    hint = filled.report("--period", "2026-10")["hint"]

    assert hint["suggested_period"] == "2017"
    assert "hint" not in filled.report("--period", hint["suggested_period"])


def test_an_empty_workspace_says_so(cli: Cli) -> None:
    cli("config", "set", "time_zone", "UTC")  # a workspace without records (reading makes none)
    result = cli("report", "--period", "2026-10")

    assert "the workspace holds none yet; import them with `salesmetrics import FILES`" in " ".join(
        result.stderr.split())
    assert cli.report("--period", "2026-10")["hint"] == {
        "records_start": None, "records_end": None, "suggested_period": None, "records_unseen": False}


def test_the_api_and_the_dashboard_say_where_the_records_are(filled: Cli) -> None:
    with TestClient(create_app(filled.db, warm=False)) as client:
        report = client.get("/api/v1/report", params={"period": "2026-10"}).json()
        summary = client.get("/api/v1/summary", params={"period": "2026-10"}).json()
        dashboard = client.get("/api/v1/dashboard", params={"period": "2026-10"}).json()
        page = client.get("/", params={"period": "2026-10"}).text
        german = client.get("/", params={"period": "2026-10", "lang": "de"}).text
        full = client.get("/", params={"period": "2017"}).text

    assert report["hint"] == summary["hint"] == dashboard["hint"] == HINT
    assert "No records in this period: the records run from Oct 20, 2016 to Dec 31, 2017." in page
    assert 'href="/?period=2017">Show 2017</a>' in page
    assert "die Datensätze reichen vom 20.10.2016 bis 31.12.2017" in german
    assert 'id="hint"' not in full


def test_a_record_dated_later_in_a_running_period_is_not_one_yet(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The period runs from today for 30 days: it is taken as of today (README, "As of a day"). A call
    # planned in ten days is in the period but has not happened: today the period holds no record,
    # and a figure standing across it (a deal open since long before) rests on nothing in it.
    today = date.today()
    csvs("reps", [{"rep_id": "jim", "team": "east"}])
    csvs("activities", [{"activity_id": "later", "rep_id": "jim", "type": "call",
                         "occurred_at": f"{today + timedelta(days=10)}T10:00:00"}])
    cli.import_(csvs("deals", [
        {"deal_id": "o1", "rep_id": "jim", "created_at": f"{today - timedelta(days=60)}T09:00:00",
         "status": "open", "amount": "500.00", "currency": "USD"},
    ]).parent)
    period = f"{today}..{today + timedelta(days=29)}"

    found = cli.report("--period", period, "--kpi", "pipeline_win_rate")
    row = found["rows"][0]
    assert found["measured_period"]["end"] == (today + timedelta(days=1)).isoformat()
    assert (row["value"], row["n"], row["flags"]) == (None, 0, ["no_records"])
    # Where the records are, as of today: the deal; the call has not happened yet. The period
    # suggested holds a record as of today (never the same hint again).
    created = (today - timedelta(days=60)).isoformat()
    assert (found["hint"]["records_start"], found["hint"]["records_end"]) == (created, created)
    suggested = cli.report("--period", found["hint"]["suggested_period"], "--kpi", "pipeline_win_rate")
    assert "hint" not in suggested and suggested["rows"][0]["n"] >= 1
    assert f"No records in {today} – {today}: records run {created} to {created}" in " ".join(
        cli("report", "--period", period, "--kpi", "pipeline_win_rate").stderr.split())
    # As of the call's day, still to come, the period's figures are not known yet: refused.
    later = cli("report", "--period", period, "--kpi", "pipeline_win_rate",
                "--as-of", str(today + timedelta(days=10)), ok=False)
    assert later.exit_code == 2 and "a day still to come" in later.stderr


_December7 = clock_at(datetime(2026, 12, 7, 12, 0))  # noon, whatever the machine's clock says


def test_deals_a_running_period_closed_after_today_are_said_not_counted(cli: Cli,
                                                                       csvs: Callable[..., Path]) -> None:
    # A CRM that keeps a deal's planned close date when it is marked won gave December's revenue
    # 0.00 with December's wins on record, and its 31st more than the whole month (a tester).
    csvs("reps", [{"rep_id": "jim", "team": "east"}, {"rep_id": "ann", "team": "west"}])

    def deal(deal_id: str, closed: str, status: str, amount: str) -> dict[str, str]:
        return {"deal_id": deal_id, "rep_id": "jim", "created_at": "2026-11-02T09:00:00",
                "closed_at": f"{closed}T10:00:00", "status": status, "amount": amount, "currency": "USD"}

    cli.import_(csvs("deals", [deal("now", "2026-12-03", "won", "100.00"),
                               deal("later", "2026-12-31", "won", "10.00"),
                               deal("lost", "2026-12-20", "lost", "50.00"),
                               deal("january", "2027-01-05", "won", "20.00")]).parent)
    with mock.patch("salesmetrics.store.datetime", _December7):
        december = cli.report("--period", "2026-12", "--kpi", "total_revenue")
        table = " ".join(cli("report", "--period", "2026-12", "--kpi", "total_revenue").stderr.split())
        german = " ".join(cli("summary", "--period", "2026-12", "--lang", "de").stderr.split())
        day = cli.report("--period", "2026-12-31", "--kpi", "total_revenue")
        earlier = cli.report("--period", "2026-12", "--as-of", "2026-12-05", "--kpi", "total_revenue")
        west = cli.report("--period", "2026-12", "--filter", "team=west", "--kpi", "total_revenue")
        november = cli.report("--period", "2026-11", "--kpi", "total_revenue")
        answers = cli.report("--period", "2026-12", "--kpi", "nps", "--kpi", "activity_count")
        digest = json.loads(cli("digest", "--period", "2026-12", "--format", "json").stdout)
        cli("digest", "--period", "2026-12", "--output", str(cli.db.with_name("digest.html")))
        mail = MailServer()
        try:
            cli("digest", "--period", "2026-12", "--to", "lead@example.com", "--smtp", mail.url)
            [message] = mail.received
        finally:
            mail.stop()
        forecast = json.loads(cli("forecast", "--period", "2026-12", "--format", "json").stdout)
        losses = json.loads(cli("losses", "--period", "2026-12", "--format", "json").stdout)
        lost_table = " ".join(cli("losses", "--period", "2026-12").stdout.split())
        book = cli.db.with_name("december.xlsx")
        cli("report", "--period", "2026-12", "--format", "xlsx", "--output", str(book))
        with TestClient(create_app(cli.db, warm=False)) as client:
            api = client.get("/api/v1/dashboard", params={"period": "2026-12"}).json()
            page = " ".join(client.get("/", params={"period": "2026-12"}).text.split())

    assert december["rows"][0]["value"] == 100.0
    assert december["closed_ahead"] == api["closed_ahead"] == digest["closed_ahead"] == {
        "deals": 2, "won": 1, "last_closed_on": "2026-12-31"} == forecast["closed_ahead"]
    assert losses["closed_ahead"] == forecast["closed_ahead"]
    # The loss reasons say it too: the deal lost on the 20th was simply absent (the forecast tester).
    assert ("2 deals of this period closed after today (1 of them won; the latest on 2026-12-31)"
            in lost_table)
    mailed = " ".join(cli.db.with_name("digest.html").read_text(encoding="utf-8").split())
    assert "2 deals of this period closed after today (1 of them won; the latest on Dec 31, 2026)" in mailed
    # In the mail's plain text as in its HTML (it was in the HTML only: the forecast tester).
    assert ("2 deals of this period closed after today (1 of them won; the latest on Dec 31, 2026)"
            in " ".join(message.text().split()))
    cover = [row for row in load_workbook(book).worksheets[0].iter_rows(values_only=True)]
    assert any(str(value).startswith("2 deals of this period closed after today") for row in cover
               for value in row), cover
    said = ("2 deals of this period closed after today (1 of them won; the latest on 2026-12-31) are not "
            "counted yet: a running period is read to today")
    assert said in table
    assert "2 deals of this period closed after today (1 of them won; the latest on Dec 31, 2026)" in page
    assert ("2 Deals dieses Zeitraums mit Abschluss nach heute (1 davon gewonnen; zuletzt am 31.12.2026)"
            in german)
    # A period wholly to come is read whole; a day asked for, a filter without them and a period
    # over say nothing.
    assert day["rows"][0]["value"] == 10.0 and "closed_ahead" not in day
    assert all("closed_ahead" not in r for r in (earlier, west, november))
    # Nor is it said beside figures that count no deals (answers, activities: the review).
    assert "closed_ahead" not in answers
