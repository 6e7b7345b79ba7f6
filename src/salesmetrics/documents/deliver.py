"""Running what is due: the digests of schedules and the messages of alerts.

The order is what makes a message go out at most once: claim the occasion (a short writing
transaction), compute and render with no claim held open, send, and only then record it sent (or
failed, with the server's answer). The workspace is reached through a :class:`Session`: the command
line holds one open workspace for all of it; the server takes its gate's writer's turn for the short
writes and a reader's for computing, so the dashboard keeps answering while a digest is drawn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any, Protocol

from ..addresses import SmtpUrl
from ..digest import alerts as alert_rules
from ..digest import schedules
from ..digest.content import build_digest
from ..digest.every import ScheduleError
from ..errors import SalesmetricsError
from ..kpis import REGISTRY
from ..periods import running_as_of
from ..text.catalogue import N_WORDS, N_WORDS_ONE, lookup, text
from ..text.digest import format_p, kpi_title, scope_name, unjudged_sentence, words
from ..text.figures import flag_notes, format_status
from ..text.numbers import format_ci, format_delta, format_number, format_pace, format_period, format_value
from ..workspace import Workspace
from .digests import digest_message
from .mail import DeliveryError, build_plain_message, send, sender, smtp_server

log = logging.getLogger("salesmetrics.deliver")


class Session(Protocol):
    def writing(self) -> AbstractContextManager[Workspace]: ...

    def reading(self) -> AbstractContextManager[Workspace]: ...


class OneWorkspace:
    """A session over one workspace held open (the command line)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    @contextmanager
    def _same(self) -> Iterator[Workspace]:
        yield self.ws

    def writing(self) -> AbstractContextManager[Workspace]:
        return self._same()

    def reading(self) -> AbstractContextManager[Workspace]:
        return self._same()


@dataclass(frozen=True)
class Outcome:
    kind: str  # schedule or alert
    name: str
    occasion: str
    # sent, skipped, failed, quiet (an alert's first ok, stored without a message), or "cannot be
    # judged" (an alert whose state is unknown, with why: no target, ...; nothing is sent)
    status: str
    detail: str  # the subject sent, or what went wrong (the server's answer)

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "partly sent")


@dataclass(frozen=True)
class Mailer:
    """Where messages go: the SMTP server (``--smtp`` or the settings) and the sender."""

    smtp: str | None = None  # --smtp; None: $SALESMETRICS_SMTP_URL, else the smtp_url setting
    environ: Mapping[str, str] | None = None

    def server(self, ws: Workspace) -> tuple[SmtpUrl, str]:
        settings = ws.setting_values()
        server = smtp_server(self.smtp, settings.get("smtp_url"), self.environ)
        return server, sender(server, settings.get("mail_from"))

    def send(self, message: EmailMessage, server: SmtpUrl) -> None:
        send(message, server, environ=self.environ)


def run_due(session: Session, mailer: Mailer, *, as_of: date | None = None,
            now: datetime | None = None) -> list[Outcome]:
    """Send every schedule's digest that is due, then check every alert. With ``as_of``, it is the
    end of that day and the figures are as they stood then (cron catching up, tests)."""
    with session.reading() as ws:
        today = ws.store.today()
        if as_of is not None and now is None and as_of > today:
            # A day to come: its period's digest would go out unfinished, and be marked sent, so the
            # real one on the day never would (at most once per period).
            raise ScheduleError(f"--as-of {as_of.isoformat()} is a day still to come (today is "
                                f"{today.isoformat()}): run-due sends what fell due by today or a day "
                                "before, never ahead")
        # As of today is as of now: its end would send at 9 a.m. what falls due at 6 p.m.
        moment = now or min(schedules.local_now(ws.store, as_of), ws.store.now())
        items = schedules.due(ws.store, moment, since_added=as_of is None)
    # Each digest as of the day its occasion fell due, which it is recorded as: caught up with
    # --as-of, or sent by a runner that came by late, it held the days since as well (a tester).
    tried = [_deliver_schedule(session, mailer, item, _as_of_occasion(item, as_of)) for item in items]
    outcomes = [o for o in tried if o is not None]
    return outcomes + check_alerts(session, mailer, as_of=as_of, today=moment.date())


def _as_of_occasion(item: schedules.Due, as_of: date | None) -> date | None:
    """The day a digest is built as of: its occasion's (``as_of`` only says a catch-up asked). A
    period that starts after it (next-week's) is read whole, not refused as a day before it."""
    day = item.at.date()
    return running_as_of(item.period, as_of and day if item.period.start <= day else None, day)


def _deliver_schedule(session: Session, mailer: Mailer, item: schedules.Due,
                      as_of: date | None) -> Outcome | None:
    s = item.schedule
    with session.writing() as ws:
        if not schedules.claim(ws.store, "schedule", s.name, item.occasion, s.recipients):
            return None  # another runner has it, or had it
    status, subject, error = "failed", None, None
    try:
        with session.reading() as ws:
            server, from_ = mailer.server(ws)
            found = build_digest(ws.store, item.period, filters=s.filters, as_of=as_of,
                                 viewer=schedules.owner_viewer(ws.store, s.owner, s.filters.get("team", ())))
            message = None
            if not (found.empty and s.skip_empty):
                message = digest_message(found, s.lang, sender=from_, to=s.recipients,
                                         attach="pdf" if s.format == "pdf" else "html")
        if message is None:
            status, subject = "skipped", "no records in the period (--skip-empty)"
        else:
            mailer.send(message, server)
            status, subject = "sent", str(message["Subject"])
    except DeliveryError as exc:
        # Some recipients took it: sent (to them), and never again to all; the answer is kept.
        status, error = ("sent" if exc.accepted else "failed"), str(exc)
    except SalesmetricsError as exc:
        error = str(exc)
    except Exception as exc:  # a bug must not leave the claim open forever: recorded, then raised
        with session.writing() as ws:
            schedules.finish(ws.store, "schedule", s.name, item.occasion, "failed", error=repr(exc))
        raise
    with session.writing() as ws:
        schedules.finish(ws.store, "schedule", s.name, item.occasion, status, subject=subject, error=error)
    log.info("schedule %s %s: %s %s", s.name, item.occasion, status, subject or error)
    shown = "partly sent" if status == "sent" and error else status
    return Outcome("schedule", s.name, item.occasion, shown, error or subject or "")


def check_alerts(session: Session, mailer: Mailer, *, as_of: date | None = None,
                 today: date | None = None) -> list[Outcome]:
    """Check every alert; tell its recipients when its state changed (once per change)."""
    out = []
    checks = []
    with session.reading() as ws:
        for a in alert_rules.list_alerts(ws.store):
            try:
                checks.append(alert_rules.check(ws.store, a, as_of=as_of, today=today))
            except SalesmetricsError as exc:  # one alert that cannot be checked (its rep gone, ...)
                out.append(Outcome("alert", str(a.id), "check", "failed", str(exc)))
    names: Mapping[str, str] | None = None
    for c in checks:
        name = str(c.alert.id)
        if c.unjudged is not None:
            # Never a message (nothing to tell), but said where it runs: an alert that cannot fire
            # must not sit silent ("no target for total_revenue in 2026-07").
            if names is None:
                with session.reading() as ws:
                    names = ws.names("reps")
            out.append(Outcome("alert", name, f"{c.alert.kpi} {c.alert.condition}", UNJUDGED,
                               unjudged_text(c.alert, c.unjudged, names)))
        if c.quiet:
            with session.writing() as ws:
                alert_rules.store_quiet(ws.store, c)
            out.append(Outcome("alert", name, c.occasion, "quiet", c.state))
            continue
        if not c.news:
            if alert_rules.newer_look(c):
                with session.writing() as ws:
                    alert_rules.store_through(ws.store, c)
            continue
        with session.writing() as ws:
            if not schedules.claim(ws.store, "alert", name, c.occasion, c.alert.recipients):
                continue
        try:
            with session.reading() as ws:
                server, from_ = mailer.server(ws)
                subject, body = alert_text(c, ws.names("reps"))
            mailer.send(build_plain_message(subject, body, sender=from_, to=c.alert.recipients), server)
            status, sent_subject, error = "sent", subject, None
        except DeliveryError as exc:
            status, sent_subject, error = ("sent" if exc.accepted else "failed"), None, str(exc)
        except SalesmetricsError as exc:
            status, sent_subject, error = "failed", None, str(exc)
        with session.writing() as ws:
            schedules.finish(ws.store, "alert", name, c.occasion, status, subject=sent_subject, error=error,
                             also=[alert_rules.record_state(c)] if status == "sent" else [])
        out.append(Outcome("alert", name, c.occasion, "partly sent" if status == "sent" and error else status,
                           error or sent_subject or ""))
    return out


UNJUDGED = "cannot be judged"


def unjudged_text(a: alert_rules.Alert, why: alert_rules.Unjudged, names: Mapping[str, str],
                  lang: str = "en") -> str:
    """Why ``a`` cannot be judged now, in words (`alert list`, `schedule run-due`)."""
    return unjudged_sentence(why.reason, a.kpi, a.scope, a.scope_id, why.period, names, lang,
                             watched=a.period, owner=a.owner, detail=why.detail)


def alert_text(c: alert_rules.Check, names: Mapping[str, str]) -> tuple[str, str]:
    """The alert's subject and body, in its language."""
    a, f, lang = c.alert, c.facts, c.alert.lang
    unit, cur = REGISTRY[a.kpi].unit, f.get("currency")
    whose = (words("scope_seen_by", lang, who=f["seen_by"]) if f.get("seen_by")
             else scope_name(a.scope, a.scope_id, names, lang))
    values = {"kpi": kpi_title(a.kpi, lang), "scope": whose,
              "period": format_period(c.period, lang), "value": format_value(f.get("value"), unit, cur, lang),
              "target": format_value(f.get("target"), unit, cur, lang),
              # No pace where none can be had (a figure or target at or below 0): no "(pace -)". A
              # sum's or count's pace runs with the period (where it ends up at this rate); a rate's,
              # or any figure's once the period is over, is the share of the target reached.
              "pace": "" if f.get("pace") is None else words(
                  "alert_pace" if REGISTRY[a.kpi].accumulates and not f.get("over") else "alert_of_it",
                  lang, pace=format_pace(f.get("pace"), lang)),
              "previous": format_value(f.get("previous"), unit, cur, lang),
              "before": format_period(f["before"], lang) if f.get("before") else "–",
              "delta": format_delta(f.get("change"), unit, lang), "p": format_p(f.get("p_value"), lang),
              "status": format_status(f.get("target_status"), lang, over=bool(f.get("over")))}
    over = bool(f.get("over"))
    key = {("off_track", "off_track"): "alert_missed" if over else "alert_off_track",
           ("off_track", "ok"): "alert_reached" if over else "alert_back_on_track",
           ("significant_drop", "dropped"): "alert_drop",
           ("significant_drop", "ok"): "alert_drop_over"}.get((a.condition, c.state), "alert_no_figure")
    sentence = words(key, lang, **values)
    basis = _basis(a.kpi, f, lang)
    footer = words("alert_footer", lang, id=a.id, condition=a.condition)
    return (words("alert_subject", lang, what=sentence.split(":")[0]),
            f"{sentence}{' ' + basis if basis else ''}\n\n{footer}\n")


def _basis(kpi: str, f: Mapping[str, Any], lang: str) -> str:
    """What the figure rests on, as the report says it: its count, its 95 % interval and its flags
    (small sample, quota pro-rated to date, ...)."""
    if f.get("n") is None or f.get("value") is None:
        return ""
    ci = format_ci({"ci_low": f.get("ci_low"), "ci_high": f.get("ci_high"), "unit": REGISTRY[kpi].unit,
                    "currency": f.get("currency")}, lang)
    notes = flag_notes(f.get("flags") or (), lang, f.get("days_so_far"))
    n = int(f["n"])
    what = (lookup(N_WORDS_ONE, kpi, lang) if n == 1 and kpi in N_WORDS_ONE
            else lookup(N_WORDS, kpi, lang) if kpi in N_WORDS else text("records_word", lang))
    return words("alert_basis", lang, n=format_number(n, lang), what=what,
                 ci=words("alert_ci", lang, ci=ci) if ci else "", notes=f" ({notes})" if notes else "")
