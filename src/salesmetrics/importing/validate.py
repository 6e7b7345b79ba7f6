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
from .staging import Staged


def rows_name(table: str) -> str:
    return f"_import_rows_{table}"


def _raw(column: str) -> str:
    return ident(f"_raw_{column}")


def build_rows(con: duckdb.DuckDBPyConnection, table: Table, staged: list[Staged]) -> str:
    """Union a table's staged files into its import rows: ``_file``, ``_line``, ``_raw_<c>`` and
    typed ``<c>`` per column. Must run with the session time zone set to the workspace's."""
    renamed = ", ".join(f"{ident(c)} AS {_raw(c)}" for c in table.column_names)
    union = " UNION ALL ".join(
        f"SELECT {s.index} AS _file, _line, {renamed} FROM {s.table}" for s in staged
    )
    raw = ", ".join(_raw(c) for c in table.column_names)
    typed = ", ".join(f"{values.typed(c, _raw(c.name))} AS {ident(c.name)}" for c in table.columns)
    name = rows_name(table.name)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS "
                f"SELECT _file, _line, {raw}, {typed} FROM ({union})")
    return name


def _value_checks(table: Table, rows: str) -> list[str]:
    out = []
    for c in table.columns:
        check = values.problem(c, _raw(c.name), ident(c.name))
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
    checks = _value_checks(table, rows)
    rule = RULES.get(table.name)
    if rule is not None:
        checks += rule(rows)
    checks.append(_duplicates(table, rows, log.files))
    checks += _references(table, rows, imported, unknown)
    union = " UNION ALL ".join(f"({c})" for c in checks)
    log.add_query(con, f"SELECT _file, _line, {_ranks(table)}, _column, _value, _message "
                       f"FROM ({union}) AS found(_file, _line, _column, _value, _message)")
