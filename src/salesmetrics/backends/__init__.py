"""Where the records live: the workspace's DuckDB file (the default), PostgreSQL or Spark.

The KPI definitions are Ibis expressions and are never rewritten per backend; a backend only says
how to connect, how to create its tables, where settings and the data version are kept and how
validated import rows are written (``base.RemoteBackend``). docs/scaling.md says when to switch.
"""

from __future__ import annotations

from .url import BACKEND_ENV, KINDS, BackendURL, from_environment, parse_url

__all__ = ["BACKEND_ENV", "KINDS", "BackendURL", "from_environment", "parse_url"]
