"""/insights with its charts, a win rate's deals won and lost apart with the reasons deals were lost,
CSVs with names beside ids, and the trend's lines (the period before, the target): through the pages
and the API, on webdata's October with a few more deals worked out by hand.

Added to webdata: lost deals d6 (price, 250.00), d7 (price, 100.00) and d8 (timing, 50.00), closed in
October by jim, bob and jim; d3 (ann, 500.00) stays lost without a reason. October's closed deals are
then d1 and d2 won (1000.10 + 2000.20 = 3000.30) and d3, d6, d7, d8 lost (500.00 + 250.00 + 100.00 +
50.00 = 900.00): win rate 2 / 6. Activities on deals: d1 a call and a meeting, d2 a call, d3 a call
and a demo: with a call 2 of 3 won, without 0 of 3; with a meeting 1 of 1, without 1 of 5; with a
demo 0 of 1, without 2 of 5.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import write_csv
from salesmetrics import Workspace
from salesmetrics.access import Viewer
from salesmetrics.drilldown import RecordsBehind, won_lost
from salesmetrics.periods import parse_period
from salesmetrics.web.app import create_app
from webdata import make_workspace

LOST = [("d6", "jim", "2026-10-08", "250.00", "price"), ("d7", "bob", "2026-10-09", "100.00", "price"),
        ("d8", "jim", "2026-10-20", "50.00", "timing")]
ON_DEALS = [("b1", "jim", "call", "d1"), ("b2", "jim", "meeting", "d1"), ("b3", "ann", "call", "d2"),
            ("b4", "ann", "call", "d3"), ("b5", "ann", "demo", "d3")]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = make_workspace(tmp_path / "web.duckdb")
    more = tmp_path / "more"
    write_csv(more / "deals.csv", [
        {"deal_id": d, "rep_id": rep, "account": "Hooli", "created_at": "2026-09-01T10:00:00",
         "closed_at": f"{day}T10:00:00", "status": "lost", "amount": amount, "currency": "USD",
         "source": "inbound", "pipeline": "new", "lost_reason": reason}
        for d, rep, day, amount, reason in LOST])
    write_csv(more / "activities.csv", [
        {"activity_id": a, "rep_id": rep, "type": kind, "occurred_at": "2026-09-30T09:00:00", "deal_id": deal}
        for a, rep, kind, deal in ON_DEALS])
    with Workspace.open(path) as ws:
        ws.import_files(more)
    return path


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False)) as c:
        yield c


def exact(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return json.loads(response.text, parse_float=Decimal)


def text_of(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def figure(page: str, chart: str) -> str:
    found = re.search(rf'<figure class="card chart-card[^"]*" aria-labelledby="{chart}-h">(.*?)</figure>',
                      page, re.S)
    assert found, f"no chart {chart}"
    return found[1]


def table_rows(markup: str) -> list[str]:
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", markup.split("<tbody>")[1], re.S)]


# -- won and lost apart ---------------------------------------------------------------------------
def test_the_win_rate_s_deals_split_won_and_lost_with_reasons(client: TestClient) -> None:
    found = exact(client.get("/api/v1/records", params={"kpi": "win_rate", "period": "2026-10"}))
    split = found["won_lost"]
    assert split["won"] == {"deals": 2, "amount": Decimal("3000.30")}
    assert split["lost"]["deals"] == 4 and split["lost"]["amount"] == Decimal("900.00")
    assert split["lost"]["reasons"] == [
        {"reason": "price", "deals": 2, "amount": Decimal("350.00")},
        {"reason": "timing", "deals": 1, "amount": Decimal("50.00")},
        {"reason": None, "deals": 1, "amount": Decimal("500.00")},  # d3: no reason recorded
    ]
    # The split adds up to the closed deals behind the win rate; the reasons to the lost deals.
    assert split["closed_deals"] == found["total"] == 6
    assert sum(r["deals"] for r in split["lost"]["reasons"]) == split["lost"]["deals"]
    rate = exact(client.get("/api/v1/report", params={"kpi": "win_rate", "period": "2026-10"}))["rows"][0]
    assert rate["n"] == 6 and Decimal(str(rate["value"])).quantize(Decimal("0.0001")) == Decimal("0.3333")
    assert {r["deal_id"]: r["lost_reason"] for r in found["rows"]} == {
        "d1": None, "d2": None, "d3": None, "d6": "price", "d7": "price", "d8": "timing"}

    page = client.get("/drill", params={"kpi": "win_rate", "period": "2026-10", "lang": "en"}).text
    part = r'<div data-part="{}" data-deals="(\d+)" data-amount="([\d.]+)">(.*?)</div>'
    won = re.search(part.format("won"), page, re.S)
    lost = re.search(part.format("lost"), page, re.S)
    assert won and won.groups()[:2] == ("2", "3000.30") and text_of(won[3]) == "Won 2 deals · $3,000.30"
    assert lost and lost.groups()[:2] == ("4", "900.00") and text_of(lost[3]) == "Lost 4 deals · $900.00"
    assert "Win rate 33.3 %: 2 won of 6 closed deals." in text_of(page)
    reasons = re.search(r'<table class="lost-reasons">(.*?)</table>', page, re.S)
    assert reasons and table_rows(reasons[1]) == [
        "price 2 50 % $350.00", "timing 1 25 % $50.00", "No reason recorded 1 25 % $500.00"]
    assert "The reasons add up to the 4 lost deals." in page
    # Never one figure of won and lost money: no sum of all the closed deals' amounts anywhere.
    assert "3,900.30" not in page and "Sum of" not in text_of(page)
    assert ">Lost reason</th>" in page  # the column beside each deal

    # Won revenue and open pipeline are no one sum either (the Kaplan-Meier cycle, the pipeline win
    # rate); the revenue's won deals are.
    for kpi in ("sales_cycle_median_km", "pipeline_win_rate"):
        listed = text_of(client.get("/drill", params={"kpi": kpi, "period": "2026-10", "lang": "en"}).text)
        assert "records" in listed and " sum $" not in listed, kpi
    revenue = client.get("/drill", params={"kpi": "total_revenue", "period": "2026-10", "lang": "en"})
    assert " sum $3,000.30" in text_of(revenue.text)

    german = client.get("/drill", params={"kpi": "win_rate", "period": "2026-10", "lang": "de"}).text
    assert "Warum Deals verloren gingen" in german and "Kein Grund erfasst" in german
    assert "Gewinnrate 33,3 %: 2 von 6 abgeschlossenen Deals gewonnen." in text_of(german)

    # /insights shows the split (not the reasons: those have a section of their own) and links to it.
    insights = client.get("/insights", params={"period": "2026-10", "lang": "en"}).text
    assert 'data-won="2" data-lost="4"' in insights and 'class="lost-reasons"' not in insights
    assert 'href="/drill?period=2026-10&amp;kpi=win_rate&amp;back=' in insights
    east = client.get("/insights", params={"period": "2026-10", "team": "east", "lang": "en"}).text
    assert 'data-won="1" data-lost="3"' in east  # jim won d1, lost d6 and d8; bob lost d7


@pytest.mark.parametrize("period", ["2026-10", "2026-Q4", "2026", "2026-09"])
def test_the_insights_split_counted_in_sql_is_the_split_of_the_deals(db: Path, period: str) -> None:
    """/insights counts won and lost in SQL; /drill splits the deals it lists. Both must say the same
    for every period, filter, cut-off day and viewer."""
    views = [None, Viewer.of_rep("jim", "jim"), Viewer.of_teams("east lead", {"east"})]
    cases = [({}, None), ({"team": ["east"]}, None), ({"rep": ["jim"]}, None),
             ({}, date(2026, 10, 10))]
    compared = 0
    with Workspace.open(db, read_only=True) as ws:
        for viewer in views:
            for filters, as_of in cases:
                deals = ws.records_behind("win_rate", period, filters=filters, as_of=as_of, viewer=viewer)
                split = ws.won_lost(period, filters=filters, as_of=as_of, viewer=viewer)
                assert split == won_lost(deals), (viewer, filters, as_of)
                compared += split.closed
    assert compared > 0


def _rows(statuses: list[tuple[str, int, str | None]]) -> list[dict[str, Any]]:
    return [{"deal_id": f"d{i}", "status": status, "amount": Decimal(cents) / 100, "lost_reason": reason}
            for i, (status, cents, reason) in enumerate(statuses)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["won", "lost"]), st.integers(0, 10**8),
                          st.sampled_from([None, "", " price", "price", "timing", "competitor"])),
                max_size=40))
def test_won_lost_against_a_plain_count(deals: list[tuple[str, int, str | None]]) -> None:
    rows = _rows(deals)
    found = won_lost(RecordsBehind("win_rate", "deals", parse_period("2026-10"), {}, "USD",
                                   ("deal_id", "status", "amount", "lost_reason"), rows))
    won = [r for r in rows if r["status"] == "won"]
    lost = [r for r in rows if r["status"] == "lost"]
    assert (found.won, found.lost, found.closed) == (len(won), len(lost), len(rows))
    assert found.won_amount == sum((r["amount"] for r in won), Decimal(0))
    assert found.lost_amount == sum((r["amount"] for r in lost), Decimal(0))
    plain: dict[str | None, list[Decimal]] = {}
    for r in lost:
        plain.setdefault((r["lost_reason"] or "").strip() or None, []).append(r["amount"])
    assert {r.reason: (r.deals, r.amount) for r in found.reasons} == {
        k: (len(v), sum(v, Decimal(0))) for k, v in plain.items()}
    assert sum(r.deals for r in found.reasons) == found.lost
    assert [r.reason for r in found.reasons][-1:] in ([None], []) or None not in plain


# -- CSV downloads carry names ----------------------------------------------------------------------
def test_csv_downloads_carry_rep_names_beside_ids(client: TestClient) -> None:
    closed = client.get("/api/v1/records.csv", params={"kpi": "win_rate", "period": "2026-10"}).text
    lines = closed.splitlines()
    assert lines[0] == ("deal_id,closed_at,created_at,rep,rep_name,team,account,source,pipeline,status,"
                        "amount,lost_reason")
    assert ("d7,2026-10-09T10:00:00,2026-09-01T10:00:00,bob,Bob Vance,east,Hooli,inbound,new,lost,100.00,"
            "price") in lines
    items = client.get("/api/v1/records.csv", params={"kpi": "revenue_per_product", "period": "2026-10"}).text
    assert items.splitlines()[0].startswith("deal_id,closed_at,rep,rep_name,team,source,pipeline,product,"
                                            "product_name,revenue")
    assert ",ann,Ann Perkins,west,referral,new,P2,Gadget,1000.00" in items
    activities = client.get("/api/v1/records.csv", params={"kpi": "activity_count", "period": "2026-10"}).text
    assert ",jim,Jim Halpert,east,call," in activities


# -- the insights' charts -------------------------------------------------------------------------
def test_insights_draw_effectiveness_funnel_satisfaction_and_the_claim(db: Path, client: TestClient) -> None:
    stages = [("d1", "qualification", "2026-09-20"), ("d1", "proposal", "2026-09-28"),
              ("d2", "qualification", "2026-09-25"), ("d2", "proposal", "2026-10-01"),
              ("d3", "qualification", "2026-09-25"), ("d3", "proposal", "2026-10-02"),
              ("d5", "qualification", "2026-10-10"), ("d5", "proposal", "2026-10-20")]
    history = write_csv(db.parent / "stages" / "stage_history.csv", [
        {"deal_id": d, "stage": s, "entered_at": f"{day}T09:00:00"} for d, s, day in stages])
    with Workspace.open(db) as ws:
        ws.import_files(history)
    page = client.get("/insights", params={"period": "2026-10", "lang": "en"}).text

    # Win rate with and without each type: a mark with its interval, a hollow mark without.
    chart = figure(page, "effectiveness-chart")
    assert chart.count('data-chart="effectiveness-chart"') == 3  # phone, card and full width
    assert chart.count('class="mark"') == 3 * 3 and chart.count('class="other"') == 3 * 3
    rows = table_rows(chart)
    assert rows[0].startswith("call 66.7 % ") and rows[0].endswith(" 0.0 %")
    assert rows[1].startswith("demo 0.0 % ") and rows[1].endswith(" 40.0 %")
    assert rows[2].startswith("meeting 100.0 % ") and rows[2].endswith(" 20.0 %")
    assert "20.8 – 93." in rows[0]  # Wilson's 95 % interval of 2 of 3

    # The funnel: each stage as wide as the deals in it (in it at the start + entered): qualification
    # d2 and d3 at the start and d5 entered; proposal d1 at the start and d2, d3, d5 entered.
    funnel = figure(page, "funnel-chart")
    assert table_rows(funnel) == ["qualification 3 100.0 %", "proposal 4 66.7 %"]
    widths = [float(w) for w in re.findall(r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"',
                                           funnel.split('chart-v regular')[1].split("</svg>")[0])]
    assert len(widths) == 2 and widths[0] / widths[1] == pytest.approx(3 / 4, abs=0.01)

    # Order value by satisfaction: Acme (promoter) ordered d1 and d4, Globex (passive) d2.
    satisfaction = figure(page, "satisfaction-chart")
    assert table_rows(satisfaction) == ["Promoters (9–10) $850.05 1 2", "Passives (7–8) $2,000.20 1 1"]

    # The article's claim, said as a claim, beside what the records say.
    claim = text_of(re.search(r'<div class="claim" id="claim">(.*?)</dl>', page, re.S)[1])  # type: ignore[index]
    assert "What the article claims Happy customers spend 33 % more: promoters' average order is " \
           "1.33 × detractors'." in claim
    assert "What your records say Too few accounts to say: 1 promoter and 0 detractor accounts with orders." \
        in claim

    german = client.get("/insights", params={"period": "2026-10", "lang": "de"}).text
    assert "Gewinnrate mit und ohne jede Aktivitätsart" in german and "Was der Artikel behauptet" in german
    assert "Anruf 66,7 %" in text_of(figure(german, "effectiveness-chart"))


def test_the_claim_chart_sets_the_ratio_against_one_and_the_article() -> None:
    from salesmetrics.insights.satisfaction import Group, Satisfaction
    from salesmetrics.web import views

    result = Satisfaction(parse_period("2026"), "USD", [
        Group("promoter", 6, 9, Decimal("1500.00")), Group("passive", 2, 2, Decimal("1000.00")),
        Group("detractor", 5, 7, Decimal("1000.00"))], 1.5, (1.1, 2.02), Decimal("500.00"), (100.0, 900.0),
        0.01, "supports_claim")
    shown = views.claim(result, views.Formatter("en", "USD"))
    assert shown.data == "Promoters' average order is 1.50 × detractors' (95 %: 1.10 – 2.02), from 11 " \
                         "accounts and 16 orders."
    assert shown.verdict.startswith("Promoters spend more per order, and the records are consistent")
    assert shown.chart is not None and shown.chart.svg is not None
    svg = str(shown.chart.svg)
    assert svg.count('class="reference"') == 2 * 2  # 1.0 and 1.33, on the phone's and the card's drawing
    assert ">same</text>" in svg and ">article</text>" in svg


# -- the trend's lines ------------------------------------------------------------------------------
def test_the_trend_draws_the_period_before_and_the_target(client: TestClient) -> None:
    put = client.put("/api/v1/targets", json={"kpi": "total_revenue", "value": "3100", "period": "2026-10"})
    assert put.status_code == 200, put.text
    dash = exact(client.get("/api/v1/dashboard", params={"period": "2026-10"}))
    # October's weeks (W40 is Thu 1 to Sun 4 October) beside September's days as far into it: the
    # 1st to the 4th, not the calendar's W36 (Tue 1 to Sun 6), and September's 26th to 30th beside
    # October's last six days; 3100.00 pro-rated by days: 4, 7, 7, 7 and 6 of October's 31.
    assert [(p["week"], p["value"], p["target"]) for p in dash["trend"]] == [
        ("2026-W40", Decimal("0.00"), Decimal("400.00")), ("2026-W41", Decimal("3000.30"), Decimal("700.00")),
        ("2026-W42", Decimal("0.00"), Decimal("700.00")), ("2026-W43", Decimal("0.00"), Decimal("700.00")),
        ("2026-W44", Decimal("0.00"), Decimal("600.00"))]
    assert sum(p["target"] for p in dash["trend"]) == Decimal("3100.00")
    assert [(p["week"], p["value"]) for p in dash["previous_trend"]] == [
        ("2026-09-01..2026-09-04", Decimal("0.00")), ("2026-09-05..2026-09-11", Decimal("700.00")),
        ("2026-09-12..2026-09-18", Decimal("0.00")), ("2026-09-19..2026-09-25", Decimal("0.00")),
        ("2026-09-26..2026-09-30", Decimal("0.00"))]

    page = client.get("/", params={"period": "2026-10", "lang": "en"}).text
    chart = figure(page, "trend")
    heads = re.search(r"<thead>(.*?)</thead>", chart, re.S)
    assert heads and text_of(heads[1]) == "Week This period Period before Target"
    rows = table_rows(chart)
    assert rows[1] == "W41 2026 (Oct 5 – 11, 2026) $3,000.30 $700.00 (Sep 5 – 11, 2026) $700.00"
    assert rows[0].endswith("$0.00 $0.00 (Sep 1 – 4, 2026) $400.00")
    for variant in ("narrow", "regular", "wide"):
        drawn = chart.split(f'chart-v {variant}')[1].split("</svg>")[0]
        assert 'class="series previous"' in drawn and 'class="series target"' in drawn
        assert ">Period before</text>" in drawn and ">Target</text>" in drawn  # the legend
    # One tab stop for the chart: its data table's summary (the bars and lines are drawn, not links).
    assert chart.count("<summary>") == 1 and "<a " not in chart.split("<details")[0]

    german = client.get("/", params={"period": "2026-10", "lang": "de"}).text
    assert "3.000,30 $ 700,00 $ (5.–11. Sept. 2026) 700,00 $" in text_of(figure(german, "trend"))
    # Without a target, no target line (and no column for it).
    client.request("DELETE", "/api/v1/targets", params={"kpi": "total_revenue", "period": "2026-10"})
    plain = figure(client.get("/", params={"period": "2026-10", "lang": "en"}).text, "trend")
    assert 'class="series target"' not in plain and 'class="series previous"' in plain
