"""One spelling per label: a lost reason, source or pipeline written "Price", "price" and "PRICE"
is one label, and grouped as three it split the first reason for losing into three rows of 14 %
(a board read none of them as the top one, at 43 %).

The import writes each such label as it is spelled most: as stored in the workspace (its most
frequent spelling there), else as this import spells it most (ties: the first in sort order). A
label no one spells otherwise is left as it is. Importing the same file again changes nothing: its
labels meet the spellings it wrote."""

from __future__ import annotations

import duckdb

from .check.rules import rows_name

# The deals' free-text labels that reports group by.
LABELS = ("lost_reason", "source", "pipeline")
SPELLED = rows_name("deals") + "_spelled"
SPELLINGS = rows_name("deals") + "_spellings"


def one_spelling(con: duckdb.DuckDBPyConnection, rows: str) -> str:
    """The import rows of deals (``rows``) with each label in its one spelling; the view's name.
    The labels are counted in one pass over the rows (a first import of a large file reads them
    from the file: each pass parses it again), and the few spelt several ways kept apart."""
    stored = " UNION ALL ".join(
        f"SELECT '{label}' AS label, lower({label}) AS key, {label} AS spelling, 1 AS stored, "
        f"count(*) AS n FROM deals WHERE {label} IS NOT NULL GROUP BY ALL" for label in LABELS)
    fresh = ("SELECT label, lower(spelling) AS key, spelling, 0 AS stored, count(*) AS n FROM "
             f"(SELECT UNNEST([{', '.join(repr(label) for label in LABELS)}]) AS label, "
             f"UNNEST([{', '.join(LABELS)}]) AS spelling FROM {rows}) "
             "WHERE spelling IS NOT NULL GROUP BY ALL")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {SPELLINGS} AS SELECT label, key, spelling FROM ("
        "SELECT label, key, spelling, row_number() OVER (PARTITION BY label, key "
        "ORDER BY stored DESC, n DESC, spelling) AS rank, "
        "count(DISTINCT spelling) OVER (PARTITION BY label, key) AS spellings "
        f"FROM ({stored} UNION ALL {fresh})) WHERE rank = 1 AND spellings > 1")
    joins = " ".join(f"LEFT JOIN {SPELLINGS} s{i} ON s{i}.label = '{label}' "
                     f"AND s{i}.key = lower(r.{label})" for i, label in enumerate(LABELS))
    replaced = ", ".join(f"coalesce(s{i}.spelling, r.{label}) AS {label}" for i, label in enumerate(LABELS))
    con.execute(f"CREATE OR REPLACE TEMP VIEW {SPELLED} AS SELECT r.* REPLACE ({replaced}) "
                f"FROM {rows} r {joins}")
    return SPELLED
