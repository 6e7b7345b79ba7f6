"""Revenue by segment (and by industry and region) equals the sum of the won deals of the segment's
accounts: random small workspaces, checked against a plain-Python sum."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_csv
from salesmetrics.workspace import Workspace

EXAMPLES = int(os.environ.get("SALESMETRICS_PROPERTY_EXAMPLES", "30"))
SEGMENTS = ("enterprise", "smb", None)
REGIONS = ("emea", "na", None)
START = datetime(2026, 7, 1)  # the period: 2026-Q3
END = datetime(2026, 10, 1)


@dataclass(frozen=True)
class Account:
    account_id: str
    segment: str | None
    region: str | None


@dataclass(frozen=True)
class Deal:
    deal_id: str
    account: str | None  # an account of the workspace, or none
    status: str
    amount: Decimal
    closed_at: datetime | None


@st.composite
def workspaces(draw: st.DrawFn) -> tuple[list[Account], list[Deal]]:
    accounts = [Account(f"a{i}", draw(st.sampled_from(SEGMENTS)), draw(st.sampled_from(REGIONS)))
                for i in range(draw(st.integers(1, 5)))]
    deals = []
    for i in range(draw(st.integers(0, 12))):
        status = draw(st.sampled_from(("won", "won", "lost", "open")))
        # Closed around the quarter: before it, inside, after it.
        closed = (None if status == "open"
                  else START + timedelta(minutes=draw(st.integers(-20_000, 150_000))))
        cents = draw(st.integers(0, 5_000_000))
        account = draw(st.sampled_from([None, *(a.account_id for a in accounts)]))
        deals.append(Deal(f"d{i}", account, status, Decimal(cents) / 100, closed))
    return accounts, deals


def expected(accounts: list[Account], deals: list[Deal], dim: str) -> dict[str | None, Decimal]:
    """Plain sums: each won deal of the quarter under its account's segment (or region)."""
    of = {a.account_id: getattr(a, dim) for a in accounts}
    sums: dict[str | None, Decimal] = defaultdict(Decimal)
    for d in deals:
        if d.status == "won" and d.closed_at is not None and START <= d.closed_at < END:
            sums[of.get(d.account) if d.account else None] += d.amount
    return dict(sums)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=workspaces())
def test_revenue_by_segment_is_the_sum_of_its_accounts_won_deals(
        data: tuple[list[Account], list[Deal]]) -> None:
    accounts, deals = data
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "records"
        write_csv(folder / "reps.csv", [{"rep_id": "r1", "team": "east"}])
        write_csv(folder / "accounts.csv", [{"account_id": a.account_id, "segment": a.segment,
                                             "region": a.region} for a in accounts],
                  ["account_id", "segment", "region"])
        write_csv(folder / "deals.csv", [
            {"deal_id": d.deal_id, "rep_id": "r1", "account": d.account,
             "created_at": "2026-01-01T00:00:00", "closed_at": d.closed_at.isoformat() if d.closed_at
             else None, "status": d.status, "amount": f"{d.amount:.2f}"} for d in deals],
            ["deal_id", "rep_id", "account", "created_at", "closed_at", "status", "amount"])
        with Workspace.open(Path(tmp) / "work.duckdb") as ws:
            ws.import_files(folder)
            for dim in ("segment", "region"):
                want = expected(accounts, deals, dim)
                rows = ws.report("2026-Q3", by=dim, kpis=["total_revenue"]).rows
                got = {r[dim]: r["value"] for r in rows}
                assert got == want, (dim, got, want)
                assert sum(got.values(), Decimal(0)) == sum(want.values(), Decimal(0))
                for value, total in want.items():
                    if value is None:
                        continue
                    [row] = ws.report("2026-Q3", kpis=["total_revenue"], filters={dim: [value]}).rows
                    assert row["value"] == total
