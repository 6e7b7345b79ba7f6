"""Kept SQL in a workspace with several currencies (kpis/compiled.py).

Before, a query with other currencies was compiled with Ibis every time: building it checked the
exchange rates against the data, and today and the moment money is converted as of were literals
the kept text did not hold. The checks are now kept beside the text and run first, and those two
moments are parameters. These tests ask the same figures through the kept text and through Ibis,
and ask for money without a rate through a kept text that was checked on a period that had none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from helpers import write_csv
from salesmetrics import Workspace
from salesmetrics.drilldown import _SOURCES
from salesmetrics.errors import CurrencyError
from salesmetrics.kpis import REGISTRY, compiled
from salesmetrics.kpis.scope import query_maker
from salesmetrics.periods import end_of, parse_period
from test_compiled import result_rows, typed
from webdata import ACTIVITIES, DEAL_ITEMS, DEALS, NPS, PRODUCTS, QUOTAS, REPS

# d2 (ann, won 6 October) and d5 (bob, open) in euros, ann's quota too; d6 (jim, won in March) in
# pounds, which no rate converts: any period holding March must refuse, October must not.
EURO_DEALS = {"d2", "d5"}
FX_DEALS = [{**d, "currency": "EUR" if d["deal_id"] in EURO_DEALS else d["currency"]} for d in DEALS] + [
    {"deal_id": "d6", "rep_id": "jim", "account": "Acme", "created_at": "2026-02-20T10:00:00",
     "closed_at": "2026-03-02T10:00:00", "status": "won", "amount": "100.00", "currency": "GBP",
     "source": "inbound", "pipeline": "new"}]
FX_QUOTAS = [{**q, "currency": "EUR" if q["rep_id"] == "ann" else q["currency"]} for q in QUOTAS]
# A euro in dollars: 1.10 from June, 1.30 from 6 October; and a planning rate dated a week ahead,
# which converts nothing today (a week: a suite read before midnight runs this after it).
RATES = [{"date": "2026-06-01", "currency": "EUR", "rate_to_base": "1.100000"},
         {"date": "2026-10-06", "currency": "EUR", "rate_to_base": "1.300000"},
         {"date": (date.today() + timedelta(days=7)).isoformat(), "currency": "EUR",
          "rate_to_base": "9.000000"}]
PERIODS = ("2026-10", "2026-09", "2026-Q4", "2026-10-03..2026-10-09", "2026-W41")


def make_fx_workspace(path: Path) -> Path:
    folder = path.parent / "records"
    for table, rows in (("reps", REPS), ("products", PRODUCTS), ("deals", FX_DEALS),
                        ("deal_items", DEAL_ITEMS), ("activities", ACTIVITIES),
                        ("nps_responses", NPS), ("quotas", FX_QUOTAS), ("fx_rates", RATES)):
        write_csv(folder / f"{table}.csv", rows)
    with Workspace.open(path) as ws:
        ws.set_setting("base_currency", "USD")
        ws.import_files(folder)
    return path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = make_fx_workspace(tmp_path_factory.mktemp("compiled_fx") / "ws.duckdb")
    with Workspace.open(path, read_only=True) as ws:
        yield ws


def _by_ibis(definition: Any, query: Any) -> list[dict[str, Any]] | str:
    try:
        return list(definition.compute(query).to_pyarrow().to_pylist())
    except CurrencyError as refused:
        return str(refused)


def _kept(definition: Any, query: Any) -> list[dict[str, Any]] | str:
    try:
        return result_rows(definition, query)
    except CurrencyError as refused:
        return str(refused)


@pytest.mark.parametrize("kpi", sorted(REGISTRY))
def test_kept_sql_with_other_currencies_answers_what_ibis_answers(workspace: Workspace, kpi: str) -> None:
    compiled.clear()
    definition = REGISTRY[kpi]
    for by in [(), *[(d,) for d in sorted(definition.dimensions)][:3]]:
        shape = tuple(dict.fromkeys(definition.always_by + by))
        for label in PERIODS:
            query = query_maker(workspace.store, parse_period(label), {})(shape)
            assert query.foreign_currencies == ("EUR", "GBP")
            expected, found = _by_ibis(definition, query), _kept(definition, query)
            if isinstance(expected, str):
                assert found == expected, (kpi, by, label)
            else:
                assert not isinstance(found, str), (kpi, by, label, found)
                assert typed(found) == typed(expected), (kpi, by, label)
    # Not a test of nothing: with other currencies too, the figure's SQL now runs without Ibis.
    assert compiled.kept(f"kpi {kpi}", query_maker(workspace.store, parse_period("2026-10"), {})(
        definition.always_by))


def test_a_kept_text_refuses_money_without_a_rate(workspace: Workspace) -> None:
    """Kept from periods whose money all had rates, the text still refuses March's pound deal:
    its check is kept with it and runs first."""
    compiled.clear()
    revenue = REGISTRY["total_revenue"]
    for label in ("2026-10", "2026-09"):
        query = query_maker(workspace.store, parse_period(label), {})(())
        result_rows(revenue, query)
    march = query_maker(workspace.store, parse_period("2026-03"), {})(())
    assert compiled.kept("kpi total_revenue", march)
    with pytest.raises(CurrencyError, match=r"1 deal\(s\) in GBP .* to USD on or before 2026-03-02"):
        result_rows(revenue, march)
    # October's figure: d1 1000.10 USD and d2 2000.20 EUR at its close day's 1.30 (2600.26).
    october = query_maker(workspace.store, parse_period("2026-10"), {})(())
    assert result_rows(revenue, october)[0]["value"] == Decimal("3600.36")
    # The win rate counts deals, not money: March's is not refused (a dead end before).
    win_rate = REGISTRY["win_rate"]
    for label in ("2026-10", "2026-09", "2026-03"):
        rows = result_rows(win_rate, query_maker(workspace.store, parse_period(label), {})(()))
    assert compiled.kept("kpi win_rate", march) and rows == [{"hits": 1, "n": 1}]


# Figures of counts and days, which read no amount.
COUNTS_AND_DAYS = ("win_rate", "pipeline_win_rate", "lost_deals", "sales_cycle_length",
                   "sales_cycle_median_km")


@pytest.mark.parametrize("kpi", COUNTS_AND_DAYS)
def test_a_figure_of_counts_or_days_reads_no_exchange_rate(workspace: Workspace, kpi: str) -> None:
    """In several currencies a deal's amount is joined with the daily rates, and DuckDB cannot
    leave out a join that nothing reads: a win rate took a third longer at 1M deals for a rate it
    never used. These figures now read the deals without their money."""
    import ibis

    for by in [(), ("rep",)]:
        query = query_maker(workspace.store, parse_period("2026-10"), {})(
            tuple(dict.fromkeys(REGISTRY[kpi].always_by + by)))
        assert query.foreign_currencies == ("EUR", "GBP")
        sql = ibis.to_sql(REGISTRY[kpi].compute(query), dialect="duckdb")
        assert "fx_rate" not in sql, (kpi, by)
    # Not a test of nothing: revenue, in the same workspace, reads the rates.
    revenue = query_maker(workspace.store, parse_period("2026-10"), {})(())
    assert "fx_rate_by_day" in ibis.to_sql(REGISTRY["total_revenue"].compute(revenue), dialect="duckdb")


def test_today_and_the_moment_money_is_converted_as_of_are_parameters(workspace: Workspace) -> None:
    """bob's open d5 (300.00 EUR) is converted at the last day's rate before the moment measured,
    and never at a rate dated after today: the kept text of the open deals' list takes both
    moments as parameters, and answers as Ibis does on either side of the October rate change,
    with the two moments written alike or not."""
    compiled.clear()
    base = query_maker(workspace.store, parse_period("2026-10"), {})(())
    source = _SOURCES["pipeline_win_rate"](base)
    # (the moment measured, today): None is the period's end (1 November).
    nov2 = date(2026, 11, 2)
    asked = [(None, nov2, "390.00"), (date(2026, 10, 5), nov2, "330.00"),
             (date(2026, 10, 10), nov2, "390.00"), (date(2026, 10, 10), date(2026, 10, 4), "330.00"),
             (date(2026, 10, 6), date(2026, 10, 6), "390.00"),
             (date(2026, 10, 5), date(2026, 10, 5), "330.00")]
    for day, today, amount in asked:
        query = replace(base, rated_at=end_of(day) if day else None, today=today)
        shown = (*source.columns, "currency", "amount_raw")
        expected = source.build(query).select(*shown).to_pyarrow().to_pylist()
        rows = source.rows(query, money=False)
        assert typed(rows) == typed(expected), (day, today)
        assert {r["deal_id"]: r["amount"] for r in rows}["d5"] == Decimal(amount), (day, today)
    assert compiled.kept("records open deals, counted", query)


# -- kept across processes (cache.py) ----------------------------------------------------------
_PROCESS = """
import contextlib, io, json, sys
from salesmetrics.cli import main
sys.argv = ["salesmetrics", *sys.argv[1:]]
out, err = io.StringIO(), io.StringIO()
code = 0
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        main()
    except SystemExit as exit:
        code = exit.code or 0
loaded = [m for m in ("ibis", "sqlglot") if m in sys.modules]
print(json.dumps({"out": out.getvalue(), "err": err.getvalue(), "code": code, "loaded": loaded}))
"""


def _process(*args: str, cache_dir: Path) -> dict[str, Any]:
    env = {**os.environ, "SALESMETRICS_CACHE_DIR": str(cache_dir), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-c", _PROCESS, *args], env=env, capture_output=True,
                          text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_later_process_with_other_currencies_runs_without_ibis(tmp_path: Path) -> None:
    """The first process keeps what it checked; a later one answers another period without
    importing Ibis, as a process keeping nothing answers, and still refuses the pound deal's
    period, in German under --lang de."""
    db = make_fx_workspace(tmp_path / "ws.duckdb")
    args = ("report", "--db", str(db), "--by", "rep", "--format", "json")
    first = _process(*args, "--period", "2026-09", cache_dir=tmp_path / "cache")
    assert "ibis" in first["loaded"] and first["code"] == 0
    later = _process(*args, "--period", "2026-10", cache_dir=tmp_path / "cache")
    assert later["loaded"] == [] and later["code"] == 0
    uncached = _process(*args, "--period", "2026-10", cache_dir=tmp_path / "elsewhere")
    assert json.loads(later["out"]) == json.loads(uncached["out"])
    rows = json.loads(later["out"], parse_float=Decimal)["rows"]
    revenue = {r["rep"]: r["value"] for r in rows if r["kpi"] == "revenue_per_rep"}
    # bob worked in October (a deal of his created or closed, an activity) and won nothing: 0.00.
    assert revenue == {"jim": Decimal("1000.10"), "ann": Decimal("2600.26"), "bob": Decimal("0.00")}

    # March's pound deal is jim's: his money KPIs read no figure, said in German; the counts stand.
    # Answering the others asks shapes of its own (apart.py): kept once asked, then no Ibis either.
    _process(*args, "--period", "2026-03", "--lang", "de", cache_dir=tmp_path / "cache")
    march = _process(*args, "--period", "2026-03", "--lang", "de", cache_dir=tmp_path / "cache")
    assert march["loaded"] == [] and march["code"] == 0
    assert "keine Zahl für jim: 1 Deal(s) in GBP (und vielleicht weitere) haben keinen Wechselkurs zu " \
           "USD am oder vor dem 02.03.2026" in " ".join(march["err"].split())
    found = json.loads(march["out"], parse_float=Decimal)
    assert found["skipped"] == [] and {s["kpi"]: s["groups"] for s in found["unrated"]} == {
        kpi: ["jim"] for kpi in ("total_revenue", "revenue_per_rep", "revenue_per_product",
                                 "average_deal_size", "quota_attainment")}
    assert [(r["rep"], r["value"]) for r in found["rows"] if r["kpi"] == "win_rate"] == [("jim", 1.0)]
    assert [(r["rep"], r["value"]) for r in found["rows"] if r["kpi"] == "total_revenue"] == [("jim", None)]
    # The company's revenue, asked for by name, is refused as before: exit 1, the refusal in German.
    asked = _process("report", "--db", str(db), "--format", "json", "--period", "2026-03", "--kpi",
                     "total_revenue", "--lang", "de", cache_dir=tmp_path / "cache")
    assert asked["code"] == 1 and "haben keinen Wechselkurs" in asked["err"]


@pytest.mark.parametrize("question", [("forecast", "--by", "rep", "--deals"), ("slippage",),
                                      ("forecast", "--accuracy", "--last", "1")])
def test_a_later_process_forecasts_in_two_currencies_without_ibis(tmp_path: Path,
                                                                  question: tuple[str, ...]) -> None:
    """The forecast page's questions convert open deals as of their cuts (Query.rated_at from the
    question's own moments): kept too, they answer another day in a later process as a process
    keeping nothing answers. (The accuracy of one quarter: the first quarter holds March's pound
    deal, which is refused.)"""
    db = make_fx_workspace(tmp_path / "ws.duckdb")
    args = (*question, "--db", str(db), "--format", "json")
    # The accuracy looks back from the day; it takes no period (refused since the thirty-fifth round).
    def period(p: str) -> tuple[str, ...]:
        return () if "--accuracy" in question else ("--period", p)
    first = _process(*args, *period("2026-Q3"), "--as-of", "2026-08-20", cache_dir=tmp_path / "cache")
    assert "ibis" in first["loaded"] and first["code"] == 0, first["err"]
    later_args = (*args, *period("2026-Q4"), "--as-of", "2026-10-17")
    later = _process(*later_args, cache_dir=tmp_path / "cache")
    assert later["loaded"] == [] and later["code"] == 0, later["err"]
    uncached = _process(*later_args, cache_dir=tmp_path / "elsewhere")
    assert json.loads(later["out"]) == json.loads(uncached["out"])


@pytest.mark.parametrize("question", [("forecast", "--by", "rep", "--deals"), ("slippage",)])
def test_a_forecast_as_of_today_in_two_currencies_is_kept(tmp_path: Path, question: tuple[str, ...]) -> None:
    """As of today (the forecast page's default) the cut is the end of today, written as the
    moment money is converted as of and as today's end are: the stand-ins keep the three alike,
    so the next process opening the page runs without Ibis (a review found it compiled each time)."""
    db = make_fx_workspace(tmp_path / "ws.duckdb")
    args = (*question, "--db", str(db), "--period", "this-quarter", "--format", "json")
    first = _process(*args, cache_dir=tmp_path / "cache")
    assert "ibis" in first["loaded"] and first["code"] == 0, first["err"]
    later = _process(*args, cache_dir=tmp_path / "cache")
    assert later["loaded"] == [] and later["code"] == 0, later["err"]
    assert json.loads(later["out"]) == json.loads(first["out"])
