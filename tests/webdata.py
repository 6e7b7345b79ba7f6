"""A small workspace with figures worked out by hand, for the web tests.

October 2026: jim (east) wins d1 for 1000.10 (created 20 Sep: 15 days), ann (west) wins d2 for
2000.20 (created 25 Sep: 11 days) and loses d3; bob (east) has d5 still open. jim won d4 for 700.00
in September. Total revenue in October: 3000.30 from 2 deals; win rate 2/3; average deal 1500.15;
sales cycle 13 days; 4 activities; NPS answers 10, 8 and 3: one promoter, one passive, one
detractor, so NPS 0. Quotas for October: jim 2000, ann 4000, bob 1000.
"""

from __future__ import annotations

from pathlib import Path

from helpers import write_csv
from salesmetrics import Workspace

REPS = [
    {"rep_id": "jim", "name": "Jim Halpert", "team": "east", "hired_on": "2020-01-01"},
    {"rep_id": "ann", "name": "Ann Perkins", "team": "west", "hired_on": "2020-01-01"},
    {"rep_id": "bob", "name": "Bob Vance", "team": "east", "hired_on": "2020-01-01"},
]
PRODUCTS = [
    {"product_id": "P1", "name": "Widget", "unit_price": "500.05", "currency": "USD"},
    {"product_id": "P2", "name": "Gadget", "unit_price": "500.00", "currency": "USD"},
]
DEALS = [
    {"deal_id": "d1", "rep_id": "jim", "account": "Acme", "created_at": "2026-09-20T10:00:00",
     "closed_at": "2026-10-05T10:00:00", "status": "won", "amount": "1000.10", "currency": "USD",
     "source": "inbound", "pipeline": "new"},
    {"deal_id": "d2", "rep_id": "ann", "account": "Globex", "created_at": "2026-09-25T10:00:00",
     "closed_at": "2026-10-06T10:00:00", "status": "won", "amount": "2000.20", "currency": "USD",
     "source": "referral", "pipeline": "new"},
    {"deal_id": "d3", "rep_id": "ann", "account": "Initech", "created_at": "2026-09-25T10:00:00",
     "closed_at": "2026-10-07T10:00:00", "status": "lost", "amount": "500.00", "currency": "USD",
     "source": "inbound", "pipeline": "new"},
    {"deal_id": "d4", "rep_id": "jim", "account": "Acme", "created_at": "2026-08-25T10:00:00",
     "closed_at": "2026-09-07T10:00:00", "status": "won", "amount": "700.00", "currency": "USD",
     "source": "inbound", "pipeline": "new"},
    {"deal_id": "d5", "rep_id": "bob", "account": "Umbrella", "created_at": "2026-10-10T10:00:00",
     "closed_at": "", "status": "open", "amount": "300.00", "currency": "USD", "source": "inbound",
     "pipeline": "expansion"},
]
DEAL_ITEMS = [
    {"deal_id": "d1", "product_id": "P1", "quantity": "2", "unit_price": "500.05"},
    {"deal_id": "d2", "product_id": "P1", "quantity": "1", "unit_price": "1000.20"},
    {"deal_id": "d2", "product_id": "P2", "quantity": "2", "unit_price": "500.00"},
    {"deal_id": "d4", "product_id": "P2", "quantity": "1", "unit_price": "700.00"},
]
ACTIVITIES = [
    {"activity_id": "a1", "rep_id": "jim", "type": "call", "occurred_at": "2026-10-01T09:00:00"},
    {"activity_id": "a2", "rep_id": "jim", "type": "email", "occurred_at": "2026-10-02T09:00:00"},
    {"activity_id": "a3", "rep_id": "ann", "type": "call", "occurred_at": "2026-10-03T09:00:00"},
    {"activity_id": "a4", "rep_id": "bob", "type": "demo", "occurred_at": "2026-10-04T09:00:00"},
    {"activity_id": "a5", "rep_id": "jim", "type": "call", "occurred_at": "2026-09-15T09:00:00"},
]
NPS = [
    {"response_id": "n1", "account": "Acme", "score": "10", "responded_at": "2026-10-10T12:00:00",
     "rep_id": "jim"},
    {"response_id": "n2", "account": "Globex", "score": "8", "responded_at": "2026-10-11T12:00:00",
     "rep_id": "ann"},
    {"response_id": "n3", "account": "Initech", "score": "3", "responded_at": "2026-10-12T12:00:00",
     "rep_id": "ann"},
]
QUOTAS = [
    {"rep_id": "jim", "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": "2000.00",
     "currency": "USD"},
    {"rep_id": "ann", "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": "4000.00",
     "currency": "USD"},
    {"rep_id": "bob", "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": "1000.00",
     "currency": "USD"},
]


def write_records(folder: Path) -> Path:
    for table, rows in (("reps", REPS), ("products", PRODUCTS), ("deals", DEALS),
                        ("deal_items", DEAL_ITEMS), ("activities", ACTIVITIES),
                        ("nps_responses", NPS), ("quotas", QUOTAS)):
        write_csv(folder / f"{table}.csv", rows)
    return folder


def make_workspace(path: Path) -> Path:
    folder = write_records(path.parent / "records")
    with Workspace.open(path) as ws:
        ws.import_files(folder)
    return path
