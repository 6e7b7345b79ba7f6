"""Every target that applies to a period beside its figure: status, pace and the change from the
period before. What a target tile and `salesmetrics target status` show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .access import Viewer
from .apart import apart
from .kpis import REGISTRY
from .periods import Period, is_over
from .report import build_report
from .store import Store
from .targets import Targets


@dataclass(frozen=True)
class TargetStatus:
    """One target beside its figure: what a dashboard tile shows."""

    kpi: str
    scope: str
    scope_id: str | None
    target: Any
    value: Any
    status: str | None
    pace: float | None
    elapsed: float
    previous: Any
    change: float | None
    significant: bool | None
    n: int
    flags: tuple[str, ...] = ()  # the row's flags (no_data, median_not_reached, ...)
    lower_bound: Any = None  # a median not reached yet: the longest time observed (report rows)
    over: bool = False  # the period is over: the target was reached or missed (periods.is_over)

    def as_json(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "unit": REGISTRY[self.kpi].unit, "scope": self.scope,
                "scope_id": self.scope_id, "target": self.target, "value": self.value,
                "status": self.status, "pace": self.pace, "elapsed": self.elapsed,
                "previous": self.previous, "change": self.change, "significant": self.significant,
                "n": self.n, "flags": list(self.flags), "lower_bound": self.lower_bound}


def target_statuses(store: Store, span: Period, *, as_of: date | None = None,
                    viewer: Viewer | None = None) -> list[TargetStatus]:
    """Every target that applies to ``span``, with the figure, status, pace and the change from the
    period before."""
    goals = Targets.read(store, viewer=viewer)
    stored = goals.stored
    out: list[TargetStatus] = []
    day = as_of or store.today()
    over = is_over(span, as_of, store.today())

    def gone(scope: str, who: str | None) -> float:
        return float(goals.elapsed(scope, who or None, span, day))

    for scope, by in (("company", ""), ("team", "team"), ("rep", "rep")):
        kpis = sorted({t.kpi for t in stored if t.scope == scope}, key=list(REGISTRY).index)
        if not kpis:
            continue
        report = build_report(store, span, by=by, kpis=kpis, as_of=as_of, viewer=viewer, compare=True,
                              skip_unrated=True)
        # A figure whose money no rate converts: its targets stand, not judged (flag no_rate). By
        # team or rep, only where that team or rep won such money: one rep's pound deal left every
        # rep's target unjudged, while an alert on one of them, asked alone, judged it.
        refused = sorted({s.kpi for s in report.skipped}, key=list(REGISTRY).index)
        others = apart(store, span, refused, by, as_of=as_of, viewer=viewer, compare=True) \
            if by and refused else None
        judged = {(r["kpi"], r[by]): r for r in others.report.rows if r.get("target") is not None} \
            if others else {}
        for kpi in refused:
            for who in sorted({t.scope_id or "" for t in stored if t.kpi == kpi and t.scope == scope}):
                goal = goals.pick(kpi, scope, who or None, span)
                if goal is None:
                    continue
                row = judged.get((kpi, who))
                if row is not None:
                    out.append(_status(row, scope, who, gone(scope, who), over))
                else:
                    out.append(TargetStatus(kpi, scope, who or None, goal, None, None, None,
                                            gone(scope, who), None, None, None, 0, ("no_rate",), None, over))
        for row in report.rows:
            if row.get("target") is None:
                continue
            whose = row.get(by) if by else None
            out.append(_status(row, scope, whose, gone(scope, whose), over))
    return out


def _status(row: dict[str, Any], scope: str, scope_id: str | None, elapsed: float,
            over: bool) -> TargetStatus:
    return TargetStatus(row["kpi"], scope, scope_id, row["target"], row["value"], row["target_status"],
                        row["pace"], elapsed, row.get("previous"), row.get("change"), row.get("significant"),
                        row["n"], tuple(row["flags"]), row.get("lower_bound"), over)
