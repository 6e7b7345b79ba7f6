"""Reading Parquet files. Typed values are staged as text like CSV values, so both kinds of file
meet the same rules; problems name the 1-based row number as the line."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ...errors import Problem
from ..sql import cleaned, ident
from .staging import Loaded, first_line


def parquet_names(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> list[str] | Problem:
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        return Problem(name, None, None, None, f"not a readable Parquet file ({first_line(exc)})")
    return [str(r[0]) for r in described]


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str, names: list[str],
                  positions: list[int], data: str) -> Loaded | Problem:
    """Like :func:`.csvfile.stage_csv`: the SQL of each row's line over ``data``."""
    select = "".join(f"{cleaned(f'CAST({ident(names[p])} AS VARCHAR)')} AS c{p}, " for p in positions)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {data} AS SELECT {select}file_row_number + 1 AS _line "
            "FROM read_parquet(?, file_row_number = true)",
            [str(path)],
        )
    except duckdb.Error as exc:
        return Problem(name, None, None, None, f"cannot read the Parquet file ({first_line(exc)})")
    return Loaded("_line")
