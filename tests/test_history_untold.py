"""A history of deals imported from a file of deal_changes that tells some of the tracked values only
(here the expected close dates, as a CRM's field history export of one field does). The values it
does not tell are the deal's, unchanged by its entries: left empty, they read as amounts of $0.00
and no forecast category at every moment before the deals' first import, so the forecast as of
October 31 put $0.00 in the pipeline where $4,000.00 is committed."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Cli, write_csv


def _deal(deal_id: str, rep: str, amount: str, expected: str, closed: str = "", status: str = "open",
          category: str = "commit") -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": rep, "created_at": "2026-06-01T10:00:00", "closed_at": closed,
            "status": status, "amount": amount, "currency": "USD", "stage": "proposal",
            "expected_close_on": expected, "forecast_category": category, "probability": "0.5"}


# A CRM's field history: a row per change of one field, the other columns empty.
EMPTY = {f"{side}_{name}": "" for name in ("amount", "expected_close_on", "forecast_category")
         for side in ("old", "new")}


def _amount(at: str, old: str, new: str) -> dict[str, str]:
    return {**EMPTY, "deal_id": "S1", "changed_at": at, "old_amount": old, "new_amount": new}


def _date(at: str, old: str, new: str) -> dict[str, str]:
    return {**EMPTY, "deal_id": "S1", "changed_at": at, "old_expected_close_on": old,
            "new_expected_close_on": new}


def test_values_a_history_file_does_not_tell_are_the_deals(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "A1", "name": "A", "team": "north"},
                                    {"rep_id": "B1", "name": "B", "team": "south"}])
    write_csv(folder / "deals.csv", [
        _deal("P1", "A1", "1000.00", "2027-02-15"),
        _deal("P2", "B1", "2000.00", "", "2026-11-10T10:00:00", "won", ""),
        _deal("P3", "B1", "3000.00", "2026-12-20")])
    write_csv(folder / "deal_changes.csv", [
        {"deal_id": d, "changed_at": at, "old_expected_close_on": old, "new_expected_close_on": new}
        for d, at, old, new in (("P1", "2026-06-01T10:00:00", "", "2026-10-15"),
                                ("P1", "2026-09-01T10:00:00", "2026-10-15", "2026-11-15"),
                                ("P2", "2026-06-01T10:00:00", "", "2026-09-20"),
                                ("P2", "2026-09-15T10:00:00", "2026-09-20", "2026-10-20"),
                                ("P3", "2026-06-01T10:00:00", "", "2026-12-20"))])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder)
    asked = ("--period", "2026-Q4", "--as-of", "2026-10-31", "--format", "json")
    total = json.loads(cli("forecast", *asked).stdout)["total"]
    assert {k: total[k] for k in ("commit", "pipeline", "overdue", "overdue_deals", "deals")} == {
        "commit": 4000.0, "pipeline": 0.0, "overdue": 2000.0, "overdue_deals": 1, "deals": 2}
    slipped = json.loads(cli("slippage", *asked).stdout)["rows"]
    assert [(r["deal_id"], r["from"], r["to"], r["amount"]) for r in slipped] == [
        ("P1", "2026-10-15", "2026-11-15", 1000.0), ("P2", "2026-09-20", "2026-10-20", 2000.0)]
    # The file's entries keep each deal's amount; importing the same files again changes nothing.
    from salesmetrics import Workspace

    with Workspace.open(cli.db) as ws:
        kept = ws.store.connection.execute(
            "SELECT count(*) FILTER (WHERE old_amount IS NULL), count(*) FILTER (WHERE new_amount IS NULL) "
            "FROM deal_changes").fetchall()
        assert kept == [(3, 0)]  # the old values of the deals' first entries (3 deals)
        again = ws.import_files(folder).as_json()["tables"]
    assert again["deal_changes"] == {"inserted": 0, "updated": 0, "unchanged": 5}  # the file's 5


def test_a_deal_won_since_is_in_one_bar_of_a_past_forecast_not_also_undated(tmp_path: Path) -> None:
    """Found by a tester: a deal won on November 20th, imported with a CRM's history that had it in
    commit for November 15th, stood in the forecast as of November 1st twice: in commit, and as
    "undated" (its date, empty now that it is won, was read as it stands, past the import's own
    first entry). It is in commit alone; a deal without a date then is still undated."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Anna", "team": "north"}])
    write_csv(folder / "deals.csv", [
        _deal("Z", "r1", "1000.00", "", "2026-11-20T10:00:00", "won", ""),
        _deal("U", "r1", "300.00", "", "2026-11-25T10:00:00", "won", "")])
    write_csv(folder / "deal_changes.csv", [
        {"deal_id": d, "changed_at": "2026-10-01T09:00:00", "old_amount": "", "new_amount": amount,
         "old_expected_close_on": "", "new_expected_close_on": expected,
         "old_forecast_category": "", "new_forecast_category": "commit"}
        for d, amount, expected in (("Z", "1000.00", "2026-11-15"), ("U", "300.00", ""))])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder)
    total = json.loads(cli("forecast", "--period", "2026-Q4", "--as-of", "2026-11-01", "--format",
                           "json").stdout)["total"]
    assert (total["commit"], total["undated"], total["undated_deals"]) == (1000.0, 300.0, 1)


def test_a_field_history_of_one_field_a_row_keeps_the_others(tmp_path: Path) -> None:
    """Found by a tester: a CRM's field history has a row per change of one field, the other columns
    empty. Each entry read as all of the deal's values, so the date's change set its amount to
    $0.00 and its category to none: the forecast as of a day after it had $0.00 committed. A value
    an entry does not tell stands as the entries around it leave it."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Anna", "team": "north"}])
    write_csv(folder / "deals.csv", [_deal("S1", "r1", "10000.00", "2026-12-10")])
    write_csv(folder / "deal_changes.csv", [_amount("2026-10-10T09:00:00", "8000.00", "10000.00"),
                                            _date("2026-10-20T09:00:00", "2026-11-15", "2026-12-10")])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder)

    def commit(day: str) -> object:
        return json.loads(cli("forecast", "--period", "2026-Q4", "--as-of", day, "--format",
                              "json").stdout)["total"]["commit"]

    assert [commit(day) for day in ("2026-10-05", "2026-10-15", "2026-10-25")] == [8000.0, 10000.0, 10000.0]
    slipped = json.loads(cli("slippage", "--period", "2026-Q4", "--as-of", "2026-10-25", "--format",
                             "json").stdout)["rows"]
    assert [(r["deal_id"], r["from"], r["to"], r["amount"]) for r in slipped] == [
        ("S1", "2026-11-15", "2026-12-10", 10000.0)]
    from salesmetrics import Workspace

    with Workspace.open(cli.db) as ws:
        kept = ws.store.connection.execute(
            "SELECT changed_at::DATE::VARCHAR, old_amount, new_amount, new_forecast_category, "
            "new_probability "
            "FROM deal_changes WHERE changed_at < '2026-11-01' ORDER BY changed_at").fetchall()
        assert [(day, str(old), str(new), category, str(p)) for day, old, new, category, p in kept] == [
            ("2026-10-10", "8000.00", "10000.00", "commit", "0.500000"),
            ("2026-10-20", "10000.00", "10000.00", "commit", "0.500000")]
        again = ws.import_files(folder).as_json()["tables"]
    assert again["deal_changes"] == {"inserted": 0, "updated": 0, "unchanged": 2}


def test_entries_kept_before_and_a_later_amount_leave_a_history_of_dates_as_it_was(tmp_path: Path) -> None:
    """A review: the values an entry does not tell were read from its own file only, else from the
    deal as it stands. A history of amounts imported first (8,000 until October 10th, 10,000 since),
    then one of dates (October 5th, 20th): October 5th's entry was written with 10,000, and the
    forecast as of October 7th committed 10,000 where 8,000 stood; imported again after the deal grew
    to 12,000, the entries were rewritten to 12,000."""
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Anna", "team": "north"}])
    write_csv(folder / "deals.csv", [_deal("S1", "r1", "10000.00", "2026-12-10")])
    write_csv(tmp_path / "amounts" / "deal_changes.csv",
              [_amount("2026-10-10T09:00:00", "8000.00", "10000.00")])
    dates = write_csv(tmp_path / "dates" / "deal_changes.csv", [
        _date("2026-10-05T09:00:00", "2026-11-01", "2026-11-15"),
        _date("2026-10-20T09:00:00", "2026-11-15", "2026-12-10")])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder)
    cli.import_(tmp_path / "amounts")
    cli.import_(dates)

    def commit(day: str) -> object:
        return json.loads(cli("forecast", "--period", "2026-Q4", "--as-of", day, "--format",
                              "json").stdout)["total"]["commit"]

    assert [commit(day) for day in ("2026-10-03", "2026-10-07", "2026-10-12", "2026-10-25")] == [
        8000.0, 8000.0, 10000.0, 10000.0]
    write_csv(tmp_path / "grown" / "deals.csv", [_deal("S1", "r1", "12000.00", "2026-12-10")])
    cli.import_(tmp_path / "grown")
    from salesmetrics import Workspace

    with Workspace.open(cli.db) as ws:
        again = ws.import_files(dates).as_json()["tables"]["deal_changes"]
    assert again == {"inserted": 0, "updated": 0, "unchanged": 2}
    assert [commit(day) for day in ("2026-10-07", "2026-10-25")] == [8000.0, 10000.0]


def _staged(folder: Path, changes: list[dict[str, str]] | None) -> Cli:
    """O1, open in negotiation today, entered it on November 5th (the stage history); W1 went from
    proposal through negotiation to a win, L1 from proposal to a loss: as of November 1st a deal in
    proposal weighs 1/2, one in negotiation 1/1."""
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Anna", "team": "north"}])
    open_deal = {**_deal("O1", "r1", "1000.00", "2026-12-20"), "stage": "negotiation", "probability": "",
                 "created_at": "2026-10-01T10:00:00"}
    write_csv(folder / "deals.csv", [
        open_deal,
        {**_deal("W1", "r1", "400.00", "", "2026-10-10T10:00:00", "won", ""), "stage": "closed won",
         "probability": ""},
        {**_deal("L1", "r1", "300.00", "", "2026-10-09T10:00:00", "lost", ""), "stage": "closed lost",
         "probability": ""}])
    write_csv(folder / "stage_history.csv", [
        {"deal_id": d, "stage": stage, "entered_at": at}
        for d, stage, at in (("O1", "proposal", "2026-10-01"), ("O1", "negotiation", "2026-11-05"),
                             ("W1", "proposal", "2026-10-02"), ("W1", "negotiation", "2026-10-05"),
                             ("L1", "proposal", "2026-10-02"))])
    if changes is not None:
        write_csv(folder / "deal_changes.csv", changes)
    cli = Cli(folder.parent / f"{folder.name}.duckdb")
    cli.import_(folder)
    return cli


def test_a_past_forecast_reads_the_stage_a_deal_was_in_then(tmp_path: Path) -> None:
    """Found by a tester: as of November 1st, a deal imported today in negotiation was weighed at
    negotiation's rate (1000.00) where the stage history has it in proposal until November 5th:
    500.00. So too where a CRM's history of its dates (which tells no stage) starts before: its
    entries hold today's stage filled in, which says nothing of the stage then."""
    dates = [{"deal_id": "O1", "changed_at": "2026-10-01T10:00:00", "old_expected_close_on": "",
              "new_expected_close_on": "2026-12-10"},
             {"deal_id": "O1", "changed_at": "2026-10-20T10:00:00", "old_expected_close_on": "2026-12-10",
              "new_expected_close_on": "2026-12-20"}]
    for name, changes in (("imported_today", None), ("dates_only", dates)):
        cli = _staged(tmp_path / name, changes)
        then = json.loads(cli("forecast", "--period", "2026-Q4", "--as-of", "2026-11-01", "--deals",
                              "--format", "json").stdout)
        [o1] = [d for d in then["deals"] if d["deal_id"] == "O1"]
        assert (o1["stage"], o1["probability"], o1["weighted"]) == ("proposal", 0.5, 500.0), name
        assert then["total"]["weighted"] == 400.0 + 500.0, name  # W1 won, O1 weighed
        # Today it is in negotiation, as the deals file and the stage history both say.
        now = json.loads(cli("forecast", "--period", "2026-Q4", "--as-of", "2026-11-30", "--deals",
                             "--format", "json").stdout)
        [o1] = [d for d in now["deals"] if d["deal_id"] == "O1"]
        assert (o1["stage"], o1["weighted"]) == ("negotiation", 1000.0), name


def test_a_stage_history_behind_the_deals_file_does_not_overrule_todays_stage(tmp_path: Path) -> None:
    """The review of the fix above: a deal without kept changes (imported before history was kept)
    whose stage history stops at proposal, while the deals file has it in negotiation, was weighed
    at proposal's rate in today's forecast. Nothing on record moved it since: today's stage holds."""
    from salesmetrics import Workspace

    folder = tmp_path / "behind"
    cli = _staged(folder, None)
    with Workspace.open(cli.db) as ws:
        ws.store.connection.execute("DELETE FROM deal_changes")
        ws.store.connection.execute(
            "DELETE FROM stage_history WHERE deal_id = 'O1' AND stage = 'negotiation'")
    for day in ("2026-11-01", "2026-11-30"):
        found = json.loads(cli("forecast", "--period", "2026-Q4", "--as-of", day, "--deals",
                               "--format", "json").stdout)
        [o1] = [d for d in found["deals"] if d["deal_id"] == "O1"]
        assert o1["stage"] == "negotiation", (day, o1)
