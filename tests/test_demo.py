"""The demo data set: reproducible, consistent, and carrying the patterns the docs point at."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from salesmetrics.demo import (
    BUNDLE_PRODUCT,
    FILES,
    HIGH_ACTIVITY_LOW_CONVERSION_REP,
    LOW_ACTIVITY_HIGH_CONVERSION_REP,
    generate,
)
from salesmetrics.schema import TABLES

TODAY = date(2026, 10, 15)
Rows = list[dict[str, str]]


def read(folder: Path, table: str) -> Rows:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("demo")
    return folder, generate(folder, seed=42, today=TODAY)


@pytest.fixture(scope="module")
def data(demo: tuple[Path, dict[str, int]]) -> dict[str, Rows]:
    folder, _ = demo
    return {table: read(folder, table) for table in FILES}


# -- reproducibility -------------------------------------------------------------------------------
def test_same_seed_and_day_give_identical_files(demo: tuple[Path, dict[str, int]],
                                                tmp_path: Path) -> None:
    folder, counts = demo
    again = generate(tmp_path, seed=42, today=TODAY)
    assert again == counts
    for table in FILES:
        name = f"{table}.csv"
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_other_seed_gives_other_data(demo: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    folder, _ = demo
    generate(tmp_path, seed=7, today=TODAY)
    assert (tmp_path / "deals.csv").read_bytes() != (folder / "deals.csv").read_bytes()
    assert (tmp_path / "activities.csv").read_bytes() != (folder / "activities.csv").read_bytes()


def test_today_defaults_to_the_current_date(tmp_path: Path) -> None:
    generate(tmp_path, seed=1)
    deals = read(tmp_path, "deals")
    latest = max(ts(d["closed_at"]).date() for d in deals if d["closed_at"])
    assert date.today() - timedelta(days=14) <= latest <= date.today()


def test_a_demo_built_now_holds_nothing_after_now(tmp_path: Path) -> None:
    """`salesmetrics demo` dates its records up to an evening that has passed (7 p.m. in the
    workspace's zone): built at 2 a.m., calls, wins and its last import were dated up to 7 p.m.
    the same day, and the dashboard's "today" reached hours past the clock."""
    from zoneinfo import ZoneInfo

    from helpers import Cli
    from salesmetrics import Workspace

    db = tmp_path / "demo.duckdb"
    Cli(db)("demo", "--seed", "3")
    with Workspace.open(db, read_only=True) as ws:
        now = datetime.now(ZoneInfo(ws.store.settings.time_zone or "UTC")).replace(tzinfo=None)
        latest = ws.store.connection.execute(
            "SELECT greatest((SELECT max(created_at) FROM deals), (SELECT max(closed_at) FROM deals), "
            "(SELECT max(occurred_at) FROM activities), (SELECT max(responded_at) FROM nps_responses), "
            "(SELECT max(changed_at) FROM deal_changes))").fetchall()[0][0]
    assert now - timedelta(days=1, hours=1) <= latest <= now


# -- files -----------------------------------------------------------------------------------------
def test_files_have_canonical_headers_and_reported_counts(
        demo: tuple[Path, dict[str, int]], data: dict[str, Rows]) -> None:
    folder, counts = demo
    assert set(counts) == set(FILES)
    for table in FILES:
        with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert tuple(header) == TABLES[table].column_names, table
        assert counts[table] == len(data[table]), table


def test_sizes_are_in_the_expected_range(demo: tuple[Path, dict[str, int]]) -> None:
    _, counts = demo
    assert 4_000 <= counts["deals"] <= 8_000
    assert 50_000 <= counts["activities"] <= 100_000
    assert 200 <= counts["nps_responses"] <= 1_200


def test_formats(data: dict[str, Rows]) -> None:
    for deal in data["deals"]:
        assert deal["currency"] == "USD"
        amount = deal["amount"]
        assert Decimal(amount) == Decimal(amount).quantize(Decimal("0.01"))
        assert "." in amount and len(amount.split(".")[1]) == 2 and "e" not in amount.lower()
        assert ts(deal["created_at"]).tzinfo is None
        assert len(deal["created_at"]) == len("2026-10-01T09:30:00")
    for quota in data["quotas"]:
        date.fromisoformat(quota["period_start"])


# -- content ---------------------------------------------------------------------------------------
def test_reps_teams_and_hire_dates(data: dict[str, Rows]) -> None:
    reps = data["reps"]
    assert len(reps) >= 20
    assert len({r["team"] for r in reps}) == 3
    assert all(r["name"] for r in reps)
    hired = [date.fromisoformat(r["hired_on"]) for r in reps if r["hired_on"]]
    assert len(hired) == len(reps) - 1  # one rep without hire date, as in real exports
    assert all(d <= TODAY for d in hired)
    ramping = [d for d in hired if TODAY - d <= timedelta(days=270)]
    assert 3 <= len(ramping) <= 4
    assert min(hired) <= TODAY - timedelta(days=3 * 365)


def test_products(data: dict[str, Rows]) -> None:
    products = data["products"]
    assert len(products) >= 8
    assert BUNDLE_PRODUCT in {p["product_id"] for p in products}
    assert all(Decimal(p["unit_price"]) > 0 and p["currency"] == "USD" for p in products)


def test_references_are_consistent(data: dict[str, Rows]) -> None:
    rep_ids = {r["rep_id"] for r in data["reps"]}
    product_ids = {p["product_id"] for p in data["products"]}
    deal_ids = [d["deal_id"] for d in data["deals"]]
    assert len(set(deal_ids)) == len(deal_ids)
    deals = set(deal_ids)
    assert {d["rep_id"] for d in data["deals"]} <= rep_ids
    assert {i["deal_id"] for i in data["deal_items"]} == deals  # every deal sold something
    assert {i["product_id"] for i in data["deal_items"]} <= product_ids
    assert {a["rep_id"] for a in data["activities"]} <= rep_ids
    assert {a["deal_id"] for a in data["activities"] if a["deal_id"]} <= deals
    assert {q["rep_id"] for q in data["quotas"]} <= rep_ids
    assert {n["rep_id"] for n in data["nps_responses"]} <= rep_ids
    assert {s["deal_id"] for s in data["stage_history"]} == deals
    for table in ("activities", "nps_responses"):
        key = TABLES[table].key[0]
        ids = [row[key] for row in data[table]]
        assert len(set(ids)) == len(ids), table
    items = [(i["deal_id"], i["product_id"]) for i in data["deal_items"]]
    assert len(set(items)) == len(items)


def test_deal_amount_is_the_sum_of_its_items(data: dict[str, Rows]) -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    per_deal: Counter[str] = Counter()
    for item in data["deal_items"]:
        totals[item["deal_id"]] += Decimal(item["quantity"]) * Decimal(item["unit_price"])
        per_deal[item["deal_id"]] += 1
    for deal in data["deals"]:
        assert Decimal(deal["amount"]) == totals[deal["deal_id"]], deal["deal_id"]
    assert set(per_deal.values()) == {1, 2, 3}


def test_statuses_stages_and_reasons(data: dict[str, Rows]) -> None:
    deals = data["deals"]
    status = Counter(d["status"] for d in deals)
    assert set(status) == {"open", "won", "lost"}
    assert 0.25 <= status["won"] / (status["won"] + status["lost"]) <= 0.35
    for d in deals:
        if d["status"] == "won":
            assert d["stage"] == "closed won" and not d["lost_reason"]
        elif d["status"] == "lost":
            assert d["stage"] == "closed lost"
            assert d["lost_reason"] in {"price", "competitor", "no decision", "timing"}
        else:
            assert d["stage"] in {"qualification", "discovery", "proposal", "negotiation"}
            assert not d["closed_at"] and not d["lost_reason"]
        assert d["source"] in {"inbound", "outbound", "referral", "partner", "event"}
        assert d["pipeline"] in {"new business", "expansion"}
    pipelines = Counter(d["pipeline"] for d in deals)
    assert pipelines["new business"] > 2 * pipelines["expansion"] > 0
    assert any(d["status"] == "open" and not d["account"] for d in deals)
    assert all(d["account"] for d in deals if d["status"] != "open")


def test_dates_stay_in_the_past_and_in_order(data: dict[str, Rows]) -> None:
    cycles = []
    for d in data["deals"]:
        created = ts(d["created_at"])
        assert created.date() <= TODAY
        if d["closed_at"]:
            closed = ts(d["closed_at"])
            assert closed.date() <= TODAY
            assert closed >= created
            assert closed.date() >= TODAY - timedelta(days=730)
            cycles.append((closed - created).days)
    cycles.sort()
    median = cycles[len(cycles) // 2]
    assert 20 <= median <= 45
    assert sum(10 <= c <= 90 for c in cycles) / len(cycles) > 0.8
    for a in data["activities"]:
        assert ts(a["occurred_at"]).date() <= TODAY
    for n in data["nps_responses"]:
        assert ts(n["responded_at"]).date() <= TODAY


def test_recent_deals_are_still_open(data: dict[str, Rows]) -> None:
    recent = [d for d in data["deals"] if ts(d["created_at"]).date() >= TODAY - timedelta(days=14)]
    assert recent
    assert sum(d["status"] == "open" for d in recent) / len(recent) > 0.8


def test_stage_history_runs_from_creation_to_close(data: dict[str, Rows]) -> None:
    history: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for s in data["stage_history"]:
        history[s["deal_id"]].append((ts(s["entered_at"]), s["stage"]))
    for d in data["deals"]:
        steps = history[d["deal_id"]]
        assert steps == sorted(steps)
        assert steps[0] == (ts(d["created_at"]), "qualification")
        assert steps[-1][1] == d["stage"]
        if d["closed_at"]:
            assert steps[-1][0] == ts(d["closed_at"])
            assert all(t <= ts(d["closed_at"]) for t, _ in steps)
        else:
            assert all(t.date() <= TODAY for t, _ in steps)


def test_activities_follow_deals(data: dict[str, Rows]) -> None:
    activities = data["activities"]
    assert {a["type"] for a in activities} == {"call", "email", "social", "meeting", "demo"}
    assert sum(bool(a["deal_id"]) for a in activities) / len(activities) > 0.6
    deals = {d["deal_id"]: d for d in data["deals"]}
    per_deal = Counter(a["deal_id"] for a in activities if a["deal_id"])
    for a in activities:
        if a["deal_id"]:
            deal = deals[a["deal_id"]]
            assert a["rep_id"] == deal["rep_id"]
            assert ts(a["occurred_at"]) >= ts(deal["created_at"])
            if deal["closed_at"]:
                assert ts(a["occurred_at"]) <= ts(deal["closed_at"])

    def mean(status: str) -> float:
        ids = [i for i, d in deals.items() if d["status"] == status]
        return sum(per_deal[i] for i in ids) / len(ids)

    assert mean("won") > 1.5 * mean("lost")  # deals that progress get more touches


def rep_stats(data: dict[str, Rows], rep_id: str) -> tuple[float, float]:
    """(activities per deal, won / (won + lost)) of one rep."""
    deals = [d for d in data["deals"] if d["rep_id"] == rep_id]
    ids = {d["deal_id"] for d in deals}
    activities = sum(a["deal_id"] in ids for a in data["activities"])
    won = sum(d["status"] == "won" for d in deals)
    lost = sum(d["status"] == "lost" for d in deals)
    return activities / len(deals), won / (won + lost)


def test_high_activity_rep_converts_worse_than_low_activity_rep(data: dict[str, Rows]) -> None:
    high_activity, high_rate = rep_stats(data, HIGH_ACTIVITY_LOW_CONVERSION_REP)
    low_activity, low_rate = rep_stats(data, LOW_ACTIVITY_HIGH_CONVERSION_REP)
    assert high_activity > 2 * low_activity
    assert high_rate < low_rate
    others = [r["rep_id"] for r in data["reps"]
              if r["rep_id"] not in (HIGH_ACTIVITY_LOW_CONVERSION_REP,
                                     LOW_ACTIVITY_HIGH_CONVERSION_REP)]
    median_activity = sorted(rep_stats(data, r)[0] for r in others)[len(others) // 2]
    assert high_activity > 1.5 * median_activity > 1.5 * low_activity


def test_bundle_product_sells_in_bundles(data: dict[str, Rows]) -> None:
    size = Counter(i["deal_id"] for i in data["deal_items"])
    bundle_deals = [i["deal_id"] for i in data["deal_items"] if i["product_id"] == BUNDLE_PRODUCT]
    assert len(bundle_deals) >= 100
    assert sum(size[d] > 1 for d in bundle_deals) / len(bundle_deals) > 0.8
    # ... and it is what sets it apart: subscriptions sell alone much more often.
    basic = [i["deal_id"] for i in data["deal_items"] if i["product_id"] == "SUB-BASIC"]
    assert sum(size[d] > 1 for d in basic) / len(basic) < 0.8


def test_won_revenue_is_seasonal_and_skewed(data: dict[str, Rows]) -> None:
    by_quarter: dict[int, Decimal] = defaultdict(Decimal)
    by_rep: dict[str, Decimal] = defaultdict(Decimal)
    for d in data["deals"]:
        if d["status"] == "won":
            month = ts(d["closed_at"]).month
            by_quarter[(month - 1) // 3 + 1] += Decimal(d["amount"])
            by_rep[d["rep_id"]] += Decimal(d["amount"])
    assert by_quarter[4] > max(by_quarter[1], by_quarter[2], by_quarter[3])
    shares = sorted(by_rep.values(), reverse=True)
    assert sum(shares[:3]) > Decimal("0.25") * sum(shares)


def test_quotas_are_monthly_per_rep_and_ramp_for_new_hires(data: dict[str, Rows]) -> None:
    quotas = data["quotas"]
    assert all(q["rep_id"] and not q["team"] for q in quotas)
    for q in quotas:
        start, end = date.fromisoformat(q["period_start"]), date.fromisoformat(q["period_end"])
        assert start.day == 1
        assert end.month == start.month and (end + timedelta(days=1)).day == 1
        assert Decimal(q["amount"]) > 0 and q["currency"] == "USD"
    keys = [(q["rep_id"], q["period_start"]) for q in quotas]
    assert len(set(keys)) == len(keys)
    reps_with_quota = {q["rep_id"] for q in quotas}
    assert reps_with_quota == {r["rep_id"] for r in data["reps"]}

    newest = max((r for r in data["reps"] if r["hired_on"]), key=lambda r: r["hired_on"])
    veteran = (TODAY - timedelta(days=3 * 365)).isoformat()
    older = next(r for r in data["reps"] if r["hired_on"] and r["hired_on"] < veteran)
    current = TODAY.replace(day=1).isoformat()

    def quota(rep_id: str) -> Decimal:
        return next(Decimal(q["amount"]) for q in quotas
                    if q["rep_id"] == rep_id and q["period_start"] == current)

    assert quota(newest["rep_id"]) < quota(older["rep_id"])


def test_nps_responses(data: dict[str, Rows]) -> None:
    responses = data["nps_responses"]
    scores = [int(n["score"]) for n in responses]
    assert all(0 <= s <= 10 for s in scores)
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert promoters > detractors > 0
    won_accounts: dict[str, datetime] = {}
    for d in data["deals"]:
        if d["status"] == "won":
            closed = ts(d["closed_at"])
            won_accounts[d["account"]] = min(closed, won_accounts.get(d["account"], closed))
    for n in responses:
        assert n["account"] in won_accounts
        assert ts(n["responded_at"]) > won_accounts[n["account"]]


# -- into a workspace ------------------------------------------------------------------------------
def test_build_imports_into_a_workspace(demo: tuple[Path, dict[str, int]], demo_db: Path) -> None:
    # Imported here so the generator tests above still run when the importer is broken.
    from salesmetrics.workspace import Workspace

    _, counts = demo  # the files generate() writes, beside the workspace build() filled with them
    with Workspace.open(demo_db, read_only=True) as ws:
        assert ws.counts()["deals"] == counts["deals"]
        # deal_changes is no file: it is the history the imports of the demo's exports kept.
        assert ws.counts() == {**counts, "fx_rates": 0, "deal_changes": ws.counts()["deal_changes"]}
        first_seen, deals = ws.connection.execute(
            "SELECT count(DISTINCT deal_id) FILTER (WHERE old_amount IS NULL), "
            "(SELECT count(*) FROM deals) FROM deal_changes").fetchall()[0]
        assert first_seen == deals  # every deal's first import is kept
        assert ws.settings.base_currency == "USD"
        assert ws.settings.time_zone == "Europe/Berlin"


# -- what is ahead: expected dates, categories, accounts, and the history of earlier exports ------
def test_open_deals_carry_a_forecast_and_closed_ones_none(data: dict[str, Rows]) -> None:
    open_deals = [d for d in data["deals"] if d["status"] == "open"]
    assert all(d["expected_close_on"] and d["forecast_category"] for d in open_deals)
    assert {d["forecast_category"] for d in open_deals} == {"commit", "best_case", "pipeline", "omitted"}
    own = [d for d in open_deals if d["probability"]]
    assert 0.25 < len(own) / len(open_deals) < 0.55  # the rest are weighted by their stage's rate
    closed = [d for d in data["deals"] if d["status"] != "open"]
    assert not any(d["expected_close_on"] or d["forecast_category"] or d["probability"] for d in closed)
    # Forgotten deals: open, expected long ago.
    overdue = [d for d in open_deals if date.fromisoformat(d["expected_close_on"]) < TODAY]
    assert 0 < len(overdue) < len(open_deals) / 2


def test_every_account_a_deal_names_has_a_segment(data: dict[str, Rows]) -> None:
    accounts = {a["account_id"]: a for a in data["accounts"]}
    named = {d["account"] for d in data["deals"] if d["account"]}
    assert named == set(accounts)
    assert {a["segment"] for a in accounts.values()} == {"smb", "mid-market", "enterprise"}
    assert {a["region"] for a in accounts.values()} == {"emea", "na", "apac"}
    assert "other" not in {a["industry"] for a in accounts.values()}


def test_the_demo_keeps_the_history_a_forecast_is_judged_by(demo_db: Path) -> None:
    from salesmetrics.workspace import Workspace

    with Workspace.open(demo_db, read_only=True) as ws:
        slipped = ws.slippage("2026-Q3", as_of=TODAY)
        accuracy = ws.forecast_accuracy(last=4, as_of=TODAY)
        forecast = ws.forecast("2026-Q4", as_of=TODAY)
    assert slipped.pushes > 50 and len(slipped.moved_out) > 10
    everyone = [r for r in accuracy.rows if r.key is None]
    assert [r.period.label for r in everyone] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert all(r.start.row is not None and r.middle.row is not None for r in everyone)
    # Half way through a quarter more of it is known than at its start.
    assert all(r.middle.row is not None and r.start.row is not None
               and r.middle.row.call_commit > r.start.row.call_commit for r in everyone)
    total = forecast.total
    assert total.quota is not None and total.coverage is not None and total.weighted > total.closed_won
    assert total.unweighted_deals < total.deals  # the stage rates weigh the deals without their own
