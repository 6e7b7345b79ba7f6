"""Spark: the records as Parquet, read and computed by Spark SQL through Ibis' pyspark backend.

Layout of the warehouse folder (``pyspark:///path``; a cluster needs it on storage every node and
the driver see, e.g. a shared mount):

* ``<table>/<version>/`` -- each canonical table, one folder of Parquet files per version;
* ``_salesmetrics.json`` -- the manifest: schema and data version, settings, targets and the
  current folder of each table. Replacing it (an atomic rename) is what commits an import, so an
  import is all or nothing across tables; superseded folders are removed after.

Tables a data team already has are mapped by name in the URL (``?deals=crm.opportunities`` reads
a catalog table, ``?deals=/data/deals.parquet`` a Parquet path); mapped tables are read, never
written. Every table is registered as a temporary view under its canonical name, cast to the
canonical types, so the KPI definitions see the same columns as on DuckDB.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from .. import environment
from ..errors import WorkspaceError
from ..importing.counts import TableCounts
from ..schema import TABLES
from .base import (
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

MANIFEST = "_salesmetrics.json"
PARTITIONS_ENV = "SALESMETRICS_SPARK_PARTITIONS"
CONF_ENV = "SALESMETRICS_SPARK_CONF"
_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "DOUBLE": "double",
          "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp"}


def spark_type(duck_type: str) -> str:
    dec = decimal_parts(duck_type)
    if dec:
        return f"decimal({dec[0]},{dec[1]})"
    try:
        return _TYPES[duck_type.upper()]
    except KeyError:
        raise WorkspaceError(f"no Spark type for DuckDB's {duck_type}") from None


def session(master: str) -> Any:
    """The process' Spark session (one per process: tests and commands share it). Local mode
    listens on loopback only and runs no web UI; few shuffle partitions suit one machine."""
    from pyspark.sql import SparkSession

    partitions = int(environment.number(PARTITIONS_ENV, 4, takes="count", minimum=1, whole=True))
    builder = (SparkSession.builder.master(master).appName("salesmetrics")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(partitions))
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.parquet.inferTimestampNTZ.enabled", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    # More settings for the session, e.g. spark.sql.codegen.wholeStage=false (tests: tiny data
    # gains nothing from compiling every query).
    for item in filter(None, os.environ.get(CONF_ENV, "").split(",")):
        key, _, value = item.partition("=")
        builder = builder.config(key.strip(), value.strip())
    if master.startswith("local"):
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # a Py4J error with a Java trace: its first line says what went wrong
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorkspaceError(f"cannot start Spark with master {master}: {first[:300]}") from None
    spark.sparkContext.setLogLevel(os.environ.get("SALESMETRICS_SPARK_LOG", "ERROR"))
    return spark


def _same(a: str, b: str) -> str:
    return f"{a} <=> {b}"


def _differ(a: str, b: str) -> str:
    return f"NOT ({a} <=> {b})"


def _sql(text: str) -> str:
    """The shared SQL (base.py) quotes names the standard way; Spark SQL quotes with backticks."""
    return text.replace('"', "`")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    return value


class SparkBackend(RemoteBackend):
    kind = "pyspark"

    def __init__(self, url: BackendURL) -> None:
        super().__init__(url)
        import ibis

        assert url.path is not None and url.master is not None
        self.warehouse = url.path.absolute()
        self.mapped = {k: v for k, v in url.options.items() if k in TABLES}
        # A session of its own (temporary views and settings), on the process' one Spark context.
        self.spark = session(url.master).newSession()
        self._ibis = ibis.pyspark.connect(self.spark)
        self.columns: Columns = {}

    @property
    def ibis(self) -> Any:
        return self._ibis

    # -- manifest -------------------------------------------------------------------------------
    @property
    def _manifest_path(self) -> Path:
        return self.warehouse / MANIFEST

    def _read(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self._manifest_path.read_text())
        except FileNotFoundError:
            return {"schema_version": 0, "data_version": 0, "settings": {}, "targets": [], "tables": {}}
        return data

    def _write_manifest(self, data: dict[str, Any]) -> None:
        tmp = self.warehouse / f".{MANIFEST}.{uuid.uuid4().hex}"
        tmp.write_text(json.dumps(data, indent=1, default=_jsonable))
        os.replace(tmp, self._manifest_path)  # the commit: readers see the old or the new, whole

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """One writer at a time (the manifest is read, changed and replaced as one step)."""
        self.warehouse.mkdir(parents=True, exist_ok=True)
        with (self.warehouse / ".lock").open("w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield self._read()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- schema ---------------------------------------------------------------------------------
    def ensure_schema(self, columns: Columns, schema_version: int) -> None:
        self.columns = columns
        with self._locked() as data:
            found = int(data.get("schema_version") or 0)
            if found > schema_version:
                raise WorkspaceError(
                    f"the warehouse {self.warehouse} has schema version {found}, newer than this "
                    f"salesmetrics (version {schema_version}); upgrade salesmetrics to use it")
            if found < schema_version or not self._manifest_path.exists():
                data["schema_version"] = schema_version
                self._write_manifest(data)
        self._register(data.get("tables", {}))

    def _canonical(self, df: Any, name: str, *extra: Any) -> Any:
        """``df`` with exactly the canonical columns and types (missing ones empty: a table
        written before a migration added a column), and ``extra`` columns."""
        from pyspark.sql import functions as F

        have = set(df.columns)
        return df.select(*[
            (F.col(c.name) if c.name in have else F.lit(None)).cast(spark_type(c.duck_type)).alias(c.name)
            for c in self.columns[name]
        ], *extra)

    def _empty(self, name: str) -> Any:
        schema = ", ".join(f"`{c.name}` {spark_type(c.duck_type)}" for c in self.columns[name])
        return self.spark.createDataFrame([], schema)

    def _register(self, folders: dict[str, str], only: set[str] | None = None) -> None:
        for name in TABLES:
            if only is not None and name not in only:
                continue
            source = self.mapped.get(name)
            if source is not None:
                df = (self.spark.read.parquet(source) if "/" in source else self.spark.table(source))
            elif name in folders:
                df = self.spark.read.parquet(str(self.warehouse / folders[name]))
            else:
                df = self._empty(name)
            self._canonical(df, name).createOrReplaceTempView(name)

    # -- metadata -------------------------------------------------------------------------------
    def load_meta(self) -> Meta:
        data = self._read()
        return Meta(int(data.get("data_version") or 0), int(data.get("schema_version") or 0),
                    dict(data.get("settings") or {}), [tuple(r) for r in data.get("targets") or []])

    def data_version(self) -> int:
        return int(self._read().get("data_version") or 0)

    def save_meta(self, settings: dict[str, str], targets: list[tuple[Any, ...]],
                  shift: tuple[str, str] | None = None) -> int:
        with self._locked() as data:
            if shift and any(data.get("tables", {}).get(t) for t in TABLES):
                raise WorkspaceError(
                    "the time zone of a Spark warehouse that holds records cannot be changed yet: set "
                    "it before the first import (or import again into a new warehouse)")
            data["settings"] = settings
            data["targets"] = [list(r) for r in targets]
            data["data_version"] = int(data.get("data_version") or 0) + 1
            self._write_manifest(data)
            return int(data["data_version"])

    def existing_keys(self, table: str, column: str, values: list[str]) -> list[str]:
        from pyspark.sql import functions as F

        wanted = self.spark.createDataFrame([(v,) for v in values], "v string")
        have = self.spark.table(table).select(F.col(column).alias("v")).distinct()
        return [str(r[0]) for r in wanted.join(have, "v", "left_semi").collect()]

    # -- writing --------------------------------------------------------------------------------
    def write(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: OnTable | None = None) -> list[TableCounts]:
        refused = [n for n in rows if n in self.mapped]
        if refused:
            raise WorkspaceError(f"{', '.join(refused)} are mapped to tables of your own, which "
                                 "salesmetrics reads but never writes; import into them your usual way")
        counts: list[TableCounts] = []
        with self._locked() as data:
            staging = self.warehouse / "_staging" / uuid.uuid4().hex
            version = int(data.get("data_version") or 0) + 1
            written: dict[str, str] = {}
            try:
                for name in import_tables(rows):
                    if on_table:
                        on_table(name)
                    count, folder = self._upsert(con, name, rows[name], staging, version)
                    counts.append(count)
                    if folder:
                        written[name] = folder
                old = dict(data.get("tables") or {})
                if written:
                    data["tables"] = {**old, **written}
                    data["data_version"] = version
                    self._write_manifest(data)
            except BaseException:
                for folder in written.values():
                    shutil.rmtree(self.warehouse / folder, ignore_errors=True)
                raise
            finally:
                shutil.rmtree(staging, ignore_errors=True)
                for name in rows:
                    self.spark.catalog.dropTempView(f"_sm_import_{name}")
        self._register(data.get("tables", {}), only=set(written))
        for name, folder in old.items():
            if name in written and folder != written[name]:
                shutil.rmtree(self.warehouse / folder, ignore_errors=True)
        return counts

    def change_records(self, insert: Mapping[str, Sequence[Mapping[str, Any]]],
                       delete: Mapping[str, tuple[str, Sequence[str]]]) -> int:
        """Each table touched is written anew (its records less the deleted, plus the inserted) in a
        folder of its own; the manifest names the new folders and version in one replace."""
        from pyspark.sql import functions as F

        touched = [name for name in TABLES if name in insert or name in delete]
        refused = [n for n in touched if n in self.mapped]
        if refused:
            raise WorkspaceError(f"{', '.join(refused)} are mapped to tables of your own, which "
                                 "salesmetrics reads but never writes")
        written: dict[str, str] = {}
        with self._locked() as data:
            version = int(data.get("data_version") or 0) + 1
            old = dict(data.get("tables") or {})
            try:
                for name in touched:
                    df = self.spark.table(name)
                    column, values = delete.get(name, ("", ()))
                    if values:
                        df = df.filter(~F.col(column).isin(list(values)))
                    rows = insert.get(name) or ()
                    if rows:
                        names = [c.name for c in self.columns[name]]
                        schema = ", ".join(f"`{c.name}` {spark_type(c.duck_type)}"
                                           for c in self.columns[name])
                        added = self.spark.createDataFrame([tuple(r.get(c) for c in names) for r in rows],
                                                           schema)
                        df = df.unionByName(added)
                    folder = f"{name}/v{version:06d}-{uuid.uuid4().hex[:8]}"
                    df.write.parquet(str(self.warehouse / folder))
                    written[name] = folder
                data["tables"] = {**old, **written}
                data["data_version"] = version
                self._write_manifest(data)
            except BaseException:
                for folder in written.values():
                    shutil.rmtree(self.warehouse / folder, ignore_errors=True)
                raise
        self._register(data["tables"], only=set(written))
        for name, folder in old.items():
            if name in written and folder != written[name]:
                shutil.rmtree(self.warehouse / folder, ignore_errors=True)
        return version

    def _upsert(self, con: duckdb.DuckDBPyConnection, name: str, rows: str, staging: Path,
                version: int) -> tuple[TableCounts, str | None]:
        from pyspark.sql import functions as F

        table = TABLES[name]
        staged = staging / name
        staged.mkdir(parents=True)
        cols = ", ".join(ident(c) for c in [*table.column_names, "_merge"])
        con.execute(f"COPY (SELECT {cols} FROM {rows}) TO '{staged / 'rows.parquet'}' (FORMAT parquet)")
        imported = self._canonical(self.spark.read.parquet(str(staged)), name,
                                   F.col("_merge").cast("boolean").alias("_merge"))
        view = f"_sm_import_{name}"
        imported.createOrReplaceTempView(view)
        changes = self.spark.sql(_sql(classify_select(table, view, name, _same, _differ))).cache()
        try:
            found = {str(r[0]): int(r[1]) for r in changes.groupBy("_change").count().collect()}
            counts = TableCounts(name, inserted=found.get("new", 0), updated=found.get("changed", 0),
                                 unchanged=found.get("same", 0))
            if not counts.changed:
                return counts, None
            changes.createOrReplaceTempView("_sm_changes")
            keys = ", ".join(f"`{k}`" for k in table.key)
            kept = self.spark.sql(
                f"SELECT t.* FROM {name} t LEFT ANTI JOIN (SELECT {keys} FROM _sm_changes "
                f"WHERE _change <> 'same') c ON {_sql(key_match(table, 't', 'c', _same))}")
            fresh = [self.spark.sql(_sql(resolved(table, "_sm_changes", which)))
                     for which in ("new", "changed")]
            out = kept.unionByName(fresh[0]).unionByName(fresh[1])
            folder = f"{name}/v{version:06d}-{uuid.uuid4().hex[:8]}"
            out.write.parquet(str(self.warehouse / folder))
            return counts, folder
        finally:
            changes.unpersist()
            self.spark.catalog.dropTempView("_sm_changes")
