"""The insight commands: scorecard, activities, funnel, satisfaction, ramp and cycle.

Each asks one :class:`~salesmetrics.workspace.Workspace` question and prints its answer (tables and a
few sentences, or ``--format json``). Their tables are imported when a command runs, so a plain
``salesmetrics report`` loads none of this."""

from __future__ import annotations

from typing import Annotated

import typer

from ..coverage import PeriodHint
from ..errors import SalesmetricsError
from ..periods import DEFAULT_INSIGHT_PERIOD
from ..text.catalogue import text
from ..text.errors import error_text
from ..text.figures import format_hint
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
)
from .options import filters_given as filters_of
from .output import answer, check_format, err, fail, out, refused_notes


def said(fmt: str, hint: PeriodHint | None, lang: str) -> None:
    """After a drawn answer: where the records are, when its period holds none (JSON has ``hint``)."""
    if hint is not None and fmt != "json":
        err.print(format_hint(hint, lang), style="yellow", highlight=False, markup=False)


@app.command()
def scorecard(
    rep: Annotated[str, typer.Argument(help="The rep's id or full name.")],
    period: PeriodOption = DEFAULT_INSIGHT_PERIOD,
    history: Annotated[int, typer.Option("--history", help="Own previous periods to compare with.")] = 3,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """One rep against the team and their own past: more activity or training?"""
    from . import insight_tables as show

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        card = ws.scorecard(rep, period, history=history, as_of=anchor, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            out.print(show.scorecard_table(card, lang, out.width))
            out.print(card.diagnosis.text(lang), highlight=False, soft_wrap=True)
            out.print(show.programs_line(card, lang), highlight=False, soft_wrap=True)

        answer(fmt, card, draw)
        said(fmt, card.hint, lang)
        refused_notes(card.skipped, lang)


@app.command()
def activities(
    period: PeriodOption = DEFAULT_INSIGHT_PERIOD,
    by: Annotated[str, typer.Option("--by", help="rep or team; empty: everyone.")] = "",
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Which activity types go with won deals (meeting-to-win, demo-to-win, ...)."""
    from . import insight_tables as show

    check_format(fmt)
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.activity_effectiveness(period, by=by or None, filters=filters, as_of=anchor,
                                           viewer=viewer_of(ws, as_user))

        def draw() -> None:
            out.print(show.heading("activities", result.measured, lang, result.filters), highlight=False)
            for table in show.effectiveness_tables(result, lang, out.width):
                out.print(table, highlight=False)
            out.print(show.effectiveness_note(result, lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)
        said(fmt, result.hint, lang)
        if result.without_rate:  # the revenue left empty, said in every format (JSON: without_rate)
            err.print(text("won_lost_without_rate", lang, n=result.without_rate), style="yellow",
                      highlight=False, soft_wrap=True)


def _probabilities(items: list[str], lang: str) -> dict[str, float]:
    from ..insights.funnel import parse_probabilities

    try:
        return parse_probabilities(items)
    except SalesmetricsError as exc:
        if lang.lower().startswith("de"):  # the flag named, the value's problem in German
            raise fail(f"--probability: {error_text(exc, lang)}", 2, german=True) from None
        raise fail(f"--{exc}", 2) from None


@app.command()
def funnel(
    period: PeriodOption = DEFAULT_INSIGHT_PERIOD,
    cohort: Annotated[bool, typer.Option("--cohort", help="Follow the deals created in the period, "
                                         "instead of the stage moves made in it.")] = False,
    probability: Annotated[list[str] | None, typer.Option(
        "--probability", help="STAGE=P (repeatable): the win probability of a stage for the weighted "
                              "pipeline. Default: each stage's historical stage-to-win rate.")] = None,
    by: Annotated[str, typer.Option("--by", help="rep, team or pipeline: a funnel each; empty: "
                                    "everyone.")] = "",
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Stage conversion, time in stage, sales velocity and the weighted pipeline."""
    from . import insight_tables as show

    check_format(fmt)
    given = _probabilities(probability or [], lang)
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.funnel(period, cohort=cohort, probabilities=given or None, filters=filters,
                           as_of=anchor, by=by or None, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            tables = show.funnel_tables(result, lang, out.width)
            if result.stages:
                out.print(tables[0])
            out.print(show.funnel_note(result, lang), highlight=False, soft_wrap=True)
            out.print(tables[1])
            out.print(text("pipeline_basis", lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)
        said(fmt, result.hint, lang)
        for refusal in result.refused:  # the money left empty, and what to import (JSON: refused)
            err.print(error_text(refusal, lang), style="yellow", highlight=False, soft_wrap=True)


@app.command()
def satisfaction(
    period: Annotated[str, typer.Option("--period", "-p", help="2026, last-year, 2026-Q3, ...")]
    = "last-year",
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Do promoters spend more per order than detractors? Tests the article's "+33 %". Accounts are
    grouped by their latest answer in the period; their orders are all their won deals up to its
    end, whenever won."""
    from . import insight_tables as show

    check_format(fmt)
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.satisfaction(period, as_of=anchor, filters=filters, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            out.print(show.satisfaction_table(result, lang, out.width))
            out.print(show.satisfaction_text(result, lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)
        said(fmt, result.hint, lang)


@app.command()
def ramp(
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """New hires' ramp as cohort curves by hire month, against the RAIN Group's 9 and 15 months."""
    from . import insight_tables as show

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.ramp_cohorts(as_of=anchor, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            if result.cohorts:
                out.print(show.ramp_table(result, lang, out.width))
            out.print(show.ramp_text(result, lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)


@app.command()
def cycle(
    period: PeriodOption = DEFAULT_INSIGHT_PERIOD,
    filter_: FilterOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Sales cycle: the average over won deals beside the median counting open deals."""
    from . import insight_tables as show

    check_format(fmt)
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.cycle(period, as_of=anchor, filters=filters, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            out.print(show.heading("cycle", result.measured, lang, result.filters), highlight=False)
            out.print(result.text(lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)
        said(fmt, result.hint, lang)
