"""A history of deals stamped by day only (a CRM's field history exported as dates): a change on
October 5th is stamped at its midnight, the very moment October 4th ends. As of October 4th it had
not happened: the forecast read it as done, and set a deal expected in February into the quarter's
commit, while slippage as of the same day did not see the change. Every answer as of a day now
reads a change at the cut as after it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Cli, write_csv


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Ann", "team": "east"}])
    write_csv(folder / "deals.csv", [
        {"deal_id": "d1", "rep_id": "r1", "created_at": "2026-09-01", "status": "open", "amount": "1000.00",
         "currency": "USD", "expected_close_on": "2026-11-20", "forecast_category": "commit"},
        {"deal_id": "d2", "rep_id": "r1", "created_at": "2026-09-01", "status": "open", "amount": "400.00",
         "currency": "USD", "expected_close_on": "2026-12-01", "forecast_category": "commit"},
        {"deal_id": "d3", "rep_id": "r1", "created_at": "2026-09-01", "status": "open", "amount": "70.00",
         "currency": "USD", "expected_close_on": "2026-12-15", "forecast_category": "commit"}])
    change = {"old_amount": "", "new_amount": "", "old_forecast_category": "",
              "new_forecast_category": "commit"}
    write_csv(folder / "deal_changes.csv", [
        # d1 was expected in February until October 5th pulled it into the quarter.
        {**change, "deal_id": "d1", "changed_at": "2026-09-01", "new_amount": "1000.00",
         "new_expected_close_on": "2027-02-10"},
        {**change, "deal_id": "d1", "changed_at": "2026-10-05",
         "old_amount": "1000.00", "new_amount": "1000.00",
         "old_forecast_category": "commit", "old_expected_close_on": "2027-02-10",
         "new_expected_close_on": "2026-11-20"},
        # d2 had no date until October 5th.
        {**change, "deal_id": "d2", "changed_at": "2026-09-01", "new_amount": "400.00"},
        {**change, "deal_id": "d2", "changed_at": "2026-10-05",
         "old_amount": "400.00", "new_amount": "400.00",
         "old_forecast_category": "commit", "new_expected_close_on": "2026-12-01"},
        # d3 was pushed from November on October 5th.
        {**change, "deal_id": "d3", "changed_at": "2026-09-01", "new_amount": "70.00",
         "new_expected_close_on": "2026-11-10"},
        {**change, "deal_id": "d3", "changed_at": "2026-10-05",
         "old_amount": "70.00", "new_amount": "70.00",
         "old_forecast_category": "commit", "old_expected_close_on": "2026-11-10",
         "new_expected_close_on": "2026-12-15"}])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder / "reps.csv", folder / "deals.csv", folder / "deal_changes.csv")
    return cli


def _json(cli: Cli, *args: str) -> Any:
    return json.loads(cli(*args, "--format", "json").stdout)


def test_a_change_stamped_at_the_end_of_a_day_is_the_next_days(cli: Cli) -> None:
    before = _json(cli, "forecast", "--period", "2026-Q4", "--as-of", "2026-10-04")
    assert [(d["deal_id"], d["bar"]) for d in before["deals"]] == [("d3", "commit")]
    total = before["total"]
    assert (total["commit"], total["undated"], total["undated_deals"]) == (70.0, 400.0, 1)
    after = _json(cli, "forecast", "--period", "2026-Q4", "--as-of", "2026-10-05")
    assert sorted(d["deal_id"] for d in after["deals"]) == ["d1", "d2", "d3"]
    assert (after["total"]["commit"], after["total"]["undated_deals"]) == (1470.0, 0)


def test_slippage_as_of_the_same_days_agrees(cli: Cli) -> None:
    before = _json(cli, "slippage", "--period", "2026-Q4", "--as-of", "2026-10-04")
    assert before["rows"] == []
    after = _json(cli, "slippage", "--period", "2026-Q4", "--as-of", "2026-10-05")
    assert [(r["deal_id"], r["pushes"], r["days"]) for r in after["rows"]] == [("d3", 1, 35)]


def test_accuracy_knows_nothing_at_the_start_imported_at_its_midnight(tmp_path: Path) -> None:
    # Both deals first imported on July 2nd, stamped at its midnight: the end of July 1st, the
    # quarter's start. The won deal's sum counted it as known then, the open deal did not: the
    # start was "kept" with 500.00 won and no pipeline.
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Ann", "team": "east"}])
    deal = {"rep_id": "r1", "created_at": "2026-06-01", "currency": "USD", "forecast_category": "commit"}
    write_csv(folder / "deals.csv", [
        {**deal, "deal_id": "w1", "closed_at": "2026-08-10", "status": "won", "amount": "500.00",
         "expected_close_on": "2026-08-10"},
        {**deal, "deal_id": "o1", "closed_at": "", "status": "open", "amount": "300.00",
         "expected_close_on": "2026-09-20"}])
    write_csv(folder / "deal_changes.csv", [
        {"deal_id": d, "changed_at": "2026-07-02", "old_amount": "", "new_amount": amount,
         "old_expected_close_on": "", "new_expected_close_on": on, "old_forecast_category": "",
         "new_forecast_category": "commit"}
        for d, amount, on in (("w1", "500.00", "2026-08-10"), ("o1", "300.00", "2026-09-20"))])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder / "reps.csv", folder / "deals.csv", folder / "deal_changes.csv")
    found = _json(cli, "forecast", "--accuracy", "--last", "1", "--as-of", "2026-10-05")
    everyone = next(r for r in found["rows"] if r["rep"] is None)
    assert everyone["start"] == {"as_of": "2026-07-01", "kept": False}
    assert (everyone["middle"]["closed_won"], everyone["middle"]["commit"]) == (500.0, 300.0)
