"""The one place records are read.

KPI definitions never touch a connection: they ask :class:`Records` for canonical tables as Ibis
expressions. This is where what a viewer may see is enforced, for every face at once: a rep's
records are their deals, activities, answers and quotas, and the lines, stage moves and kept
history (deal_changes) of their deals; a team's are those of its reps, and the team's own quotas.
Records no rep of the viewer's owns (answers without a rep, deals of a rep not on record) are seen
by those who see everything. Products, accounts (the customers) and exchange rates belong to nobody
and are seen by all. Targets, kept beside the records, are asked about here too
(:meth:`Records.sees`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .access import Viewer
from .schema import TABLES
from .storage import ROLLUPS

T = TypeVar("T")
# Store.memo: an answer kept under a key until the data version moves (and with a weight, kept
# only while there is room).
Memo = Callable[[Hashable, Callable[[], Any], Callable[[Any], int] | None], Any]


class Records:
    """``backend`` is the Ibis backend, or a function that makes it: made when first needed, since
    a query whose SQL is kept (kpis/compiled.py) runs without Ibis. ``engine`` names the engine
    (``duckdb`` for the embedded file) and ``connection`` is the embedded DuckDB connection, the
    one kept SQL runs on (None for remote engines)."""

    def __init__(self, backend: Any, viewer: Viewer, *, engine: str | None = None,
                 connection: Any = None, memo: Memo | None = None) -> None:
        self._backend = backend
        self._memo = memo
        self._lazy = isinstance(backend, _Later)
        self.viewer = viewer
        self.engine = engine if engine is not None else getattr(backend, "name", None)
        self.connection = connection
        self._cache: dict[str, Any] = {}
        self._rep_ids: frozenset[str] | None = None
        self._everyone: Records | None = None

    @classmethod
    def later(cls, make_backend: Callable[[], Any], viewer: Viewer, *, engine: str,
              connection: Any = None, memo: Memo | None = None) -> Records:
        """Records whose Ibis backend ``make_backend()`` makes when a query first needs it."""
        return cls(_Later(make_backend), viewer, engine=engine, connection=connection, memo=memo)

    def everyone(self) -> Records:
        """The same records as one who sees everything sees them: for what a figure is measured
        against, which is the workspace's, never the viewer's (ramp time's first deal on record
        and its bar), and is never listed. Itself for one who sees everything already."""
        if self.viewer.sees_everything:
            return self
        if self._everyone is None:  # one, with its table cache, for every query that asks
            # One backend for both, made when either first needs it.
            backend = _Later(lambda: self.backend) if self._lazy else self._backend
            self._everyone = Records(backend, Viewer.everyone(), engine=self.engine,
                                     connection=self.connection, memo=self._memo)
        return self._everyone

    def remember(self, key: Hashable, compute: Callable[[], T],
                 weight: Callable[[T], int] | None = None) -> T:
        """``compute()``, kept until the records change where the store keeps such answers
        (Store.memo); computed every time where none does. With ``weight``, kept only while there
        is room for it."""
        return compute() if self._memo is None else self._memo(key, compute, weight)

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

    def rollup(self, name: str) -> Any:
        """A rollup the embedded workspace keeps of the records (storage.ROLLUPS), limited to what
        the viewer may see like the records it sums. Only where ``Query.rollups`` says it is fresh."""
        if name not in ROLLUPS:
            raise KeyError(f"no rollup {name!r}")
        key = f"rollup {name}"
        if key not in self._cache:
            self._cache[key] = self._visible(name, self.backend.table(name))
        return self._cache[key]

    def _allowed_reps(self) -> Any:
        v = self.viewer
        allowed = self.backend.table("reps")
        if v.rep_ids is not None:
            allowed = allowed.filter(allowed.rep_id.isin(sorted(v.rep_ids)))
        if v.teams is not None:
            allowed = allowed.filter(allowed.team.isin(sorted(v.teams)))
        return allowed

    def _visible(self, name: str, t: Any) -> Any:
        v = self.viewer
        if v.sees_everything:
            return t
        ids = self._allowed_reps().rep_id
        if name == "quotas" and v.teams is not None and v.rep_ids is None:
            # A team's own quota (no rep) is the team's; a rep's is theirs.
            return t.filter(t.rep_id.isin(ids) | (t.rep_id.isnull() & t.team.isin(sorted(v.teams))))
        if "rep_id" in t.columns:
            return t.filter(t.rep_id.isin(ids))
        if name in ("deal_items", "stage_history", "deal_changes"):
            deals = self.backend.table("deals")
            return t.filter(t.deal_id.isin(deals.filter(deals.rep_id.isin(ids)).deal_id))
        return t

    def rep_ids(self) -> frozenset[str]:
        """The ids of the reps this viewer may see."""
        if self._rep_ids is None:
            rows = self.table("reps").select("rep_id").to_pyarrow().column("rep_id").to_pylist()
            self._rep_ids = frozenset(str(r) for r in rows)
        return self._rep_ids

    def sees(self, scope: str, scope_id: str | None) -> bool:
        """Whether the figure of the company, a team or a rep (what a target is set for) is this
        viewer's to see: the company's only for one who sees everything (anyone else's "company"
        is the sum of what they see), a team's for one who sees that whole team."""
        v = self.viewer
        if v.sees_everything:
            return True
        if scope == "rep":
            return scope_id is not None and scope_id in self.rep_ids()
        if scope == "team":
            return v.rep_ids is None and v.teams is not None and scope_id in v.teams
        return False


class _Later:
    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make
