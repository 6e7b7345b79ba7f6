"""Why deals are lost: per lost reason, how many deals, how much money, and what share of the closed
deals, with 95 % intervals and the change from the period before.

For a period (deals closed in it, as the KPIs count them), per lost reason (deals lost without one
are a reason of their own, ``null``), and per rep, team or segment with ``by``:

* ``lost_count``, with Garwood's exact Poisson interval (``count_ci_low``, ``count_ci_high``);
* ``lost_value``: the lost deals' amounts in the base currency (a sum of money: no interval);
* ``lost_rate`` = lost for this reason / deals closed (won or lost) in the group, with Wilson's
  interval (``ci_low``, ``ci_high``): a reason's share of every decision, so the reasons of a group
  and its win rate add up to one;
* the same for the period before (with ``as_of`` cutting a running period, as far into it), and
  the change: of the rate in points, tested with the two-proportion z test (Fisher's exact test
  where few; ``p_value``, ``significant`` at 5 %), of the count and value relative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import stats
from ..coverage import ClosedAhead, closed_ahead, comparable, still_to_come
from ..errors import DimensionError, keyed
from ..kpis import compiled
from ..kpis.query import Query
from ..kpis.scope import filters_json, query_maker, resolve_filters, whole_deal_filters
from ..periods import Period

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store

LOSSES_BY = ("rep", "team", "segment")
ZERO = Decimal("0.00")
Key = tuple[str | None, str | None]  # (group, lost reason)


@dataclass(frozen=True)
class Tally:
    """One group's closed deals in one period, and its losses by reason."""

    closed: int
    lost: dict[str | None, tuple[int, Decimal]]  # reason -> (count, value)


@dataclass(frozen=True)
class LossRow:
    group: str | None
    reason: str | None
    lost_count: int
    lost_value: Decimal
    closed: int
    previous_count: int
    previous_value: Decimal
    previous_closed: int

    @property
    def rate(self) -> float | None:
        return round(self.lost_count / self.closed, 6) if self.closed else None

    @property
    def previous_rate(self) -> float | None:
        return round(self.previous_count / self.previous_closed, 6) if self.previous_closed else None

    def as_json(self, by: str | None) -> dict[str, Any]:
        band = stats.wilson(self.lost_count, self.closed)
        counted = stats.poisson_interval(self.lost_count)
        test = stats.two_proportion_test(self.lost_count, self.closed, self.previous_count,
                                         self.previous_closed)
        change = (round(self.rate - self.previous_rate, 6)
                  if self.rate is not None and self.previous_rate is not None else None)
        value_change = (round(float((self.lost_value - self.previous_value) / self.previous_value), 4)
                        if self.previous_value else None)
        out: dict[str, Any] = {by: self.group} if by else {}
        out.update({
            "lost_reason": self.reason, "lost_count": self.lost_count,
            "count_ci_low": round(counted.low, 4), "count_ci_high": round(counted.high, 4),
            "lost_value": self.lost_value, "closed": self.closed, "lost_rate": self.rate,
            "ci_low": round(band.low, 6) if band else None,
            "ci_high": round(band.high, 6) if band else None,
            "previous_lost_count": self.previous_count, "previous_lost_value": self.previous_value,
            "previous_closed": self.previous_closed, "previous_lost_rate": self.previous_rate,
            "change": change, "value_change": value_change,
            "p_value": round(test.p_value, 6) if test else None,
            "significant": test.significant if test else None,
        })
        return out


@dataclass(frozen=True)
class Losses:
    period: Period
    previous: Period
    by: str | None
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    rows: list[LossRow]  # per group, most lost value first; a reason lost in neither period: none
    # As of a day: the period asked (``period`` is the stretch measured, cut at the day's end).
    as_of: date | None = None
    asked: Period | None = None
    # Deals of a running period closed on a day still to come: not counted, and said (a deal lost
    # after today was simply absent: the forecast tester).
    closed_ahead: ClosedAhead | None = None

    @property
    def lost_value_unknown(self) -> bool:
        """Deals were lost in the period and every one has an amount of 0: its lost value says
        nothing (Maven's export, like many CRMs, clears a lost deal's amount), not "we lose nothing"."""
        return (any(r.lost_count for r in self.rows)
                and not any(r.lost_value for r in self.rows if r.lost_count))

    @property
    def tests(self) -> tuple[int, int]:
        """How many changes were tested against the period before, and how many of them read as
        significant at 5 %, each on its own: among twenty, one reads so by chance alone."""
        said = [stats.two_proportion_test(r.lost_count, r.closed, r.previous_count, r.previous_closed)
                for r in self.rows]
        return sum(t is not None for t in said), sum(t is not None and t.significant for t in said)

    def as_json(self) -> dict[str, Any]:
        # As every answer as of a day says it (periods.Measured): the period asked, the day, and
        # the stretch measured; the asked period's label was lost.
        dated = ({"as_of": self.as_of, "measured_period": self.period.as_json()}
                 if self.as_of is not None else {})
        return {"period": (self.asked or self.period).as_json(), **dated,
                "previous_period": self.previous.as_json(),
                "by": self.by, "filters": filters_json(self.filters),
                "currency": self.currency, "rows": [r.as_json(self.by) for r in self.rows],
                "lost_value_unknown": self.lost_value_unknown,
                **({"closed_ahead": self.closed_ahead.as_json()} if self.closed_ahead else {})}


def _closed_by_reason(q: Query) -> Any:
    """The period's closed deals per group (``q.by``), lost reason and status: count, and the lost
    deals' value. Only lost money is added: a won deal without an exchange rate refuses nothing."""
    q.lost()  # its rate check: the money added is the lost deals'
    closed = q.closed(money=False)
    keys = [*q.by, "lost_reason", "status"]
    return closed.group_by(keys).aggregate(n=closed.count(),
                                           value=closed.amount.sum(where=closed.status == "lost"))


def _tally(store: Store, span: Period, where: dict[str, tuple[str, ...]], by: str | None,
           as_of: date | None, viewer: Viewer | None) -> dict[str | None, Tally]:
    q = query_maker(store, span, where, as_of=as_of, viewer=viewer)((by,) if by else ())
    rows = compiled.run("losses", _closed_by_reason, q)  # kept compiled like a KPI
    counts: dict[str | None, int] = {}
    lost: dict[str | None, dict[str | None, tuple[int, Decimal]]] = {}
    for r in rows:
        group = r[by] if by else None
        counts[group] = counts.get(group, 0) + int(r["n"])
        if r["status"] == "lost":
            count, value = lost.setdefault(group, {}).get(r["lost_reason"], (0, ZERO))
            lost[group][r["lost_reason"]] = (count + int(r["n"]),
                                             value + Decimal(r["value"] or 0).quantize(ZERO))
    return {g: Tally(n, lost.get(g, {})) for g, n in counts.items()}


def build_losses(store: Store, period: str | Period, *, by: str | None = None,
                 filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
                 viewer: Viewer | None = None) -> Losses:
    if by in ("", None):
        by = None
    elif by not in LOSSES_BY:
        raise keyed(DimensionError(f"losses are by {', '.join(LOSSES_BY)}, not {by!r}"), "losses_by", by=by)
    span = store.period(period, as_of)
    # A running period beside the same stretch of the period before (coverage.comparable).
    before = comparable(store, span.previous(), span, as_of)
    where = resolve_filters(store, filters, viewer)
    whole_deal_filters(where, "losses")
    now = _tally(store, span, where, by, as_of, viewer)
    # A period still to come is compared with nothing, as a report's is: next quarter's losses were
    # set beside this quarter read whole, deals dated after today and all (the forecast tester).
    then = {} if still_to_come(store, span, as_of, viewer) else _tally(store, before, where, by, None, viewer)
    rows: list[LossRow] = []
    for group in sorted(set(now) | set(then), key=lambda g: (g is None, g or "")):
        here, there = now.get(group, Tally(0, {})), then.get(group, Tally(0, {}))
        for reason in set(here.lost) | set(there.lost):
            count, value = here.lost.get(reason, (0, ZERO))
            old_count, old_value = there.lost.get(reason, (0, ZERO))
            rows.append(LossRow(group, reason, count, value, here.closed, old_count, old_value,
                                there.closed))
    rows.sort(key=lambda r: (r.group is None, r.group or "", -r.lost_value, -r.lost_count,
                             r.reason is None, r.reason or ""))
    return Losses(span.until(as_of), before, by, where, store.base_currency(), rows, as_of, span,
                  closed_ahead(store, span, where, viewer, as_of))
