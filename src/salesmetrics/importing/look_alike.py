"""Answers stored twice under different ids: the same survey exported twice.

A survey export seldom has an id column, so its mapping takes each answer's time for one
(``import --inspect`` proposes it). Two exports of one survey can write that time differently
(``11/1/2019 8:51:12`` and ``2019-11-01 08:51:12.402``): every answer then gets a second id, and NPS
counts each twice, its interval narrowed as if twice the people had answered. Nothing about such a
pair is wrong on its own, so the import writes it and says so (counts.LookAlike).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from .counts import LookAlike

# Two answers alike in all of this, to the second, are one answer, unless two people gave the same
# score in the same second (rare without an account; never with one).
_SAME = "score, account, rep_id, date_trunc('second', responded_at)"


def look_alike(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> tuple[LookAlike, ...]:
    """The answers in the workspace on ``con`` that agree with another under a different id, when
    the import wrote answers (``tables``): how many are extra copies, and the ids of one set."""
    if "nps_responses" not in tables:
        return ()
    extra, example = con.execute(
        f"""WITH sets AS (
                SELECT count(*) AS n, list(response_id ORDER BY response_id) AS ids,
                       min(responded_at) AS first_at
                FROM nps_responses
                -- A time at midnight is a day without its time (an export of dates): two people
                -- answering alike the same day are not copies.
                WHERE responded_at <> date_trunc('day', responded_at)
                GROUP BY {_SAME} HAVING count(*) > 1)
            SELECT sum(n - 1), arg_min(ids[1:2], first_at) FROM sets""").fetchall()[0]
    if not extra:
        return ()
    return (LookAlike("nps_responses", int(extra), tuple(str(i) for i in example)),)
