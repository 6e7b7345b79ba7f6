"""Reading Excel workbooks (.xlsx): the sheet is streamed row by row (openpyxl's read-only mode keeps
memory flat) into a temporary CSV that the CSV reader then stages like any other.

The temporary CSV starts with each row's number in the sheet, so problems name the row a person sees
in Excel, even though blank rows (Excel keeps formatted empty rows around) are left out. Cells keep
what they mean, not how they look: dates become ISO text, numbers plain digits with a decimal point,
or a decimal comma where the file is read with one (a number cell is exact: 1.234 is one and a bit,
never a thousand, whatever the text cells beside it write), and a percent cell its percentage with
the sign (a cell showing 90 % keeps 0.9, and one showing 100 % keeps 1, which a probability column
read as 1 %).
"""

from __future__ import annotations

import csv
import errno
import re
import zipfile
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ... import environment
from ...errors import Problem
from .csvfile import CsvFile


def _text(value: object, comma: bool = False, percent: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        # openpyxl gives a date cell as a datetime at midnight: written as the date it shows, or a
        # date-only column (a quota's period_start, a hire date) refused '2025-01-01 00:00:00'.
        # A date-and-time column reads the date alone as its midnight, the same moment.
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if percent and isinstance(value, int | float):
        # Ten places of a percentage: a formula's 0.35000000000000003 is 35 %, as Excel shows it,
        # and -0.0 is 0 %. An absurd one (1e300) is written whole, to be refused by its column,
        # not rounded past the context's 28 digits (which raised: "not a readable .xlsx file").
        number = Decimal(repr(value)).scaleb(2)
        if number.is_finite() and number.adjusted() < 17:
            number = round(number, 10)
        shown = format(number.normalize() + 0, "f")
        return (shown.replace(".", ",") if comma else shown) + "%"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Shortest text that reads back as the same double, never in exponent form.
        written = format(Decimal(repr(value)), "f")
        return written.replace(".", ",") if comma else written
    return str(value)


# A number format's literal parts: quoted text and escaped characters ("%" in quotes is a sign shown,
# not a percentage).
_LITERALS = re.compile(r'"[^"]*"|\\.')


def _shows_percent(number_format: str) -> bool:
    return "%" in _LITERALS.sub("", number_format)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _percent(known: dict[str, bool], cell: object) -> bool:
    try:
        number_format = str(getattr(cell, "number_format", None) or "")
    except (IndexError, KeyError, AttributeError):
        # A style pointing at a number format the workbook never defined (a careless generator):
        # openpyxl fails where Excel shows the number; so is it read, as before formats were read.
        return False
    if number_format not in known:
        known[number_format] = _shows_percent(number_format)
    return known[number_format]


# Limits for a workbook: its parts unpacked (environment.xlsx_limit: a 13 MB file can unpack to
# gigabytes of XML, all of it parsed before a single problem is said), and its rows (Excel's own
# maximum: a sheet with more was not saved by Excel).
MAX_ROWS = 1_048_576


def _unreadable(name: str, exc: BaseException) -> Problem:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return Problem(name, None, None, None, f"not a readable Excel .xlsx file ({detail}); open it in "
                   "Excel and save it again, or save the sheet as CSV")


def _too_large(path: Path, name: str) -> Problem | None:
    """A problem when the workbook's parts unpack to more than the limit. The sizes come from the
    zip directory; Python's zip reader never unpacks a part past its stated size, so a file that
    lies about them fails as corrupt instead of growing."""
    limit = environment.xlsx_limit()
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return _unreadable(name, exc)
    if unpacked > limit:
        return Problem(name, None, None, None,
                       f"the workbook unpacks to {unpacked / 1e6:,.0f} MB, more than the "
                       f"{limit / 1e6:,.0f} MB salesmetrics reads from an .xlsx file; save the sheet "
                       f"as CSV (or raise the limit with ${environment.XLSX_MAX_MB})")
    return None


# A formula's tag, namespaced or not: <f>, <f t="shared" .../>, <x:f>.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _uncalculated(path: Path, part: str) -> dict[tuple[int, int], str]:
    """The cells of a sheet part that hold a formula and no result: a workbook written by a program
    that does not calculate (a script, some exports) keeps no value for them, and openpyxl reads
    them as empty, so an amount or a date was dropped without a word. A calculated "" is a text
    result (t="str") with an empty <v>, and is not one of them. Most exports have no formula at
    all: a scan of the bytes says so before any XML is parsed."""
    from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]  # no stubs
    from openpyxl.utils.cell import coordinate_to_tuple

    with zipfile.ZipFile(path) as archive, archive.open(part) as raw:
        tail = b""
        while chunk := raw.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                break
            tail = chunk[-64:]
        else:
            return {}
    found: dict[tuple[int, int], str] = {}
    row = column = 0
    rows = None  # <sheetData>: each row is taken out once read, so memory stays flat
    with zipfile.ZipFile(path) as archive, archive.open(part) as raw:
        for event, element in iterparse(raw, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "sheetData":
                    rows = element
                elif tag == "row":  # the row's number where written, else the one after the last
                    row, column = int(element.get("r") or row + 1), 0
                continue
            if tag == "row" and rows is not None:
                rows.clear()
            if tag != "c":
                continue
            coordinate = element.get("r")  # optional in the format: else the cell after the last
            row, column = coordinate_to_tuple(coordinate) if coordinate else (row, column + 1)
            children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            kept = children.get("v")
            # openpyxl and others write an empty <v/>; a number, a date or a yes/no is never empty,
            # only a text ("str") result may be.
            empty = kept is None or (not kept.text and element.get("t", "n") != "str")
            if "f" in children and empty:
                found[(row, column)] = children["f"].text or ""
    return found


def not_calculated(name: str, cells: Mapping[tuple[int, int], str], header: list[str]) -> Problem:
    """The refusal of a sheet's cells holding a formula and no result (:func:`_uncalculated`):
    the first, and how many more."""
    from openpyxl.utils.cell import get_column_letter

    (row, column), formula = min(cells.items())
    more = f" (and {len(cells) - 1:,} more cells)" if len(cells) > 1 else ""
    return Problem(name, row, header[column - 1], f"={formula}" if formula else None,
                   f"cell {get_column_letter(column)}{row} holds a formula whose result was never "
                   f"saved{more}: the workbook was written by a program that does not calculate. "
                   "Open it in Excel or LibreOffice and save it, so each result is kept, or save the "
                   "sheet as CSV")


def open_xlsx(path: Path, name: str, sheet: str | None, workdir: Path,
              comma: bool = False) -> CsvFile | Problem:
    """Convert the sheet (the first, unless named) to a CSV in ``workdir``; ``comma``: number
    cells' fractions after a decimal comma."""
    too_large = _too_large(path, name)
    if too_large is not None:
        return too_large
    try:
        return _convert(path, name, sheet, workdir, comma)
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise  # our disk is full, the workbook may be fine: said where imports say it
        # openpyxl parses whatever the zip holds: a truncated part, an XML error, a DTD with
        # entities (refused by defusedxml), a missing relation. Each surfaces as a different
        # exception; to the user each is the same problem: this is no workbook we can read.
        return _unreadable(name, exc)


def _convert(path: Path, name: str, sheet: str | None, workdir: Path, comma: bool) -> CsvFile | Problem:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            return Problem(name, None, None, None, f"no sheet {sheet!r}; the workbook has "
                           f"{', '.join(repr(s) for s in book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # The sheet's <dimension> is what the writing program claimed, not what is there: one that
        # understates the rows would have the rows past it silently left out.
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        # openpyxl keeps the part a read-only sheet streams from only under a private name.
        part = getattr(ws, "_worksheet_path", None)
        uncalculated = _uncalculated(path, part) if isinstance(part, str) else {}
        target = workdir / f"{len(list(workdir.iterdir()))}.csv"
        header: list[str] | None = None
        fractions = False
        formats: dict[str, bool] = {}  # a sheet uses a handful of number formats
        formula_rows, blank = {row for row, _ in uncalculated}, set()
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for number, read in enumerate(ws.iter_rows(), start=1):
                if number > MAX_ROWS:
                    return Problem(name, number, None, None,
                                   f"the sheet has more than {MAX_ROWS:,} rows, the most Excel "
                                   "holds; save it as CSV")
                row = [cell.value for cell in read]
                cells = [_text(v, comma, _is_number(v) and _percent(formats, c))
                         for v, c in zip(row, read, strict=True)]
                fractions = fractions or any(isinstance(v, float) and not v.is_integer() for v in row)
                if header is None:
                    while cells and not cells[-1].strip():
                        cells.pop()
                    if not cells:
                        return Problem(name, number, None, None,
                                       "the sheet's first row is empty; it must be the header")
                    header = cells
                    writer.writerow(["_line", *header])
                    continue
                cells = (cells + [""] * len(header))[:len(header)]
                if any(c.strip() for c in cells):
                    writer.writerow([number, *cells])
                elif number in formula_rows:  # a totals row of formulas alone, unread: left out too
                    blank.add(number)
        if header is None:
            return Problem(name, None, None, None, "the sheet is empty; expected a header row")
        # Refused where the import reads the column (reader.stage_file): a script's notes column of
        # formulas, or a totals row under the records, is no reason to refuse the file.
        within = {cell: f for cell, f in uncalculated.items()
                  if cell[1] <= len(header) and cell[0] not in blank}
        return CsvFile(target, ",", header, line_column=True, point_fractions=fractions and not comma,
                       uncalculated=within)
    finally:
        book.close()
