"""Behind and around a figure: ``records`` (what a figure rests on), ``trend`` (revenue over time),
``rep`` (a rep beside the team's median) and ``dashboard`` (everything the dashboard draws)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..kpis import REGISTRY
from ..periods import DEFAULT_PERIOD
from ..text.numbers import format_value
from .app import app, open_workspace, viewer_of
from .options import (
    AsOfOption,
    AsUserOption,
    DbOption,
    FilterOption,
    FormatOption,
    LangOption,
    PeriodOption,
    as_of_day,
    filters_given,
)
from .output import answer, check_format, out, write_json

GrainOption = Annotated[str | None, typer.Option("--grain", help="week, month or quarter. Default: by "
                                                 "the period's length.")]


@app.command()
def records(
    kpi: Annotated[str, typer.Argument(help="The KPI whose figure to explain, e.g. total_revenue.")],
    period: PeriodOption = DEFAULT_PERIOD,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in the table (0: all); json and "
                                       "csv hold every row.", min=0)] = 50,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """The records behind a figure: the won deals behind revenue, the closed deals behind a win
    rate, the answers behind an NPS; read as the KPI reads them, so they add up to it."""
    from rich.table import Table

    check_format(fmt, ("table", "json", "csv"))
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db) as ws:
        found = ws.records_behind(kpi, period, filters=filters, as_of=anchor,
                                  viewer=viewer_of(ws, as_user))
        if fmt == "json":
            write_json(found.as_json())
            return
        if fmt == "csv":
            sys.stdout.write(found.to_csv())
            return
        shown = found.rows if limit == 0 else found.rows[:limit]
        table = Table(title=f"{kpi} {found.period.label}: {len(found.rows)} {found.kind}",
                      title_justify="left")
        for column in found.columns:
            table.add_column(column, overflow="fold")
        for row in shown:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in found.columns))
        out.print(table)
        if len(shown) < len(found.rows):
            out.print(f"{len(shown)} of {len(found.rows)} shown; --limit 0 shows all, --format csv "
                      "writes them", highlight=False)


@app.command()
def trend(
    period: PeriodOption = DEFAULT_PERIOD,
    grain: GrainOption = None,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Revenue per week, month or quarter of the period (the dashboard's trend chart)."""
    from rich.table import Table

    check_format(fmt)
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db) as ws:
        points = ws.revenue_trend(period, grain, filters=filters, as_of=anchor,
                                   viewer=viewer_of(ws, as_user))
        if fmt == "json":
            write_json([{"key": p.key, "period": p.period, "value": p.value, "n": p.n} for p in points])
            return
        currency = ws.base_currency()
        table = Table(title=REGISTRY["total_revenue"].title.get(lang), title_justify="left")
        table.add_column("")
        table.add_column(REGISTRY["total_revenue"].title.get(lang), justify="right", no_wrap=True)
        table.add_column("n", justify="right")
        for p in points:
            table.add_row(p.key, format_value(p.value, "money", currency, lang), str(p.n))
        out.print(table)


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

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db) as ws:
        found = ws.rep_comparison(rep_, period, as_of=anchor, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            de = lang == "de"
            table = Table(title=f"{found.name or found.rep} ({found.team or '–'}) {found.period.label}",
                          title_justify="left")
            table.add_column("KPI")
            table.add_column(found.name or found.rep, justify="right", no_wrap=True)
            table.add_column("Team-Median" if de else "team median", justify="right", no_wrap=True)
            for line in found.lines:
                unit = REGISTRY[line.kpi].unit
                table.add_row(REGISTRY[line.kpi].title.get(lang),
                              format_value(line.value, unit, found.currency, lang),
                              format_value(line.team_median, unit, found.currency, lang))
            out.print(table)

        answer(fmt, found, draw)


@app.command()
def compare(
    values: Annotated[list[str], typer.Argument(metavar="TEAM_OR_REP...", help="Two or more teams "
                                                "(or reps, with --reps) to set side by side.")],
    reps: Annotated[bool, typer.Option("--reps", help="The values are reps (ids or full names).")] = False,
    period: PeriodOption = DEFAULT_PERIOD,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Teams (or reps) side by side: each KPI with its interval, and * where a group differs from the
    first beyond noise."""
    from rich.table import Table

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db) as ws:
        found = ws.compare("rep" if reps else "team", values, period, as_of=anchor)

        def draw() -> None:
            table = Table(title=f"{found.period.label}", title_justify="left")
            table.add_column("KPI")
            for group in found.groups:
                table.add_column(found.names.get(group) or group, justify="right", no_wrap=True)
            for line in found.kpis:
                unit = REGISTRY[line.kpi].unit
                cells = []
                for row, test in zip(line.rows, [None, *line.tests], strict=True):
                    text = format_value(row["value"] if row else None, unit, found.currency, lang)
                    cells.append(text + (" *" if test and test[1] else ""))
                table.add_row(REGISTRY[line.kpi].title.get(lang), *cells)
            out.print(table)
            out.print("* " + ("unterscheidet sich von der ersten Spalte jenseits des Rauschens (p < 0,05)"
                              if lang == "de" else "differs from the first column beyond noise (p < 0.05)"))

        answer(fmt, found, draw)


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
    with open_workspace(db) as ws:
        write_json(ws.dashboard(period, grain=grain, filters=filters, as_of=anchor,
                                viewer=viewer_of(ws, as_user)).as_json())
