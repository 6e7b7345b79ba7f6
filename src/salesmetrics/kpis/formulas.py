"""The formulas of the KPIs as Ibis expressions over a :class:`Query`.

Each function returns an Ibis table: one column per grouping dimension, plus the inputs its KPI's
``finalize`` turns into a figure. Nothing here executes a query; the report runs them on any backend.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ..periods import add_months
from ..runtime import lazy_module
from .model import Outcome
from .query import Query, buckets, clip

if TYPE_CHECKING:
    import ibis
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")

CENT = Decimal("0.01")


# -- revenue -----------------------------------------------------------------------------------
def revenue(q: Query) -> Any:
    """Won revenue in the period. Per product it comes from the deals' items (price x quantity)."""
    if "product" in q.by or "product" in q.filters:
        kept = q.product_revenue()
        if kept is not None:
            return q.aggregate(kept, value=lambda t: t.revenue.sum(),
                               n=lambda t: t.deals.sum().cast("int64"))
        t = q.won_items()
        return q.aggregate(t, value=lambda t: t.revenue.sum(), n=lambda t: t.deal_id.nunique())
    return q.aggregate(q.won(teams=False), value=lambda t: t.amount.sum(), n=lambda t: t.count())


# Each hook below reads one row's aggregates and hands them to an element function, (value, flags)
# of one group; kpis/batch.py calls the same element functions over a whole result, so a figure has
# one definition either way.
Figure = tuple[Any, tuple[str, ...]]
NO_DATA: tuple[str, ...] = ("no_data",)
NO_QUOTA: tuple[str, ...] = ("no_quota",)
PRORATED: tuple[str, ...] = ("quota_prorated",)
UNQUOTED: tuple[str, ...] = ("unquoted_revenue",)


def money_sum(row: dict[str, Any]) -> Outcome:
    value, flags = cents(row.get("value"))
    return Outcome(value, int(row.get("n") or 0), flags)


def cents(value: Any) -> Figure:
    return Decimal(0 if value is None else value).quantize(CENT, ROUND_HALF_UP), ()


def average_deal_size(q: Query) -> Any:
    # The sum of squares (as float: it only feeds the interval) gives the t interval's spread.
    return q.aggregate(q.won(teams=False), total=lambda t: t.amount.sum(), n=lambda t: t.count(),
                       sum_squares=lambda t: (t.amount.cast("float64") ** 2).sum())


def money_mean(row: dict[str, Any]) -> Outcome:
    n = int(row.get("n") or 0)
    value, flags = money_mean_of(row.get("total"), n)
    return Outcome(value, n, flags)


def money_mean_of(total: Any, n: int) -> Figure:
    if not n:
        return None, NO_DATA
    return (Decimal(total) / n).quantize(CENT, ROUND_HALF_UP), ()


# -- productivity ------------------------------------------------------------------------------
def sales_cycle_length(q: Query) -> Any:
    """Calendar days from creation to win, over deals won in the period."""
    won = q.won(amounts=False, teams=False)
    won = won.mutate(days=won.closed_at.date().delta(won.created_at.date(), unit="day"))
    return q.aggregate(won, total=lambda t: t.days.sum(), n=lambda t: t.count(),
                       sum_squares=lambda t: (t.days.cast("float64") ** 2).sum())


def mean_days(row: dict[str, Any]) -> Outcome:
    n = int(row.get("n") or 0)
    value, flags = mean_days_of(row.get("total"), n)
    return Outcome(value, n, flags)


def mean_days_of(total: Any, n: int) -> Figure:
    if not n:
        return None, NO_DATA
    return round(float(total) / n, 4), ()


def win_rate(q: Query) -> Any:
    """Closed reading: won / (won + lost) among deals closed in the period."""
    closed = q.closed(amounts=False, teams=False)
    return q.aggregate(
        closed, hits=lambda t: (t.status == "won").cast("int64").sum(), n=lambda t: t.count()
    )


def pipeline_win_rate(q: Query) -> Any:
    """The seed's literal reading: won in the period / opportunities open at any time in the period."""
    return q.aggregate(
        q.open_during(amounts=False, teams=False), hits=lambda t: t.won_now.cast("int64").sum(),
        n=lambda t: t.count(),
    )


def lost_deals(q: Query) -> Any:
    """Deals lost in the period (grouped by lost_reason: the KPI is always by it)."""
    return q.aggregate(q.lost(amounts=False, teams=False), value=lambda t: t.count(), n=lambda t: t.count())


def lost_value(q: Query) -> Any:
    """The amounts of the deals lost in the period, in the base currency."""
    return q.aggregate(q.lost(teams=False), value=lambda t: t.amount.sum(), n=lambda t: t.count())


def share(row: dict[str, Any]) -> Outcome:
    n = int(row.get("n") or 0)
    value, flags = share_of(row.get("hits"), n)
    return Outcome(value, n, flags)


def share_of(hits: Any, n: int) -> Figure:
    if not n:
        return None, NO_DATA
    return round(int(hits) / n, 6), ()


# -- team performance --------------------------------------------------------------------------
def _spans(q: Query) -> Any:
    """The stretches of time quotas are measured over: the period, or each time bucket in it."""
    grains = q.time_by
    if not grains:
        rows = [{"span_start": q.period.start, "span_end": q.period.end}]
    else:
        grain = grains[0]
        rows = []
        for bucket in buckets(q.period, grain, q.fiscal_year_start):
            s, e = clip(bucket, q.period)
            rows.append({"span_start": s, "span_end": e, grain: bucket[0]})
    schema = {"span_start": "date", "span_end": "date", **{g: "date" for g in grains[:1]}}
    return ibis.memtable(rows, schema=schema)


def prorated_quotas(quotas: Any, spans: Any) -> Any:
    """Each quota's share of each span, pro-rated by days (quota end dates are inclusive)."""
    return _shares(quotas.cross_join(spans))


def _shares(j: Any) -> Any:
    """Quotas' shares of the span each row carries (``span_start``, ``span_end``)."""
    q_end = j.end + ibis.interval(days=1)
    overlap_start = ibis.greatest(j.start, j.span_start)
    overlap_end = ibis.least(q_end, j.span_end)
    days = overlap_end.delta(overlap_start, unit="day")
    total = q_end.delta(j.start, unit="day")
    j = j.mutate(days=days, total_days=total).filter(lambda t: t.days > 0)
    return j.mutate(
        share=(j.amount_raw * j.days / j.total_days),
        partial=(j.days < j.total_days).cast("int64"),
    )


def quota_attainment(q: Query) -> Any:
    """Won revenue / quota. A quota that the period cuts is pro-rated by days. A team's quota is its
    own on the days it has one, else the sum of its reps' quotas; the company's is the sum over
    teams. Revenue won on a day no quota measures (a rep's, or their team's) is counted, and
    flagged (unquoted_revenue): never silently set against a quota of other days."""
    grains = list(q.time_by[:1])
    # A quota of 0 measures nothing: a rep's own figure reads "no quota", a team's own does not
    # stand in for its reps' quotas, and the revenue it was set against is unquoted_revenue.
    quotas = q.quota_rows()
    quotas = quotas.filter(quotas.amount_raw > 0)
    if grains:
        pro = prorated_quotas(quotas, _spans(q))
    else:  # the period's bounds as literals, not a table, so the SQL is the same for every period
        pro = _shares(quotas.mutate(span_start=ibis.literal(q.period.start),
                                    span_end=ibis.literal(q.period.end)))
    pro = pro.mutate(team=pro.team.fill_null(""))
    if "rep" in q.by:
        keys = [d for d in q.by if d in ("rep", "team")] + grains
        quota = pro.filter(pro.rep.notnull()).group_by(keys).aggregate(
            quota=lambda t: t.share.sum(), partial=lambda t: t.partial.max()
        )
    else:
        team_keys = ["team", *grains]
        reps_q = _beside_team_quotas(pro, quotas, grains).group_by(team_keys).aggregate(
            rep_quota=lambda t: t.share.sum(), rep_partial=lambda t: t.partial.max()
        )
        team_q = pro.filter(pro.rep.isnull()).group_by(team_keys).aggregate(
            team_quota=lambda t: t.share.sum(), team_partial=lambda t: t.partial.max()
        )
        both = reps_q.outer_join(team_q, team_keys)
        both = both.select(
            **{k: ibis.coalesce(both[k], both[f"{k}_right"]) for k in team_keys},
            # Each day's quota is the team's own or its reps', never both (_beside_team_quotas).
            quota=ibis.ifelse(both.team_quota.isnull() & both.rep_quota.isnull(), ibis.null(),
                              both.team_quota.fill_null(0) + both.rep_quota.fill_null(0)),
            partial=ibis.greatest(both.team_partial.fill_null(0), both.rep_partial.fill_null(0)),
        )
        keys = (["team"] if "team" in q.by else []) + grains
        quota = both.group_by(keys).aggregate(
            quota=lambda t: t.quota.sum(), partial=lambda t: t.partial.max()
        ) if keys else both.aggregate(quota=both.quota.sum(), partial=both.partial.max())
    won = q.with_buckets(q.won())
    # The quotas the period's deals can fall in: a join with every quota on record was half the time.
    near = quotas.filter((quotas.start < ibis.literal(q.period.end))
                         & (quotas.end >= ibis.literal(q.period.start)))
    won = _with_quota_cover(won.mutate(team=won.team.fill_null("")), near, teams="rep" not in q.by)
    measures: dict[str, Any] = {"revenue": lambda t: t.amount.sum(), "n": lambda t: t.count(),
                                "unquoted": lambda t: t.count(where=~t.covered)}
    rev = won.group_by(keys).aggregate(**measures) if keys else won.aggregate(**measures)
    if not keys:
        return quota.cross_join(rev)
    # Outer: a rep (or team) who sold without a quota is shown as "no quota", not dropped.
    j = quota.outer_join(rev, keys)
    return j.select(
        **{k: ibis.coalesce(j[k], j[f"{k}_right"]) for k in keys},
        quota=j.quota, partial=j.partial, revenue=j.revenue, n=j.n, unquoted=j.unquoted,
    )


def _beside_team_quotas(pro: Any, quotas: Any, grains: list[str]) -> Any:
    """The reps' quota shares, each less the days of its span its team's own quota covers: a team
    measured by its own quota for October and its reps' for the quarter read its October quota
    against the quarter's revenue (270.9 for 243.5)."""
    reps = pro.filter(pro.rep.notnull())
    own = quotas.filter(quotas.rep.isnull())
    own = own.select(t_team=own.team.fill_null(""), t_start=own.start,
                     t_end=own.end + ibis.interval(days=1))
    r_end = reps.end + ibis.interval(days=1)
    j = reps.left_join(own, [reps.team == own.t_team, own.t_start < ibis.least(r_end, reps.span_end),
                             own.t_end > ibis.greatest(reps.start, reps.span_start)])
    first = ibis.greatest(j.start, j.span_start, j.t_start)
    last = ibis.least(j.end + ibis.interval(days=1), j.span_end, j.t_end)
    j = j.mutate(taken=ibis.ifelse(j.t_start.isnull(), 0, last.delta(first, unit="day")))
    row = ["rep", "team", "start", "end", "span_start", *grains]
    left = j.group_by(row).aggregate(
        amount_raw=j.amount_raw.max(), days=j.days.max(), total_days=j.total_days.max(),
        partial=j.partial.max(), taken=j.taken.sum())
    left = left.mutate(days=left.days - left.taken).filter(lambda t: t.days > 0)
    return left.mutate(share=left.amount_raw * left.days / left.total_days,
                       partial=ibis.greatest(left.partial, (left.taken > 0).cast("int64")))


def _with_quota_cover(won: Any, quotas: Any, *, teams: bool) -> Any:
    """The won deals with ``covered``: whether a quota's days hold the day it was won (their rep's
    own, or with ``teams`` their team's). By day, not by time bucket: a quota for October alone
    measured the revenue of the whole quarter."""
    day = won.closed_at.date()
    reps = quotas.filter(quotas.rep.notnull())
    reps = reps.select(q_rep=reps.rep, q_start=reps.start, q_end=reps.end)
    ids = won.join(reps, [won.rep == reps.q_rep, reps.q_start <= day, reps.q_end >= day]).select("deal_id")
    if teams:
        own = quotas.filter(quotas.rep.isnull())
        own = own.select(q_team=own.team.fill_null(""), q_start=own.start, q_end=own.end)
        ids = ids.union(won.join(own, [won.team == own.q_team, own.q_start <= day, own.q_end >= day])
                        .select("deal_id"))
    return won.mutate(covered=won.deal_id.isin(ids.deal_id))


def attainment(row: dict[str, Any]) -> Outcome:
    value, flags = attained(row.get("quota"), row.get("revenue"), row.get("partial"), row.get("unquoted"))
    return Outcome(value, int(row.get("n") or 0), flags)


def attained(quota: Any, revenue: Any, partial: Any, unquoted: Any = None) -> Figure:
    if quota is None or Decimal(quota) == 0:
        return None, NO_QUOTA
    flags = (PRORATED if partial else ()) + (UNQUOTED if unquoted else ())
    exact = Decimal(revenue or 0) / Decimal(quota)
    value = round(float(exact), 6)
    # Never rounded up to the quota: a rep 1 cent short of 100,000 read 1.0 and was judged as having
    # reached it (a target of 100 % is met at 1.0).
    return (0.999999 if value >= 1 > exact else value), flags


def activity_count(q: Query) -> Any:
    return q.aggregate(q.activities(teams=False), value=lambda t: t.count(), n=lambda t: t.count())


def count(row: dict[str, Any]) -> Outcome:
    value, flags = counted(row.get("value"))
    return Outcome(value, int(row.get("n") or 0), flags)


def counted(value: Any) -> Figure:
    return int(value or 0), ()


def nps(q: Query) -> Any:
    """Promoters (9-10) minus detractors (0-6), as shares of all answers; passives count in the base."""
    return q.aggregate(
        q.nps_responses(teams=False),
        promoters=lambda t: (t.score >= 9).cast("int64").sum(),
        detractors=lambda t: (t.score <= 6).cast("int64").sum(),
        n=lambda t: t.count(),
    )


def net_promoter(row: dict[str, Any]) -> Outcome:
    n = int(row.get("n") or 0)
    value, flags = nps_of(row.get("promoters"), row.get("detractors"), n)
    return Outcome(value, n, flags)


def nps_of(promoters: Any, detractors: Any, n: int) -> Figure:
    if not n:
        return None, NO_DATA
    return round((int(promoters) - int(detractors)) * 100 / n, 4), ()


# -- ramp --------------------------------------------------------------------------------------
# A quota's share of a month is a float division (1234.56 x 30 / 30 = 1234.5600000000002), so the
# bar is lowered by this relative amount, far below a cent: a rep exactly at target must not miss it.
RAMP_SLACK = 1e-12


def month_spans(first: date, end: date) -> list[dict[str, date]]:
    """The calendar months from the one ``first`` falls in up to ``end`` (exclusive), as rows of
    ``span_start``, ``span_end`` and ``month``: what quotas are pro-rated over month by month."""
    out = []
    cur = date(first.year, first.month, 1)
    while cur < end:
        nxt = add_months(cur, 1)
        out.append({"span_start": cur, "span_end": nxt, "month": cur})
        cur = nxt
    return out


def ramp_time(q: Query) -> Any:
    """Days from hire to the end of the month a rep became productive at the ramp rule's target.

    Productive means sustained (``ramp_sustain``, K of N): the rep is ramped at the first month that
    completes K months at the threshold within N consecutive months, and the ramp month, which the
    days run to, is the first of those K. One lucky month is not a ramp. Only reps hired on or after
    the first deal on record are measured (earlier history is unknown). Rows: reps whose ramp was
    confirmed in the period, and reps still ramping at its end.
    """
    # The first deal on record and the revenue rule's bar are the workspace's, whoever asks: a rep
    # sees their own deals only, and is always hired before the first of them.
    whole = replace(q, filters={}, records=q.records.everyone())
    deals_all = whole.records.table("deals")
    first_record = deals_all.created_at.min().date()
    reps = q.reps()
    reps = reps.filter(reps.hired_on.notnull() & (reps.hired_on >= first_record)
                       & (reps.hired_on < q.period.end))
    # The months a rep is measured over: from the month of their hire (ten years at most, which
    # keeps the query the same text for every period) to the period's end.
    end = ibis.literal(q.period.end)
    since = ibis.greatest(reps.hired_on.truncate("M"), end.truncate("M") - ibis.interval(months=120))
    measured = reps.select("rep", since=since)

    def within(t: Any) -> Any:
        t = t.join(measured, "rep")
        return t.filter((t.month >= t.since) & (t.month < end)).drop("since")

    # The revenue rule's bar: median monthly revenue of reps past 12 months of tenure, over every
    # rep: a filter (or a viewer) narrows whom the figure is about, not the bar they are measured
    # against.
    all_reps = whole.records.table("reps")
    vet = whole.monthly_won()
    vet = vet.join(all_reps, vet.rep == all_reps.rep_id)
    # Complete months only: a month the period's end (or the day it is read as of) cuts short read
    # as a veteran's poor month and lowered the bar (the ramp view read it so, this did not).
    stop = q.as_of + timedelta(days=1) if q.as_of and q.as_of < q.period.end else q.period.end
    complete = vet.month + ibis.interval(months=1) <= ibis.literal(stop)
    vet = vet.filter(vet.hired_on.notnull() & (vet.month >= vet.hired_on + ibis.interval(months=12))
                     & complete)
    # As float: DuckDB's median of decimals keeps their two places, and 1000.005 is not 1000.00.
    middle = vet.revenue.cast("float64").median()
    # A bar of 0 or less (the veterans' middle month a won deal of 0.00) is no bar: any month with
    # revenue would be at it, as with a quota of 0. Made in one aggregate, so one subquery.
    bar = vet.aggregate(bar=ibis.ifelse(middle > 0, middle, ibis.null("float64"))).bar.as_scalar()

    # Only a month with revenue can be at target (the threshold is above 0, settings.py), so the
    # months without any are never read: a grid of every rep's every month, searched with windows,
    # took 60 ms a period at 1M deals, most of a dashboard's tiles.
    won = within(q.monthly_won())
    # Money it cannot convert is refused where it is read, not read as a quiet month: the measured
    # reps' months, their quotas, and the veterans' months where the bar is read.
    bar_read = q.ramp_rule != "quota"
    if q.foreign_currencies:
        q.refuse_unrated(won, "deals")
    if q.ramp_rule == "quota":
        monthly_quota = q.kept_monthly_quotas()
        if monthly_quota is None:
            monthly_quota = _monthly_quotas(q)
        elif q.foreign_currencies:  # and the quotas started since the rollup was made
            later = _monthly_quotas(q, after=q.quotas_kept_until())
            both = monthly_quota.union(later, distinct=False)
            monthly_quota = both.group_by(["rep", "month"]).aggregate(
                quota=both.quota.sum(), unrated=both.unrated.sum(),
                unrated_currency=both.unrated_currency.min(), unrated_day=both.unrated_day.min())
        if q.foreign_currencies:
            q.refuse_unrated(within(monthly_quota), "quotas")
        # The quota rule applies to a rep with a quota in any month measured.
        quoted = within(monthly_quota.filter(monthly_quota.quota.notnull()))
        quoted = quoted.select("rep").distinct().mutate(any_quota=ibis.literal(True))
        # The bar weighs the reps without one. Asked in the check's SQL, not here: a query built
        # on what the data holds could not be kept as one text (kpis/compiled.py).
        if q.foreign_currencies:
            unquoted = measured.anti_join(quoted, "rep").count().as_scalar()
            q.refuse_unrated(vet.filter(unquoted > 0), "deals")
        won = won.drop("unrated", "unrated_currency", "unrated_day") if q.foreign_currencies else won
        won = won.left_join(monthly_quota, ["rep", "month"]).drop("rep_right", "month_right")
        won = won.left_join(quoted, "rep").drop("rep_right")
    if bar_read and q.foreign_currencies:
        q.refuse_unrated(vet, "deals")
    # Comparisons against a threshold only; the money itself is never summed as float.
    threshold = q.ramp_threshold * (1 - RAMP_SLACK)
    revenue = won.revenue.cast("float64")
    # Without a bar (no veteran, or none above 0), the comparison is null and the hit false
    # (fill_null below); the bar is named once, so its subquery runs once.
    hit = (revenue > 0) & (revenue >= bar * threshold)
    if q.ramp_rule == "quota":
        quota = won.quota.cast("float64")
        # revenue > 0 as well: a quota times a tiny threshold can round to 0 (the setting takes
        # any number above 0), and a month of no revenue is never at target.
        at_quota = (quota > 0) & (revenue > 0) & (revenue >= quota * threshold)
        hit = ibis.ifelse(won.any_quota.notnull(), at_quota, hit)
    hits = won.filter(hit.fill_null(False)).select("rep", "month")
    # The first month whose last N months hold K hits confirms the ramp; the earliest hit among
    # those N is the ramp month (no earlier run of K in N exists, or it would have confirmed
    # sooner). That month is itself a hit (else the month before would have confirmed), so the
    # hits alone are searched, N months back by a month's number, not N rows back.
    k, n = q.ramp_sustain
    hits = hits.mutate(number=hits.month.year() * 12 + hits.month.month())
    last_n = ibis.range_window(group_by="rep", order_by="number", preceding=n - 1, following=0)
    hits = hits.mutate(hits=hits.month.count().over(last_n), first_hit=hits.month.min().over(last_n))
    done = hits.filter(hits.hits >= k)
    ramp_months = done.group_by("rep").aggregate(productive_month=lambda t: t.first_hit.min(),
                                                 confirmed_month=lambda t: t.month.min())

    per_rep = reps.left_join(ramp_months, "rep").drop("rep_right")
    month_end = per_rep.productive_month + ibis.interval(months=1) - ibis.interval(days=1)
    confirmed_end = per_rep.confirmed_month + ibis.interval(months=1) - ibis.interval(days=1)
    ramped = per_rep.confirmed_month.notnull() & (per_rep.confirmed_month < q.period.end)
    per_rep = per_rep.mutate(
        ramped=ramped,
        # Counted in the period its ramp became known in: the month that completed the run.
        ramped_now=ramped & (confirmed_end >= q.period.start),
        days=ibis.ifelse(
            ramped,
            month_end.delta(per_rep.hired_on, unit="day"),
            # To the last day measured, as a ramp's days are to its month's last day: the day after
            # it read 17 days "so far" beside 16 for a ramp on that same day. (The day before
            # ``stop`` in SQL: ``stop`` is a kept query's parameter, its day before would not be.)
            (ibis.literal(stop) - ibis.interval(days=1)).delta(per_rep.hired_on, unit="day"),
        ),
        at=ibis.literal(q.period.start_at),
    )
    relevant = per_rep.filter(per_rep.ramped_now | ~per_rep.ramped)
    return q.aggregate(
        relevant,
        ramped_days=lambda t: t.days.sum(where=t.ramped),
        ramped_squares=lambda t: (t.days.cast("float64") ** 2).sum(where=t.ramped),
        n=lambda t: t.ramped.cast("int64").sum(),
        ramping=lambda t: (~t.ramped).cast("int64").sum(),
        ramping_days=lambda t: t.days.max(where=~t.ramped),
    )


def _monthly_quotas(q: Query, after: Any = None) -> Any:
    """Reps' quotas per calendar month, pro-rated by days (what storage.QUOTA_ROLLUP keeps); those
    that start ``after`` a day only, where given."""
    # Other currencies: a quota without a rate is kept, ``unrated``, for ramp time to refuse where
    # it reads it (Query.refuse_unrated).
    quotas = q.quota_rows(refuse=False)
    owed = quotas.filter(quotas.rep.notnull())
    if after is not None:
        owed = owed.filter(owed.start > after)
    # Each quota with the months its days fall in: joining every quota with every month of its rep
    # instead made 36x the rows at 1M deals (1.3M pairs, most sharing no day) and half the query's
    # time. Months a rep is not measured over drop out where ramp_time joins the quotas with them.
    months = ibis.range(owed.start.truncate("M").cast("timestamp"),
                        (owed.end + ibis.interval(days=1)).cast("timestamp"), ibis.interval(months=1))
    # Unnested on its own, then made a date: Spark allows no generator inside another expression.
    owed = owed.mutate(span_at=months.unnest())
    owed = owed.mutate(span_start=owed.span_at.date()).drop("span_at")
    pro = _shares(owed.mutate(span_end=owed.span_start + ibis.interval(months=1)))
    grouped = pro.group_by(["rep", pro.span_start.name("month")])
    if not q.foreign_currencies:
        return grouped.aggregate(quota=lambda t: t.share.sum())
    return grouped.aggregate(quota=pro.share.sum(), unrated=pro.count(where=pro.unrated),
                             unrated_currency=pro.currency.min(where=pro.unrated),
                             unrated_day=pro.start.min(where=pro.unrated))


def ramp(row: dict[str, Any]) -> Outcome:
    """The mean days of the reps whose ramp was confirmed; with none, no value (never the days so far
    of a rep still ramping, which would read as a ramp time): those go in ``days_so_far``, the
    longest time so far among the reps still ramping."""
    n = int(row.get("n") or 0)
    ramping = int(row.get("ramping") or 0)
    so_far = row.get("ramping_days")
    extra = {"days_so_far": int(so_far) if ramping and so_far is not None else None}
    if n:
        flags = (f"{ramping}_still_ramping",) if ramping else ()
        return Outcome(round(float(row["ramped_days"]) / n, 4), n, flags, extra)
    if ramping:
        return Outcome(None, 0, ("still_ramping",), extra)
    return Outcome(None, 0, ("no_data",), extra)
