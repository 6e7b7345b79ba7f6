"""When a schedule is due: ``--every "mon 08:00"``, read and stepped through in local time.

``DAYS HH:MM`` where DAYS is ``day`` (every day), ``weekday`` (Monday to Friday), one or more of
``mon``...``sun`` joined by commas (``mon,thu``), or ``month`` (the 1st) / ``month N`` (day N, 1-28).
Times are the workspace's time zone (the ``time_zone`` setting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..errors import SalesmetricsError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NAMES = {
    **{d: d for d in WEEKDAYS},
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), WEEKDAYS,
               strict=True)),
    # German, as the digest speaks it too: Mo, Di, ... and Montag, Dienstag, ...
    **dict(zip(("mo", "di", "mi", "do", "fr", "sa", "so"), WEEKDAYS, strict=True)),
    **dict(zip(("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"), WEEKDAYS,
               strict=True)),
}


class ScheduleError(SalesmetricsError, ValueError):
    """A schedule or alert that cannot be stored as given."""


@dataclass(frozen=True)
class Every:
    text: str  # as normalised: "mon 08:00", "weekday 07:30", "month 15 06:00"
    weekdays: frozenset[int]  # 0 = Monday; empty for monthly
    monthday: int | None
    at: time

    @property
    def period(self) -> str | None:
        """The period a schedule sends when none is given: the one that ends as it falls due (a
        monthly schedule sent last week's digest, and October's last days were never reported).
        None where no period is: on two to four days of a week, a digest is sent once per period,
        and "last-week" would go out on the first of them only."""
        if self.monthday is not None:
            return "last-month"
        if len(self.weekdays) == 1:
            return "last-week"
        return "yesterday" if self.weekdays in (frozenset(range(7)), frozenset(range(5))) else None

    def matches(self, day: date) -> bool:
        if self.monthday is not None:
            return day.day == self.monthday
        return day.weekday() in self.weekdays

    def latest(self, now: datetime) -> datetime:
        """The last time it fell due at or before ``now`` (local, naive)."""
        day = now.date()
        for _ in range(40):  # a month and then some: every rule falls due within it
            moment = datetime.combine(day, self.at)
            if self.matches(day) and moment <= now:
                return moment
            day -= timedelta(days=1)
        raise AssertionError(f"{self.text} never falls due")  # unreachable: parse() checks

    def next_after(self, now: datetime) -> datetime:
        day = now.date()
        for _ in range(40):
            moment = datetime.combine(day, self.at)
            if self.matches(day) and moment > now:
                return moment
            day += timedelta(days=1)
        raise AssertionError(f"{self.text} never falls due")


_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_every(text: str) -> Every:
    parts = text.strip().lower().split()
    hint = ('write e.g. "mon 08:00", "mon,thu 07:30", "weekday 08:00", "day 18:00" or "month 1 06:00"')
    if len(parts) not in (2, 3) or not _TIME.fullmatch(parts[-1]):
        raise ScheduleError(f"--every {text!r}: {hint}")
    hour, minute = (int(x) for x in parts[-1].split(":"))
    at = time(hour, minute)
    days = parts[0]
    if days == "month":
        if len(parts) == 2:
            monthday = 1
        elif parts[1].isdigit() and 1 <= int(parts[1]) <= 28:
            monthday = int(parts[1])
        else:
            raise ScheduleError(f"--every {text!r}: a month's day is 1 to 28 (every month has it)")
        return Every(f"month {monthday} {at:%H:%M}", frozenset(), monthday, at)
    if len(parts) != 2:
        raise ScheduleError(f"--every {text!r}: {hint}")
    if days in ("day", "daily"):
        return Every(f"day {at:%H:%M}", frozenset(range(7)), None, at)
    if days in ("weekday", "weekdays"):
        return Every(f"weekday {at:%H:%M}", frozenset(range(5)), None, at)
    names = [_NAMES.get(d, "") for d in days.split(",") if d]
    if not names or not all(names):
        raise ScheduleError(f"--every {text!r}: days are mon, tue, wed, thu, fri, sat, sun (or day, "
                            f"weekday, month); {hint}")
    chosen = frozenset(WEEKDAYS.index(n) for n in names)
    return Every(f"{','.join(WEEKDAYS[i] for i in sorted(chosen))} {at:%H:%M}", chosen, None, at)
