"""What a KPI's figure is, statistically: a proportion, an NPS, a mean, a count or a survival curve.

A KPI's ``sample`` hook reads the same aggregate row its ``finalize`` reads and returns one of these,
so the interval and the test of a change come from exactly the records the figure rests on. Each knows
its interval (on the KPI's own scale) and how to test itself against the same figure of another period.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import and_
from typing import Any

from .. import stats


@dataclass(frozen=True)
class Proportion:
    hits: int
    n: int

    def interval(self) -> stats.Interval | None:
        return stats.wilson(self.hits, self.n)

    def test(self, before: Any, days: tuple[int, int]) -> stats.Test | None:
        if not isinstance(before, Proportion):
            return None
        return stats.two_proportion_test(self.hits, self.n, before.hits, before.n)


@dataclass(frozen=True)
class Nps:
    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    def interval(self) -> stats.Interval | None:
        return stats.nps_interval(self.promoters, self.passives, self.detractors)

    def test(self, before: Any, days: tuple[int, int]) -> stats.Test | None:
        if not isinstance(before, Nps):
            return None
        return stats.nps_test((self.promoters, self.passives, self.detractors),
                              (before.promoters, before.passives, before.detractors))


@dataclass(frozen=True)
class Mean:
    n: int
    total: float
    sum_squares: float

    @property
    def moments(self) -> tuple[float, float] | None:
        return stats.mean_and_variance(self.n, self.total, self.sum_squares)

    def interval(self) -> stats.Interval | None:
        return mean_interval(self.n, self.total, self.sum_squares)

    def test(self, before: Any, days: tuple[int, int]) -> stats.Test | None:
        if not isinstance(before, Mean):
            return None
        a, b = self.moments, before.moments
        if a is None or b is None:
            return None
        return stats.welch_t(self.n, a[0], a[1], before.n, b[0], b[1])


@dataclass(frozen=True)
class Count:
    """A count of events in a period. Its figure is what happened, not an estimate, so it has no
    interval; a change is tested as two Poisson counts over periods of their lengths in days."""

    count: int

    @property
    def n(self) -> int:
        return self.count

    def interval(self) -> stats.Interval | None:
        return None

    def test(self, before: Any, days: tuple[int, int]) -> stats.Test | None:
        if not isinstance(before, Count):
            return None
        return stats.poisson_test(self.count, before.count, days[0], days[1])


@dataclass(frozen=True)
class Survival:
    """Times to an event as kpis/survival.py reads them: one packed integer per (days, event) with
    its number of subjects (DAYS_SHIFT), in ascending order, so by days."""

    spells: tuple[int, ...]
    n: int  # subjects: the spells' counts added up

    @property
    def longest(self) -> float:
        """The longest time observed, to the event or not."""
        return float((self.spells[-1] >> DAYS_SHIFT) - DAYS_OFFSET)

    def median(self) -> tuple[float | None, float | None, float | None]:
        """The Kaplan-Meier median and its interval: (median, low, high) (stats.kaplan_meier_median)."""
        return _median(self)

    def interval(self) -> stats.Interval | None:
        _, low, high = self.median()
        if low is None:
            return None
        return stats.Interval(low, math.inf if high is None else high)

    def test(self, before: Any, days: tuple[int, int]) -> stats.Test | None:
        return None  # a log-rank test would fit; not offered yet (docs/statistics.md)


Sample = Proportion | Nps | Mean | Count | Survival


def mean_interval(n: int, total: float, sum_squares: float) -> stats.Interval | None:
    """The t interval of a :class:`Mean`, for ``n`` > 0."""
    m = stats.mean_and_variance(n, total, sum_squares)
    if m is None:
        return None
    found = stats.t_interval(n, *m)
    # Deal sizes and days are never negative: a t-interval reaching below zero on a small,
    # skewed sample is cut at zero rather than shown as a negative amount.
    if found is None or total < 0 or found.low >= 0:
        return found
    return stats.Interval(0.0, found.high)


@functools.lru_cache(maxsize=64)
def _median(sample: Survival) -> tuple[float | None, float | None, float | None]:
    # A report row asks twice, for its figure (finalize) and its interval (trust.annotate).
    return stats.kaplan_meier_median(_at_risk(sample.spells, sample.n))


def _at_risk(spells: tuple[int, ...], n: int) -> Iterator[tuple[int, int, int]]:
    """The days with an event of sorted packed spells, each (days, events, subjects at risk then):
    those whose time is that day or later, events counting before censorings. A report by rep at
    1M deals reads 2,000 curves of ~80 spells each, of which ~7 are days with a win: the risk sets
    come from a running count and a bisection, both in C, so the censored spells between the wins
    are not walked one by one in Python (the walk of a report by rep at M: 43 ms against 61).
    Made as the curve is followed, which stops once the median's interval is known."""
    subjects = list(accumulate(map(and_, spells, repeat(_COUNT_BITS))))  # running: bisect reads it
    pending: tuple[int, int, int] | None = None
    for s in compress(spells, map(and_, spells, repeat(_EVENT_BIT))):
        days, k = (s >> DAYS_SHIFT) - DAYS_OFFSET, s & _COUNT_BITS
        if pending is not None and pending[0] == days:  # the same day and outcome twice: one time
            pending = (days, pending[1] + k, pending[2])
            continue
        if pending is not None:
            yield pending
        # Spells sort by day first: those before the day's first have left the risk set.
        first = bisect_left(spells, s >> DAYS_SHIFT << DAYS_SHIFT)
        pending = (days, k, n - subjects[first - 1] if first else n)
    if pending is not None:
        yield pending


# A Kaplan-Meier spell (days, won, deals k) packed into one integer by kpis/survival.py:
# (days + DAYS_OFFSET) << DAYS_SHIFT | won << 32 | k. Days from -16.7M to +16.7M, k below 2^32.
DAYS_SHIFT = 33
DAYS_OFFSET = 1 << 24
_COUNT_BITS = (1 << 32) - 1
_EVENT_BIT = 1 << 32


# -- a group's sample from its aggregates ------------------------------------------------------------
# Each hook below reads its row through one of these (its Form), and so does trust.intervals, which
# makes the intervals of thousands of groups at once without a Sample object each: one condition.
def proportion_of(hits: Any, n: Any) -> tuple[int, int] | None:
    """A :class:`Proportion`'s (hits, n), or None: no sample without records."""
    k = int(n or 0)
    return (int(hits or 0), k) if k else None


def nps_of(promoters: Any, detractors: Any, n: Any) -> tuple[int, int, int] | None:
    """An :class:`Nps`'s (promoters, passives, detractors), or None without answers."""
    k = int(n or 0)
    if not k:
        return None
    p, d = int(promoters or 0), int(detractors or 0)
    return p, k - p - d, d


def mean_of(n: Any, total: Any, sum_squares: Any) -> tuple[int, float, float] | None:
    """A :class:`Mean`'s (n, total, sum of squares), or None: without records or their squares."""
    k = int(n or 0)
    if not k or sum_squares is None:
        return None
    return k, float(total or 0), float(sum_squares)


def count_of(value: Any) -> tuple[int]:
    return (int(value or 0),)


def _mean_bounds(n: int, total: float, sum_squares: float, z: float) -> tuple[float, float] | None:
    found = mean_interval(n, total, sum_squares)  # Student's t: its quantile is not z's
    return None if found is None else (found.low, found.high)


def _mean_bounds_many(samples: Iterable[tuple[int, float, float] | None],
                      z: float) -> list[tuple[float, float] | None]:
    """:func:`_mean_bounds` of each (n, total, sum of squares), the same floats (stats.
    mean_and_variance, t_interval and mean_interval's cut at zero, step for step), without five
    calls and an object a group: a report by rep has 2,000 (tests/test_stats.py holds them to it)."""
    quantile = stats.t_quantile
    out: list[tuple[float, float] | None] = []
    for sample in samples:
        if sample is None or sample[0] < 2:  # one observation: no spread, no interval
            out.append(None)
            continue
        n, total, sum_squares = sample
        mean = total / n
        variance = max(0.0, (sum_squares - n * mean * mean) / (n - 1))
        half = quantile(n - 1) * math.sqrt(variance / n)
        low, high = mean - half, mean + half
        out.append((low, high) if total < 0 or low >= 0 else (0.0, high))
    return out


@dataclass(frozen=True)
class Form:
    """How a sample is read from a KPI's result: the aggregates it reads, in the order its element
    function ``of`` takes them, the :class:`Sample` ``kind`` made of what ``of`` returns, and the
    ends of that sample's interval for the normal quantile z (None: the figure has no interval).
    ``small``: whether a group of few records is flagged as a small sample (a count is what
    happened, never an estimate). Its :meth:`sample` is the hook a KPI definition names; a report
    reads whole columns through :meth:`samples` and trust.intervals."""

    reads: tuple[str, ...]
    of: Callable[..., tuple[Any, ...] | None]
    kind: Callable[..., Sample]
    bounds: Callable[..., tuple[float, float] | None] | None
    small: bool = True
    # ``bounds`` of many samples at once (what ``of`` returns, None for none), the same floats.
    bounds_many: Callable[[list[Any], float], list[tuple[float, float] | None]] | None = None

    def sample(self, row: dict[str, Any]) -> Sample | None:
        """The sample of one result row (None for no row, or a group without records)."""
        found = self.of(*[row.get(name) for name in self.reads]) if row else None
        return None if found is None else self.kind(*found)

    def samples(self, columns: Sequence[Sequence[Any]]) -> list[Sample | None]:
        """:meth:`sample` of each group of a result read as columns (``reads``, in order)."""
        kind = self.kind
        return [None if found is None else kind(*found) for found in map(self.of, *columns)]


_PROPORTION = Form(("hits", "n"), proportion_of, Proportion, stats.wilson_bounds,
                   bounds_many=stats.wilson_bounds_many)
_NPS = Form(("promoters", "detractors", "n"), nps_of, Nps, stats.nps_bounds)
_MEAN = Form(("n", "total", "sum_squares"), mean_of, Mean, _mean_bounds, bounds_many=_mean_bounds_many)
_COUNT = Form(("value",), count_of, Count, None, small=False)

# -- the hooks KPI definitions name ----------------------------------------------------------------
proportion = _PROPORTION.sample
nps = _NPS.sample
mean = _MEAN.sample  # averages whose aggregates are n, total and sum_squares
ramp_mean = Form(("n", "ramped_days", "ramped_squares"), mean_of, Mean, _mean_bounds,
                 bounds_many=_mean_bounds_many).sample
count = _COUNT.sample

# The hooks a report can read as columns (kpis/batch.py), each with its form.
FORMS: dict[Callable[[dict[str, Any]], Sample | None], Form] = {
    proportion: _PROPORTION, nps: _NPS, mean: _MEAN, count: _COUNT}


def survival(row: dict[str, Any]) -> Sample | None:
    spells = row.get("spells") or []
    if not spells:
        return None
    return _unpack(tuple(map(int, spells)))


def offers_test(hook: Callable[[dict[str, Any]], Sample | None]) -> bool:
    """Whether the samples a KPI's hook makes test a change from the period before: every kind
    but a survival curve, whose test is not offered yet (:meth:`Survival.test`)."""
    return hook is not survival



@functools.lru_cache(maxsize=64)
def _unpack(spells: tuple[int, ...]) -> Survival:
    # Kept: a report row reads its spells twice (its figure, then its interval), and its curve is
    # kept. Sorted ints sort in C, ~160,000 a report by rep at 1M deals.
    return Survival(tuple(sorted(spells)), sum(map(and_, spells, repeat(_COUNT_BITS))))
