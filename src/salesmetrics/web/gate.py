"""How the server reaches the workspace file while other processes may want to write it.

DuckDB lets one process write a file, or any number read it, at a time. A request whose answer is
not cached opens a short-lived read-only connection, computes, and closes it. A gate made with
``hold`` (`salesmetrics serve`: 60 s) also keeps one read-only connection open for that long after
the last answer: DuckDB keeps a file's database, and the blocks recent requests read, only while a
connection to it is open, and a request that finds them skips reading them again (the insights page
at 1M deals: 0.5-0.55 s to 0.3-0.35 s). It lets go at once when a writer of this process takes its
turn, or when a writer of another process marks the file (below): `salesmetrics import` waits a
tenth of a second more, not the hold. Without ``hold`` nothing is open between requests, and any
tool may write the file then.
Answers are cached by the workspace's ``data_version`` and the request's parameters, so an unchanged
workspace is never asked the same question twice; whether it changed is seen from the file's
metadata first (a stat costs microseconds, opening the file tens of milliseconds).

Within the server process, DuckDB refuses a read-write connection next to read-only ones, so every
write (an upload, a target, a sign-in, a sign-out, a token's last use, the audit log) takes a writer's
turn on a readers-writer lock: it holds new readers back, and running ones give way.
Another process's writer (`salesmetrics import`) marks the file while it waits
(:func:`salesmetrics.storage.connect`), and new readers hold back the same way. A reader never
waits long for either: after ``read_wait`` seconds it gives up with WorkspaceBusyError, which the
server answers with 503 and Retry-After, so a busy workspace is said, not a request left hanging.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import duckdb

from .. import storage
from ..accounts import Snapshot
from ..coverage import records_end
from ..errors import WorkspaceBusyError, WorkspaceError
from ..periods import Period
from ..recall import Recall
from ..workspace import Workspace

T = TypeVar("T")


class Question(NamedTuple, Generic[T]):
    """What a page asks: the key its answer is kept under, and how the workspace computes it."""

    key: Hashable
    compute: Callable[[Workspace], T]


def _gave_way() -> WorkspaceBusyError:
    return WorkspaceBusyError("gave way to a process waiting to write the workspace")


def _outcome(compute: Callable[[], Any]) -> Any:
    """``compute()``, or the exception it raised (not one that stops the process)."""
    try:
        return compute()
    except Exception as exc:
        return exc


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers so it is not starved."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self, timeout: float | None = None) -> Iterator[None]:
        """A reader's turn; WorkspaceBusyError when a writer holds or awaits it past ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._writer or self._writers_waiting:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise WorkspaceBusyError(f"an import is being written; waited {timeout:g} s")
                self._cond.wait(left)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write_if_free(self) -> Iterator[None]:
        """The writer's turn now or not at all: WorkspaceBusyError at once while anyone reads,
        writes or waits to write. Nobody is held back or made to give way for it."""
        with self._cond:
            if self._writer or self._readers or self._writers_waiting:
                raise WorkspaceBusyError("the workspace is in use")
            self._writer = True
        with self._writing():
            yield

    @property
    def writers_waiting(self) -> bool:
        return self._writers_waiting > 0

    @contextmanager
    def write(self, timeout: float | None = None) -> Iterator[None]:
        """The writer's turn; WorkspaceBusyError when readers or a writer keep it past ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise WorkspaceBusyError(f"the workspace is busy; waited {timeout:g} s")
                    self._cond.wait(left)
            finally:
                self._writers_waiting -= 1
                self._cond.notify_all()  # readers held back for this writer may go on
            self._writer = True
        with self._writing():
            yield

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The turn of the writer that has just taken it, given back when its block ends."""
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0


def _weight(value: Any) -> int:
    """What an answer weighs in the cache: its rows (a report's, a list's), at least 1."""
    rows = getattr(value, "rows", None)
    return 1 + (len(rows) if isinstance(rows, list) else 0)


class AnswerCache:
    """A bounded LRU of computed answers. Concurrent requests for one key compute it once: the
    others wait for that result (the start-up warm-up and the first visitor, say)."""

    def __init__(self, size: int = 128, rows: int = 100_000) -> None:
        self.size = size
        # Answers are also bounded by the rows they hold: 128 reports by day of four years each
        # (21,000 rows, some 20 MB in Python) would be gigabytes kept for no one.
        self.rows = rows
        self._weights: dict[Hashable, int] = {}
        self._held = 0  # the rows of every answer kept: sum(self._weights.values())
        self.stats = CacheStats()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.stats.hits += 1
                value: T = self._items[key]
                return value
            pending = self._pending.get(key)
            if pending is None:
                pending = self._pending[key] = Future()
                owner = True
                self.stats.misses += 1
            else:
                owner = False
                self.stats.hits += 1
        if not owner:
            result: T = pending.result()
            return result
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            pending.set_exception(exc)
            raise
        weight = _weight(value)
        with self._lock:
            if weight > self.rows:  # kept, it would push every other answer out (the default view)
                del self._pending[key]
                pending.set_result(value)
                return value
            self._items[key] = value
            self._weights[key] = weight
            self._held += weight
            while len(self._items) > 1 and (len(self._items) > self.size or self._held > self.rows):
                gone, _ = self._items.popitem(last=False)
                self._held -= self._weights.pop(gone)
            del self._pending[key]
        pending.set_result(value)
        return value

    def holds(self, key: Hashable) -> bool:
        """Whether the answer for ``key`` is computed and kept (not only being computed)."""
        with self._lock:
            return key in self._items

    def clear(self) -> None:
        """Forget every answer (another file now stands at the workspace's path)."""
        with self._lock:
            self._items.clear()
            self._weights.clear()
            self._held = 0

    def drop_older_than(self, version: int) -> None:
        """Forget answers about versions of the workspace before ``version``."""
        with self._lock:
            for key in [k for k in self._items if isinstance(k, tuple) and k and k[0] < version]:
                del self._items[key]
                self._held -= self._weights.pop(key)


Fingerprint = tuple[tuple[int, int, int] | None, ...]


def _replaced(before: Fingerprint, now: Fingerprint) -> bool:
    """Whether the workspace file itself is another one: its inode moved (a write changes its time
    and size, never its inode)."""
    return before[0] is not None and now[0] is not None and before[0][2] != now[0][2]


class WorkspaceGate:
    """The server's only way to the workspace file: short-lived connections, cached answers."""

    def __init__(self, path: Path, *, wait: float = 30.0, read_wait: float = 5.0,
                 cache_size: int = 128, yield_after: float = 1.0, hold: float = 0.0,
                 share_results: bool = True) -> None:
        self.path = path
        self.wait = wait  # a writer (an upload) waits this long for the file
        self.read_wait = read_wait  # a reader this long, then the request is answered 503
        self.yield_after = yield_after  # a reader open this long gives way to a waiting writer
        self.hold = hold  # the file stays open this long after the last read that holds it
        self._held: duckdb.DuckDBPyConnection | None = None
        self._last_read = 0.0
        self.cache = AnswerCache(cache_size)
        # Query results every request's store reads and adds to (Store.share_results): a month's
        # dashboard finds the month before's figures the view before read.
        self.results = Recall() if share_results else None
        self._lock = ReadWriteLock()
        self._known: tuple[Fingerprint, int, str] | None = None
        # Where today's records end (coverage.records_end), for a data version and day.
        self._today_ends: tuple[int, date, datetime | None] | None = None
        self._open: dict[int, tuple[float, Workspace]] = {}
        self._open_lock = threading.Lock()
        self._watching = False
        self._accounts: tuple[Fingerprint, Snapshot] | None = None

    def _fingerprint(self) -> Fingerprint:
        out: list[tuple[int, int, int] | None] = []
        for p in (self.path, Path(f"{self.path}.wal")):
            try:
                st = os.stat(p)
            except FileNotFoundError:
                out.append(None)
            else:
                out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(out)

    @contextmanager
    def reading(self, *, holds: bool = True, wait: float | None = None) -> Iterator[Workspace]:
        """A read-only connection for one answer. One still open ``yield_after`` seconds after
        a writer (of this process or another) began waiting is interrupted: its request is answered
        503 with Retry-After, and the writer (an import, an upload, a sign-in) gets in within about
        that long, however busy the dashboard is; the answer is computed again when asked again.
        ``holds=False``: a background read (the schedules' round every minute) that keeps the
        file open no longer than it reads, or a server with schedules would hold it for good."""
        started = time.monotonic()
        patience = self.read_wait if wait is None else wait  # ``wait``: a probe's, shorter
        with self._lock.read(patience):
            left = max(0.0, patience - (time.monotonic() - started))
            ws = Workspace.open(self.path, read_only=True, wait=left)
            if self.results is not None:
                ws.store.share_results(self.results)
            key = id(ws)
            with self._open_lock:
                self._open[key] = (time.monotonic(), ws)
                if holds:
                    self._keep_open()
                self._watch()
            try:
                yield ws
            except duckdb.InterruptException:
                raise _gave_way() from None
            finally:
                with self._open_lock:
                    del self._open[key]
                    if holds:
                        self._last_read = time.monotonic()
                ws.close()

    def in_background(self) -> Background:
        """This gate for work of its own (the schedules): its reads do not hold the file."""
        return Background(self)

    def _keep_open(self) -> None:
        """With ``hold``, open the held connection beside a reader's (caller holds ``_open_lock``):
        the reader's is open, so this one joins its database at once and never waits."""
        if self.hold > 0 and self._held is None:
            with contextlib.suppress(duckdb.Error, WorkspaceError):
                self._held = storage.connect(self.path, read_only=True, wait=0)

    def release(self, *, for_good: bool = False) -> None:
        """Close the held connection, if any: before a write of this process (DuckDB refuses a
        read-write connection beside read-only ones), for a waiting writer, and (``for_good``: no
        reader opens it again) when the app stops. Closed before the lock is let go: a writer that
        finds none held must find it closed."""
        with self._open_lock:
            if for_good:
                self.hold = 0.0
            self._close_held()

    def _close_held(self) -> None:
        held, self._held = self._held, None  # caller holds ``_open_lock``
        if held is not None:
            with contextlib.suppress(duckdb.Error):
                held.close()

    def holds_file(self) -> bool:
        """Whether a connection of this gate is open now (a reader's or the held one)."""
        with self._open_lock:
            return bool(self._open) or self._held is not None

    def _watch(self) -> None:
        """Start the thread that looks for waiting writers while readers are open or the file is
        held (caller holds ``_open_lock``). It ends when neither is, letting go of the held
        connection ``hold`` seconds after the last reader."""
        if self._watching:
            return
        self._watching = True
        threading.Thread(target=self._give_way, name="salesmetrics-give-way", daemon=True).start()

    def _give_way(self) -> None:
        try:
            self._watch_for_writers()
        except BaseException:  # unforeseen: let the next reader start a watcher again
            with self._open_lock:
                self._watching = False
            raise

    def _watch_for_writers(self) -> None:
        while True:
            time.sleep(0.1)
            with self._open_lock:
                idle = not self._open and time.monotonic() - self._last_read >= self.hold
                if not self._open and (self._held is None or idle):
                    self._close_held()
                    self._watching = False
                    return
                readers = list(self._open.values())
            # A writer of this process (an upload, a sign-in, a target) or of another (an import).
            if not (self._lock.writers_waiting or storage.writers_waiting(self.path)):
                continue
            self.release()
            now = time.monotonic()
            for opened, ws in readers:
                if now - opened >= self.yield_after:
                    with contextlib.suppress(Exception):  # closed meanwhile
                        ws.store.interrupt()

    @contextmanager
    def writing(self, actor: str | None = None, client: str | None = None,
                wait: float | None = None) -> Iterator[Workspace]:
        """A read-write workspace; what is changed through it is logged as by ``actor`` (the user
        signed in) from ``client`` (their address). Readers still open a moment after it began
        waiting give way (:meth:`reading`); past ``wait`` seconds (default: the gate's) it gives up
        with WorkspaceBusyError."""
        wait = self.wait if wait is None else wait
        started = time.monotonic()
        with self._lock.write(wait):
            self.release()
            left = max(0.0, wait - (time.monotonic() - started))
            ws = Workspace.open(self.path, wait=left)
            if actor is not None:
                ws.store.actor = actor
            ws.store.client = client
            try:
                yield ws
            finally:
                ws.close()

    @contextmanager
    def writing_if_free(self) -> Iterator[Workspace]:
        """A read-write workspace for a note that can wait (when a token was last used): only if no
        request of this process and no other process has the file open; else WorkspaceBusyError
        at once, and no reader is interrupted or held back for it (:meth:`writing` would)."""
        with self._lock.write_if_free():
            self.release()
            ws = Workspace.open(self.path, wait=0)  # another process's reader: given up, not waited
            try:
                yield ws
            finally:
                ws.close()

    def accounts(self) -> Snapshot:
        """Users, sessions and tokens as stored: read when the file changed, else as read before
        (a request is checked against them without opening the file)."""
        fingerprint = self._fingerprint()
        known = self._accounts
        if known is not None and known[0] == fingerprint:
            return known[1]
        with self.reading() as ws:
            snapshot = ws.accounts.snapshot()
        self._accounts = (fingerprint, snapshot)
        return snapshot

    def version(self) -> int:
        """The workspace's data version; the file is opened only when its metadata changed."""
        # Taken before opening: a write landing in between makes the next call look again.
        return self._look()[1]

    def running_minute(self) -> datetime | None:
        """While the workspace holds a record dated later today (a call planned for tonight, an
        export from a zone ahead), a running period is set beside the one before as far as now,
        to the minute (coverage.comparable): answers of today are then kept apart by the minute,
        or the comparison a view cached in the morning showed would stay cut at that morning.
        None otherwise: the cut is where today's records end, which only a write moves."""
        _, version, zone = self._look()
        now = datetime.now(ZoneInfo(zone)).replace(tzinfo=None)
        today = now.date()
        known = self._today_ends
        if known is None or known[:2] != (version, today):
            with self.reading() as ws:
                ends = records_end(ws.store, Period(today, today + timedelta(days=1), "today"))
            self._today_ends = known = (version, today, ends)
        minute = now.replace(second=0, microsecond=0)
        ends = known[2]
        return minute if ends is not None and ends > minute + timedelta(minutes=1) else None

    def clock(self) -> tuple[str, date]:
        """The workspace's time zone and today there (Store.today): a running period's answers are
        kept under both, so the first request of a new day there asks again, and an answer worked
        out just as the zone changed is never taken for one of the new zone's days."""
        zone = self._look()[2]
        return zone, datetime.now(ZoneInfo(zone)).date()

    def _look(self) -> tuple[Fingerprint, int, str]:
        """The file's fingerprint, data version and time zone, as read when its metadata changed
        (a changed setting changes the version)."""
        fingerprint = self._fingerprint()
        known = self._known
        if known is not None and known[0] == fingerprint:
            return known
        if known is not None and _replaced(known[0], fingerprint):
            # Another file at the path (a demo made again, a workspace moved or restored over it)
            # may stand at the same data version: what was worked out of the old one is no answer
            # of the new (a tester's demo --replace kept the old figures), nor is the file held.
            self.release()
            self.cache.clear()
            self._today_ends = None
            if self.results is not None:
                self.results = Recall()
        with self.reading() as ws:
            version, zone = ws.data_version, ws.settings.time_zone
        if known is None or version != known[1]:
            self.cache.drop_older_than(version)
        self._known = (fingerprint, version, zone)
        return self._known

    def answer(self, key: Hashable, compute: Callable[[Workspace], T]) -> T:
        """``compute(workspace)``, or the answer it gave for the same key and data version."""

        def run() -> T:
            with self.reading() as ws:
                return compute(ws)

        return self.cache.get_or_compute((self.version(), key), run)

    def ask(self, question: Question[T]) -> T:
        """:meth:`answer` to a :class:`Question`."""
        return self.answer(question.key, question.compute)

    def answers(self, asked: Sequence[Question[Any]]) -> list[Any]:
        """Each ``(key, compute)``'s answer, as :meth:`answer` gives it, or the error (a
        SalesmetricsError or another Exception) that computing it raised, in its place: a page shows
        the parts that stand beside the one refused. Those not kept are computed in one reading,
        side by side (Store.side_by_side: both cores), so they share what the store keeps until
        the data changes (Store.memo): the forecast page's three questions read the stage history
        of every deal once, where three readings each read it again (the page at 1M deals:
        0.46-0.62 s). A reading that gave way to a writer is the whole page's: raised."""
        version = self.version()
        keyed = [((version, key), compute) for key, compute in asked]
        if sum(not self.cache.holds(key) for key, _ in keyed) < 2:
            found = [_outcome(functools.partial(self.answer, key, compute)) for key, compute in asked]
        else:
            with self.reading() as ws:
                def job(key: Hashable, compute: Callable[[Workspace], Any]) -> Callable[[], Any]:
                    def computed() -> Any:
                        try:
                            return compute(ws)
                        except duckdb.InterruptException:
                            # Said so before it is kept as the answer a request waiting for the
                            # same key gets (AnswerCache): a busy workspace, not an engine's error.
                            raise _gave_way() from None
                    return lambda: _outcome(lambda: self.cache.get_or_compute(key, computed))

                found = ws.store.side_by_side(*[job(key, compute) for key, compute in keyed])
        for outcome in found:
            if isinstance(outcome, WorkspaceBusyError):
                raise outcome
        return found

    def has_answer(self, key: Hashable) -> bool:
        """Whether :meth:`answer` would return at once for ``key`` (for the current data version)."""
        return self.cache.holds((self.version(), key))

    def timed_answer(self, key: Hashable, compute: Callable[[Workspace], T]) -> tuple[T, float]:
        start = time.perf_counter()
        value = self.answer(key, compute)
        return value, time.perf_counter() - start


class Background:
    """A gate's readers and writers for the server's own work: reading does not hold the file
    (:meth:`WorkspaceGate.reading`)."""

    def __init__(self, gate: WorkspaceGate) -> None:
        self._gate = gate

    @contextmanager
    def reading(self) -> Iterator[Workspace]:
        with self._gate.reading(holds=False) as ws:
            yield ws

    def writing(self, actor: str | None = None, client: str | None = None,
                wait: float | None = None) -> AbstractContextManager[Workspace]:
        return self._gate.writing(actor, client, wait)
