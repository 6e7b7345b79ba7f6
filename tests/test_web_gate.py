"""Sharing the workspace file: short-lived connections, cached answers, writers that wait their turn."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from salesmetrics import Workspace
from salesmetrics.errors import WorkspaceBusyError
from salesmetrics.web.gate import AnswerCache, ReadWriteLock, WorkspaceGate

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process with the file open for writing, as `salesmetrics import` would have it."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    Workspace.open(path).close()
    return path


def test_opening_waits_for_another_process_then_succeeds(db: Path) -> None:
    proc = hold_lock(db, 1.0)
    start = time.monotonic()
    with Workspace.open(db, wait=20) as ws:
        assert ws.data_version == 0
    assert time.monotonic() - start >= 0.5
    proc.wait()


def test_opening_gives_up_with_a_clear_message(db: Path) -> None:
    proc = hold_lock(db, 3.0)
    try:
        with pytest.raises(WorkspaceBusyError, match=r"in use by another process \(PID \d+\).*waited 0\.3 s"):
            Workspace.open(db, wait=0.3)
        with pytest.raises(WorkspaceBusyError):
            Workspace.open(db, read_only=True, wait=0.3)
    finally:
        proc.kill()
        proc.wait()


def test_a_writer_s_marker_holds_readers_back_while_fresh_and_is_named(db: Path) -> None:
    """A marker left by an import killed while it waited, whose pid a live process took since, held
    every reader back for good, and the refusal never named it (a tester). Its writer touches it at
    every try; one not touched for MARK_FRESH seconds is stale."""
    import os

    from salesmetrics.storage import MARK_FRESH, WRITER_MARK

    marker = db.with_name(f"{db.name}{WRITER_MARK}1")  # pid 1 is always alive
    marker.touch()
    try:
        with pytest.raises(WorkspaceBusyError, match=rf"\(PID 1, waiting to write: {db.name}\.writer-1\)"):
            Workspace.open(db, read_only=True, wait=0.3)
        old = time.time() - MARK_FRESH - 5
        os.utime(marker, (old, old))
        start = time.monotonic()
        with Workspace.open(db, read_only=True, wait=5) as ws:
            assert ws.data_version == 0
        assert time.monotonic() - start < 2
    finally:
        marker.unlink()


def test_the_gate_holds_no_connection_between_answers(db: Path) -> None:
    gate = WorkspaceGate(db)
    assert gate.answer("version", lambda ws: ws.data_version) == 0
    # Nothing of ours is open: another process can write at once.
    subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()", str(db)],
                   check=True, timeout=30)


WRITE = """
import sys
from salesmetrics import Workspace
with Workspace.open(sys.argv[1], wait=float(sys.argv[2])) as ws:
    ws.set_setting("base_currency", "EUR")
print("written", flush=True)
"""
RAW_WRITE = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"


def _until(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_held_file_lets_a_writer_of_another_process_in_at_once(db: Path) -> None:
    """With ``hold`` (as `salesmetrics serve` runs) the file stays open after an answer, so the
    next request finds what DuckDB read; a salesmetrics writer of another process still gets in
    long before the hold would lapse, and its change is seen."""
    gate = WorkspaceGate(db, hold=600)
    assert gate.answer("v", lambda ws: ws.data_version) == 0
    assert gate.holds_file()
    # A tool opening the file for writing on its own is refused while it is held ...
    raw = subprocess.run([sys.executable, "-c", RAW_WRITE, str(db)], capture_output=True, text=True,
                         timeout=60)
    assert raw.returncode != 0 and "lock" in raw.stderr.lower(), raw.stderr
    # ... but a writer that marks the file (every salesmetrics command) is let in: it would give up
    # after 10 s, and the hold has ten minutes left.
    written = subprocess.run([sys.executable, "-c", WRITE, str(db), "10"], capture_output=True,
                             text=True, timeout=60)
    assert written.returncode == 0 and "written" in written.stdout, written.stderr
    assert gate.answer("v", lambda ws: ws.data_version) == 1
    assert gate.holds_file()  # held again for the next request
    gate.release()
    assert not gate.holds_file()
    subprocess.run([sys.executable, "-c", RAW_WRITE, str(db)], check=True, timeout=60)


def test_a_held_file_is_let_go_after_the_hold_and_for_the_gates_own_writes(db: Path) -> None:
    gate = WorkspaceGate(db, hold=600)
    assert gate.answer("v", lambda ws: ws.data_version) == 0
    with gate.writing() as ws:  # DuckDB refuses a writer beside read-only connections of its process
        ws.set_setting("base_currency", "EUR")
    assert gate.answer("v", lambda ws: ws.data_version) == 1
    short = WorkspaceGate(db, hold=0.2)
    gate.release()
    assert short.answer("v", lambda ws: ws.data_version) == 1
    assert _until(lambda: not short.holds_file())
    subprocess.run([sys.executable, "-c", RAW_WRITE, str(db)], check=True, timeout=60)


def test_the_servers_own_reads_do_not_hold_the_file_and_a_stopped_gate_holds_it_no_more(
        db: Path) -> None:
    """The schedules read once a minute: were that to hold the file, a server with schedules would
    hold it for good. And once the app stops, no late reader opens it again."""
    gate = WorkspaceGate(db, hold=600)
    with gate.in_background().reading() as ws:
        assert ws.data_version == 0
    assert _until(lambda: not gate.holds_file())
    assert gate.answer("v", lambda ws: ws.data_version) == 0 and gate.holds_file()
    gate.release(for_good=True)
    assert not gate.holds_file()
    assert gate.answer("w", lambda ws: ws.data_version) == 0
    assert _until(lambda: not gate.holds_file())
    subprocess.run([sys.executable, "-c", RAW_WRITE, str(db)], check=True, timeout=60)


def test_a_change_by_another_process_is_seen(db: Path) -> None:
    gate = WorkspaceGate(db)
    calls = []

    def count(ws: Workspace) -> int:
        calls.append(1)
        return ws.data_version

    assert gate.answer("v", count) == 0
    assert gate.answer("v", count) == 0 and len(calls) == 1
    with Workspace.open(db) as ws:
        ws.set_setting("base_currency", "EUR")
    assert gate.answer("v", count) == 1 and len(calls) == 2


def test_the_gate_writes_after_its_readers(db: Path) -> None:
    gate = WorkspaceGate(db)
    order: list[str] = []
    reading = threading.Event()

    def slow(ws: Workspace) -> int:
        reading.set()
        time.sleep(0.3)
        order.append("read")
        return ws.data_version

    reader = threading.Thread(target=gate.answer, args=("slow", slow))
    reader.start()
    reading.wait(10)
    with gate.writing() as ws:  # DuckDB refuses a writer beside readers in one process
        order.append("write")
        ws.set_setting("base_currency", "EUR")
    reader.join()
    assert order == ["read", "write"]


def test_concurrent_askers_compute_once() -> None:
    cache = AnswerCache(4)
    calls = []
    started = threading.Event()

    def compute() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", compute)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42, 42, 42] and len(calls) == 1


def test_the_cache_is_bounded_and_does_not_keep_failures() -> None:
    cache = AnswerCache(2)
    for key in "abc":
        cache.get_or_compute(key, lambda: 1)
    assert cache.stats.misses == 3
    cache.get_or_compute("a", lambda: 1)  # evicted: computed again
    assert cache.stats.misses == 4

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get_or_compute("x", fail)
    assert cache.get_or_compute("x", lambda: 2) == 2


def test_the_cache_is_bounded_by_the_rows_it_keeps() -> None:
    """128 answers of 21,000 rows each were gigabytes kept: the rows count too."""
    class Big:
        def __init__(self, n: int) -> None:
            self.rows = [{}] * n

    cache = AnswerCache(128, rows=1000)
    for key in "abc":
        cache.get_or_compute(key, lambda: Big(400))
    assert [cache.holds(k) for k in "abc"] == [False, True, True]  # 802 rows kept, not 1,203
    cache.get_or_compute("huge", lambda: Big(5000))  # over the budget alone: not kept, the rest stay
    assert not cache.holds("huge") and cache.holds("c")


def test_a_waiting_writer_is_not_starved() -> None:
    lock = ReadWriteLock()
    log: list[str] = []
    release = threading.Event()

    def write() -> None:
        with lock.write():
            log.append("writer")
            release.wait(5)

    def read() -> None:
        with lock.read():
            log.append("late reader")

    with lock.read():
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.1)
        late = threading.Thread(target=read)
        late.start()
        time.sleep(0.1)
        assert log == []  # the writer waits for the first reader, the late reader behind the writer
    time.sleep(0.1)
    assert log == ["writer"]
    release.set()
    writer.join(5)
    late.join(5)
    assert log == ["writer", "late reader"]


SLOW = "SELECT count(*) FROM range(100000000000) WHERE range % 7 = 3"  # minutes, unless interrupted


def _slow(ws: Workspace) -> None:
    ws.connection.execute(SLOW).fetchall()


def _slow_side_by_side(ws: Workspace) -> None:
    # A dashboard's parts and a report's lanes read on connections of their own (Store.side_by_side).
    store = ws.store
    store.side_by_side(lambda: store.connection.execute(SLOW).fetchall(),
                       lambda: store.connection.execute(SLOW).fetchall())


def _read(slow: Callable[[Workspace], None]) -> Callable[[WorkspaceGate], None]:
    def read(gate: WorkspaceGate) -> None:
        with gate.reading() as ws:
            slow(ws)
    return read


def _asked_together(gate: WorkspaceGate) -> None:
    # A page of several answers (WorkspaceGate.answers): computed side by side in one reading.
    gate.answers([("one", _slow), ("two", _slow)])


@pytest.mark.parametrize("slow", [_read(_slow), _read(_slow_side_by_side), _asked_together],
                         ids=["one connection", "side by side", "answers asked together"])
def test_a_long_read_gives_way_to_an_account_write_of_the_server(
        db: Path, slow: Callable[[WorkspaceGate], None]) -> None:
    """A sign-in (a session written) is a writer like an upload: a reader still computing a moment
    after it began waiting is interrupted (its request gets 503), so the sign-in gets in at once;
    the queries of jobs side by side too, and of a page's answers asked together (none is kept)."""
    gate = WorkspaceGate(db, yield_after=0.3)
    outcome: list[str] = []

    def read() -> None:
        try:
            slow(gate)
            outcome.append("finished")
        except WorkspaceBusyError:
            outcome.append("gave way")

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.5)
    start = time.monotonic()
    with gate.writing(actor="admin@example.com", client="testclient") as ws:
        ws.accounts.note("login_failed", "someone@example.com")
    waited = time.monotonic() - start
    reader.join(10)
    assert outcome == ["gave way"] and waited < 3 and not gate.has_answer("one")
    with Workspace.open(db, read_only=True) as ws:
        assert [(e.actor, e.action) for e in ws.accounts.audit_log(5)] == [("admin@example.com",
                                                                             "login_failed")]


def test_a_writer_waits_for_readers_no_longer_than_asked() -> None:
    lock = ReadWriteLock()
    with lock.read():
        start = time.monotonic()
        with pytest.raises(WorkspaceBusyError), lock.write(timeout=0.3):
            pass
        assert 0.25 < time.monotonic() - start < 2
        assert not lock.writers_waiting
    with lock.read(timeout=0.1):  # the writer that gave up holds no reader back
        pass


def test_questions_asked_together_share_one_reading_side_by_side_and_are_kept(db: Path) -> None:
    """A page of several answers (the forecast page, insights) asks them together: those not kept
    are computed at the same time, on one workspace (they share what its store keeps until the data
    changes), each kept under its own key; a refusal is returned in its place and not kept."""
    gate = WorkspaceGate(db)
    together = threading.Barrier(3, timeout=10)  # broken unless all three run at once
    seen: list[int] = []

    def question(value: int) -> Callable[[Workspace], int]:
        def compute(ws: Workspace) -> int:
            seen.append(id(ws.store))
            together.wait()
            if value < 0:
                raise WorkspaceBusyError("refused") if value == -2 else ValueError("no")
            return value
        return compute

    kept_before = gate.answer("kept", lambda ws: 7)
    found = gate.answers([("a", question(1)), ("b", question(2)), ("c", question(-1)),
                          ("kept", question(99))])
    assert found[:2] == [1, 2] and isinstance(found[2], ValueError) and found[3] == kept_before == 7
    assert len(seen) == 3 and len(set(seen)) == 1  # one store; "kept" was not computed again
    assert gate.answer("a", question(-2)) == 1 and gate.answer("b", question(-2)) == 2
    with pytest.raises(ValueError):
        gate.answer("c", lambda ws: (_ for _ in ()).throw(ValueError("again")))
    # One question left to compute: asked as answer() asks it, its error in its place.
    assert [type(x) for x in gate.answers([("a", question(-2)), ("d", lambda ws: 1 // 0)])] == [
        int, ZeroDivisionError]



def test_a_request_waiting_on_a_part_of_a_page_that_gave_way_is_told_busy(db: Path) -> None:
    """The API asking for an answer a page is computing with others waits for it; when the page's
    reading gives way to a writer, both are told the workspace is busy (503), not an engine error."""
    gate = WorkspaceGate(db, yield_after=0.3)
    told: dict[str, object] = {}

    def ask(name: str, how: Callable[[], object]) -> None:
        try:
            told[name] = how()
        except Exception as exc:  # what each asker was told is the test
            told[name] = exc

    page = threading.Thread(target=ask, args=("page", lambda: gate.answers([("one", _slow), ("two", _slow)])))
    page.start()
    time.sleep(0.3)
    api = threading.Thread(target=ask, args=("api", lambda: gate.answer("one", _slow)))
    api.start()
    time.sleep(0.3)
    with gate.writing() as ws:
        ws.set_setting("base_currency", "EUR")
    page.join(10)
    api.join(10)
    assert isinstance(told["page"], WorkspaceBusyError) and isinstance(told["api"], WorkspaceBusyError)
