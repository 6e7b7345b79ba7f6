from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime


@dataclass(frozen=True)
class TableCounts:
    table: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    emptied: tuple[tuple[str, int], ...] = ()  # (column, records): see Emptied

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


@dataclass(frozen=True)
class Skipped:
    """Rows of an export that hold no record, left out on purpose (deleted deals, planned calls)."""

    file: str
    reason: str
    rows: int


@dataclass(frozen=True)
class Deleted:
    """Records the files say were deleted at the source (Pipedrive's deleted deals). The import
    reads them; the store then keeps those it still holds, and counts: an import removes none."""

    table: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Emptied:
    """Stored values an import empties: no file of ``table`` has ``column``, and a record is
    replaced whole by the newest file (importing/write.py), so ``records`` that had a value lose it."""

    table: str
    column: str
    records: int


@dataclass(frozen=True)
class Ahead:
    """Records of an import dated after it (a call planned for tomorrow, a deal closed next week,
    an export written in a zone ahead of the workspace's): they count in the figures of their days,
    as the records say, which the figures of today would not show without a word."""

    table: str
    column: str
    records: int
    latest: datetime


@dataclass(frozen=True)
class LookAlike:
    """Records stored under different ids that agree in everything else (importing/look_alike.py):
    ``records`` extra copies, which the figures count as records of their own; ``example``, the ids
    of one such set."""

    table: str
    records: int
    example: tuple[str, ...]


@dataclass(frozen=True)
class Overlap:
    """Records of one rep whose days overlap another's (importing/overlaps.py): ``reps`` with such
    quotas, which figures add up; ``rep`` and ``spans``, one such pair (first and last days)."""

    table: str
    reps: int
    rep: str
    spans: tuple[tuple[date, date], tuple[date, date]]


@dataclass(frozen=True)
class Unstaffed:
    """A manager whose ``teams`` (some or all of theirs) no rep is on after an import of reps
    (importing/unstaffed.py): their views hold none of those teams' records."""

    user: str
    teams: tuple[str, ...]


# The moments an import's records are dated by (in the workspace's zone), looked at for Ahead.
DATED = {"deals": ("created_at", "closed_at"), "activities": ("occurred_at",),
         "nps_responses": ("responded_at",)}


@dataclass(frozen=True)
class ImportSummary:
    files: tuple[str, ...]
    tables: tuple[TableCounts, ...] = field(default=())
    skipped: tuple[Skipped, ...] = field(default=())
    history: int = 0  # deals whose changes were kept in deal_changes (new or changed ones)
    deleted: tuple[Deleted, ...] = field(default=())
    emptied: tuple[Emptied, ...] = field(default=())
    ahead: tuple[Ahead, ...] = field(default=())
    look_alike: tuple[LookAlike, ...] = field(default=())
    overlapping: tuple[Overlap, ...] = field(default=())
    unstaffed: tuple[Unstaffed, ...] = field(default=())
    without_rows: tuple[str, ...] = field(default=())  # files with a header and no row
    # deal_changes is the history the import kept of its deals, not a file's table: said apart
    history_derived: bool = field(default=True, compare=False)

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tables)

    def written(self, counts: Sequence[TableCounts]) -> ImportSummary:
        """This summary of the checked files, with what the write of them did (``counts``): the
        one place the embedded import and the server's checked-then-written one build it."""
        kept = [c for c in counts if c.table == "deal_changes" and self.history_derived]
        return replace(self, tables=tuple(c for c in counts if c not in kept),
                       history=sum(c.inserted + c.updated for c in kept), emptied=emptied_of(counts))

    def as_json(self) -> dict[str, object]:
        return {
            "files": list(self.files),
            "tables": {
                t.table: {"inserted": t.inserted, "updated": t.updated, "unchanged": t.unchanged}
                for t in self.tables
            },
            "skipped": [{"file": s.file, "reason": s.reason, "rows": s.rows} for s in self.skipped],
            "history": {"deal_changes": self.history},
            "deleted_at_source_still_counted": {d.table: list(d.keys) for d in self.deleted},
            "emptied_by_missing_columns": _emptied_json(self.emptied),
            "dated_after_import": _ahead_json(self.ahead),
            "look_alike": {a.table: {"records": a.records, "example": list(a.example)}
                           for a in self.look_alike},
            "overlapping": {o.table: {"reps": o.reps, "example": {
                "rep": o.rep, "spans": [[first.isoformat(), last.isoformat()] for first, last in o.spans]}}
                for o in self.overlapping},
            "managers_teams_without_reps": {u.user: list(u.teams) for u in self.unstaffed},
            "files_without_rows": list(self.without_rows),
        }


def emptied_of(counts: Sequence[TableCounts]) -> tuple[Emptied, ...]:
    """The stored values the writes of ``counts`` emptied (importing/write.py counts them)."""
    return tuple(Emptied(c.table, column, n) for c in counts for column, n in c.emptied)


def _emptied_json(emptied: tuple[Emptied, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for e in emptied:
        out.setdefault(e.table, {})[e.column] = e.records
    return out


def _ahead_json(ahead: tuple[Ahead, ...]) -> dict[str, dict[str, dict[str, object]]]:
    out: dict[str, dict[str, dict[str, object]]] = {}
    for a in ahead:
        out.setdefault(a.table, {})[a.column] = {"records": a.records, "latest": a.latest.isoformat()}
    return out
