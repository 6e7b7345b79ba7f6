"""Periods: half-open ranges ``[start, end)`` of local time in the workspace's time zone.

Accepted forms (see README): ``2026-10`` (month), ``2026-Q3`` (fiscal quarter), ``2026-W47`` (ISO week),
``2026`` (fiscal year), ``2026-10-05`` (a day), ``2026-10-01..2026-10-31`` (end date inclusive, as people
write it), ``last-30-days`` / ``last-N-days`` (N whole days ending with the as-of day), and the relative
``today``, ``this-week``, ``last-week``, ``this-month``, ``last-month``, ``this-quarter``, ``last-quarter``,
``this-year``, ``last-year``; the relative ones also in German (``letzter-monat``, ``dieses-quartal``,
``letzte-30-tage``: :data:`GERMAN_WORDS`), and ISO weeks as ``2026-KW47``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .errors import PeriodError, keyed


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive
    label: str
    # Records end at this moment of the last day rather than at its end: the stretch of an earlier
    # period set beside a period that ends today, as far into its last day as today's records go
    # (to_date). Days (quotas, tests) still count that day whole, as they count today.
    cut_at: datetime | None = None

    @property
    def start_at(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day)

    @property
    def end_at(self) -> datetime:
        if self.cut_at is not None:
            return self.cut_at
        return datetime(self.end.year, self.end.month, self.end.day)

    @property
    def cut_within(self) -> datetime | None:
        """``cut_at`` where it falls within a day (what a label says the time of), else None: cut
        at midnight, the records are those of the days before it, whole."""
        if self.cut_at is None or (self.cut_at.time() == time(0) and self.cut_at.date() > self.start):
            return None
        return self.cut_at

    @property
    def records_last_day(self) -> date:
        """The last day of which records count: what a label names. Before ``last_day`` where the
        records are cut earlier than the days are counted (to_date, records ending before today)."""
        if self.cut_at is None:
            return self.last_day
        if self.cut_within is None:
            return self.cut_at.date() - timedelta(days=1)
        return self.cut_at.date()

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def contains(self, moment: datetime | date) -> bool:
        d = moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day)
        return self.start_at <= d < self.end_at

    def previous(self) -> Period:
        """The period of the same length (or the same calendar unit) just before this one."""
        if _is_month_aligned(self.start) and _is_month_aligned(self.end):
            start = add_months(self.start, -_months_between(self.start, self.end))
        else:
            start = _shift(self.start, -self.days)
        return Period(start, self.start, self._related("before {}", start, self.start))

    def _related(self, words: str, start: date, end: date) -> str:
        # "before 2026-10"; a label that names its own days ("last-week (2026-11-23..2026-11-29)")
        # would lend them to the other period, which then says its own.
        if "(" in self.label or ".." in self.label:
            return f"{start.isoformat()}..{(end - timedelta(days=1)).isoformat()}"
        return words.format(self.label)

    def year_before(self) -> Period:
        """The same stretch of the year one year earlier: months stay months, and a span of whole
        weeks keeps its weekdays (364 days back), so weekly rhythms line up."""
        if _is_month_aligned(self.start) and _is_month_aligned(self.end):
            start, end = add_months(self.start, -12), add_months(self.end, -12)
        elif self.days % 7 == 0 and self.start.weekday() == 0:
            start, end = _shift(self.start, -364), _shift(self.end, -364)
        else:
            start, end = _minus_year(self.start), _minus_year(self.end)
        return Period(start, end, self._related("{} a year before", start, end))

    def within(self, other: Period) -> Period:
        """This period cut to ``other`` (a time bucket sticking out of the period it was counted in)."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        if end <= start:
            raise PeriodError(f"{self.label} does not overlap {other.label}")
        # A bucket ending where a cut period ends ends at its cut.
        cut = other.cut_at if end == other.end else self.cut_at if end == self.end else None
        if (start, end, cut) == (self.start, self.end, self.cut_at):
            return self
        return Period(start, end, f"{start.isoformat()}..{(end - timedelta(days=1)).isoformat()}", cut)

    def until(self, as_of: date | None) -> Period:
        """The period as it stood at the end of ``as_of``: cut there when it runs past that day.

        Nothing after ``as_of`` had happened then, so a period starting later is refused rather
        than shown as zeros."""
        if as_of is not None:
            check_day(as_of, "as of")
        if as_of is None or self.end <= as_of + timedelta(days=1):
            return self
        if as_of < self.start:
            raise keyed(PeriodError(f"{self.label} starts after {as_of.isoformat()}, the day the figures "
                                    "are taken as of: nothing in it had happened yet"),
                        "period_after_as_of", period=self.label, as_of=as_of.isoformat())
        return Period(self.start, as_of + timedelta(days=1),
                      f"{self.start.isoformat()}..{as_of.isoformat()}")

    def as_json(self) -> dict[str, str]:
        out = {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.cut_at is not None:
            out["cut_at"] = self.cut_at.isoformat()
        return out


class Measured:
    """An answer about ``period`` taken as of a day: the stretch its figures cover, said the same
    way by every answer (README, "As of a day"). For dataclasses with ``period`` and ``as_of``."""

    period: Period
    as_of: date | None

    @property
    def measured(self) -> Period:
        """The period, cut at the end of ``as_of`` if it runs past that day."""
        return self.period.until(self.as_of)

    def as_of_json(self) -> dict[str, Any]:
        """``as_of`` and ``measured_period`` for the answer's JSON; nothing without an as-of day."""
        if self.as_of is None:
            return {}
        return {"as_of": self.as_of, "measured_period": self.measured.as_json()}


def running_as_of(span: Period, as_of: date | None, today: date) -> date | None:
    """``as_of``, or without one, ``today`` (Store.today: the workspace's) for a period still running: its
    figures are as they stand today, and it is compared with the same stretch of the period before
    (:func:`to_date`), not with the whole of it. The first two days of December against all of
    November read as an 85 % drop, and a monthly alert fired at the start of every month."""
    if as_of is not None:
        return as_of
    return today if span.start <= today and today + timedelta(days=1) < span.end else None


def to_come(span: Period, as_of: date | None, today: date) -> bool:
    """Whether ``span`` starts after today (asked without an as-of day, which refuses such a
    period, Period.until): nothing in it has happened, so it is compared with nothing. Beside the
    quarter running, next quarter's 0 read as a significant drop of 100 % (a tester)."""
    return as_of is None and span.start > today


def to_date(earlier: Period, span: Period, as_of: date | None, records_end: datetime | None = None) -> Period:
    """``earlier`` (the period before ``span``, or the same period a year before) cut as far into
    it as ``as_of`` cuts ``span``: the first 46 days of the quarter before beside the first 46 days
    of this one, so a running period is compared like for like, not with a whole period.

    ``records_end``: where the records of a period ending today end (coverage.comparable), a
    moment of it (its start: none yet); ``earlier`` is then cut as far into its days, to the
    minute. Today is not over: the records of its morning beside the whole of the same day before
    read as a drop every morning."""
    measured = span.until(as_of)
    if records_end is not None and measured.start_at <= records_end < measured.end_at:
        cut = earlier.start_at + (records_end - measured.start_at)
        # A shorter period (February beside March 30) is over before that: whole, as by days.
        if cut >= earlier.end_at:
            return earlier
        # Days (quotas) count as many on both sides: today's whole, though the records end
        # yesterday evening (no record of today yet, as every morning before the first), so the
        # day of the period before that stands for it counts too. Its quota beside six days'
        # otherwise read as a drop of 100 points in the quota attainment of a week.
        found = _cut(earlier, cut)
        days_end = min(earlier.end, earlier.start + timedelta(days=measured.days))
        return replace(found, end=days_end) if days_end > found.end else found
    if measured is span:
        return earlier
    end = min(earlier.end, earlier.start + (measured.end - measured.start))
    if end == earlier.end:
        return earlier
    return stretch(earlier.start, end)


def _cut(period: Period, at: datetime) -> Period:
    """``period`` up to the moment ``at`` in it (at midnight: the days before it, whole). Its
    ``cut_at`` is kept even then: it says the period is set beside records that end at a moment,
    so a change is tested over the same stretch of time on both sides (report.build_report)."""
    day = at.date()
    if at.time() == time(0) and day > period.start:
        return stretch(period.start, day, at)
    return stretch(period.start, day + timedelta(days=1), at)


def stretch(start: date, end: date, cut_at: datetime | None = None) -> Period:
    """The days ``[start, end)``, its records cut at ``cut_at``, labelled as a custom period is
    written: ``2026-11-01..2026-11-04``, one day alone, and the time where the cut falls within
    a day (``2026-11-01..2026-11-04 18:59``)."""
    unlabelled = Period(start, end, "", cut_at)
    last = unlabelled.records_last_day
    label = start.isoformat() if last == start else f"{start.isoformat()}..{last.isoformat()}"
    if unlabelled.cut_within is not None:
        label += f" {unlabelled.cut_within:%H:%M}"
    return replace(unlabelled, label=label)


def end_of(day: date) -> datetime:
    """The moment a day ends (the next one starts): what ``--as-of DAY`` includes, and the moment
    money is converted as of for a view of that day."""
    return datetime.combine(day + timedelta(days=1), time.min)


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    if not 1 <= index // 12 <= 9999:
        raise _beyond_calendar(d)
    return date(index // 12, index % 12 + 1, 1)


def _minus_year(d: date) -> date:
    if d.year == 1:
        raise _beyond_calendar(d)
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


# The days a period (and an as-of day) may cover. Python's dates end at 9999-12-31 and begin at
# 0001-01-01; every face also looks around a period (the period before, a year before, a
# scorecard's earlier periods, trend buckets aligned to whole weeks and quarters), so a period must
# leave room on both sides. A millennium on each side is more than any of them needs, and no sales
# record is older than year 1000.
FIRST_DAY = date(1000, 1, 1)
LAST_DAY = date(8999, 12, 31)


class _BeyondCalendar(PeriodError):
    """A period whose arithmetic left the calendar; :func:`parse_period` names the period."""


def _beyond_calendar(d: date) -> PeriodError:
    return keyed(_BeyondCalendar(f"the period reaches beyond the calendar near {d.isoformat()}; periods "
                                 f"run from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"),
                 "period_calendar_edge", day=d.isoformat(), first=FIRST_DAY.isoformat(),
                 last=LAST_DAY.isoformat())


def _shift(d: date, days: int) -> date:
    """``d`` moved by ``days``, or a PeriodError where that leaves the calendar (not an OverflowError
    that would reach the reader as a server error)."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise _beyond_calendar(d) from None


def check_day(day: date, what: str = "the period") -> date:
    """``day`` if it lies in the days periods may cover, else a PeriodError saying which."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise keyed(PeriodError(f"{what} {day.isoformat()} is outside the days salesmetrics reads: "
                                f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"),
                    "day_beyond_calendar", what=what, day=day.isoformat(), first=FIRST_DAY.isoformat(),
                    last=LAST_DAY.isoformat())
    return day


def _checked(period: Period, raw: str) -> Period:
    if period.start < FIRST_DAY or period.end > LAST_DAY + timedelta(days=1):
        raise _outside(raw)
    return period


def _outside(raw: str) -> PeriodError:
    return keyed(PeriodError(f"{raw!r} is outside the days salesmetrics reads: {FIRST_DAY.isoformat()} "
                             f"to {LAST_DAY.isoformat()}"),
                 "period_beyond_calendar", period=raw, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str, what: str = "as_of", *, dotted_too: bool = True) -> date:
    """A day written ``YYYY-MM-DD`` or, as German speakers write it and a period takes it,
    ``DD.MM.YYYY`` (an as-of day): nothing else, so ``0`` is not read as 1970-01-01 as a Unix time
    would be. ``dotted_too=False``: ISO alone (the API's date parameters, which its schema types)."""
    raw = text.strip()
    dotted = _DOTTED.fullmatch(raw) if dotted_too else None
    if not _DAY.fullmatch(raw) and not dotted_too:
        raise keyed(PeriodError(f"{what} {text!r} is not a date; write YYYY-MM-DD, such as 2026-10-15"),
                    "day_not_iso", what=what, text=text)
    if not _DAY.fullmatch(raw) and not dotted:
        raise keyed(PeriodError(f"{what} {text!r} is not a date; write YYYY-MM-DD (or DD.MM.YYYY), "
                                "such as 2026-10-15"),
                    "day_not_a_date", what=what, text=text)
    try:
        day = date(int(dotted[3]), int(dotted[2]), int(dotted[1])) if dotted else date.fromisoformat(raw)
    except ValueError:
        raise keyed(PeriodError(f"{what} {text!r} is not a day of the calendar"), "day_not_in_calendar",
                    what=what, text=text) from None
    return check_day(day, what)


def as_day(value: date | str | None, what: str = "as_of") -> date | None:
    """An as-of day given from Python: a date, the day of a datetime (as written: the workspace
    puts one with a zone in its own first), or text as parse_day reads it; anything else is
    refused by name rather than failing later in a comparison."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_day(value, what)
    raise PeriodError(f"{what} must be a date or text YYYY-MM-DD, such as 2026-10-15; "
                      f"got {type(value).__name__} {value!r}")


def _is_month_aligned(d: date) -> bool:
    return d.day == 1


def _months_between(a: date, b: date) -> int:
    return (b.year * 12 + b.month) - (a.year * 12 + a.month)


def fiscal_quarter_start(year: int, quarter: int, fiscal_year_start: int) -> date:
    """Start of fiscal quarter ``quarter`` of fiscal year ``year``.

    A fiscal year is named by the calendar year in which it starts: with a fiscal year starting in
    April, 2026-Q1 is April to June 2026 and 2026-Q4 is January to March 2027.
    """
    return add_months(date(year, fiscal_year_start, 1), 3 * (quarter - 1))


def fiscal_quarter_of(d: date, fiscal_year_start: int) -> tuple[int, int]:
    shifted = add_months(date(d.year, d.month, 1), -(fiscal_year_start - 1))
    return shifted.year, (shifted.month - 1) // 3 + 1


_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_WEEK = re.compile(r"(\d{4})-(?:w|kw)(\d{1,2})")  # 2026-W47, and as Germans write it, 2026-KW47
_YEAR = re.compile(r"(\d{4})")
_LAST_DAYS = re.compile(r"(?:last-(\d+)-days?|letzten?-(\d+)-tage?)")
# The relative periods as German speakers write them, for every face (--period, ?period=, Python).
GERMAN_WORDS = {
    "heute": "today", "gestern": "yesterday", "diese-woche": "this-week", "letzte-woche": "last-week",
    "dieser-monat": "this-month", "diesen-monat": "this-month", "letzter-monat": "last-month",
    "letzten-monat": "last-month", "vormonat": "last-month", "dieses-quartal": "this-quarter",
    "letztes-quartal": "last-quarter", "vorquartal": "last-quarter", "dieses-jahr": "this-year",
    "letztes-jahr": "last-year", "vorjahr": "last-year",
    # What comes next, as a forecast is asked for (a tester found no next quarter to ask about).
    "morgen": "tomorrow", "nächste-woche": "next-week", "naechste-woche": "next-week",
    "nächster-monat": "next-month", "nächsten-monat": "next-month", "naechster-monat": "next-month",
    "nächstes-quartal": "next-quarter", "naechstes-quartal": "next-quarter",
    "nächstes-jahr": "next-year", "naechstes-jahr": "next-year",
}
GERMAN_LAST_DAYS = "letzte-{n}-tage"
# The German a German page writes a relative period in (the first of GERMAN_WORDS for each).
AS_GERMANS_WRITE = {english: german for german, english in reversed(GERMAN_WORDS.items())}


def written_for(text: str, lang: str) -> str:
    """A period as typed, written as a reader of ``lang`` types it: ``letzter-monat`` for
    ``last-month`` on a German page (its field showed the English word); anything else as it is."""
    if not lang.lower().startswith("de"):
        return text
    s = text.strip().lower()
    if days := re.fullmatch(r"last-(\d+)-days?", s):
        return GERMAN_LAST_DAYS.format(n=days[1])
    return AS_GERMANS_WRITE.get(s, text)


# A day as German speakers write it (31.10.2026): typed into --period first (a tester).
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _date(text: str, whole: str) -> date:
    try:
        if m := _DOTTED.fullmatch(text.strip()):
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(text.strip())
    except ValueError:
        raise keyed(PeriodError(f"{whole!r}: {text.strip()!r} is not a date (use YYYY-MM-DD or "
                                "DD.MM.YYYY)"),
                    "period_not_a_date", period=whole, text=text.strip()) from None


# What every face shows when no period is asked for: the last whole month, a period a sales leader
# reviews and that the month before can be compared with. The insights, which need more records to
# say anything, default to the last quarter.
DEFAULT_PERIOD = "last-month"
DEFAULT_INSIGHT_PERIOD = "last-quarter"


def resolve_period(period: str | Period, *, as_of: date | None = None, fiscal_year_start: int = 1) -> Period:
    """A :class:`Period` as it is, or read from text (:func:`parse_period`); from Python also a year
    (``2026``) or a day (``date(2026, 9, 1)``), as their text is read."""
    if isinstance(period, Period):
        return period
    if isinstance(period, (int, date)) and not isinstance(period, bool):
        day = period.date() if isinstance(period, datetime) else period  # a moment: its day
        period = str(day) if isinstance(day, int) else day.isoformat()
    elif not isinstance(period, str):
        raise keyed(PeriodError(
            f"cannot read period {period!r}; write e.g. 2026-10, 2026-Q3, 2026-W47, 2026, "
            "2026-10-01..2026-10-31, last-30-days, this-month or last-quarter"
        ), "period_unreadable", period=period)
    return parse_period(period, as_of=as_of, fiscal_year_start=fiscal_year_start)


def parse_period(text: str, *, as_of: date | None = None, fiscal_year_start: int = 1) -> Period:
    """Read a period as users write it. ``as_of`` anchors relative periods (default: today on this
    machine's clock; a workspace reads them from its own today, Store.period).
    A period outside the days salesmetrics reads (:data:`FIRST_DAY` to :data:`LAST_DAY`) is a
    :class:`PeriodError`, as is one too long to represent (``last-999999-days``)."""
    raw = text.strip()
    if as_of is not None:
        check_day(as_of, "as of")
    try:
        return _checked(_parse(raw, as_of, fiscal_year_start), raw)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, PeriodError) and not isinstance(exc, _BeyondCalendar):
            raise
        # Years past 9999, or before year 1: nothing the calendar holds.
        raise _outside(raw) from None


def is_over(span: Period, as_of: date | None, today: date) -> bool:
    """Whether nothing more can happen in ``span``: as of the end of a day on or after its last,
    or, with no as-of day (or as of today, which is not over either), once its last day has passed
    (on the last day itself a deal may still close: a month read "missed" at 9 a.m. on the 31st)."""
    if as_of is not None and as_of < today:
        return as_of >= span.last_day
    return today > span.last_day


def rolling(text: str) -> bool:
    """Whether ``text`` is a stretch of the last N days: each day's overlaps the day before's, so
    it is one period moving on, not a new one each day (an alert keeps its state across them)."""
    s = "-".join(text.strip().lower().split())
    return _LAST_DAYS.fullmatch(s) is not None


# Two days joined by a dash or an en dash (U+2013), as people write a stretch (01.10.2026 - 31.10.2026,
# 2026-10-01 - 2026-10-31): read as A..B (a tester typed them first). ISO days need spaces or an en
# dash around it, their own dashes aside.
_DASHED = (re.compile(r"\s*(\d{1,2}\.\d{1,2}\.\d{4})\s*[-\u2013]\s*(\d{1,2}\.\d{1,2}\.\d{4})\s*"),
           re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?:\s+[-\u2013]\s+|\s*\u2013\s*)(\d{4}-\d{2}-\d{2})\s*"))


# A relative period's label as an answer gives it ("last-month (2025-12-01..2025-12-31)"): a script
# passing it back was refused; its days are the period, whenever it is asked again.
_LABELLED = re.compile(r"\s*[a-z]+(?:-[a-z0-9]+)* \((\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})\)\s*", re.I)


def _parse(raw: str, as_of: date | None, fiscal_year_start: int) -> Period:
    if m := _LABELLED.fullmatch(raw):
        raw = f"{m[1]}..{m[2]}"
    for dashed in _DASHED:
        if m := dashed.fullmatch(raw):
            start, last = _date(m[1], raw), _date(m[2], raw)
            if last < start:
                raise keyed(PeriodError(f"{raw!r}: the end date is before the start date"),
                            "period_end_before_start", period=raw)
            return Period(start, last + timedelta(days=1), f"{start}..{last}")
    s = raw.lower()
    if ".." not in s:  # "last month", "letzter Monat", "last 30 days": as people type them
        s = "-".join(s.split())
    s = GERMAN_WORDS.get(s, s)
    today = as_of or date.today()
    fy = fiscal_year_start

    if ".." in s:
        left, _, right = s.partition("..")
        start, last = _date(left, raw), _date(right, raw)
        if last < start:
            raise keyed(PeriodError(f"{raw!r}: the end date is before the start date"),
                        "period_end_before_start", period=raw)
        # Labelled as written where it was ISO dates; in ISO where it was not, so the label is a
        # period to pass back (and the same for 01.10.2026..31.10.2026 and 2026-10-01..2026-10-31).
        label = raw if not any(_DOTTED.fullmatch(x.strip()) for x in (left, right)) else f"{start}..{last}"
        return Period(start, last + timedelta(days=1), label)
    if m := _QUARTER.fullmatch(s):
        year, q = int(m[1]), int(m[2])
        start = fiscal_quarter_start(year, q, fy)
        return Period(start, add_months(start, 3), f"{year}-Q{q}")
    if m := _WEEK.fullmatch(s):
        year, week = int(m[1]), int(m[2])
        try:
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise keyed(PeriodError(f"{raw!r}: {year} has no ISO week {week}"), "period_no_week",
                        period=raw, year=year, week=week) from None
        return Period(start, start + timedelta(days=7), f"{year}-W{week:02d}")
    if m := _MONTH.fullmatch(s):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise keyed(PeriodError(f"{raw!r}: there is no month {month}"), "period_no_month",
                        period=raw, month=month)
        start = date(year, month, 1)
        return Period(start, add_months(start, 1), f"{year}-{month:02d}")
    if m := _YEAR.fullmatch(s):
        start = date(int(m[1]), fy, 1)
        return Period(start, add_months(start, 12), m[1])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) or _DOTTED.fullmatch(s):
        day = _date(s, raw)
        return Period(day, day + timedelta(days=1), day.isoformat())
    if m := _LAST_DAYS.fullmatch(s):
        n = int(m[1] or m[2])
        if n < 1:
            raise keyed(PeriodError(f"{raw!r}: the number of days must be at least 1"),
                        "period_days_at_least_one", period=raw)
        end = today + timedelta(days=1)
        return Period(end - timedelta(days=n), end, f"last {n} days to {today.isoformat()}")
    return _relative(s, raw, today, fy)


def _relative(s: str, raw: str, today: date, fy: int) -> Period:
    month_start = date(today.year, today.month, 1)
    week_start = today - timedelta(days=today.weekday())
    q_year, q = fiscal_quarter_of(today, fy)
    quarter_start = fiscal_quarter_start(q_year, q, fy)
    year_start = add_months(date(today.year, fy, 1), -12 if today.month < fy else 0)
    spans: dict[str, tuple[date, date]] = {
        "today": (today, today + timedelta(days=1)),
        "yesterday": (today - timedelta(days=1), today),
        "this-week": (week_start, week_start + timedelta(days=7)),
        "last-week": (week_start - timedelta(days=7), week_start),
        "this-month": (month_start, add_months(month_start, 1)),
        "last-month": (add_months(month_start, -1), month_start),
        "this-quarter": (quarter_start, add_months(quarter_start, 3)),
        "last-quarter": (add_months(quarter_start, -3), quarter_start),
        "this-year": (year_start, add_months(year_start, 12)),
        "last-year": (add_months(year_start, -12), year_start),
        "tomorrow": (today + timedelta(days=1), today + timedelta(days=2)),
        "next-week": (week_start + timedelta(days=7), week_start + timedelta(days=14)),
        "next-month": (add_months(month_start, 1), add_months(month_start, 2)),
        "next-quarter": (add_months(quarter_start, 3), add_months(quarter_start, 6)),
        "next-year": (add_months(year_start, 12), add_months(year_start, 24)),
    }
    if s in spans:
        start, end = spans[s]
        return Period(start, end, f"{s} ({start.isoformat()}..{(end - timedelta(days=1)).isoformat()})")
    raise keyed(PeriodError(
        f"cannot read period {raw!r}; write e.g. 2026-10, 2026-Q3, 2026-W47, 2026, "
        "2026-10-01..2026-10-31 (or 01.10.2026..31.10.2026), last-30-days, this-month or last-quarter"
    ), "period_unreadable", period=raw)
