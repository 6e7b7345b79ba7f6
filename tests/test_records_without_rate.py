"""The records behind a count, with a deal no exchange rate converts.

Before, the list behind a win rate was refused whole for one pound deal without a rate while the win
rate itself was answered; the list behind a pipeline win rate showed that deal's amount empty,
without a word. Now a list behind a count shows every deal and names the ones without a rate, with
their own currency and amount; a list behind money is refused as its figure is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from helpers import Cli, write_csv
from salesmetrics import Workspace
from salesmetrics.drilldown import has_records, won_lost
from salesmetrics.errors import CurrencyError
from salesmetrics.kpis import REGISTRY, compiled
from salesmetrics.web.app import create_app
from test_compiled_currencies import RATES, make_fx_workspace

# d6 (jim, created 20 February, won 2 March) is in pounds, which no rate converts. March holds it
# won; February holds it open. October's deals all have rates.
PERIODS = ("2026-03", "2026-02", "2026-10")


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fx_workspace(tmp_path_factory.mktemp("without_rate") / "ws.duckdb")


@pytest.fixture(scope="module")
def ws(path: Path) -> Iterator[Workspace]:
    with Workspace.open(path, read_only=True) as opened:
        yield opened


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("kpi", sorted(k for k in REGISTRY if has_records(k) and k != "ramp_time"))
def test_a_list_is_refused_exactly_where_its_figure_is(ws: Workspace, kpi: str, period: str) -> None:
    """A list behind a figure that adds money refuses as the figure does; behind a figure that
    counts deals or days, it lists the deal with its amount empty and names it."""
    try:
        ws.report(period, kpis=[kpi])
        figure_refused = False
    except CurrencyError:
        figure_refused = True
    try:
        found = ws.records_behind(kpi, period)
    except CurrencyError as refused:
        assert figure_refused, f"{kpi} {period}: the figure stands, its list is refused: {refused}"
        return
    assert not figure_refused, f"{kpi} {period}: the figure is refused, its list is not"
    listed = {r["deal_id"]: r for r in found.rows if "deal_id" in r}
    unrated = [u.as_json() for u in found.without_rate]
    if "d6" in listed and found.kind == "deals":
        assert listed["d6"]["amount"] is None
        assert unrated == [{"deal_id": "d6", "currency": "GBP", "amount": Decimal("100.00")}]
    else:
        assert unrated == []
    # Every other listed deal has its amount, in dollars; none of them is named.
    assert all(r["amount"] is not None for d, r in listed.items() if d != "d6" and "amount" in r)
    assert "currency" not in found.columns and all("amount_raw" not in r for r in found.rows)


def test_the_counts_behind_march_name_the_pound_deal(ws: Workspace) -> None:
    """March's win rate (1 won of 1 closed) stands, and so does its list: d6, its amount empty."""
    found = ws.records_behind("win_rate", "2026-03")
    assert [(r["deal_id"], r["status"], r["amount"]) for r in found.rows] == [("d6", "won", None)]
    # Won and lost apart: the counts stand, the won amount is not a sum short of d6.
    for split in (won_lost(found), ws.won_lost("2026-03")):
        assert (split.won, split.lost, split.won_amount, split.lost_amount) == (1, 0, None, Decimal("0.00"))
        assert split.without_rate == 1
    # February: d6 was open; the pipeline win rate's list shows it, named, and the cycle's
    # Kaplan-Meier list (open at the end of February) too.
    for kpi in ("pipeline_win_rate", "sales_cycle_median_km"):
        found = ws.records_behind(kpi, "2026-02")
        assert [u.deal_id for u in found.without_rate] == ["d6"], kpi
    # Revenue for March adds d6's money: refused, the list as the figure.
    with pytest.raises(CurrencyError, match="GBP"):
        ws.records_behind("total_revenue", "2026-03")


def test_october_has_no_deal_without_a_rate(ws: Workspace) -> None:
    found = ws.records_behind("win_rate", "2026-10")
    assert found.without_rate == ()
    split = ws.won_lost("2026-10")
    assert split.without_rate == 0 and split.won_amount is not None and split.won_amount > 0
    assert split.won_amount == sum(r["amount"] for r in found.rows if r["status"] == "won")


def test_the_command_line_names_the_deal(path: Path, tmp_path: Path) -> None:
    cli = Cli(path, columns=200)
    table = cli("records", "win_rate", "--period", "2026-03").stdout
    said = " ".join(table.split())
    assert "1 deal(s) have no exchange rate to USD for their currency" in said
    assert "d6 (£100.00)" in said
    german = " ".join(cli("records", "win_rate", "--period", "2026-03", "--lang", "de").stdout.split())
    assert "1 Deal(s) ohne Wechselkurs nach USD" in german and "d6 (100,00 £)" in german
    assert "Beträge in USD: solche in anderen Währungen" in german  # the caption, German too
    # JSON holds them; the note goes to stderr, so stdout stays JSON.
    result = cli("records", "pipeline_win_rate", "--period", "2026-02", "--format", "json")
    data = json.loads(result.stdout, parse_float=Decimal)
    assert data["without_rate"] == [{"deal_id": "d6", "currency": "GBP", "amount": Decimal("100.00")}]
    assert [r["amount"] for r in data["rows"] if r["deal_id"] == "d6"] == [None]
    assert "d6" in result.stderr
    data = json.loads(cli("records", "win_rate", "--period", "2026-03", "--format", "json").stdout)
    assert data["won_lost"]["won"] == {"deals": 1, "amount": None} and data["won_lost"]["without_rate"] == 1
    # A workbook says it on its cover.
    book = tmp_path / "march.xlsx"
    cli("records", "win_rate", "--period", "2026-03", "--format", "xlsx", "--output", str(book))
    cover = {row[0]: row[1] for row in load_workbook(book)["Cover"].iter_rows(values_only=True) if row[0]}
    assert "d6 (£100.00)" in cover["Without a rate"]
    # Money without a rate is still refused, the word before it German under --lang de.
    refused = cli("records", "total_revenue", "--period", "2026-03", "--lang", "de", ok=False)
    assert refused.exit_code == 1
    assert " ".join(refused.stderr.split()).startswith("Fehler: 1 Deal(s) in GBP")
    refused = cli("records", "total_revenue", "--period", "2026-03", ok=False)
    assert " ".join(refused.stderr.split()).startswith("Error: 1 deal(s) in GBP")


def _page(client: TestClient, url: str, **params: str) -> str:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.text


def test_the_pages_and_the_api_name_the_deal(path: Path) -> None:
    with TestClient(create_app(path, warm=False)) as client:
        page = _page(client, "/drill", kpi="win_rate", period="2026-03", lang="en")
        note = page.split('id="without-rate"', 1)[1].split("</p>", 1)[0]
        assert "d6 (£100.00)" in note and "no exchange rate to USD" in note
        assert 'id="won-lost-without-rate"' in page
        assert 'data-part="won" data-deals="1" data-amount=""' in page
        german = _page(client, "/drill", kpi="pipeline_win_rate", period="2026-02", lang="de")
        assert "ohne Wechselkurs nach USD" in german and "d6 (100,00" in german
        # A list without such a deal says nothing of rates, and adds its amounts up; one with it
        # gives no sum short of its money.
        october = _page(client, "/drill", kpi="sales_cycle_length", period="2026-10", lang="en")
        assert 'id="without-rate"' not in october and "· sum $" in october
        march = _page(client, "/drill", kpi="sales_cycle_length", period="2026-03", lang="en")
        assert 'id="without-rate"' in march and "· sum $" not in march
        api = client.get("/api/v1/records", params={"kpi": "win_rate", "period": "2026-03"}).json()
        assert api["without_rate"] == [{"deal_id": "d6", "currency": "GBP", "amount": 100.0}]
        october = client.get("/api/v1/records", params={"kpi": "win_rate", "period": "2026-10"}).json()
        assert october["without_rate"] == []




def test_a_kept_check_is_forgotten_when_the_records_change(tmp_path: Path) -> None:
    """A check's answer is kept until the records change (Records.remember): asked again for the
    same deals, the kept answer refuses again; once a rate for pounds is imported, the same
    question in the same open workspace is answered, not refused from what was kept."""
    path = make_fx_workspace(tmp_path / "ws.duckdb")
    compiled.clear()
    with Workspace.open(path) as ws:
        for _ in range(4):  # the shape is seen, its text checked, then kept: its check too
            with pytest.raises(CurrencyError, match="GBP"):
                ws.report("2026-03", kpis=["total_revenue", "average_deal_size"])
        write_csv(tmp_path / "rates" / "fx_rates.csv",
                  [*RATES, {"date": "2026-01-01", "currency": "GBP", "rate_to_base": "1.250000"}])
        ws.import_files(tmp_path / "rates")
        rows = {r["kpi"]: r["value"] for r in ws.report("2026-03", kpis=["total_revenue"]).as_json()["rows"]}
        assert rows == {"total_revenue": Decimal("125.00")}


def test_a_refused_import_in_german_begins_in_german(tmp_path: Path) -> None:
    write_csv(tmp_path / "bad" / "deals.csv", [
        {"deal_id": "x1", "rep_id": "r", "created_at": "gestern", "status": "won", "amount": "1,00"}])
    refused = Cli(tmp_path / "w.duckdb")("import", str(tmp_path / "bad"), "--lang", "de", ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1 and said.startswith("Fehler: "), said
