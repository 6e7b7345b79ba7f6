"""Numbers a person types (a target, a program's cost) are read in either convention: a German sales
leader's "1.234,56" and "12,50" are what they say, and "250.000", which both conventions read (as
250000 or 250), is refused with both readings named, never guessed. A JSON number is a number."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_decimal
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from helpers import Cli, form_token
from salesmetrics.typed_numbers import Ambiguous, read_number
from salesmetrics.web.app import create_app


@pytest.fixture
def ws(cli: Cli, csvs: Any) -> Cli:
    csvs("reps", [{"rep_id": "ann", "name": "Ann Perkins", "team": "west"}])
    cli.import_(csvs("deals", [{"deal_id": "d1", "rep_id": "ann", "created_at": "2026-11-02",
                                "closed_at": "2026-11-18", "status": "won", "amount": "1000.00",
                                "currency": "EUR"}]).parent)
    return cli


def stored(cli: Cli, kpi: str) -> Decimal:
    [target] = [t for t in json.loads(cli("target", "list", "--format", "json").stdout) if t["kpi"] == kpi]
    return Decimal(str(target["value"]))


@pytest.mark.parametrize(("typed", "kpi", "expected"), [
    ("1000000,50", "total_revenue", "1000000.50"),  # was 100,000,050.00
    ("1.234,56", "total_revenue", "1234.56"),
    ("1,234.56", "total_revenue", "1234.56"),
    ("1.000.000", "total_revenue", "1000000"),  # was refused
    ("12,50", "average_deal_size", "12.50"),  # was 1,250
    ("4,5", "nps", "4.5"),  # was 45
    ("4,5", "sales_cycle_length", "4.5"),
    ("0,3", "win_rate", "0.3"),  # was refused as 3
    ("30 %", "win_rate", "0.3"),
    ("250000", "total_revenue", "250000"),
])
def test_a_target_is_read_in_either_convention(ws: Cli, typed: str, kpi: str, expected: str) -> None:
    ws("target", "set", kpi, typed, "--period", "2026-Q4")
    assert stored(ws, kpi) == Decimal(expected)


def test_a_target_both_conventions_read_is_refused_with_both_readings(ws: Cli) -> None:
    refused = ws("target", "set", "total_revenue", "250.000", "--period", "2026-Q4", ok=False)
    assert refused.exit_code == 2
    assert ("target '250.000' could be 250000 or 250: write it without thousands separators"
            in " ".join(refused.stderr.split()))
    german = ws("target", "set", "total_revenue", "1,500", "--period", "2026-Q4", "--lang", "de", ok=False)
    assert ("Ziel '1,500' kann 1500 oder 1,5 sein: ohne Tausendertrennzeichen schreiben"
            in " ".join(german.stderr.split()))
    assert json.loads(ws("target", "list", "--format", "json").stdout) == []


def test_the_api_and_the_form_read_a_target_alike(ws: Cli) -> None:
    with TestClient(create_app(ws.db, warm=False)) as client:
        text = client.put("/api/v1/targets?lang=de", json={"kpi": "total_revenue", "value": "1.234,56",
                                                          "period": "2026-11"})
        assert text.status_code == 200, text.text
        assert text.json()["value"] == 1234.56  # was 1.23456
        # A JSON number is a number: 250.125 is not 'two hundred fifty thousand one hundred twenty-five'.
        number = client.put("/api/v1/targets", json={"kpi": "average_deal_size", "value": 250.125,
                                                      "period": "2026-11"})
        assert number.status_code == 200, number.text
        assert number.json()["value"] == 250.125
        infinite = client.put("/api/v1/targets", content=b'{"kpi": "total_revenue", "value": Infinity, '
                              b'"period": "2026-11"}', headers={"Content-Type": "application/json"})
        assert infinite.status_code in (400, 422), infinite.text
        ambiguous = client.put("/api/v1/targets?lang=de", json={"kpi": "total_revenue", "value": "50.000",
                                                               "period": "2026-12"})
        assert ambiguous.status_code == 400, ambiguous.text
        assert "kann 50000 oder 50 sein" in ambiguous.text
        page = client.get("/targets?lang=de").text
        assert "z. B. 250000, 30 % oder 0,3" in page
        form = {"csrf": form_token(page), "kpi": "total_revenue", "whom": "", "value": "50.000,00",
                "period": "2026-Q4"}
        saved = client.post("/targets?lang=de", data=form)
        assert saved.status_code == 200, saved.text
    targets = json.loads(ws("target", "list", "--format", "json").stdout)
    assert sorted(Decimal(str(t["value"])) for t in targets if t["kpi"] == "total_revenue") == [
        Decimal("1234.56"), Decimal("50000.00")]


def test_a_programs_cost_is_read_in_either_convention(ws: Cli) -> None:
    added = json.loads(ws("program", "add", "Coaching", "--start", "2026-10-01", "--rep", "ann",
                          "--cost", "12.000,50", "--format", "json").stdout)
    assert Decimal(str(added["cost"])) == Decimal("12000.50")
    refused = ws("program", "add", "Playbook", "--start", "2026-10-01", "--rep", "ann", "--cost", "12.000",
                 ok=False)
    assert "could be 12000 or 12: write it without thousands separators" in " ".join(refused.stderr.split())


@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2),
       st.sampled_from(["en", "de", "de_CH"]), st.booleans())
def test_any_number_babel_writes_reads_back_or_is_refused_as_ambiguous(
        value: Decimal, locale: str, grouped: bool) -> None:
    pattern = "#,##0.00" if grouped else "0.00"
    # Swiss apostrophes and (narrow) no-break spaces group digits too; a minus sign is a hyphen.
    written = str(format_decimal(value, format=pattern, locale=locale)).replace("\u2212", "-")
    try:
        assert read_number(written) == value
    except Ambiguous as both:
        assert value in (both.thousands, both.decimal)
