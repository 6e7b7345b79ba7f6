"""The dashboard in a real browser: the real server (`salesmetrics serve`, a subprocess) on the demo
workspace, driven by Playwright in Debian's headless Chromium.

Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from helpers import write_csv
from salesmetrics.text.numbers import format_value
from serving import SALESMETRICS, served

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@dataclass
class Server:
    url: str
    db: Path
    proc: subprocess.Popen[str]

    def api(self, path: str, **params: Any) -> Any:
        r = httpx.get(self.url + path, params=params, timeout=120)
        assert r.status_code == 200, r.text
        return json.loads(r.text, parse_float=Decimal)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    built = subprocess.run([str(SALESMETRICS), "demo", "--seed", "1", "--db", str(db)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    with served(db) as (url, proc):
        yield Server(url, db, proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        # Like the other backends' tests: skipped on a contributor's machine, a failure in CI.
        message = "the browser tests need Debian's chromium: apt-get install -y chromium"
        if os.environ.get("SALESMETRICS_TEST_BACKENDS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_dashboard_filters_drill_down_and_german(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    assert page.locator('article.tile[data-kpi="total_revenue"]').is_visible()

    page.fill("#f-period", "last-quarter")
    page.press("#f-period", "Enter")  # typed, as a person would (the suggestion list stays shut)
    page.wait_for_url("**period=last-quarter**")
    page.select_option("#f-team", "east")  # chosen by keyboard or script: waits for Apply
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**team=east**")
    assert "period=last-quarter" in page.url  # the view lives in the URL: shareable

    report = server.api("/api/v1/report", period="last-quarter", team="east",
                        kpi=["total_revenue", "win_rate"])
    figures = {row["kpi"]: row for row in report["rows"]}
    revenue = figures["total_revenue"]["value"]
    tile = page.locator('article.tile[data-kpi="total_revenue"]')
    assert Decimal(tile.get_attribute("data-value") or "") == revenue
    assert tile.locator(".tile-value").inner_text() == format_value(revenue, "money", "USD", "en")
    win = page.locator('article.tile[data-kpi="win_rate"]')
    assert Decimal(win.get_attribute("data-value") or "") == figures["win_rate"]["value"]
    assert page.locator("svg[data-chart=trend]:visible rect.bar").count() == 3  # three months of the quarter
    shot(page, "dashboard-en")

    tile.locator(".tile-value").click()
    page.wait_for_url("**/drill?**")
    assert "team=east" in page.url and "period=last-quarter" in page.url
    summary = page.locator("#records-summary")
    assert int(summary.get_attribute("data-total") or -1) == figures["total_revenue"]["n"]
    assert page.locator("table.records tbody tr").count() == min(figures["total_revenue"]["n"], 500)
    assert format_value(revenue, "money", "USD", "en") in summary.inner_text()
    shot(page, "drill-down")
    link = page.locator("a[download][href*='records.csv']").get_attribute("href") or ""
    csv = httpx.get(server.url + link, timeout=60)
    assert csv.status_code == 200 and len(csv.text.splitlines()) == figures["total_revenue"]["n"] + 1

    page.go_back()
    page.click('nav.langs a[hreflang="de"]')
    page.wait_for_url("**lang=de**")
    assert page.locator("html").get_attribute("lang") == "de"
    german = format_value(revenue, "money", "USD", "de")
    assert german.endswith("\xa0$") and german[-5] == ","  # 1.024.507,00 $
    assert tile.locator(".tile-value").inner_text() == german
    assert tile.locator(".tile-title").inner_text().startswith("Gesamtumsatz")
    shot(page, "dashboard-de")

    page.goto(server.url + "/?period=last-quarter")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "de"


def test_rep_page_and_hover_explanation(page: Page, server: Server) -> None:
    page.goto(server.url + "/?period=last-quarter&lang=en")
    info = page.locator('article.tile[data-kpi="win_rate"] .info')
    assert info.get_attribute("data-tip", timeout=10_000) == (
        "Share of opportunities turned into customers, in the common CRM reading: won / (won + lost) "
        "among deals closed in the period.")
    page.locator("table.leaderboard tbody th a").first.click()
    page.wait_for_url("**/reps/**")
    rep = page.url.split("/reps/")[1].split("?")[0]
    data = server.api(f"/api/v1/reps/{rep}", period="last-quarter")
    revenue = next(line for line in data["kpis"] if line["kpi"] == "total_revenue")
    row = page.locator('table.peers tr[data-kpi="total_revenue"]')
    assert Decimal(row.get_attribute("data-value") or "") == revenue["value"]
    assert format_value(revenue["team_median"], "money", "USD", "en") in row.inner_text()
    # The diagnosis on the page is the scorecard's (the API's text carries the figures after it).
    card = server.api(f"/api/v1/reps/{rep}/scorecard", period="last-quarter")["diagnosis"]
    assert page.locator(f'section.diagnosis[data-diagnosis="{card["code"]}"]').is_visible()
    verdict = page.locator("#verdict").inner_text()
    assert verdict and card["text_en"].startswith(verdict)
    shot(page, "rep")


def test_programs_page_with_its_event_study(page: Page, server: Server) -> None:
    """The demo's training: its effect in the table is the API's, and choosing another KPI redraws the
    event study (two lines with their bands, the start marked)."""
    page.goto(server.url + "/?lang=en")
    page.click('nav a[href^="/programs"]')
    page.wait_for_url("**/programs**")
    training = page.locator('section.program[data-program="discovery-training"]')
    effect = server.api("/api/v1/programs/discovery-training/effect")
    win = next(r for r in effect["rows"] if r["kpi"] == "win_rate")
    row = training.locator('table.effect tr[data-kpi="win_rate"]')
    assert Decimal(row.get_attribute("data-effect", timeout=60_000) or "") == win["effect"]
    chart = training.locator("svg.chart:visible")  # drawn per width; the one that fits shows
    assert "Win rate (closed), month by month" in (chart.locator("title").first.text_content() or "")
    assert chart.locator("polyline.line").count() == 2 and chart.locator("g.marker").count() == 1
    page.select_option("#p-kpi", "revenue_per_rep")
    page.click("form.programs button[type=submit]")
    page.wait_for_url("**kpi=revenue_per_rep**")
    redrawn = page.locator('section.program[data-program="discovery-training"] svg.chart:visible title').first
    assert "Revenue per rep, month by month" in (redrawn.text_content() or "")
    onboarding = page.locator('section.program[data-program="onboarding-2026"] table.hires')
    assert onboarding.locator('tr[data-group="hired_after"]').is_visible()
    shot(page, "programs")


def test_the_pages_ask_no_other_host(page: Page, server: Server) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    for path in ("/?period=last-month", "/drill?kpi=nps&period=last-year", "/reps/R004",
                 "/programs", "/upload", "/docs"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
    if page.url.endswith("/docs"):
        page.locator(".swagger-ui .opblock").first.wait_for()
    hosts = {urlsplit(url).netloc for url in asked if not url.startswith("data:")}
    assert hosts == {urlsplit(server.url).netloc}, asked
    assert any("/static/style.css?v=" in url for url in asked)
    assert any("swagger-ui-bundle.js" in url for url in asked)


def test_upload_page_shows_the_importers_problems(page: Page, server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "deals.csv"
    bad.write_text("deal_id,rep_id,created_at,status,amount\nX1,R001,yesterday,won,12x\n")
    page.goto(server.url + "/upload?lang=en")
    page.set_input_files("#u-files", str(bad))
    page.click("form.upload button[type=submit]")
    problems = page.locator("section.problems")
    assert "Import refused, nothing was written" in problems.inner_text()
    cells = [r.locator("td").all_inner_texts() for r in problems.locator("tbody tr").all()]
    assert ["deals.csv", "2", "created_at", "yesterday"] in [c[:4] for c in cells]
    assert ["deals.csv", "2", "amount", "12x"] in [c[:4] for c in cells]
    shot(page, "upload-refused")


def test_import_through_the_cli_while_serving(page: Page, server: Server, tmp_path: Path) -> None:
    before = server.api("/api/v1/report", period="2030-01", kpi="total_revenue")
    assert before["rows"][0]["value"] == Decimal("0.00")
    deals = write_csv(tmp_path / "new" / "deals.csv", [{
        "deal_id": "D-LATE-1", "rep_id": "R001", "created_at": "2030-01-02T09:00:00",
        "closed_at": "2030-01-15T16:00:00", "status": "won", "amount": "12345.67", "currency": "USD"}])

    # The server is busy with an answer it has not cached (it holds the file for reading) while the
    # import starts: the import waits its turn instead of failing. The busy request is answered, or,
    # where the import got there first or the read was given up for it, told when to ask again.
    answered: list[httpx.Response] = []
    busy = threading.Thread(target=lambda: answered.append(
        httpx.get(server.url + "/api/v1/dashboard", params={"period": "2025-Q2"}, timeout=120)))
    busy.start()
    time.sleep(0.2)
    result = subprocess.run([str(SALESMETRICS), "import", "--quiet", "--db", str(server.db), str(deals)],
                            capture_output=True, text=True, timeout=300)
    busy.join()
    assert result.returncode == 0, result.stderr
    assert "D-LATE-1" not in result.stderr
    (busy_answer,) = answered
    assert busy_answer.status_code == 200 or (
        busy_answer.status_code == 503 and int(busy_answer.headers["retry-after"]) > 0), busy_answer.text
    again = server.api("/api/v1/dashboard", period="2025-Q2")  # the same view, asked again: answered
    assert again["period"]["label"] == "2025-Q2"
    if busy_answer.status_code == 200:  # the import added nothing to that quarter
        assert json.loads(busy_answer.text, parse_float=Decimal)["tiles"] == again["tiles"]

    after = server.api("/api/v1/report", period="2030-01", kpi="total_revenue")
    assert after["rows"][0]["value"] == Decimal("12345.67")
    page.goto(server.url + "/?period=2030-01&lang=en")
    assert page.locator('article.tile[data-kpi="total_revenue"]').get_attribute("data-value") == "12345.67"


def test_forecast_page_bar_drill_down_and_segment_filter(page: Page, server: Server) -> None:
    page.goto(server.url + "/?period=this-quarter&lang=en")
    page.click('header nav a[href^="/forecast"]')  # the navigation keeps the period
    page.wait_for_url("**/forecast?**period=this-quarter**")
    forecast = server.api("/api/v1/forecast", period="this-quarter")
    total = forecast["total"]
    weighted = page.locator('#forecast-figures [data-figure="weighted"]')
    assert Decimal(weighted.get_attribute("data-value") or "") == total["weighted"]
    assert format_value(total["weighted"], "money", "USD", "en") in weighted.inner_text()
    # Each figure's explanation opens on a tap, as a tile's does: it sat in an aria-label alone,
    # on a mark 7 px wide (a tester).
    explained = weighted.locator("details.figure-help")
    assert not explained.locator("p").is_visible()
    explained.locator("summary").click()
    assert explained.locator("p").is_visible() and "weighted" in explained.locator("p").inner_text().lower()
    box = explained.locator("summary").bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    shot(page, "forecast-en")

    # The bar is one picture; its data table links each part to the deals behind it.
    page.locator("#forecast-parts summary").click()
    page.locator("#forecast-parts a", has_text=format_value(total["commit"], "money", "USD", "en")).click()
    page.wait_for_url("**bar=commit**")
    rows = page.locator("#deals table.forecast-deals tbody tr")
    committed = [d for d in forecast["deals"] if d["bar"] == "commit"]
    assert rows.count() == len(committed) > 0
    assert {rows.nth(i).get_attribute("data-bar") for i in range(rows.count())} == {"commit"}

    segment = page.locator("#f-segment option").nth(1).get_attribute("value") or ""
    page.select_option("#f-segment", segment)  # chosen by script: waits for Apply, as every filter
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**segment={segment}**")
    narrowed = server.api("/api/v1/forecast", period="this-quarter", segment=segment)["total"]
    shown = page.locator('#forecast-figures [data-figure="weighted"]').get_attribute("data-value")
    assert Decimal(shown or "") == narrowed["weighted"] < total["weighted"]
    page.click('nav.langs a[hreflang="de"]')
    page.wait_for_url("**lang=de**")
    assert page.locator("#forecast-h").inner_text().startswith("Prognose")
    shot(page, "forecast-de")
