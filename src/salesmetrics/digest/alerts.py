"""Alerts: a message when a KPI goes off track or drops significantly, and once more when it is back.

An alert watches one KPI for the company, a team or a rep over a period (``this-quarter`` for
``off_track``, ``this-month`` for ``significant_drop``, read relative to the day it is checked). Each
check gives a state:

* ``off_track``: ``off_track`` when the KPI's target status is off track, ``ok`` when it is on track
  or at risk, ``unknown`` without a target or a figure;
* ``significant_drop``: ``dropped`` when the change from the period before goes the KPI's bad way
  and is beyond noise (trust.py's test), ``ok`` otherwise, ``unknown`` when the change was not
  tested. Only a KPI whose changes are tested can take one (``KPI.tests_changes``): on a sum of
  money it could never fire, so it is refused when added.

An ``unknown`` check says why (:class:`Unjudged`): `alert list` and `schedule run-due` show it, so an
alert that cannot fire does not sit silent ("no target for total_revenue in 2026-07").

The stored state is the last one people were told about, of the period it was judged in. A message
goes out when a check's state differs from it: into the alarm, and out of it again; never for
``unknown`` (nothing to say), and not for a first ``ok`` (nothing happened). A new period (the month
after a ``this-month`` alarm) starts as a first check: its first whole day beside the period
before's is no news that the alarm is over, and a drop in it is news even if the month before
dropped too. The message is a delivery like a schedule's (:func:`~.schedules.claim`), keyed by the
number of the change, so two runners never send it twice; the new state is stored in the transaction
that marks it sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from ..accounts import Accounts
from ..addresses import check_addresses
from ..errors import SalesmetricsError
from ..kpis import REGISTRY, get
from ..kpis.known_values import resolve_rep, resolve_values
from ..periods import Period, is_over, rolling, running_as_of
from ..report import build_report, days_of
from ..store import Store
from ..targets import Targets, scope_of
from ..text import LANGS
from ..trust import moved
from .every import ScheduleError
from .schedules import (
    as_owner_sees,
    latest_delivery,
    owner_sees_teams,
    owner_viewer,
    require_local_store,
    utc_now,
    write_all,
)

CONDITIONS = ("off_track", "significant_drop")
DEFAULT_PERIOD = {"off_track": "this-quarter", "significant_drop": "this-month"}
ALARM = {"off_track": "off_track", "significant_drop": "dropped"}
# Why a check's state is unknown (Unjudged.reason): no target applies; one applies but the alert's
# owner may not see it; a target but no figure to set against it; a KPI whose changes are never
# tested (an alert stored before such were refused); a change not tested (no figure, or too few
# records, on one side); the period's first day (judged on whole days); a period not started yet;
# the check itself refused.
UNJUDGED = ("no_target", "target_hidden", "no_figure", "no_test", "not_tested", "first_day", "not_started",
            "refused")


@dataclass(frozen=True)
class Unjudged:
    """Why an alert cannot be judged now: what `alert list` and `schedule run-due` say of it."""

    reason: str  # one of UNJUDGED
    period: Period | None = None  # the whole period watched (None: it could not be read)
    detail: str | None = None  # "refused": the error

    def as_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "period": self.period.as_json() if self.period else None,
                "detail": self.detail}


def drop_kpis(scope: str = "company") -> list[str]:
    """The KPIs a ``significant_drop`` alert can watch for ``scope``: those whose changes are
    tested against noise, and that are one figure for it (the registry says both)."""
    return [k.id for k in REGISTRY.values() if k.tests_changes and (scope == "company" or k.supports(scope))
            and (not k.always_by or (k.always_by == ("rep",) and scope == "rep"))]


@dataclass(frozen=True)
class Alert:
    id: int
    kpi: str
    scope: str  # company, team or rep
    scope_id: str | None
    condition: str
    period: str
    recipients: tuple[str, ...]
    lang: str
    owner: str | None
    state: str | None  # the last state people were told about (None: not checked yet)
    state_since: datetime | None
    changes: int
    created_at: datetime
    last: Any = None  # the latest delivery (schedules.Delivery)
    unjudged: Unjudged | None = None  # checked now (list_alerts(checked=True)): why it cannot be judged
    state_period: str | None = None  # the period ``state`` was judged in (report.days_of), None before v11
    judged_through: date | None = None  # the last day its latest judgement read (v12)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kpi": self.kpi, "scope": self.scope, "scope_id": self.scope_id,
                "when": self.condition, "period": self.period, "to": list(self.recipients),
                "lang": self.lang, "owner": self.owner, "state": self.state,
                "state_since": self.state_since, "state_period": self.state_period,
                "judged_through": self.judged_through, "created_at": self.created_at,
                "last": self.last.as_json() if self.last else None,
                "unjudged": self.unjudged.as_json() if self.unjudged else None}


@dataclass(frozen=True)
class Check:
    """One check of an alert: the state now, the facts behind it, and whether to tell anyone."""

    alert: Alert
    state: str  # ok, unknown, or the alarm (off_track, dropped)
    period: Period
    facts: dict[str, Any] = field(default_factory=dict)
    unjudged: Unjudged | None = None  # why the state is unknown

    watched: Period | None = None  # the whole period watched (``period`` is its days measured)
    past: bool = False  # judged as of a day before today (run-due --as-of)

    @property
    def judged_in(self) -> str | None:
        """The period the state belongs to, as stored with it (its first and last day); None for
        the last N days, which move on each day (a lasting drop was mailed every morning)."""
        if rolling(self.alert.period):
            return None
        return days_of(self.watched or self.period)

    @property
    def told(self) -> str | None:
        """What people were told of this check's period: nothing where the state stored was judged
        in another (the month before's alarm), or never. A state stored before v11 has no period:
        taken as this one's, as it was then."""
        stored, judged = self.alert.state_period, self.judged_in
        return self.alert.state if None in (stored, judged) or stored == judged else None

    @property
    def through(self) -> date:
        """The last day whose records this judgement read."""
        return self.period.records_last_day

    @property
    def superseded(self) -> bool:
        """Judged in a period before the one whose state is stored (``run-due --as-of`` a past
        day), or in the same one on fewer days than a judgement already made: neither told nor
        stored. November's "ok" stored over December's drop sent the drop again at the next run;
        December 1st alone, asked after December 1-5 had dropped, mailed "no longer shows a
        drop" between two alarms (a tester)."""
        stored, judged = self.alert.state_period, self.judged_in
        older = self.alert.judged_through is not None and self.through < self.alert.judged_through
        if judged is None:  # the last N days: a past day's are older than any state stored since
            return (self.past and self.alert.state is not None) or older
        if stored is not None and judged.split("..")[0] < stored.split("..")[0]:
            return True
        return older and stored == judged

    @property
    def news(self) -> bool:
        """A change people should hear of."""
        if self.state == "unknown" or self.state == self.told or self.superseded:
            return False
        return not (self.told is None and self.state == "ok")

    @property
    def quiet(self) -> bool:
        """A first ``ok`` of its period: stored without a message."""
        return self.told is None and self.state == "ok" and not self.superseded

    @property
    def occasion(self) -> str:
        return f"{self.alert.changes + 1}:{self.state}"


def add_alert(store: Store, kpi: str, *, when: str, to: Sequence[str], team: str | None = None,
              rep: str | None = None, period: str | None = None, lang: str = "en",
              owner: str | None = None) -> Alert:
    require_local_store(store)
    definition = get(kpi)
    if when not in CONDITIONS:
        raise ScheduleError(f"--when {when!r}: write off_track or significant_drop")
    recipients = check_addresses(list(to))
    scope, scope_id = scope_of(team, rep)
    if owner is not None:
        owner = Accounts(store).user(owner).email
    viewer = owner_viewer(store, owner)
    if scope == "rep" and scope_id is not None:
        named = scope_id
        scope_id = as_owner_sees(store, owner, viewer, lambda v: resolve_rep(store, named, v))
    elif scope == "team" and scope_id is not None:
        named = scope_id
        scope_id = as_owner_sees(store, owner, viewer,
                                 lambda v: resolve_values(store, {"team": (named,)}, v)["team"][0])
        owner_sees_teams(store, owner, viewer, [scope_id])
    if scope != "company" and not definition.supports(scope):
        raise ScheduleError(f"{kpi} cannot be measured per {scope}")
    # A KPI always per rep is one figure once the rep is named (revenue per rep, --rep ann).
    if definition.always_by and not (definition.always_by == ("rep",) and scope == "rep"):
        hint = "; name one with --rep" if definition.always_by == ("rep",) else ""
        raise ScheduleError(f"{kpi} is per {', '.join(definition.always_by)}; alerts watch one figure{hint}")
    # A change never tested against noise is never a significant drop: such an alert would be
    # taken and stay "unknown" for ever (total revenue down 31 % said nothing).
    if when == "significant_drop" and not definition.tests_changes:
        raise ScheduleError(f"{definition.id} has no significance test (its changes are never tested "
                            f"against noise), so a significant_drop alert on it could never fire; KPIs "
                            f"that can take one: {', '.join(drop_kpis(scope))} (or watch {definition.id} "
                            f"with --when off_track and a target)")
    span = period or DEFAULT_PERIOD[when]
    store.period(span)
    if lang not in LANGS:
        raise ScheduleError(f"--lang {lang!r}: write {' or '.join(LANGS)}")
    rows = store.connection.execute("SELECT coalesce(max(alert_id), 0) + 1 FROM alerts").fetchall()
    new_id = int(rows[0][0])
    created = utc_now()
    write_all(store, [("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?, NULL, NULL)",
                    [new_id, definition.id, scope, scope_id, when, span, json.dumps(list(recipients)), lang,
                     owner, created])], bump=True)
    store.audit("alert_add", f"{new_id}: {definition.id} {scope}{' ' + scope_id if scope_id else ''} "
                f"{when} {span}, to {', '.join(recipients)}{', owner ' + owner if owner else ''}"[:200])
    return Alert(new_id, definition.id, scope, scope_id, when, span, recipients, lang, owner, None, None, 0,
                 created)


def remove_alert(store: Store, alert_id: int) -> bool:
    require_local_store(store)
    rows = store.connection.execute("SELECT count(*) FROM alerts WHERE alert_id = ?", [alert_id]).fetchall()
    if not rows[0][0]:
        return False
    write_all(store, [("DELETE FROM alerts WHERE alert_id = ?", [alert_id])], bump=True)
    store.audit("alert_remove", str(alert_id))
    return True


def list_alerts(store: Store, *, checked: bool = False, today: date | None = None) -> list[Alert]:
    """The alerts, each with its last message. ``checked``: each also checked now (as of ``today``),
    with why it cannot be judged (``unjudged``) where that is so."""
    rows = store.connection.execute(
        "SELECT alert_id, kpi, scope, scope_id, condition, period, recipients, lang, owner, state, "
        "state_since, changes, created_at, state_period, judged_through FROM alerts "
        "ORDER BY alert_id").fetchall()
    out = []
    for (alert_id, kpi, scope, scope_id, condition, period, recipients, lang, owner, state, since,
         changes, created, state_period, through) in rows:
        if kpi not in REGISTRY:
            continue  # a KPI a later version dropped stays stored but is not watched
        out.append(Alert(int(alert_id), kpi, scope, scope_id, condition, period,
                         tuple(json.loads(recipients)), lang, owner, state, since, int(changes), created,
                         latest_delivery(store, "alert", str(alert_id)), state_period=state_period,
                         judged_through=through))
    if checked:
        out = [replace(a, unjudged=_unjudged_now(store, a, today)) for a in out]
    return out


def _unjudged_now(store: Store, alert: Alert, today: date | None) -> Unjudged | None:
    try:
        return check(store, alert, today=today).unjudged
    except SalesmetricsError as exc:  # its owner gone, money without a rate, ...
        return Unjudged("refused", None, str(exc))


def check(store: Store, alert: Alert, *, as_of: date | None = None, today: date | None = None) -> Check:
    """The alert's state now (or as of the end of ``as_of``), with the figures behind it."""
    if as_of is not None and as_of >= store.today():
        as_of = None  # as of today is now: judged as a plain run judges it, on whole days (review)
    span = store.period(alert.period, as_of or today)
    day = today or store.today()
    # An as-of day here is before today (as of today is now, above); ``day`` may be a run's own.
    over = is_over(span, as_of, store.today() if as_of is not None else day)
    if as_of is None and rolling(alert.period):
        # The last N days end with today, which is still going: judged on the N whole days up to
        # yesterday, as a running period is on its whole days (a tester: a morning's wins counted
        # today hid a drop of 34 points over the whole days). Not over for that: they run on.
        span = store.period(alert.period, day - timedelta(days=1))
    asked = as_of  # as_of below may become the last whole day of a running period
    if span.start > (as_of or day):
        # Nothing in it has happened yet: unjudged, as by the clock, not a failure of run-due
        # (--as-of a day before it refused the period, exit 1).
        return Check(alert, "unknown", span, unjudged=Unjudged("not_started", span), watched=span)
    if as_of is None and running_as_of(span, None, day) is not None:
        # A running period is judged on its whole days, beside as many of the period before: a
        # part of today beside a whole day read as a significant drop every morning of the 1st.
        if span.start == day:
            return Check(alert, "unknown", span, unjudged=Unjudged("first_day", span), watched=span)
        as_of = running_as_of(span, None, day - timedelta(days=1))
    filters = {alert.scope: [alert.scope_id]} if alert.scope_id else {}
    viewer = owner_viewer(store, alert.owner, [alert.scope_id] if alert.scope == "team" and alert.scope_id
                          else ())
    report = build_report(store, span, kpis=[alert.kpi], filters=filters, as_of=as_of, viewer=viewer,
                          compare=True)
    row = report.rows[0] if report.rows else {}
    # With what the figure rests on (its count, interval and flags): a message "0.0 % against a
    # target of 50.0 %" over three closed deals read as sure as one over three hundred.
    facts = {k: row.get(k) for k in ("value", "previous", "change", "p_value", "significant", "target",
                                     "target_status", "pace", "n", "ci_low", "ci_high", "flags",
                                     "days_so_far")}
    facts["currency"] = report.currency
    facts["before"] = report.previous  # the stretch compared with (the same days of the period before)
    facts["over"] = over  # judged on a period gone by: reached or missed, no longer on or off track
    # A company alert of an owner who sees part of it watches their part: said whose, never as the
    # company's (a rep's own revenue and target read "Total revenue (company) is off track").
    facts["seen_by"] = alert.owner if alert.scope == "company" and not viewer.sees_everything else None
    why: str | None = None
    if alert.condition == "off_track":
        status = row.get("target_status")
        state = "unknown" if status is None else "off_track" if status == "off_track" else "ok"
        if status is None:
            why = "no_figure" if row.get("target") is not None else _no_target(store, alert, span)
    else:
        significant = row.get("significant")
        # Tested: the way it went, from the figures where a change in % has none (0 to 6
        # activities was "could not be tested"; 0 to 2, within noise, is simply no drop).
        way = moved(row.get("value"), row.get("previous"), row.get("change"), significant is not None)
        if way is None or significant is None:
            state = "unknown"
            why = "not_tested" if REGISTRY[alert.kpi].tests_changes else "no_test"
        else:
            bad = way < 0 if REGISTRY[alert.kpi].higher_is_better else way > 0
            state = "dropped" if significant and bad else "ok"
    return Check(alert, state, span.until(as_of), facts,  # the days its figures cover
                 None if why is None else Unjudged(why, span), watched=span,
                 past=asked is not None and asked < store.today())


def _no_target(store: Store, alert: Alert, span: Period) -> str:
    """Why no target stood beside the figure: none is set for the alert's figure and period, or one
    is that the alert's owner may not see (its messages hold only what they see)."""
    if alert.owner is not None and Targets.read(store, alert.kpi).pick(
            alert.kpi, alert.scope, alert.scope_id, span) is not None:
        return "target_hidden"
    return "no_target"


def record_state(c: Check) -> tuple[str, list[Any]]:
    """The statement that stores the check's state, and the period it was judged in, as the one
    people were told about (run in the transaction that marks its message sent, or alone for a quiet
    first ``ok``)."""
    return ("UPDATE alerts SET state = ?, state_since = ?, state_period = ?, judged_through = ?, "
            "changes = changes + 1 WHERE alert_id = ? AND changes = ?",
            [c.state, utc_now(), c.judged_in, c.through, c.alert.id, c.alert.changes])


def store_quiet(store: Store, c: Check) -> None:
    write_all(store, [record_state(c)])


def newer_look(c: Check) -> bool:
    """A judgement that tells nothing new but reads further into the period its state is stored
    for: kept as the latest look (:func:`store_through`), so an older one is known as such."""
    return (c.state != "unknown" and not c.superseded and c.alert.state is not None
            and c.alert.state_period == c.judged_in
            and (c.alert.judged_through is None or c.through > c.alert.judged_through))


def store_through(store: Store, c: Check) -> None:
    write_all(store, [("UPDATE alerts SET judged_through = ? WHERE alert_id = ? AND changes = ?",
                       [c.through, c.alert.id, c.alert.changes])])
