"""A kept text read the quick way (kpis/results.py): decimals as text, sums of integers as BIGINT.
The values must be DuckDB's own, to the type and the decimal exponent, and a sum beyond a BIGINT
must still come back whole."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from salesmetrics import Workspace
from salesmetrics.kpis import REGISTRY, compiled, results
from salesmetrics.kpis.query import Query
from salesmetrics.kpis.scope import query_maker
from salesmetrics.periods import parse_period
from salesmetrics.records import Records
from webdata import make_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = make_workspace(tmp_path_factory.mktemp("lean") / "ws.duckdb")
    with Workspace.open(path, read_only=True) as ws:
        yield ws


def shown(rows: list[tuple[Any, ...]]) -> list[list[tuple[str, str]]]:
    """Each value with its type: 1, 1.0 and Decimal("1.00") differ."""
    return sorted([(type(v).__name__, repr(v)) for v in row] for row in rows)


VALUES = """
    SELECT * FROM (VALUES
        ('a', CAST('1234.50' AS DECIMAL(18, 2)), CAST(0 AS DECIMAL(38, 2)),
         CAST('-0.0000001' AS DECIMAL(38, 10)), CAST(12 AS HUGEINT),
         CAST('12345678901234567890123456.1234567890' AS DECIMAL(38, 10)), CAST(1.5 AS DOUBLE),
         DATE '2026-11-30'),
        ('b', NULL, CAST('-7.25' AS DECIMAL(38, 2)), NULL, NULL, CAST(5 AS DECIMAL(38, 10)), NULL, NULL),
        (NULL, CAST(5 AS DECIMAL(18, 2)), CAST('99999999999999999999999999999999999.99' AS DECIMAL(38, 2)),
         CAST(0 AS DECIMAL(38, 10)), CAST(-9223372036854775808 AS HUGEINT), NULL, CAST(-0.0 AS DOUBLE), NULL)
    ) AS t(name, price, total, rate, k, big, share, day)"""


def test_the_lean_text_gives_duckdbs_own_values() -> None:
    con = duckdb.connect()
    cursor = con.execute(VALUES)
    native = cursor.fetchall()
    described = [(d[0], str(d[1])) for d in cursor.description]
    lean = results.lean(VALUES, described)
    assert lean is not None and lean.decimals == (1, 2, 3, 5)  # read as text: not a test of nothing
    found = lean.read(con, {}, [n for n, _ in described])
    assert found.names == ["name", "price", "total", "rate", "k", "big", "share", "day"]
    assert shown(found.rows()) == shown(native)
    assert [list(c) for c in found.columns()] == [list(c) for c in zip(*native, strict=True)]


def test_a_result_without_decimals_or_large_sums_is_read_as_it_is() -> None:
    assert results.lean("SELECT 1 AS n, 'x' AS name", [("n", "INTEGER"), ("name", "VARCHAR")]) is None
    # Two columns of one name could not be told apart by a text around them.
    assert results.lean("SELECT 1 AS v, 2.5 AS v", [("v", "INTEGER"), ("v", "DECIMAL(2,1)")]) is None


def _forgetful(query: Query) -> Query:
    """``query`` read where nothing read is kept (a store keeps what it read, Store.memo): each read
    reaches DuckDB."""
    records = query.records
    return replace(query, records=Records(records.backend, records.viewer, engine="duckdb",
                                          connection=records.connection))


def test_a_sum_beyond_a_bigint_comes_back_whole(workspace: Workspace) -> None:
    """The lean text's cast to BIGINT fails on such a sum: the kept text is then read as DuckDB
    gives it, the exact integer."""
    sql = ("SELECT name, sum(k) AS total FROM (VALUES ('a', CAST(9223372036854775807 AS HUGEINT)), "
           "('a', CAST(10 AS HUGEINT)), ('b', CAST(3 AS HUGEINT))) AS t(name, k) GROUP BY name")
    described = (("name", "VARCHAR"), ("total", "HUGEINT"))
    kept = compiled.Compiled(sql, (), None, True, described)
    query = query_maker(workspace.store, parse_period("2026-10"), {})(("rep",))
    first = kept.fetch(query.records.connection, query)  # checks the description, then reads lean
    assert first is not None and kept.confirmed and kept.lean is not None
    again = kept.fetch(query.records.connection, _forgetful(query))
    assert again is not None
    assert sorted(again.rows()) == sorted(first.rows()) == [("a", 9223372036854775817), ("b", 3)]
    assert kept.lean is None  # this shape is read as it is from now on, not tried twice a time


@pytest.mark.parametrize("kpi", ["total_revenue", "revenue_per_product", "average_deal_size",
                                 "win_rate", "nps", "quota_attainment", "sales_cycle_length"])
def test_a_figure_read_again_is_read_lean_and_answers_the_same(workspace: Workspace, kpi: str) -> None:
    """The third query of a shape is read through the lean text (the first is compiled, the second
    checked against a stand-in and read natively); its groups are what Ibis gives, type for type."""
    compiled.clear()
    definition = REGISTRY[kpi]
    make = query_maker(workspace.store, parse_period("2026-10"), {})
    query = _forgetful(make(tuple(dict.fromkeys((*definition.always_by, "rep")))))
    expected = shown([tuple(r.values()) for r in definition.compute(query).to_pyarrow().to_pylist()])
    for _ in range(3):
        _, found = compiled.table(definition, query)
        assert shown(found) == expected
    entry = compiled._get(compiled._key(f"kpi {kpi}", query))
    assert isinstance(entry, compiled.Compiled) and entry.confirmed and entry.lean is not None


def test_a_report_read_lean_is_the_report_read_natively(tmp_path: Path) -> None:
    """Through the Python API: the same report asked three times in one process, the later ones
    read lean, row for row the first (values with their types)."""
    compiled.clear()
    db = make_workspace(tmp_path / "ws.duckdb")
    reports = []
    for _ in range(3):  # each opened anew: a store keeps what it read (Store.memo)
        with Workspace.open(db, read_only=True) as ws:
            reports.append(ws.report("2026-10", by="rep", compare=True))
    first, *later = [[sorted((k, type(v).__name__, repr(v)) for k, v in row.items()) for row in r.rows]
                     for r in reports]
    assert all(rows == first for rows in later)
    assert any(r["kpi"] == "revenue_per_rep" and r["value"] > Decimal(0) for r in reports[2].rows)
    assert any(r["kpi"] == "win_rate" and r["ci_low"] is not None for r in reports[2].rows)
