"""Quotas of one rep whose days overlap: a corrected quota imported beside the one it corrects.

A quota's key is its rep, team and days, so a quota typed again with one day less (31 March
written as 30 March) is a second quota, not a change of the first, and quota attainment sums
both: 1,000.10 won against 3,000.00 read 16.7 %. A quarterly quota beside the months of the same
quarter is summed the same way. Either may be meant (quotas split over products), so the import
writes them and says so (counts.Overlap).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb

from .counts import Overlap


def overlapping_quotas(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> tuple[Overlap, ...]:
    """The reps with two quotas of the same team whose days overlap, when the import wrote quotas
    (``tables``): how many reps, and one such pair (the earliest)."""
    if "quotas" not in tables:
        return ()
    reps, example = con.execute(
        """WITH pairs AS (
               SELECT a.rep_id, a.period_start AS a_start, a.period_end AS a_end,
                      b.period_start AS b_start, b.period_end AS b_end
               FROM quotas a JOIN quotas b ON a.rep_id = b.rep_id
                    AND a.team IS NOT DISTINCT FROM b.team
                    AND (a.period_start, a.period_end) < (b.period_start, b.period_end)
                    AND a.period_start <= b.period_end AND b.period_start <= a.period_end)
           SELECT count(DISTINCT rep_id), arg_min([rep_id, CAST(a_start AS VARCHAR), CAST(a_end AS VARCHAR),
                                                  CAST(b_start AS VARCHAR), CAST(b_end AS VARCHAR)],
                                                 (a_start, rep_id))
           FROM pairs""").fetchall()[0]
    if not reps:
        return ()
    rep, *days = example
    spans = ((date.fromisoformat(days[0]), date.fromisoformat(days[1])),
             (date.fromisoformat(days[2]), date.fromisoformat(days[3])))
    return (Overlap("quotas", int(reps), str(rep), spans),)
