"""How a text value becomes a typed value, and what is wrong with it when it cannot.

Formats are checked with a regular expression before DuckDB casts, because DuckDB's casts are
generous ('1e3' as a number, 'epoch' as a time, rounding 1.005 to two places) and an import must be
exact. Amounts are plain ``1234.56`` here: an optional minus, no thousands separators.

Time stamps are ISO 8601 with ``T`` or a space, seconds and fractions optional, with a zone (``Z``,
``+02:00``) or without; a bare date means midnight. They are cast while the session time zone is
the workspace's, so a value without a zone is read as local time and every value is stored as the
naive local time of the workspace.
"""

from __future__ import annotations

from ...schema import SQL_TYPES, Column
from ..sql import literal

CODE_COLUMNS = ("currency",)  # three-letter ISO 4217 codes, stored upper-case

_DATE = r"\d{4}-\d{2}-\d{2}"
# 00:00 to 23:59: DuckDB reads 24:00 as 00:00 of the next day, which moved a deal closed at
# "2026-10-31 24:00" into November without a word (a tester); it is refused and said.
_CLOCK = r"([01]\d|2[0-3]):[0-5]\d"
_TIMESTAMP = (
    r"\d{4}-\d{2}-\d{2}([Tt ]" + _CLOCK + r"(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?"
)
TIMESTAMP_PATTERN = _TIMESTAMP
# A time stamp without a zone, as DuckDB's TIMESTAMP cast reads it (upper-case T or a space).
_NAIVE = r"\d{4}-\d{2}-\d{2}([T ]" + _CLOCK + r"(:\d{2}(\.\d{1,9})?)?)?"
# Zones where local time is UTC all year: there a time stamp without a zone is stored as written.
UTC_ZONES = ("UTC", "Etc/UTC")
# A zone offset outside -12:00..+14:00 names no place on Earth, yet DuckDB would shift the time by
# it (+25:00 moves a deal a day back): such a value is refused, not read.
_WITH_OFFSET = r".*[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?[+-]\d{2}(:?\d{2})?"
_REAL_OFFSET = r".*(\+((0\d|1[0-3])(:?[0-5]\d)?|14(:?00)?)|-((0\d|1[01])(:?[0-5]\d)?|12(:?00)?))"
_NUL = "chr(0)"
_NUMBER = r"-?\d+(\.\d+)?"
# Whole numbers written as 7.0 (spreadsheets, float columns in Parquet) are still whole.
_WHOLE = r"-?\d+(\.0+)?"
_TRAILING_ZEROS = literal(r"\.0+$")
_CODE = r"[A-Za-z]{3}"
_PLACES = {"money": 2, "decimal": 6}
# A probability: a share from 0 to 1 (0.6), or a percentage with its sign (60%, 60 %).
_SHARE = r"\d+(\.\d{1,6})?"
_PERCENT = r"\d+(\.\d{1,4})? ?%"
_NOT_A_SHARE = "not a probability; write a share from 0 to 1 (0.6) or a percentage (60%)"
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")

NOT_A_TIMESTAMP = ("not a date and time; write ISO 8601 such as 2026-03-01T14:30:00, "
                   "2026-03-01 14:30 or 2026-03-01T14:30:00+01:00")
_FORMAT_HINTS = {
    "date": "not a date; write dates as YYYY-MM-DD, such as 2026-03-01",
    "timestamp": NOT_A_TIMESTAMP,
    "int": "not a whole number",
    "bool": "not a yes/no value; write true or false",
}
ONE_OF = "must be one of "  # a value none of a column's choices (check.problems adds a mapping's advice)
NOT_A_NUMBER = ("not a number; write plain numbers such as 1234.56 "
                 "(no thousands separators or currency symbols)")


def _matches(raw: str, pattern: str) -> str:
    return f"regexp_full_match({raw}, {literal(pattern)})"


def _in(expr: str, values: tuple[str, ...]) -> str:
    return f"{expr} IN ({', '.join(literal(v) for v in values)})"


def _exact(places: int) -> str:
    return r"-?\d+(\.\d{1," + str(places) + "})?"


def _too_precise(places: int) -> str:
    return r"-?\d+\.\d{" + str(places + 1) + ",}"


def typed(column: Column, raw: str, *, utc: bool = False) -> str:
    """SQL for the stored value of ``raw`` (NULL when empty or not valid). ``utc``: the session
    time zone is UTC, so a time stamp without a zone needs no trip through the zone rules."""
    kind = column.kind
    if kind in _PLACES:
        exact = _matches(raw, _exact(_PLACES[kind]))
        return f"CASE WHEN {exact} THEN TRY_CAST({raw} AS {SQL_TYPES[kind]}) END"
    if kind == "share":
        percent = f"CAST(TRY_CAST(rtrim({raw}, '% ') AS DECIMAL(18, 4)) * 0.01 AS DECIMAL(18, 6))"
        return (f"CASE WHEN {_matches(raw, _SHARE)} THEN TRY_CAST({raw} AS DECIMAL(18, 6)) "
                f"WHEN {_matches(raw, _PERCENT)} THEN {percent} END")
    if kind == "int":
        whole = _matches(raw, _WHOLE)
        return (f"CASE WHEN {whole} "
                f"THEN TRY_CAST(regexp_replace({raw}, {_TRAILING_ZEROS}, '') AS BIGINT) END")
    if kind == "date":
        return f"CASE WHEN {_matches(raw, _DATE)} THEN TRY_CAST({raw} AS DATE) END"
    if kind == "timestamp":
        # Read as a TIMESTAMPTZ in the session's zone and back to its local time; in UTC that
        # round trip changes nothing for a value without a zone, and costs twice a plain cast
        # (1.2 s of 10M activities).
        naive = (f"WHEN {_matches(raw, _NAIVE)} THEN TRY_CAST({raw} AS TIMESTAMP) "
                 if utc else "")
        return (f"CASE {naive}WHEN {_matches(raw, _TIMESTAMP)} "
                f"THEN TRY_CAST(upper({raw}) AS TIMESTAMPTZ)::TIMESTAMP END")
    if kind == "bool":
        lowered = f"lower({raw})"
        return (f"CASE WHEN {_in(lowered, _TRUE)} THEN true "
                f"WHEN {_in(lowered, _FALSE)} THEN false END")
    if column.choices is not None:
        return f"lower({raw})"
    if column.synonyms:  # the word as the KPIs read it; any other value as written
        # A value already one of them passes first: lower() of every one of 10M activities cost
        # 0.6 s of an import, the check of the value as it is 0.05 s.
        known = ", ".join(literal(v) for v in sorted({v for _, v in column.synonyms}))
        words = ", ".join(literal(w) for w, _ in column.synonyms)
        whens = " ".join(f"WHEN {literal(w)} THEN {literal(v)}" for w, v in column.synonyms)
        return (f"CASE WHEN {raw} IN ({known}) THEN {raw} "
                f"WHEN lower({raw}) IN ({words}) THEN CASE lower({raw}) {whens} END ELSE {raw} END")
    if column.name in CODE_COLUMNS:
        return f"upper({raw})"
    return raw


# A German or other European file read without saying so: the value names the option that reads it.
# 999,99, 1.234,56 or 4 800,00 (or 1.234: thousands?)
_COMMA_NUMBER = r"-?(\d{1,3}(\.\d{3})+|\d{1,3}([ \x{00A0}\x{202F}]\d{3})+|\d+)(,\d+)?"
_DAY_FIRST = r"\d{1,2}\.\d{1,2}\.\d{4}([ T].*)?"  # 31.12.2026
_SLASHED = r"\d{1,2}/\d{1,2}/\d{4}([ T].*)?"  # 03/04/2026: which is the day is for the user to say
_DAY_FIRST_SHORT = r"\d{1,2}\.\d{1,2}\.\d{2}([ T].*)?"  # 31.12.26: a year of two digits
# 1,500 reads both ways (a thousand and a half, or one and a half): named both, never guessed.
_COMMA_THOUSANDS = r"-?\d{1,3}(,\d{3})+"
_COMMA_SHARE = r"\d+,\d+( ?%)?"  # 0,25 or 12,5 %
DECIMAL_COMMA_HINT = "; a decimal comma (1.234,56)? import with --decimal-comma"
EITHER_COMMA_HINT = ("; a thousands comma (write 1500 for 1,500) or a decimal comma (import with "
                     "--decimal-comma)?")
DAY_FIRST_HINT = "; a date as 31.12.2026? import with --date-format dd.mm.yyyy"
SHORT_YEAR_HINT = "; a date as 31.12.26? import with --date-format dd.mm.yy"
SLASHED_HINT = "; import with --date-format dd/mm/yyyy or --date-format mm/dd/yyyy, whichever the file uses"


def _format_problem(column: Column, raw: str, hints: bool = True) -> str:
    """Why a non-empty ``raw`` has no typed value. ``hints``: name the option that would read a
    European number or date; not for a value a file's conventions converted already (under
    --decimal-comma, 12,345 read as 12.345 was told to import with --decimal-comma)."""
    kind = column.kind
    if kind in _PLACES and not hints:
        places = _PLACES[kind]
        return (f"CASE WHEN {_matches(raw, _too_precise(places))} THEN "
                f"{literal(f'more than {places} decimal places; values must be exact')} "
                f"WHEN {_matches(raw, _NUMBER)} THEN 'number too large' ELSE {literal(NOT_A_NUMBER)} END")
    if kind in ("date", "timestamp") and not hints:
        return literal(_FORMAT_HINTS[kind])
    if kind in _PLACES:
        places = _PLACES[kind]
        too_precise = f"more than {places} decimal places; values must be exact"
        return (f"CASE WHEN {_matches(raw, _too_precise(places))} THEN "
                f"{literal(too_precise)} || CASE WHEN {_matches(raw, _COMMA_NUMBER)} "
                f"THEN {literal(DECIMAL_COMMA_HINT)} ELSE '' END "
                f"WHEN {_matches(raw, _NUMBER)} THEN 'number too large' "
                f"WHEN {_matches(raw, _COMMA_THOUSANDS)} THEN {literal(NOT_A_NUMBER + EITHER_COMMA_HINT)} "
                f"WHEN {_matches(raw, _COMMA_NUMBER)} THEN {literal(NOT_A_NUMBER + DECIMAL_COMMA_HINT)} "
                f"ELSE {literal(NOT_A_NUMBER)} END")
    if kind in ("date", "timestamp"):
        said = _FORMAT_HINTS[kind]
        return (f"CASE WHEN {_matches(raw, _DAY_FIRST)} THEN {literal(said + DAY_FIRST_HINT)} "
                f"WHEN {_matches(raw, _DAY_FIRST_SHORT)} THEN {literal(said + SHORT_YEAR_HINT)} "
                f"WHEN {_matches(raw, _SLASHED)} THEN {literal(said + SLASHED_HINT)} "
                f"ELSE {literal(said)} END")
    return literal(_FORMAT_HINTS[kind])


_YEAR_ZERO = "there is no year 0000; a placeholder for an unknown date? leave it empty"
# Periods run from the year 1000 (periods.py): a record dated before is in none, yet counts where a
# figure spans it (a cycle of 375,109 days from a created_at of 0999-01-05).
_BEFORE_1000 = "a year before 1000, which no period reaches; a typo?"
# Characters that show as nothing: an id holding one looks like another and is not (a byte order mark
# pasted before 'd9' made a second deal d9, and doubled its revenue).
# Direction marks and overrides too (U+202A-U+202E, U+2066-U+2069): 'X0\u202e01' shows as another id.
_INVISIBLE = ("[\\x{00AD}\\x{180E}\\x{200B}-\\x{200F}\\x{202A}-\\x{202E}\\x{2060}-\\x{2064}"
              "\\x{2066}-\\x{2069}\\x{FEFF}]")
_HIDDEN_ID = ("holds an invisible character (a zero-width space, a byte order mark, a direction mark): it "
              "would look like another id and not be it")
# Spaces beyond ASCII's and the no-break space, which an id is trimmed of: an id of ideographic
# spaces (U+3000) alone was imported as a deal without an id, and 'd9' + U+3000 as a second d9,
# which doubled its revenue (a tester, the review).
_SPACE = "[\\x{0085}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]"
_EDGE_SPACE = f"^{_SPACE}|{_SPACE}$"
_SPACED_ID = ("begins or ends with a space of another script (an ideographic or typographic one): it "
              "would look like another id and not be it")


def _number(value: float) -> str:
    return f"{value:g}"


def problem(column: Column, raw: str, value: str, *, nul_free: bool = False, hints: bool = True) -> str:
    """SQL for the problem with one value (NULL when it is fine); ``value`` is its typed column.
    ``nul_free``: the value comes from a file without NUL bytes. ``hints``: see _format_problem."""
    cases: list[str] = []
    if column.kind == "id":
        # Byte and character counts differ only past ASCII: most ids skip the expression.
        cases.append(f"WHEN strlen({raw}) <> length({raw}) AND regexp_matches({raw}, {literal(_INVISIBLE)}) "
                     f"THEN {literal(_HIDDEN_ID)}")
        edge = f"regexp_matches({raw}, {literal(_EDGE_SPACE)})"
        cases.append(f"WHEN strlen({raw}) <> length({raw}) AND {edge} THEN {literal(_SPACED_ID)}")
    if column.kind in ("id", "text") and not nul_free:
        # A NUL byte is binary data, not text: it would reach pages and CSV downloads raw. (In a
        # typed column it fails the format check anyway.)
        cases.append(f"WHEN contains({raw}, {_NUL}) THEN 'contains a NUL byte (binary data, not text)'")
    if column.kind == "timestamp":
        # An offset starts with + or - after the time's colon: values without (most) skip the
        # regular expressions, which cost more than the rest of the value's checks.
        signed = (f"(contains({raw}, '+') OR "
                  f"contains(substr({raw}, strpos({raw}, ':')), '-'))")
        cases.append(f"WHEN {signed} AND {_matches(raw, _WITH_OFFSET)} "
                     f"AND NOT {_matches(raw, _REAL_OFFSET)} "
                     "THEN 'time zone offset out of range; offsets run from -12:00 to +14:00'")
    if column.required:
        cases.append(f"WHEN {raw} IS NULL THEN 'required value is empty'")
    if column.kind in (*_PLACES, "int", "date", "timestamp", "bool"):
        cases.append(f"WHEN {raw} IS NOT NULL AND {value} IS NULL "
                     f"THEN {_format_problem(column, raw, hints)}")
    if column.kind in ("date", "timestamp"):
        # DuckDB reads the year 0000 as 1 BC, and says it so ('0001-01-01 (BC)'): a date no
        # period holds, and no text that reads back as a date.
        kind = 'DATE' if column.kind == 'date' else 'TIMESTAMP'
        cases.append(f"WHEN {value} < {kind} '0001-01-01' THEN {literal(_YEAR_ZERO)}")
        cases.append(f"WHEN {value} < {kind} '1000-01-01' THEN {literal(_BEFORE_1000)}")
    if column.kind == "share":
        # 150 is neither 150 % nor 1.5 by any reading: refused, saying how to write either.
        over = literal("must be at most 1; write a share from 0 to 1 (0.6) or a percentage with "
                       "its sign (60%)")
        if hints:  # 0,25 or 12,5 %: a German file read without --decimal-comma, as amounts are told
            cases.append(f"WHEN {raw} IS NOT NULL AND {value} IS NULL AND {_matches(raw, _COMMA_SHARE)} "
                         f"THEN {literal(_NOT_A_SHARE + DECIMAL_COMMA_HINT)}")
        cases += [f"WHEN {raw} IS NOT NULL AND {value} IS NULL THEN {literal(_NOT_A_SHARE)}",
                  f"WHEN {value} > 1 AND ends_with({raw}, '%') THEN 'must be at most 100%'",
                  f"WHEN {value} > 1 THEN {over}"]
    if column.min_value is not None:
        at_least = literal(f"must be at least {_number(column.min_value)}")
        cases.append(f"WHEN {value} < {column.min_value!r} THEN {at_least}")
    if column.max_value is not None:
        at_most = literal(f"must be at most {_number(column.max_value)}")
        cases.append(f"WHEN {value} > {column.max_value!r} THEN {at_most}")
    if column.choices is not None:
        one_of = literal(ONE_OF + ", ".join(column.choices))
        cases.append(f"WHEN {value} IS NOT NULL AND NOT {_in(value, column.choices)} THEN {one_of}")
    if column.name in CODE_COLUMNS:
        cases.append(f"WHEN {raw} IS NOT NULL AND NOT {_matches(raw, _CODE)} "
                     "THEN 'not a currency code; write a three-letter ISO 4217 code such as EUR'")
    if not cases:
        return "NULL"
    return "CASE " + " ".join(cases) + " END"
