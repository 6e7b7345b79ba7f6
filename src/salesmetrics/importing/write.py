"""Writing checked import rows into the workspace.

A row replaces the record with the same key (``Table.key``; empty key parts match empty ones)
entirely: columns the file left out become empty, so the workspace holds what the newest file
says, never a mix of two exports. A row equal to its record is left alone and counted as
unchanged; the data version moves only when something changed.

Derived rows (``_merge``: the owner named on a deal, made a rep) are the exception: they only fill
in what they carry, so a rep's team imported from a reps file survives the next deals export.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import duckdb

from .. import storage
from ..schema import IMPORT_ORDER, TABLES, Table
from .sql import ident
from .summary import TableCounts

_CHANGES = "_import_changes"


def _same_key(table: Table, left: str, right: str) -> str:
    return " AND ".join(
        f"{left}.{ident(k)} IS NOT DISTINCT FROM {right}.{ident(k)}" for k in table.key
    )


def _classify(con: duckdb.DuckDBPyConnection, table: Table, rows: str) -> dict[str, int]:
    """Mark each import row new, changed or same in a temp table; count each."""
    others = [c for c in table.column_names if c not in table.key]
    differs = " OR ".join(f"r.{ident(c)} IS DISTINCT FROM t.{ident(c)}" for c in others)
    adds = " OR ".join(f"(r.{ident(c)} IS NOT NULL AND r.{ident(c)} IS DISTINCT FROM t.{ident(c)})"
                       for c in others)
    columns = ", ".join(f"r.{ident(c)}" for c in table.column_names)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_CHANGES} AS SELECT {columns}, r._merge, "
        f"CASE WHEN t._found IS NULL THEN 'new' "
        f"WHEN r._merge THEN CASE WHEN {adds or 'false'} THEN 'changed' ELSE 'same' END "
        f"WHEN {differs or 'false'} THEN 'changed' "
        "ELSE 'same' END AS _change "
        f"FROM {rows} r LEFT JOIN (SELECT *, true AS _found FROM {ident(table.name)}) t "
        f"ON {_same_key(table, 'r', 't')}"
    )
    found = con.execute(f"SELECT _change, count(*) FROM {_CHANGES} GROUP BY ALL").fetchall()
    return {str(change): int(n) for change, n in found}


def _upsert(con: duckdb.DuckDBPyConnection, table: Table, rows: str) -> TableCounts:
    target = ident(table.name)
    others = [c for c in table.column_names if c not in table.key]
    counts = _classify(con, table, rows)
    if counts.get("changed") and others:
        assignments = ", ".join(
            f"{ident(c)} = CASE WHEN c._merge THEN coalesce(c.{ident(c)}, {target}.{ident(c)}) "
            f"ELSE c.{ident(c)} END" for c in others)
        con.execute(f"UPDATE {target} SET {assignments} FROM {_CHANGES} c "
                    f"WHERE c._change = 'changed' AND {_same_key(table, target, 'c')}")
    if counts.get("new"):
        columns = ", ".join(ident(c) for c in table.column_names)
        con.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {_CHANGES} "
                    "WHERE _change = 'new'")
    # Created in the import's transaction: a rollback removes it, so only success drops it.
    con.execute(f"DROP TABLE {_CHANGES}")
    return TableCounts(table.name, inserted=counts.get("new", 0),
                       updated=counts.get("changed", 0), unchanged=counts.get("same", 0))


def write_all(con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: Callable[[str], None] | None = None) -> list[TableCounts]:
    """Upsert every table's import rows in one transaction, in IMPORT_ORDER; all or nothing."""
    counts: list[TableCounts] = []
    con.execute("BEGIN TRANSACTION")
    try:
        for name in IMPORT_ORDER:
            if name in rows:
                if on_table:
                    on_table(name)
                counts.append(_upsert(con, TABLES[name], rows[name]))
        if any(c.changed for c in counts):
            storage.bump_data_version(con)
        con.execute("COMMIT")
    except BaseException:
        # A failed COMMIT has ended the transaction already; the first error is the one to see.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return counts
