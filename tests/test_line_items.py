"""Figures by product read the deals' line items (deal_items). A workspace of deals without any
(Maven's pipeline imported as the proposed mapping has it) answered a product filter with 0.00 from
0 deals, where the product had sold 3.5M, and `--by product` with no rows and no reason: each is now
refused, or left out with the reason, until line items are imported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics import Viewer, Workspace
from salesmetrics.web.app import create_app

REPS = [{"rep_id": "ann", "name": "Ann", "team": "East"}, {"rep_id": "bob", "name": "Bob", "team": "East"}]
PRODUCTS = [{"product_id": "gtx", "name": "GTX Pro"}, {"product_id": "mg", "name": "MG Special"}]
DEALS = [
    {"deal_id": "d1", "rep_id": "ann", "created_at": "2026-09-01", "closed_at": "2026-10-05",
     "status": "won", "amount": "1200.00", "currency": "EUR"},
    {"deal_id": "d2", "rep_id": "bob", "created_at": "2026-09-02", "closed_at": "2026-10-06",
     "status": "won", "amount": "300.50", "currency": "EUR"},
    {"deal_id": "d3", "rep_id": "bob", "created_at": "2026-09-03", "closed_at": "2026-10-07",
     "status": "lost", "amount": "80.00", "currency": "EUR"},
]
ITEMS = [{"deal_id": "d1", "product_id": "gtx", "quantity": "2", "unit_price": "600.00"},
         {"deal_id": "d2", "product_id": "mg", "quantity": "1", "unit_price": "300.50"}]
REFUSAL = ("no deal has line items (deal_items), so no figure can be grouped or filtered by product: "
           "import deal_items.csv (deal_id, product_id, quantity, unit_price), or map an export to it "
           "(docs/mapping.md)")


def _said(result: Any) -> str:
    return " ".join(str(result.output).split())


def _workspace(cli: Cli, csvs: Callable[..., Path]) -> None:
    cli.import_(csvs("reps", REPS), csvs("products", PRODUCTS), csvs("deals", DEALS))


def test_a_product_filter_or_grouping_without_line_items_is_refused_not_zero(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    _workspace(cli, csvs)
    for args in (["--kpi", "total_revenue", "--filter", "product=gtx"],
                 ["--kpi", "total_revenue", "--by", "product"], ["--by", "product"],
                 ["--kpi", "revenue_per_product"]):
        result = cli("report", "--period", "2026-10", *args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert REFUSAL in _said(result), args
    # Once the line items are imported, the same questions have their figures.
    cli.import_(csvs("deal_items", ITEMS))
    assert cli.value("--period", "2026-10", "--kpi", "total_revenue", "--filter", "product=gtx") == 1200.0
    by_product = cli.report("--period", "2026-10", "--kpi", "revenue_per_product")
    assert {r["product"]: r["value"] for r in by_product["rows"]} == {"gtx": 1200.0, "mg": 300.5}


def test_every_kpi_and_the_summary_leave_revenue_per_product_out_and_say_why(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    _workspace(cli, csvs)
    everything = cli("report", "--period", "2026-10", "--format", "json")
    data = json.loads(everything.stdout)
    assert {"kpi": "revenue_per_product", "reason": REFUSAL, "cause": "no_line_items"} in data["skipped"]
    assert not [r for r in data["rows"] if r["kpi"] == "revenue_per_product"]
    assert next(r for r in data["rows"] if r["kpi"] == "total_revenue")["value"] == 1500.5
    assert f"Revenue per product: {REFUSAL}" in " ".join(everything.stderr.split())
    summary = json.loads(cli("summary", "--period", "2026-10", "--format", "json").stdout)
    assert summary["products"] == []
    assert {"kpi": "revenue_per_product", "reason": REFUSAL, "cause": "no_line_items"} in summary["skipped"]
    table = cli("summary", "--period", "2026-10")
    assert f"Revenue per product: {REFUSAL}" in " ".join(table.stderr.split())


def test_the_dashboard_stands_and_says_why_its_product_chart_is_missing(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    _workspace(cli, csvs)
    dash = json.loads(cli("dashboard", "--period", "2026-10").stdout)
    assert dash["products"] == []
    assert {"kpi": "revenue_per_product", "reason": REFUSAL, "cause": "no_line_items"} in dash["skipped"]
    with TestClient(create_app(cli.db, warm=False)) as client:
        page = client.get("/?period=2026-10&lang=de")
        assert page.status_code == 200
        assert "Umsatz pro Produkt: Kein Deal hat Positionen (deal_items)" in " ".join(page.text.split())
        # The page's ?lang=de is remembered (a cookie), and the API's errors follow it as pages do:
        # asked in English here.
        api = client.get("/api/v1/report", params={"period": "2026-10", "by": "product", "lang": "en"})
        assert api.status_code == 400 and api.json()["error"] == {"message": REFUSAL,
                                                                  "type": "bad_dimension"}
        filtered = client.get("/?period=2026-10&product=gtx&lang=en")
        assert filtered.status_code == 400 and "no deal has line items" in filtered.text


def test_the_records_behind_revenue_per_product_are_refused_too(cli: Cli, csvs: Callable[..., Path]) -> None:
    _workspace(cli, csvs)
    result = cli("records", "revenue_per_product", "--period", "2026-10", ok=False)
    assert result.exit_code == 2 and REFUSAL in _said(result)
    with TestClient(create_app(cli.db, warm=False)) as client:
        page = client.get("/?period=2026-10&lang=en").text
        assert 'id="f-product"' not in page and 'id="f-team"' in page  # nothing to choose from


def test_line_items_are_the_workspaces_not_the_viewers(cli: Cli, csvs: Callable[..., Path]) -> None:
    """A rep without a deal of their own, in a workspace whose deals have line items, is not told
    to import them: a product filter is a real zero for them."""
    _workspace(cli, csvs)
    cli.import_(csvs("reps", [{"rep_id": "new", "name": "New Hire", "team": "West"}]),
                csvs("deal_items", ITEMS))
    with Workspace.open(cli.db, read_only=True) as ws:
        mine = ws.report("2026-10", kpis=["total_revenue"], filters={"product": ["gtx"]},
                         viewer=Viewer.of_rep("new@example.com", "new"))
        assert [r["value"] for r in mine.rows] == [0]
        everyone = ws.report("2026-10", kpis=["total_revenue"], filters={"product": ["gtx"]})
        assert everyone.rows[0]["value"] == 1200
