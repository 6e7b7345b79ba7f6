"""The staging table one file is read into, and the canonical rows each table draws from it.

A staging view is temporary and holds the file columns a mapping uses, as ``c<position>`` text
(trimmed, empty meaning NULL), plus ``_line``: the line of the row in a CSV file (the header is line
1), the row in an Excel sheet, or the 1-based row number in a Parquet file, which problems name.

An :class:`Input` is the SQL that turns one staging table into rows of one canonical table: one per
column, converted text and the text shown in problems (see :class:`.exprs.ColumnSql`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb

from ..mapping.exprs import ColumnSql
from .sources import Source

EMPTY = "file is empty; expected a header line with the column names"
# Staged.skipped's reason for rows without a value in any column read: no record, and said so.
EMPTY_ROWS = "empty rows (no value in any column read)"


@dataclass(frozen=True)
class Input:
    file: int                          # the ``_file`` value of these rows
    table: str                         # the canonical table they fill
    source: str                        # FROM clause: the staging table, perhaps joined
    columns: Mapping[str, ColumnSql]   # canonical column -> SQL; absent columns are empty
    derived: bool = False              # side records: merged by key, never clearing a column
    where: str | None = None
    reads_workspace: bool = False     # joins stored records, so must be read before writing
    # Reads the records this import writes, so is read as they are written (after the table
    # it reads: IMPORT_ORDER): a view, never kept before the write.
    written: bool = False
    nul_free: bool = False            # its file has no NUL byte: no value needs checking for one


class Loaded(NamedTuple):
    """A file read into its staging table."""

    line: str                # the SQL of each row's line over the table
    nul_free: bool = False   # the file has no NUL byte (known for CSV files)


@dataclass(frozen=True)
class Staged:
    source: Source
    index: int  # the ``_file`` value of this file's rows
    table: str  # the staging table's name
    inputs: tuple[Input, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)  # canonical column -> file column
    advice: Mapping[str, str] = field(default_factory=dict)  # canonical column -> model.Mapping.advice
    skipped: tuple[tuple[str, int], ...] = ()                 # (reason, rows) left out
    gone: tuple[str, ...] = ()  # keys of records the file says were deleted at the source
    # Columns of its table the file gives a value to (from a column it has, or a constant): the
    # others are emptied in the records it replaces (importing/write.py counts them).
    present: frozenset[str] = frozenset()


def stage_name(index: int) -> str:
    return f"_import_stage_{index}"


def data_name(index: int) -> str:
    """The table a file's values are read into; :func:`stage_name` is a view over it that adds
    ``_line`` and leaves out skipped rows, so neither needs a pass rewriting the table."""
    return f"_import_stage_{index}_data"


def create_stage(con: duckdb.DuckDBPyConnection, stage: str, data: str, line: str,
                 skip: tuple[str, ...] = ()) -> None:
    """The staging view ``stage`` over table ``data``: ``line`` is the SQL of ``_line`` over it,
    and rows where a ``skip`` condition holds are left out."""
    where = " AND ".join(f"NOT coalesce({s}, false)" for s in skip)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {stage} AS "
                f"SELECT *{'' if line == '_line' else f', {line} AS _line'} FROM {data}"
                f"{f' WHERE {where}' if where else ''}")


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def first_line(error: duckdb.Error) -> str:
    """The gist of a DuckDB error, without its class prefix and advice."""
    return str(error).split("\n", 1)[0].removeprefix("Invalid Input Error: ")
