"""Store.side_by_side and Store.spread: a dashboard's parts and a report's KPIs are asked at the
same time, each on a DuckDB connection of its own. The figures are the same as asked one after
another; each job reads through its own connection; none is left open (the file is free once the
store is closed); an error reaches the caller. (A server giving way to a writer stops the jobs'
queries too: test_web_gate.py.)"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from salesmetrics import Workspace
from salesmetrics.decimal_json import dumps
from salesmetrics.errors import DimensionError
from salesmetrics.store import Store


def _in_turn(self: Store, *jobs: Any) -> list[Any]:
    return [job() for job in jobs]


@pytest.mark.parametrize("period", ["2026-09", "2026-Q3", "2026-10"])
def test_a_dashboard_and_a_report_are_the_same_asked_side_by_side_or_in_turn(
        demo_db: Path, period: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(demo_db, read_only=True) as ws:
        together = (dumps(ws.dashboard(period).as_json()),
                    dumps(ws.report(period, by="rep", compare=True).as_json()),
                    dumps(ws.report(period, by="team", filters={"team": ["east"]}).as_json()))
    with monkeypatch.context() as m:
        m.setattr(Store, "side_by_side", _in_turn)
        with Workspace.open(demo_db, read_only=True) as ws:
            in_turn = (dumps(ws.dashboard(period).as_json()),
                       dumps(ws.report(period, by="rep", compare=True).as_json()),
                       dumps(ws.report(period, by="team", filters={"team": ["east"]}).as_json()))
    assert together == in_turn
    dashboard = json.loads(together[0])
    # Real figures, not two empty answers agreeing: tiles with values, a leaderboard of reps.
    assert sum(t["value"] is not None for t in dashboard["tiles"]) >= 8
    assert len(dashboard["reps"]) >= 10


def test_each_job_reads_through_a_connection_of_its_own(demo_db: Path) -> None:
    with Workspace.open(demo_db, read_only=True) as ws:
        store = ws.store
        started = threading.Barrier(3, timeout=10)

        def job(n: int) -> tuple[int, int, int]:
            started.wait()  # all three run at once
            con = store.connection
            deals = con.execute("SELECT count(*) FROM deals").fetchall()[0][0]
            return n, id(con), deals

        results = store.side_by_side(lambda: job(1), lambda: job(2), lambda: job(3))
        assert [r[0] for r in results] == [1, 2, 3]  # in the order asked
        ids = {r[1] for r in results}
        assert len(ids) == 3 and id(store.connection) not in ids
        expected = store.connection.execute("SELECT count(*) FROM deals").fetchall()[0][0]
        assert expected > 100 and {r[2] for r in results} == {expected}
        # Jobs may run jobs of their own.
        nested = store.side_by_side(
            lambda: store.side_by_side(lambda: 1, lambda: store.counts()["deals"]),
            lambda: 3)
        assert nested == [[1, expected], 3]


def test_a_job_s_error_reaches_the_caller_and_no_connection_stays_open(tmp_path: Path,
                                                                       demo_db: Path) -> None:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(demo_db.read_bytes())
    finished = []

    def slow_ok() -> str:
        time.sleep(0.2)
        finished.append("ok")
        return "ok"

    with Workspace.open(path, read_only=True) as ws:
        with pytest.raises(duckdb.CatalogException, match="no_such_table"):
            ws.store.side_by_side(
                slow_ok, lambda: ws.store.connection.execute("SELECT * FROM no_such_table").fetchall())
        assert finished == ["ok"]  # the other job ran to its end before the error was raised
        ws.dashboard("2026-09")
    # Every connection of the jobs is closed with the store: a writer gets the file at once.
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE written_after (x INTEGER)")
    con.close()


def test_records_asked_in_a_job_are_refused_outside_it(demo_db: Path) -> None:
    with Workspace.open(demo_db, read_only=True) as ws:
        (records,) = [ws.store.side_by_side(lambda: ws.store.records(), lambda: None)[0]]
        with pytest.raises(RuntimeError, match="ask the store for them in the thread that reads"):
            records.table("deals")


def test_spread_lanes_take_the_next_item_as_each_finishes_one(demo_db: Path) -> None:
    """A report's KPIs are spread over two lanes: a slow one (ramp time at 1M deals) does not hold
    back a fixed half of the others; each lane reads through its own connection."""
    with Workspace.open(demo_db, read_only=True) as ws:
        store = ws.store
        lanes: dict[int, list[str]] = {}

        def worker() -> Any:
            con = store.connection  # the lane's

            def work(item: str) -> tuple[str, int]:
                lanes.setdefault(id(con), []).append(item)
                if item == "slow":
                    time.sleep(0.5)
                return item, con.execute("SELECT count(*) FROM reps").fetchall()[0][0]
            return work

        items = ["slow", *(f"quick {i}" for i in range(6))]
        results = store.spread(items, worker)
        assert [r[0] for r in results] == items  # in the order given
        reps = store.connection.execute("SELECT count(*) FROM reps").fetchall()[0][0]
        assert {r[1] for r in results} == {reps} and reps > 5
        assert sorted(lanes.values()) == [["quick 0", "quick 1", "quick 2", "quick 3", "quick 4",
                                           "quick 5"], ["slow"]]
        assert store.spread([], worker) == []
        with pytest.raises(ZeroDivisionError):
            store.spread([1, 0, 2], lambda: lambda x: 1 / x)


SLOW = "SELECT count(*) FROM range(100000000000) WHERE range % 7 = 3"  # minutes, unless interrupted


def test_ctrl_c_stops_the_jobs_queries_and_closes_their_connections(tmp_path: Path,
                                                                    demo_db: Path) -> None:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(demo_db.read_bytes())
    with Workspace.open(path, read_only=True) as ws:
        store = ws.store
        timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            store.side_by_side(lambda: store.connection.execute(SLOW).fetchall(),
                               lambda: store.connection.execute(SLOW).fetchall())
        assert time.monotonic() - start < 10  # the queries stopped; not waited for to the end
        assert store._jobs == set()
    con = duckdb.connect(str(path))  # nothing of the jobs keeps the file
    con.execute("CREATE TABLE written_after (x INTEGER)")
    con.close()


def test_a_kpi_asked_that_cannot_be_grouped_so_is_named_in_the_order_asked(demo_db: Path) -> None:
    with Workspace.open(demo_db, read_only=True) as ws:
        for kpis in (["nps", "ramp_time"], ["win_rate", "sales_cycle_median_km"]):
            with pytest.raises(DimensionError) as caught:
                ws.report("2026-09", by="product", kpis=kpis)
            assert kpis[0] in str(caught.value) and kpis[1] not in str(caught.value)


def test_jobs_asking_the_store_for_one_kept_answer_compute_it_once(tmp_path: Path) -> None:
    """What the store keeps until the data changes (Store.memo: the stage history of every deal the
    forecast page's three questions read) is computed once when jobs side by side ask at once: the
    others wait for it; an error reaches each asker and is not kept."""
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        store = ws.store
        computed: list[str] = []
        lock = threading.Lock()

        def slow(value: int) -> Callable[[], int]:
            def compute() -> int:
                with lock:
                    computed.append("x")
                time.sleep(0.3)
                if value < 0:
                    raise ValueError("refused")
                return value
            return compute

        assert store.side_by_side(*[lambda: store.memo("shared", slow(7))] * 3) == [7, 7, 7]
        assert computed == ["x"] and store.memo("shared", slow(-1)) == 7

        def refused() -> object:
            try:
                return store.memo("failing", slow(-1))
            except ValueError as exc:
                return str(exc)

        assert store.side_by_side(refused, refused) == ["refused", "refused"]
        assert computed == ["x", "x"]
        assert store.memo("failing", slow(3)) == 3  # the error was not kept
