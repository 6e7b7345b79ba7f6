"""Staging a Parquet file. Its typed values are staged as text like CSV values, so both kinds of
file meet the same rules; problems name the 1-based row number as the line."""

from __future__ import annotations

import duckdb

from ..errors import Problem
from ..schema import TABLES
from .header import match_columns
from .sources import Source
from .sql import ident
from .staging import Staged, count_rows, first_line, stage_name, text_columns


def stage_parquet(
    con: duckdb.DuckDBPyConnection, source: Source, index: int
) -> Staged | list[Problem]:
    path = str(source.path)
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
    except duckdb.Error as exc:
        reason = first_line(exc)
        return [Problem(source.name, None, None, None, f"not a readable Parquet file ({reason})")]
    names = [str(r[0]) for r in described]
    table = TABLES[source.table]
    positions, problems = match_columns(table, names, source.name)
    if problems:
        return problems
    select = text_columns(table, positions, [f"CAST({ident(n)} AS VARCHAR)" for n in names])
    stage = stage_name(index)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT {select}, file_row_number + 1 AS _line "
            "FROM read_parquet(?, file_row_number = true)",
            [path],
        )
    except duckdb.Error as exc:
        reason = first_line(exc)
        return [Problem(source.name, None, None, None, f"cannot read the Parquet file ({reason})")]
    return Staged(source, index, stage, count_rows(con, stage))
