"""The SQL a KPI runs as on each backend, without connecting to one: for the snapshot tests that
catch a change in what the definitions (or Ibis) send to an engine, and for reading it."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from .. import storage
from ..schema import TABLES
from .base import decimal_parts, table_columns

_TYPES = {"VARCHAR": "string", "BIGINT": "int64", "INTEGER": "int32", "DOUBLE": "float64",
          "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp"}


def compiler(kind: str) -> Any:
    """The compiler each backend really uses (PostgreSQL's with our one adjustment)."""
    if kind == "postgres":
        from .postgres import _compiler

        return _compiler()
    import ibis.backends.sql.compilers as sc

    if kind == "pyspark":
        import ibis
        from ibis.backends.pyspark import Backend

        if getattr(ibis.options, "pyspark", None) is None:  # connecting would register them
            Backend.register_options()

    return {"duckdb": sc.duckdb.compiler, "pyspark": sc.pyspark.compiler}[kind]


def unbound_tables() -> dict[str, Any]:
    """The canonical tables as Ibis tables bound to no backend, typed as the schema says."""
    import ibis

    con = duckdb.connect()
    try:
        storage.migrate(con)
        columns = table_columns(con, list(TABLES))
    finally:
        con.close()
    out = {}
    for name, cols in columns.items():
        schema = {}
        for c in cols:
            dec = decimal_parts(c.duck_type)
            schema[c.name] = f"decimal({dec[0]}, {dec[1]})" if dec else _TYPES[c.duck_type.upper()]
        out[name] = ibis.table(schema, name=name)
    return out


class UnboundBackend:
    """Stands in for an Ibis backend where :class:`~salesmetrics.records.Records` asks for tables."""

    def __init__(self) -> None:
        self.tables = unbound_tables()

    def table(self, name: str) -> Any:
        return self.tables[name]


_MEMTABLE = re.compile(r"ibis_[a-z]+_memtable_[a-z0-9]+")
_EXCLUDE = re.compile(r"EXCLUDE \(([^)]*)\)")


def to_sql(expr: Any, kind: str) -> str:
    """``expr`` as ``kind``'s SQL, pretty-printed; in-memory tables get stable names."""
    c = compiler(kind)
    text: str = c.to_sqlglot(expr).sql(dialect=c.dialect, pretty=True)
    names: dict[str, str] = {}
    text = _MEMTABLE.sub(lambda m: names.setdefault(m[0], f"memtable_{len(names) + 1}"), text)
    # Ibis lists dropped columns in set order, which changes from run to run.
    return _EXCLUDE.sub(lambda m: f"EXCLUDE ({', '.join(sorted(m[1].split(', ')))})", text)
