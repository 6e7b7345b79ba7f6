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
