"""Turning report rows into text for people: numbers formatted by locale, tables, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

from ..dashboard import Point
from ..kpis import REGISTRY
from ..kpis.dimensions import TIME_DIMENSIONS
from ..periods import parse_period
from ..report import ROW_FIELDS, Report
from ..spreadsheet import safe_cell
from ..summary import Headline, Summary
from ..text import is_german
from ..text.catalogue import text
from ..text.figures import (
    dimension_title,
    filters_note,
    flag_notes,
    format_figure,
    format_significance,
    format_status,
    format_target_pace,
    row_notes,
)
from ..text.numbers import bucket_name, format_ci, format_delta, format_period, format_value, span_text

# The narrowest a text column is folded to, when nothing else is left to give: a few letters a line.
FOLDED = 5


def fit(table: Table, width: int | None, drop: Sequence[str] = (), lang: str = "en", *,
        whole_words: bool = False) -> Table:
    """The table at most ``width`` columns wide without cutting a figure or a word.

    Every column gets a width of its own here; Rich's own narrowing does neither (it shrinks the
    widest columns and cuts words with "…"). Columns that must not wrap (``no_wrap``: money, numbers,
    intervals, ids one types) keep their widest cell; the others wrap, each keeping its longest word
    whole (and fold rather than cut, should a word ever be longer). Where that is too wide, the
    headers wrap at their spaces ("moved back" on two lines); while even that is too wide, the
    columns whose headers ``drop`` names go, in that order (the least needed first), and the caption
    says which; last, a header folds to its column's widest cell. The room left is shared out a
    character at a time to the columns that want more. ``width`` None: as it is (no terminal).
    ``whole_words``: where the words do not fit side by side, one record after another
    (:func:`stacked`) rather than words folded: for lists of settings (schedules, alerts), whose
    cells are addresses and commands one copies."""
    if width is None:
        return table
    # Measures only, prints nothing; reads cells as the consoles print them (no markup, no emoji).
    console = Console(width=width, file=io.StringIO(), markup=False, emoji=False)
    options = console.options.update_width(10_000)  # a cell's natural width, not one cut to fit

    def sizes(renderables: Sequence[Any]) -> tuple[int, int]:
        found = [Measurement.get(console, options, r) for r in renderables]
        return max((m.minimum for m in found), default=0), max((m.maximum for m in found), default=0)

    cells = {id(c): sizes(list(c.cells)) for c in table.columns}
    heads = {id(c): sizes([c.header]) for c in table.columns}  # (longest word, whole header)

    def need(column: Column, level: int) -> int:
        """The narrowest the column may be: its cells whole (no_wrap) or their longest word; the
        header whole (level 0), at its longest word (1), or folded down to the cells, though not
        below a few letters (2)."""
        shortest, longest = cells[id(column)]
        word, whole = heads[id(column)]
        body = longest if column.no_wrap else shortest
        head = whole if column.no_wrap and level == 0 else word if level < 2 else min(word, FOLDED)
        return max(body, head, 1)

    def want(column: Column) -> int:
        return max(cells[id(column)][1], heads[id(column)][1], 1)

    def frame() -> int:  # borders and cell padding: all but the cells' own text
        edges = (2 if table.box and table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
        return edges + len(table.columns) * (table.padding[1] + table.padding[3])

    def narrowest(level: int) -> int:
        return frame() + sum(need(c, level) for c in table.columns)

    level = 0 if narrowest(0) <= width else 1
    order = [str(c.header) for c in table.columns]
    every = list(table.columns)
    dropped: list[str] = []
    for header in drop:
        if narrowest(level) <= width:
            break
        found = next((c for c in table.columns if str(c.header) == header), None)
        if found is None:
            continue
        table.columns.remove(found)
        for index, kept in enumerate(table.columns):
            kept._index = index  # Rich pads the first and last column by their index
        dropped.append(header)

    least = frame() + sum(need(c, 2) if c.no_wrap else min(need(c, 2), FOLDED) for c in table.columns)
    if least > width or (whole_words and narrowest(1) > width):
        # Side by side, a figure would be cut at the terminal's edge and read as another figure;
        # leaving out a rep's or team's column would leave rows nobody can tell apart. One record
        # after another, a line per column, fits any width, and has room for every column again.
        table.columns[:] = every
        return stacked(table)
    given = {id(c): need(c, level) for c in table.columns}
    # Still too wide: fold the widest headers over narrower cells, a character at a time, as little
    # as it takes ("conversion" over "73.1 %" as "convers" / "ion"); last, fold the words of text
    # columns (titles, notes), never the cells of one that must not wrap (figures and ids).
    for floor in ({id(c): need(c, 2) for c in table.columns},
                  {id(c): need(c, 2) if c.no_wrap else min(need(c, 2), FOLDED) for c in table.columns}):
        while frame() + sum(given.values()) > width:
            widest = max(table.columns, key=lambda c: (given[id(c)] > floor[id(c)], given[id(c)]))
            if given[id(widest)] <= floor[id(widest)]:
                break  # as narrow as it gets this way
            given[id(widest)] -= 1
            level = 2
    left = width - frame() - sum(given.values())
    while left > 0:  # the room left, a character at a time, to the columns that want more
        wanting = [c for c in table.columns if given[id(c)] < want(c)]
        if not wanting:
            break
        for column in wanting[:left]:
            given[id(column)] += 1
        left -= min(left, len(wanting))
    squeezed = frame() + sum(given.values()) > width  # even so: the terminal is too narrow
    for column in table.columns:
        column.width = given[id(column)]
        if not column.no_wrap or squeezed:
            column.overflow = "fold"  # a word longer than its column folds; never "…"
        elif level and column.width < heads[id(column)][1]:
            # The cells stay on one line; the header wraps at its spaces, or folds.
            column.header = Text(str(column.header), no_wrap=False, overflow="fold",
                                 justify=column.justify)
    return _say_dropped(table, dropped, order, width, lang)


def _say_dropped(table: Table, dropped: list[str], order: list[str], width: int, lang: str) -> Table:
    """The caption names the columns left out, after what it said already (how many more rows
    there are, what a header means)."""
    if not dropped:
        return table
    shown = ", ".join(sorted(dropped, key=order.index))  # as the columns stood
    said = (f"bei {width} Spalten nicht gezeigt: {shown} (ein breiteres Terminal zeigt sie)"
            if lang.lower().startswith("de") else
            f"not shown at {width} columns: {shown} (a wider terminal shows "
            f"{'it' if len(dropped) == 1 else 'them'})")
    table.caption = f"{table.caption}\n{said}" if table.caption else said
    table.caption_justify = "left"
    return table


def stacked(table: Table) -> Table:
    """The table as one record after another, a line per column ("Team  central"), the way psql's
    expanded display shows a row too wide for the screen. A first cell left empty means "as above"
    in our tables (a KPI's title stands on its first row only), so each record says it again."""
    out = Table(title=table.title, title_justify=table.title_justify, caption=table.caption,
                caption_justify=table.caption_justify, show_header=False)
    out.add_column(no_wrap=True, style="bold")
    out.add_column(overflow="fold")
    columns = [(column.header, list(column.cells)) for column in table.columns]
    above: Any = ""
    for index in range(table.row_count):
        if index:
            out.add_section()
        for number, (header, cells) in enumerate(columns):
            cell = cells[index]
            blank = not str(cell.plain if isinstance(cell, Text) else cell).strip()
            if number == 0:
                cell = above if blank else cell
                above, blank = cell, blank and not str(above).strip()
            if not blank:
                out.add_row(header, cell)
    return out


def report_table(report: Report, lang: str = "en", width: int | None = None) -> Table:
    """The report's rows as a table at most ``width`` wide: figures whole, titles and notes wrapped,
    and, where it is still too wide, the interval and then n left out (the caption says so)."""
    de = lang == "de"
    title = f"{'Kennzahlen' if de else 'KPIs'} {span_text(report.measured, lang)}"
    if report.previous is not None:
        title += f", {'gegenüber' if de else 'against'} {span_text(report.previous, lang)}"
    title += filters_note(report.filters, lang)
    table = Table(title=title, title_justify="left")
    table.add_column("KPI")
    # A dimension no row has a value of (lost_reason where no lost deal has one) says nothing and
    # takes a column a narrow terminal needs for the figures; but one grouped by as asked (--by
    # region where no account has one) is shown, each group "(none)": else the report read as
    # if it had not been grouped.
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)
                              if row.get(d) is not None or d in report.by))
    for dim in dims:  # ids and labels one types (--filter team=east): whole, never wrapped
        table.add_column(dimension_title(dim, lang), no_wrap=True)
    table.add_column("Wert" if de else "Value", justify="right", no_wrap=True)
    intervals = any(row.get("ci_low") is not None for row in report.rows)
    if intervals:
        table.add_column("95 %", justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    compared = report.previous is not None
    if compared:
        table.add_column("Vorher" if de else "Before", justify="right", no_wrap=True)
        table.add_column("Änderung" if de else "Change", justify="right", no_wrap=True)
        # "significant" / "signifikant" is one word: room for it, or it is cut to "signi…".
        table.add_column("Test", min_width=11)
    targeted = any(row.get("target") is not None for row in report.rows)
    if targeted:
        table.add_column("Ziel" if de else "Target", justify="right", no_wrap=True)
        table.add_column("Status")
        table.add_column("Tempo" if de else "Pace", justify="right", no_wrap=True)
    table.add_column("Hinweise" if de else "Notes")
    previous = None
    partial: list[bool] = []
    for row in report.rows:
        kpi = REGISTRY[row["kpi"]]
        if previous is not None and previous != kpi.id:
            table.add_section()
        table.add_row(
            kpi.title.get(lang) if previous != kpi.id else "",
            *[_group_cell(row, d, lang, report, partial) for d in dims],
            format_figure(row["kpi"], row["value"], row.get("currency"), lang, flags=row["flags"],
                          lower_bound=row.get("lower_bound")),
            *([format_ci(row, lang)] if intervals else []),
            str(row["n"]),
            *(_compared_cells(row, lang) if compared else []),
            *(_target_cells(row, lang, report.over) if targeted else []),
            row_notes(row, lang),
        )
        previous = kpi.id
    if partial:
        table.caption, table.caption_justify = text("bucket_days", lang), "left"
    # The least needed first: the interval and sample size, then what a comparison or target adds.
    return fit(table, width, ["95 %", "n", "Test", "Vorher" if de else "Before",
                              "Tempo" if de else "Pace", "Status", "Ziel" if de else "Target"], lang)


def _compared_cells(row: dict[str, Any], lang: str) -> list[str]:
    """Before, change (points for rates and NPS, percent otherwise) and whether it is beyond noise."""
    unit, currency = row["unit"], row.get("currency")
    tested = "–" if row.get("change") is None else format_significance(row.get("significant"), lang)
    return [format_value(row.get("previous"), unit, currency, lang),
            format_delta(row.get("change"), unit, lang), tested]


def _target_cells(row: dict[str, Any], lang: str, over: bool) -> list[str]:
    if row.get("target") is None:
        return ["", "", ""]
    return [format_value(row["target"], row["unit"], row.get("currency"), lang),
            format_status(row.get("target_status"), lang, over=over),
            format_target_pace(row.get("pace"), lang)]


def format_change(headline: Headline, lang: str = "en") -> Text:
    delta = format_delta(headline.change, REGISTRY[headline.kpi].unit, lang)
    if headline.significant is False:  # tested, and within noise: say so rather than colour it
        return Text(f"{delta} ({'Rauschen' if lang == 'de' else 'noise'})", style="dim")
    colour = {True: "green", False: "red", None: "dim"}[headline.better]
    return Text(delta, style=colour)


def _year_change(headline: Headline, lang: str) -> Text:
    """The change from the same stretch a year before, coloured by the KPI's good way (not tested:
    the year before's spread is not measured, so no "noise" is said either way)."""
    colour = {True: "green", False: "red", None: "dim"}[headline.year_better]
    return Text(format_delta(headline.year_change, REGISTRY[headline.kpi].unit, lang), style=colour)


def summary_tables(summary: Summary, lang: str = "en", width: int | None = None) -> list[Table]:
    de = lang == "de"
    p, b = summary.measured, summary.previous_period
    head = Table(
        title=f"{span_text(p, lang)}, {'gegenüber' if de else 'against'} {span_text(b, lang)}",
        title_justify="left")
    head.add_column("KPI")
    head.add_column("Wert" if de else "Value", justify="right", no_wrap=True)
    head.add_column("Vorher" if de else "Before", justify="right", no_wrap=True)
    head.add_column("Änderung" if de else "Change", justify="right", no_wrap=True)
    year = "ggü. Vorjahr" if de else "Year on year"
    head.add_column(year, justify="right", no_wrap=True)
    head.add_column("n", justify="right", no_wrap=True)
    # A target set for the period: the JSON had it, the table a leader reads did not (a tester).
    targeted = any(h.target is not None for h in summary.headlines)
    goal = "Ziel" if de else "Target"
    if targeted:
        head.add_column(goal, justify="right", no_wrap=True)
        head.add_column("Status")
    head.add_column("Hinweise" if de else "Notes")
    for h in summary.headlines:
        unit = REGISTRY[h.kpi].unit
        head.add_row(
            REGISTRY[h.kpi].title.get(lang),
            format_figure(h.kpi, h.value, summary.currency, lang, flags=h.flags, lower_bound=h.lower_bound),
            format_value(h.previous, unit, summary.currency, lang),
            format_change(h, lang),
            _year_change(h, lang),
            str(h.n),
            *(["", ""] if targeted and h.target is None else
              [format_value(h.target, unit, summary.currency, lang),
               format_status(h.target_status, lang, over=summary.over)] if targeted else []),
            flag_notes(h.flags, lang, h.days_so_far),
        )
    # The status is what a target adds: the target itself goes first.
    tables = [fit(head, width, [year, "n", "Vorher" if de else "Before", goal, "Status"], lang)]
    left_out = {s.kpi: s.cause for s in summary.skipped}
    for title, rows, dim in (
        ("Top-Vertriebsmitarbeiter" if de else "Top reps", summary.top_reps, "rep"),
        ("Umsatz pro Produkt" if de else "Revenue per product", summary.products, "product"),
    ):
        names = summary.rep_names if dim == "rep" else summary.product_names
        t = Table(title=title, title_justify="left")
        t.add_column(dimension_title(dim, lang))
        t.add_column("Umsatz" if de else "Revenue", justify="right", no_wrap=True)
        t.add_column("Deals", justify="right", no_wrap=True)
        for r in rows:
            label = names.get(r[dim]) or str(r[dim])
            t.add_row(label, format_value(r["value"], "money", r.get("currency"), lang), str(r["n"]))
        cause = left_out.get(f"revenue_per_{dim}")
        if cause is not None:  # said under the tables: not "no deal won"
            t.caption = text("no_line_items_below" if cause == "no_line_items" else "no_rate_below", lang)
            t.caption_justify = "left"
        elif not rows:  # an empty frame said nothing of why
            t.caption = text("no_deal_won" if dim == "rep" else "no_won_lines", lang)
            t.caption_justify = "left"
        elif dim == "product" and (apart := summary.products_apart) is not None:
            t.caption = text("products_apart", lang, items=format_value(apart[0], "money", summary.currency,
                                                                        lang),
                             revenue=format_value(apart[1], "money", summary.currency, lang))
            t.caption_justify = "left"
        tables.append(fit(t, width, (), lang))
    return tables


def _group_cell(row: dict[str, Any], dim: str, lang: str, report: Report, partial: list[bool]) -> str:
    """The row's value of a dimension: blank where the row is not grouped by it, and words where it
    is but its records have none (deals without a segment): a blank there read like a total. A week
    month or quarter only partly in the period says its days (``partial`` is told), as ``trend``
    does: a quarter still running, unmarked, read as a whole quarter's figure."""
    if dim not in row:
        return ""
    if row[dim] is None:
        return text("group_none", lang)
    # A German reader knows the week as KW 40 (the pages say so too) and a day as 05.10.2026; the
    # JSON keeps 2026-W40 and 2026-10-05.
    cell = (bucket_name(row[dim], lang) if dim in ("week", "day") and is_german(lang)
            else str(row[dim]))
    if dim in TIME_DIMENSIONS:
        # A quarter key counts from the fiscal year's first month (kpis/scope.time_label).
        bucket = parse_period(row[dim], fiscal_year_start=report.fiscal_year_start)
        part = bucket.within(report.measured)
        if part is not bucket:
            partial.append(True)
            return f"{cell} ({format_period(part, lang)})"
    return cell


def _dims(row: dict[str, Any]) -> list[str]:
    return [k for k in row if k not in ROW_FIELDS]


# CSV columns after the interval, as in the JSON rows: with a comparison, and where a row has a target.
COMPARE_COLUMNS = ("previous", "change", "p_value", "significant")
TARGET_COLUMNS = ("target", "target_status", "pace")


def report_csv(report: Report) -> str:
    """The rows as CSV for machines: the JSON's names and plain numbers (rates as fractions, money
    as exact decimals, ``true``/``false``), one column per field."""
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    extra = ((COMPARE_COLUMNS if report.previous is not None else ())
             + (TARGET_COLUMNS if any(row.get("target") is not None for row in report.rows) else ())
             + tuple(k for k in ("days_so_far",) if any(k in row for row in report.rows))
             # A median not reached yet stands as its lower bound ("over 167 days"): a CSV without
             # it read as an empty value with a flag (a tester scripting). Only where one is.
             + (("lower_bound",) if any(row.get("lower_bound") is not None for row in report.rows) else ()))
    # With --as-of, the day and the stretch the figures cover (the period cut there), as the JSON's
    # as_of and measured_period: the period's own end alone would claim the whole period.
    cut = ((report.as_of.isoformat(), report.measured.start.isoformat(), report.measured.end.isoformat())
           if report.as_of is not None else ())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", *dims, "value", "unit", "currency", "n", "flags", "period_start",
                     "period_end", "ci_low", "ci_high", *extra,
                     *(("as_of", "measured_start", "measured_end") if cut else ())])
    for row in report.rows:
        writer.writerow([
            row["kpi"], *[_csv_cell(row.get(d)) for d in dims],
            _csv_cell(row["value"]),
            row["unit"], row.get("currency") or "", row["n"], ";".join(row["flags"]),
            report.period.start.isoformat(), report.period.end.isoformat(),
            *(_csv_cell(row.get(k)) for k in ("ci_low", "ci_high", *extra)), *cut,
        ])
    return out.getvalue()


def trend_csv(points: Sequence[Point], currency: str | None) -> str:
    """The trend's buckets as CSV: ``key`` (2026-W40), ``period`` (the days of it in the period),
    ``value``, ``currency``, ``n``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "period", "value", "currency", "n"])
    for p in points:
        writer.writerow([p.key, p.period, _csv_cell(p.value), currency or "", p.n])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)  # a team named "=cmd|..." is no formula in Excel
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        # Plain, as README says: a p-value of 0.000027 was written 2.7e-05. The shortest digits
        # that read back as the same float, never in exponent form.
        return format(Decimal(repr(value)), "f")
    return value
