"""Enablement programs in the demo, with effects planted so that measuring them has something true
to find (and something to find nothing in):

* a discovery training for the central team (:data:`TRAINING_PROGRAM`) that lifts the team's win
  rate by :data:`TRAINING_WIN_RATE_LIFT` (points, in expectation over the after window) from the
  day it ends;
* a CRM refresher for the west team (:data:`PLACEBO_PROGRAM`) that changes nothing;
* a new onboarding (:data:`ONBOARDING_PROGRAM`) after which new hires win more of their first
  months' deals, so they reach quota and ramp sooner.

The effects are planted after the simulation, with a random stream of their own: every draw of the
simulation stays as it was, so the other patterns the demo carries (the planted reps, the seasons, the
quotas) are untouched, and only the outcome of some of the treated reps' lost deals turns to won.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .constants import CURRENCY, LOST_STAGE, WON_STAGE
from .generator import Tables
from .team import Rep

#: program_id of the training whose effect on win rate is planted.
TRAINING_PROGRAM = "discovery-training"
TRAINING_TEAM = "central"
#: Win rate points the training adds to the central team's deals closing after it (in expectation).
TRAINING_WIN_RATE_LIFT = 0.15
#: program_id of the program planted with no effect at all.
PLACEBO_PROGRAM = "crm-refresher"
PLACEBO_TEAM = "west"
#: program_id of the onboarding change after which new hires ramp sooner.
ONBOARDING_PROGRAM = "onboarding-2026"
#: Chance that a lost deal a new hire created in their first months is won instead, after the change.
ONBOARDING_WIN_BOOST = 0.35
ONBOARDING_MONTHS = 6  # how long into tenure the better onboarding shows

TRAINING_DAYS_AGO = 150
PLACEBO_DAYS_AGO = 420
ONBOARDING_DAYS_AGO = 300
WINDOW = 90  # the after window the training's lift is planted to hold over (the default window)


@dataclass(frozen=True)
class Planted:
    programs: list[list[str]]
    participants: list[list[str]]
    flipped: dict[str, int]  # program_id -> lost deals turned to won


def _day(text: str) -> date:
    return datetime.fromisoformat(text).date()


def plant(tables: Tables, reps: list[Rep], today: date, seed: int) -> Planted:
    """Add the programs and turn the outcome of the treated deals, in ``tables``."""
    rng = random.Random(f"{seed}-programs")  # a stream of its own: the simulation's is spent already
    training_start = today - timedelta(days=TRAINING_DAYS_AGO)
    training_end = training_start + timedelta(days=2)
    placebo_start = today - timedelta(days=PLACEBO_DAYS_AGO)
    onboarding_start = today - timedelta(days=ONBOARDING_DAYS_AGO)

    team = {r.rep_id: r.profile.team for r in reps}
    hired = {r.rep_id: r.hired_on for r in reps}
    trained = sorted(r for r, t in team.items() if t == TRAINING_TEAM)
    placebo = sorted(r for r, t in team.items() if t == PLACEBO_TEAM)
    new_hires = sorted(r for r, h in hired.items() if h is not None and h >= onboarding_start)

    closing = {row[0]: i for i, row in enumerate(tables.stage_history) if row[1] == LOST_STAGE}
    flipped = {TRAINING_PROGRAM: 0, ONBOARDING_PROGRAM: 0}

    def flip(row: list[str]) -> None:
        row[5], row[9], row[11] = "won", WON_STAGE, ""
        tables.stage_history[closing[row[0]]][1] = WON_STAGE

    # The training: the share of the lost deals to turn is set from the team's win rate over the after
    # window, so that the rate there rises by the lift in expectation: p + q (1 - p) = p + lift.
    after_end = training_end + timedelta(days=WINDOW)
    closed_after = [d for d in tables.deals if d[1] in trained and d[5] in ("won", "lost")
                    and training_end <= _day(d[4]) < after_end]
    won_share = sum(d[5] == "won" for d in closed_after) / max(len(closed_after), 1)
    turn = min(1.0, TRAINING_WIN_RATE_LIFT / max(1 - won_share, 1e-9))
    for d in tables.deals:
        if d[1] in trained and d[5] == "lost" and _day(d[4]) >= training_end and rng.random() < turn:
            flip(d)
            flipped[TRAINING_PROGRAM] += 1

    # The onboarding: new hires' deals from their first months close as wins more often.
    for d in tables.deals:
        rep = d[1]
        if rep not in new_hires or d[5] != "lost":
            continue
        start = hired[rep]
        assert start is not None
        early = _day(d[3]) < start + timedelta(days=30 * ONBOARDING_MONTHS)
        if early and rng.random() < ONBOARDING_WIN_BOOST:
            flip(d)
            flipped[ONBOARDING_PROGRAM] += 1

    programs = [
        [PLACEBO_PROGRAM, "CRM refresher", "tool", placebo_start.isoformat(),
         (placebo_start + timedelta(days=1)).isoformat(), "4000.00", CURRENCY],
        [ONBOARDING_PROGRAM, "New onboarding", "onboarding", onboarding_start.isoformat(), "", "25000.00",
         CURRENCY],
        [TRAINING_PROGRAM, "Discovery training", "training", training_start.isoformat(),
         training_end.isoformat(), "18000.00", CURRENCY],
    ]
    participants = ([[PLACEBO_PROGRAM, r] for r in placebo] + [[ONBOARDING_PROGRAM, r] for r in new_hires]
                    + [[TRAINING_PROGRAM, r] for r in trained])
    return Planted(programs, participants, flipped)
