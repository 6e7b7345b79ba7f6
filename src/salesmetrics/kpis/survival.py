"""Sales cycle length by Kaplan-Meier: time to win, counting deals that are still open.

The simple average (``sales_cycle_length``) sees only deals won in the period, so every deal that is
taking long and is still open is left out and the figure runs short. Here those deals count too, as
"not won yet at this age" (censored at the period's end), and the median of the Kaplan-Meier curve is
the figure.

Which deals: those won in the period (an event at their cycle length) and those open at the period's
end (censored at their age then; deals closed later were open then). Lost deals are left out: the
figure answers "how long does a win take?", as the simple average does, so the two stay comparable;
a lost deal has no time to win. Censoring them at their loss instead would answer "how long would a
win take if no deal were ever lost?" and push the median out by the weight of the losses.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..runtime import lazy_module
from .model import Outcome
from .query import Query
from .samples import DAYS_OFFSET, DAYS_SHIFT

if TYPE_CHECKING:
    import ibis
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")


def cycle_spells(q: Query, *, amounts: bool = True, teams: bool = True) -> Any:
    """Each deal the estimate rests on: ``days`` (to the win, or to the period's end) and ``won``.
    Never refused for want of an exchange rate: it counts days (a median of days refused for a yen
    deal was a dead end); its records list names such a deal (drilldown.records_behind), with its
    amount, which the estimate does not read (``amounts=False``: Query.deals)."""
    stop = _stop(q)
    # A period cut within its last day (periods.to_date) stops at the cut.
    stop_at = q.end if stop == q.period.end else ibis.timestamp(f"{stop.isoformat()} 00:00:00")
    d = q.deals(amounts=amounts, teams=teams)
    won = (d.status == "won") & q.in_period(d.closed_at)
    still_open = (d.created_at < stop_at) & (d.closed_at.isnull() | (d.closed_at >= stop_at))
    t = d.filter(won | still_open)
    is_won = (t.status == "won") & q.in_period(t.closed_at)
    days = ibis.ifelse(
        is_won,
        t.closed_at.date().delta(t.created_at.date(), unit="day"),
        ibis.literal(stop).delta(t.created_at.date(), unit="day"),
    )
    return t.mutate(days=days, won=is_won)


def _stop(q: Query) -> date:
    """The period's end, or the day after ``as_of`` when the period is still running."""
    if q.as_of is not None and q.as_of + timedelta(days=1) < q.period.end:
        return max(q.period.start, q.as_of + timedelta(days=1))
    return q.period.end


def sales_cycle_km(q: Query) -> Any:
    """Per group, the spells as a histogram: one entry per (days, won) with its number of deals
    ``k``, so Python reads as many entries as there are distinct ages, not one per open deal."""
    t = q.with_buckets(cycle_spells(q, amounts=False, teams=False))
    keys = list(q.by)
    counted = t.group_by([*keys, "days", "won"]).aggregate(k=t.count())
    # One integer per entry (samples.DAYS_SHIFT): read as structs, DuckDB made a Python dict of
    # each, ~330,000 a report by rep at 1M deals and three quarters of the query's time.
    packed = ((counted.days.cast("int64") + DAYS_OFFSET) * (1 << DAYS_SHIFT)
              + counted.won.cast("int64") * (1 << 32) + counted.k)
    metrics = {
        "spells": packed.collect(),
        "n": counted.k.sum(),
        "wins": (counted.k * counted.won.cast("int64")).sum(),
    }
    return counted.group_by(keys).aggregate(**metrics) if keys else counted.aggregate(**metrics)


def km_median(row: dict[str, Any]) -> Outcome:
    from .samples import Survival, survival

    sample = survival(row)
    if not isinstance(sample, Survival):
        return Outcome(None, 0, ("no_data",), {"lower_bound": None})
    median = sample.median()[0]
    if median is None:
        # Fewer than half the deals won yet: the median lies beyond the longest time observed,
        # which is what can be said of it ("over N days"); the value itself stays null.
        longest = sample.longest
        return Outcome(None, sample.n, ("median_not_reached",), {"lower_bound": round(longest, 4)})
    return Outcome(round(median, 4), sample.n, (), {"lower_bound": None})
