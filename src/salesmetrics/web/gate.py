"""How the server reaches the workspace file while other processes may want to write it.

DuckDB lets one process write a file, or any number read it, at a time: a connection the server kept
open would lock out `salesmetrics import`. So the server holds no connection between requests. A
request whose answer is not cached opens a short-lived read-only connection, computes, and closes it.
Answers are cached by the workspace's ``data_version`` and the request's parameters, so an unchanged
workspace is never asked the same question twice; whether it changed is seen from the file's
metadata first (a stat costs microseconds, opening the file tens of milliseconds).

Within the server process, DuckDB refuses a read-write connection next to read-only ones, so uploads
take a writer's turn on a readers-writer lock: they wait for running readers and hold new ones back.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..accounts import Snapshot
from ..workspace import Workspace

T = TypeVar("T")


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers so it is not starved."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
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


class AnswerCache:
    """A bounded LRU of computed answers. Concurrent requests for one key compute it once: the
    others wait for that result (the start-up warm-up and the first visitor, say)."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
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
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            del self._pending[key]
        pending.set_result(value)
        return value

    def drop_older_than(self, version: int) -> None:
        """Forget answers about versions of the workspace before ``version``."""
        with self._lock:
            for key in [k for k in self._items if isinstance(k, tuple) and k and k[0] < version]:
                del self._items[key]


Fingerprint = tuple[tuple[int, int, int] | None, ...]


class WorkspaceGate:
    """The server's only way to the workspace file: short-lived connections, cached answers."""

    def __init__(self, path: Path, *, wait: float = 15.0, cache_size: int = 128) -> None:
        self.path = path
        self.wait = wait
        self.cache = AnswerCache(cache_size)
        self._lock = ReadWriteLock()
        self._known: tuple[Fingerprint, int] | None = None
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
    def reading(self) -> Iterator[Workspace]:
        with self._lock.read():
            ws = Workspace.open(self.path, read_only=True, wait=self.wait)
            try:
                yield ws
            finally:
                ws.close()

    @contextmanager
    def writing(self, actor: str | None = None, client: str | None = None,
                wait: float | None = None) -> Iterator[Workspace]:
        """A read-write workspace; what is changed through it is logged as by ``actor`` (the user
        signed in) from ``client`` (their address)."""
        with self._lock.write():
            ws = Workspace.open(self.path, wait=self.wait if wait is None else wait)
            if actor is not None:
                ws.store.actor = actor
            ws.store.client = client
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
        fingerprint = self._fingerprint()
        known = self._known
        if known is not None and known[0] == fingerprint:
            return known[1]
        with self.reading() as ws:
            version = ws.data_version
        if known is None or version != known[1]:
            self.cache.drop_older_than(version)
        self._known = (fingerprint, version)
        return version

    def answer(self, key: Hashable, compute: Callable[[Workspace], T]) -> T:
        """``compute(workspace)``, or the answer it gave for the same key and data version."""

        def run() -> T:
            with self.reading() as ws:
                return compute(ws)

        return self.cache.get_or_compute((self.version(), key), run)

    def timed_answer(self, key: Hashable, compute: Callable[[Workspace], T]) -> tuple[T, float]:
        start = time.perf_counter()
        value = self.answer(key, compute)
        return value, time.perf_counter() - start
