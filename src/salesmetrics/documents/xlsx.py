"""Excel workbooks of a report and of the records behind a figure.

Numbers stay numbers (money, rates, counts and days are numeric cells with a number format: money
with its currency, rates as percent), dates and times are date cells, and every text cell that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, a tab or a return first) is
written with a leading apostrophe, so a deal's account named ``=HYPERLINK(...)`` stays text: the
same rule the CSV export follows. The first sheet is a cover: what the workbook holds, for which
period and filters, as of when. The data sheets have their header frozen and filters on.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..drilldown import COLUMN_UNITS, RecordsBehind, without_rate_note
from ..kpis import REGISTRY
from ..periods import Period
from ..report import ROW_FIELDS, Report, skipped_notes
from ..text import is_german
from ..text.catalogue import COLUMNS, VALUES, lookup, period_name
from ..text.figures import closed_ahead_text, dimension_title, format_flag, format_kpi_no_rows, format_status
from ..text.numbers import span_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
# A German workbook shows days as a German reader writes them (the cells hold dates either way).
DATES_DE = {DATE: "dd.mm.yyyy", DATETIME: "dd.mm.yyyy hh:mm"}
BOLD = Font(bold=True)
UNITS_DE = {"money": ("money", "Geld"), "ratio": ("ratio", "Anteil"), "days": ("days", "Tage"),
            "count": ("count", "Anzahl"), "score": ("score", "Punkte")}

# The report sheet's columns for a German reader; English keeps the names `report --format csv` has.
_HEADS_DE = {"value": "Wert", "unit": "Einheit", "currency": "Währung", "flags": "Hinweise",
             "ci_low": "95 %-KI unten", "ci_high": "95 %-KI oben", "previous": "Vorher",
             "change": "Änderung", "p_value": "p-Wert", "significant": "Jenseits des Rauschens",
             "target": "Ziel", "target_status": "Zielstatus", "pace": "Tempo", "days_so_far": "Tage bisher"}

_COVER = {
    "report": ("salesmetrics report", "salesmetrics-Bericht"),
    "records": ("salesmetrics: the records behind a figure",
                "salesmetrics: die Datensätze hinter einer Zahl"),
    "kpi": ("KPI", "Kennzahl"),
    "period": ("Period", "Zeitraum"),
    "start": ("First day", "Erster Tag"),
    "last": ("Last day", "Letzter Tag"),
    "as_of": ("As of (end of day)", "Stand (Tagesende)"),
    "previous": ("Compared with", "Verglichen mit"),
    "by": ("Grouped by", "Gruppiert nach"),
    "filters": ("Filters", "Filter"),
    "none": ("none", "keine"),
    "currency": ("Currency", "Währung"),
    "rows": ("Rows", "Zeilen"),
    "without_rate": ("Without a rate", "Ohne Kurs"),
    "quota": ("Set against", "Verglichen mit"),
    "left_out": ("Left out", "Ausgelassen"),
    "data_version": ("Data version", "Datenstand"),
    "made": ("Made at (UTC)", "Erstellt (UTC)"),
    "sheet_cover": ("Cover", "Deckblatt"),
    "sheet_report": ("Report", "Bericht"),
    "sheet_records": ("Records", "Datensätze"),
    "title": ("title", "Titel"),
}


def _w(key: str, lang: str) -> str:
    pair = _COVER[key]
    return pair[1] if is_german(lang) else pair[0]


def text_cell(ws: Worksheet, row: int, col: int, value: str) -> Any:
    """A cell of text a spreadsheet shows as written and never runs as a formula. In a workbook a
    cell says its type: text that looks like a formula is stored as text, marked as typed with a
    leading quote (Excel keeps it text when edited). A visible ' written into it, as CSV needs,
    broke filters and lookups against the CRM's own values (the output tester)."""
    cell = ws.cell(row=row, column=col, value=value)
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def money_format(currency: str | None) -> str:
    return f'#,##0.00 "{currency}"' if currency else "#,##0.00"


def unit_format(unit: str, currency: str | None) -> str:
    return {"money": money_format(currency), "ratio": "0.0%", "days": "#,##0.0", "score": "0.0",
            "count": "#,##0"}.get(unit, "General")


def _cell(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None,
          lang: str = "en") -> None:
    """One cell: text as text, numbers and dates as what they are."""
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value) if value else None
    if isinstance(value, str):
        text_cell(ws, row, col, value)
        return
    cell = ws.cell(row=row, column=col, value=value)
    german = is_german(lang)
    if number_format and not isinstance(value, str | bool) and value is not None:
        cell.number_format = number_format
    elif isinstance(value, datetime):
        cell.number_format = DATES_DE[DATETIME] if german else DATETIME
    elif isinstance(value, date):
        cell.number_format = DATES_DE[DATE] if german else DATE


def _header(ws: Worksheet, names: Sequence[str], heads: Sequence[str] | None = None) -> None:
    """The header row (``heads``: what each column is called, where not its name) frozen."""
    for col, name in enumerate(heads or names, start=1):
        text_cell(ws, 1, col, name).font = BOLD
    ws.freeze_panes = "A2"


def _widths(ws: Worksheet, names: Sequence[str], rows: int) -> None:
    for col, name in enumerate(names, start=1):
        width = len(name)
        for row in ws.iter_rows(min_row=2, max_row=min(rows + 1, 200), min_col=col, max_col=col):
            value = row[0].value
            if value is not None:
                width = max(width, len(str(value)) if not isinstance(value, Decimal | float) else 12)
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{rows + 1}"


def _cover(wb: Workbook, lang: str, title: str, lines: Iterable[tuple[str, Any]]) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = _w("sheet_cover", lang)
    text_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    row = 3
    for label, value in lines:
        text_cell(ws, row, 1, label).font = BOLD
        _cell(ws, row, 2, value, lang=lang)
        row += 1
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 48


def _period_lines(period: Period, measured: Period, as_of: date | None,
                  lang: str) -> list[tuple[str, Any]]:
    lines: list[tuple[str, Any]] = [(_w("period", lang), period_name(period.label, lang)),
                                    (_w("start", lang), measured.start),
                                    (_w("last", lang), measured.last_day)]
    if as_of is not None:
        lines.append((_w("as_of", lang), as_of))
    return lines


def _filter_text(filters: dict[str, tuple[str, ...]], lang: str) -> str:
    if not filters:
        return _w("none", lang)
    return "; ".join(f"{dimension_title(k, lang)} = {', '.join(v)}" for k, v in filters.items())


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


# The columns of a report's long sheet after the dimensions, as in `report --format csv`.
_VALUE_COLUMNS = ("value", "unit", "currency", "n", "flags", "ci_low", "ci_high")
_COMPARE_COLUMNS = ("previous", "change", "p_value", "significant")
POINTS = '+0.0" pp";-0.0" pp"'  # a rate's change, in percentage points (the cell holds the points)
POINTS_DE = '+0.0" Pp.";-0.0" Pp."'
_TARGET_COLUMNS = ("target", "target_status", "pace")


def report_workbook(report: Report, lang: str = "en",
                    names: Mapping[str, Mapping[str, str]] | None = None) -> bytes:
    """A report as a workbook: a cover sheet, and one long sheet with a row per KPI and group.
    ``names`` (dimension -> id -> name: reps', products') add a name column beside a column of ids:
    a sheet by rep of R001 ... R022 was read with a list of ids at hand (the output tester)."""
    wb = Workbook()
    _cover(wb, lang, _w("report", lang), [
        *_period_lines(report.period, report.measured, report.as_of, lang),
        *([(_w("previous", lang), span_text(report.previous, lang) if is_german(lang) else
            f"{report.previous.start}..{report.previous.records_last_day}"
            + (f" {report.previous.cut_within:%H:%M}" if report.previous.cut_within else ""))]
          if report.previous else []),
        (_w("by", lang), ", ".join(dimension_title(d, lang) for d in report.by) or _w("none", lang)),
        (_w("filters", lang), _filter_text(report.filters, lang)),
        (_w("currency", lang), report.currency or ""),
        (_w("rows", lang), len(report.rows)),
        # KPIs without a figure for money no exchange rate converts: not a sheet short in silence.
        *[(_w("left_out", lang), note) for note in skipped_notes([*report.skipped, *report.unrated], lang)],
        # A KPI no group has a row of (ramp time by team, no rep ramped): said, as under the table.
        *[(_w("left_out", lang), format_kpi_no_rows(kpi, report.by, lang)) for kpi in report.no_rows],
        # Deals closed on a day still to come: not in the figures yet, said where they are not.
        *([(_w("left_out", lang), closed_ahead_text(report.closed_ahead, lang))]
          if report.closed_ahead else []),
        (_w("data_version", lang), report.data_version),
        (_w("made", lang), _now()),
    ])
    ws = wb.create_sheet(_w("sheet_report", lang))
    dims = list(dict.fromkeys(k for row in report.rows for k in row if k not in ROW_FIELDS))
    extra = ((_COMPARE_COLUMNS if report.previous is not None else ())
             + (_TARGET_COLUMNS if any(r.get("target") is not None for r in report.rows) else ())
             + tuple(k for k in ("days_so_far",) if any(k in r for r in report.rows)))
    named = {d: names[d] for d in dims if names and names.get(d)
             and any(names[d].get(row.get(d) or "") for row in report.rows)}
    grouped = [c for d in dims for c in ((d, f"{d}_name") if d in named else (d,))]
    columns = ["kpi", _w("title", lang), *grouped, *_VALUE_COLUMNS, *extra]
    german = is_german(lang)

    def head(n: str) -> str:
        if n in dims:
            return dimension_title(n, lang)
        return lookup(COLUMNS, n, lang) if n in grouped else _HEADS_DE.get(n, n)

    # The kpi column keeps its ids in German too: what a formula or a filter looks up.
    _header(ws, columns, [head(n) for n in columns] if german else None)
    for i, row in enumerate(report.rows, start=2):
        unit = row["unit"]
        fmt = unit_format(unit, row.get("currency") or report.currency)
        formats = {"value": fmt, "ci_low": fmt, "ci_high": fmt, "previous": fmt, "target": fmt,
                   "n": "#,##0", "p_value": "0.0000", "pace": "0%", "days_so_far": "#,##0",
                   # a rate's or score's change is in points, anything else's relative
                   "change": {"ratio": POINTS_DE if german else POINTS,
                              "score": "+0.0;-0.0"}.get(unit, "+0.0%;-0.0%")}
        values: dict[str, Any] = {"kpi": row["kpi"], _w("title", lang): REGISTRY[row["kpi"]].title.get(lang)}
        if unit == "ratio" and row.get("change") is not None:
            # In points: a win rate from 16.8 % to 43.5 % is +26.7 pp, and "+26.7%" read as relative.
            values["change"] = round(row["change"] * 100, 6)
        # the flags and statuses in words; English keeps the codes the CSV has. "significant" stays
        # a boolean in either: German Excel shows it as WAHR/FALSCH, and it sorts and filters so.
        if german:
            values["flags"] = "; ".join(format_flag(f, lang, row.get("days_so_far")) for f in row["flags"])
            values["unit"] = lookup(UNITS_DE, unit, lang)
            if row.get("target_status") is not None:
                values["target_status"] = format_status(row["target_status"], lang, over=report.over)
        for dim, of in named.items():
            values[f"{dim}_name"] = of.get(row.get(dim) or "") or None
        for col, name in enumerate(columns, start=1):
            value = values[name] if name in values else row.get(name)
            _cell(ws, i, col, value, formats.get(name), lang)
    _widths(ws, columns, len(report.rows))
    return _save(wb)


def records_workbook(found: RecordsBehind, lang: str = "en") -> bytes:
    """The records behind a figure as a workbook: a cover sheet and one sheet of the records. The
    cover says the days they cover (``found.as_of``: a period still running is read as of today)."""
    wb = Workbook()
    _cover(wb, lang, _w("records", lang), [
        (_w("kpi", lang), f"{found.kpi} ({REGISTRY[found.kpi].title.get(lang)})"),
        *_period_lines(found.period, found.measured, found.as_of, lang),
        (_w("filters", lang), _filter_text(found.filters, lang)),
        (_w("currency", lang), found.currency or ""),
        (_w("rows", lang), len(found.rows)),
        *([(_w("without_rate", lang), without_rate_note(found, lang, named=50))]
          if found.without_rate else []),
        # Behind quota attainment: the won revenue against the quota, as the command and the JSON
        # say it. The workbook listed the deals alone: nothing led from them to the 80 %.
        *([(_w("quota", lang), quota)] if (quota := found.quota_text(lang)) else []),
        (_w("made", lang), _now()),
    ])
    ws = wb.create_sheet(_w("sheet_records", lang))
    # A rep's (or product's) name right after its id, as the CSV has it: ids alone were all a
    # leader could read in the workbook.
    named = [c for c in found.columns if c in found.names]
    names = [h for c in found.columns for h in ((c, f"{c}_name") if c in named else (c,))]
    german = is_german(lang)
    _header(ws, names, [lookup(COLUMNS, n, lang) for n in names] if german else None)
    formats = {c: unit_format(COLUMN_UNITS.get(c, ""), found.currency) for c in names
               if COLUMN_UNITS.get(c) in ("money", "days", "count")}
    for i, row in enumerate(found.rows, start=2):
        for col, name in enumerate(names, start=1):
            of = name.removesuffix("_name")
            value = (found.names[of].get(row.get(of) or "", "") if name != of and of in named
                     else row.get(name))
            if german and isinstance(value, str) and name in ("status", "category", "activity_type"):
                value = lookup(VALUES, value, lang)  # as the German terminal says them
            _cell(ws, i, col, value, formats.get(name), lang)
    _widths(ws, names, len(found.rows))
    return _save(wb)
