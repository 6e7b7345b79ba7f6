"""An import from start to end: name the files' tables, stage every file, check everything, then
write everything in one transaction -- or nothing, listing every problem found (the first 50).

Progress is reported per step to ``on_progress(description, done, total)``: reading each file,
converting and checking each table, writing each table. All work on the data is SQL inside DuckDB;
the temporary tables holding it are dropped before returning, whatever happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..schema import IMPORT_ORDER, TABLES
from ..settings import Settings
from .problems import ProblemLog
from .reader import stage_file
from .sources import Source, resolve, tables_for_paths
from .sql import literal
from .staging import Staged, stage_name
from .summary import ImportSummary
from .validate import build_rows, check_table, rows_name
from .write import write_all

Progress = Callable[[str, int, int], None]

__all__ = ["Progress", "import_files", "tables_for_paths"]


class _Steps:
    def __init__(self, total: int, on_progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self._report = on_progress

    def start(self, description: str) -> None:
        if self._report:
            self._report(description, self.done, self.total)
        self.done += 1

    def finish(self) -> None:
        if self._report:
            self._report("done", self.total, self.total)


@contextmanager
def _session_time_zone(con: duckdb.DuckDBPyConnection, zone: str) -> Iterator[None]:
    """The connection's time zone set to the workspace's while time stamps are cast, then put
    back: other users of the connection must not see local times shift."""
    old = str(con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])
    con.execute(f"SET TimeZone = {literal(zone)}")
    try:
        yield
    finally:
        con.execute(f"SET TimeZone = {literal(old)}")


def _stage_all(con: duckdb.DuckDBPyConnection, sources: list[Source], log: ProblemLog,
               steps: _Steps) -> tuple[dict[str, list[Staged]], set[str]]:
    """Staged files per table, and the tables of which some file could not be staged."""
    staged: dict[str, list[Staged]] = {}
    failed: set[str] = set()
    for index, source in enumerate(sources):
        steps.start(f"reading {source.name}")
        result = stage_file(con, source, index)
        if isinstance(result, Staged):
            staged.setdefault(source.table, []).append(result)
        else:
            failed.add(source.table)
            for problem in result:
                log.add(index, problem)
    return staged, failed


def _drop(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def import_files(con: duckdb.DuckDBPyConnection, paths: list[Path], settings: Settings, *,
                 on_progress: Progress | None = None) -> ImportSummary:
    """Import CSV and Parquet files (or folders of them) into the workspace on ``con``.

    Raises ImportValidationError, having written nothing, if any file, header, value or record has
    a problem; otherwise upserts every row and says what was inserted, updated and unchanged.
    """
    sources, path_problems = resolve(paths)
    log = ProblemLog([s.name for s in sources])
    for problem in path_problems:
        log.add(-1, problem)
    tables = [t for t in IMPORT_ORDER if any(s.table == t for s in sources)]
    steps = _Steps(len(sources) + 3 * len(tables), on_progress)
    temporary = [stage_name(i) for i in range(len(sources))] + [rows_name(t) for t in tables]
    try:
        staged, failed = _stage_all(con, sources, log, steps)
        rows: dict[str, str] = {}
        with _session_time_zone(con, settings.time_zone):
            for table in tables:
                steps.start(f"converting {table}")
                if table in staged:
                    rows[table] = build_rows(con, TABLES[table], staged[table])
        _drop(con, [s.table for files in staged.values() for s in files])
        for table in tables:
            steps.start(f"checking {table}")
            if table in rows:
                check_table(con, TABLES[table], rows, failed, log)
        log.raise_if_any()
        counts = write_all(con, rows, on_table=lambda t: steps.start(f"writing {t}"))
    finally:
        _drop(con, temporary)
    steps.finish()
    return ImportSummary(files=tuple(s.name for s in sources), tables=tuple(counts))
