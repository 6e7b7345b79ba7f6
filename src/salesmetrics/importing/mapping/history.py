"""Stage history from exports that carry none: each import compares the deals of a CRM export with
the workspace and records a deal's new stage when it moved, so repeated imports of newer exports
build the history a pipeline analysis needs.

* A deal already in the workspace whose stage changed gets ``(deal, new stage, when)``: ``when`` is
  the export's time of the last stage change where it has one (Pipedrive ``stage_change_time``,
  Salesforce ``LastStageChangeDate``), else the import's time.
* A deal whose status changed but not its stage (Pipedrive keeps a won deal in its last stage) gets
  the status as the stage entered (``won``), at its close date.
* A deal new to the workspace gets an entry only when the export says when its stage was entered:
  the import's time would claim it entered its stage just now.

The entry's key is (deal, stage, time), so importing the same export twice records nothing twice.

Every import of deals, CRM export or canonical file, also keeps the history of what a forecast rests
on (:func:`changes_input`): ``deal_changes`` holds the old and new amount, expected close date,
forecast category, probability and stage of each deal that changed, at the import's time.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from ...schema import TABLES, TRACKED_DEAL_COLUMNS
from ..check import values
from ..check.rules import rows_name
from ..read.staging import Input
from ..sql import literal
from .exprs import ColumnSql, Compiler, Expr

# Values a deal's close tells: kept as they stand now only for a moment after it (told_history).
_OUTCOME_TOLD = ("stage", "probability", "forecast_category")
# The import rows of deal_changes with the values their files do not tell filled in (told_history).
TOLD = rows_name("deal_changes") + "_told"


def history_input(index: int, stage: str, c: Compiler, changed_at: Expr | None, now: str) -> Input:
    deal, status = c.ref("deal_id"), f"lower({c.ref('status')})"
    new_stage = c.ref("stage") if "stage" in c.columns else "NULL::VARCHAR"
    closed = c.ref("closed_at") if "closed_at" in c.columns else "NULL::VARCHAR"
    when = changed_at.sql("timestamp", c).sql if changed_at is not None else "NULL::VARCHAR"
    at = literal(now)
    known = "_w.deal_id IS NOT NULL"
    moved = f"_w.stage IS DISTINCT FROM {new_stage}"
    status_only = f"({known} AND NOT ({moved}))"
    entry = f"CASE WHEN {status_only} THEN {status} ELSE coalesce({new_stage}, {status}) END"
    entered = (f"CASE WHEN {status_only} THEN CASE WHEN {status} IN ('won', 'lost') "
               f"THEN coalesce({closed}, {at}) ELSE {at} END ELSE coalesce({when}, {at}) END")
    where = (f"{deal} IS NOT NULL AND {entry} IS NOT NULL AND ("
             f"({known} AND ({moved} OR _w.status IS DISTINCT FROM {status})) "
             f"OR (_w.deal_id IS NULL AND {when} IS NOT NULL AND {new_stage} IS NOT NULL))")
    columns = {"deal_id": ColumnSql(deal, deal), "stage": ColumnSql(entry, entry),
               "entered_at": ColumnSql(entered, entered)}
    return Input(index, "stage_history", f"{stage} LEFT JOIN deals _w ON _w.deal_id = {deal}",
                 columns, derived=True, where=where, reads_workspace=True)


def changes_input(index: int, stage: str, c: Compiler, now: str) -> Input:
    """The deal's row of ``deal_changes`` for this import: a deal new to the workspace gets its first
    values (old ones empty); a deal whose amount, expected close date, forecast category,
    probability or stage differs from the stored one gets the old and the new values. Both at the
    import's time: exports say what a deal is now, not when it became so.

    Values are compared typed, as they will be stored (``1200`` and ``1200.00`` are the same
    amount). A value the deal's own checks refuse is left out here, so the problem is reported
    once, on the deal; the import is refused anyway.
    """
    deals = TABLES["deals"]
    deal = c.ref("deal_id")

    def new(name: str) -> str:
        column = deals.column(name)
        text = c.ref(name) if name in c.columns else "NULL::VARCHAR"
        value = values.typed(column, text)
        return f"CASE WHEN ({values.problem(column, text, value)}) IS NULL THEN {value} END"

    known = "_w.deal_id IS NOT NULL"
    changed = " OR ".join(f"({new(n)}) IS DISTINCT FROM _w.{n}" for n in TRACKED_DEAL_COLUMNS)
    columns = {"deal_id": ColumnSql(deal, deal), "changed_at": ColumnSql(literal(now), literal(now))}
    for name in TRACKED_DEAL_COLUMNS:
        old = f"CAST(_w.{name} AS VARCHAR)"
        fresh = f"CAST(({new(name)}) AS VARCHAR)"
        columns[f"old_{name}"] = ColumnSql(old, old)
        columns[f"new_{name}"] = ColumnSql(fresh, fresh)
    where = f"{deal} IS NOT NULL AND (NOT ({known}) OR {changed})"
    return Input(index, "deal_changes", f"{stage} LEFT JOIN deals _w ON _w.deal_id = {deal}",
                 columns, derived=True, where=where, reads_workspace=True)


def first_changes_input(index: int, now: str) -> Input:
    """What :func:`changes_input` gives for the first deals of a workspace that holds no deal and
    no history yet, and one file of deals: every deal is new, so its entry is its values as
    stored, old ones empty. Read from the deals as this import writes them (deal_changes comes
    after deals, IMPORT_ORDER), not typed from the file and kept before the write: 1M deals at M
    take 1.7 s that way."""
    at = literal(now)
    columns = {"deal_id": ColumnSql("deal_id", "deal_id"), "changed_at": ColumnSql(at, at)}
    for name in TRACKED_DEAL_COLUMNS:
        fresh = f"CAST({name} AS VARCHAR)"
        columns[f"old_{name}"] = ColumnSql("NULL::VARCHAR", "NULL::VARCHAR")
        columns[f"new_{name}"] = ColumnSql(fresh, fresh)
    return Input(index, "deal_changes", "(SELECT *, NULL::BIGINT AS _line FROM deals)", columns,
                 derived=True, written=True, nul_free=True)


def told_history(con: duckdb.DuckDBPyConnection, rows: str, lacking: Mapping[str, frozenset[int]],
                 files: frozenset[int]) -> tuple[str, dict[str, frozenset[int]]]:
    """The import rows of deal_changes (``rows``) with the tracked values an entry of a file of them
    (``files``) does not tell filled in: neither its old nor its new value, for one entry (a CRM's
    field history, a row per change of one field, the others empty) or every one (a file without
    the columns; ``lacking``: per column, the files without it). Such a value is as it stood then,
    unchanged by the entry: the new value of the deal's last entry before it that tells it, else the
    old value of its first entry after it that does, else the deal's as stored once the import's
    deals are written; but never, before a deal's close, the stage, probability and category its
    close tells (_OUTCOME_TOLD). Empty, a history of close dates alone read as amounts of $0.00 and no
    forecast category (a forecast as of a past day put $0.00 where $13,000 was committed).
    Returns the rows to write, and what is left lacking.

    The entries around one are the deal's in every file of the import and those the workspace keeps
    already (a history of amounts imported before one of dates; the entry itself as an import before
    filled it, so importing the file again changes nothing). A kept entry without an old amount is
    the deal's first known values (deal_history reads it so): after an entry, its new ones stand."""
    if not files:
        return rows, dict(lacking)
    mine = f"_file IN ({', '.join(str(f) for f in sorted(files))})"
    columns = ", ".join(f"{side}_{name}" for name in TRACKED_DEAL_COLUMNS for side in ("old", "new"))
    stood: list[str] = []
    filled: list[str] = []
    for name in TRACKED_DEAL_COLUMNS:
        told = f"(p.old_{name} IS NOT NULL OR p.new_{name} IS NOT NULL)"
        then = f"CASE WHEN p._kept AND p.old_amount IS NULL THEN p.new_{name} ELSE p.old_{name} END"
        # What a deal's close tells (its stage, probability and forecast category: closed won, 100 %)
        # is never how it stood while open (a forecast as of a day it was open weighted it by how it
        # ended; a tester). An entry before the close takes it neither from the deal as stored, nor
        # from an import's first entry of the deal after the close (its values are the deal's then,
        # closed): such an entry ends the search with nothing, unknown. A field history's row of the
        # close itself still says, by its old value, how the deal stood before (the review).
        value = f"{{'v': {then}}}"
        if name in _OUTCOME_TOLD:
            value = (f"CASE WHEN p._kept AND p.old_amount IS NULL AND p.changed_at >= d.closed_at "
                     f"THEN {{'v': NULL}} ELSE {value} END")
        before = (f"last_value(CASE WHEN {told} THEN {{'v': p.new_{name}}} END IGNORE NULLS) OVER "
                  "(w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)")
        after = (f"first_value(CASE WHEN {told} THEN {value} END IGNORE NULLS) OVER "
                 "(w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)")
        stored = (f"{{'v': d.{name}}}" if name not in _OUTCOME_TOLD else
                  f"CASE WHEN d.closed_at IS NULL OR d.closed_at <= p.changed_at THEN {{'v': d.{name}}} END")
        stood.append(f"CASE WHEN NOT p._kept AND NOT {told} THEN coalesce({before}, {after}, "
                     f"{stored}).v END AS _stood_{name}")
        filled.extend(f"coalesce(s._stood_{name}, r.{side}_{name}) AS {side}_{name}"
                      for side in ("old", "new"))
    # One window over a deal's entries in time, the kept ones first at the same moment (the entry as
    # filled before). The import's own entries (a deal's values now, whole) are not in it.
    pool = (f"SELECT deal_id, changed_at, _file, _line, false AS _kept, {columns} FROM {rows} WHERE {mine} "
            f"UNION ALL SELECT deal_id, changed_at, NULL, NULL, true, {columns} FROM deal_changes "
            f"WHERE deal_id IN (SELECT deal_id FROM {rows} WHERE {mine})")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {TOLD} AS SELECT r.* REPLACE ({', '.join(filled)}) "
                f"FROM {rows} r LEFT JOIN (SELECT p._file, p._line, {', '.join(stood)} FROM ({pool}) p "
                "LEFT JOIN deals d ON d.deal_id = p.deal_id WINDOW w AS "
                "(PARTITION BY p.deal_id ORDER BY p.changed_at, p._kept DESC, p._file, p._line)) s "
                f"ON s._file = r._file AND s._line = r._line AND r.{mine}")
    untold = {name for name in TRACKED_DEAL_COLUMNS
              if lacking.get(f"old_{name}", frozenset()) & lacking.get(f"new_{name}", frozenset())}
    now_told = {f"{side}_{name}" for name in untold for side in ("old", "new")}
    return TOLD, {column: files for column, files in lacking.items() if column not in now_told}
