"""An import checked in one connection and written in another.

The server checks an upload on a read-only connection, beside the readers it keeps answering, and
only then takes the writer's turn, which shuts readers out, for the write itself. The checked rows
cannot cross connections as temporary tables, so :class:`KeepChecked` (a
:class:`~salesmetrics.importing.run.Destination`) keeps them as Parquet files in a folder, typed as
they will be stored; :func:`write_kept` upserts them in one transaction, as an import writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from ..schema import TABLES
from .counts import TableCounts
from .sql import ident, literal
from .write import Lacking, write_all


class KeepChecked:
    """Keeps each table's checked import rows (typed columns, ``_file`` and ``_merge``) in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tables: dict[str, Path] = {}
        self.lacking: Lacking = {}  # the columns the files give no value to (write_all)

    def prepare(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str]) -> None:
        """Nothing to learn first: the workspace the rows were checked against is this one."""

    def preload(self, con: duckdb.DuckDBPyConnection, table: str, rows: str) -> None:
        """Nothing to copy: the stored records the deals' history compares with are this file's."""

    def write(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: Callable[[str], None] | None = None,
              lacking: Lacking | None = None) -> list[TableCounts]:
        self.lacking = lacking or {}
        for table, name in rows.items():
            if on_table:
                on_table(table)
            target = self.folder / f"{table}.parquet"
            columns = ", ".join(ident(c) for c in TABLES[table].column_names)
            con.execute(f"COPY (SELECT _file, _merge, {columns} FROM {name}) TO {literal(str(target))} "
                        "(FORMAT parquet)")
            self.tables[table] = target
        return []  # counted when written


def write_kept(con: duckdb.DuckDBPyConnection, kept: KeepChecked,
               on_table: Callable[[str], None] | None = None) -> list[TableCounts]:
    """Upsert the kept rows into the workspace on ``con``: all or nothing."""
    rows = {table: f"read_parquet({literal(str(path))})" for table, path in kept.tables.items()}
    return write_all(con, rows, on_table=on_table, lacking=kept.lacking)
