"""The workspace file: opening it, its versioned schema and migrations, its settings and data version.

Migrations are frozen SQL: once released, a migration never changes, so a workspace made by any earlier
version replays the missing steps and opens in this one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from .errors import WorkspaceError

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

MIGRATIONS: list[list[str]] = [_V1, _V2]
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise WorkspaceError(f"no workspace at {path}; create one with `salesmetrics import` or `demo`")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise WorkspaceError(f"cannot open workspace {path}: {exc}") from None
    except duckdb.Error as exc:
        raise WorkspaceError(f"{path} is not a salesmetrics workspace: {exc}") from None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


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
    row = con.execute("SELECT value FROM _meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Called inside every writing transaction, so caches keyed by it see each change."""
    con.execute(
        "UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'"
    )
    return data_version(con)
