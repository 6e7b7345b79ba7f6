"""Every CSV a user downloads opens in a spreadsheet without running a formula smuggled into the
records: text starting with = + - @ tab or CR gets a leading ', numbers stay numbers (issue 18, item 4)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.spreadsheet import safe_cell
from salesmetrics.web.app import create_app

FORMULAS = {"=HYPERLINK(\"http://evil.example\")": "'=HYPERLINK(\"http://evil.example\")",
            "+1+1": "'+1+1", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)", "\tcmd": "'\tcmd",
            "\r=1": "'\r=1"}
# Imports trim values, so a leading tab or CR never reaches the records; the rule still covers them.
ACCOUNTS = {k: v for k, v in FORMULAS.items() if not k[0].isspace()} | {"Acme": "Acme", "=2": "'=2"}


def test_the_rule() -> None:
    for given, expected in FORMULAS.items():
        assert safe_cell(given) == expected
    assert safe_cell("Acme =1") == "Acme =1"  # only the first character matters
    assert safe_cell(-500) == -500 and safe_cell(None) is None and safe_cell("") == ""


@pytest.fixture
def hostile(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    csvs("reps", [{"rep_id": "r1", "name": "=1+1", "team": "@team"},
                  {"rep_id": "-r2", "name": "Ann", "team": "+west"}])
    accounts = list(ACCOUNTS)
    folder = csvs("deals", [{"deal_id": f"=d{i}", "rep_id": "r1" if i % 2 else "-r2", "account": account,
                    "created_at": "2026-09-01T10:00:00", "closed_at": "2026-10-05T10:00:00",
                    "status": "won", "amount": f"{100 * (i + 1)}.50", "currency": "USD"}
                   for i, account in enumerate(accounts)])
    cli.import_(folder.parent)
    return cli


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_records_csv_from_the_cli_and_the_api(hostile: Cli) -> None:
    cli_rows = _rows(hostile("records", "total_revenue", "--period", "2026-10", "--format", "csv").stdout)
    api = TestClient(create_app(hostile.db, warm=False)).get(
        "/api/v1/records.csv", params={"kpi": "total_revenue", "period": "2026-10"})
    assert api.status_code == 200
    for rows in (cli_rows, _rows(api.text)):
        assert len(rows) == len(ACCOUNTS)
        accounts = {r["account"] for r in rows}
        assert accounts == set(ACCOUNTS.values()), accounts
        assert {r["deal_id"][:3] for r in rows} == {"'=d"}  # =d0, =d1, ...
        assert {r["team"] for r in rows} == {"'@team", "'+west"}
        # The names beside the ids too (a tester: rep_name "=HYPERLINK(...)" went out as written).
        assert {r["rep_name"] for r in rows} == {"'=1+1", "Ann"}
        # Amounts are numbers, written as numbers: no quote, exact decimals.
        assert sorted(r["amount"] for r in rows) == sorted(f"{100 * (i + 1)}.50" for i in range(6))


def test_report_csv(hostile: Cli) -> None:
    rows = _rows(hostile("report", "--period", "2026-10", "--by", "rep,team", "--kpi", "total_revenue",
                         "--format", "csv").stdout)
    # r1 won the deals of accounts 2, 4 and 6 (200.50 + 400.50 + 600.50), -r2 the others.
    assert {(r["rep"], r["team"], r["value"]) for r in rows} == {("r1", "'@team", "1201.50"),
                                                                ("'-r2", "'+west", "901.50")}
