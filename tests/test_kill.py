"""``kill -9`` during an import, at three points: while the files are read, while they are checked,
and halfway through writing (issue 18, items 13 and the kill test). Each time the workspace holds
exactly what it held before and has not grown, the next import works, and it leaves no temporary
folder of the killed one behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_csv
from salesmetrics import Workspace

KILLER = """
import os, signal, sys, threading, time
from salesmetrics import Workspace
at, after = sys.argv[3], float(sys.argv[4])
db = sys.argv[1]

def kill():
    os.kill(os.getpid(), signal.SIGKILL)

def kill_once_written():
    # As soon as the transaction has written blocks into the file (it grew), or after ``after``
    # seconds, whichever comes first: a fast machine may commit before a fixed delay ends.
    size, deadline = os.path.getsize(db), time.monotonic() + after
    while os.path.getsize(db) <= size and time.monotonic() < deadline:
        time.sleep(0.001)
    kill()

def step(what, done, total):
    if what.startswith(at):
        threading.Thread(target=kill_once_written).start() if after else kill()

with Workspace.open(sys.argv[1]) as ws:
    ws.import_files(sys.argv[2], on_progress=step)
"""

ROWS = 60_000
ACTIVITIES = 400_000  # enough for DuckDB to write blocks of the transaction to the file before commit


def _contents(db: Path) -> list[tuple[object, ...]]:
    with Workspace.open(db, read_only=True) as ws:
        con = ws.connection
        out = [("data_version", ws.data_version)]
        for table in ("reps", "deals", "activities"):
            out.append((table, *con.execute(
                f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {table}").fetchall()[0]))
        return out


@pytest.fixture
def setting(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A workspace with records, a folder of new ones to import, and a temp folder of our own."""
    db = tmp_path / "w.duckdb"
    first = tmp_path / "first"
    write_csv(first / "reps.csv", [{"rep_id": f"r{i}", "name": f"Rep {i}"} for i in range(20)])
    write_csv(first / "deals.csv", [
        {"deal_id": f"d{i}", "rep_id": f"r{i % 20}", "created_at": "2026-09-01", "closed_at": "2026-10-01",
         "status": "won", "amount": f"{i}.50", "currency": "USD"} for i in range(ROWS)])
    with Workspace.open(db) as ws:
        ws.import_files(first)
    new = tmp_path / "new"
    write_csv(new / "deals.csv", [
        {"deal_id": f"d{i}", "rep_id": f"r{i % 20}", "created_at": "2026-09-01", "closed_at": "2026-10-02",
         "status": "won", "amount": f"{i}.75", "currency": "USD"} for i in range(ROWS)])
    write_csv(new / "activities.csv", [
        {"activity_id": f"a{i}", "rep_id": f"r{i % 20}", "type": "call", "occurred_at": "2026-10-01T10:00"}
        for i in range(ACTIVITIES)])
    temp = tmp_path / "tmp"
    temp.mkdir()
    return db, new, temp


# While the first file is read; while the deals are checked; and 0.3 s into writing the
# activities, after the deals were updated in the same transaction.
@pytest.mark.parametrize(("at", "after"), [("reading", 0), ("checking deals", 0),
                                          ("writing activities", 0.3)])
def test_kill_9_during_an_import(setting: tuple[Path, Path, Path], at: str, after: float) -> None:
    db, new, temp = setting
    before, size = _contents(db), db.stat().st_size
    env = {**os.environ, "TMPDIR": str(temp)}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(db), str(new), at, str(after)], env=env,
                            timeout=300)
    assert killed.returncode == -signal.SIGKILL
    leftovers = [p.name for p in temp.iterdir() if p.name.startswith("salesmetrics-import-")]
    assert leftovers, "the killed import left its folder (the next one must clean it)"

    assert _contents(db) == before
    salesmetrics = str(Path(sys.executable).with_name("salesmetrics"))
    done = subprocess.run([salesmetrics, "import", "--quiet", str(new), "--db", str(db)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    now = {row[0]: row[1:] for row in _contents(db)}
    assert now["deals"][0] == ROWS and now["activities"][0] == ACTIVITIES
    assert [p.name for p in temp.iterdir() if p.name.startswith("salesmetrics-import-")] == []
    # What the killed transaction wrote ahead into the file is reused by the next import: the file
    # is the size the records need, not that plus every killed attempt.
    fresh = db.with_name("fresh.duckdb")
    with Workspace.open(fresh) as ws:
        ws.import_files(new.parent / "first")
        ws.import_files(new)
    assert db.stat().st_size <= max(size, fresh.stat().st_size) * 1.5, (size, db.stat().st_size)
    shutil.rmtree(temp)
