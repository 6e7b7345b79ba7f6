"""Accounts at the command line: ``user``, ``token`` and ``audit``, and ``--as-user EMAIL`` on the
read commands showing exactly what that user would see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import Result

from accountsdata import ADMIN, MANAGER, ME, PASSWORD, REP, SURNAMES, TEAMS, make_workspace, markers
from helpers import Cli
from salesmetrics import Viewer, Workspace

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def team_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("accounts-cli") / "team.duckdb", forecast=True)


def test_users_are_added_listed_changed_and_removed(tmp_path: Path) -> None:
    db = make_workspace(tmp_path / "team.duckdb", users=False)
    cli = Cli(db)

    def add(*args: str) -> Result:
        return cli.runner.invoke(cli_app(), ["user", "add", *args, "--password-stdin", "--db", str(db)],
                                 input=PASSWORD + "\n")

    r = add("Lead@Example.com", "--role", "manager", "--team", "north", "--team", "south")
    assert r.exit_code == 0 and "added lead@example.com: manager (teams north, south)" in r.stdout
    r = add("quintessa@example.com", "--role", "rep", "--rep", "quintessa vorhaus")
    assert r.exit_code == 0 and "(rep xqvorhaus)" in r.stdout
    # What a user names must exist, and fit the role; a password must be long enough.
    for args, said in ((("x@example.com", "--role", "rep", "--rep", "Quintesa Vorhaus"), "did you mean"),
                       (("x@example.com", "--role", "manager", "--team", "Nort"), "did you mean 'north'"),
                       (("x@example.com", "--role", "rep"), "names one rep"),
                       (("x@example.com", "--role", "king"), "role must be one of"),
                       (("not an email", "--role", "admin"), "not an email address"),
                       (("lead@example.com", "--role", "admin"), "exists")):
        r = add(*args)
        assert r.exit_code == 2 and said in r.stderr, (args, r.stderr)
    short = cli.runner.invoke(cli_app(), ["user", "add", "y@example.com", "--role", "admin",
                                          "--password-stdin", "--db", str(db)], input="short\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.stderr
    # Long enough, and still what a guesser tries first (a tester's admin took "aaaaaaaaaa").
    for weak, said in (("aaaaaaaaaa", "at least 4 different characters"), ("1212121212", "4 different"),
                       ("Password123", "among the first a guesser tries"),
                       ("y@example.com!", "the account's email"), ("yvonne-2026!", "or its name")):
        email = "yvonne@example.com" if "name" in said else "y@example.com"
        refused = cli.runner.invoke(cli_app(), ["user", "add", email, "--role", "admin", "--password-stdin",
                                                "--db", str(db)], input=f"{weak}\n")
        assert refused.exit_code == 2 and said in " ".join(refused.stderr.split()), (weak, refused.stderr)

    listed = json.loads(cli("user", "list", "--format", "json").stdout)
    assert [(u["email"], u["role"], u["rep"], u["teams"]) for u in listed] == [
        ("lead@example.com", "manager", None, ["north", "south"]),
        ("quintessa@example.com", "rep", "xqvorhaus", [])]
    assert "password" not in json.dumps(listed) and "argon2" not in cli("user", "list").stdout

    token = cli("token", "create", "lead@example.com", "--name", "mail").stdout.split()[1]
    changed = cli.runner.invoke(cli_app(), ["user", "passwd", "lead@example.com", "--password-stdin",
                                            "--db", str(db)], input="another long password\n")
    assert changed.exit_code == 0, changed.output
    # The token is the user's own credential, not the password's: it still works, and is said so.
    assert f"1 API token(s) of lead@example.com still work ({token})" in " ".join(changed.stderr.split())
    cli("token", "revoke", token)
    with Workspace.open(db, read_only=True) as ws:
        snapshot = ws.accounts.snapshot()
        assert snapshot.login("lead@example.com", "another long password") is not None
        assert snapshot.login("lead@example.com", PASSWORD) is None
        stored = ws.connection.execute("SELECT password_hash FROM users").fetchall()
        assert all(h.startswith("$argon2id$") for (h,) in stored)
    cli("user", "remove", "lead@example.com")
    assert [u["email"] for u in json.loads(cli("user", "list", "--format", "json").stdout)] == [
        "quintessa@example.com"]
    assert cli("user", "remove", "lead@example.com", ok=False).exit_code == 2

    log = json.loads(cli("audit", "--format", "json").stdout)
    assert [e["action"] for e in log][:6] == ["user_remove", "token_revoke", "user_passwd", "token_create",
                                              "user_add", "user_add"]
    assert all(e["actor"].startswith("cli:") for e in log)
    assert {"import", "target_set"} <= {e["action"] for e in log}
    assert PASSWORD not in json.dumps(log) and "another long password" not in json.dumps(log)


def cli_app() -> typer.Typer:
    from salesmetrics.cli import app

    return app


def test_a_token_is_shown_once_and_stored_hashed(team_db: Path) -> None:
    cli = Cli(team_db)
    made = cli("token", "create", REP, "--name", "laptop").stdout
    token = made.strip().splitlines()[-1].split()[-1]
    assert token.startswith("smt_")
    listed = cli("token", "list").stdout
    # smt_<id>_<secret>: the secret (token_urlsafe) may itself hold underscores, even lead with one.
    secret = token.split("_", 2)[2]
    assert len(secret) >= 40
    assert "laptop" in listed and token not in listed and secret not in listed
    with Workspace.open(team_db, read_only=True) as ws:
        stored = ws.connection.execute("SELECT token_hash FROM api_tokens").fetchall()
        assert token not in str(stored)
        assert ws.accounts.snapshot().token(token) is not None
    assert cli("token", "revoke", "nosuchid", ok=False).exit_code == 2
    cli("token", "revoke", token)  # the token itself names it too
    with Workspace.open(team_db, read_only=True) as ws:
        assert ws.accounts.snapshot().token(token) is None


READS: list[tuple[str, ...]] = [
    ("report", "--period", PERIOD, "--by", "rep", "--format", "json"),
    ("summary", "--period", PERIOD),
    ("scorecard", ME, "--period", PERIOD, "--format", "json"),
    ("records", "total_revenue", "--period", PERIOD, "--format", "csv"),
    ("trend", "--period", PERIOD, "--format", "json"),
    ("rep", ME, "--period", PERIOD, "--format", "json"),
    ("dashboard", "--period", PERIOD),
    ("activities", "--period", PERIOD, "--by", "rep", "--format", "json"),
    ("funnel", "--period", PERIOD, "--by", "rep", "--format", "json"),
    ("satisfaction", "--period", "2026", "--format", "json"),
    ("ramp", "--as-of", "2026-10-31", "--format", "json"),
    ("cycle", "--period", PERIOD, "--format", "json"),
    ("target", "status", "--period", PERIOD, "--format", "json"),
    ("target", "list", "--format", "json"),
    ("forecast", "--period", PERIOD, "--as-of", "2026-10-15", "--by", "rep", "--deals", "--format", "json"),
    ("forecast", "--accuracy", "--as-of", "2027-01-15", "--by", "rep", "--format", "json"),
    ("slippage", "--period", PERIOD, "--format", "json"),
    ("losses", "--period", PERIOD, "--by", "rep", "--format", "json"),
    ("program", "list"),
    ("program", "show", "discovery-coaching", "--format", "json"),
    ("program", "effect", "discovery-coaching", "--window", "7", "--as-of", "2026-10-31"),
    ("program", "effect", "discovery-coaching", "--window", "7", "--as-of", "2026-10-31", "--format", "json"),
]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:2]))
def test_as_user_shows_what_that_user_sees(team_db: Path, args: tuple[str, ...]) -> None:
    cli = Cli(team_db)
    as_rep = cli(*args, "--as-user", REP).stdout
    as_manager = cli(*args, "--as-user", MANAGER).stdout
    for rep in SURNAMES:
        for marker in markers(rep):
            if rep != ME:
                assert marker.lower() not in as_rep.lower(), (args, marker)
            if TEAMS[rep] != "north":
                assert marker.lower() not in as_manager.lower(), (args, marker)


def test_as_user_figures(team_db: Path) -> None:
    cli = Cli(team_db)
    revenue = ("--period", PERIOD, "--kpi", "total_revenue")
    assert cli.value(*revenue, "--as-user", REP) == 1000.0
    assert cli.value(*revenue, "--as-user", MANAGER) == 4200.0  # north: the company as they see it
    assert cli.value(*revenue, "--as-user", ADMIN) == 8200.0
    assert cli.value(*revenue) == 8200.0  # whoever can open the file sees everything
    assert cli.value("--period", PERIOD, "--kpi", "win_rate", "--as-user", MANAGER) == pytest.approx(4 / 6)
    statuses = json.loads(cli("target", "status", "--period", PERIOD, "--format", "json",
                              "--as-user", REP).stdout)
    assert [(s["scope"], s["scope_id"], s["target"], s["value"]) for s in statuses] == [
        ("rep", ME, 1500.0, 1000.0)]
    unknown = cli("report", *revenue, "--as-user", "nobody@example.com", ok=False)
    assert unknown.exit_code == 2 and "no user 'nobody@example.com'" in unknown.stderr


def test_rep_visibility_team_shows_a_rep_their_team(tmp_path: Path) -> None:
    db = make_workspace(tmp_path / "team.duckdb")
    cli = Cli(db)
    board = ("report", "--period", PERIOD, "--by", "rep", "--kpi", "total_revenue", "--format", "json")
    own = json.loads(cli(*board, "--as-user", REP).stdout)["rows"]
    assert [r["rep"] for r in own] == [ME]
    cli("config", "set", "rep_visibility", "team")
    team = json.loads(cli(*board, "--as-user", REP).stdout)["rows"]
    assert {r["rep"]: r["value"] for r in team} == {"xqvorhaus": 1000.0, "xqnkemelu": 2500.0,
                                                   "xqtrapani": 700.0}
    dashboard = cli("dashboard", "--period", PERIOD, "--as-user", REP).stdout
    assert "Nkemelu" in dashboard and "Ferrandiz" not in dashboard
    assert cli("config", "set", "rep_visibility", "everyone", ok=False).exit_code != 0
    log = json.loads(cli("audit", "--format", "json", "--limit", "1").stdout)
    assert log[0]["action"] == "setting" and log[0]["detail"] == "rep_visibility = team"


def test_a_viewer_is_a_value() -> None:
    """Two people who may see the same records share cached answers: the name is not part of it."""
    a = Viewer.of_teams("a@example.com", {"north"})
    assert a == Viewer.of_teams("b@example.com", {"north"})
    assert hash(a) == hash(Viewer.of_teams("b", {"north"}))
    assert a != Viewer.of_teams("a@example.com", {"north"}, role="rep", rep=ME)
    assert Viewer("admin@example.com") == Viewer.everyone()
    assert Viewer.of_rep("x", ME).whole == ("rep", ME) and a.whole == ("team", "north")
    assert Viewer.of_teams("x", {"north", "south"}).whole is None
    assert not a.may_write and Viewer.everyone().may_write


def test_accounts_live_in_a_workspace_file_only() -> None:
    from salesmetrics.errors import AccountError
    from salesmetrics.store import Store

    class Elsewhere(Store):
        holds_accounts = False

    from salesmetrics.accounts import Accounts

    remote = Elsewhere.__new__(Elsewhere)
    remote.path = Path("postgres://sales@db/sales")
    with pytest.raises(AccountError, match="accounts live in a DuckDB workspace file"):
        Accounts(remote)


def test_compare_as_user_sees_only_their_groups(team_db: Path) -> None:
    """`compare` takes --as-user like every other read: a manager compares their own reps; a rep
    cannot set the other team beside theirs (it is no team they know), and learns nothing of it."""
    cli = Cli(team_db)
    mine = json.loads(cli("compare", "xqvorhaus", "xqnkemelu", "--reps", "--period", PERIOD,
                          "--format", "json", "--as-user", MANAGER).stdout)
    revenue = next(k for k in mine["kpis"] if k["kpi"] == "total_revenue")
    assert [(g["rep"], g["value"]) for g in revenue["groups"]] == [("xqvorhaus", 1000.0),
                                                                   ("xqnkemelu", 2500.0)]
    refused = cli("compare", "north", "south", "--period", PERIOD, "--as-user", REP, ok=False)
    assert refused.exit_code == 2 and "south" in refused.stderr
    for marker in markers("xqferrandiz"):
        assert marker.lower() not in (refused.stdout + refused.stderr).lower()


def test_a_manager_whose_teams_an_import_emptied_is_told_so(tmp_path: Path) -> None:
    """Found by a tester: an import moved every rep of north to another team, and north's manager
    read $0.00 with "the workspace holds none yet; import them". The workspace holds records: none
    are the manager's to see, which is what they are told (and an admin is not)."""
    from helpers import write_csv

    db = make_workspace(tmp_path / "team.duckdb")
    cli = Cli(db)
    with Workspace.open(db) as ws:
        reps = ws.store.connection.execute("SELECT rep_id, name, team FROM reps ORDER BY rep_id").fetchall()
    cli.import_(write_csv(tmp_path / "moved" / "reps.csv", [
        {"rep_id": rep, "name": name, "team": "elsewhere" if team == "north" else team or ""}
        for rep, name, team in reps]))
    asked = ("report", "--period", PERIOD, "--kpi", "total_revenue")
    told = cli(*asked, "--as-user", MANAGER)
    said = " ".join(told.stderr.split())
    assert "that you may see: those the workspace holds are of other reps or teams" in said, said
    assert "holds none yet" not in said
    german = " ".join(cli(*asked, "--as-user", MANAGER, "--lang", "de").stderr.split())
    assert "die Sie sehen dürfen" in german, german
    assert "that you may see" not in " ".join(cli(*asked).stderr.split())
    hint = json.loads(cli(*asked, "--as-user", MANAGER, "--format", "json").stdout)["hint"]
    assert hint == {"records_start": None, "records_end": None, "suggested_period": None,
                    "records_unseen": True}


def test_a_rep_asking_for_a_rep_out_of_sight_is_told_among_whom(team_db: Path) -> None:
    """Found by a tester: "no rep 'xqnkemelu' in this workspace" told a rep something untrue of a
    rep who is there, out of their sight; "among those you may see" is true either way and gives
    nothing away (a rep who is nowhere reads the same)."""
    cli = Cli(team_db)
    for rep in ("xqnkemelu", "nobody-at-all"):
        refused = cli("report", "--period", PERIOD, "--filter", f"rep={rep}", "--as-user", REP, ok=False)
        said = " ".join(refused.stderr.split())
        assert refused.exit_code == 2 and f"no rep '{rep}' among those you may see" in said, said
    german = cli("report", "--period", PERIOD, "--filter", "rep=xqnkemelu", "--as-user", REP, "--lang", "de",
                 ok=False)
    assert "unter denen, die Sie sehen dürfen" in " ".join(german.stderr.split())
    admin = cli("report", "--period", PERIOD, "--filter", "rep=nobody-at-all", ok=False)
    assert "no rep 'nobody-at-all' in this workspace" in " ".join(admin.stderr.split())


def test_an_import_that_leaves_a_managers_team_without_reps_says_so(tmp_path: Path) -> None:
    """Every rep of east moved to west by a new reps file: east's manager would read "none of the
    workspace's records are yours to see" when next they looked, and a manager of east and west
    would see west's alone without a word; the one who imported was told nothing. An import of reps
    says so (the command, the upload page, the API's JSON); an import without reps does not ask."""
    from fastapi.testclient import TestClient

    from helpers import form_token, write_csv
    from salesmetrics.web.app import create_app
    from test_accounts_web import sign_in

    cli = Cli(tmp_path / "w.duckdb", columns=200)
    cli.import_(write_csv(tmp_path / "a" / "reps.csv", [{"rep_id": "r1", "team": "east"},
                                                         {"rep_id": "r2", "team": "west"}]))
    with Workspace.open(cli.db) as ws:
        ws.accounts.add_user("lead@example.com", "manager", PASSWORD, teams=["east"])
        ws.accounts.add_user("both@example.com", "manager", PASSWORD, teams=["east", "west"])
        ws.accounts.add_user("west@example.com", "manager", PASSWORD, teams=["west"])
        ws.accounts.add_user("admin@example.com", "admin", PASSWORD)
    moved = write_csv(tmp_path / "b" / "reps.csv", [{"rep_id": "r1", "team": "west"}])
    said = " ".join(cli("import", str(moved)).stdout.split())
    assert ("warning: no rep is on east after this import, of manager both@example.com's teams" in said
            and "of manager lead@example.com's teams" in said)
    assert "west@example.com" not in said
    german = " ".join(cli("import", str(moved), "--lang", "de").stdout.split())
    assert ("Warnung: Nach diesem Import ist in east (Manager lead@example.com) kein Mitarbeiter "
            "mehr") in german
    deals = write_csv(tmp_path / "c" / "deals.csv", [
        {"deal_id": "d1", "rep_id": "r1", "created_at": "2026-10-01", "status": "open", "amount": "10"}])
    assert "warning" not in cli("import", str(deals)).stdout
    with TestClient(create_app(cli.db, warm=False), base_url="http://127.0.0.1:8000") as client:
        assert sign_in(client, "admin@example.com").status_code == 303
        upload = [("files", ("reps.csv", moved.read_bytes(), "text/csv"))]
        page = client.post("/upload", data={"csrf": form_token(client.get("/upload").text)}, files=upload)
        assert page.status_code == 200, page.text[:500]
        assert page.text.count("data-unstaffed") == 2 and "of manager lead@example.com" in page.text
        api = client.post("/api/v1/import", files=upload, headers={"X-CSRF-Token": form_token(page.text)})
        assert api.status_code == 200, api.text[:500]
        assert api.json()["managers_teams_without_reps"] == {"both@example.com": ["east"],
                                                             "lead@example.com": ["east"]}


def test_a_user_s_role_and_teams_change_without_losing_the_password_or_tokens(tmp_path: Path) -> None:
    """Found by the roles tester: the only way to give a manager another team was `user remove` and
    `user add`, which took their password and API tokens (a script's token then read 401)."""
    db = make_workspace(tmp_path / "team.duckdb")
    cli = Cli(db)
    token = cli("token", "create", MANAGER, "--name", "nightly").stdout.split()[-1]
    asked = ("report", "--period", PERIOD, "--kpi", "total_revenue")
    north = json.loads(cli(*asked, "--as-user", MANAGER, "--format", "json").stdout)["rows"][0]["value"]
    changed = cli("user", "change", MANAGER, "--role", "manager", "--team", "south")
    assert (f"changed {MANAGER}: manager (teams south), was manager (teams north); their sessions ended"
            in " ".join(changed.stdout.split())), changed.stdout
    assert "1 API token(s)" in changed.stderr and "now answer with this view" in changed.stderr
    south = json.loads(cli(*asked, "--as-user", MANAGER, "--format", "json").stdout)["rows"][0]["value"]
    whole = json.loads(cli(*asked, "--format", "json").stdout)["rows"][0]["value"]
    assert north != south and north + south == whole  # the two teams are the company
    with Workspace.open(db, read_only=True) as ws:
        snapshot = ws.accounts.snapshot()
        assert snapshot.login(MANAGER, PASSWORD) is not None  # the password stays
        found = snapshot.token(token)
        assert found is not None and found[1].teams == ("south",)  # the token too, with the new view
    for args, said in ((("--role", "manager"), "names one or more teams"),
                       (("--role", "manager", "--team", "sout"), "did you mean 'south'"),
                       (("--role", "rep", "--rep", "quintessa vorhaus", "--team", "north"), "and no team")):
        refused = cli("user", "change", MANAGER, *args, ok=False)
        assert refused.exit_code == 2 and said in refused.stderr, (args, refused.stderr)
    assert cli("user", "change", "nobody@example.com", "--role", "admin", ok=False).exit_code == 2
    audit = cli("audit").stdout
    assert "user_change" in audit
