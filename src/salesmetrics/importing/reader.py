"""Reading one file into a temporary staging table of text values (see :mod:`.staging`)."""

from __future__ import annotations

import duckdb

from ..errors import Problem
from .csvfile import stage_csv
from .parquetfile import stage_parquet
from .sources import Source
from .staging import EMPTY, Staged


def stage_file(
    con: duckdb.DuckDBPyConnection, source: Source, index: int
) -> Staged | list[Problem]:
    """Stage ``source``; its problems instead if it cannot be read or its header does not fit."""
    try:
        if source.path.stat().st_size == 0:
            return [Problem(source.name, None, None, None, EMPTY)]
        if source.format == "csv":
            return stage_csv(con, source, index)
        return stage_parquet(con, source, index)
    except OSError as exc:
        return [Problem(source.name, None, None, None, f"cannot read the file ({exc.strerror})")]
