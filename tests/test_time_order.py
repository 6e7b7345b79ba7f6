"""Records are stored in the order of the moment that places them in a period (storage.TIME_ORDER),
so a month's query reads only the row groups that can hold it. The order changes no figure: these
tests check the order itself, and that nothing else changed with it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from helpers import Cli, write_csv
from salesmetrics import Workspace, storage

REPS = [{"rep_id": "r1", "name": "Ann", "team": "east"}]


def _deal(i: int, closed: str, status: str = "won") -> dict[str, str]:
    return {"deal_id": f"d{i}", "rep_id": "r1", "created_at": "2026-01-01T09:00:00",
            "closed_at": closed, "status": status, "amount": f"{i}00.00", "currency": "USD"}


def _stored(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_an_import_writes_records_in_time_order(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "a"
    write_csv(folder / "reps.csv", REPS)
    write_csv(folder / "deals.csv", [_deal(1, "2026-03-05T10:00:00"), _deal(2, "", "open"),
                                      _deal(3, "2026-01-20T10:00:00"), _deal(4, "2026-02-10T10:00:00")])
    write_csv(folder / "activities.csv", [
        {"activity_id": f"a{i}", "rep_id": "r1", "type": "call", "occurred_at": when}
        for i, when in enumerate(["2026-05-01T09:00:00", "2026-01-01T09:00:00", "2026-03-01T09:00:00"])])
    cli.import_(folder)
    assert _stored(cli.db, "SELECT deal_id FROM deals ORDER BY rowid") == [
        ("d3",), ("d4",), ("d1",), ("d2",)]  # open deals (no close) last
    assert _stored(cli.db, "SELECT activity_id FROM activities ORDER BY rowid") == [
        ("a1",), ("a2",), ("a0",)]
    # A later import appends its new records in their own time order; updated ones stay put.
    later = tmp_path / "b"
    write_csv(later / "deals.csv", [_deal(6, "2026-04-02T10:00:00"), _deal(5, "2026-01-02T10:00:00"),
                                     _deal(2, "2026-03-30T10:00:00")])
    cli.import_(later)
    assert _stored(cli.db, "SELECT deal_id FROM deals ORDER BY rowid") == [
        ("d3",), ("d4",), ("d1",), ("d2",), ("d5",), ("d6",)]
    assert cli.value("--period", "2026-03", "--kpi", "total_revenue") == 300


def test_an_older_workspace_is_put_in_time_order_once(tmp_path: Path) -> None:
    path = tmp_path / "before.duckdb"
    con = duckdb.connect(str(path))
    # The schema as it was just before the time order: its place in MIGRATIONS, not a number.
    storage.migrate(con, upto=storage.MIGRATIONS.index(storage._TIME_ORDER))
    con.execute("INSERT INTO reps VALUES ('r1', 'Ann', 'east', NULL)")
    con.execute("INSERT INTO deals (deal_id, rep_id, created_at, closed_at, status, amount, currency) "
                "VALUES ('d1', 'r1', '2026-01-01', '2026-03-05', 'won', 100.00, 'USD'), "
                "('d2', 'r1', '2026-01-01', NULL, 'open', 200.00, 'USD'), "
                "('d3', 'r1', '2026-01-01', '2026-01-20', 'won', 300.00, 'USD')")
    con.close()
    with Workspace.open(path) as ws:  # migrated when opened to write (a read never changes a file)
        assert ws.report("2026-Q1", kpis=["total_revenue"]).value("total_revenue") == 400
    assert _stored(path, "SELECT deal_id FROM deals ORDER BY rowid") == [("d3",), ("d1",), ("d2",)]
    nullable = dict(_stored(path, "SELECT column_name, is_nullable FROM information_schema.columns "
                                  "WHERE table_name = 'deals'"))
    assert nullable["deal_id"] == "NO" and nullable["closed_at"] == "YES"  # the table kept its shape
    assert _stored(path, "SELECT count(*) FROM deals") == [(3,)]
