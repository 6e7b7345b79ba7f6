"""The sales cycle two ways: the seed's simple average over won deals beside the Kaplan-Meier median
that also counts the deals still open (kpis/survival.py), and a sentence on why they differ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..coverage import PeriodHint, period_hint
from ..kpis import compiled
from ..kpis.query import Query
from ..kpis.scope import filters_json, query_maker, resolve_filters, whole_deal_filters
from ..kpis.survival import cycle_spells
from ..periods import Measured, Period
from ..report import build_report
from ..text.insights import cycle_text

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store


@dataclass(frozen=True)
class CycleComparison(Measured):
    period: Period
    average: Any
    average_ci: tuple[Any, Any]
    won: int
    median: Any
    median_ci: tuple[Any, Any]
    still_open: int
    oldest_open_days: int | None
    longer_than_average: int  # open deals already older than the average cycle
    flags: tuple[str, ...]
    median_lower_bound: Any = None  # the median not reached: it is beyond this many days
    as_of: date | None = None  # figures as they stood at the end of this day
    hint: PeriodHint | None = None  # the period holds no records: where they are (coverage.py)
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # as resolved (ids)

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period.as_json(), **self.as_of_json(),
                "filters": filters_json(self.filters), "average_days": self.average,
                "average_ci_low": self.average_ci[0], "average_ci_high": self.average_ci[1],
                "won_deals": self.won, "median_km_days": self.median,
                "median_ci_low": self.median_ci[0], "median_ci_high": self.median_ci[1],
                "median_km_lower_bound": self.median_lower_bound,
                "still_open": self.still_open, "oldest_open_days": self.oldest_open_days,
                "open_longer_than_average": self.longer_than_average, "flags": list(self.flags),
                "explanation_en": self.text("en"), "explanation_de": self.text("de"),
                **({"hint": self.hint.as_json()} if self.hint else {})}

    def text(self, lang: str = "en") -> str:
        """The two figures, and why they differ, in a few sentences."""
        return cycle_text(self, lang)


def compare_cycle(store: Store, period: str | Period, *, as_of: date | None = None,
                  filters: Mapping[str, Sequence[str]] | None = None,
                  viewer: Viewer | None = None) -> CycleComparison:
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    whole_deal_filters(where, "cycle")  # a product's cycle would be its deals', said as no such thing
    report = build_report(store, span, kpis=["sales_cycle_length", "sales_cycle_median_km"],
                          filters=where, as_of=as_of, viewer=viewer)
    rows = {r["kpi"]: r for r in report.rows}
    avg, km = rows["sales_cycle_length"], rows["sales_cycle_median_km"]
    q = query_maker(store, span, where, as_of=as_of, viewer=viewer)(())
    # The open deals' ages counted per day in SQL, kept compiled like a KPI (kpis/compiled.py): read
    # one per deal through Ibis, they were 160,000 values and Ibis imported at 1M deals.
    ages = {int(r["days"]): int(r["deals"]) for r in compiled.run("cycle open ages", _open_ages, q)}
    mean = float(avg["value"]) if avg["value"] is not None else None
    return CycleComparison(
        span, avg["value"], (avg["ci_low"], avg["ci_high"]), avg["n"], km["value"],
        (km["ci_low"], km["ci_high"]), sum(ages.values()), max(ages) if ages else None,
        sum(k for days, k in ages.items() if mean is not None and days > mean), tuple(km["flags"]),
        km.get("lower_bound"), as_of,
        # No deal won in it: perhaps no record at all, then say where the records are.
        period_hint(store, span, viewer, as_of) if not avg["n"] else None, where,
    )


def _open_ages(q: Query) -> Any:
    """How many deals still open at the period's end are each number of days old."""
    spells = cycle_spells(q)
    still = spells.filter(~spells.won)
    return still.group_by("days").aggregate(deals=still.count())
