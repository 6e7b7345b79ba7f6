"""Insights that do not mislead: activity effectiveness says its revenue column overlaps, the funnel's
counts add up (or the line says why), and missing records are explained in words, not shown as zeros:
through the CLI, the JSON and the page, in English and German."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import Cli, write_csv
from salesmetrics.web.app import create_app


def flat(text: str) -> str:
    """Output in one line without table frames: wrapped text reads as one phrase."""
    return " ".join(re.sub(r"[│┃┏┓┗┛┡┩└┘┌┐━─╇╈╋┳┻┼├┤═]", " ", text).split())


def text_of(markup: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli(*args, "--format", "json").stdout)


def deal(deal_id: str, rep: str, status: str, amount: str, created: str, closed: str | None = None,
         pipeline: str = "new") -> dict[str, Any]:
    return {"deal_id": deal_id, "rep_id": rep, "account": f"acct-{deal_id}", "created_at": created,
            "closed_at": closed, "status": status, "amount": amount, "currency": "USD",
            "pipeline": pipeline}


# -- activity effectiveness ------------------------------------------------------------------------
# October: d1 won $1,000 (a call, an email and a meeting), d2 won $2,000 (a call and an email), d3 lost
# (a call). The team's revenue is $3,000; the call's and the email's deals are worth $3,000 each.
@pytest.fixture
def worked(tmp_path: Path) -> Cli:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "jim", "name": "Jim", "team": "east"}])
    write_csv(folder / "deals.csv", [
        deal("d1", "jim", "won", "1000.00", "2026-09-01T09:00:00", "2026-10-05T09:00:00"),
        deal("d2", "jim", "won", "2000.00", "2026-09-01T09:00:00", "2026-10-06T09:00:00"),
        deal("d3", "jim", "lost", "500.00", "2026-09-01T09:00:00", "2026-10-07T09:00:00")])
    acts = [("d1", "call"), ("d1", "email"), ("d1", "meeting"), ("d2", "call"), ("d2", "email"),
            ("d3", "call")]
    write_csv(folder / "activities.csv", [
        {"activity_id": f"a{i}", "rep_id": "jim", "type": t, "occurred_at": "2026-09-20T10:00:00",
         "deal_id": d} for i, (d, t) in enumerate(acts)])
    cli = Cli(tmp_path / "work.duckdb")
    cli.import_(folder)
    return cli


def test_activity_revenue_is_named_for_what_it_is_and_never_reads_as_additive(worked: Cli) -> None:
    data = as_json(worked, "activities", "--period", "2026-10")
    [group] = data["groups"]
    revenue = {t["activity_type"]: t["revenue_with"] for t in group["types"]}
    assert revenue == {"call": 3000, "email": 3000, "meeting": 1000}  # overlapping, by design
    assert group["revenue_won"] == 3000

    out = flat(worked("activities", "--period", "2026-10").stdout)
    assert "revenue of" in out and "deals with it" in out
    assert ("Association, not cause: good deals get demos. 'Revenue of deals with it' is the revenue of "
            "the won deals that had the activity; a deal with a call, an email and a meeting counts "
            "under all three. The rows overlap and do not add up to revenue (won deals in all: "
            "$3,000.00).") in out
    german = flat(worked("activities", "--period", "2026-10", "--lang", "de").stdout)
    assert "Zusammenhang, keine Ursache" in german and "gewonnene Deals insgesamt: 3.000,00 $" in german
    by_rep = flat(worked("activities", "--period", "2026-10", "--by", "rep").stdout)
    assert "do not add up to the group's revenue." in by_rep


def test_the_page_names_the_column_and_says_it_overlaps(worked: Cli) -> None:
    with TestClient(create_app(worked.db, warm=False)) as c:
        page = c.get("/insights", params={"period": "2026-10", "lang": "en"}).text
        german = c.get("/insights", params={"period": "2026-10", "lang": "de"}).text
    assert ">Revenue of deals with it</th>" in page
    note = re.search(r'<p class="note" id="effectiveness-note">(.*?)</p>', page, re.S)
    assert note and text_of(note[1]).endswith(
        "the revenue of deals with each type overlaps and does not add up to revenue (won deals in "
        "all: $3,000.00).")
    assert ">Umsatz der Deals damit</th>" in german and "3.000,00\xa0$" in german


# -- funnel ----------------------------------------------------------------------------------------
def stage(deal_id: str, name: str, day: str) -> dict[str, str]:
    return {"deal_id": deal_id, "stage": name, "entered_at": f"{day}T09:00:00"}


# Stage order: qualification, discovery, proposal. In October:
# d0 (jim, in qualification since September) moves to discovery on Oct 2 and is still there;
# d1 (jim) qualification -> proposal (skips discovery) -> won;
# d2 (ann) qualification -> discovery -> qualification again (moved back) -> lost;
# d3 (ann, pipeline "expansion") qualification -> discovery -> proposal, still open.
HISTORY = [
    stage("d0", "qualification", "2026-09-20"), stage("d0", "discovery", "2026-10-02"),
    stage("d1", "qualification", "2026-10-01"), stage("d1", "proposal", "2026-10-05"),
    stage("d1", "closed won", "2026-10-20"),
    stage("d2", "qualification", "2026-10-02"), stage("d2", "discovery", "2026-10-06"),
    stage("d2", "qualification", "2026-10-09"), stage("d2", "closed lost", "2026-10-12"),
    stage("d3", "qualification", "2026-10-03"), stage("d3", "discovery", "2026-10-04"),
    stage("d3", "proposal", "2026-10-08"),
    # Earlier deals teach the stage order and the history rates.
    stage("h1", "qualification", "2026-06-01"), stage("h1", "discovery", "2026-06-05"),
    stage("h1", "proposal", "2026-06-10"), stage("h1", "closed won", "2026-06-20"),
]


@pytest.fixture
def stages(tmp_path: Path) -> Cli:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "jim", "name": "Jim", "team": "east"},
                                    {"rep_id": "ann", "name": "Ann", "team": "west"}])
    write_csv(folder / "deals.csv", [
        deal("h1", "jim", "won", "900.00", "2026-06-01T09:00:00", "2026-06-20T09:00:00"),
        deal("d0", "jim", "open", "4000.00", "2026-09-20T09:00:00"),
        deal("d1", "jim", "won", "1000.00", "2026-10-01T09:00:00", "2026-10-20T09:00:00"),
        deal("d2", "ann", "lost", "2000.00", "2026-10-02T09:00:00", "2026-10-12T09:00:00"),
        deal("d3", "ann", "open", "3000.00", "2026-10-03T09:00:00", pipeline="expansion")])
    write_csv(folder / "stage_history.csv", HISTORY)
    cli = Cli(tmp_path / "work.duckdb")
    cli.import_(folder)
    return cli


def counts(line: dict[str, Any]) -> tuple[int, ...]:
    return tuple(line[k] for k in ("open_at_start", "entered", "advanced", "dropped", "moved_back",
                                   "still_open", "skipped"))


def test_funnel_counts_add_up_and_the_line_explains_skips_and_returns(stages: Cli) -> None:
    f = as_json(stages, "funnel", "--period", "2026-10", "--as-of", "2026-11-15")
    lines = {s["stage"]: s for s in f["stages"]}
    assert list(lines) == ["qualification", "discovery", "proposal"]
    # qualification: d0 in it at the start; entered by d1, d2 (twice) and d3; d0, d1, d2, d3 advanced
    # (d1 past discovery: skipped), d2's second stay lost, none left.
    assert counts(lines["qualification"]) == (1, 4, 4, 1, 0, 0, 1)
    # discovery: entered by d0, d2, d3; d2 moved back, d3 advanced, d0 still in it.
    assert counts(lines["discovery"]) == (0, 3, 1, 0, 1, 1, 0)
    # proposal: entered by d1 and d3; d1 won from it, d3 still in it.
    assert counts(lines["proposal"]) == (0, 2, 1, 0, 0, 1, 0)
    for line in lines.values():  # every row adds up
        start, entered, advanced, dropped, back, still, _ = counts(line)
        assert start + entered == advanced + dropped + back + still

    out = flat(stages("funnel", "--period", "2026-10", "--as-of", "2026-11-15").stdout)
    assert "at start" in out and "moved back" in out
    assert ("Each row adds up: at start + entered = advanced + dropped + moved back + open. Advanced "
            "means to any later stage or won: 1 of those skipped the next stage, so a stage's advanced "
            "can exceed the next one's entered; moved back (1) counts moves to an earlier stage and "
            "re-entering the same one.") in out
    german = flat(stages("funnel", "--period", "2026-10", "--as-of", "2026-11-15", "--lang", "de").stdout)
    assert "Jede Zeile geht auf: zu Beginn + eingetreten = weiter + ausgeschieden + zurück + offen." in german

    # A cohort (deals created in October: d1, d2, d3) has nothing in it at the start.
    cohort = as_json(stages, "funnel", "--period", "2026-10", "--cohort", "--as-of", "2026-11-15")
    q = {s["stage"]: s for s in cohort["stages"]}["qualification"]
    assert counts(q) == (0, 4, 3, 1, 0, 0, 1)
    assert "Each row adds up: entered = advanced" in flat(
        stages("funnel", "--period", "2026-10", "--cohort", "--as-of", "2026-11-15").stdout)


def test_a_reopened_won_deal_leaves_won_an_outcome(stages: Cli, tmp_path: Path) -> None:
    """d5 was won from proposal on Oct 10, reopened into proposal on Oct 14 and won again on Oct 18.
    Its "closed won" in the middle made "closed won" a step of every deal's funnel (a stage after
    proposal, with d1's and h1's wins "still open" in it). Won stays an outcome: proposal is entered
    by d1, d3 and d5 twice, and advanced by d1 and d5 twice (won each time), d3 still in it."""
    more = tmp_path / "reopened"
    write_csv(more / "deals.csv", [deal("d5", "jim", "won", "500.00", "2026-10-05T09:00:00",
                                        "2026-10-18T09:00:00")])
    write_csv(more / "stage_history.csv", [
        stage("d5", "qualification", "2026-10-05"), stage("d5", "proposal", "2026-10-07"),
        stage("d5", "closed won", "2026-10-10"), stage("d5", "proposal", "2026-10-14"),
        stage("d5", "closed won", "2026-10-18")])
    stages.import_(more)
    f = as_json(stages, "funnel", "--period", "2026-10", "--as-of", "2026-11-15")
    lines = {s["stage"]: s for s in f["stages"]}
    assert list(lines) == ["qualification", "discovery", "proposal"]
    # at start, entered, advanced, dropped, moved back, still open, skipped
    assert counts(lines["proposal"]) == (0, 4, 3, 0, 0, 1, 0)
    assert counts(lines["qualification"]) == (1, 5, 5, 1, 0, 0, 2)
    # d5's first stay in proposal ends as it was won (3 days), not as it was reopened (7).
    assert (lines["proposal"]["days_in_stage_median"], lines["proposal"]["stays"]) == (4.0, 3)  # 15, 3, 4


def test_an_outcome_a_deal_stands_in_or_was_reopened_from(tmp_path: Path) -> None:
    """The review, of the reopened deals' rule. x1 was won from proposal on Oct 3, reopened and lost
    on Oct 20: its stay in proposal ends as it was won (1 day, advanced), not at the loss (18
    days, dropped). "lost contact", where three deals were lost, is a step: o1 stands open in it.
    A stage first entered after the funnel's end is no outcome yet."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "jim", "name": "Jim", "team": "east"}])
    ends = {"w1": ("won", "05"), "w2": ("won", "08"), "x1": ("lost", "20"), "l1": ("lost", "06"),
            "l2": ("lost", "06"), "l3": ("lost", "06"), "o1": ("open", "")}
    write_csv(folder / "deals.csv", [
        {**deal(i, "jim", status, "1000.00", "2026-10-01T08:00:00",
                f"2026-10-{day}T09:00:00" if day else None), "stage": "lost contact" if i == "o1" else ""}
        for i, (status, day) in ends.items()])
    moves = {"w1": [("qualification", "01"), ("proposal", "03"), ("closed won", "05")],
             "w2": [("qualification", "01"), ("proposal", "04"), ("closed won", "08")],
             "x1": [("qualification", "01"), ("proposal", "02"), ("closed won", "03"), ("closed lost", "20")],
             "o1": [("qualification", "01"), ("lost contact", "10")],
             **{i: [("qualification", "01"), ("lost contact", "05")] for i in ("l1", "l2", "l3")}}
    write_csv(folder / "stage_history.csv", [stage(i, name, f"2026-10-{day}") for i, seq in moves.items()
                                             for name, day in seq])
    cli = Cli(tmp_path / "work.duckdb")
    cli.import_(folder)
    f = as_json(cli, "funnel", "--period", "2026-10", "--as-of", "2026-11-15")
    lines = {s["stage"]: s for s in f["stages"]}
    assert list(lines) == ["qualification", "lost contact", "proposal"]
    assert counts(lines["proposal"]) == (0, 3, 3, 0, 0, 0, 0)
    assert lines["proposal"]["days_in_stage_median"] == 2.0  # w1 2, w2 4, x1 1
    assert counts(lines["lost contact"]) == (0, 4, 0, 3, 0, 1, 0)
    early = cli("funnel", "--period", "2026-10", "--as-of", "2026-10-15", "--probability", "closed lost=0",
                ok=False)
    said = " ".join(early.stderr.split())
    assert early.exit_code == 2 and "outcome" not in said and "no stage 'closed lost'" in said, said


def test_funnel_by_rep_team_or_pipeline_and_filtered_like_report(stages: Cli) -> None:
    args = ("funnel", "--period", "2026-10", "--as-of", "2026-11-15")
    by_rep = as_json(stages, *args, "--by", "rep")
    assert by_rep["by"] == "rep" and [g["rep"] for g in by_rep["groups"]] == ["ann", "jim"]
    groups = {g["rep"]: {s["stage"]: s for s in g["stages"]} for g in by_rep["groups"]}
    assert counts(groups["jim"]["qualification"]) == (1, 1, 2, 0, 0, 0, 1)  # d0, d1
    assert counts(groups["ann"]["qualification"]) == (0, 3, 2, 1, 0, 0, 0)  # d2 twice, d3
    jim = {g["rep"]: g for g in by_rep["groups"]}["jim"]
    assert jim["velocity"]["open_deals"] == 1 and jim["weighted_pipeline"]["open_amount"] == 4000
    # The whole stays beside the groups, as without --by.
    assert counts({s["stage"]: s for s in by_rep["stages"]}["qualification"]) == (1, 4, 4, 1, 0, 0, 1)

    by_pipeline = as_json(stages, *args, "--by", "pipeline")
    assert [g["pipeline"] for g in by_pipeline["groups"]] == ["expansion", "new"]
    east = as_json(stages, *args, "--filter", "team=east")
    assert counts({s["stage"]: s for s in east["stages"]}["qualification"]) == (1, 1, 2, 0, 0, 0, 1)
    both = as_json(stages, *args, "--filter", "team=west", "--by", "pipeline")
    assert [g["pipeline"] for g in both["groups"]] == ["expansion", "new"]

    table = stages(*args, "--by", "team").stdout
    assert re.search(r"east +│ qualifi\S* +│ +1 │ +1 │ +2 │ +0 │ +0 │ +0 │", table)
    assert re.search(r"west +│ qualifi\S* +│ +0 │ +3 │ +2 │ +1 │ +0 │ +0 │", table)
    bad = stages(*args, "--by", "product", ok=False)
    assert bad.exit_code == 2 and "the funnel is by rep, team, pipeline, not 'product'" in bad.stderr
    assert stages(*args, "--filter", "team", ok=False).exit_code == 2


def test_the_api_funnel_and_activities_take_what_their_commands_take(stages: Cli) -> None:
    """/api/v1/funnel took no by, cohort or probability, and /api/v1/activities no by: a script could
    not ask what `salesmetrics funnel --by rep` answers."""
    args = ("--period", "2026-10", "--as-of", "2026-11-15")
    asked = {"period": "2026-10", "as_of": "2026-11-15"}
    with TestClient(create_app(stages.db, warm=False)) as c:
        for extra, params in ((("--by", "rep"), {"by": "rep"}), (("--cohort",), {"cohort": "true"}),
                              (("--probability", "qualification=0.2", "--probability", "proposal=40%"),
                               {"probability": ["qualification=0.2", "proposal=40%"]})):
            api = c.get("/api/v1/funnel", params={**asked, **params})
            assert api.status_code == 200, api.text
            assert api.json() == as_json(stages, "funnel", *args, *extra), extra
        given = c.get("/api/v1/funnel", params={**asked, "probability": "proposal=40%"}).json()
        assert given["weighted_pipeline"]["source"]["proposal"] == "given"
        bad = c.get("/api/v1/funnel", params={**asked, "probability": "proposal=2"})
        assert bad.status_code == 400 and "write STAGE=P with P from 0 to 1" in bad.json()["error"]["message"]
        german = stages("funnel", *args, "--probability", "proposal=2", "--lang", "de", ok=False)
        said = " ".join(german.stderr.split())
        assert german.exit_code == 2 and ("Fehler: --probability: Wahrscheinlichkeit 'proposal=2': "
                                          "schreiben Sie PHASE=P mit P von 0 bis 1") in said, said
        by_team = c.get("/api/v1/activities", params={**asked, "by": "team"})
        assert by_team.status_code == 200
        assert by_team.json() == as_json(stages, "activities", *args, "--by", "team")
        assert [g["team"] for g in by_team.json()["groups"]] == ["east", "west"]


def test_a_probability_for_an_outcome_is_refused_as_one(stages: Cli) -> None:
    """A tester: "closed won=1" was refused as "no stage 'closed won'", beside a stage history
    where every won deal ends in it. It is an outcome, not a stage a deal stands open in."""
    args = ("funnel", "--period", "2026-10", "--as-of", "2026-11-15")
    said = stages(*args, "--probability", "Closed Won=1", ok=False)
    assert said.exit_code == 2
    assert ("'closed won' is an outcome, not an open stage: a probability weighs the deals open in a "
            "stage (discovery, proposal, qualification)") in " ".join(said.stderr.split())
    german = stages(*args, "--probability", "closed lost=0", "--lang", "de", ok=False)
    assert "'closed lost' ist ein Ausgang, keine offene Phase" in " ".join(german.stderr.split())
    typo = stages(*args, "--probability", "proposl=0.5", ok=False)
    assert "outcome" not in typo.stderr and "'proposal'" in typo.stderr
    with TestClient(create_app(stages.db, warm=False)) as c:
        api = c.get("/api/v1/funnel", params={"period": "2026-10", "as_of": "2026-11-15",
                                              "probability": "closed won=1"})
        assert api.status_code == 400 and "is an outcome" in api.json()["error"]["message"]


def test_the_page_shows_the_funnel_adding_up(stages: Cli) -> None:
    with TestClient(create_app(stages.db, warm=False)) as c:
        page = c.get("/insights", params={"period": "2026-10", "as_of": "2026-11-15", "lang": "en"}).text
        german = c.get("/insights", params={"period": "2026-10", "as_of": "2026-11-15", "lang": "de"}).text
    row = re.search(r'<tr data-stage="discovery">(.*?)</tr>', page, re.S)
    assert row and text_of(row[1]).startswith("discovery 0 3 1 0 1 1")
    assert ">In it at the start</th>" in page and ">Moved back</th>" in page
    note = re.search(r'<p class="note" id="funnel-adds-up">(.*?)</p>', page, re.S)
    assert note and text_of(note[1]).startswith(
        "Each row adds up: in it at the start + entered = advanced + dropped out + moved back + still in "
        "it. Advanced means to any later stage or won: 1 of those skipped the next stage")
    assert "Jede Zeile geht auf: zu Beginn darin + eingetreten" in german


# -- missing records ---------------------------------------------------------------------------------
def test_funnel_without_stage_history_says_so(worked: Cli) -> None:
    out = flat(worked("funnel", "--period", "2026-10").stdout)
    assert out.startswith("No stage history imported: the funnel is read from stage_history (deal_id, "
                          "stage, entered_at).")
    assert "weighted pipeline no stage history" in out  # nothing could be weighted: not a zero
    assert as_json(worked, "funnel", "--period", "2026-10")["has_stage_history"] is False
    german = flat(worked("funnel", "--period", "2026-10", "--lang", "de").stdout)
    assert german.startswith("Kein Phasenverlauf importiert")
    with TestClient(create_app(worked.db, warm=False)) as c:
        page = c.get("/insights", params={"period": "2026-10", "lang": "en"}).text
    assert "No stage history imported: the funnel is read from stage_history" in page


def test_funnel_with_stage_history_but_none_in_the_period_says_so(stages: Cli) -> None:
    out = flat(stages("funnel", "--period", "2026-03", "--as-of", "2026-11-15").stdout)
    assert out.startswith("No deal was in any stage during this period, by the stage history.")


# Six reps in one team, 12 closed deals each in October, no activities imported.
@pytest.fixture
def quiet_team(tmp_path: Path) -> Iterator[Cli]:
    folder = tmp_path / "records"
    wins = {"low": 1, "mid1": 5, "mid2": 5, "mid3": 6, "mid4": 6, "high": 11}
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r.title(), "team": "east"} for r in wins])
    write_csv(folder / "deals.csv", [
        deal(f"{rep}-{i}", rep, "won" if i < won else "lost", "1000.00", "2026-09-01T09:00:00",
             f"2026-10-{1 + i:02d}T09:00:00") for rep, won in wins.items() for i in range(12)])
    cli = Cli(tmp_path / "work.duckdb")
    cli.import_(folder)
    yield cli


def test_scorecard_without_activities_says_the_activity_half_needs_them(quiet_team: Cli) -> None:
    card = as_json(quiet_team, "scorecard", "low", "--period", "2026-10")
    d = card["diagnosis"]
    # 1 of 12 won (Wilson 1.5 % to 35.4 %) against the team's median of 5.5 of 12: converts worse.
    assert (d["code"], d["activity"], d["conversion"], d["activity_missing"]) == (
        "needs_training", None, "low", "not_imported")
    assert d["figures"]["activities"] is None and d["figures"]["team_median_activities"] is None
    text = " ".join(quiet_team("scorecard", "low", "--period", "2026-10").stdout.split())
    assert ("Converts worse than the team: needs training in closing. The activity half of the "
            "diagnosis needs activities: none are imported (activities.csv), so whether this rep works "
            "more or less than the team cannot be told. Win rate 8 %") in text
    assert "0 activities" not in text and "None" not in text
    middle = as_json(quiet_team, "scorecard", "mid1", "--period", "2026-10")["diagnosis"]
    assert middle["code"] == "in_line"
    assert middle["text_en"].startswith("Converts like the team: the difference is within noise. The "
                                        "activity half")
    german = " ".join(quiet_team("scorecard", "low", "--period", "2026-10", "--lang", "de").stdout.split())
    assert "Die Aktivitätshälfte der Einschätzung braucht Aktivitäten: Es sind keine importiert" in german

    with TestClient(create_app(quiet_team.db, warm=False)) as c:
        page = c.get("/reps/low", params={"period": "2026-10", "lang": "en"}).text
    assert "The activity half of the diagnosis needs activities: none are imported" in page
    assert 'data-fact="activities"' not in page and 'data-fact="win_rate"' in page


def test_scorecard_with_activities_elsewhere_but_none_this_period(quiet_team: Cli, tmp_path: Path) -> None:
    quiet_team.import_(write_csv(tmp_path / "more" / "activities.csv", [
        {"activity_id": "a1", "rep_id": "low", "type": "call", "occurred_at": "2026-06-01T10:00:00"}]))
    d = as_json(quiet_team, "scorecard", "low", "--period", "2026-10")["diagnosis"]
    assert d["activity_missing"] == "none_in_period"
    assert "none of the team's are logged in this period" in d["text_en"]


def test_a_stage_moved_by_a_re_import_weighs_the_same_in_the_funnel_and_the_forecast(
        cli: Cli, tmp_path: Path) -> None:
    """A tester: a canonical re-import moved an open deal's stage field from proposal to negotiation
    without a new line of stage history. Today's forecast weighed it at negotiation's rate (the
    deals file's stage is today's word), the funnel at proposal's, by its history: $35,654.76
    against $37,083.33 on their data. Proposal won two of three (h1, h3; h2 lost) and negotiation
    one of one (h3), so d1's 9,000 weighs 9,000 in both, not 6,000 in the funnel. A day before the
    re-import the history still says where d1 stood, and the funnel reads it there."""
    from datetime import date, timedelta

    today = date.today()

    def day(before: int) -> str:
        return (today - timedelta(days=before)).isoformat()

    def row(deal_id: str, status: str, stage: str, closed: str = "") -> dict[str, str]:
        return {"deal_id": deal_id, "rep_id": "r1", "created_at": f"{day(80)}T09:00:00",
                "closed_at": f"{closed}T10:00:00" if closed else "", "status": status,
                "amount": "9000" if deal_id == "d1" else "1000", "currency": "USD", "stage": stage,
                "expected_close_on": day(-20) if status == "open" else ""}

    history = [{"deal_id": i, "stage": s, "entered_at": f"{day(n)}T10:00:00"} for i, s, n in (
        ("h1", "proposal", 70), ("h1", "closed won", 60),
        ("h2", "proposal", 70), ("h2", "closed lost", 60),
        ("h3", "proposal", 70), ("h3", "negotiation", 65), ("h3", "closed won", 60),
        ("d1", "proposal", 50))]
    closed = [row("h1", "won", "closed won", day(60)), row("h2", "lost", "closed lost", day(60)),
              row("h3", "won", "closed won", day(60))]
    first, second = tmp_path / "first", tmp_path / "second"
    write_csv(first / "reps.csv", [{"rep_id": "r1", "name": "Rita", "team": "east"}])
    write_csv(first / "stage_history.csv", history)
    write_csv(first / "deals.csv", [*closed, row("d1", "open", "proposal")])
    cli.import_(first)
    write_csv(second / "deals.csv", [*closed, row("d1", "open", "negotiation")])
    cli.import_(second)

    period = ("--period", f"{day(90)}..{day(-30)}")
    forecast = as_json(cli, "forecast", *period)
    funnel = as_json(cli, "funnel", *period)
    assert funnel["weighted_pipeline"]["probabilities"] == {"proposal": 0.6667, "negotiation": 1.0}
    # The forecast's weighted call counts the two deals won in the period (2,000) besides d1.
    total = forecast["total"]
    assert (float(total["closed_won"]), float(total["weighted"])) == (2000.0, 11000.0)
    assert float(funnel["weighted_pipeline"]["value"]) == 9000.0
    # As of a day before: the history says proposal (the re-import came today), 2/3 of 9,000.
    earlier = as_json(cli, "funnel", *period, "--as-of", day(1))
    assert float(earlier["weighted_pipeline"]["value"]) == 6000.0
    # Moved to a stage no history names: unweighted, and a probability for it is taken (it was
    # refused as "no stage 'contract'" beside the pipeline naming it: the review).
    third = tmp_path / "third"
    write_csv(third / "deals.csv", [*closed, row("d1", "open", "contract")])
    cli.import_(third)
    assert as_json(cli, "funnel", *period)["weighted_pipeline"]["unweighted_stages"] == ["contract"]
    given = as_json(cli, "funnel", *period, "--probability", "contract=0.9")
    assert float(given["weighted_pipeline"]["value"]) == 8100.0
