""""Today" is the workspace's today: its records are dated in its time zone, so a relative period,
a running period's cut and a target's pace are read on its clock, not on the server's. A server in
UTC-12 and a workspace on Kiritimati (UTC+14) are 26 hours apart: their dates never agree."""

from __future__ import annotations

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
