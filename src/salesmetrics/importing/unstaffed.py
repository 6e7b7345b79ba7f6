"""Managers' teams an import of reps left without a rep.

A manager's account sees the records of their teams' reps (accounts.py, records.py). The reps file
says who is on a team, so a new one that moves every rep of east to west, or leaves the team column
of east's reps empty, leaves east's manager with none of its deals, activities or answers to see:
told only when they next looked, as "none of the records are yours". The import says so at once
(counts.Unstaffed), when it wrote reps.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from .counts import Unstaffed


def unstaffed_teams(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> tuple[Unstaffed, ...]:
    """Each manager with a team no rep is on, once the import wrote reps (``tables``): the manager
    and those of their teams, in order of the manager's address."""
    if "reps" not in tables:
        return ()
    rows = con.execute(
        """SELECT u.email, list(t.team ORDER BY t.team)
           FROM users u, unnest(u.teams) AS t(team)
           WHERE u.role = 'manager'
             AND NOT EXISTS (SELECT 1 FROM reps r WHERE r.team = t.team)
           GROUP BY u.email ORDER BY u.email""").fetchall()
    return tuple(Unstaffed(str(email), tuple(map(str, teams))) for email, teams in rows)
