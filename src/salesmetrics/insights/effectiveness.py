"""Activity effectiveness: which kinds of activity go with won deals.

For the deals closed (won or lost) in the period, and each activity type: how many of them had at least
one activity of that type, how many of those were won and for how much, the win rate with and without
it (Wilson intervals), and how many activities of the type a won deal had against a lost one. The
meeting-to-win and demo-to-win conversions are the win rates of deals that had a meeting or a demo.

A deal worked with calls, emails and a meeting counts under each of the three: ``revenue_with`` is the
revenue of the won deals that had the type, not revenue the type brought in, and the types overlap, so
their figures never add up to the group's revenue (``revenue_won``, given beside them).

Activities count whenever they happened up to the deal's close, also before the period: a deal
closed in October was worked on in September. An activity logged after the close (the kickoff of a
won deal, a call after a loss) did not decide it and is left out. Activities not tied to a deal
(prospecting) cannot be set against an outcome and are left out here. This shows association, not
cause: good deals get demos, and demos may not make deals good.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import stats
from ..coverage import PeriodHint, period_hint
from ..errors import DimensionError, keyed
from ..kpis import compiled
from ..kpis.query import Query
from ..kpis.scope import filters_json, query_maker, resolve_filters, whole_deal_filters
from ..periods import Measured, Period
from ..runtime import lazy_module
from ..storage import ACTIVITY_ROLLUP

if TYPE_CHECKING:
    import ibis

    from ..access import Viewer
    from ..store import Store
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")

CONVERSION_TYPES = ("meeting", "demo")


@dataclass(frozen=True)
class TypeLine:
    group: str | None  # the rep or team (None: everyone)
    activity_type: str
    deals_with: int  # closed deals that had at least one activity of the type
    won_with: int
    # Of the won deals that had the type: the types overlap, never add these. None where one of
    # them has no exchange rate (a sum short of it would look real).
    revenue_with: Decimal | None
    win_rate_with: float | None
    ci_low: float | None
    ci_high: float | None
    win_rate_without: float | None
    per_won_deal: float | None  # activities of the type per won deal (all won deals of the group)
    per_lost_deal: float | None

    def as_json(self) -> dict[str, Any]:
        return {"activity_type": self.activity_type, "deals_with": self.deals_with,
                "won_with": self.won_with, "revenue_with": self.revenue_with,
                "win_rate_with": self.win_rate_with, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "win_rate_without": self.win_rate_without, "per_won_deal": self.per_won_deal,
                "per_lost_deal": self.per_lost_deal}


@dataclass(frozen=True)
class GroupSummary:
    group: str | None
    closed: int
    won: int
    activities_per_won_deal: float | None
    activities_per_lost_deal: float | None
    meeting_to_win: float | None
    demo_to_win: float | None
    types: list[TypeLine]
    revenue_won: Decimal | None = Decimal("0.00")  # of all the group's won deals, once each
    without_rate: int = 0  # won deals no exchange rate converts: revenue_won is None then

    def as_json(self, by: str | None) -> dict[str, Any]:
        key = {by: self.group} if by else {}
        return {**key, "closed_deals": self.closed, "won_deals": self.won, "revenue_won": self.revenue_won,
                "without_rate": self.without_rate,
                "activities_per_won_deal": self.activities_per_won_deal,
                "activities_per_lost_deal": self.activities_per_lost_deal,
                "meeting_to_win": self.meeting_to_win, "demo_to_win": self.demo_to_win,
                "types": [t.as_json() for t in self.types]}


@dataclass(frozen=True)
class ActivityEffectiveness(Measured):
    period: Period
    by: str | None
    currency: str | None
    groups: list[GroupSummary]
    as_of: date | None = None  # figures as they stood at the end of this day
    hint: PeriodHint | None = None  # the period holds no records: where they are (coverage.py)
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # as resolved (ids)

    @property
    def without_rate(self) -> int:
        """Won deals no exchange rate converts: their revenue is left empty, the counts stand."""
        return sum(g.without_rate for g in self.groups)

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period.as_json(), **self.as_of_json(), "by": self.by,
                "filters": filters_json(self.filters), "currency": self.currency,
                "groups": [g.as_json(self.by) for g in self.groups],
                **({"hint": self.hint.as_json()} if self.hint else {})}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _closed(q: Query, group: str | None) -> Any:
    """The period's closed deals with the group each counts under (``key``; "" is no group). Counts
    stand without exchange rates: a won deal's amount is empty (null) where none converts it."""
    closed = q.closed(money=False)
    key = closed[group].nullif("") if group else ibis.null().cast("string")
    return closed.select("deal_id", "status", "amount", "closed_at", key=key)


def _sizes(q: Query, group: str | None) -> Any:
    """Per group: closed, won and lost deals, and the revenue won."""
    closed = _closed(q, group)
    won = closed.status == "won"
    return closed.group_by("key").aggregate(
        n=closed.count(), won=closed.count(where=won), lost=closed.count(where=closed.status == "lost"),
        revenue=closed.amount.sum(where=won), unrated=closed.count(where=won & closed.amount.isnull()),
    )


def _cells(q: Query, group: str | None) -> Any:
    """Per group and activity type: the deals with the type, won among them and their revenue, and
    the type's activities on won and on lost deals."""
    closed = _closed(q, group)
    if q.rollups and q.as_of is None:
        # Counted per closed deal, type and rep by the workspace (storage.ACTIVITY_ROLLUP), beside
        # the deal's close: only the period's lines are read.
        kept = q.records.rollup(ACTIVITY_ROLLUP)
        kept = kept.filter(q.in_period(kept.closed_at)).join(closed.select("deal_id"), "deal_id")
        per_type = kept.group_by(["deal_id", "activity_type"]).aggregate(k=kept.k.sum())
    else:
        acts = q.records.table("activities")
        acts = acts.filter(acts.deal_id.notnull())
        if q.as_of is not None:  # as it stood at the end of as_of: later activities had not happened
            day_after = q.as_of + timedelta(days=1)
            acts = acts.filter(acts.occurred_at < ibis.timestamp(datetime.combine(day_after, time())))
        acts = acts.select("deal_id", "occurred_at", activity_type=acts.type.lower())
        # Only the closed deals' activities up to their close are grouped (a join first, not after
        # counting them all).
        acts = acts.join(closed.select("deal_id", "closed_at"), "deal_id")
        acts = acts.filter(acts.occurred_at <= acts.closed_at)
        per_type = acts.group_by(["deal_id", "activity_type"]).aggregate(k=lambda t: t.count())
    per_type = per_type.join(closed, "deal_id")
    won, lost = per_type.status == "won", per_type.status == "lost"
    return per_type.group_by(["key", "activity_type"]).aggregate(
        deals=per_type.count(), won=per_type.count(where=won), revenue=per_type.amount.sum(where=won),
        unrated=per_type.count(where=won & per_type.amount.isnull()),
        k_won=per_type.k.sum(where=won), k_lost=per_type.k.sum(where=lost),
    )


def build_activity_effectiveness(store: Store, period: str | Period, *, by: str | None = None,
                                 filters: Mapping[str, Sequence[str]] | None = None,
                                 as_of: date | None = None,
                                 viewer: Viewer | None = None) -> ActivityEffectiveness:
    if by not in (None, "", "rep", "team"):
        raise keyed(DimensionError(f"activity effectiveness is by rep or team, not {by!r}"), "activities_by",
                    by=by)
    group = by or None
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    # A product's revenue is not the amounts of its deals (report --by product reads their lines).
    whole_deal_filters(where, "activities", also=("activity_type",))
    q = query_maker(store, span, where, as_of=as_of,
                    viewer=viewer)(())
    # Counted in SQL, per group and per group and type (reading every closed deal and its counts
    # into Python was 1.3 s a view at 1M deals), and kept compiled like a KPI (kpis/compiled.py).
    named = group or "all"
    sizes = {r["key"]: r for r in compiled.run(f"effectiveness groups by {named}",
                                               lambda q: _sizes(q, group), q)}
    cells = {(r["key"], r["activity_type"]): r
             for r in compiled.run(f"effectiveness cells by {named}", lambda q: _cells(q, group), q)}
    if "activity_type" in where:
        # The types asked for: their lines, and the activities per won and lost deal counted of
        # them alone (the filter was checked, then passed over: every type's answer under it).
        cells = {k: c for k, c in cells.items() if k[1] in where["activity_type"]}
    types = sorted({kind for _, kind in cells})
    zero = Decimal("0.00")

    out = []
    for key_ in sorted(sizes, key=lambda k: "" if k is None else str(k)):
        size = sizes[key_]
        n, n_won, n_lost = int(size["n"]), int(size["won"]), int(size["lost"])
        lines = []
        for kind in types:
            cell = cells.get((key_, kind))
            with_ = int(cell["deals"]) if cell else 0
            won_with = int(cell["won"]) if cell else 0
            k_won = int(cell["k_won"] or 0) if cell else 0
            k_lost = int(cell["k_lost"] or 0) if cell else 0
            revenue = cell["revenue"] if cell and cell["revenue"] is not None else None
            band = stats.wilson(won_with, with_)
            lines.append(TypeLine(
                key_, kind, with_, won_with,
                None if cell and cell["unrated"] else zero + revenue if revenue is not None else zero,
                _ratio(won_with, with_),
                round(band.low, 4) if band else None, round(band.high, 4) if band else None,
                _ratio(n_won - won_with, n - with_),
                _ratio(k_won, n_won), _ratio(k_lost, n_lost),
            ))
        conv = {t.activity_type: t.win_rate_with for t in lines}
        all_won = sum(int(c["k_won"] or 0) for (g, _), c in cells.items() if g == key_)
        all_lost = sum(int(c["k_lost"] or 0) for (g, _), c in cells.items() if g == key_)
        out.append(GroupSummary(
            key_, n, n_won, _ratio(all_won, n_won), _ratio(all_lost, n_lost),
            conv.get("meeting"), conv.get("demo"), lines,
            revenue_won=(None if size["unrated"] else
                         zero + size["revenue"] if size["revenue"] is not None else zero),
            without_rate=int(size["unrated"]),
        ))
    # No deal closed in it: perhaps no record at all, then say where the records are.
    hint = None if out else period_hint(store, span, viewer, as_of)
    return ActivityEffectiveness(span, group, q.base_currency, out, as_of, hint, where)
