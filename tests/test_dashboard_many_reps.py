"""A dashboard for a large sales team: the leaderboard lists the first 50 reps by revenue and links to
all of them, and the quota chart draws the highest and lowest, not a bar per rep (a page of 2,000
reps was 5 MB of HTML). The figures are the same; only how many are drawn changes."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from helpers import Cli, write_csv
from salesmetrics.web.app import create_app

REPS = 61  # more than the 50 shown


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder = tmp_path_factory.mktemp("many")
    # Rep i wins one deal of 1,000 + i in June 2026 against a quota of 1,000: attainment 1 + i/1000.
    write_csv(folder / "reps.csv", [{"rep_id": f"R{i:03d}", "name": f"Rep {i:03d}", "team": "all"}
                                   for i in range(REPS)])
    write_csv(folder / "deals.csv", [
        {"deal_id": f"D{i:03d}", "rep_id": f"R{i:03d}", "status": "won", "amount": f"{1000 + i}.00",
         "currency": "EUR", "created_at": "2026-06-01", "closed_at": "2026-06-10"} for i in range(REPS)])
    write_csv(folder / "quotas.csv", [
        {"rep_id": f"R{i:03d}", "period_start": "2026-06-01", "period_end": "2026-06-30",
         "amount": "1000.00", "currency": "EUR"} for i in range(REPS)])
    db = folder / "w.duckdb"
    Cli(db).import_(folder / "reps.csv", folder / "deals.csv", folder / "quotas.csv")
    with TestClient(create_app(db, warm=False)) as c:
        yield c


def _leaderboard_reps(page: str) -> list[str]:
    table = page[page.index('class="leaderboard"'):]
    table = table[:table.index("</table>")]
    return re.findall(r'<tr data-rep="([^"]+)"', table)


def test_the_leaderboard_shows_the_best_fifty_and_links_to_every_rep(client: TestClient) -> None:
    page = client.get("/", params={"period": "2026-06", "lang": "en"}).text
    shown = _leaderboard_reps(page)
    # Best revenue first: R060 (1,060.00) down to R011 (1,011.00).
    assert shown == [f"R{i:03d}" for i in range(60, 10, -1)]
    note = re.search(r'data-reps-shown="(\d+)" data-reps-total="(\d+)">([^<]*)<a href="([^"]+)"', page)
    assert note is not None and note.group(1, 2) == ("50", "61")
    assert "The 50 reps with the most revenue, of 61." in note[3]
    everyone = client.get(note[4].replace("&amp;", "&"))
    assert everyone.status_code == 200
    assert _leaderboard_reps(everyone.text) == [f"R{i:03d}" for i in range(60, -1, -1)]
    assert "data-reps-total" not in everyone.text  # nothing left to offer


def test_the_quota_chart_draws_the_highest_and_lowest(client: TestClient) -> None:
    page = client.get("/", params={"period": "2026-06", "lang": "en"}).text
    assert "The 25 highest and the 25 lowest of 61 reps with a quota." in page
    german = client.get("/", params={"period": "2026-06", "lang": "de"}).text
    assert "Die 25 höchsten und die 25 niedrigsten von 61 Vertriebsmitarbeitern mit Quote." in german
    assert "Die 50 Vertriebsmitarbeiter mit dem meisten Umsatz, von 61." in german
    chart = page[page.index('aria-labelledby="quota-h"'):]
    chart = chart[:chart.index("</figure>")]
    # 61 reps at 100.0 % to 106.0 %: the 25 highest (R060-R036) and 25 lowest (R024-R000), drawn
    # and in the chart's data table; the 11 between are in the leaderboard only.
    drawn = set(re.findall(r"<title>Rep (\d{3}):", chart))
    assert drawn == {f"{i:03d}" for i in [*range(36, 61), *range(25)]}
    # The 100 % line is drawn first, under the names and figures (on a phone the names stand where
    # it runs, and it ran through them), in the wide chart and the narrow one alike.
    for svg in re.findall(r"<svg .*?</svg>", chart, re.S):
        assert svg.index('<line class="reference"') < svg.index('<text class="label"'), svg[:300]


def test_a_bad_reps_value_is_refused_in_words(client: TestClient) -> None:
    r = client.get("/", params={"period": "2026-06", "reps": "some", "lang": "en"})
    assert r.status_code == 400
    assert "reps=&#39;some&#39;: write reps=all" in r.text or "reps='some': write reps=all" in r.text


def test_a_running_periods_quota_chart_says_its_quotas_are_to_date(client: TestClient) -> None:
    """Taken as of a day within it, a period's quotas are pro-rated to its days so far: 117 % beside
    a line "100 % of quota" read as over the quota where 87 % of it was won (a tester). The line and
    the caption say "to date"; a period over says its quota."""
    page = client.get("/", params={"period": "2026-06", "as_of": "2026-06-15", "lang": "en"}).text
    chart = page[page.index('aria-labelledby="quota-h"'):]
    chart = chart[:chart.index("</figure>")]
    assert "100 % of quota to date" in chart
    assert ("Each quota is pro-rated to the days so far: at 100 %, a rep is on pace for the whole of "
            "it.") in chart
    # Rep 000's 1,000.00 against half of June's 1,000.00 (15 of 30 days): 200 %.
    assert re.search(r"<title>Rep 000: 200\.0 %", chart)
    german = client.get("/", params={"period": "2026-06", "as_of": "2026-06-15", "lang": "de"}).text
    assert "100 % der bisherigen Quote" in german and "Jede Quote anteilig für die bisherigen Tage" in german
    whole = client.get("/", params={"period": "2026-06", "lang": "en"}).text
    chart = whole[whole.index('aria-labelledby="quota-h"'):]
    chart = chart[:chart.index("</figure>")]
    assert "100 % of quota" in chart and "to date" not in chart and "pro-rated to the days" not in chart
