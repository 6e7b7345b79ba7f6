"""Reading Excel workbooks (.xlsx): the sheet is streamed row by row (openpyxl's read-only mode keeps
memory flat) into a temporary CSV that the CSV reader then stages like any other.

The temporary CSV starts with each row's number in the sheet, so problems name the row a person sees
in Excel, even though blank rows (Excel keeps formatted empty rows around) are left out. Cells keep
what they mean, not how they look: dates become ISO text, numbers plain digits with a decimal point.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ...errors import Problem
from .csvfile import CsvFile


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Shortest text that reads back as the same double, never in exponent form.
        return format(Decimal(repr(value)), "f")
    return str(value)


def open_xlsx(path: Path, name: str, sheet: str | None, workdir: Path) -> CsvFile | Problem:
    """Convert the sheet (the first, unless named) to a CSV in ``workdir``."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return Problem(name, None, None, None, f"not a readable Excel .xlsx file ({exc})")
    try:
        if sheet is not None and sheet not in book.sheetnames:
            return Problem(name, None, None, None, f"no sheet {sheet!r}; the workbook has "
                           f"{', '.join(repr(s) for s in book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        target = workdir / f"{len(list(workdir.iterdir()))}.csv"
        header: list[str] | None = None
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_text(v) for v in row]
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
        if header is None:
            return Problem(name, None, None, None, "the sheet is empty; expected a header row")
        return CsvFile(target, ",", header, line_column=True)
    finally:
        book.close()
