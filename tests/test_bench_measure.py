"""The benchmark's memory figures are each contender's own: a child of a large process is not
charged the parent's memory (Linux counts it until the child's exec)."""

from __future__ import annotations

import sys

from bench.measure import run

_MB = 1024 * 1024
_TOUCH = "x = bytearray({n} * 1024 * 1024)\nfor i in range(0, len(x), 4096): x[i] = 1\nprint('{{}}')"


def test_a_contenders_peak_is_its_own_not_the_benchmarks() -> None:
    held = bytearray(400 * _MB)
    for i in range(0, len(held), 4096):  # resident, not only reserved
        held[i] = 1
    small = run([sys.executable, "-c", "print('{}')"])
    large = run([sys.executable, "-c", _TOUCH.format(n=200)])
    assert small.peak_mb < 60
    assert 200 <= large.peak_mb < 260
    assert small.seconds > 0 and large.output == {}
