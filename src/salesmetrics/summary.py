"""The headline view: every KPI for a period beside the period before, with the best reps and
products. What `salesmetrics demo` and `salesmetrics summary` print, and later the dashboard's tiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .kpis import REGISTRY
from .periods import Period, parse_period

if TYPE_CHECKING:
    from .report import Report
    from .workspace import Workspace


@dataclass(frozen=True)
class Headline:
    kpi: str
    value: Any
    previous: Any
    n: int
    flags: tuple[str, ...]

    @property
    def change(self) -> float | None:
        """Relative change for money, counts and days; the difference in points for rates and NPS."""
        if self.value is None or self.previous is None:
            return None
        unit = REGISTRY[self.kpi].unit
        if unit in ("ratio", "score"):
            return float(self.value) - float(self.previous)
        if not self.previous:
            return None
        return float(Decimal(str(self.value)) / Decimal(str(self.previous)) - 1)

    @property
    def better(self) -> bool | None:
        """Whether the change goes the KPI's good way (None when there is no change to judge)."""
        change = self.change
        if change is None or change == 0:
            return None
        return (change > 0) == REGISTRY[self.kpi].higher_is_better


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


def _headline_rows(report: Report) -> dict[str, dict[str, Any]]:
    return {r["kpi"]: r for r in report.rows if not REGISTRY[r["kpi"]].always_by}


def build_summary(workspace: Workspace, period: str | Period, *, as_of: date | None = None,
                  top: int = 5) -> Summary:
    settings = workspace.settings
    span = period if isinstance(period, Period) else parse_period(
        period, as_of=as_of, fiscal_year_start=settings.fiscal_year_start)
    before = span.previous()
    headline_ids = [k.id for k in REGISTRY.values() if not k.always_by]
    now = workspace.report(span, kpis=headline_ids, as_of=as_of)
    then = _headline_rows(workspace.report(before, kpis=headline_ids, as_of=as_of))
    headlines = [
        Headline(kpi, row["value"], then.get(kpi, {}).get("value"), row["n"], tuple(row["flags"]))
        for kpi, row in _headline_rows(now).items()
    ]
    reps = workspace.report(span, kpis=["revenue_per_rep"], as_of=as_of).rows
    reps = sorted(reps, key=lambda r: r["value"], reverse=True)[:top]
    products = workspace.report(span, kpis=["revenue_per_product"], as_of=as_of).rows
    products = sorted(products, key=lambda r: r["value"], reverse=True)
    return Summary(span, before, now.currency, headlines, reps, products,
                   workspace.names("reps"), workspace.names("products"))
