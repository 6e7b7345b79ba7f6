"""One deal without an exchange rate takes away the figures that add its money, not the page.

Before, a single pound deal without a rate refused the whole report, summary, dashboard, rep page,
insights page and digest (409), though the win rate, the cycle and the activities did not need it.
Now each answer leaves out what adds that money, says so with the currency, the day and what to
import, and answers everything else; a KPI asked for by name is refused as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from helpers import Cli, write_csv
from salesmetrics import Workspace
from salesmetrics.errors import CurrencyError
from salesmetrics.kpis import REGISTRY
from salesmetrics.web.app import create_app
from test_compiled_currencies import FX_DEALS, FX_QUOTAS, RATES
from webdata import ACTIVITIES, DEAL_ITEMS, NPS, PRODUCTS, REPS

# d6 (jim, won 2 March) and d7 (jim, lost 10 April) are in pounds, which no rate converts.
LOST_POUNDS = {"deal_id": "d7", "rep_id": "jim", "account": "Acme", "created_at": "2026-03-20T10:00:00",
               "closed_at": "2026-04-10T10:00:00", "status": "lost", "amount": "50.00", "currency": "GBP",
               "source": "inbound", "pipeline": "new", "lost_reason": "price"}
MONEY = {"total_revenue", "revenue_per_rep", "revenue_per_product", "average_deal_size", "quota_attainment"}
PERIODS = ("2026-03", "2026-04", "2026-Q1", "2026-10")
MARCH_REFUSAL = ("1 deal(s) in GBP (and maybe others) have no exchange rate to USD on or before "
                 "2026-03-02")
MARCH_GERMAN = ("1 Deal(s) in GBP (und vielleicht weitere) haben keinen Wechselkurs zu USD am oder vor "
                "dem 02.03.2026")


# A call planned for March 2027: that month holds a record, so it is compared with the year before
# (coverage.still_to_come: a month to come without any is compared with nothing).
PLANNED = {"activity_id": "planned", "rep_id": "jim", "type": "call", "occurred_at": "2027-03-10T09:00:00"}


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("money_without_rate")
    deals = [{**d, "lost_reason": d.get("lost_reason", "")} for d in [*FX_DEALS, LOST_POUNDS]]
    for table, rows in (("reps", REPS), ("products", PRODUCTS), ("deals", deals),
                        ("deal_items", DEAL_ITEMS), ("activities", [*ACTIVITIES, PLANNED]),
                        ("nps_responses", NPS), ("quotas", FX_QUOTAS), ("fx_rates", RATES)):
        write_csv(folder / "records" / f"{table}.csv", rows)
    db = folder / "ws.duckdb"
    with Workspace.open(db) as ws:
        ws.set_setting("base_currency", "USD")
        ws.import_files(folder / "records")
    return db


@pytest.fixture(scope="module")
def ws(path: Path) -> Iterator[Workspace]:
    with Workspace.open(path, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(path, warm=False)) as c:
        yield c


def _alone(ws: Workspace, kpi: str, period: str) -> list[dict[str, Any]] | None:
    """The KPI's rows asked for by name; None where it is refused for want of a rate."""
    try:
        return ws.report(period, kpis=[kpi]).rows
    except CurrencyError:
        return None


@pytest.mark.parametrize("period", PERIODS)
def test_a_report_of_every_kpi_leaves_out_exactly_what_is_refused_by_name(ws: Workspace, period: str) -> None:
    """Every KPI is either answered as it is alone, or left out with the refusal it gets alone."""
    found = ws.report(period)
    skipped = {s.kpi: s for s in found.skipped}
    for kpi in REGISTRY:
        alone = _alone(ws, kpi, period)
        if alone is None:
            assert skipped[kpi].cause == "no_rate" and "GBP" in skipped[kpi].reason, (kpi, period)
            assert not [r for r in found.rows if r["kpi"] == kpi]
        else:
            assert kpi not in skipped, (kpi, period)
            assert [r for r in found.rows if r["kpi"] == kpi] == alone, (kpi, period)
    if period in ("2026-03", "2026-Q1"):
        assert set(skipped) == MONEY
    if period == "2026-10":
        assert skipped == {}


def test_march_counts_stand_and_money_is_named(ws: Workspace) -> None:
    found = ws.report("2026-03")
    assert [(r["value"], r["n"]) for r in found.rows if r["kpi"] == "win_rate"] == [(1.0, 1)]
    assert {s.kpi for s in found.skipped} == MONEY
    assert all(s.reason.startswith(MARCH_REFUSAL) for s in found.skipped)
    assert found.as_json()["skipped"][0] == {"kpi": found.skipped[0].kpi, "reason": found.skipped[0].reason,
                                             "cause": "no_rate"}
    # By rep, the money is jim's alone: his rows read no figure, named in unrated (nobody else won).
    by_rep = ws.report("2026-03", by="rep")
    assert by_rep.skipped == [] and {s.kpi for s in by_rep.unrated} == MONEY
    assert {(s.groups, s.cause) for s in by_rep.unrated} == {(("jim",), "no_rate")}
    assert all(s.reason.startswith(MARCH_REFUSAL) for s in by_rep.unrated)
    assert sorted((r["kpi"], r["rep"], r["value"], r["flags"]) for r in by_rep.rows if r["kpi"] in MONEY) == [
        (kpi, "jim", None, ["no_rate"]) for kpi in sorted(MONEY - {"revenue_per_product"})]
    # Asked for by name, alone or beside a count, money is refused as it always was.
    for asked in (["total_revenue"], ["win_rate", "total_revenue"]):
        with pytest.raises(CurrencyError, match="GBP"):
            ws.report("2026-03", kpis=asked)


def test_the_command_line_answers_and_names_the_money_left_out(path: Path) -> None:
    cli = Cli(path, columns=200)
    table = cli("report", "--period", "2026-03")
    assert "Win rate (closed)" in table.stdout and "Total revenue" not in table.stdout
    said = " ".join(table.stderr.split())
    assert said.startswith("Total revenue, Revenue per rep, Revenue per product, Average deal size, "
                           "Quota attainment: " + MARCH_REFUSAL), said
    # JSON stays clean on stdout; the note goes to stderr, in German under --lang de.
    found = cli("report", "--period", "2026-03", "--format", "json", "--lang", "de")
    assert {s["kpi"] for s in json.loads(found.stdout)["skipped"]} == MONEY
    assert MARCH_GERMAN in " ".join(found.stderr.split()) and "Gesamtumsatz" in found.stderr
    refused = cli("report", "--period", "2026-03", "--kpi", "total_revenue", ok=False)
    assert refused.exit_code == 1 and MARCH_REFUSAL in " ".join(refused.stderr.split())
    # The summary: the headlines that stand, no "no deal won" under an empty top-reps table.
    summary = cli("summary", "--period", "2026-03")
    assert "Win rate (closed)" in summary.stdout and "no deal won" not in summary.stdout
    assert summary.stdout.count("no figure: money without") == 2  # under top reps and products
    assert MARCH_REFUSAL in " ".join(summary.stderr.split())
    book = path.parent / "march.xlsx"
    cli("report", "--period", "2026-03", "--format", "xlsx", "--output", str(book))
    sheet = load_workbook(book).worksheets[0]
    cover = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert cover["Left out"].startswith("Total revenue, ") and MARCH_REFUSAL in cover["Left out"]


def test_the_dashboard_shows_what_stands_and_says_what_is_left_out(client: TestClient) -> None:
    page = client.get("/?period=2026-03&lang=en")
    assert page.status_code == 200, page.text[:300]
    html = page.text
    assert 'data-kpi="win_rate"' in html and 'data-kpi="total_revenue"' not in html
    note = html.split("data-no-rate", 1)[1].split("</p>", 1)[0]
    assert "Total revenue" in note and "GBP" in note and "2026-03-02" in note
    # The leaderboard: jim's revenue is no figure, not $0.00; his win rate stands.
    api = client.get("/api/v1/dashboard?period=2026-03").json()
    assert {s["kpi"] for s in api["skipped"] if s["cause"] == "no_rate"} == MONEY
    jim = next(r for r in api["reps"] if r["rep"] == "jim")
    assert jim["values"]["revenue_per_rep"] is None and jim["flags"]["revenue_per_rep"] == ["no_rate"]
    # His deal won is still counted (the deals column), not 0: a count needs no rate.
    assert jim["n"]["revenue_per_rep"] == 1
    assert jim["values"]["win_rate"] == 1.0
    assert api["trend"] == [] and api["products"] == []
    # The cycle chart counts days, not money: d6's ten days are in it.
    assert sum(b["count"] for b in api["cycle"]) == 1
    german = client.get("/?period=2026-03&lang=de").text
    assert MARCH_GERMAN in " ".join(german.split())
    # October has every rate: nothing left out.
    october = client.get("/api/v1/dashboard?period=2026-10").json()
    assert october["skipped"] == [] and october["trend"]


def test_the_rep_page_and_scorecard_keep_the_counts(client: TestClient, ws: Workspace) -> None:
    page = client.get("/reps/jim?period=2026-03&lang=en")
    assert page.status_code == 200
    assert MARCH_REFUSAL in " ".join(page.text.split()) and 'id="rep-trend"' not in page.text
    card = client.get("/api/v1/reps/jim/scorecard?period=2026-03").json()
    lines = {line["kpi"]: line for line in card["kpis"]}
    assert lines["total_revenue"]["value"] is None and lines["total_revenue"]["flags"] == ["no_rate"]
    assert lines["total_revenue"]["team_median"] is None
    assert lines["win_rate"]["value"] == 1.0
    assert {s["kpi"] for s in card["skipped"]} >= {"total_revenue", "average_deal_size"}
    peers = client.get("/api/v1/reps/jim?period=2026-03").json()
    revenue = next(line for line in peers["kpis"] if line["kpi"] == "total_revenue")
    assert (revenue["value"], revenue["flags"], revenue["team_median"]) == (None, ["no_rate"], None)
    # Before March, jim's history is whole; March itself is no figure, never 0.
    april = ws.scorecard("jim", "2026-04", history=1)
    assert april.line("total_revenue").history == (("2026-03", None),)
    assert "earlier_no_rate" in april.line("total_revenue").flags


def test_the_insights_page_refuses_a_part_not_the_page(client: TestClient, ws: Workspace) -> None:
    page = client.get("/insights?period=2026-03&lang=en")
    assert page.status_code == 200
    html = page.text
    # The activities and losses of March need no pound: they stand, the revenue in them is empty.
    effect = ws.activity_effectiveness("2026-03")
    assert (effect.groups[0].won, effect.groups[0].revenue_won, effect.without_rate) == (1, None, 1)
    assert ws.losses("2026-03").rows == []
    # Order value by satisfaction adds money: that part says why, in its place.
    section = html.split('id="satisfaction"', 1)[1].split("</section>", 1)[0]
    assert "data-no-rate" in section and "GBP" in section
    assert "Won and lost" in html  # the closed deals' counts, split
    # April: the lost pound deal refuses the losses (their value), not the page.
    april = client.get("/insights?period=2026-04&lang=en").text
    losses = april.split('id="losses"', 1)[1].split("</section>", 1)[0]
    assert "data-no-rate" in losses and "2026-04-10" in losses
    with pytest.raises(CurrencyError, match="2026-04-10"):
        ws.losses("2026-04")


def test_the_funnel_leaves_its_money_empty_and_keeps_its_counts(ws: Workspace) -> None:
    """February: d6 is open in pounds. The pipeline's deals are counted; its amounts are empty."""
    funnel = ws.funnel("2026-02")
    assert funnel.open_deals >= 1 and funnel.without_rate == 1
    assert funnel.open_amount is None and funnel.weighted_pipeline is None
    body = funnel.as_json()
    assert body["weighted_pipeline"]["reason"] == "no_rate"
    assert body["refused"] and "1 open deal(s) in GBP" in body["refused"][0]


def test_the_digest_is_sent_with_what_stands(ws: Workspace, path: Path, tmp_path: Path) -> None:
    digest = ws.digest("2026-03")
    assert {s.kpi for s in digest.skipped} == {"total_revenue", "average_deal_size", "quota_attainment",
                                               "revenue_per_product"}
    assert [h.kpi for h in digest.headlines if h.kpi == "win_rate"] == ["win_rate"]
    out = tmp_path / "digest.html"
    Cli(path)("digest", "--period", "2026-03", "--output", str(out), "--lang", "de")
    html = " ".join(out.read_text().split())
    assert 'data-no-rate="true"' in html and MARCH_GERMAN in html


def test_money_in_rows_is_never_zero_for_want_of_a_rate(ws: Workspace) -> None:
    """Nowhere does a refused figure of money read as 0.00: a sum short of a deal would look real."""
    dash = ws.dashboard("2026-03")
    for line in dash.reps:
        for kpi in ("revenue_per_rep", "quota_attainment"):
            if kpi in line.values:
                assert line.values[kpi] is None and line.flags[kpi] == ("no_rate",)
    assert all(t.kpi not in MONEY for t in dash.tiles)
    assert Decimal("0.00") not in [p.value for p in dash.trend]


def test_a_list_of_records_counts_its_kind_in_the_readers_words(path: Path) -> None:
    """The title of `salesmetrics records` said "3 deals" under --lang de, and "nps_responses"; in
    German it names the KPI by its German title too."""
    cli = Cli(path, columns=200)
    assert cli("records", "win_rate", "--period", "2026-10", "--lang", "de").stdout.startswith(
        "Gewinnrate (abgeschlossen) 2026-10: 3 Deals")
    assert cli("records", "nps", "--period", "2026-10").stdout.startswith("nps 2026-10: 3 answers")
    assert cli("records", "nps", "--period", "2026-10", "--lang", "de").stdout.startswith(
        "Net Promoter Score 2026-10: 3 Antworten")


def test_a_money_target_stands_unjudged_and_leaves_the_digest_whole(path: Path, tmp_path: Path) -> None:
    """A revenue target (of any period) made every target's status, and so the digest, refuse."""
    copy = tmp_path / "targets.duckdb"
    copy.write_bytes(path.read_bytes())
    with Workspace.open(copy) as opened:
        opened.set_target("total_revenue", "5000", period="2026-03")
        opened.set_target("win_rate", "0.5", period="2026-03")
        statuses = {t.kpi: t for t in opened.target_status("2026-03")}
        assert statuses["total_revenue"].value is None and statuses["total_revenue"].status is None
        assert statuses["total_revenue"].flags == ("no_rate",) and statuses["total_revenue"].target == 5000
        assert statuses["win_rate"].value == 1.0 and statuses["win_rate"].status is not None
        digest = opened.digest("2026-03")
        assert {t.kpi for t in digest.targets} == {"total_revenue", "win_rate"}
    with TestClient(create_app(copy, warm=False)) as c:
        assert c.get("/targets?period=2026-03").status_code == 200
        assert c.get("/api/v1/digest?period=2026-03").status_code == 200


def test_one_reps_money_without_a_rate_leaves_the_others_targets_judged(path: Path, tmp_path: Path) -> None:
    """Jim's pound deal of March took every rep's and team's revenue target away (the figure by rep
    is refused whole), while an alert on Ann's, asked alone, judged it."""
    copy = tmp_path / "rep_targets.duckdb"
    copy.write_bytes(path.read_bytes())
    with Workspace.open(copy) as opened:
        for rep in ("jim", "ann", "bob"):
            opened.set_target("revenue_per_rep", "400", rep=rep, period="2026-03")
        for team in ("east", "west"):
            opened.set_target("total_revenue", "800", team=team, period="2026-03")
        found = {(t.scope_id, t.kpi): t for t in opened.target_status("2026-03")}
        assert {k: (t.value, t.status, t.flags) for k, t in found.items()} == {
            ("jim", "revenue_per_rep"): (None, None, ("no_rate",)),
            ("east", "total_revenue"): (None, None, ("no_rate",)),
            ("ann", "revenue_per_rep"): (Decimal("0.00"), "off_track", ()),
            ("bob", "revenue_per_rep"): (Decimal("0.00"), "off_track", ()),
            ("west", "total_revenue"): (Decimal("0.00"), "off_track", ()),
        }
        alone = opened.report("2026-03", kpis=["revenue_per_rep"], filters={"rep": ["ann"]}).rows[0]
        assert (alone["value"], alone["target_status"]) == (Decimal("0.00"), "off_track")


def test_one_reps_money_without_a_rate_leaves_the_others_on_the_leaderboard(tmp_path: Path) -> None:
    """Carl's pound deal took every rep's revenue off the leaderboard: Anna's $100.00 won read as
    no figure, though a rate converts every cent of it."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "R1", "name": "Anna", "team": "north"},
                                    {"rep_id": "R3", "name": "Carl", "team": "south"}])
    won = {"created_at": "2025-10-01", "status": "won"}
    write_csv(folder / "deals.csv", [
        {**won, "deal_id": "d1", "rep_id": "R1", "closed_at": "2025-10-05", "amount": "100.00",
         "currency": "USD"},
        {**won, "deal_id": "d2", "rep_id": "R3", "closed_at": "2025-10-06", "amount": "50.00",
         "currency": "GBP"}])
    write_csv(folder / "fx_rates.csv", [{"date": "2025-09-01", "currency": "USD", "rate_to_base": "0.9"}])
    with Workspace.open(tmp_path / "w.duckdb") as opened:
        opened.set_setting("base_currency", "EUR")
        opened.import_files(folder)
        board = {line.rep: line for line in opened.dashboard("2025-10").reps}
    revenue = {rep: (line.values["revenue_per_rep"], line.flags["revenue_per_rep"])
               for rep, line in board.items()}
    assert revenue == {"R1": (Decimal("90.00"), ()), "R3": (None, ("no_rate",))}
    assert board["R3"].n["revenue_per_rep"] == 1  # his deal won is counted, its money is not added
    assert list(board) == ["R1", "R3"]
    # The page: a dash ran down the whole column, the deals won too.
    with TestClient(create_app(tmp_path / "w.duckdb", warm=False)) as c:
        page = c.get("/?period=2025-10&lang=en").text
    rows = {rep: " ".join(re.sub("<[^>]+>", " ", row).split())
            for rep, row in re.findall(r'<tr data-rep="(R\d)">(.*?)</tr>', page, re.S)}
    assert rows["R1"].startswith("Anna north €90.00 1 ")
    assert rows["R3"].startswith("Carl south no exchange rate 1 ")


def test_a_period_before_without_a_rate_takes_the_comparison_not_the_figure(ws: Workspace) -> None:
    """April's revenue needs no pound; March's does. April's figures stand, compared with nothing."""
    found = ws.report("2026-04", compare=True)
    revenue = next(r for r in found.rows if r["kpi"] == "total_revenue")
    assert revenue["value"] == Decimal("0.00") and revenue["previous"] is None and revenue["change"] is None
    # Only April's own pound money is left out: d7's, lost on 10 April.
    assert "previous_no_rate" in revenue["flags"] and [s.kpi for s in found.skipped] == ["lost_value"]
    dash = ws.dashboard("2026-04")
    assert "total_revenue" in {t.kpi for t in dash.tiles} and dash.skipped == []
    assert dash.trend and dash.previous_trend == []
    # The rep's own median is not taken over the months with a figure alone.
    card = ws.scorecard("jim", "2026-04", history=2)
    line = card.line("total_revenue")
    assert line.history[-1] == ("2026-03", None) and line.own_median is None
    assert "earlier_no_rate" in line.flags and card.skipped == []


def test_a_comparison_left_out_names_the_money_the_day_and_the_period(ws: Workspace, path: Path,
                                                                      client: TestClient) -> None:
    """The flag said "not compared" and no more: which money, of which day, in which period was
    left to find out by asking for the period before. Each face now says it, in German too."""
    found = ws.report("2026-04", compare=True)
    refusals = {s.kpi: s for s in found.uncompared}
    revenue = refusals["total_revenue"]
    assert (revenue.cause, revenue.period) == ("previous_no_rate", "2026-03-01..2026-03-31")
    assert MARCH_REFUSAL in revenue.reason and "win_rate" not in refusals
    listed = next(u for u in found.as_json()["uncompared"] if u["kpi"] == "total_revenue")
    assert listed["cause"] == "previous_no_rate" and listed["period"] == "2026-03-01..2026-03-31"
    # Not a comparison asked for: nothing said.
    assert "uncompared" not in ws.report("2026-04").as_json()
    cli = Cli(path, columns=200)
    said = "not compared with the period before (2026-03-01..2026-03-31): " + MARCH_REFUSAL
    english = " ".join(cli("report", "--period", "2026-04", "--compare").stderr.split())
    assert "Total revenue" in english and said in english
    german = " ".join(cli("report", "--period", "2026-04", "--compare", "--lang", "de").stderr.split())
    assert "kein Vergleich mit dem Zeitraum davor (01.03.2026 – 31.03.2026): " + MARCH_GERMAN in german
    assert said in " ".join(cli("summary", "--period", "2026-04").stderr.split())
    assert said in " ".join(client.get("/?period=2026-04&lang=en").text.split())
    api = client.get("/api/v1/dashboard?period=2026-04").json()
    assert "total_revenue" in {u["kpi"] for u in api["uncompared"]} and api["skipped"] == []
    digest = ws.digest("2026-04")
    assert "total_revenue" in {u.kpi for u in digest.uncompared}
    # March itself compares with February, which has every rate: nothing uncompared.
    assert ws.report("2026-03", compare=True).uncompared == []


def test_the_rep_page_says_why_an_earlier_month_is_empty(client: TestClient) -> None:
    page = client.get("/reps/jim?period=2026-04&lang=en").text
    row = page.split('data-kpi="total_revenue"', 1)[1].split("</tr>", 1)[0]
    assert "an earlier period has money without an exchange rate" in row


def test_a_later_digest_keeps_its_figures_and_names_the_chart_it_leaves_out(ws: Workspace) -> None:
    """October's figures all convert; its twelve months of revenue reach back to March's pound."""
    digest = ws.digest("2026-10")
    assert digest.skipped == [] and digest.trend == []
    assert digest.trend_refused is not None and "2026-03-02" in str(digest.trend_refused)
    assert next(h for h in digest.headlines if h.kpi == "total_revenue").value is not None


def test_teams_compared_keep_what_needs_no_rate(client: TestClient, ws: Workspace) -> None:
    found = ws.compare("team", ["east", "west"], "2026-03")
    assert {s.kpi for s in found.skipped} == {"total_revenue", "average_deal_size", "quota_attainment"}
    assert "win_rate" in {k.kpi for k in found.kpis}
    page = client.get("/compare?team=east&team=west&period=2026-03&lang=en")
    assert page.status_code == 200 and "data-no-rate" in page.text


def test_a_year_before_without_a_rate_is_said_on_the_tile(ws: Workspace, client: TestClient) -> None:
    """March 2027 beside March 2026: revenue is compared with no year before, and says why."""
    tiles = {t.kpi: t for t in ws.dashboard("2027-03").tiles}
    assert tiles["total_revenue"].year_ago is None and "year_ago_no_rate" in tiles["total_revenue"].flags
    assert tiles["win_rate"].year_ago == 1.0 and "year_ago_no_rate" not in tiles["win_rate"].flags
    page = client.get("/?period=2027-03&lang=en").text
    assert "not compared with a year before: money without an exchange rate then" in page
    # Which money, of which day, in which year before: said in the note above the tiles and listed.
    said = "not compared with a year before (2026-03-01..2026-03-31): " + MARCH_REFUSAL
    assert said in " ".join(page.split())
    api = client.get("/api/v1/dashboard?period=2027-03").json()
    year = [u for u in api["uncompared"] if u["cause"] == "year_ago_no_rate"]
    assert {u["kpi"] for u in year} >= {"total_revenue"} and "win_rate" not in {u["kpi"] for u in year}
    assert {u["period"] for u in year} == {"2026-03-01..2026-03-31"}
    german = " ".join(client.get("/?period=2027-03&lang=de").text.split())
    assert "kein Vorjahresvergleich (01.03.2026 – 31.03.2026): " + MARCH_GERMAN in german


def test_the_leaderboard_counts_won_deals_whose_revenue_has_no_rate(tmp_path: Path) -> None:
    """Revenue left out for ann's pound deal: the deals column counts her three wins (it said 0),
    and under a product filter, where revenue is the leaderboard's only figure, she and bob are
    still listed (the leaderboard was empty)."""
    write_csv(tmp_path / "r" / "reps.csv", [{"rep_id": r, "name": r.title(), "team": "east"}
                                            for r in ("ann", "bob")])
    write_csv(tmp_path / "r" / "products.csv", [{"product_id": p, "name": p} for p in "AB"])
    deals = [{"deal_id": f"d{i}", "rep_id": rep, "created_at": "2025-01-01T09:00:00",
              "closed_at": f"2025-03-{10 + i}T10:00:00", "status": "won", "currency": currency,
              "amount": "100.00"}
             for i, (rep, currency) in enumerate((("ann", "USD"), ("ann", "USD"), ("ann", "GBP"),
                                                  ("bob", "USD")))]
    write_csv(tmp_path / "r" / "deals.csv", deals)
    write_csv(tmp_path / "r" / "deal_items.csv", [
        {"deal_id": d["deal_id"], "product_id": "A" if d["deal_id"] != "d1" else "B", "quantity": "1",
         "unit_price": "100.00"} for d in deals])
    write_csv(tmp_path / "r" / "fx_rates.csv", [{"date": "2024-01-01", "currency": "EUR",
                                                 "rate_to_base": "1.100000"}])
    with Workspace.open(tmp_path / "w.duckdb") as opened:
        opened.set_setting("base_currency", "USD")
        opened.import_files(tmp_path / "r")
    with Workspace.open(tmp_path / "w.duckdb", read_only=True) as ws:
        for filters, counts in (({}, {"ann": 3, "bob": 1}), ({"product": ["A"]}, {"ann": 2, "bob": 1})):
            dash = ws.dashboard("2025-03", filters=filters)
            assert {line.rep: line.n["revenue_per_rep"] for line in dash.reps} == counts, filters
            # Ann's money has no figure; bob's, all in dollars, stands (it was no figure too).
            assert {line.rep: (line.values["revenue_per_rep"], line.flags["revenue_per_rep"])
                    for line in dash.reps} == {"ann": (None, ("no_rate",)), "bob": (Decimal("100.00"), ())}


def _three_reps(tmp_path: Path) -> Path:
    """Anna ($100 won) and Ben (EUR 10 won) north, Carl (50 pounds won, no rate) south; base EUR."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "R1", "name": "Anna", "team": "north"},
                                    {"rep_id": "R2", "name": "Ben", "team": "north"},
                                    {"rep_id": "R3", "name": "Carl", "team": "south"}])
    won = {"created_at": "2025-10-01", "status": "won"}
    write_csv(folder / "deals.csv", [
        {**won, "deal_id": "d1", "rep_id": "R1", "closed_at": "2025-10-05", "amount": "100.00",
         "currency": "USD"},
        {**won, "deal_id": "d3", "rep_id": "R2", "closed_at": "2025-10-05", "amount": "10.00",
         "currency": "EUR"},
        {**won, "deal_id": "d2", "rep_id": "R3", "closed_at": "2025-10-06", "amount": "50.00",
         "currency": "GBP"}])
    write_csv(folder / "fx_rates.csv", [{"date": "2025-09-01", "currency": "USD", "rate_to_base": "0.9"}])
    db = tmp_path / "w.duckdb"
    with Workspace.open(db) as opened:
        opened.set_setting("base_currency", "EUR")
        opened.import_files(folder)
        opened.set_target("revenue_per_rep", "50", rep="R3", period="2025-10")
    return db


def test_one_reps_money_without_a_rate_leaves_the_others_in_a_report_by_rep(tmp_path: Path) -> None:
    """Carl's pound deal took every rep's revenue out of `report --by rep` (and refused it asked by
    name), though Anna's $100.00 and Ben's EUR 10.00 convert to the cent."""
    db = _three_reps(tmp_path)
    cli = Cli(db, columns=200)
    found = json.loads(cli("report", "--period", "2025-10", "--by", "rep", "--format", "json").stdout)
    revenue = [(r["rep"], r["value"], r["flags"], r["target"], r["target_status"])
               for r in found["rows"] if r["kpi"] == "revenue_per_rep"]
    assert revenue == [("R1", 90.0, [], None, None), ("R2", 10.0, [], None, None),
                       ("R3", None, ["no_rate"], 50, None)]
    assert "revenue_per_rep" not in {s["kpi"] for s in found["skipped"]}
    unrated = {s["kpi"]: s for s in found["unrated"]}
    assert unrated["revenue_per_rep"]["groups"] == ["R3"] and "GBP" in unrated["revenue_per_rep"]["reason"]
    # Asked for by name, by rep: answered so, the note on stderr; by team: north stands.
    named = cli("report", "--period", "2025-10", "--by", "rep", "--kpi", "total_revenue")
    lines = [" ".join(line.replace("│", " ").split()) for line in named.stdout.splitlines()]
    assert any("R1 €90.00 1" in line for line in lines)
    assert any("R3 no exchange rate" in line for line in lines)
    assert " ".join(named.stderr.split()).startswith("Total revenue: no figure for R3: 1 deal(s) in GBP")
    teams = json.loads(cli("report", "--period", "2025-10", "--by", "team", "--kpi", "total_revenue",
                           "--format", "json", "--compare").stdout)
    assert [(r["team"], r["value"], r["flags"], r["previous"]) for r in teams["rows"]] == [
        ("north", 100.0, [], 0.0), ("south", None, ["no_rate"], None)]
    german = cli("report", "--period", "2025-10", "--by", "team", "--kpi", "total_revenue", "--lang", "de")
    assert "keine Zahl für south: 1 Deal(s) in GBP" in " ".join(german.stderr.split())
    # The company's figure has no one's to give: refused as before, on the command line and the API.
    refused = cli("report", "--period", "2025-10", "--kpi", "total_revenue", ok=False)
    assert refused.exit_code == 1 and "GBP" in refused.stderr
    with TestClient(create_app(db, warm=False)) as c:
        assert c.get("/api/v1/report?period=2025-10&kpi=total_revenue").status_code == 409
        api = c.get("/api/v1/report?period=2025-10&kpi=total_revenue&by=rep")
    assert api.status_code == 200, api.text
    assert [(r["rep"], r["value"]) for r in api.json()["rows"]] == [("R1", 90.0), ("R2", 10.0), ("R3", None)]
    assert api.json()["unrated"][0]["groups"] == ["R3"]
    # Only Carl in view (a filter): nobody's figure is left, refused as before.
    alone = cli("report", "--period", "2025-10", "--by", "rep", "--kpi", "total_revenue", "--filter",
                "rep=R3", ok=False)
    assert alone.exit_code == 1 and "GBP" in alone.stderr


def test_a_report_or_dashboard_of_one_team_answers_its_reps_apart(tmp_path: Path) -> None:
    """Asked again without the reps whose money has no rate, the report was asked for every rep
    beside the team filter (and the dashboard for reps with targets of their own beside it): a rep
    beside a team they are not on is refused, so the page of one team failed whole (400)."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "R1", "name": "Anna", "team": "north"},
                                    {"rep_id": "R2", "name": "Ben", "team": "north"},
                                    {"rep_id": "R3", "name": "Carl", "team": "south"},
                                    {"rep_id": "R5", "name": "Eve", "team": ""}])
    won = {"created_at": "2025-10-01", "status": "won"}
    write_csv(folder / "deals.csv", [
        {**won, "deal_id": f"d{i}", "rep_id": rep, "closed_at": "2025-10-05", "amount": amount,
         "currency": currency}
        for i, (rep, amount, currency) in enumerate((("R1", "100.00", "EUR"), ("R2", "10.00", "GBP"),
                                                     ("R3", "20.00", "EUR"), ("R5", "40.00", "EUR")))])
    db = tmp_path / "w.duckdb"
    with Workspace.open(db) as opened:
        opened.set_setting("base_currency", "EUR")
        opened.import_files(folder)
        opened.set_target("average_deal_size", "1000", rep="R3")  # south's, standing
        north = opened.report("2025-10", by="rep", kpis=["total_revenue"], filters={"team": ["north"]})
        assert [(r["rep"], r["value"], r["n"], r["flags"]) for r in north.rows] == [
            ("R1", Decimal("100.00"), 1, []), ("R2", None, 1, ["no_rate"])]
        board = opened.dashboard("2025-10", filters={"team": ["north"]})
        assert [(line.rep, line.values["revenue_per_rep"]) for line in board.reps] == [
            ("R1", Decimal("100.00")), ("R2", None)]
        # By team, Eve's group of no team cannot be asked alone: revenue stays left out, said so
        # (refused, asked for by name).
        teams = opened.report("2025-10", by="team")
        assert "total_revenue" in {s.kpi for s in teams.skipped} and teams.unrated == []
        assert None in {r["team"] for r in teams.rows if r["kpi"] == "win_rate"}
        with pytest.raises(CurrencyError, match="GBP"):
            opened.report("2025-10", by="team", kpis=["total_revenue"])
        both = opened.report("2025-10", by="team", kpis=["total_revenue"],
                             filters={"team": ["north", "south"]})
        assert [(r["team"], r["value"]) for r in both.rows] == [("north", None), ("south", Decimal("20.00"))]
    with TestClient(create_app(db, warm=False)) as c:
        assert c.get("/", params={"period": "2025-10", "team": "north"}).status_code == 200
        assert c.get("/", params={"period": "2025-10", "team": "south"}).status_code == 200
