"""The SQL each KPI compiles to on DuckDB, PostgreSQL and Spark, kept under tests/snapshots/: a
change in a definition, in the query layer or in Ibis shows as a diff to review, per dialect.

After an intended change: ``SALESMETRICS_UPDATE_SNAPSHOTS=1 .venv/bin/pytest
tests/conformance/test_sql_snapshots.py``, then read the diff before committing it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from salesmetrics.access import Viewer
from salesmetrics.backends.dialect_sql import UnboundBackend, to_sql
from salesmetrics.kpis import REGISTRY
from salesmetrics.kpis.query import Query
from salesmetrics.periods import Period
from salesmetrics.records import Records

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
UPDATE = os.environ.get("SALESMETRICS_UPDATE_SNAPSHOTS") == "1"
DIALECTS = ("duckdb", "postgres", "pyspark")


def _query(kpi_id: str, dialect: str) -> Query:
    kpi = REGISTRY[kpi_id]
    by = tuple(dict.fromkeys((*kpi.always_by, "rep")))
    # The engine, as the real one would say: a product of decimals is typed for it (Query.product).
    return Query(records=Records(UnboundBackend(), Viewer.everyone(), engine=dialect),
                 period=Period(date(2026, 10, 1), date(2026, 11, 1), "2026-10"), by=by,
                 base_currency="USD", as_of=date(2026, 11, 15))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("kpi_id", list(REGISTRY))
def test_compiled_sql_is_unchanged(kpi_id: str, dialect: str) -> None:
    sql = to_sql(REGISTRY[kpi_id].compute(_query(kpi_id, dialect)), dialect) + "\n"
    path = SNAPSHOTS / dialect / f"{kpi_id}.sql"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql)
        if not UPDATE:
            pytest.fail(f"no snapshot yet: wrote {path}; review and commit it")
    assert sql == path.read_text(), (
        f"{kpi_id} compiles to different {dialect} SQL than {path}; if intended, update with "
        "SALESMETRICS_UPDATE_SNAPSHOTS=1 (see the module's docstring)")
