"""The backends the conformance suite runs on, and a fresh, empty workspace URL on each.

DuckDB always runs. PostgreSQL runs against ``$SALESMETRICS_TEST_POSTGRES`` (default: the role and
database ``.ci/run`` creates on the local server), each workspace in a schema of its own that is
dropped after. PySpark runs in local mode on the process' one Spark context, each workspace in a
warehouse folder of its own. A backend that is not there is skipped -- unless
``SALESMETRICS_TEST_BACKENDS=required`` (CI), where that is a failure.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

KINDS = ("duckdb", "postgres", "pyspark")
POSTGRES = os.environ.get("SALESMETRICS_TEST_POSTGRES",
                          "postgres://salesmetrics:salesmetrics@127.0.0.1:5432/salesmetrics_test")
# Spark on one small machine: one shuffle partition per query is plenty for test data.
os.environ.setdefault("SALESMETRICS_SPARK_PARTITIONS", "1")
os.environ.setdefault("SALESMETRICS_SPARK_MASTER", "local[2]")
# ... and compiling each query to bytecode costs more than running it on a few rows.
os.environ.setdefault("SALESMETRICS_SPARK_CONF",
                      "spark.sql.codegen.wholeStage=false,spark.sql.codegen.factoryMode=NO_CODEGEN")


@functools.cache
def unavailable(kind: str) -> str | None:
    """Why ``kind`` cannot run here (None: it can)."""
    if kind == "postgres":
        try:
            import psycopg

            psycopg.connect(POSTGRES.replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
        except Exception as exc:  # any reason at all: say it
            return f"no PostgreSQL at {POSTGRES}: {exc}"
    if kind == "pyspark":
        try:
            import pyspark  # noqa: F401
        except ImportError:
            return "pyspark is not installed (pip install -e '.[spark]')"
    return None


def require(kind: str) -> None:
    reason = unavailable(kind)
    if reason is None:
        return
    if os.environ.get("SALESMETRICS_TEST_BACKENDS") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def fresh(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty workspace on ``kind``, removed again afterwards."""
    require(kind)
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "duckdb":
        yield f"duckdb://{folder.absolute() / 'work.duckdb'}"
    elif kind == "pyspark":
        yield f"pyspark://{folder.absolute() / 'warehouse'}"
    else:
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        try:
            yield f"{POSTGRES}?schema={schema}"
        finally:
            with psycopg.connect(POSTGRES.replace("postgres://", "postgresql://", 1), autocommit=True) as con:
                con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
