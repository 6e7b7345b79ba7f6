"""The simulation: deals from first touch to close, their items, activities, stage moves, survey
answers and quotas, all drawn from one ``random.Random(seed)`` and dated relative to ``today``."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..periods import add_months
from .constants import (
    BUNDLE_PRODUCT,
    CENT,
    CURRENCY,
    DAYS_COVERED,
    FAST_TRACK,
    LOST_STAGE,
    OPEN_STAGES,
    WARM_UP_DAYS,
    WON_STAGE,
)
from .forecast import Life, accounts, believe, snapshot_times
from .market import (
    ACTIVITIES_PER_STAGE,
    ACTIVITY_MIX,
    ACTIVITY_TYPES,
    ADD_ON_WEIGHTS,
    ADD_ONS,
    BASE_WIN,
    CREATE_SEASON,
    DEALS_PER_WORKDAY,
    LEGAL,
    LOST_AT_WEIGHTS,
    LOST_EARLY,
    LOST_LATE,
    LOST_REASONS,
    NAME_A,
    NAME_B,
    NPS_RESPONSE_RATE,
    NPS_WEIGHTS,
    PRICE,
    PRODUCTS,
    PROSPECTING_PER_WORKDAY,
    QUOTA_GROWTH,
    QUOTA_RAMP,
    SEAT_MEDIAN,
    SECTORS,
    SOURCE_WEIGHTS,
    SOURCE_WIN,
    SOURCES,
    SUBSCRIPTIONS,
    WIN_SEASON,
)
from .team import PROFILES, Rep


@dataclass
class Tables:
    reps: list[list[str]] = field(default_factory=list)
    products: list[list[str]] = field(default_factory=list)
    deals: list[list[str]] = field(default_factory=list)
    deal_items: list[list[str]] = field(default_factory=list)
    activities: list[tuple[datetime, str, str, str]] = field(default_factory=list)
    quotas: list[list[str]] = field(default_factory=list)
    nps: list[tuple[datetime, str, int, str]] = field(default_factory=list)
    stage_history: list[list[str]] = field(default_factory=list)
    accounts: list[list[str]] = field(default_factory=list)
    lives: list[Life] = field(default_factory=list)  # each deal over time (demo/forecast.py)
    snapshots: list[datetime] = field(default_factory=list)  # when earlier exports were taken

    def deals_at(self, moment: datetime) -> list[list[str]]:
        """The deals as the CRM showed them at ``moment``: an earlier export."""
        return [row for life in self.lives if (row := life.row(moment)) is not None]


@dataclass(frozen=True)
class Plan:
    """A deal as it would play out; what is visible of it depends on ``today``."""

    rep: Rep
    created_at: datetime
    pipeline: str
    source: str
    account: str
    items: tuple[tuple[str, int, Decimal], ...]
    won: bool
    stages: tuple[str, ...]  # open stages it passes through, in order
    entered: tuple[datetime, ...]  # when it entered each of ``stages``
    closes_at: datetime
    stale: bool  # never closed in the CRM although it is long dead
    lost_reason: str


# The demo's records end at this time of its last day, in the workspace's zone: a working day's
# last calls, and the last export.
CLOSE_OF_DAY = time(19, 0)


def latest_day(now: datetime) -> date:
    """The last day whose close (:data:`CLOSE_OF_DAY`) ``now`` (the workspace's wall clock) has
    passed: the day a demo built now ends on. A demo built at 2 a.m. for the same day dated calls,
    wins and its last import up to 7 p.m., hours ahead of the clock, and the dashboard's "today"
    then reached into the evening to come."""
    return now.date() if now.time() >= CLOSE_OF_DAY else now.date() - timedelta(days=1)


class Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # The reps' beliefs (expected dates, categories) and the accounts draw from a stream of
        # their own, so the main stream, and every figure drawn from it, stays as it was.
        self.forecast_rng = random.Random(f"forecast-{seed}")
        self.today = today
        self.horizon = datetime.combine(today, CLOSE_OF_DAY)  # nothing is recorded after this
        self.window_start = today - timedelta(days=DAYS_COVERED)
        self.sim_start = self.window_start - timedelta(days=WARM_UP_DAYS)
        self.out = Tables()
        self.reps: list[Rep] = []
        self.used_accounts: set[str] = set()
        # A list beside the set: choosing from a set would depend on string hashing per process.
        self.lost_accounts: list[str] = []
        self.lost_known: set[str] = set()
        self.deal_count = 0

    # -- helpers ----------------------------------------------------------------------------------
    def poisson(self, lam: float) -> int:
        # Knuth's method: exact and fast for the small rates used here.
        limit = math.exp(-lam)
        k, p = 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def work_time(self, day: date, first_hour: int = 8, last_hour: int = 17) -> datetime:
        return datetime(day.year, day.month, day.day, self.rng.randint(first_hour, last_hour),
                        self.rng.randrange(0, 60))

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment in ``[start, end]``, during working hours when the span allows it."""
        t = start + (end - start) * self.rng.random()
        snapped = self.work_time(t.date())
        if start <= snapped <= end:
            return snapped
        return t.replace(second=0, microsecond=0)

    def new_account(self) -> str:
        rng = self.rng
        while True:
            name = (f"{rng.choice(NAME_A)}{rng.choice(NAME_B)} {rng.choice(SECTORS)}"
                    f"{rng.choice(LEGAL)}")
            if name not in self.used_accounts:
                self.used_accounts.add(name)
                return name

    # -- reps and products ------------------------------------------------------------------------
    def make_reps(self) -> None:
        for profile in PROFILES:
            hired_on: date | None = None
            if profile.hired_days_ago is not None:
                days_ago = profile.hired_days_ago + self.rng.randint(-7, 7)
                hired_on = self.today - timedelta(days=days_ago)
            active_from = self.sim_start if hired_on is None else max(self.sim_start, hired_on)
            self.reps.append(Rep(profile, hired_on, active_from))
            self.out.reps.append([profile.rep_id, profile.name, profile.team,
                                  hired_on.isoformat() if hired_on else ""])
        for pid, name, price in PRODUCTS:
            self.out.products.append([pid, name, f"{price:.2f}", CURRENCY])

    # -- deals ------------------------------------------------------------------------------------
    def deal_starts(self) -> list[tuple[datetime, int]]:
        """When each deal is created, and by which rep (index), in time order."""
        starts: list[tuple[datetime, int]] = []
        total_days = (self.today - self.sim_start).days
        for day_no in range(total_days + 1):
            day = self.sim_start + timedelta(days=day_no)
            if day.weekday() >= 5:
                continue
            growth = 0.9 + 0.2 * day_no / total_days
            base = DEALS_PER_WORKDAY * CREATE_SEASON[day.month - 1] * growth
            for index, rep in enumerate(self.reps):
                if day < rep.active_from:
                    continue
                lam = base * rep.profile.volume * rep.volume_ramp(day)
                for _ in range(self.poisson(lam)):
                    starts.append((self.work_time(day), index))
        starts.sort()
        return starts

    def seats(self, product: str, rep: Rep, expansion: bool) -> int:
        median = SEAT_MEDIAN[product] * rep.profile.size * (0.4 if expansion else 1.0)
        return max(1, round(self.rng.lognormvariate(math.log(median), 0.55)))

    def priced(self, product: str, quantity: int) -> tuple[str, int, Decimal]:
        # Volume discounts on seats plus the odd negotiated discount, as real price lists go.
        discount = Decimal("0")
        if product in SUBSCRIPTIONS or product == "ADD-ANALYTICS":
            if quantity >= 150:
                discount = Decimal("0.15")
            elif quantity >= 50:
                discount = Decimal("0.10")
        if self.rng.random() < 0.2:
            discount += Decimal(self.rng.choice((5, 10))) / 100
        price = (PRICE[product] * (1 - discount)).quantize(CENT)
        return (product, quantity, price)

    def items_for(self, rep: Rep, expansion: bool) -> list[tuple[str, int, Decimal]]:
        rng = self.rng
        items: list[tuple[str, int, Decimal]] = []

        def add_on(seats: int) -> None:
            taken = [p for p, _, _ in items]
            product = rng.choices(ADD_ONS, weights=ADD_ON_WEIGHTS)[0]
            if product in taken:
                return
            if product == "ADD-ANALYTICS":
                quantity = seats
            elif product == "ADD-STORAGE":
                quantity = rng.randint(1, 5)
            elif product == "SVC-TRAINING":
                quantity = rng.randint(1, 3)
            else:
                quantity = 1
            items.append(self.priced(product, quantity))

        if not expansion:
            big = rep.profile.size >= 1.4
            tier = rng.choices(SUBSCRIPTIONS, weights=(25, 45, 30) if big else (45, 40, 15))[0]
            seats = self.seats(tier, rep, expansion=False)
            items.append(self.priced(tier, seats))
            if rng.random() < (0.6 if tier == "SUB-ENTERPRISE" else 0.35):
                items.append(self.priced(BUNDLE_PRODUCT, 1))
            if rng.random() < 0.45:
                add_on(seats)
            return items

        roll = rng.random()
        if roll < 0.55:
            tier = rng.choices(SUBSCRIPTIONS, weights=(35, 45, 20))[0]
            seats = self.seats(tier, rep, expansion=True)
            items.append(self.priced(tier, seats))
            if rng.random() < 0.25:
                add_on(seats)
        elif roll < 0.95:
            seats = max(1, round(rng.lognormvariate(math.log(10), 0.6)))
            add_on(seats)
            if rng.random() < 0.3:
                add_on(seats)
            if not items:
                items.append(self.priced("ADD-SSO", 1))
        else:
            # A new department of an existing customer gets onboarded on its own.
            items.append(self.priced(BUNDLE_PRODUCT, 1))
        return items

    def plan(self, created_at: datetime, rep: Rep) -> Plan:
        rng = self.rng
        earlier = [a for closed, a in rep.won_accounts if closed < created_at]
        expansion = bool(earlier) and rng.random() < 0.2
        if expansion:
            pipeline = "expansion"
            account = rng.choice(earlier)
            source = rng.choice(("inbound", "outbound"))
        else:
            pipeline = "new business"
            source = rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0]
            if self.lost_accounts and rng.random() < 0.12:
                account = rng.choice(self.lost_accounts)  # another try at an account lost before
            else:
                account = self.new_account()
        items = tuple(self.items_for(rep, expansion))

        # Both possible endings are drawn up front so the odds can follow the month the deal would
        # be signed in: buyers spend year-end budgets and are away in summer.
        won_cycle = rng.lognormvariate(math.log(40), 0.5)
        reached = rng.choices(range(len(OPEN_STAGES)), weights=LOST_AT_WEIGHTS)[0]
        lost_cycle = rng.lognormvariate(math.log(22 + 8 * reached), 0.55)
        signing_month = (created_at + timedelta(days=won_cycle)).month
        p_win = (BASE_WIN * rep.profile.skill * rep.skill_ramp(created_at.date())
                 * SOURCE_WIN[source] * (1.6 if expansion else 1.0)
                 * WIN_SEASON[signing_month - 1])
        won = rng.random() < min(0.85, max(0.03, p_win))

        stages: tuple[str, ...]
        if won:
            # Some buyers know what they want and skip discovery.
            stages = OPEN_STAGES if rng.random() > 0.1 else FAST_TRACK
            cycle = won_cycle
        else:
            stages = OPEN_STAGES[: reached + 1]
            cycle = lost_cycle
        if expansion:
            cycle *= 0.7
        days = int(min(170.0, max(2.0, cycle)))
        close_day = created_at.date() + timedelta(days=days)
        if close_day.weekday() >= 5:
            close_day += timedelta(days=7 - close_day.weekday())
        closes_at = self.work_time(close_day, 9, 18)

        entered = [created_at]
        middle = len(stages) - 1
        span = (close_day - created_at.date()).days
        if span - 1 >= middle:
            for offset in sorted(rng.sample(range(1, span), middle)):
                entered.append(self.work_time(created_at.date() + timedelta(days=offset)))
        else:
            step = (closes_at - created_at) / (middle + 1)
            entered.extend((created_at + step * (i + 1)).replace(second=0, microsecond=0)
                           for i in range(middle))

        lost_reason = ""
        stale = False
        if not won:
            weights = LOST_EARLY if len(stages) <= 2 else LOST_LATE
            lost_reason = rng.choices(LOST_REASONS, weights=weights)[0]
            # Some dead deals are never closed in the CRM: they sit in the pipeline for months.
            stale = rng.random() < 0.04
        return Plan(rep, created_at, pipeline, source, account, items, won, stages, tuple(entered),
                     closes_at, stale, lost_reason)

    def make_deals(self) -> None:
        rng = self.rng
        window_start = datetime.combine(self.window_start, time())
        for created_at, index in self.deal_starts():
            rep = self.reps[index]
            plan = self.plan(created_at, rep)
            closed = plan.closes_at <= self.horizon and not plan.stale
            if closed and plan.closes_at < window_start:
                continue
            if plan.stale and plan.closes_at < window_start:
                continue
            if closed and plan.won:
                rep.won_accounts.append((plan.closes_at, plan.account))
            elif closed and plan.account not in self.lost_known:
                self.lost_known.add(plan.account)
                self.lost_accounts.append(plan.account)

            self.deal_count += 1
            deal_id = f"D{self.deal_count:05d}"
            # What the CRM shows of the plan: stages entered so far, and the end if it has come.
            visible = [(s, t) for s, t in zip(plan.stages, plan.entered, strict=True)
                       if t <= self.horizon]
            if closed:
                status = "won" if plan.won else "lost"
                stage = WON_STAGE if plan.won else LOST_STAGE
                closed_at = plan.closes_at.isoformat()
                lost_reason = plan.lost_reason if not plan.won else ""
            else:
                status, stage, closed_at, lost_reason = "open", visible[-1][0], "", ""
            account = plan.account
            if status == "open" and stage in ("qualification", "discovery") and rng.random() < 0.3:
                account = ""  # early leads are often not yet tied to an account

            amount = sum((q * p for _, q, p in plan.items), Decimal("0"))
            life = Life(deal_id, rep.rep_id, account, created_at, plan.closes_at if closed else None,
                        plan.won, f"{amount:.2f}", CURRENCY, plan.source, plan.pipeline,
                        plan.lost_reason, list(zip(plan.entered, plan.stages, strict=True)))
            believe(self.forecast_rng, life, self.horizon, plan.stale)
            self.out.lives.append(life)
            row = life.row(self.horizon)
            assert row is not None and row[4:6] == [closed_at, status] and row[9] == stage
            assert row[11] == lost_reason
            self.out.deals.append(row)
            for product, quantity, price in plan.items:
                self.out.deal_items.append([deal_id, product, str(quantity), f"{price:.2f}"])
            for s, t in visible:
                self.out.stage_history.append([deal_id, s, t.isoformat()])
            if closed:
                self.out.stage_history.append([deal_id, stage, closed_at])

            end = plan.closes_at if closed or plan.stale else self.horizon
            end = min(end, self.horizon)
            self.deal_activities(deal_id, rep, visible, end, won=closed and plan.won)
            if closed and plan.won:
                self.nps(plan)

    def deal_activities(self, deal_id: str, rep: Rep, visible: Sequence[tuple[str, datetime]],
                        end: datetime, *, won: bool) -> None:
        rng = self.rng
        bounds = [t for _, t in visible] + [end]
        for i, (stage, _) in enumerate(visible):
            start, stop = bounds[i], bounds[i + 1]
            if stop < start:
                continue
            expected = ACTIVITIES_PER_STAGE[stage] * rep.profile.activity
            if won and i == len(visible) - 1:
                expected += 1.0  # the paperwork before signing
            n = round(expected * rng.uniform(0.6, 1.4))
            kinds = rng.choices(ACTIVITY_TYPES, weights=ACTIVITY_MIX[stage], k=n)
            for kind in kinds:
                self.out.activities.append((self.between(start, stop), rep.rep_id, kind, deal_id))

    def prospecting(self) -> None:
        """Calls, emails and social touches not (yet) tied to a deal."""
        rng = self.rng
        total_days = (self.today - self.window_start).days
        for day_no in range(total_days + 1):
            day = self.window_start + timedelta(days=day_no)
            if day.weekday() >= 5:
                continue
            for rep in self.reps:
                if day < rep.active_from:
                    continue
                ramp = max(0.3, rep.volume_ramp(day))  # new hires prospect from day one
                lam = PROSPECTING_PER_WORKDAY * rep.profile.activity * ramp
                n = self.poisson(lam)
                if n:
                    kinds = rng.choices(ACTIVITY_TYPES, weights=ACTIVITY_MIX["prospecting"], k=n)
                    for kind in kinds:
                        self.out.activities.append((self.work_time(day), rep.rep_id, kind, ""))

    def nps(self, plan: Plan) -> None:
        rng = self.rng
        if rng.random() >= NPS_RESPONSE_RATE:
            return
        # Surveys go out once the customer has lived with the product for a while.
        day = plan.closes_at.date() + timedelta(days=rng.randint(30, 150))
        at = self.work_time(day)
        if at > self.horizon:
            return
        skill = plan.rep.profile.skill
        band = "good" if skill >= 1.1 else "poor" if skill <= 0.85 else "average"
        score = rng.choices(range(11), weights=NPS_WEIGHTS[band])[0]
        self.out.nps.append((at, plan.account, score, plan.rep.rep_id))

    # -- quotas -----------------------------------------------------------------------------------
    def make_quotas(self) -> None:
        """Monthly rep quotas, set so that a standard rep lands around target on average."""
        first = month_start(self.window_start)
        if first < self.window_start:
            first = add_months(first, 1)
        last = month_start(self.today)

        # A standard quota from what mature standard reps actually closed per month.
        won_by_rep_month: dict[tuple[str, date], Decimal] = {}
        for row in self.out.deals:
            if row[5] == "won":
                key = (row[1], month_start(date.fromisoformat(row[4][:10])))
                won_by_rep_month[key] = won_by_rep_month.get(key, Decimal("0")) + Decimal(row[6])
        standard = [r for r in self.reps if r.profile.quota_level == 1.0
                    and r.tenure_days(self.window_start) > 365]
        months = month_starts(first, add_months(last, -1))
        total = sum((won_by_rep_month.get((r.rep_id, m), Decimal("0"))
                     for r in standard for m in months), Decimal("0"))
        per_month = total / max(1, len(standard) * len(months))
        unit = Decimal("5000")
        # A little under the average, so a typical rep attains 90-110 % and the weak ones show.
        target = per_month * Decimal("0.95")
        base = max(unit, (target / unit).quantize(Decimal("1")) * unit)

        for rep in self.reps:
            start = first
            if rep.hired_on is not None:
                start = max(start, month_start(rep.hired_on))
            for month in month_starts(start, last):
                level = Decimal(str(rep.profile.quota_level))
                growth = Decimal(str(1 + QUOTA_GROWTH * (month.year - self.today.year)))
                ramp = Decimal("1")
                if rep.hired_on is not None:
                    since = (month.year - rep.hired_on.year) * 12 + month.month - rep.hired_on.month
                    if since < len(QUOTA_RAMP):
                        ramp = Decimal(str(QUOTA_RAMP[since]))
                amount = (base * level * growth * ramp / 100).quantize(Decimal("1")) * 100
                self.out.quotas.append([rep.rep_id, "", month.isoformat(),
                                        (add_months(month, 1) - timedelta(days=1)).isoformat(),
                                        f"{amount:.2f}", CURRENCY])

    def make_accounts(self) -> None:
        largest: dict[str, float] = {}
        for life in self.out.lives:
            if life.account:
                largest[life.account] = max(largest.get(life.account, 0.0), float(life.amount))
        self.out.accounts = accounts(self.forecast_rng, largest)
        self.out.snapshots = snapshot_times(self.today, self.horizon)

    def run(self) -> Tables:
        self.make_reps()
        self.make_deals()
        self.prospecting()
        self.make_quotas()
        self.make_accounts()
        return self.out


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_starts(first: date, last: date) -> list[date]:
    out: list[date] = []
    month = first
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out
