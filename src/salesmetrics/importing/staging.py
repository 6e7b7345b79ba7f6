"""The staging table one file is read into, and what the CSV and Parquet readers share.

A staging table is temporary and has one VARCHAR column per table column (absent optional columns
are NULL), values trimmed with empty meaning NULL, plus ``_line``: the line of the row in a CSV file
(the header is line 1) or the 1-based row number in a Parquet file, which problems then name.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..schema import Table
from .sources import Source
from .sql import cleaned, ident

EMPTY = "file is empty; expected a header line with the column names"


@dataclass(frozen=True)
class Staged:
    source: Source
    index: int  # the ``_file`` value of this file's rows
    table: str  # the staging table's name
    rows: int


def stage_name(index: int) -> str:
    return f"_import_stage_{index}"


def text_columns(table: Table, positions: dict[str, int], columns: list[str]) -> str:
    """SELECT list of the table's columns as cleaned text, from the file's ``columns`` (SQL
    expressions) at ``positions``."""
    return ", ".join(
        f"{cleaned(columns[positions[c]])} AS {ident(c)}" if c in positions
        else f"NULL::VARCHAR AS {ident(c)}"
        for c in table.column_names
    )


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def first_line(error: duckdb.Error) -> str:
    """The gist of a DuckDB error, without its class prefix and advice."""
    return str(error).split("\n", 1)[0].removeprefix("Invalid Input Error: ")
