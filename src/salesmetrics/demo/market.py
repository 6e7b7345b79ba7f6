"""What the demo's team sells and how its market behaves: products and prices, lead sources,
seasons, activity mixes, survey answers, quotas, and made-up company names."""

from __future__ import annotations

from decimal import Decimal

from .constants import BUNDLE_PRODUCT

# -- products --------------------------------------------------------------------------------------
PRODUCTS: tuple[tuple[str, str, Decimal], ...] = (
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
PRICE = {pid: price for pid, _, price in PRODUCTS}
SUBSCRIPTIONS = ("SUB-BASIC", "SUB-PREMIUM", "SUB-ENTERPRISE")
SEAT_MEDIAN = {"SUB-BASIC": 12.0, "SUB-PREMIUM": 20.0, "SUB-ENTERPRISE": 55.0}
ADD_ONS = ("ADD-ANALYTICS", "ADD-SSO", "ADD-API", "ADD-STORAGE", "SVC-TRAINING", "SUP-PREMIUM")
ADD_ON_WEIGHTS = (30, 15, 15, 10, 15, 15)

# -- deal attributes -------------------------------------------------------------------------------
SOURCES = ("inbound", "outbound", "referral", "partner", "event")
SOURCE_WEIGHTS = (35, 30, 12, 13, 10)
SOURCE_WIN = {"inbound": 1.1, "outbound": 0.7, "referral": 1.5, "partner": 1.2, "event": 0.9}
LOST_REASONS = ("price", "competitor", "no decision", "timing")
LOST_EARLY = (15, 20, 40, 25)  # deals that die in qualification/discovery rarely got to pricing
LOST_LATE = (40, 35, 15, 10)
# How far lost deals got before they died (index into OPEN_STAGES).
LOST_AT_WEIGHTS = (35, 30, 20, 15)

# Deals created per month and won per close month, relative: a strong Q4, a weak summer.
CREATE_SEASON = (0.9, 0.95, 1.05, 1.0, 1.0, 0.9, 0.75, 0.7, 1.0, 1.1, 1.2, 1.05)
WIN_SEASON = (0.85, 0.9, 1.05, 0.95, 0.95, 0.9, 0.75, 0.75, 1.0, 1.15, 1.3, 1.45)
DEALS_PER_WORKDAY = 0.62
BASE_WIN = 0.26

# Activity types and their mix, per phase of a deal (cumulative weights for Random.choices).
ACTIVITY_TYPES = ("call", "email", "social", "meeting", "demo")
ACTIVITY_MIX: dict[str, tuple[int, int, int, int, int]] = {
    "prospecting": (45, 35, 20, 0, 0),
    "qualification": (40, 35, 10, 15, 0),
    "discovery": (25, 30, 0, 35, 10),
    "proposal": (20, 35, 0, 20, 25),
    "negotiation": (30, 40, 0, 30, 0),
}
ACTIVITIES_PER_STAGE = {
    "qualification": 3.0, "discovery": 3.5, "proposal": 3.5, "negotiation": 3.5,
}
PROSPECTING_PER_WORKDAY = 1.2

# NPS score weights 0..10 by how good the account's rep is.
NPS_WEIGHTS = {
    "good": (1, 0, 1, 1, 1, 2, 3, 8, 17, 30, 36),
    "average": (2, 1, 2, 2, 3, 4, 6, 14, 22, 24, 20),
    "poor": (4, 3, 4, 5, 5, 7, 9, 16, 18, 16, 13),
}
NPS_RESPONSE_RATE = 0.3

QUOTA_RAMP = (0.2, 0.4, 0.6, 0.8)  # share of full quota in a new hire's first months
QUOTA_GROWTH = 0.08  # yearly raise of quotas, matching the team's growth

# Parts of made-up company names ("Northfield Logistics Inc.").
NAME_A = (
    "Blue", "North", "Silver", "Green", "Red", "Iron", "Bright", "Clear", "Swift", "High", "Oak",
    "Stone", "West", "East", "Gold", "Black", "White", "Pine", "Maple", "Cedar", "River", "Lake",
    "Sun", "Star", "Fair", "Long", "Deep", "Wild", "Grand", "True",
)
NAME_B = (
    "field", "stone", "bridge", "harbor", "view", "ridge", "gate", "wood", "brook", "point",
    "crest", "haven", "line", "mark", "way", "port", "vale", "light", "works", "path",
)
SECTORS = (
    "Logistics", "Health", "Foods", "Energy", "Software", "Capital", "Media", "Labs",
    "Manufacturing", "Retail", "Insurance", "Consulting", "Systems", "Pharma", "Engineering",
    "Analytics", "Robotics", "Telecom", "Mobility", "Freight", "Hospitality", "Education",
    "Properties", "Solutions",
)
LEGAL = (" Inc.", " LLC", " GmbH", " Ltd", " Corp.", " AG", "", " SE", " B.V.")
