"""What a KPI definition works with: the period, the grouping, the filters, and the canonical records
shaped into event tables that carry the standard dimension columns.

Every event table has the columns ``rep``, ``team`` (and where they apply ``source``, ``pipeline``,
``product``, ``activity_type``; deals also ``segment``, ``industry`` and ``region`` of their account
and ``lost_reason``) plus ``at``, the moment that places the event in time (deals: closed_at;
activities: occurred_at; NPS: responded_at). Filters are applied here, once, so definitions only say
what they count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import no_rate
from ..periods import Period, add_months, end_of, fiscal_quarter_of, fiscal_quarter_start, parse_period
from ..records import Records
from ..runtime import lazy_module
from ..storage import BASE_ROLLUP, ITEMS_ROLLUP, QUOTA_ROLLUP, RATE_ROLLUP, ROLLUP
from .dimensions import ACCOUNT_DIMENSIONS, TIME_DIMENSIONS

if TYPE_CHECKING:
    import ibis
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")

MONEY = "decimal(18, 2)"
WIDE = "decimal(38, 2)"  # products of decimals need the room: DuckDB keeps 18 digits otherwise


# The checks a query's build hands on (Query._refuse): None, run at once.
_checks: ContextVar[list[tuple[Any, str]] | None] = ContextVar("salesmetrics_checks", default=None)


@contextmanager
def checked_later() -> Iterator[list[tuple[Any, str]]]:
    """Collect the checks of what is built inside, (counted, what) each, for the caller to run
    (Query.refuse_if) before the query: the checks look at the data, and a SQL kept without
    Ibis (kpis/compiled.py) must keep them beside it rather than skip them."""
    found: list[tuple[Any, str]] = []
    token = _checks.set(found)
    try:
        yield found
    finally:
        _checks.reset(token)


@dataclass
class Query:
    records: Records
    period: Period
    by: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fiscal_year_start: int = 1
    base_currency: str | None = None
    foreign_currencies: tuple[str, ...] = ()  # currencies in the records other than the base
    ramp_rule: str = "quota"
    ramp_threshold: float = 1.0
    ramp_sustain: tuple[int, int] = (2, 3)  # K of N consecutive months at the threshold: ramped
    as_of: date | None = None
    rollups: bool = False  # the embedded workspace's rollups are fresh (storage.ROLLUPS)
    # What a question other than a KPI is asked with besides the period (a forecast's snapshot
    # moments, insights/deal_history.py), by name: dates and moments become parameters of its kept
    # SQL like the period's bounds, anything else is part of its shape (kpis/compiled.py).
    values: tuple[tuple[str, Any], ...] = ()
    # The moment a deal's money is converted as of (_with_rate): None, the query's end; a forecast's
    # cut; the end of today for deals listed as they stand today. A parameter of a kept SQL, as
    # today is (kpis/compiled.py).
    rated_at: datetime | None = None
    # Today on the workspace's clock: no money is converted at a rate dated after it (a planning
    # rate), even as of a later day. None: no cap (a query made by hand).
    today: date | None = None

    @classmethod
    def of_all_time(cls, records: Records) -> Query:
        """A query for what no period bounds (programs, whether a column holds any value): a query
        has a period, and one fixed period keeps one shape for its kept SQL (kpis/compiled.py)."""
        return cls(records=records, period=parse_period("2000-01"))

    def value(self, name: str) -> Any:
        """The value named ``name`` of :attr:`values`."""
        for key, value in self.values:
            if key == name:
                return value
        raise KeyError(name)

    # -- helpers -------------------------------------------------------------------------------
    @property
    def start(self) -> Any:
        return ibis.timestamp(self.period.start_at)

    @property
    def end(self) -> Any:
        return ibis.timestamp(self.period.end_at)

    def in_period(self, column: Any) -> Any:
        return (column >= self.start) & (column < self.end)

    @property
    def with_accounts(self) -> bool:
        """Whether deals need their account's segment, industry and region: grouped or filtered by
        one of them. Decided by the grouping and the filters alone, which the compiled SQL is kept
        by (kpis/compiled.py), so a kept text never lacks the join it needs."""
        return any(d in self.by or self.filters.get(d) for d in ACCOUNT_DIMENSIONS)

    @property
    def category_by(self) -> tuple[str, ...]:
        return tuple(d for d in self.by if d not in TIME_DIMENSIONS)

    @property
    def time_by(self) -> tuple[str, ...]:
        return tuple(d for d in self.by if d in TIME_DIMENSIONS)

    def bucket(self, column: Any, grain: str) -> Any:
        """The day, or the start date of the week (ISO, Monday), month or fiscal quarter, that
        ``column`` falls in."""
        if grain == "day":
            return column.date()
        if grain == "week":
            return column.truncate("W").date()
        if grain == "month":
            return column.truncate("M").date()
        shift = self.fiscal_year_start - 1
        if shift == 0:
            return column.truncate("Q").date()
        shifted = (column - ibis.interval(months=shift)).truncate("Q")
        return (shifted + ibis.interval(months=shift)).date()

    def with_buckets(self, t: Any) -> Any:
        """Add the requested time-grain columns from the event time ``at``."""
        if not self.time_by:
            return t
        return t.mutate(**{grain: self.bucket(t.at, grain) for grain in self.time_by})

    def aggregate(self, t: Any, **metrics: Any) -> Any:
        """Group an event table by the query's dimensions and compute ``metrics`` per group."""
        t = self.with_buckets(t)
        resolved = {name: (m(t) if callable(m) else m) for name, m in metrics.items()}
        if self.by:
            return t.group_by(list(self.by)).aggregate(**resolved)
        return t.aggregate(**resolved)

    def _filter(self, t: Any, *dims: str) -> Any:
        for dim in dims:
            values = self.filters.get(dim)
            if values:
                t = t.filter(t[dim].isin(list(values)))
        return t

    # -- reps ----------------------------------------------------------------------------------
    def reps(self) -> Any:
        r = self.records.table("reps")
        r = r.select(rep=r.rep_id, team=r.team, name=r.name, hired_on=r.hired_on)
        return self._filter(r, "rep", "team")

    def reps_at_work(self) -> Any:
        """The reps (``rep``, ``team``) who worked in the period: an activity in it, a deal created
        or closed in it, or a quota of theirs overlapping it. A sum or count by rep has a row of 0
        for each (report._every_rep): a rep who won nothing had no revenue row at all, beside their
        0 % of quota. A deal merely left open is no work: it kept a rep who left at work for ever.
        Narrowed by rep and team alone: a rep with no deal from the web sold 0 from it. Each part is
        distinct before the union (UNION ALL of 10M activities reached Python as 353,000 rows)."""
        a = self.records.table("activities")
        acts = a.filter(self.in_period(a.occurred_at)).select(rep=a.rep_id.cast("string")).distinct()
        d = self.records.table("deals")
        deals = d.filter(self.in_period(d.created_at) | self.in_period(d.closed_at))
        deals = deals.select(rep=deals.rep_id.cast("string")).distinct()
        q = self.records.table("quotas")
        quotas = q.filter(q.rep_id.notnull() & (q.period_start < ibis.literal(self.period.end))
                          & (q.period_end >= ibis.literal(self.period.start)))
        quotas = quotas.select(rep=quotas.rep_id.cast("string")).distinct()
        ids = acts.union(deals, distinct=True).union(quotas, distinct=True)
        r = self.records.table("reps")
        j = ids.join(r, ids.rep == r.rep_id)
        return self._filter(j.select(rep=ids.rep, team=r.team), "rep", "team")

    # -- deals ---------------------------------------------------------------------------------
    def _teams(self, wanted: bool) -> bool:
        """Whether rows need their rep's ``team``: asked for (``wanted``), or grouped or filtered by
        it. A question that reads no team but through those (most KPIs: ``teams=False``) leaves
        the join with the reps out, which DuckDB keeps though nothing reads it (1.3 ms of a 4 ms
        win rate at 1M deals). Decided by the grouping and filters alone, which the kept SQL is
        kept by (kpis/compiled.py)."""
        return wanted or "team" in self.by or bool(self.filters.get("team"))

    def _joined_team(self, t: Any, teams: bool) -> tuple[Any, Any]:
        """``t`` (records with a ``rep_id``) joined with its rep where the team is read
        (:meth:`_teams`), and the team: empty where it is not."""
        if not self._teams(teams):
            return t, ibis.null("string")
        r = self.records.table("reps")
        return t.left_join(r, t.rep_id == r.rep_id), r.team

    def deals(self, *extra: str, amounts: bool = True, teams: bool = True) -> Any:
        """All deals with rep, team, source, pipeline, the account, its segment, industry and region,
        the stage, the lost reason and ``amount`` in the base currency (at the rate of ``rated_at``:
        _with_rate); and the deal's own ``extra`` columns, where a question needs more of them
        (joining the deals again for them reads every deal once more: 0.06 s at 1M deals).
        ``amounts=False``: no money at all (no ``amount``, ``amount_raw`` or ``rate``), for a
        question that counts deals or their days: in several currencies DuckDB cannot leave out a
        join with the daily rates that nothing reads (a third of a win rate's time at 1M deals)."""
        d = self.records.table("deals")
        j, team = self._joined_team(d, teams)
        if self.with_accounts:
            a = self.records.table("accounts")
            j = j.left_join(a, d.account == a.account_id)
            account = {dim: a[dim] for dim in ACCOUNT_DIMENSIONS}
        else:  # no join a question does not need: most never ask about accounts
            account = {dim: ibis.null("string") for dim in ACCOUNT_DIMENSIONS}
        t = j.select(
            deal_id=d.deal_id,
            rep=d.rep_id,
            team=team,
            source=d.source,
            pipeline=d.pipeline,
            # The deal's own: joining the deals again for them read every deal's once more.
            account=d.account,
            stage=d.stage,
            **account,
            lost_reason=d.lost_reason,
            status=d.status,
            created_at=d.created_at,
            closed_at=d.closed_at,
            at=d.closed_at,
            amount_raw=d.amount,
            currency=d.currency,
            **{name: d[name] for name in extra},
        )
        t = self._filter(t, "rep", "team", "source", "pipeline", *ACCOUNT_DIMENSIONS, "lost_reason")
        products = self.filters.get("product")
        if products:
            items = self.records.table("deal_items")
            t = t.filter(t.deal_id.isin(items.filter(items.product_id.isin(list(products))).deal_id))
        if not amounts:
            return t.drop("amount_raw")
        return self._with_rate(t).mutate(amount=lambda x: self.convert(x.amount_raw, x.rate))

    def monthly_won(self) -> Any:
        """Revenue won per rep and calendar month (``rep``, ``month``, ``revenue``) by the deals
        closed before the query's end. From the rollup the workspace keeps where it sums the same
        deals the same way, no filter but on reps and teams: storage.ROLLUP in one currency,
        storage.BASE_ROLLUP in several. The month the end falls in (a week, a cut at as_of) always
        comes from the deals, and so do, in several currencies, the months from the one money is
        converted as of.

        With other currencies, a month also counts its deals without a rate (``unrated``, their
        first currency and day): ramp time refuses the months it reads that hold one, where such a
        month would read as a quiet one (refuse_unrated)."""
        d = self.deals()
        won = d.filter((d.status == "won") & (d.closed_at < self.end))
        several = bool(self.foreign_currencies)
        if not self.rollups or not set(self.filters) <= {"rep", "team"}:
            return _by_month(won, unrated=several)
        # In several currencies, a deal closed at or after the moment money is converted as of is
        # converted at that moment's rate, not its close day's as in the rollup: its month comes
        # from the deals.
        boundary = (ibis.least(self.end, self._rated_moment()) if several else self.end).truncate("M")
        r = self.records.rollup(BASE_ROLLUP if several else ROLLUP)
        sums = {"revenue": (r.revenue if several else r.amount).cast(WIDE)}
        if several:
            sums.update(unrated=r.unrated, unrated_currency=r.unrated_currency, unrated_day=r.unrated_day)
        kept = r.select(rep=r.rep_id, month=r.month, **sums)
        if self.filters.get("team"):  # the rep's team, only where a filter reads it (a join less)
            reps = self.records.table("reps")
            kept = r.left_join(reps, r.rep_id == reps.rep_id).select(
                rep=r.rep_id, team=reps.team, month=r.month, **sums)
        kept = self._filter(kept, "rep", "team")
        kept = kept.filter(kept.month < boundary.date()).select("rep", "month", *sums)
        return kept.union(_by_month(won.filter(won.closed_at >= boundary), unrated=several), distinct=False)

    def convert(self, amount: Any, rate: Any) -> Any:
        """``amount`` in the base currency, to the cent; untouched when there is one currency."""
        if not self.foreign_currencies:
            return amount.cast(MONEY)
        # Most money is in the base currency, at a rate of 1: its amount to the cent as it is. The
        # product in 38 digits (128-bit decimals) took a third of a revenue query's time at 1M
        # deals, most of it on amounts it left unchanged.
        return ibis.ifelse(rate == 1, self.money(amount), self.money(self.product(amount, 2, rate, 6)))

    def product(self, a: Any, a_places: int, b: Any, b_places: int) -> Any:
        """``a * b`` to the last place, of decimals with so many places, on every engine."""
        # DuckDB keeps 18 digits for a product of two decimals of 18 or fewer (and refuses to
        # overflow); Spark cuts a product of two of 38 to 6 places, before it is rounded to the cent
        # (1,179.29 x 1.085437 = 1,280.04499973 became 1,280.05): 18 and 18 keep every place there.
        digits = 38 if self.records.engine == "duckdb" else 18
        return a.cast(f"decimal({digits}, {a_places})") * b.cast(f"decimal({digits}, {b_places})")

    def money(self, value: Any) -> Any:
        return value.round(2).cast(MONEY)

    def _with_rate(self, t: Any) -> Any:
        """Add ``rate``: what one unit of the deal's currency is worth in the base currency. A deal
        closed before the moment measured (:attr:`rated_at`) at the latest rate on or before its
        close day, as every KPI adds it; one still open then (or not yet closed: an as-of view) at
        the latest rate on or before the last day before the moment, the day measured. Not its
        creation day's: a pipeline of deals opened over years was worth today's money, not each
        year's. Nor a later close day's: a view as of a day cannot know the rates after it. 1 for
        the base currency itself."""
        if not self.foreign_currencies:
            return t.mutate(rate=ibis.literal(1, "decimal(18, 6)"))
        moment = self._rated_moment()

        def on_day(closed_at: Any) -> Any:
            # Moments are midnights (a period's end, the end of a day): the day before is the last.
            return ibis.ifelse(closed_at < moment, closed_at.date(), (moment - ibis.interval(days=1)).date())

        def days() -> Any:
            # The days sought are read from the deals themselves, not from ``t``: read twice,
            # ``t`` would be computed whole once for both (a common table expression), before the
            # caller's filters could narrow it (0.045 -> 0.030 s a query at 1M deals).
            d = self.records.table("deals")
            others = d.filter(d.currency != self.base_currency)
            return others.select(currency=others.currency, rate_day=on_day(others.closed_at)).distinct()

        j = self._rate_on(t.mutate(rate_day=on_day(t.closed_at)), "rate_day", days).drop("rate_day")
        foreign = j.currency.notnull() & (j.currency != self.base_currency)
        return j.mutate(rate=ibis.ifelse(foreign, j.rate, ibis.literal(1, "decimal(18, 6)")))

    def _rated_moment(self) -> Any:
        """The moment money is converted as of: :attr:`rated_at` (the period's end where unset),
        never after the end of today."""
        moment = self.end if self.rated_at is None else _moment(self.rated_at)
        if self.today is not None:
            moment = ibis.least(moment, _moment(end_of(self.today)))
        return moment

    def _rate_on(self, t: Any, day: str, days: Callable[[], Any] | None = None) -> Any:
        """``t`` with ``rate``: the latest rate of its ``currency`` dated on or before its ``day``
        (empty where none is). Sought once for each currency and day that ``t`` holds (a thousand
        or so; ``days()`` makes them where they are known without reading ``t``), then joined on
        both: joining every row to every earlier rate and keeping the latest read 200,000 foreign
        deals times 1,000 days of rates, 0.9 s a query at 1M deals against 0.04 s. Plain joins,
        which every backend runs (Spark SQL has no as-of join)."""
        if self.rollups and self.today is not None:
            # Every day's rate, kept (storage.RATE_ROLLUP): a day is never after today here.
            daily = self.records.rollup(RATE_ROLLUP)
            j = t.left_join(daily, [t.currency == daily.currency, t[day] == daily.day])
            return j.select(*t.columns, rate=j.rate)
        fx = self.records.table("fx_rates")
        sought = t.select("currency", day).distinct() if days is None else days()
        cand = sought.join(fx, [sought.currency == fx.currency, fx.date <= sought[day]])
        latest = cand.group_by(["currency", day]).aggregate(rate=cand.rate_to_base.argmax(cand.date))
        j = t.left_join(latest, [t.currency == latest.currency, t[day] == latest[day]])
        return j.select(*t.columns, rate=j.rate)

    def check_rates(self, t: Any) -> None:
        """Refuse to add money that cannot be converted: name the currency and the first day."""
        if not self.foreign_currencies:
            return
        missing = t.filter(t.rate.isnull())
        self._refuse(missing.aggregate(n=missing.count(), currency=missing.currency.min(),
                                       day=missing.at.min()), "deals")

    def refuse_unrated(self, t: Any, what: str) -> None:
        """Refuse the rows of ``t`` that hold money without a rate (``unrated``, with
        ``unrated_currency`` and ``unrated_day``: monthly_won's months, a ramp's quota months)."""
        bad = t.filter(t.unrated > 0)
        self._refuse(bad.aggregate(n=bad.unrated.sum(), currency=bad.unrated_currency.min(),
                                   day=bad.unrated_day.min()), what)

    def _refuse(self, counted: Any, what: str) -> None:
        """Refuse where ``counted`` (n, currency, day) counts any; ``what`` is a key of
        errors.UNRATED. Run at once, or handed to whoever builds the query (:func:`checked_later`:
        a kept SQL runs its checks' kept SQL first, kpis/compiled.py)."""
        later = _checks.get()
        if later is not None:
            later.append((counted, what))
            return
        row = counted.execute()
        self.refuse_if(row["n"][0], what, row["currency"][0], row["day"][0])

    def refuse_if(self, n: Any, what: str, currency: Any, day: Any) -> None:
        """Raise the refusal of a check that counted ``n`` (None or 0: nothing to refuse)."""
        if n is not None and int(n):
            raise no_rate(int(n), what, currency, self.base_currency, day)

    # The deals won, lost or closed in the period. ``money=False``: the caller adds no amounts (it
    # lists them, empty where no rate converts them), so a deal without an exchange rate does not
    # stop it (a win rate refused for want of a yen rate was a dead end). ``amounts=False``: it
    # reads none either (Query.deals).
    def won(self, *, money: bool = True, amounts: bool = True, teams: bool = True) -> Any:
        d = self.deals(amounts=amounts, teams=teams)
        t = d.filter((d.status == "won") & self.in_period(d.closed_at))
        if money and amounts:
            self.check_rates(t)
        return t

    def lost(self, *, money: bool = True, amounts: bool = True, teams: bool = True) -> Any:
        d = self.deals(amounts=amounts, teams=teams)
        t = d.filter((d.status == "lost") & self.in_period(d.closed_at))
        if money and amounts:
            self.check_rates(t)
        return t

    def closed(self, *, money: bool = True, amounts: bool = True, teams: bool = True) -> Any:
        d = self.deals(amounts=amounts, teams=teams)
        t = d.filter(d.status.isin(["won", "lost"]) & self.in_period(d.closed_at))
        if money and amounts:
            self.check_rates(t)
        return t

    def open_during(self, *, amounts: bool = True, teams: bool = True) -> Any:
        """Deals that were open opportunities at any time in the period (created before its end and
        not closed before its start), with ``won_now``: won within the period."""
        d = self.deals(amounts=amounts, teams=teams)
        t = d.filter((d.created_at < self.end) & (d.closed_at.isnull() | (d.closed_at >= self.start)))
        return t.mutate(won_now=(t.status == "won") & self.in_period(t.closed_at))

    def won_items(self) -> Any:
        """Lines of deals won in the period, with ``product`` and ``revenue`` in the base currency."""
        won = self.won()
        items = self.records.table("deal_items")
        j = items.join(won, items.deal_id == won.deal_id)
        t = j.select(
            deal_id=won.deal_id, rep=won.rep, team=won.team, source=won.source,
            pipeline=won.pipeline, segment=won.segment, industry=won.industry, region=won.region,
            at=won.at, product=items.product_id,
            revenue=self.convert(self.product(items.quantity, 6, items.unit_price, 2).round(2), won.rate),
        )
        return self._filter(t, "product")

    def product_revenue(self) -> Any | None:
        """Won revenue and deals per ``product``, ``rep`` and ``team`` (``revenue``, ``deals``: the
        distinct deals, which add up over these groups). The whole months of the period come from
        the rollup the workspace keeps (storage.ITEMS_ROLLUP), the days before and after them from the
        deals' lines: for a month-aligned period none, and DuckDB then skips the join that reads
        every line (~20 -> ~3 ms at 1M deals). In several currencies the rollup holds each line at
        its close day's rate: the months from the one money is converted as of (a deal closed
        after that moment is converted at its rate) come from the lines too.
        None where the rollup cannot answer: stale or absent, a time grain, or a grouping or
        filter it does not keep, or several products in one group (a deal with lines of two of
        them is one deal, not two)."""
        kept = {"product", "rep", "team"}
        if (not self.rollups or not set(self.by) <= kept or not set(self.filters) <= kept
                or ("product" not in self.by and len(self.filters.get("product", ())) != 1)):
            return None
        # The first whole month from the start on, and the end's month: the bounds are the query's
        # own (parameters of the kept SQL), so the text is the same for every period.
        start_month = self.start.truncate("M")
        whole_from = ibis.ifelse(start_month == self.start, self.start,
                                 start_month + ibis.interval(months=1))
        several = bool(self.foreign_currencies)
        whole_to = (ibis.least(self.end, self._rated_moment()) if several else self.end).truncate("M")
        r, reps = self.records.rollup(ITEMS_ROLLUP), self.records.table("reps")
        # A line too large for the lines' money (storage.ITEMS_ROLLUP, ``oversize``) fails here as
        # it fails there, "out of range", only where its month is read: the cast runs on its row alone.
        revenue = ibis.ifelse(r.oversize.isnull(), r.revenue, r.oversize.cast(MONEY).cast(WIDE))
        rolled = r.left_join(reps, r.rep_id == reps.rep_id).select(
            product=r.product_id, rep=r.rep_id, team=reps.team, month=r.month,
            revenue=revenue, deals=r.deals.cast("int64"))
        rolled = rolled.filter((rolled.month >= whole_from.date()) & (rolled.month < whole_to.date()))
        rolled = self._filter(rolled, "product", "rep", "team").drop("month")
        lines = self.won_items()
        lines = lines.filter(~((lines.at >= whole_from) & (lines.at < whole_to)))
        lines = lines.group_by(["product", "rep", "team"]).aggregate(
            revenue=lines.revenue.sum(), deals=lines.deal_id.nunique())
        return rolled.union(lines, distinct=False)

    # -- activities and answers ------------------------------------------------------------------
    def activities(self, *, teams: bool = True) -> Any:
        a = self.records.table("activities")
        j, team = self._joined_team(a, teams)
        t = j.select(
            activity_id=a.activity_id, rep=a.rep_id, team=team, activity_type=a.type.lower(),
            at=a.occurred_at, deal_id=a.deal_id,
        )
        t = t.filter(self.in_period(t.at))
        return self._filter(t, "rep", "team", "activity_type")

    def nps_responses(self, *, teams: bool = True) -> Any:
        n = self.records.table("nps_responses")
        j, team = self._joined_team(n, teams)
        t = j.select(response_id=n.response_id, rep=n.rep_id, team=team, score=n.score,
                     at=n.responded_at, account=n.account)
        t = t.filter(self.in_period(t.at))
        return self._filter(t, "rep", "team")

    # -- quotas --------------------------------------------------------------------------------
    def quota_rows(self, *, refuse: bool = True) -> Any:
        """Quotas with ``rep`` (empty for team quotas), ``team`` and their amount in the base currency.

        A quota in a currency without a rate on its start is refused where it overlaps the period
        and the filters let it through: left out, a team's attainment read as its other quotas
        alone (1.0 for 0.24). ``refuse=False`` (ramp time reads other months): its amount is empty
        and ``unrated`` true instead, for the caller to refuse over what it reads."""
        q = self.records.table("quotas")
        r = self.records.table("reps")
        j = q.left_join(r, q.rep_id == r.rep_id)
        t = j.select(
            rep=q.rep_id, team=ibis.coalesce(q.team, r.team), start=q.period_start,
            end=q.period_end, amount_raw=q.amount, currency=q.currency,
        )
        if self.foreign_currencies:
            # On or before its start, and never a rate dated after today (a planning rate).
            day = t.start if self.today is None else ibis.least(t.start, _moment(self.today))
            j2 = self._rate_on(t.mutate(rate_day=day), "rate_day")
            foreign = j2.currency.notnull() & (j2.currency != self.base_currency)
            t = j2.mutate(amount_raw=ibis.ifelse(foreign, j2.amount_raw * j2.rate, j2.amount_raw),
                          unrated=foreign & j2.rate.isnull())
            t = self._filter(t.drop("rate_day", "rate"), "rep", "team")
            if not refuse:
                return t
            # Quota end dates are inclusive.
            inside = (t.start.cast("timestamp") < self.end) & (
                (t.end + ibis.interval(days=1)).cast("timestamp") > self.start)
            missing = t.filter(t.unrated & inside)
            self._refuse(missing.aggregate(n=missing.count(), currency=missing.currency.min(),
                                           day=missing.start.min()), "quotas")
            return t.drop("unrated")
        return self._filter(t, "rep", "team")

    def kept_monthly_quotas(self) -> Any | None:
        """Reps' quotas per calendar month (``rep``, ``month``, ``quota``: pro-rated by days, as
        float; in several currencies in the base currency, with ``unrated``, ``unrated_currency``
        and ``unrated_day`` as :meth:`refuse_unrated` reads them) from the rollup the workspace
        keeps (storage.QUOTA_ROLLUP); None where it cannot answer (stale or absent). In several
        currencies only the quotas that started by the rollup's day: the caller adds those after
        :meth:`quotas_kept_until`, read from the quotas at today's rate."""
        if not self.rollups:
            return None
        several = bool(self.foreign_currencies)
        r = self.records.rollup(QUOTA_ROLLUP)
        if several:
            r = r.filter(~r.late)
        sums = ("quota", "unrated", "unrated_currency", "unrated_day") if several else ("quota",)
        t = r.select("rep_id", "month", *sums)
        if self.filters.get("team"):  # the quota's team, only where a filter reads it
            reps = self.records.table("reps")
            t = r.left_join(reps, r.rep_id == reps.rep_id).select(
                rep_id=r.rep_id, team=ibis.coalesce(r.team, reps.team), month=r.month,
                **{name: r[name] for name in sums})
        t = self._filter(t.rename(rep="rep_id"), "rep", "team")
        if not several:
            return t.group_by(["rep", "month"]).aggregate(quota=t.quota.sum())
        return t.group_by(["rep", "month"]).aggregate(
            quota=t.quota.sum(), unrated=t.unrated.sum(), unrated_currency=t.unrated_currency.min(),
            unrated_day=t.unrated_day.min())

    def quotas_kept_until(self) -> Any:
        """The last start of a quota :meth:`kept_monthly_quotas` holds in several currencies."""
        r = self.records.rollup(QUOTA_ROLLUP)
        return ibis.coalesce(r.built_on.max(), ibis.date(1, 1, 1)).as_scalar()


def buckets(period: Period, grain: str, fiscal_year_start: int) -> list[tuple[date, date]]:
    """The [start, end) buckets of ``grain`` that cover ``period`` (the first and last may stick out)."""
    if grain == "day":
        return [(period.start + timedelta(days=i), period.start + timedelta(days=i + 1))
                for i in range(period.days)]
    if grain == "week":
        cur = period.start - timedelta(days=period.start.weekday())
        months = 0
    elif grain == "month":
        cur, months = date(period.start.year, period.start.month, 1), 1
    else:
        y, q = fiscal_quarter_of(period.start, fiscal_year_start)
        cur, months = fiscal_quarter_start(y, q, fiscal_year_start), 3
    out: list[tuple[date, date]] = []
    while cur < period.end:
        nxt = add_months(cur, months) if months else cur + timedelta(days=7)
        out.append((cur, nxt))
        cur = nxt
    return out


def clip(bucket: tuple[date, date], period: Period) -> tuple[date, date]:
    return max(bucket[0], period.start), min(bucket[1], period.end)


def _by_month(won: Any, *, unrated: bool = False) -> Any:
    month = won.closed_at.truncate("M").date()
    t = won.mutate(month=month)
    if not unrated:
        return t.group_by(["rep", "month"]).aggregate(revenue=lambda t: t.amount.sum().cast(WIDE))
    missing = t.rate.isnull()
    return t.group_by(["rep", "month"]).aggregate(
        revenue=t.amount.sum().cast(WIDE), unrated=t.count(where=missing),
        unrated_currency=t.currency.min(where=missing), unrated_day=t.closed_at.min(where=missing))


def _moment(value: date) -> Any:
    """A day or moment other than the period's bounds (today, Query.rated_at) as SQL: written from
    its text, so that a kept SQL (kpis/compiled.py) never takes it for a period bound of the same
    day where it finds the parameters by their literals."""
    return ibis.literal(value.isoformat()).cast("timestamp" if isinstance(value, datetime) else "date")
