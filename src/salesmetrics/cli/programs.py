"""``salesmetrics program``: record enablement programs (add, list, show, remove) and measure whether
they worked (effect)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from .app import OneValueOnce, app, open_workspace, viewer_of
from .options import AsOfOption, AsUserOption, DbOption, FormatOption, LangOption, as_of_day
from .output import answer, check_format, out, refuse, write_json

program_app = typer.Typer(help="Enablement programs: record them, and measure whether they worked.",
                          no_args_is_help=True, cls=OneValueOnce)
app.add_typer(program_app, name="program")

NameArgument = Annotated[str, typer.Argument(help="The program's name (in any case) or id.")]


@program_app.callback()
def _program_group(db: DbOption = None) -> None:
    # `program --db X add ...`: the commands find X through app.chosen().
    pass


def _day(text: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise refuse(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


@program_app.command("add")
def program_add(
    name: Annotated[str, typer.Argument(help="The program's name, e.g. \"Discovery training\".")],
    start: Annotated[str, typer.Option("--start", help="First day of the program (YYYY-MM-DD).")],
    end: Annotated[str | None, typer.Option("--end", help="The day it ended (YYYY-MM-DD); the after "
                                            "window starts on it. Default: the start.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="training, onboarding, playbook, content or "
                                      "tool.")] = "training",
    cost: Annotated[str | None, typer.Option("--cost", help="What it cost, e.g. 12000 (in --currency, "
                                             "default the base currency).")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="The cost's currency.")] = None,
    team: Annotated[list[str] | None, typer.Option("--team", help="A team that took part (its reps "
                                                   "now; repeatable).")] = None,
    rep: Annotated[list[str] | None, typer.Option("--rep", help="A rep who took part, by id or full "
                                                  "name (repeatable).")] = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Record a program and who took part (--team and --rep, one or more)."""
    from ..programs import hired_from_start
    from ..text.catalogue import text
    from ..text.programs import kind_text

    check_format(fmt)
    first = _day(start, "--start")
    assert first is not None
    last = _day(end, "--end")
    with open_workspace(db) as ws:
        program = ws.add_program(name, start=first, end=last, kind=kind, cost=cost, currency=currency,
                                 teams=team or [], reps=rep or [])
        if fmt == "json":
            write_json(program.as_json())
            return
        out.print(text("program_added", lang, name=program.name, id=program.program_id,
                       kind=kind_text(program.kind, lang), start=program.start_on.isoformat(),
                       n=len(program.participants)),
                  highlight=False)
        late = hired_from_start(ws.store, program)
        if late:
            names = ws.names("reps")
            who = ", ".join(f"{names.get(r, r)} ({day.isoformat()})" for r, day in late)
            out.print(text("program_hired_from_start", lang, reps=who), highlight=False, soft_wrap=True)


@program_app.command("list")
def program_list(fmt: FormatOption = "table", lang: LangOption = "en", as_user: AsUserOption = None,
                 db: DbOption = None) -> None:
    """List the programs, oldest start first."""
    from .program_tables import programs_table

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        programs = ws.programs(viewer_of(ws, as_user))
        if fmt == "json":
            write_json([p.as_json() for p in programs])
            return
        out.print(programs_table(programs, lang, out.width))


@program_app.command("show")
def program_show(name: NameArgument, fmt: FormatOption = "table", lang: LangOption = "en",
                 as_user: AsUserOption = None, db: DbOption = None) -> None:
    """One program: when, what it cost, and who took part."""
    from .program_tables import program_text

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        viewer = viewer_of(ws, as_user)
        program = ws.program(name, viewer)
        answer(fmt, program, lambda: out.print(program_text(program, ws.names("reps", viewer), lang),
                                               highlight=False, soft_wrap=True))


@program_app.command("enrol")
def program_enrol(
    name: NameArgument,
    team: Annotated[list[str] | None, typer.Option("--team", help="A team that took part too (its reps "
                                                   "now; repeatable).")] = None,
    rep: Annotated[list[str] | None, typer.Option("--rep", help="A rep who took part too, by id or full "
                                                  "name (repeatable).")] = None,
    withdraw: Annotated[list[str] | None, typer.Option("--withdraw", help="A rep who did not take part "
                                                       "after all (repeatable).")] = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Add participants to a program (--team, --rep), or take them off it (--withdraw)."""
    from ..text.catalogue import text

    check_format(fmt)
    if not (team or rep or withdraw):
        raise refuse("name who joins (--team T, --rep R) or who leaves (--withdraw R)")
    with open_workspace(db) as ws:
        program, joined, left = ws.change_participants(name, teams=team or [], reps=rep or [],
                                                       withdraw=withdraw or [])
        if fmt == "json":  # the program as it stands now, as program show writes it
            write_json(program.as_json())
            return
        names = ws.names("reps")
        said = [text(key, lang, reps=", ".join(names.get(r, r) for r in who)) if who else ""
                for key, who in (("program_joined", joined), ("program_left", left))]
        changes = "; ".join(s for s in said if s) or text("program_unchanged", lang)
        out.print(text("program_enrolled", lang, name=program.name, changes=changes,
                       n=len(program.participants)), highlight=False, soft_wrap=True)


@program_app.command("remove")
def program_remove(name: NameArgument, db: DbOption = None) -> None:
    """Remove a program and its participants (the other records stay as they are)."""
    with open_workspace(db) as ws:
        program = ws.remove_program(name)
        out.print(f"removed program '{program.name}' (id {program.program_id}) and its "
                  f"{len(program.participants)} participant(s)", highlight=False)


@program_app.command("effect")
def program_effect(
    name: NameArgument,
    kpi: Annotated[list[str] | None, typer.Option("--kpi", "-k", help="KPI id (repeatable). Default: "
                                                  "win_rate, activity_count, average_deal_size, "
                                                  "sales_cycle_length, revenue_per_rep, "
                                                  "quota_attainment.")] = None,
    window: Annotated[int, typer.Option("--window", help="Days before the start and after the end "
                                        "to compare.")] = 90,
    compare_with: Annotated[str | None, typer.Option(
        "--compare-with", help="team:T or rep:R1,R2 instead of the reps active in both windows and in "
                               "no program starting in either.")] = None,
    cost: Annotated[str | None, typer.Option("--cost", help="What the program cost, if not recorded "
                                             "with it (base currency): adds the cost per extra won "
                                             "deal and per extra unit of revenue.")] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    lang: LangOption = "en",
    as_user: AsUserOption = None,
    db: DbOption = None,
) -> None:
    """Did the program work? The participants' change beyond the comparison group's, with 95 %
    intervals clustered by rep; for onboarding, new hires' months to ramp before and after."""
    from . import program_tables as show

    check_format(fmt)
    if window < 1:
        raise refuse(f"--window must be at least 1 day, not {window}")
    anchor = as_of_day(as_of)
    with open_workspace(db, read_only=True) as ws:
        viewer = viewer_of(ws, as_user)
        effect = ws.program_effect(name, kpis=kpi or None, window=window, compare_with=compare_with,
                                   cost=cost, as_of=anchor, viewer=viewer)

        def draw() -> None:
            if effect.onboarding is not None:
                out.print(show.onboarding_table(effect, lang, out.width))
                out.print(show.onboarding_text(effect, lang), highlight=False, soft_wrap=True)
                return
            out.print(show.effect_table(effect, lang, out.width))
            out.print(show.comparison_text(effect, ws.names("reps", viewer), lang), highlight=False,
                      soft_wrap=True)
            out.print(show.effect_text(effect, lang), highlight=False, soft_wrap=True)

        answer(fmt, effect, draw)
