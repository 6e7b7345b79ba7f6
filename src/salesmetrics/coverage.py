"""Where the records are in time: what a report over a period with no records says instead of a page
of zeros ("records run 2016-10-20 to 2017-12-31: try --period 2017").

A period holds no records when no deal was created or closed, no activity happened and no answer was
given in it (what the viewer may see, without the report's filters: a filter that matches nothing is
another matter). Faces only render the hint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .access import Viewer
from .kpis import compiled
from .kpis.query import Query
from .periods import Period, fiscal_quarter_of, running_as_of, to_come, to_date
from .store import Store


@dataclass(frozen=True)
class PeriodHint:
    """A period that holds no records, where the records are, and a period that holds some."""

    period: Period
    first: date | None  # None: the workspace holds no records at all
    last: date | None
    suggestion: str | None  # a period to try: the fiscal year of the latest record
    # No record is the viewer's to see, though the workspace holds some: a manager whose teams an
    # import left without a rep read "the workspace holds none yet; import them" (a tester).
    unseen: bool = False

    @property
    def outside(self) -> bool:
        """Whether the period lies outside the records' time (or there are none): a figure standing
        across it (deals left open for years) rests on nothing that happened then. A quiet day
        between records is no such period: the deals open on a Sunday are open."""
        return self.first is None or self.last is None or (
            self.period.end <= self.first or self.period.start > self.last)

    def as_json(self) -> dict[str, Any]:
        return {"records_start": self.first, "records_end": self.last,
                "suggested_period": self.suggestion, "records_unseen": self.unseen}


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def period_hint(store: Store, span: Period, viewer: Viewer | None = None,
                as_of: date | None = None) -> PeriodHint | None:
    """None when ``span`` holds a record up to the end of ``as_of`` (what a figure of it measures:
    a running period is taken as of today, and a record dated later in it, a call planned for next
    week, is not yet one); else where the records are and what to try: the records up to the end
    of ``as_of`` (else of today), so the period suggested holds one as the figures count them."""
    measured = span.until(as_of)
    query = Query(records=store.records(viewer), period=measured)
    # Kept compiled like KPIs (kpis/compiled.py): the year before of a dashboard often holds
    # nothing, and a new process then needs no Ibis to say so. Whether the period holds a record
    # is asked first and alone: the tables are kept in time order, so DuckDB reads only the period's
    # part of them (1 ms at 1M deals, where the first and last moment read all 10M activities, 16 ms).
    if compiled.run("period holds records", _inside, query)[0]["inside"]:
        return None
    known = (as_of or store.today()) + timedelta(days=1)  # records dated before it have happened
    found = compiled.run("records first and last", _bounds,
                         replace(query, values=(("until", datetime.combine(known, time.min)),)))[0]
    first, last = _day(found["first"]), _day(found["last"])
    if first is None and viewer is not None and not viewer.sees_everything:
        everyone = replace(query, records=store.records(None),
                           values=(("until", datetime.combine(known, time.min)),))
        if compiled.run("records first and last", _bounds, everyone)[0]["first"] is not None:
            return PeriodHint(measured, None, None, None, unseen=True)
    suggestion = None
    if last is not None:
        suggestion = str(fiscal_quarter_of(last, store.settings.fiscal_year_start)[0])
    return PeriodHint(measured, first, last, suggestion)


@dataclass(frozen=True)
class ClosedAhead:
    """Deals of a running period closed (won or lost) on a day still to come: a running period is
    read to the end of today, so they count once their day has come. A CRM that keeps a deal's
    planned close date when it is marked won (Salesforce does) gave December's revenue 0.00 with
    December's wins on record, and a day ahead held more than its month (a tester)."""

    deals: int
    won: int
    last: date  # the latest close day among them

    def as_json(self) -> dict[str, Any]:
        return {"deals": self.deals, "won": self.won, "last_closed_on": self.last}


def closed_ahead(store: Store, span: Period, filters: Mapping[str, tuple[str, ...]],
                 viewer: Viewer | None = None, as_of: date | None = None) -> ClosedAhead | None:
    """The deals of ``span`` closed after today, where ``span`` runs past today and is read as of
    today (``as_of`` None or today: an earlier day says itself what had happened by then); None
    without any. A period wholly to come is read whole, its deals dated ahead counted."""
    today = store.today()
    if (as_of or today) != today or running_as_of(span, None, today) is None:
        return None
    ahead = Period(today + timedelta(days=1), span.end, "ahead")

    def count() -> ClosedAhead | None:
        query = Query(records=store.records(viewer), period=ahead, filters=dict(filters))
        found = compiled.run("closed ahead", _closed_ahead, query)[0]
        if not found["deals"]:
            return None
        return ClosedAhead(int(found["deals"]), int(found["won"] or 0), _day(found["last"]) or ahead.start)

    # Asked once a view: the dashboard's tiles and leaderboard are reports of the same period.
    key = ("closed ahead", ahead.start, ahead.end, tuple(sorted(filters.items())), viewer)
    found: ClosedAhead | None = store.memo(key, count)
    return found


def _closed_ahead(q: Query) -> Any:
    d = q.deals(amounts=False)
    d = d.filter(d.status.isin(["won", "lost"]) & (d.closed_at >= q.start) & (d.closed_at < q.end))
    return d.aggregate(deals=d.count(), won=d.count(where=d.status == "won"), last=d.closed_at.max())


def still_to_come(store: Store, span: Period, as_of: date | None, viewer: Viewer | None = None) -> bool:
    """Whether ``span`` starts after today (periods.to_come) and holds no record yet: compared with
    nothing. Next quarter's 0 read as a drop of 100 % beside the quarter running (a tester); a
    period of records dated ahead (planned calls, an export's later dates) is compared as any."""
    return to_come(span, as_of, store.today()) and period_hint(store, span, viewer, as_of) is not None


def comparable(store: Store, earlier: Period, span: Period, as_of: date | None) -> Period:
    """``earlier`` (the period before ``span``, or a year before) set beside ``span`` as of
    ``as_of`` (periods.to_date). When the stretch measured ends today, only as far into its last day
    as the records of today go, to the minute: a report at 9:00 on the 2nd held one whole day and
    a night of this month, and was set beside two whole days of the month before."""
    measured = span.until(as_of)
    today = store.today()
    if measured.last_day != today:
        return to_date(earlier, span, as_of)
    # Today's records, else yesterday's (every morning before the first record, the export of last
    # evening): a day further back without a record was a quiet day, not one still to come. Asked
    # of the whole stretch, a quiet week cut it at its last record (December 1st to 5th was set
    # beside September 1st, 00:01, and a deal of September 3rd was left out).
    yesterday = today - timedelta(days=1)
    end = records_end(store, Period(today, today + timedelta(days=1), "today"))
    if end is None:
        end = records_end(store, Period(yesterday, today, "yesterday"))
        if end == datetime.combine(yesterday, time.min) + timedelta(minutes=1):
            # Yesterday's latest record at midnight is a day's (an export of days, 2026-12-06):
            # all of yesterday. Cut at its first minute, a day of the month before was left out
            # but for its midnight, where its records had their times (a win rate's sign turned).
            end = datetime.combine(today, time.min)
    end = end or datetime.combine(today, time.min)
    # No record in the stretch yet (a period of today alone): nothing of the period before either.
    end = max(end, measured.start_at)
    # Never past now: a record dated later today (a call planned for the afternoon, an export in
    # another zone) would set the morning's records beside the whole of the same day before.
    return to_date(earlier, span, as_of, min(end, _next_minute(store.now())))


def _next_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def records_end(store: Store, span: Period) -> datetime | None:
    """The minute after the latest moment of any record in ``span`` (the workspace's, whoever asks:
    how far its records go, not how busy one rep was); None without one."""

    def latest() -> datetime | None:
        query = Query(records=store.records(), period=span)
        last = compiled.run("records latest moment", _latest, query)[0]["last"]
        # To the next whole minute: a record at the very moment counts on both sides, and no one
        # learns more of when the workspace's latest record came than its minute.
        return None if last is None else _next_minute(last)

    found: datetime | None = store.memo(("records end", span), latest)
    return found


def activities_imported(store: Store, span: Period, viewer: Viewer | None = None) -> bool:
    """Whether the viewer may see any activity, of any period: a diagnosis without activities says
    they were not imported rather than comparing zeros. Kept compiled like a KPI (kpis/compiled.py),
    so a view whose SQL is kept needs no Ibis for it (as an Ibis count it was ~10 ms a rep's page,
    and Ibis imported in a new process)."""
    query = Query(records=store.records(viewer), period=span)
    return bool(compiled.run("activities imported", _activities, query)[0]["n"])


def _activities(q: Query) -> Any:
    t = q.records.table("activities")
    return t.aggregate(n=t.count())


def _moments(q: Query) -> Any:
    """One column of moments: every deal created or closed, activity and answer."""
    records = q.records
    deals, activities = records.table("deals"), records.table("activities")
    answers = records.table("nps_responses")
    # Cast alike, since required columns are typed NOT NULL.
    parts = [deals.select(at=deals.created_at.cast("timestamp")),
             deals.filter(deals.closed_at.notnull()).select(at=deals.closed_at.cast("timestamp")),
             activities.select(at=activities.occurred_at.cast("timestamp")),
             answers.select(at=answers.responded_at.cast("timestamp"))]
    return parts[0].union(*parts[1:], distinct=False)


def _inside(q: Query) -> Any:
    moments = _moments(q)
    moments = moments.filter((moments.at >= q.start) & (moments.at < q.end))
    return moments.aggregate(inside=moments.count())


def _latest(q: Query) -> Any:
    moments = _moments(q)
    moments = moments.filter((moments.at >= q.start) & (moments.at < q.end))
    return moments.aggregate(last=moments.at.max())


def _bounds(q: Query) -> Any:
    moments = _moments(q)
    moments = moments.filter(moments.at < q.value("until"))
    return moments.aggregate(first=moments.at.min(), last=moments.at.max())
