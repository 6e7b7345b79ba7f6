"""Which engine holds the records: ``--backend URL`` or ``$SALESMETRICS_BACKEND``.

``duckdb:///path/file.duckdb`` (the default, the same as ``--db``), ``postgres://user:pw@host/db``
(``?schema=NAME`` to use a schema other than ``public``), ``pyspark`` (local mode;
``pyspark:///path/to/warehouse``, ``?master=local[4]``) or ``spark://host:7077/path/to/warehouse``
(a cluster).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import WorkspaceError

BACKEND_ENV = "SALESMETRICS_BACKEND"
KINDS = ("duckdb", "postgres", "pyspark")
DEFAULT_WAREHOUSE = "salesmetrics-warehouse"


@dataclass(frozen=True)
class BackendURL:
    kind: str  # duckdb, postgres or pyspark
    text: str  # as given
    path: Path | None = None  # duckdb: the file; pyspark: the warehouse folder
    options: dict[str, str] = field(default_factory=dict)
    master: str | None = None  # pyspark: local[2], spark://host:7077

    @property
    def remote(self) -> bool:
        return self.kind != "duckdb"

    def redacted(self) -> str:
        """The URL without its password, for messages."""
        parts = urlsplit(self.text)
        if parts.password:
            return self.text.replace(f":{parts.password}@", ":***@", 1)
        return self.text


def parse_url(text: str) -> BackendURL:
    text = text.strip()
    parts = urlsplit(text)
    scheme = (parts.scheme or text).lower()
    options = dict(parse_qsl(parts.query))
    if scheme == "duckdb":
        # ibis' spelling: duckdb://relative.duckdb, duckdb:///absolute.duckdb
        raw = unquote(parts.netloc + parts.path)
        return BackendURL("duckdb", text, Path(raw) if raw else None, options)
    if scheme in ("postgres", "postgresql"):
        if not parts.path.strip("/"):
            raise WorkspaceError(f"name the database in {text!r}: postgres://user@host/DATABASE")
        return BackendURL("postgres", text, None, options)
    if scheme in ("pyspark", "spark"):
        raw = unquote(parts.path) if scheme == "spark" else unquote(parts.netloc + parts.path)
        warehouse = Path(raw or options.pop("warehouse", "") or DEFAULT_WAREHOUSE)
        if scheme == "spark":
            if not parts.hostname:  # spark:// alone: a Java traceback from the driver
                raise WorkspaceError(f"{text!r} names no Spark master: write "
                                     "spark://host:7077/warehouse/path, or pyspark for local mode")
            master = f"spark://{parts.netloc}"
        else:
            master = options.pop("master", "") or os.environ.get("SALESMETRICS_SPARK_MASTER") or "local[2]"
        return BackendURL("pyspark", text, warehouse, options, master)
    raise WorkspaceError(
        f"unknown backend {text!r}; use duckdb:///path/file.duckdb, postgres://user@host/db, "
        "pyspark (local) or spark://host:7077/warehouse/path"
    )


def from_environment(explicit: str | None) -> BackendURL | None:
    """The backend asked for (``--backend``, else ``$SALESMETRICS_BACKEND``), or None: DuckDB."""
    text = explicit or os.environ.get(BACKEND_ENV)
    return parse_url(text) if text else None
