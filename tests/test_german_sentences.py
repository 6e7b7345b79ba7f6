"""German sentences write numbers the German way, through Babel (text/numbers.py), and translate
their words (issue 10 follow-up, defect 10): the scorecard's diagnosis, the activities' titles, the
cycle's explanation. On the demo workspace (seed 42, as of 2026-10-15)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Cli


def test_the_diagnosis_writes_german_numbers(demo_db: Path) -> None:
    cli = Cli(demo_db, columns=200)
    card = json.loads(cli("scorecard", "R004", "--period", "2026-Q3", "--format", "json").stdout)
    figures = card["diagnosis"]["figures"]
    # R004 in the third quarter: 1,009 activities over 44 closed deals (22.93 each); the team's
    # median rep 11.59.
    assert (figures["activities"], figures["activities_per_closed_deal"]) == (1009, 22.93)
    german = " ".join(cli("scorecard", "R004", "--period", "2026-Q3", "--lang", "de").stdout.split())
    english = " ".join(cli("scorecard", "R004", "--period", "2026-Q3").stdout.split())

    assert "1.009 Aktivitäten (Team-Median 363), 22,93 je abgeschlossenem Deal (Team 11,59)" in german
    assert "1,009 activities (team median 363), 22.93 per closed deal (team 11.59)" in english
    assert "1.009 Aktivitäten" in card["diagnosis"]["text_de"] and "22,93" in card["diagnosis"]["text_de"]


def test_the_activities_titles_are_german(demo_db: Path) -> None:
    cli = Cli(demo_db, columns=200)
    german = " ".join(cli("activities", "--period", "2026-Q3", "--by", "team", "--lang", "de").stdout.split())
    english = " ".join(cli("activities", "--period", "2026-Q3", "--by", "team").stdout.split())

    assert "Team: central, abgeschlossene Deals:" in german and "Termin→Gewinn" in german
    assert "Demo→Gewinn" in german
    assert "meeting→win" not in german and "team: central" not in german
    assert "Team: central, closed deals:" in english and "meeting→win" in english

