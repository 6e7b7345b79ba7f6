"""What every backend other than the workspace's own DuckDB file does, and the SQL they share.

A backend holds the canonical tables and the workspace's metadata (``_meta``: schema and data
version, ``_settings``, ``targets``). The interface is narrow on purpose: connect (an Ibis backend
the KPI definitions compile against), ensure the schema, read and save the metadata, say which ids
exist, and write validated import rows. Validation itself always runs in DuckDB, before anything
reaches the backend.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from .. import storage
from ..importing.counts import TableCounts
from ..schema import IMPORT_ORDER, TABLES, Table
from .url import BackendURL

# The workspace's own small tables, mirrored into the backend beside the records.
META_TABLES = ("targets",)
_CHUNK = 5_000  # ids asked for at once
OnTable = Callable[[str], None]


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    duck_type: str  # as DuckDB's DESCRIBE says: VARCHAR, DECIMAL(18,2), TIMESTAMP, ...
    not_null: bool = False
    primary: bool = False


Columns = dict[str, list[ColumnInfo]]  # table -> its columns, in order


@dataclass
class Meta:
    """The metadata a backend holds, as read at open."""

    data_version: int = 0
    schema_version: int = 0
    settings: dict[str, str] = field(default_factory=dict)
    targets: list[tuple[Any, ...]] = field(default_factory=list)


def table_columns(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> Columns:
    """Columns and DuckDB types of tables on ``con`` (a DuckDB migrated to the current schema):
    the one source of truth for the backends' DDL, so a migration reaches them too."""
    out: Columns = {}
    for name in names:
        rows = con.execute(f"DESCRIBE {name}").fetchall()
        # DuckDB's record tables have no primary key since schema v5 (storage.KEYED_TABLES); tables
        # this creates in another engine declare it (ones made by earlier versions have none).
        keyed = TABLES[name].key if name in storage.KEYED_TABLES else ()
        out[name] = [ColumnInfo(str(r[0]), str(r[1]), str(r[2]) == "NO",
                                str(r[3]) == "PRI" or str(r[0]) in keyed) for r in rows]
    return out


_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def decimal_parts(duck_type: str) -> tuple[int, int] | None:
    found = _DECIMAL.fullmatch(duck_type.upper())
    return (int(found[1]), int(found[2])) if found else None


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def key_match(table: Table, left: str, right: str, same: Callable[[str, str], str]) -> str:
    """Rows with the same key. Required key parts compare with ``=`` so engines can hash-join on
    them; optional ones (a quota's rep or team) with the engine's null-safe equality ``same``."""
    parts = []
    for k in table.key:
        a, b = f"{left}.{ident(k)}", f"{right}.{ident(k)}"
        parts.append(f"{a} = {b}" if table.column(k).required else same(a, b))
    return " AND ".join(parts)


def classify_select(table: Table, rows: str, target: str, same: Callable[[str, str], str],
                    differ: Callable[[str, str], str]) -> str:
    """Each import row with ``_change``: new, changed or same -- exactly as the DuckDB writer
    (importing/write.py) decides, derived rows (``_merge``) counting only what they add. The
    existing values ride along as ``_old_<column>`` for the derived rows' coalesce."""
    others = [c for c in table.column_names if c not in table.key]
    differs = " OR ".join(differ(f"r.{ident(c)}", f"t.{ident(c)}") for c in others) or "false"
    adds = " OR ".join(f"(r.{ident(c)} IS NOT NULL AND {differ(f'r.{ident(c)}', f't.{ident(c)}')})"
                       for c in others) or "false"
    cols = ", ".join(f"r.{ident(c)}" for c in table.column_names)
    old = "".join(f", t.{ident(c)} AS {ident('_old_' + c)}" for c in others)
    return (
        f"SELECT {cols}, r._merge{old}, CASE WHEN t._found IS NULL THEN 'new' "
        f"WHEN r._merge THEN CASE WHEN {adds} THEN 'changed' ELSE 'same' END "
        f"WHEN {differs} THEN 'changed' ELSE 'same' END AS _change "
        f"FROM {rows} r LEFT JOIN (SELECT *, true AS _found FROM {target}) t "
        f"ON {key_match(table, 'r', 't', same)}"
    )


def resolved(table: Table, changes: str, change: str) -> str:
    """The rows to store for ``change`` (new or changed) records: a derived row keeps what it
    does not say."""
    cols = []
    for c in table.column_names:
        if c in table.key:
            cols.append(ident(c))
        else:
            cols.append(f"CASE WHEN _merge THEN coalesce({ident(c)}, {ident('_old_' + c)}) "
                        f"ELSE {ident(c)} END AS {ident(c)}")
    return f"SELECT {', '.join(cols)} FROM {changes} WHERE _change = '{change}'"


def import_tables(rows: dict[str, str]) -> list[str]:
    return [name for name in IMPORT_ORDER if name in rows]


class RemoteBackend(ABC):
    """A backend holding the records away from the workspace's DuckDB file."""

    kind: str = ""

    def __init__(self, url: BackendURL) -> None:
        self.url = url

    @property
    @abstractmethod
    def ibis(self) -> Any:
        """The Ibis backend the KPI definitions are compiled for and run on."""

    @abstractmethod
    def ensure_schema(self, columns: Columns, schema_version: int) -> None:
        """Create what is missing (tables, columns, metadata); refuse a newer schema."""

    @abstractmethod
    def load_meta(self) -> Meta: ...

    @abstractmethod
    def data_version(self) -> int: ...

    @abstractmethod
    def save_meta(self, settings: dict[str, str], targets: list[tuple[Any, ...]],
                  shift: tuple[str, str] | None = None) -> int:
        """Store settings and targets and bump the data version, in one step; with ``shift``
        (old, new time zone) re-express every stored local time as well. Returns the new version."""

    @abstractmethod
    def existing_keys(self, table: str, column: str, values: list[str]) -> list[str]:
        """Which of ``values`` are in ``table.column``: for an import's reference checks."""

    def existing_rows(self, table: str, column: str, values: list[str]) -> Any:
        """The stored records of ``table`` whose ``column`` is one of ``values``, as an Arrow
        table: what an import's history compares its deals with."""
        import pyarrow as pa

        t = self.ibis.table(table)
        parts = [t.filter(t[column].isin(values[i:i + _CHUNK])).to_pyarrow()
                 for i in range(0, len(values), _CHUNK)]
        return pa.concat_tables(parts) if parts else None

    def any_keys(self, table: str, column: str) -> list[str]:
        """One value of ``table.column``, if the table holds any record."""
        t = self.ibis.table(table)
        found = t.select(column).limit(1).to_pyarrow().column(0).to_pylist()
        return [str(v) for v in found if v is not None]

    @abstractmethod
    def write(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: OnTable | None = None) -> list[TableCounts]:
        """Upsert validated import rows (DuckDB tables on ``con``, by canonical table), all or
        nothing, with the same inserted / updated / unchanged counts as the DuckDB writer, and bump
        the data version if anything changed."""

    @abstractmethod
    def change_records(self, insert: Mapping[str, Sequence[Mapping[str, Any]]],
                       delete: Mapping[str, tuple[str, Sequence[str]]]) -> int:
        """What :meth:`Store.change_records <salesmetrics.store.Store.change_records>` does, in the
        backend: delete the records whose column holds one of the values, insert the rows, all or
        nothing, and bump the data version. Returns the new version."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing that must be let go
        """Let go of connections."""


def canonical(name: str) -> Table:
    return TABLES[name]
