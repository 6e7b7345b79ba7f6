"""The rollups the workspace keeps beside the records (storage.ROLLUPS) answer exactly as the records
do, are what is read while fresh, and are rebuilt by every write that changes what they sum.

Revenue per product reads the whole months of a period from ``won_items_by_rep_month`` and the days
around them from the deals' lines; ramp time reads reps' quotas per month from
``quota_by_rep_month``. The records below put deals on the edges of months (the first instant, the
last second), deals with lines of two products (one deal, not two, where both are asked about
together), a rep in another team, quotas that a month cuts (mid-month to mid-month, a quarter) and
a quota of another team than its rep's."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from helpers import Cli, write_csv
from salesmetrics import Workspace, storage
from salesmetrics.access import Viewer
from salesmetrics.errors import UnknownValueError

REPS = {"ann": ("east", "2025-01-01"), "bob": ("east", "2025-02-01"), "cy": ("west", "2025-01-15"),
        "vet": ("west", "2020-01-01")}
# deal: rep, closed_at, status, lines (product, quantity, unit price)
DEALS: dict[str, tuple[str, str, str, list[tuple[str, str, str]]]] = {
    "d1": ("ann", "2025-03-01T00:00:00", "won", [("A", "1", "1000.00"), ("B", "2", "250.50")]),
    "d2": ("ann", "2025-03-31T23:59:59", "won", [("A", "3", "333.33")]),
    "d3": ("bob", "2025-03-15T12:00:00", "won", [("A", "1", "10.00"), ("C", "2", "5.25")]),
    "d4": ("cy", "2025-04-01T00:00:00", "won", [("B", "1.5", "99.99")]),
    "d5": ("cy", "2025-02-28T23:59:59", "won", [("C", "1", "12345.67")]),
    "d6": ("bob", "2025-03-20T09:00:00", "lost", [("A", "1", "999.00")]),
    "d7": ("vet", "2024-12-10T09:00:00", "won", [("C", "4", "2500.00")]),
    "d8": ("ann", "2025-05-02T08:00:00", "won", [("B", "10", "1200.00")]),
    "d9": ("cy", "2025-06-30T17:00:00", "won", [("A", "7", "1500.00"), ("C", "1", "0.01")]),
    "d10": ("bob", "2025-04-30T23:59:59", "won", [("C", "2", "7000.00")]),
    "d11": ("ann", "2025-06-10T10:00:00", "won", [("B", "5", "1000.00")]),
}
QUOTAS = [  # rep, start, end, amount: some cut by months
    ("ann", "2025-01-01", "2025-03-31", "30000.00"),
    ("ann", "2025-04-01", "2025-06-30", "9000.00"),
    ("bob", "2025-02-15", "2025-03-14", "10000.00"),
    ("bob", "2025-03-15", "2025-06-14", "3000.00"),
    ("cy", "2025-01-15", "2025-07-31", "7000.00"),
    ("ann", "2025-03-01", "2025-03-31", "500.00", "west"),  # the quota's own team, not ann's
]
CENT = Decimal("0.01")
PERIODS = ["2025-03", "2025-02", "2025-Q1", "2025-Q2", "2025", "2025-03-02..2025-03-31",
           "2025-02-28..2025-04-01", "2025-W13", "2025-03-10..2025-03-20", "2025-02-15..2025-06-14"]


def write_records(folder: Path) -> Path:
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r.title(), "team": t, "hired_on": h}
                                   for r, (t, h) in REPS.items()])
    write_csv(folder / "products.csv", [{"product_id": p, "name": f"Product {p}"} for p in "ABC"])
    write_csv(folder / "deals.csv", [
        {"deal_id": d, "rep_id": rep, "created_at": "2024-12-01T09:00:00", "closed_at": closed,
         "status": status, "currency": "USD",
         "amount": str(sum(Decimal(q) * Decimal(price) for _, q, price in lines).quantize(CENT))}
        for d, (rep, closed, status, lines) in DEALS.items()])
    write_csv(folder / "deal_items.csv", [
        {"deal_id": d, "product_id": p, "quantity": q, "unit_price": price}
        for d, (*_, lines) in DEALS.items() for p, q, price in lines])
    write_csv(folder / "quotas.csv", [
        {"rep_id": rep, "team": team[0] if team else "", "period_start": s, "period_end": e,
         "amount": a, "currency": "USD"}
        for rep, s, e, a, *team in QUOTAS])
    return folder


@pytest.fixture()
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "rollups.duckdb")
    cli.import_(write_records(tmp_path / "records"))
    return cli


def figures(db: Path) -> list[Any]:
    """Every figure the rollups feed, for each period: revenue per product (alone, by rep, by team,
    filtered by product, rep or team) and ramp time (company, by team, by rep, a team filtered)."""
    out = []
    with Workspace.open(db, read_only=True) as ws:
        for period in PERIODS:
            for by, filters in (("product", {}), ("product,rep", {}), ("product,team", {}),
                                ("rep", {"product": ["A"]}), ("product", {"rep": ["bob", "cy"]}),
                                ("team", {"product": ["A", "C"], "team": ["east"]})):
                report = ws.report(period, kpis=["revenue_per_product"], by=by, filters=filters)
                out.append((period, by, filters, [(r.get("product"), r.get("rep"), r.get("team"),
                                                   r["value"], r["n"]) for r in report.rows]))
            # Not grouped by product: one product per group is read from the rollup, two are not
            # (d1 and d3 have lines of two products: one deal each, not two).
            for products in (["A"], ["A", "C"], ["A", "B", "C"]):
                report = ws.report(period, kpis=["total_revenue"], by="team",
                                   filters={"product": products})
                out.append((period, products, [(r.get("team"), r["value"], r["n"])
                                               for r in report.rows]))
            for by, filters in (("", {}), ("team", {}), ("rep", {}), ("", {"team": ["east"]})):
                for as_of in (None, date(2025, 5, 20)):
                    try:
                        report = ws.report(period, kpis=["ramp_time"], by=by, filters=filters,
                                           as_of=as_of)
                    except ValueError:  # a period that starts after as_of
                        continue
                    out.append((period, by, filters, as_of, [
                        (r.get("team"), r.get("rep"), r["value"], r["n"], r["days_so_far"], r["flags"])
                        for r in report.rows]))
    return out


def make_stale(db: Path) -> None:
    """What an older salesmetrics does: moves the data version without rebuilding the rollups."""
    con = duckdb.connect(str(db))
    con.execute("UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                "WHERE key = 'data_version'")
    con.close()


def fresh(db: Path) -> bool:
    with Workspace.open(db, read_only=True) as ws:
        return ws.store.rollups_fresh()


def test_the_rollups_answer_as_the_records_do(cli: Cli) -> None:
    assert fresh(cli.db)
    kept = figures(cli.db)
    make_stale(cli.db)
    assert not fresh(cli.db)
    assert figures(cli.db) == kept  # read from the records alone
    # The figures themselves, worked by hand: March by product. d1 and d2 close on March's first
    # instant and last second; d6 was lost.
    with Workspace.open(cli.db, read_only=True) as ws:
        march = {r["product"]: (str(r["value"]), r["n"])
                 for r in ws.report("2025-03", kpis=["revenue_per_product"], by="product").rows}
    assert march == {"A": ("2009.99", 3), "B": ("501.00", 1), "C": ("10.50", 1)}
    with Workspace.open(cli.db, read_only=True) as ws:
        two = ws.report("2025-03", kpis=["total_revenue"], by="team", filters={"product": ["A", "C"]})
    # West worked in March and sold none of A or C: its 0.00, as a rep's (the rows of 0 by team).
    assert [(r["team"], str(r["value"]), r["n"]) for r in two.rows] == [("east", "2020.49", 3),
                                                                          ("west", "0.00", 0)]


def test_an_import_of_what_they_sum_rebuilds_them(cli: Cli, tmp_path: Path) -> None:
    """Re-imported lines and quotas (new prices, a quota moved to another team) are summed anew."""
    folder = write_records(tmp_path / "again")
    lines = (folder / "deal_items.csv").read_text().replace("d2,A,3,333.33", "d2,A,3,111.11")
    (folder / "deal_items.csv").write_text(lines)
    quotas = (folder / "quotas.csv").read_text().replace("ann,,2025-04-01,2025-06-30,9000.00",
                                                         "ann,west,2025-04-01,2025-06-30,90000.00")
    (folder / "quotas.csv").write_text(quotas)
    assert "111.11" in lines and "90000.00" in quotas
    before = figures(cli.db)
    cli.import_(folder)
    assert fresh(cli.db)
    after = figures(cli.db)
    assert after != before
    make_stale(cli.db)
    assert figures(cli.db) == after


def test_the_rollups_are_what_is_read_while_fresh(cli: Cli, tmp_path: Path) -> None:
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE won_items_by_rep_month SET revenue = 1.00 "
                "WHERE product_id = 'A' AND rep_id = 'ann' AND month = DATE '2025-03-01'")
    con.close()

    def product_a(period: str) -> Decimal:
        report = cli.report("--kpi", "revenue_per_product", "--period", period, "--by", "product")
        return next(Decimal(str(r["value"])) for r in report["rows"] if r["product"] == "A")

    # A whole month is read from the rollup (1.00 + bob's 10.00)...
    assert product_a("2025-03") == Decimal("11.00")
    assert product_a("2025-Q1") == Decimal("11.00")
    # ... and days that are not a whole month from the deals' lines: March without its first day.
    assert product_a("2025-03-02..2025-03-31") == Decimal("1009.99")
    # A change beside what they sum (a target, activities) keeps them fresh as they are (at 10M
    # deals rebuilding them takes seconds): still 11.00.
    cli("target", "set", "total_revenue", "50000", "--period", "2025-Q1")
    assert fresh(cli.db)
    assert product_a("2025-03") == Decimal("11.00")
    write_csv(tmp_path / "more" / "activities.csv", [
        {"activity_id": "a1", "rep_id": "ann", "type": "call", "occurred_at": "2025-03-03T10:00:00"}])
    cli.import_(tmp_path / "more")
    assert fresh(cli.db)
    assert product_a("2025-03") == Decimal("11.00")
    # A change of the records' times rebuilds them: the deals' own figures, in Berlin's time, where
    # d2's last second of March (UTC) is in April.
    cli("config", "set", "time_zone", "Europe/Berlin")
    assert fresh(cli.db)
    assert product_a("2025-03") == Decimal("1010.00")
    assert product_a("2025-04") == Decimal("999.99")


def test_quotas_per_month_are_read_from_the_rollup(cli: Cli) -> None:
    def ramp(period: str) -> dict[Any, Any]:
        report = cli.report("--kpi", "ramp_time", "--period", period, "--by", "rep")
        return {r["rep"]: (r["value"], r["flags"]) for r in report["rows"]}

    before = ramp("2025-06")
    # ann (hired January 1st) wins 12,000 in May and 5,000 in June against ~3,000 a month (9,000
    # over the quarter): ramped from May, 150 days, known once June is over.
    assert before["ann"] == (150, ["small_sample"])
    # With her quotas in the rollup made 100,000 a month, she is still ramping: what is read.
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE quota_by_rep_month SET quota = 100000 WHERE rep_id = 'ann'")
    con.close()
    assert ramp("2025-06")["ann"] == (None, ["still_ramping"])
    make_stale(cli.db)
    assert ramp("2025-06") == before


def test_a_workspace_an_older_version_wrote_is_read_from_the_records_until_a_write(cli: Cli) -> None:
    """Rollups an older salesmetrics built (only won_by_rep_month, marked by rollups_version) are
    not these: the records answer until the next write of ours, which builds all of them, whatever
    it changes. And a write of the older program leaves ours stale."""
    kept = figures(cli.db)
    con = duckdb.connect(str(cli.db))
    con.execute("DROP TABLE won_items_by_rep_month")
    con.execute("DROP TABLE quota_by_rep_month")
    con.execute("DELETE FROM _meta WHERE key = 'rollups_built'")
    con.close()
    assert not fresh(cli.db)
    assert figures(cli.db) == kept
    cli("target", "set", "total_revenue", "50000", "--period", "2025-Q1")  # builds them
    assert fresh(cli.db)
    assert figures(cli.db) == kept
    # The older program's write: its own rollup and rollups_version, the data version moved.
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE deal_items SET unit_price = 1.00 WHERE deal_id = 'd1'")
    con.execute("UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                "WHERE key = 'data_version'")
    con.execute("UPDATE _meta SET value = (SELECT value FROM _meta WHERE key = 'data_version') "
                "WHERE key = 'rollups_version'")
    con.close()
    assert not fresh(cli.db)
    with Workspace.open(cli.db, read_only=True) as ws:
        march = {r["product"]: str(r["value"])
                 for r in ws.report("2025-03", kpis=["revenue_per_product"], by="product").rows}
    assert march["A"] == "1010.99"  # d1's line of A at 1.00, not the rollup's 1000.00


# Activities for activity effectiveness (storage.ACTIVITY_ROLLUP): types in two spellings, one done
# by another rep than the deal's (a rep's view leaves it out), one not tied to a deal, one logged
# after its deal closed (a8: it did not decide it, left out), and some on the open deal and on the
# deal closed in December.
ACTIVITIES = [  # id, rep, type, when, deal
    ("a1", "ann", "Call", "2025-02-20T10:00:00", "d1"), ("a2", "ann", "call", "2025-02-21T10:00:00", "d1"),
    ("a3", "ann", "Meeting", "2025-02-25T10:00:00", "d1"), ("a4", "bob", "demo", "2025-02-26T10:00:00", "d1"),
    ("a5", "ann", "email", "2025-03-20T10:00:00", "d2"), ("a6", "bob", "call", "2025-03-01T10:00:00", "d3"),
    ("a7", "bob", "meeting", "2025-03-02T10:00:00", "d6"), ("a8", "bob", "call", "2025-03-25T10:00:00", "d6"),
    ("a9", "cy", "demo", "2025-03-28T10:00:00", "d4"), ("a10", "cy", "call", "2025-04-05T10:00:00", "d4"),
    ("a11", "vet", "call", "2024-12-01T10:00:00", "d7"), ("a12", "ann", "call", "2025-03-03T10:00:00", ""),
    ("a13", "cy", "email", "2025-02-01T10:00:00", "d5"), ("a14", "bob", "Call", "2025-04-20T10:00:00", "d10"),
    ("a15", "ann", "demo", "2025-05-01T10:00:00", "d8"),
    ("a16", "cy", "meeting", "2025-06-01T10:00:00", "d9"),
    ("a17", "ann", "call", "2025-06-01T10:00:00", "d12"),
]


def write_activities(folder: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    write_csv(folder / "activities.csv", [
        {"activity_id": a, "rep_id": rep, "type": kind, "occurred_at": at, "deal_id": deal}
        for a, rep, kind, at, deal in rows])
    write_csv(folder / "deals.csv", [{
        "deal_id": "d12", "rep_id": "ann", "created_at": "2025-05-01T09:00:00", "closed_at": "",
        "status": "open", "currency": "USD", "amount": "100.00"}])
    return folder


def effectiveness(db: Path) -> list[Any]:
    """Activity effectiveness for each period, for everyone, by rep and by team, filtered by rep
    and by team, as everyone, as bob and as the east team's manager sees it."""
    viewers = [Viewer.everyone(), Viewer.of_rep("bob", "bob"), Viewer.of_teams("east lead", {"east"})]
    out = []
    with Workspace.open(db, read_only=True) as ws:
        for period in PERIODS:
            for by, filters in (("", {}), ("rep", {}), ("team", {}), ("", {"rep": ["bob", "cy"]}),
                                ("rep", {"team": ["east"]})):
                for viewer in viewers:
                    try:
                        found = ws.activity_effectiveness(period, by=by, filters=filters, viewer=viewer)
                    except UnknownValueError:  # a rep or team this viewer does not see
                        continue
                    out.append((period, by, filters, viewer.name, found.as_json()["groups"]))
    return out


def test_activity_effectiveness_reads_the_rollup_as_the_records(cli: Cli, tmp_path: Path) -> None:
    cli.import_(write_activities(tmp_path / "activities", ACTIVITIES))
    assert fresh(cli.db)
    kept = effectiveness(cli.db)
    make_stale(cli.db)
    assert effectiveness(cli.db) == kept  # read from the activities themselves
    # By hand, March for everyone: d1, d2, d3 won (d1 with two calls, a meeting and bob's demo;
    # d2 an email; d3 a call) and d6 lost (a meeting; its call came five days after the loss).
    with Workspace.open(cli.db, read_only=True) as ws:
        march = ws.activity_effectiveness("2025-03").groups[0]
        bobs = ws.activity_effectiveness("2025-03", viewer=Viewer.of_rep("bob", "bob")).groups[0]
    assert (march.closed, march.won) == (4, 3)
    lines = {t.activity_type: (t.deals_with, t.won_with, str(t.revenue_with), t.per_won_deal,
                               t.per_lost_deal) for t in march.types}
    assert lines == {"call": (2, 2, "1521.50", 1.0, 0.0), "demo": (1, 1, "1501.00", 0.3333, 0.0),
                     "email": (1, 1, "999.99", 0.3333, 0.0), "meeting": (2, 1, "1501.00", 0.3333, 1.0)}
    # bob sees his own deals (d3 won, d6 lost) and only his own activities on them.
    assert (bobs.closed, bobs.won) == (2, 1)
    assert {t.activity_type: t.deals_with for t in bobs.types} == {"call": 1, "meeting": 1}


def test_activity_effectiveness_is_read_from_the_rollup_while_fresh(cli: Cli, tmp_path: Path) -> None:
    cli.import_(write_activities(tmp_path / "activities", ACTIVITIES))
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE activity_types_by_closed_deal SET k = 10 WHERE deal_id = 'd2'")
    con.close()

    def email_per_won(as_of: str | None = None) -> float | None:
        with Workspace.open(cli.db, read_only=True) as ws:
            found = ws.activity_effectiveness("2025-03", as_of=as_of).groups[0]
        return next(t.per_won_deal for t in found.types if t.activity_type == "email")

    assert email_per_won() == 3.3333  # d2's ten emails over three won deals
    assert email_per_won("2025-03-31") == 0.3333  # as it stood on a day: from the activities
    # A second import of activities renews the lines of the deals it names (and no other rollup):
    # d2's one email, given again as it was, and a new call on d3.
    write_csv(tmp_path / "more" / "activities.csv", [
        {"activity_id": "a20", "rep_id": "bob", "type": "call", "occurred_at": "2025-03-10T10:00:00",
         "deal_id": "d3"},
        {"activity_id": "a5", "rep_id": "ann", "type": "email", "occurred_at": "2025-03-20T10:00:00",
         "deal_id": "d2"}])
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE won_items_by_rep_month SET revenue = 1.00 "
                "WHERE product_id = 'A' AND rep_id = 'ann' AND month = DATE '2025-03-01'")
    con.close()
    cli.import_(tmp_path / "more")
    assert fresh(cli.db)
    assert email_per_won() == 0.3333
    with Workspace.open(cli.db, read_only=True) as ws:
        calls = next(t for t in ws.activity_effectiveness("2025-03").groups[0].types
                     if t.activity_type == "call")
        product_a = next(r["value"] for r in ws.report("2025-03", kpis=["revenue_per_product"],
                                                       by="product").rows if r["product"] == "A")
    assert calls.per_won_deal == 1.3333  # d1's two calls, d3's two
    assert product_a == Decimal("11.00")  # the deals' lines' rollup was not rebuilt


def rollup_rows(db: Path) -> tuple[list[Any], list[Any]]:
    """The activities' rollup as kept, and as built whole from the records now."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        kept = con.execute("SELECT * FROM activity_types_by_closed_deal ORDER BY ALL").fetchall()
        whole = con.execute(f"SELECT * FROM ({storage.ROLLUPS[storage.ACTIVITY_ROLLUP]}) "
                            "ORDER BY ALL").fetchall()
    finally:
        con.close()
    return kept, whole


def test_a_small_import_renews_the_activities_of_the_deals_it_touches(cli: Cli, tmp_path: Path) -> None:
    """A day's import (a new call, a call moved from one deal to another, a lost deal won after
    all) renews the rollup's lines of those deals and leaves the others as they are; a large one
    rebuilds it whole. Either way it answers as the records do."""
    cli.import_(write_activities(tmp_path / "activities", ACTIVITIES))
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE activity_types_by_closed_deal SET k = 7 WHERE deal_id = 'd9'")  # untouched
    con.close()
    day = tmp_path / "day"
    write_csv(day / "activities.csv", [
        {"activity_id": "a20", "rep_id": "bob", "type": "call", "occurred_at": "2025-03-10T10:00:00",
         "deal_id": "d3"},
        {"activity_id": "a5", "rep_id": "ann", "type": "email", "occurred_at": "2025-03-20T10:00:00",
         "deal_id": "d1"}])  # was on d2
    write_csv(day / "deals.csv", [{
        "deal_id": "d6", "rep_id": "bob", "created_at": "2024-12-01T09:00:00",
        "closed_at": "2025-03-20T09:00:00", "status": "won", "currency": "USD", "amount": "999.00"}])
    cli.import_(day)
    assert fresh(cli.db)
    kept, whole = rollup_rows(cli.db)
    assert [r for r in kept if r[1] == "d9"] == [(datetime(2025, 6, 30, 17), "d9", "cy", "meeting", 7)]
    assert [r for r in kept if r[1] != "d9"] == [r for r in whole if r[1] != "d9"]
    with Workspace.open(cli.db, read_only=True) as ws:
        march = ws.activity_effectiveness("2025-03").groups[0]
    # March: d1 (two calls, a meeting, a demo; the email moved to it came after it was won), d2
    # (nothing left), d3 (two calls) and d6 (a meeting; its call came after it was won) all won.
    assert (march.closed, march.won) == (4, 4)
    assert {t.activity_type: (t.deals_with, t.won_with) for t in march.types} == {
        "call": (2, 2), "demo": (1, 1), "meeting": (2, 2)}

    # Fixed back by hand, then an import of more than a quarter of the activities: rebuilt whole.
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE activity_types_by_closed_deal SET k = 1 WHERE deal_id = 'd9'")
    con.close()
    kept_before = effectiveness(cli.db)
    make_stale(cli.db)
    assert effectiveness(cli.db) == kept_before  # the renewed lines answer as the records do
    cli("target", "set", "total_revenue", "50000", "--period", "2025-Q1")  # fresh again
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE activity_types_by_closed_deal SET k = 7 WHERE deal_id = 'd9'")
    con.close()
    write_csv(tmp_path / "many" / "activities.csv", [
        {"activity_id": f"m{i}", "rep_id": "cy", "type": "email", "occurred_at": "2025-04-02T10:00:00",
         "deal_id": "d4"} for i in range(6)])
    cli.import_(tmp_path / "many")
    kept, whole = rollup_rows(cli.db)
    assert kept == whole  # d9's 7 is gone: rebuilt
