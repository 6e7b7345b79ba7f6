"""Checking an import's rows: each table's staged files become one table of text and typed values
(its import rows), and every check is a query over it. Nothing here writes to the workspace.

A check yields ``(_file, _line, column, value, message)`` rows; ``value`` is the text as written.
"""

from __future__ import annotations

import duckdb

from ..schema import Table
from . import values
from .problems import ProblemLog
from .rules import RULES
from .sql import ident, literal
from .staging import Input


def rows_name(table: str) -> str:
    return f"_import_rows_{table}"


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
    explicit = [i for i in inputs if not i.derived]
    derived = [i for i in inputs if i.derived]
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
    return {c for i in inputs for c, sql in i.columns.items() if not sql.plain and c in
            table.column_names}


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
    typed = ", ".join(
        f"{values.typed(c, _text(c.name) if c.name in converted else _raw(c.name))} AS {ident(c.name)}"
        for c in table.columns
    )
    name = rows_name(table.name)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS "
                f"SELECT _file, _line, _merge, {', '.join(carried)}, {typed} "
                f"FROM ({_union(table, inputs, converted)})")
    return name


def _converted_in(con: duckdb.DuckDBPyConnection, rows: str) -> set[str]:
    described = con.execute(f"DESCRIBE {rows}").fetchall()
    return {str(r[0])[len("_text_"):] for r in described if str(r[0]).startswith("_text_")}


def _value_checks(table: Table, rows: str, converted: set[str]) -> list[str]:
    out = []
    for c in table.columns:
        text = _text(c.name) if c.name in converted else _raw(c.name)
        check = values.problem(c, text, ident(c.name))
        if c.name in converted:
            # The conversion's own words (``not a date in the format dd.mm.yyyy``) come first.
            check = f"coalesce({_bad(c.name)}, {check})"
        if check != "NULL":
            out.append(f"SELECT _file, _line, {literal(c.name)}, coalesce({_raw(c.name)}, ''), "
                       f"{check} AS _msg FROM {rows} WHERE _msg IS NOT NULL")
    if table.one_of:
        empty = " AND ".join(f"{_raw(c)} IS NULL" for c in table.one_of)
        message = literal("fill in at least one of " + ", ".join(table.one_of))
        out.append(f"SELECT _file, _line, {literal(' or '.join(table.one_of))}, '', {message} "
                   f"FROM {rows} WHERE {empty}")
    return out


def _duplicates(table: Table, rows: str, files: list[str]) -> str:
    keys = ", ".join(ident(k) for k in table.key)
    # A malformed (or required and empty) key part is reported already; here it would only
    # collide with other malformed ones.
    usable = " AND ".join(
        f"{ident(k)} IS NOT NULL" if table.column(k).required
        else f"({_raw(k)} IS NULL OR {ident(k)} IS NOT NULL)"
        for k in table.key
    )
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


def _references(table: Table, rows: str, imported: dict[str, str], unknown: set[str]) -> list[str]:
    out = []
    for c in table.columns:
        if c.references is None:
            continue
        target, target_column = c.references.split(".")
        if target in unknown:  # a file of it could not be read: whether the value exists is unknown
            continue
        col, key = ident(c.name), ident(target_column)
        message = literal(f"not found in {target} (neither in the workspace nor in this import)")
        sql = (f"SELECT _file, _line, {literal(c.name)}, {_raw(c.name)}, {message} "
               f"FROM {rows} r WHERE r.{col} IS NOT NULL "
               f"AND NOT EXISTS (SELECT 1 FROM {ident(target)} t WHERE t.{key} = r.{col})")
        if target in imported:
            sql += f" AND NOT EXISTS (SELECT 1 FROM {imported[target]} i WHERE i.{key} = r.{col})"
        out.append(sql)
    return out


def _ranks(table: Table) -> str:
    """Orders the problems of one line by the table's column order."""
    rank = {name: i for i, name in enumerate(table.column_names)}
    rank[", ".join(table.key)] = rank[table.key[0]]
    if table.one_of:
        rank[" or ".join(table.one_of)] = rank[table.one_of[0]]
    cases = " ".join(f"WHEN {literal(name)} THEN {i}" for name, i in rank.items())
    return f"CASE _column {cases} ELSE {len(rank)} END"


def check_table(con: duckdb.DuckDBPyConnection, table: Table, imported: dict[str, str],
                unknown: set[str], log: ProblemLog) -> None:
    """Log every problem of ``table``'s import rows. ``imported`` names the import rows of each
    table in this import; ``unknown`` holds tables with a file that could not be staged."""
    rows = imported[table.name]
    checks = _value_checks(table, rows, _converted_in(con, rows))
    rule = RULES.get(table.name)
    if rule is not None:
        checks += rule(rows)
    checks.append(_duplicates(table, rows, log.files))
    checks += _references(table, rows, imported, unknown)
    union = " UNION ALL ".join(f"({c})" for c in checks)
    log.add_query(con, f"SELECT _file, _line, {_ranks(table)}, _column, _value, _message "
                       f"FROM ({union}) AS found(_file, _line, _column, _value, _message)")
