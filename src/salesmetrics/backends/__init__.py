"""Where the records live: the workspace's DuckDB file (the default), PostgreSQL or Spark.

The KPI definitions are Ibis expressions and are never rewritten per backend; a backend only says
how to connect, how to create its tables, where settings and the data version are kept and how
validated import rows are written (``base.RemoteBackend``). docs/scaling.md says when to switch.
"""

from __future__ import annotations

import os

from ..errors import WorkspaceError
from ..storage import DB_ENV
from ..store import Store
from .url import BACKEND_ENV, KINDS, BackendURL, from_environment, parse_url

__all__ = ["BACKEND_ENV", "KINDS", "BackendURL", "environment_conflict", "from_environment", "open_store",
           "parse_url"]


def environment_conflict() -> str | None:
    """Why the environment names no one workspace: $SALESMETRICS_DB and $SALESMETRICS_BACKEND set to
    two different ones (None when they agree, or one is unset). Either could be meant, so neither
    is picked silently."""
    db, backend = os.environ.get(DB_ENV), os.environ.get(BACKEND_ENV)
    if not db or not backend:
        return None
    url = parse_url(backend)
    if url.kind == "duckdb" and url.path is not None and os.path.abspath(url.path) == os.path.abspath(db):
        return None
    return (f"${DB_ENV} ({db}) and ${BACKEND_ENV} ({url.redacted()}) name two workspaces: unset one, "
            "or say which with --db or --backend")


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               wait: float | None = None, backend: str | None = None) -> Store:
    """The workspace at ``path``, or where ``backend`` says the records live:
    ``duckdb:///file.duckdb`` (the same as ``path``), ``postgres://user@host/db``, ``pyspark`` or
    ``spark://host:7077/warehouse`` (docs/scaling.md). Without ``backend`` and ``path``,
    ``$SALESMETRICS_BACKEND`` names it; a ``path`` given is that file, whatever the environment
    says. Both environment variables set to two different workspaces are refused."""
    if backend is None and path is None and (conflict := environment_conflict()):
        raise WorkspaceError(conflict)
    url = from_environment(backend) if backend or path is None else None
    if url is not None and url.remote:
        from .remote import RemoteStore

        return RemoteStore.connect(url, read_only=read_only)
    if url is not None and url.path is not None:
        path = url.path
    return Store.open(path, read_only=read_only, wait=wait)
