"""What is ahead, and why deals are lost: ``forecast`` (and ``forecast --accuracy``), ``slippage`` and
``losses``. Each asks one :class:`~salesmetrics.workspace.Workspace` question and prints its answer,
or ``--format json``; their tables are imported when a command runs."""

from __future__ import annotations

from typing import Annotated

import typer

from ..periods import DEFAULT_INSIGHT_PERIOD
from .app import app, open_workspace, viewer_of
from .options import AsOfOption, AsUserOption, DbOption, FilterOption, FormatOption, LangOption, as_of_day
from .options import filters_given as filters_of
from .output import answer, check_format, out, refuse, where_the_records_are

OVERDUE_SHOWN = 20  # overdue deals listed under the forecast (--deals: all)
ForecastPeriod = Annotated[str, typer.Option("--period", "-p", help="2026-Q3, this-quarter, 2026-10, "
                                             "...: the period to forecast.")]
SlippagePeriod = Annotated[str, typer.Option("--period", "-p", help="2026-Q3, this-quarter, 2026-10, "
                                             "...: the period the deals were expected to close in.")]


@app.command()
def forecast(
    ctx: typer.Context,
    period: ForecastPeriod = "this-quarter",
    as_of: AsOfOption = None,
    by: Annotated[str, typer.Option("--by", help="rep or team; empty: everyone. With --accuracy "
                                    "rep when not given (a row per rep, and everyone's), as the "
                                    "API's by.")] = "",
    accuracy: Annotated[bool, typer.Option("--accuracy", help="How right past forecasts were: for "
                                           "the last quarters, what the forecast said at their start "
                                           "and middle against what closed.")] = False,
    last: Annotated[int, typer.Option("--last", help="With --accuracy: the quarters to look back "
                                      "on.")] = 4,
    deals: Annotated[bool, typer.Option("--deals", help="Also list the deals behind each "
                                        "bar.")] = False,
    filter_: FilterOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """What the period will close at against quota: closed won, commit, best case, pipeline,
    weighted, gap and coverage; overdue deals apart."""
    from ..text.forecast import word
    from . import forecast_tables as show

    check_format(fmt)
    if last < 1:
        raise refuse("--last must be at least 1 (quarters to look back on)")
    # An option that does not apply is refused, not passed over: --accuracy --period 2026-Q1 showed
    # the last quarters as if it had been read (the API refuses the same).
    given = {name for name in ("period", "deals", "last", "by")
             if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"}
    if accuracy and (wrong := sorted(given & {"period", "deals"})):
        raise refuse(f"--accuracy looks back on the last quarters (--last N); it takes no "
                     f"{' or '.join('--' + w for w in wrong)}")
    if not accuracy and "last" in given:
        raise refuse("--last goes with --accuracy (the quarters to look back on)")
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        if accuracy:
            # Per rep unless --by says otherwise; --by "" is everyone alone, as the API's by= is.
            found = ws.forecast_accuracy(last=last, as_of=anchor,
                                         by=(by or None) if "by" in given else "rep", filters=filters,
                                         viewer=viewer_of(ws, as_user))
            answer(fmt, found, lambda: out.print(show.accuracy_table(found, lang, out.width)))
            return
        # The table lists no won deal without --deals: they are added up, not read (a quarter
        # at 1M deals has 45,000). JSON lists them all.
        viewer = viewer_of(ws, as_user)
        result = ws.forecast(period, as_of=anchor, by=by or None, filters=filters, viewer=viewer,
                             listed=None if deals or fmt == "json" else 0)

        def draw() -> None:
            names = ws.names("reps", viewer) if result.by == "rep" else {}
            out.print(show.forecast_table(result, lang, out.width, names))
            if deals and result.deals:
                out.print(show.deals_table(result.deals, word("behind", lang), result.currency,
                                           lang, out.width))
            if result.overdue:
                # Forgotten deals pile up over the years: the first ones here, all of them in JSON.
                out.print(show.deals_table(result.overdue, word("overdue", lang), result.currency,
                                           lang, out.width, limit=None if deals else OVERDUE_SHOWN))
            out.print(show.forecast_notes(result, lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)


@app.command()
def slippage(
    period: SlippagePeriod = "this-quarter",
    as_of: AsOfOption = None,
    filter_: FilterOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Deals whose expected close date was pushed: how often, how far, and those moved out."""
    from . import forecast_tables as show

    check_format(fmt)
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.slippage(period, as_of=anchor, filters=filters, viewer=viewer_of(ws, as_user))

        def draw() -> None:
            if result.rows:
                out.print(show.slippage_table(result, lang, out.width))
            out.print(show.slippage_text(result, lang), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)


@app.command()
def losses(
    period: Annotated[str, typer.Option("--period", "-p", help="2026-Q3, last-quarter, ...")]
    = DEFAULT_INSIGHT_PERIOD,
    by: Annotated[str, typer.Option("--by", help="rep, team or segment; empty: everyone.")] = "",
    as_of: AsOfOption = None,
    filter_: FilterOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Why deals are lost: count, value and rate per lost reason, beside the period before."""
    from ..text.forecast import losses_notes
    from . import forecast_tables as show

    check_format(fmt)
    filters = filters_of(filter_)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        result = ws.losses(period, by=by or None, filters=filters, as_of=anchor,
                           viewer=viewer_of(ws, as_user))

        def draw() -> None:
            empty = show.losses_text(result, lang)
            if empty is None:
                out.print(show.losses_table(result, lang, out.width))
            else:  # nothing lost, and what that leaves out (deals closed after today)
                out.print(" ".join([empty, *losses_notes(result, lang)]), highlight=False, soft_wrap=True)

        answer(fmt, result, draw)
        if fmt != "json":
            where_the_records_are(ws, period, anchor, viewer_of(ws, as_user), lang)
