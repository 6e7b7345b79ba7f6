"""Where a canonical value comes from in an export, as small declarative expressions compiled to SQL.

A vendor mapping says ``amount = Col("value", "Value", unit="cents")`` or ``status = Map(Col(...),
{"active": "open"})``; :class:`Compiler` turns that into SQL over one staging table, so conversions
run inside DuckDB over every row at once, never row by row in Python.

Each file value that is converted is a *leaf*. When the converted value of a column is empty
although a leaf held text that could not be converted, the column gets that leaf's text as the value
shown and the leaf's hint as the problem: a bad value is reported as written in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..check.values import NOT_A_TIMESTAMP, TIMESTAMP_PATTERN
from ..sql import literal

Unit = Literal["cents", "hms", "ms", "percent"]
LeafKind = Literal["text", "number", "date", "timestamp"]

_NUMERIC = ("money", "decimal", "int", "share")
_ZONE_SUFFIX = literal(r".*\d:\d\d(:\d\d(\.\d+)?)?")
# A flag's "yes" and "no" as exports and spreadsheets write them: Excel saves TRUE/FALSE in the
# language of the machine (WAHR/FALSCH, VRAI/FAUX, VERDADERO/FALSO, VERO/FALSO, WAAR/ONWAAR,
# VERDADEIRO/FALSO), and a report's flag may read Oui/Non, Sí/No, Ja/Nee.
TRUTHY = ("true", "1", "yes", "y", "ja", "wahr", "x", "t", "vrai", "oui", "verdadero", "sí", "si",
          "vero", "waar", "verdadeiro", "sim")
FALSY = ("false", "0", "no", "n", "nein", "falsch", "f", "faux", "non", "falso", "onwaar", "nee",
         "não", "nao")


PERCENT_0_100 = ("not a percentage from 0 to 100; a share such as 0.9 is refused: write 90 (a percent cell's "
                 "value is 90 % as 0.9: export the percentage, or import the workbook itself)")


def normalize(name: str) -> str:
    """Header names compare without case, surrounding or repeated spaces, or a byte-order mark."""
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


# -- expressions ----------------------------------------------------------------------------------


class Expr:
    """A canonical value computed from an export's columns."""

    def cols(self) -> Iterator[Col]:
        return iter(())

    def sql(self, kind: str, c: Compiler) -> Compiled:
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf:
    raw: str          # the file's text (trimmed; empty is NULL)
    ok: str           # its converted text, NULL when it cannot be converted
    hint: str | None  # why, when it cannot; None when conversion cannot fail


@dataclass(frozen=True)
class Compiled:
    sql: str
    leaves: tuple[Leaf, ...] = ()


@dataclass(frozen=True)
class Col(Expr):
    """The first of ``names`` (API name, UI labels, ...) that the file's header has."""

    names: tuple[str, ...]
    unit: Unit | None = None

    def __init__(self, *names: str, unit: Unit | None = None) -> None:
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "unit", unit)

    def cols(self) -> Iterator[Col]:
        yield self

    def leaf_kind(self, kind: str) -> LeafKind:
        if self.unit == "percent":
            return "number"  # 60 or 60,5: the file's decimal separator holds
        if self.unit is not None:
            return "text"
        if kind in _NUMERIC:
            return "number"
        if kind in ("date", "timestamp"):
            return kind  # type: ignore[return-value]
        return "text"

    def sql(self, kind: str, c: Compiler) -> Compiled:
        raw = c.column(self)
        if raw is None:
            return Compiled("NULL::VARCHAR")
        if self.unit == "cents":
            ok = (f"CASE WHEN regexp_full_match({raw}, '-?\\d+') "
                  f"THEN CAST(CAST({raw} AS DECIMAL(38, 0)) * 0.01 AS VARCHAR) END")
            return _leaf(raw, ok, "not an amount in cents (a whole number such as 150000 for 1500.00)")
        if self.unit == "hms":
            part = [f"CAST(split_part({raw}, ':', {i}) AS BIGINT)" for i in (1, 2, 3)]
            ok = (f"CASE WHEN regexp_full_match({raw}, '\\d+:\\d{{2}}:\\d{{2}}') "
                  f"THEN CAST({part[0]} * 3600 + {part[1]} * 60 + {part[2]} AS VARCHAR) "
                  f"WHEN regexp_full_match({raw}, '\\d+:\\d{{2}}') "
                  f"THEN CAST({part[0]} * 3600 + {part[1]} * 60 AS VARCHAR) END")
            return _leaf(raw, ok, "not a duration; write HH:MM:SS such as 00:12:30")
        if self.unit == "percent":
            # A probability exported as 0-100 (Salesforce, Pipedrive, Close): written with its sign,
            # so the canonical check reads it as a percentage and refuses 150 as over 100 %. Its sign
            # may be written ("90%", "60 %"). A share below 1 is refused: a percent cell's value is
            # 90 % as 0.9 (an .xlsx is read as its cells show, excel.py; a program writing the value
            # to CSV does not), which read as 0.9 % made a weighted forecast 100 times too small.
            # "60 %" with a no-break space too, as French numbers are written; "0.5%" is 0.5 %.
            bare = f"regexp_replace({raw}, '[\\s\\x{{00A0}}\\x{{202F}}]*%$', '')"
            signed = f"regexp_matches({raw}, '%$')"
            number = c.number(bare)
            share = f"TRY_CAST({number.sql} AS DOUBLE)"
            ok = (f"CASE WHEN {number.sql} IS NOT NULL AND ({signed} OR NOT ({share} > 0 AND {share} < 1)) "
                  f"THEN {number.sql} || '%' END")
            return _leaf(raw, ok, PERCENT_0_100)
        if self.unit == "ms":
            ok = (f"CASE WHEN regexp_full_match({raw}, '\\d+') "
                  f"THEN CAST((CAST({raw} AS HUGEINT) + 500) // 1000 AS VARCHAR) END")
            return _leaf(raw, ok, "not a duration in milliseconds (a whole number)")
        leaf = self.leaf_kind(kind)
        if leaf == "number":
            return c.number(raw, percent=kind == "share")
        if leaf in ("date", "timestamp"):
            return c.date(raw, leaf)
        return Compiled(raw, (Leaf(raw, raw, None),))


def _leaf(raw: str, ok: str, hint: str) -> Compiled:
    return Compiled(ok, (Leaf(raw, ok, hint),))


@dataclass(frozen=True)
class Const(Expr):
    value: str

    def sql(self, kind: str, c: Compiler) -> Compiled:
        return Compiled(literal(self.value))


@dataclass(frozen=True)
class Map(Expr):
    """File values (compared without case) to canonical ones; others pass through unchanged (the
    canonical checks then name them), or become ``other`` when given."""

    source: Expr
    values: Mapping[str, str]
    other: Expr | None = None

    def cols(self) -> Iterator[Col]:
        yield from self.source.cols()
        if self.other is not None:
            yield from self.other.cols()

    def sql(self, kind: str, c: Compiler) -> Compiled:
        inner = self.source.sql("text", c)
        if not self.values and self.other is None:
            return inner
        fallback = inner.sql
        leaves = inner.leaves
        if self.other is not None:
            other = self.other.sql(kind, c)
            fallback, leaves = other.sql, leaves + other.leaves
        if not self.values:  # only a value for every other one (a mapping file's "*")
            return Compiled(f"CASE WHEN {inner.sql} IS NULL THEN NULL ELSE {fallback} END", leaves)
        whens = " ".join(f"WHEN {literal(k.lower())} THEN {literal(v)}" for k, v in self.values.items())
        folded = f"lower(nfc_normalize({inner.sql}))"  # "Fermée" as typed on a Mac: e and a mark
        return Compiled(f"CASE WHEN {inner.sql} IS NULL THEN NULL "
                        f"ELSE CASE {folded} {whens} ELSE {fallback} END END", leaves)


@dataclass(frozen=True)
class First(Expr):
    """The first of several sources that has a value."""

    options: tuple[Expr, ...]

    def __init__(self, *options: Expr) -> None:
        object.__setattr__(self, "options", options)

    def cols(self) -> Iterator[Col]:
        for o in self.options:
            yield from o.cols()

    def sql(self, kind: str, c: Compiler) -> Compiled:
        parts = [o.sql(kind, c) for o in self.options]
        return Compiled(f"coalesce({', '.join(p.sql for p in parts)})",
                        tuple(leaf for p in parts for leaf in p.leaves))


@dataclass(frozen=True)
class Join(Expr):
    """Several columns as one text, empty ones left out: first and last name, date and time."""

    parts: tuple[Expr, ...]
    sep: str = " "

    def __init__(self, *parts: Expr, sep: str = " ") -> None:
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "sep", sep)

    def cols(self) -> Iterator[Col]:
        for p in self.parts:
            yield from p.cols()

    def part_kinds(self, kind: str) -> list[str]:
        """How each part is read: a date and its time of day (Pipedrive's due date and due time)
        as a date, in the file's date format, then text; all else as text (first and last name).
        A due date of 04.03.2025 beside 10:00 was refused whatever --date-format said."""
        if kind == "timestamp":
            return ["date", *(["text"] * (len(self.parts) - 1))]
        return ["text"] * len(self.parts)

    def sql(self, kind: str, c: Compiler) -> Compiled:
        compiled = [p.sql(k, c) for p, k in zip(self.parts, self.part_kinds(kind), strict=True)]
        joined = f"concat_ws({literal(self.sep)}, {', '.join(p.sql for p in compiled)})"
        return Compiled(f"NULLIF({joined}, '')", tuple(leaf for p in compiled for leaf in p.leaves))


@dataclass(frozen=True)
class Times(Expr):
    """A number multiplied by a whole factor (a monthly value as a yearly one)."""

    source: Expr
    factor: int

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, kind: str, c: Compiler) -> Compiled:
        inner = self.source.sql(kind, c)
        return Compiled(f"CASE WHEN regexp_full_match({inner.sql}, '-?\\d+(\\.\\d+)?') "
                        f"THEN rtrim(rtrim(CAST(CAST({inner.sql} AS DECIMAL(38, 6)) * {self.factor} "
                        "AS VARCHAR), "
                        "'0'), '.') END",
                        inner.leaves)


@dataclass(frozen=True)
class Day(Expr):
    """The day of a date and time, in the workspace's time zone: HubSpot exports a close date as a
    moment (``2026-04-30 00:00``, ``2026-04-30T22:00:00Z``) where only the day is meant."""

    source: Expr

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, kind: str, c: Compiler) -> Compiled:
        inner = self.source.sql("timestamp", c)
        # Cast as the canonical reader casts a time (the session's zone is the workspace's).
        ok = (f"CASE WHEN regexp_full_match({inner.sql}, {literal(TIMESTAMP_PATTERN)}) THEN "
              f"strftime(TRY_CAST(upper({inner.sql}) AS TIMESTAMPTZ)::TIMESTAMP, '%Y-%m-%d') END")
        leaves = tuple(Leaf(leaf.raw, ok, leaf.hint or NOT_A_TIMESTAMP)
                       for leaf in inner.leaves[:1])
        return Compiled(ok, leaves)


@dataclass(frozen=True)
class Ref(Expr):
    """Another canonical column of the same record, as converted (e.g. the status)."""

    column: str

    def sql(self, kind: str, c: Compiler) -> Compiled:
        return Compiled(c.ref(self.column))


# -- conditions -----------------------------------------------------------------------------------


class Cond:
    def cols(self) -> Iterator[Col]:
        return iter(())

    def sql(self, c: Compiler) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Is(Cond):
    """The value is one of ``values`` (without case)."""

    source: Expr
    values: tuple[str, ...]

    def __init__(self, source: Expr, *values: str) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "values", values)

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, c: Compiler) -> str:
        listed = ", ".join(literal(v.lower()) for v in self.values)
        # Composed, as typed or not: "Sí" with its accent as a mark of its own is the same word.
        return f"coalesce(lower(nfc_normalize({self.source.sql('text', c).sql})) IN ({listed}), false)"


@dataclass(frozen=True)
class Truthy(Cond):
    source: Expr

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, c: Compiler) -> str:
        return Is(self.source, *TRUTHY).sql(c)


@dataclass(frozen=True)
class Present(Cond):
    source: Expr

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, c: Compiler) -> str:
        return f"({self.source.sql('text', c).sql} IS NOT NULL)"


@dataclass(frozen=True)
class Not(Cond):
    """The condition does not hold: ``Not(Present(x))``, x is empty or its column not in the file."""

    cond: Cond

    def cols(self) -> Iterator[Col]:
        return self.cond.cols()

    def sql(self, c: Compiler) -> str:
        return f"(NOT {self.cond.sql(c)})"


@dataclass(frozen=True)
class StartsWith(Cond):
    source: Expr
    prefix: str

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, c: Compiler) -> str:
        return f"coalesce(starts_with({self.source.sql('text', c).sql}, {literal(self.prefix)}), false)"


@dataclass(frozen=True)
class Matches(Cond):
    """The value, in lower case and composed, matches the regular expression ``pattern``."""

    source: Expr
    pattern: str

    def cols(self) -> Iterator[Col]:
        return self.source.cols()

    def sql(self, c: Compiler) -> str:
        value = self.source.sql("text", c).sql
        return f"coalesce(regexp_matches(lower(nfc_normalize({value})), {literal(self.pattern)}), false)"


@dataclass(frozen=True)
class All(Cond):
    conds: tuple[Cond, ...]

    def __init__(self, *conds: Cond) -> None:
        object.__setattr__(self, "conds", conds)

    def cols(self) -> Iterator[Col]:
        for cond in self.conds:
            yield from cond.cols()

    def sql(self, c: Compiler) -> str:
        return "(" + " AND ".join(cond.sql(c) for cond in self.conds) + ")"


@dataclass(frozen=True)
class Case(Expr):
    """The value of the first branch whose condition holds; NULL (or ``otherwise``) if none."""

    branches: tuple[tuple[Cond, Expr], ...]
    otherwise: Expr | None = None

    def cols(self) -> Iterator[Col]:
        for cond, expr in self.branches:
            yield from cond.cols()
            yield from expr.cols()
        if self.otherwise is not None:
            yield from self.otherwise.cols()

    def sql(self, kind: str, c: Compiler) -> Compiled:
        parts: list[str] = []
        leaves: list[Leaf] = []
        for cond, expr in self.branches:
            then = expr.sql(kind, c)
            parts.append(f"WHEN {cond.sql(c)} THEN {then.sql}")
            leaves += then.leaves
        tail = ""
        if self.otherwise is not None:
            other = self.otherwise.sql(kind, c)
            tail = f" ELSE {other.sql}"
            leaves += other.leaves
        return Compiled(f"CASE {' '.join(parts)}{tail} END", tuple(leaves))


def when(cond: Cond, expr: Expr) -> Case:
    return Case(((cond, expr),))


# -- compiling ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSql:
    """One canonical column of one file: the converted text, the text shown in problems, and the
    problem with the file's value (SQL, NULL when fine). ``plain``: text and shown are the same
    file column, unconverted."""

    text: str
    shown: str
    bad: str = "NULL"
    plain: bool = False


_SPACES = r"[ \x{00A0}\x{202F}]"  # a space, a no-break space, a narrow no-break space


@dataclass
class Compiler:
    """Compiles expressions against one staged file: ``stage_columns`` maps each normalized header
    name to its staging column; number and date conventions are the ones decided for the file."""

    stage_columns: Mapping[str, str]
    decimal: str = "."
    thousands: str = ""
    date_formats: tuple[str, ...] = ()
    date_label: str = "YYYY-MM-DD"
    naive_utc: bool = False
    columns: Mapping[str, tuple[Expr, str]] = field(default_factory=dict)  # canonical: (expr, kind)
    _refs: dict[str, str] = field(default_factory=dict)

    def column(self, col: Col) -> str | None:
        for name in col.names:
            found = self.stage_columns.get(normalize(name))
            if found is not None:
                return found
        return None

    def ref(self, name: str) -> str:
        if name not in self._refs:
            expr, kind = self.columns[name]
            self._refs[name] = expr.sql(kind, self).sql
        return self._refs[name]

    def number(self, raw: str, *, percent: bool = False) -> Compiled:
        """``percent``: a share, which may be written as a percentage with its sign (60 %, 60,5%):
        kept, for the canonical check to read it as one, as it does in a file of plain numbers."""
        if self.decimal == "." and not self.thousands:
            return Compiled(raw, (Leaf(raw, raw, None),))
        d, t = re.escape(self.decimal), re.escape(self.thousands)
        grouped = rf"\d{{1,3}}({t}\d{{3}})+|" if t else ""
        pattern = rf"-?({grouped}\d+)({d}\d+)?" + ("( ?%)?" if percent else "")
        text = f"replace({raw}, {literal(self.thousands)}, '')" if self.thousands else raw
        if self.decimal != ".":
            text = f"replace({text}, {literal(self.decimal)}, '.')"
        example = f"1{self.thousands}234{self.decimal}56"
        if percent:
            example = f"0{self.decimal}6 / 60 %"
        # Thousands grouped by a space, as French, Swedish or Czech write them ("4 800,00"; Excel
        # writes a no-break space): never a decimal mark, so always read where the file is read with
        # conventions of its own; only a value the usual pattern missed pays for the replacement.
        spaced = rf"-?\d{{1,3}}({_SPACES}\d{{3}})+({d}\d+)?" + ("( ?%)?" if percent else "")
        without = f"regexp_replace({raw}, {literal(_SPACES)}, '', 'g')"
        if self.decimal != ".":
            without = f"replace({without}, {literal(self.decimal)}, '.')"
        ok = (f"CASE WHEN regexp_full_match({raw}, {literal(pattern)}) THEN {text} "
              f"WHEN regexp_full_match({raw}, {literal(spaced)}) THEN {without} END")
        return _leaf(raw, ok, f"not a number; write numbers such as {example}")

    def date(self, raw: str, kind: LeafKind) -> Compiled:
        text = raw
        hint = ""
        if self.date_formats:
            listed = "[" + ", ".join(literal(f) for f in self.date_formats) + "]"
            out = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
            parsed = f"try_strptime({raw}, {listed})"
            if any("%Y" in f for f in self.date_formats):
                # %Y reads 3.9.26 as the year 26, which no period holds: a year of two digits is
                # refused, and the format that reads it named.
                parsed = f"CASE WHEN year({parsed}) >= 1000 THEN {parsed} END"
                first = self.date_label.split(" or ")[0]
                if "yyyy" in self.date_label:
                    hint = f"; a year of two digits? the format {first.replace('yyyy', 'yy')} reads it"
                # 06/25/2026 read with dd/mm/yyyy was said to be a year of two digits alone: with
                # slashes (British and American dates look alike) a month first is the likelier slip.
                if "dd" in first and "mm" in first and "/" in first:
                    swapped = first.replace("dd", "\0").replace("mm", "dd").replace("\0", "mm")
                    which = "day" if first.index("mm") < first.index("dd") else "month"
                    hint += f"; the {which} first? the format {swapped} reads it"
            text = (f"CASE WHEN regexp_full_match({raw}, {literal(TIMESTAMP_PATTERN)}) THEN {raw} "
                    f"ELSE strftime({parsed}, {literal(out)}) END")
        if self.naive_utc and kind == "timestamp":
            # The API writes UTC without saying so; the canonical reader needs the zone spelled out.
            text = (f"CASE WHEN regexp_full_match({text}, {_ZONE_SUFFIX}) "
                    f"THEN {text} || '+00:00' ELSE {text} END")
        if text == raw:
            return Compiled(raw, (Leaf(raw, raw, None),))
        what = "date" if kind == "date" else "date and time"
        return _leaf(raw, text, f"not a {what} in the format {self.date_label}{hint}")

    def compile(self, expr: Expr, kind: str) -> ColumnSql:
        out = expr.sql(kind, self)
        if isinstance(expr, Col) and out.leaves and out.leaves[0].hint is None:
            return ColumnSql(out.sql, out.sql, plain=True)
        failing = [leaf for leaf in out.leaves if leaf.hint is not None]
        if not failing:
            shown = out.sql if not out.leaves else f"coalesce({out.leaves[0].raw}, {out.sql})"
            return ColumnSql(out.sql, f"CASE WHEN {out.sql} IS NULL THEN NULL ELSE {shown} END")
        fails = [f"{leaf.raw} IS NOT NULL AND {leaf.ok} IS NULL" for leaf in failing]
        bad = ("CASE WHEN " + out.sql + " IS NULL THEN CASE "
               + " ".join(f"WHEN {f} THEN {literal(leaf.hint or '')}" for f, leaf in zip(fails, failing,
                                                                                          strict=True))
               + " END END")
        raw_of_failure = "CASE " + " ".join(
            f"WHEN {f} THEN {leaf.raw}" for f, leaf in zip(fails, failing, strict=True)) + " END"
        primary = out.leaves[0].raw
        shown = (f"CASE WHEN {out.sql} IS NULL THEN {raw_of_failure} "
                 f"ELSE coalesce({primary}, {out.sql}) END")
        return ColumnSql(out.sql, shown, bad)


def leaves(expr: Expr, kind: str) -> Iterator[tuple[Col, LeafKind]]:
    """Every file column ``expr`` reads, with how it is read (what :mod:`.detect` looks at)."""
    def walk(e: Expr, k: str) -> Iterator[tuple[Col, LeafKind]]:
        if isinstance(e, Col):
            yield e, e.leaf_kind(k)
        elif isinstance(e, Map):
            yield from walk(e.source, "text")
            if e.other is not None:
                yield from walk(e.other, k)
        elif isinstance(e, First):
            for o in e.options:
                yield from walk(o, k)
        elif isinstance(e, Join):
            for p, part in zip(e.parts, e.part_kinds(k), strict=True):
                yield from walk(p, part)
        elif isinstance(e, Times):
            yield from walk(e.source, k)
        elif isinstance(e, Day):
            yield from walk(e.source, "timestamp")
        elif isinstance(e, Case):
            for _, branch in e.branches:
                yield from walk(branch, k)
            if e.otherwise is not None:
                yield from walk(e.otherwise, k)

    return walk(expr, kind)
