"""What the demo data set is built to show, and the fixed choices it is built with."""

from __future__ import annotations

from decimal import Decimal

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
    "reps", "products", "accounts", "deals", "deal_items", "activities", "quotas", "nps_responses",
    "stage_history", "programs", "program_participants",
)

OPEN_STAGES = ("qualification", "discovery", "proposal", "negotiation")
FAST_TRACK = ("qualification", "proposal", "negotiation")
WON_STAGE = "closed won"
LOST_STAGE = "closed lost"

CENT = Decimal("0.01")
