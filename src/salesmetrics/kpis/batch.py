"""A KPI's figures for a whole result at once.

A report by rep at 1M deals turns ~30,000 result rows into figures. A ``finalize`` hook called a row
at a time reads a dict and builds an :class:`~.model.Outcome`, and that took longer than DuckDB took
to compute the rows (docs/benchmarks.md, item 36). For the hooks most KPIs use, :func:`figures` reads
the result's columns and calls the hook's own element function (kpis/formulas.py) on each group's
aggregates: the same figure, without a dict and an object a row. A KPI with another hook (the
Kaplan-Meier median, ramp time) is not :func:`batched`: its rows are made one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import formulas as f
from . import samples as s
from .model import KPI

# A result as columns: name -> one value per group (kpis/compiled.table, transposed).
Columns = Mapping[str, Sequence[Any]]
# Per group: the value, n and the flags, in the result's order.
Figures = tuple[Sequence[Any], list[int], Sequence[tuple[str, ...]]]


def column(cols: Columns, name: str, size: int) -> Sequence[Any]:
    """A column of the result, or nulls where it has none (a hook's ``row.get(name)``)."""
    found = cols.get(name)
    return (None,) * size if found is None else found


Get = Callable[[str], Sequence[Any]]

# Each finalize hook's element function over the columns it reads (kpis/formulas.py); every entry
# takes the columns and n alike, whether it reads n or not.
_BY_HOOK: dict[Callable[..., Any], Callable[[Get, list[int]], list[f.Figure]]] = {
    f.money_sum: lambda c, n: list(map(f.cents, c("value"))),
    f.count: lambda c, n: list(map(f.counted, c("value"))),
    f.money_mean: lambda c, n: list(map(f.money_mean_of, c("total"), n)),
    f.mean_days: lambda c, n: list(map(f.mean_days_of, c("total"), n)),
    f.share: lambda c, n: list(map(f.share_of, c("hits"), n)),
    f.attainment: lambda c, n: list(map(f.attained, c("quota"), c("revenue"), c("partial"), c("unquoted"))),
    f.net_promoter: lambda c, n: list(map(f.nps_of, c("promoters"), c("detractors"), n)),
}


# The sample hooks whose intervals trust.intervals makes over columns (None: the KPI has none).
SAMPLE_HOOKS: frozenset[Callable[..., Any] | None] = frozenset({None, *s.FORMS})


def batched(kpi: KPI) -> bool:
    """Whether a report can make the KPI's rows a column at a time: its figures here, its intervals
    in trust.intervals."""
    return kpi.finalize in _BY_HOOK and kpi.sample in SAMPLE_HOOKS


def figures(kpi: KPI, cols: Columns, size: int) -> Figures:
    """Each group's value, n and flags: what ``kpi.finalize`` gives for each row, in order."""
    assert kpi.finalize is not None
    n = [int(v or 0) for v in column(cols, "n", size)]
    found = _BY_HOOK[kpi.finalize](lambda name: column(cols, name, size), n)
    if not found:
        return [], [], []
    values, flags = zip(*found, strict=True)  # unpacks only a result with rows (above)
    return values, n, flags


def samples(kpi: KPI, cols: Columns, size: int) -> list[s.Sample | None]:
    """Each group's sample: what ``kpi.sample`` gives for each row, in order (a comparison with the
    period before tests them), without a dict a row."""
    if kpi.sample is None:
        return [None] * size
    form = s.FORMS[kpi.sample]
    return form.samples(read(form, cols, size))


def read(form: s.Form, cols: Columns, size: int) -> list[Sequence[Any]]:
    """The columns a sample's form reads, in the order its element function takes them."""
    return [column(cols, name, size) for name in form.reads]
