"""PostgreSQL: the records and the metadata in one database (``?schema=`` picks a schema).

Writes go through psycopg in one transaction: validated rows are copied (``COPY ... FROM STDIN``,
CSV written by DuckDB) into a temporary table, classified against the stored records with the
same SQL as the DuckDB writer, then updated and inserted. Reads are Ibis' postgres backend.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb

from ..errors import WorkspaceError
from ..importing.counts import TableCounts
from ..schema import TABLES
from .base import (
    ColumnInfo,
    Columns,
    Meta,
    OnTable,
    RemoteBackend,
    classify_select,
    decimal_parts,
    ident,
    import_tables,
    key_match,
    resolved,
)
from .url import BackendURL

_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision",
          "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp"}
_CHUNK = 1 << 20


def pg_type(duck_type: str) -> str:
    dec = decimal_parts(duck_type)
    if dec:
        return f"numeric({dec[0]}, {dec[1]})"
    try:
        return _TYPES[duck_type.upper()]
    except KeyError:
        raise WorkspaceError(f"no PostgreSQL type for DuckDB's {duck_type}") from None


def _compiler() -> Any:
    """Ibis' PostgreSQL compiler, told that PostgreSQL casts a boolean to ``integer`` but not to
    ``bigint``: the KPI definitions count with ``flag.cast("int64").sum()`` on every backend."""
    import ibis.expr.datatypes as dt
    import ibis.expr.operations as ops
    import sqlglot.expressions as sge
    from ibis.backends.sql.compilers.postgres import PostgresCompiler

    class Compiler(PostgresCompiler):  # type: ignore[misc]
        def visit_Cast(self, op: Any, *, arg: Any, to: Any) -> Any:
            if op.arg.dtype.is_boolean() and to.is_integer() and to != dt.int32:
                return self.cast(self.cast(arg, dt.int32), to)
            return super().visit_Cast(op, arg=arg, to=to)

        def visit_ArrayCollect(self, op: Any, *, arg: Any, where: Any, order_by: Any,
                               include_null: Any, distinct: Any) -> Any:
            # psycopg reads an array of anonymous records as tuples of text; collected as JSON
            # objects the fields keep their types (sales_cycle_median_km collects its spells).
            if isinstance(op.arg, ops.StructColumn):
                fields = [part for name, value in zip(op.arg.names, arg.expressions, strict=True)
                          for part in (sge.convert(name), value)]
                arg = self.f.jsonb_build_object(*fields)
            return super().visit_ArrayCollect(op, arg=arg, where=where, order_by=order_by,
                                              include_null=include_null, distinct=distinct)

    return Compiler()


def _same(a: str, b: str) -> str:
    return f"{a} IS NOT DISTINCT FROM {b}"


def _differ(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}"


class PostgresBackend(RemoteBackend):
    kind = "postgres"

    def __init__(self, url: BackendURL) -> None:
        super().__init__(url)
        import ibis

        parts = urlsplit(url.text)
        self.schema = url.options.get("schema")
        try:
            self._ibis = ibis.postgres.connect(
                host=parts.hostname or None, port=parts.port or None,
                user=unquote(parts.username) if parts.username else None,
                password=unquote(parts.password) if parts.password else None,
                database=unquote(parts.path.strip("/")),
            )
        except Exception as exc:  # psycopg's own words say what is wrong (host, password, ...)
            raise WorkspaceError(f"cannot connect to {url.redacted()}: {exc}") from None
        self._ibis.compiler = _compiler()
        self.con: Any = self._ibis.con  # the psycopg connection, autocommit outside transactions
        if self.schema:
            self._exec(f"CREATE SCHEMA IF NOT EXISTS {ident(self.schema)}")
            self._exec(f"SET search_path TO {ident(self.schema)}")

    @property
    def ibis(self) -> Any:
        return self._ibis

    def _exec(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self.con.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []

    # -- schema ---------------------------------------------------------------------------------
    def _existing_columns(self, table: str) -> list[str] | None:
        rows = self._exec(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s ORDER BY ordinal_position", [table])
        return [r[0] for r in rows] or None

    def _create(self, table: str, columns: list[ColumnInfo]) -> None:
        defs = [f"{ident(c.name)} {pg_type(c.duck_type)}{' NOT NULL' if c.not_null else ''}"
                for c in columns]
        keys = [c.name for c in columns if c.primary]
        if keys:
            defs.append(f"PRIMARY KEY ({', '.join(ident(k) for k in keys)})")
        self._exec(f"CREATE TABLE IF NOT EXISTS {ident(table)} ({', '.join(defs)})")

    def ensure_schema(self, columns: Columns, schema_version: int) -> None:
        with self.con.transaction():
            # One setup at a time: two first imports must not both create the tables.
            self._exec("SELECT pg_advisory_xact_lock(hashtext('salesmetrics schema'))")
            self._exec("CREATE TABLE IF NOT EXISTS _meta (key text PRIMARY KEY, value text)")
            self._exec("CREATE TABLE IF NOT EXISTS _settings (name text PRIMARY KEY, value text)")
            self._exec("INSERT INTO _meta VALUES ('schema_version', '0'), ('data_version', '0') "
                       "ON CONFLICT (key) DO NOTHING")
            found = int(self._exec("SELECT value FROM _meta WHERE key = 'schema_version'")[0][0])
            if found > schema_version:
                raise WorkspaceError(
                    f"the records at {self.url.redacted()} have schema version {found}, newer than this "
                    f"salesmetrics (version {schema_version}); upgrade salesmetrics to use them")
            for table, cols in columns.items():
                have = self._existing_columns(table)
                if have is None:
                    self._create(table, cols)
                    continue
                for c in cols:  # migrations only ever add columns
                    if c.name not in have:
                        self._exec(f"ALTER TABLE {ident(table)} ADD COLUMN {ident(c.name)} "
                                   f"{pg_type(c.duck_type)}")
            if found < schema_version:
                self._exec("UPDATE _meta SET value = %s WHERE key = 'schema_version'", [str(schema_version)])

    # -- metadata -------------------------------------------------------------------------------
    def load_meta(self) -> Meta:
        meta = {k: v for k, v in self._exec("SELECT key, value FROM _meta")}
        settings = {k: v for k, v in self._exec("SELECT name, value FROM _settings")}
        targets = self._exec("SELECT * FROM targets")
        return Meta(int(meta.get("data_version") or 0), int(meta.get("schema_version") or 0),
                    settings, targets)

    def data_version(self) -> int:
        rows = self._exec("SELECT value FROM _meta WHERE key = 'data_version'")
        return int(rows[0][0]) if rows else 0

    def _bump(self) -> int:
        rows = self._exec("UPDATE _meta SET value = (value::bigint + 1)::text "
                          "WHERE key = 'data_version' RETURNING value")
        return int(rows[0][0])

    def save_meta(self, settings: dict[str, str], targets: list[tuple[Any, ...]],
                  shift: tuple[str, str] | None = None) -> int:
        with self.con.transaction():
            if shift:
                old, new = shift
                for table in TABLES.values():
                    for c in table.columns:
                        if c.kind == "timestamp":
                            self._exec(f"UPDATE {ident(table.name)} SET {ident(c.name)} = "
                                       f"({ident(c.name)} AT TIME ZONE %s) AT TIME ZONE %s", [old, new])
            self._exec("DELETE FROM _settings")
            with self.con.cursor() as cur:
                cur.executemany("INSERT INTO _settings VALUES (%s, %s)", list(settings.items()))
                self._exec("DELETE FROM targets")
                if targets:
                    marks = ", ".join(["%s"] * len(targets[0]))
                    cur.executemany(f"INSERT INTO targets VALUES ({marks})", targets)
            return self._bump()

    def existing_keys(self, table: str, column: str, values: list[str]) -> list[str]:
        found: list[str] = []
        for i in range(0, len(values), 50_000):
            rows = self._exec(f"SELECT DISTINCT {ident(column)} FROM {ident(table)} "
                              f"WHERE {ident(column)} = ANY(%s)", [values[i:i + 50_000]])
            found += [str(r[0]) for r in rows]
        return found

    # -- writing --------------------------------------------------------------------------------
    def _copy_in(self, con: duckdb.DuckDBPyConnection, rows: str, columns: list[str], into: str,
                 work: Path) -> None:
        """DuckDB writes the rows as CSV, PostgreSQL's COPY reads them: both at full speed."""
        path = work / "rows.csv"
        cols = ", ".join(ident(c) for c in columns)
        con.execute(f"COPY (SELECT {cols} FROM {rows}) TO '{path}' (FORMAT csv, HEADER false)")
        with self.con.cursor() as cur, cur.copy(f"COPY {into} ({cols}) FROM STDIN (FORMAT csv)") as copy, \
                path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                copy.write(chunk)
        path.unlink()

    def _upsert(self, con: duckdb.DuckDBPyConnection, name: str, rows: str, work: Path) -> TableCounts:
        table = TABLES[name]
        target = ident(name)
        self._exec(f"CREATE TEMP TABLE _sm_import AS SELECT * FROM {target} WITH NO DATA")
        self._exec("ALTER TABLE _sm_import ADD COLUMN _merge boolean")
        self._copy_in(con, rows, [*table.column_names, "_merge"], "_sm_import", work)
        self._exec("ANALYZE _sm_import")
        self._exec("CREATE TEMP TABLE _sm_changes AS "
                   + classify_select(table, "_sm_import", target, _same, _differ))
        counts = {str(k): int(n) for k, n in
                  self._exec("SELECT _change, count(*) FROM _sm_changes GROUP BY _change")}
        others = [c for c in table.column_names if c not in table.key]
        if counts.get("changed") and others:
            sets = ", ".join(f"{ident(c)} = x.{ident(c)}" for c in others)
            self._exec(f"UPDATE {target} SET {sets} FROM ({resolved(table, '_sm_changes', 'changed')}) x "
                       f"WHERE {key_match(table, target, 'x', _same)}")
        if counts.get("new"):
            cols = ", ".join(ident(c) for c in table.column_names)
            self._exec(f"INSERT INTO {target} ({cols}) {resolved(table, '_sm_changes', 'new')}")
        self._exec("DROP TABLE _sm_import, _sm_changes")
        return TableCounts(name, inserted=counts.get("new", 0), updated=counts.get("changed", 0),
                           unchanged=counts.get("same", 0))

    def write(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: OnTable | None = None) -> list[TableCounts]:
        counts: list[TableCounts] = []
        with tempfile.TemporaryDirectory(prefix="salesmetrics-pg-") as work, self.con.transaction():
            os.chmod(work, 0o700)
            for name in import_tables(rows):
                if on_table:
                    on_table(name)
                counts.append(self._upsert(con, name, rows[name], Path(work)))
            if any(c.changed for c in counts):
                self._bump()
        return counts

    def change_records(self, insert: Mapping[str, Sequence[Mapping[str, Any]]],
                       delete: Mapping[str, tuple[str, Sequence[str]]]) -> int:
        with self.con.transaction(), self.con.cursor() as cur:
            for table, (column, values) in delete.items():
                if values:
                    cur.execute(f"DELETE FROM {ident(table)} WHERE {ident(column)} = ANY(%s)",
                                [list(values)])
            for table, rows in insert.items():
                names = TABLES[table].column_names
                if rows:
                    marks = ", ".join(["%s"] * len(names))
                    cur.executemany(f"INSERT INTO {ident(table)} ({', '.join(ident(c) for c in names)}) "
                                    f"VALUES ({marks})", [[row.get(c) for c in names] for row in rows])
            return self._bump()

    def close(self) -> None:
        self._ibis.disconnect()
