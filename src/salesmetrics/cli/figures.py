"""Behind and around a figure: ``records`` (what a figure rests on), ``trend`` (revenue over time),
``rep`` (a rep beside the team's median) and ``dashboard`` (everything the dashboard draws)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer

from ..kpis import REGISTRY
from ..periods import DEFAULT_PERIOD
from ..text import is_german
from ..text.catalogue import COLUMNS, VALUES, kind_count, lookup, period_name, text
from ..text.figures import filters_note, flag_notes, format_figure, format_hint
from ..text.numbers import bucket_name, format_ci, format_number, format_period, format_value, span_text
from .app import app, open_workspace, viewer_of
from .options import (
    AsOfOption,
    AsUserOption,
    DbOption,
    FilterOption,
    FormatOption,
    LangOption,
    OutputOption,
    PeriodOption,
    as_of_day,
    check_output,
    filters_given,
)
from .output import (
    answer,
    check_format,
    err,
    out,
    refused_notes,
    where_the_records_are,
    write_json,
    write_output,
)

# The records' columns a table shows: free text that may wrap, numbers set to the right, and what goes
# first where the terminal is narrow (the id, its moment, rep, status and amount stay).
RECORD_TEXT = frozenset({"account", "source", "pipeline"})
RECORD_NUMBERS = frozenset({"amount", "cycle_days", "days", "score", "quantity", "unit_price", "revenue"})
RECORD_MONEY = frozenset({"amount", "unit_price", "revenue"})
RECORDS_NARROW = ("created_at", "pipeline", "source", "account", "team", "won_in_period", "category")

GrainOption = Annotated[str | None, typer.Option("--grain", help="day, week, month or quarter. Default: "
                                                 "by the period's length.")]


@app.command()
def records(
    kpi: Annotated[str, typer.Argument(help="The KPI whose figure to explain, e.g. total_revenue.")],
    period: PeriodOption = DEFAULT_PERIOD,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in the table (0: all); json and "
                                       "csv hold every row.", min=0)] = 50,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or xlsx (with --output).")] = "table",
    output: OutputOption = None,
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """The records behind a figure: the won deals behind revenue, the closed deals behind a win
    rate, the answers behind an NPS; read as the KPI reads them, so they add up to it."""
    from rich.table import Table

    from ..drilldown import without_rate_note
    from .tables import fit

    check_format(fmt, ("table", "json", "csv", "xlsx"))
    check_output(fmt, output)
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        found = ws.records_behind(kpi, period, filters=filters, as_of=anchor,
                                  viewer=viewer_of(ws, as_user))
        unrated = without_rate_note(found, lang)
        if unrated and fmt != "table":
            err.print(unrated, highlight=False)  # the JSON holds them too ("without_rate")
        if found.hint is not None:  # as the report says it of the figure (the JSON: "hint")
            err.print(format_hint(found.hint, lang), style="yellow", highlight=False, markup=False)
        if fmt == "xlsx" and output is not None:
            from ..documents.xlsx import records_workbook

            write_output(output, records_workbook(found, lang))
            listed = kind_count(len(found.rows), found.kind, lang)
            out.print(text("wrote_what", lang, file=output, what=listed), highlight=False)
            return
        if fmt == "json":
            write_json(found.as_json())
            return
        if fmt == "csv":
            sys.stdout.write(found.to_csv())
            return
        shown = found.rows if limit == 0 else found.rows[:limit]
        counted = kind_count(len(found.rows), found.kind, lang)
        # In German for a German reader: the columns' names, the codes' words, numbers as written
        # in German; in English the ids, which scripts and the JSON share.
        german = lang.lower().startswith("de")
        named = (lambda c: lookup(COLUMNS, c, lang)) if german else (lambda c: c)
        title = REGISTRY[kpi].title.get(lang) if german and kpi in REGISTRY else kpi
        span = f"{period_name(found.measured.label, lang)}{filters_note(found.filters, lang)}"
        table = Table(title=f"{title} {span}: {counted}", title_justify="left")
        several = found.currency is not None and len(ws.currencies()) > 1
        for column in found.columns:
            # Ids, moments, amounts and codes whole on one line; names and labels wrap. With records
            # in several currencies, an amount is the base currency's: its header says which.
            header = (f"{named(column)} ({found.currency})" if several and column in ("amount", "revenue")
                      else named(column))
            table.add_column(header, no_wrap=column not in RECORD_TEXT,
                             justify="right" if column in RECORD_NUMBERS else "left")
        if several:
            table.caption = text("records_converted", lang, currency=found.currency)
            table.caption_justify = "left"

        def cell(column: str, value: Any) -> str:
            if value is None:
                return ""
            if german and column in RECORD_NUMBERS and isinstance(value, int | float | Decimal):
                return format_number(value, lang, "#,##0.00" if column in RECORD_MONEY else "#,##0.##")
            if german and isinstance(value, str) and column in ("status", "category", "activity_type"):
                return lookup(VALUES, value, lang)
            if german and isinstance(value, datetime):  # 02.11.2026 14:30, as forecast writes days
                return f"{value:%d.%m.%Y %H:%M}"
            if german and isinstance(value, date):
                return f"{value:%d.%m.%Y}"
            return str(value)

        for row in shown:
            table.add_row(*(cell(c, row.get(c)) for c in found.columns))
        out.print(fit(table, out.width, [named(c) for c in RECORDS_NARROW], lang))
        if len(shown) < len(found.rows):
            out.print(text("records_shown", lang, shown=len(shown), total=len(found.rows)), highlight=False)
        if found.quota_text(lang):
            out.print(found.quota_text(lang), highlight=False)
        if unrated:
            out.print(unrated, highlight=False)


@app.command()
def trend(
    period: PeriodOption = DEFAULT_PERIOD,
    grain: GrainOption = None,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Revenue per day, week, month or quarter of the period (the dashboard's trend chart)."""
    from rich.table import Table

    from ..dashboard import trend_json, trend_span
    from .tables import fit

    check_format(fmt, ("table", "json", "csv"))
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        points = ws.revenue_trend(period, grain, filters=filters, as_of=anchor,
                                   viewer=viewer_of(ws, as_user))
        currency = ws.base_currency()
        if fmt == "json":
            write_json(trend_json(points, currency))
            return
        if fmt == "csv":  # the JSON's fields, and the currency a spreadsheet needs beside the sums
            from .tables import trend_csv

            sys.stdout.write(trend_csv(points, currency))
            return
        title = REGISTRY["total_revenue"].title.get(lang)
        if (covered := trend_span(points)) is not None:
            # The days and what they were narrowed to: "Total revenue" over team west's $8,000.00
            # read as the company's.
            title += f", {span_text(covered, lang)}"
        table = Table(title=title + filters_note(filters, lang), title_justify="left")
        table.add_column("", no_wrap=True)
        table.add_column(REGISTRY["total_revenue"].title.get(lang), justify="right", no_wrap=True)
        table.add_column("n", justify="right", no_wrap=True)
        partial = False
        for p in points:
            # A German reader knows the week as KW 40 (the pages say so too) and a day as 05.10.2026;
            # the JSON keeps 2026-W40 and 2026-10-05.
            label = bucket_name(p.key, lang) if is_german(lang) else p.key
            if p.span is not None and p.period != p.key:
                # A bucket only partly in the period (a week at a month's edge, a month running
                # today): the days it covers, so $0.00 for one Sunday is not read as a week's.
                label = f"{label} ({format_period(p.span, lang)})"
                partial = True
            table.add_row(label, format_value(p.value, "money", currency, lang), str(p.n))
        if partial:
            table.caption, table.caption_justify = text("bucket_days", lang), "left"
        out.print(fit(table, out.width, (), lang))
        where_the_records_are(ws, period, anchor, viewer_of(ws, as_user), lang)


@app.command()
def rep(
    rep_: Annotated[str, typer.Argument(metavar="REP", help="The rep's id or full name.")],
    period: PeriodOption = DEFAULT_PERIOD,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """One rep's KPIs beside the median of their team's reps."""
    from rich.table import Table

    from .tables import fit

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        found = ws.rep_comparison(rep_, period, as_of=anchor, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            de = lang == "de"
            table = Table(title=f"{found.name or found.rep} ({found.team or '–'}) "
                                f"{period_name(found.measured.label, lang)}", title_justify="left")
            table.add_column("KPI")
            table.add_column(found.name or found.rep, justify="right", no_wrap=True)
            table.add_column("Team-Median" if de else "team median", justify="right", no_wrap=True)
            for line in found.lines:
                # An empty figure says why (the median of reps without figures has the same reason).
                reason = [f for f in line.flags
                          if f in ("no_quota", "no_hire_dates", "no_activities", "no_rate")]
                # No median without a reason: too few reps have the figure, or it is withheld from
                # a rep (a median of two gives the other away): a dash, as the scorecard and the page
                # say, not the figure's own empty word ("no answers" where the team has answers).
                median = ("–" if line.team_median is None and not reason else
                          format_figure(line.kpi, line.team_median, found.currency, lang, flags=reason))
                table.add_row(REGISTRY[line.kpi].title.get(lang),
                              format_figure(line.kpi, line.value, found.currency, lang, flags=line.flags),
                              median)
            out.print(fit(table, out.width, (), lang))

        answer(fmt, found, draw)
        refused_notes(found.skipped, lang)
        if fmt != "json":
            where_the_records_are(ws, period, anchor, viewer_of(ws, as_user), lang)


@app.command()
def compare(
    values: Annotated[list[str], typer.Argument(metavar="TEAM_OR_REP...", help="Two or more teams "
                                                "(or reps, with --reps) to set side by side.")],
    reps: Annotated[bool, typer.Option("--reps", help="The values are reps (ids or full names).")] = False,
    period: PeriodOption = DEFAULT_PERIOD,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Teams (or reps) side by side: each KPI with its interval, and * where a group differs from the
    first beyond noise."""
    from rich.table import Table
    from rich.text import Text

    from .tables import fit

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        found = ws.compare("rep" if reps else "team", values, period, as_of=anchor,
                           viewer=viewer_of(ws, as_user))

        def draw() -> None:
            # In the language asked, as the insights' titles say it: "last-month
            # (2026-11-01..2026-11-30)" was the period's key, in English under --lang de.
            table = Table(title=period_name(found.measured.label, lang), title_justify="left")
            table.add_column("KPI")
            for group in found.groups:
                table.add_column(found.names.get(group) or group, justify="right")
            for line in found.kpis:
                cells = []
                for row, test in zip(line.rows, [None, *line.tests], strict=True):
                    # The figure, or why there is none (never a bare dash): "over 130 days", "no deal won".
                    text = (format_figure(line.kpi, row["value"], found.currency, lang, flags=row["flags"],
                                          lower_bound=row.get("lower_bound")) if row
                            else format_figure(line.kpi, None, found.currency, lang, flags=line.empty))
                    cell = Text(text + (" *" if test and test[1] else ""))
                    if row:
                        # What the figure rests on, under it: its interval, n, and a small sample
                        # said (east's 75 % of 4 deals beside west's 33 % of 3 read as a gap).
                        ci = format_ci({**row, "unit": REGISTRY[line.kpi].unit, "currency": found.currency},
                                       lang)
                        said = [ci, f"n {format_value(row['n'], 'count', None, lang)}",
                                flag_notes(row["flags"], lang, row.get("days_so_far"))]
                        cell.append("\n" + " · ".join(x for x in said if x), style="dim")
                    cells.append(cell)
                table.add_row(REGISTRY[line.kpi].title.get(lang), *cells)
            out.print(fit(table, out.width, (), lang))
            out.print("* " + ("unterscheidet sich von der ersten Spalte jenseits des Rauschens (p < 0,05)"
                              if lang == "de" else "differs from the first column beyond noise (p < 0.05)"))

        answer(fmt, found, draw)
        refused_notes(found.skipped, lang)
        if fmt != "json":
            where_the_records_are(ws, period, anchor, viewer_of(ws, as_user), lang)


@app.command()
def dashboard(
    period: PeriodOption = DEFAULT_PERIOD,
    grain: GrainOption = None,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Everything the dashboard draws, as JSON (tiles, trend, products, leaderboard, activity mix,
    NPS answers, sales cycle): for scripts. `summary` prints the same tiles for people."""
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        write_json(ws.dashboard(period, grain=grain, filters=filters, as_of=anchor,
                                viewer=viewer_of(ws, as_user)).as_json())
