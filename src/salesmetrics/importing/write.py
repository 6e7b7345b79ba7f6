"""Writing checked import rows into the workspace.

A row replaces the record with the same key (``Table.key``; empty key parts match empty ones)
entirely: columns the file left out become empty, so the workspace holds what the newest file
says, never a mix of two exports. A row equal to its record is left alone and counted as
unchanged; the data version moves only when something changed.

Derived rows (``_merge``: the owner named on a deal, made a rep) are the exception: they only fill
in what they carry, so a rep's team imported from a reps file survives the next deals export.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping

import duckdb

from .. import storage
from ..schema import IMPORT_ORDER, TABLES, Table
from .counts import TableCounts
from .sql import ident


class RowsRefused(Exception):
    """A row written under a guard has a problem: the transaction is rolled back, and the checks
    run the long way to name every problem."""


def _same_key(table: Table, left: str, right: str) -> str:
    # ``=`` where a key part is required, so DuckDB hash-joins on it; null-safe for optional parts.
    return " AND ".join(
        f"{left}.{ident(k)} = {right}.{ident(k)}" if table.column(k).required
        else f"{left}.{ident(k)} IS NOT DISTINCT FROM {right}.{ident(k)}" for k in table.key
    )


def _differs(table: Table) -> str:
    """Whether import row ``r`` changes stored record ``t`` (a derived row only by what it adds)."""
    others = [c for c in table.column_names if c not in table.key]
    differs = " OR ".join(f"r.{ident(c)} IS DISTINCT FROM t.{ident(c)}" for c in others)
    adds = " OR ".join(f"(r.{ident(c)} IS NOT NULL AND r.{ident(c)} IS DISTINCT FROM t.{ident(c)})"
                       for c in others)
    return f"CASE WHEN r._merge THEN {adds or 'false'} ELSE {differs or 'false'} END"


def holds_any(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the workspace holds a record of ``table``."""
    return bool(_count(con, f"SELECT count(*) FROM (SELECT 1 FROM {ident(table)} LIMIT 1)")[0])


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, ...]:
    return tuple(int(v or 0) for v in con.execute(sql).fetchall()[0])


def _in_time_order(table: Table, prefix: str = "") -> str:
    """New records are written in the order of the moment that places them in a period
    (storage.TIME_ORDER), so DuckDB's zone maps (each row group's min and max) let a month's query
    skip the row groups of other months: 10-40x less of the 10M activities read at 1M deals."""
    column = storage.TIME_ORDER.get(table.name)
    return f" ORDER BY {prefix}{ident(column)} NULLS LAST" if column else ""


# Per table, per column, the files (``_file``) of the import that give it no value: a record is
# replaced whole, so each record such a file replaces loses what it had there.
Lacking = Mapping[str, Mapping[str, frozenset[int]]]


def _repeats_stored(con: duckdb.DuckDBPyConnection, table: Table) -> bool:
    """Whether two stored records of ``table`` share a key (checked by their hashes first: 1.3 s
    over 10M activities, where the exact test groups the keys themselves)."""
    keys = ", ".join(ident(k) for k in table.key)
    target = ident(table.name)
    (hashes,) = _count(con, f"SELECT count(*) - count(DISTINCT hash({keys})) FROM {target}")
    return bool(hashes) and bool(_count(con, f"SELECT EXISTS (SELECT 1 FROM {target} "
                                             f"GROUP BY {keys} HAVING count(*) > 1)")[0])


def _insert_new(con: duckdb.DuckDBPyConnection, table: Table, rows: str, keep: str | None = None) -> int:
    """Insert import rows ``r`` (those where ``keep`` holds) into a table that holds nothing yet,
    in time order; returns how many were written."""
    columns = ", ".join(ident(c) for c in table.column_names)
    where = f" WHERE {keep}" if keep else ""
    return _count(con, f"INSERT INTO {ident(table.name)} ({columns}) SELECT {columns} "
                       f"FROM {rows} r{where}{_in_time_order(table)}")[0]


def _write_straight(con: duckdb.DuckDBPyConnection, table: Table, rows: str,
                    guard: str | None) -> TableCounts:
    """A table the workspace holds nothing of, written straight from its one file (its rows are
    read once, here). A row with a problem stops the write, as does a key found twice in what it
    wrote (RowsRefused), a value DuckDB cannot read or a line the file's reader refuses (a DuckDB
    error, which the import tells from a full disk: importing/run.py, _again_if). Then the import
    is done again the usual way, which names every problem on its line."""
    if holds_any(con, table.name):
        raise RowsRefused(table.name)
    keep = f"CASE WHEN coalesce({guard}, false) THEN error('refused') ELSE true END" if guard else None
    written = _insert_new(con, table, rows, keep)
    if _repeats_stored(con, table):
        raise RowsRefused(table.name)
    return TableCounts(table.name, inserted=written, updated=0, unchanged=0)


def _upsert(con: duckdb.DuckDBPyConnection, table: Table, rows: str,
            guard: str | None = None, lacking: Mapping[str, frozenset[int]] | None = None) -> TableCounts:
    """Only rows whose key is stored are compared, by an inner join; the rest are inserted, found
    by an anti-join. Neither is materialised: a re-import of unchanged rows costs one join, a first
    import none at all.

    ``guard`` (validate.row_problem) is true over an import row ``r`` that has a problem the
    checks left to this write: a first import writes only the rows without one and raises
    RowsRefused if that was not all of them. ``lacking``: per column, the files that give it no
    value; the same join counts the stored values their rows empty (a record is replaced whole).
    """
    target = ident(table.name)
    columns = ", ".join(ident(c) for c in table.column_names)
    (total,) = _count(con, f"SELECT count(*) FROM {rows}")
    if not holds_any(con, table.name):
        keep = f"NOT coalesce({guard}, false)" if guard else None
        if total and _insert_new(con, table, rows, keep) != total:
            raise RowsRefused(table.name)
        return TableCounts(table.name, inserted=total, updated=0, unchanged=0)
    if guard:  # filled since the checks looked: the rows are checked here, before writing
        (refused,) = _count(con, f"SELECT EXISTS (SELECT 1 FROM {rows} r WHERE {guard})")
        if refused:
            raise RowsRefused(table.name)
    matched = f"FROM {rows} r JOIN {target} t ON {_same_key(table, 'r', 't')}"
    others = [c for c in table.column_names if c not in table.key]
    absent = [c for c in others if (lacking or {}).get(c)]
    # Derived rows (``_merge``) fill in only what they carry: they empty nothing.
    lost = "".join(f", count(*) FILTER (WHERE NOT r._merge AND r._file IN "
                   f"({', '.join(str(f) for f in sorted((lacking or {})[c]))}) "
                   f"AND t.{ident(c)} IS NOT NULL AND r.{ident(c)} IS NULL)" for c in absent)
    found, changed, *emptied = _count(
        con, f"SELECT count(*), count(*) FILTER ({_differs(table)}){lost} {matched}")
    if changed and others:
        picked = ", ".join(f"r.{ident(c)}" for c in table.column_names)
        assignments = ", ".join(
            f"{ident(c)} = CASE WHEN c._merge THEN coalesce(c.{ident(c)}, {target}.{ident(c)}) "
            f"ELSE c.{ident(c)} END" for c in others)
        con.execute(f"UPDATE {target} SET {assignments} "
                    f"FROM (SELECT {picked}, r._merge {matched} WHERE {_differs(table)}) c "
                    f"WHERE {_same_key(table, target, 'c')}")
    if total > found:
        con.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {rows} r "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {_same_key(table, 'r', 't')})"
                    f"{_in_time_order(table, 'r.')}")
    return TableCounts(table.name, inserted=total - found, updated=changed,
                       unchanged=found - changed,
                       emptied=tuple((c, n) for c, n in zip(absent, emptied, strict=True) if n))


# An import of at most this share of the stored activities and deals renews the activities'
# rollup for the deals it touches; a larger one has it rebuilt whole (storage.ACTIVITY_ROLLUP).
RENEW_SHARE = 0.25


def _touched_deals(con: duckdb.DuckDBPyConnection, rows: Mapping[str, str]) -> str | None:
    """A temporary table of the deals whose lines of the activities' rollup the import's rows may
    change (its deals, its activities' deals, and the deals its activities were on before), where
    renewing those beats rebuilding it: the rollups are fresh, and the import is small beside what
    is stored. Made before the rows are written, which would leave no trace of an activity's old
    deal. None: rebuild it (or nothing to do)."""
    if not ({"activities", "deals"} & set(rows)) or not storage.rollups_fresh(con):
        return None
    for table in ("activities", "deals"):
        (stored,) = _count(con, f"SELECT count(*) FROM {ident(table)}")
        if not stored:
            return None
        given = _count(con, f"SELECT count(*) FROM {rows[table]}")[0] if table in rows else 0
        if given > RENEW_SHARE * stored:
            return None
    parts = []
    if "deals" in rows:
        parts.append(f"SELECT deal_id FROM {rows['deals']}")
    if "activities" in rows:
        acts = rows["activities"]
        parts += [f"SELECT deal_id FROM {acts} WHERE deal_id IS NOT NULL",
                  f"SELECT t.deal_id FROM activities t JOIN {acts} r "
                  f"ON {_same_key(TABLES['activities'], 'r', 't')} WHERE t.deal_id IS NOT NULL"]
    con.execute(f"CREATE OR REPLACE TEMP TABLE _touched_deals AS {' UNION '.join(parts)}")
    return "_touched_deals"


def write_all(con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: Callable[[str], None] | None = None,
              guards: Mapping[str, str] | None = None,
              lacking: Lacking | None = None,
              straight_tables: frozenset[str] = frozenset()) -> list[TableCounts]:
    """Upsert every table's import rows in one transaction, in IMPORT_ORDER; all or nothing.
    ``guards``: per table, the problems its rows were not checked for yet; ``lacking``: the columns
    the files give no value to (see _upsert); ``straight_tables``: those written straight from
    their file (see _write_straight)."""
    counts: list[TableCounts] = []
    con.execute("BEGIN TRANSACTION")
    try:
        touched = _touched_deals(con, rows)
        for name in IMPORT_ORDER:
            if name in rows:
                if on_table:
                    on_table(name)
                if name in straight_tables:
                    counts.append(_write_straight(con, TABLES[name], rows[name], (guards or {}).get(name)))
                else:
                    counts.append(_upsert(con, TABLES[name], rows[name], (guards or {}).get(name),
                                          (lacking or {}).get(name)))
        changed = {c.table for c in counts if c.changed}
        if changed:
            renewed: set[str] = set()
            if touched and changed & {"activities", "deals"}:
                storage.renew_activities(con, touched)
                renewed.add(storage.ACTIVITY_ROLLUP)
            storage.bump_data_version(con, records=changed, renewed=renewed)
        con.execute("COMMIT")
    except BaseException:
        # A failed COMMIT has ended the transaction already; the first error is the one to see.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        # DuckDB writes a large transaction's blocks to the file before it commits; rolled back,
        # they are free space the file would keep. A checkpoint gives it back.
        with contextlib.suppress(duckdb.Error):
            con.execute("CHECKPOINT")
        raise
    finally:
        with contextlib.suppress(duckdb.Error):
            con.execute("DROP TABLE IF EXISTS _touched_deals")
    return counts
