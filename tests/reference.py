"""A plain-Python reference for the KPIs, written from their definitions (README, KPI catalogue).

It works on in-memory records (dataclasses) with the standard library only: ``Decimal`` for money,
``Fraction`` for exact means and ratios, ``datetime`` for time. No ibis, DuckDB or pandas, so it
shares no code path with the product and can check it (``tests/test_properties.py``).

Semantics (single currency, naive local times, a period is ``[start, end)``):

- a deal is *won in the period* when ``status == "won"`` and ``start <= closed_at < end``;
- ``total_revenue`` / ``revenue_per_rep``: sum of the amounts of deals won in the period; with a
  product grouping or filter, the sum of their items instead (each line ``quantity x unit_price``
  rounded to the cent, half away from zero) and ``n`` is the number of distinct deals;
- ``revenue_per_product``: the item reading, always per product;
- ``average_deal_size``: revenue / number of won deals, to the cent (half to even);
- ``sales_cycle_length``: mean of ``(closed_at.date() - created_at.date()).days`` over won deals;
- ``win_rate``: won / (won + lost) among deals closed in the period;
- ``pipeline_win_rate``: won in the period / deals with ``created_at < end`` and
  (``closed_at`` empty or ``closed_at >= start``);
- ``quota_attainment``: revenue / quota, each quota (end date inclusive) pro-rated by the days it
  shares with the period (or with each month of it, grouped by month);
- ``activity_count``: activities with ``start <= occurred_at < end``;
- ``nps``: ``100 x (promoters(9-10) - detractors(0-6)) / answers``;
- ``ramp_time`` (:func:`ramp_rows`): see there.

Rows mirror the product's report contract: grouped reports hold one row per group that has data
(for quota_attainment: per group that has a quota in the period; for revenue and activities by rep,
also a row of 0 for each rep who worked in the period: an activity in it, a deal created or closed in
it, or a quota overlapping it); an ungrouped report always holds
exactly one row (money sums 0.00, counts 0, means and ratios ``None`` with flag ``no_data``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

CENT = Decimal("0.01")

KPI_IDS: tuple[str, ...] = (
    "total_revenue",
    "revenue_per_rep",
    "revenue_per_product",
    "average_deal_size",
    "sales_cycle_length",
    "win_rate",
    "pipeline_win_rate",
    "quota_attainment",
    "activity_count",
    "nps",
)

UNITS: dict[str, str] = {
    "total_revenue": "money",
    "revenue_per_rep": "money",
    "revenue_per_product": "money",
    "average_deal_size": "money",
    "sales_cycle_length": "days",
    "win_rate": "ratio",
    "pipeline_win_rate": "ratio",
    "quota_attainment": "ratio",
    "activity_count": "count",
    "nps": "score",
    "ramp_time": "days",
}

_CATEGORIES = frozenset({"rep", "team", "source", "pipeline"})
_TIME = frozenset({"day", "week", "month", "quarter"})

# What each KPI can be grouped and filtered by (README, "KPIs"; the catalogue's dimensions).
SUPPORTS: dict[str, frozenset[str]] = {
    "total_revenue": _CATEGORIES | {"product"} | _TIME,
    "revenue_per_rep": _CATEGORIES | {"product"} | _TIME,
    "revenue_per_product": _CATEGORIES | {"product"} | _TIME,
    "average_deal_size": _CATEGORIES | _TIME,
    "sales_cycle_length": _CATEGORIES | _TIME,
    "win_rate": _CATEGORIES | _TIME,
    "pipeline_win_rate": _CATEGORIES,
    "quota_attainment": frozenset({"rep", "team"}) | _TIME,
    "activity_count": frozenset({"rep", "team", "activity_type"}) | _TIME,
    "nps": frozenset({"rep", "team"}) | _TIME,
}

ALWAYS_BY: dict[str, tuple[str, ...]] = {
    "revenue_per_rep": ("rep",),
    "revenue_per_product": ("product",),
}

# Groupings and filters this reference implements (a subset of what the product offers).
REFERENCE_GROUPINGS = frozenset({"rep", "team", "source", "month", "day", "product", "activity_type"})
REFERENCE_FILTERS = frozenset({"rep", "team", "source", "product", "activity_type"})


# -- records -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rep:
    rep_id: str
    team: str | None
    hired_on: date | None = None


@dataclass(frozen=True)
class Deal:
    deal_id: str
    rep_id: str
    created_at: datetime
    closed_at: datetime | None
    status: str  # open, won, lost
    amount: Decimal
    source: str | None = None


@dataclass(frozen=True)
class DealItem:
    deal_id: str
    product_id: str
    quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class Activity:
    activity_id: str
    rep_id: str
    type: str
    occurred_at: datetime


@dataclass(frozen=True)
class Quota:
    """A rep's sales target for ``period_start`` to ``period_end``, both days included."""

    rep_id: str
    period_start: date
    period_end: date
    amount: Decimal


@dataclass(frozen=True)
class NpsAnswer:
    response_id: str
    score: int
    responded_at: datetime
    rep_id: str | None = None


@dataclass
class Dataset:
    reps: list[Rep] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    items: list[DealItem] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    answers: list[NpsAnswer] = field(default_factory=list)

    def team_of(self, rep_id: str | None) -> str | None:
        for rep in self.reps:
            if rep.rep_id == rep_id:
                return rep.team
        return None


# -- helpers -----------------------------------------------------------------------------------
Dims = dict[str, str | None]
Key = tuple[str | None, ...]
Event = tuple[Dims, Any, str]  # a record's dimensions, the value it adds, its id
Finish = Callable[[list[Any], int], tuple[Any, tuple[str, ...]]]


def month_label(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _within(moment: datetime | None, start: date, end: date) -> bool:
    return moment is not None and _at(start) <= moment < _at(end)


def _passes(dims: Dims, filters: Mapping[str, Sequence[str]]) -> bool:
    """A record passes a filter when its value is one of those listed (an empty one never does)."""
    return all(dims.get(dim) is not None and dims.get(dim) in values
               for dim, values in filters.items() if values)


def line_revenue(item: DealItem) -> Decimal:
    """One item line's money: quantity x unit price, to the cent (half away from zero)."""
    return (item.quantity * item.unit_price).quantize(CENT, ROUND_HALF_UP)


def _round_fraction(value: Fraction, places: int) -> float:
    return float(round(value, places))


def _month_after(month_start: date) -> date:
    return date(month_start.year + (month_start.month == 12), month_start.month % 12 + 1, 1)


def _month_starts(start: date, end: date) -> list[date]:
    out = []
    cur = date(start.year, start.month, 1)
    while cur < end:
        out.append(cur)
        cur = _month_after(cur)
    return out


def _day_label(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def _time_buckets(grain: str, start: date, end: date) -> list[tuple[date, date, str]]:
    """The [start, end) of each month or day the period touches (cut to it), with its label."""
    if grain == "day":
        days = [start + timedelta(days=i) for i in range((end - start).days)]
        return [(d, d + timedelta(days=1), _day_label(d)) for d in days]
    return [(max(m, start), min(_month_after(m), end), month_label(m)) for m in _month_starts(start, end)]


def grouping_keys(kpi: str, by: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ALWAYS_BY.get(kpi, ()) + ((by,) if by else ())))


def supported(kpi: str, by: str | None, filters: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``kpi`` can be grouped and filtered this way (else the product skips it)."""
    dims = [*([by] if by else []), *(d for d, v in filters.items() if v)]
    return all(d in SUPPORTS[kpi] for d in dims)


# -- events ------------------------------------------------------------------------------------
def _deal_dims(data: Dataset, deal: Deal) -> Dims:
    return {
        "rep": deal.rep_id,
        "team": data.team_of(deal.rep_id),
        "source": deal.source,
        "pipeline": None,
        "month": month_label(deal.closed_at) if deal.closed_at else None,
        "day": _day_label(deal.closed_at) if deal.closed_at else None,
    }


def _deals(data: Dataset, filters: Mapping[str, Sequence[str]]) -> list[tuple[Deal, Dims]]:
    """Deals passing the deal-level filters (a product filter keeps deals with such an item)."""
    out = []
    products = filters.get("product")
    deal_filters = {k: v for k, v in filters.items() if k != "product"}
    for deal in data.deals:
        dims = _deal_dims(data, deal)
        if not _passes(dims, deal_filters):
            continue
        if products and not any(i.deal_id == deal.deal_id and i.product_id in products
                                for i in data.items):
            continue
        out.append((deal, dims))
    return out


def _won(data: Dataset, start: date, end: date,
         filters: Mapping[str, Sequence[str]]) -> list[tuple[Deal, Dims]]:
    return [(d, dims) for d, dims in _deals(data, filters)
            if d.status == "won" and _within(d.closed_at, start, end)]


def _key(dims: Dims, keys: Sequence[str]) -> Key:
    return tuple(dims[k] for k in keys)


# -- rows --------------------------------------------------------------------------------------
@dataclass
class _Group:
    values: list[Any] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


def _row(kpi: str, keys: Sequence[str], key: Key, value: Any, n: int,
         flags: Iterable[str] = ()) -> dict[str, Any]:
    row: dict[str, Any] = {"kpi": kpi, "value": value, "unit": UNITS[kpi]}
    row.update(zip(keys, key, strict=True))
    row["n"] = n
    row["flags"] = list(flags)
    return row


def _grouped(
    kpi: str, keys: Sequence[str], events: Iterable[Event], finish: Finish,
) -> list[dict[str, Any]]:
    """Group ``(dims, value, record id)`` events and turn each group into a row with ``finish``.

    ``finish(values, n)`` returns ``(value, flags)``; ``n`` is the number of distinct records.
    Without grouping there is always one row, even with no events.
    """
    groups: dict[Key, _Group] = defaultdict(_Group)
    for dims, value, record in events:
        g = groups[_key(dims, keys)]
        g.values.append(value)
        g.ids.add(record)
    if not keys and not groups:
        groups[()] = _Group()
    rows = []
    for key, g in groups.items():
        value, flags = finish(g.values, len(g.ids))
        rows.append(_row(kpi, keys, key, value, len(g.ids), flags))
    return rows


def _money_sum(values: list[Decimal], n: int) -> tuple[Decimal, tuple[str, ...]]:
    return sum(values, Decimal(0)).quantize(CENT), ()


def _money_mean(values: list[Decimal], n: int) -> tuple[Decimal | None, tuple[str, ...]]:
    if not n:
        return None, ("no_data",)
    return (sum(values, Decimal(0)) / n).quantize(CENT, ROUND_HALF_UP), ()


def _mean_days(values: list[int], n: int) -> tuple[float | None, tuple[str, ...]]:
    if not n:
        return None, ("no_data",)
    return _round_fraction(Fraction(sum(values), n), 4), ()


def _share(values: list[bool], n: int) -> tuple[float | None, tuple[str, ...]]:
    if not n:
        return None, ("no_data",)
    return _round_fraction(Fraction(sum(values), n), 6), ()


def _count(values: list[Any], n: int) -> tuple[int, tuple[str, ...]]:
    return n, ()


def _net_promoter(values: list[int], n: int) -> tuple[float | None, tuple[str, ...]]:
    if not n:
        return None, ("no_data",)
    promoters = sum(1 for s in values if s >= 9)
    detractors = sum(1 for s in values if s <= 6)
    return _round_fraction(Fraction(100 * (promoters - detractors), n), 4), ()


def _revenue(data: Dataset, kpi: str, start: date, end: date, keys: Sequence[str],
             filters: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    won = _won(data, start, end, filters)
    if "product" in keys or filters.get("product"):
        products = filters.get("product")
        by_deal = {d.deal_id: dims for d, dims in won}
        events = [
            ({**by_deal[i.deal_id], "product": i.product_id}, line_revenue(i), i.deal_id)
            for i in data.items
            if i.deal_id in by_deal and (not products or i.product_id in products)
        ]
        return _grouped(kpi, keys, events, _money_sum)
    return _grouped(kpi, keys, ((dims, d.amount, d.deal_id) for d, dims in won), _money_sum)


def _quota_attainment(data: Dataset, start: date, end: date, keys: Sequence[str],
                      filters: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Rows for each group that holds a quota overlapping the period or won revenue in it (without
    grouping: one row)."""
    spans: list[tuple[date, date, str | None]]
    grain = next((k for k in keys if k in ("month", "day")), None)
    spans = list(_time_buckets(grain, start, end)) if grain is not None else [(start, end, None)]
    quota: dict[Key, Fraction] = defaultdict(Fraction)
    partial: dict[Key, bool] = defaultdict(bool)
    for q in data.quotas:
        dims: Dims = {"rep": q.rep_id, "team": data.team_of(q.rep_id)}
        # A quota of 0 measures nothing: not a quota, nor one the period cuts (quota_prorated).
        if not _passes(dims, filters) or q.amount == 0:
            continue
        q_end = q.period_end + timedelta(days=1)
        total = (q_end - q.period_start).days
        for span_start, span_end, label in spans:
            days = (min(q_end, span_end) - max(q.period_start, span_start)).days
            if days <= 0:
                continue
            key = _key({**dims, "month": label, "day": label}, keys)
            quota[key] += Fraction(q.amount) * days / total
            partial[key] = partial[key] or days < total
    revenue: dict[Key, Decimal] = defaultdict(Decimal)
    won_n: dict[Key, int] = defaultdict(int)
    for deal, deal_dims in _won(data, start, end, filters):
        key = _key(deal_dims, keys)
        revenue[key] += deal.amount
        won_n[key] += 1
    if not keys and not quota:
        return [_row("quota_attainment", keys, (), None, won_n[()], ("no_quota",))]
    rows = []
    for key, amount in quota.items():
        n = won_n.get(key, 0)
        value = _round_fraction(Fraction(revenue.get(key, Decimal(0))) / amount, 6)
        flags = ("quota_prorated",) if partial[key] else ()
        rows.append(_row("quota_attainment", keys, key, value, n, flags))
    # A group that sold without a quota is shown, not dropped: its attainment is unknown.
    rows += [_row("quota_attainment", keys, key, None, won_n[key], ("no_quota",))
             for key in revenue if keys and key not in quota]
    return rows


def _activities(data: Dataset, start: date, end: date,
                filters: Mapping[str, Sequence[str]]) -> list[Event]:
    events: list[Event] = []
    for a in data.activities:
        dims: Dims = {"rep": a.rep_id, "team": data.team_of(a.rep_id),
                      "activity_type": a.type.lower(), "month": month_label(a.occurred_at),
                      "day": _day_label(a.occurred_at)}
        if _within(a.occurred_at, start, end) and _passes(dims, filters):
            events.append((dims, 1, a.activity_id))
    return events


def _answers(data: Dataset, start: date, end: date,
             filters: Mapping[str, Sequence[str]]) -> list[Event]:
    events: list[Event] = []
    for answer in data.answers:
        dims: Dims = {"rep": answer.rep_id, "team": data.team_of(answer.rep_id),
                      "month": month_label(answer.responded_at), "day": _day_label(answer.responded_at)}
        if _within(answer.responded_at, start, end) and _passes(dims, filters):
            events.append((dims, answer.score, answer.response_id))
    return events


# What each KPI says of a group without a record: grouped by month or day alone, every month or day
# the period touches has a row, as the trend shows it.
_EMPTY: dict[str, tuple[Any, tuple[str, ...]]] = {
    "total_revenue": _money_sum([], 0), "average_deal_size": _money_mean([], 0),
    "sales_cycle_length": _mean_days([], 0), "win_rate": _share([], 0),
    "pipeline_win_rate": _share([], 0), "quota_attainment": (None, ("no_quota",)),
    "activity_count": _count([], 0), "nps": _net_promoter([], 0)}


def kpi_rows(data: Dataset, kpi: str, start: date, end: date, by: str | None = None,
             filters: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """The rows the report contract promises for ``kpi`` over ``[start, end)``, grouped ``by`` one
    dimension (or not) and narrowed by ``filters`` (dimension -> accepted values)."""
    rows = _kpi_rows(data, kpi, start, end, by, filters)
    keys = grouping_keys(kpi, by)
    if keys in (("month",), ("day",)):
        present = {r[keys[0]] for r in rows}
        value, flags = _EMPTY[kpi]
        # A bucket starting after today without a record is not listed: nothing can be in it yet.
        rows += [_row(kpi, keys, (label,), value, 0, flags)
                 for _, _, label in _time_buckets(keys[0], start, end)
                 if label not in present
                 and date.fromisoformat(label if keys[0] == "day" else f"{label}-01") <= date.today()]
    # A count never imported (no activity at all) is no 0: it has no rows.
    counted = kpi != "activity_count" or bool(data.activities)
    if keys and set(keys) <= {"rep", "team"} and counted and kpi in ("total_revenue", "revenue_per_rep",
                                                                      "activity_count"):
        present = {tuple(r[k] for k in keys) for r in rows}
        value, flags = _EMPTY["total_revenue" if kpi == "revenue_per_rep" else kpi]
        for rep in _reps_at_work(data, start, end, filters or {}):
            key = tuple({"rep": rep.rep_id, "team": rep.team}[k] for k in keys)
            if key not in present:
                present.add(key)
                rows.append(_row(kpi, keys, key, value, 0, flags))
    return rows


def _reps_at_work(data: Dataset, start: date, end: date,
                  filters: Mapping[str, Sequence[str]]) -> list[Rep]:
    """The reps with an activity in ``[start, end)``, a deal created or closed in it, or a quota
    overlapping it, narrowed by the rep and team filters alone."""
    ids = {a.rep_id for a in data.activities if _within(a.occurred_at, start, end)}
    ids |= {d.rep_id for d in data.deals if _within(d.created_at, start, end)
            or (d.closed_at is not None and _within(d.closed_at, start, end))}
    ids |= {q.rep_id for q in data.quotas if q.period_start < end and q.period_end >= start}
    who = {k: v for k, v in filters.items() if k in ("rep", "team")}
    return [r for r in data.reps if r.rep_id in ids and _passes({"rep": r.rep_id, "team": r.team}, who)]


def _kpi_rows(data: Dataset, kpi: str, start: date, end: date, by: str | None,
              filters: Mapping[str, Sequence[str]] | None) -> list[dict[str, Any]]:
    where = {k: list(v) for k, v in (filters or {}).items() if v}
    if by is not None and by not in REFERENCE_GROUPINGS:
        raise NotImplementedError(f"the reference cannot group by {by}")
    if any(k not in REFERENCE_FILTERS for k in where):
        raise NotImplementedError(f"the reference cannot filter by {sorted(where)}")
    if not supported(kpi, by, where):
        raise ValueError(f"{kpi} cannot be grouped or filtered by {by} / {sorted(where)}")
    if "activity_type" in where:
        where["activity_type"] = [v.lower() for v in where["activity_type"]]
    keys = grouping_keys(kpi, by)

    if kpi in ("total_revenue", "revenue_per_rep", "revenue_per_product"):
        return _revenue(data, kpi, start, end, keys, where)
    if kpi == "average_deal_size":
        won = _won(data, start, end, where)
        return _grouped(kpi, keys, ((dims, d.amount, d.deal_id) for d, dims in won), _money_mean)
    if kpi == "sales_cycle_length":
        won = _won(data, start, end, where)
        events: list[Event] = []
        for d, dims in won:
            assert d.closed_at is not None
            events.append((dims, (d.closed_at.date() - d.created_at.date()).days, d.deal_id))
        return _grouped(kpi, keys, events, _mean_days)
    if kpi == "win_rate":
        closed = [(d, dims) for d, dims in _deals(data, where)
                  if d.status in ("won", "lost") and _within(d.closed_at, start, end)]
        return _grouped(kpi, keys, ((dims, d.status == "won", d.deal_id) for d, dims in closed),
                        _share)
    if kpi == "pipeline_win_rate":
        open_during = [(d, dims) for d, dims in _deals(data, where)
                       if d.created_at < _at(end)
                       and (d.closed_at is None or d.closed_at >= _at(start))]
        hits = ((dims, d.status == "won" and _within(d.closed_at, start, end), d.deal_id)
                for d, dims in open_during)
        return _grouped(kpi, keys, hits, _share)
    if kpi == "quota_attainment":
        return _quota_attainment(data, start, end, keys, where)
    if kpi == "activity_count":
        return _grouped(kpi, keys, _activities(data, start, end, where), _count)
    if kpi == "nps":
        return _grouped(kpi, keys, _answers(data, start, end, where), _net_promoter)
    raise NotImplementedError(f"the reference has no KPI {kpi}")


# -- ramp_time -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RampRule:
    """The settings ramp_rule, ramp_threshold and ramp_sustain (K of N consecutive months)."""

    rule: str = "quota"
    threshold: Fraction = Fraction(1)
    k: int = 2
    n: int = 3


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _month_end(month_start: date) -> date:
    return _month_after(month_start) - timedelta(days=1)


def _monthly_quota(data: Dataset, rep: str, month: date) -> Fraction | None:
    """The rep's quotas' shares of the month, pro-rated by days (None: no quota touches it)."""
    total: Fraction | None = None
    for q in data.quotas:
        if q.rep_id != rep:
            continue
        q_end = q.period_end + timedelta(days=1)
        days = (min(q_end, _month_after(month)) - max(q.period_start, month)).days
        if days > 0:
            total = (total or Fraction(0)) + Fraction(q.amount) * days / (q_end - q.period_start).days
    return total


def ramp_months(data: Dataset, end: date, rule: RampRule,
                running: date | None = None) -> dict[str, tuple[date | None, date | None]]:
    """Per measured rep hired before ``end``: (ramp month, month the ramp was confirmed in), or
    (None, None) while still ramping, from the records known at ``end``.

    ``running``: a day within the month that starts at ``end``, not its last: that month is
    observed too, as at target where the revenue won in it by the end of that day reaches its
    target already (a miss so far is no miss yet: not at target, as a month not observed). Its
    revenue is not in the bar, and its quotas do not decide the quota rule. Nor is the revenue of
    a month ``end`` falls inside (a period ending mid-month): the bar is over complete months.

    - Measured: reps with a hire date on or after the first deal's creation day.
    - A rep's months run from the hire month to the last month that starts before ``end``; the
      revenue of a month is the amount of their deals won in it (and before ``end``).
    - The target of a month: under the quota rule, for a rep with a quota in any of their months,
      the month's quota (its shares pro-rated by days); otherwise (and under the revenue rule) the
      median monthly revenue over every rep's months at least a year after their hire date that have
      won revenue. A month is at target when there is a positive target, revenue is positive and
      revenue >= target x threshold.
    - Ramped: the first month at target such that the N consecutive months starting with it (only
      months observed so far) hold at least K at target; confirmed in the month of the K-th of them.
    """
    firsts = [d.created_at.date() for d in data.deals]
    if not firsts:
        return {}
    first = min(firsts)
    stop = _at(end)
    revenue: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for d in data.deals:
        if d.status == "won" and d.closed_at is not None and d.closed_at < stop:
            revenue[(d.rep_id, date(d.closed_at.year, d.closed_at.month, 1))] += d.amount
    hires = {r.rep_id: r.hired_on for r in data.reps if r.hired_on is not None}
    # Complete months only: a month ``end`` cuts short is no veteran's month for the bar.
    veteran = sorted(Fraction(v) for (rep, month), v in revenue.items()
                     if rep in hires and month >= _year_after(hires[rep]) and _month_after(month) <= end)
    bar: Fraction | None = None
    if veteran:
        middle = len(veteran) // 2
        bar = veteran[middle] if len(veteran) % 2 else (veteran[middle - 1] + veteran[middle]) / 2
    out: dict[str, tuple[date | None, date | None]] = {}
    for rep, hired in hires.items():
        if hired < first or hired >= end:
            continue
        months = _month_starts(hired, end)
        quotas = [_monthly_quota(data, rep, m) for m in months]
        use_quota = rule.rule == "quota" and any(q is not None for q in quotas)
        hits = []
        for month, quota in zip(months, quotas, strict=True):
            target = quota if use_quota else bar
            got = Fraction(revenue.get((rep, month), Decimal(0)))
            hits.append(target is not None and target > 0 and got > 0 and got >= target * rule.threshold)
        if running is not None:
            stop_so_far = _at(running + timedelta(days=1))
            so_far = sum((d.amount for d in data.deals if d.rep_id == rep and d.status == "won"
                          and d.closed_at is not None and _at(end) <= d.closed_at < stop_so_far),
                         Decimal(0))
            target = _monthly_quota(data, rep, end) if use_quota else bar
            months = [*months, end]
            hits.append(target is not None and target > 0 and so_far > 0
                        and Fraction(so_far) >= target * rule.threshold)
        found: tuple[date | None, date | None] = (None, None)
        for i, hit in enumerate(hits):
            at = [j for j in range(i, min(i + rule.n, len(hits))) if hits[j]]
            if hit and len(at) >= rule.k:
                found = (months[i], months[at[rule.k - 1]])
                break
        out[rep] = found
    return out


def ramp_rows(data: Dataset, start: date, end: date, by: str | None = None,
              filters: Mapping[str, Sequence[str]] | None = None,
              rule: RampRule = RampRule()) -> list[dict[str, Any]]:
    """``ramp_time`` over ``[start, end)``, grouped by rep or team (or not), filtered by rep or team.

    A rep counts in the period their ramp was confirmed in, with the days from their hire date to the
    last day of their ramp month; a rep not ramped by ``end`` counts as still ramping, with the days
    from their hire date to the period's last day (the day before ``end``). Value: the mean days of
    the reps ramped (4 places), flag ``K_still_ramping`` beside it; with none ramped no value, flag
    ``still_ramping`` and ``days_so_far`` the most days so far; with neither, ``no_data`` (ungrouped
    only)."""
    where = {k: list(v) for k, v in (filters or {}).items() if v}
    assert by in (None, "rep", "team") and set(where) <= {"rep", "team"}
    keys = (by,) if by else ()
    groups: dict[Key, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for rep_id, (month, confirmed) in ramp_months(data, end, rule).items():
        dims: Dims = {"rep": rep_id, "team": data.team_of(rep_id)}
        if not _passes(dims, where):
            continue
        hired = next(r.hired_on for r in data.reps if r.rep_id == rep_id)
        assert hired is not None
        ramped, ramping = groups[_key(dims, keys)]
        if month is None:
            ramping.append((end - timedelta(days=1) - hired).days)
        elif confirmed is not None and _month_end(confirmed) >= start:
            ramped.append((_month_end(month) - hired).days)
    if not keys and not groups:
        groups[()] = ([], [])
    rows = []
    for key, (ramped, ramping) in groups.items():
        if keys and not ramped and not ramping:  # only reps ramped before the period
            continue
        so_far = max(ramping) if ramping else None
        if ramped:
            flags = (f"{len(ramping)}_still_ramping",) if ramping else ()
            row = _row("ramp_time", keys, key, _round_fraction(Fraction(sum(ramped), len(ramped)), 4),
                       len(ramped), flags)
        elif ramping:
            row = _row("ramp_time", keys, key, None, 0, ("still_ramping",))
        else:
            row = _row("ramp_time", keys, key, None, 0, ("no_data",))
        row["days_so_far"] = so_far
        rows.append(row)
    return rows
