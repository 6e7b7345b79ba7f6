"""Options the command line accepts are never ignored: ``--db`` before a group's command (``config
--db X set``, ``target --db X set``) or before any command means that file; two different files, or
a file and another backend, are refused; ``--lang`` and ``--format`` refuse what they cannot do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from helpers import Cli
from mailserver import free_port
from salesmetrics import Workspace
from salesmetrics.backends.url import BACKEND_ENV
from salesmetrics.cli import app
from salesmetrics.storage import DB_ENV
from webdata import make_workspace


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory, and $SALESMETRICS_DB naming a file there: neither may be touched."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.duckdb"))
    monkeypatch.delenv(BACKEND_ENV, raising=False)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def fiscal_year_start(path: Path) -> int:
    with Workspace.open(path, read_only=True) as ws:
        return ws.settings.fiscal_year_start


def untouched(here: Path) -> None:
    assert not (here / "env.duckdb").exists(), "$SALESMETRICS_DB was written"
    assert not (here / "salesmetrics.duckdb").exists(), "./salesmetrics.duckdb was written"


def test_config_db_before_set_means_that_file(here: Path) -> None:
    cfg = here / "cfg.duckdb"
    result = run("config", "--db", str(cfg), "set", "fiscal_year_start", "7")
    assert result.exit_code == 0, result.output
    assert fiscal_year_start(cfg) == 7
    untouched(here)
    shown = run("config", "--db", str(cfg))
    assert "cfg.duckdb" in shown.stdout
    unset = run("config", "--db", str(cfg), "unset", "fiscal_year_start")
    assert unset.exit_code == 0 and fiscal_year_start(cfg) == 1
    untouched(here)


def test_target_db_before_set_means_that_file(here: Path) -> None:
    db = make_workspace(here / "sub" / "web.duckdb")
    result = run("target", "--db", str(db), "set", "win_rate", "0.3", "--team", "east")
    assert result.exit_code == 0, result.output
    listed = run("target", "--db", str(db), "list", "--format", "json")
    assert [t["scope_id"] for t in json.loads(listed.stdout)] == ["east"]
    removed = run("target", "--db", str(db), "unset", "win_rate", "--team", "east")
    assert removed.exit_code == 0, removed.output
    untouched(here)


def test_db_before_any_command_means_that_file(here: Path) -> None:
    db = make_workspace(here / "sub" / "web.duckdb")
    result = run("--db", str(db), "report", "--period", "2026-10", "--kpi", "total_revenue",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"][0]["value"] == 3000.30
    assert run("--db", str(db), "config", "set", "fiscal_year_start", "4").exit_code == 0
    assert fiscal_year_start(db) == 4
    untouched(here)


@pytest.mark.parametrize("args", [
    ("config", "--db", "{a}", "set", "fiscal_year_start", "7", "--db", "{b}"),
    ("--db", "{a}", "config", "--db", "{b}", "set", "fiscal_year_start", "7"),
    ("--db", "{a}", "config", "set", "fiscal_year_start", "7", "--db", "{b}"),
    ("target", "--db", "{a}", "set", "win_rate", "0.3", "--db", "{b}"),
    ("--backend", "duckdb://{a}", "config", "set", "fiscal_year_start", "7", "--db", "{b}"),
    ("--backend", "duckdb://{a}", "report", "--backend", "duckdb://{b}"),
    ("report", "--backend", "duckdb://{a}", "--db", "{b}"),
    ("--db", "{a}", "report", "--backend", "postgres://someone@127.0.0.1:1/sales"),
])
def test_two_different_workspaces_are_refused(here: Path, args: tuple[str, ...]) -> None:
    a, b = here / "a.duckdb", here / "b.duckdb"
    result = run(*(x.format(a=a, b=b) for x in args))
    assert result.exit_code == 2, result.output
    assert "two workspaces" in result.stderr
    assert not a.exists() and not b.exists()
    untouched(here)


def test_the_same_file_twice_is_fine(here: Path) -> None:
    a = here / "a.duckdb"
    result = run("--backend", f"duckdb://{a}", "config", "--db", str(a), "set", "fiscal_year_start", "3",
                 "--db", str(a))
    assert result.exit_code == 0, result.output
    assert fiscal_year_start(a) == 3


def test_the_root_backend_reaches_every_command(here: Path) -> None:
    a = here / "a.duckdb"
    result = run("--backend", f"duckdb://{a}", "config", "set", "fiscal_year_start", "5")
    assert result.exit_code == 0, result.output
    assert fiscal_year_start(a) == 5
    untouched(here)


def test_db_beats_a_backend_in_the_environment(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens there: if --db were ignored, this would fail to connect.
    monkeypatch.setenv(BACKEND_ENV, "postgres://someone@127.0.0.1:1/sales")
    cfg = here / "cfg.duckdb"
    result = run("config", "--db", str(cfg), "set", "fiscal_year_start", "7")
    assert result.exit_code == 0, result.output
    assert fiscal_year_start(cfg) == 7


def test_serve_and_demo_refuse_a_backend_they_cannot_use(here: Path) -> None:
    for command in ("serve", "demo"):
        result = run("--backend", "postgres://someone@127.0.0.1:1/sales", command)
        assert result.exit_code == 2, result.output
        assert "DuckDB" in result.stderr
    untouched(here)


def test_serve_takes_db_before_the_command(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    db = make_workspace(here / "sub" / "web.duckdb")
    started: list[object] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets=None: started.append(server.config.app)
                        or setattr(server, "started", True))
    result = run("--db", str(db), "serve", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    # The address is printed once the default view is ready (the app's start, which uvicorn runs:
    # stubbed here); before that serve says which file it prepares.
    assert f"Preparing the dashboard for {db}" in result.output and len(started) == 1
    untouched(here)


def test_serve_refuses_a_port_in_use_before_it_prints_an_address(here: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The address was printed as served, then "[Errno 98] address already in use": requests to it
    reached whatever else listened there."""
    import socket

    import uvicorn

    db = make_workspace(here / "web.duckdb")
    started: list[object] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets=None: started.append(server.config.app)
                        or setattr(server, "started", True))
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run("serve", "--db", str(db), "--port", str(port))
    assert result.exit_code == 1 and not started
    said = " ".join(result.stderr.split())
    assert f"http://127.0.0.1:{port}/ is in use: another program (another salesmetrics serve?)" in said
    assert "Preparing the dashboard" not in result.output


@pytest.mark.parametrize("args", [
    ("report", "--lang", "fr"),
    ("kpis", "--lang", "fr"),
    ("summary", "--lang", "xx"),
    ("kpis", "--format", "csv"),
])
def test_a_language_or_format_that_cannot_be_done_is_refused(here: Path, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert args[-1] in result.output


def test_an_option_of_one_value_given_twice_is_refused(tmp_path: Path) -> None:
    """Click keeps the last: `--by team --by rep` answered by rep alone, exit 0."""
    from helpers import Cli

    cli = Cli(make_workspace(tmp_path / "web.duckdb"))
    by = cli("report", "--period", "2026-10", "--by", "team", "--by", "rep", ok=False)
    assert by.exit_code == 2 and by.stdout == ""
    assert "--by given 2 times; it takes one value; several groupings go in one, with commas: " \
           "--by team,rep" in by.stderr
    # As the command's parser reads the line: -pVALUE and --opt=VALUE count; a value that looks
    # like an option is a value.
    for line in (("-p", "2026-10", "--period=2026-09"), ("-p2026-10", "-p", "2026-09")):
        period = cli("target", "status", *line, ok=False)
        assert period.exit_code == 2 and "--period given 2 times" in period.stderr
    assert "--period given" not in cli("report", "--as-user", "-p", "-p", "2026-10", ok=False).stderr
    # The forecast is by rep or by team: no word of commas there.
    forecast = cli("forecast", "--by", "team", "--by", "rep", ok=False)
    assert forecast.exit_code == 2 and "--by given 2 times; it takes one value\n" in forecast.stderr
    # Options that take several, and a grouping by two: as before.
    rows = cli.report("--period", "2026-10", "--by", "team,rep", "--kpi", "total_revenue", "--kpi",
                      "win_rate", "--filter", "team=east", "--filter", "source=inbound")["rows"]
    assert {(r["kpi"], r["team"], r["rep"]) for r in rows} >= {("total_revenue", "east", "jim")}


def test_lang_takes_a_region_as_the_api_does(tmp_path: Path) -> None:
    # --lang de-AT was refused while the API read lang=de-AT as German.
    from helpers import Cli

    cli = Cli(make_workspace(tmp_path / "web.duckdb"))
    for lang in ("de-AT", "de_DE", "DE"):
        assert cli("report", "--period", "2026-10", "--kpi", "win_rate", "--lang", lang).stdout.startswith(
            "Kennzahlen"), lang
    for wrong in ("fr", "english"):
        refused = cli("report", "--period", "2026-10", "--lang", wrong, ok=False)
        assert refused.exit_code == 2 and "write en or de" in refused.stderr


def test_serve_refuses_a_port_no_address_has(here: Path) -> None:
    """--port 18443482 was printed as served while the socket bound a port cut to 16 bits (the review)."""
    db = make_workspace(here / "web.duckdb")
    for port in ("18443482", "0", "-1"):
        result = run("serve", "--db", str(db), "--port", port)
        assert result.exit_code == 2 and "Preparing the dashboard" not in result.output, port
        assert "'--port': " in result.stderr and "is not in the range 1<=x<=65535" in result.stderr, port


@pytest.mark.parametrize("command", [("cycle",), ("report",), ("forecast",)])
def test_an_as_of_day_that_cannot_be_read_is_refused_in_the_language_asked(demo_db: Path,
                                                                          command: tuple[str, ...]) -> None:
    """A German reader writes 15.8.26: refused in English under --lang de before (a tester). As a
    period takes it, 15.08.2026 is read (it was refused, though --period took 01.10.2026: a tester)."""
    cli = Cli(demo_db)
    german = cli(*command, "--as-of", "15.8.26", "--lang", "de", ok=False)
    assert german.exit_code == 2
    assert ("Fehler: --as-of '15.8.26' ist kein Datum; schreiben Sie TT.MM.JJJJ (oder JJJJ-MM-TT), etwa "
            "15.10.2026") in " ".join(german.output.split())
    assert cli(*command, "--as-of", "15.08.2026", "--lang", "de").output == cli(
        *command, "--as-of", "2026-08-15", "--lang", "de").output
    english = cli(*command, "--as-of", "2026-02-30", ok=False)
    assert english.exit_code == 2
    assert "Error: --as-of '2026-02-30' is not a day of the calendar" in english.output
