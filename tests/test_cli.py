"""The command line as a user meets it: formats, the catalogue, the summary, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics import REGISTRY
from salesmetrics.web.app import create_app

REPS = [
    {"rep_id": "jim", "name": "Jim Halpert", "team": "east", "hired_on": "2020-01-01"},
    {"rep_id": "ann", "name": "Ann Perkins", "team": "west", "hired_on": "2020-01-01"},
]
DEALS = [
    {"deal_id": "d1", "rep_id": "jim", "created_at": "2026-09-20T10:00:00",
     "closed_at": "2026-10-05T10:00:00", "status": "won", "amount": "1000.10", "currency": "USD",
     "source": "inbound"},
    {"deal_id": "d2", "rep_id": "ann", "created_at": "2026-09-25T10:00:00",
     "closed_at": "2026-10-06T10:00:00", "status": "won", "amount": "2000.20", "currency": "USD",
     "source": "referral"},
    {"deal_id": "d3", "rep_id": "ann", "created_at": "2026-09-25T10:00:00",
     "closed_at": "2026-10-07T10:00:00", "status": "lost", "amount": "500.00", "currency": "USD",
     "source": "inbound"},
    {"deal_id": "d4", "rep_id": "jim", "created_at": "2026-08-25T10:00:00",
     "closed_at": "2026-09-07T10:00:00", "status": "won", "amount": "700.00", "currency": "USD",
     "source": "inbound"},
]


@pytest.fixture
def filled(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    csvs("reps", REPS)
    cli.import_(csvs("deals", DEALS).parent)
    return cli


def test_report_json_contract(filled: Cli) -> None:
    data = filled.report("--period", "2026-10", "--by", "team", "--kpi", "total_revenue",
                         "--kpi", "win_rate", "--filter", "source=inbound,referral")
    assert data["period"] == {"label": "2026-10", "start": "2026-10-01", "end": "2026-11-01"}
    assert data["by"] == ["team"] and data["currency"] == "USD"
    assert data["filters"] == {"source": ["inbound", "referral"]}
    rows = {(r["kpi"], r["team"]): r for r in data["rows"]}
    assert rows["total_revenue", "east"] == {"kpi": "total_revenue", "value": 1000.10, "unit": "money",
                                             "currency": "USD", "team": "east", "n": 1, "flags": [],
                                             "ci_low": None, "ci_high": None, "target": None,
                                             "target_status": None, "pace": None}
    assert rows["win_rate", "west"]["value"] == 0.5 and rows["win_rate", "west"]["unit"] == "ratio"
    # 1 of 2: Wilson's interval, and too few deals for a verdict
    assert (rows["win_rate", "west"]["ci_low"], rows["win_rate", "west"]["ci_high"]) == (0.094531, 0.905469)
    assert rows["win_rate", "west"]["flags"] == ["small_sample"]
    assert data["skipped"] == []


def test_report_filters_narrow(filled: Cli) -> None:
    assert filled.value("--period", "2026-10", "--kpi", "total_revenue",
                        "--filter", "source=referral") == 2000.20
    assert filled.value("--period", "2026-10", "--kpi", "total_revenue", "--filter", "rep=jim",
                        "--filter", "team=east") == 1000.10
    # A team the workspace does not know is refused, not counted as zero (test_filter_values.py).
    refused = filled("report", "--period", "2026-10", "--filter", "team=north", ok=False)
    assert refused.exit_code == 2 and "no team 'north'" in refused.stderr


def test_report_csv(filled: Cli) -> None:
    text = filled("report", "--period", "2026-10", "--kpi", "revenue_per_rep", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["kpi"], r["rep"], r["value"], r["currency"]) for r in rows] == [
        ("revenue_per_rep", "ann", "2000.20", "USD"), ("revenue_per_rep", "jim", "1000.10", "USD")]
    assert rows[0]["period_start"] == "2026-10-01" and rows[0]["period_end"] == "2026-11-01"


def test_report_table_in_english_and_german(filled: Cli) -> None:
    en = filled("report", "--period", "2026-10", "--kpi", "total_revenue").stdout
    assert "Total revenue" in en and "$3,000.30" in en
    de = filled("report", "--period", "2026-10", "--kpi", "total_revenue", "--kpi", "win_rate",
                "--lang", "de").stdout.replace("\xa0", " ")  # Babel keeps a no-break space before $
    assert "Gesamtumsatz" in de and "3.000,30 $" in de and "66,7 %" in de


def test_a_grouping_no_record_has_a_value_of_still_shows_its_column(filled: Cli) -> None:
    """`--by segment` where no deal's account has one: one group, "(none)", in a Segment column;
    without the column the table read as if it had not been grouped."""
    table = Cli(filled.db, columns=200)("report", "--period", "2026-10", "--kpi", "total_revenue",
                                        "--by", "segment").stdout
    header = next(line for line in table.splitlines() if "Value" in line)
    assert "Segment" in header
    assert "(none)" in table and "$3,000.30" in table


def test_by_month_over_a_quarter(filled: Cli) -> None:
    rows = filled.report("--period", "2026-09-01..2026-10-31", "--kpi", "total_revenue",
                         "--by", "month")["rows"]
    assert [(r["month"], r["value"]) for r in rows] == [("2026-09", 700.00), ("2026-10", 3000.30)]


def test_a_quarter_without_records_still_has_its_row(filled: Cli) -> None:
    """A report by quarter that listed only the quarters with records read as the whole year."""
    rows = filled.report("--period", "2026", "--kpi", "total_revenue", "--kpi", "win_rate",
                         "--by", "quarter")["rows"]
    assert [(r["kpi"], r["quarter"], r["value"], r["n"]) for r in rows] == [
        ("total_revenue", "2026-Q1", 0, 0), ("total_revenue", "2026-Q2", 0, 0),
        ("total_revenue", "2026-Q3", 700.00, 1), ("total_revenue", "2026-Q4", 3000.30, 2),
        ("win_rate", "2026-Q1", None, 0), ("win_rate", "2026-Q2", None, 0),
        ("win_rate", "2026-Q3", 1.0, 1), ("win_rate", "2026-Q4", 0.666667, 3)]
    assert rows[4]["flags"] == ["no_data"]
    # Up to --as-of only: nothing can be in the months after it yet.
    rows = filled.report("--period", "2026-Q4", "--kpi", "total_revenue", "--by", "month",
                         "--as-of", "2026-11-15")["rows"]
    assert [(r["month"], r["value"]) for r in rows] == [("2026-10", 3000.30), ("2026-11", 0)]


def test_skipped_kpis_say_why(filled: Cli, csvs: Callable[..., Path]) -> None:
    # By product, figures read the deals' line items (without any, the grouping is refused:
    # test_line_items.py).
    filled.import_(csvs("products", [{"product_id": "p1", "name": "One"}]),
                   csvs("deal_items", [{"deal_id": "d1", "product_id": "p1", "quantity": "1",
                                        "unit_price": "1000.10"}]))
    data = filled.report("--period", "2026-10", "--by", "product")
    skipped = {s["kpi"]: s["reason"] for s in data["skipped"]}
    assert "nps" in skipped and "cannot be grouped or filtered by product" in skipped["nps"]
    assert {r["kpi"] for r in data["rows"]} <= {"total_revenue", "revenue_per_rep", "revenue_per_product"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--period", "2026-13"), 2, "no month 13"),
        (("--kpi", "revenue"), 2, "unknown KPI 'revenue'; known KPIs: total_revenue"),
        (("--kpi", "WIN_RATE"), 2, "unknown KPI 'WIN_RATE' (did you mean 'win_rate'?); known KPIs: "),
        (("--kpi", "win-rate"), 2, "unknown KPI 'win-rate' (did you mean 'win_rate'?)"),
        (("--by", "planet"), 2, "cannot group by 'planet'; dimensions are: rep, team"),  # region is one now
        (("--by", "month,week"), 2, "one time grain at a time"),
        (("--kpi", "nps", "--by", "product"), 2, "nps cannot be grouped or filtered by product"),
        (("--filter", "team"), 2, "write DIM=VALUE"),
        (("--filter", "month=2026-10"), 2, "cannot filter by 'month'"),
        (("--format", "xml"), 2, "--format must be table, json, csv or xlsx"),
        (("--as-of", "yesterday"), 2, "--as-of 'yesterday' is not a date"),
    ],
)
def test_report_errors_are_one_clear_line(filled: Cli, args: tuple[str, ...], code: int,
                                          message: str) -> None:
    result = filled("report", *args, ok=False)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_kpis_catalogue(cli: Cli) -> None:
    data = json.loads(cli.runner.invoke(__import__("salesmetrics.cli").cli.app,
                                        ["kpis", "--format", "json"]).stdout)
    assert [k["id"] for k in data] == list(REGISTRY)
    assert {k["id"] for k in data} >= {
        "total_revenue", "revenue_per_rep", "revenue_per_product", "average_deal_size",
        "sales_cycle_length", "win_rate", "quota_attainment", "activity_count", "nps", "ramp_time"}
    nps = next(k for k in data if k["id"] == "nps")
    assert nps["unit"] == "score" and "passives" in nps["description"]
    table = cli.runner.invoke(__import__("salesmetrics.cli").cli.app, ["kpis", "--lang", "de"]).stdout
    assert "Quotenerreichung" in table


def test_summary_compares_with_the_period_before(filled: Cli) -> None:
    text = filled("summary", "--period", "2026-10").stdout
    assert "2026-10-01 – 2026-10-31, against 2026-09-01 – 2026-09-30" in text
    assert "$3,000.30" in text and "$700.00" in text and "+328.6 %" in text
    assert "Ann Perkins" in text  # top reps by name
    # The JSON's changes to 6 places, as the report's: float noise (0.15966200000000003) no more.
    found = json.loads(filled("summary", "--period", "2026-10", "--format", "json").stdout)
    changes = {h["kpi"]: h["change"] for h in found["headlines"] if h["change"] is not None}
    assert changes["total_revenue"] == 3.286143
    assert all(round(c, 6) == c and len(repr(c)) <= 10 for c in changes.values()), changes


def test_summary_compares_with_the_same_period_a_year_before(filled: Cli, csvs: Callable[..., Path]) -> None:
    year_before = [{"deal_id": "d0", "rep_id": "ann", "created_at": "2025-09-01T10:00:00",
                    "closed_at": "2025-10-20T10:00:00", "status": "won", "amount": "1500.00",
                    "currency": "USD", "source": "inbound"},
                   {"deal_id": "d00", "rep_id": "jim", "created_at": "2025-09-01T10:00:00",
                    "closed_at": "2025-10-21T10:00:00", "status": "lost", "amount": "900.00",
                    "currency": "USD", "source": "inbound"}]
    filled.import_(csvs("deals", year_before))
    found = json.loads(filled("summary", "--period", "2026-10", "--format", "json").stdout)
    assert found["year_ago_period"] == {"label": "2026-10 a year before", "start": "2025-10-01",
                                        "end": "2025-11-01"}
    heads = {h["kpi"]: h for h in found["headlines"]}
    # 3,000.30 won against 1,500.00; 2 of 3 closed won against 1 of 2.
    assert (heads["total_revenue"]["year_ago"], heads["total_revenue"]["year_change"]) == (1500.0, 1.0002)
    assert heads["total_revenue"]["year_better"] is True
    assert heads["win_rate"]["year_ago"] == 0.5 and heads["win_rate"]["year_change"] == 0.166667
    text = filled("summary", "--period", "2026-10").stdout
    assert "Year on year" in text and "+100.0 %" in text and "+16.7 pp" in text
    german = filled("summary", "--period", "2026-10", "--lang", "de").stdout
    assert "ggü. Vorjahr" in german and "+100,0 %" in german


def test_import_prints_counts_and_is_idempotent(cli: Cli, csvs: Callable[..., Path]) -> None:
    csvs("reps", REPS)
    folder = csvs("deals", DEALS).parent
    first = cli("import", str(folder)).stdout
    assert "reps" in first and "deals" in first
    second = cli("import", str(folder)).stdout
    deals_line = next(line for line in second.splitlines() if "deals" in line)
    assert deals_line.split()[3:8:2] == ["0", "0", "4"]


def test_demo_builds_a_workspace_and_prints_the_summary(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "demo.duckdb")
    text = cli("demo", "--seed", "7").stdout
    assert "Demo workspace" in text and "Total revenue" in text and "Top reps" in text
    refused = cli("demo", ok=False)
    assert refused.exit_code == 1 and "--replace" in refused.stderr
    assert "Total revenue" in cli("demo", "--replace").stdout


def test_version() -> None:
    from typer.testing import CliRunner

    from salesmetrics.cli import app

    assert CliRunner().invoke(app, ["--version"]).stdout.startswith("salesmetrics 0.")


def test_report_csv_writes_plain_numbers_however_small(cli: Cli, csvs: Callable[..., Path]) -> None:
    """README: plain numbers. A p-value of 0.000027 was written 2.7e-05."""
    deals = [{"deal_id": f"{month}-{i}", "rep_id": "ann", "created_at": f"2026-{month}-01T09:00:00",
              "closed_at": f"2026-{month}-02T09:00:00", "status": "won" if month == "10" else "lost",
              "amount": "10.00", "currency": "USD"} for month in ("09", "10") for i in range(60)]
    csvs("reps", REPS)
    cli.import_(csvs("deals", deals).parent)
    text = cli("report", "--period", "2026-10", "--kpi", "win_rate", "--compare", "--format", "csv").stdout
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert float(row["p_value"]) < 0.0001 and "e" not in row["p_value"].lower(), row
    assert "e-" not in text


def test_a_filtered_summary_says_which_lines_it_cannot_show(filled: Cli) -> None:
    """Filtered by source, the summary left out quota attainment, activities, NPS and ramp time in
    silence; the dashboard listed them. Now both say so."""
    found = json.loads(filled("summary", "--period", "2026-10", "--filter", "source=inbound",
                              "--format", "json").stdout)
    left_out = [(s["kpi"], s["cause"]) for s in found["skipped"] if s["cause"] != "no_line_items"]
    assert left_out == [("quota_attainment", "not_applicable"), ("activity_count", "not_applicable"),
                        ("nps", "not_applicable"), ("ramp_time", "not_applicable")]
    assert {h["kpi"] for h in found["headlines"]}.isdisjoint(k for k, _ in left_out)
    said = filled("summary", "--period", "2026-10", "--filter", "source=inbound").stderr
    assert ("Not shown, as they cannot be filtered by Source: Quota attainment, Activities, "
            "Net Promoter Score, Ramp time") in " ".join(said.split())


def test_the_summary_says_when_line_items_do_not_add_up_to_the_revenue(cli: Cli,
                                                                        csvs: Callable[..., Path]) -> None:
    """Revenue per product counts line items; beside the total revenue without a word, 1,100.00 by
    product read as the whole of 1,500.00 (one won deal had no items, another's differ)."""
    csvs("reps", REPS)
    csvs("products", [{"product_id": "A", "name": "Alpha"}, {"product_id": "B", "name": "Beta"}])
    csvs("deals", [
        {"deal_id": "p1", "rep_id": "jim", "created_at": "2026-09-20T10:00:00",
         "closed_at": "2026-10-05T10:00:00", "status": "won", "amount": "1000.00", "currency": "USD"},
        {"deal_id": "p2", "rep_id": "ann", "created_at": "2026-09-20T10:00:00",
         "closed_at": "2026-10-06T10:00:00", "status": "won", "amount": "500.00", "currency": "USD"}])
    cli.import_(csvs("deal_items", [
        {"deal_id": "p1", "product_id": "A", "quantity": "2", "unit_price": "300.00"},
        {"deal_id": "p1", "product_id": "B", "quantity": "1", "unit_price": "500.00"}]).parent)
    said = " ".join(cli("summary", "--period", "2026-10").stdout.split())
    assert ("Line items (quantity x price) add up to $1,100.00 of the $1,500.00 won: not every won deal "
            "has them, or they differ from its amount") in said
    german = " ".join(cli("summary", "--period", "2026-10", "--lang", "de").stdout.split())
    assert "Die Positionen (Menge x Preis) ergeben 1.100,00 $ der gewonnenen 1.500,00 $" in german
    summary = json.loads(cli("summary", "--period", "2026-10", "--format", "json").stdout)
    assert summary["products_apart"] == {"line_items": 1100.0, "revenue": 1500.0}
    # The dashboard's products chart said nothing either.
    with TestClient(create_app(cli.db, warm=False)) as client:
        page = " ".join(client.get("/?period=2026-10").text.split())
        assert "Line items (quantity x price) add up to $1,100.00 of the $1,500.00 won" in page
        assert client.get("/api/v1/dashboard?period=2026-10").json()["products_apart"] == {
            "line_items": 1100.0, "revenue": 1500.0}
        api = client.get("/api/v1/report?period=2026-10&kpi=total_revenue&by=product").json()
        assert api["products_apart"] == {"line_items": 1100.0, "revenue": 1500.0}
    # The report by product too: its rows read as the whole of the revenue, in every format.
    by_product = cli("report", "--period", "2026-10", "--kpi", "total_revenue", "--by", "product")
    assert ("Line items (quantity x price) add up to $1,100.00 of the $1,500.00 won"
            in " ".join(by_product.stderr.split()))
    found = json.loads(cli("report", "--period", "2026-10", "--kpi", "revenue_per_product", "--format",
                           "json").stdout)
    assert found["products_apart"] == {"line_items": 1100.0, "revenue": 1500.0}
    # Where they add up (1,100 + 400), nothing is said.
    cli.import_(csvs("deal_items", [{"deal_id": "p2", "product_id": "A", "quantity": "1",
                                     "unit_price": "400.00"}]))
    summary = json.loads(cli("summary", "--period", "2026-10", "--format", "json").stdout)
    assert "products_apart" not in summary
    found = json.loads(cli("report", "--period", "2026-10", "--kpi", "total_revenue", "--by", "product",
                           "--format", "json").stdout)
    assert "products_apart" not in found and sum(r["value"] for r in found["rows"]) == 1500.0


def test_a_week_across_two_months_has_their_targets_pro_rated(filled: Cli) -> None:
    """A week straddling two months with a target each had none: 2026-W40 is September 28th to
    October 4th, 3 days of September's 3,000 (100 a day) and 4 of October's 3,100 (100 a day)."""
    filled("target", "set", "total_revenue", "3000", "--period", "2026-09")
    filled("target", "set", "total_revenue", "3100", "--period", "2026-10")
    filled("target", "set", "win_rate", "30%", "--period", "2026-09")
    filled("target", "set", "win_rate", "30%", "--period", "2026-10")
    rows = {r["kpi"]: r for r in filled.report("--period", "2026-W40", "--kpi", "total_revenue",
                                               "--kpi", "win_rate")["rows"]}
    assert rows["total_revenue"]["target"] == 700.0 and rows["win_rate"]["target"] == 0.3
    # A quarter's target beside the months' changes nothing: 2026-W31 (July 27th to August 2nd) took
    # 7/92 of Q3's once it had one (800.00), and read "missed" where it had reached the months' parts:
    # 5 of July's 3,100 and 2 of August's 6,200. A rate's target likewise: the months' 30 %, not Q3's.
    filled("target", "set", "total_revenue", "3100", "--period", "2026-07")
    filled("target", "set", "total_revenue", "6200", "--period", "2026-08")
    filled("target", "set", "total_revenue", "10520", "--period", "2026-Q3")
    for month in ("2026-07", "2026-08"):
        filled("target", "set", "win_rate", "30%", "--period", month)
    filled("target", "set", "win_rate", "50%", "--period", "2026-Q3")
    rows = {r["kpi"]: r for r in filled.report("--period", "2026-W31", "--kpi", "total_revenue",
                                               "--kpi", "win_rate")["rows"]}
    assert rows["total_revenue"]["target"] == 900.0 and rows["win_rate"]["target"] == 0.3
    # The quarter itself reads its own; a sprint inside July does not make July's week the sprint's
    # and the quarter's rest: without July's target, July 1-7 is 7/92 of Q3's.
    rows = {r["kpi"]: r for r in filled.report("--period", "2026-Q3", "--kpi", "total_revenue")["rows"]}
    assert rows["total_revenue"]["target"] == 10520.0
    filled("target", "unset", "total_revenue", "--period", "2026-07")
    filled("target", "set", "total_revenue", "1000", "--period", "2026-07-01..2026-07-02")
    rows = {r["kpi"]: r for r in filled.report("--period", "2026-07-01..2026-07-07", "--kpi",
                                               "total_revenue")["rows"]}
    assert rows["total_revenue"]["target"] == 800.43  # 10,520 x 7 / 92
    for period in ("2026-07-01..2026-07-02", "2026-08", "2026-Q3"):
        filled("target", "unset", "total_revenue", "--period", period)
    # A shorter target inside October holds its own days: 3 x 100 + 2 x 500 + 2 x 100.
    filled("target", "set", "total_revenue", "1000", "--period", "2026-10-01..2026-10-02")
    rows = {r["kpi"]: r for r in filled.report("--period", "2026-W40", "--kpi", "total_revenue")["rows"]}
    assert rows["total_revenue"]["target"] == 1500.0
    filled("target", "unset", "total_revenue", "--period", "2026-10-01..2026-10-02")
    # Two months whose rate targets differ give the week no one goal; a day without any, none either.
    filled("target", "set", "win_rate", "40%", "--period", "2026-10")
    filled("target", "unset", "total_revenue", "--period", "2026-09")
    rows = {r["kpi"]: r for r in filled.report("--period", "2026-W40", "--kpi", "total_revenue",
                                               "--kpi", "win_rate")["rows"]}
    assert rows["total_revenue"]["target"] is None and rows["win_rate"]["target"] is None
