"""A rep who worked in the period and won nothing has a revenue row of 0.00, in every face: testers
(three rounds running) found the rep who most needed a word missing from "revenue per rep", beside
their 0 % of quota in the same report.

October 2026: ann won 500.00 and logged a call; bob logged a call and won nothing; cid created a
deal, still open; dan had only a quota; eve (team west) won 300.00; fay was hired in November and
has nothing in October; gus left long ago, a deal of his still open since 2025 (no work: no row);
hal (team west) is in the reps file and has no record at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import Cli, add_user, write_csv
from salesmetrics.web.app import create_app


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [
        {"rep_id": r, "name": r.title(), "team": "west" if r in ("eve", "hal") else "east",
         "hired_on": "2026-11-02" if r == "fay" else "2025-01-01"}
        for r in ("ann", "bob", "cid", "dan", "eve", "fay", "gus", "hal")])
    deal = {"created_at": "2026-09-01T10:00:00", "currency": "USD"}
    write_csv(folder / "deals.csv", [
        {**deal, "deal_id": "d1", "rep_id": "ann", "closed_at": "2026-10-05T10:00:00", "status": "won",
         "amount": "500.00"},
        {**deal, "deal_id": "d2", "rep_id": "cid", "created_at": "2026-10-20T10:00:00", "closed_at": "",
         "status": "open", "amount": "900.00"},
        {**deal, "deal_id": "d5", "rep_id": "gus", "created_at": "2025-03-01T10:00:00", "closed_at": "",
         "status": "open", "amount": "50.00"},
        {**deal, "deal_id": "d3", "rep_id": "eve", "closed_at": "2026-10-07T10:00:00", "status": "won",
         "amount": "300.00"},
        {**deal, "deal_id": "d4", "rep_id": "fay", "created_at": "2026-11-03T10:00:00",
         "closed_at": "2026-11-20T10:00:00", "status": "won", "amount": "700.00"}])
    write_csv(folder / "activities.csv", [
        {"activity_id": f"a{i}", "rep_id": rep, "type": "call", "occurred_at": "2026-10-10T09:00:00"}
        for i, rep in enumerate(("ann", "bob"))])
    write_csv(folder / "quotas.csv", [{"rep_id": "dan", "period_start": "2026-10-01",
                                       "period_end": "2026-10-31", "amount": "1000.00", "currency": "USD"}])
    c = Cli(tmp_path / "work.duckdb")
    c.import_(folder)
    return c


def by_rep(data: dict[str, object], kpi: str) -> dict[str, tuple[object, int]]:
    rows = data["rows"]
    assert isinstance(rows, list)
    return {r["rep"]: (r["value"], r["n"]) for r in rows if r["kpi"] == kpi}


def test_every_rep_at_work_has_a_revenue_row(cli: Cli) -> None:
    data = cli.report("--period", "2026-10", "--by", "rep")
    expected = {"ann": (500.0, 1), "bob": (0.0, 0), "cid": (0.0, 0), "dan": (0.0, 0), "eve": (300.0, 1)}
    assert by_rep(data, "revenue_per_rep") == expected  # not fay: nothing of hers in October
    assert by_rep(data, "total_revenue") == expected
    assert by_rep(data, "activity_count") == {"ann": (1, 1), "bob": (1, 1), "cid": (0, 0), "dan": (0, 0),
                                              "eve": (0, 0)}
    assert by_rep(data, "quota_attainment")["dan"] == (0.0, 0)  # the row it was beside
    # Asked alone, the same rows; narrowed by team, that team's reps alone.
    alone = cli.report("--period", "2026-10", "--kpi", "revenue_per_rep")
    assert by_rep(alone, "revenue_per_rep") == expected
    east = cli.report("--period", "2026-10", "--kpi", "revenue_per_rep", "--filter", "team=east")
    assert set(by_rep(east, "revenue_per_rep")) == {"ann", "bob", "cid", "dan"}
    november = cli.report("--period", "2026-11", "--kpi", "revenue_per_rep")
    assert by_rep(november, "revenue_per_rep") == {"fay": (700.0, 1)}
    table = Cli(cli.db, columns=160)("report", "--period", "2026-10", "--kpi", "revenue_per_rep").stdout
    assert "bob" in table.lower()
    with TestClient(create_app(cli.db, warm=False)) as client:
        api = client.get("/api/v1/report", params={"period": "2026-10", "kpi": "revenue_per_rep"}).json()
    assert by_rep(api, "revenue_per_rep") == expected


def test_a_rep_sees_their_own_zero_and_no_one_else_s(cli: Cli) -> None:
    add_user(cli, "bob@example.com", "--role", "rep", "--rep", "bob")
    data = cli.report("--period", "2026-10", "--kpi", "revenue_per_rep", "--as-user", "bob@example.com")
    assert by_rep(data, "revenue_per_rep") == {"bob": (0.0, 0)}


def test_a_row_of_0_is_no_teammate_a_verdict_rests_on(tmp_path: Path) -> None:
    """ann and bob closed 12 deals each; cid and dan only opened one. bob's verdict rested on 3
    teammates (needs training) where 1 has a win rate at all: not enough data, as before."""
    folder = tmp_path / "team"
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r.title(), "team": "east"}
                                    for r in ("ann", "bob", "cid", "dan")])
    deals = [{"deal_id": f"{rep}{i}", "rep_id": rep, "created_at": "2026-09-01T10:00:00",
              "closed_at": "2026-10-10T10:00:00", "status": "won" if i < wins else "lost",
              "amount": "100.00", "currency": "USD"}
             for rep, wins in (("ann", 9), ("bob", 3)) for i in range(12)]
    deals += [{"deal_id": f"{rep}-open", "rep_id": rep, "created_at": "2026-10-05T10:00:00",
               "closed_at": "", "status": "open", "amount": "100.00", "currency": "USD"}
              for rep in ("cid", "dan")]
    write_csv(folder / "deals.csv", deals)
    cli = Cli(tmp_path / "team.duckdb")
    cli.import_(folder)
    assert set(by_rep(cli.report("--period", "2026-10", "--kpi", "revenue_per_rep"),
                      "revenue_per_rep")) == {"ann", "bob", "cid", "dan"}
    card = json.loads(cli("scorecard", "bob", "--period", "2026-10", "--format", "json").stdout)
    assert card["diagnosis"]["figures"]["teammates"] == 1, card["diagnosis"]


def test_a_rep_down_to_no_activity_is_a_tested_drop(tmp_path: Path) -> None:
    """bob logged 30 calls in September and none in October, when he opened a deal: his row read
    -100 %, never tested, while 30 and then 1 was a significant drop (review)."""
    folder = tmp_path / "drop"
    write_csv(folder / "reps.csv", [{"rep_id": r, "name": r.title(), "team": "east"} for r in ("ann", "bob")])
    write_csv(folder / "deals.csv", [{"deal_id": "d1", "rep_id": "bob", "created_at": "2026-10-05T10:00:00",
                                      "closed_at": "", "status": "open", "amount": "10.00",
                                      "currency": "USD"}])
    write_csv(folder / "activities.csv", [
        {"activity_id": f"{rep}{i}", "rep_id": rep, "type": "call",
         "occurred_at": f"2026-09-{10 + i % 10}T09:00:00"}
        for rep in ("ann", "bob") for i in range(30)] + [
        {"activity_id": f"ann-oct{i}", "rep_id": "ann", "type": "call", "occurred_at": "2026-10-10T09:00:00"}
        for i in range(30)])
    cli = Cli(tmp_path / "drop.duckdb")
    cli.import_(folder)
    rows = cli.report("--period", "2026-10", "--kpi", "activity_count", "--by", "rep", "--compare")["rows"]
    bob = next(r for r in rows if r["rep"] == "bob")
    assert (bob["value"], bob["previous"], bob["change"], bob["significant"]) == (0, 30, -1.0, True)
    assert bob["p_value"] < 0.001


def test_every_team_at_work_has_a_revenue_row(cli: Cli) -> None:
    """A team whose reps won nothing was left out of revenue by team (the analyst tester): the
    teams' rows added up to the company's, and the team that most needed a word was not there."""
    october = cli.report("--period", "2026-10", "--by", "team")["rows"]
    teams = {r["team"]: (r["value"], r["n"]) for r in october if r["kpi"] == "total_revenue"}
    assert teams == {"east": (500.0, 1), "west": (300.0, 1)}
    # In November fay (east) won; no one in west worked, and west has no row.
    november = {r["team"]: (r["value"], r["n"]) for r in cli.report(
        "--period", "2026-11", "--by", "team", "--kpi", "total_revenue,activity_count")["rows"]
        if r["kpi"] == "total_revenue"}
    assert november == {"east": (700.0, 1)}
    # eve, with a quota for November, is at work there: west has its 0.00 (and 0 activities).
    west_quota = Path(cli.db).parent / "more" / "quotas.csv"
    write_csv(west_quota, [{"rep_id": "eve", "period_start": "2026-11-01", "period_end": "2026-11-30",
                            "amount": "1000.00", "currency": "USD"}])
    cli("import", "--quiet", str(west_quota))
    rows = cli.report("--period", "2026-11", "--by", "team", "--kpi", "total_revenue,activity_count")["rows"]
    assert {(r["kpi"], r["team"]): (r["value"], r["n"]) for r in rows} == {
        ("total_revenue", "east"): (700.0, 1), ("total_revenue", "west"): (0.0, 0),
        ("activity_count", "east"): (0, 0), ("activity_count", "west"): (0, 0)}


def test_a_team_median_is_over_the_reps_at_work(cli: Cli) -> None:
    """The team's median revenue on a rep's page counted a teammate who never worked as 0: eve's
    team (west) read a median of 150.00 over eve and hal, who has no record at all."""
    lines = {line["kpi"]: line for line in json.loads(
        cli("rep", "eve", "--period", "2026-10", "--format", "json").stdout)["kpis"]}
    assert (lines["total_revenue"]["team_median"], lines["total_revenue"]["compared"]) == (300.0, 1)
    # East: ann 500.00 and three reps at work with 0.00 (bob, cid, dan); not gus, who left.
    lines = {line["kpi"]: line for line in json.loads(
        cli("rep", "bob", "--period", "2026-10", "--format", "json").stdout)["kpis"]}
    assert (lines["total_revenue"]["team_median"], lines["total_revenue"]["compared"]) == (0.0, 4)
    assert (lines["activity_count"]["team_median"], lines["activity_count"]["compared"]) == (0.5, 4)
