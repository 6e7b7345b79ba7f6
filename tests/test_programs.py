"""Enablement programs as records: `salesmetrics program add/list/show/remove`, programs.csv and
program_participants.csv, and every way of getting them wrong refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Cli, write_csv
from programdata import write_programs, write_records
from salesmetrics import Workspace
from salesmetrics.errors import ImportValidationError


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(tmp_path / "work.duckdb")
    c.import_(write_records(tmp_path / "records"))
    return c


def test_add_list_show_and_remove_through_the_cli(cli: Cli) -> None:
    version = Workspace.open(cli.db, read_only=True).data_version
    added = json.loads(cli("program", "add", "Discovery Training", "--start", "2026-04-01", "--end",
                           "2026-04-03", "--kind", "Training", "--cost", "12000", "--team", "a",
                           "--rep", "Olga Ortiz", "--format", "json").stdout)
    assert added == {"program_id": "discovery-training", "name": "Discovery Training", "kind": "training",
                     "start_on": "2026-04-01", "end_on": "2026-04-03", "cost": 12000.0, "currency": "USD",
                     "participants": ["o1", "p1", "p2"]}
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.data_version == version + 1  # one change, one new data version
        assert ws.counts()["programs"] == 1 and ws.counts()["program_participants"] == 3
    listed = json.loads(cli("program", "list", "--format", "json").stdout)
    assert [p["program_id"] for p in listed] == ["discovery-training"]
    table = cli("program", "list").stdout
    assert "Discovery Training" in table and "$12,000.00" in table
    shown = cli("program", "show", "discovery training").stdout  # by name, in any case
    assert "Pia Park (p1)" in shown and "Olga Ortiz (o1)" in shown and "2026-04-03" in shown
    assert json.loads(cli("program", "show", "discovery-training", "--format", "json").stdout) == added
    assert "Teilnehmer (3)" in cli("program", "show", "Discovery Training", "--lang", "de").stdout

    removed = cli("program", "remove", "DISCOVERY TRAINING").stdout
    assert "removed program 'Discovery Training'" in removed and "3 participant(s)" in removed
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.counts()["programs"] == 0 and ws.counts()["program_participants"] == 0
        assert ws.data_version == version + 2
    assert json.loads(cli("program", "list", "--format", "json").stdout) == []


def test_participants_are_enrolled_and_withdrawn_without_removing_the_program(cli: Cli) -> None:
    """A rep forgotten when the program was added could only be added by removing the program and
    adding it again."""
    cli("program", "add", "Discovery", "--start", "2026-04-01", "--rep", "p1")
    version = Workspace.open(cli.db, read_only=True).data_version
    said = cli("program", "enrol", "discovery", "--rep", "Paul Petit", "--team", "b").stdout
    assert "enrolled Olga Ortiz, Omar Osei, Otto Orr, Paul Petit; 5 participant(s)" in " ".join(said.split())
    german = cli("program", "enrol", "Discovery", "--withdraw", "o3", "--lang", "de").stdout
    assert "„Discovery“: herausgenommen: Otto Orr; 4 Teilnehmende" in " ".join(german.split())
    shown = json.loads(cli("program", "show", "Discovery", "--format", "json").stdout)
    assert shown["participants"] == ["o1", "o2", "p1", "p2"]
    # As JSON, the program as it stands, as `program show` writes it.
    assert json.loads(cli("program", "enrol", "Discovery", "--rep", "p1", "--format", "json").stdout) == shown
    # A team but one of its reps: o3 joins with team b and leaves at once, as asked.
    assert "no change" in cli("program", "enrol", "Discovery", "--team", "b", "--withdraw", "o3").stdout
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.data_version == version + 2  # each change a data version (none unchanged)
        assert ws.counts()["program_participants"] == 4
    assert "o4 does not take part in 'Discovery'" in _refused(cli, "program", "enrol", "Discovery",
                                                              "--withdraw", "o4")
    assert "would have no participant left" in _refused(cli, "program", "enrol", "Discovery", "--withdraw",
                                                        "o1", "--withdraw", "o2", "--withdraw", "p1",
                                                        "--withdraw", "p2")
    assert "name who joins" in _refused(cli, "program", "enrol", "Discovery")
    assert json.loads(cli("program", "show", "Discovery", "--format", "json").stdout)["participants"] == [
        "o1", "o2", "p1", "p2"]  # a refusal changed nothing
    # Each change is in the audit log (of a workspace with accounts), as targets and schedules are.
    with Workspace.open(cli.db) as ws:
        ws.accounts.add_user("admin@example.com", "admin", "a long enough password")
    cli("program", "enrol", "Discovery", "--rep", "o3")
    log = [(e["action"], e["detail"]) for e in json.loads(cli("audit", "--format", "json").stdout)]
    assert log[0] == ("program_participants", "discovery: +o3 --")


def _refused(cli: Cli, *args: str) -> str:
    result = cli(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message: str = result.stderr
    return " ".join(message.split())


def test_bad_input_is_refused_with_what_is_wrong(cli: Cli) -> None:
    cli("program", "add", "Discovery", "--start", "2026-04-01", "--team", "a")
    assert "no team 'aa' in this workspace; did you mean 'a'?" in _refused(
        cli, "program", "add", "X", "--start", "2026-04-01", "--team", "aa")
    assert "no rep 'Pia Par' in this workspace; did you mean 'Pia Park'?" in _refused(
        cli, "program", "add", "X", "--start", "2026-04-01", "--rep", "Pia Par")
    assert "would end (2026-03-01) before it starts (2026-04-01)" in _refused(
        cli, "program", "add", "X", "--start", "2026-04-01", "--end", "2026-03-01", "--rep", "p1")
    assert "a program named 'Discovery' exists already" in _refused(
        cli, "program", "add", "DISCOVERY", "--start", "2026-05-01", "--rep", "p1")
    assert "name who took part" in _refused(cli, "program", "add", "X", "--start", "2026-04-01")
    assert "kind 'party' is not one of training, onboarding, playbook, content, tool" in _refused(
        cli, "program", "add", "X", "--start", "2026-04-01", "--rep", "p1", "--kind", "party")
    assert "--start '1 April' is not a date (YYYY-MM-DD)" in _refused(
        cli, "program", "add", "X", "--start", "1 April", "--rep", "p1")
    assert "cost 'lots' is not an amount" in _refused(
        cli, "program", "add", "X", "--start", "2026-04-01", "--rep", "p1", "--cost", "lots")
    assert "no program 'Discovry' in this workspace; did you mean 'Discovery'?" in _refused(
        cli, "program", "show", "Discovry")
    assert "no program 'nothing'" in _refused(cli, "program", "remove", "nothing")
    # Nothing of the refused ones was written.
    assert [p["name"] for p in json.loads(cli("program", "list", "--format", "json").stdout)] == ["Discovery"]


def test_a_cost_without_any_currency_in_sight_names_the_base_currency_setting(tmp_path: Path) -> None:
    """Records without a currency and no base currency: a cost cannot be set against the figures
    until the workspace has one, and the refusal says how (it said only --currency, which then left
    the effect without a cost per extra deal)."""
    write_csv(tmp_path / "in" / "reps.csv", [{"rep_id": "p1", "name": "Pia", "team": "a"}])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(tmp_path / "in")
    add = ("program", "add", "X", "--start", "2026-04-01", "--rep", "p1", "--cost", "9000")
    assert "set it first (salesmetrics config set base_currency EUR)" in _refused(cli, *add)
    cli("config", "set", "base_currency", "EUR")
    cli(*add)
    [listed] = json.loads(cli("program", "list", "--format", "json").stdout)
    assert (listed["cost"], listed["currency"]) == (9000.0, "EUR")


def test_programs_import_from_canonical_files(cli: Cli, tmp_path: Path) -> None:
    folder = write_programs(tmp_path / "programs")
    cli.import_(folder)
    listed = {p["program_id"]: p for p in json.loads(cli("program", "list", "--format", "json").stdout)}
    assert listed["disc"]["participants"] == ["p1", "p2"] and listed["play"]["kind"] == "playbook"
    assert listed["play"]["cost"] is None
    again = cli("import", str(folder)).stdout  # the same files again change nothing
    assert "programs" in again and "unchanged" in again


def test_a_bad_programs_file_is_refused_whole(cli: Cli, tmp_path: Path) -> None:
    cli("program", "add", "Discovery", "--start", "2026-04-01", "--team", "a")
    folder = tmp_path / "bad"
    write_csv(folder / "programs.csv", [
        {"program_id": "x1", "name": "Fine", "kind": "tool", "start_on": "2026-01-01",
         "end_on": "2026-01-02"},
        {"program_id": "x2", "name": "Backwards", "kind": "training", "start_on": "2026-03-01",
         "end_on": "2026-02-01"},
        {"program_id": "x3", "name": "discovery", "kind": "training", "start_on": "2026-03-01", "end_on": ""},
        {"program_id": "x4", "name": "Twice", "kind": "party", "start_on": "2026-03-01", "end_on": ""},
        {"program_id": "x5", "name": "twice", "kind": "", "start_on": "", "end_on": ""},
    ])
    write_csv(folder / "program_participants.csv", [
        {"program_id": "x1", "rep_id": "p1"}, {"program_id": "nope", "rep_id": "p1"},
        {"program_id": "x1", "rep_id": "ghost"},
    ])
    with Workspace.open(cli.db) as ws, pytest.raises(ImportValidationError) as refused:
        ws.import_files(folder)
    found = {(Path(p.file).name, p.line, p.column): p.message for p in refused.value.problems}
    assert found[("programs.csv", 3, "end_on")] == "end_on is before start_on (2026-03-01)"
    assert "already in the workspace" in found[("programs.csv", 4, "name")]
    assert "must be one of training, onboarding" in found[("programs.csv", 5, "kind")]
    assert "another program in this import has this name" in found[("programs.csv", 5, "name")]
    assert "another program in this import has this name" in found[("programs.csv", 6, "name")]
    assert found[("programs.csv", 6, "start_on")] == "required value is empty"
    assert "not found in programs" in found[("program_participants.csv", 3, "program_id")]
    assert "not found in reps" in found[("program_participants.csv", 4, "rep_id")]
    with Workspace.open(cli.db, read_only=True) as ws:  # all or nothing: "Fine" is not in either
        assert [p.name for p in ws.programs()] == ["Discovery"]


def test_a_program_imported_without_participants_says_how_to_give_it_some(cli: Cli, tmp_path: Path) -> None:
    """A tester: a programs.csv row alone was taken, and its effect said "has no participants you can
    see", while `program add` refuses the name it has: a dead end."""
    write_csv(tmp_path / "bare" / "programs.csv",
              [{"program_id": "bare", "name": "Bare", "start_on": "2026-04-01"}])
    cli.import_(tmp_path / "bare")
    refused = cli("program", "effect", "Bare", "--as-of", "2026-09-01", ok=False)
    assert refused.exit_code == 2
    # The way out in place, enrolling them (not "remove it and add it again"; the enablement tester).
    assert ("'Bare' has no participants: enrol them (salesmetrics program enrol 'Bare' --team T --rep R), or "
            "import its program_participants (program_id, rep_id)") in " ".join(refused.stderr.split())
    cli("program", "enrol", "Bare", "--rep", "p1")
    assert cli("program", "effect", "Bare", "--as-of", "2026-09-01", "--kpi", "win_rate").exit_code == 0
    write_csv(tmp_path / "who" / "program_participants.csv", [{"program_id": "bare", "rep_id": "p2"}])
    cli.import_(tmp_path / "who")
    assert cli("program", "effect", "Bare", "--as-of", "2026-09-01", "--kpi", "win_rate").exit_code == 0


def test_renaming_a_program_by_import_frees_its_name(cli: Cli, tmp_path: Path) -> None:
    cli.import_(write_programs(tmp_path / "programs"))
    folder = tmp_path / "rename"
    write_csv(folder / "programs.csv", [
        {"program_id": "disc", "name": "Discovery 2026", "start_on": "2026-04-01"},
        {"program_id": "new", "name": "Discovery", "start_on": "2026-07-01"},
    ])
    cli.import_(folder)
    listed = json.loads(cli("program", "list", "--format", "json").stdout)
    names = {p["program_id"]: p["name"] for p in listed}
    assert names == {"disc": "Discovery 2026", "play": "Playbook", "new": "Discovery"}


def test_the_api_reads_and_writes_programs_behind_the_writer_rule(cli: Cli) -> None:
    from fastapi import HTTPException
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app
    from salesmetrics.web.deps import require_writer

    app = create_app(cli.db, warm=False)
    body = {"name": "Discovery", "start_on": "2026-04-01", "teams": ["a"], "cost": "1000.00"}
    with TestClient(app) as client:
        made = client.post("/api/v1/programs", json=body)
        assert made.status_code == 201, made.text
        assert made.json()["participants"] == ["p1", "p2"] and made.json()["currency"] == "USD"
        assert [p["program_id"] for p in client.get("/api/v1/programs").json()] == ["discovery"]
        assert client.get("/api/v1/programs/DISCOVERY").json()["program_id"] == "discovery"
        again = client.post("/api/v1/programs", json=body)
        assert again.status_code == 400 and again.json()["error"]["type"] == "bad_program"
        backwards = client.post("/api/v1/programs", json={**body, "name": "B", "end_on": "2026-03-01"})
        assert "before it starts" in backwards.json()["error"]["message"]
        # The cost as `program add --cost` takes it: refused here as "not a valid decimal".
        german = client.post("/api/v1/programs", json={**body, "name": "G", "cost": "1.234,56"})
        assert german.status_code == 201 and german.json()["cost"] == 1234.56, german.text
        twice = client.post("/api/v1/programs", json={**body, "name": "H", "cost": "1,234,56"})
        assert twice.status_code == 400 and "not an amount" in twice.json()["error"]["message"]
        number = client.post("/api/v1/programs", json={**body, "name": "N", "cost": 99.5})
        assert number.json()["cost"] == 99.5
        # A JSON number is held to the rules typed text is, and answered as it is stored.
        for cost, problem in ((-5, "zero or more"), (1500.005, "two decimal places"),
                              (1e20, "too large")):
            refused = client.post("/api/v1/programs", json={**body, "name": "X", "cost": cost})
            assert refused.status_code == 400 and problem in refused.json()["error"]["message"], refused.text
        whole = client.post("/api/v1/programs", json={**body, "name": "W", "cost": 1500})
        assert b'"cost":1500.00' in whole.content.replace(b" ", b""), whole.text
        assert client.get("/api/v1/programs/w").content.replace(b" ", b"").count(b'"cost":1500.00') == 1
        for name in ("G", "N", "W"):
            client.delete(f"/api/v1/programs/{name.lower()}")
        nobody = client.post("/api/v1/programs", json={**body, "name": "C", "teams": ["zz"]})
        assert nobody.status_code == 400 and nobody.json()["error"]["type"] == "unknown_value"
        missing = client.delete("/api/v1/programs/nope")
        assert missing.status_code == 404 and missing.json()["error"]["type"] == "unknown_program"

        def nobody_writes() -> None:  # what accounts will decide: here, no one may write
            raise HTTPException(403, "writing is for admins")

        app.dependency_overrides[require_writer] = nobody_writes
        assert client.post("/api/v1/programs", json={**body, "name": "D"}).status_code == 403
        assert client.delete("/api/v1/programs/discovery").status_code == 403
        assert [p["program_id"] for p in client.get("/api/v1/programs").json()] == ["discovery"]
        app.dependency_overrides.clear()
        gone = client.delete("/api/v1/programs/discovery")
        assert gone.status_code == 200 and gone.json()["name"] == "Discovery"
        assert client.get("/api/v1/programs").json() == []


def test_refusals_in_german(cli: Cli) -> None:
    cli("program", "add", "Discovery", "--start", "2026-04-01", "--team", "a")
    shown = _refused(cli, "program", "show", "Discovry", "--lang", "de")
    assert "Es gibt kein Programm 'Discovry' in diesem Arbeitsbereich. Meinten Sie 'Discovery'?" in shown
    effect = _refused(cli, "program", "effect", "Discovery", "--compare-with", "x", "--lang", "de")
    assert "schreiben Sie team:T oder rep:R1,R2" in effect
