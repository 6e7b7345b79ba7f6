"""The headline view: every KPI for a period beside the period before, with the best reps and
products. What `salesmetrics demo` and `salesmetrics summary` print, and the dashboard's tiles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from . import trust
from .access import Viewer
from .coverage import ClosedAhead, PeriodHint, comparable, still_to_come
from .errors import CurrencyError
from .kpis import REGISTRY
from .kpis.scope import filters_json, resolve_filters, why_not
from .periods import Period
from .report import YEAR_AGO_NO_RATE, Report, Skipped, build_report, days_of
from .store import Store
from .targets import company_targets


@dataclass(frozen=True)
class Headline:
    kpi: str
    value: Any
    previous: Any
    n: int
    flags: tuple[str, ...]
    year_ago: Any = None  # the same period a year before, where asked for
    target: Any = None  # the goal set for the period; targets arrive in a later version
    # trust.py and targets.py: the 95 % interval, the test of the change from the period before
    # (significant: False means within noise), and the target's status and pace.
    ci_low: Any = None
    ci_high: Any = None
    p_value: float | None = None
    significant: bool | None = None
    target_status: str | None = None
    pace: float | None = None
    lower_bound: Any = None  # sales_cycle_median_km not reached: "over N days" (report.ROW_FIELDS)
    days_so_far: int | None = None  # ramp_time: the longest time so far of the reps still ramping

    @property
    def change(self) -> float | None:
        """Relative change for money, counts and days; the difference in points for rates and NPS."""
        return self.change_from(self.previous)

    @property
    def year_change(self) -> float | None:
        return self.change_from(self.year_ago)

    def change_from(self, before: Any) -> float | None:
        return trust.change(REGISTRY[self.kpi].unit, self.value, before)

    @property
    def moved(self) -> int | None:
        """Which way the figure moved from the period before (trust.moved): 1, -1, 0 or None."""
        return trust.moved(self.value, self.previous, self.change, self.significant)

    @property
    def better(self) -> bool | None:
        """Whether the figure moved the KPI's good way from the period before (None where it did not
        move or there is nothing to judge the move by)."""
        return self.judge(self.moved)

    @property
    def year_better(self) -> bool | None:
        return self.judge(trust.moved(self.value, self.year_ago, self.year_change, None))

    def judge(self, moved: int | None) -> bool | None:
        if not moved:
            return None
        return (moved > 0) == REGISTRY[self.kpi].higher_is_better

    def as_json(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi, "unit": REGISTRY[self.kpi].unit, "value": self.value,
            "previous": self.previous, "change": self.change, "better": self.better,
            "year_ago": self.year_ago, "year_change": self.year_change, "year_better": self.year_better,
            "target": self.target, "status": self.status, "n": self.n, "flags": list(self.flags),
            "ci_low": self.ci_low, "ci_high": self.ci_high, "p_value": self.p_value,
            "significant": self.significant, "target_status": self.target_status, "pace": self.pace,
            "lower_bound": self.lower_bound,
            "days_so_far": self.days_so_far,
        }

    @property
    def status(self) -> str | None:
        """``on_target`` where :attr:`target_status` is on track, else ``off_target`` (at risk or off
        track); None while it has none. Read from the judgement, not the value against the whole
        target: a sum part-way through a period was "off_target" beside "on_track", and NPS 40
        against a target of -40 "on_target" beside "off_track"."""
        if self.target_status is None:
            return None
        return "on_target" if self.target_status == "on_track" else "off_target"


def items_apart(revenue: Any, items: Sequence[Any]) -> tuple[Decimal, Decimal] | None:
    """(the products' revenue, the total revenue) where they differ. Revenue per product counts
    line items (quantity x price), and a won deal without items, or whose items differ from its
    amount, sets them apart: side by side without a word, 1,100.00 by product read as the whole of
    1,500.00 won."""
    if revenue is None or not items:
        return None
    summed = sum((Decimal(str(v)) for v in items), Decimal("0"))
    total = Decimal(str(revenue))
    return None if summed == total else (summed, total)


def with_products_apart(store: Store, report: Report, *, filters: Mapping[str, Sequence[str]] | None = None,
                        as_of: date | None = None, viewer: Viewer | None = None) -> Report:
    """``report`` with its ``products_apart`` where its revenue by product (and nothing else) does
    not add up to the revenue won: eight won deals without line items were left out of the product
    rows without a word, and someone adding them up was short."""
    if report.by not in ((), ("product",)) or (filters or {}).get("product"):
        return report
    kpi = next((k for k in ("total_revenue", "revenue_per_product")
                if any(r["kpi"] == k and r.get("product") is not None for r in report.rows)), None)
    if kpi is None:
        return report
    items = [r["value"] for r in report.rows if r["kpi"] == kpi and "product" in r and r["value"] is not None]
    whole = next((r["value"] for r in report.rows
                  if r["kpi"] == "total_revenue" and "product" not in r), None)
    if whole is None:
        try:
            found = build_report(store, report.period, kpis=["total_revenue"], filters=filters, as_of=as_of,
                                 viewer=viewer)
        except CurrencyError:  # the revenue is refused: so is the comparison
            return report
        whole = found.rows[0]["value"] if found.rows else None
    apart = items_apart(whole, items)
    return report if apart is None else replace(report, products_apart=apart)


def apart_json(apart: tuple[Decimal, Decimal] | None) -> dict[str, Any]:
    """``products_apart`` in a summary's or dashboard's JSON, where line items do not add up."""
    return {} if apart is None else {"products_apart": {"line_items": apart[0], "revenue": apart[1]}}


@dataclass(frozen=True)
class Summary:
    period: Period
    previous_period: Period
    currency: str | None
    headlines: list[Headline]
    top_reps: list[dict[str, Any]]
    products: list[dict[str, Any]]
    rep_names: dict[str, str]
    product_names: dict[str, str]
    as_of: date | None = None  # figures as they stood at the end of this day

    @property
    def measured(self) -> Period:
        """The stretch the figures cover: the period, cut at the end of ``as_of`` if it runs past."""
        return self.period.until(self.as_of)
    hint: PeriodHint | None = None  # the period holds no records: where they are
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # as resolved: stored ids
    # The KPIs left out because no exchange rate converts their money (report.Skipped, "no_rate").
    skipped: list[Skipped] = field(default_factory=list)
    # The headlines compared with nothing, for the period before's money without a rate.
    uncompared: list[Skipped] = field(default_factory=list)
    # The same stretch a year before, as each headline's year_ago was measured (a running period's
    # days so far, cut as the period before is).
    year_ago_period: Period | None = None
    over: bool = False  # the period was over: its targets were reached or missed (Report.over)
    closed_ahead: ClosedAhead | None = None  # deals closed on a day still to come (Report's)

    @property
    def products_apart(self) -> tuple[Decimal, Decimal] | None:
        """(the products' revenue, the total revenue) where they differ (:func:`items_apart`)."""
        if any(r.get("currency") not in (None, self.currency) for r in self.products):
            return None  # never money of two currencies set against each other
        return items_apart(next((h.value for h in self.headlines if h.kpi == "total_revenue"), None),
                           [r["value"] for r in self.products])

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(),
            **({"as_of": self.as_of, "measured_period": self.measured.as_json()}
               if self.as_of is not None else {}),
            "filters": filters_json(self.filters),
            "previous_period": self.previous_period.as_json(),
            **({"year_ago_period": self.year_ago_period.as_json()} if self.year_ago_period else {}),
            "currency": self.currency,
            "headlines": [h.as_json() for h in self.headlines],
            "top_reps": [{**r, "name": self.rep_names.get(r["rep"])} for r in self.top_reps],
            "products": [{**r, "name": self.product_names.get(r["product"])} for r in self.products],
            **apart_json(self.products_apart),
            **({"hint": self.hint.as_json()} if self.hint else {}),
            **({"closed_ahead": self.closed_ahead.as_json()} if self.closed_ahead else {}),
            "skipped": [s.as_json() for s in self.skipped],
            "uncompared": [s.as_json() for s in self.uncompared],
        }


def _headline_rows(report: Report) -> dict[str, dict[str, Any]]:
    return {r["kpi"]: r for r in report.rows if not REGISTRY[r["kpi"]].always_by}


HEADLINE_KPIS = tuple(k.id for k in REGISTRY.values() if not k.always_by)


def headlines(
    store: Store,
    span: Period,
    *,
    kpis: Sequence[str] = HEADLINE_KPIS,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
    year_ago: bool = False,
) -> tuple[Report, list[Headline], Period]:
    """The period's KPIs (its report, and each beside the period before and, if asked, the same
    period a year before), and that year-before period as it was cut (coverage.comparable: read
    once, the day may turn meanwhile). A year before whose money no rate converts is among the
    report's ``uncompared`` (cause "year_ago_no_rate"). Targets come from
    :func:`~salesmetrics.targets.company_targets`."""
    # A figure whose money no rate converts is left out (report.Skipped), not the whole set.
    kw: dict[str, Any] = {"kpis": list(kpis), "filters": filters, "as_of": as_of, "viewer": viewer,
                          "skip_unrated": True}
    # A running period (cut by as_of) beside the same stretch a year before, as it is beside the
    # same stretch of the period before (report.build_report).
    year_span = comparable(store, span.year_before(), span, as_of)
    # compare=True computes the period before too (each row's "previous"), and tests the change.
    # The year before is asked side by side with it (Store.side_by_side): its queries (ramp time
    # the longest) no longer wait for the period's to finish.
    # A period still to come is compared with nothing (coverage.still_to_come): nor with a year before.
    year_ago = year_ago and not still_to_come(store, span, as_of, viewer)
    now, *before = store.side_by_side(lambda: build_report(store, span, compare=True, **kw),
                                      *([lambda: build_report(store, year_span, **kw)] if year_ago else []))
    then = {kpi: {"value": row.get("previous")} for kpi, row in _headline_rows(now).items()}
    year = _headline_rows(before[0]) if before else {}
    # What was never imported (KPI.needs) was not there a year before either: compared with nothing.
    year = {kpi: row for kpi, row in year.items() if not REGISTRY[kpi].missing_input(row["flags"])}
    # A year before whose money no rate converts: no comparison, said (not a blank in silence),
    # with the money and the day among the period's uncompared figures.
    year_refused = {s.kpi for s in before[0].skipped if s.cause == "no_rate"} if before else set()
    now.uncompared += [Skipped(s.kpi, s.reason, YEAR_AGO_NO_RATE, s.error, days_of(year_span))
                       for s in before[0].skipped if s.kpi in year_refused] if before else []
    targets = company_targets(store, span, filters, viewer)
    out = [
        Headline(kpi, row["value"], then.get(kpi, {}).get("value"), row["n"],
                 (*row["flags"], *([YEAR_AGO_NO_RATE] if kpi in year_refused else [])),
                 year.get(kpi, {}).get("value"), targets.get(kpi), row.get("ci_low"), row.get("ci_high"),
                 row.get("p_value"), row.get("significant"), row.get("target_status"), row.get("pace"),
                 row.get("lower_bound"),
                 row.get("days_so_far"))
        for kpi, row in _headline_rows(now).items()
    ]
    return now, out, year_span


def build_summary(store: Store, period: str | Period, *, filters: Mapping[str, Sequence[str]] | None = None,
                  as_of: date | None = None, top: int = 5, viewer: Viewer | None = None) -> Summary:
    """``filters`` narrow every figure as in a report (a KPI that cannot be narrowed so is left out)."""
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    kpis = [k for k in HEADLINE_KPIS if not why_not(REGISTRY[k], (), where)]
    # Said, as the dashboard says them: a summary filtered by source without its quota, activity,
    # NPS and ramp lines left them out in silence.
    not_applicable = [Skipped(k, why_not(REGISTRY[k], (), where) or "") for k in HEADLINE_KPIS
                      if k not in kpis]
    now, heads, year_span = headlines(store, span, kpis=kpis, filters=where, as_of=as_of, viewer=viewer,
                                      year_ago=True)
    kw: dict[str, Any] = {"filters": where, "as_of": as_of, "viewer": viewer, "skip_unrated": True}
    by_rep = build_report(store, span, kpis=["revenue_per_rep"], **kw)
    # The top reps are those who won something: a rep who worked and won nothing has a row of 0.
    reps = sorted((r for r in by_rep.rows if r["n"]), key=lambda r: r["value"], reverse=True)[:top]
    by_product = build_report(store, span, kpis=["revenue_per_product"], **kw)
    products = sorted(by_product.rows, key=lambda r: r["value"], reverse=True)
    return Summary(span, now.previous or span.previous(), now.currency, heads, reps, products,
                   store.names("reps", viewer), store.names("products"), as_of, now.hint, now.filters,
                   [*not_applicable, *now.skipped, *by_rep.skipped, *by_product.skipped], now.uncompared,
                   year_span, now.over, now.closed_ahead)
