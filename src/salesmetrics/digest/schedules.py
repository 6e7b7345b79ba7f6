"""Digests on a schedule, and the record of every message sent or tried.

A schedule says when (``--every "mon 08:00"``), which period (``last-week``, read relative to the day
it falls due), to whom, with which filters and in which language. It is *due* when the period of its
latest occasion has no delivery yet (or only a failed one). Runners (``salesmetrics serve``'s
background thread, ``salesmetrics schedule run-due`` from cron) go through :func:`claim`: one
transaction inserts the delivery ``(schedule, period)`` as ``sending``, and the key lets only one
runner have it, in any process. Only after the SMTP server accepted the message is it marked
``sent`` (:func:`finish`); a failure is marked ``failed`` with the server's answer and claimed again
by the next run. A runner that dies between the two leaves ``sending``: that period is not sent
again (at most once wins over at least once), and ``schedule list`` shows it.

Whose view: a schedule can carry an ``owner`` (a user's email); :func:`owner_viewer` is the one place
it becomes the :class:`~salesmetrics.access.Viewer` every figure is computed for, read from the
accounts each time it runs (a rep who moved team gets their new team's figures). Without an owner,
everything is the company's.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import duckdb

from ..access import Viewer
from ..accounts import Accounts
from ..addresses import check_addresses
from ..errors import AccountError, AmbiguousValueError, SalesmetricsError, UnknownValueError
from ..kpis.scope import filters_json, resolve_filters
from ..periods import Period, running_as_of
from ..storage import bump_data_version
from ..store import Store
from ..text import LANGS
from .every import Every, ScheduleError, parse_every

FORMATS = ("pdf", "html")  # pdf: the HTML body with the PDF attached; html: the body alone
STATUSES = ("sending", "sent", "failed", "skipped")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Delivery:
    """One message sent or tried: a schedule's period, or an alert's change of state."""

    kind: str  # schedule or alert
    name: str
    occasion: str  # a schedule's period (START..END), an alert's change (N:state)
    status: str  # sending, sent, failed, skipped
    attempts: int
    claimed_at: datetime
    sent_at: datetime | None
    recipients: tuple[str, ...]
    subject: str | None
    error: str | None

    def as_json(self) -> dict[str, Any]:
        # As people read periods, its last day included (the stored key holds the day after).
        return {"kind": self.kind, "name": self.name, "occasion": occasion_text(self.occasion),
                "status": self.status,
                "attempts": self.attempts, "claimed_at": self.claimed_at, "sent_at": self.sent_at,
                "recipients": list(self.recipients), "subject": self.subject, "error": self.error}


@dataclass(frozen=True)
class Schedule:
    name: str
    every: Every
    period: str
    recipients: tuple[str, ...]
    filters: dict[str, tuple[str, ...]]
    lang: str
    format: str
    skip_empty: bool
    owner: str | None
    created_at: datetime
    last: Delivery | None = None  # the latest delivery, sent or tried
    # When it next falls due, on the workspace's clock (its time_zone, with the offset): a list
    # said what went out, never when the next one would (a tester).
    next_at: datetime | None = None
    time_zone: str | None = None
    # An occasion fallen due and not yet sent (no runner has come by since: `schedule run-due`, or
    # the server's round), with the offset: the list said "next Monday" of a digest owed since this
    # Monday (the review).
    due_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "every": self.every.text, "period": self.period,
                "to": list(self.recipients), "filters": filters_json(self.filters),
                "lang": self.lang, "format": self.format, "skip_empty": self.skip_empty,
                "owner": self.owner, "created_at": self.created_at,
                "last": self.last.as_json() if self.last else None,
                "next_at": self.next_at, "time_zone": self.time_zone, "due_at": self.due_at}


@dataclass(frozen=True)
class Due:
    """A schedule's occasion not delivered yet: when it fell due, and the period it covers."""

    schedule: Schedule
    at: datetime
    period: Period
    reported: Period | None = None  # the days it reports (occasion_of); None: the whole period

    @property
    def occasion(self) -> str:
        return period_key(self.reported or self.period)


def occasion_of(span: Period, day: date) -> Period:
    """What a digest falling due on ``day`` reports, its key among those sent: the period, or, where
    it is still running then, its days so far. A monthly digest of this quarter went out once a
    quarter, the next month's keyed as the one sent (a tester), and a daily one of this month once
    a month."""
    if running_as_of(span, None, day) is not None:
        return replace(span, end=day + timedelta(days=1))
    return span


def period_key(period: Period) -> str:
    # Stored as the occasion's key (its end exclusive): kept as it is, or occasions sent under it
    # would be sent again. People read occasion_text.
    return f"{period.start.isoformat()}..{period.end.isoformat()}"


def occasion_text(occasion: str) -> str:
    """An occasion as people read periods: a schedule's week 2026-11-23..2026-11-29 (its last day,
    as ``--period A..B`` reads it; the key holds the day after), an alert's change as it is."""
    start, dots, end = occasion.partition("..")
    try:
        last = date.fromisoformat(end) - timedelta(days=1)
    except ValueError:
        return occasion
    return f"{start}{dots}{last.isoformat()}"


def owner_viewer(store: Store, owner: str | None, teams: Sequence[str] = ()) -> Viewer:
    """Whose figures a schedule's or alert's message holds: what its owner's account may see now
    (a rep's digest holds only that rep's records). No owner: the company's figures. ``teams``, the
    ones it names, are checked each time (:func:`owner_sees_teams`): an owner's view may have
    narrowed since it was added (a role or ``rep_visibility`` changed)."""
    if owner is None:
        return Viewer.everyone()
    try:
        viewer = Accounts(store).viewer_of(owner)
    except AccountError:
        # Fail closed: an owner whose account is gone does not get everyone's figures instead.
        raise ScheduleError(f"it belongs to {owner!r}, who is no user of this workspace (any more): "
                            "`salesmetrics user list` shows them") from None
    owner_sees_teams(store, owner, viewer, teams)
    return viewer


Found = TypeVar("Found")


def as_owner_sees(store: Store, owner: str | None, viewer: Viewer, resolve: Callable[[Viewer], Found],
                  ) -> Found:
    """``resolve`` (a rep's or team's name to its id) as the owner sees the workspace. A value the
    workspace holds but the owner may not see is said so: an admin adding a rep's alert on another
    rep was told "no rep 'R001' in this workspace; did you mean 'R004'?"."""
    try:
        return resolve(viewer)
    except AmbiguousValueError:
        raise
    except UnknownValueError as unknown:
        if owner is None:
            raise
        try:
            resolve(Viewer.everyone())
        except UnknownValueError:
            raise unknown from None
        raise ScheduleError(f"{owner} may not see {unknown.dimension} {unknown.value!r}, and their messages "
                            "hold only what they may see: name one they see, or give no --owner") from None


def owner_sees_teams(store: Store, owner: str | None, viewer: Viewer, teams: Sequence[str]) -> None:
    """Refuse a team an owner sees only part of: their message would give their own share of it
    under the team's name (a rep's win rate of 12.5 % read as team a's, whose is 33.3 %)."""
    records = store.records(viewer)
    part = [t for t in teams if not records.sees("team", t)]
    if owner is not None and part:
        raise ScheduleError(f"{owner} sees only part of team {', '.join(part)}, so the messages would give "
                            "their share of it under the team's name: watch what they see (their own "
                            "figures: --rep, or no team), or give no --owner for the team's own figures")


def require_local_store(store: Store) -> None:
    from ..backends.remote import RemoteStore

    if isinstance(store, RemoteStore):
        raise ScheduleError("schedules and alerts are kept in a DuckDB workspace file (--db); records "
                            "in another backend can be digested (`salesmetrics digest --backend ...`) "
                            "but not scheduled yet")


def write_all(store: Store, statements: Sequence[tuple[str, Sequence[Any]]], *, bump: bool = False) -> None:
    con = store.connection
    con.execute("BEGIN TRANSACTION")
    try:
        for sql, args in statements:
            con.execute(sql, list(args))
        if bump:  # a configuration change: caches keyed by the data version see it
            bump_data_version(con, records=False)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def add_schedule(store: Store, name: str, *, every: str, period: str | None, to: Sequence[str],
                 filters: Mapping[str, Sequence[str]] | None = None, lang: str = "en", fmt: str = "pdf",
                 skip_empty: bool = False, owner: str | None = None) -> Schedule:
    """Store a schedule; everything is checked first (addresses, the period's syntax, the filters'
    values), so a schedule that is stored can run. Without ``period``: the one its cadence ends
    (:attr:`Every.period`: last-month for a monthly schedule, yesterday for a daily one)."""
    require_local_store(store)
    name = name.strip()
    if not name or len(name) > 100 or any(c in name for c in "\r\n\t"):
        raise ScheduleError("a schedule needs a name of one line (up to 100 characters)")
    recipients = check_addresses(list(to))
    when = parse_every(every)
    period = period or when.period
    if period is None:
        raise ScheduleError(f"--every {when.text!r} falls due on several days of a week: say which period "
                            "each digest covers, e.g. --period yesterday or --period last-7-days")
    store.period(period)  # a period that cannot be read is refused now, not at 8 on Monday
    if owner is not None:
        owner = Accounts(store).user(owner).email
    viewer = owner_viewer(store, owner)
    where = as_owner_sees(store, owner, viewer, lambda v: resolve_filters(store, filters, v))
    owner_sees_teams(store, owner, viewer, where.get("team", ()))
    if lang not in LANGS:
        raise ScheduleError(f"--lang {lang!r}: write {' or '.join(LANGS)}")
    if fmt not in FORMATS:
        raise ScheduleError(f"--format {fmt!r}: write pdf (the PDF attached) or html (the body alone)")
    if _schedule_row(store, name) is not None:
        raise ScheduleError(f"there is a schedule {name!r} already; remove it first "
                            f"(salesmetrics schedule remove {name!r})")
    created = utc_now()
    write_all(store, [("INSERT INTO schedules VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [name, when.text, period, json.dumps(list(recipients)),
                     json.dumps(filters_json(where)), lang, fmt, skip_empty, owner,
                     created])], bump=True)
    # Who may mail what to whom is the admin's to answer for: said in the audit log, as targets are.
    store.audit("schedule_add", f"{name}: {when.text}, {period}, to {', '.join(recipients)}"
                f"{', owner ' + owner if owner else ''}"[:200])
    return Schedule(name, when, period, recipients, where, lang, fmt, skip_empty, owner, created,
                    next_at=_next(store, when), time_zone=store.settings.time_zone)


def remove_schedule(store: Store, name: str) -> bool:
    """Remove a schedule (what it sent stays recorded); False when there is none by that name."""
    require_local_store(store)
    if _schedule_row(store, name) is None:
        return False
    write_all(store, [("DELETE FROM schedules WHERE name = ?", [name])], bump=True)
    store.audit("schedule_remove", name)
    return True


def _schedule_row(store: Store, name: str) -> tuple[Any, ...] | None:
    rows = store.connection.execute("SELECT * FROM schedules WHERE name = ?", [name]).fetchall()
    return tuple(rows[0]) if rows else None


def _schedule(store: Store, row: Sequence[Any], last: Delivery | None = None) -> Schedule:
    name, every, period, recipients, filters, lang, fmt, skip_empty, owner, created = row
    when = parse_every(every)
    return Schedule(name, when, period, tuple(json.loads(recipients)),
                    {k: tuple(v) for k, v in json.loads(filters).items()}, lang, fmt, bool(skip_empty),
                    owner, created, last, _next(store, when), store.settings.time_zone)


def _next(store: Store, when: Every) -> datetime:
    """When ``when`` next falls due, with its offset: beside ``created_at`` (UTC) a naive local time
    read as the same clock's (a tester)."""
    return when.next_after(store.now()).replace(tzinfo=ZoneInfo(store.settings.time_zone))


def list_schedules(store: Store) -> list[Schedule]:
    """The schedules, each with its latest delivery."""
    if not _has_tables(store):
        return []
    found = _listed(store)
    zone = ZoneInfo(store.settings.time_zone)
    owed = {d.schedule.name: d.at.replace(tzinfo=zone) for d in due(store, store.now(), schedules=found)}
    return [replace(s, due_at=owed.get(s.name)) for s in found]


def _listed(store: Store) -> list[Schedule]:
    rows = store.connection.execute("SELECT * FROM schedules ORDER BY name").fetchall()
    return [_schedule(store, r, latest_delivery(store, "schedule", r[0])) for r in rows]


def _has_tables(store: Store) -> bool:
    # A remote store's mirror has them too, empty; a read-only file of an older version is migrated
    # on open. Kept as a guard for stores made without the migration (tests of other backends).
    rows = store.connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schedules'").fetchall()
    return bool(rows and rows[0][0])


def _delivery(row: Sequence[Any]) -> Delivery:
    kind, name, occasion, status, attempts, claimed, sent, recipients, subject, error = row
    return Delivery(kind, name, occasion, status, int(attempts), claimed, sent,
                    tuple(json.loads(recipients or "[]")), subject, error)


def latest_delivery(store: Store, kind: str, name: str) -> Delivery | None:
    rows = store.connection.execute(
        "SELECT * FROM deliveries WHERE kind = ? AND name = ? ORDER BY claimed_at DESC LIMIT 1",
        [kind, name]).fetchall()
    return _delivery(rows[0]) if rows else None


def deliveries(store: Store, kind: str | None = None, name: str | None = None) -> list[Delivery]:
    """What was sent (or tried), and when: newest first."""
    if not _has_tables(store):
        return []
    rows = store.connection.execute(
        "SELECT * FROM deliveries WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR name = ?) "
        "ORDER BY claimed_at DESC", [kind, kind, name, name]).fetchall()
    return [_delivery(r) for r in rows]


def local_now(store: Store, as_of: date | None = None) -> datetime:
    """Now in the workspace's time zone (naive, Store.now); with ``as_of``, the last second of that day."""
    if as_of is not None:
        return datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59)
    return store.now()


def due(store: Store, now: datetime, *, since_added: bool = True,
        schedules: Sequence[Schedule] | None = None) -> list[Due]:
    """The schedules whose latest occasion (at or before ``now``, local time) has not been sent,
    skipped or claimed: only the latest, so a runner that was down for weeks sends the digest
    people expect now, not every one it missed. ``since_added`` (by the clock, not ``--as-of``):
    not an occasion that passed before the schedule was added. One added on a Friday sent last
    week's digest at once, and a monthly one added on the 5th the month before."""
    if not _has_tables(store):
        return []
    zone = ZoneInfo(store.settings.time_zone)
    out = []
    for schedule in _listed(store) if schedules is None else schedules:
        at = schedule.every.latest(now)
        added = schedule.created_at.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        span = covered(store, schedule, at.date())
        reported = occasion_of(span, at.date())
        status = _status(store, "schedule", schedule.name, period_key(reported))
        # An occasion before the schedule was added is not due, unless a catch-up (--as-of) tried
        # it and failed: a failed send is tried again at the next run, and the next plain run said
        # "nothing due" of three (the forecast tester).
        if since_added and at < added and not (status == "failed" and _status(
                store, "schedule", schedule.name, period_key(reported),
                claimed_since=schedule.created_at) == "failed"):  # this schedule's, not one removed
            continue
        if status is None and reported != span:
            # Sent before the days so far were the key (the whole period's, on this due day or
            # after): not sent again.
            due_utc = at.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)  # claimed_at is UTC
            status = _status(store, "schedule", schedule.name, period_key(span), claimed_since=due_utc)
        # Only a catch-up (--as-of) can fall due before what went out already.
        if status in (None, "failed") and (since_added or not _later_delivered(store, schedule, reported)):
            out.append(Due(schedule, at, span, reported))
    return out


def covered(store: Store, schedule: Schedule, day: date) -> Period:
    """The period a schedule's digest falling due on ``day`` covers. Monday to Friday with
    ``yesterday``: Monday's covers Friday, the last working day (it covered Sunday, and no digest
    ever held a Friday), and is set beside Thursday as any day is beside the day before."""
    span = store.period(schedule.period, day)
    yesterday = store.period("yesterday", day)
    if (schedule.every.weekdays == frozenset(range(5)) and day.weekday() == 0
            and (span.start, span.end) == (yesterday.start, yesterday.end)):
        return store.period((day - timedelta(days=3)).isoformat(), day)
    return span


def _later_delivered(store: Store, schedule: Schedule, span: Period) -> bool:
    """Whether a period starting after ``span`` went out (or is going out) already, since the
    schedule was added (one of the same name removed before is another): ``run-due --as-of`` a
    past day sent October's digest after November's, which no one expects any more."""
    rows = store.connection.execute(
        "SELECT occasion FROM deliveries WHERE kind = 'schedule' AND name = ? AND status <> 'failed' "
        "AND claimed_at >= ?", [schedule.name, schedule.created_at]).fetchall()
    # A later start, or the same start reported further (a running quarter's later month).
    mine = (span.start.isoformat(), span.end.isoformat())
    return any(tuple(str(o).split("..", 1)) > mine for (o,) in rows)


def _status(store: Store, kind: str, name: str, occasion: str,
            claimed_since: datetime | None = None) -> str | None:
    since = "" if claimed_since is None else " AND claimed_at >= ?"
    rows = store.connection.execute(
        f"SELECT status FROM deliveries WHERE kind = ? AND name = ? AND occasion = ?{since}",
        [kind, name, occasion, *([] if claimed_since is None else [claimed_since])]).fetchall()
    return str(rows[0][0]) if rows else None


def claim(store: Store, kind: str, name: str, occasion: str, recipients: Sequence[str]) -> bool:
    """Take an occasion to send: True for the one runner that gets it. A new occasion, or one whose
    last try failed, becomes ``sending`` in one transaction; the key (kind, name, occasion) lets
    only one transaction in any process do that."""
    con = store.connection
    try:
        con.execute("BEGIN TRANSACTION")
        status = _status(store, kind, name, occasion)
        if status is None:
            con.execute("INSERT INTO deliveries VALUES (?, ?, ?, 'sending', 1, ?, NULL, ?, NULL, NULL)",
                        [kind, name, occasion, utc_now(), json.dumps(list(recipients))])
        elif status == "failed":
            con.execute("UPDATE deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = ?, "
                        "recipients = ?, error = NULL WHERE kind = ? AND name = ? AND occasion = ? "
                        "AND status = 'failed'",
                        [utc_now(), json.dumps(list(recipients)), kind, name, occasion])
        else:
            con.execute("ROLLBACK")
            return False
        con.execute("COMMIT")
        return True
    except duckdb.Error:  # another transaction claimed it first (a key or write conflict)
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        return False


def finish(store: Store, kind: str, name: str, occasion: str, status: str, *, subject: str | None = None,
           error: str | None = None,
           also: Sequence[tuple[str, Sequence[Any]]] = ()) -> None:
    """Record how a claimed occasion ended: ``sent`` (the server accepted it), ``skipped`` (an empty
    period with --skip-empty) or ``failed`` (tried again by the next run). ``also``: statements to
    run in the same transaction (an alert's new state)."""
    if status not in STATUSES[1:]:
        raise SalesmetricsError(f"a delivery ends sent, failed or skipped, not {status!r}")
    write_all(store, [("UPDATE deliveries SET status = ?, sent_at = ?, subject = ?, error = ? "
                    "WHERE kind = ? AND name = ? AND occasion = ?",
                    [status, utc_now() if status == "sent" else None, subject, error, kind, name, occasion]),
                   *also])
