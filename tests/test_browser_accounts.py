"""Signing in, in a real browser: a rep signs in to the real server (`salesmetrics serve`, a
subprocess) and sees only their own dashboard and scorecard; after signing out the dashboard sends
the browser back to the sign-in page. Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from playwright.sync_api import Page

from accountsdata import ME, PASSWORD, REP, SURNAMES, make_workspace, markers
from salesmetrics.text.numbers import format_value
from serving import served
from test_browser import browser, page, shot

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser.py

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = make_workspace(tmp_path_factory.mktemp("browser-accounts") / "team.duckdb")
    with served(db) as (base, _):
        yield base


def _others_absent(page: Page) -> None:
    text = page.content().lower()
    for rep in SURNAMES:
        if rep != ME:
            for marker in markers(rep):
                assert marker.lower() not in text, marker


def test_a_rep_signs_in_sees_their_own_figures_and_signs_out(page: Page, url: str) -> None:
    page.goto(url + "/?period=2026-10")
    page.wait_for_url("**/login?next=**")
    shot(page, "login")
    page.fill("#l-email", REP)
    page.fill("#l-password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/?period=2026-10")

    tile = page.locator('article.tile[data-kpi="total_revenue"]')
    assert Decimal(tile.get_attribute("data-value") or "") == Decimal("1000.00")
    assert tile.locator(".tile-value").inner_text() == format_value(Decimal("1000.00"), "money", "USD", "en")
    leaders = page.locator("table.leaderboard tbody tr")
    assert leaders.count() == 1 and "Quintessa Vorhaus" in leaders.inner_text()
    assert page.locator("nav a[href='/upload']").count() == 0  # importing is for admins
    assert f"Signed in as {REP}" in page.locator("form.account").inner_text()
    _others_absent(page)
    shot(page, "rep-dashboard")

    page.locator("table.leaderboard tbody th a").first.click()
    page.wait_for_url(f"**/reps/{ME}**")
    row = page.locator('table.peers tr[data-kpi="total_revenue"]')
    assert Decimal(row.get_attribute("data-value") or "") == Decimal("1000.00")
    # Beside the median of the whole team (1000, 2500, 700): an aggregate, naming nobody.
    assert format_value(Decimal("1000.00"), "money", "USD", "en") in row.inner_text()
    assert page.locator("section.diagnosis").is_visible()
    _others_absent(page)
    shot(page, "rep-scorecard")

    page.click("form.account button[type=submit]")
    page.wait_for_url("**/login")
    page.goto(url + "/")
    page.wait_for_url("**/login?next=**")
    assert page.locator("#l-email").is_visible()
