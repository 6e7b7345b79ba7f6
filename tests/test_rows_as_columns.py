"""A report's rows made a column at a time (kpis/batch.py, trust.intervals) are the rows the KPIs'
hooks make one at a time: the same values, n, flags, intervals, order and samples, for every KPI
the column path takes, on random results (nulls, empty groups, one record, a negative n, no quota,
text ids that sort unlike their numbers, "" and null groups, months).

The reports' own figures are held to a plain reference elsewhere (test_properties.py); this holds
the faster path to the one those tests were written against, so neither can drift from the other."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesmetrics import report
from salesmetrics.kpis import REGISTRY, batch, compiled

BATCHED = sorted(k.id for k in REGISTRY.values() if batch.batched(k))

_money = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("10000000"), places=2,
                     allow_nan=False, allow_infinity=False)
_group = st.one_of(st.none(), st.sampled_from(["", "r1", "r10", "r2", "R2", "ä-rep", "10", "9"]))


@st.composite
def _result_row(draw: Any, dims: tuple[str, ...]) -> dict[str, Any]:
    # A negative n no query returns, but either path must treat it alike (no Wilson interval).
    n = draw(st.integers(0, 60) | st.sampled_from([-2, 0, 1, 2, 29, 30, 31]))
    hits = draw(st.integers(0, max(n, 0)))
    promoters = draw(st.integers(0, max(n, 0)))
    detractors = draw(st.integers(0, max(n - promoters, 0)))
    total = draw(_money)
    row: dict[str, Any] = {
        "n": draw(st.sampled_from([n, None])) if n == 0 else n,
        "value": draw(st.one_of(st.none(), _money, st.integers(0, 500))),
        "total": total,
        "sum_squares": draw(st.one_of(st.none(), st.just(float(total) ** 2 / max(n, 1)),
                                      st.floats(0, 1e14))),
        "hits": hits,
        "quota": draw(st.one_of(st.none(), st.just(Decimal("0.00")), _money)),
        "revenue": draw(st.one_of(st.none(), _money)),
        "partial": draw(st.one_of(st.none(), st.booleans())),
        "promoters": promoters,
        "detractors": detractors,
    }
    for dim in dims:
        row[dim] = (draw(st.one_of(st.none(), st.sampled_from([date(2025, 1, 1), date(2025, 11, 1)])))
                    if dim == "month" else draw(_group))
    return row


def _both(kpi_id: str, dims: tuple[str, ...], raw: list[dict[str, Any]],
          monkeypatch: pytest.MonkeyPatch, compare: bool) -> tuple[Any, Any]:
    kpi = REGISTRY[kpi_id]
    names = list(raw[0]) if raw else ["n", "value", *dims]
    found = [tuple(r.get(name) for name in names) for r in raw]
    query: Any = SimpleNamespace(by=dims, fiscal_year_start=1)
    monkeypatch.setattr(compiled, "table", lambda k, q: (names, found))
    # A result read as columns (compiled.columns): one sequence a column, empty ones without rows.
    as_columns = [list(c) for c in zip(*found, strict=True)] if found else [[] for _ in names]
    monkeypatch.setattr(compiled, "columns", lambda k, q: (names, as_columns))
    out = []
    for columns in (True, False):
        monkeypatch.setattr(batch, "batched", (lambda k: True) if columns else (lambda k: False))
        samples: dict[Any, Any] | None = {} if compare else None
        out.append((report._rows(kpi, query, "EUR", samples), samples))
    return out[0], out[1]


@pytest.mark.parametrize("kpi_id", BATCHED)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), compare=st.booleans(),
       dims=st.sampled_from([(), ("rep",), ("product", "rep"), ("month",), ("month", "team")]))
def test_columns_make_the_rows_one_by_one_makes(kpi_id: str, data: Any, compare: bool,
                                                dims: tuple[str, ...],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    dims = tuple(dict.fromkeys(REGISTRY[kpi_id].always_by + dims))
    raw = data.draw(st.lists(_result_row(dims), max_size=12))
    columns, one_by_one = _both(kpi_id, dims, raw, monkeypatch, compare)
    assert columns[0] == one_by_one[0]
    # The same types too: Decimal cents stay Decimal, counts int, rates float.
    assert [[type(v) for v in r.values()] for r in columns[0]] == \
        [[type(v) for v in r.values()] for r in one_by_one[0]]
    assert [list(r) for r in columns[0]] == [list(r) for r in one_by_one[0]]  # key order: the JSON
    assert columns[1] == one_by_one[1]


def test_the_columns_take_the_kpis_a_report_by_rep_spends_most_on() -> None:
    """Which KPIs take the column path is a choice of speed: these make ~30,000 rows of the report
    by rep at 1M deals (docs/benchmarks.md, item 36), and must keep taking it."""
    assert {"total_revenue", "revenue_per_rep", "revenue_per_product", "average_deal_size",
            "sales_cycle_length", "win_rate", "pipeline_win_rate", "quota_attainment",
            "activity_count", "nps"} <= set(BATCHED)
    assert "sales_cycle_median_km" not in BATCHED and "ramp_time" not in BATCHED
