"""``salesmetrics report``, ``summary`` and ``kpis``: the figures, the headline view, the catalogue."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from ..access import Viewer
from ..coverage import ClosedAhead
from ..decimal_json import dumps
from ..kpis import REGISTRY
from ..kpis.dimensions import TIME_DIMENSIONS
from ..periods import DEFAULT_PERIOD
from ..text.catalogue import text
from ..text.figures import closed_ahead_text, dimension_title, format_hint, format_kpi_no_rows, format_no_rows
from ..text.numbers import format_value
from ..workspace import Workspace
from .app import app, open_workspace, viewer_of
from .options import (
    AsOfOption,
    AsUserOption,
    BackendOption,
    ByOption,
    DbOption,
    FilterOption,
    FormatOption,
    LangOption,
    OutputOption,
    PeriodOption,
    as_of_day,
    check_output,
    filters_given,
    given,
)
from .output import check_format, err, escape, out, refused_notes, styled, write_json, write_output


@app.command()
def report(
    period: PeriodOption = DEFAULT_PERIOD,
    by: ByOption = "",
    kpi: Annotated[list[str] | None, typer.Option("--kpi", "-k", help="KPI id (repeatable, or "
                                                  "comma-separated). Default: all. See `salesmetrics "
                                                  "kpis`.")] = None,
    filter_: FilterOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or xlsx (with --output).")] = "table",
    output: OutputOption = None,
    as_of: AsOfOption = None,
    compare: Annotated[bool, typer.Option("--compare", help="Also the period before, and whether each "
                                          "change is significant or within noise.")] = False,
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Compute KPIs for a period."""
    check_format(fmt, ("table", "json", "csv", "xlsx"))
    check_output(fmt, output)
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    # Repeatable or comma-separated, as --by and the API take them.
    ids = [k.strip() for item in kpi or [] for k in item.split(",") if k.strip()]
    with open_workspace(db, read_only=True, backend=backend) as ws:
        viewer = viewer_of(ws, as_user)
        result = ws.report(period, by=by, kpis=ids or None, filters=filters, as_of=anchor,
                           compare=compare, viewer=viewer)
        if fmt == "xlsx" and output is not None:
            from ..documents.xlsx import report_workbook

            names: dict[str, dict[str, str]] = {d: ws.names(f"{d}s", viewer if d == "rep" else None)
                                                for d in ("rep", "product") if d in result.by}
            write_output(output, report_workbook(result, lang, names))
            out.print(text("wrote_rows", lang, file=output, n=len(result.rows)), highlight=False)
        elif fmt == "json":
            sys.stdout.write(result.to_json() + "\n")
        elif fmt == "csv":
            from .tables import report_csv

            sys.stdout.write(report_csv(result))
        else:
            from .tables import report_table

            out.print(report_table(result, lang, out.width))
            if compare and (timed := [d for d in result.by if d in TIME_DIMENSIONS]):
                # Every Before cell read as a dash without a word: a week has no counterpart before.
                err.print(text("compare_by_time", lang, grain=text(timed[0], lang)), style="dim",
                          highlight=False)
            for s in result.skipped:
                if s.cause not in ("no_rate", "no_line_items"):  # those: refused_notes
                    err.print(f"skipped: {s.reason}", style="dim", highlight=False)
        # Money no rate converts takes its KPIs away, the others stand (or stand uncompared, for
        # the period before's money): said in every format.
        refused_notes([*result.skipped, *result.unrated, *result.uncompared], lang)
        if (apart := result.products_apart) is not None:  # JSON carries it as products_apart
            money = [format_value(v, "money", result.currency, lang) for v in apart]
            err.print(text("products_apart", lang, items=money[0], revenue=money[1]) + ".",
                      style="yellow", highlight=False, markup=False)
        if result.closed_ahead is not None and fmt != "json":  # JSON carries it as closed_ahead
            closed_ahead_note(result.closed_ahead, lang)
        if result.hint is not None and fmt != "json":  # JSON carries it as "hint"
            err.print(format_hint(result.hint, lang), style="yellow", highlight=False, markup=False)
        elif not result.rows and result.by and fmt == "table":
            err.print(format_no_rows(result.period, result.by, lang), style="yellow", highlight=False,
                      markup=False)
        elif fmt == "table":  # JSON carries them as no_rows
            for unanswered in result.no_rows:
                err.print(format_kpi_no_rows(unanswered, result.by, lang), style="dim", highlight=False,
                          markup=False)


@app.command()
def kpis(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """List the KPI catalogue: ids, titles, units and formulas."""
    from rich.table import Table

    check_format(fmt)
    # `salesmetrics kpis --db X` or `salesmetrics --db X kpis`: accepted, and said.
    if db is not None or given("db") or given("backend"):
        err.print("kpis opens no workspace: the catalogue is the same in every one (--db and "
                  "--backend are not needed)", style="dim", highlight=False)
    if fmt == "json":
        sys.stdout.write(dumps([k.as_json(lang) for k in REGISTRY.values()]) + "\n")
        return
    from .tables import fit

    de = lang.lower().startswith("de")
    table = Table(title="Kennzahlen" if de else "KPIs", show_lines=True)
    headers = (("ID", "Titel", "Einheit", "Formel", "Dimensionen") if de else
               ("id", "title", "unit", "formula", "dimensions"))
    for col in headers:
        # The id and unit are typed (--kpi, --by): whole on one line; the words wrap.
        table.add_column(col, no_wrap=col in ("ID", "id", "Einheit", "unit"))
    for k in REGISTRY.values():
        info = k.as_json(lang)
        table.add_row(k.id, styled(f"{escape(info['title'])}\n[dim]{escape(info['description'])}[/]"), k.unit,
                      k.formula, ", ".join(info["dimensions"]))
    out.print(fit(table, out.width, ["Dimensionen" if de else "dimensions"], lang))
    # The second part: figures of the forecast, slippage and losses, which answer questions of
    # their own rather than being KPIs of the registry (JSON stays the KPI list it always was).
    from ..text.forecast import FIGURES, word

    figures = Table(title=word("figures", lang), show_lines=True)
    for col in (("ID", "Titel", "Befehl", "Formel") if de else ("id", "title", "command", "formula")):
        figures.add_column(col)
    for f in FIGURES:
        info = f.as_json(lang)
        figures.add_row(f.id, styled(f"{escape(info['title'])}\n[dim]{escape(info['description'])}[/]"),
                        f"salesmetrics {f.question}", f.formula)
    out.print(fit(figures, out.width, [], lang))


def closed_ahead_note(ahead: ClosedAhead, lang: str) -> None:
    err.print(closed_ahead_text(ahead, lang), style="yellow", highlight=False, markup=False)


def print_summary(ws: Workspace, period: str, as_of: date | None, lang: str,
                  filters: dict[str, list[str]] | None = None,
                  viewer: Viewer | None = None) -> None:
    """The headline view: every KPI beside the period before, the top reps and the products."""
    from rich.columns import Columns

    from .tables import summary_tables

    found = ws.summary(period, filters=filters, as_of=as_of, viewer=viewer)
    tables = summary_tables(found, lang, out.width)
    out.print(tables[0])
    out.print(Columns(tables[1:], padding=(0, 4)))
    left_out = [s.kpi for s in found.skipped if s.cause == "not_applicable"]
    if left_out:  # the dashboard says so too: not lines gone in silence
        dims = [d for d in found.filters if any(not REGISTRY[k].supports(d) for k in left_out)]
        err.print(text("summary_not_filtered", lang, dims=", ".join(dimension_title(d, lang) for d in dims),
                       kpis=", ".join(REGISTRY[k].title.get(lang) for k in left_out)),
                  style="yellow", highlight=False, markup=False)
    refused_notes([*found.skipped, *found.uncompared], lang)
    if found.closed_ahead is not None:
        closed_ahead_note(found.closed_ahead, lang)
    if found.hint is not None:
        err.print(format_hint(found.hint, lang), style="yellow", highlight=False, markup=False)


@app.command()
def summary(
    period: PeriodOption = DEFAULT_PERIOD,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Every KPI for a period beside the period before and a year before, the top reps and the
    products."""
    check_format(fmt)
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        if fmt == "json":  # what GET /api/v1/summary answers
            found = ws.summary(period, filters=filters, as_of=anchor, viewer=viewer_of(ws, as_user))
            write_json(found.as_json())
            return
        print_summary(ws, period, anchor, lang, filters, viewer_of(ws, as_user))
