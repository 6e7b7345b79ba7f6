"""Demo data: two years of a made-up B2B SaaS sales team, as canonical CSV files or a workspace.

The data is synthetic but shaped like a real CRM export, so every KPI has something to show and
the patterns the docs talk about are really there to be found:

* a rep with many activities but a poor win rate (:data:`HIGH_ACTIVITY_LOW_CONVERSION_REP`) and
  one with few activities and a good win rate (:data:`LOW_ACTIVITY_HIGH_CONVERSION_REP`);
* a product that nearly always sells in a bundle with a subscription (:data:`BUNDLE_PRODUCT`);
* a few big reps carrying a large share of revenue, recent hires still ramping, a stronger Q4 and
  a weaker summer, and the gaps real exports have (a rep without hire date, open deals without
  account, a few stale open deals);
* enablement programs with planted effects (:mod:`.programs`): a training that lifts one team's
  win rate by :data:`TRAINING_WIN_RATE_LIFT`, a placebo that changes nothing, and an onboarding
  change after which new hires ramp sooner.

Everything is drawn from one ``random.Random(seed)`` and dated relative to ``today``, so the same
seed and day give byte-identical files.
"""

from __future__ import annotations

from .constants import (
    BUNDLE_PRODUCT,
    CURRENCY,
    FILES,
    HIGH_ACTIVITY_LOW_CONVERSION_REP,
    LOW_ACTIVITY_HIGH_CONVERSION_REP,
    TIME_ZONE,
)
from .files import build, generate
from .programs import (
    ONBOARDING_PROGRAM,
    PLACEBO_PROGRAM,
    TRAINING_PROGRAM,
    TRAINING_TEAM,
    TRAINING_WIN_RATE_LIFT,
)

__all__ = [
    "BUNDLE_PRODUCT",
    "CURRENCY",
    "FILES",
    "HIGH_ACTIVITY_LOW_CONVERSION_REP",
    "LOW_ACTIVITY_HIGH_CONVERSION_REP",
    "ONBOARDING_PROGRAM",
    "PLACEBO_PROGRAM",
    "TIME_ZONE",
    "TRAINING_PROGRAM",
    "TRAINING_TEAM",
    "TRAINING_WIN_RATE_LIFT",
    "build",
    "generate",
]
