""""Today" is the workspace's today: its records are dated in its time zone, so a relative period,
a running period's cut and a target's pace are read on its clock, not on the server's. A server in
UTC-12 and a workspace on Kiritimati (UTC+14) are 26 hours apart: their dates never agree."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app

ZONE = "Pacific/Kiritimati"
SERVER_ZONE = "Etc/GMT+12"  # POSIX sign: UTC-12


@pytest.fixture
def server_far_behind(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's clock in UTC-12, as a server's would be, for the test."""
    monkeypatch.setenv("TZ", SERVER_ZONE)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _deal(deal_id: str, amount: str, created: datetime, closed: datetime) -> dict[str, Any]:
    return {"deal_id": deal_id, "rep_id": "ann", "account": f"acct-{deal_id}",
            "created_at": created.isoformat(), "closed_at": closed.isoformat(), "status": "won",
            "amount": amount, "currency": "USD"}


def test_today_is_the_workspace_s_today(cli: Cli, csvs: Any, server_far_behind: None) -> None:
    there = datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None)
    left = (datetime.combine(there.date() + timedelta(days=1), datetime.min.time()) - there).total_seconds()
    if left < 60:  # the test takes seconds: not across midnight there
        time.sleep(left + 1)
        there = datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None)
    here = datetime.now()
    assert here.date() < there.date()  # the server's clock is a day or two behind
    today = there.date()
    midnight = datetime(today.year, today.month, today.day)
    cli("config", "set", "time_zone", ZONE)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("deals", [
        _deal("t1", "1000.00", midnight - timedelta(days=9), midnight),  # today there, 00:00
        _deal("y1", "300.00", midnight - timedelta(days=9), midnight - timedelta(seconds=1)),
    ]).parent)

    found = cli.report("--period", "today", "--kpi", "total_revenue")
    # The server's date would have made "today" a day (or two) before, and found 300 or nothing.
    assert found["period"]["start"] == today.isoformat()
    assert found["rows"][0]["value"] == 1000.0
    yesterday = cli.report("--period", "yesterday", "--kpi", "total_revenue")
    assert yesterday["period"]["start"] == (today - timedelta(days=1)).isoformat()
    assert yesterday["rows"][0]["value"] == 300.0

    # A running month is read as of today there, and its label says so.
    month = cli.report("--period", "this-month", "--kpi", "total_revenue")
    assert month["period"]["start"] == today.replace(day=1).isoformat()
    if (today + timedelta(days=1)).month == today.month:  # the month still runs after today
        assert month["as_of"] == today.isoformat()

    with TestClient(create_app(cli.db, warm=False)) as client:
        api = client.get("/api/v1/report", params={"period": "today", "kpi": "total_revenue"}).json()
        # Answers for today are kept under the workspace's zone and day, not the server's date.
        assert client.app.state.gate.clock() == (ZONE, today)  # type: ignore[attr-defined]
    assert api["period"]["start"] == today.isoformat()
    assert api["rows"][0]["value"] == 1000.0


def _activity(activity_id: str, at: datetime) -> dict[str, Any]:
    return {"activity_id": activity_id, "rep_id": "ann", "type": "call", "occurred_at": at.isoformat()}


def test_a_period_ending_today_is_set_beside_as_much_of_the_one_before(cli: Cli, csvs: Any) -> None:
    """Today is not over: its records go only so far (the last one at midnight here). The period
    before is set beside them as far into its last day as that, not with its last day whole: a
    morning of calls beside a whole day of them read as a drop every morning."""
    now = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)  # the workspace's zone: UTC
    if now.hour == 23 and now.minute == 59:
        time.sleep(61)
    today = datetime.now(ZoneInfo("UTC")).date()
    midnight = datetime(today.year, today.month, today.day)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    week_before = midnight - timedelta(days=7)
    cli.import_(csvs("activities", [
        *[_activity(f"now{i}", midnight - timedelta(days=1) + timedelta(hours=10)) for i in range(5)],
        _activity("now-last", midnight),  # today's records end here
        *[_activity(f"then{i}", week_before - timedelta(days=6) + timedelta(hours=10)) for i in range(5)],
        _activity("then-midnight", week_before),  # as far into its last day: counted
        *[_activity(f"then-later{i}", week_before + timedelta(hours=12)) for i in range(10)],  # not
    ]).parent)
    period = f"{(today - timedelta(days=6)).isoformat()}..{today.isoformat()}"
    found = cli.report("--period", period, "--kpi", "activity_count", "--compare")
    before = (today - timedelta(days=7)).isoformat()
    assert found["previous_period"] == {
        "label": f"{(today - timedelta(days=13)).isoformat()}..{before} 00:01",
        "start": (today - timedelta(days=13)).isoformat(), "end": (today - timedelta(days=6)).isoformat(),
        "cut_at": f"{before}T00:01:00"}  # the minute after today's last record
    [row] = found["rows"]
    assert (row["value"], row["previous"], row["change"]) == (6, 6, 0.0)  # not 6 beside 16
    dashboard = json.loads(cli("dashboard", "--period", period).stdout)
    assert dashboard["previous_period"] == found["previous_period"]
    [tile] = [t for t in dashboard["tiles"] if t["kpi"] == "activity_count"]
    assert (tile["value"], tile["previous"]) == (6, 6)
    card = json.loads(cli("scorecard", "ann", "--period", period, "--history", "1",
                          "--format", "json").stdout)
    assert card["history_periods"] == [found["previous_period"]]
    # A day that is over is whole on both sides, as before.
    yesterday = cli.report("--period", "yesterday", "--kpi", "activity_count", "--compare")
    assert "cut_at" not in yesterday["previous_period"]


def test_yesterday_s_records_of_a_day_are_the_whole_day(cli: Cli, csvs: Any) -> None:
    """A tester, the morning after: yesterday's records were days (an export of dates, at midnight),
    and the period before was cut at the first minute of its same day, leaving out what had times
    there (a win rate's change turned from +16.7 to -50 points). A record of a day is the day."""
    now = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)
    if now.hour == 23 and now.minute >= 58:  # the day must not turn between import and report
        time.sleep(121)
    today = datetime.now(ZoneInfo("UTC")).date()
    midnight = datetime(today.year, today.month, today.day)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("activities", [
        _activity("now-day", midnight - timedelta(days=1)),  # yesterday, a day's record
        _activity("then-day", midnight - timedelta(days=8)),
        *[_activity(f"then-afternoon{i}", midnight - timedelta(days=8, hours=-15)) for i in range(3)],
    ]).parent)
    period = f"{(today - timedelta(days=6)).isoformat()}..{today.isoformat()}"
    found = cli.report("--period", period, "--kpi", "activity_count", "--compare")
    # Set beside the week before up to its "today": its "yesterday" whole, as yesterday is.
    assert found["previous_period"] == {
        "label": f"{(today - timedelta(days=13)).isoformat()}..{(today - timedelta(days=8)).isoformat()}",
        "start": (today - timedelta(days=13)).isoformat(), "end": (today - timedelta(days=6)).isoformat(),
        "cut_at": f"{(today - timedelta(days=7)).isoformat()}T00:00:00"}
    [row] = found["rows"]
    assert (row["value"], row["previous"]) == (1, 4)  # the afternoon's three were left out


def test_a_record_dated_later_today_does_not_cut_past_now(cli: Cli, csvs: Any) -> None:
    """A call planned for tonight (or an export in another zone) is dated after now. How far
    today's records go is then now, not that evening: otherwise this morning's calls were set
    beside the whole of the same day a week before."""
    now = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)  # the workspace's zone: UTC
    if now.hour == 23 and now.minute >= 57:
        pytest.skip("the evening's record would not be after now")
    today = now.date()
    midnight = datetime(today.year, today.month, today.day)
    week_before = midnight - timedelta(days=7)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("activities", [
        _activity("now-first", midnight), _activity("tonight", midnight + timedelta(hours=23, minutes=59)),
        _activity("then-first", week_before),
        *[_activity(f"then-evening{i}", week_before + timedelta(hours=23, minutes=58)) for i in range(9)],
    ]).parent)
    period = f"{(today - timedelta(days=6)).isoformat()}..{today.isoformat()}"
    found = cli.report("--period", period, "--kpi", "activity_count", "--compare")
    after = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)
    cut = datetime.fromisoformat(found["previous_period"]["cut_at"])
    # As far into the day a week before as now is into today, to the minute after it.
    assert now.replace(second=0, microsecond=0) + timedelta(minutes=1) - timedelta(days=7) <= cut
    assert cut <= after.replace(second=0, microsecond=0) + timedelta(minutes=1) - timedelta(days=7)
    [row] = found["rows"]
    assert (row["value"], row["previous"]) == (2, 1)  # not 2 beside 10


# When today's records end (none yet today): yesterday at 10:00, or at 23:59:30, whose next minute
# is midnight. The period before is cut the same way; its label names the time only within a day.
ENDS = [(timedelta(days=-1, hours=10), timedelta(days=-8, hours=10, minutes=1), True),
        (timedelta(seconds=-30), timedelta(days=-7), False)]


def test_a_quiet_stretch_before_today_is_no_export_still_to_come(cli: Cli, csvs: Any) -> None:
    """Found by a tester: no record since four days ago (a quiet week, or a CRM exporting won deals
    only) cut the period before where that last record fell, four days short. A deal won on its
    fourth day was left out: 5,000.00 beside nothing. The days before yesterday are over."""
    now = datetime.now(ZoneInfo("UTC")).replace(tzinfo=None)  # the workspace's zone: UTC
    if now.hour == 23 and now.minute >= 58:
        time.sleep(121)
    today = datetime.now(ZoneInfo("UTC")).date()
    midnight = datetime(today.year, today.month, today.day)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("deals", [
        _deal("then", "5000.00", midnight - timedelta(days=30), midnight - timedelta(days=10, hours=-10)),
        _deal("now", "5000.00", midnight - timedelta(days=30), midnight - timedelta(days=4)),
    ]).parent)
    period = f"{(today - timedelta(days=6)).isoformat()}..{today.isoformat()}"
    for as_of in ((), ("--as-of", today.isoformat())):
        found = cli.report("--period", period, "--kpi", "total_revenue", "--compare", *as_of)
        # Six whole days of each, and as much of the last as of today: none yet.
        assert found["previous_period"]["cut_at"] == f"{(today - timedelta(days=7)).isoformat()}T00:00:00"
        [row] = found["rows"]
        assert (row["value"], row["previous"], row["change"]) == (5000.0, 5000.0, 0.0)


@pytest.mark.parametrize(("last", "cut", "timed"), ENDS)
def test_a_cut_before_today_s_first_record_is_no_drop(cli: Cli, csvs: Any, last: timedelta, cut: timedelta,
                                                      timed: bool) -> None:
    """Found by reviews: before today's first record the cut falls on an earlier day, so the period
    before was a day shorter than the stretch measured (at 23:59 yesterday, a midnight made it whole
    days and dropped its cut). Its change was tested by days (7 against 6), and 600 calls beside the
    same 600 read as a significant drop; it is tested over the same stretch of time on both sides."""
    today = datetime.now(ZoneInfo("UTC")).date()
    midnight = datetime(today.year, today.month, today.day)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("activities", [
        *[_activity(f"now{i}", midnight + last) for i in range(600)],
        *[_activity(f"then{i}", midnight + last - timedelta(days=7)) for i in range(600)],
    ]).parent)
    found = cli.report("--period", "last-7-days", "--kpi", "activity_count", "--compare")
    cut_at = midnight + cut
    last_day = (cut_at - timedelta(microseconds=1)).date()
    assert found["previous_period"]["cut_at"] == cut_at.isoformat()
    named = f"{last_day.isoformat()} {cut_at:%H:%M}" if timed else last_day.isoformat()
    assert found["previous_period"]["label"] == f"{(today - timedelta(days=13)).isoformat()}..{named}"
    [row] = found["rows"]
    assert (row["value"], row["previous"], row["change"], row["significant"]) == (600, 600, 0.0, False)
    # Before any record of the stretch, nothing of the period before either: no -100 %.
    [row] = cli.report("--period", "today", "--kpi", "activity_count", "--compare")["rows"]
    assert (row["value"], row["previous"]) == (0, 0)


class _Clock:
    """Now, as the store and the server's gate read it, set by the test."""

    at: datetime = datetime(2026, 1, 1)

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch) -> None:
        class Frozen(datetime):
            @classmethod
            def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
                return _Clock.at.replace(tzinfo=tz) if tz is not None else _Clock.at

        monkeypatch.setattr("salesmetrics.store.datetime", Frozen)
        monkeypatch.setattr("salesmetrics.web.gate.datetime", Frozen)


def test_a_served_comparison_moves_with_now_while_records_are_dated_after_it(
        cli: Cli, csvs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a call planned for tonight, this week so far is set beside the week before as far as
    now (above). A server keeps its answers; one asked in the morning must not keep the morning's
    cut all afternoon: 11 calls of the week before at 10:00, 15 at 14:30."""
    today = datetime.now(ZoneInfo("UTC")).date()
    midnight = datetime(today.year, today.month, today.day)
    week_before = midnight - timedelta(days=7)
    csvs("reps", [{"rep_id": "ann", "team": "west", "hired_on": "2020-01-01"}])
    cli.import_(csvs("activities", [
        _activity("now-first", midnight), _activity("tonight", midnight + timedelta(hours=23, minutes=59)),
        *[_activity(f"then-{h}", week_before + timedelta(hours=h)) for h in range(24)],
    ]).parent)
    _Clock.install(monkeypatch)
    period = f"{(today - timedelta(days=6)).isoformat()}..{today.isoformat()}"
    params = {"period": period, "kpi": "activity_count", "compare": "true"}
    seen = []
    with TestClient(create_app(cli.db, warm=False)) as client:
        stats = client.app.state.gate.cache.stats  # type: ignore[attr-defined]
        for at in (timedelta(hours=10), timedelta(hours=10, seconds=20), timedelta(hours=14, minutes=30)):
            _Clock.at = midnight + at
            found = client.get("/api/v1/report", params=params).json()
            seen.append((found["rows"][0]["value"], found["rows"][0]["previous"]))
        assert stats.hits >= 1  # the same minute is answered from the cache
        assert seen == [(2, 11), (2, 11), (2, 15)]
        # The call moved to tomorrow: today's records end at midnight, and so does the cut,
        # whatever the minute; the answer is kept all day (a record dated next week is no reason
        # to work every view out again each minute).
        cli.import_(csvs("activities", [_activity("tonight", midnight + timedelta(days=1, hours=10))]).parent)
        answers = []
        for at in (timedelta(hours=15), timedelta(hours=16, minutes=5)):
            _Clock.at = midnight + at
            before = stats.hits
            found = client.get("/api/v1/report", params=params).json()
            answers.append((found["rows"][0]["previous"], stats.hits > before))
    assert answers == [(1, False), (1, True)]
