"""The deals a forecast looks at, and what each one looked like at any moment, from the history
every import keeps (``deal_changes``: old and new amount, expected close date, forecast category,
probability and stage, at the import's time).

A deal's values at a moment are those of its last change before it (one stamped at that very
moment is after it); before its first kept change, the old values that change replaced. A deal's
first import keeps its first values with empty old ones: before that import the workspace did not
know the deal. Deals imported before any history was kept (no change on record) have only their
values of today.

Two ways to ask, for two questions:

* *as the records say* (``known_only=False``; ``forecast --as-of``): a deal counts from its
  created_at, with the earliest values known of it where the history starts later;
* *as the workspace knew it* (``known_only=True``; forecast accuracy): only deals imported by then,
  with the values they had then: what the forecast said at the time.
"""

from __future__ import annotations

import functools
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import CurrencyError, keyed
from ..kpis import compiled
from ..kpis.scope import query_maker
from ..periods import Period, end_of
from ..runtime import lazy_module
from .funnel import stage_win_rates

if TYPE_CHECKING:
    import ibis

    from ..access import Viewer
    from ..store import Store
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")

CENT = Decimal("0.01")
T = TypeVar("T")

TRACKED = ("amount", "expected_close_on", "forecast_category", "probability", "stage")


@dataclass(frozen=True)
class Values:
    """The tracked values of one deal at one moment (amount in the deal's own currency)."""

    amount: Decimal | None
    expected_close_on: date | None
    forecast_category: str | None
    probability: Decimal | None
    stage: str | None


@dataclass(frozen=True)
class Rates:
    """The workspace's exchange rates, per currency oldest first: a forecast places deals at many
    moments, and a deal open at one is worth what its money was worth then (Query._with_rate's
    rule, kept in Python: one query would be needed per moment)."""

    base_currency: str | None
    days: dict[str, list[date]]
    values: dict[str, list[Decimal]]
    today: date  # no rate dated after it is anyone's money yet (a planning rate)

    def on(self, currency: str | None, day: date) -> Decimal | None:
        """One unit of ``currency`` in the base currency: the latest rate on or before ``day`` (or
        today, if earlier; None: none); 1 for the base currency itself and an amount without one."""
        if currency is None or currency == self.base_currency:
            return Decimal(1)
        days = self.days.get(currency, [])
        at = bisect_right(days, min(day, self.today))
        return self.values[currency][at - 1] if at else None


@dataclass
class Deal:
    deal_id: str
    rep: str
    team: str | None
    status: str
    created_at: datetime
    closed_at: datetime | None
    rate: Decimal | None  # one unit of its currency in the base currency at the end of today
    currency: str | None
    account: str | None
    now: Values  # today's values
    changes: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    _times: list[datetime] = field(default_factory=list)
    fx: Rates | None = None  # None: every record is in the base currency

    def rate_at(self, moment: datetime) -> Decimal | None:
        """The rate of the deal's money as it stood at ``moment`` (Query._with_rate's rule): its
        close day's if it closed before, else the last day's before the moment (a midnight)."""
        if self.fx is None:
            return self.rate
        closed = self.closed_at is not None and self.closed_at < moment
        day = self.closed_at.date() if closed and self.closed_at else (moment - timedelta(days=1)).date()
        return self.fx.on(self.currency, day)

    def base(self, amount: Decimal | None, at: datetime | None = None) -> Decimal | None:
        """An amount of the deal's currency in the base currency, to the cent, as the KPIs convert
        (kpis/query.py): at the rate as it stood at ``at`` (:meth:`rate_at`), else as it stands
        today (the close day's rate of a closed deal, the latest on or before today of an open one)."""
        if amount is None:
            return None
        rate = self.rate if at is None else self.rate_at(at)
        if rate is None:
            raise keyed(CurrencyError(
                f"deal {self.deal_id} is in {self.currency}, with no exchange rate to the base "
                "currency on or before the day its amount is measured (the day it closed, or the "
                "day of the view); import fx_rates (date, currency, rate_to_base) covering it. "
                "Amounts in different currencies are never added as they are."),
                "deal_no_rate", deal=self.deal_id, currency=self.currency)
        if rate == 1:
            return amount
        return (amount * rate).quantize(CENT, ROUND_HALF_UP)

    @property
    def amount_today(self) -> Decimal:
        """Today's amount in the base currency (refused, naming the deal, without a rate)."""
        return self.base(self.now.amount) or Decimal("0.00")

    def known_at(self, moment: datetime) -> bool:
        """Whether an import before ``moment`` had brought the deal (its first kept change: a first
        import, or a change to a deal the workspace knew before the history)."""
        return bool(self.changes) and self.changes[0]["changed_at"] < moment

    def stage_told_before(self, moment: datetime) -> datetime | None:
        """When the last kept change before ``moment`` that told the stage was made: a change of it
        (a first import's, from none). An entry of a change history that did not tell the stage
        holds it filled in, the same on both sides (README, "History"): no word on it. None: no
        change before the moment told it."""
        if not self._times:
            self._times = [c["changed_at"] for c in self.changes]
        for change in reversed(self.changes[:bisect_left(self._times, moment)]):
            if change["old_stage"] != change["new_stage"]:
                return change["changed_at"]  # type: ignore[no-any-return]
        return None

    def values_at(self, moment: datetime) -> Values:
        """The deal's values as its history says they stood at ``moment`` (see the module)."""
        if not self.changes:
            return self.now
        if not self._times:
            self._times = [c["changed_at"] for c in self.changes]
        # A change at ``moment`` itself is after it: a history of days only stamps October 5th's
        # changes at its midnight, which the forecast as of October 4th (its end) read as done.
        at = bisect_left(self._times, moment)
        if at:
            return _values(self.changes[at - 1], "new")
        first = self.changes[0]
        # Before the first kept change: what it replaced, unless it was the deal's first import.
        return _values(first, "old" if first["old_amount"] is not None else "new")

    def open_at(self, moment: datetime) -> bool:
        return self.created_at < moment and (self.closed_at is None or self.closed_at >= moment)

    def expected_dates(self, until: datetime | None = None) -> list[tuple[datetime | None, date]]:
        """The expected close dates on record, in order: ``(when it was set, date)``; the first
        entry's time is None where the deal was known before its history starts."""
        dates: list[tuple[datetime | None, date]] = []
        for change in self.changes:
            if until is not None and change["changed_at"] >= until:
                break
            old, new = change["old_expected_close_on"], change["new_expected_close_on"]
            if not dates and old is not None and change["old_amount"] is not None:
                dates.append((None, old))
            if new is not None and (not dates or dates[-1][1] != new):
                dates.append((change["changed_at"], new))
        if not self.changes and self.now.expected_close_on is not None:
            dates.append((None, self.now.expected_close_on))
        return dates


def _values(change: Mapping[str, Any], side: str) -> Values:
    return Values(*(change[f"{side}_{name}"] for name in TRACKED))


@dataclass
class DealHistory:
    """The deals a question reads (in view of the filters and the viewer, and picked: :class:`Pick`)
    with their kept history; the stage history of every deal the viewer may see, whatever the
    filters, and the states (status, closed_at) of the deals it traces, which stage-to-win rates
    rest on."""

    deals: dict[str, Deal]
    stage_history: list[dict[str, Any]]
    currency: str | None
    filters: dict[str, tuple[str, ...]]
    traced: dict[str, dict[str, Any]]  # status and closed_at of each deal in the stage history
    first_change: datetime | None  # the first change kept of any deal in view (picked or not)
    _rates: dict[datetime, dict[str, Fraction]] = field(default_factory=dict)
    _entered: dict[str, tuple[list[datetime], list[str]]] | None = None
    _standing: frozenset[str] | None = None
    today: date | None = None  # the workspace's: a forecast of today reads today's stages

    def first_import(self) -> datetime | None:
        """When the kept history starts: the first import that kept any."""
        return self.first_change

    def stage_at(self, deal: Deal, moment: datetime, kept: str | None,
                 known_only: bool = False) -> str | None:
        """The stage at ``moment`` of a deal open then, from ``kept`` (its kept changes',
        Deal.values_at) and the stage history (which says when each stage was entered).

        - A deal open now, as of a day before today (as of today the deals file's stage holds): the
          later of the two words on it before the moment, the last kept change
          that told the stage and the stage history's last entry (the kept one where they are of
          the same time). Before a change told it, a deal's kept stage is only carried back: a
          forecast as of November 1st weighed a deal imported today in negotiation at
          negotiation's rate, where the stage history said it entered negotiation on November 5th
          (a tester). A stage history behind the deals file does not overrule a later change,
          nor, where no change told the stage, today's stage where it says nothing since.
        - A deal closed since: the stage history's, where it traces the deal before the moment,
          else ``kept``. Its kept stage may be the one it closed in: a change history that does not
          tell the stage had it filled from the deal as stored ("closed won"), and a forecast as of
          a day it was open weighted it by how it ended (a tester).
        - ``known_only`` (forecast accuracy: what the forecast said then): the kept stage first, as
          a stage history imported later is backdated; the history where it says nothing."""
        if known_only and kept is not None:
            return kept
        if deal.closed_at is None and (self.today is None or moment.date() > self.today):
            # As of today: the deals file's stage is today's word (the history is not read on the
            # forecast page's path: at 1M deals a loop over every stage entered).
            return kept
        if deal.closed_at is None:
            entered = self._entered_before(deal, moment)
            told = deal.stage_told_before(moment)
            if entered is None or (told is not None and told >= entered[0]):
                return kept
            if told is None and not self._entered_since(deal, moment):
                # Carried back, but nothing on record changed the stage since: today's stage is
                # the later word (a stage history behind the deals file, of a deal without kept
                # changes, weighed today's forecast at the history's stage: the review).
                return kept
            return entered[1]
        entered = self._entered_before(deal, moment)
        return entered[1] if entered is not None else kept

    def _entered_since(self, deal: Deal, moment: datetime) -> bool:
        """Whether the stage history has ``deal`` enter a stage at or after ``moment``."""
        times, _ = self._entries(deal)
        return bool(times) and times[-1] >= moment

    def _entered_before(self, deal: Deal, moment: datetime) -> tuple[datetime, str] | None:
        """The stage history's last entry of ``deal`` before ``moment``: when, and which stage."""
        times, stages = self._entries(deal)
        at = bisect_left(times, moment)  # entered at the moment itself: after it, as a change is
        return (times[at - 1], stages[at - 1]) if at else None

    def _entries(self, deal: Deal) -> tuple[list[datetime], list[str]]:
        """When ``deal`` entered each stage of the stage history, in order (read once for all)."""
        if self._entered is None:
            # Only the deals this history holds: the stage history is every deal's the viewer may see.
            pairs: dict[str, list[tuple[datetime, str]]] = {}
            for h in self.stage_history:
                if h["deal_id"] in self.deals:
                    pairs.setdefault(h["deal_id"], []).append((h["entered_at"], h["stage"]))
            self._entered = {}
            for deal_id, seq in pairs.items():
                seq.sort()
                self._entered[deal_id] = ([t for t, _ in seq], [s for _, s in seq])
        return self._entered.get(deal.deal_id, ([], []))

    def stage_rates(self, moment: datetime) -> dict[str, Fraction]:
        """Each stage's stage-to-win rate as it stood at ``moment`` (insights/funnel.py)."""
        if moment not in self._rates:
            if self._standing is None:
                # The stages open deals without a stage history stand in are steps (funnel._stays);
                # read once, not once a moment.
                self._standing = frozenset(
                    d.now.stage for d in self.deals.values()
                    if d.closed_at is None and d.now.stage and d.deal_id not in self.traced)
            self._rates[moment] = stage_win_rates(self.stage_history, self.traced, moment, self._standing)
        return self._rates[moment]


@dataclass(frozen=True)
class Pick:
    """Which deals of those in view a question reads into Python (at 1M deals, reading them all
    with their changes took 20-30 s), decided in SQL: a superset of the deals it counts, never
    fewer (but for won deals ``won_first`` leaves to SQL). ``snapshots``: those a forecast of each
    period as it stood at each moment can place (won in the period before the moment, or open at
    it and expected before the period's end: forecast._place). ``pushed``: those whose kept
    history can hold a push (two changes or more, or one that kept the values it replaced:
    slippage.slipped). ``won_first``: where the snapshots' won deals are added up in SQL instead
    (:func:`won_sums`), only the first so many of them by closing time are picked (with any tied
    with the last), to be listed; 0: none."""

    snapshots: tuple[tuple[Period, datetime], ...] = ()
    pushed: bool = False
    won_first: int | None = None


def load(store: Store, where: Mapping[str, Sequence[str]], viewer: Viewer | None,
         span: Period, pick: Pick) -> DealHistory:
    """The deals the filters and the viewer let through and ``pick`` picks, with their history.
    ``span`` only gives the queries a period: it does not narrow the deals (``pick`` does). Kept
    until the data version moves (``Store.memo``), as is what every pick shares (the stage history
    of every deal the viewer may see, :func:`_every_stage`): the forecast page asks the forecast,
    slippage and accuracy."""
    # Today in the key too: a deal's money is today's (Deal.rate), and a server runs past midnight.
    return _asked(store, where, viewer, span, ("deal history", pick, store.today()),
                  lambda q: _read(store, q, viewer, pick))


def _asked(store: Store, where: Mapping[str, Sequence[str]], viewer: Viewer | None, span: Period,
           key: tuple[Any, ...], answer: Callable[[Any], T]) -> T:
    """``answer`` to the query of the deals in view (query_maker), kept under ``key`` with the
    viewer and the filters until the data version moves (``Store.memo``): what every question of
    this module shares."""
    filters = tuple(sorted((k, tuple(v)) for k, v in where.items()))

    def ask() -> T:
        return answer(query_maker(store, span, {k: tuple(v) for k, v in where.items()}, viewer=viewer)(()))
    return store.memo((key[0], viewer, filters, *key[1:]), ask)


def _pick_values(pick: Pick) -> tuple[tuple[str, Any], ...]:
    """``pick`` as a query's values (Query.values): each snapshot's moments and dates become
    parameters of the kept SQL (kpis/compiled.py), so a forecast of another day or quarter
    compiles nothing."""
    values: list[tuple[str, Any]] = [("snapshots", len(pick.snapshots)), ("pushed", pick.pushed),
                                     ("won_first", pick.won_first)]
    for i, (span, cut) in enumerate(pick.snapshots):
        values += [(f"start_{i}", span.start_at), (f"until_{i}", min(cut, span.end_at)),
                   (f"cut_{i}", cut), (f"end_{i}", span.end)]
    return tuple(values)


def _picked(q: Any, d: Any) -> Any:
    """The condition on the deals ``d`` (Query.deals, with their own ``expected_close_on``) that
    the pick of ``q``'s values (:func:`_pick_values`) stands for."""
    conditions = []
    changes = q.records.table("deal_changes")
    won_first = q.value("won_first")
    for i in range(q.value("snapshots")):
        start, until, cut, end = (q.value(f"{name}_{i}") for name in ("start", "until", "cut", "end"))
        won = (d.status == "won") & (d.closed_at >= start) & (d.closed_at < until)
        if won_first is None:
            conditions.append(won)
        elif won_first > 0:
            # rank() is the place of the first of a tie: those tied with the last are in too.
            w = d.filter(won)
            w = w.mutate(place=ibis.rank().over(order_by=w.closed_at))
            conditions.append(d.deal_id.isin(w.filter(w.place < won_first).deal_id))
        # Open at the moment and expected before the period's end by a value on record (today's,
        # or one a kept change set or replaced): the value at the moment is one of them.
        expected = (changes.new_expected_close_on < end) | (changes.old_expected_close_on < end)
        # Today's value read with the deal, not looked up among all deals (1M ids hashed at M).
        conditions.append((d.created_at < cut) & (d.closed_at.isnull() | (d.closed_at >= cut))
                          & ((d.expected_close_on < end) | d.deal_id.isin(changes.filter(expected).deal_id)))
    if q.value("pushed"):
        per_deal = changes.group_by("deal_id").aggregate(
            kept=changes.count(), replaced=changes.old_amount.notnull().any())
        conditions.append(d.deal_id.isin(
            per_deal.filter((per_deal.kept >= 2) | per_deal.replaced).deal_id))
    if not conditions:
        return ibis.literal(False)
    return functools.reduce(operator.or_, conditions)


# A snapshot's moment as :func:`won_sums` takes it: the period, the cut, and whether only deals an
# import had brought by the cut count (known_only).
Moment = tuple[Period, datetime, bool]
# Per group (a rep, a team, or None): the amount won in the base currency, and the deals.
WonSums = dict[str | None, tuple[Decimal, int]]


def won_sums(store: Store, where: Mapping[str, Sequence[str]], viewer: Viewer | None,
             span: Period, moments: tuple[Moment, ...], by: str | None) -> list[WonSums] | None:
    """For each moment, the deals in view won in its period before the cut (``known_only``: of
    those, the ones an import had brought by then; :meth:`Deal.known_at`), summed per ``by``
    (``rep``, ``team`` or None for everyone): the closed-won bar of a snapshot, without reading the
    deals. Forecast accuracy asks it for four quarters: 58,000 deals at 1M deals, read one by one
    into Python, were half of its 7 s. None where a deal among them has no exchange rate: the
    snapshot then reads them, and refuses naming the deal, as it always did."""
    if not moments:
        return []
    return _asked(store, where, viewer, span, ("won sums", moments, by), lambda q: _won_sums(q, moments, by))


def _won_sums(q: Any, moments: tuple[Moment, ...], by: str | None) -> list[WonSums] | None:
    values: list[tuple[str, Any]] = [("by", by), ("moments", len(moments))]
    for i, (s, cut, known_only) in enumerate(moments):
        values += [(f"start_{i}", s.start_at), (f"until_{i}", min(cut, s.end_at)),
                   (f"known_{i}", known_only)]
        if known_only:
            values.append((f"cut_{i}", cut))
    rows = compiled.run("won sums", _won_rows, replace(q, values=tuple(values)))
    if any(r["unrated"] for r in rows):
        return None
    out: list[WonSums] = []
    for i in range(len(moments)):
        # Summed exactly; a deal without an amount adds 0.00, as Deal.amount_today says.
        out.append({r["group"]: (Decimal(r[f"amount_{i}"] or 0).quantize(CENT, ROUND_HALF_UP),
                                 int(r[f"deals_{i}"]))
                    for r in rows if r[f"deals_{i}"]})
    return out


def _won_rows(q: Any) -> Any:
    """Per group, the amount won and the deals of each moment of ``q``'s values (:func:`_won_sums`)."""
    moments = range(q.value("moments"))
    lowest = min(q.value(f"start_{i}") for i in moments)
    highest = max(q.value(f"until_{i}") for i in moments)
    d = replace(q, rated_at=highest).deals()  # every deal summed closed before it: its close day's
    won = d.filter((d.status == "won") & (d.closed_at >= lowest) & (d.closed_at < highest))
    if any(q.value(f"known_{i}") for i in moments):  # a forecast as of a day needs no import's time
        changes = q.records.table("deal_changes")
        # Only the won deals' changes are grouped: all of them took twice as long (0.12 s at M).
        changes = changes.filter(changes.deal_id.isin(won.deal_id))
        first = changes.group_by("deal_id").aggregate(first_kept=changes.changed_at.min())
        won = won.left_join(first, "deal_id").drop("deal_id_right")
    by = q.value("by")
    won = won.mutate(group=won[by] if by else ibis.literal(None, "string"))
    metrics: dict[str, Any] = {"unrated": won.count(where=won.rate.isnull())}
    for i in moments:
        inside = (won.closed_at >= q.value(f"start_{i}")) & (won.closed_at < q.value(f"until_{i}"))
        if q.value(f"known_{i}"):
            inside &= won.first_kept.notnull() & (won.first_kept < q.value(f"cut_{i}"))  # Deal.known_at
        metrics[f"amount_{i}"] = won.amount.sum(where=inside)
        metrics[f"deals_{i}"] = won.count(where=inside)
    return won.group_by("group").aggregate(**metrics)


# Per rep or team: the open amount (None where a deal has no exchange rate) and the deals.
Undated = dict[str | None, tuple[Decimal | None, int]]


def undated_sums(store: Store, where: Mapping[str, Sequence[str]], viewer: Viewer | None,
                 span: Period, cut: datetime, by: str | None, known_closed: bool = False) -> Undated:
    """The deals open at ``cut`` without an expected close date as it stood then, per ``by``: a
    forecast places a deal by that date, so these are in no bar, and a CRM that never asks for one
    (every open deal of the Maven set) would show an empty pipeline without a word. Counted in SQL,
    not read: at 1M deals every open deal may be one."""
    # Today in the key: the cut's rate is capped at it (Query.today), and a server runs past midnight.
    # ``known_closed``: the cut is today's, and a deal won or lost with a close date still to come
    # is known closed (forecast.snapshot): not an open deal without a date.
    return _asked(store, where, viewer, span, ("undated", span, cut, by, store.today(), known_closed),
                  lambda q: _undated_sums(q, cut, by, known_closed))


def _undated_sums(q: Any, cut: datetime, by: str | None, known_closed: bool = False) -> Undated:
    rows = compiled.run("undated sums", _undated_rows,
                        replace(q, values=(("cut", cut), ("by", by), ("known_closed", known_closed))))
    return {r["group"]: (None if r["unrated"] else Decimal(r["amount"] or 0).quantize(CENT, ROUND_HALF_UP),
                         int(r["deals"]))
            for r in rows if r["deals"]}


def _undated_rows(q: Any) -> Any:
    # The deal's own expected close read with it (Query.deals' extra columns): asked as "its id
    # among the deals without one", it hashed all 1M deal ids at 1M deals (0.07 s a view).
    # Open at the cut: at the rate as it stood then (Query._with_rate).
    d = replace(q, rated_at=q.value("cut")).deals("expected_close_on")
    cut, by = q.value("cut"), q.value("by")
    # The date as it stood at the cut, read as Deal.values_at reads it: the values after the last
    # kept change before the cut, else those before the first (a first import's own). A
    # deal dated only after the cut was in no bar then, and was counted as "never dated" nowhere.
    # Only a deal whose date a later change touched can have stood otherwise than it stands (a
    # change holds every value after it): the few of them are read, not every change after the cut
    # (at 1M deals all were, 0.16 s against 0.01 s); the others' own date stands.
    changes = q.records.table("deal_changes")
    later = changes.filter(changes.changed_at >= cut)
    old_date, new_date = later.old_expected_close_on, later.new_expected_close_on
    # A first import's row (old_amount empty) after the cut touches nothing where it is the deal's
    # first: its values are the deal's own from then on (at 1M deals every deal's first row came
    # after a past cut). Where a history imported before it holds the deal's values at the cut, it
    # may (a deal won since, imported with a CRM's history: its date, empty now, stood in the
    # history; read as empty, it was counted in a bar and again as undated).
    touched = later.old_amount.notnull() & ((old_date.isnull() != new_date.isnull()) | (old_date != new_date))
    # Joined before anything is made distinct: the smaller side is built (the few changes before a
    # past cut, or the few after a recent one), the other read once; a distinct of 1M ids was not.
    fresh = later.filter(later.old_amount.isnull()).select(fresh_id=later.deal_id)
    kept = changes.view()
    earlier = kept.filter(kept.changed_at < cut).select(kept_id=kept.deal_id)
    also = fresh.join(earlier, fresh.fresh_id == earlier.kept_id)
    moved = later.filter(touched).select(moved_id=later.deal_id.cast("string")).union(
        also.select(moved_id=also.fresh_id.cast("string"))).distinct()
    mine = changes.join(moved, changes.deal_id == moved.moved_id).select(changes.columns)
    before = mine.filter(mine.changed_at < cut)
    last = before.group_by("deal_id").aggregate(at=before.changed_at.max())
    stood = before.join(last, [before.deal_id == last.deal_id, before.changed_at == last.at]).select(
        stood_id=before.deal_id, stood=before.new_expected_close_on)
    first = mine.group_by("deal_id").aggregate(at=mine.changed_at.min())
    opened = mine.join(first, [mine.deal_id == first.deal_id, mine.changed_at == first.at]).select(
        opened_id=mine.deal_id,
        opened=ibis.ifelse(mine.old_amount.isnull(), mine.new_expected_close_on, mine.old_expected_close_on))
    later_closed = d.closed_at >= cut
    if q.value("known_closed"):
        later_closed = later_closed & (d.status == "open")
    t = d.filter((d.created_at < cut) & (d.closed_at.isnull() | later_closed))
    t = t.left_join(stood, t.deal_id == stood.stood_id).left_join(opened, t.deal_id == opened.opened_id)
    date_then = ibis.ifelse(t.stood_id.notnull(), t.stood,
                            ibis.ifelse(t.opened_id.notnull(), t.opened, t.expected_close_on))
    t = t.filter(date_then.isnull())
    t = t.mutate(group=t[by] if by else ibis.literal(None, "string"))
    return t.group_by("group").aggregate(
        amount=t.amount.sum(), deals=t.count(), unrated=t.count(where=t.rate.isnull()))


# A kept change as deal_changes holds it (storage.py), in its order.
CHANGE_COLUMNS = ("deal_id", "changed_at",
                  *(f"{side}_{name}" for name in TRACKED for side in ("old", "new")))


def _picked_deals(q: Any) -> Any:
    """The deals in view that the pick of ``q``'s values picks (:func:`_pick_values`), with today's
    values, a row for each of their kept changes (one without a change where a deal has none).
    One query: the pick reads every deal and the changes' dates, and picking again for the changes
    took as long (0.1 s at 1M deals)."""
    in_view = q.deals("expected_close_on", "forecast_category", "probability")
    d = in_view.filter(_picked(q, in_view))
    picked = d.select("deal_id", "rep", "team", "status", "created_at", "closed_at", "rate",
                      "currency", "account", "expected_close_on", "forecast_category", "probability",
                      "stage", own_amount=d.amount_raw)
    changes = q.records.table("deal_changes")
    kept = changes.select(*CHANGE_COLUMNS[1:], changed_id=changes.deal_id)
    joined = picked.left_join(kept, picked.deal_id == kept.changed_id).drop("changed_id")
    # With money in other currencies, in the deals' order: the deal a refusal names (no rate for
    # its money) is the first, whatever the pick read (hypothesis found d4 named where every deal
    # read named d0). Only then: a sort of every deal is time no answer in one currency needs.
    return joined.order_by("deal_id") if q.foreign_currencies else joined


def _read(store: Store, q: Any, viewer: Viewer | None, pick: Pick) -> DealHistory:
    # Through compiled.run, the pick's moments as parameters: a forecast of another day compiles
    # nothing, and a new process that finds the SQL kept needs no Ibis (each took ~0.1 s to
    # compile at 1M deals).
    asked = q
    # Each deal's rate as it stands at the end of today, whatever the period: kept with the deal
    # (Store.memo, until the data version moves), and questions of a moment convert at its own
    # (Deal.rate_at).
    q = replace(q, values=_pick_values(pick), rated_at=end_of(store.today()))
    deals: dict[str, Deal] = {}
    kept = []
    fx = (store.memo(("exchange rates", q.base_currency, store.today()), lambda: _rates(asked, store.today()))
          if q.foreign_currencies else None)
    for r in compiled.run("picked deals", _picked_deals, q, inline=True):
        if r["deal_id"] not in deals:
            now = Values(r["own_amount"], r["expected_close_on"], r["forecast_category"],
                         r["probability"], r["stage"])
            rate = r["rate"]
            deals[r["deal_id"]] = Deal(r["deal_id"], r["rep"], r["team"], r["status"], r["created_at"],
                                       r["closed_at"], Decimal(rate) if rate is not None else None,
                                       r["currency"], r["account"], now, fx=fx)
        if r["changed_at"] is not None:  # changed_at is never empty in deal_changes
            kept.append({name: r[name] for name in CHANGE_COLUMNS})
    for c in sorted(kept, key=lambda c: c["changed_at"]):
        deals[c["deal_id"]].changes.append(c)
    first = first_kept(store, q.filters, viewer, asked.period)
    # Stage-to-win rates rest on every deal the viewer may see, whatever the filters: a deal weighs
    # the same filtered to its team as in the forecast by team (over the filtered deals, East's
    # weighted forecast was 2,929,650.80 filtered and 2,974,393.61 as a row by team). Not over
    # deals the viewer may not see: a rate over a few is their outcomes, day by day.
    every = store.memo(("stage history of every deal in view", viewer),
                       lambda: _every_stage(query_maker(store, q.period, {}, viewer=viewer)(())))
    return DealHistory(deals, every.stages, store.base_currency(), dict(q.filters), every.traced, first,
                       every.rates, today=store.today())


def _rates(q: Any, today: date) -> Rates:
    days: dict[str, list[date]] = {}
    values: dict[str, list[Decimal]] = {}
    for r in sorted(compiled.run("exchange rates", _rate_rows, q), key=lambda r: (r["currency"], r["date"])):
        days.setdefault(r["currency"], []).append(r["date"])
        values.setdefault(r["currency"], []).append(Decimal(r["rate_to_base"]))
    return Rates(q.base_currency, days, values, today)


def _rate_rows(q: Any) -> Any:
    fx = q.records.table("fx_rates")
    return fx.select("date", "currency", "rate_to_base")


@dataclass(frozen=True)
class _Stages:
    stages: list[dict[str, Any]]
    traced: dict[str, dict[str, Any]]
    # Each moment's rates, once for every question that shares these (DealHistory.stage_rates).
    rates: dict[datetime, dict[str, Fraction]] = field(default_factory=dict)


def first_kept(store: Store, where: Mapping[str, Sequence[str]], viewer: Viewer | None,
               span: Period) -> datetime | None:
    """When the kept history of the deals in view starts: the first change an import kept of any
    of them (None: none yet). Before it, a forecast as the workspace knew it said nothing we know
    of; ``span`` only gives the query a period."""
    return _asked(store, where, viewer, span, ("first change in view",), _first_change)


def _first_change(q: Any) -> datetime | None:
    """The first change kept of any deal in view (picked or not)."""
    # Read through compiled.run, as the queries below: their SQL is kept, a view compiles nothing.
    first: datetime | None = compiled.run("first change in view", _first_kept, q)[0]["first"]
    return first


def _first_kept(q: Any) -> Any:
    changes = q.records.table("deal_changes")
    # The viewer's records hold only the changes of deals the viewer may see (records.py): only a
    # filter narrows them further (reading every deal to check cost 0.1 s at 1M deals, 0.4 ms not).
    of_view = changes.filter(changes.deal_id.isin(q.deals().deal_id)) if q.filters else changes
    return of_view.aggregate(first=of_view.changed_at.min())


def _every_stage(q: Any) -> _Stages:
    """The stage history of every deal the query's viewer may see, and the states of the deals it
    traces (status, closed_at): what stage-to-win rates rest on."""
    stages = compiled.run("stage history", _stage_rows, q)
    states = {r["deal_id"]: {"status": r["status"], "closed_at": r["closed_at"]}
              for r in compiled.run("stage history's deals", _traced, q)}
    return _Stages(stages, states)


def _stage_rows(q: Any) -> Any:
    return q.records.table("stage_history")


def _traced(q: Any) -> Any:
    deals, h = q.deals(), q.records.table("stage_history")
    return deals.filter(deals.deal_id.isin(h.deal_id)).select("deal_id", "status", "closed_at")
