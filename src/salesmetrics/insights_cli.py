"""Command-line faces of the insights: scorecard, activities, target, funnel, satisfaction, ramp, cycle.

Registered on the main ``salesmetrics`` app when :mod:`salesmetrics.cli` is imported. Like the rest of
the CLI: parse, ask the :class:`~salesmetrics.workspace.Workspace`, print (a table, or ``--format
json``). No business logic here.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from . import insights_render as show
from .cli import AS_OF_HELP, DbOption, LangOption, _as_of, _parse_filters, _workspace, app, err, out
from .decimal_json import dumps

target_app = typer.Typer(help="Set, list and remove targets per KPI (company, team or rep).",
                         no_args_is_help=True)
app.add_typer(target_app, name="target")


@target_app.callback()
def _target_group(db: DbOption = None) -> None:
    # `target --db X set ...`: the commands find X through cli._chosen().
    pass


PeriodOption = Annotated[str, typer.Option("--period", "-p", help="2026-Q3, 2026-10, last-quarter, ...")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)]
FormatOption = Annotated[str, typer.Option("--format", help="table or json.")]


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        err.print(f"[bold red]Error:[/] --format must be table or json, not {fmt!r}")
        raise typer.Exit(2)


def _json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


@app.command()
def scorecard(
    rep: Annotated[str, typer.Argument(help="The rep's id or full name.")],
    period: PeriodOption = "last-quarter",
    history: Annotated[int, typer.Option("--history", help="Own previous periods to compare with.")] = 3,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """One rep against the team and their own past: more activity or training?"""
    _check_format(fmt)
    with _workspace(db) as ws:
        card = ws.scorecard(rep, period, history=history, as_of=_as_of(as_of))
        if fmt == "json":
            _json(card.as_json())
            return
        out.print(show.scorecard_table(card, lang, out.width))
        out.print(card.diagnosis.text(lang), highlight=False, soft_wrap=True)


@app.command()
def activities(
    period: PeriodOption = "last-quarter",
    by: Annotated[str, typer.Option("--by", help="rep or team; empty: everyone.")] = "",
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Which activity types go with won deals (meeting-to-win, demo-to-win, ...)."""
    _check_format(fmt)
    with _workspace(db) as ws:
        result = ws.activity_effectiveness(period, by=by or None, as_of=_as_of(as_of))
        if fmt == "json":
            _json(result.as_json())
            return
        for table in show.effectiveness_tables(result, lang, out.width):
            out.print(table)
        out.print(show.effectiveness_note(result, lang), highlight=False, soft_wrap=True)


@target_app.command("set")
def target_set(
    kpi: Annotated[str, typer.Argument(help="KPI id, e.g. win_rate.")],
    value: Annotated[str, typer.Argument(help="The goal in the KPI's unit: 0.3 or 30% for rates, "
                                         "money as 250000.")],
    team: Annotated[str | None, typer.Option("--team", help="For this team.")] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="For this rep (id or full name).")] = None,
    period: Annotated[str | None, typer.Option("--period", "-p", help="For this period (2026-Q4); "
                                               "without: standing, for every period.")] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Set a target (the company's, or with --team / --rep theirs)."""
    with _workspace(db) as ws:
        target = ws.set_target(kpi, value, team=team, rep=rep, period=period, as_of=_as_of(as_of))
        out.print(show.target_line(target), highlight=False)


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
    with _workspace(db) as ws:
        if not ws.unset_target(kpi, team=team, rep=rep, period=period, as_of=_as_of(as_of)):
            err.print(f"[bold red]Error:[/] no such target for {kpi}")
            raise typer.Exit(1)
        out.print(f"removed the target for {kpi}", highlight=False)


@target_app.command("list")
def target_list(
    kpi: Annotated[str | None, typer.Option("--kpi", "-k", help="Only this KPI.")] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """List the targets."""
    _check_format(fmt)
    with _workspace(db) as ws:
        targets = ws.list_targets(kpi)
        if fmt == "json":
            _json([t.as_json() for t in targets])
            return
        out.print(show.targets_table(targets))


@target_app.command("status")
def target_status(
    period: PeriodOption = "this-quarter",
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Each target beside its figure: on track, at risk or off track, and the pace."""
    _check_format(fmt)
    with _workspace(db) as ws:
        statuses = ws.target_status(period, as_of=_as_of(as_of))
        if fmt == "json":
            _json([s.as_json() for s in statuses])
            return
        out.print(show.status_table(statuses, ws.base_currency(), lang, out.width))


@app.command()
def funnel(
    period: PeriodOption = "last-quarter",
    cohort: Annotated[bool, typer.Option("--cohort", help="Follow the deals created in the period, "
                                         "instead of the stage moves made in it.")] = False,
    probability: Annotated[list[str] | None, typer.Option(
        "--probability", help="STAGE=P (repeatable): the win probability of a stage for the weighted "
                              "pipeline. Default: each stage's historical stage-to-win rate.")] = None,
    by: Annotated[str, typer.Option("--by", help="rep, team or pipeline: a funnel each; empty: "
                                    "everyone.")] = "",
    filter_: Annotated[list[str] | None, typer.Option("--filter", "-f", help="DIM=VALUE[,VALUE] "
                                                      "(repeatable), e.g. team=east, as in report.")] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Stage conversion, time in stage, sales velocity and the weighted pipeline."""
    _check_format(fmt)
    given: dict[str, float] = {}
    for item in probability or []:
        stage, sep, p = item.rpartition("=")
        try:
            share = float(p.strip().rstrip("%")) / (100 if p.strip().endswith("%") else 1)
        except ValueError:
            share = -1.0
        if not sep or not stage.strip() or not 0 <= share <= 1:
            err.print(f"[bold red]Error:[/] --probability {item!r}: write STAGE=P with P from 0 to 1")
            raise typer.Exit(2)
        given[stage.strip()] = share
    filters = _parse_filters(filter_ or [])
    with _workspace(db) as ws:
        result = ws.funnel(period, cohort=cohort, probabilities=given or None, filters=filters,
                           as_of=_as_of(as_of), by=by or None)
        if fmt == "json":
            _json(result.as_json())
            return
        tables = show.funnel_tables(result, lang, out.width)
        if result.stages:
            out.print(tables[0])
        out.print(show.funnel_note(result, lang), highlight=False, soft_wrap=True)
        out.print(tables[1])


@app.command()
def satisfaction(
    period: PeriodOption = "last-year",
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Do promoters spend more per order than detractors? Tests the article's "+33 %"."""
    _check_format(fmt)
    with _workspace(db) as ws:
        result = ws.satisfaction(period, as_of=_as_of(as_of))
        if fmt == "json":
            _json(result.as_json())
            return
        out.print(show.satisfaction_table(result, lang, out.width))
        out.print(show.satisfaction_text(result, lang), highlight=False, soft_wrap=True)


@app.command()
def ramp(
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """New hires' ramp as cohort curves by hire month, against the RAIN Group's 9 and 15 months."""
    _check_format(fmt)
    with _workspace(db) as ws:
        result = ws.ramp_cohorts(as_of=_as_of(as_of))
        if fmt == "json":
            _json(result.as_json())
            return
        if result.cohorts:
            out.print(show.ramp_table(result, lang, out.width))
        out.print(show.ramp_text(result, lang), highlight=False, soft_wrap=True)


@app.command()
def cycle(
    period: PeriodOption = "last-quarter",
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Sales cycle: the average over won deals beside the median counting open deals."""
    _check_format(fmt)
    with _workspace(db) as ws:
        result = ws.cycle(period, as_of=_as_of(as_of))
        if fmt == "json":
            _json(result.as_json())
            return
        out.print(result.text(lang), highlight=False, soft_wrap=True)
