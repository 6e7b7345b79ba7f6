"""Checking an import's rows: each table's staged files become one view of text and typed values
(its import rows), and every check is a query over it. Nothing here writes to the workspace.

A check yields ``(_file, _line, column, value, message)`` rows; ``value`` is the text as written.
"""

from __future__ import annotations

import duckdb

from ...schema import Table
from ..read.staging import Input
from ..sql import ident, literal
from . import values
from .problems import ProblemLog
from .rules import RULES, RowCheck, rows_name

__all__ = ["build_rows", "check_keys", "check_rows", "check_table", "converted_columns",
           "repeats_keys", "row_problem", "rows_name"]


def _raw(column: str) -> str:
    return ident(f"_raw_{column}")


def _text(column: str) -> str:
    return ident(f"_text_{column}")


def _bad(column: str) -> str:
    return ident(f"_bad_{column}")


def _select(table: Table, given: Input, converted: set[str]) -> str:
    """One input's rows: ``_raw_<c>`` is the text shown (as in the file), and for converted
    columns ``_text_<c>`` the converted text and ``_bad_<c>`` the conversion's problem."""
    parts = [f"{given.file} AS _file", "_line", f"{'true' if given.derived else 'false'} AS _merge"]
    for c in table.column_names:
        sql = given.columns.get(c)
        parts.append(f"{sql.shown if sql else 'NULL::VARCHAR'} AS {_raw(c)}")
        if c in converted:
            parts.append(f"{sql.text if sql else 'NULL::VARCHAR'} AS {_text(c)}")
            parts.append(f"CAST({sql.bad if sql else 'NULL'} AS VARCHAR) AS {_bad(c)}")
    where = f" WHERE {given.where}" if given.where else ""
    return f"SELECT {', '.join(parts)} FROM {given.source}{where}"


def _union(table: Table, inputs: list[Input], converted: set[str]) -> str:
    """Explicit rows as they are; derived rows one per key, and none whose key an explicit row of
    this import has (the owners file wins over the owner column of the deals file)."""
    # Rows read from what the import writes (Input.written) are one per key already.
    explicit = [i for i in inputs if not i.derived or i.written]
    derived = [i for i in inputs if i.derived and not i.written]
    parts = [_select(table, i, converted) for i in explicit]
    if not derived:
        return " UNION ALL ".join(parts)
    keys = [_text(k) if k in converted else _raw(k) for k in table.key]
    rows = " UNION ALL ".join(_select(table, i, converted) for i in derived)
    where = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    if explicit:
        same = " AND ".join(f"e.{k} = d.{k}" for k in keys)
        where += f" AND NOT EXISTS (SELECT 1 FROM ({' UNION ALL '.join(parts)}) e WHERE {same})"
    merged = (f"SELECT * EXCLUDE (_n) FROM (SELECT *, row_number() OVER (PARTITION BY "
              f"{', '.join(keys)} ORDER BY _file, _line) AS _n FROM ({rows}) d WHERE {where}) "
              "WHERE _n = 1")
    return " UNION ALL ".join([*parts, merged])


def converted_columns(table: Table, inputs: list[Input]) -> set[str]:
    """Columns whose converted text or problem differ from the text shown in some input. Where
    they are the same SQL (the history an import derives), ``_text_`` would copy ``_raw_`` and
    ``_bad_`` be empty: 26 columns less for the 1M deal changes at M, each computed once."""
    return {c for i in inputs for c, sql in i.columns.items()
            if not sql.plain and (sql.text != sql.shown or sql.bad != "NULL")
            and c in table.column_names}


def build_rows(con: duckdb.DuckDBPyConnection, table: Table, inputs: list[Input]) -> str:
    """Union a table's inputs into its import rows: ``_file``, ``_line``, ``_merge`` (derived
    rows), ``_raw_<c>`` (and ``_text_<c>``, ``_bad_<c>`` where converted) and typed ``<c>`` per
    column. Must run with the session time zone set to the workspace's."""
    converted = converted_columns(table, inputs)
    carried = []
    for c in table.column_names:
        carried.append(_raw(c))
        if c in converted:
            carried += [_text(c), _bad(c)]
    zone = str(con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])
    utc = zone in values.UTC_ZONES
    typed = ", ".join(
        f"{values.typed(c, _text(c.name) if c.name in converted else _raw(c.name), utc=utc)} "
        f"AS {ident(c.name)}"
        for c in table.columns
    )
    name = rows_name(table.name)
    # A view where each row comes straight from one staged file: the checks and the write read
    # only the columns they need, and the typed values are never stored twice. Derived rows (one
    # per key, over all files) and inputs joined with the workspace (stage history compares with
    # the deals as they were before this import) are computed once, before anything is written.
    kind = "TABLE" if any((i.derived or i.reads_workspace) and not i.written for i in inputs) else "VIEW"
    con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS "
                f"SELECT _file, _line, _merge, {', '.join(carried)}, {typed} "
                f"FROM ({_union(table, inputs, converted)})")
    return name


def _converted_in(con: duckdb.DuckDBPyConnection, rows: str) -> set[str]:
    described = con.execute(f"DESCRIBE {rows}").fetchall()
    return {str(r[0])[len("_text_"):] for r in described if str(r[0]).startswith("_text_")}


def _value_checks(table: Table, converted: set[str], nul_free: bool) -> list[RowCheck]:
    out = []
    for c in table.columns:
        text = _text(c.name) if c.name in converted else _raw(c.name)
        check = values.problem(c, text, ident(c.name), nul_free=nul_free, hints=c.name not in converted)
        if c.name in converted:
            # The conversion's own words (``not a date in the format dd.mm.yyyy``) come first.
            check = f"coalesce({_bad(c.name)}, {check})"
        if check != "NULL":
            out.append(RowCheck(f"({check}) IS NOT NULL", literal(c.name),
                                f"coalesce({_raw(c.name)}, '')", check))
    if table.one_of:
        empty = " AND ".join(f"{_raw(c)} IS NULL" for c in table.one_of)
        message = literal("fill in at least one of " + ", ".join(table.one_of))
        out.append(RowCheck(empty, literal(" or ".join(table.one_of)), "''", message))
    return out


def _usable_keys(table: Table) -> str:
    # A malformed (or required and empty) key part is reported already; here it would only
    # collide with other malformed ones.
    return " AND ".join(
        f"{ident(k)} IS NOT NULL" if table.column(k).required
        else f"({_raw(k)} IS NULL OR {ident(k)} IS NOT NULL)"
        for k in table.key
    )


def _repeated_keys(table: Table, rows: str, *, hashed: bool = False) -> str:
    """Keys that repeat; ``hashed``: keys whose hash repeats. Distinct hashes are distinct keys,
    so where no hash repeats (the rule) no key does: 64-bit numbers group in 0.57 s where the 10M
    activity ids take 0.91 s. A repeated hash is only a candidate, which the keys then settle."""
    keys = ", ".join(ident(k) for k in table.key)
    if hashed:
        return (f"SELECT 1 FROM (SELECT count(*) AS n, count(DISTINCT hash({keys})) AS d "
                f"FROM {rows} WHERE {_usable_keys(table)}) WHERE n > d")
    return (f"SELECT 1 FROM {rows} WHERE {_usable_keys(table)} "
            f"GROUP BY {keys} HAVING count(*) > 1")


def _duplicates(table: Table, rows: str, files: list[str]) -> str:
    keys = ", ".join(ident(k) for k in table.key)
    usable = _usable_keys(table)
    names = " ".join(f"WHEN {i} THEN {literal(n)}" for i, n in enumerate(files))
    where = f"CASE WHEN _first_file = _file THEN '' ELSE (CASE _first_file {names} END) || ' ' END"
    label = literal(f"duplicate {', '.join(table.key)}: already on ")
    shown = ", ".join(_raw(k) for k in table.key)
    window = f"PARTITION BY {keys} ORDER BY _file, _line"
    return (
        f"SELECT _file, _line, {literal(', '.join(table.key))}, concat_ws(', ', {shown}), "
        f"{label} || {where} || 'line ' || _first_line "
        f"FROM (SELECT *, first_value(_file) OVER w AS _first_file, "
        f"first_value(_line) OVER w AS _first_line, row_number() OVER w AS _nth "
        f"FROM {rows} WHERE {usable} WINDOW w AS ({window})) WHERE _nth > 1"
    )


def _references(table: Table, imported: dict[str, str], unknown: set[str],
                written: bool = False) -> list[RowCheck]:
    """``written``: the checks run as the table is written (row_problem), when the import's rows
    of every table it refers to are stored already (IMPORT_ORDER puts them first, in the same
    transaction): the lookup reads the stored values alone, not them and the import's again."""
    out = []
    for c in table.columns:
        if c.references is None:
            continue
        target, target_column = c.references.split(".")
        if target in unknown:  # a file of it could not be read: whether the value exists is unknown
            continue
        col, key = ident(c.name), ident(target_column)
        message = literal(f"not found in {target} (neither in the workspace nor in this import)")
        # The stored and the imported values in one lookup: one join over the rows, not two
        # (each costs 0.3 s over 10M activities).
        both = target in imported and not written
        known = (f"(SELECT {key} FROM {ident(target)} UNION ALL SELECT {key} FROM {imported[target]})"
                 if both else ident(target))
        where = f"r.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {known} t WHERE t.{key} = r.{col})"
        if c.references_once_filled:
            # Until the workspace has any (say, accounts), the value is a name like any other.
            filled = f"EXISTS (SELECT 1 FROM {ident(target)})"
            if both:
                filled = f"({filled} OR EXISTS (SELECT 1 FROM {imported[target]}))"
            where += f" AND {filled}"
            message = literal(
                f"not found in {target}: once {target} are imported, a {table.name[:-1]}'s "
                f"{c.name} must be one of their {target_column}s (neither the workspace nor this "
                f"import has it); add it to {target}, or leave the {c.name} empty")
        out.append(RowCheck(where, literal(c.name), _raw(c.name), message))
    return out


def _ranks(table: Table) -> str:
    """Orders the problems of one line by the table's column order."""
    rank = {name: i for i, name in enumerate(table.column_names)}
    rank[", ".join(table.key)] = rank[table.key[0]]
    if table.one_of:
        rank[" or ".join(table.one_of)] = rank[table.one_of[0]]
    cases = " ".join(f"WHEN {literal(name)} THEN {i}" for name, i in rank.items())
    return f"CASE _column {cases} ELSE {len(rank)} END"


def _any(con: duckdb.DuckDBPyConnection, sql: str) -> bool:
    return bool(con.execute(f"SELECT EXISTS ({sql})").fetchall()[0][0])


def _row_checks(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str],
                unknown: set[str], nul_free: bool, written: bool = False) -> list[RowCheck]:
    checks = _value_checks(table, _converted_in(con, imported[table.name]), nul_free)
    rule = RULES.get(table.name)
    if rule is not None:
        checks += rule()
    return checks + _references(table, imported, unknown, written)


def row_problem(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str],
                unknown: set[str], *, nul_free: bool = False) -> str | None:
    """SQL over an import row ``r`` of ``table``, true where the row has a problem of its own (a
    value, a rule, a reference found nowhere); None where no check applies. The write of a table
    the workspace holds nothing of yet filters by it (write.py), which costs little there: writing
    waits on storing, not on reading (over 10M activities the write takes 0.2-0.4 s longer, and
    the pass of checks before it, 1 s, goes). References are looked up in the stored tables,
    which hold the import's own rows by then."""
    checks = _row_checks(con, table, imported, unknown, nul_free, written=True)
    return " OR ".join(f"({c.where})" for c in checks) or None


def check_rows(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str],
               unknown: set[str], log: ProblemLog, *, nul_free: bool = False) -> None:
    """Log every problem of ``table``'s import rows of their own (values, rules, references).

    Import rows are mostly views, computed as they are read, so one pass first asks whether any
    row has a problem; only when one does does the query per check run that names each problem
    and its line.
    """
    rows = imported[table.name]
    checks = _row_checks(con, table, imported, unknown, nul_free)
    if checks and _any(con, f"SELECT 1 FROM {rows} r WHERE "
                            + " OR ".join(f"({c.where})" for c in checks)):
        _log(con, table, log, [f"SELECT _file, _line, {c.column}, {c.value}, {c.message} "
                               f"FROM {rows} r WHERE {c.where}" for c in checks])


def repeats_keys(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str]) -> bool:
    """Whether some import row has the key of another."""
    rows = imported[table.name]
    return _any(con, _repeated_keys(table, rows, hashed=True)) and _any(con, _repeated_keys(table, rows))


def check_keys(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str],
               log: ProblemLog) -> None:
    """Log every import row whose key an earlier row of the import has."""
    if repeats_keys(con, table, imported):
        _log(con, table, log, [_duplicates(table, imported[table.name], log.files)], first=_KEYS)


def check_table(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str],
                unknown: set[str], log: ProblemLog, *, nul_free: bool = False) -> None:
    """Log every problem of ``table``'s import rows. ``imported`` names the import rows of each
    table in this import; ``unknown`` holds tables with a file that could not be staged;
    ``nul_free``: every row comes from a file without NUL bytes (0.3 s less over 10M activities).
    """
    check_rows(con, table, imported, unknown, log, nul_free=nul_free)
    check_keys(con, table, imported, log)


# Problems of one line and column come in the order of their checks (two rules on closed_at), and
# a repeated key after the row's own problems: parts of each problem's rank.
_CHECKS = 1000
_KEYS = _CHECKS - 1


def _log(con: duckdb.DuckDBPyConnection, table: Table, log: ProblemLog, checks: list[str],
         first: int = 0) -> None:
    union = " UNION ALL ".join(f"(SELECT *, {first + i} FROM ({c}))" for i, c in enumerate(checks))
    log.add_query(con, f"SELECT _file, _line, {_ranks(table)} * {_CHECKS} + _check, _column, _value, "
                       f"_message FROM ({union}) AS found(_file, _line, _column, _value, _message, _check)")
