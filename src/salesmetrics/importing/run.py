"""An import from start to end: find the files, stage every file, check everything, then write
everything in one transaction -- or nothing, listing every problem found (the first 50).

A first import of a large canonical CSV file skips the staging: its one pass is the write, which
checks each row as it writes it (straight_from_file). Should anything be wrong, in that file or
another, everything is rolled back and the import runs again the usual way, every table checked
before anything is written, to name each problem on its line.

Progress is reported per step to ``on_progress(description, done, total)``: reading each file,
converting and checking each table, writing each table. All work on the data is SQL inside DuckDB;
the temporary tables and files holding it are removed before returning, whatever happens.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import duckdb

from .. import environment, storage
from ..errors import Problem
from ..schema import IMPORT_ORDER, TABLES
from ..settings import Settings
from .check.problems import ProblemLog
from .check.validate import build_rows, check_rows, check_table, repeats_keys, row_problem, rows_name
from .counts import DATED, Ahead, Deleted, ImportSummary, Skipped, TableCounts
from .look_alike import look_alike
from .mapping.history import TOLD, first_changes_input, told_history
from .mapping.model import Mapping
from .overlaps import overlapping_quotas
from .read.formats import FormatOptions
from .read.reader import ReadOptions, stage_file
from .read.sources import Source, resolve, tables_for_paths
from .read.staging import Input, Staged, data_name, stage_name
from .spelling import SPELLED, SPELLINGS, one_spelling
from .sql import literal
from .unstaffed import unstaffed_teams
from .write import Lacking, RowsRefused, holds_any, write_all

Progress = Callable[[str, int, int], None]


class Destination(Protocol):
    """Where checked rows go when the records live in another engine (backends/): it learns which
    referenced ids exist there before the checks, and writes instead of :func:`write_all`."""

    def prepare(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str]) -> None: ...

    def preload(self, con: duckdb.DuckDBPyConnection, table: str, rows: str) -> None:
        """Copy the stored records of ``table`` that the import rows ``rows`` name, so the history
        an import keeps (what changed since the last one) compares with them."""

    def write(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
              on_table: Callable[[str], None] | None = None,
              lacking: Lacking | None = None) -> list[TableCounts]: ...

__all__ = ["Progress", "import_files", "tables_for_paths"]


class _Steps:
    def __init__(self, total: int, on_progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self._report = on_progress
        self._label = ""

    def start(self, description: str) -> None:
        if self._report:
            self._report(self._label + description, self.done, self.total)
        self.done += 1

    def again(self, steps: int, label: str) -> None:
        """The import runs again: ``steps`` more, each said with ``label`` before it, counted on
        from where the first run stopped rather than from zero."""
        self.total = self.done + steps
        self._label = label

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



@contextmanager
def _bounded_memory(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    def limit() -> str:
        return str(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])

    wanted = environment.import_memory()  # refused before anything is changed
    # The limit is said rounded (18.8 GiB): set back as said, it would shrink with every import.
    # DuckDB's default is put back exactly; a limit someone set is put back as said.
    old = limit()
    con.execute("RESET memory_limit")
    default = limit() == old
    try:
        con.execute(f"SET memory_limit = {literal(wanted)}")
        yield
    finally:
        con.execute("RESET memory_limit" if default else f"SET memory_limit = {literal(old)}")


# Each import works in a temporary folder named for its process. One killed mid-import (kill -9,
# a power cut) cannot remove its own; the next import removes every such folder whose process is
# gone (and unnamed ones from older versions after a day).
TEMP_PREFIX = "salesmetrics-import-"
_STALE_UNNAMED = 24 * 3600


def clean_stale_folders(root: Path | None = None) -> list[Path]:
    """Remove the temporary folders of imports that no longer run; returns those removed."""
    import shutil
    import time

    root = Path(root or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        found = [p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for folder in found:
        pid = folder.name[len(TEMP_PREFIX):].split("-", 1)[0]
        try:
            if pid.isdigit():
                if int(pid) == os.getpid() or _alive(int(pid)):
                    continue
            elif time.time() - folder.stat().st_mtime < _STALE_UNNAMED:
                continue
            shutil.rmtree(folder)
            removed.append(folder)
        except OSError:  # someone else's folder, or gone meanwhile
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tables_of(sources: list[Source], mappings: Sequence[Mapping] | None) -> list[str]:
    """The tables an import may fill, in IMPORT_ORDER."""
    if mappings is None:
        named = {s.table for s in sources}
    else:
        named = {o.table for m in mappings for o in m.outputs}
        named |= {"stage_history"} if any(m.track_stages for m in mappings) else set()
    named |= {"deal_changes"} if "deals" in named else set()
    return [t for t in IMPORT_ORDER if t in named]


def _stage_all(con: duckdb.DuckDBPyConnection, sources: list[Source], read: ReadOptions,
               log: ProblemLog, steps: _Steps, possible: list[str]) -> tuple[list[Staged], set[str]]:
    """Staged files, and the tables of which some file could not be staged (a mapped file that
    could not be read might have filled any table its mappings fill)."""
    staged: list[Staged] = []
    failed: set[str] = set()
    for index, source in enumerate(sources):
        steps.start(f"reading {source.name}")
        result = stage_file(con, source, index, read)
        if isinstance(result, Staged):
            staged.append(result)
            log.labels[index] = dict(result.labels)
            log.advice[index] = dict(result.advice)
        else:
            failed |= {source.table} if source.table else set(possible)
            for problem in result:
                log.add(index, problem)
    return staged, failed


def _without_rows(con: duckdb.DuckDBPyConnection, staged: list[Staged]) -> tuple[str, ...]:
    """The files with a header and not one row (an export filtered to nothing), which imported
    "0 new" without a word (a tester). Only small files are counted: a file read straight is large."""
    out = []
    for s in staged:
        if s.skipped or _size(s.source.path) >= STRAIGHT_BYTES:
            continue
        found = con.execute(f"SELECT count(*) FROM {stage_name(s.index)}").fetchone()
        if found is not None and found[0] == 0:
            out.append(s.source.name)
    return tuple(out)


class _Checks:
    """The checks of one import's rows. A table the workspace holds nothing of yet is written by
    one INSERT, which checks its rows as it writes them (write.py, guards): one pass over 10M
    activities, not two. Only its keys are checked before, and only when something was refused
    are its rows checked the long way, to name every problem. (A refused import has then written
    and rolled back what came before the refused row's table: the price of the one pass.)"""

    def __init__(self, con: duckdb.DuckDBPyConnection, rows: dict[str, str],
                 inputs: dict[str, list[Input]], failed: set[str], log: ProblemLog) -> None:
        self._con, self._rows, self._inputs, self._failed, self._log = con, rows, inputs, failed, log
        self.guards: dict[str, str] = {}

    def _nul_free(self, table: str) -> bool:
        return all(i.nul_free for i in self._inputs[table])

    def check(self, table: str, *, guard: bool, straight: bool = False) -> None:
        """``guard``: a table the workspace holds nothing of may be checked as it is written;
        ``straight``: it is, all of it, being read from its file by the write alone."""
        con, rows, kind, nul_free = self._con, self._rows, TABLES[table], self._nul_free(table)
        if straight:  # straight_from_file has seen the table empty; write._write_straight sees again
            if not guard:
                raise ValueError(f"{table} is read straight from its file, so checked as it is written")
            found = row_problem(con, kind, rows, self._failed, nul_free=nul_free)
            if found is not None:
                self.guards[table] = found
            return
        found = (row_problem(con, kind, rows, self._failed, nul_free=nul_free)
                 if guard and not self._failed and not holds_any(con, table) else None)
        # Repeated keys refuse the import anyway: the rows are checked now, so that the problems
        # of one line come in the order they always have (a row's own before its key's).
        if found is None or repeats_keys(con, kind, rows):
            check_table(con, kind, rows, self._failed, self._log, nul_free=nul_free)
        else:
            self.guards[table] = found

    def finish(self) -> None:
        """Check the guarded tables' rows too, and raise if anything was found."""
        for table in self.guards:
            check_rows(self._con, TABLES[table], self._rows, self._failed, self._log,
                       nul_free=self._nul_free(table))
        self._log.raise_if_any()


def _drop(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """Drop temporary tables and views; views first, since they read the tables."""
    found = dict(con.execute(
        "SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary UNION ALL "
        "SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE temporary").fetchall())
    for name in sorted(names, key=lambda n: found.get(n) != "VIEW"):
        if name in found:
            con.execute(f"DROP {found[name]} {name}")


# A canonical CSV file at least this large, of a table the workspace holds nothing of and no other
# file of the import fills, is read once, by the write, not staged first (straight_from_file).
STRAIGHT_BYTES = 16 << 20


class _Again(Exception):
    """A file read straight by the write had a problem, or another file did: the import is done
    again the usual way, which names every problem on its line."""


# DuckDB's own words for a write to a workspace open read-only. Matched from the start: an error
# of the CSV reader quotes the line it refuses, which may hold any text.
_READ_ONLY = re.compile(r"Invalid Input Error: Cannot execute statement of type .* which is "
                        r"attached in read-only mode")


def _may_be_the_rows(exc: duckdb.Error) -> bool:
    """Whether a DuckDB error met while a file was read straight (write._write_straight) may come
    from what the file holds, so that reading it the usual way would name a problem. Not a full
    disk or a workspace open read-only: reading the file again would only meet them again (and a full
    disk would keep what the first write left in the file). Memory run out is: the straight write
    sorts what it reads from the file, and needs more than the usual way's."""
    # A full disk is an I/O error, or a failed commit: never the CSV reader's or a cast's words,
    # which quote what they refuse.
    full = isinstance(exc, duckdb.IOException | duckdb.TransactionException) and storage.is_disk_full(exc)
    return not (full or _READ_ONLY.match(str(exc)))


@contextmanager
def _again_if(straight: bool) -> Iterator[None]:
    """A file read straight is read wherever its rows are: a DuckDB error before the write has
    committed may be a problem in it, which the usual way names (_Again). Not an interrupt, nor
    an error reading the file again would meet as well (_may_be_the_rows)."""
    try:
        yield
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        if straight and _may_be_the_rows(exc):
            raise _Again from exc
        raise


def straight_from_file(con: duckdb.DuckDBPyConnection, sources: Sequence[Source],
                       mappings: Sequence[Mapping] | None, destination: Destination | None) -> frozenset[int]:
    """The files an import reads straight into their table: a first import of 10M activities
    stages 500 MB of text into a temporary table (3.7 s) that the write then reads once, typing
    and checking every value as it goes; read from the file itself the write takes as long.
    Canonical CSV files only (a mapped file's conventions are detected by reading its values
    first) of a table filled by that file alone and empty in the workspace (an upsert reads the
    rows more than once). The deals also fill their history: read straight only where it holds
    nothing either and no file gives it, so that it is read from the deals as written
    (_first_deals; 1M deals staged first took 0.7 s more)."""
    if mappings is not None or destination is not None:
        return frozenset()
    per_table = Counter(s.table for s in sources)
    history_free = not per_table["deal_changes"] and not holds_any(con, "deal_changes")
    return frozenset(
        i for i, s in enumerate(sources)
        if s.format == "csv" and (s.table != "deals" or history_free)
        and per_table[s.table] == 1 and _size(s.path) >= STRAIGHT_BYTES and not holds_any(con, s.table))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def import_files(con: duckdb.DuckDBPyConnection, paths: list[Path], settings: Settings, *,
                 on_progress: Progress | None = None, mappings: Sequence[Mapping] | None = None,
                 options: FormatOptions | None = None, source_label: str | None = None,
                 now: datetime | None = None,
                 destination: Destination | None = None) -> ImportSummary:
    """Import files (or folders of them) into the workspace on ``con``.

    Without ``mappings`` every file is canonical and its name says its table; with them, each file's
    header picks the mapping it fits. ``options`` (from the command line) win over a mapping's
    format settings. ``now`` is the import's time, which stage changes are recorded at when the
    export does not say. Raises ImportValidationError, having written nothing, if any file, header,
    value or record has a problem; otherwise upserts every row and says what was inserted, updated,
    unchanged and skipped.
    """
    from .mapping.crm import recognise_path

    sources, path_problems = resolve(paths, mapped=mappings is not None, recognise=recognise_path)
    # To the microsecond: two imports in the same second keep two entries of history, not one.
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    possible = _tables_of(sources, mappings)
    per_run = len(sources) + 3 * len(possible)  # reading each file; converting, checking, writing each table
    steps = _Steps(per_run, on_progress)
    job = _Import(con, sources, path_problems, possible, settings, steps, mappings, options,
                  source_label, now, stamp, destination)
    straight = straight_from_file(con, sources, mappings, destination) if not path_problems else frozenset()
    if straight:
        try:
            return job.run(straight)
        except _Again:
            # Something is wrong: every table is checked before anything is written, not by a
            # write that would be rolled back again (a refused first import of 10M activities:
            # 26 s in all, where writing again took 43 s).
            steps.again(per_run, "looking for the problems: ")
            return job.run(frozenset(), write_to_check=False)
    return job.run(frozenset())


@dataclass(frozen=True)
class _Import:
    """One import, run once, or twice when a file read straight had a problem."""

    con: duckdb.DuckDBPyConnection
    sources: list[Source]
    path_problems: list[Problem]
    possible: list[str]  # the tables the files may fill (_tables_of)
    settings: Settings
    steps: _Steps  # one count over both runs
    mappings: Sequence[Mapping] | None
    options: FormatOptions | None
    source_label: str | None
    now: datetime | None
    stamp: str  # the import's time, ISO with zone: the same in both runs
    destination: Destination | None

    def run(self, straight_files: frozenset[int], *, write_to_check: bool = True) -> ImportSummary:
        """``straight_files``: the files read by the write alone (their indexes);
        ``write_to_check``: a table the workspace holds nothing of is checked as it is written
        (_Checks)."""
        log = ProblemLog([s.name for s in self.sources])
        for problem in self.path_problems:
            log.add(-1, problem)
        temporary = [name for i in range(len(self.sources)) for name in (stage_name(i), data_name(i))]
        temporary += [rows_name(t) for t in self.possible] + [TOLD, SPELLED, SPELLINGS]
        clean_stale_folders()
        with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as work, \
                _bounded_memory(self.con):
            read = ReadOptions(self.options or FormatOptions(), self.mappings, self.stamp, Path(work),
                               self.source_label, straight_files)
            try:
                return self._run(read, log, frozenset(self.sources[i].table for i in straight_files),
                                 write_to_check)
            finally:
                _drop(self.con, temporary)

    def _run(self, read: ReadOptions, log: ProblemLog, straight_tables: frozenset[str],
             write_to_check: bool) -> ImportSummary:
        con, sources, settings, destination = self.con, self.sources, self.settings, self.destination
        steps, possible, straight = self.steps, self.possible, bool(straight_tables)
        with _again_if(straight):
            staged, failed = _stage_all(con, sources, read, log, steps, possible)
        without_rows = _without_rows(con, staged)
        inputs: dict[str, list[Input]] = {}
        for s in staged:
            for given in s.inputs:
                inputs.setdefault(given.table, []).append(given)
        if destination is None and _first_deals(con, inputs):
            inputs["deal_changes"] = [first_changes_input(inputs["deals"][0].file, read.now)]
        # Import rows are views, typed as they are read: the workspace's zone stays set until
        # they are written.
        with _session_time_zone(con, settings.time_zone), _again_if(straight):
            counts = self._checked_and_written(staged, inputs, failed, log, straight_tables, write_to_check)
        # Written: whatever fails from here on is said as it is, never a reason to import again.
        # Read from the written tables, typed and in time order (0.02 s at 10M activities, where
        # the import's rows, typed as they are read, took 2 s). Records elsewhere (PostgreSQL,
        # Spark) are not looked at yet (docs/scaling.md).
        tables = [t for t in IMPORT_ORDER if t in inputs]
        seen = {} if destination is not None else noticed(
            con, tables, (self.now or datetime.now(UTC)).astimezone(ZoneInfo(settings.time_zone)))
        steps.finish()
        skipped = tuple(Skipped(s.source.name, reason, n) for s in staged for reason, n in s.skipped)
        gone: dict[str, set[str]] = {}  # per table, over every file of the import
        for s in staged:
            if s.gone and s.inputs:
                gone.setdefault(s.inputs[0].table, set()).update(s.gone)
        deleted = tuple(Deleted(table, tuple(sorted(keys))) for table, keys in gone.items())
        # The history an import keeps of its deals is said apart from the tables its files fill,
        # unless a file of deal_changes was imported itself.
        derived = all(given.derived for given in inputs.get("deal_changes", []))
        checked = ImportSummary(files=tuple(s.name for s in sources), skipped=skipped, deleted=deleted,
                                history_derived=derived, without_rows=without_rows, **seen)
        return checked.written(counts)


    def _checked_and_written(self, staged: list[Staged], inputs: dict[str, list[Input]], failed: set[str],
                             log: ProblemLog, straight_tables: frozenset[str],
                             write_to_check: bool) -> list[TableCounts]:
        con, destination, steps, possible = self.con, self.destination, self.steps, self.possible
        rows: dict[str, str] = {}
        for table in possible:
            steps.start(f"converting {table}")
            if table in inputs:
                rows[table] = build_rows(con, TABLES[table], inputs[table])
                if table == "deals" and destination is not None:
                    destination.preload(con, table, rows[table])
        if destination is not None:  # records elsewhere: learn which referenced ids exist
            destination.prepare(con, rows)
        checks = _Checks(con, rows, inputs, failed, log)
        for table in possible:
            steps.start(f"checking {table}")
            if table in rows:
                checks.check(table, guard=destination is None and write_to_check,
                             straight=table in straight_tables)
        if log.total:
            if straight_tables:  # the rows read straight have no lines to name
                raise _Again
            checks.finish()
        writing = iter(possible)

        def on_table(name: str) -> None:
            # Tables the files turned out not to fill are passed over as done.
            for table in writing:
                steps.start(f"writing {table}")
                if table == name:
                    return

        tables = [t for t in IMPORT_ORDER if t in inputs]
        lacking = _lacking(staged, inputs)
        if "deals" in rows and destination is None:  # (elsewhere the stored spellings are not here)
            rows["deals"] = one_spelling(con, rows["deals"])
        files = frozenset(i.file for i in inputs.get("deal_changes", []) if not i.derived)
        if files and destination is None:  # (elsewhere the deals are not here)
            rows["deal_changes"], lacking["deal_changes"] = told_history(
                con, rows["deal_changes"], lacking.get("deal_changes", {}), files)
        try:
            if destination is not None:
                return destination.write(con, {t: rows[t] for t in tables},
                                         on_table=on_table, lacking=lacking)
            return write_all(con, {t: rows[t] for t in tables}, on_table=on_table,
                             guards=checks.guards, lacking=lacking,
                             straight_tables=straight_tables)
        except RowsRefused as refused:  # rolled back: name every problem
            if straight_tables:
                raise _Again from refused
            checks.finish()
            raise RuntimeError(f"rows of {refused} were refused as they were written, but no "
                               "check names a problem; please report this") from refused


def _first_deals(con: duckdb.DuckDBPyConnection, inputs: dict[str, list[Input]]) -> bool:
    """Whether the import's one file of deals is the workspace's first, with no history of deals
    either: the history it keeps is then read from the deals as written
    (history.first_changes_input)."""
    deals, changes = inputs.get("deals", []), inputs.get("deal_changes", [])
    return (len(deals) == 1 and not deals[0].derived and len(changes) == 1 and changes[0].derived
            and changes[0].reads_workspace
            and changes[0].file == deals[0].file
            and not holds_any(con, "deals") and not holds_any(con, "deal_changes"))


def noticed(con: duckdb.DuckDBPyConnection, tables: Sequence[str], now: datetime) -> dict[str, Any]:
    """What the import says of the records it wrote (``tables``), read from the workspace on ``con``
    once written, as ImportSummary fields: those dated after ``now``, answers that look alike,
    overlapping quotas, managers' teams left without a rep. The embedded import and the server's
    checked-then-written one both ask here, so a check added is added to both."""
    return {"ahead": dated_after(con, tables, now), "look_alike": look_alike(con, tables),
            "overlapping": overlapping_quotas(con, tables), "unstaffed": unstaffed_teams(con, tables)}


def dated_after(con: duckdb.DuckDBPyConnection, tables: Sequence[str], now: datetime) -> tuple[Ahead, ...]:
    """The records of ``tables`` (those an import wrote) in the workspace on ``con`` dated after
    ``now`` (the import's time, on the workspace's clock: aware, or naive in its zone), per table
    and column: counted in the figures of their days, so said (counts.Ahead)."""
    local = now.replace(tzinfo=None)
    found = []
    for table, columns in DATED.items():
        if table not in tables:
            continue
        aggregates = ", ".join(f"count(*) FILTER (WHERE {c} > $now), max({c}) FILTER (WHERE {c} > $now)"
                               for c in columns)
        counted = con.execute(f"SELECT {aggregates} FROM {table}", {"now": local}).fetchall()[0]
        for i, column in enumerate(columns):
            if counted[2 * i]:
                found.append(Ahead(table, column, int(counted[2 * i]), counted[2 * i + 1]))
    return tuple(found)


def _lacking(staged: list[Staged], inputs: dict[str, list[Input]]) -> dict[str, dict[str, frozenset[int]]]:
    """Per table the files fill whole, per column, the files that give it no value: a record is
    replaced whole, so the write counts what each such file's rows empty (two files of deals, one
    with a source and one without, empty the second's). Not the side records one file makes for
    another table, whose columns it does not list."""
    out: dict[str, dict[str, frozenset[int]]] = {}
    for table, given in inputs.items():
        whole = [i for i in given if not i.derived]
        mains = [s for s in staged if s.inputs and s.inputs[0].table == table and not s.inputs[0].derived]
        if not whole or len(whole) != len(mains):
            continue
        columns = [c for c in TABLES[table].column_names if c not in TABLES[table].key]
        found = {c: frozenset(s.index for s in mains if c not in s.present) for c in columns}
        out[table] = {c: files for c, files in found.items() if files}
    return out
