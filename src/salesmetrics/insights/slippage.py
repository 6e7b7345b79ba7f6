"""Slippage: deals whose expected close date keeps moving out, from the history every import keeps.

A *push* is a kept change of a deal's expected close date to a later day (insights/deal_history.py:
the expected dates on record, in import order). The slippage of a period lists each deal pushed at
least once that was expected to close in the period at some time: its pushes, the first expected
date on record (``from``), the latest (``to``) and the days between, and its amount today (in the
base currency at today's rate: its close day's once closed).

**Moved out**, as Salesforce's pipeline inspection counts it: of those deals, the ones expected in
the period at some time whose latest expected date is after the period's end, and that did not
close (won or lost) within it.

With ``as_of``, only changes kept up to the end of that day count, and a deal is listed as it stood
then: its status, and its amount at that day's rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..access import Viewer
from ..kpis import compiled
from ..kpis.query import Query
from ..kpis.scope import filters_json, resolve_filters, whole_deal_filters
from ..periods import Period, end_of
from .deal_history import Deal, Pick, load

if TYPE_CHECKING:
    from ..store import Store

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SlippedDeal:
    deal_id: str
    rep: str
    team: str | None
    status: str
    pushes: int
    days: int  # from the first expected date on record to the latest
    first: date  # ``from``
    latest: date  # ``to``
    amount: Decimal
    moved_out: bool

    def as_json(self) -> dict[str, Any]:
        return {"deal_id": self.deal_id, "rep": self.rep, "team": self.team, "status": self.status,
                "pushes": self.pushes, "days": self.days, "from": self.first, "to": self.latest,
                "amount": self.amount, "moved_out": self.moved_out}


@dataclass(frozen=True)
class Slippage:
    period: Period
    as_of: date  # the day it stands as of: the one asked, else today (its JSON said null)
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    rows: list[SlippedDeal]  # most days slipped first
    has_history: bool  # any change kept by the end of as_of (else: import again, or ask later)
    # Any deal of the workspace with an expected close date: without one, none can be seen to slip,
    # and "0 deals moved out" would read as a pipeline that keeps its dates.
    has_expected_dates: bool = True
    history_from: datetime | None = None  # the first change kept (of any deal in view)

    @property
    def unseen(self) -> str | None:
        """Why no deal can be seen to slip: no_expected_dates, no_history (none kept yet) or
        history_later (kept only after the day asked as of); None: the rows say what slipped."""
        if not self.has_expected_dates:
            return "no_expected_dates"
        if not self.has_history:
            return "no_history" if self.history_from is None else "history_later"
        return None

    @property
    def moved_out(self) -> list[SlippedDeal]:
        return [r for r in self.rows if r.moved_out]

    @property
    def moved_out_amount(self) -> Decimal:
        return sum((r.amount for r in self.moved_out), ZERO)

    @property
    def pushes(self) -> int:
        return sum(r.pushes for r in self.rows)

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(), "as_of": self.as_of,
            "filters": filters_json(self.filters), "currency": self.currency,
            "rows": [r.as_json() for r in self.rows],
            "pushed_deals": len(self.rows), "pushes": self.pushes,
            "moved_out": {"deals": len(self.moved_out), "amount": self.moved_out_amount},
            "has_history": self.has_history, "has_expected_dates": self.has_expected_dates,
            "history_from": self.history_from,
        }


def slipped(deal: Deal, span: Period, as_of: date | None) -> SlippedDeal | None:
    """The deal's slippage as far as ``span`` is concerned (None: not pushed, or never expected
    in it)."""
    dates = [d for _, d in deal.expected_dates(end_of(as_of) if as_of else None)]
    pushes = sum(1 for a, b in pairwise(dates) if b > a)
    if not pushes or not any(span.start <= d < span.end for d in dates):
        return None
    closed_within = deal.closed_at is not None and span.contains(deal.closed_at) and (
        as_of is None or deal.closed_at < end_of(as_of))
    moved_out = dates[-1] >= span.end and not closed_within
    # As it stood at the end of as_of: a deal lost two days later was still open then.
    closed_later = as_of is not None and deal.closed_at is not None and deal.closed_at >= end_of(as_of)
    # Its amount as it stood then too, in the money of that day (deal_history.Deal.rate_at).
    amount = (deal.amount_today if as_of is None
              else deal.base(deal.values_at(end_of(as_of)).amount, end_of(as_of)) or ZERO)
    return SlippedDeal(deal.deal_id, deal.rep, deal.team, "open" if closed_later else deal.status, pushes,
                       (dates[-1] - dates[0]).days, dates[0], dates[-1], amount, moved_out)


def build_slippage(store: Store, period: str | Period, *, as_of: date | None = None,
                   filters: Mapping[str, Sequence[str]] | None = None,
                   viewer: Viewer | None = None) -> Slippage:
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    whole_deal_filters(where, "slippage")
    history = load(store, where, viewer, span, Pick(pushed=True))
    rows = [found for deal in history.deals.values()
            if (found := slipped(deal, span, as_of)) is not None]
    rows.sort(key=lambda r: (-r.days, -r.pushes, r.deal_id))
    # As of a day before the first import kept a change, nothing could be seen to slip: "0 pushed"
    # read as a pipeline that kept its dates (has_history said true).
    first = history.first_change
    kept = first is not None and (as_of is None or first < end_of(as_of))
    return Slippage(span, as_of or store.today(), where, history.currency, rows, kept,
                    bool(rows) or has_expected_dates(store), first)


def has_expected_dates(store: Store) -> bool:
    """Whether any deal of the workspace has an expected close date (the workspace's, whoever asks,
    as known_values.has_line_items). Kept until the data changes (Store.memo)."""
    return store.memo(("has expected dates",), lambda: bool(compiled.run(
        "has expected dates", _dated, Query.of_all_time(store.records(Viewer.everyone())))[0]["n"]))


def _dated(q: Query) -> Any:
    deals = q.records.table("deals")
    return deals.aggregate(n=deals.expected_close_on.count())
