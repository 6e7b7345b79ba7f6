"""runtime.py: a module held lazily is imported at its first use only; the collector pause restores
the collector as it found it, also when pauses nest or overlap in threads."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

from salesmetrics.runtime import collector_paused, lazy_module


def test_a_lazy_module_is_imported_at_its_first_use() -> None:
    code = ("import sys\nfrom salesmetrics.runtime import lazy_module\n"
            "m = lazy_module('colorsys')\nassert 'colorsys' not in sys.modules\n"
            "assert m.rgb_to_hsv(1, 0, 0) == (0.0, 1.0, 1)\nassert 'colorsys' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert lazy_module("json").dumps([1]) == "[1]"


def test_the_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()


def test_overlapping_pauses_in_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join(5)
    assert gc.isenabled()


@collector_paused()
def _decorated() -> bool:
    return gc.isenabled()


def test_as_a_decorator() -> None:
    assert _decorated() is False
    assert gc.isenabled()


def _run(code: str) -> None:
    """In a process of its own: what the collector holds is the process's, not the test run's."""
    subprocess.run([sys.executable, "-c", code], check=True)


def test_what_a_pause_made_goes_to_the_oldest_generation_unwalked() -> None:
    """The rows a report made are not walked by the next young collection; a cycle made within
    the pause is still collected, by a full collection."""
    _run("""
import gc, weakref
from salesmetrics.runtime import collector_paused
class Node: pass
with collector_paused():
    rows = [{"n": i, "flags": []} for i in range(10000)]
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
assert gc.get_count()[0] < 100, gc.get_count()
young = {id(o) for o in gc.get_objects(0)} | {id(o) for o in gc.get_objects(1)}
oldest = {id(o) for o in gc.get_objects(2)}
assert not any(id(r) in young for r in rows)
assert all(id(r) in oldest for r in rows)
gc.collect(1)
assert gone() is not None  # a young collection does not reach it
gc.collect()
assert gone() is None
""")


def test_objects_frozen_for_good_stay_frozen() -> None:
    """A server freezes what its start made (runtime.settle); a pause must not unfreeze them."""
    _run("""
import gc
from salesmetrics.runtime import collector_paused, settle
kept = [[i] for i in range(1000)]
settle()
frozen = gc.get_freeze_count()
assert frozen >= 1000
with collector_paused():
    rows = [{"n": i} for i in range(1000)]
assert gc.get_freeze_count() == frozen
assert gc.isenabled()
""")


def test_a_pause_that_compiled_leaves_its_cycles_to_the_young_collection() -> None:
    """Compiling (Ibis, sqlglot) leaves garbage cycles: such a pause hands nothing to the oldest
    generation, where only a rare full collection would free them."""
    _run("""
import gc, weakref
from salesmetrics.runtime import collector_paused, made_cycles
class Node: pass
# Counts from zero: the first collection after the pause is then a young one. Left as the imports
# left them, the middle generation's count could be due, and that collection hands its survivors
# to the oldest generation whatever the pause did (it failed so after an import moved).
gc.collect()
with collector_paused():
    made_cycles()
    rows = [{"n": i, "flags": []} for i in range(10000)]
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
oldest = {id(o) for o in gc.get_objects(2)}
assert not any(id(r) in oldest for r in rows)
gc.collect(1)
assert gone() is None
# The next pause, which compiles nothing, hands its objects on again.
with collector_paused():
    more = [{"n": i, "flags": []} for i in range(1000)]
assert all(id(r) in {id(o) for o in gc.get_objects(2)} for r in more)
""")


def test_what_is_handed_on_is_counted_towards_a_full_collection() -> None:
    """Python does not count what unfreeze hands to the oldest generation: past FULL_AFTER such
    objects, a full collection frees a cycle no pause said it made."""
    _run("""
import gc, weakref
from salesmetrics import runtime
class Node: pass
runtime.FULL_AFTER = 5000
gc.collect()
with runtime.collector_paused():
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    rows = [{"n": i, "flags": []} for i in range(1000)]
assert gone() is not None  # 1,000 handed on: under the limit, the cycle waits
with runtime.collector_paused():
    rows += [{"n": i, "flags": []} for i in range(6000)]
assert gone() is None  # over it: collected
""")
