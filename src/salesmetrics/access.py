"""Who is asking. Every face hands the core a :class:`Viewer`; the core limits what it reads to it.

A viewer is a value: frozen and hashable, part of every cache key (answers, compiled SQL, known
values), so two people who may see the same records share answers and nobody is handed an answer
computed for someone who may see more. What a viewer may see is said here; it is enforced in one
place, :mod:`salesmetrics.records`, for every face at once.

* ``admin`` (and everyone, where a workspace has no accounts): every record, and may change the
  workspace (import, upload, targets, settings, users, tokens).
* ``manager``: the records of the reps of their teams; the company's figures are those teams' sum.
* ``rep``: their own records only, or with the workspace setting ``rep_visibility = team`` those of
  their team.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("admin", "manager", "rep")

# A median over fewer people than this gives one of them away to whoever may not see them (the
# median of two is their mean; of one, their figure): below it, such a viewer is shown none.
PRIVATE_MIN = 3


@dataclass(frozen=True)
class Viewer:
    # Who it is, for logs and the audit; not part of the value: two viewers who may see the same
    # records are equal, and share cached answers.
    name: str = field(compare=False)
    rep_ids: frozenset[str] | None = None  # None: all reps
    teams: frozenset[str] | None = None  # None: all teams
    role: str = "admin"
    rep: str | None = field(default=None, compare=False)  # a rep user's own rep id

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")
        # Viewer("daniel", role="rep") saw the whole company: every rep's revenue read as his.
        if self.role != "admin" and self.sees_everything:
            raise ValueError(f"a {self.role} viewer names whose records it sees: "
                             "Viewer.of_rep(name, rep_id) or Viewer.of_teams(name, teams)")

    @classmethod
    def everyone(cls) -> Viewer:
        return cls("everyone")

    @classmethod
    def of_rep(cls, name: str, rep: str) -> Viewer:
        """A rep who sees their own records only."""
        return cls(name, rep_ids=frozenset({rep}), role="rep", rep=rep)

    @classmethod
    def of_teams(cls, name: str, teams: str | frozenset[str] | set[str] | tuple[str, ...] | list[str], *,
                 role: str = "manager", rep: str | None = None) -> Viewer:
        """A manager of ``teams`` (or, with ``rep_visibility = team``, a rep seeing their team)."""
        # One team named bare: frozenset("east") was the teams e, a, s and t, and every figure 0.
        return cls(name, teams=frozenset((teams,) if isinstance(teams, str) else teams), role=role, rep=rep)

    @property
    def sees_everything(self) -> bool:
        return self.rep_ids is None and self.teams is None

    @property
    def may_write(self) -> bool:
        """Import, upload, targets, settings, users, tokens: admins only."""
        return self.role == "admin" and self.sees_everything

    @property
    def whole(self) -> tuple[str, str | None] | None:
        """Whose figure an unfiltered figure of this viewer is: the company's for one who sees
        everything, the rep's for a rep who sees their own, the team's for one who sees one team;
        None for several teams (their sum is nobody's figure, so no target applies to it)."""
        if self.sees_everything:
            return "company", None
        if self.rep_ids is not None and len(self.rep_ids) == 1 and self.teams is None:
            return "rep", next(iter(self.rep_ids))
        if self.teams is not None and len(self.teams) == 1 and self.rep_ids is None:
            return "team", next(iter(self.teams))
        return None
