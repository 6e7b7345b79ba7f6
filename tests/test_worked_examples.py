"""Every worked example of the KPI catalogue (KPIS.md, from the seed article), end to end.

Raw records are written as CSV, imported through the CLI, and the figure is read back from
`report --format json`. Each case carries noise that must be left out: deals closed one second
before and after the period, lost and open deals, other reps, other weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import Cli

REPS = [
    {"rep_id": "jim", "name": "Jim Halpert", "team": "east", "hired_on": "2020-03-01"},
    {"rep_id": "ann", "name": "Ann Perkins", "team": "west", "hired_on": "2021-05-01"},
]


def deal(deal_id: str, rep: str, status: str, amount: Any, closed: str | None,
         created: str = "2026-01-05T09:00:00", **extra: Any) -> dict[str, Any]:
    return {"deal_id": deal_id, "rep_id": rep, "account": f"acct-{deal_id}", "created_at": created,
            "closed_at": closed, "status": status, "amount": amount, "currency": "USD", **extra}


def test_total_revenue_last_30_days(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: 100 basic subscriptions at $25 + 100 premium at $50 in the last 30 days = $7,500.
    csvs("reps", REPS)
    csvs("products", [
        {"product_id": "basic", "name": "SaaS Basic", "unit_price": "25.00", "currency": "USD"},
        {"product_id": "premium", "name": "SaaS Premium", "unit_price": "50.00", "currency": "USD"},
    ])
    # last-30-days as of 2026-10-31 is 2026-10-02 00:00 .. 2026-11-01 00:00 (exclusive).
    csvs("deals", [
        deal("d1", "jim", "won", "2500.00", "2026-10-02T00:00:00"),  # first second inside
        deal("d2", "ann", "won", "5000.00", "2026-10-31T23:59:59"),  # last second inside
        deal("n1", "jim", "won", "999.00", "2026-10-01T23:59:59"),  # one second before
        deal("n2", "jim", "won", "888.00", "2026-11-01T00:00:00"),  # one second after
        deal("n3", "ann", "lost", "777.00", "2026-10-15T12:00:00"),
        deal("n4", "ann", "open", "666.00", None),
    ])
    csvs("deal_items", [
        {"deal_id": "d1", "product_id": "basic", "quantity": 100, "unit_price": "25.00"},
        {"deal_id": "d2", "product_id": "premium", "quantity": 100, "unit_price": "50.00"},
        {"deal_id": "n1", "product_id": "basic", "quantity": 39.96, "unit_price": "25.00"},
        {"deal_id": "n3", "product_id": "premium", "quantity": 1, "unit_price": "777.00"},
    ])
    cli.import_(csvs("reps", REPS).parent)
    args = ("--period", "last-30-days", "--as-of", "2026-10-31", "--kpi", "total_revenue")
    report = cli.report(*args)
    assert report["period"]["start"] == "2026-10-02"
    assert report["period"]["end"] == "2026-11-01"
    [row] = report["rows"]
    assert Decimal(str(row["value"])) == Decimal("7500.00")
    assert row["currency"] == "USD" and row["unit"] == "money" and row["n"] == 2
    # Money is an exact decimal in the JSON text itself, not a float approximation.
    assert '"value": 7500.00' in cli("report", "--format", "json", *args).stdout


def test_revenue_per_rep_last_month(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: Jim sold 10 items at $1,000 last month = $10,000.
    csvs("reps", REPS)
    csvs("products", [{"product_id": "item", "name": "Item", "unit_price": "1000.00"}])
    jim = [deal(f"j{i}", "jim", "won", "1000.00", f"2026-10-{i + 1:02d}T15:00:00") for i in range(10)]
    noise = [
        deal("a1", "ann", "won", "4000.00", "2026-10-10T10:00:00"),  # another rep
        deal("j-lost", "jim", "lost", "3000.00", "2026-10-11T10:00:00"),
        deal("j-open", "jim", "open", "2000.00", None),
        deal("j-before", "jim", "won", "1000.00", "2026-09-30T23:59:59"),
        deal("j-after", "jim", "won", "1000.00", "2026-11-01T00:00:00"),
    ]
    folder = csvs("deals", jim + noise).parent
    csvs("deal_items", [{"deal_id": d["deal_id"], "product_id": "item", "quantity": 1,
                         "unit_price": "1000.00"} for d in jim])
    cli.import_(folder)
    report = cli.report("--period", "last-month", "--as-of", "2026-11-15", "--kpi", "revenue_per_rep")
    by_rep = {r["rep"]: Decimal(str(r["value"])) for r in report["rows"]}
    assert by_rep == {"jim": Decimal("10000.00"), "ann": Decimal("4000.00")}
    assert report["period"] == {"label": "last-month (2026-10-01..2026-10-31)",
                                "start": "2026-10-01", "end": "2026-11-01"}


def test_revenue_per_product_last_quarter(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: last quarter 100 widgets at $100 and 50 service contracts at $500 = $10,000 and $25,000.
    csvs("reps", REPS)
    csvs("products", [
        {"product_id": "widget", "name": "Widget", "unit_price": "100.00", "currency": "USD"},
        {"product_id": "service", "name": "Service contract", "unit_price": "500.00", "currency": "USD"},
    ])
    deals = [
        deal("q1", "jim", "won", "9000.00", "2026-07-01T00:00:00"),  # 40 widgets + 10 services
        deal("q2", "ann", "won", "16000.00", "2026-08-15T10:00:00"),  # 60 widgets + 20 services
        deal("q3", "ann", "won", "10000.00", "2026-09-30T23:59:59"),  # 20 services
        deal("x1", "jim", "won", "500.00", "2026-06-30T23:59:59"),  # Q2
        deal("x2", "jim", "won", "100.00", "2026-10-01T00:00:00"),  # Q4
        deal("x3", "ann", "lost", "1000.00", "2026-08-01T10:00:00"),
        deal("x4", "ann", "open", "1000.00", None),
    ]
    items = [
        ("q1", "widget", 40, "100.00"), ("q1", "service", 10, "500.00"),
        ("q2", "widget", 60, "100.00"), ("q2", "service", 20, "500.00"),
        ("q3", "service", 20, "500.00"),
        ("x1", "service", 1, "500.00"), ("x2", "widget", 1, "100.00"),
        ("x3", "widget", 10, "100.00"), ("x4", "widget", 10, "100.00"),
    ]
    folder = csvs("deals", deals).parent
    csvs("deal_items", [{"deal_id": d, "product_id": p, "quantity": q, "unit_price": u}
                        for d, p, q, u in items])
    cli.import_(folder)
    report = cli.report("--period", "last-quarter", "--as-of", "2026-11-15",
                        "--kpi", "revenue_per_product")
    assert (report["period"]["start"], report["period"]["end"]) == ("2026-07-01", "2026-10-01")
    by_product = {r["product"]: Decimal(str(r["value"])) for r in report["rows"]}
    assert by_product == {"widget": Decimal("10000.00"), "service": Decimal("25000.00")}
    # Filtering by one product keeps only that product's lines.
    only = cli.report("--period", "2026-Q3", "--kpi", "total_revenue", "--filter", "product=widget")
    assert Decimal(str(only["rows"][0]["value"])) == Decimal("10000.00")


def test_average_deal_size_last_month(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: 100 deals for $50,000 last month = $500 per deal.
    csvs("reps", REPS)
    won = [deal(f"w{i}", "jim" if i % 2 else "ann", "won", "300.00" if i < 50 else "700.00",
                f"2026-10-{i % 28 + 1:02d}T11:00:00") for i in range(100)]
    noise = [
        deal("l1", "jim", "lost", "90000.00", "2026-10-05T10:00:00"),
        deal("o1", "jim", "open", "90000.00", None),
        deal("b1", "jim", "won", "90000.00", "2026-09-30T23:59:59"),
        deal("a1", "jim", "won", "90000.00", "2026-11-01T00:00:00"),
    ]
    cli.import_(csvs("deals", won + noise).parent)
    report = cli.report("--period", "2026-10", "--kpi", "average_deal_size", "--kpi", "total_revenue")
    values = {r["kpi"]: (Decimal(str(r["value"])), r["n"]) for r in report["rows"]}
    assert values["total_revenue"] == (Decimal("50000.00"), 100)
    assert values["average_deal_size"] == (Decimal("500.00"), 100)


def test_sales_cycle_length(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: five deals closed last month after 27, 28, 19, 21 and 20 days = 23 days on average.
    csvs("reps", REPS)
    closed = datetime(2026, 10, 20, 16, 30)
    deals = [
        deal(f"c{i}", "jim", "won", "100.00", closed.isoformat(),
             created=(closed - timedelta(days=d)).replace(hour=9).isoformat())
        for i, d in enumerate([27, 28, 19, 21, 20])
    ]
    deals += [
        deal("lost", "jim", "lost", "100.00", "2026-10-10T10:00:00", created="2026-01-01T10:00:00"),
        deal("open", "jim", "open", "100.00", None, created="2025-01-01T10:00:00"),
        deal("before", "ann", "won", "100.00", "2026-09-30T23:59:59", created="2026-01-01T10:00:00"),
        deal("after", "ann", "won", "100.00", "2026-11-01T00:00:00", created="2026-01-01T10:00:00"),
    ]
    cli.import_(csvs("deals", deals).parent)
    report = cli.report("--period", "2026-10-01..2026-10-31", "--kpi", "sales_cycle_length")
    [row] = report["rows"]
    assert row["value"] == 23 and row["unit"] == "days" and row["n"] == 5


def test_win_rate_both_readings(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: 100 opportunities worked last month, 36 won = 36 %.
    csvs("reps", REPS)
    deals = [deal(f"d{i}", "jim" if i % 3 else "ann", "won" if i < 36 else "lost", "100.00",
                  f"2026-10-{i % 30 + 1:02d}T10:00:00", created="2026-09-01T10:00:00")
             for i in range(100)]
    deals += [
        deal("before", "jim", "won", "100.00", "2026-09-30T23:59:59", created="2026-09-01T10:00:00"),
        deal("after", "jim", "lost", "100.00", "2026-11-01T00:00:00", created="2026-11-01T00:00:00"),
        deal("later", "jim", "open", "100.00", None, created="2026-11-01T00:00:00"),
    ]
    folder = csvs("deals", deals).parent
    cli.import_(folder)
    both = cli.report("--period", "2026-10", "--kpi", "win_rate", "--kpi", "pipeline_win_rate")
    values = {r["kpi"]: (r["value"], r["n"]) for r in both["rows"]}
    assert values == {"win_rate": (0.36, 100), "pipeline_win_rate": (0.36, 100)}
    # Open deals make the readings differ: 20 deals still open in October.
    opened = [deal(f"o{i}", "jim", "open", "100.00", None, created="2026-10-05T10:00:00")
              for i in range(20)]
    cli.import_(csvs("deals", opened).parent)
    both = cli.report("--period", "2026-10", "--kpi", "win_rate", "--kpi", "pipeline_win_rate")
    values = {r["kpi"]: (r["value"], r["n"]) for r in both["rows"]}
    assert values == {"win_rate": (0.36, 100), "pipeline_win_rate": (0.3, 120)}


def test_quota_attainment(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: $40,000 of new business against a $50,000 target = 80 %.
    csvs("reps", REPS)
    csvs("deals", [
        deal("d1", "jim", "won", "25000.00", "2026-10-03T10:00:00"),
        deal("d2", "ann", "won", "15000.00", "2026-10-30T10:00:00"),
        deal("n1", "jim", "won", "50000.00", "2026-09-30T23:59:59"),
        deal("n2", "jim", "lost", "50000.00", "2026-10-10T10:00:00"),
        deal("n3", "ann", "open", "50000.00", None),
    ])
    csvs("quotas", [
        {"rep_id": "jim", "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": "30000.00"},
        {"rep_id": "ann", "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": "20000.00"},
        {"rep_id": "jim", "period_start": "2026-09-01", "period_end": "2026-09-30", "amount": "99999.00"},
    ], header=["rep_id", "team", "period_start", "period_end", "amount", "currency"])
    cli.import_(csvs("reps", REPS).parent)
    assert cli.value("--period", "2026-10", "--kpi", "quota_attainment") == 0.8
    by_rep = {r["rep"]: r["value"] for r in
              cli.report("--period", "2026-10", "--kpi", "quota_attainment", "--by", "rep")["rows"]}
    assert by_rep == {"jim": round(25000 / 30000, 6), "ann": 0.75}
    # A period that cuts a quota pro-rates it by days and says so: Oct 1-15 holds 15/31 of each quota.
    half = cli.report("--period", "2026-10-01..2026-10-15", "--kpi", "quota_attainment")["rows"][0]
    assert half["value"] == round(25000 / (50000 * 15 / 31), 6)
    assert "quota_prorated" in half["flags"]


def test_a_team_s_attainment_says_when_reps_without_a_quota_sold(cli: Cli, csvs: Callable[..., Path]) -> None:
    """East has no quota of its own, so its quota is Jim's, yet Kim (no quota) sold there too: the
    ratio is 2.0 with $20,000 of the $40,000 unmatched by any quota, and the figure says so. West's
    own quota covers Ann, so its figure carries no such flag; the company's sum does."""
    reps = [*REPS, {"rep_id": "kim", "name": "Kim Kelly", "team": "east", "hired_on": "2022-01-01"}]
    csvs("reps", reps)
    csvs("deals", [
        deal("d1", "jim", "won", "20000.00", "2026-10-03T10:00:00"),
        deal("d2", "kim", "won", "20000.00", "2026-10-13T10:00:00"),
        deal("d3", "ann", "won", "5000.00", "2026-10-20T10:00:00"),
    ])
    csvs("quotas", [
        {"rep_id": "jim", "team": "", "period_start": "2026-10-01", "period_end": "2026-10-31",
         "amount": "20000.00"},
        {"rep_id": "", "team": "west", "period_start": "2026-10-01", "period_end": "2026-10-31",
         "amount": "10000.00"},
    ], header=["rep_id", "team", "period_start", "period_end", "amount", "currency"])
    cli.import_(csvs("reps", reps).parent)
    kpi = ("--period", "2026-10", "--kpi", "quota_attainment")
    by_team = {r["team"]: (r["value"], r["flags"]) for r in cli.report(*kpi, "--by", "team")["rows"]}
    assert by_team == {"east": (2.0, ["unquoted_revenue"]), "west": (0.5, [])}
    [company] = cli.report(*kpi)["rows"]
    assert (company["value"], company["flags"]) == (1.5, ["unquoted_revenue"])
    by_rep = {r["rep"]: r["flags"] for r in cli.report(*kpi, "--by", "rep")["rows"]}
    assert by_rep == {"jim": [], "kim": ["no_quota"], "ann": ["no_quota"]}
    by_month = cli.report(*kpi, "--by", "team,month")["rows"]
    assert {(r["team"], r["month"]): r["flags"] for r in by_month} == {
        ("east", "2026-10"): ["unquoted_revenue"], ("west", "2026-10"): []}
    table = " ".join(cli("report", *kpi, "--by", "team", "--format", "table").stdout.split())
    assert "includes deals won by reps without a quota" in table
    german = " ".join(cli("report", *kpi, "--by", "team", "--format", "table", "--lang", "de").stdout.split())
    assert "enthält Abschlüsse von Mitarbeitern ohne Quote" in german


def test_activity_count_last_week(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: rep A last week made 200 cold calls, sent 150 emails and booked 10 meetings.
    csvs("reps", REPS)
    week = date(2026, 11, 16)  # Monday of ISO week 47; "last week" as of 2026-11-25
    rows: list[dict[str, Any]] = []

    def add(rep: str, kind: str, n: int, start: datetime) -> None:
        for i in range(n):
            at = start + timedelta(minutes=37 * i)
            rows.append({"activity_id": f"{rep}-{kind}-{start:%j%H%M}-{i}", "rep_id": rep,
                         "type": kind, "occurred_at": at.isoformat()})

    monday = datetime(week.year, week.month, week.day, 8, 0)
    add("jim", "call", 200, monday)
    add("jim", "email", 150, monday + timedelta(days=1))
    add("jim", "meeting", 10, monday + timedelta(days=4))
    add("ann", "call", 50, monday)  # another rep
    rows.append({"activity_id": "edge-before", "rep_id": "jim", "type": "call",
                 "occurred_at": "2026-11-15T23:59:59"})  # Sunday of the week before
    rows.append({"activity_id": "edge-after", "rep_id": "jim", "type": "call",
                 "occurred_at": "2026-11-23T00:00:00"})  # Monday of the week after
    csvs("activities", rows)
    cli.import_(csvs("reps", REPS).parent)
    for period in ("last-week", "2026-W47"):
        report = cli.report("--period", period, "--as-of", "2026-11-25", "--kpi", "activity_count",
                            "--by", "activity_type", "--filter", "rep=jim")
        counts = {r["activity_type"]: r["value"] for r in report["rows"]}
        assert counts == {"call": 200, "email": 150, "meeting": 10}


def test_nps(cli: Cli, csvs: Callable[..., Path]) -> None:
    # The seed: 100 answers, 30 detractors, 15 passives, 55 promoters = NPS 25.
    csvs("reps", REPS)
    scores = [0, 3, 6] * 10 + [7, 8, 7] * 5 + [9, 10] * 27 + [10]
    answers = [{"response_id": f"r{i}", "account": f"acct{i}", "score": s,
                "responded_at": f"2026-10-{i % 31 + 1:02d}T12:00:00", "rep_id": "jim" if i % 2 else ""}
               for i, s in enumerate(scores)]
    answers += [
        {"response_id": "old", "account": "x", "score": 0, "responded_at": "2026-09-30T23:59:59"},
        {"response_id": "new", "account": "x", "score": 0, "responded_at": "2026-11-01T00:00:00"},
    ]
    csvs("nps_responses", answers)
    cli.import_(csvs("reps", REPS).parent)
    report = cli.report("--period", "2026-10", "--kpi", "nps")
    [row] = report["rows"]
    assert (row["value"], row["n"], row["unit"]) == (25, 100, "score")


def test_ramp_time_quota_rule(cli: Cli, csvs: Callable[..., Path]) -> None:
    # RAIN Group: about 9 months to competency. A rep hired on 2025-01-01 with a $10,000 monthly quota
    # first reaches it in September 2025 and again in October: ramped (2 of 3 consecutive months, the
    # default ramp_sustain) from September, 272 days from hire to the end of that month. It is known
    # once October is over, so the rep counts in October's figure.
    reps = [*REPS, {"rep_id": "new", "name": "New Hire", "team": "east", "hired_on": "2025-01-01"},
            {"rep_id": "newer", "name": "Newer Hire", "team": "east", "hired_on": "2025-06-01"}]
    csvs("reps", reps)
    deals = [deal("old", "jim", "won", "5000.00", "2024-12-20T10:00:00", created="2024-12-01T10:00:00")]
    quotas = []
    for month in range(1, 11):
        deals.append(deal(f"n{month}", "new", "won", "10000.00" if month >= 9 else "9999.99",
                          f"2025-{month:02d}-15T10:00:00", created="2025-01-02T10:00:00"))
        quotas.append({"rep_id": "new", "period_start": f"2025-{month:02d}-01",
                       "period_end": (date(2025, month + 1, 1) - timedelta(days=1)).isoformat(),
                       "amount": "10000.00"})
        if month >= 6:
            quotas.append({"rep_id": "newer", "period_start": f"2025-{month:02d}-01",
                           "period_end": (date(2025, month + 1, 1) - timedelta(days=1)).isoformat(),
                           "amount": "10000.00"})
            deals.append(deal(f"w{month}", "newer", "won", "500.00", f"2025-{month:02d}-10T10:00:00",
                              created="2025-06-02T10:00:00"))
    csvs("deals", deals)
    csvs("quotas", quotas)
    cli.import_(csvs("reps", reps).parent)
    report = cli.report("--period", "2025-10", "--kpi", "ramp_time", "--by", "rep")
    rows = {r["rep"]: r for r in report["rows"]}
    assert rows["new"]["value"] == (date(2025, 9, 30) - date(2025, 1, 1)).days == 272
    # Still ramping: no ramp time, the days so far in their own field.
    assert rows["newer"]["value"] is None and rows["newer"]["flags"] == ["still_ramping"]
    # To the period's last day, as the ramp time is to its month's last day.
    assert rows["newer"]["days_so_far"] == (date(2025, 10, 31) - date(2025, 6, 1)).days
    assert "jim" not in rows and "ann" not in rows  # hired before the records begin: unknown
    company = cli.report("--period", "2025-10", "--kpi", "ramp_time")["rows"][0]
    assert (company["value"], company["n"]) == (272, 1)
    assert company["flags"] == ["1_still_ramping", "small_sample"]  # one rep: an average of one
    # At the end of September one month at quota is all there is: not a ramp yet.
    september = cli.report("--period", "2025-09", "--kpi", "ramp_time")["rows"][0]
    assert (september["value"], september["n"], september["flags"]) == (None, 0, ["still_ramping"])
    # The days so far run to September 30th: the 272 days October then reports as the ramp time (they
    # read 273, and fell by one the day the ramp was known).
    assert september["days_so_far"] == (date(2025, 9, 30) - date(2025, 1, 1)).days == 272
