"""A workspace whose records live in PostgreSQL or Spark.

It is a :class:`~salesmetrics.store.Store` in every other way: the KPI definitions, the report and
every face are the same code; only where records are read (``ibis``), where an import
writes, and where the metadata is kept differ. Beside the backend it holds an in-memory DuckDB:
imports are staged and validated there exactly as for a DuckDB workspace, and it mirrors the
backend's small metadata tables (settings, targets) as they were when the workspace was opened,
so code that reads them through ``workspace.connection`` works unchanged. Every change is saved
to the backend at once, with a new data version.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from .. import storage
from ..access import Viewer
from ..errors import WorkspaceError
from ..importing.counts import TableCounts
from ..records import Records
from ..schema import TABLES
from ..settings import SETTINGS, SettingChange, parse_setting
from ..store import RATES_BASE, Store
from .base import META_TABLES, Meta, RemoteBackend, table_columns
from .url import BackendURL

if TYPE_CHECKING:
    from datetime import datetime

    from ..importing import FormatOptions, ImportSummary
    from ..importing.mapping.select import MappingsArg
    from ..importing.run import Destination
    from ..importing.write import Lacking


def connect_backend(url: BackendURL) -> RemoteBackend:
    if url.kind == "postgres":
        from .postgres import PostgresBackend

        return PostgresBackend(url)
    if url.kind == "pyspark":
        from .pyspark import SparkBackend

        return SparkBackend(url)
    raise WorkspaceError(f"{url.kind} is not a remote backend")


def _local_mirror() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the workspace schema. The canonical tables lose their NOT NULL
    constraints: they only ever hold the ids an import's reference checks found in the backend."""
    con = duckdb.connect()
    storage.migrate(con)
    for name in TABLES:
        con.execute(f"CREATE TABLE _copy AS SELECT * FROM {name} WHERE false")
        con.execute(f"DROP TABLE {name}")
        con.execute(f"ALTER TABLE _copy RENAME TO {name}")
    return con


def _meta_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [t for t in META_TABLES if t in present]


class RemoteStore(Store):
    # The mirror is in memory: accounts and an audit log kept there would vanish at close. They
    # live in a DuckDB workspace file (docs/team.md).
    holds_accounts = False

    def __init__(self, backend: RemoteBackend, con: duckdb.DuckDBPyConnection, *,
                 read_only: bool = False) -> None:
        super().__init__(Path(backend.url.redacted()), con, read_only=read_only)
        self.backend = backend

    @classmethod
    def connect(cls, url: BackendURL, *, read_only: bool = False) -> RemoteStore:
        backend = connect_backend(url)
        con = _local_mirror()
        try:
            columns = table_columns(con, [*TABLES, *_meta_tables(con)])
            backend.ensure_schema(columns, storage.SCHEMA_VERSION)
            ws = cls(backend, con, read_only=read_only)
            ws._pull(backend.load_meta())
        except BaseException:
            con.close()
            backend.close()
            raise
        return ws

    def __repr__(self) -> str:
        return f"<Workspace {self.backend.url.redacted()!r}>"

    def _pull(self, meta: Meta) -> None:
        con = self._con
        con.execute("DELETE FROM _settings")
        for name, value in meta.settings.items():
            storage.write_setting(con, name, value)
        con.execute("UPDATE _meta SET value = ? WHERE key = 'data_version'", [str(meta.data_version)])
        if "targets" in _meta_tables(con):
            con.execute("DELETE FROM targets")
            if meta.targets:
                marks = ", ".join(["?"] * len(meta.targets[0]))
                con.executemany(f"INSERT INTO targets VALUES ({marks})", [list(r) for r in meta.targets])

    def _push(self, shift: tuple[str, str] | None = None) -> None:
        settings = {k: v for k, v in storage.read_settings(self._con).items() if v is not None}
        targets = (self._con.execute("SELECT * FROM targets").fetchall()
                   if "targets" in _meta_tables(self._con) else [])
        version = self.backend.save_meta(settings, targets, shift)
        self._con.execute("UPDATE _meta SET value = ? WHERE key = 'data_version'", [str(version)])

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.backend.close()

    @property
    def ibis(self) -> Any:
        return self.backend.ibis

    @property
    def data_version(self) -> int:
        return self.backend.data_version()

    def rollups_fresh(self) -> bool:
        return False  # the backend keeps none: its queries read the records

    def side_by_side(self, *jobs: Callable[[], Any]) -> list[Any]:
        # One Ibis connection to the backend, which serves one thread at a time: in turn.
        return [job() for job in jobs]

    def records(self, viewer: Viewer | None = None) -> Records:
        # The records live in the backend: never the local mirror's connection (kpis/compiled.py
        # keeps SQL for the embedded engine only).
        return Records(self.ibis, viewer or Viewer.everyone())

    # -- settings and targets: the mirror first, then the backend, as one change ----------------
    def set_setting(self, name: str, value: str | None) -> SettingChange:
        new = parse_setting(name, value)
        moved = self.rates_moved(name, new)
        were_to = self.rates_base() if moved else None
        if moved:
            # The rates to the old base go first: should the setting then fail, figures in other
            # currencies are refused until rates come, never converted at the old base's rates.
            found = self.ibis.table("fx_rates").select("currency").distinct().to_pyarrow()
            kept = [str(c) for c in found.column("currency").to_pylist()]
            self.change_records(delete={"fx_rates": ("currency", kept)})
        shift = None
        if name == "time_zone":
            old = self.settings.time_zone
            target = new or str(SETTINGS["time_zone"].default)
            shift = (old, target) if old != target else None
        midnights = self.midnights(*shift) if shift else 0
        before = storage.read_settings(self._con)
        written = {name: new, **({RATES_BASE: new} if name == "base_currency" and new else {})}
        for key, text in written.items():
            storage.write_setting(self._con, key, text)
        try:
            self._push(shift)
        except BaseException:
            for key in written:
                storage.write_setting(self._con, key, before.get(key))
            raise
        return SettingChange(new, moved, were_to, midnights)

    def saved_meta(self) -> None:
        self._push()

    def change_records(self, insert: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                       delete: Mapping[str, tuple[str, Sequence[str]]] | None = None) -> None:
        if self.read_only:
            raise WorkspaceError(f"{self.backend.url.redacted()} was opened read-only")
        for table, (column, _) in (delete or {}).items():
            TABLES[table].column(column)  # a column of the table, never text from outside
        version = self.backend.change_records(insert or {}, delete or {})
        self._con.execute("UPDATE _meta SET value = ? WHERE key = 'data_version'", [str(version)])

    # -- records: asked of the backend through Ibis ----------------------------------------------
    def _most_deals_currency(self) -> str | None:
        import ibis

        deals = self.ibis.table("deals")
        priced = deals.filter(deals.currency.notnull())
        counted = (priced.group_by(c=priced.currency.upper()).aggregate(n=priced.count())
                   .order_by([ibis.desc("n"), "c"]).limit(1))
        found = counted.to_pyarrow().column("c").to_pylist()
        return str(found[0]) if found else None

    def _read_currencies(self) -> list[str]:
        import ibis

        parts = [self.ibis.table(t).select(c=ibis._.currency.upper())
                 for t in ("deals", "products", "quotas")]
        found = ibis.union(*parts, distinct=True).filter(ibis._.c.notnull())
        return sorted(str(c) for c in found.to_pyarrow().column("c").to_pylist())

    def counts(self, viewer: Viewer | None = None) -> dict[str, int]:
        if viewer is not None and not viewer.sees_everything:
            return super().counts(viewer)
        return {name: self.count(name) for name in TABLES}

    def count(self, table: str) -> int:
        return int(self.ibis.table(TABLES[table].name).count().execute())

    def names(self, table: str, viewer: Viewer | None = None) -> dict[str, str]:
        if viewer is not None and not viewer.sees_everything:
            return super().names(table, viewer)
        key = {"reps": "rep_id", "products": "product_id"}[table]
        t = self.ibis.table(table)
        rows = t.filter(t.name.notnull()).select(key, "name").to_pyarrow().to_pylist()
        return {str(r[key]): str(r["name"]) for r in rows}

    def import_files(self, *paths: str | os.PathLike[str],
                     on_progress: Callable[[str, int, int], None] | None = None,
                     source: str | None = None, mapping: MappingsArg = None,
                     options: FormatOptions | None = None, now: datetime | None = None,
                     destination: Destination | None = None) -> ImportSummary:
        from ..importing import import_files
        from ..importing.mapping.select import select_mappings

        if self.read_only:
            raise WorkspaceError(f"{self.backend.url.redacted()} was opened read-only")
        mappings, label = select_mappings(source, mapping)
        summary = import_files(self._con, [Path(p) for p in paths], self.settings, on_progress=on_progress,
                               mappings=mappings, options=options, source_label=label, now=now,
                               destination=destination or _Destination(self))
        return summary if destination is not None else self.imported(summary)


class _Destination:
    """The import's way out to the backend (importing.run.Destination)."""

    def __init__(self, ws: RemoteStore) -> None:
        self.ws = ws

    def preload(self, con: duckdb.DuckDBPyConnection, table: str, rows: str) -> None:
        """The backend's records of ``table`` that the import names, copied into the local table
        (replacing what an earlier import left there): the history inputs read them."""
        key = TABLES[table].key[0]
        wanted = [str(r[0]) for r in con.execute(
            f'SELECT DISTINCT "{key}" FROM {rows} WHERE "{key}" IS NOT NULL').fetchall()]
        con.execute(f"DELETE FROM {table}")
        found = self.ws.backend.existing_rows(table, key, wanted) if wanted else None
        if found is not None and found.num_rows:
            con.register("_sm_found", found)
            try:
                names = ", ".join(f'"{n}"' for n in found.column_names)
                con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _sm_found")
            finally:
                con.unregister("_sm_found")

    def prepare(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str]) -> None:
        """Copy into the local tables the ids this import refers to that the backend has, so the
        reference checks (validate.py) see them. Only ids the import itself does not hold are
        asked for: a full export refers to its own records and asks nothing. Programs are few and
        their names must stay unique (checks/rules.py): their ids and names are copied whole."""
        if "programs" in rows:
            import pyarrow as pa

            stored = self.ws.ibis.table("programs").select("program_id", "name").to_pyarrow()
            con.execute("DELETE FROM programs")
            con.register("_sm_programs", pa.table({"program_id": stored.column("program_id"),
                                                   "name": stored.column("name")}))
            try:
                con.execute("INSERT INTO programs (program_id, name) SELECT program_id, name "
                            "FROM _sm_programs")
            finally:
                con.unregister("_sm_programs")
        for name, rel in rows.items():
            for c in TABLES[name].columns:
                if c.references is None:
                    continue
                target, key = c.references.split(".")
                sql = (f'SELECT DISTINCT "{c.name}" FROM {rel} WHERE "{c.name}" IS NOT NULL '
                       f'AND "{c.name}" NOT IN (SELECT "{key}" FROM {target} WHERE "{key}" IS NOT NULL)')
                if target in rows:
                    sql += (f' AND "{c.name}" NOT IN (SELECT "{key}" FROM {rows[target]} '
                            f'WHERE "{key}" IS NOT NULL)')
                wanted = [str(r[0]) for r in con.execute(sql).fetchall()]
                found = self.ws.backend.existing_keys(target, key, wanted) if wanted else []
                if c.references_once_filled and not found and not con.execute(
                        f'SELECT count(*) FROM {target}').fetchall()[0][0]:
                    # The check asks whether the workspace has any at all: one of them says so.
                    found = self.ws.backend.any_keys(target, key)
                if found:
                    import pyarrow as pa

                    con.register("_sm_found", pa.table({"v": pa.array(found, pa.string())}))
                    try:
                        con.execute(f'INSERT INTO {target} ("{key}") SELECT v FROM _sm_found')
                    finally:
                        con.unregister("_sm_found")

    def write(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: Callable[[str], None] | None = None,
              lacking: Lacking | None = None) -> list[TableCounts]:
        # The backend writes with its own SQL, which counts no emptied values (yet).
        counts = self.ws.backend.write(con, rows, on_table)
        con.execute("UPDATE _meta SET value = ? WHERE key = 'data_version'",
                    [str(self.ws.backend.data_version())])
        return counts
