"""The one place records are read.

KPI definitions never touch a connection: they ask :class:`Records` for canonical tables as Ibis
expressions. This is where what a viewer may see is enforced, for every face at once.
"""

from __future__ import annotations

from typing import Any

from .access import Viewer
from .schema import TABLES


class Records:
    def __init__(self, backend: Any, viewer: Viewer) -> None:
        self.backend = backend
        self.viewer = viewer
        self._cache: dict[str, Any] = {}

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
        if name in ("deal_items", "stage_history", "deal_changes"):
            deals = self.backend.table("deals")
            return t.filter(t.deal_id.isin(deals.filter(deals.rep_id.isin(ids)).deal_id))
        return t
