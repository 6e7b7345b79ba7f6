"""What a KPI is: a typed, declarative definition that every face reads."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .dimensions import CATEGORY_DIMENSIONS, DIMENSIONS, TIME_DIMENSIONS
from .samples import offers_test

if TYPE_CHECKING:
    from .query import Query

__all__ = ["CATEGORY_DIMENSIONS", "DIMENSIONS", "KPI", "TIME_DIMENSIONS", "Outcome", "Text", "Unit"]

Unit = Literal["money", "ratio", "days", "count", "score"]
# How a KPI's figure is made from its records, which decides how it behaves over time: a sum or a
# count grows with the period (half the quarter gone, about half the quarter's revenue), so its
# target is pro-rated by days and its pace measured against the share of the period gone; a mean,
# median, share, ratio of sums or score does not grow, and is compared with its target as set.
Aggregation = Literal["sum", "count", "mean", "median", "share", "ratio", "score"]
ACCUMULATING: frozenset[str] = frozenset({"sum", "count"})
# The units each aggregation can have: checked when the registry loads, so a KPI cannot declare
# itself a sum of percentages or a share of money.
AGGREGATION_UNITS: dict[str, frozenset[str]] = {
    "sum": frozenset({"money"}),
    "count": frozenset({"count"}),
    "mean": frozenset({"money", "days", "count"}),
    "median": frozenset({"money", "days"}),
    "share": frozenset({"ratio"}),
    "ratio": frozenset({"ratio"}),
    "score": frozenset({"score"}),
}


UNIT_SYMBOLS: dict[str, str] = {"ratio": "%", "days": "days", "count": "", "score": "", "money": ""}


@dataclass(frozen=True)
class Text:
    en: str
    de: str

    def get(self, lang: str) -> str:
        return self.de if lang.lower().startswith("de") else self.en


@dataclass(frozen=True)
class Outcome:
    """A KPI's figure for one group: the value, the sample size behind it, and flags a reader must see."""

    value: Any
    n: int
    flags: tuple[str, ...] = ()
    # Fields of the report row beside the value (report.ROW_FIELDS), e.g. ramp_time's days_so_far.
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KPI:
    """One KPI, defined once.

    ``compute`` receives a :class:`~salesmetrics.kpis.query.Query` (period, grouping, filters, records)
    and returns an Ibis table with one column per grouping dimension, ``value`` and ``n`` (the sample the
    value rests on), and optionally ``flags`` (a comma-separated string).
    """

    id: str
    title: Text
    description: Text  # what it is, why it matters, how it is computed
    unit: Unit
    higher_is_better: bool
    formula: str  # the formula in words and symbols, for docs and `salesmetrics kpis`
    dimensions: frozenset[str]  # what it can be grouped and filtered by
    aggregation: Aggregation  # sum, count, mean, ...: whether it grows with the period (see above)
    compute: Callable[[Query], Any]
    finalize: Callable[[dict[str, Any]], Outcome] | None = None  # turns a result row into an Outcome
    # What the figure is statistically (a proportion, a mean, ...; kpis/samples.py), read from the same
    # row: the source of its interval and of the test of a change. None: neither (sums of money).
    sample: Callable[[dict[str, Any]], Any] | None = None
    always_by: tuple[str, ...] = ()  # dimensions the KPI is defined per (revenue_per_rep: rep)
    notes: Text | None = None
    # Why a group has no figure (the value is null), in a few words: what a headline says instead
    # of a dash. None: the KPI always has a figure (sums and counts are 0).
    empty: Text | None = None
    # A column the figure cannot be had without, and the flag that says so: (table, column, flag).
    # A group without a figure in a workspace where no record has that column gets ``flag`` instead of
    # ``no_data``, so the reason given is the true one (ramp_time without a single hire date says "no
    # hire dates", not "no new rep ramped").
    needs: tuple[str, str, str] | None = None
    # n counts records dated in the period (deals won or closed, activities, answers). False: it also
    # counts what stands across the period (deals still open, reps), so a period without a single
    # record can still show n > 0 (report.py asks where the records are only for a report of none).
    dated: bool = True
    section: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # The figure sets amounts against something (quota attainment: revenue against quotas), so it
    # reads money without being money; see :attr:`adds_money`.
    reads_money: bool = False
    # The records the figure counts: a report says deals dated after today beside figures that
    # count deals only (coverage.closed_ahead), not beside activities or answers.
    reads: tuple[str, ...] = ("deals",)

    def supports(self, dimension: str) -> bool:
        return dimension in self.dimensions

    def missing_input(self, flags: Collection[str]) -> str | None:
        """The flag of :attr:`needs` when ``flags`` hold it (the records the figure rests on were
        never imported: no zero to compare or judge), else None."""
        return self.needs[2] if self.needs is not None and self.needs[2] in flags else None

    def shape(self, by: tuple[str, ...]) -> tuple[Any, ...]:
        """What the KPI asks when grouped by ``by``: two KPIs of one shape are one figure under two
        names there (total revenue and revenue per rep, by rep)."""
        return (self.compute, self.finalize, self.sample, self.unit, self.needs, self.dated,
                self.dimensions, tuple(dict.fromkeys(self.always_by + by)))

    @property
    def adds_money(self) -> bool:
        """Whether the figure adds the amounts it rests on: every one of them needs an exchange rate,
        and the list behind it refuses a deal without one as the figure does (drilldown.py). The
        others count deals or their days, and list such a deal with its amount empty."""
        return self.unit == "money" or self.reads_money

    @property
    def tests_changes(self) -> bool:
        """Whether a change of the figure from the period before is tested against noise (``p_value``,
        ``significant``): only where the figure has a sample whose kind offers a test (a sum of
        money has none; a Kaplan-Meier median has no test yet). What a ``significant_drop`` alert
        can watch."""
        return self.sample is not None and offers_test(self.sample)

    @property
    def accumulates(self) -> bool:
        """A sum or count: it grows through a period, so a target for a longer period is pro-rated
        by days and the pace is the figure so far against the share of the period gone."""
        return self.aggregation in ACCUMULATING

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title.get(lang),
            "title_en": self.title.en,
            "title_de": self.title.de,
            "description": self.description.get(lang),
            "unit": self.unit,
            "aggregation": self.aggregation,
            "higher_is_better": self.higher_is_better,
            "formula": self.formula,
            "dimensions": sorted(self.dimensions, key=DIMENSIONS.index),
            "always_by": list(self.always_by),
            "notes": self.notes.get(lang) if self.notes else None,
            "section": self.section,
        }
