"""The funnel: how deals move from stage to stage, how long they stay, and what the pipeline is worth.

Read from ``stage_history`` (when each deal entered each stage). Stage order is learnt from the records:
stages are ranked by where they come, on average, in deals' histories; stages that only ever end a
closed deal ("closed won", "closed lost") are outcomes, not stages.

A stay in a stage ends by *advancing* (the deal enters a later stage, or is won from it), by *dropping
out* (the deal is lost from it), by moving back (counted in neither), or not yet (still open).
Conversion of a stage = advanced / (advanced + dropped out): decided stays only, so deals still open do
not count as lost.

Two readings:

* **activity** (default): stays that ended in the period, whenever they began; what the team moved;
* **cohort** (``cohort=True``): the deals created in the period, followed through to today (or
  ``as_of``); how a batch of new deals fares.

Sales velocity = open opportunities x win rate x average deal size / sales cycle length: money per day
the pipeline turns into revenue at current rates. The weighted pipeline = sum of open amounts x the
probability of their stage: given ones, else each stage's historical stage-to-win rate (won / closed
among deals that were in the stage and closed before the period's end).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import stats
from ..kpis.scope import query_maker, resolve_filters
from ..periods import Period
from ..report import build_report

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store

CENT = Decimal("0.01")


@dataclass(frozen=True)
class StageLine:
    stage: str
    entered: int  # stays that began (activity: in the period; cohort: of the cohort's deals)
    advanced: int
    dropped: int
    still_open: int
    conversion: float | None
    ci_low: float | None
    ci_high: float | None
    to_win: float | None  # historical stage-to-win: won / closed among deals that were in the stage
    days_median: float | None  # time in stage of stays that ended
    days_mean: float | None
    stays: int  # ended stays the times rest on

    def as_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "entered": self.entered, "advanced": self.advanced,
                "dropped": self.dropped, "still_open": self.still_open, "conversion": self.conversion,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "stage_to_win": self.to_win,
                "days_in_stage_median": self.days_median, "days_in_stage_mean": self.days_mean,
                "stays": self.stays}


@dataclass(frozen=True)
class Funnel:
    period: Period
    cohort: bool
    currency: str | None
    stages: list[StageLine]
    open_deals: int
    win_rate: float | None
    average_deal_size: Decimal | None
    cycle_days: float | None
    velocity_per_day: Decimal | None
    weighted_pipeline: Decimal
    open_amount: Decimal
    probabilities: dict[str, float]
    probability_source: dict[str, str]  # stage -> given or history
    unweighted_stages: list[str] = field(default_factory=list)  # open stages without a probability

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(), "mode": "cohort" if self.cohort else "activity",
            "currency": self.currency, "stages": [s.as_json() for s in self.stages],
            "velocity": {"open_deals": self.open_deals, "win_rate": self.win_rate,
                         "average_deal_size": self.average_deal_size, "cycle_days": self.cycle_days,
                         "per_day": self.velocity_per_day},
            "weighted_pipeline": {"value": self.weighted_pipeline, "open_amount": self.open_amount,
                                  "probabilities": self.probabilities,
                                  "source": self.probability_source,
                                  "unweighted_stages": self.unweighted_stages},
        }


@dataclass
class _Stay:
    deal: str
    stage: str
    start: datetime
    end: datetime | None
    outcome: str  # advanced, dropped, back, open


def _stays(history: list[dict[str, Any]], deals: Mapping[str, dict[str, Any]],
           stop: datetime) -> tuple[list[_Stay], list[str]]:
    """Every stay of every deal up to ``stop``, and the open stages in funnel order."""
    by_deal: dict[str, list[tuple[datetime, str]]] = {}
    for h in history:
        if h["deal_id"] in deals and h["entered_at"] < stop:
            by_deal.setdefault(h["deal_id"], []).append((h["entered_at"], h["stage"]))
    last_of_closed: dict[str, int] = {}
    total: dict[str, int] = {}
    for deal_id, seq in by_deal.items():
        seq.sort()
        d = deals[deal_id]
        closed = d["status"] in ("won", "lost") and d["closed_at"] is not None and d["closed_at"] < stop
        for i, (_, stage) in enumerate(seq):
            total[stage] = total.get(stage, 0) + 1
            if closed and i == len(seq) - 1 and len(seq) > 1:
                last_of_closed[stage] = last_of_closed.get(stage, 0) + 1
    terminal = {s for s, k in last_of_closed.items() if k == total[s]}
    ranks: dict[str, list[int]] = {}
    for seq in by_deal.values():
        names = [s for _, s in seq if s not in terminal]
        for i, s in enumerate(names):
            ranks.setdefault(s, []).append(i)
    order = sorted(ranks, key=lambda s: (statistics.mean(ranks[s]), s))
    rank = {s: i for i, s in enumerate(order)}

    stays: list[_Stay] = []
    for deal_id, seq in by_deal.items():
        d = deals[deal_id]
        open_seq = [(t, s) for t, s in seq if s not in terminal]
        closed_at = d["closed_at"] if d["closed_at"] is not None and d["closed_at"] < stop else None
        for i, (t, s) in enumerate(open_seq):
            if i + 1 < len(open_seq):
                nt, ns = open_seq[i + 1]
                stays.append(_Stay(deal_id, s, t, nt, "advanced" if rank[ns] > rank[s] else "back"))
            elif closed_at is not None and d["status"] in ("won", "lost"):
                stays.append(_Stay(deal_id, s, t, closed_at,
                                   "advanced" if d["status"] == "won" else "dropped"))
            else:
                stays.append(_Stay(deal_id, s, t, None, "open"))
    return stays, order


def _stage_to_win(stays: list[_Stay], deals: Mapping[str, dict[str, Any]],
                  stop: datetime) -> dict[str, tuple[int, int]]:
    """(won, closed) per stage among deals that were in it and closed before ``stop``."""
    seen: dict[str, set[str]] = {}
    for s in stays:
        seen.setdefault(s.stage, set()).add(s.deal)
    out = {}
    for stage, ids in seen.items():
        closed = [i for i in ids if deals[i]["status"] in ("won", "lost")
                  and deals[i]["closed_at"] is not None and deals[i]["closed_at"] < stop]
        out[stage] = (sum(1 for i in closed if deals[i]["status"] == "won"), len(closed))
    return out


def build_funnel(workspace: Store, period: str | Period, *, cohort: bool = False,
                 probabilities: Mapping[str, float] | None = None,
                 filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
                 viewer: Viewer | None = None) -> Funnel:
    span = workspace.period(period, as_of)
    where = resolve_filters(workspace, filters, viewer)
    q = query_maker(workspace, span, where, as_of=as_of, viewer=viewer)(())
    today = as_of or date.today()
    # Data up to the period's end; a cohort is followed to today.
    end_day = today + timedelta(days=1) if cohort else min(span.end, today + timedelta(days=1))
    stop = datetime(end_day.year, end_day.month, end_day.day)
    period_end = datetime.combine(min(span.end, today + timedelta(days=1)), datetime.min.time())

    d = q.deals()
    raw = q.records.table("deals").select("deal_id", "stage")
    d = d.select("deal_id", "status", "created_at", "closed_at", "amount").left_join(raw, "deal_id")
    d = d.drop("deal_id_right")
    deals = {r["deal_id"]: r for r in d.to_pyarrow().to_pylist()}
    h = q.records.table("stage_history")
    history = h.filter(h.deal_id.isin(d.deal_id)).to_pyarrow().to_pylist()

    stays, order = _stays(history, deals, stop)
    start_at = span.start_at
    if cohort:
        members = {i for i, r in deals.items() if start_at <= r["created_at"] < span.end_at}
        chosen = [s for s in stays if s.deal in members]
        ended = [s for s in chosen if s.outcome != "open"]
        began = chosen
    else:
        ended = [s for s in stays if s.end is not None and start_at <= s.end < stop]
        began = [s for s in stays if start_at <= s.start < stop]
        chosen = ended + [s for s in stays if s.outcome == "open" and s.start < stop]
    history_rates = _stage_to_win(stays, deals, period_end)

    lines = []
    for stage in order:
        mine = [s for s in ended if s.stage == stage]
        advanced = sum(1 for s in mine if s.outcome == "advanced")
        dropped = sum(1 for s in mine if s.outcome == "dropped")
        still = sum(1 for s in chosen if s.stage == stage and s.outcome == "open")
        days = [(s.end - s.start).total_seconds() / 86400 for s in mine if s.end is not None]
        band = stats.wilson(advanced, advanced + dropped)
        won, closed = history_rates.get(stage, (0, 0))
        lines.append(StageLine(
            stage, sum(1 for s in began if s.stage == stage), advanced, dropped, still,
            round(advanced / (advanced + dropped), 4) if advanced + dropped else None,
            round(band.low, 4) if band else None, round(band.high, 4) if band else None,
            round(won / closed, 4) if closed else None,
            round(statistics.median(days), 2) if days else None,
            round(statistics.mean(days), 2) if days else None, len(days),
        ))

    # What is open at the period's end (or today, in a running period), and at which stage.
    current: dict[str, str] = {}
    for s in stays:
        if s.start < period_end and (s.end is None or s.end >= period_end):
            current[s.deal] = s.stage
    open_now = [r for r in deals.values() if r["created_at"] < period_end
                and (r["closed_at"] is None or r["closed_at"] >= period_end)]
    given = {k.lower(): float(v) for k, v in (probabilities or {}).items()}
    probs: dict[str, float] = {}
    source: dict[str, str] = {}
    for stage in order:
        if stage.lower() in given:
            probs[stage], source[stage] = given[stage.lower()], "given"
        else:
            won, closed = history_rates.get(stage, (0, 0))
            if closed:
                probs[stage], source[stage] = round(won / closed, 4), "history"
    weighted = Decimal("0")
    amount = Decimal("0")
    missing: set[str] = set()
    for r in open_now:
        if r["amount"] is None:
            continue
        stage = current.get(r["deal_id"]) or r["stage"] or ""
        amount += Decimal(r["amount"])
        p = probs.get(stage)
        if p is None and stage.lower() in given:
            p = given[stage.lower()]
        if p is None:
            missing.add(stage or "(none)")
            continue
        weighted += Decimal(r["amount"]) * Decimal(str(p))

    report = build_report(workspace, span, kpis=["win_rate", "average_deal_size", "sales_cycle_length"],
                              filters=where, as_of=as_of, viewer=viewer)
    values = {r["kpi"]: r["value"] for r in report.rows}
    rate, size = values.get("win_rate"), values.get("average_deal_size")
    cycle = values.get("sales_cycle_length")
    velocity = None
    if rate is not None and size is not None and cycle:
        velocity = (Decimal(len(open_now)) * Decimal(str(rate)) * Decimal(size)
                    / Decimal(str(cycle))).quantize(CENT)
    return Funnel(span, cohort, report.currency, lines, len(open_now), rate, size, cycle, velocity,
                  weighted.quantize(CENT), amount.quantize(CENT), probs, source, sorted(missing))
