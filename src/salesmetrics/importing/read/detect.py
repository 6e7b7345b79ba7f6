"""Detecting how an export writes numbers and dates, from its values, in SQL over the staging table.

A convention is taken only when the file proves it: ``1.234,56`` or ``12,5`` prove a decimal comma,
``1234.56`` a decimal point, ``31/12/2026`` day-first and ``12/31/2026`` month-first dates, and
``03.04.2026`` is day-first since no one writes month-first dates with dots. A file whose only
evidence could be read two ways (``1.234``; ``03/04/2026``) is refused with the column, line and
value and the option that settles it: a guess there would silently change amounts or swap months.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ...errors import Problem
from ..check.values import TIMESTAMP_PATTERN
from ..sql import literal
from .formats import FormatOptions, strptime_format, with_times

_DOT = r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
# 1.234,56, or 4 800,00 with a space grouping the thousands (French; Excel writes a no-break one)
_COMMA = r"-?(\d{1,3}(\.\d{3})+|\d{1,3}([ \x{00A0}\x{202F}]\d{3})+|\d+)(,\d+)?"
_TIME = r"([ T]\d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?"
_FAMILIES = (".", "/", "-")  # the separators of day/month/year dates
# Any of them, read in one pass: the two numbers and the two separators (a date of one family has
# the same separator twice). One regular expression a value, not three a family: this detection
# reads every date of the file.
_DMY = r"(\d{1,2})([./-])(\d{1,2})([./-])\d{4}" + _TIME
_YEAR_FIRST = r"\d{4}/\d{1,2}/\d{1,2}" + _TIME
_AMPM = (" %I:%M %p", " %I:%M:%S %p")


@dataclass(frozen=True)
class Conventions:
    decimal: str = "."
    thousands: str = ""
    date_formats: tuple[str, ...] = ()
    date_label: str = "YYYY-MM-DD"


Leaf = tuple[str, str]  # (staging column, the file's column name)

# How a file writing decimals both ways is refused (reader.py tells it from the rest).
TWO_WAYS = "numbers are written two ways"


def _union(stage: str, leaves: list[Leaf], where: str) -> str:
    return " UNION ALL ".join(
        f"SELECT {literal(label)} AS col, {col} AS v, _line FROM {stage} "
        f"WHERE {col} IS NOT NULL AND {where.replace('$v', col)}"
        for col, label in leaves
    )


def _first(filter_: str) -> str:
    return f"arg_min([col, v, CAST(_line AS VARCHAR)], _line) FILTER (WHERE {filter_})"


def _numbers(con: duckdb.DuckDBPyConnection, stage: str, leaves: list[Leaf],
             file: str) -> tuple[str, Problem | None]:
    if not leaves:
        return ".", None
    values = _union(stage, leaves, "(contains($v, ',') OR contains($v, '.'))")
    row = con.execute(
        f"WITH v AS ({values}), k AS (SELECT *, regexp_full_match(v, {literal(_DOT)}) AS d, "
        f"regexp_full_match(v, {literal(_COMMA)}) AS c FROM v) "
        f"SELECT {_first('d AND NOT c')}, {_first('c AND NOT d')}, {_first('c AND d')} FROM k"
    ).fetchall()[0]
    dot, comma, both = row
    if dot and comma:
        return ".", Problem(file, int(comma[2]), comma[0], comma[1],
                            f"{TWO_WAYS}: {dot[1]!r} on line {dot[2]} has a decimal "
                            "point, this one a decimal comma; make them agree, or choose with "
                            "--decimal-comma / --decimal-point")
    if comma:
        return ",", None
    if dot or not both:
        return ".", None
    return ".", Problem(file, int(both[2]), both[0], both[1],
                        f"ambiguous number: {both[1]!r} could be read with a decimal point or a "
                        "decimal comma, and no value in the file settles it; pass --decimal-comma "
                        "(1.234,56) or --decimal-point (1,234.56), or set decimal in the mapping")


def _grouped_by_comma(con: duckdb.DuckDBPyConnection, stage: str, leaves: list[Leaf]) -> bool:
    """Whether some number is written with commas grouping its thousands (1,234.56, 1,500)."""
    if not leaves:
        return False
    values = _union(stage, leaves, f"contains($v, ',') AND regexp_full_match($v, {literal(_DOT)})")
    return bool(con.execute(f"SELECT count(*) > 0 FROM ({values})").fetchall()[0][0])


def _dates(con: duckdb.DuckDBPyConnection, stage: str, leaves: list[Leaf],
           file: str) -> tuple[tuple[str, ...], str, list[Problem]]:
    if not leaves:
        return (), "YYYY-MM-DD", []
    values = _union(stage, leaves, f"NOT regexp_full_match($v, {literal(TIMESTAMP_PATTERN)})")
    parts = f"regexp_extract(v, {literal('^' + _DMY + '$')}, ['a', 's1', 'b', 's2'])"
    selects: list[str] = []
    for sep in _FAMILIES:
        m = f"(p.s1 = {literal(sep)} AND p.s2 = {literal(sep)})"
        selects += [_first(m), _first(f"{m} AND TRY_CAST(p.a AS INTEGER) > 12"),
                    _first(f"{m} AND TRY_CAST(p.b AS INTEGER) > 12")]
    selects.append(_first(f"regexp_full_match(v, {literal(_YEAR_FIRST)})"))
    row = con.execute(f"WITH v AS ({values}), d AS (SELECT *, {parts} AS p FROM v) "
                      f"SELECT {', '.join(selects)} FROM d").fetchall()[0]
    formats: list[str] = []
    labels: list[str] = []
    problems: list[Problem] = []
    for i, sep in enumerate(_FAMILIES):
        seen, day_first, month_first = row[3 * i: 3 * i + 3]
        if not seen:
            continue
        if sep == ".":  # nobody writes month-first dates with dots
            day_first = day_first or seen
        if day_first and month_first:
            problems.append(Problem(
                file, int(month_first[2]), month_first[0], month_first[1],
                f"dates are written two ways: {day_first[1]!r} (line {day_first[2]}) puts the day "
                "first, this one the month; make them agree, or choose with --date-format"))
        elif day_first or month_first:
            friendly = f"dd{sep}mm{sep}yyyy" if day_first else f"mm{sep}dd{sep}yyyy"
            labels.append(friendly)
            pattern = strptime_format(friendly)
            formats += with_times(pattern) + [pattern + t for t in _AMPM]
        else:
            problems.append(Problem(
                file, int(seen[2]), seen[0], seen[1],
                f"ambiguous date: {seen[1]!r} could be day{sep}month or month{sep}day and no value "
                f"in the file settles it; pass --date-format dd{sep}mm{sep}yyyy or "
                f"--date-format mm{sep}dd{sep}yyyy (or set date_format in the mapping)"))
    if row[-1]:
        labels.append("yyyy/mm/dd")
        formats += with_times("%Y/%m/%d")
    label = " or ".join([*labels, "YYYY-MM-DD"]) if labels else "YYYY-MM-DD"
    return tuple(formats), label, problems


def conventions(con: duckdb.DuckDBPyConnection, stage: str, numbers: list[Leaf], dates: list[Leaf],
                options: FormatOptions, *, strict: bool, file: str) -> Conventions | list[Problem]:
    """The file's conventions: the options where given; else detected, unless ``strict``
    (canonical files), where the canonical forms hold."""
    problems: list[Problem] = []
    decimal = options.decimal
    if decimal is None:
        decimal = "."
        if not strict:
            decimal, problem = _numbers(con, stage, numbers, file)
            if problem is not None:
                problems.append(problem)
    thousands = FormatOptions(decimal=decimal, thousands=options.thousands).thousands_separator
    if not strict and decimal == "." and options.thousands is None and _grouped_by_comma(con, stage, numbers):
        # An export's 1,500.00 (Salesforce, any US report): its commas group thousands, as a
        # decimal comma's dots do; groups of three are still checked (1,5 is refused).
        thousands = ","
    if options.date_format is not None:
        pattern = strptime_format(options.date_format)
        formats = tuple(with_times(pattern) + ([pattern + t for t in _AMPM] if "%H" not in pattern
                                               and "%I" not in pattern else []))
        label = options.date_format
    elif strict:
        formats, label = (), "YYYY-MM-DD"
    else:
        formats, label, found = _dates(con, stage, dates, file)
        problems += found
    if problems:
        return problems
    return Conventions(decimal, thousands, formats, label)
