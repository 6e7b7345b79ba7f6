"""No figure a reader looks for is a bare dash, and an empty one gives the right reason (issue 10
follow-up, items 13 and 14): a Kaplan-Meier median target in `target status`, the cycle of a period
without deals, ramp time without hire dates (in every face), activities without activities, the
weighted pipeline without stage history.

The records are test_headlines': October 2026, jim wins w1 after 10 days; o1, o2 and o3 are still
open on 1 November at 61, 11 and 91 days, so the Kaplan-Meier median lies beyond 91 days. No NPS
answers, no quotas, no hire dates, no activities, no stage history."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics.web.app import create_app
from test_headlines import filled, value_cells  # noqa: F401  (filled: the fixture)


def cells(text: str, first: str) -> list[str]:
    """The cells of the table line whose first cell is ``first``."""
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("│")]
        if len(parts) > 2 and parts[1] == first:
            return parts[2:-1]
    raise AssertionError(f"no line {first!r} in\n{text}")


def test_a_median_target_reads_over_n_days_and_is_judged_where_it_can_be(filled: Cli) -> None:  # noqa: F811
    filled("target", "set", "sales_cycle_median_km", "60", "--period", "2026-10")
    [status] = json.loads(filled("target", "status", "--period", "2026-10", "--format", "json").stdout)
    # Beyond 91 days already, so past a target of 60: off track, by how much not known yet.
    assert status["value"] is None and status["lower_bound"] == 91
    assert status["status"] == "off_track" and status["pace"] is None
    text = filled("target", "status", "--period", "2026-10").stdout
    value, target, pace, state = cells(text, "Sales cycle (median, open deals counted)")[1:5]
    assert (value, target, pace, state) == ("over 91 days", "60 days", "", "missed")

    filled("target", "set", "sales_cycle_median_km", "120", "--period", "2026-10")
    [status] = json.loads(filled("target", "status", "--period", "2026-10", "--format", "json").stdout)
    assert status["status"] is None  # beyond 91 days may still be under 120
    text = filled("target", "status", "--period", "2026-10").stdout
    value, _, pace, state = cells(text, "Sales cycle (median, open deals counted)")[1:5]
    # October is over: it will never be judged, not "yet" (a tester read a past week's as pending).
    assert (value, pace, state) == ("over 91 days", "", "not judged")
    report = filled("report", "--period", "2026-10", "--kpi", "sales_cycle_median_km").stdout
    assert "–" not in cells(report, "Sales cycle (median, open deals counted)")


def test_the_cycle_of_a_period_without_deals_says_so(filled: Cli) -> None:  # noqa: F811
    text = " ".join(filled("cycle", "--period", "2020").stdout.split())
    german = " ".join(filled("cycle", "--period", "2020", "--lang", "de").stdout.split())
    assert "No deal was won or open in this period: there is no sales cycle to measure." in text
    assert "Kein Deal wurde in diesem Zeitraum gewonnen oder war offen" in german
    for said in (text, german):
        assert "–" not in said.split(",", 1)[1] and "not reached days" not in said


def test_a_cycle_without_wins_but_open_deals_says_what_it_can(filled: Cli) -> None:  # noqa: F811
    # September: o1 created, o3 open since 2 August, nothing won: the median lies beyond o3's 60 days.
    text = " ".join(filled("cycle", "--period", "2026-09").stdout.split())
    assert "No deal was won in this period, so there is no average" in text
    assert "Kaplan-Meier median over 60 days with 2 deals still open" in text
    assert "Average – days" not in text
    # November holds no record at all: the deals left open say nothing of it, and no "days" follow.
    empty = " ".join(filled("cycle", "--period", "2026-11").stdout.split())
    assert "no median either" in empty and "not reached days" not in empty


def test_ramp_time_without_hire_dates_says_so_in_every_face(filled: Cli) -> None:  # noqa: F811
    [row] = filled.report("--period", "2026-10", "--kpi", "ramp_time")["rows"]
    assert row["value"] is None and row["flags"] == ["no_hire_dates"]
    report = filled("report", "--period", "2026-10", "--kpi", "ramp_time").stdout
    summary = value_cells(filled("summary", "--period", "2026-10").stdout)
    german = value_cells(filled("summary", "--period", "2026-10", "--lang", "de").stdout)
    rep = filled("rep", "jim", "--period", "2026-10").stdout
    assert "no hire dates" in report and "no new rep ramped" not in report
    assert summary["Ramp time"] == "no hire dates"
    assert german["Einarbeitungszeit"] == "keine Einstellungsdaten"
    assert cells(rep, "Ramp time") == ["no hire dates", "no hire dates"]
    with TestClient(create_app(filled.db, warm=False)) as client:
        page = client.get("/", params={"period": "2026-10"}).text
        api = client.get("/api/v1/summary", params={"period": "2026-10"}).json()
    tile = re.search(r'<article class="tile" data-kpi="ramp_time".*?</article>', page, re.S)
    assert tile and "no hire dates" in tile[0] and "no new rep ramped" not in tile[0]
    ramp = next(h for h in api["headlines"] if h["kpi"] == "ramp_time")
    assert ramp["flags"] == ["no_hire_dates"]


def test_ramp_time_with_hire_dates_and_none_ramped_keeps_its_words(filled: Cli, csvs: Any) -> None:  # noqa: F811
    filled.import_(csvs("reps", [{"rep_id": "jim", "name": "Jim Halpert", "team": "east",
                                  "hired_on": "2016-01-01"}]))
    [row] = filled.report("--period", "2026-10", "--kpi", "ramp_time")["rows"]
    assert row["flags"] == ["no_data"]
    assert "no new rep ramped" in filled("report", "--period", "2026-10", "--kpi", "ramp_time").stdout


@pytest.mark.parametrize("lang", ["en", "de"])
def test_activities_without_activities_show_no_zero_ratios(filled: Cli, lang: str) -> None:  # noqa: F811
    text = " ".join(filled("activities", "--period", "2026-10", "--lang", lang).stdout.split())
    assert "0 / 0" not in text and "–" not in text
    assert ("No activities are logged on the closed deals" if lang == "en" else
            "Keine Aktivitäten an den abgeschlossenen Deals") in text
    with TestClient(create_app(filled.db, warm=False)) as client:
        page = client.get("/insights", params={"period": "2026-10", "lang": lang}).text
    lead = re.search(r'id="effectiveness".*?<p class="lead">(.*?)</p>', page, re.S)
    assert lead and lead[1] == ("Closed deals: 1, won: 1." if lang == "en" else
                                "Abgeschlossene Deals: 1, gewonnen: 1.")


def test_weighted_pipeline_without_stage_history_is_null_with_a_reason_everywhere(filled: Cli) -> None:  # noqa: F811
    data = json.loads(filled("funnel", "--period", "2026-10", "--format", "json").stdout)
    weighted = data["weighted_pipeline"]
    assert weighted["value"] is None and weighted["reason"] == "no_stage_history"
    assert weighted["open_amount"] == 3000
    text = filled("funnel", "--period", "2026-10").stdout
    assert cells(text, "weighted pipeline") == ["no stage history"]
    with TestClient(create_app(filled.db, warm=False)) as client:
        api = client.get("/api/v1/funnel", params={"period": "2026-10"}).json()
        page = client.get("/insights", params={"period": "2026-10"}).text
    assert api["weighted_pipeline"]["value"] is None
    assert api["weighted_pipeline"]["reason"] == "no_stage_history"
    weighted_cell = re.search(r"<dt>Weighted pipeline</dt><dd>(.*?)</dd>", page, re.S)
    assert weighted_cell and weighted_cell[1] == "no stage history"
