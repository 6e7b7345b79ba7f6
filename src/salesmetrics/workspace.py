"""The friendly facade: one open workspace and one method per question asked of it.

Every face (CLI, web, API, Python) holds a :class:`Workspace`. It holds a
:class:`~salesmetrics.store.Store` (the file or remote engine, settings, records) and answers each
question by calling the core function that knows it (``build_report(store, ...)``); none of those
calls back into this module.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast
from zoneinfo import ZoneInfo

import duckdb

from .access import Viewer
from .backends import open_store
from .errors import PeriodError, WorkspaceError, keyed
from .periods import DEFAULT_INSIGHT_PERIOD, DEFAULT_PERIOD, Period, as_day, running_as_of
from .records import Records
from .settings import SettingChange, Settings
from .store import Store

# The questions' modules are imported when asked, so a command loads only what it answers with.
if TYPE_CHECKING:
    from .accounts import Accounts
    from .comparison import Comparison
    from .coverage import PeriodHint
    from .dashboard import Dashboard, Point
    from .digest.alerts import Alert
    from .digest.content import Digest
    from .digest.schedules import Schedule
    from .drilldown import RecordsBehind, WonLost
    from .importing import FormatOptions, ImportSummary
    from .importing.mapping.select import MappingsArg
    from .insights.cycle import CycleComparison
    from .insights.effectiveness import ActivityEffectiveness
    from .insights.forecast import Accuracy, Forecast
    from .insights.funnel import Funnel
    from .insights.losses import Losses
    from .insights.peers import RepComparison
    from .insights.program_effect import ProgramEffect
    from .insights.ramp import RampCohorts
    from .insights.satisfaction import Satisfaction
    from .insights.scorecard import Scorecard
    from .insights.slippage import Slippage
    from .kpis.known_values import Known
    from .kpis.model import KPI
    from .programs import Program
    from .report import Report
    from .summary import Summary
    from .target_status import TargetStatus
    from .targets import Target


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _writes(method: _Method) -> _Method:
    """A method that changes the workspace: on one opened ``read_only`` it is refused in words, not
    with DuckDB's "attached in read-only mode", which no ``except SalesmetricsError`` caught (a
    tester scripting against a read-only workspace)."""

    @functools.wraps(method)
    def checked(self: Workspace, *args: Any, **kwargs: Any) -> Any:
        if self.store.read_only:
            raise WorkspaceError(f"{self.path} is open read-only: {method.__name__} changes it; open it "
                                 "with Workspace.open(path), without read_only=True")
        return method(self, *args, **kwargs)

    return cast(_Method, checked)


class Workspace:
    """A salesmetrics workspace: canonical records and settings, and the questions asked of them."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
             wait: float | None = None, backend: str | None = None) -> Workspace:
        """Open (and create, unless ``read_only``) the workspace at ``path``.

        ``path`` defaults to ``$SALESMETRICS_DB``, else ``./salesmetrics.duckdb``. A workspace made by an
        older version is migrated on open. While another process holds the file, opening retries for
        ``wait`` seconds (default ``$SALESMETRICS_LOCK_WAIT``, else 30), then raises
        :class:`~salesmetrics.errors.WorkspaceBusyError`.

        ``backend`` names the engine holding the records: ``duckdb:///file.duckdb`` (the default;
        the same as ``path``), ``postgres://user@host/db``, ``pyspark`` or
        ``spark://host:7077/warehouse`` (docs/scaling.md). Without ``backend`` and ``path``,
        ``$SALESMETRICS_BACKEND`` names it; a ``path`` given is that file, whatever the
        environment says.
        """
        return cls(open_store(path, read_only=read_only, wait=wait, backend=backend))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self.store).replace("<Store", "<Workspace", 1)

    # -- the store: where the records are, their settings and what they hold ---------------------
    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self.store.connection

    @property
    def ibis(self) -> Any:
        """The Ibis backend over the records (KPI definitions compile against it)."""
        return self.store.ibis

    @property
    def settings(self) -> Settings:
        return self.store.settings

    def _as_of(self, period: str | Period, as_of: date | str | None) -> date | None:
        """``as_of`` as a day (:meth:`_day`), or today for a period still running (periods.running_as_of)."""
        day = self._day(as_of)
        try:
            span = self.period(period, day)
        except PeriodError:  # said by the question itself, in its order (a mistyped rep first)
            return day
        today = self.store.today()
        if day is not None and day > today and span.end > today:
            # The days to come hold no records yet: December "as of Dec 31" on the 5th was compared
            # with the whole of November (activities -100 %), its pace as if the month had passed.
            raise keyed(PeriodError(
                f"as of {day.isoformat()}, a day still to come: {span.label} runs past today "
                f"({today.isoformat()}), and its figures as they will stand then are not known; ask as "
                "of today or earlier"), "as_of_to_come", as_of=day.isoformat(), period=span.label,
                today=today.isoformat())
        return running_as_of(span, day, today)

    def _who(self, viewer: Viewer | None) -> Viewer | None:
        """``viewer``, refused if it names a rep or team this workspace does not have (every figure
        would read 0 without a word)."""
        if viewer is not None and not viewer.sees_everything:
            from .kpis.known_values import check_viewer

            check_viewer(self.store, viewer)
        return viewer

    def _past_day(self, as_of: date | str | None) -> date | None:
        """``as_of`` as a day (:meth:`_day`), refused if it is still to come: a program's windows,
        which belong to no period that could say so, read the days to come as days without records
        (a program "as of" next March compared 18 days of revenue after it with 90 before; the
        enablement tester)."""
        day = self._day(as_of)
        today = self.store.today()
        if day is not None and day > today:
            raise keyed(PeriodError(
                f"as of {day.isoformat()}, a day still to come (today is {today.isoformat()}): the records "
                "as they will stand then are not known; ask as of today or earlier"),
                "as_of_future", as_of=day.isoformat(), today=today.isoformat())
        return day

    def _day(self, as_of: date | str | None) -> date | None:
        """``as_of`` as a day: a datetime with a zone is the day it is in the workspace's zone."""
        if isinstance(as_of, datetime) and as_of.tzinfo is not None:
            as_of = as_of.astimezone(ZoneInfo(self.settings.time_zone))
        return as_day(as_of)

    @property
    def accounts(self) -> Accounts:
        """Who may open the dashboard and the API (users, sessions, API tokens) and the audit log:
        kept in a DuckDB workspace file (:class:`~salesmetrics.errors.AccountError` otherwise)."""
        from .accounts import Accounts

        return Accounts(self.store)

    def setting_values(self) -> dict[str, str | None]:
        """Every setting's stored value, or its default."""
        return self.store.setting_values()

    @_writes
    def set_setting(self, name: str, value: str | None) -> SettingChange:
        """Set (or with ``None`` reset) a setting, and say what that did (the value stored, the
        exchange rates a move of the base currency removed, the dates without a time a move of the
        time zone took to the day before). Changing the time zone re-expresses stored local times in
        the new zone, so the same instants stay the same."""
        return self.store.set_setting(name, value)

    def base_currency(self) -> str | None:
        """The configured base currency, else the one currency all records share (None if none)."""
        return self.store.base_currency()

    def currencies(self) -> list[str]:
        """The currencies the records use."""
        return self.store.currencies()

    @property
    def data_version(self) -> int:
        return self.store.data_version

    def counts(self, viewer: Viewer | None = None) -> dict[str, int]:
        """Number of records per canonical table (those ``viewer`` may see)."""
        return self.store.counts(self._who(viewer))

    def names(self, table: str, viewer: Viewer | None = None) -> dict[str, str]:
        """Display names by id for ``reps`` or ``products`` (the reps ``viewer`` may see)."""
        return self.store.names(table, self._who(viewer))

    def period(self, period: str | Period, as_of: date | str | None = None) -> Period:
        """``period`` ("2026-Q3", "last-month", ...) read with this workspace's fiscal year."""
        return self.store.period(period, self._day(as_of))

    @_writes
    def import_files(self, *paths: str | os.PathLike[str],
                     on_progress: Callable[[str, int, int], None] | None = None,
                     source: str | None = None, mapping: MappingsArg = None,
                     options: FormatOptions | None = None, now: datetime | None = None) -> ImportSummary:
        """Import CSV, Excel or Parquet files (or folders of them); all or nothing.

        Canonical files: each file's stem names its table (``deals.csv`` -> ``deals``). CRM exports:
        ``source="hubspot"`` (or ``close``, ``salesforce``, ``pipedrive``). Any other export:
        ``mapping`` is a mapping file (or several, or :class:`~salesmetrics.importing.Mapping`
        objects); each file's header picks the one it fits. ``options``
        (:class:`~salesmetrics.importing.FormatOptions`) set the decimal comma, date format,
        encoding, ... where the files do not settle them. ``now`` is when stage changes are
        recorded as happening if the export does not say (default: the import's time).

        Raises :class:`~salesmetrics.errors.ImportValidationError` listing every problem found, and
        then nothing is written.
        """
        return self.store.import_files(*paths, on_progress=on_progress, source=source, mapping=mapping,
                                       options=options, now=now)

    def teams(self, viewer: Viewer | None = None) -> dict[str, str | None]:
        """Each visible rep's team (None for a rep without one)."""
        return self.store.teams(self._who(viewer))

    def dimension_values(self, viewer: Viewer | None = None) -> dict[str, list[tuple[str, str]]]:
        """What each filter dimension can be set to, as (id, label) pairs: what a face offers to
        choose from. Labels are names where the records have them. The same values a filter is
        checked against (:mod:`salesmetrics.kpis.known_values`)."""
        from .kpis.known_values import dimension_values

        return dimension_values(self.store, self._who(viewer))

    def known_values(self, dimensions: Iterable[str], viewer: Viewer | None = None) -> Known:
        """The values filters on ``dimensions`` can take for ``viewer``, and reps' names."""
        from .kpis.known_values import known_values

        return known_values(self.store, dimensions, self._who(viewer))

    def records(self, viewer: Viewer | None = None) -> Records:
        """The one place records are read: canonical tables as Ibis expressions, limited to what
        ``viewer`` may see."""
        return self.store.records(self._who(viewer))

    # -- questions -----------------------------------------------------------------------------
    def kpis(self) -> list[KPI]:
        from .kpis import REGISTRY

        return list(REGISTRY.values())

    def report(
        self,
        period: str | Period = DEFAULT_PERIOD,
        *,
        by: str | Sequence[str] | None = (),
        kpis: str | Iterable[str] | None = None,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
        compare: bool = False,
    ) -> Report:
        """Compute KPIs for a period, grouped ``by`` dimensions and narrowed by ``filters``. With
        ``compare``, each row also carries the period before and whether the change is significant."""
        from .apart import answered_apart
        from .errors import CurrencyError
        from .kpis.scope import parse_dimensions
        from .report import build_report
        from .summary import with_products_apart

        day, viewer = self._as_of(period, as_of), self._who(viewer)
        try:
            found = build_report(self.store, period, by=by, kpis=kpis, filters=filters, as_of=day,
                                 viewer=viewer, compare=compare)
        except CurrencyError:
            if parse_dimensions(by) not in (("rep",), ("team",)):
                raise
            # Asked for by name, by rep or team: answered for those whose money every rate converts,
            # refused as before where no one's figure is left.
            found = answered_apart(self.store, build_report(
                self.store, period, by=by, kpis=kpis, filters=filters, as_of=day, viewer=viewer,
                compare=compare, skip_unrated=True), kpis, filters=filters, as_of=day, viewer=viewer)
            if found.skipped:
                raise
            return found
        found = answered_apart(self.store, found, kpis, filters=filters, as_of=day, viewer=viewer)
        return with_products_apart(self.store, found, filters=filters, as_of=day, viewer=viewer)

    def period_hint(self, period: str | Period, *, as_of: date | str | None = None,
                    viewer: Viewer | None = None) -> PeriodHint | None:
        """None when ``period`` holds a record (a deal created or closed, an activity, an answer);
        else the first and last day of the records and a period to try (a report of only zeros
        carries it as ``hint``)."""
        from .coverage import period_hint

        day = self._as_of(period, as_of)  # a running period holds what it holds up to today
        return period_hint(self.store, self.period(period, day), self._who(viewer), day)

    def summary(self, period: str | Period = DEFAULT_PERIOD, *,
                filters: Mapping[str, Sequence[str]] | None = None, as_of: date | str | None = None,
                top: int = 5, viewer: Viewer | None = None) -> Summary:
        """Every KPI for ``period`` beside the period before, with the top reps and the products;
        ``filters`` narrow them as in a report."""
        from .summary import build_summary

        return build_summary(self.store, period, filters=filters,
                             as_of=self._as_of(period, as_of), top=top, viewer=self._who(viewer))

    def targets(
        self,
        period: str | Period,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        viewer: Viewer | None = None,
    ) -> dict[str, Any]:
        """The goal set for each KPI over ``period`` (kpi id -> value in the KPI's unit), for the
        company, or the one team or rep the filters pick."""
        from .kpis.scope import resolve_filters
        from .targets import company_targets

        who = self._who(viewer)
        return company_targets(self.store, self.period(period), resolve_filters(self.store, filters, who),
                               who)

    def records_behind(
        self,
        kpi: str,
        period: str | Period = DEFAULT_PERIOD,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
    ) -> RecordsBehind:
        """The records a KPI's figure rests on (the won deals behind revenue, the answers behind NPS,
        ...), read exactly as the KPI reads them."""
        from .drilldown import records_behind

        return records_behind(self.store, kpi, period, filters=filters,
                              as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    def won_lost(
        self,
        period: str | Period = DEFAULT_PERIOD,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
    ) -> WonLost:
        """The closed deals behind the win rate, won and lost apart (count and amount each), the
        lost ones by reason: what ``records_behind("win_rate", ...)`` splits, without the deals."""
        from .drilldown import closed_split

        return closed_split(self.store, period, filters=filters,
                            as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    def dashboard(
        self,
        period: str | Period = DEFAULT_PERIOD,
        *,
        grain: str | None = None,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
    ) -> Dashboard:
        """Headline tiles (beside the period before and a year before) and the series of every
        dashboard chart, for one period and set of filters."""
        from .dashboard import build_dashboard

        return build_dashboard(self.store, period, grain=grain, filters=filters,
                               as_of=self._as_of(period, as_of),
                               viewer=self._who(viewer))

    def revenue_trend(
        self,
        period: str | Period = DEFAULT_PERIOD,
        grain: str | None = None,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
    ) -> list[Point]:
        """Revenue per day, week, month or quarter (``grain``; default: what the dashboard picks for the
        period) of the period; empty buckets show as zero. By day over at most 92 days (drawable)."""
        from .dashboard import default_grain, drawable, revenue_trend

        span = self.period(period, as_of)
        chosen, day = grain or default_grain(span), self._as_of(period, as_of)
        drawable(span.until(day), chosen)
        return revenue_trend(self.store, span, chosen, filters=filters, as_of=day, viewer=self._who(viewer))

    def compare(
        self,
        dimension: str,
        values: Sequence[str],
        period: str | Period = DEFAULT_PERIOD,
        *,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
    ) -> Comparison:
        """Two or more teams (or reps) side by side: the headline KPIs with intervals, and whether
        each differs from the first beyond noise."""
        from .comparison import build_comparison

        return build_comparison(self.store, period, dimension, values,
                                as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    def rep_comparison(
        self,
        rep: str,
        period: str | Period = DEFAULT_PERIOD,
        *,
        as_of: date | str | None = None,
        viewer: Viewer | None = None,
    ) -> RepComparison:
        """One rep's KPIs beside the median of their team's reps."""
        from .insights.peers import build_rep_comparison

        return build_rep_comparison(self.store, rep, period, as_of=self._as_of(period, as_of),
                                    viewer=self._who(viewer))

    # -- insights (insights/: scorecard, effectiveness, funnel, satisfaction, ramp; targets.py) ------
    def scorecard(self, rep: str, period: str | Period = DEFAULT_INSIGHT_PERIOD, *, history: int = 3,
                  as_of: date | str | None = None, viewer: Viewer | None = None) -> Scorecard:
        """One rep's KPIs against the team's median and their own previous ``history`` periods, with
        a diagnosis in words (works little but converts well, or works a lot but converts poorly)."""
        from .insights.scorecard import build_scorecard

        return build_scorecard(self.store, rep, period, history=history,
                               as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    def activity_effectiveness(self, period: str | Period = DEFAULT_INSIGHT_PERIOD, *, by: str | None = None,
                               filters: Mapping[str, Sequence[str]] | None = None,
                               as_of: date | str | None = None,
                               viewer: Viewer | None = None) -> ActivityEffectiveness:
        """Per activity type: wins and revenue of the deals that had it, activities per won and per
        lost deal, meeting-to-win and demo-to-win conversion; for everyone, or ``by`` rep or team."""
        from .insights.effectiveness import build_activity_effectiveness

        return build_activity_effectiveness(self.store, period, by=by, filters=filters,
                                            as_of=self._as_of(period, as_of),
                                            viewer=self._who(viewer))

    def funnel(self, period: str | Period = DEFAULT_INSIGHT_PERIOD, *, cohort: bool = False,
               probabilities: Mapping[str, float] | None = None,
               filters: Mapping[str, Sequence[str]] | None = None, as_of: date | str | None = None,
               viewer: Viewer | None = None, by: str | None = None) -> Funnel:
        """Stage-to-stage conversion and time in stage, sales velocity and the weighted pipeline; for
        everyone, or a funnel each ``by`` rep, team or pipeline."""
        from .insights.funnel import build_funnel

        return build_funnel(self.store, period, cohort=cohort, probabilities=probabilities, filters=filters,
                            as_of=self._as_of(period, as_of), viewer=self._who(viewer), by=by)

    def satisfaction(self, period: str | Period = "last-year", *, as_of: date | str | None = None,
                     filters: Mapping[str, Sequence[str]] | None = None,
                     viewer: Viewer | None = None) -> Satisfaction:
        """Average won-deal value of promoters against detractors, with an interval of the ratio."""
        from .insights.satisfaction import build_satisfaction

        return build_satisfaction(self.store, period,
                                  as_of=self._as_of(period, as_of), filters=filters, viewer=self._who(viewer))

    def ramp_cohorts(self, *, as_of: date | str | None = None, viewer: Viewer | None = None) -> RampCohorts:
        """Ramp curves by hire month: attainment by month of tenure, and the share of each cohort
        ramped, against the RAIN Group benchmark of 9 and 15 months."""
        from .insights.ramp import build_ramp_cohorts

        return build_ramp_cohorts(self.store, as_of=self._day(as_of), viewer=self._who(viewer))

    def cycle(self, period: str | Period = DEFAULT_INSIGHT_PERIOD, *, as_of: date | str | None = None,
              filters: Mapping[str, Sequence[str]] | None = None,
              viewer: Viewer | None = None) -> CycleComparison:
        """The sales cycle's average over won deals beside the Kaplan-Meier median that counts the
        deals still open, and why the two differ."""
        from .insights.cycle import compare_cycle

        return compare_cycle(self.store, period, as_of=self._as_of(period, as_of), filters=filters,
                             viewer=self._who(viewer))

    def digest(self, period: str | Period = "last-week", *,
               filters: Mapping[str, Sequence[str]] | None = None, as_of: date | str | None = None,
               viewer: Viewer | None = None) -> Digest:
        """The period's digest as data: every headline KPI beside the period before with its noise
        badge, the targets (off track first), the reps who need attention, the charts' series and the
        significant changes. ``salesmetrics digest`` renders it as HTML or PDF and mails it."""
        from .digest.content import build_digest

        return build_digest(self.store, period, filters=filters,
                            as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    # -- schedules and alerts (digest/): stored in the workspace, sent by a face (documents/) -------
    @_writes
    def add_schedule(self, name: str, *, every: str, period: str | None = None, to: Sequence[str],
                     filters: Mapping[str, Sequence[str]] | None = None, lang: str = "en",
                     fmt: str = "pdf", skip_empty: bool = False, owner: str | None = None) -> Schedule:
        """Mail the digest of ``period`` (read relative to the day it falls due; by default the one
        the cadence ends: last-week, last-month, yesterday) ``every`` "mon 08:00" to ``to``; at most
        once per period (``salesmetrics schedule run-due`` or ``serve`` send it)."""
        from .digest.schedules import add_schedule

        return add_schedule(self.store, name, every=every, period=period, to=to, filters=filters, lang=lang,
                            fmt=fmt, skip_empty=skip_empty, owner=owner)

    @_writes
    def remove_schedule(self, name: str) -> bool:
        from .digest.schedules import remove_schedule

        return remove_schedule(self.store, name)

    def list_schedules(self) -> list[Schedule]:
        """The schedules, each with what it last sent (or tried to), and when."""
        from .digest.schedules import list_schedules

        return list_schedules(self.store)

    @_writes
    def add_alert(self, kpi: str, *, when: str, to: Sequence[str], team: str | None = None,
                  rep: str | None = None, period: str | None = None, lang: str = "en",
                  owner: str | None = None) -> Alert:
        """Tell ``to`` when ``kpi`` (the company's, a team's or a rep's) goes off track or drops
        significantly, and when it is back: once per change of state."""
        from .digest.alerts import add_alert

        return add_alert(self.store, kpi, when=when, to=to, team=team, rep=rep, period=period, lang=lang,
                         owner=owner)

    @_writes
    def remove_alert(self, alert_id: int) -> bool:
        from .digest.alerts import remove_alert

        return remove_alert(self.store, alert_id)

    def list_alerts(self, *, checked: bool = False) -> list[Alert]:
        """The alerts, each with its state and last message. ``checked``: each also checked now, with
        why it cannot be judged (``unjudged``: no target, no figure, ...) where that is so."""
        from .digest.alerts import list_alerts

        return list_alerts(self.store, checked=checked)

    # -- what is ahead (insights/forecast, slippage, losses) --------------------------------------
    def forecast(self, period: str | Period = "this-quarter", *, as_of: date | str | None = None,
                 by: str | None = None, filters: Mapping[str, Sequence[str]] | None = None,
                 viewer: Viewer | None = None, listed: int | None = None) -> Forecast:
        """What the period will close at against quota: closed won, commit, best case, pipeline,
        the weighted forecast, gap and coverage, per rep or team; overdue deals apart.
        ``listed``: list only about so many of the closed-won deals (``unlisted`` says how many
        more there are); the figures stay the same."""
        from .insights.forecast import build_forecast

        return build_forecast(self.store, period, as_of=self._as_of(period, as_of), by=by, filters=filters,
                              viewer=self._who(viewer), listed=listed)

    def forecast_accuracy(self, *, last: int = 4, as_of: date | str | None = None, by: str | None = "rep",
                          filters: Mapping[str, Sequence[str]] | None = None,
                          viewer: Viewer | None = None) -> Accuracy:
        """For the last complete quarters, what the forecast said at their start and middle (as the
        kept history knew it) against what closed, per rep or team."""
        from .insights.forecast import build_accuracy

        return build_accuracy(self.store, last=last,
                              as_of=self._day(as_of), by=by, filters=filters, viewer=self._who(viewer))

    def slippage(self, period: str | Period = "this-quarter", *, as_of: date | str | None = None,
                 filters: Mapping[str, Sequence[str]] | None = None,
                 viewer: Viewer | None = None) -> Slippage:
        """Deals whose expected close date was pushed, and those moved out of the period."""
        from .insights.slippage import build_slippage

        return build_slippage(self.store, period,
                              as_of=self._as_of(period, as_of), filters=filters, viewer=self._who(viewer))

    def losses(self, period: str | Period = DEFAULT_INSIGHT_PERIOD, *, by: str | None = None,
               filters: Mapping[str, Sequence[str]] | None = None, as_of: date | str | None = None,
               viewer: Viewer | None = None) -> Losses:
        """Lost count, value and rate per lost reason, with intervals and the period before."""
        from .insights.losses import build_losses

        return build_losses(self.store, period, by=by, filters=filters,
                            as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    @_writes
    def set_target(self, kpi: str, value: str | Decimal, *, team: str | None = None,
                   rep: str | None = None, period: str | Period | None = None,
                   as_of: date | str | None = None) -> Target:
        """Set the goal for a KPI (the company's, or a team's or rep's), for one period or standing."""
        from .targets import set_target

        span = None if period is None else self.period(period, as_of)
        return set_target(self.store, kpi, value, team=team, rep=rep, period=span)

    @_writes
    def unset_target(self, kpi: str, *, team: str | None = None, rep: str | None = None,
                     period: str | Period | None = None, as_of: date | str | None = None) -> bool:
        from .targets import unset_target

        span = None if period is None else self.period(period, as_of)
        return unset_target(self.store, kpi, team=team, rep=rep, period=span)

    def list_targets(self, kpi: str | None = None, *, viewer: Viewer | None = None) -> list[Target]:
        """The targets set (for ``kpi``), those ``viewer`` may see."""
        from .targets import list_targets

        return list_targets(self.store, kpi, self._who(viewer))

    def target_status(self, period: str | Period = "this-quarter", *, as_of: date | str | None = None,
                      viewer: Viewer | None = None) -> list[TargetStatus]:
        """Every target that applies to ``period`` beside its figure: status (on_track, at_risk,
        off_track), pace to date, and the change from the period before. What a target tile shows."""
        from .target_status import target_statuses

        return target_statuses(self.store, self.period(period, as_of),
                               as_of=self._as_of(period, as_of), viewer=self._who(viewer))

    # -- enablement programs (programs.py: the records; insights/program_effect.py: did it work) ----
    @_writes
    def add_program(self, name: str, *, start: date, end: date | None = None, kind: str | None = None,
                    cost: str | Decimal | None = None, currency: str | None = None,
                    teams: Sequence[str] = (), reps: Sequence[str] = ()) -> Program:
        """Record a program (training, onboarding, playbook, content or tool) and who took part:
        ``teams`` (their reps now) and ``reps`` (ids or full names). One change, one data version."""
        from .programs import add_program

        return add_program(self.store, name, start=start, end=end, kind=kind, cost=cost, currency=currency,
                           teams=teams, reps=reps)

    @_writes
    def change_participants(self, program: str, *, teams: Sequence[str] = (), reps: Sequence[str] = (),
                            withdraw: Sequence[str] = ()) -> tuple[Program, list[str], list[str]]:
        """Enrol ``teams`` and ``reps`` in a program, or ``withdraw`` reps (ids or full names), in
        one change; returns the program now, and the reps enrolled and withdrawn."""
        from .programs import change_participants

        return change_participants(self.store, program, teams=teams, reps=reps, withdraw=withdraw)

    @_writes
    def remove_program(self, program: str) -> Program:
        """Remove a program (by id or name) and its participants; returns what was removed."""
        from .programs import remove_program

        return remove_program(self.store, program)

    def programs(self, viewer: Viewer | None = None) -> list[Program]:
        """Every program, oldest start first, with its participants."""
        from .programs import list_programs

        return list_programs(self.store, self._who(viewer))

    def program(self, program: str, viewer: Viewer | None = None) -> Program:
        """One program by id or name (in any case)."""
        from .programs import find_program

        return find_program(self.store, program, self._who(viewer))

    def program_effect(self, program: str, *, kpis: str | Iterable[str] | None = None, window: int = 90,
                       compare_with: str | None = None, cost: str | Decimal | None = None,
                       as_of: date | str | None = None, viewer: Viewer | None = None) -> ProgramEffect:
        """Did the program work: each KPI's difference in differences (the participants' change
        minus the comparison group's, ``window`` days before and after) with a 95 % interval
        clustered by rep; for onboarding, new hires' months to ramp before and after it."""
        from .insights.program_effect import build_program_effect

        return build_program_effect(self.store, program, kpis=kpis, window=window,
                                    compare_with=compare_with, cost=cost, as_of=self._past_day(as_of),
                                    viewer=self._who(viewer))
