"""Periods as users write them, through the CLI's JSON (period start/end) and the Python API."""

from __future__ import annotations

from datetime import date

import pytest

from salesmetrics import PeriodError, parse_period

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "fy", "start", "end"),
    [
        ("2026-10", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("2026-12", 1, date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-Q3", 1, date(2026, 7, 1), date(2026, 10, 1)),
        ("2026-q4", 1, date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-Q1", 4, date(2026, 4, 1), date(2026, 7, 1)),  # fiscal year from April
        ("2026-Q4", 4, date(2027, 1, 1), date(2027, 4, 1)),
        ("2026-W47", 1, date(2026, 11, 16), date(2026, 11, 23)),
        ("2026-W01", 1, date(2025, 12, 29), date(2026, 1, 5)),  # ISO week 1 starts in December
        ("2026-W53", 1, date(2026, 12, 28), date(2027, 1, 4)),  # 2026 has 53 ISO weeks
        ("2026", 1, date(2026, 1, 1), date(2027, 1, 1)),
        ("2026", 7, date(2026, 7, 1), date(2027, 7, 1)),
        ("2026-10-05", 1, date(2026, 10, 5), date(2026, 10, 6)),
        ("2026-10-01..2026-10-31", 1, date(2026, 10, 1), date(2026, 11, 1)),
        # As German speakers write days: typed into --period first (a tester).
        ("01.10.2026..31.10.2026", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("5.10.2026", 1, date(2026, 10, 5), date(2026, 10, 6)),
        ("01.10.2026..2026-10-31", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("01.10.2026 - 31.10.2026", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("01.10.2026-31.10.2026", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("1.10.2026 \u2013 31.10.2026", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("2026-10-01 - 2026-10-31", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("2026-10-01\u20132026-10-31", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("last-30-days", 1, date(2026, 10, 27), date(2026, 11, 26)),
        ("last-1-day", 1, date(2026, 11, 25), date(2026, 11, 26)),
        ("today", 1, date(2026, 11, 25), date(2026, 11, 26)),
        ("yesterday", 1, date(2026, 11, 24), date(2026, 11, 25)),
        ("this-week", 1, date(2026, 11, 23), date(2026, 11, 30)),
        ("last-week", 1, date(2026, 11, 16), date(2026, 11, 23)),
        ("this-month", 1, date(2026, 11, 1), date(2026, 12, 1)),
        ("last-month", 1, date(2026, 10, 1), date(2026, 11, 1)),
        ("this-quarter", 1, date(2026, 10, 1), date(2027, 1, 1)),
        ("last-quarter", 1, date(2026, 7, 1), date(2026, 10, 1)),
        ("last-quarter", 2, date(2026, 8, 1), date(2026, 11, 1)),  # Nov-Jan is this quarter
        ("this-year", 1, date(2026, 1, 1), date(2027, 1, 1)),
        ("this-year", 12, date(2025, 12, 1), date(2026, 12, 1)),
        ("last-year", 1, date(2025, 1, 1), date(2026, 1, 1)),
    ],
)
def test_period_forms(text: str, fy: int, start: date, end: date) -> None:
    p = parse_period(text, as_of=TODAY, fiscal_year_start=fy)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "no month 13"),
        ("2026-Q5", "cannot read period"),
        ("2025-W53", "has no ISO week 53"),
        ("2026-10-31..2026-10-01", "end date is before the start date"),
        ("2026-10-01..tomorrow", "'tomorrow' is not a date"),
        ("2026-02-30", "not a date"),
        ("30.02.2026", "not a date"),
        ("01.10.26..31.10.26", "'01.10.26' is not a date"),
        ("31.10.2026 - 01.10.2026", "end date is before the start date"),
        ("2026-10-01-2026-10-31", "cannot read period"),
        ("last-0-days", "at least 1"),
        ("next-fortnight", "cannot read period 'next-fortnight'"),
        ("", "cannot read period"),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text, as_of=TODAY)


def test_a_day_written_day_first_is_labelled_as_a_period_to_pass_back() -> None:
    assert parse_period("01.10.2026..31.10.2026").label == "2026-10-01..2026-10-31"
    assert parse_period("5.10.2026").label == "2026-10-05"
    assert parse_period("01.10.2026 - 31.10.2026").label == "2026-10-01..2026-10-31"
    assert parse_period(parse_period("01.10.2026..31.10.2026").label).end == date(2026, 11, 1)


def test_a_relative_period_s_label_is_a_period_to_pass_back() -> None:
    """An answer labels last month "last-month (2025-12-01..2025-12-31)"; a script passing that back
    was refused. Its days are the period, asked in March as in January."""
    label = parse_period("last-month", as_of=date(2026, 1, 15)).label
    assert label == "last-month (2025-12-01..2025-12-31)"
    again = parse_period(label, as_of=date(2026, 3, 15))
    assert (again.start, again.end) == (date(2025, 12, 1), date(2026, 1, 1))
    assert again.label == "2025-12-01..2025-12-31"
    with pytest.raises(PeriodError, match="end date is before the start date"):
        parse_period("last-month (2025-12-31..2025-12-01)")


def test_what_comes_next_is_a_period_too() -> None:
    """A forecast is asked of the next quarter: there was none to write (a tester)."""
    day = date(2026, 12, 7)
    asked = ("next-quarter", "nächstes Quartal", "next-month", "Nächster Monat", "next-week", "next-year",
             "morgen")
    assert [(p.start, p.end) for p in (parse_period(t, as_of=day) for t in asked)] == [
        (date(2027, 1, 1), date(2027, 4, 1)), (date(2027, 1, 1), date(2027, 4, 1)),
        (date(2027, 1, 1), date(2027, 2, 1)), (date(2027, 1, 1), date(2027, 2, 1)),
        (date(2026, 12, 14), date(2026, 12, 21)), (date(2027, 1, 1), date(2028, 1, 1)),
        (date(2026, 12, 8), date(2026, 12, 9))]
    # A fiscal year from April: its next quarter from today's.
    assert parse_period("next-quarter", as_of=day, fiscal_year_start=4).start == date(2027, 1, 1)
    assert parse_period("next-year", as_of=day, fiscal_year_start=4).start == date(2027, 4, 1)


def test_previous_period() -> None:
    assert parse_period("2026-Q1").previous().start == date(2025, 10, 1)
    assert parse_period("2026-03").previous().start == date(2026, 2, 1)
    week = parse_period("2026-W47").previous()
    assert (week.start, week.end) == (date(2026, 11, 9), date(2026, 11, 16))


def test_the_period_before_names_its_own_days() -> None:
    """The digest of last week said 'before last-week (2026-11-23..2026-11-29)' for 16-22 November:
    a label naming its own days lent them to the period before."""
    week = parse_period("last-week", as_of=date(2026, 12, 2))
    assert week.label == "last-week (2026-11-23..2026-11-29)"
    assert week.previous().label == "2026-11-16..2026-11-22"
    assert week.year_before().label == "2025-11-24..2025-11-30"
    assert parse_period("2026-10").previous().label == "before 2026-10"
    assert parse_period("2026-10").year_before().label == "2026-10 a year before"


def test_a_stretch_is_labelled_as_a_custom_period_is_typed() -> None:
    """The stretch set beside a running period (periods.to_date) and the trend's line before
    (dashboard._beside) share one label: a day alone, days as START..LAST, and the time of a cut
    within a day. A one-day cut read "2026-11-01..2026-11-01 18:59" before they shared it."""
    from datetime import date, datetime

    from salesmetrics.periods import stretch

    assert stretch(date(2026, 11, 1), date(2026, 11, 5)).label == "2026-11-01..2026-11-04"
    assert stretch(date(2026, 11, 1), date(2026, 11, 2)).label == "2026-11-01"
    cut = stretch(date(2026, 11, 1), date(2026, 11, 2), datetime(2026, 11, 1, 18, 59))
    assert (cut.label, cut.cut_at) == ("2026-11-01 18:59", datetime(2026, 11, 1, 18, 59))
    # Cut at a midnight: the days before it, whole, named without a time.
    midnight = stretch(date(2026, 11, 1), date(2026, 11, 5), datetime(2026, 11, 5))
    assert midnight.label == "2026-11-01..2026-11-04"
    assert parse_period("2026-11-01..2026-11-04").days == 4  # the label reads back as the same days


def test_relative_periods_are_read_as_people_type_them() -> None:
    # "last month" was refused with the list of forms; the dashes are the only difference.
    from datetime import date

    day = date(2026, 12, 5)
    for typed, meant in (("last month", "last-month"), ("Letzter Monat", "last-month"),
                         ("last 30 days", "last-30-days"), ("this  quarter", "this-quarter")):
        found, expected = parse_period(typed, as_of=day), parse_period(meant, as_of=day)
        assert (found.start, found.end) == (expected.start, expected.end), typed
    with pytest.raises(PeriodError, match="cannot read period 'last moth'"):
        parse_period("last moth", as_of=day)
