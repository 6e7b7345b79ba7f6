"""``salesmetrics target``: set, list and remove goals per KPI, and see how each stands."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ..text.numbers import span_text
from .app import OneValueOnce, app, open_workspace, viewer_of
from .options import AsOfOption, AsUserOption, DbOption, FormatOption, LangOption, PeriodOption, as_of_day
from .output import check_format, out, refuse, write_json

target_app = typer.Typer(help="Set, list and remove targets per KPI (company, team or rep).",
                         no_args_is_help=True, cls=OneValueOnce)
app.add_typer(target_app, name="target")


@target_app.callback()
def _target_group(db: DbOption = None) -> None:
    # `target --db X set ...`: the commands find X through app.chosen().
    pass


def _anchor(as_of: str | None, period: str | None) -> date | None:
    """``--as-of`` anchors a relative ``--period`` (this-quarter as of a day); without a period the
    target is standing and the day would change nothing, so it is refused rather than ignored."""
    if as_of is not None and period is None:
        raise refuse("--as-of anchors a relative --period (--period this-quarter --as-of 2026-05-01); "
                     "without --period the target is standing, for every period")
    return as_of_day(as_of)


# A negative number is a value, not an option: `target set nps -10` (NPS runs from -100 to 100).
NUMBERS = {"ignore_unknown_options": True}


@target_app.command("set", context_settings=NUMBERS)
def target_set(
    kpi: Annotated[str, typer.Argument(help="KPI id, e.g. win_rate.")],
    value: Annotated[str, typer.Argument(help="The goal in the KPI's unit: 0.3 or 30% for rates, "
                                         "money as 250000.")],
    team: Annotated[str | None, typer.Option("--team", help="For this team.")] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="For this rep (id or full name).")] = None,
    period: Annotated[str | None, typer.Option("--period", "-p", help="For this period (2026-Q4); "
                                               "without: standing, for every period.")] = None,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Set a target (the company's, or with --team / --rep theirs). The value may be written either
    way: 1234.56, 1,234.56, 1234,56 or 1.234,56."""
    from .insight_tables import target_line

    anchor = _anchor(as_of, period)
    with open_workspace(db) as ws:
        target = ws.set_target(kpi, value, team=team, rep=rep, period=period, as_of=anchor)
        out.print(target_line(target), highlight=False)


@target_app.command("unset")
def target_unset(
    kpi: Annotated[str, typer.Argument(help="KPI id.")],
    team: Annotated[str | None, typer.Option("--team")] = None,
    rep: Annotated[str | None, typer.Option("--rep")] = None,
    period: Annotated[str | None, typer.Option("--period", "-p")] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Remove a target."""
    anchor = _anchor(as_of, period)
    with open_workspace(db) as ws:
        if not ws.unset_target(kpi, team=team, rep=rep, period=period, as_of=anchor):
            raise refuse(f"no such target for {kpi}")
        out.print(f"removed the target for {kpi}", highlight=False)


@target_app.command("list")
def target_list(
    kpi: Annotated[str | None, typer.Option("--kpi", "-k", help="Only this KPI.")] = None,
    fmt: FormatOption = "table",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """List the targets."""
    from .insight_tables import set_target_hint, targets_table

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        targets = ws.list_targets(kpi, viewer=viewer_of(ws, as_user))
        if fmt == "json":
            write_json([t.as_json() for t in targets])
            return
        if not targets:
            out.print(f"no targets{f' for {kpi}' if kpi else ''}: set one with {set_target_hint(kpi)}",
                      highlight=False)
            return
        out.print(targets_table(targets, out.width))


@target_app.command("status")
def target_status(
    period: PeriodOption = "this-quarter",
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Each target beside its figure: on track, at risk or off track, and the pace."""
    from .insight_tables import no_targets_text, status_table

    check_format(fmt)
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        statuses = ws.target_status(period, as_of=anchor, viewer=viewer_of(ws, as_user))
        if fmt == "json":
            write_json([s.as_json() for s in statuses])
            return
        if not statuses:
            out.print(no_targets_text(period, lang), highlight=False)
            return
        measured = ws.period(period, anchor)
        out.print(status_table(statuses, ws.base_currency(), lang, out.width,
                               span_text(measured.until(anchor), lang), ws.names("reps")))
