"""What the demo's reps believe about their open deals, and the accounts the deals are with.

Drawn from a random stream of its own (``Random(f"forecast-{seed}")``), so the deals, activities
and answers of the main stream stay exactly what they were:

* **expected close dates**: a rep sets one when a deal is created (optimistic: about five weeks
  out) and pushes it by two to six weeks whenever it passes with the deal still open; a stale deal
  is pushed twice at most and then left overdue, as forgotten deals are;
* **forecast categories** follow the stage (negotiation is mostly commit, proposal mostly best
  case, early stages pipeline, a few omitted); 40 % of the deals carry a probability of their own;
* **snapshots**: the deals as the CRM showed them at the start and middle of recent quarters, which
  the demo imports one after another, so the workspace keeps the history a forecast's accuracy and
  slippage are read from;
* **accounts**: every company a deal names, with a segment by size, an industry from its name, a
  region and a country.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..periods import add_months
from .constants import LOST_STAGE, WON_STAGE

# A stage's probability, where a rep sets one of their own.
STAGE_PROBABILITY = {"qualification": "0.1", "discovery": "0.2", "proposal": "0.4", "negotiation": "0.7"}
INDUSTRY = {
    "Logistics": "transport", "Freight": "transport", "Mobility": "transport",
    "Health": "healthcare", "Pharma": "healthcare", "Labs": "healthcare",
    "Foods": "consumer", "Retail": "consumer", "Hospitality": "consumer",
    "Energy": "energy",
    "Software": "technology", "Systems": "technology", "Analytics": "technology",
    "Robotics": "technology", "Telecom": "technology", "Solutions": "technology",
    "Capital": "financial services", "Insurance": "financial services", "Properties": "real estate",
    "Media": "media", "Education": "education", "Consulting": "professional services",
    "Manufacturing": "manufacturing", "Engineering": "manufacturing",
}
REGIONS = (("emea", ("DE", "FR", "GB", "NL", "AT")), ("na", ("US", "CA")), ("apac", ("AU", "JP", "SG")))
REGION_WEIGHTS = (45, 40, 15)
MAX_PUSHES = 6


@dataclass
class Life:
    """One deal over time: enough to say how the CRM showed it at any moment."""

    deal_id: str
    rep_id: str
    account: str
    created_at: datetime
    closes_at: datetime | None  # None: still open at the horizon (or never closed: stale)
    won: bool
    amount: str
    currency: str
    source: str
    pipeline: str
    lost_reason: str
    stages: list[tuple[datetime, str]]  # open stages entered, in order
    expected: list[tuple[datetime, date]] = field(default_factory=list)  # (set at, date)
    mood: float = 0.5  # how the rep categorises this deal (see category)
    own_probability: bool = False

    def row(self, at: datetime) -> list[str] | None:
        """The deal's canonical row as the CRM showed it at ``at`` (None: not created yet)."""
        if self.created_at > at:
            return None
        closed = self.closes_at is not None and self.closes_at <= at
        if closed:
            status = "won" if self.won else "lost"
            stage = WON_STAGE if self.won else LOST_STAGE
            return [self.deal_id, self.rep_id, self.account, self.created_at.isoformat(),
                    self.closes_at.isoformat() if self.closes_at else "", status, self.amount,
                    self.currency, self.source, stage, self.pipeline,
                    "" if self.won else self.lost_reason, "", "", ""]
        stage = [s for t, s in self.stages if t <= at][-1]
        expected = [d for t, d in self.expected if t <= at][-1]
        probability = STAGE_PROBABILITY[stage] if self.own_probability else ""
        return [self.deal_id, self.rep_id, self.account, self.created_at.isoformat(), "", "open",
                self.amount, self.currency, self.source, stage, self.pipeline, "",
                expected.isoformat(), category(stage, self.mood), probability]


def category(stage: str, mood: float) -> str:
    """The forecast category a rep gives a deal in ``stage``; ``mood`` (0-1, one per deal) makes
    some reps' deals commit earlier than others'."""
    if stage == "negotiation":
        return "commit" if mood < 0.75 else "best_case"
    if stage == "proposal":
        return "best_case" if mood < 0.6 else "commit" if mood < 0.7 else "pipeline"
    if stage == "discovery":
        return "pipeline" if mood < 0.9 else "omitted"
    return "pipeline" if mood < 0.75 else "omitted"


def believe(rng: random.Random, life: Life, until: datetime, stale: bool) -> None:
    """The expected close dates the rep sets over the deal's life (until it closes, or ``until``)."""
    guess = max(5, round(rng.lognormvariate(math.log(35), 0.35)))
    expected = life.created_at.date() + timedelta(days=guess)
    life.expected = [(life.created_at, expected)]
    end = min(life.closes_at or until, until)
    for _ in range(MAX_PUSHES if not stale else 2):
        if expected >= end.date():
            break
        # The rep notices a few days after the date passed, in working hours.
        noticed = datetime.combine(expected + timedelta(days=rng.randint(1, 6)), time(9, 30))
        if noticed >= end:
            break
        expected = max(expected + timedelta(days=rng.randint(14, 42)), noticed.date() + timedelta(days=7))
        life.expected.append((noticed, expected))
    life.mood = rng.random()
    life.own_probability = rng.random() < 0.4


def snapshot_times(today: date, horizon: datetime) -> list[datetime]:
    """When the demo's earlier exports were taken: 07:00 on the first and the middle day of the
    current quarter and the four before it (the starts and middles the forecast's accuracy reads)."""
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    times = []
    for back in range(4, -1, -1):
        first = add_months(start, -3 * back)
        after = add_months(first, 3)
        middle = first + timedelta(days=(after - first).days // 2)
        for day in (first, middle):
            moment = datetime.combine(day, time(7, 0))
            if moment < horizon:
                times.append(moment)
    return times


def accounts(rng: random.Random, largest: dict[str, float]) -> list[list[str]]:
    """One row per account, by name: size follows the biggest deal, industry the name."""
    rows = []
    for name in sorted(largest):
        employees = max(5, round(rng.lognormvariate(math.log(max(largest[name], 2000) / 25), 0.5)))
        segment = "smb" if employees < 200 else "mid-market" if employees < 1000 else "enterprise"
        region, countries = rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
        industry = next((v for k, v in INDUSTRY.items() if f" {k}" in name), "other")
        rows.append([name, name, segment, industry, region, str(employees), rng.choice(countries)])
    return rows


__all__ = ["Life", "accounts", "believe", "category", "snapshot_times"]
