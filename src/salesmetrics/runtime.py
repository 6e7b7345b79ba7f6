"""How the process runs: modules imported when first used, the cyclic garbage collector paused
while a report allocates its rows, and a server's long-lived objects kept out of its passes.

A module imported when first used, not when the importing module loads.

Ibis (with sqlglot) takes ~0.3-0.7 s to import. A process whose queries are all kept compiled
(kpis/compiled.py) never builds an expression, so the modules that define KPIs hold Ibis as a
stand-in that imports it at the first attribute asked::

    if TYPE_CHECKING:
        import ibis
    else:
        ibis = lazy_module("ibis")
"""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module ``name``; the first attribute asked imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{' (imported)' if self._module else ''}>"


def lazy_module(name: str) -> Any:
    return LazyModule(name)


_paused = 0
_was_enabled = False
_cycles = False  # whether the pause now on made what may be garbage cycles (made_cycles)
_promoted = 0  # objects handed to the oldest generation since its last collection
# A full collection once this many objects were handed on since the last: a cycle among them that
# no pause said it made waits no longer (17 reports by rep at 1M deals).
FULL_AFTER = 1_000_000
_pause_lock = threading.Lock()


def made_cycles() -> None:
    """Say that the pause now on built objects that form cycles when dropped (an Ibis expression
    compiled to SQL: ~49,000 garbage objects a first report): what it made is then left to the
    young collection, which frees them, not handed to the oldest generation (:func:`collector_paused`),
    where only a full collection would."""
    global _cycles
    if _paused:
        _cycles = True


def _counted(phase: str, info: dict[str, int]) -> None:
    global _promoted
    if phase == "stop" and info.get("generation") == 2:
        _promoted = 0


gc.callbacks.append(_counted)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block. A report at 1M deals allocates ~1M small
    dicts, lists and tuples that form no cycles, and each full collection walked all of them again:
    1-1.5 s of a 5-7 s report. Reference counting still frees everything; the collector runs again
    when the last pause (of any thread) ends, if it was on before the first.

    What the block made and still holds (a report's rows: 59,000 dicts and lists by rep at 1M
    deals) is then handed to the oldest generation as it is (``gc.freeze`` and ``gc.unfreeze``),
    not walked by the young generation's collection the next allocation would start (8-10 ms of a
    report's ~100 ms in process). Python does not count such objects towards its next full
    collection, so they are counted here (a full collection after :data:`FULL_AFTER`), and a
    pause that compiled anything (:func:`made_cycles`) hands nothing on: its garbage cycles are
    the young collection's. Not where objects are frozen for good (a server after
    :func:`settle`): unfreezing would hand those back to every full collection."""
    global _paused, _was_enabled, _cycles, _promoted
    with _pause_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0:
                cycles, _cycles = _cycles, False
                if _was_enabled:
                    if not cycles and gc.get_freeze_count() == 0:
                        _promoted += gc.get_count()[0]
                        gc.freeze()
                        gc.unfreeze()
                    gc.enable()
                    if _promoted > FULL_AFTER:
                        gc.collect()  # _counted starts the count again


def settle() -> None:
    """Collect what is garbage now, then keep every object still alive out of the cyclic
    collector's passes (``gc.freeze``). For a long-running server once its start-up work is done:
    the modules, templates and kept SQL it holds then (~140k objects at 1M deals) were walked by
    every full collection again, 90-100 ms added to one dashboard view in three. Reference counting
    still frees them when they go; only cycles among them would outlive their use. Under the pause's
    lock: a pause ending meanwhile would unfreeze them (collector_paused)."""
    with _pause_lock:
        gc.collect()
        gc.freeze()
