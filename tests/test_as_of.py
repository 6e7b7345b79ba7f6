"""``--as-of D`` (``as_of=`` in the API and Python) means "as it stood at the end of D" everywhere: no
record after D counts, a period reaching past D is cut there, and pace is the share of the period
gone by D (issue 10, item 5)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics import Workspace
from salesmetrics.periods import Period, to_come
from salesmetrics.web.app import create_app

Csvs = Any
D = date(2026, 11, 15)
NOT_TARGETS = ("target", "target_status", "pace")


def deal(deal_id: str, rep: str, status: str, amount: str, created: str,
         closed: str | None = None) -> dict[str, Any]:
    return {"deal_id": deal_id, "rep_id": rep, "account": f"acct-{deal_id}", "created_at": created,
            "closed_at": closed, "status": status, "amount": amount, "currency": "USD"}


@pytest.fixture
def around(cli: Cli, csvs: Csvs) -> Cli:
    """Records on both sides of the end of 15 November 2026, to the second."""
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"},
                  {"rep_id": "jim", "team": "east", "hired_on": "2020-01-01"}])
    csvs("deals", [
        deal("a1", "ann", "won", "1000.00", "2026-11-01T09:00:00", "2026-11-15T23:59:59"),  # in
        deal("a2", "ann", "won", "2000.00", "2026-11-01T09:00:00", "2026-11-16T00:00:00"),  # open at D
        deal("a3", "ann", "lost", "500.00", "2026-10-20T09:00:00", "2026-11-15T12:00:00"),
        deal("a4", "ann", "won", "4000.00", "2026-09-20T09:00:00", "2026-10-10T09:00:00"),
        deal("a5", "ann", "lost", "700.00", "2026-11-20T09:00:00", "2026-11-25T09:00:00"),  # after D
        deal("j1", "jim", "open", "900.00", "2026-11-16T00:00:00"),  # created after D
        deal("j2", "jim", "won", "3000.00", "2026-08-01T09:00:00", "2026-12-01T09:00:00"),  # after D
    ])
    csvs("activities", [
        {"activity_id": "c1", "rep_id": "ann", "type": "call", "occurred_at": "2026-11-15T23:59:59",
         "deal_id": "a1"},
        {"activity_id": "c2", "rep_id": "ann", "type": "call", "occurred_at": "2026-11-16T00:00:00",
         "deal_id": "a2"},
        {"activity_id": "c3", "rep_id": "ann", "type": "email", "occurred_at": "2026-11-16T08:00:00",
         "deal_id": "a1"},  # a thank-you after the win, after D
    ])
    csvs("nps_responses", [
        {"response_id": "n1", "account": "acct-a1", "score": 10, "responded_at": "2026-11-15T23:59:59",
         "rep_id": "ann"},
        {"response_id": "n2", "account": "acct-a2", "score": 0, "responded_at": "2026-11-16T00:00:00",
         "rep_id": "ann"},
    ])
    cli.import_(csvs("quotas", [{"rep_id": "ann", "period_start": "2026-10-01",
                                 "period_end": "2026-12-31", "amount": "9200.00"}]).parent)
    return cli


def figures(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in NOT_TARGETS} for row in report["rows"]]


def test_a_report_as_of_d_is_the_report_of_the_period_cut_at_d(around: Cli) -> None:
    cut = around.report("--period", "2026-10-01..2026-11-15")
    for period in ("2026-Q4", "this-quarter"):
        asked = around.report("--period", period, "--as-of", "2026-11-15")
        assert figures(asked) == figures(cut)
        assert asked["as_of"] == "2026-11-15"
        assert asked["measured_period"] == {"label": "2026-10-01..2026-11-15", "start": "2026-10-01",
                                            "end": "2026-11-16"}
        assert (asked["period"]["start"], asked["period"]["end"]) == ("2026-10-01", "2027-01-01")
    rows = {r["kpi"]: r for r in cut["rows"]}
    # Won to the last second of D: a1 and a4; a2 (won one second later) was still open then.
    assert (rows["total_revenue"]["value"], rows["total_revenue"]["n"]) == (5000, 2)
    assert (rows["win_rate"]["value"], rows["win_rate"]["n"]) == (pytest.approx(2 / 3, abs=1e-6), 3)
    # Open at any time to D: a1, a2, a3, a4 and j2 (won after D); a5 and j1 did not exist yet.
    assert (rows["pipeline_win_rate"]["value"], rows["pipeline_win_rate"]["n"]) == (0.4, 5)
    assert (rows["activity_count"]["value"], rows["nps"]["value"], rows["nps"]["n"]) == (1, 100, 1)
    # ann's quota of 9,200 for the quarter, pro-rated to 46 of its 92 days: 5,000 / 4,600.
    assert rows["quota_attainment"]["value"] == pytest.approx(5000 / 4600, abs=1e-6)


def test_the_whole_period_counts_everything_without_as_of(around: Cli) -> None:
    [row] = around.report("--period", "2026-Q4", "--kpi", "total_revenue")["rows"]
    assert (row["value"], row["n"]) == (10000, 4)
    # A period that has ended is taken whole (one still running is taken as of today: below).
    assert "as_of" not in around.report("--period", "2026-10-01..2026-12-01", "--kpi", "total_revenue")


def test_a_running_period_is_taken_as_of_today_and_compared_like_for_like(cli: Cli, csvs: Csvs) -> None:
    """Two days into a month, without --as-of, the month was set beside the whole month before: an
    85 % drop in activities, and a significant_drop alert at the start of every month. It is taken
    as of today now, beside the same days of the month before."""
    today = date.today()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    if today + timedelta(days=1) >= following:
        pytest.skip("the month ends today: it is taken whole")
    before = (first - timedelta(days=1)).replace(day=1)
    later = before + timedelta(days=today.day)  # the first day of the month before past the cut
    acts = [(f"now{i}", today) for i in range(7)] + [(f"in{i}", before) for i in range(10)]
    acts += [(f"out{i}", later) for i in range(30)] if later < first else []
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("activities", [{"activity_id": a, "rep_id": "ann", "type": "call",
                                      "occurred_at": f"{day.isoformat()}T10:00:00"}
                                     for a, day in acts]).parent)
    report = cli.report("--period", "this-month", "--compare", "--kpi", "activity_count")
    [row] = report["rows"]
    assert (row["value"], row["previous"]) == (7, 10)  # not 40
    assert report["as_of"] == today.isoformat()
    assert report["measured_period"]["end"] == (today + timedelta(days=1)).isoformat()
    assert report["previous_period"]["end"] == later.isoformat() if later < first else True
    # As of the month's last day, still to come: December "as of Dec 31" on the 5th was set beside
    # the whole of November (activities -100 %), its pace as if the month had passed. Refused.
    last = (following - timedelta(days=1)).isoformat()
    for args in (("report", "--compare", "--kpi", "activity_count"), ("summary",), ("forecast",)):
        refused = cli(args[0], "--period", f"{first:%Y-%m}", "--as-of", last, *args[1:], ok=False)
        said = " ".join(refused.stderr.split())
        assert refused.exit_code == 2, said
        assert (f"as of {last}, a day still to come: {first:%Y-%m} runs past today ({today.isoformat()}), "
                "and its figures as they will stand then are not known") in said
    # A period over by today is asked as of any day after it: all its records are in.
    whole = cli.report("--period", f"{before:%Y-%m}", "--as-of", last, "--kpi", "activity_count")
    assert whole["rows"][0]["value"] == 10 + (30 if later < first else 0)


def test_target_status_as_of_leaves_out_deals_won_after_it(around: Cli) -> None:
    around("target", "set", "total_revenue", "9200", "--period", "2026-Q4")
    around("target", "set", "win_rate", "0.5", "--period", "2026-Q4")
    status = {s["kpi"]: s for s in json.loads(around(
        "target", "status", "--period", "this-quarter", "--as-of", "2026-11-15", "--format", "json").stdout)}
    revenue = status["total_revenue"]
    # 5,000 by the end of 15 November (not 10,000: a2 and j2 were won later), 46 of 92 days gone.
    assert revenue["value"] == 5000 and revenue["elapsed"] == 0.5
    assert revenue["pace"] == pytest.approx(5000 / (9200 * 0.5), abs=1e-4)
    assert status["win_rate"]["value"] == pytest.approx(2 / 3, abs=1e-6)


def test_the_period_before_is_cut_at_the_same_point(around: Cli) -> None:
    report = around.report("--period", "2026-Q4", "--as-of", "2026-11-15", "--compare",
                           "--kpi", "total_revenue")
    # The first 46 days of the quarter against the first 46 days of the quarter before.
    assert report["previous_period"] == {"label": "2026-07-01..2026-08-15", "start": "2026-07-01",
                                         "end": "2026-08-16"}


def test_the_records_behind_a_figure_as_of_d_show_the_deals_as_they_stood(around: Cli) -> None:
    """a2 was won at midnight after D and j2 on 1 December: under --as-of they were open, as the
    pipeline win rate counts them; listed as won, they read as outcomes known then."""
    cut = ("--period", "2026-Q4", "--as-of", "2026-11-15")
    listed = json.loads(around("records", "pipeline_win_rate", *cut, "--format", "json").stdout)
    states = {r["deal_id"]: (r["status"], r["closed_at"]) for r in listed["rows"]}
    assert states["a1"] == ("won", "2026-11-15T23:59:59")
    assert states["a2"] == ("open", None) and states["j2"] == ("open", None)
    assert sorted(d for d, (s, _) in states.items() if s == "won") == ["a1", "a4"]
    assert around.value("--kpi", "pipeline_win_rate", *cut) == round(2 / len(states), 6)
    whole = json.loads(around("records", "pipeline_win_rate", "--period", "2026-Q4", "--format",
                              "json").stdout)
    assert {r["deal_id"]: r["status"] for r in whole["rows"]}["a2"] == "won"


def test_a_period_that_starts_after_d_is_refused(around: Cli) -> None:
    result = around("report", "--period", "2026-12", "--as-of", "2026-11-15", ok=False)
    assert result.exit_code == 2  # a period that cannot be asked for: bad usage
    assert "2026-12 starts after 2026-11-15" in result.stderr


def test_a_period_is_still_to_come_only_from_the_day_after_today_and_never_as_of_a_day() -> None:
    december = Period(date(2026, 12, 1), date(2027, 1, 1), "2026-12")
    assert to_come(december, None, date(2026, 11, 30))
    assert not to_come(december, None, date(2026, 12, 1))  # its first day: running
    assert not to_come(december, None, date(2027, 1, 5))
    # As of a day, a period starting later is refused (Period.until), not compared with nothing.
    assert not to_come(december, date(2026, 11, 15), date(2026, 11, 30))


def test_a_period_still_to_come_is_compared_with_nothing(cli: Cli, csvs: Csvs) -> None:
    """Without --as-of, next month (nothing in it has happened) was set beside this one: activities
    0 against 11, "-100 %, significant", and the dashboard's tiles "worse" (a tester). Its figures
    stand (0 is what it holds so far), compared with nothing: neither the period before nor a year
    before."""
    with Workspace.open(cli.db) as ws:  # today on the workspace's clock, which the figures read
        today = ws.store.today()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    month_after = f"{following:%Y-%m}"
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("activities", [{"activity_id": f"a{i}", "rep_id": "ann", "type": "call",
                                     "occurred_at": f"{first.isoformat()}T00:00:00"} for i in range(11)]
                     + [{"activity_id": f"y{i}", "rep_id": "ann", "type": "call",
                         "occurred_at": f"{following.replace(year=following.year - 1).isoformat()}T10:00:00"}
                        for i in range(4)]).parent)
    [row] = cli.report("--period", month_after, "--compare", "--kpi", "activity_count")["rows"]
    assert row["value"] == 0
    assert (row["previous"], row["change"], row["p_value"], row["significant"]) == (None,) * 4
    dash = json.loads(cli("dashboard", "--period", month_after).stdout)
    [tile] = [t for t in dash["tiles"] if t["kpi"] == "activity_count"]
    assert (tile["value"], tile["previous"], tile["change"], tile["better"]) == (0, None, None, None)
    assert (tile["year_ago"], tile["year_change"], tile["significant"]) == (None, None, None)
    # Nor a line of the period before over its bars of 0 (a tester: a drop drawn, not said).
    assert dash["trend"] and dash["previous_trend"] == []
    running = json.loads(cli("dashboard", "--period", f"{first:%Y-%m}").stdout)
    assert running["previous_trend"]  # the month running keeps its line
    with TestClient(create_app(cli.db)) as client:
        answer = client.get("/api/v1/report", params={"period": month_after, "kpi": "activity_count",
                                                       "compare": "true"}).json()
    assert (answer["rows"][0]["value"], answer["rows"][0]["change"]) == (0, None)
    # A period holding records dated ahead (a call planned for then) is compared as any.
    cli.import_(csvs("activities", [{"activity_id": "planned", "rep_id": "ann", "type": "call",
                                     "occurred_at": f"{following.isoformat()}T10:00:00"}]).parent)
    [ahead] = cli.report("--period", month_after, "--compare", "--kpi", "activity_count")["rows"]
    assert (ahead["value"], ahead["previous"]) == (1, 11)


def test_every_face_and_view_agrees_as_of_d(around: Cli) -> None:
    with Workspace.open(around.db) as ws:
        summary = {h.kpi: h for h in ws.summary("2026-Q4", as_of=D).headlines}
        assert summary["total_revenue"].value == Decimal("5000.00")
        dash = ws.dashboard("2026-Q4", as_of=D)
        tiles = {t.kpi: t for t in dash.tiles}
        assert tiles["total_revenue"].value == Decimal("5000.00")
        assert tiles["activity_count"].value == 1 and tiles["nps"].value == 100
        # Revenue by month stops at D: no December, and November is its first half.
        assert [(p.key, p.period, p.value) for p in dash.trend] == [
            ("2026-10", "2026-10", Decimal("4000.00")),
            ("2026-11", "2026-11-01..2026-11-15", Decimal("1000.00"))]
        assert dash.previous_period.end == date(2026, 8, 16)
        assert {r.rep: r.values["revenue_per_rep"] for r in dash.reps} == {"ann": Decimal("5000.00")}
        assert dash.nps_mix == {"detractor": 0, "passive": 0, "promoter": 1}
        behind = ws.records_behind("total_revenue", "2026-Q4", as_of=D)
        assert sorted(r["deal_id"] for r in behind.rows) == ["a1", "a4"]
        card = ws.scorecard("ann", "2026-Q4", history=2, as_of=D)
        assert card.line("total_revenue").value == Decimal("5000.00")
        # Her own past, over the same first 46 days of each quarter.
        assert [p.label for p in card.history_periods] == ["2026-04-01..2026-05-16", "2026-07-01..2026-08-15"]
        assert card.line("win_rate").n == 3
        effect = ws.activity_effectiveness("2026-Q4", as_of=D)
        [group] = effect.groups
        assert (group.closed, group.won) == (3, 2)
        assert group.activities_per_won_deal == 0.5 and [t.activity_type for t in group.types] == ["call"]
        cycle = ws.cycle("2026-Q4", as_of=D)
        assert (cycle.won, cycle.still_open) == (2, 2)  # open at D: a2 and j2, won later


def test_the_api_as_of_is_the_cli_as_of(around: Cli) -> None:
    with TestClient(create_app(around.db, warm=False)) as client:
        r = client.get("/api/v1/report", params={"period": "2026-Q4", "as_of": "2026-11-15",
                                                 "kpi": "total_revenue"})
        assert r.status_code == 200, r.text
        assert r.json() == around.report("--period", "2026-Q4", "--as-of", "2026-11-15",
                                         "--kpi", "total_revenue")
        assert r.json()["rows"][0]["value"] == 5000
        dash = client.get("/api/v1/dashboard", params={"period": "2026-Q4", "as_of": "2026-11-15"})
        tiles = {t["kpi"]: t for t in dash.json()["tiles"]}
        assert tiles["total_revenue"]["value"] == 5000
        late = client.get("/api/v1/report", params={"period": "2026-12", "as_of": "2026-11-15"})
        assert late.status_code == 400 and late.json()["error"]["type"] == "bad_period"
        page = client.get("/", params={"period": "2026-Q4", "as_of": "2026-11-15"}).text
        page = page.replace("\u2009", " ")  # thin spaces around the range's dash
        assert "<strong>Oct 1 – Nov 15, 2026</strong>" in page
        assert "compared with Jul 1 – Aug 15, 2026 and Oct 1 – Nov 15, 2025" in page


def test_the_summary_says_which_stretch_it_covers(around: Cli) -> None:
    text = around("summary", "--period", "2026-Q4", "--as-of", "2026-11-15").stdout
    assert "2026-10-01 – 2026-11-15, against 2026-07-01 – 2026-08-15" in text
    with Workspace.open(around.db) as ws:
        data = ws.summary("2026-Q4", as_of=D).as_json()
    assert data["measured_period"]["end"] == "2026-11-16" and data["as_of"] == D


def test_kept_sql_is_not_reused_across_as_of_days(around: Cli) -> None:
    # The same query shape asked with several as-of days, each twice: every answer is its own day's.
    for _ in range(2):
        for day, revenue in (("2026-11-14", 4000), ("2026-11-15", 5000), ("2026-11-16", 7000),
                             ("2026-12-01", 10000)):
            [row] = around.report("--period", "2026-Q4", "--as-of", day, "--kpi", "total_revenue")["rows"]
            assert row["value"] == revenue, day



def test_a_running_period_whose_records_end_yesterday_counts_as_many_days_on_both_sides(
        cli: Cli, csvs: Csvs) -> None:
    """Every morning before the day's first record, the records of the last 30 days end yesterday
    evening. The 30 days before are cut as far into their days (their records end the evening of
    the day that stands for yesterday), but their quota counted one day fewer than today's: 29
    days' quota beside 30 read as a drop of quota attainment every morning (a week's: 100 points).
    Ann's quota is 100.00 a day; she won 1,000.00 on both sides, and 5,000.00 after the cut."""
    cli("config", "set", "time_zone", "UTC")
    today = datetime.now(UTC).date()
    yesterday, back = today - timedelta(days=1), today - timedelta(days=31)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    csvs("quotas", [{"rep_id": "ann", "period_start": (today - timedelta(days=99)).isoformat(),
                     "period_end": today.isoformat(), "amount": "10000.00"}])
    cli.import_(csvs("deals", [
        deal("now", "ann", "won", "1000.00", "2026-01-01T09:00:00", f"{yesterday}T19:00:00"),
        deal("then", "ann", "won", "1000.00", "2026-01-01T09:00:00", f"{back}T18:00:00"),
        deal("late", "ann", "won", "5000.00", "2026-01-01T09:00:00", f"{back}T20:00:00"),
    ]).parent)
    if datetime.now(UTC).date() != today:
        pytest.skip("midnight passed while the records were imported")
    report = cli.report("--period", "last-30-days", "--compare", "--kpi", "quota_attainment")
    [row] = report["rows"]
    assert report["previous_period"]["cut_at"] == f"{back}T19:01:00"
    assert report["previous_period"]["end"] == (back + timedelta(days=2)).isoformat()  # 30 days
    assert (row["value"], row["previous"], row["change"]) == (
        pytest.approx(1000 / 3000), pytest.approx(1000 / 3000), pytest.approx(0))
    label = " ".join(cli("report", "--period", "last-30-days", "--compare", "--kpi",
                         "quota_attainment").stdout.split())
    # Said as far as its records go, to the minute.
    assert f"against {today - timedelta(days=59)} – {back} 19:01 " in label
