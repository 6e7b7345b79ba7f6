"""The options many commands share, declared once, and reading what they were given."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..errors import DimensionError
from ..kpis.dimensions import DIMENSIONS, parse_filter_items
from ..text import LANGS
from .output import refuse


def _check_lang(value: str) -> str:
    if value.lower() not in LANGS:
        raise typer.BadParameter(f"{value!r}: write {' or '.join(LANGS)}")
    return value.lower()


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
                                         callback=_check_lang)]
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


def as_of_day(text: str | None) -> date | None:
    """``--as-of``: a day, or None for today."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise refuse(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def filters_given(items: list[str] | None) -> dict[str, list[str]]:
    """``--filter`` as the core takes it (:func:`~salesmetrics.kpis.scope.parse_filter_items`)."""
    try:
        return parse_filter_items(items or [])
    except DimensionError as exc:
        raise refuse(f"--{exc}") from None
