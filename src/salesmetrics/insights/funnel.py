"""The funnel: how deals move from stage to stage, how long they stay, and what the pipeline is worth.

Read from ``stage_history`` (when each deal entered each stage). Stage order is learnt from the records:
stages are ranked by where they come, on average, in deals' histories; stages that only ever end a
closed deal, all the same way, and are named so ("closed won", "closed lost") or entered as the deal
closed, are outcomes, not stages.

A stay in a stage ends by *advancing* (the deal enters a later stage, or is won from it), by *dropping
out* (the deal is lost from it), by *moving back* (to an earlier stage, or into the same one again), or
not yet (still open). Conversion of a stage = advanced / (advanced + dropped out): decided stays only,
so deals still open do not count as lost.

Each stage's counts add up: open at the start + entered = advanced + dropped out + moved back + still
open. Across stages they need not: a deal may advance past the next stage (``skipped``: to a later one,
or won before the last stage), so a stage's advanced can exceed the next stage's entered.

Two readings:

* **activity** (default): stays that ended in the period, whenever they began; what the team moved;
* **cohort** (``cohort=True``): the deals created in the period, followed through to today (or
  ``as_of``); how a batch of new deals fares.

With ``by`` (rep, team or pipeline) each group gets its own stages and pipeline, in the stage order
learnt from all the deals in view. The stage probabilities that weigh the pipeline are learnt from
every deal the viewer may see, whatever the filters, so a deal weighs the same in every view of it;
a stage's line still says the stage-to-win rate of the deals in view (what that team converted).

Sales velocity = open opportunities x win rate x average deal size / sales cycle length: money per day
the pipeline turns into revenue at current rates. The weighted pipeline = sum of open amounts x the
probability of their stage: given ones, else each stage's historical stage-to-win rate (won / closed
among deals that were in the stage and closed before the period's end).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import stats
from ..coverage import PeriodHint, period_hint
from ..errors import CurrencyError, DimensionError, keyed, no_rate
from ..kpis import compiled
from ..kpis.known_values import unknown_value
from ..kpis.query import Query
from ..kpis.scope import filters_json, query_maker, resolve_filters, whole_deal_filters
from ..periods import Measured, Period, end_of
from ..report import build_report
from ..stage_words import CLOSED_WORDS

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
    open_at_start: int = 0  # stays begun before the period and still open at its start (activity)
    moved_back: int = 0  # stays ended by a move to an earlier stage or into the same one again
    skipped: int = 0  # of the advanced: past the next stage, or won before the last stage

    def as_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "open_at_start": self.open_at_start, "entered": self.entered,
                "advanced": self.advanced, "dropped": self.dropped, "moved_back": self.moved_back,
                "still_open": self.still_open, "skipped": self.skipped, "conversion": self.conversion,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "stage_to_win": self.to_win,
                "days_in_stage_median": self.days_median, "days_in_stage_mean": self.days_mean,
                "stays": self.stays}


@dataclass(frozen=True)
class Pipeline:
    """What is open at the period's end, what it is worth, and how fast it turns into revenue."""

    open_deals: int
    win_rate: float | None
    average_deal_size: Decimal | None
    cycle_days: float | None
    velocity_per_day: Decimal | None
    # None: no stage history to weigh by, or an open deal no exchange rate converts (reason says)
    weighted_pipeline: Decimal | None
    open_amount: Decimal | None  # None where an open deal has no exchange rate
    unweighted_stages: list[str]
    without_rate: int = 0  # open deals no exchange rate converts: the money is left empty

    @property
    def reason(self) -> str | None:
        if self.weighted_pipeline is not None:
            return None
        return "no_rate" if self.without_rate else "no_stage_history"

    def as_json(self, probabilities: dict[str, float], source: dict[str, str]) -> dict[str, Any]:
        return {
            "velocity": {"open_deals": self.open_deals, "win_rate": self.win_rate,
                         "average_deal_size": self.average_deal_size, "cycle_days": self.cycle_days,
                         "per_day": self.velocity_per_day},
            "weighted_pipeline": {"value": self.weighted_pipeline, "reason": self.reason,
                                  "open_amount": self.open_amount, "without_rate": self.without_rate,
                                  "probabilities": probabilities, "source": source,
                                  "unweighted_stages": self.unweighted_stages},
        }


@dataclass(frozen=True)
class FunnelGroup:
    """One rep's, team's or pipeline's funnel (``build_funnel(by=...)``)."""

    key: str | None
    stages: list[StageLine]
    pipeline: Pipeline


@dataclass(frozen=True)
class Funnel(Measured):
    period: Period
    cohort: bool
    currency: str | None
    stages: list[StageLine]
    open_deals: int
    win_rate: float | None
    average_deal_size: Decimal | None
    cycle_days: float | None
    velocity_per_day: Decimal | None
    weighted_pipeline: Decimal | None  # None without stage history: nothing to weigh by, not a zero
    open_amount: Decimal | None  # None where an open deal has no exchange rate
    probabilities: dict[str, float]
    probability_source: dict[str, str]  # stage -> given or history
    unweighted_stages: list[str] = field(default_factory=list)  # open stages without a probability
    by: str | None = None
    groups: list[FunnelGroup] = field(default_factory=list)  # with ``by``: each group's funnel
    has_history: bool = True  # any stage history in the workspace at all (else: import it)
    as_of: date | None = None  # figures as they stood at the end of this day
    hint: PeriodHint | None = None  # the period holds no records: where they are (coverage.py)
    # Money left empty for want of an exchange rate (the counts stand): the open deals' refusal,
    # and the figures of closed deals it rests on (average deal size) that were refused.
    without_rate: int = 0
    refused: list[CurrencyError] = field(default_factory=list)
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # as resolved (ids)

    @property
    def reconciles(self) -> bool:
        """Every stage's counts add up (open at start + entered = the ways a stay ends + still open)."""
        lines = self.stages + [s for g in self.groups for s in g.stages]
        return all(s.open_at_start + s.entered == s.advanced + s.dropped + s.moved_back + s.still_open
                   for s in lines)

    def as_json(self) -> dict[str, Any]:
        out = {
            "period": self.period.as_json(), **self.as_of_json(),
            "mode": "cohort" if self.cohort else "activity",
            "filters": filters_json(self.filters),
            "currency": self.currency, "stages": [s.as_json() for s in self.stages],
            **Pipeline(self.open_deals, self.win_rate, self.average_deal_size, self.cycle_days,
                       self.velocity_per_day, self.weighted_pipeline, self.open_amount,
                       self.unweighted_stages, self.without_rate).as_json(self.probabilities,
                                                                           self.probability_source),
            "refused": [str(e) for e in self.refused],
            "has_stage_history": self.has_history,
            **({"hint": self.hint.as_json()} if self.hint else {}),
        }
        if self.by:
            out["by"] = self.by
            out["groups"] = [{self.by: g.key, "stages": [s.as_json() for s in g.stages],
                              **g.pipeline.as_json(self.probabilities, self.probability_source)}
                             for g in self.groups]
        return out


@dataclass
class _Stay:
    deal: str
    stage: str
    start: datetime
    end: datetime | None
    outcome: str  # advanced, dropped, back, open
    next: str | None = None  # the stage entered next (None: won, lost or still open)


# An outcome written as a stage reads as the import reads a closed stage ("Closed Won", "Fermée
# gagnée", "Abgeschlossen", what the import writes for a deal closed without a stage move: "won";
# and HubSpot's ids, closedwon): Salesforce keeps the close date a rep planned, so such a stage's
# deals may seem to have sat in it for weeks. A name alone never makes one (below).
_OUTCOME_NAME = re.compile(f"{CLOSED_WORDS}|^closed(won|lost)$")
# An outcome is entered when the deal closes: a day's slack for a close date kept as a day.
_CLOSING = timedelta(days=1)


def _open_at(deal: Mapping[str, Any], moment: datetime) -> bool:
    """Whether ``deal`` (a row of _deals) was open at ``moment``: created before it, not closed by then."""
    return bool(deal["created_at"] < moment and (deal["closed_at"] is None or deal["closed_at"] >= moment))


def _named_outcome(stage: str) -> bool:
    return _OUTCOME_NAME.search(stage.lower()) is not None


def _stays(history: list[dict[str, Any]], deals: Mapping[str, dict[str, Any]],
           stop: datetime, standing: Collection[str] = ()) -> tuple[list[_Stay], list[str]]:
    """Every stay of every deal up to ``stop``, and the open stages in funnel order. ``standing``:
    the stages open deals without a stage history stand in (their stage field), steps whatever
    the deals with one did (a deal created won in "contract" took it for an outcome, and the open
    deals standing in it went unweighted: the review)."""
    by_deal: dict[str, list[tuple[datetime, str]]] = {}
    for h in history:
        if h["deal_id"] in deals and h["entered_at"] < stop:
            by_deal.setdefault(h["deal_id"], []).append((h["entered_at"], h["stage"]))
    ends: dict[str, int] = {}  # closed deals whose last stage it is
    total: dict[str, int] = {}
    outcomes: dict[str, set[str]] = {}  # how the closed deals that ended in a stage ended
    earlier: set[str] = set()  # stages a closed deal ended in, entered days before it closed
    stood: set[str] = set()  # stages a deal open at ``stop`` entered last (it stands in them)
    for deal_id, seq in by_deal.items():
        seq.sort()
        d = deals[deal_id]
        closed = d["status"] in ("won", "lost") and d["closed_at"] is not None and d["closed_at"] < stop
        if not closed:
            stood.add(seq[-1][1])
        for i, (entered, stage) in enumerate(seq):
            total[stage] = total.get(stage, 0) + 1
            if closed and i == len(seq) - 1:
                ends[stage] = ends.get(stage, 0) + 1
                outcomes.setdefault(stage, set()).add(d["status"])
                if entered < d["closed_at"] - _CLOSING:
                    earlier.add(stage)
    # An outcome written as a stage ("Closed Won"): every deal in it is a closed deal that ended
    # there, all the same way (a stage an open deal stands in, or one deals moved on from, is a
    # step), and it reads as one: named so, or entered as the deals closed. The last stage before
    # the answer, where the few deals so far were all won, was taken for one and left the funnel,
    # its days counted to the stage before (a tester, on a young CRM).
    # Named so, it stays one though a deal moved on from it: a won deal reopened (..., won,
    # negotiation) made "won" a step of every deal's funnel. Where most of its deals move on from
    # it ("Lost contact", then "Re-engaged"), or an open deal stands in it, it is a step.
    terminal = {s for s, k in ends.items()
                if (k == total[s] or (_named_outcome(s) and 2 * k > total[s] and s not in stood))
                and len(outcomes[s]) == 1 and s not in standing
                and (_named_outcome(s) or s not in earlier)}
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
        closed_at = d["closed_at"] if d["closed_at"] is not None and d["closed_at"] < stop else None
        steps = [i for i, (_, s) in enumerate(seq) if s not in terminal]
        for k, i in enumerate(steps):
            t, s = seq[i]
            if i + 2 < len(seq) and seq[i + 1][1] in terminal:
                # Closed, then reopened: the stay ends as the deal closed then, and the stage it
                # re-entered is a stay of its own.
                nt, ns = seq[i + 1]
                stays.append(_Stay(deal_id, s, t, nt, "advanced" if "won" in outcomes[ns] else "dropped"))
            elif k + 1 < len(steps):
                nt, ns = seq[steps[k + 1]]
                stays.append(_Stay(deal_id, s, t, nt, "advanced" if rank[ns] > rank[s] else "back", ns))
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


# A stage's win probability: learnt from history, the exact share won / closed (rounded to four
# places first, 66.67 % of 1,200.00 weighed 800.04); given, the number typed.
Probability = Fraction | float


def weigh(amount: Decimal, p: Probability) -> Decimal:
    """``amount`` times ``p``, a share learnt from history unrounded (2/3 of 1,200.00 is 800.00)."""
    if isinstance(p, Fraction):
        return amount * p.numerator / p.denominator
    return amount * Decimal(str(p))


def shown(p: Probability) -> float:
    """A probability as answers show it: four places."""
    return round(float(p), 4)


def stage_win_rates(history: list[dict[str, Any]], deals: Mapping[str, dict[str, Any]],
                    stop: datetime, standing: Collection[str] = ()) -> dict[str, Fraction]:
    """Each stage's historical stage-to-win rate as it stood at ``stop``: won / closed among the
    deals that were in the stage and closed before then (stages no closed deal went through have
    none). ``history`` is stage_history rows, ``deals`` each deal's status and closed_at by id.
    What the weighted pipeline and the forecast weigh a deal without a probability of its own by."""
    stays, _ = _stays(history, deals, stop, standing)
    return {stage: Fraction(won, closed)
            for stage, (won, closed) in _stage_to_win(stays, deals, stop).items() if closed}


FUNNEL_BY = ("rep", "team", "pipeline")


def parse_probabilities(items: Sequence[str]) -> dict[str, float]:
    """``STAGE=P`` items (``proposal=0.4``, ``proposal=40%``) as the stages' win probabilities:
    what ``funnel --probability`` and ``/api/v1/funnel?probability=`` take."""
    given: dict[str, float] = {}
    for item in items:
        stage, sep, p = item.rpartition("=")
        try:
            share = float(p.strip().rstrip("%")) / (100 if p.strip().endswith("%") else 1)
        except ValueError:
            share = -1.0
        if not sep or not stage.strip() or not 0 <= share <= 1:
            raise keyed(DimensionError(f"probability {item!r}: write STAGE=P with P from 0 to 1"),
                        "stage_probability", item=item)
        given[stage.strip()] = share
    return given


def build_funnel(store: Store, period: str | Period, *, cohort: bool = False,
                 probabilities: Mapping[str, float] | None = None,
                 filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
                 viewer: Viewer | None = None, by: str | None = None) -> Funnel:
    if by not in (None, "", *FUNNEL_BY):
        raise keyed(DimensionError(f"the funnel is by {', '.join(FUNNEL_BY)}, not {by!r}"), "funnel_by",
                    by=by)
    group = by or None
    span = store.period(period, as_of)
    where = resolve_filters(store, filters, viewer)
    whole_deal_filters(where, "funnel")  # stage moves are a whole deal's: no product or loss reason
    q = query_maker(store, span, where, as_of=as_of, viewer=viewer)(())
    today = as_of or store.today()
    # Data up to the period's end; a cohort is followed to today.
    end_day = today + timedelta(days=1) if cohort else min(span.end, today + timedelta(days=1))
    stop = datetime(end_day.year, end_day.month, end_day.day)
    period_end = datetime.combine(min(span.end, today + timedelta(days=1)), datetime.min.time())

    # Only deals with a stage history have stays; Python reads those. The others count only as
    # open deals in the pipeline, by their stage field: summed in SQL per stage (at 1M deals,
    # reading every deal into Python was 4 s of the insights page). Each query is kept compiled
    # like a KPI (kpis/compiled.py): it depends on the query only.
    deals = {r["deal_id"]: r for r in compiled.run("funnel traced deals", _traced, q)}
    # Open at the period's end, or at the end of today in a running period: the bound of a query
    # of its own, so the kept text takes it as a parameter.
    open_at = period_end.date()
    # (Only its end is read; a start before it keeps the two bounds apart in the kept text.)
    at_end = query_maker(store, Period(min(span.start, open_at - timedelta(days=1)), open_at,
                                       span.label), where, as_of=as_of, viewer=viewer)(())
    named = group or "all"
    kept_untraced = compiled.run(f"funnel untraced by {named}", lambda q: _untraced(q, group), at_end)
    # An open deal whose amount it cannot convert leaves the pipeline's money empty (each group's
    # it is in), not summed short as if it had none; the counts stand. Its rate is the day
    # measured's, never one dated after today (Query.today).
    rated = min(period_end, end_of(store.today()))
    unrated = [(int(r["unrated"]), r["currency"]) for r in kept_untraced if r["unrated"]]
    unrated += [(1, r["currency"]) for r in deals.values() if r["rate"] is None and _open_at(r, period_end)]
    refused = [no_rate(sum(n for n, _ in unrated), "open_deals", min(c or "" for _, c in unrated),
                       store.base_currency(), (rated - timedelta(days=1)).date())] if unrated else []
    untraced = [_Untraced(r[group] if group else None, r["stage"], int(r["deals"]), int(r["priced"]),
                          Decimal(r["amount"] if r["amount"] is not None else 0), int(r["unrated"]))
                for r in kept_untraced]
    # Asked first: without any stage history (many CRM exports) the stays' query is not run at all.
    has_history = bool(compiled.run("funnel history count", _history_count, q)[0]["n"])
    history = compiled.run("funnel history", _history, q) if has_history else []

    standing = frozenset(u.stage for u in untraced if u.stage)
    stays, order = _stays(history, deals, stop, standing)
    given = {k.lower(): float(v) for k, v in (probabilities or {}).items()}
    history_rates = _stage_to_win(stays, deals, period_end)
    weighed = order
    if has_history and where:
        # Weights rest on every deal the viewer may see, whatever the filters, as the forecast's do
        # (deal_history.load): a deal weighs the same filtered to its team as in the funnel by team.
        def every_rate() -> tuple[dict[str, tuple[int, int]], list[str]]:
            every = query_maker(store, span, {}, as_of=as_of, viewer=viewer)(())
            all_deals = {r["deal_id"]: r for r in compiled.run("funnel traced deals", _traced, every)}
            all_stays, all_order = _stays(compiled.run("funnel history", _history, every), all_deals, stop,
                                          standing)
            return _stage_to_win(all_stays, all_deals, period_end), all_order

        history_rates, every_order = store.memo(
            ("funnel rates of every deal in view", viewer, as_of, stop, period_end, standing), every_rate)
        # A stage only other deals went through still weighs an open deal standing in it.
        weighed = [*order, *(s for s in every_order if s not in order)]
    # Open at the end of today: the deals file's stage is today's word, as the forecast reads it
    # (DealHistory.stage_at), and outranks a stage history that has not caught up with it.
    now = period_end.date() > store.today()
    # A stage given a probability that no deal in view went through or stands in would weigh
    # nothing: a misspelt "negotiaton=0.9" was passed over, the pipeline weighed by history. Today,
    # a traced deal stands in its stage field, which its history may not name yet.
    fields = [r["stage"] for r in deals.values() if r["stage"] and _open_at(r, period_end)] if now else []
    stages = {s.lower(): s for s in [*weighed, *(u.stage for u in untraced if u.stage), *fields]}
    # An outcome ("closed won") is where deals end, not a stage one stands open in: said so, where
    # "no stage 'closed won'" was untrue of a stage on every closed deal's history (a tester). Of
    # the history up to the funnel's end: a stage first entered later is none yet.
    ended = {str(h["stage"]).lower(): str(h["stage"]) for h in history
             if h["entered_at"] < stop} if given else {}
    for typed in given:
        if typed in stages:
            continue
        known = sorted(set(stages.values()))
        if typed in ended:
            raise keyed(DimensionError(
                f"{ended[typed]!r} is an outcome, not an open stage: a probability weighs the deals "
                f"open in a stage ({', '.join(known)})"), "probability_outcome",
                stage=ended[typed], stages=", ".join(known))
        raise unknown_value("stage", typed, known)
    probs: dict[str, Probability] = {}
    source: dict[str, str] = {}
    for stage in weighed:
        if stage.lower() in given:
            probs[stage], source[stage] = given[stage.lower()], "given"
        else:
            won, closed = history_rates.get(stage, (0, 0))
            if closed:
                probs[stage], source[stage] = Fraction(won, closed), "history"

    report = build_report(store, span, by=(group,) if group else (),
                          kpis=["win_rate", "average_deal_size", "sales_cycle_length"],
                          filters=where, as_of=as_of, viewer=viewer, skip_unrated=True)
    refused += [s.error for s in report.skipped if s.error is not None]
    values: dict[str | None, dict[str, Any]] = {}
    for r in report.rows:
        values.setdefault(r.get(group) if group else None, {})[r["kpi"]] = r["value"]

    def funnel_of(key: str | None, members: Mapping[str, dict[str, Any]]) -> FunnelGroup:
        mine = [s for s in stays if s.deal in members]
        lines = _lines(mine, members, order, span, stop, cohort, period_end)
        return FunnelGroup(key, lines, _pipeline(mine, members, probs, given, period_end,
                                                 values.get(key, {}), has_history,
                                                 [u for u in untraced if u.key == key], now))

    everyone = funnel_of(None, deals) if not group else None
    groups = []
    if group:
        keys = sorted({r[group] for r in deals.values()} | {u.key for u in untraced},
                      key=lambda k: (k is None, k or ""))
        groups = [funnel_of(k, {i: r for i, r in deals.items() if r[group] == k}) for k in keys]
        everyone = FunnelGroup(None, _lines(stays, deals, order, span, stop, cohort, period_end),
                               _pipeline(stays, deals, probs, given, period_end,
                                         _overall(store, span, where, as_of, viewer), has_history,
                                         untraced, now))
    assert everyone is not None
    p = everyone.pipeline
    # No deal moved in it: perhaps no record at all, then say where the records are.
    moved = any(s.entered or s.advanced or s.dropped or s.moved_back for s in everyone.stages)
    return Funnel(span, cohort, report.currency, everyone.stages, p.open_deals, p.win_rate,
                  p.average_deal_size, p.cycle_days, p.velocity_per_day, p.weighted_pipeline,
                  p.open_amount, {stage: shown(p) for stage, p in probs.items()}, source, p.unweighted_stages,
                  group, groups, has_history, as_of,
                  None if moved else period_hint(store, span, viewer, as_of), p.without_rate, refused,
                  where)


@dataclass(frozen=True)
class _Untraced:
    """Open deals without a stage history, of one group and stage field: how many, and their sum."""

    key: Any  # the group's value (None without a grouping)
    stage: str
    deals: int
    priced: int  # of them with an amount
    amount: Decimal
    unrated: int = 0  # of them without an exchange rate (their amount is not in ``amount``)


def _deals(q: Query) -> Any:
    """Every deal in view with what the funnel reads of it."""
    return q.deals().select("deal_id", "status", "created_at", "closed_at", "amount", "rate", "rep",
                            "team", "pipeline", "stage", "currency")


def _traced(q: Query) -> Any:
    """The deals with a stage history (their stays are read in Python)."""
    d, h = _deals(q), q.records.table("stage_history")
    return d.filter(d.deal_id.isin(h.deal_id))


def _history(q: Query) -> Any:
    # The deals in view by id alone: the stage field _deals joins in would only slow the lookup.
    d, h = q.deals(), q.records.table("stage_history")
    return h.filter(h.deal_id.isin(d.deal_id))


def _history_count(q: Query) -> Any:
    h = q.records.table("stage_history")
    return h.aggregate(n=h.count())


def _untraced(q: Query, group: str | None) -> Any:
    """The deals without a stage history open at the end of ``q``'s period (created before it, not
    closed by then), per group and stage field, counted and summed: they have no stays, so their
    stage is the field."""
    d, h = _deals(q), q.records.table("stage_history")
    d = d.filter(~d.deal_id.isin(h.deal_id))
    open_ = d.filter((d.created_at < q.end) & (d.closed_at.isnull() | (d.closed_at >= q.end)))
    open_ = open_.mutate(stage=open_.stage.fill_null(""))
    keys = [group, "stage"] if group else ["stage"]
    return open_.group_by(keys).aggregate(
        deals=open_.count(), priced=open_.amount.count(), amount=open_.amount.sum(),
        unrated=open_.count(where=open_.rate.isnull()),
        currency=open_.currency.min(where=open_.rate.isnull()),
    )


def _overall(store: Store, span: Period, where: dict[str, tuple[str, ...]], as_of: date | None,
             viewer: Viewer | None) -> dict[str, Any]:
    report = build_report(store, span, kpis=["win_rate", "average_deal_size", "sales_cycle_length"],
                          filters=where, as_of=as_of, viewer=viewer, skip_unrated=True)
    return {r["kpi"]: r["value"] for r in report.rows}


def _lines(stays: list[_Stay], deals: Mapping[str, dict[str, Any]], order: list[str], span: Period,
           stop: datetime, cohort: bool, period_end: datetime) -> list[StageLine]:
    """Each stage's counts, conversion and time in stage, for the stays of ``deals``."""
    start_at = span.start_at
    rank = {s: i for i, s in enumerate(order)}
    if cohort:
        members = {i for i, r in deals.items() if start_at <= r["created_at"] < span.end_at}
        chosen = [s for s in stays if s.deal in members]
        ended = [s for s in chosen if s.outcome != "open"]
        began = chosen
        before: list[_Stay] = []
    else:
        ended = [s for s in stays if s.end is not None and start_at <= s.end < stop]
        began = [s for s in stays if start_at <= s.start < stop]
        chosen = ended + [s for s in stays if s.outcome == "open" and s.start < stop]
        before = [s for s in stays if s.start < start_at and (s.end is None or s.end >= start_at)]
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
            open_at_start=sum(1 for s in before if s.stage == stage),
            moved_back=sum(1 for s in mine if s.outcome == "back"),
            skipped=sum(1 for s in mine if s.outcome == "advanced"
                        and (rank[s.next] > rank[stage] + 1 if s.next is not None
                             else rank[stage] < len(order) - 1)),
        ))
    return lines


def _pipeline(stays: list[_Stay], deals: Mapping[str, dict[str, Any]], probs: Mapping[str, Probability],
              given: dict[str, float], period_end: datetime, values: Mapping[str, Any],
              has_history: bool = True, untraced: Sequence[_Untraced] = (), now: bool = False) -> Pipeline:
    """What is open at the period's end (or today, in a running period), at which stage, weighted;
    without any stage history there is nothing to weigh by, and the weighted pipeline is None.
    ``deals`` are the deals with a stage history; ``untraced`` the open ones without, summed.
    ``now``: open at the end of today, where a deal's stage field is its stage and its history's
    only where the field is empty (a re-import that moved the field alone weighed the deal at the
    stage it left, where the forecast weighed it at its new one: a tester)."""
    current: dict[str, str] = {}
    for s in stays:
        if s.start < period_end and (s.end is None or s.end >= period_end):
            current[s.deal] = s.stage
    open_now = [r for r in deals.values() if _open_at(r, period_end)]
    weighted = Decimal("0")
    amount = Decimal("0")
    missing: set[str] = set()
    for r in open_now:
        if r["amount"] is None:
            continue
        traced = current.get(r["deal_id"])
        stage = ((r["stage"] or traced) if now else (traced or r["stage"])) or ""
        amount += Decimal(r["amount"])
        p: Probability | None = probs.get(stage)
        if p is None and stage.lower() in given:
            p = given[stage.lower()]
        if p is None:
            missing.add(stage or "(none)")
            continue
        weighted += weigh(Decimal(r["amount"]), p)
    for u in untraced:
        if not u.priced:
            continue
        amount += u.amount
        p = probs.get(u.stage)
        if p is None and u.stage.lower() in given:
            p = given[u.stage.lower()]
        if p is None:
            missing.add(u.stage or "(none)")
            continue
        # The sum times p is the sum of each amount times p: exact decimals, no rounding between.
        weighted += weigh(u.amount, p)
    opened = len(open_now) + sum(u.deals for u in untraced)
    # An open deal without a rate has no amount here: a sum short of it would look real.
    unrated = sum(1 for r in open_now if r["rate"] is None) + sum(u.unrated for u in untraced)

    rate, size = values.get("win_rate"), values.get("average_deal_size")
    cycle = values.get("sales_cycle_length")
    velocity = None
    if rate is not None and size is not None and cycle:
        velocity = (Decimal(opened) * Decimal(str(rate)) * Decimal(size)
                    / Decimal(str(cycle))).quantize(CENT, ROUND_HALF_UP)
    return Pipeline(opened, rate, size, cycle, velocity,
                    weighted.quantize(CENT, ROUND_HALF_UP) if has_history and not unrated else None,
                    None if unrated else amount.quantize(CENT, ROUND_HALF_UP), sorted(missing), unrated)
