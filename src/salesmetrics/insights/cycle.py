"""The sales cycle two ways: the seed's simple average over won deals beside the Kaplan-Meier median
that also counts the deals still open (kpis/survival.py), and a sentence on why they differ."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..kpis.scope import query_maker
from ..kpis.survival import cycle_spells
from ..periods import Period
from ..report import build_report

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store


@dataclass(frozen=True)
class CycleComparison:
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

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period.as_json(), "average_days": self.average,
                "average_ci_low": self.average_ci[0], "average_ci_high": self.average_ci[1],
                "won_deals": self.won, "median_km_days": self.median,
                "median_ci_low": self.median_ci[0], "median_ci_high": self.median_ci[1],
                "median_km_lower_bound": self.median_lower_bound,
                "still_open": self.still_open, "oldest_open_days": self.oldest_open_days,
                "open_longer_than_average": self.longer_than_average, "flags": list(self.flags),
                "explanation_en": self.text("en"), "explanation_de": self.text("de")}

    def text(self, lang: str = "en") -> str:
        de = lang.lower().startswith("de")

        def days(v: Any) -> str:
            return "–" if v is None else f"{float(v):.0f}"

        def ci(low: Any, high: Any) -> str:  # no interval: nothing, rather than dashes
            top = "…" if high is None else days(high)  # a median's interval may be open-ended
            return "" if low is None and high is None else f" (95 %: {days(low)}–{top})"

        median = days(self.median) if self.median is not None else (
            "nicht erreicht" if de else "not reached")
        if self.median is None and self.median_lower_bound is not None:
            median = f"{'über' if de else 'over'} {days(self.median_lower_bound)}"
        if de:
            head = (f"Durchschnitt {days(self.average)} Tage über {self.won} gewonnene Deals"
                    f"{ci(*self.average_ci)}; Kaplan-Meier-Median "
                    f"{median} Tage{ci(*self.median_ci)} mit "
                    f"{self.still_open} noch offenen Deals. ")
            why = ("Der Durchschnitt sieht nur gewonnene Deals; "
                   f"{self.longer_than_average} offene Deals sind schon älter als er"
                   + (f" (der älteste {self.oldest_open_days} Tage)" if self.oldest_open_days else "")
                   + ". Kaplan-Meier zählt sie als „bis jetzt nicht gewonnen“ und fällt darum länger "
                   "aus; steht der Median auf „nicht erreicht“, ist noch nicht die Hälfte der Deals "
                   "gewonnen – oft ein Zeichen für liegengebliebene Deals, die geschlossen gehören.")
            return head + why
        head = (f"Average {days(self.average)} days over {self.won} won deals"
                f"{ci(*self.average_ci)}; Kaplan-Meier median {median} days"
                f"{ci(*self.median_ci)} with {self.still_open} deals "
                "still open. ")
        why = ("The average sees only won deals; "
               f"{self.longer_than_average} open deals are already older than it"
               + (f" (the oldest {self.oldest_open_days} days)" if self.oldest_open_days else "")
               + ". Kaplan-Meier counts them as 'not won yet' and so comes out longer; a median 'not "
               "reached' means fewer than half of the deals have been won yet, often a sign of stale "
               "deals that should be closed.")
        return head + why


def compare_cycle(workspace: Store, period: str | Period, *, as_of: date | None = None,
                  viewer: Viewer | None = None) -> CycleComparison:
    span = workspace.period(period, as_of)
    report = build_report(workspace, span, kpis=["sales_cycle_length", "sales_cycle_median_km"],
                          as_of=as_of, viewer=viewer)
    rows = {r["kpi"]: r for r in report.rows}
    avg, km = rows["sales_cycle_length"], rows["sales_cycle_median_km"]
    q = query_maker(workspace, span, {}, as_of=as_of, viewer=viewer)(())
    spells = cycle_spells(q)
    still = spells.filter(~spells.won).days.to_pyarrow().to_pylist()
    mean = float(avg["value"]) if avg["value"] is not None else None
    return CycleComparison(
        span, avg["value"], (avg["ci_low"], avg["ci_high"]), avg["n"], km["value"],
        (km["ci_low"], km["ci_high"]), len(still), max(still) if still else None,
        sum(1 for d in still if mean is not None and d > mean), tuple(km["flags"]),
        km.get("lower_bound"),
    )
