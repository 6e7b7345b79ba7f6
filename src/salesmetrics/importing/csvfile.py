"""Staging a CSV file. Python reads only the header line, so that the header is checked against
the schema before any data is read; DuckDB parses the rest.

Files are read strictly: a row with fewer or more values than the header (a truncated file, a stray
delimiter) is a problem naming its line, never silently padded. A header-only file is a legitimate
empty export and stages 0 rows; a file without even a header is a problem. The delimiter is the
one of , ; tab | that the header line uses most.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from ..errors import Problem
from ..schema import TABLES
from .header import match_columns
from .sources import Source
from .sql import ident, literal
from .staging import EMPTY, Staged, count_rows, first_line, stage_name, text_columns

DELIMITERS = (",", ";", "\t", "|")
_HEADER_LIMIT = 1 << 20
_CHUNK = 1 << 20


def _read_header(path: Path, name: str) -> tuple[str, list[str]] | Problem:
    """The delimiter and column names of a CSV file, read from its first line."""
    with path.open("rb") as f:
        head = f.read(8192)
        f.seek(0)
        first = f.readline(_HEADER_LIMIT)
    if b"\x00" in head:
        return Problem(name, None, None, None,
                       "not a CSV text file (binary data, or a UTF-16 export); "
                       "save it as CSV (UTF-8)")
    if not head.strip():
        return Problem(name, None, None, None, EMPTY)
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        return Problem(name, 1, None, None, "not UTF-8 text; save the file as CSV (UTF-8)")
    if not line.strip():
        return Problem(name, 1, None, None, "line 1 is empty; it must be the header")
    counts = {d: line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the comma
    if not counts[delimiter]:
        delimiter = ","
    return delimiter, next(csv.reader([line], delimiter=delimiter))


def stage_csv(
    con: duckdb.DuckDBPyConnection, source: Source, index: int
) -> Staged | list[Problem]:
    header = _read_header(source.path, source.name)
    if isinstance(header, Problem):
        return [header]
    delimiter, names = header
    table = TABLES[source.table]
    positions, problems = match_columns(table, names, source.name)
    if problems:
        return problems
    # Positional names: the file's own names may be anything, including empty or quoted.
    columns = [f"c{i}" for i in range(len(names))]
    types = ", ".join(f"{literal(c)}: 'VARCHAR'" for c in columns)
    select = text_columns(table, positions, [ident(c) for c in columns])
    stage = stage_name(index)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT {select}, NULL::BIGINT AS _line "
            f"FROM read_csv(?, columns = {{{types}}}, header = true, auto_detect = false, "
            "delim = ?, quote = '\"', escape = '\"', strict_mode = true, null_padding = false)",
            [str(source.path), delimiter],
        )
    except duckdb.Error as exc:
        return [_csv_error(source.name, exc)]
    rows = count_rows(con, stage)
    _number_lines(con, stage, source.path, delimiter, rows)
    return Staged(source, index, stage, rows)


def _physical_lines(path: Path) -> int:
    lines = 0
    last = b""
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (1 if last not in (b"\n", b"") else 0)


def _number_lines(con: duckdb.DuckDBPyConnection, stage: str, path: Path, delimiter: str,
                  rows: int) -> None:
    """Fill ``_line``. DuckDB keeps file order (insertion order), so row k sits on line k + 2
    unless quoted values span lines or blank lines were skipped; only then is the file walked
    again to find where each record starts."""
    if _physical_lines(path) != rows + 1:
        starts = _record_starts(path, delimiter)
        if starts is not None and len(starts) == rows:
            lines = pa.table({"_row": pa.array(range(rows), pa.int64()),
                              "_start": pa.array(starts, pa.int64())})
            con.register("_import_lines", lines)
            try:
                con.execute(f"UPDATE {stage} SET _line = l._start FROM _import_lines l "
                            f"WHERE {stage}.rowid = l._row")
            finally:
                con.unregister("_import_lines")
            return
    con.execute(f"UPDATE {stage} SET _line = rowid + 2")


def _record_starts(path: Path, delimiter: str) -> list[int] | None:
    """The first line of every data record, or None if Python's reader cannot follow the file."""
    starts: list[int] = []
    end = 0
    try:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as f:
            reader = csv.reader(f, delimiter=delimiter)
            for record in reader:
                start, end = end + 1, reader.line_num
                if record:  # DuckDB skips blank lines too
                    starts.append(start)
    except csv.Error:
        return None
    return starts[1:]


def _csv_error(name: str, error: duckdb.Error) -> Problem:
    """DuckDB's CSV error as a problem on its line."""
    text = str(error)
    at = re.search(r"CSV Error on Line: (\d+)", text)
    line = int(at[1]) if at else None
    original = re.search(r"Original Line: *\n?(.*)", text)
    value = original[1][:200] if original and original[1] else None
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if counts:
        message = (f"line has {counts[2]} values but the header has {counts[1]} columns "
                   "(a truncated file, or a value containing the delimiter without quotes?)")
    elif "unterminated quote" in text:
        message = "a quoted value is never closed (a truncated file, or a stray quote?)"
    elif "Invalid unicode" in text:
        message = "not UTF-8 text; save the file as CSV (UTF-8)"
    elif "Maximum line size" in text:
        message = "line is too long to be a record (is this really a CSV file?)"
    else:
        message = "cannot read the file: " + first_line(error)
    return Problem(name, line, None, value, message)
