"""Values from the records are printed as written: a name that looks like Rich markup or an emoji code
is neither styled nor turned into a picture, and never breaks a command (issue 18, item 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Cli

HOSTILE_REP = "[/x]Eve :thumbs_up: [bold]Bold"
HOSTILE_TEAM = "[red]team[/red]"
HOSTILE_PRODUCT = "[link=http://evil.example]Widget[/link] :smile:"


def _deal(deal_id: str, status: str, amount: str) -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": "eve", "created_at": "2026-09-01T10:00:00",
            "closed_at": "2026-10-05T10:00:00", "status": status, "amount": amount, "currency": "USD"}


@pytest.fixture
def hostile(cli: Cli, csvs: Callable[..., Path]) -> Cli:
    csvs("reps", [{"rep_id": "eve", "name": HOSTILE_REP, "team": HOSTILE_TEAM, "hired_on": "2020-01-01"},
                  {"rep_id": "bob", "name": "Bob", "team": HOSTILE_TEAM, "hired_on": "2020-01-01"}])
    csvs("products", [{"product_id": "p1", "name": HOSTILE_PRODUCT, "unit_price": "100.00",
                       "currency": "USD"}])
    deals = [_deal(f"d{i}", "won" if i % 3 else "lost", "100.00") for i in range(1, 13)]
    csvs("deals", deals)
    folder = csvs("deal_items", [{"deal_id": "d1", "product_id": "p1", "quantity": "1",
                                  "unit_price": "100.00"}])
    cli.import_(folder.parent)
    return cli


def test_summary_prints_names_literally(hostile: Cli) -> None:
    out = hostile("summary", "--period", "2026-10").stdout
    assert HOSTILE_REP in out  # the top reps: markup kept as text, the emoji code not replaced
    assert "👍" not in out and "😄" not in out
    assert "[link=http://evil.example]Widget[/link] :smile:" in out.replace("\n", "")


def test_scorecard_and_reports_print_names_literally(hostile: Cli) -> None:
    card = hostile("scorecard", "eve", "--period", "2026-Q4").stdout
    assert HOSTILE_REP in card and HOSTILE_TEAM in card
    by_team = hostile("report", "--period", "2026-10", "--by", "team", "--kpi", "total_revenue").stdout
    assert HOSTILE_TEAM in by_team and "$800.00" in by_team  # 8 of the 12 deals won, 100.00 each
    records = hostile("records", "total_revenue", "--period", "2026-10").stdout
    assert "eve" in records


def test_a_problem_list_with_markup_in_values_is_printed_as_written(cli: Cli,
                                                                     csvs: Callable[..., Path]) -> None:
    csvs("reps", [{"rep_id": "r1", "name": "R"}])
    folder = csvs("deals", [_deal("d1", "won", "[/x]") | {"rep_id": "r1"},
                            _deal("d2", "won", ":thumbs_up:") | {"rep_id": "[bold]r2"}]).parent
    result = cli.import_(folder, ok=False)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "(value '[/x]')" in result.stderr
    assert "(value ':thumbs_up:')" in result.stderr and "👍" not in result.stderr
    assert "(value '[bold]r2')" in result.stderr


def test_control_characters_from_the_records_never_reach_the_terminal(cli: Cli,
                                                                       csvs: Callable[..., Path]) -> None:
    """A rep named "Ac<ESC>[31mme" turned the terminal red in every table that named him; cursor
    moves and a new window title are a few bytes more."""
    csvs("reps", [{"rep_id": "r1", "name": "Ac\x1b[31mme\x07", "team": "east\x1b]0;pwned\x07"}])
    folder = csvs("deals", [_deal("d1", "won", "100.00") | {"rep_id": "r1"}]).parent
    cli.import_(folder)
    for args in (("summary", "--period", "2026-10"), ("report", "--period", "2026-10", "--by", "team",
                                                       "--kpi", "total_revenue")):
        out = cli(*args).stdout
        assert "\x1b" not in out and "\x07" not in out, args
    wide = Cli(cli.db, columns=200)("summary", "--period", "2026-10").stdout
    assert "Ac\ufffd[31mme" in wide  # the bell: Rich leaves it out
