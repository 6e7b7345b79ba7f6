"""The one place records are read.

KPI definitions never touch a connection: they ask :class:`Records` for canonical tables as Ibis
expressions. This is where what a viewer may see is enforced, for every face at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .access import Viewer
from .schema import TABLES


class Records:
    """``backend`` is the Ibis backend, or a function that makes it: made when first needed, since
    a query whose SQL is kept (kpis/compiled.py) runs without Ibis. ``engine`` names the engine
    (``duckdb`` for the embedded file) and ``connection`` is the embedded DuckDB connection, the
    one kept SQL runs on (None for remote engines)."""

    def __init__(self, backend: Any, viewer: Viewer, *, engine: str | None = None,
                 connection: Any = None) -> None:
        self._backend = backend
        self._lazy = isinstance(backend, _Later)
        self.viewer = viewer
        self.engine = engine if engine is not None else getattr(backend, "name", None)
        self.connection = connection
        self._cache: dict[str, Any] = {}

    @classmethod
    def later(cls, make_backend: Callable[[], Any], viewer: Viewer, *, engine: str,
              connection: Any = None) -> Records:
        """Records whose Ibis backend ``make_backend()`` makes when a query first needs it."""
        return cls(_Later(make_backend), viewer, engine=engine, connection=connection)

    @property
    def backend(self) -> Any:
        if self._lazy:
            self._backend = self._backend.make()
            self._lazy = False
        return self._backend

    def table(self, name: str) -> Any:
        if name not in TABLES:
            raise KeyError(f"no canonical table {name!r}")
        if name not in self._cache:
            self._cache[name] = self._visible(name, self.backend.table(name))
        return self._cache[name]

    def _visible(self, name: str, t: Any) -> Any:
        v = self.viewer
        if v.sees_everything:
            return t
        reps = self.backend.table("reps")
        allowed = reps
        if v.rep_ids is not None:
            allowed = allowed.filter(allowed.rep_id.isin(sorted(v.rep_ids)))
        if v.teams is not None:
            allowed = allowed.filter(allowed.team.isin(sorted(v.teams)))
        ids = allowed.rep_id
        if "rep_id" in t.columns:
            return t.filter(t.rep_id.isin(ids))
        if name in ("deal_items", "stage_history"):
            deals = self.backend.table("deals")
            return t.filter(t.deal_id.isin(deals.filter(deals.rep_id.isin(ids)).deal_id))
        return t


class _Later:
    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make
