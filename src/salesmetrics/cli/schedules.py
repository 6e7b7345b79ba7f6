"""``salesmetrics schedule`` and ``salesmetrics alert``: digests on a schedule, alerts on a KPI, and
``schedule run-due`` that sends what is due (for cron or a systemd timer; ``serve`` runs it too)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from ..targets import Targets
from .app import OneValueOnce, app, open_workspace
from .digest import SkipEmptyOption, SmtpOption, ToOption, recipients
from .options import AsOfOption, DbOption, FilterOption, FormatOption, LangOption, as_of_day, filters_given
from .output import check_format, err, fail, out, refuse, write_json

OwnerOption = Annotated[str | None, typer.Option(
    "--owner", metavar="EMAIL", help="Whose view: the messages hold only what this user's account may see "
    "(a rep their own records), read from the accounts each time. Default: the company's figures.",
    show_default=False)]

schedule_app = typer.Typer(help="Mail the digest on a schedule: add, list, remove, run-due.",
                           no_args_is_help=True, cls=OneValueOnce)
alert_app = typer.Typer(help="A message when a KPI goes off track or drops: add, list, remove.",
                        no_args_is_help=True, cls=OneValueOnce)
app.add_typer(schedule_app, name="schedule")
app.add_typer(alert_app, name="alert")


@schedule_app.callback()
def _schedule_group(db: DbOption = None) -> None:
    pass


@alert_app.callback()
def _alert_group(db: DbOption = None) -> None:
    pass


def _when(text: str) -> str:
    from ..digest.every import ScheduleError, parse_every

    try:
        return parse_every(text).text
    except ScheduleError as exc:
        raise refuse(str(exc)) from None


@schedule_app.command("add")
def schedule_add(
    name: Annotated[str, typer.Argument(help="A name for the schedule, e.g. monday-numbers.")],
    every: Annotated[str, typer.Option("--every", help='When, in the workspace\'s time zone: "mon 08:00", '
                                       '"mon,thu 07:30", "weekday 08:00", "day 18:00", "month 1 06:00".')],
    to: ToOption = None,
    period: Annotated[str | None, typer.Option("--period", "-p", help="The period each digest covers, "
                                               "read on the day it is sent: last-week, last-month, "
                                               "this-quarter, ... Default: the one --every ends "
                                               "(last-month monthly, yesterday daily and on weekdays, "
                                               "last-week weekly).")]
    = None,
    filter_: FilterOption = None,
    lang: LangOption = "en",
    fmt: Annotated[str, typer.Option("--format", help="pdf: the HTML mail with the PDF attached; html: "
                                     "the HTML mail alone.")] = "pdf",
    skip_empty: SkipEmptyOption = False,
    owner: OwnerOption = None,
    db: DbOption = None,
) -> None:
    """Mail the digest of --period to --to, --every week, day or month; at most once per period."""
    addresses = recipients(to)
    when = _when(every)
    if fmt not in ("pdf", "html"):
        raise refuse(f"--format {fmt!r}: write pdf or html")
    filters = filters_given(filter_)
    with open_workspace(db) as ws:
        found = ws.add_schedule(name, every=when, period=period, to=addresses, filters=filters, lang=lang,
                                fmt=fmt, skip_empty=skip_empty, owner=owner)
        out.print(f"schedule {found.name!r}: the digest of {found.period} every {found.every.text} to "
                  f"{', '.join(found.recipients)}; the first goes out {_next(found)}", highlight=False)


@schedule_app.command("list")
def schedule_list(fmt: FormatOption = "table", db: DbOption = None) -> None:
    """The schedules, and what each last sent (or tried to), and when."""
    from rich.table import Table

    from .tables import fit

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        found = ws.list_schedules()
    if fmt == "json":
        write_json([s.as_json() for s in found])
        return
    if not found:
        out.print('no schedules: add one with salesmetrics schedule add monday-numbers --every "mon 08:00" '
                  "--period last-week --to you@example.com", highlight=False)
        return
    table = Table(title="Schedules", title_justify="left")
    # Whose view each message holds: a schedule owned by a rep is theirs, not the company's.
    # The zone once, in the heading: the same for every schedule (the workspace's).
    zone = found[0].time_zone or ""
    # Sent last and next in one column: a column more folded "month 1 07:00" at 160 columns.
    for column in ("name", "every", "period", "to", "owner", "filters", "lang", "format",
                   f"last, next ({zone})" if zone else "last, next"):
        table.add_column(column)
    for s in found:
        table.add_row(s.name, s.every.text, s.period, "\n".join(s.recipients), s.owner or "(company)",
                      "; ".join(f"{k}={','.join(v)}" for k, v in s.filters.items()), s.lang,
                      s.format + (" (skip empty)" if s.skip_empty else ""),
                      f"{_last(s.last, zone)}\n" + (f"due since {s.due_at:%a %Y-%m-%d %H:%M}, not sent yet\n"
                                                if s.due_at else "") + f"next {_next(s, zone=False)}")
    out.print(fit(table, out.width, whole_words=True))


def _next(schedule: Any, *, zone: bool = True) -> str:
    """When it next falls due, on the workspace's clock, said with its zone (the server's may differ)."""
    if schedule.next_at is None:
        return ""
    when = f"{schedule.next_at:%a %Y-%m-%d %H:%M}"
    return f"{when} ({schedule.time_zone})" if zone else when


def _last(delivery: Any, zone: str = "") -> str:
    """What went out last; on the workspace's clock where the column says it is (``zone``): sent
    at 19:30 UTC read beside "next 07:00 (Europe/Berlin)" as an hour before it went (a tester)."""
    from ..digest.schedules import occasion_text

    if delivery is None:
        return "nothing yet"
    at = (delivery.sent_at or delivery.claimed_at).replace(tzinfo=UTC)
    when = (at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if zone
            else at.strftime("%Y-%m-%d %H:%M UTC"))
    text = f"{delivery.status} {when} ({occasion_text(delivery.occasion)})"
    return f"{text}: {delivery.error}" if delivery.error else text


@schedule_app.command("remove")
def schedule_remove(name: Annotated[str, typer.Argument(help="The schedule's name.")],
                    db: DbOption = None) -> None:
    """Remove a schedule (what it sent stays recorded)."""
    with open_workspace(db) as ws:
        if not ws.remove_schedule(name):
            raise fail(f"no schedule named {name!r} (salesmetrics schedule list)")
    out.print(f"removed the schedule {name!r}", highlight=False)


@schedule_app.command("run-due")
def schedule_run_due(
    as_of: AsOfOption = None,
    smtp: SmtpOption = None,
    db: DbOption = None,
) -> None:
    """Send every digest that is due and check every alert: for cron or a systemd timer (README).
    A digest goes out at most once per schedule and period, whoever runs this (and `serve`); a
    failed one is tried again at the next run. Exits 1 when anything failed, with the server's
    answer."""
    from ..documents.deliver import Mailer, OneWorkspace, run_due

    anchor = as_of_day(as_of)
    with open_workspace(db) as ws:
        outcomes = run_due(OneWorkspace(ws), Mailer(smtp), as_of=anchor)
    report_outcomes(outcomes)


def report_outcomes(outcomes: Sequence[Any], *, quiet_ok: bool = False) -> None:
    """A line per message sent, skipped or failed; exit 1 when one failed."""
    # Here, not at the top: every command loads this module, a report in JSON would load the mail.
    from ..digest.schedules import occasion_text

    for o in outcomes:
        what = f"{o.kind} {o.name} ({occasion_text(o.occasion)})"
        if o.failed:
            err.print(f"[bold red]{o.status}:[/] {what}: {o.detail}", highlight=False, soft_wrap=True,
                      markup=True)
        elif not quiet_ok or o.status != "quiet":
            out.print(f"{o.status}: {what}: {o.detail}", highlight=False, soft_wrap=True, markup=False)
    if not outcomes and not quiet_ok:
        out.print("nothing due", highlight=False)
    if any(o.failed for o in outcomes):
        raise typer.Exit(1)


@alert_app.command("add")
def alert_add(
    kpi: Annotated[str, typer.Argument(help="The KPI to watch, e.g. win_rate.")],
    when: Annotated[str, typer.Option("--when", help="off_track (its target status) or significant_drop "
                                      "(a change the bad way, beyond noise).")],
    to: ToOption = None,
    team: Annotated[str | None, typer.Option("--team", help="This team's figure.")] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="This rep's figure (id or full name).")] = None,
    period: Annotated[str | None, typer.Option("--period", "-p", help="The period watched, read when "
                                               "checked. Default: this-quarter for off_track, "
                                               "this-month for significant_drop.")] = None,
    lang: LangOption = "en",
    owner: OwnerOption = None,
    db: DbOption = None,
) -> None:
    """Tell --to when KPI goes off track or drops significantly, and when it is back; once per change."""
    addresses = recipients(to)
    if when not in ("off_track", "significant_drop"):
        raise refuse(f"--when {when!r}: write off_track or significant_drop")
    if team and rep:
        raise refuse("an alert watches a team or a rep, not both")
    with open_workspace(db) as ws:
        found = ws.add_alert(kpi, when=when, to=addresses, team=team, rep=rep, period=period, lang=lang,
                             owner=owner)
        # An owner's "company" is what they may see (a manager's team, a rep's own), judged
        # against that scope's target, as the mail says it: not the company's (the review).
        viewer = ws.accounts.viewer_of(found.owner) if found.owner else None
        partial = viewer is not None and not viewer.sees_everything and found.scope_id is None
        judged = (viewer.whole if partial and viewer is not None else None) or (found.scope, found.scope_id)
        # An off_track alert watches a target: without one it can never fire, which nothing said.
        targeted = Targets.read(ws.store, found.kpi).pick(found.kpi, judged[0], judged[1],
                                                          ws.period(found.period)) is not None
    who = found.scope if found.scope_id is None else f"{found.scope} {found.scope_id}"
    seen = f"{who}, as {found.owner} sees it" if partial else who
    out.print(f"alert {found.id}: {found.kpi} ({seen}) {found.condition} over {found.period}, to "
              f"{', '.join(found.recipients)}", highlight=False)
    if found.condition == "off_track" and not targeted:
        scope = "" if judged[1] is None else f" --{judged[0]} {judged[1]}"
        target_of = judged[0] if judged[1] is None else f"{judged[0]} {judged[1]}"
        err.print(f"warning: no {found.kpi} target is set for the {target_of} over {found.period}: this "
                  f"alert stays quiet until one is (salesmetrics target set {found.kpi} VALUE{scope})",
                  highlight=False)


@alert_app.command("list")
def alert_list(fmt: FormatOption = "table", db: DbOption = None) -> None:
    """The alerts, each with its state and what it last sent."""
    from rich.table import Table

    from .tables import fit

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        found = ws.list_alerts(checked=True)
        names = ws.names("reps") if any(a.unjudged for a in found) else {}
    if fmt == "json":
        write_json([a.as_json() for a in found])
        return
    if not found:
        out.print("no alerts: add one with salesmetrics alert add win_rate --when off_track "
                  "--to you@example.com", highlight=False)
        return
    table = Table(title="Alerts", title_justify="left")
    for column in ("id", "kpi", "whose", "when", "period", "to", "state", "last"):
        table.add_column(column, no_wrap=column == "id")
    for a in found:
        whose = a.scope if a.scope_id is None else f"{a.scope} {a.scope_id}"
        # An owner's alert watches what the owner sees: "company" alone read as the whole company's
        # figure where a rep's own was watched (a tester).
        whose = whose if a.owner is None else f"{whose}\nas {a.owner} sees it"
        table.add_row(str(a.id), a.kpi, whose, a.condition, a.period, "\n".join(a.recipients),
                      _state(a, names), _last(a.last))
    out.print(fit(table, out.width, whole_words=True))


def _state(alert: Any, names: Any) -> str:
    """The state people were last told of, and why the alert cannot be judged now where it cannot."""
    from ..documents.deliver import UNJUDGED, unjudged_text

    told = alert.state or "not checked yet"
    if alert.unjudged is None:
        return told
    now = f"{UNJUDGED}: {unjudged_text(alert, alert.unjudged, names)}"
    return now if alert.state is None else f"{told}; now {now}"


@alert_app.command("remove")
def alert_remove(alert_id: Annotated[int, typer.Argument(metavar="ID", help="The alert's id "
                                                         "(salesmetrics alert list).")],
                 db: DbOption = None) -> None:
    """Remove an alert."""
    with open_workspace(db) as ws:
        if not ws.remove_alert(alert_id):
            raise fail(f"no alert {alert_id} (salesmetrics alert list)")
    out.print(f"removed alert {alert_id}", highlight=False)


def alerts_after_import(ws: Any) -> None:
    """Alerts are checked after every import: new records can put a KPI off track. The import
    stands whatever the mail server says; a message not sent is tried again by `schedule run-due`."""
    if not ws.list_alerts():
        return
    from ..documents.deliver import Mailer, OneWorkspace, check_alerts

    for o in check_alerts(OneWorkspace(ws), Mailer()):
        if o.failed:
            err.print(f"alert {o.name} not sent ({o.detail}); `salesmetrics schedule run-due` tries again",
                      highlight=False, soft_wrap=True, markup=False)
        elif o.status == "sent":
            out.print(f"alert {o.name}: sent '{o.detail}'", highlight=False, soft_wrap=True, markup=False)
