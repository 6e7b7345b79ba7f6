"""How far a report row can be trusted: its 95 % interval, a small-sample flag, and whether a change
from the period before is more than noise. Adds fields to report rows; never changes a value.

Row fields (README, "JSON output"): ``ci_low``, ``ci_high`` on every row (null where the KPI has no
interval: sums of money, counts, quota attainment, or too few records); with a comparison also
``previous``, ``change``, ``p_value`` and ``significant``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import stats
from .kpis import samples
from .kpis.batch import Columns, read
from .kpis.model import KPI, TIME_DIMENSIONS
from .kpis.samples import Count, Proportion, Sample

SMALL_SAMPLE_FLAG = "small_sample"
CENT = Decimal("0.01")

Key = tuple[Any, ...]


def shaped(value: float | None, unit: str) -> Any:
    """An interval end on the KPI's own scale and precision (money as exact cents)."""
    if value is None or not math.isfinite(value):
        return None
    if unit == "money":
        return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    return round(value, 6 if unit == "ratio" else 4)


def bounds(kpi: KPI, sample: Sample | None, value: Any) -> tuple[Any, Any, bool]:
    """A row's ``ci_low`` and ``ci_high`` from its sample (none where the row has no figure), and
    whether it gets the small-sample flag."""
    interval = sample.interval() if sample is not None and value is not None else None
    small = (sample is not None and not isinstance(sample, Count)
             and 0 < sample.n < stats.SMALL_SAMPLE)
    if interval is None:
        return None, None, small
    return shaped(interval.low, kpi.unit), shaped(interval.high, kpi.unit), small


def annotate(kpi: KPI, raw: Mapping[str, Any], row: dict[str, Any]) -> Sample | None:
    """Add ``ci_low``/``ci_high`` (and the ``small_sample`` flag) to one row; returns its sample."""
    # The hooks only read the row: a dict is passed as it is, anything else as a copy.
    sample: Sample | None = (kpi.sample(raw if type(raw) is dict else dict(raw))
                             if kpi.sample is not None and raw else None)
    row["ci_low"], row["ci_high"], small = bounds(kpi, sample, row.get("value"))
    if small and SMALL_SAMPLE_FLAG not in row["flags"]:
        row["flags"].append(SMALL_SAMPLE_FLAG)
    return sample


# Per group: ci_low, ci_high, and whether the group gets the small-sample flag.
Intervals = tuple[list[Any], list[Any], list[bool]]


def intervals(kpi: KPI, cols: Columns, values: Sequence[Any], n: Sequence[int]) -> Intervals:
    """What :func:`bounds` gives each row of a result read as columns, for a KPI whose sample hook
    has a column form (``samples.FORMS``): the same bounds from the hook's own element function
    and arithmetic, without a sample and an interval object a row."""
    size = len(n)
    if kpi.sample is None:
        return [None] * size, [None] * size, [False] * size
    form = samples.FORMS.get(kpi.sample)
    if form is None:
        raise ValueError(f"{kpi.id}: its sample hook has no column form (samples.FORMS)")
    z, unit, ends = stats.z_value(), kpi.unit, form.bounds
    if ends is None and not form.small:  # a count: no interval, never a small sample
        return [None] * size, [None] * size, [False] * size
    lows: list[Any] = []
    highs: list[Any] = []
    small: list[bool] = []
    # Each group's sample as the arguments of its kind (None: no sample), not as a Sample.
    found = list(map(form.of, *read(form, cols, size)))
    if ends is None:
        pairs: Sequence[tuple[float, float] | None] = [None] * size
    elif form.bounds_many is not None:  # all groups' at once, the same floats
        pairs = form.bounds_many(found, z)
    else:
        pairs = [None if args is None else ends(*args, z) for args in found]
    flagged, limit = form.small, stats.SMALL_SAMPLE
    # shaped() inline for rates and days (two calls a group less); money keeps its exact cents.
    places = None if unit == "money" else 6 if unit == "ratio" else 4
    finite = math.isfinite
    for args, pair, value, k in zip(found, pairs, values, n, strict=True):
        if pair is None or value is None:
            lows.append(None)
            highs.append(None)
        elif places is None:
            lows.append(shaped(pair[0], unit))
            highs.append(shaped(pair[1], unit))
        else:
            low, high = pair
            lows.append(round(low, places) if finite(low) else None)
            highs.append(round(high, places) if finite(high) else None)
        small.append(flagged and args is not None and 0 < k < limit)
    return lows, highs, small


def row_key(row: Mapping[str, Any], dims: Sequence[str]) -> Key:
    if len(dims) == 1:  # by rep: 16,000 keys a leaderboard at 2,000 reps, without a generator
        return (row.get(dims[0]),)
    return tuple(row.get(d) for d in dims)


def direction(value: Any, before: Any) -> int | None:
    """1 where ``value`` rose from ``before``, -1 where it fell, 0 where it stayed; None without both."""
    if value is None or before is None:
        return None
    return int(value > before) - int(value < before)


def moved(value: Any, before: Any, change: float | None, significant: bool | None) -> int | None:
    """Which way a figure moved from the period before, as far as it can be judged: its change's
    sign; where a change in % has none (0 to 6 activities), the figures' direction, but only where
    the test found the move beyond noise. 0 to 6 read "fell" in a digest and "could not be tested"
    in an alert, beside the test; and 0 of a month no record reaches is nothing to have risen from
    (revenue's sums are never tested: their tiles stay unjudged)."""
    if change is not None:
        return int(change > 0) - int(change < 0)
    return direction(value, before) if significant else None


def change(unit: str, value: Any, before: Any) -> float | None:
    """Points for rates and NPS, relative change for money, counts and days (as the summary shows)."""
    if value is None or before is None:
        return None
    if unit in ("ratio", "score"):
        return round(float(value) - float(before), 6)
    if not before:
        return None
    return round(float(Decimal(str(value)) / Decimal(str(before)) - 1), 6)


def compare(
    kpi: KPI,
    rows: list[dict[str, Any]],
    dims: Sequence[str],
    now: Mapping[Key, Sample | None],
    before_values: Mapping[Key, Any],
    before: Mapping[Key, Sample | None],
    days: tuple[int, int],
) -> None:
    """Add ``previous``, ``change``, ``p_value`` and ``significant`` to each row of one KPI, from
    the period before's value and sample of each group (keyed as :func:`row_key` keys a row; a
    group it lacks had nothing then: the KPI's figure of nothing).

    Rows grouped by a time grain have no counterpart in the period before (its buckets are other
    weeks or months), so theirs stay null.
    """
    assert kpi.finalize is not None
    empty = kpi.finalize({}).value
    timed = any(d in TIME_DIMENSIONS for d in dims)
    counted: list[tuple[dict[str, Any], tuple[int, int]]] = []  # tested together, below
    shares: list[tuple[dict[str, Any], tuple[int, int, int, int]]] = []  # so are proportions
    for row in rows:
        key = row_key(row, dims)
        previous = None if timed else before_values.get(key, empty)
        row["previous"] = previous
        row["change"] = change(kpi.unit, row["value"], previous)
        a, b = now.get(key), before.get(key)
        if b is None and isinstance(a, Count) and not timed:
            b = Count(0)  # no activity at all before is a count of zero, and testable
        if a is None and isinstance(b, Count) and not timed and row["value"] == 0:
            # Nothing now (a rep at work who logged none) is a count of zero too: 30 before and 0
            # now read -100 %, never tested, while 30 and then 1 was a significant drop (review).
            a = Count(0)
        if isinstance(a, Count) and isinstance(b, Count) and not timed:
            counted.append((row, (a.count, b.count)))
            continue
        if isinstance(a, Proportion) and isinstance(b, Proportion) and not timed:
            shares.append((row, (a.hits, a.n, b.hits, b.n)))
            continue
        result = a.test(b, days) if a is not None and b is not None and not timed else None
        _tested(row, result)
    # Counts by rep: 2,000 exact tests at once (stats.poisson_tests), the same as one by one.
    tests = stats.poisson_tests([pair for _, pair in counted], days[0], days[1])
    for (row, _), result in zip(counted, tests, strict=True):
        _tested(row, result)
    for (row, _), result in zip(shares, stats.two_proportion_tests([q for _, q in shares]), strict=True):
        _tested(row, result)


def _tested(row: dict[str, Any], result: stats.Test | None) -> None:
    row["p_value"] = None if result is None else round(result.p_value, 6)
    row["significant"] = None if result is None else result.significant
