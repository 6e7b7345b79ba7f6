"""Collecting problems: every rule adds to one log, which keeps the first few and counts the rest."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ..errors import ImportValidationError, Problem

MAX_REPORTED = 50


@dataclass
class ProblemLog:
    """Problems of one import, reported in file and line order.

    ``files`` maps the file index used in staging tables (``_file``) to the name shown to the user.
    """

    files: list[str]
    total: int = 0
    _kept: list[tuple[int, int, int, Problem]] = field(default_factory=list)

    def add(self, file_index: int, problem: Problem) -> None:
        self.total += 1
        self._keep(file_index, problem)

    def add_query(self, con: duckdb.DuckDBPyConnection, sql: str) -> int:
        """Run ``sql`` yielding ``(_file, _line, col, val, msg)`` rows; log each as a problem.

        Only the first MAX_REPORTED rows of each query come back to Python, so a file where every row
        is wrong costs one count, not a million objects.
        """
        rows = con.execute(
            f"SELECT *, count(*) OVER () FROM ({sql}) ORDER BY 1, 2 LIMIT {MAX_REPORTED}"
        ).fetchall()
        if not rows:
            return 0
        for file_index, line, column, value, message, _ in rows:
            self._keep(file_index, Problem(self.files[file_index], line, column, value, message))
        found = int(rows[0][5])
        self.total += found
        return found

    def _keep(self, file_index: int, problem: Problem) -> None:
        self._kept.append((file_index, problem.line or 0, len(self._kept), problem))

    @property
    def problems(self) -> list[Problem]:
        return [p for *_, p in sorted(self._kept)[:MAX_REPORTED]]

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportValidationError(self.problems, self.total)
