"""Side by side: the headline KPIs of two or more teams (or reps) in columns, each with its interval,
and whether each group differs from the first beyond noise.

The tests are the ones a change from the period before gets (trust.py, kpis/samples.py): two
proportions for rates, Welch's t for averages, an exact Poisson test for counts (over the same days),
a z test for NPS; sums of money and quota attainment are not tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from . import trust
from .errors import CurrencyError, DimensionError, UnknownValueError, keyed
from .kpis import REGISTRY, compiled
from .kpis.known_values import resolve_rep
from .kpis.scope import query_maker, resolve_filters, why_not
from .periods import Measured, Period
from .report import Skipped, _missing_input, _reps_at_work, _rows, _rows_of_0, why_empty
from .summary import HEADLINE_KPIS

if TYPE_CHECKING:
    from .access import Viewer
    from .store import Store

COMPARABLE = ("team", "rep")


@dataclass(frozen=True)
class Compared:
    """One KPI across the groups: a figure per group (None where the group has no row), and for each
    group after the first the test against the first (None: not tested)."""

    kpi: str
    rows: list[dict[str, Any] | None]
    tests: list[tuple[float, bool] | None]
    # Why a group without a row has no figure: "no_data", or the true reason where the KPI needs
    # what no record has (ramp time "no new rep ramped" where no rep has a hire date: a tester).
    empty: tuple[str, ...] = ("no_data",)

    def as_json(self, groups: Sequence[str], dim: str) -> dict[str, Any]:
        cells = []
        for group, row, test in zip(groups, self.rows, [None, *self.tests], strict=True):
            cell = {dim: group, **({k: row.get(k) for k in ("value", "n", "ci_low", "ci_high", "flags",
                                                             "lower_bound")}
                                   if row else {"value": None, "n": 0, "ci_low": None, "ci_high": None,
                                                "flags": list(self.empty), "lower_bound": None})}
            cell["p_value"] = None if test is None else test[0]
            cell["significant"] = None if test is None else test[1]
            cells.append(cell)
        return {"kpi": self.kpi, "unit": REGISTRY[self.kpi].unit, "groups": cells}


@dataclass(frozen=True)
class Comparison(Measured):
    period: Period
    dimension: str
    groups: list[str]
    names: dict[str, str]
    currency: str | None
    kpis: list[Compared]
    as_of: date | None = None  # figures as they stood at the end of this day
    skipped: list[Skipped] = field(default_factory=list)  # money no exchange rate converts

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period.as_json(), **self.as_of_json(), "dimension": self.dimension,
                "groups": self.groups,
                "names": {g: self.names.get(g) for g in self.groups}, "currency": self.currency,
                "baseline": self.groups[0],
                "kpis": [k.as_json(self.groups, self.dimension) for k in self.kpis],
                "skipped": [s.as_json() for s in self.skipped]}


def build_comparison(store: Store, period: str | Period, dimension: str, values: Sequence[str], *,
                     as_of: date | None = None, viewer: Viewer | None = None) -> Comparison:
    """The headline KPIs for each of ``values`` of ``dimension`` (team or rep) in ``period``."""
    if dimension not in COMPARABLE:
        raise DimensionError(f"compare teams or reps, not {dimension!r}")
    if len(values) < 2:
        raise keyed(DimensionError(f"name at least two {dimension}s to compare"), f"compare_two_{dimension}")
    span = store.period(period, as_of)
    try:
        where = resolve_filters(store, {dimension: list(values)}, viewer)
    except UnknownValueError as exc:
        if dimension == "team" and _is_rep(store, exc.value, viewer):
            # "no team 'Daniel Okafor'" listed the teams, and never said how to compare reps.
            raise DimensionError(f"{exc.value!r} is a rep, not a team: compare reps (--reps on the "
                                 "command line, rep= in the API)") from None
        raise
    groups = list(where[dimension])  # ids, in the order asked (a rep named by name)
    if len(groups) < 2:  # east twice, or a rep by id and by name: one group, nothing beside it
        raise DimensionError(f"name at least two different {dimension}s to compare (given: "
                             f"{', '.join(values)}, which name {groups[0]} alone)")
    make_query = query_maker(store, span, where, as_of=as_of, viewer=viewer)
    base = make_query(()).base_currency
    days = span.until(as_of).days
    out = []
    skipped: list[Skipped] = []
    # A group at work that won nothing has revenue 0, as the report by rep or team says, not "no
    # data" (a tester: beside its 0 % of quota).
    at_work = compiled.run("reps at work", _reps_at_work, make_query((dimension,)))
    for kpi_id in HEADLINE_KPIS:
        kpi = REGISTRY[kpi_id]
        if why_not(kpi, (dimension,), where):
            continue
        query = make_query(tuple(dict.fromkeys((*kpi.always_by, dimension))))
        samples: dict[tuple[Any, ...], Any] = {}
        try:
            found = _rows(kpi, query, base, samples)
        except CurrencyError as exc:  # left out, said; the figures that need no rate stand
            skipped.append(Skipped(kpi_id, str(exc), "no_rate", exc))
            continue
        _rows_of_0(store, kpi, base, query.by, found, at_work, viewer)
        _missing_input(store, kpi, found, viewer)  # the true reason of an empty figure (no hire dates)
        rows = {r[dimension]: r for r in found}
        first = samples.get(trust.row_key({dimension: groups[0]}, query.by))
        tests: list[tuple[float, bool] | None] = []
        for group in groups[1:]:
            other = samples.get(trust.row_key({dimension: group}, query.by))
            result = other.test(first, (days, days)) if other is not None and first is not None else None
            tests.append(None if result is None else (round(result.p_value, 6), result.significant))
        empty = tuple(why_empty(store, kpi, ["no_data"], viewer)) if len(rows) < len(groups) else ("no_data",)
        out.append(Compared(kpi_id, [rows.get(g) for g in groups], tests, empty))
    names = store.names("reps") if dimension == "rep" else {}
    return Comparison(span, dimension, groups, names, base, out, as_of, skipped)


def _is_rep(store: Store, value: str, viewer: Viewer | None) -> bool:
    try:
        resolve_rep(store, value, viewer)
    except UnknownValueError:
        return False
    return True
