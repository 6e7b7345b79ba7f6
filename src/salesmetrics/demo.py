"""Demo data: two years of a made-up B2B SaaS sales team, as canonical CSV files or a workspace.

The data is synthetic but shaped like a real CRM export, so every KPI has something to show and
the patterns the docs talk about are really there to be found:

* a rep with many activities but a poor win rate (:data:`HIGH_ACTIVITY_LOW_CONVERSION_REP`) and
  one with few activities and a good win rate (:data:`LOW_ACTIVITY_HIGH_CONVERSION_REP`);
* a product that nearly always sells in a bundle with a subscription (:data:`BUNDLE_PRODUCT`);
* a few big reps carrying a large share of revenue, recent hires still ramping, a stronger Q4 and
  a weaker summer, and the gaps real exports have (a rep without hire date, open deals without
  account, a few stale open deals).

Everything is drawn from one ``random.Random(seed)`` and dated relative to ``today``, so the same
seed and day give byte-identical files.
"""

from __future__ import annotations

import csv
import math
import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .schema import TABLES

if TYPE_CHECKING:
    # Imported lazily so that generating files works without the importer (and its dependencies).
    from .importing import ImportSummary
    from .workspace import Workspace

__all__ = [
    "BUNDLE_PRODUCT",
    "HIGH_ACTIVITY_LOW_CONVERSION_REP",
    "LOW_ACTIVITY_HIGH_CONVERSION_REP",
    "build",
    "generate",
]

#: rep_id of the rep who logs far more activities per deal than anyone else yet wins few of them.
HIGH_ACTIVITY_LOW_CONVERSION_REP = "R004"
#: rep_id of the rep who logs few activities per deal but wins an unusually high share.
LOW_ACTIVITY_HIGH_CONVERSION_REP = "R009"
#: product_id of the product that almost always sells together with a subscription.
BUNDLE_PRODUCT = "SVC-ONBOARD"

CURRENCY = "USD"
TIME_ZONE = "Europe/Berlin"
DAYS_COVERED = 730
# Deals are simulated from this long before the covered window so the first months already have
# closes; deals that closed before the window are dropped, as a "last two years" export would.
WARM_UP_DAYS = 120

FILES = (
    "reps", "products", "deals", "deal_items", "activities", "quotas", "nps_responses",
    "stage_history",
)

OPEN_STAGES = ("qualification", "discovery", "proposal", "negotiation")
_FAST_TRACK = ("qualification", "proposal", "negotiation")
WON_STAGE = "closed won"
LOST_STAGE = "closed lost"

_CENT = Decimal("0.01")


# -- the team --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Profile:
    rep_id: str
    name: str
    team: str
    hired_days_ago: int | None  # None: the export has no hire date for this rep
    volume: float = 1.0  # deals created, relative to the average rep
    skill: float = 1.0  # win probability, relative
    activity: float = 1.0  # activities logged per deal, relative
    size: float = 1.0  # seats per deal, relative
    quota_level: float = 1.0  # quota relative to a standard account executive


_PROFILES: tuple[_Profile, ...] = (
    _Profile("R001", "Olivia Bennett", "east", 1420),
    _Profile("R002", "Marcus Chen", "east", 1300, volume=1.1, skill=1.05, size=1.4,
             quota_level=2.0),
    _Profile("R003", "Priya Raman", "east", 1050, skill=1.05),
    _Profile("R004", "Daniel Okafor", "east", 820, volume=1.15, skill=0.55, activity=2.4, size=0.9),
    _Profile("R005", "Sophie Laurent", "east", 600),
    _Profile("R006", "Jonas Weber", "east", 210),
    _Profile("R007", "Emily Carter", "east", 45),
    _Profile("R008", "Carlos Mendoza", "west", None, volume=1.1, skill=1.1, size=1.25,
             quota_level=1.25),
    _Profile("R009", "Hannah Schultz", "west", 1380, volume=0.9, skill=1.5, activity=0.45,
             size=1.1),
    _Profile("R010", "Ethan Brooks", "west", 1150, skill=0.95),
    _Profile("R011", "Aisha Khan", "west", 960, volume=1.1, skill=1.1, size=1.5, quota_level=2.0),
    _Profile("R012", "Lucas Moreau", "west", 700, volume=0.9, skill=0.9, size=0.9),
    _Profile("R013", "Grace Kim", "west", 480),
    _Profile("R014", "Noah Fischer", "west", 130),
    _Profile("R015", "Isabella Rossi", "central", 1440),
    _Profile("R016", "Michael O'Brien", "central", 1250, volume=1.05, skill=1.05, size=1.25,
             quota_level=1.25),
    _Profile("R017", "Fatima Haddad", "central", 1000),
    _Profile("R018", "Ryan Patel", "central", 880, skill=0.85, size=0.9),
    _Profile("R019", "Chloe Dubois", "central", 640, skill=1.05),
    _Profile("R020", "Samuel Nowak", "central", 520, volume=0.9, skill=0.95),
    _Profile("R021", "Mia Johansson", "central", 400),
    _Profile("R022", "Tom Becker", "central", 250),
)


@dataclass
class _Rep:
    profile: _Profile
    hired_on: date | None
    active_from: date  # first day the rep works deals in the simulation
    won_accounts: list[tuple[datetime, str]] = field(default_factory=list)

    @property
    def rep_id(self) -> str:
        return self.profile.rep_id

    def tenure_days(self, day: date) -> int:
        # The rep without a hire date is a long-standing one; the export just lost the date.
        return 10_000 if self.hired_on is None else (day - self.hired_on).days

    def volume_ramp(self, day: date) -> float:
        # New hires spend two weeks in training, then build a pipeline over about four months.
        days = self.tenure_days(day)
        if days < 14:
            return 0.0
        return min(1.0, (days - 14) / 120)

    def skill_ramp(self, day: date) -> float:
        return 0.6 + 0.4 * min(1.0, self.tenure_days(day) / 180)


# -- products --------------------------------------------------------------------------------------
_PRODUCTS: tuple[tuple[str, str, Decimal], ...] = (
    ("SUB-BASIC", "Basic subscription (annual, per seat)", Decimal("420.00")),
    ("SUB-PREMIUM", "Premium subscription (annual, per seat)", Decimal("900.00")),
    ("SUB-ENTERPRISE", "Enterprise subscription (annual, per seat)", Decimal("1560.00")),
    ("ADD-ANALYTICS", "Advanced analytics add-on (annual, per seat)", Decimal("180.00")),
    ("ADD-SSO", "SSO & security add-on (annual)", Decimal("2400.00")),
    ("ADD-API", "API access add-on (annual)", Decimal("1200.00")),
    ("ADD-STORAGE", "Extra storage 1 TB (annual)", Decimal("600.00")),
    (BUNDLE_PRODUCT, "Onboarding package (one-time)", Decimal("3500.00")),
    ("SVC-TRAINING", "Training workshop (per day)", Decimal("1750.00")),
    ("SUP-PREMIUM", "Premium support contract (annual)", Decimal("4800.00")),
)
_PRICE = {pid: price for pid, _, price in _PRODUCTS}
_SUBSCRIPTIONS = ("SUB-BASIC", "SUB-PREMIUM", "SUB-ENTERPRISE")
_SEAT_MEDIAN = {"SUB-BASIC": 12.0, "SUB-PREMIUM": 20.0, "SUB-ENTERPRISE": 55.0}
_ADD_ONS = ("ADD-ANALYTICS", "ADD-SSO", "ADD-API", "ADD-STORAGE", "SVC-TRAINING", "SUP-PREMIUM")
_ADD_ON_WEIGHTS = (30, 15, 15, 10, 15, 15)

# -- deal attributes -------------------------------------------------------------------------------
_SOURCES = ("inbound", "outbound", "referral", "partner", "event")
_SOURCE_WEIGHTS = (35, 30, 12, 13, 10)
_SOURCE_WIN = {"inbound": 1.1, "outbound": 0.7, "referral": 1.5, "partner": 1.2, "event": 0.9}
_LOST_REASONS = ("price", "competitor", "no decision", "timing")
_LOST_EARLY = (15, 20, 40, 25)  # deals that die in qualification/discovery rarely got to pricing
_LOST_LATE = (40, 35, 15, 10)
# How far lost deals got before they died (index into OPEN_STAGES).
_LOST_AT_WEIGHTS = (35, 30, 20, 15)

# Deals created per month and won per close month, relative: a strong Q4, a weak summer.
_CREATE_SEASON = (0.9, 0.95, 1.05, 1.0, 1.0, 0.9, 0.75, 0.7, 1.0, 1.1, 1.2, 1.05)
_WIN_SEASON = (0.85, 0.9, 1.05, 0.95, 0.95, 0.9, 0.75, 0.75, 1.0, 1.15, 1.3, 1.45)
_DEALS_PER_WORKDAY = 0.62
_BASE_WIN = 0.26

# Activity types and their mix, per phase of a deal (cumulative weights for Random.choices).
_ACTIVITY_TYPES = ("call", "email", "social", "meeting", "demo")
_ACTIVITY_MIX: dict[str, tuple[int, int, int, int, int]] = {
    "prospecting": (45, 35, 20, 0, 0),
    "qualification": (40, 35, 10, 15, 0),
    "discovery": (25, 30, 0, 35, 10),
    "proposal": (20, 35, 0, 20, 25),
    "negotiation": (30, 40, 0, 30, 0),
}
_ACTIVITIES_PER_STAGE = {
    "qualification": 3.0, "discovery": 3.5, "proposal": 3.5, "negotiation": 3.5,
}
_PROSPECTING_PER_WORKDAY = 1.2

# NPS score weights 0..10 by how good the account's rep is.
_NPS_WEIGHTS = {
    "good": (1, 0, 1, 1, 1, 2, 3, 8, 17, 30, 36),
    "average": (2, 1, 2, 2, 3, 4, 6, 14, 22, 24, 20),
    "poor": (4, 3, 4, 5, 5, 7, 9, 16, 18, 16, 13),
}
_NPS_RESPONSE_RATE = 0.3

_QUOTA_RAMP = (0.2, 0.4, 0.6, 0.8)  # share of full quota in a new hire's first months
_QUOTA_GROWTH = 0.08  # yearly raise of quotas, matching the team's growth

# Parts of made-up company names ("Northfield Logistics Inc.").
_NAME_A = (
    "Blue", "North", "Silver", "Green", "Red", "Iron", "Bright", "Clear", "Swift", "High", "Oak",
    "Stone", "West", "East", "Gold", "Black", "White", "Pine", "Maple", "Cedar", "River", "Lake",
    "Sun", "Star", "Fair", "Long", "Deep", "Wild", "Grand", "True",
)
_NAME_B = (
    "field", "stone", "bridge", "harbor", "view", "ridge", "gate", "wood", "brook", "point",
    "crest", "haven", "line", "mark", "way", "port", "vale", "light", "works", "path",
)
_SECTORS = (
    "Logistics", "Health", "Foods", "Energy", "Software", "Capital", "Media", "Labs",
    "Manufacturing", "Retail", "Insurance", "Consulting", "Systems", "Pharma", "Engineering",
    "Analytics", "Robotics", "Telecom", "Mobility", "Freight", "Hospitality", "Education",
    "Properties", "Solutions",
)
_LEGAL = (" Inc.", " LLC", " GmbH", " Ltd", " Corp.", " AG", "", " SE", " B.V.")


@dataclass
class _Tables:
    reps: list[list[str]] = field(default_factory=list)
    products: list[list[str]] = field(default_factory=list)
    deals: list[list[str]] = field(default_factory=list)
    deal_items: list[list[str]] = field(default_factory=list)
    activities: list[tuple[datetime, str, str, str]] = field(default_factory=list)
    quotas: list[list[str]] = field(default_factory=list)
    nps: list[tuple[datetime, str, int, str]] = field(default_factory=list)
    stage_history: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """A deal as it would play out; what is visible of it depends on ``today``."""

    rep: _Rep
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


class _Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.horizon = datetime.combine(today, time(19, 0))  # nothing is recorded after this
        self.window_start = today - timedelta(days=DAYS_COVERED)
        self.sim_start = self.window_start - timedelta(days=WARM_UP_DAYS)
        self.out = _Tables()
        self.reps: list[_Rep] = []
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
            name = (f"{rng.choice(_NAME_A)}{rng.choice(_NAME_B)} {rng.choice(_SECTORS)}"
                    f"{rng.choice(_LEGAL)}")
            if name not in self.used_accounts:
                self.used_accounts.add(name)
                return name

    # -- reps and products ------------------------------------------------------------------------
    def make_reps(self) -> None:
        for profile in _PROFILES:
            hired_on: date | None = None
            if profile.hired_days_ago is not None:
                days_ago = profile.hired_days_ago + self.rng.randint(-7, 7)
                hired_on = self.today - timedelta(days=days_ago)
            active_from = self.sim_start if hired_on is None else max(self.sim_start, hired_on)
            self.reps.append(_Rep(profile, hired_on, active_from))
            self.out.reps.append([profile.rep_id, profile.name, profile.team,
                                  hired_on.isoformat() if hired_on else ""])
        for pid, name, price in _PRODUCTS:
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
            base = _DEALS_PER_WORKDAY * _CREATE_SEASON[day.month - 1] * growth
            for index, rep in enumerate(self.reps):
                if day < rep.active_from:
                    continue
                lam = base * rep.profile.volume * rep.volume_ramp(day)
                for _ in range(self.poisson(lam)):
                    starts.append((self.work_time(day), index))
        starts.sort()
        return starts

    def seats(self, product: str, rep: _Rep, expansion: bool) -> int:
        median = _SEAT_MEDIAN[product] * rep.profile.size * (0.4 if expansion else 1.0)
        return max(1, round(self.rng.lognormvariate(math.log(median), 0.55)))

    def priced(self, product: str, quantity: int) -> tuple[str, int, Decimal]:
        # Volume discounts on seats plus the odd negotiated discount, as real price lists go.
        discount = Decimal("0")
        if product in _SUBSCRIPTIONS or product == "ADD-ANALYTICS":
            if quantity >= 150:
                discount = Decimal("0.15")
            elif quantity >= 50:
                discount = Decimal("0.10")
        if self.rng.random() < 0.2:
            discount += Decimal(self.rng.choice((5, 10))) / 100
        price = (_PRICE[product] * (1 - discount)).quantize(_CENT)
        return (product, quantity, price)

    def items_for(self, rep: _Rep, expansion: bool) -> list[tuple[str, int, Decimal]]:
        rng = self.rng
        items: list[tuple[str, int, Decimal]] = []

        def add_on(seats: int) -> None:
            taken = [p for p, _, _ in items]
            product = rng.choices(_ADD_ONS, weights=_ADD_ON_WEIGHTS)[0]
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
            tier = rng.choices(_SUBSCRIPTIONS, weights=(25, 45, 30) if big else (45, 40, 15))[0]
            seats = self.seats(tier, rep, expansion=False)
            items.append(self.priced(tier, seats))
            if rng.random() < (0.6 if tier == "SUB-ENTERPRISE" else 0.35):
                items.append(self.priced(BUNDLE_PRODUCT, 1))
            if rng.random() < 0.45:
                add_on(seats)
            return items

        roll = rng.random()
        if roll < 0.55:
            tier = rng.choices(_SUBSCRIPTIONS, weights=(35, 45, 20))[0]
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

    def plan(self, created_at: datetime, rep: _Rep) -> _Plan:
        rng = self.rng
        earlier = [a for closed, a in rep.won_accounts if closed < created_at]
        expansion = bool(earlier) and rng.random() < 0.2
        if expansion:
            pipeline = "expansion"
            account = rng.choice(earlier)
            source = rng.choice(("inbound", "outbound"))
        else:
            pipeline = "new business"
            source = rng.choices(_SOURCES, weights=_SOURCE_WEIGHTS)[0]
            if self.lost_accounts and rng.random() < 0.12:
                account = rng.choice(self.lost_accounts)  # another try at an account lost before
            else:
                account = self.new_account()
        items = tuple(self.items_for(rep, expansion))

        # Both possible endings are drawn up front so the odds can follow the month the deal would
        # be signed in: buyers spend year-end budgets and are away in summer.
        won_cycle = rng.lognormvariate(math.log(40), 0.5)
        reached = rng.choices(range(len(OPEN_STAGES)), weights=_LOST_AT_WEIGHTS)[0]
        lost_cycle = rng.lognormvariate(math.log(22 + 8 * reached), 0.55)
        signing_month = (created_at + timedelta(days=won_cycle)).month
        p_win = (_BASE_WIN * rep.profile.skill * rep.skill_ramp(created_at.date())
                 * _SOURCE_WIN[source] * (1.6 if expansion else 1.0)
                 * _WIN_SEASON[signing_month - 1])
        won = rng.random() < min(0.85, max(0.03, p_win))

        stages: tuple[str, ...]
        if won:
            # Some buyers know what they want and skip discovery.
            stages = OPEN_STAGES if rng.random() > 0.1 else _FAST_TRACK
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
            weights = _LOST_EARLY if len(stages) <= 2 else _LOST_LATE
            lost_reason = rng.choices(_LOST_REASONS, weights=weights)[0]
            # Some dead deals are never closed in the CRM: they sit in the pipeline for months.
            stale = rng.random() < 0.04
        return _Plan(rep, created_at, pipeline, source, account, items, won, stages, tuple(entered),
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
            self.out.deals.append([
                deal_id, rep.rep_id, account, created_at.isoformat(), closed_at, status,
                f"{amount:.2f}", CURRENCY, plan.source, stage, plan.pipeline, lost_reason,
            ])
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

    def deal_activities(self, deal_id: str, rep: _Rep, visible: Sequence[tuple[str, datetime]],
                        end: datetime, *, won: bool) -> None:
        rng = self.rng
        bounds = [t for _, t in visible] + [end]
        for i, (stage, _) in enumerate(visible):
            start, stop = bounds[i], bounds[i + 1]
            if stop < start:
                continue
            expected = _ACTIVITIES_PER_STAGE[stage] * rep.profile.activity
            if won and i == len(visible) - 1:
                expected += 1.0  # the paperwork before signing
            n = round(expected * rng.uniform(0.6, 1.4))
            kinds = rng.choices(_ACTIVITY_TYPES, weights=_ACTIVITY_MIX[stage], k=n)
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
                lam = _PROSPECTING_PER_WORKDAY * rep.profile.activity * ramp
                n = self.poisson(lam)
                if n:
                    kinds = rng.choices(_ACTIVITY_TYPES, weights=_ACTIVITY_MIX["prospecting"], k=n)
                    for kind in kinds:
                        self.out.activities.append((self.work_time(day), rep.rep_id, kind, ""))

    def nps(self, plan: _Plan) -> None:
        rng = self.rng
        if rng.random() >= _NPS_RESPONSE_RATE:
            return
        # Surveys go out once the customer has lived with the product for a while.
        day = plan.closes_at.date() + timedelta(days=rng.randint(30, 150))
        at = self.work_time(day)
        if at > self.horizon:
            return
        skill = plan.rep.profile.skill
        band = "good" if skill >= 1.1 else "poor" if skill <= 0.85 else "average"
        score = rng.choices(range(11), weights=_NPS_WEIGHTS[band])[0]
        self.out.nps.append((at, plan.account, score, plan.rep.rep_id))

    # -- quotas -----------------------------------------------------------------------------------
    def make_quotas(self) -> None:
        """Monthly rep quotas, set so that a standard rep lands around target on average."""
        first = _month_start(self.window_start)
        if first < self.window_start:
            first = _add_months(first, 1)
        last = _month_start(self.today)

        # A standard quota from what mature standard reps actually closed per month.
        won_by_rep_month: dict[tuple[str, date], Decimal] = {}
        for row in self.out.deals:
            if row[5] == "won":
                key = (row[1], _month_start(date.fromisoformat(row[4][:10])))
                won_by_rep_month[key] = won_by_rep_month.get(key, Decimal("0")) + Decimal(row[6])
        standard = [r for r in self.reps if r.profile.quota_level == 1.0
                    and r.tenure_days(self.window_start) > 365]
        months = _months(first, _add_months(last, -1))
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
                start = max(start, _month_start(rep.hired_on))
            for month in _months(start, last):
                level = Decimal(str(rep.profile.quota_level))
                growth = Decimal(str(1 + _QUOTA_GROWTH * (month.year - self.today.year)))
                ramp = Decimal("1")
                if rep.hired_on is not None:
                    since = (month.year - rep.hired_on.year) * 12 + month.month - rep.hired_on.month
                    if since < len(_QUOTA_RAMP):
                        ramp = Decimal(str(_QUOTA_RAMP[since]))
                amount = (base * level * growth * ramp / 100).quantize(Decimal("1")) * 100
                self.out.quotas.append([rep.rep_id, "", month.isoformat(),
                                        (_add_months(month, 1) - timedelta(days=1)).isoformat(),
                                        f"{amount:.2f}", CURRENCY])

    def run(self) -> _Tables:
        self.make_reps()
        self.make_deals()
        self.prospecting()
        self.make_quotas()
        return self.out


# -- dates -----------------------------------------------------------------------------------------
def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    out: list[date] = []
    month = first
    while month <= last:
        out.append(month)
        month = _add_months(month, 1)
    return out


# -- output ----------------------------------------------------------------------------------------
def _write(path: Path, table: str, rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        names = TABLES[table].column_names
        writer.writerow(names)
        for row in rows:
            # Optional columns the demo does not make up (call durations, ...) are left empty.
            writer.writerow([*row, *[""] * (len(names) - len(row))])
            count += 1
    return count


def generate(out_dir: Path, *, seed: int = 42, today: date | None = None) -> dict[str, int]:
    """Write the demo data set as canonical CSV files (one per table) into ``out_dir``.

    Covers the two years before ``today`` (default: the current date); the same ``seed`` and
    ``today`` give identical files. Returns the number of rows written per table.
    """
    day = today or date.today()
    tables = _Generator(seed, day).run()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    # Ids follow time, as a CRM hands them out.
    tables.activities.sort()
    activities = ([f"A{i:06d}", rep_id, kind, at.isoformat(), deal_id]
                  for i, (at, rep_id, kind, deal_id) in enumerate(tables.activities, start=1))
    tables.nps.sort()
    nps = ([f"N{i:05d}", account, str(score), at.isoformat(), rep_id]
           for i, (at, account, score, rep_id) in enumerate(tables.nps, start=1))

    rows: dict[str, Iterable[Sequence[object]]] = {
        "reps": tables.reps,
        "products": tables.products,
        "deals": tables.deals,
        "deal_items": tables.deal_items,
        "activities": activities,
        "quotas": tables.quotas,
        "nps_responses": nps,
        "stage_history": tables.stage_history,
    }
    return {name: _write(out_dir / f"{name}.csv", name, rows[name]) for name in FILES}


def build(workspace: Workspace, *, seed: int = 42, today: date | None = None) -> ImportSummary:
    """Fill ``workspace`` with the demo data set (base currency USD, time zone Europe/Berlin).

    Meant for an empty workspace: an import replaces records with the same ids but keeps others,
    so building into one with other data mixes the two.
    """
    workspace.set_setting("base_currency", CURRENCY)
    workspace.set_setting("time_zone", TIME_ZONE)
    with tempfile.TemporaryDirectory(prefix="salesmetrics-demo-") as tmp:
        folder = Path(tmp)
        generate(folder, seed=seed, today=today)
        return workspace.import_files(folder)
