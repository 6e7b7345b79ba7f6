"""The activities' rollup an import renews for the deals it touches (storage.renew_activities) is the
one a rebuild makes, line for line, whatever a small import changes: activities added, moved from
one deal to another or to none, retyped, given to another rep; deals won, lost, reopened or closed
on another day, in the same import as their activities or without them. And activity effectiveness
read from it answers as it does from the activities themselves."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_csv
from salesmetrics import Workspace, storage
from salesmetrics.access import Viewer

REPS = ("r1", "r2", "r3")
TYPES = ("call", "Call", "email", "demo", "meeting")
START = datetime(2025, 3, 1)
EXAMPLES = int(os.environ.get("SALESMETRICS_PROPERTY_EXAMPLES", "30")) // 2 or 1

Row = dict[str, Any]
Case = tuple[list[Row], list[Row], list[Row], list[Row]]


@st.composite
def deal(draw: st.DrawFn, deal_id: str) -> Row:
    status = draw(st.sampled_from(("won", "lost", "open")))
    closed = START + timedelta(days=draw(st.integers(0, 40)), hours=draw(st.integers(0, 23)))
    return {"deal_id": deal_id, "rep_id": draw(st.sampled_from(REPS)), "created_at": "2025-01-01T09:00:00",
            "closed_at": closed.isoformat() if status != "open" else None, "status": status,
            "currency": "USD", "amount": f"{draw(st.integers(1, 5000))}.00"}


@st.composite
def activity(draw: st.DrawFn, activity_id: str, deals: int) -> Row:
    on = draw(st.one_of(st.none(), st.integers(0, deals - 1)))
    at = START + timedelta(days=draw(st.integers(-20, 40)), minutes=draw(st.integers(0, 1439)))
    return {"activity_id": activity_id, "rep_id": draw(st.sampled_from(REPS)),
            "type": draw(st.sampled_from(TYPES)), "occurred_at": at.isoformat(),
            "deal_id": None if on is None else f"d{on}"}


@st.composite
def imports(draw: st.DrawFn) -> Case:
    """A first import (12 deals, 24-40 activities), and a second one of at most a quarter of each:
    some deals again, changed or not, and activities new or again, changed or not."""
    n_deals, n_acts = 12, draw(st.integers(24, 40))
    deals = [draw(deal(f"d{i}")) for i in range(n_deals)]
    acts = [draw(activity(f"a{i}", n_deals)) for i in range(n_acts)]
    again = draw(st.lists(st.integers(0, n_deals - 1), max_size=3, unique=True))
    later_deals = [draw(deal(f"d{i}")) for i in again]
    chosen = draw(st.lists(st.integers(0, n_acts + 5), min_size=1, max_size=n_acts // 4, unique=True))
    later_acts = [draw(activity(f"a{i}", n_deals)) for i in chosen]  # past n_acts: new ones
    return deals, acts, later_deals, later_acts


def _import(ws: Workspace, folder: Path, deals: list[Row], acts: list[Row]) -> None:
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r, "team": "east" if r != "r3" else "west",
                                     "hired_on": "2020-01-01"} for r in REPS])
    if deals:
        write_csv(folder / "deals.csv", deals)
    if acts:
        write_csv(folder / "activities.csv", acts)
    ws.import_files(folder)


def _effectiveness(ws: Workspace) -> list[Any]:
    return [ws.activity_effectiveness(period, by=by, viewer=viewer).as_json()["groups"]
            for period in ("2025-03", "2025-04", "2025-03-05..2025-03-20")
            for by in (None, "rep")
            for viewer in (Viewer.everyone(), Viewer.of_rep("r1", "r1"))]


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(imports())
def test_the_renewed_rollup_is_the_rebuilt_one(case: Case) -> None:
    deals, acts, later_deals, later_acts = case
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "ws.duckdb"
        with Workspace.open(db) as ws:
            _import(ws, Path(work) / "first", deals, acts)
            _import(ws, Path(work) / "second", later_deals, later_acts)
            assert ws.store.rollups_fresh()
            fresh = _effectiveness(ws)
        con = duckdb.connect(str(db))
        try:
            kept = con.execute(f"SELECT * FROM {storage.ACTIVITY_ROLLUP} ORDER BY ALL").fetchall()
            whole = con.execute(f"SELECT * FROM ({storage.ROLLUPS[storage.ACTIVITY_ROLLUP]}) "
                                "ORDER BY ALL").fetchall()
            # Stale: the next reader answers from the activities themselves.
            con.execute("UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                        "WHERE key = 'data_version'")
        finally:
            con.close()
        assert kept == whole
        with Workspace.open(db, read_only=True) as ws:
            assert not ws.store.rollups_fresh()
            assert _effectiveness(ws) == fresh
