"""Each CRM's expected close date, forecast category and probability, from exports shaped like the
vendor's own (tests/fixtures/crm/forecast/), through `import --from` and `forecast`."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import Cli
from salesmetrics.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "crm" / "forecast"


def deals(cli: Cli) -> dict[str, tuple[Any, ...]]:
    with Workspace.open(cli.db, read_only=True) as ws:
        rows = ws.connection.execute(
            "SELECT deal_id, status, expected_close_on, forecast_category, probability FROM deals"
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


def total(cli: Cli) -> dict[str, Any]:
    out = cli("forecast", "--period", "2026-Q3", "--as-of", "2026-08-01", "--format", "json").stdout
    data: dict[str, Any] = json.loads(out, parse_float=Decimal)["total"]
    return {k: data[k] for k in ("closed_won", "commit", "best_case", "pipeline", "omitted", "weighted",
                                 "unweighted")}


def p(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.000001"))


def test_hubspot(cli: Cli) -> None:
    cli("config", "set", "time_zone", "Europe/Berlin")
    cli("import", "--quiet", "--from", "hubspot", str(FIXTURES / "hubspot"))
    assert deals(cli) == {
        # closedate of an open deal is its expected day, in the workspace's zone: 16:00 UTC on
        # Sep 30 is Sep 30 in Berlin, 22:30 UTC on Aug 31 is already Sep 1.
        "501": ("open", date(2026, 9, 30), "commit", p("0.9")),
        "502": ("open", date(2026, 11, 15), "best_case", p("0.4")),
        "503": ("won", None, None, p("1")),  # closed: its close date is closed_at, no category
        "504": ("open", date(2026, 9, 1), "omitted", p("0.2")),
        "505": ("open", date(2026, 9, 1), "pipeline", None),
    }
    assert total(cli) == {
        "closed_won": Decimal("5000.00"), "commit": Decimal("12000.00"), "best_case": Decimal("0.00"),
        "pipeline": Decimal("6000.00"), "omitted": Decimal("3000.00"),
        "weighted": Decimal("15800.00"),  # 5,000 + 12,000 x 0.9; 505 has no probability
        "unweighted": Decimal("6000.00")}
    # Said with its amount, as the overdue and undated deals are (a tester: "deals without a
    # probability are not weighted" left out how much).
    said = " ".join(cli("forecast", "--period", "2026-Q3", "--as-of", "2026-08-01").stdout.split())
    assert ("1 deal (€6,000.00) has no probability of its own or of its stage: the weighted forecast "
            "leaves it out.") in said, said


def test_the_forecast_page_says_what_is_omitted_and_lists_it(cli: Cli) -> None:
    """The page told of omitted deals ("shown apart") in a tooltip only, with no total and no way
    to them but typing ?bar=omitted."""
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    cli("import", "--quiet", "--from", "salesforce", str(FIXTURES / "salesforce"))
    with TestClient(create_app(cli.db, warm=False)) as client:
        page = client.get("/forecast", params={"period": "2026-Q3", "as_of": "2026-08-01", "lang": "en"}).text
        note = re.search(r'<p class="note" id="omitted-note">(.*?)</p>', page, re.S)
        assert note is not None and "Deals marked omitted, $8,000.00 in all, count in no bar." in note[1]
        link = re.search(r'href="([^"]+)"', note[1])
        assert link is not None
        listed = client.get(html.unescape(link[1])).text
        assert 'data-bar="omitted"' in listed and "0065g00000BBBB4AAA" in listed


def test_salesforce(cli: Cli) -> None:
    cli("import", "--quiet", "--from", "salesforce", str(FIXTURES / "salesforce"))
    found = deals(cli)
    assert found["0065g00000BBBB1AAA"] == ("open", date(2026, 9, 15), "commit", p("0.9"))
    assert found["0065g00000BBBB2AAA"] == ("open", date(2026, 8, 20), "best_case", p("0.75"))
    assert found["0065g00000BBBB3AAA"] == ("won", None, None, p("1"))
    assert found["0065g00000BBBB4AAA"] == ("open", date(2026, 9, 30), "omitted", p("0.1"))
    assert found["0065g00000BBBB5AAA"] == ("open", date(2026, 9, 25), "pipeline", p("0.2"))
    # "Most Likely" lies between commit and best case: it counts as best case.
    assert found["0065g00000BBBB6AAA"] == ("open", date(2026, 9, 28), "best_case", p("0.6"))
    assert total(cli) == {
        "closed_won": Decimal("4000.00"), "commit": Decimal("25000.00"),
        "best_case": Decimal("15000.00"), "pipeline": Decimal("6000.00"), "omitted": Decimal("8000.00"),
        # 4,000 + 25,000 x 0.9 + 10,000 x 0.75 + 6,000 x 0.2 + 5,000 x 0.6
        "weighted": Decimal("38200.00"), "unweighted": Decimal("0.00")}


def test_pipedrive(cli: Cli) -> None:
    cli("import", "--quiet", "--from", "pipedrive", str(FIXTURES / "pipedrive"))
    assert deals(cli) == {
        "201": ("open", date(2026, 9, 30), None, p("0.8")),
        "202": ("open", date(2026, 10, 15), None, None),
        "203": ("won", date(2026, 7, 5), None, p("1")),
    }
    # Pipedrive has no categories: open deals of the quarter are pipeline.
    assert total(cli) == {
        "closed_won": Decimal("1500.00"), "commit": Decimal("0.00"), "best_case": Decimal("0.00"),
        "pipeline": Decimal("9000.00"), "omitted": Decimal("0.00"), "weighted": Decimal("8700.00"),
        "unweighted": Decimal("0.00")}


def test_close(cli: Cli) -> None:
    cli("import", "--quiet", "--from", "close", str(FIXTURES / "close"))
    assert deals(cli) == {
        "oppo_11": ("open", date(2026, 9, 30), None, p("0.6")),
        "oppo_12": ("won", None, None, p("1")),  # date_won of a won one is its close, not a forecast
        "oppo_13": ("open", date(2026, 8, 14), None, None),
    }
    assert total(cli) == {
        "closed_won": Decimal("5000.00"), "commit": Decimal("0.00"), "best_case": Decimal("0.00"),
        "pipeline": Decimal("15000.00"), "omitted": Decimal("0.00"), "weighted": Decimal("12200.00"),
        "unweighted": Decimal("3000.00")}


def test_a_vendor_probability_over_100_percent_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = (FIXTURES / "salesforce" / "opportunities.csv").read_text(encoding="utf-8")
    bad = tmp_path / "opportunities.csv"
    bad.write_text(text.replace("Commit,90", "Commit,150"), encoding="utf-8")
    result = cli("import", "--quiet", "--from", "salesforce", str(bad), ok=False)
    message = " ".join(result.stderr.split())
    assert result.exit_code == 1
    assert "line 2, column 'Probability': must be at most 100% (value '150')" in message
    assert not cli.db.exists()  # a refused first import leaves no workspace


def test_an_unknown_vendor_category_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = (FIXTURES / "hubspot" / "deals.csv").read_text(encoding="utf-8")
    bad = tmp_path / "deals.csv"
    bad.write_text(text.replace("BEST_CASE", "UPSIDE"), encoding="utf-8")
    result = cli("import", "--quiet", "--from", "hubspot", str(bad), ok=False)
    message = " ".join(result.stderr.split())
    assert ("line 3, column 'hs_forecast_category': must be one of commit, best_case, pipeline, "
            "omitted (value 'UPSIDE')") in message
