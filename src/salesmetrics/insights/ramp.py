"""Ramp time as cohort curves: how new hires come up to speed, month by month of tenure.

Reps are grouped by hire month (the cohort). For each month of tenure (month 1 is the hire month) a
rep's attainment is their won revenue in that calendar month against the ramp rule's target (the
``ramp_rule`` and ``ramp_threshold`` settings, as ``ramp_time`` uses them): their quota for the month,
or without quotas the median monthly revenue of reps past 12 months of tenure. One lucky month is not a
ramp: a rep is ramped once ``ramp_sustain`` (K/N, default 2/3) holds, K months at ``ramp_threshold`` of
target within N consecutive months, and the month of tenure they ramped in is the first of those K
(:func:`ramp_month`).

Only complete months count, and only reps hired on or after the first deal on record (earlier history
is unknown). The team's time to ramp is a Kaplan-Meier estimate over reps: a rep still ramping counts
as "not yet after N months", not as never, so recent hires do not make the team look faster or
slower than it is. It is set against the RAIN Group benchmark: about 9 months to competency and 15 to
top performance.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import stats
from ..access import PRIVATE_MIN
from ..kpis.formulas import RAMP_SLACK, month_spans, prorated_quotas
from ..kpis.model import Text
from ..kpis.scope import query_maker
from ..periods import Period, add_months
from ..runtime import lazy_module
from ..text.insights import rule_text

if TYPE_CHECKING:
    import ibis

    from ..access import Viewer
    from ..kpis.query import Query
    from ..store import Store
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")

BENCHMARK_COMPETENT = 9  # months, RAIN Group
BENCHMARK_TOP = 15

# Why there is nothing to measure (RampCohorts.missing): no deals on record, no rep with a hire date,
# or every hire date before the first deal (the first months of those reps are not in the records).
MISSING = ("no_deals", "no_deals_yet", "no_hire_dates", "none_hired_yet", "hired_before_records")


def ramp_month(hits: Sequence[bool], k: int, n: int) -> int | None:
    """The month (1 = the first in ``hits``) a rep ramped in: the first month at the threshold that
    starts a run of ``n`` consecutive months holding at least ``k`` at it. Months not observed yet
    count as not at it, so the ramp is known once its K-th month is over (or at target already, while
    it runs). None: not ramped (yet)."""
    for start, hit in enumerate(hits):
        if hit and sum(hits[start:start + n]) >= k:
            return start + 1
    return None


@dataclass(frozen=True)
class CurvePoint:
    month: int  # month of tenure, 1 = hire month
    reps: int  # reps observed that long
    attainment_mean: float | None
    attainment_median: float | None
    ramped_share: float  # of the reps observed that long, ramped by this month

    def as_json(self) -> dict[str, Any]:
        return {"month": self.month, "reps": self.reps, "attainment_mean": self.attainment_mean,
                "attainment_median": self.attainment_median, "ramped_share": self.ramped_share}


@dataclass(frozen=True)
class Cohort:
    hire_month: str
    reps: list[str]
    ramped: int
    months_to_ramp: dict[str, int | None]  # rep -> month of tenure ramped in (None: not yet)
    curve: list[CurvePoint]

    @property
    def ramped_share(self) -> float:
        return round(self.ramped / len(self.reps), 4) if self.reps else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"hire_month": self.hire_month, "reps": self.reps, "ramped": self.ramped,
                "ramped_share": self.ramped_share, "months_to_ramp": self.months_to_ramp,
                "curve": [p.as_json() for p in self.curve]}


@dataclass(frozen=True)
class RampCohorts:
    as_of: date
    rule: str
    threshold: float
    cohorts: list[Cohort]
    median_months: float | None  # Kaplan-Meier over reps, still ramping censored
    median_ci: tuple[float | None, float | None]
    ramped_by_competent: float | None  # share ramped by month 9 (Kaplan-Meier)
    ramped_by_top: float | None  # by month 15
    reps: int
    sustain: tuple[int, int]  # K of N consecutive months at the threshold
    rule_text: Text  # the rule in words (rule_text)
    reps_with_hire_date: int
    first_record: date | None  # the first deal's creation day: measured reps are hired after
    missing: str | None  # why no rep is measured (MISSING), None when some are
    hired_later: int = 0  # reps whose hire month had not begun (or ended) by the as-of day

    def as_json(self) -> dict[str, Any]:
        k, n = self.sustain
        return {"as_of": self.as_of, "rule": self.rule, "threshold": self.threshold,
                "sustain": f"{k}/{n}", "rule_text": self.rule_text.en, "rule_text_de": self.rule_text.de,
                "reps_with_hire_date": self.reps_with_hire_date, "first_record": self.first_record,
                "missing": self.missing, "hired_later": self.hired_later,
                "cohorts": [c.as_json() for c in self.cohorts], "reps": self.reps,
                "median_months": self.median_months, "median_ci_low": self.median_ci[0],
                "median_ci_high": self.median_ci[1],
                "ramped_by_month_9": self.ramped_by_competent, "ramped_by_month_15": self.ramped_by_top,
                "benchmark": {"competent_months": BENCHMARK_COMPETENT, "top_months": BENCHMARK_TOP,
                              "source": "RAIN Group"}}


def build_ramp_cohorts(store: Store, *, as_of: date | None = None,
                       viewer: Viewer | None = None) -> RampCohorts:
    today = as_of or store.today()
    month_now = date(today.year, today.month, 1)
    # Complete months only in the curves: the current month counts once it is over, or, as ramp
    # time counts it, where its revenue so far reaches the month's whole target already (a hit
    # that the rest of the month cannot undo: ramp said "not ramped" where the report said
    # ramped, as of the same day).
    end = add_months(month_now, 1) if today + timedelta(days=1) >= add_months(month_now, 1) else month_now
    running = month_now if end == month_now else None
    span = Period(add_months(end, -120), add_months(end, 1) if running else end, "ramp")
    q = query_maker(store, span, {}, as_of=as_of, viewer=viewer)(())
    settings = store.settings

    # The first deal on record and the revenue rule's bar are the workspace's, whoever asks (as
    # ramp_time reads them): the rest is the viewer's reps.
    whole = q if q.records.viewer.sees_everything else replace(q, records=q.records.everyone())
    all_deals = whole.records.table("deals")
    by_then = all_deals.filter(all_deals.created_at < datetime.combine(today + timedelta(days=1), time()))
    first, first_then = _first_created(all_deals), _first_created(by_then)
    reps = q.reps().to_pyarrow().to_pylist()
    hires = {r["rep"]: r["hired_on"] for r in reps if r["hired_on"] is not None}
    first_day = first.date() if first is not None else None
    measured = {k: v for k, v in hires.items()
                if first_day is not None and v >= first_day and date(v.year, v.month, 1) < end}
    # Why nobody is measured, as it stood on the day: no deal yet, no hire date, nobody hired since
    # the records began had started, or everyone was hired before them.
    later = [v for v in hires.values() if date(v.year, v.month, 1) >= end]
    missing = (None if measured else "no_deals" if first_day is None else
               "no_deals_yet" if first_then is None else
               "no_hire_dates" if not hires else
               "none_hired_yet" if any(v >= first_day for v in later) else "hired_before_records")

    # As ramp_time reads them: revenue per rep and month, and with other currencies each month's
    # money without a rate, refused below only where it is read (not any since the records began).
    monthly = whole.monthly_won().to_pyarrow().to_pylist()
    if running is not None:
        # The running month is read for its hit alone: never for the revenue rule's bar (a few
        # days pulled the veterans' median down, and every complete month's shares with it: the
        # review), never refused for money no rate converts yet (a hit then is not counted).
        now = [r for r in monthly if r["month"] >= end and not r.get("unrated")]
        monthly = [r for r in monthly if r["month"] < end]
    veterans = hires if whole is q else {
        r["rep"]: r["hired_on"] for r in whole.reps().to_pyarrow().to_pylist() if r["hired_on"] is not None}
    # A month of money without any rate sums to nothing: refused where it is read, else unread.
    revenue = {(r["rep"], r["month"]): Decimal(r["revenue"]) for r in monthly if r["revenue"] is not None}
    so_far = ({(r["rep"], r["month"]): Decimal(r["revenue"]) for r in now if r["revenue"] is not None}
              if running is not None else {})
    months = ibis.memtable(month_spans(span.start, span.end),
                           schema={"span_start": "date", "span_end": "date", "month": "date"})
    quotas = q.quota_rows(refuse=False)
    pro = prorated_quotas(quotas.filter(quotas.rep.notnull()), months)
    # A quota without a rate has no share: counted per month, refused below where it is read.
    no_share = pro.share.isnull()
    shares = pro.group_by(["rep", "month"]).aggregate(
        quota=pro.share.sum(), unrated=pro.count(where=no_share),
        currency=pro.currency.min(where=no_share), day=pro.start.min(where=no_share)).to_pyarrow().to_pylist()
    quota = {(r["rep"], r["month"]): Decimal(r["quota"]) for r in shares if r["quota"] is not None}
    shares = [r for r in shares if r["month"] < end]  # the running month's: for its hit alone
    # As ramp_time: the quota rule applies to a rep with a quota in some month since their hire.
    with_quota = {r["rep"] for r in shares
                  if r["rep"] in hires and r["month"] >= date(hires[r["rep"]].year, hires[r["rep"]].month, 1)}
    if q.foreign_currencies:
        _refuse_read(q, monthly, shares, hires, veterans, measured, with_quota, settings.ramp_rule)

    # The revenue rule's bar: median monthly revenue of reps past 12 months of tenure, all of them.
    veteran = {(rep, m): v for (rep, m), v in revenue.items()
               if rep in veterans and m >= _year_after(veterans[rep])}
    bar = statistics.median(veteran.values()) if veteran else None
    # A share of a bar that rests on fewer veterans than PRIVATE_MIN, times the rep's own revenue,
    # gives one of them away to one who may not see them: such shares are not shown (whether a
    # month is at the bar still counts, as ramp_time counts it).
    hidden = whole is not q and len({rep for rep, _ in veteran}) < PRIVATE_MIN
    threshold = Decimal(str(settings.ramp_threshold)) * (1 - Decimal(str(RAMP_SLACK)))
    need, window = settings.ramp_sustain

    per_rep: dict[str, list[float | None]] = {}
    ramped_at: dict[str, int | None] = {}
    for rep, hired in measured.items():
        cur = date(hired.year, hired.month, 1)
        series: list[float | None] = []
        hits: list[bool] = []
        use_quota = settings.ramp_rule == "quota" and rep in with_quota
        while cur < span.end:
            got = (so_far if cur == running else revenue).get((rep, cur), Decimal(0))
            target = quota.get((rep, cur)) if use_quota else bar
            hit = bool(target and got > 0 and got >= target * threshold)
            if cur == running:
                if hit:  # a miss so far is no miss yet: months not observed count as not at it
                    hits.append(True)
                break
            share = float(got / target) if target and (use_quota or not hidden) else None
            series.append(None if share is None else round(share, 4))
            hits.append(hit)
            cur = add_months(cur, 1)
        per_rep[rep] = series
        ramped_at[rep] = ramp_month(hits, need, window)

    cohorts: dict[str, list[str]] = {}
    for rep, hired in sorted(measured.items(), key=lambda kv: (kv[1], kv[0])):
        cohorts.setdefault(f"{hired.year}-{hired.month:02d}", []).append(rep)
    out = []
    for label, members in cohorts.items():
        longest = max(len(per_rep[r]) for r in members)
        curve = []
        for k in range(1, longest + 1):
            seen = [r for r in members if len(per_rep[r]) >= k]
            values = [v for r in seen if (v := per_rep[r][k - 1]) is not None]
            done = sum(1 for r in seen if (at := ramped_at[r]) is not None and at <= k)
            curve.append(CurvePoint(k, len(seen), round(statistics.mean(values), 4) if values else None,
                                    round(statistics.median(values), 4) if values else None,
                                    round(done / len(seen), 4)))
        out.append(Cohort(label, members, sum(1 for r in members if ramped_at[r] is not None),
                          {r: ramped_at[r] for r in members}, curve))

    durations = [float(len(per_rep[r]) if (at := ramped_at[r]) is None else at) for r in measured]
    events = [ramped_at[r] is not None for r in measured]
    km = stats.kaplan_meier(durations, events) if durations else None
    return RampCohorts(
        today, settings.ramp_rule, settings.ramp_threshold, out,
        km.median if km else None, km.median_interval() if km else (None, None),
        round(1 - km.at(BENCHMARK_COMPETENT), 4) if km else None,
        round(1 - km.at(BENCHMARK_TOP), 4) if km else None, len(measured),
        settings.ramp_sustain, rule_text(settings), len(hires), first_day, missing,
        len(later),
    )


def _refuse_read(q: Query, monthly: list[dict[str, Any]], shares: list[dict[str, Any]],
                 hires: dict[str, date], veterans: dict[str, date], measured: dict[str, date],
                 with_quota: set[str], rule: str) -> None:
    """Refuse money without a rate in the months the cohorts read, as they read them: the measured
    reps' months since their hire and, under the quota rule, their quotas' shares of those months;
    and the veterans' months, whose median is the bar of the revenue rule and of a measured rep
    without a quota (``with_quota``, as the cohorts decide it)."""
    bar_read = rule != "quota" or bool(set(measured) - with_quota)

    def read(rep: str, month: date, bar: bool) -> bool:
        hired, vet = hires.get(rep), veterans.get(rep)
        return ((hired is not None and rep in measured and month >= date(hired.year, hired.month, 1))
                or (bar and vet is not None and month >= _year_after(vet)))

    deals = [r for r in monthly if r.get("unrated") and read(r["rep"], r["month"], bar_read)]
    if deals:
        q.refuse_if(sum(int(r["unrated"]) for r in deals), "deals",
                    min(r["unrated_currency"] for r in deals), min(r["unrated_day"] for r in deals))
    bad = [r for r in shares if r["unrated"] and read(r["rep"], r["month"], False)] if rule == "quota" else []
    if bad:
        q.refuse_if(len({(r["rep"], r["day"]) for r in bad}), "quotas", min(r["currency"] for r in bad),
                    min(r["day"] for r in bad))


def _first_created(deals: Any) -> Any:
    """The first deal's creation time; None without a deal (the min of no rows reads as NaT)."""
    return deals.created_at.min().execute() if deals.count().execute() else None


def _year_after(hired: date) -> date:
    # As ramp_time reads "more than 12 months of tenure": months starting a year after the hire date.
    try:
        return hired.replace(year=hired.year + 1)
    except ValueError:  # 29 February
        return hired.replace(year=hired.year + 1, day=28)
