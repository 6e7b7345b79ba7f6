"""The forecast: what the period will close at, against quota, as a sales leader defends it weekly.

For a period and an as-of day D (default today), per rep or team or for everyone:

* **closed_won**: deals won in the period up to the end of D;
* **commit**, **best_case**, **pipeline**: the amounts of deals open at the end of D whose expected
  close date falls between D and the period's end, by forecast category (a deal without a category
  is pipeline; ``omitted`` ones are shown apart and counted in nothing);
* **weighted**: closed_won plus each of those open deals (omitted aside) times its probability:
  the deal's own where set, else its stage's historical stage-to-win rate (insights/funnel.py) as it
  stood at D; a deal with neither is ``unweighted`` and said so, never guessed;
* **quota** (the period's, pro-rated as quota_attainment does), **gap** = quota - closed_won and
  **coverage** = (commit + best_case + pipeline) / gap;
* the calls: **call_commit** = closed_won + commit, **call_best_case** = closed_won + commit +
  best_case.

Open deals expected before D (and before the period's end) are **overdue**: listed apart and
counted in no bar. Values are as the
kept history says they stood at the end of D (insights/deal_history.py), so a past as-of day shows
the forecast of that day. Quotas belong to reps and teams: filtered to a segment, source, pipeline
or product the forecast has no quota (and so no gap or coverage).

**Accuracy** (:func:`build_accuracy`): for each of the last complete quarters, the forecast as the
workspace knew it at the start (the end of its first day) and the middle of the quarter, against
what closed in it, per rep or team and for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ..coverage import ClosedAhead, closed_ahead
from ..errors import CurrencyError, DimensionError, keyed
from ..kpis import compiled, get
from ..kpis.scope import filters_json, query_maker, resolve_filters, whole_deal_filters
from ..periods import Period, add_months, end_of, fiscal_quarter_of, fiscal_quarter_start, is_over
from . import deal_history
from .deal_history import CENT, Deal, DealHistory, Pick, WonSums, load
from .funnel import Probability, shown, weigh

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store

FORECAST_BY = ("rep", "team")
BARS = ("closed_won", "commit", "best_case", "pipeline")
CATEGORIES = ("commit", "best_case", "pipeline", "omitted")
# Filters a quota can be held against: quotas are set per rep and per team, nothing else.
QUOTA_FILTERS = frozenset({"rep", "team"})
ZERO = Decimal("0.00")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class ForecastDeal:
    """A deal behind a bar (or overdue), with what it adds."""

    deal_id: str
    rep: str
    team: str | None
    bar: str  # closed_won, commit, best_case, pipeline, omitted or overdue
    amount: Decimal | None  # None: an omitted deal no exchange rate converts (it adds to no bar)
    expected_close_on: date | None
    closed_at: datetime | None
    stage: str | None
    probability: float | None  # the one used (own or the stage's)
    probability_source: str | None  # own, stage, or None: unweighted
    weighted: Decimal | None

    @property
    def close_day(self) -> date | None:
        """The day a won deal closed, an open one's expected close: what a list of the bar's deals
        shows beside each (a won deal's expected day is what was hoped, not what happened)."""
        return self.closed_at.date() if self.closed_at is not None else self.expected_close_on

    def as_json(self) -> dict[str, Any]:
        return {"deal_id": self.deal_id, "rep": self.rep, "team": self.team, "bar": self.bar,
                "amount": self.amount, "expected_close_on": self.expected_close_on,
                "closed_at": self.closed_at, "stage": self.stage, "probability": self.probability,
                "probability_source": self.probability_source, "weighted": self.weighted}


def dates_word(deals: Sequence[ForecastDeal]) -> str:
    """The word over a list of deals' close days (ForecastDeal.close_day): "close_date" where a won
    deal is among them, "expected" where all are open (an overdue deal's past day would read as
    the day it closed)."""
    return "close_date" if any(d.closed_at is not None for d in deals) else "expected"


@dataclass(frozen=True)
class ForecastRow:
    key: str | None  # the rep or team; None: everyone in view
    closed_won: Decimal
    commit: Decimal
    best_case: Decimal
    pipeline: Decimal
    omitted: Decimal | None  # None: an omitted deal has no exchange rate (the rest stands)
    weighted: Decimal
    quota: Decimal | None
    gap: Decimal | None
    coverage: float | None
    overdue: Decimal
    overdue_deals: int
    unweighted: Decimal  # open amount in the bars with no probability of its own or its stage's
    unweighted_deals: int
    deals: int  # deals behind the bars (closed won and open in the window)
    flags: tuple[str, ...] = ()
    # Open, and never given an expected close date (deal_history.undated_sums): in no bar. The
    # amount is None where one of them has no exchange rate.
    undated: Decimal | None = ZERO
    undated_deals: int = 0

    @property
    def call_commit(self) -> Decimal:
        return self.closed_won + self.commit

    @property
    def call_best_case(self) -> Decimal:
        return self.closed_won + self.commit + self.best_case

    def as_json(self, by: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {by: self.key} if by else {}
        out.update({
            "closed_won": self.closed_won, "commit": self.commit, "best_case": self.best_case,
            "pipeline": self.pipeline, "omitted": self.omitted, "weighted": self.weighted,
            "quota": self.quota, "gap": self.gap, "coverage": self.coverage,
            "call_commit": self.call_commit, "call_best_case": self.call_best_case,
            "overdue": self.overdue, "overdue_deals": self.overdue_deals,
            "unweighted": self.unweighted, "unweighted_deals": self.unweighted_deals,
            "undated": self.undated, "undated_deals": self.undated_deals,
            "deals": self.deals, "flags": list(self.flags),
        })
        return out


@dataclass(frozen=True)
class Forecast:
    period: Period
    as_of: date
    by: str | None
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    rows: list[ForecastRow]  # one per rep or team with ``by``, else the one for everyone
    total: ForecastRow
    deals: list[ForecastDeal]  # behind the bars, then the omitted ones
    overdue: list[ForecastDeal]
    # Closed-won deals behind the bar left out of ``deals`` (build_forecast's ``listed``).
    unlisted: int = 0
    # Deals of the period already won or lost, dated after today: in no bar (coverage.py).
    closed_ahead: ClosedAhead | None = None

    @property
    def quota_beyond_rows(self) -> Decimal | None:
        """Everyone's quota less the rows' added up, where they differ (a team's own quota, by rep):
        above 0, a team quota on no row (53,000 against 63,000 read as a sum gone wrong); below, a
        team quota that stands for its reps' and is less than theirs (a tester)."""
        if self.by is None or self.total.quota is None:
            return None
        quoted = [r.quota for r in self.rows if r.quota is not None]
        rest = self.total.quota - sum(quoted, ZERO)
        # Each pro-rated quota is rounded to the cent on its own: half a cent each, no team's quota
        # (three reps' 10,000 for July of a quarter read "$0.01 less": the review).
        return rest if abs(rest) > CENT * (len(quoted) + 1) / 2 else None

    @property
    def short_rows(self) -> tuple[Decimal, tuple[str, ...]] | None:
        """(the gaps of the rows short of their quota, added up; their keys) where the total's gap
        is less: the rows ahead of theirs net the others' out of it. The demo's company was $105,498
        short at 66x coverage while east alone was $437,992 short, without a word."""
        if self.by is None or self.total.gap is None:
            return None
        short = [r for r in self.rows if r.gap is not None and r.gap > 0]
        gaps = sum((r.gap for r in short if r.gap is not None), ZERO)
        if not short or gaps <= max(self.total.gap, ZERO):
            return None
        return gaps, tuple(r.key or "" for r in short)

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(), "as_of": self.as_of, "by": self.by,
            "filters": filters_json(self.filters), "currency": self.currency,
            "rows": [r.as_json(self.by) for r in self.rows], "total": self.total.as_json(),
            "overdue": [d.as_json() for d in self.overdue],
            "deals": [d.as_json() for d in self.deals],
            # Only where the deals were cut (build_forecast's ``listed``): the API lists them all.
            **({"unlisted": self.unlisted} if self.unlisted else {}),
            **({"closed_ahead": self.closed_ahead.as_json()} if self.closed_ahead else {}),
        }


_SUMMED = (*BARS, "omitted")


@dataclass
class _Sums:
    bars: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(_SUMMED, ZERO))
    weighted: Decimal = ZERO
    overdue: Decimal = ZERO
    overdue_deals: int = 0
    unweighted: Decimal = ZERO
    unweighted_deals: int = 0
    deals: int = 0
    # Open and never given a date (deal_history.undated_sums): in no bar. None: a rate is missing.
    undated: Decimal | None = ZERO
    undated_deals: int = 0
    omitted_unrated: bool = False  # an omitted deal has no exchange rate: the omitted sum is None


def _check_by(by: str | None) -> str | None:
    if by in (None, ""):
        return None
    if by not in FORECAST_BY:
        raise keyed(DimensionError(f"the forecast is by {' or '.join(FORECAST_BY)}, not {by!r}"),
                    "forecast_by", by=by)
    return by


def snapshot(history: DealHistory, span: Period, day: date, *, known_only: bool = False,
             group: Callable[[Deal], str | None] = lambda d: None, won: WonSums | None = None,
             today: date | None = None) -> tuple[dict[str | None, _Sums], list[ForecastDeal]]:
    """The forecast of ``span`` as it stood at the end of ``day``: sums per group and the deals
    behind them (see the module for what goes where). ``won``: the closed-won bar already summed
    per group (deal_history.won_sums); won deals the history holds are then listed, not added.
    ``today``: where ``day`` is it, a deal won or lost with a close date still to come is known
    closed: in no bar (as a report leaves it out until its day), never open pipeline."""
    cut = end_of(day)
    known_closed = today is not None and day >= today
    rates = history.stage_rates(cut)
    low = max(day, span.start)
    sums: dict[str | None, _Sums] = {}
    listed: list[ForecastDeal] = []
    for key, (amount, deals) in (won or {}).items():
        s = sums.setdefault(key, _Sums())
        s.bars["closed_won"] += amount
        s.weighted += amount
        s.deals += deals
    for deal in history.deals.values():
        if known_only and not deal.known_at(cut):
            continue
        if (known_closed and deal.status in ("won", "lost") and deal.closed_at is not None
                and deal.closed_at >= cut):
            continue  # closed, dated after today: coverage.closed_ahead says so
        found = _place(deal, span, day, cut, low, rates, history, known_only)
        if found is None:
            continue
        listed.append(found)
        if won is not None and found.bar == "closed_won":
            continue
        key = group(deal)
        s = sums.get(key) or sums.setdefault(key, _Sums())
        if found.bar == "overdue":
            assert found.amount is not None
            s.overdue += found.amount
            s.overdue_deals += 1
            continue
        if found.amount is None:  # omitted, without a rate: no sum of the omitted, the rest stands
            s.omitted_unrated = True
            continue
        s.bars[found.bar] += found.amount
        if found.bar == "omitted":
            continue
        s.deals += 1
        if found.bar == "closed_won":
            s.weighted += found.amount
        elif found.weighted is None:
            s.unweighted += found.amount
            s.unweighted_deals += 1
        else:
            s.weighted += found.weighted
    return sums, listed


def _place(deal: Deal, span: Period, day: date, cut: datetime, low: date,
           rates: Mapping[str, Probability], history: DealHistory,
           known_only: bool = False) -> ForecastDeal | None:
    """Where one deal goes in the forecast at ``cut`` (None: nowhere in this period)."""
    if (deal.status == "won" and deal.closed_at is not None
            and span.start_at <= deal.closed_at < min(cut, span.end_at)):
        amount = deal.amount_today
        return ForecastDeal(deal.deal_id, deal.rep, deal.team, "closed_won", amount, None,
                            deal.closed_at, deal.now.stage, None, None, amount)
    if not deal.open_at(cut):
        return None
    values = deal.values_at(cut)
    expected = values.expected_close_on
    if expected is None or expected >= span.end:
        return None  # not this period's (an open deal without a date is no one's)
    if day <= expected < low:
        return None  # expected before a period that has not begun
    stage = history.stage_at(deal, cut, values.stage, known_only)
    bar = "overdue" if expected < day else values.forecast_category or "pipeline"
    try:
        amount = deal.base(values.amount, cut) or ZERO  # at the rate as it stood at the cut
    except CurrencyError:
        if values.forecast_category != "omitted":
            raise
        # An omitted deal adds to no bar: without a rate, only the omitted sum is unknown (it
        # refused the whole forecast), overdue or not (its amount cannot join the overdue sum).
        return ForecastDeal(deal.deal_id, deal.rep, deal.team, "omitted", None, expected, None,
                            stage, None, None, None)
    probability: Probability | None = None
    source: str | None = None
    if values.probability is not None:
        probability, source = float(values.probability), "own"
    elif stage is not None and stage in rates:
        probability, source = rates[stage], "stage"
    if bar == "overdue":  # apart, weighing nothing; its probability still says how likely it was
        return ForecastDeal(deal.deal_id, deal.rep, deal.team, "overdue", amount, expected, None,
                            stage, None if probability is None else shown(probability), source, None)
    weighted = (_money(weigh(amount, probability)) if probability is not None
                and bar != "omitted" else None)
    return ForecastDeal(deal.deal_id, deal.rep, deal.team, bar, amount, expected, None, stage,
                        None if probability is None else shown(probability), source, weighted)


# The period's quota per rep or team (or for everyone), whether the period cut it (pro-rated), and
# whether deals were won in it that no quota measures (a rep without one).
Quotas = dict[str | None, tuple[Decimal, bool, bool]]


def quotas(store: Store, span: Period, where: Mapping[str, tuple[str, ...]], by: str | None,
           viewer: Viewer | None, day: date | None = None) -> Quotas | None:
    """The period's quota per rep or team (or for everyone), pro-rated by days as quota_attainment
    reads it, with whether it was (a month of a quarter's quota: flagged as the report flags it)
    and whether revenue no quota measures is in the period's closed won (unquoted_revenue, as the
    report flags it: a rep without a quota won 2,000 and the gap for everyone read 2,000 less,
    "because others are ahead of theirs"), won by the end of ``day`` as the closed won bar counts
    them; None where filters other than rep and team make a quota meaningless."""
    if set(k for k, v in where.items() if v) - QUOTA_FILTERS:
        return None
    q = query_maker(store, span, dict(where), viewer=viewer)((by,) if by else ())
    # The KPI's own query, so its SQL is the one a report keeps (compiled.py): no Ibis a view.
    names, rows = compiled.table(get("quota_attainment"), q)
    quota, group = names.index("quota"), names.index(by) if by else None
    partial = names.index("partial") if "partial" in names else None
    unquoted = names.index("unquoted")
    out: Quotas = {}
    for r in rows:
        if r[quota] is not None:
            key = (r[group] or None) if group is not None else None
            before, cut, beside = out.get(key, (ZERO, False, False))
            out[key] = (before + _money(Decimal(r[quota])), cut or bool(partial is not None and r[partial]),
                        beside or bool(r[unquoted]))
    if day is not None and day < span.last_day and any(beside for _, _, beside in out.values()):
        # Won after the day: not in its closed won (a query more, only then; the quota stays the
        # whole period's, which a query cut at the day would pro-rate).
        by_day = query_maker(store, span, dict(where), as_of=day, viewer=viewer)((by,) if by else ())
        names, rows = compiled.table(get("quota_attainment"), by_day)
        group, unquoted = (names.index(by) if by else None), names.index("unquoted")
        seen = {(r[group] or None) if group is not None else None for r in rows if r[unquoted]}
        out = {k: (amount, cut, beside and k in seen) for k, (amount, cut, beside) in out.items()}
    return out


def _row(key: str | None, s: _Sums, quoted: tuple[Decimal, bool, bool] | None, applies: bool,
         over: bool = False) -> ForecastRow:
    quota = quoted[0] if quoted is not None else None
    closed = s.bars["closed_won"]
    gap = quota - closed if quota is not None else None
    open_amount = s.bars["commit"] + s.bars["best_case"] + s.bars["pipeline"]
    coverage = None
    flags: list[str] = []
    if quoted is not None and quoted[1]:
        flags.append("quota_prorated")
    if quoted is not None and quoted[2]:
        flags.append("unquoted_revenue")
    if over:
        # Nothing open can close in a period that is over, whatever its quota: said on every row,
        # so a script tells a finished period from a running one (the forecast tester).
        flags.append("period_over")
    if quota is None:
        flags.append("no_quota" if applies else "quota_not_applicable")
    elif gap is not None and gap <= 0:
        flags.append("quota_reached")
    elif over:
        # "Coverage 0.00x" read as a pipeline that dried up, where the gap is what the period
        # missed its quota by (a tester).
        flags.append("quota_missed")
    else:
        assert gap is not None
        coverage = round(float(open_amount / gap), 4)
    if s.unweighted_deals:
        flags.append("unweighted_deals")
    if s.overdue_deals:
        flags.append("overdue_deals")
    if s.undated_deals:
        flags.append("undated_deals")
    return ForecastRow(key, closed, s.bars["commit"], s.bars["best_case"], s.bars["pipeline"],
                       None if s.omitted_unrated else s.bars["omitted"], s.weighted, quota, gap, coverage,
                       s.overdue, s.overdue_deals,
                       s.unweighted, s.unweighted_deals, s.deals, tuple(flags), s.undated, s.undated_deals)


def _merge(parts: Sequence[_Sums]) -> _Sums:
    total = _Sums()
    for s in parts:
        for bar, amount in s.bars.items():
            total.bars[bar] += amount
        total.weighted += s.weighted
        total.overdue += s.overdue
        total.overdue_deals += s.overdue_deals
        total.unweighted += s.unweighted
        total.unweighted_deals += s.unweighted_deals
        total.deals += s.deals
        total.undated = None if total.undated is None or s.undated is None else total.undated + s.undated
        total.undated_deals += s.undated_deals
        total.omitted_unrated = total.omitted_unrated or s.omitted_unrated
    return total


def _grouper(by: str | None) -> Callable[[Deal], str | None]:
    if by == "rep":
        return lambda d: d.rep
    if by == "team":
        return lambda d: d.team
    return lambda d: None


def _order(key: str | None) -> tuple[bool, str]:
    return (key is None, key or "")


def build_forecast(store: Store, period: str | Period, *, as_of: date | None = None,
                   by: str | None = None, filters: Mapping[str, Sequence[str]] | None = None,
                   viewer: Viewer | None = None, listed: int | None = None) -> Forecast:
    """``listed``: list only the first so many closed-won deals by closing time (and any closed at
    the same moment as the last), which is the order they come in, and add them all up in SQL: a
    quarter at 1M deals has 45,000 won, which a page does not show. None: every deal, as the API
    and the command line list them."""
    group = _check_by(by)
    if listed is not None and listed < 0:
        raise DimensionError(f"listed must be 0 or more (deals to list), not {listed}")
    day = as_of or store.today()
    span = store.period(period, day)
    where = resolve_filters(store, filters, viewer)
    whole_deal_filters(where, "forecast")
    cut = end_of(day)
    won = (deal_history.won_sums(store, where, viewer, span, ((span, cut, False),), group)
           if listed is not None else None)
    summed = won[0] if won else None
    history = load(store, where, viewer, span,
                   Pick(snapshots=((span, cut),), won_first=listed if summed is not None else None))
    sums, found = snapshot(history, span, day, group=_grouper(group), won=summed, today=store.today())
    unlisted = (sum(n for _, n in summed.values()) - sum(d.bar == "closed_won" for d in found)
                if summed is not None else 0)
    quota = quotas(store, span, where, group, viewer, day)
    total_quota = quotas(store, span, where, None, viewer, day) if group else quota
    applies = quota is not None
    # A period over at the cut: no open deal can close in it any more, dated or not (Q3's forecast
    # asked in December listed December's undated deals against it).
    over = is_over(span, as_of, store.today())
    undated = {} if over else deal_history.undated_sums(store, where, viewer, span, cut, group,
                                                         known_closed=day >= store.today())
    for key, (amount, count) in undated.items():
        s = sums.setdefault(key, _Sums())
        s.undated, s.undated_deals = amount, count
    keys = set(sums) | set(quota or {}) if group else {None}
    rows = [_row(k, sums.get(k, _Sums()), (quota or {}).get(k), applies, over)
            for k in sorted(keys, key=_order)]
    total = _row(None, _merge(list(sums.values())), (total_quota or {}).get(None), applies, over)
    by_stage = any(d.probability_source == "stage" and d.weighted is not None for d in found)
    if viewer is not None and not viewer.sees_everything and by_stage:
        # Stage rates rest on the deals the viewer may see (deal_history.load: over others', day by
        # day, they would be those deals' outcomes): a rep's weighted differed from the leader's
        # view of the same rep, without a word (a tester).
        total = replace(total, flags=(*total.flags, "stage_rates_in_view"))
    bar_order = {b: i for i, b in enumerate((*BARS, "omitted"))}
    deals = sorted((d for d in found if d.bar != "overdue"),
                   key=lambda d: (bar_order[d.bar], d.expected_close_on or date.min,
                                  d.closed_at or datetime.min, d.deal_id))
    overdue = sorted((d for d in found if d.bar == "overdue"),
                     key=lambda d: (d.expected_close_on or date.min, d.deal_id))
    return Forecast(span, day, group, where, history.currency, rows, total, deals, overdue, unlisted,
                    closed_ahead(store, span, where, viewer, as_of))


# -- accuracy ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Said:
    """What the forecast said at one moment of a period (None where nothing was kept then)."""

    as_of: date
    row: ForecastRow | None

    def error(self, call: Decimal | None, actual: Decimal) -> float | None:
        if call is None or actual == 0:
            return None
        return round(float((call - actual) / actual), 4)

    def as_json(self, actual: Decimal) -> dict[str, Any]:
        if self.row is None:
            return {"as_of": self.as_of, "kept": False}
        r = self.row
        return {"as_of": self.as_of, "kept": True, "closed_won": r.closed_won, "commit": r.commit,
                "best_case": r.best_case, "pipeline": r.pipeline, "weighted": r.weighted,
                "call_commit": r.call_commit, "call_best_case": r.call_best_case,
                "error_call_commit": self.error(r.call_commit, actual),
                "error_call_best_case": self.error(r.call_best_case, actual),
                "error_weighted": self.error(r.weighted, actual)}


@dataclass(frozen=True)
class AccuracyRow:
    period: Period
    key: str | None
    actual: Decimal  # closed won in the period, as the records say today
    start: Said
    middle: Said


@dataclass(frozen=True)
class Accuracy:
    by: str | None
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    periods: list[Period]  # oldest first
    rows: list[AccuracyRow]
    kept_since: datetime | None  # the first import that kept history

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by, "filters": filters_json(self.filters),
            "currency": self.currency, "periods": [p.as_json() for p in self.periods],
            "kept_since": self.kept_since,
            "rows": [{"period": r.period.as_json(), **({self.by: r.key} if self.by else {}),
                      "actual": r.actual, "start": r.start.as_json(r.actual),
                      "middle": r.middle.as_json(r.actual)} for r in self.rows],
        }


def _part(sums: Mapping[str | None, _Sums], key: str | None, nothing: _Sums) -> _Sums:
    """One group's sums (``nothing``, never changed, where it has none), or everyone's (``key``
    None)."""
    return _merge(list(sums.values())) if key is None else sums.get(key, nothing)


def _said(kept: Mapping[date, Mapping[str | None, _Sums] | None], moment: date,
          key: str | None, nothing: _Sums) -> Said:
    found = kept[moment]
    if found is None:
        return Said(moment, None)
    return Said(moment, _row(key, _part(found, key, nothing), None, True))


def middle_day(span: Period) -> date:
    """The day a period's middle forecast is read at: its first day plus half its days."""
    return span.start + timedelta(days=span.days // 2)


def past_quarters(store: Store, day: date, last: int) -> list[Period]:
    """The ``last`` complete fiscal quarters before the one ``day`` is in, oldest first."""
    fy = store.settings.fiscal_year_start
    year, q = fiscal_quarter_of(day, fy)
    start = fiscal_quarter_start(year, q, fy)
    out = []
    for _ in range(last):
        start = add_months(start, -3)
        y, n = fiscal_quarter_of(start, fy)
        out.append(store.period(f"{y}-Q{n}"))
    return out[::-1]


def build_accuracy(store: Store, *, last: int = 4, as_of: date | None = None,
                   by: str | None = "rep", filters: Mapping[str, Sequence[str]] | None = None,
                   viewer: Viewer | None = None) -> Accuracy:
    if last < 1:
        raise DimensionError("--last must be at least 1 (quarters to look back on)")
    group = _check_by(by)
    day = as_of or store.today()
    where = resolve_filters(store, filters, viewer)
    whole_deal_filters(where, "forecast")
    periods = past_quarters(store, day, last)
    # Before the first import that kept anything, the forecast said nothing we know of: a moment
    # before it is not asked (in a workspace imported this year, most of the past quarters').
    first = deal_history.first_kept(store, where, viewer, periods[-1])

    def known(moment: date) -> bool:
        return first is not None and first < end_of(moment)  # a change at the cut is after it

    # Each quarter as it closed, and as the workspace knew it at its start and its middle.
    asked = [(span, day, day != span.last_day) for span in periods
             for day in (span.last_day, span.start, middle_day(span))
             if day == span.last_day or known(day)]
    # What was won is added up in SQL; only the open deals are read and replayed.
    won = deal_history.won_sums(store, where, viewer, periods[-1],
                                tuple((span, end_of(day), known) for span, day, known in asked), group)
    by_moment = dict(zip(((span, day) for span, day, _ in asked), won or [], strict=False))
    history = load(store, where, viewer, periods[-1],
                   Pick(snapshots=tuple((span, end_of(day)) for span, day, _ in asked),
                        won_first=None if won is None else 0))
    grouper = _grouper(group)
    rows: list[AccuracyRow] = []
    nothing = _Sums()  # a group's sums where it has none: 8,000 rows at 2,000 reps, made once
    for span in periods:
        final, _ = snapshot(history, span, span.last_day, group=grouper,
                            won=by_moment.get((span, span.last_day)))
        kept: dict[date, dict[str | None, _Sums] | None] = {}
        middle = middle_day(span)
        for moment in (span.start, middle):
            kept[moment] = (snapshot(history, span, moment, known_only=True, group=grouper,
                                     won=by_moment.get((span, moment)))[0] if known(moment) else None)
        named = set(final) | {k for found in kept.values() if found for k in found}
        keys = sorted(k for k in named if k is not None) if group else []
        for key in [*keys, None]:
            rows.append(AccuracyRow(span, key, _part(final, key, nothing).bars["closed_won"],
                                    _said(kept, span.start, key, nothing),
                                    _said(kept, middle, key, nothing)))
    return Accuracy(group, where, history.currency, periods, rows, history.first_import())
