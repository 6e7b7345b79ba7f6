"""The digest's HTML as a mail client's window shows it: Chromium at 600 px (the mail column), checked
with axe-core (npm, tests/browser/package.json) for accessibility: no serious or critical violation,
in English and German, and nothing wider than the window."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from helpers import Cli

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def _missing(what: str) -> None:
    # Like the other browser tests: skipped on a contributor's machine, a failure in CI.
    if os.environ.get("SALESMETRICS_TEST_BACKENDS") == "required":
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _missing("the browser tests need Debian's chromium: apt-get install -y chromium")
    if not AXE.exists():
        _missing("axe-core is missing: (cd tests/browser && npm ci) (scripts/test.sh does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_digest_at_mail_width_passes_axe(browser: Browser, demo_db: Path, tmp_path: Path,
                                             lang: str) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)  # the shared demo stays as it is
    cli = Cli(db)
    cli("target", "set", "total_revenue", "5000000", "--period", "2026-09")  # off track
    cli("target", "set", "win_rate", "20%")  # on track
    out = tmp_path / f"digest-{lang}.html"
    cli("digest", "--period", "2026-09", "--as-of", "2026-10-15", "--lang", lang, "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert 'data-status="off_track"' in html and 'data-section="attention"' in html

    context = browser.new_context(viewport={"width": 600, "height": 900})
    page = context.new_page()
    page.goto(out.as_uri())
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 600
    images = page.evaluate("[...document.images].map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
    assert len(images) == 2 and all(natural > 0 and 0 < shown <= 560 for natural, shown in images)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"digest-600px-{lang}.png"), full_page=True)
    context.close()
