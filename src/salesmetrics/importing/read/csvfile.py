"""Reading CSV files. Python reads only the header line, so that the header is checked against the
mapping before any data is read; DuckDB parses the rest, streaming, whatever the file's size.

Files are read strictly: a row with fewer or more values than the header (a truncated file, a stray
delimiter) is a problem naming its line, never silently padded. A header-only file is a legitimate
empty export and stages 0 rows; a file without even a header is a problem. The delimiter is the
one of , ; tab | that the header line uses most.

Text that is not UTF-8 (Windows-1252 from Excel, UTF-16 "Unicode text") is transcoded to a
temporary UTF-8 file chunk by chunk first: DuckDB's reader only knows UTF-8 and Latin-1, and
Latin-1 lacks the euro sign and the typographic quotes Windows puts in bytes 0x80-0x9F.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ...errors import Problem
from ..sql import cleaned, ident, literal
from .staging import EMPTY, Loaded, first_line

DELIMITERS = (",", ";", "\t", "|")
_HEADER_LIMIT = 1 << 20
_CHUNK = 1 << 20
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
NOT_UTF8 = ("not UTF-8 text; save the file as CSV (UTF-8), or name its encoding "
            "(--encoding cp1252 for a CSV saved by Excel on Windows)")


@dataclass(frozen=True)
class CsvFile:
    """A CSV file as DuckDB will read it."""

    path: Path              # the file DuckDB reads: the original, or a transcoded copy
    delimiter: str
    names: list[str]        # the header, as written
    line_column: bool = False  # the first column holds each row's line (sheets converted to CSV)
    # A sheet's number cells with a fraction, written with a decimal point (excel.py): a file read
    # with a decimal comma has them written again its way.
    point_fractions: bool = False
    # A sheet's cells holding a formula and no result (excel.py), by (row, column), 1-based: refused
    # where the import reads the column (reader.stage_file), ignored in one it does not.
    uncalculated: Mapping[tuple[int, int], str] = field(default_factory=dict)


def transcode(path: Path, encoding: str, target: Path) -> Problem | None:
    """Copy ``path`` in ``encoding`` to ``target`` in UTF-8, a chunk at a time."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    done = 0
    try:
        with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
            while chunk := src.read(_CHUNK):
                out.write(decoder.decode(chunk).lstrip("\ufeff") if done == 0
                          else decoder.decode(chunk))
                done += len(chunk)
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        return Problem(str(path), None, None, None,
                       f"not {encoding} text (byte {done + exc.start + 1} cannot be read as "
                       f"{encoding}); name the file's encoding with --encoding")
    except UnicodeError as exc:  # UTF-16 or UTF-32 without a byte order mark says which order
        return Problem(str(path), None, None, None,
                       f"not {encoding} text ({exc}); a file without a byte order mark needs its "
                       "order named: --encoding utf-16-le (Windows) or utf-16-be")
    return None


def _wide(head: bytes) -> bool:
    """Whether the NUL bytes are those of UTF-16 text: a byte order mark, or NULs nearly all at odd
    (or all at even) places, as every other byte of Latin text in UTF-16 is (text in another script
    has few of them)."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    odd = head[1::2].count(b"\x00")
    even = head[0::2].count(b"\x00")
    return max(odd, even) >= 0.9 * (odd + even) and odd + even >= 8


def _nul(name: str, head: bytes, delimiter: str | None = None) -> Problem:
    """Where a text file holds a NUL byte: its line and, counted by the file's separator (or the
    header's most common one), its column (a NUL in one field was said as "not a CSV text file",
    no line named). Quoted separators are not told apart: the line is sure, the column nearly."""
    at = head.index(b"\x00")
    lines = head[:at].split(b"\n")
    header = head.split(b"\n", 1)[0]
    separator = (delimiter.encode() if delimiter and len(delimiter) == 1
                 else max((b",", b";", b"\t", b"|"), key=header.count))
    names = header.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r").split(separator.decode())
    index = lines[-1].count(separator)
    column = names[index].strip() if len(lines) > 1 and index < len(names) else None
    return Problem(name, len(lines), column, None, "contains a NUL byte (binary data, not text)")


def read_header(path: Path, name: str, delimiter: str | None = None) -> tuple[str, list[str]] | Problem:
    """The delimiter and column names of a UTF-8 CSV file, read from its first line."""
    with path.open("rb") as f:
        head = f.read(8192)
        f.seek(0)
        first = f.readline(_HEADER_LIMIT)
    if head.startswith(b"PK\x03\x04") and b"xl/" in head:
        # An .xlsx renamed .csv (or saved with the wrong extension): it is read as a workbook.
        return Problem(name, None, None, None,
                       "an Excel workbook (xlsx) named as a CSV file: rename it .xlsx, and it is read "
                       "as one")
    if head.startswith(b"\x1f\x8b"):
        return Problem(name, None, None, None, "a gzip-compressed file named as a CSV file: unpack it "
                       "first (gunzip, or 7-Zip on Windows), then import the CSV file inside")
    if head.startswith(b"PK\x03\x04"):
        return Problem(name, None, None, None, "a zip archive named as a CSV file: unpack it first, then "
                       "import the CSV files inside (or the folder they are in)")
    if b"\x00" in head:
        # A few stray NULs in text, not UTF-16 (every other byte) nor binary data (many of them).
        if head.count(b"\x00") <= 8 and not _wide(head):
            return _nul(name, head, delimiter)
        return Problem(name, None, None, None,
                       "not a CSV text file (binary data, or a UTF-16 export); "
                       "save it as CSV (UTF-8)")
    if not head.strip():
        return Problem(name, None, None, None, EMPTY)
    try:
        # A file whose lines end in CR alone (old Mac exports) is one "line" to readline.
        line = first.decode("utf-8-sig").rstrip("\r\n").split("\r", 1)[0]
    except UnicodeDecodeError:
        return Problem(name, 1, None, None, NOT_UTF8)
    if not line.strip():
        return Problem(name, 1, None, None, "line 1 is empty; it must be the header")
    if delimiter is None:
        counts = {d: line.count(d) for d in DELIMITERS}
        delimiter = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the comma
        if not counts[delimiter]:
            delimiter = ","
    try:
        return delimiter, next(csv.reader([line], delimiter=delimiter))
    except csv.Error as exc:
        return Problem(name, 1, None, None, f"the header line cannot be read as CSV ({exc})")


def _utf8(path: Path, head: bytes) -> bool:
    """Whether the file is UTF-8 for sure: its byte order mark, or non-ASCII text that decodes as
    UTF-8 (text in cp1252 or Latin-1 with an umlaut almost never does). ``--encoding`` names the
    encoding of the files that are not: a folder of one cp1252 export beside UTF-8 files stored
    'JÃ¼rgen' beside 'Jürgen', one person as two reps."""
    if head.startswith(codecs.BOM_UTF8):
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    wide = False
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            wide = wide or not chunk.isascii()
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return wide


def open_csv(path: Path, name: str, encoding: str | None, delimiter: str | None,
             workdir: Path) -> CsvFile | Problem:
    """Read the header of a CSV file, transcoding it to UTF-8 first when it is not."""
    with path.open("rb") as f:
        head = f.read(4)
    if encoding is None and head.startswith(_UTF16_BOMS):
        encoding = "utf-16"
    readable = path
    if encoding is not None and codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig") \
            and not _utf8(path, head):
        readable = workdir / f"{len(list(workdir.iterdir()))}.csv"
        problem = transcode(path, encoding, readable)
        if problem is not None:
            return Problem(name, problem.line, None, None, problem.message)
    header = read_header(readable, name, delimiter)
    if isinstance(header, Problem):
        return header
    return CsvFile(readable, header[0], header[1])


def stage_csv(con: duckdb.DuckDBPyConnection, file: CsvFile, name: str, positions: list[int],
              data: str, *, straight: bool = False) -> Loaded | Problem:
    """Read the columns at ``positions`` into table ``data`` as ``c<position>`` (trimmed text,
    empty is NULL); returns the SQL of each row's line over ``data`` and whether the file is free
    of NUL bytes.

    ``straight``: ``data`` is a view reading the file as it is asked, not a table: the file is
    read once, by the write (importing/run.py, straight_from_file). Its rows have no line; a
    problem anywhere has the import staged again, the usual way, to name lines."""
    scan = _scan(file.path, file.delimiter, count_lines=not straight)
    if straight:
        # A quoted value may start or end with a line end, which the test for spaces does not see.
        _stage(con, file, name, positions, data, spaces_only=scan.spaces_only and not scan.quoted,
               view=True)
        return Loaded("NULL::BIGINT", not scan.nul)
    staged = _stage(con, file, name, positions, data, spaces_only=scan.spaces_only)
    if isinstance(staged, Problem):
        return staged
    if scan.spaces_only and scan.quoted and scan.lines != staged + 1:
        # Some quoted value spans lines (or blank lines were skipped): a value may start or end
        # with a line end, which the test for plain spaces does not see. Staging twice costs
        # less than what such a file costs anyway: Python walks it to find each record's line.
        again = _stage(con, file, name, positions, data, spaces_only=False)
        if isinstance(again, Problem):
            return again
    if file.line_column:
        return Loaded("_line", not scan.nul)
    return Loaded(_line_numbers(con, data, file.path, file.delimiter, staged, scan.lines),
                  not scan.nul)


def _stage(con: duckdb.DuckDBPyConnection, file: CsvFile, name: str, positions: list[int],
           data: str, *, spaces_only: bool, view: bool = False) -> int | Problem:
    width = len(file.names) + (1 if file.line_column else 0)
    shift = 1 if file.line_column else 0
    columns = [f"c{i}" for i in range(width)]
    types = ", ".join(f"{literal(c)}: 'VARCHAR'" for c in columns)
    select = [f"{cleaned(ident(columns[p + shift]), spaces_only=spaces_only)} AS c{p}"
              for p in positions]
    if file.line_column:
        select.append("CAST(c0 AS BIGINT) AS _line")
    if not select:
        select.append("NULL AS _none")  # a file of which no column is used still has its rows
    if view:  # nothing is read yet: what the file holds is found as the view is read
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {data} AS SELECT {', '.join(select)} "
            f"FROM read_csv({literal(str(file.path))}, columns = {{{types}}}, header = true, "
            f"auto_detect = false, delim = {literal(file.delimiter)}, quote = '\"', escape = '\"', "
            "strict_mode = true, null_padding = false)")
        return 0
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {data} AS SELECT {', '.join(select)} "
            f"FROM read_csv(?, columns = {{{types}}}, header = true, auto_detect = false, "
            "delim = ?, quote = '\"', escape = '\"', strict_mode = true, null_padding = false)",
            [str(file.path), file.delimiter],
        )
    except duckdb.Error as exc:
        if "state machine reached an invalid state" in str(exc) and (
                mixed := _mixed_line_ends(file.path)) is not None:
            return mixed.problem(name)
        return _csv_error(name, exc)
    return int(con.execute(f"SELECT count(*) FROM {data}").fetchall()[0][0])


@dataclass(frozen=True)
class _Mixed:
    line: int  # the first line that ends unlike line 1
    windows_first: bool  # line 1 ends in CR LF

    def problem(self, name: str) -> Problem:
        kinds = ("a Windows line end (CR LF)", "a Unix line end (LF)")
        first, this = (kinds if self.windows_first else kinds[::-1])
        return Problem(name, self.line, None, None,
                       f"line ends with {this} where line 1 ends with {first}: the file mixes two kinds "
                       "of line ends (lines added by another program?); save it again with one kind")


def _mixed_line_ends(path: Path) -> _Mixed | None:
    """Where a file's records stop ending the way its first does (CR LF or LF), which DuckDB's CSV
    reader refuses as "an invalid state"; a line end inside quotes (an Excel cell of two lines) is
    a value's, not a record's. Read only once a file is refused so."""
    windows: bool | None = None
    line = 0
    quoted = False
    before = b""  # the byte before the chunk: a CR of a CR LF split between two chunks
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            for found in _QUOTE_OR_LF.finditer(chunk):
                if found[0] == b'"':  # a doubled quote inside quotes toggles twice: no change
                    quoted = not quoted
                    continue
                line += 1
                if quoted:
                    continue
                at = found.start()
                ends = (chunk[at - 1:at] if at else before) == b"\r"
                if windows is None:
                    windows = ends
                elif ends != windows:
                    return _Mixed(line, windows)
            before = chunk[-1:]
    return None


_QUOTE_OR_LF = re.compile(b'["\n]')


@dataclass(frozen=True)
class _Scan:
    lines: int          # physical lines; a last line without its line end counts (0: not counted)
    quoted: bool        # some value is in quotes
    spaces_only: bool   # of the spaces an import trims, values can hold only the plain space
    nul: bool           # some byte is NUL


# The spaces an import trims (sql.cleaned) other than the plain one and the line ends, as bytes;
# the non-breaking space (C2 A0 in UTF-8) is looked for by its second byte, then confirmed.
_OTHER_SPACES = (b"\t", b"\x0c", b"\xa0")


def _scan(path: Path, delimiter: str, *, count_lines: bool = True) -> _Scan:
    """One pass over the file's bytes at memchr speed (0.3 s for 500 MB): its lines, whether it
    holds a NUL byte, and whether a value could start or end with a space other than the plain
    one. Unquoted values cannot hold a line end; a carriage return anywhere but before a line
    feed, a tab that is not the delimiter, a form feed or a non-breaking space might be in one.
    ``count_lines=False`` for a file read straight, whose rows have no line to name: counting them
    was a third of the pass (0.2 s over the 10M activities at 1M deals)."""
    lines = 0
    last = b""
    quoted = False
    nul = False
    others = False
    returns = pairs = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            # A pair of bytes tested below is never split between two chunks.
            while chunk.endswith((b"\r", b"\xc2")) and (more := f.read(1)):
                chunk += more
            if count_lines:
                lines += chunk.count(b"\n")
            last = chunk[-1:]
            quoted = quoted or b'"' in chunk
            nul = nul or b"\x00" in chunk
            if others:  # the long way already: only the lines and NUL bytes still matter
                continue
            for space in _OTHER_SPACES:
                if space in chunk:
                    if space == b"\t" and delimiter == "\t":
                        continue
                    if space == b"\xa0" and b"\xc2\xa0" not in chunk:
                        continue
                    others = True
                    break
            if b"\r" in chunk:
                returns += chunk.count(b"\r")
                pairs += chunk.count(b"\r\n")
    tab_inside = delimiter == "\t" and quoted  # a quoted value may hold the delimiter
    space_delimited = delimiter.isspace() and delimiter != "\t"
    spaces_only = not (others or tab_inside or returns != pairs or space_delimited)
    counted = lines + (1 if last not in (b"\n", b"") else 0) if count_lines else 0
    return _Scan(counted, quoted, spaces_only, nul)


def _line_numbers(con: duckdb.DuckDBPyConnection, data: str, path: Path, delimiter: str,
                  rows: int, lines: int) -> str:
    """The SQL of ``_line``. DuckDB keeps file order (insertion order), so row k sits on line
    k + 2 unless quoted values span lines or blank lines were skipped; only then is the file
    walked again to find where each record starts, and the lines stored."""
    if lines != rows + 1:
        starts = _record_starts(path, delimiter)
        if starts is not None and len(starts) == rows:
            lines_table = pa.table({"_row": pa.array(range(rows), pa.int64()),
                                    "_start": pa.array(starts, pa.int64())})
            con.execute(f"ALTER TABLE {data} ADD COLUMN _line BIGINT")
            con.register("_import_lines", lines_table)
            try:
                con.execute(f"UPDATE {data} SET _line = l._start FROM _import_lines l "
                            f"WHERE {data}.rowid = l._row")
            finally:
                con.unregister("_import_lines")
            return "_line"
    return "rowid + 2"


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
    if counts and counts[2] == "1" and counts[1] != "1":
        # A CRM's report export ends in lines of one value: a confidentiality note, a copyright.
        message = (f"line has 1 value but the header has {counts[1]} columns: a report's footer (a "
                   "confidentiality or copyright line)? Then export the details alone, or delete those "
                   "lines; else a value holding the delimiter or a line break without quotes")
    elif counts:
        message = (f"line has {counts[2]} values but the header has {counts[1]} columns "
                   "(a truncated file, or a value containing the delimiter without quotes?)")
    elif "unterminated quote" in text:
        message = "a quoted value is never closed (a truncated file, or a stray quote?)"
    elif "Invalid unicode" in text:
        message = NOT_UTF8
    elif "Maximum line size" in text:
        message = "line is too long to be a record (is this really a CSV file?)"
    else:
        message = "cannot read the file: " + first_line(error)
    return Problem(name, line, None, value, message)
