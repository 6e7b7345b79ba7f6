"""Answers kept until the records change: what Store.memo keeps, and what a server keeps across
requests.

A view asks many questions another view asked a moment ago: a month's dashboard compares it with
the month before, which is the view before's month; its leaderboard and its tiles both count the
reps at work. A :class:`Recall` keeps each answer under its key for as long as its ``version``
(the workspace's data version) stands, computes a key once however many threads ask for it at the
same time, and drops the answers that were given a weight, least recently read first, once they
weigh more than its ``limit``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

# In values (a row of 8 columns is 8): a dashboard by rep at 2,000 reps reads ~150,000, so the last
# several views stay, in ~100 MB at most. An answer weighing more is given, not kept: it would
# push every other out.
LIMIT = 1_000_000


class Recall:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._version: Hashable = None
        self._kept: dict[Hashable, Any] = {}
        # Keys being computed, each with the answer its askers wait for (asked once).
        self._pending: dict[Hashable, Future[Any]] = {}
        # The answers that may be dropped, least recently read first, and their weight.
        self._weighed: OrderedDict[Hashable, int] = OrderedDict()
        self._weight = 0

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], T],
            weight: Callable[[T], int] | None = None) -> T:
        """``compute()``, kept under ``key`` while ``version`` stands (another version drops every
        answer). ``weight``: the answer's size, which lets it be dropped for room. A compute may
        ask for other keys, never, through them, for its own (it would wait for itself)."""
        with self._lock:
            if self._version != version:
                self._version, self._kept, self._pending = version, {}, {}
                self._weighed, self._weight = OrderedDict(), 0
            kept, pending = self._kept, self._pending
            if key in kept:
                if key in self._weighed:
                    self._weighed.move_to_end(key)
                value: T = kept[key]
                return value
            waiting = pending.get(key)
            if waiting is None:
                mine = pending[key] = Future()
        if waiting is not None:
            found: T = waiting.result()
            return found
        try:
            value = compute()
            weighs = None if weight is None else weight(value)
        except BaseException as exc:
            with self._lock:
                pending.pop(key, None)
            mine.set_exception(exc)
            raise
        with self._lock:
            pending.pop(key, None)
            if kept is self._kept and (weighs is None or weighs <= self.limit):  # its version stands
                kept[key] = value
                if weighs is not None:
                    self._make_room(key, weighs)
        mine.set_result(value)
        return value

    def _make_room(self, key: Hashable, weight: int) -> None:
        self._weighed[key] = weight
        self._weight += weight
        while self._weight > self.limit and self._weighed:
            dropped, its = self._weighed.popitem(last=False)
            self._kept.pop(dropped, None)
            self._weight -= its
