"""The workspace file: opening it, its versioned schema and migrations, its settings and data version.

Migrations are frozen SQL: once released, a migration never changes, so a workspace made by any earlier
version replays the missing steps and opens in this one.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path

import duckdb

from . import environment
from .errors import WorkspaceBusyError, WorkspaceError, keyed

DEFAULT_DB = "salesmetrics.duckdb"
DB_ENV = "SALESMETRICS_DB"


def resolve_path(path: str | os.PathLike[str] | None) -> Path:
    """``--db PATH``, else ``$SALESMETRICS_DB``, else ``./salesmetrics.duckdb``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


_V1 = [
    """CREATE TABLE reps (rep_id VARCHAR PRIMARY KEY, name VARCHAR, team VARCHAR, hired_on DATE)""",
    """CREATE TABLE products (product_id VARCHAR PRIMARY KEY, name VARCHAR,
        unit_price DECIMAL(18, 2), currency VARCHAR)""",
    """CREATE TABLE deals (deal_id VARCHAR PRIMARY KEY, rep_id VARCHAR NOT NULL, account VARCHAR,
        created_at TIMESTAMP NOT NULL, closed_at TIMESTAMP, status VARCHAR NOT NULL,
        amount DECIMAL(18, 2) NOT NULL, currency VARCHAR, source VARCHAR, stage VARCHAR)""",
    """CREATE TABLE deal_items (deal_id VARCHAR NOT NULL, product_id VARCHAR NOT NULL,
        quantity DECIMAL(18, 6) NOT NULL, unit_price DECIMAL(18, 2) NOT NULL,
        PRIMARY KEY (deal_id, product_id))""",
    """CREATE TABLE activities (activity_id VARCHAR PRIMARY KEY, rep_id VARCHAR NOT NULL,
        type VARCHAR NOT NULL, occurred_at TIMESTAMP NOT NULL, deal_id VARCHAR)""",
    """CREATE TABLE quotas (rep_id VARCHAR, team VARCHAR, period_start DATE NOT NULL,
        period_end DATE NOT NULL, amount DECIMAL(18, 2) NOT NULL, currency VARCHAR)""",
    """CREATE TABLE nps_responses (response_id VARCHAR PRIMARY KEY, account VARCHAR,
        score BIGINT NOT NULL, responded_at TIMESTAMP NOT NULL, rep_id VARCHAR)""",
    """CREATE TABLE stage_history (deal_id VARCHAR NOT NULL, stage VARCHAR NOT NULL,
        entered_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE fx_rates (date DATE NOT NULL, currency VARCHAR NOT NULL,
        rate_to_base DECIMAL(18, 6) NOT NULL, PRIMARY KEY (date, currency))""",
]

# v2: CRMs keep several pipelines and the reason a deal was lost; both stay filterable.
_V2 = [
    "ALTER TABLE deals ADD COLUMN pipeline VARCHAR",
    "ALTER TABLE deals ADD COLUMN lost_reason VARCHAR",
]

# v3: CRM exports carry how long a call took, which way it went and how it ended.
_V3 = [
    "ALTER TABLE activities ADD COLUMN duration_seconds BIGINT",
    "ALTER TABLE activities ADD COLUMN direction VARCHAR",
    "ALTER TABLE activities ADD COLUMN outcome VARCHAR",
]

# v4: goals per KPI for the company, a team or a rep, for one period or standing (every period).
# period_key is '' for a standing target, else 'START..END' (end exclusive), so it can be in the key.
_V4 = [
    """CREATE TABLE targets (kpi VARCHAR NOT NULL, scope VARCHAR NOT NULL, scope_id VARCHAR NOT NULL,
        period_key VARCHAR NOT NULL, period_start DATE, period_end DATE, period_label VARCHAR,
        value DECIMAL(18, 6) NOT NULL, set_at TIMESTAMP NOT NULL,
        PRIMARY KEY (kpi, scope, scope_id, period_key))""",
]

# v5: the record tables lose their PRIMARY KEY constraints. DuckDB keeps a primary key's index (ART)
# in memory whole, so 100M activity ids needed more than the import's memory budget; the importer
# already refuses a key twice in one import and matches keys against the stored rows, so the key
# stays unique without the index. DuckDB cannot drop a constraint: each table is rebuilt.
_UNKEYED = {
    "reps": "rep_id VARCHAR NOT NULL, name VARCHAR, team VARCHAR, hired_on DATE",
    "products": "product_id VARCHAR NOT NULL, name VARCHAR, unit_price DECIMAL(18, 2), currency VARCHAR",
    "deals": """deal_id VARCHAR NOT NULL, rep_id VARCHAR NOT NULL, account VARCHAR,
        created_at TIMESTAMP NOT NULL, closed_at TIMESTAMP, status VARCHAR NOT NULL,
        amount DECIMAL(18, 2) NOT NULL, currency VARCHAR, source VARCHAR, stage VARCHAR,
        pipeline VARCHAR, lost_reason VARCHAR""",
    "deal_items": """deal_id VARCHAR NOT NULL, product_id VARCHAR NOT NULL,
        quantity DECIMAL(18, 6) NOT NULL, unit_price DECIMAL(18, 2) NOT NULL""",
    "activities": """activity_id VARCHAR NOT NULL, rep_id VARCHAR NOT NULL, type VARCHAR NOT NULL,
        occurred_at TIMESTAMP NOT NULL, deal_id VARCHAR, duration_seconds BIGINT, direction VARCHAR,
        outcome VARCHAR""",
    "nps_responses": """response_id VARCHAR NOT NULL, account VARCHAR, score BIGINT NOT NULL,
        responded_at TIMESTAMP NOT NULL, rep_id VARCHAR""",
    "fx_rates": "date DATE NOT NULL, currency VARCHAR NOT NULL, rate_to_base DECIMAL(18, 6) NOT NULL",
}
_V5 = [
    statement
    for table, columns in _UNKEYED.items()
    for statement in (
        f"CREATE TABLE _v5_{table} ({columns})",
        f"INSERT INTO _v5_{table} SELECT * FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE _v5_{table} RENAME TO {table}",
    )
]

# Tables whose key was a PRIMARY KEY before v5: other backends still declare it (their DDL follows
# this schema), where an index costs no memory budget and speeds up their upserts.
KEYED_TABLES = tuple(_UNKEYED)

# Accounts (issue 12): who may open the dashboard and API, and what they did. Kept in the workspace
# file only (a remote backend's records have no accounts: docs/team.md). Passwords are Argon2id
# hashes, session ids and API tokens are kept as SHA-256 hashes of values only their holder has.
_ACCOUNTS = [
    """CREATE TABLE users (email VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, rep_id VARCHAR,
        teams VARCHAR[], password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        password_set_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE sessions (id_hash VARCHAR PRIMARY KEY, email VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, client VARCHAR)""",
    """CREATE TABLE api_tokens (token_id VARCHAR PRIMARY KEY, token_hash VARCHAR NOT NULL,
        email VARCHAR NOT NULL, name VARCHAR, created_at TIMESTAMP NOT NULL, last_used_at TIMESTAMP)""",
    """CREATE TABLE audit_log (logged_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL,
        detail VARCHAR, client VARCHAR)""",
    # The key sessions and forms are signed with, made when the first user is added.
    "CREATE TABLE auth_secret (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
]

# Digests (issue 16): schedules that mail a digest, alerts on a KPI, and every message sent or tried:
# (kind, name, occasion) is the key, so a digest goes out at most once per schedule and period and an
# alert once per change of state, whichever process (serve, run-due from cron) claims it first.
# owner: whose view a schedule or alert shows (accounts); NULL: the company's.
_DIGESTS = [
    """CREATE TABLE schedules (name VARCHAR PRIMARY KEY, every VARCHAR NOT NULL, period VARCHAR NOT NULL,
        recipients VARCHAR NOT NULL, filters VARCHAR NOT NULL, lang VARCHAR NOT NULL,
        format VARCHAR NOT NULL, skip_empty BOOLEAN NOT NULL, owner VARCHAR,
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE alerts (alert_id BIGINT PRIMARY KEY, kpi VARCHAR NOT NULL, scope VARCHAR NOT NULL,
        scope_id VARCHAR, condition VARCHAR NOT NULL, period VARCHAR NOT NULL,
        recipients VARCHAR NOT NULL, lang VARCHAR NOT NULL, owner VARCHAR, state VARCHAR,
        state_since TIMESTAMP, changes BIGINT NOT NULL, created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE deliveries (kind VARCHAR NOT NULL, name VARCHAR NOT NULL, occasion VARCHAR NOT NULL,
        status VARCHAR NOT NULL, attempts BIGINT NOT NULL, claimed_at TIMESTAMP NOT NULL,
        sent_at TIMESTAMP, recipients VARCHAR, subject VARCHAR, error VARCHAR,
        PRIMARY KEY (kind, name, occasion))""",
]

# Forecast (issue 15): an open deal's expected close date, forecast category and probability; the
# accounts deals are with (segment, industry, region); and the history of each deal's amount,
# expected close date, category, probability and stage, kept at every import. New tables carry no
# primary key, as the others since v5.
_FORECAST = [
    "ALTER TABLE deals ADD COLUMN expected_close_on DATE",
    "ALTER TABLE deals ADD COLUMN forecast_category VARCHAR",
    "ALTER TABLE deals ADD COLUMN probability DECIMAL(18, 6)",
    """CREATE TABLE accounts (account_id VARCHAR NOT NULL, name VARCHAR, segment VARCHAR,
        industry VARCHAR, region VARCHAR, employees BIGINT, country VARCHAR)""",
    """CREATE TABLE deal_changes (deal_id VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL,
        old_amount DECIMAL(18, 2), new_amount DECIMAL(18, 2),
        old_expected_close_on DATE, new_expected_close_on DATE,
        old_forecast_category VARCHAR, new_forecast_category VARCHAR,
        old_probability DECIMAL(18, 6), new_probability DECIMAL(18, 6),
        old_stage VARCHAR, new_stage VARCHAR)""",
]

# Enablement programs (issue 14): what ran when for whom, canonical records like the others (no
# primary key, as since v5: the importer keeps keys unique).
_PROGRAMS = [
    """CREATE TABLE programs (program_id VARCHAR NOT NULL, name VARCHAR NOT NULL, kind VARCHAR,
        start_on DATE NOT NULL, end_on DATE, cost DECIMAL(18, 2), currency VARCHAR)""",
    "CREATE TABLE program_participants (program_id VARCHAR NOT NULL, rep_id VARCHAR NOT NULL)",
]


# The moment that places a record in a period: the import writes records in its order
# (importing/write.py), so a period's query reads only the row groups that can hold it.
TIME_ORDER = {"deals": "closed_at", "activities": "occurred_at", "nps_responses": "responded_at",
              "stage_history": "entered_at"}

# _TIME_ORDER (issue 17, speed): the records of older workspaces are rewritten once in that
# order. Copied out, deleted and inserted back sorted, so each table keeps its own definition
# (whatever columns migrations before this one gave it). Frozen: TIME_ORDER may change, this may not.
_TIME_ORDER = [
    statement
    for table, column in (("deals", "closed_at"), ("activities", "occurred_at"),
                          ("nps_responses", "responded_at"), ("stage_history", "entered_at"))
    for statement in (
        f"CREATE TEMP TABLE _time_order_{table} AS SELECT * FROM {table} ORDER BY {column} NULLS LAST",
        f"DELETE FROM {table}",
        f"INSERT INTO {table} SELECT * FROM _time_order_{table} ORDER BY {column} NULLS LAST",
        f"DROP TABLE _time_order_{table}",
    )
]

# An alert's state belongs to the period it was judged in (its first and last day): a running
# period's alarm is not "over" when the next period starts, and the next starts without one.
_ALERT_PERIOD = ["ALTER TABLE alerts ADD COLUMN state_period VARCHAR"]

# The last day whose records an alert's latest judgement of its period read: a catch-up run as
# of an earlier day is an older look, neither told nor stored ("no longer shows a drop" was mailed
# between two alarms of the same drop).
_ALERT_THROUGH = ["ALTER TABLE alerts ADD COLUMN judged_through DATE"]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4, _V5, _ACCOUNTS, _DIGESTS, _FORECAST, _PROGRAMS,
                               _TIME_ORDER, _ALERT_PERIOD, _ALERT_THROUGH]
SCHEMA_VERSION = len(MIGRATIONS)


# How long opening waits for another process to let go of the file. A running `salesmetrics serve`
# holds it only while it computes an answer it has not cached, so a short wait gets through.
LOCK_WAIT_ENV = "SALESMETRICS_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 30.0


def lock_wait(wait: float | None) -> float:
    if wait is not None:
        return wait
    return environment.number(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT, takes="seconds")


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


# DuckDB would fetch an extension from the internet to open a file that is not its own (a SQLite
# file names sqlite_scanner) or to run a function it lacks. A workspace needs none: nothing is
# loaded or installed behind the user's back.
_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False, "autoinstall_known_extensions": False}

# A writer that waits says so with a file beside the workspace, ``<file>.writer-<pid>``: readers
# (the server's short-lived connections, read commands) that see one hold back, so the file is
# free the moment the readers already in it finish. Without it, a dashboard with two busy visitors
# always has some reader in the file and a waiting import never gets in (DuckDB's lock is one
# writer or any number of readers, with no queue). A reader waits for the writer as it would for
# the lock: up to its ``wait``, then WorkspaceBusyError. A marker whose process is gone (killed
# while waiting) is stale and ignored; so is one its writer has not touched for MARK_FRESH seconds
# (it touches it at every try): a marker left by a killed import whose pid a live process took
# since held every reader back for good (a tester).
WRITER_MARK = ".writer-"
MARK_FRESH = 10.0


def _marker(path: Path) -> Path:
    return path.with_name(f"{path.name}{WRITER_MARK}{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def writers_waiting(path: Path) -> list[int]:
    """The processes waiting to write ``path`` (their markers), stale markers left out."""
    prefix = f"{path.name}{WRITER_MARK}"
    try:
        names = [n for n in os.listdir(path.parent or ".") if n.startswith(prefix)]
    except OSError:
        return []
    pids = []
    now = time.time()
    for name in names:
        tail = name[len(prefix):]
        if not tail.isdigit() or int(tail) == os.getpid():
            continue
        try:
            touched = (path.parent / name).stat().st_mtime
        except OSError:  # gone meanwhile
            continue
        if now - touched <= MARK_FRESH and _alive(int(tail)):
            pids.append(int(tail))
    return pids


def connect(path: Path, *, read_only: bool = False, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the file. While another process holds it (DuckDB allows one writer, or any number of
    readers, at a time) retry for up to ``wait`` seconds, then say plainly who is in the way.
    A writer waiting marks the file so readers hold back; a reader waits while one does."""
    if read_only and not path.exists():
        missing = f"no workspace at {path}; create one with `salesmetrics import` or `demo`"
        raise keyed(WorkspaceError(missing), "no_workspace", path=str(path))
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file")
    deadline = time.monotonic() + lock_wait(wait)
    pause = 0.02
    marker: Path | None = None
    try:
        while True:
            if read_only and (waiting := writers_waiting(path)):
                if time.monotonic() + pause > deadline:
                    raise _busy(path, wait, f" (PID {waiting[0]}, waiting to write: "
                                            f"{path.name}{WRITER_MARK}{waiting[0]})")
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
                continue
            try:
                con = duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc):
                    _refuse_other_files(path)
                    raise WorkspaceError(f"cannot open workspace {path}: {_first_line(exc)}") from None
                if time.monotonic() + pause > deadline:
                    raise _busy(path, wait, _lock_holder(str(exc))) from None
                if not read_only:
                    marker = marker or _marker(path)
                    with contextlib.suppress(OSError):  # a read-only folder: wait without one
                        marker.touch()  # at every try: a marker not touched lately is stale
                time.sleep(pause)
                # A writer asks often: the file is free for a moment between two readers.
                pause = min(pause * 2, 0.05 if not read_only else 0.5)
            except duckdb.Error as exc:
                _refuse_other_files(path)
                raise WorkspaceError(f"{path} is not a salesmetrics workspace: {_first_line(exc)}") from None
            else:
                # DuckDB draws its own progress bar on stdout for long queries, even into a pipe,
                # where it would corrupt `report --format json > file`; our commands draw their own.
                con.execute("SET enable_progress_bar = false")
                return con
    finally:
        if marker is not None:
            with contextlib.suppress(OSError):
                marker.unlink()


def _refuse_other_files(path: Path) -> None:
    """Why DuckDB could not open ``path``, when it is not DuckDB's file at all (a SQLite database, a
    CSV named by mistake): said as such. Only asked after DuckDB failed: opening and closing the
    file here while a DuckDB connection of this process holds it would release that connection's
    lock (POSIX locks belong to the process, and any close of the file drops them), letting a
    writer in under a reader that then serves what it read before."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WorkspaceError(f"cannot open workspace {path}: {exc.strerror}") from None
    if head and head[8:12] != b"DUCK":
        raise WorkspaceError(f"{path} is not a salesmetrics workspace (not a DuckDB file); nothing "
                             "was changed")


def _busy(path: Path, wait: float | None, holder: str) -> WorkspaceBusyError:
    return WorkspaceBusyError(
        f"the workspace {path} is in use by another process{holder} (a running "
        "`salesmetrics serve` answering a request, an import, or a Python session holding it open "
        "for writing: `Workspace.open(path, read_only=True)` lets others read); waited "
        f"{lock_wait(wait):g} s. Try again in a moment, or import through the running "
        "server's upload page."
    )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _lock_holder(message: str) -> str:
    match = re.search(r"\(PID (\d+)\)", message)
    return f" (PID {match[1]})" if match else ""


def is_disk_full(exc: BaseException) -> bool:
    # The error said may be a later one: on a full disk a failed write's ROLLBACK fails too ("no
    # transaction is active"), and that was said as a damaged workspace.
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if "No space left on device" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full(path: Path, exc: BaseException, needed: int | None = None, *,
              importing: bool = True) -> WorkspaceError:
    """The disk is full: which file could not be written, how much is free there, and roughly how
    much the work needs (``needed`` bytes, when the caller can say). ``importing``: said of an
    import (nothing of it kept), else of any change (a setting, a target: not made)."""
    named = re.search(r'file "([^"]+)"', str(exc))
    where = Path(named[1]) if named else Path(getattr(exc, "filename", None) or path)
    try:
        free = shutil.disk_usage(where.parent if where.parent.exists() else Path.cwd()).free
    except OSError:
        free = None
    need = f" It needs about {needed / 1e6:,.1f} MB free there." if needed else ""
    have = f" ({free / 1e6:,.1f} MB are free)" if free is not None else ""
    if not importing:
        return WorkspaceError(f"no space left on the disk holding {where}{have}: the change could not "
                              "be written, and nothing was changed. Free some space and try again")
    return WorkspaceError(f"no space left on the disk holding {where}{have}: it could not be written, "
                          f"and nothing of this import was kept.{need} Free some space (or import into "
                          "a workspace on another disk) and try again")


class WorkspaceOutdatedError(WorkspaceError):
    """A workspace made by an older salesmetrics, opened by a command that only reads."""


def _own_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


def check_workspace(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> int:
    """The file's schema version, once it is known to be a workspace this version can use.

    A DuckDB file with tables but no salesmetrics metadata is someone else's (another tool's
    ``deals`` table): refused, never written. A reading command also refuses an empty file and,
    since it never writes, a workspace made by an older version (writing commands upgrade it)."""
    try:
        found = schema_version(con)
        if found == 0:
            tables = _own_tables(con)
            if tables:
                shown = ", ".join(tables[:6]) + (", ..." if len(tables) > 6 else "")
                raise WorkspaceError(
                    f"{path} is a DuckDB file but not a salesmetrics workspace (it holds tables "
                    f"of its own: {shown}); nothing was changed. Name the workspace with --db, or "
                    "a new file to make one")
            if read_only:
                raise WorkspaceError(f"{path} is an empty DuckDB file, not a salesmetrics workspace yet; "
                                     "`salesmetrics import` or `salesmetrics demo` fills it")
    except duckdb.Error as exc:
        raise damaged(path, exc) from None
    if found > SCHEMA_VERSION:
        raise WorkspaceError(
            f"this workspace has schema version {found}, newer than this salesmetrics "
            f"(version {SCHEMA_VERSION}); upgrade salesmetrics to open it"
        )
    if read_only and found < SCHEMA_VERSION:
        raise WorkspaceOutdatedError(
            f"{path} was made by an older salesmetrics (schema version {found}, now "
            f"{SCHEMA_VERSION}); a command that only reads never changes it: run one that writes "
            "(`salesmetrics config set ...`, `import`) or `salesmetrics serve`, which upgrade it")
    return found


def _no_room(path: Path) -> bool:
    """Whether the disk holding ``path`` has (next to) nothing free: what DuckDB fails with then
    need not say so."""
    try:
        return shutil.disk_usage(path.parent if path.parent.exists() else Path.cwd()).free < 1_000_000
    except OSError:
        return False


def damaged(path: Path, exc: BaseException) -> WorkspaceError:
    """A workspace DuckDB cannot read: truncated, overwritten, damaged on disk (or a full disk,
    which is said as such: :func:`disk_full`)."""
    # Next to nothing free is taken as the cause only of a failed write: a read on a full disk (or
    # a read-only file system, which says 0 free) is not one.
    if is_disk_full(exc) or (_no_room(path) and "rollback" in str(exc).lower()):
        return disk_full(path, exc, importing=False)
    if "permission denied" in str(exc).lower():
        # The file is whole; a change's log (<file>.wal) cannot be written beside it. A read-only
        # folder was said as a damaged workspace to restore from a backup (a tester).
        return WorkspaceError(f"the workspace {path} cannot be changed: its folder or files are not "
                              f"writable for this user ({_first_line(exc)}); nothing was changed. Let "
                              f"this user write to {path.parent} (the workspace writes {path.name}.wal "
                              "beside it while it changes), or work on a copy in a folder you can "
                              "write")
    return WorkspaceError(f"the workspace {path} cannot be read; it may be damaged or truncated "
                          f"({_first_line(exc)}). Restore it from a backup, or import into a new file")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_meta'"
    ).fetchall()
    if not exists or not exists[0][0]:
        return 0
    rows = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def migrate(con: duckdb.DuckDBPyConnection, *, upto: int = SCHEMA_VERSION,
            on_step: Callable[[int], None] | None = None) -> int:
    """Bring the schema to version ``upto``; returns the version found before."""
    found = schema_version(con)
    if found > SCHEMA_VERSION:
        raise WorkspaceError(
            f"this workspace has schema version {found}, newer than this salesmetrics "
            f"(version {SCHEMA_VERSION}); upgrade salesmetrics to open it"
        )
    if found >= upto:
        return found
    con.execute("BEGIN TRANSACTION")
    try:
        if found == 0:
            con.execute("CREATE TABLE _meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.execute("CREATE TABLE _settings (name VARCHAR PRIMARY KEY, value VARCHAR)")
            con.execute("INSERT INTO _meta VALUES ('schema_version', '0'), ('data_version', '0')")
        for version in range(found + 1, upto + 1):
            for statement in MIGRATIONS[version - 1]:
                con.execute(statement)
            if on_step:
                on_step(version)
        con.execute("UPDATE _meta SET value = ? WHERE key = 'schema_version'", [str(upto)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return found


def read_settings(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    return {name: value for name, value in con.execute("SELECT name, value FROM _settings").fetchall()}


def write_setting(con: duckdb.DuckDBPyConnection, name: str, value: str | None) -> None:
    if value is None:
        con.execute("DELETE FROM _settings WHERE name = ?", [name])
    else:
        con.execute("INSERT OR REPLACE INTO _settings VALUES (?, ?)", [name, value])


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    # fetchall, not fetchone: DuckDB refuses further work on a connection with an unfinished result.
    rows = con.execute("SELECT value FROM _meta WHERE key = 'data_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def bump_data_version(con: duckdb.DuckDBPyConnection,
                      records: bool | AbstractSet[str] = True,
                      renewed: AbstractSet[str] = frozenset()) -> int:
    """Called inside every writing transaction, so caches keyed by it see each change. The rollups
    that sum what may have changed are rebuilt in it too: ``records`` names the tables changed
    (True: any of them, as a change of the time zone moves every record's time). A change beside
    them (a target, a schedule) leaves them as they are, fresh at the new version. ``renewed``: the
    rollups the caller brought up to date itself in this transaction (:func:`renew_activities`),
    while all of them were fresh."""
    con.execute(
        "UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'"
    )
    version = data_version(con)
    if records is True or not rollups_fresh(con, version - 1):
        refresh_rollups(con, version)
    else:
        refresh_rollups(con, version, [name for name, tables in ROLLUP_READS.items()
                                       if records and set(tables) & records and name not in renewed])
    return version


def renew_activities(con: duckdb.DuckDBPyConnection, touched: str) -> None:
    """Bring ACTIVITY_ROLLUP up to date after a write that changed only the activities and deals of
    the deals ``touched`` (a table or view with their ``deal_id``, including the deals activities
    were moved from): their lines are made again, the others are left as they are. A daily import
    of a day's activities renews a few lines instead of grouping all of them (2 s at 1M deals)."""
    con.execute(f"DELETE FROM {ACTIVITY_ROLLUP} WHERE deal_id IN (SELECT deal_id FROM {touched})")
    con.execute(f"INSERT INTO {ACTIVITY_ROLLUP} " + _ACTIVITIES_OF_CLOSED.format(
        only=f" AND d.deal_id IN (SELECT deal_id FROM {touched})"))


# Rollups kept beside the records, each read by a KPI that would otherwise read far more of them
# than its period (Query.monthly_won, Query.product_revenue, activity effectiveness). Each is
# brought up to date in every transaction that may change the records it sums (ROLLUP_READS):
# rebuilt whole (at 1M deals ~0.3 s the deals' three, ~2 s the activities'), or, for a small
# import, the activities' lines of the deals it touched (renew_activities). So nothing can change
# the records without them; read only while _meta's rollups_built names the data version (and
# these rollups), so a program that does not know them (an older one) leaves them stale and
# unread, never wrong.
ROLLUP = "won_by_rep_month"  # won revenue per rep and calendar month: ramp time reads all of it
# The same in the base currency, with the deals no rate converts counted apart: what ramp time reads
# in a workspace of several currencies.
BASE_ROLLUP = "won_base_by_rep_month"
ITEMS_ROLLUP = "won_items_by_rep_month"  # won items' revenue and deals per product, rep and month
RATE_ROLLUP = "fx_rate_by_day"  # each currency's rate on every day from its first rate on
QUOTA_ROLLUP = "quota_by_rep_month"  # reps' quotas per calendar month, pro-rated by days
# Activities per closed deal and type, those up to its close: a kickoff logged against a won deal
# after it was won did not win it.
ACTIVITY_ROLLUP = "activity_types_by_closed_deal"
# ``only``: a condition on the deals (d), where an import renews the lines of the deals it touched.
_ACTIVITIES_OF_CLOSED = (
    "SELECT d.closed_at, a.deal_id, a.rep_id, lower(a.type) AS activity_type, count(*) AS k "
    "FROM activities a JOIN deals d ON a.deal_id = d.deal_id "
    "WHERE d.status IN ('won', 'lost') AND d.closed_at IS NOT NULL AND a.occurred_at <= d.closed_at{only} "
    "GROUP BY ALL ORDER BY d.closed_at"
)
# The base currency, for a rollup in it (a workspace of one currency may have none set: every
# record is then in the base currency).
_BASE = "base AS (SELECT max(value) AS currency FROM _settings WHERE name = 'base_currency')"
# Each won deal with the rate a rollup converts its money at: the latest of its currency on or
# before its close day (RATE_ROLLUP, made first); 1 for the base currency and a deal without a
# currency; empty where no rate converts it. What BASE_ROLLUP and ITEMS_ROLLUP read (``priced``).
_WON_PRICED = (
    f"WITH {_BASE}, won AS (SELECT d.deal_id, d.rep_id, d.closed_at, d.amount, d.currency, "
    "d.currency IS NOT NULL AND d.currency <> b.currency AS foreign_ "
    "FROM deals d, base b WHERE d.status = 'won' AND d.closed_at IS NOT NULL), "
    "priced AS (SELECT w.deal_id, w.rep_id, w.closed_at, w.currency, w.amount, "
    "CASE WHEN w.foreign_ THEN r.rate ELSE CAST(1 AS DECIMAL(18, 6)) END AS rate FROM won w "
    f"LEFT JOIN {RATE_ROLLUP} r ON w.foreign_ AND r.currency = w.currency "
    "AND r.day = CAST(w.closed_at AS DATE)) "
)
ROLLUPS = {
    ROLLUP: (
        "SELECT rep_id, CAST(date_trunc('month', closed_at) AS DATE) AS month, sum(amount) AS amount "
        "FROM deals WHERE status = 'won' AND closed_at IS NOT NULL GROUP BY ALL"
    ),
    # The rate of each day: the latest dated on or before it, so that money is converted by an
    # equal join on (currency, day), not by seeking the latest rate of each day a query holds
    # (0.045 of a revenue query's 0.05 s at 1M deals, a fifth in euros). From a currency's first
    # rate to 20 years after its last rate or the day rates were last written: a query converts at
    # no day after today (Query._rate_on).
    RATE_ROLLUP: (
        "WITH horizon AS (SELECT CAST(greatest(max(date), current_date) + INTERVAL 20 YEAR AS DATE) AS last "
        "FROM fx_rates), spans AS (SELECT f.currency, f.date AS first_day, f.rate_to_base AS rate, "
        "coalesce(lead(f.date) OVER (PARTITION BY f.currency ORDER BY f.date), h.last) AS next_day "
        "FROM fx_rates f, horizon h) "
        "SELECT currency, CAST(unnest(range(CAST(first_day AS TIMESTAMP), CAST(next_day AS TIMESTAMP), "
        "INTERVAL 1 DAY)) AS DATE) AS day, rate FROM spans ORDER BY currency, day"
    ),
    # Each won deal at the latest rate of its currency on or before its close day (the daily rates
    # above, made first), to the cent, as the query layer converts it (Query.convert); 1 for the
    # base currency (_settings) and for a deal without a currency. A deal closed after the moment a
    # query converts as of (today, an as-of day) is converted at that moment's rate there: such
    # months are read from the deals (Query.monthly_won). ``unrated``: the deals no rate converts,
    # with the first currency and close among them, for ramp time to refuse where it reads them.
    # Each deal to the cent in 38 digits: one whose money overflows 18 (a rate typed upside down)
    # is refused where a figure reads it from the deals, never by the write that rebuilds this
    # (every write, when stale).
    BASE_ROLLUP: (
        _WON_PRICED + "SELECT rep_id, CAST(date_trunc('month', closed_at) AS DATE) AS month, "
        "CAST(sum(CAST(round(CAST(amount AS DECIMAL(38, 2)) * CAST(rate AS DECIMAL(38, 6)), 2) "
        "AS DECIMAL(38, 2))) AS DECIMAL(38, 2)) AS revenue, "
        "count(*) FILTER (WHERE rate IS NULL) AS unrated, "
        "min(currency) FILTER (WHERE rate IS NULL) AS unrated_currency, "
        "min(closed_at) FILTER (WHERE rate IS NULL) AS unrated_day FROM priced GROUP BY ALL"
    ),
    # Each line's revenue as the query layer computes it (Query.won_items), to the cent, so the
    # sums are the same exact decimals: in the base currency, at its deal's close day's rate as
    # BASE_ROLLUP converts deals (a line no rate converts is empty: the figure that reads its month
    # refuses it from the deals first). In one currency every rate is 1. A line the query layer
    # could not hold in 18 digits once converted (a rate typed upside down) is kept apart
    # (``oversize``): the query that reads its month fails as the one reading the lines does,
    # while the write that rebuilds this does not. A deal closes in one month and has one rep: the
    # distinct deals of the groups add up to those of any coarser group. Ordered by month: a
    # period's months are then a few of the table's row groups.
    ITEMS_ROLLUP: (
        _WON_PRICED + "SELECT rep_id, product_id, month, sum(TRY_CAST(value AS DECIMAL(18, 2))) AS revenue, "
        "count(DISTINCT deal_id) AS deals, "
        "max(value) FILTER (WHERE TRY_CAST(value AS DECIMAL(18, 2)) IS NULL) AS oversize FROM ("
        "SELECT p.rep_id, i.product_id, p.deal_id, CAST(date_trunc('month', p.closed_at) AS DATE) AS month, "
        "CASE WHEN p.rate = 1 THEN line ELSE CAST(round(CAST(line AS DECIMAL(38, 2)) "
        "* CAST(p.rate AS DECIMAL(38, 6)), 2) AS DECIMAL(38, 2)) END AS value FROM (SELECT i.deal_id, "
        "i.product_id, CAST(round(CAST(i.quantity AS DECIMAL(38, 6)) * CAST(i.unit_price AS "
        "DECIMAL(38, 2)), 2) AS DECIMAL(18, 2)) AS line FROM deal_items i) i "
        "JOIN priced p ON i.deal_id = p.deal_id) GROUP BY ALL ORDER BY month"
    ),
    # A rep's quota's share of each calendar month its days fall in, as ramp time pro-rates it
    # (formulas._shares: amount x days in the month / days of the quota, as float), kept per the
    # quota's own team, which a team filter reads (Query.quota_rows). In the base currency, at the
    # rate of the quota's start (Query.quota_rows), with the quotas no rate converts counted apart
    # (``unrated``, their first currency and start), as BASE_ROLLUP counts deals. A figure converts a
    # quota that starts after today at today's rate, not at a planning rate of its start, which the
    # rollup cannot know: in several currencies the quotas starting after the day before it was
    # built (``late``; ``built_on``, two days early for the clock's time zone, which may be another
    # than the workspace's, up to 26 hours apart) are read from the quotas.
    QUOTA_ROLLUP: (
        f"WITH {_BASE}, owed AS (SELECT q.rep_id, q.team, q.amount, q.currency, q.period_start, "
        "q.period_end, "
        "CAST(current_date AS DATE) - 2 AS built_on, "
        "q.currency IS NOT NULL AND q.currency <> b.currency AS foreign_ "
        "FROM quotas q, base b WHERE q.rep_id IS NOT NULL), "
        "priced AS (SELECT o.*, o.period_start > o.built_on AS late, "
        "o.foreign_ AND r.rate IS NULL AS unrated, "
        "CASE WHEN o.foreign_ THEN o.amount * r.rate ELSE o.amount END AS amount_base FROM owed o "
        f"LEFT JOIN {RATE_ROLLUP} r ON o.foreign_ AND r.currency = o.currency AND r.day = o.period_start) "
        "SELECT rep_id, team, month, late, built_on, sum(amount_base * days / total_days) AS quota, "
        "count(*) FILTER (WHERE unrated) AS unrated, "
        "min(currency) FILTER (WHERE unrated) AS unrated_currency, "
        "min(period_start) FILTER (WHERE unrated) AS unrated_day FROM ("
        "SELECT rep_id, team, currency, period_start, late, built_on, unrated, amount_base, "
        "CAST(month_at AS DATE) AS month, "
        "date_diff('day', CAST(greatest(period_start, CAST(month_at AS DATE)) AS TIMESTAMP), "
        "least(period_end + INTERVAL 1 DAY, CAST(month_at AS DATE) + INTERVAL 1 MONTH)) AS days, "
        "date_diff('day', period_start, CAST(period_end + INTERVAL 1 DAY AS DATE)) AS total_days "
        "FROM (SELECT *, unnest(range(CAST(date_trunc('month', period_start) AS TIMESTAMP), "
        "CAST(period_end + INTERVAL 1 DAY AS TIMESTAMP), INTERVAL 1 MONTH)) AS month_at "
        "FROM priced)) WHERE days > 0 GROUP BY ALL"
    ),
    # The activities of each closed deal per type and the rep who did them (whom a viewer may
    # see), beside the deal's close: activity effectiveness reads a period's closed deals' 2-3
    # lines each, not every activity ever logged (10M at 1M deals: 0.19 s a view). Ordered by the
    # close, so a period's deals are a few of the table's row groups.
    ACTIVITY_ROLLUP: _ACTIVITIES_OF_CLOSED.format(only=""),
}
# The records each rollup sums: a write rebuilds the rollups of the tables it changed.
# In the order they are made: the daily rates before the base currency's revenue, which reads them.
ROLLUP_READS = {ROLLUP: ("deals",), RATE_ROLLUP: ("fx_rates",),
                BASE_ROLLUP: ("deals", "fx_rates", "_settings"),
                ITEMS_ROLLUP: ("deal_items", "deals", "fx_rates", "_settings"),
                QUOTA_ROLLUP: ("quotas", "fx_rates", "_settings"), ACTIVITY_ROLLUP: ("activities", "deals")}
assert list(ROLLUP_READS) == list(ROLLUPS)


def refresh_rollups(con: duckdb.DuckDBPyConnection, version: int,
                    names: Iterable[str] | None = None) -> None:
    """Rebuild the rollups ``names`` (all of them by default) and mark them all fresh at
    ``version``: the caller knows the others sum nothing that changed."""
    for name in ROLLUPS if names is None else names:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {ROLLUPS[name]}")
    _mark_rollups(con, version)


# Which rollups, made how: a workspace whose rollups an older salesmetrics built (fewer of them, or
# another SQL) has them rebuilt by its next write, and read from the records until then.
# The schema version is part of it: a migration that rewrites the records they sum leaves them stale.
_LAYOUT = hashlib.sha256(repr((SCHEMA_VERSION, sorted(ROLLUPS.items()))).encode()).hexdigest()[:16]


def _mark_rollups(con: duckdb.DuckDBPyConnection, version: int) -> None:
    # rollups_version for older programs, which read won_by_rep_month by it and rebuild only that
    # one: their writes leave rollups_built behind, so this program then reads the records.
    con.execute("INSERT OR REPLACE INTO _meta VALUES ('rollups_version', ?), ('rollups_built', ?)",
                [str(version), f"{version} {_LAYOUT}"])


def rollups_fresh(con: duckdb.DuckDBPyConnection, version: int | None = None) -> bool:
    """Whether these rollups were built at the current data version (or at ``version``)."""
    rows = con.execute("SELECT max(CASE WHEN key = 'rollups_built' THEN value END), "
                       "max(CASE WHEN key = 'data_version' THEN value END) FROM _meta").fetchall()
    built, current = rows[0] if rows else (None, None)
    return bool(built == f"{current if version is None else version} {_LAYOUT}")
