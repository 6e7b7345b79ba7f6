"""The options many commands share, declared once, and reading what they were given."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import (
    CurrencyError,
    DimensionError,
    ImportValidationError,
    PeriodError,
    ProgramError,
    SalesmetricsError,
    SettingsError,
    UnknownValueError,
    WorkspaceError,
)
from ..kpis.dimensions import DIMENSIONS, parse_filter_items
from ..periods import parse_day
from ..text import LANGS, language
from ..text.errors import error_text
from .output import fail, refuse, writable_file


def given(name: str) -> list[Any]:
    """The values of option ``name`` given to the command, its group and before it (innermost
    first): ``salesmetrics --db X config set ...``, ``config --db X set ...`` and ``config set ...
    --db X`` all say the same."""
    try:  # Typer 0.2x runs on its own copy of Click, whose context this is
        from typer._click.globals import get_current_context
    except ImportError:  # older Typer: Click itself
        from click import get_current_context  # type: ignore[no-redef]
    ctx = get_current_context(silent=True)
    found = []
    while ctx is not None:
        if ctx.params.get(name) is not None:
            found.append(ctx.params[name])
        ctx = ctx.parent
    return found


# What stops a command without its being used wrongly (exit code 1): an import refused for its data,
# a workspace that cannot be opened or is busy, currencies to convert or a setting to choose first
# (the API's 409, 422 and 503). Every other error is in what was typed, a period, KPI, dimension,
# value, target or format that cannot be read or does not apply: exit code 2, the API's 400.
STOPS = ImportValidationError | WorkspaceError | CurrencyError | SettingsError


def stopped(exc: SalesmetricsError) -> typer.Exit:
    """The error in one line (in the command's language where the core words it in both), with the
    exit code its kind calls for."""
    from ..documents.mail import DeliveryError  # a mail server that refused or is down

    lang = next(iter(given("lang")), "en")
    german = lang.lower().startswith("de")
    if isinstance(exc, UnknownValueError | ProgramError):
        said = exc.text(lang)
        return fail(said, 2, german=german and said != exc.texts["en"])
    code = 1 if isinstance(exc, STOPS | DeliveryError) else 2
    if german and exc.key in GERMAN_ON_THE_COMMAND_LINE:
        return fail(error_text(exc, lang), code, german=True)
    return fail(str(exc), code)


# The keyed errors whose German (text/errors.py) fits the command line too: the others point to
# a page's fields or the API, where the command line has flags.
GERMAN_ON_THE_COMMAND_LINE = frozenset({
    "no_rate", "deal_no_rate", "period_unreadable", "period_not_a_date", "period_end_before_start",
    "period_no_week", "period_no_month", "period_days_at_least_one", "period_after_as_of",
    "period_beyond_calendar", "period_calendar_edge", "day_beyond_calendar", "day_not_a_date",
    "kpi_unknown", "kpi_unknown_close", "group_unknown", "several_currencies", "target_not_a_number",
    "target_exponent", "target_ambiguous", "target_ratio", "target_score", "target_negative",
    "target_too_large", "target_cents", "forecast_by", "funnel_by",
    "probability_outcome", "losses_by", "activities_by", "trend_days",
    "as_of_to_come", "as_of_future", "no_workspace", "day_not_in_calendar", "compare_two_team",
    "compare_two_rep",
    "no_line_items",
    *(f"whole_deal_filters_{q}" for q in ("forecast", "slippage", "losses", "satisfaction", "activities",
                                          "cycle", "funnel"))})


def check_lang(value: str) -> str:
    """``en`` or ``de``, with a region or not (``de-AT``: German), as the API reads it."""
    found = language(value)
    if found is None:
        raise typer.BadParameter(f"{value!r}: write {' or '.join(LANGS)}")
    return found


AS_OF_HELP = ("Figures as they stood at the end of this day (YYYY-MM-DD): later records do not count, a "
              "period running past it is cut there, relative periods and the pace end on it. Default: "
              "today, with every record counted.")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Workspace file. Default: $SALESMETRICS_DB, else ./salesmetrics.duckdb.",
                 show_default=False),
]
BackendOption = Annotated[
    str | None,
    typer.Option("--backend", help="Engine holding the records: duckdb:///file.duckdb (default, as --db), "
                 "postgres://user@host/db, pyspark or spark://host:7077/warehouse. Default: "
                 "$SALESMETRICS_BACKEND. See docs/scaling.md.", show_default=False),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of titles and numbers: en or de.",
                                         callback=check_lang)]
PeriodOption = Annotated[str, typer.Option("--period", "-p", help="2026-10, 2026-Q3, 2026-W47, last-month, "
                                           "last-30-days, 2026-10-01..2026-10-31, this-quarter, ...")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)]
FormatOption = Annotated[str, typer.Option("--format", help="table or json.")]
FilterOption = Annotated[list[str] | None, typer.Option("--filter", "-f", help="DIM=VALUE[,VALUE] "
                                                        "(repeatable), e.g. team=east.")]
AsUserOption = Annotated[str | None, typer.Option(
    "--as-user", metavar="EMAIL", help="What this user would see (their account's email): a rep their "
    "own records, a manager their teams'. For admins to check.", show_default=False)]
ByOption = Annotated[str, typer.Option("--by", help=f"Group by: {', '.join(DIMENSIONS)} (comma-separated).")]


OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write the workbook here "
                                                 "(--format xlsx).", show_default=False)]


def check_output(fmt: str, output: Path | None) -> None:
    """``--format xlsx`` writes a file (a workbook on a terminal is no use); ``--output`` is for it."""
    if fmt == "xlsx" and output is None:
        raise refuse("--format xlsx writes a workbook: give --output FILE.xlsx")
    if output is not None and fmt != "xlsx":
        raise refuse("--output is for --format xlsx; redirect the other formats (> FILE)")
    if output is not None and output.suffix.lower() not in (".xlsx", ".xlsm"):
        # A workbook under report.csv opened as garbage in whatever the name promised.
        raise refuse(f"--output {output}: a workbook is written as FILE.xlsx")
    if output is not None:
        writable_file(output)


def as_of_day(text: str | None) -> date | None:
    """``--as-of``: a day, or None for today; refused in the command's language (15.08.2026 was
    refused in English under --lang de)."""
    try:
        return parse_day(text, "--as-of") if text else None
    except PeriodError as exc:
        raise stopped(exc) from None


def filters_given(items: list[str] | None) -> dict[str, list[str]]:
    """``--filter`` as the core takes it (:func:`~salesmetrics.kpis.scope.parse_filter_items`)."""
    try:
        return parse_filter_items(items or [])
    except DimensionError as exc:
        raise refuse(f"--{exc}") from None
