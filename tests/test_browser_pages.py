"""Every page at a phone's width (390 px) and a desktop's (1440 px), in Debian's Chromium: nothing
scrolls sideways, axe-core finds no serious or critical violation, chart text stays readable, and the
filter form tells the truth (first click on Apply, the back button, keyboard on a select, two teams).

axe-core comes from the npm registry, pinned in tests/browser/package-lock.json (scripts/test.sh runs
`npm ci` there). It is evaluated in the page through the DevTools protocol, so the page's own
Content-Security-Policy (no inline scripts) stays as it is. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from test_browser import ARTIFACTS, Server, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1440)
PAGES = {
    "dashboard": "/?period=last-quarter",
    "dashboard-two-teams": "/?period=last-quarter&team=east&team=west",
    "dashboard-de": "/?period=last-quarter&lang=de",
    "dashboard-week": "/?period=last-week",  # by day, beside the days of the week before
    "dashboard-month-by-day": "/?period=last-month&grain=day&lang=de",
    "insights": "/insights?period=last-quarter",
    "insights-de": "/insights?period=last-quarter&lang=de",
    "drill-win-rate": "/drill?kpi=win_rate&period=last-quarter",
    "rep": "/reps/R004?period=last-quarter",
    "drill": "/drill?kpi=total_revenue&period=last-quarter",
    "upload": "/upload",
    "targets": "/targets?period=this-quarter",
    "compare": "/compare?team=east&team=west&period=last-quarter",
    "forecast": "/forecast?period=this-quarter&by=rep",
    "programs": "/programs",
    "programs-de": "/programs?kpi=revenue_per_rep&lang=de",
    "bad-period-de": "/?period=nonsense&lang=de",
    "not-found-de": "/no-such-page?lang=de",
}


def _axe_source() -> str:
    if not AXE.exists():
        message = "axe-core is not installed: (cd tests/browser && npm ci)"
        if os.environ.get("SALESMETRICS_TEST_BACKENDS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.evaluate(_axe_source() + "\n;0")
    found: list[dict[str, Any]] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))")
    return found


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Any]:  # noqa: F811
    contexts = []

    def make(width: int, lang: str = "en-US", **options: Any) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_the_screen_and_passes_axe(new_page: Any, server: Server, name: str,  # noqa: F811
                                                   width: int) -> None:
    page = new_page(width)
    page.goto(server.url + PAGES[name])
    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, f"{name} scrolls sideways by {sideways} px at {width} px"
    # Chart text: at least 11 px as drawn on the screen (an SVG scaled down shrinks its text).
    smallest = page.evaluate(
        "Math.min(99, ...Array.from(document.querySelectorAll('svg.chart text'))"
        ".filter(t => t.getClientRects().length && t.textContent.trim())"
        ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))")
    assert smallest >= 11, f"{name}: chart text of {smallest:.1f} px at {width} px"
    violations = axe_violations(page)
    shot(page, f"page-{name}-{width}")
    assert violations == [], json.dumps(violations, indent=1)


def test_dark_mode_passes_axe_too(new_page: Any, server: Server) -> None:  # noqa: F811
    page = new_page(1440, color_scheme="dark")
    page.goto(server.url + PAGES["dashboard"])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)" and page.evaluate(
        "getComputedStyle(document.documentElement).backgroundColor") == "rgb(13, 17, 23)"
    violations = axe_violations(page)
    shot(page, "page-dashboard-dark-1440")
    assert violations == [], json.dumps(violations, indent=1)


def test_a_german_period_field_stays_german_after_the_page_script(new_page: Any, server: Server) -> None:  # noqa: F811
    """The links carry period=last-month; the page script put that back in the German field, which the
    server had written letzter-monat (the review)."""
    page = new_page(1440)
    for period, shown in (("last-month", "letzter-monat"), ("last-30-days", "letzte-30-tage"),
                          ("2026-Q3", "2026-Q3")):
        page.goto(server.url + f"/?period={period}&lang=de")
        assert page.locator("#f-period").input_value() == shown, period
    page.goto(server.url + "/?period=last-month&lang=en")
    assert page.locator("#f-period").input_value() == "last-month"


def test_teams_compared_on_a_phone_read_without_scrolling_sideways(new_page: Any, server: Server) -> None:  # noqa: F811
    """In columns a phone showed "1.573.0…" of the first team and the other's heading off the screen
    (a tester): one KPI a block, each team's figure named."""
    page = new_page(390)
    page.goto(server.url + PAGES["compare"])
    cells = page.evaluate(
        "Array.from(document.querySelectorAll('table.compare td'))"
        ".map(td => td.getBoundingClientRect().right)")
    assert cells and max(cells) <= 390, cells
    first = page.locator("table.compare td").first
    assert first.evaluate("td => getComputedStyle(td, '::before').content") == '"east: "'


@pytest.mark.parametrize("name", ["dashboard", "forecast"])
def test_what_a_finger_taps_is_at_least_24_px(new_page: Any, server: Server, name: str) -> None:  # noqa: F811
    """WCAG 2.5.8 on a phone: the tiles' "i" was 18 px, their intervals 14 px tall, the sort buttons
    17 px, the navigation's links 22 px and the links in the forecast's table 15 px (a tester)."""
    page = new_page(390)
    page.goto(server.url + PAGES[name])
    small = page.evaluate(
        "Array.from(document.querySelectorAll('.top nav a, details.explain > summary, "
        "details.ci > summary, button.sort, td a'))"
        ".filter(e => e.getClientRects().length)"
        ".map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().width,"
        "           e.getBoundingClientRect().height])"
        ".filter(([, w, h]) => w < 23.5 || h < 23.5)")
    assert small == [], small


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_legend_s_swatch_is_drawn_in_its_series_colour(new_page: Any, server: Server,  # noqa: F811
                                                         scheme: str) -> None:
    """A rule for every chart line greyed the legends' swatches drawn in a series' colour: the
    participants' blue and the comparison group's orange both read grey (a phone tester)."""
    page = new_page(1440, color_scheme=scheme)
    page.goto(server.url + PAGES["programs"])
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('svg.chart line[stroke]'))"
        ".filter(l => l.getClientRects().length && !['#1b1f24', '#d8dce1'].includes(l.getAttribute('stroke'))"
        " && !l.matches('.grid, .reference, .previous'))"
        ".map(l => [l.getAttribute('stroke'), getComputedStyle(l).stroke])")
    assert len(drawn) >= 2, drawn
    for given, computed in drawn:
        red, green, blue = (int(given[i:i + 2], 16) for i in (1, 3, 5))
        assert computed == f"rgb({red}, {green}, {blue})", (given, computed)


@pytest.mark.parametrize(("name", "least"), [("dashboard", 5), ("insights", 4)])
def test_each_chart_is_one_tab_stop_with_its_data_behind_it(new_page: Any, server: Server,  # noqa: F811
                                                            name: str, least: int) -> None:
    page = new_page(1440)
    page.goto(server.url + PAGES[name])
    charts = page.locator("figure.chart-card")
    assert charts.count() >= least
    for i in range(charts.count()):
        chart = charts.nth(i)
        stops = chart.evaluate(
            "f => Array.from(f.querySelectorAll('a[href], button, summary, [tabindex]'))"
            ".filter(e => e.tabIndex >= 0 && e.checkVisibility()).length")
        assert stops == 1, chart.get_attribute("aria-labelledby")
        assert chart.locator("svg.chart a").count() == 0  # no bar is a link of its own
    if name == "dashboard":
        # The trend's lines: the period before and (no target in the demo) no target line.
        trend = page.locator("figure.chart-card", has=page.locator("svg[data-chart=trend]"))
        assert trend.locator("svg.chart:visible polyline.series.previous").count() == 1
        trend.locator("summary").press("Enter")  # the way into the data: its table, with links
        assert trend.locator("details.data table a").first.is_visible()
        assert trend.locator("details.data thead th").count() == 3  # week, this period, period before
    else:
        shown = [page.locator(f"svg[data-chart={c}]:visible").count() for c in
                 ("effectiveness-chart", "funnel-chart", "satisfaction-chart", "claim-chart")]
        assert shown == [1, 1, 1, 1]  # each drawn once for the screen's width


@pytest.mark.parametrize("width", (1440, 1024, 390))
def test_the_first_click_on_apply_works(new_page: Any, server: Server, width: int) -> None:  # noqa: F811
    page = new_page(width)
    page.goto(server.url + "/?period=last-month")
    page.click("#f-period")
    page.fill("#f-period", "last-quarter")
    box = page.locator("form.filters button[type=submit]").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()  # the field loses focus here: nothing may move under the pointer
    after = page.locator("form.filters button[type=submit]").bounding_box()
    page.mouse.up()
    assert after == box
    page.wait_for_url("**period=last-quarter**", timeout=10_000)


def test_the_back_button_leaves_the_form_matching_the_address(new_page: Any, server: Server) -> None:  # noqa: F811
    page = new_page(1440)
    page.goto(server.url + "/?period=last-quarter")
    page.select_option("#f-team", "east")
    page.fill("#f-period", "last-month")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**team=east**")
    assert page.input_value("#f-team") == "east"
    page.go_back()
    page.wait_for_url("**/?period=last-quarter")
    page.wait_for_load_state()
    assert page.input_value("#f-team") == ""  # company-wide, as the figures are
    assert page.input_value("#f-period") == "last-quarter"
    page.go_forward()
    page.wait_for_url("**team=east**")
    assert page.input_value("#f-team") == "east" and page.input_value("#f-period") == "last-month"


def test_arrow_down_on_a_select_does_not_navigate(new_page: Any, server: Server) -> None:  # noqa: F811
    page = new_page(1440)
    page.goto(server.url + "/?period=last-quarter")
    before = page.url
    page.focus("#f-team")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(800)
    assert page.url == before
    assert page.input_value("#f-team") != ""  # the choice moved, and waits for Apply
    assert page.evaluate("document.activeElement.id") == "f-team"  # focus stays where it was
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    chosen = page.input_value("#f-team")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**team={chosen}**")


def test_two_teams_in_the_address_show_in_the_form_and_in_print(new_page: Any, server: Server) -> None:  # noqa: F811
    page = new_page(1440)
    page.goto(server.url + "/?period=last-quarter&team=east&team=west")
    team = page.locator("#f-team")
    assert team.input_value() == "east,west"
    assert team.locator("option:checked").inner_text() == "east, west"
    page.emulate_media(media="print")
    printed = page.locator("#view-filters")
    assert printed.is_visible() and "east, west" in printed.inner_text()
    assert "last-quarter" in printed.inner_text()
    assert not page.locator("form.filters").is_visible()
    page.pdf(path=str(ARTIFACTS / "dashboard-two-teams-print.pdf")) if ARTIFACTS.exists() else None
    page.emulate_media(media="screen")
    page.click("form.filters button[type=submit]")  # Apply keeps both
    page.wait_for_url("**team=east%2Cwest**")
    assert page.locator("#f-team").input_value() == "east,west"


def test_german_errors_and_period_words(new_page: Any, server: Server, tmp_path: Path) -> None:  # noqa: F811
    page = new_page(1440, lang="de-DE")
    page.goto(server.url + "/?period=nonsense")
    assert page.locator("#error").inner_text().startswith("Zeitraum 'nonsense' ist nicht lesbar")
    page.goto(server.url + "/?period=2026-13")
    assert "Es gibt keinen Monat 13" in page.locator("#error").inner_text()
    response = page.goto(server.url + "/reps/NOBODY")
    assert response is not None and response.status == 404
    assert "Es gibt keinen Mitarbeiter 'NOBODY'" in page.locator("p.error").inner_text()
    page.goto(server.url + "/no-such-page")
    assert page.locator("h1").inner_text() == "Nicht gefunden"
    assert "Not Found" not in page.content()
    page.goto(server.url + "/?period=letzter-monat")
    assert page.locator("#error").count() == 0
    assert page.locator("svg[data-chart=trend] text.tick", has_text="KW ").count() > 0
    bad = tmp_path / "deals.csv"
    bad.write_text("deal_id,rep_id,created_at,status,amount\nX1,R001,gestern,won,12x\n")
    page.goto(server.url + "/upload")
    page.set_input_files("#u-files", str(bad))
    page.click("form.upload button[type=submit]")
    problems = page.locator("section.problems").inner_text()
    assert "Import abgelehnt" in problems
    assert "keine Zahl" in problems and "kein Datum mit Uhrzeit" in problems
    assert "not a number" not in problems and "required" not in problems
    shot(page, "upload-refused-de")


@pytest.mark.parametrize("name", ["dashboard-de", "insights", "forecast"])
def test_a_chart_s_data_table_opened_on_a_phone_scrolls_in_its_card(new_page: Any, server: Server,  # noqa: F811
                                                                   name: str) -> None:
    """Opened on a phone, a chart's data table widened the page (586 px at 390 in German)."""
    page = new_page(390)
    page.goto(server.url + PAGES[name])
    for summary in page.locator("details.data > summary").all():
        summary.click()
    assert page.locator("details.data[open]").count() >= 1
    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, f"{name} scrolls sideways by {sideways} px with its data tables open"
    assert axe_violations(page) == []
    # A tile's "not tested" / "within noise" opens its reason: 15 px tall, 19 px apart on a phone;
    # a chart's "data table" was 20 px. Every summary is a finger's target (WCAG 2.5.8).
    heights = page.evaluate("Array.from(document.querySelectorAll('summary'))"
                            ".filter(e => e.checkVisibility())"
                            ".map(e => [e.textContent.trim(), e.getBoundingClientRect().height])")
    assert heights and all(h >= 24 for _, h in heights), heights


def test_an_import_s_problems_read_on_a_phone(new_page: Any, server: Server, tmp_path: Path) -> None:  # noqa: F811
    """At 390 px the problems' table scrolled in its card: each problem's words were off the screen,
    and each row as tall as they wrapped in the last column. One block a problem."""
    bad = tmp_path / "deals.csv"
    bad.write_text("deal_id,rep_id,created_at,status,amount\nX1,R001,gestern,won,12x\n")
    page = new_page(390)
    page.goto(server.url + "/upload?lang=de")
    page.set_input_files("#u-files", str(bad))
    page.click("form.upload button[type=submit]")
    message = page.locator("section.problems td.message").first
    assert "kein Datum mit Uhrzeit" in message.inner_text() or "keine Zahl" in message.inner_text()
    box = message.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0
    assert axe_violations(page) == []


def test_the_keyboard_s_focus_shows_in_the_light_scheme(new_page: Any, server: Server) -> None:  # noqa: F811
    """The ring's colour was set in the dark scheme alone: in the light one the outline was invalid,
    and no focused element showed it (WCAG 2.4.7)."""
    page = new_page(1440, color_scheme="light")
    page.goto(server.url + PAGES["dashboard"])
    for _ in range(3):
        page.keyboard.press("Tab")
        style = page.evaluate("(e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth])"
                              "(document.activeElement)")
        assert style == ["solid", "3px"], style


def test_on_a_phone_the_filters_past_the_period_fold_behind_one_button(new_page: Any, server: Server) -> None:  # noqa: F811
    """At 390 px the dashboard's eleven fields filled the first screen: the tiles began below it."""
    page = new_page(390, lang="de-DE")
    page.goto(server.url + "/?period=last-quarter&team=east&lang=de")
    form, toggle = page.locator("form.filters"), page.locator("form.filters button.more-toggle")
    assert toggle.inner_text() == "Weitere Filter (1 gesetzt)"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#f-period").is_visible() and not page.locator("#f-team").is_visible()
    folded = form.bounding_box()["height"]
    assert page.locator(".tile").first.bounding_box()["y"] < 900  # the first tile on the first screen
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "Weniger Filter"
    assert page.locator("#f-team").input_value() == "east"
    assert form.bounding_box()["height"] > folded + 150
    assert axe_violations(page) == []
    page.select_option("#f-team", "west")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**team=west**")
    assert page.locator("#f-team").is_hidden()  # folded again on the next view
    # On a desktop every field is in view and the button is not there to press.
    wide = new_page(1440)
    wide.goto(server.url + "/?period=last-quarter")
    assert wide.locator("#f-team").is_visible()
    assert wide.locator("form.filters button.more-toggle").is_hidden()
