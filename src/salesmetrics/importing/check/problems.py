"""Collecting problems: every check adds to one log, which keeps the first few and counts all."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ...errors import ImportValidationError, Problem

MAX_REPORTED = 50


@dataclass
class ProblemLog:
    """Problems of one import, reported in file, line and column order.

    ``files`` maps the file index used in staging tables (``_file``) to the name shown to the user;
    ``labels`` a file's canonical column names to its own, so an export's problems name the column
    the user sees in it ("Deal - Value", not amount).
    """

    files: list[str]
    total: int = 0
    labels: dict[int, dict[str, str]] = field(default_factory=dict)
    _kept: list[tuple[int, int, int, int, Problem]] = field(default_factory=list)

    def add(self, file_index: int, problem: Problem) -> None:
        self.total += 1
        self._keep(file_index, 0, problem)

    def add_query(self, con: duckdb.DuckDBPyConnection, sql: str) -> None:
        """Log the rows of ``sql``: ``(_file, _line, rank, column, value, message)``, where rank
        orders the problems of one line.

        Only the first MAX_REPORTED rows come back to Python, so a file where every row is wrong
        costs one count, not a million objects.
        """
        rows = con.execute(
            f"SELECT *, count(*) OVER () FROM ({sql}) ORDER BY 1, 2, 3 LIMIT {MAX_REPORTED}"
        ).fetchall()
        for file_index, line, rank, column, value, message, _ in rows:
            shown = self.labels.get(file_index, {}).get(column, column)
            problem = Problem(self.files[file_index], line, shown, value, message)
            self._keep(file_index, rank, problem)
        if rows:
            self.total += int(rows[0][-1])

    def _keep(self, file_index: int, rank: int, problem: Problem) -> None:
        self._kept.append((file_index, problem.line or 0, rank, len(self._kept), problem))

    @property
    def problems(self) -> list[Problem]:
        return [kept[-1] for kept in sorted(self._kept)[:MAX_REPORTED]]

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportValidationError(self.problems, self.total)
