"""Collecting problems: every check adds to one log, which keeps the first few and counts all."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from ...errors import ImportValidationError, Problem, Repeated
from .values import NOT_A_NUMBER, ONE_OF

MAX_REPORTED = 50
# The same problem on this many lines of a file's column or more is said once (errors.Repeated),
# with its values, most frequent first: 50 lines of "rep7 not found in reps" hid which reps to add.
REPEATED_FROM = 4
VALUES_SHOWN = 20
EXAMPLES = REPEATED_FROM - 1  # lines of a repeated problem still listed one by one (the API's)
_NAMES = "_file, _line, _rank, _column, _value, _message"


@dataclass
class ProblemLog:
    """Problems of one import, reported in file, line and column order.

    ``files`` maps the file index used in staging tables (``_file``) to the name shown to the user;
    ``labels`` a file's canonical column names to its own, so an export's problems name the column
    the user sees in it ("Deal - Value", not amount); ``advice`` adds to a column's problems the ways
    out its mapping knows (``Mapping.advice``).
    """

    files: list[str]
    total: int = 0
    labels: dict[int, dict[str, str]] = field(default_factory=dict)
    advice: dict[int, dict[str, str]] = field(default_factory=dict)
    _kept: list[tuple[int, int, int, int, Problem]] = field(default_factory=list)
    repeated: list[Repeated] = field(default_factory=list)

    def add(self, file_index: int, problem: Problem) -> None:
        self.total += 1
        self._keep(file_index, 0, problem)

    def add_query(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        """Log the rows of ``sql``: ``(_file, _line, rank, column, value, message)``, where rank
        orders the problems of one line.

        Only the first MAX_REPORTED rows come back to Python, so a file where every row is wrong
        costs one count, not a million objects.
        """
        rows = con.execute(
            f"SELECT *, count(*) OVER () FROM ({sql}) ORDER BY 1, 2, 3 LIMIT {MAX_REPORTED}"
        ).fetchall()
        if not rows:
            return
        found = int(rows[0][-1])
        self.total += found
        grouped = self._group(con, sql) if found >= REPEATED_FROM else set()
        if grouped and found > len(rows):
            # The first MAX_REPORTED may all be one group's lines, which are said once: EXAMPLES
            # lines a problem alike, and the room left to the others (a bad amount further down).
            rows = con.execute(
                f"SELECT * EXCLUDE (_nth) FROM (SELECT *, 0, row_number() OVER (PARTITION BY _file, "
                f"_column, _message ORDER BY _line, _rank) AS _nth FROM ({sql}) AS q({_NAMES})) "
                f"WHERE _nth <= {EXAMPLES} ORDER BY 1, 2, 3 LIMIT {MAX_REPORTED}"
            ).fetchall()
        seen: Counter[tuple[int, str, str]] = Counter()
        for file_index, line, rank, column, value, message, _ in rows:
            key = (file_index, column, message)
            if key in grouped:
                seen[key] += 1
                if seen[key] > EXAMPLES:
                    continue
            shown = self.labels.get(file_index, {}).get(column, column)
            said = self._advised(file_index, column, refined(message, value))
            self._keep(file_index, rank, Problem(self.files[file_index], line, shown, value, said))

    def _group(self, con: duckdb.DuckDBPyConnection, sql: str) -> set[tuple[int, str, str]]:
        """The problems of ``sql`` alike on REPEATED_FROM lines or more, each group with its most
        frequent values (asked only of a check that found that many); their keys."""
        found = con.execute(
            f"WITH p AS (SELECT * FROM ({sql}) AS q({_NAMES})), "
            "v AS (SELECT _file, _column, _message, _value, count(*) AS n, min(_line) AS first "
            "      FROM p GROUP BY ALL) "
            # count(*): an empty value is one of the values too
            "SELECT _file, _column, _message, sum(n)::BIGINT, min(first), count(*), "
            f"       list(_value ORDER BY n DESC, first)[1:{VALUES_SHOWN + 1}] "
            f"FROM v GROUP BY ALL HAVING sum(n) >= {REPEATED_FROM}"
        ).fetchall()
        for file_index, column, message, lines, first, distinct, values in found:
            shown = self.labels.get(file_index, {}).get(column, column)
            # Said of its values as a single line's is, where all of them say the same (2025-02-30 x 5).
            said = {refined(message, v) for v in values if v is not None}
            every = distinct == len(values)
            worded = said.pop() if len(said) == 1 and every else message
            if every and all(v is not None and _FOUR_DIGITS.search(v) for v in values):
                worded = without_year_hint(worded)
            worded = self._advised(file_index, column, worded)
            group = Repeated(self.files[file_index], shown, worded, int(lines), int(first), int(distinct),
                             tuple(v for v in values if v is not None)[:VALUES_SHOWN])
            # Two columns an export names alike, with the same problem: one group, said once.
            same = next((i for i, r in enumerate(self.repeated) if r.key() == group.key()), None)
            if same is None:
                self.repeated.append(group)
            else:
                self.repeated[same] = self.repeated[same].joined(group, VALUES_SHOWN)
        return {(int(f), str(c), str(m)) for f, c, m, *_ in found}

    def _advised(self, file_index: int, column: str, message: str) -> str:
        """A value refused as none of its column's choices, with the ways out its mapping knows."""
        if not message.startswith(ONE_OF):
            return message
        return message + self.advice.get(file_index, {}).get(column, "")

    def _keep(self, file_index: int, rank: int, problem: Problem) -> None:
        self._kept.append((file_index, problem.line or 0, rank, len(self._kept), problem))

    @property
    def problems(self) -> list[Problem]:
        return [kept[-1] for kept in sorted(self._kept)[:MAX_REPORTED]]

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportValidationError(self.problems, self.total, self.repeated)


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ].*)?\s*")
_CLOCK = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::\d{2})?(?!\d)")
_TWO_DIGIT_YEAR = "; a year of two digits?"
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DOTTED_DAY = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?: .*)?\s*")
# A currency beside an amount: a sign, a code of three capitals (checked against ISO 4217 where
# found: "12 TBD" is no currency), or a word ("kr", "Fr.", "Euro"). "EUR1200", "1200 SEK", "₹1200"
# were "not a number" alone (a tester).
_CURRENCY_SIGNS = re.compile(r"[€$£¥₹₽₩₪₺]|(?<![A-Za-z])(?:[A-Z]{3}|(?i:kr|fr\.|euro))(?![A-Za-z])")


def _currency_in(value: str) -> str | None:
    """The currency written beside a number in ``value``, if any."""
    if not any(c.isdigit() for c in value):
        return None
    for found in _CURRENCY_SIGNS.finditer(value):
        sign = found[0]
        if len(sign) != 3 or not sign.isupper():
            return sign
        from babel.numbers import list_currencies  # only for a value already refused

        if sign in list_currencies():
            return sign
    return None


# 20000-80000: a spreadsheet day number of 1954 to 2119, the range a CRM's dates fall in.
_EXCEL_SERIAL = re.compile(r"([2-7]\d{4})(?:[.,]\d+)?")


def without_year_hint(message: str) -> str:
    """``message`` without asking whether a year has two digits, for values whose years have four."""
    if _TWO_DIGIT_YEAR not in message:
        return message
    start = message.index(_TWO_DIGIT_YEAR)
    end = message.find("; ", start + 2)
    return message[:start] + (message[end:] if end >= 0 else "")


def refined(message: str, value: str | None) -> str:
    """A check's message said of the value found: 2025-02-30 was "not a date; write ISO 8601 such
    as ...", which it is; 1.234,56 € was "not a number", without a word of the sign."""
    if value is None:
        return message
    if message.startswith("not a date"):
        iso, dotted = _ISO_DAY.fullmatch(value), _DOTTED_DAY.fullmatch(value)
        parts = (iso[1], iso[2], iso[3]) if iso else (dotted[3], dotted[2], dotted[1]) if dotted else None
        if parts is not None and 1 <= int(parts[1]) <= 12:
            year, month, day = (int(p) for p in parts)
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                return f"no such day: {year:04d}-{month:02d} has {days} days"
        clock = _CLOCK.search(value)
        if clock is not None and (int(clock[1]) > 23 or int(clock[2]) > 59):
            # 30.09.2026 24:00 was asked whether its year had two digits, which the format then named
            # would not read either (a German tester).
            what = "date and time" if message.startswith("not a date and time") else "date"
            return (f"not a {what}: no such time as {clock[0]}; a day runs from 00:00 to 23:59 (24:00 is "
                    "00:00 of the next day)")
        if _FOUR_DIGITS.search(value):
            message = without_year_hint(message)
        serial = _EXCEL_SERIAL.fullmatch(value.strip())
        if serial is not None:
            # A spreadsheet's day number (days since 1899-12-30) where the cell lost its date format.
            as_day = date(1899, 12, 30) + timedelta(days=int(serial[1]))
            return (f"{message}; {serial[1]} looks like a spreadsheet's day number ({as_day.isoformat()}): "
                    "format the column as a date before saving, or import the .xlsx itself")
    sign = _currency_in(value) if message.startswith("not a number") else None
    if sign is not None:
        # "write plain numbers (no thousands separators)" sent a file whose mapping reads
        # 12.500,00 to rewrite every amount (a tester): the sign is what is in the way, under
        # --decimal-comma too ("write numbers such as 1.234,56").
        rest = message[len(NOT_A_NUMBER if message.startswith(NOT_A_NUMBER) else "not a number"):]
        message = f"not a number: a currency ({sign}) beside the amount{rest}"
        return f"{message}; the currency goes in a column of its own (currency), not beside the amount"
    return message
