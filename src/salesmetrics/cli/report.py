"""``salesmetrics report``, ``summary`` and ``kpis``: the figures, the headline view, the catalogue."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from ..access import Viewer
from ..decimal_json import dumps
from ..kpis import REGISTRY
from ..periods import DEFAULT_PERIOD
from ..text.figures import format_hint
from ..workspace import Workspace
from .app import app, open_workspace, viewer_of
from .options import (
    AsOfOption,
    AsUserOption,
    BackendOption,
    ByOption,
    DbOption,
    FilterOption,
    LangOption,
    PeriodOption,
    as_of_day,
    filters_given,
)
from .output import check_format, err, out


@app.command()
def report(
    period: PeriodOption = DEFAULT_PERIOD,
    by: ByOption = "",
    kpi: Annotated[list[str] | None, typer.Option("--kpi", "-k", help="KPI id (repeatable). "
                                                  "Default: all. See `salesmetrics kpis`.")] = None,
    filter_: FilterOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    as_of: AsOfOption = None,
    compare: Annotated[bool, typer.Option("--compare", help="Also the period before, and whether each "
                                          "change is significant or within noise.")] = False,
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Compute KPIs for a period."""
    from .tables import report_csv, report_table

    check_format(fmt, ("table", "json", "csv"))
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, backend=backend) as ws:
        result = ws.report(period, by=by, kpis=kpi or None, filters=filters, as_of=anchor,
                           compare=compare, viewer=viewer_of(ws, as_user))
        if fmt == "json":
            sys.stdout.write(result.to_json() + "\n")
        elif fmt == "csv":
            sys.stdout.write(report_csv(result))
        else:
            out.print(report_table(result, lang, out.width))
            for s in result.skipped:
                err.print(f"[dim]skipped: {s.reason}[/]")
        if result.hint is not None and fmt != "json":  # JSON carries it as "hint"
            err.print(format_hint(result.hint, lang), style="yellow", highlight=False, markup=False)


@app.command()
def kpis(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = "en",
) -> None:
    """List the KPI catalogue: ids, titles, units and formulas."""
    from rich.table import Table

    check_format(fmt)
    if fmt == "json":
        sys.stdout.write(dumps([k.as_json(lang) for k in REGISTRY.values()]) + "\n")
        return
    de = lang.lower().startswith("de")
    table = Table(title="Kennzahlen" if de else "KPIs", show_lines=True)
    headers = (("ID", "Titel", "Einheit", "Formel", "Dimensionen") if de else
               ("id", "title", "unit", "formula", "dimensions"))
    for col in headers:
        table.add_column(col)
    for k in REGISTRY.values():
        info = k.as_json(lang)
        table.add_row(k.id, info["title"] + "\n[dim]" + info["description"] + "[/]", k.unit,
                      k.formula, ", ".join(info["dimensions"]))
    out.print(table)


def print_summary(ws: Workspace, period: str, as_of: date | None, lang: str,
                  viewer: Viewer | None = None) -> None:
    """The headline view: every KPI beside the period before, the top reps and the products."""
    from rich.columns import Columns

    from .tables import summary_tables

    found = ws.summary(period, as_of=as_of, viewer=viewer)
    tables = summary_tables(found, lang, out.width)
    out.print(tables[0])
    out.print(Columns(tables[1:], padding=(0, 4)))
    if found.hint is not None:
        err.print(format_hint(found.hint, lang), style="yellow", highlight=False, markup=False)


@app.command()
def summary(
    period: PeriodOption = DEFAULT_PERIOD,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Every KPI for a period beside the period before, the top reps and the products."""
    anchor = as_of_day(as_of)
    with open_workspace(db) as ws:
        print_summary(ws, period, anchor, lang, viewer_of(ws, as_user))
