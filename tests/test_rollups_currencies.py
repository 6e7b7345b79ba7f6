"""Ramp time in a workspace of several currencies reads won revenue per rep and month from a rollup
in the base currency (storage.BASE_ROLLUP), as it does in one currency (storage.ROLLUP).

Before, it converted every won deal of the records' whole history at each ask: 0.68 s of a
dashboard's 1.3 s at 1M deals with a fifth of them in euros. The rollup converts each deal at its
close day's rate as the query layer does, to the cent, and counts the deals no rate converts, so
ramp time refuses the months it reads that hold one, as it does from the deals. The months from
the one money is converted as of (today, an as-of day) come from the deals, at that moment's rate.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from helpers import Cli, write_csv
from salesmetrics import Workspace
from salesmetrics.errors import CurrencyError
from test_rollups import PERIODS, fresh, make_stale, write_records

# ann's and the veteran's deals in euros; cy's d9 (June 30) in pounds, which no rate converts.
EURO = {"d1", "d2", "d7", "d8", "d11"}
POUND = {"d9"}
RATES = [{"date": "2024-06-01", "currency": "EUR", "rate_to_base": "1.100000"},
         {"date": "2025-03-31", "currency": "EUR", "rate_to_base": "1.333333"},
         {"date": "2025-05-15", "currency": "EUR", "rate_to_base": "0.900000"}]
# The veteran wins every month of 2024 (the revenue rule's bar), in euros from July.
VETERAN = [{"deal_id": f"v{m}", "rep_id": "vet", "created_at": "2023-12-01T09:00:00",
            "closed_at": f"2024-{m:02d}-15T12:00:00", "status": "won",
            "currency": "EUR" if m >= 7 else "USD", "amount": f"{2000 + 111 * m}.45"}
           for m in range(1, 13)]


def write_fx_records(folder: Path) -> Path:
    write_records(folder)
    deals = (folder / "deals.csv").read_text().splitlines()
    head, rows = deals[0], deals[1:]
    def currency(line: str) -> str:
        deal = line.split(",", 1)[0]
        return line.replace(",USD,", ",EUR,") if deal in EURO else (
            line.replace(",USD,", ",GBP,") if deal in POUND else line)
    (folder / "deals.csv").write_text("\n".join([head, *map(currency, rows)]) + "\n")
    write_csv(folder / "more" / "deals.csv", VETERAN)
    write_csv(folder / "more" / "fx_rates.csv", RATES)
    return folder


@pytest.fixture()
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "fx.duckdb")
    folder = write_fx_records(tmp_path / "records")
    cli("config", "set", "base_currency", "USD")
    cli.import_(folder, folder / "more")
    return cli


def ramp_figures(db: Path) -> list[Any]:
    """Ramp time for every period, grouped and filtered, as of two days and none, by both rules:
    its figures, or its refusal."""
    out: list[Any] = []
    for rule in ("quota", "revenue"):
        with Workspace.open(db) as ws:
            ws.set_setting("ramp_rule", rule)
        with Workspace.open(db, read_only=True) as ws:
            for period in PERIODS:
                for by, filters in (("", {}), ("team", {}), ("rep", {}), ("", {"team": ["east"]}),
                                    ("rep", {"rep": ["ann", "cy"]})):
                    for as_of in (None, date(2025, 5, 20), date(2025, 7, 3)):
                        try:
                            report = ws.report(period, kpis=["ramp_time"], by=by, filters=filters,
                                               as_of=as_of)
                        except (ValueError, CurrencyError) as refused:  # after as_of; no rate
                            out.append((rule, period, by, as_of, type(refused).__name__, str(refused)))
                            continue
                        out.append((rule, period, by, filters, as_of, [
                            (r.get("team"), r.get("rep"), r["value"], r["n"], r["days_so_far"], r["flags"])
                            for r in report.rows]))
    return out


def test_the_base_currency_rollup_answers_as_the_records_do(cli: Cli) -> None:
    assert fresh(cli.db)
    kept = ramp_figures(cli.db)
    refusals = [f for f in kept if f[4] == "CurrencyError"]
    answered = [f for f in kept if isinstance(f[-1], list) and f[-1]]
    # The pound deal refuses the periods whose months it is read in, and only those.
    assert refusals and answered
    assert all("GBP" in f[5] and "2025-06-30" in f[5] for f in refusals)
    assert not any(f[1] in ("2025-03", "2025-Q1") and f[3] is None for f in refusals)
    make_stale(cli.db)
    assert not fresh(cli.db)
    assert ramp_figures(cli.db) == kept  # read from the records alone


def _rollup(db: Path) -> dict[tuple[str, str], tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT rep_id, CAST(month AS VARCHAR), revenue, unrated, unrated_currency "
                           "FROM won_base_by_rep_month").fetchall()
    finally:
        con.close()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def test_it_converts_each_deal_at_its_close_day_s_rate(cli: Cli) -> None:
    months = _rollup(cli.db)
    # ann's March: d1 (1,501.00 EUR, March 1, at 1.10) and d2 (999.99 EUR, March 31, at 1.333333).
    march = round_cent("1501.00", "1.1") + round_cent("999.99", "1.333333")
    assert months[("ann", "2025-03-01")][:2] == (march, 0)
    # The veteran's July in euros at 1.10; cy's June is d9 in pounds, without a rate.
    assert months[("vet", "2024-07-01")][0] == round_cent("2777.45", "1.1")
    assert months[("cy", "2025-06-01")] == (None, 1, "GBP")


def round_cent(amount: str, rate: str) -> Any:
    from decimal import ROUND_HALF_UP, Decimal

    return (Decimal(amount) * Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_it_is_what_is_read_while_fresh(cli: Cli) -> None:
    def ann(period: str) -> Any:
        # ann alone: cy's June in pounds refuses a figure that reads it.
        report = cli.report("--kpi", "ramp_time", "--period", period, "--by", "rep", "--filter", "rep=ann")
        return next((r["value"], r["flags"]) for r in report["rows"] if r["rep"] == "ann")

    # ann wins 16,000 dollars in May (12,000 euros at 1.333333) and 4,500 in June (5,000 at 0.90)
    # against quotas of 3,000 a month: ramped from May, 150 days, known once June is over; May is
    # read from the rollup, June (the period's own month) from the deals.
    before = ann("2025-06")
    assert before[0] == 150
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE won_base_by_rep_month SET revenue = 0.01 WHERE rep_id = 'ann'")
    con.close()
    assert ann("2025-06")[0] is None
    make_stale(cli.db)
    assert ann("2025-06") == before


def test_rates_and_a_new_base_currency_rebuild_it(cli: Cli, tmp_path: Path) -> None:
    before = _rollup(cli.db)
    # A rate for pounds: cy's June is summed, and ramp time no longer refuses it.
    write_csv(tmp_path / "gbp" / "fx_rates.csv",
              [{"date": "2025-01-01", "currency": "GBP", "rate_to_base": "1.250000"}])
    cli.import_(tmp_path / "gbp")
    assert fresh(cli.db)
    after = _rollup(cli.db)
    assert after[("cy", "2025-06-01")] == (round_cent("10500.01", "1.25"), 0, None)
    assert {k: v for k, v in after.items() if k[0] != "cy"} == {
        k: v for k, v in before.items() if k[0] != "cy"}
    kept = ramp_figures(cli.db)
    assert not [f for f in kept if f[4] == "CurrencyError"]
    make_stale(cli.db)
    assert ramp_figures(cli.db) == kept
    # Euros as the base: the rates to dollars are gone, so every dollar deal is one without a rate.
    cli("config", "set", "base_currency", "EUR")
    assert fresh(cli.db)
    euros = _rollup(cli.db)
    assert euros[("ann", "2025-03-01")] == (round_cent("2500.99", "1"), 0, None)
    assert euros[("bob", "2025-03-01")][1:] == (1, "USD")


def test_a_month_after_today_is_read_from_the_deals(tmp_path: Path) -> None:
    """A deal won and dated after today (new's 1,000 euros, tomorrow) is in the rollup at its
    close day's rate (a planning rate of 5.00 dated then), which no figure of today may read: the
    running month is read from the deals, up to today, where new has won nothing yet."""
    today = date.today()
    later = today + timedelta(days=1)
    if later.month != today.month:
        pytest.skip("the last day of a month: the deal would fall in a period not begun")
    write_csv(tmp_path / "r" / "reps.csv", [
        {"rep_id": "new", "name": "New", "team": "east",
         "hired_on": (today - timedelta(days=400)).isoformat()},
        {"rep_id": "vet", "name": "Vet", "team": "east", "hired_on": "2015-01-01"}])
    write_csv(tmp_path / "r" / "deals.csv", [
        {"deal_id": "n1", "rep_id": "new", "created_at": "2020-01-01T09:00:00",
         "closed_at": f"{later.isoformat()}T10:00:00", "status": "won", "currency": "EUR",
         "amount": "1000.00"},
        *({"deal_id": f"v{k}", "rep_id": "vet", "created_at": "2020-01-01T09:00:00",
           "closed_at": f"{(today - timedelta(days=30 * k)).isoformat()}T10:00:00", "status": "won",
           "currency": "USD", "amount": "3000.00"} for k in range(1, 13)),
        # Something of the period so far, which a period without any record would not show.
        {"deal_id": "o1", "rep_id": "vet", "created_at": "2020-01-01T09:00:00",
         "closed_at": f"{today.isoformat()}T00:00:00", "status": "won", "currency": "USD",
         "amount": "10.00"}])
    write_csv(tmp_path / "r" / "fx_rates.csv", [
        {"date": "2020-01-01", "currency": "EUR", "rate_to_base": "1.000000"},
        {"date": later.isoformat(), "currency": "EUR", "rate_to_base": "5.000000"}])
    cli = Cli(tmp_path / "w.duckdb")
    cli("config", "set", "base_currency", "USD")
    cli.import_(tmp_path / "r")
    assert _rollup(cli.db)[("new", later.replace(day=1).isoformat())][0] == round_cent("1000.00", "5")
    period = f"{today.year}-{today.month:02d}"

    def new() -> Any:
        report = cli.report("--kpi", "ramp_time", "--period", period, "--by", "rep")
        return next((r["value"], r["flags"]) for r in report["rows"] if r["rep"] == "new")

    assert fresh(cli.db)
    as_read = new()
    assert as_read == (None, ["still_ramping"])
    make_stale(cli.db)
    assert new() == as_read


def test_money_out_of_range_blocks_no_write_and_is_not_called_damage(tmp_path: Path) -> None:
    """9,000 trillion euros at 2.00 (a rate typed upside down on a large deal) is beyond 18 digits
    in dollars: the rollup, rebuilt by every write, keeps it in 38, so the import goes through; a
    figure that converts it says what is out of range, not that the file is damaged."""
    write_csv(tmp_path / "r" / "reps.csv", [{"rep_id": "a", "name": "A", "team": "east"}])
    write_csv(tmp_path / "r" / "deals.csv", [
        {"deal_id": "d1", "rep_id": "a", "created_at": "2025-01-01T00:00:00",
         "closed_at": "2025-02-01T10:00:00", "status": "won", "currency": "EUR",
         "amount": "9000000000000000.00"},
        {"deal_id": "d2", "rep_id": "a", "created_at": "2025-01-01T00:00:00",
         "closed_at": "2025-02-01T10:00:00", "status": "won", "currency": "USD", "amount": "10.00"}])
    write_csv(tmp_path / "r" / "fx_rates.csv",
              [{"date": "2025-01-01", "currency": "EUR", "rate_to_base": "2.000000"}])
    cli = Cli(tmp_path / "w.duckdb")
    cli("config", "set", "base_currency", "USD")
    cli.import_(tmp_path / "r")
    assert fresh(cli.db)
    assert _rollup(cli.db)[("a", "2025-02-01")][:2] == (round_cent("18000000000000010.00", "1"), 0)
    refused = cli("report", "--period", "2025-02", "--kpi", "total_revenue", ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1 and "out of range" in said and "fx_rates" in said
    assert "damaged" not in said
    # The API and the pages say the same, as a conflict of the records, not an internal error.
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    with TestClient(create_app(cli.db, warm=False)) as client:
        api = client.get("/api/v1/report", params={"period": "2025-02", "kpi": "total_revenue"})
        assert api.status_code == 409 and api.json()["error"]["type"] == "out_of_range", api.text
        assert "fx_rates" in api.json()["error"]["message"]
        page = client.get("/", params={"period": "2025-02"})
        assert page.status_code == 409 and "a value is out of range" in page.text
    # A line of 1,000,000 times 99,999,999,999.00 is beyond 10^16 too: its import is refused in the
    # same words (the rollup of items' revenue is rebuilt by it), nothing written, not "damaged".
    write_csv(tmp_path / "items" / "deal_items.csv", [
        {"deal_id": "d2", "product_id": "p1", "quantity": "1000000", "unit_price": "99999999999.00"}])
    write_csv(tmp_path / "items" / "products.csv", [{"product_id": "p1", "name": "P"}])
    refused = cli("import", "--quiet", str(tmp_path / "items"), ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1 and "a value is out of range" in said and "deal_items" in said
    assert "damaged" not in said
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.counts().get("deal_items", 0) == 0


def every_answer(db: Path) -> list[Any]:
    """Every KPI, grouped three ways, for several periods, as of a day and not; the records behind
    each; the funnel, the forecast and slippage: what converts money with other currencies (each
    answer, or its refusal)."""
    from salesmetrics.drilldown import has_records
    from salesmetrics.kpis import REGISTRY

    out: list[Any] = []

    def ask(what: Any, *args: Any, **kw: Any) -> Any:
        try:
            found = what(*args, **kw)
        except (ValueError, CurrencyError) as refused:
            return f"{type(refused).__name__}: {refused}"
        return found.as_json() if hasattr(found, "as_json") else found

    with Workspace.open(db, read_only=True) as ws:
        for period in ("2025-03", "2025-Q2", "2025", "2024-07..2025-02"):
            for as_of in (None, date(2025, 4, 20)):
                for by in ("", "rep", "team"):
                    out.append(ask(ws.report, period, by=by, as_of=as_of))
                for kpi in sorted(k for k in REGISTRY if has_records(k)):
                    out.append(ask(ws.records_behind, kpi, period, as_of=as_of))
                out.append(ask(ws.funnel, period, as_of=as_of))
                out.append(ask(ws.forecast, period, as_of=as_of, by="rep"))
                out.append(ask(ws.slippage, period, as_of=as_of))
    return out


def test_every_answer_in_several_currencies_is_the_same_from_the_rollups(tmp_path: Path) -> None:
    """The rates of every day (storage.RATE_ROLLUP) and the base currency's revenue per month
    answer every question as the rates and deals themselves do; pounds without a rate refuse alike."""
    cli = Cli(tmp_path / "fx.duckdb")
    folder = write_fx_records(tmp_path / "records")
    write_csv(folder / "open" / "deals.csv", [
        {"deal_id": f"o{i}", "rep_id": rep, "created_at": "2025-02-10T09:00:00", "closed_at": "",
         "status": "open", "currency": currency, "amount": f"{1000 + i}.10"}
        for i, (rep, currency) in enumerate((("ann", "EUR"), ("bob", "USD"), ("cy", "EUR")))])
    cli("config", "set", "base_currency", "USD")
    cli.import_(folder, folder / "more", folder / "open")
    assert fresh(cli.db)
    kept = every_answer(cli.db)
    assert any(isinstance(a, str) and "GBP" in a for a in kept)
    assert sum(isinstance(a, dict) for a in kept) > 60
    make_stale(cli.db)
    assert every_answer(cli.db) == kept


def test_the_daily_rates_are_what_is_read_while_fresh(cli: Cli) -> None:
    def revenue() -> Any:
        return cli.value("--kpi", "total_revenue", "--period", "2025-05", "--filter", "rep=ann")

    # ann's May: d8, 12,000 euros on May 2 at 1.333333.
    assert revenue() == 16000.0
    con = duckdb.connect(str(cli.db))
    con.execute("UPDATE fx_rate_by_day SET rate = 2 WHERE currency = 'EUR' AND day = DATE '2025-05-02'")
    con.close()
    assert revenue() == 24000.0
    make_stale(cli.db)
    assert revenue() == 16000.0


def test_revenue_per_product_is_read_from_the_rollup_in_the_base_currency(cli: Cli) -> None:
    """In several currencies revenue per product read every won line of its months with their
    rates (28 ms of a dashboard at 1M deals, against 5 ms from the rollup in one currency). The
    items' rollup now holds each line in the base currency, at its deal's close day's rate."""
    def march(*more: str) -> dict[str, Decimal]:
        report = cli.report("--kpi", "revenue_per_product", "--period", "2025-03", "--by", "product",
                            *more)
        return {r["product"]: Decimal(str(r["value"])) for r in report["rows"]}

    # ann's d1 in euros on March 1 at 1.10 (A 1,000.00, B 2 x 250.50), her d2 on March 31 at
    # 1.333333 (A 3 x 333.33 = 999.99); bob's d3 in dollars (A 10.00, C 2 x 5.25).
    expected = {"A": Decimal("1100.00") + round_cent("999.99", "1.333333") + Decimal("10.00"),
                "B": Decimal("551.10"), "C": Decimal("10.50")}
    assert march() == expected
    con = duckdb.connect(str(cli.db))
    try:
        stored = con.execute("SELECT revenue FROM won_items_by_rep_month WHERE rep_id = 'ann' "
                             "AND product_id = 'B' AND month = DATE '2025-03-01'").fetchall()
        assert stored == [(Decimal("551.10"),)]
        con.execute("UPDATE won_items_by_rep_month SET revenue = 1.00 WHERE rep_id = 'ann' "
                    "AND product_id = 'B' AND month = DATE '2025-03-01'")
    finally:
        con.close()
    assert march()["B"] == Decimal("1.00")  # what is read while fresh
    # As of March 20 the month is read from the lines: d2 closed after it, d1 at its day's rate.
    assert march("--as-of", "2025-03-20") == {"A": Decimal("1110.00"), "B": Decimal("551.10"),
                                              "C": Decimal("10.50")}
    make_stale(cli.db)
    assert march() == expected


def test_quotas_per_month_are_read_from_the_rollup_in_the_base_currency(tmp_path: Path) -> None:
    """With other currencies, ramp time read every quota of the records with its rate (a third of
    a ramp's time at 1M deals): the quotas' rollup now holds each one in the base currency, at its
    start's rate. One that starts after the rollup was made is read from the quotas, at today's
    rate: new's euro quota two months ahead, with a planning rate of 5.00 dated on its start, is
    1,000 dollars, which new's deal won then reaches (at 5.00 it would not)."""
    today = date.today()
    first = today.replace(day=1)
    past = (first - timedelta(days=45)).replace(day=1)  # a month begun at least 45 days ago
    ahead = (first + timedelta(days=70)).replace(day=1)  # a month at least a month away
    write_csv(tmp_path / "r" / "reps.csv", [
        {"rep_id": "mid", "name": "Mid", "team": "east", "hired_on": (past - timedelta(days=10)).isoformat()},
        {"rep_id": "new", "name": "New", "team": "east", "hired_on": (today - timedelta(days=5)).isoformat()},
        {"rep_id": "vet", "name": "Vet", "team": "east", "hired_on": "2015-01-01"}])
    write_csv(tmp_path / "r" / "deals.csv", [
        {"deal_id": d, "rep_id": rep, "created_at": "2020-01-01T09:00:00",
         "closed_at": f"{closed.isoformat()}T10:00:00", "status": "won", "currency": "USD",
         "amount": amount}
        for d, rep, closed, amount in (("v1", "vet", date(2020, 1, 5), "100.00"),
                                       ("m1", "mid", past + timedelta(days=3), "1000.00"),
                                       ("n1", "new", ahead + timedelta(days=3), "1000.00"))])
    write_csv(tmp_path / "r" / "quotas.csv", [
        {"rep_id": rep, "period_start": start.isoformat(), "period_end": _month_end(start).isoformat(),
         "amount": "1000.00", "currency": "EUR"} for rep, start in (("mid", past), ("new", ahead))])
    write_csv(tmp_path / "r" / "fx_rates.csv", [
        {"date": "2020-01-01", "currency": "EUR", "rate_to_base": "1.000000"},
        {"date": ahead.isoformat(), "currency": "EUR", "rate_to_base": "5.000000"}])
    cli = Cli(tmp_path / "w.duckdb")
    for name, value in (("base_currency", "USD"), ("ramp_rule", "quota"), ("ramp_sustain", "1/1")):
        cli("config", "set", name, value)
    cli.import_(tmp_path / "r")

    def ramp(rep: str, month: date) -> Any:
        """The rep's ramp time in the month, or why there is none."""
        report = cli.report("--kpi", "ramp_time", "--period", month.isoformat()[:7], "--by", "rep")
        row = next(r for r in report["rows"] if r["rep"] == rep)
        return row["value"] if row["value"] is not None else row["flags"]

    # mid's month: 1,000 dollars won against 1,000 euros at 1.00, ramped at its end; new's too.
    mid_ramped = (_month_end(past) - (past - timedelta(days=10))).days
    new_ramped = (_month_end(ahead) - (today - timedelta(days=5))).days
    assert fresh(cli.db)
    assert ramp("mid", past) == mid_ramped
    assert ramp("new", ahead) == new_ramped
    con = duckdb.connect(str(cli.db))
    try:
        late = dict(con.execute("SELECT rep_id, late FROM quota_by_rep_month").fetchall())
        assert late == {"mid": False, "new": True}
        con.execute("UPDATE quota_by_rep_month SET quota = 999999 WHERE rep_id = 'mid'")
    finally:
        con.close()
    assert "still_ramping" in ramp("mid", past)  # what is read while fresh
    make_stale(cli.db)
    assert ramp("mid", past) == mid_ramped
    assert ramp("new", ahead) == new_ramped


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def test_a_line_beyond_the_lines_money_is_refused_from_the_rollup_too(tmp_path: Path) -> None:
    """A line of 9 x 10^15 euros at 2.00 is beyond the 18 digits a converted line is held in: read
    from the lines, revenue per product is refused (a value out of range); read from the rollup,
    which keeps it apart so that the import that rebuilds it is not refused, it was the sum."""
    write_csv(tmp_path / "r" / "reps.csv", [{"rep_id": "a", "name": "A", "team": "east"}])
    write_csv(tmp_path / "r" / "products.csv", [{"product_id": "p1", "name": "P"}])
    write_csv(tmp_path / "r" / "deals.csv", [
        {"deal_id": d, "rep_id": "a", "created_at": "2025-01-01T00:00:00",
         "closed_at": f"{closed}T10:00:00", "status": "won", "currency": currency, "amount": amount}
        for d, closed, currency, amount in (("d1", "2025-02-01", "EUR", "9000000000000000.00"),
                                            ("d2", "2025-03-01", "USD", "10.00"))])
    write_csv(tmp_path / "r" / "deal_items.csv", [
        {"deal_id": "d1", "product_id": "p1", "quantity": "1", "unit_price": "9000000000000000.00"},
        {"deal_id": "d2", "product_id": "p1", "quantity": "2", "unit_price": "5.00"}])
    write_csv(tmp_path / "r" / "fx_rates.csv", [{"date": "2025-01-01", "currency": "EUR",
                                                 "rate_to_base": "2.000000"}])
    cli = Cli(tmp_path / "w.duckdb")
    cli("config", "set", "base_currency", "USD")
    cli.import_(tmp_path / "r")  # the write is not refused

    def ask(period: str) -> Any:
        found = cli("report", "--format", "json", "--period", period, "--kpi", "revenue_per_product",
                    ok=False)
        return json.loads(found.stdout)["rows"][0]["value"] if found.exit_code == 0 else (
            "out of range" in found.stderr)

    assert fresh(cli.db)
    kept = [ask("2025-02"), ask("2025-03"), ask("2025-Q1")]
    assert kept == [True, 10.0, True]  # only where the line's month is read
    make_stale(cli.db)
    assert [ask("2025-02"), ask("2025-03"), ask("2025-Q1")] == kept
