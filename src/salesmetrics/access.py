"""Who is asking. Every face hands the core a :class:`Viewer`; the core limits what it reads to it.

Today everyone sees everything (there are no accounts yet). Accounts and roles (a rep sees their own
numbers, a manager their team) plug in here and in :mod:`salesmetrics.records`, not in each route.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    name: str
    rep_ids: frozenset[str] | None = None  # None: all reps
    teams: frozenset[str] | None = None  # None: all teams

    @classmethod
    def everyone(cls) -> Viewer:
        return cls("everyone")

    @property
    def sees_everything(self) -> bool:
        return self.rep_ids is None and self.teams is None
