"""Usage the command line refuses or takes as written (issue 10 follow-up): a bad setting name is a
message, not a traceback; a negative NPS target can be typed; an option that would be ignored is
refused (or, where documented, said); bad usage and values exit with 2, whatever the kind; ``--kpi``
takes a comma list as ``--by`` does."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from helpers import Cli
from salesmetrics import Workspace
from salesmetrics.backends.url import BACKEND_ENV
from salesmetrics.cli import app
from salesmetrics.storage import DB_ENV
from webdata import make_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Cli:
    return Cli(make_workspace(tmp_path / "w.duckdb"))


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("command", ["unset", "set"])
def test_an_unknown_setting_is_a_message_not_a_traceback(ws: Cli, command: str) -> None:
    args = ("config", command, "nosuch", *(("1",) if command == "set" else ()))
    result = ws(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, KeyError)
    assert "unknown setting 'nosuch'" in result.stderr and "fiscal_year_start" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_setting_value_exits_2(ws: Cli) -> None:
    result = ws("config", "set", "fiscal_year_start", "13", ok=False)
    assert result.exit_code == 2 and "fiscal_year_start must be a month number 1-12" in result.stderr


def test_a_negative_nps_target_can_be_typed(ws: Cli) -> None:
    assert "target nps = -10" in ws("target", "set", "nps", "-10").stdout
    assert "target nps = -25.5" in ws("target", "set", "nps", "-25.5", "--team", "east").stdout
    listed = json.loads(ws("target", "list", "--format", "json").stdout)
    assert sorted((t["scope"], t["value"]) for t in listed) == [("company", -10), ("team", -25.5)]
    # Still a number the KPI can take, and still no negative money.
    assert ws("target", "set", "nps", "-101", ok=False).exit_code == 2
    refused = ws("target", "set", "total_revenue", "-5", "--period", "2026-Q4", ok=False)
    assert refused.exit_code == 2 and "cannot be negative" in refused.stderr


@pytest.mark.parametrize("command", [("set", "win_rate", "0.3"), ("unset", "win_rate")])
def test_as_of_without_a_period_is_refused_for_targets(ws: Cli, command: tuple[str, ...]) -> None:
    result = ws("target", *command, "--as-of", "2026-05-01", ok=False)
    assert result.exit_code == 2, result.output
    assert "--as-of" in result.stderr and "--period" in result.stderr
    with Workspace.open(ws.db, read_only=True) as opened:
        assert opened.list_targets() == []


def test_as_of_with_a_relative_period_anchors_it(ws: Cli) -> None:
    out = ws("target", "set", "win_rate", "0.3", "--period", "this-quarter", "--as-of", "2026-05-01").stdout
    assert "this-quarter (2026-04-01..2026-06-30)" in out


@pytest.mark.parametrize("args", [
    ("funnel", "--by", "product"),  # a dimension the funnel has not
    ("report", "--period", "2027-Q1", "--as-of", "2026-11-30"),  # a period after the as-of day
    ("target", "set", "total_revenue", "5"),  # a sum's target without a period
    ("report", "--kpi", "nosuch"),  # an unknown KPI
    ("report", "--period", "2026-13"),  # a period that cannot be read
    ("report", "--filter", "team=Eest"),  # a value that names nothing
    ("records", "win_rates"),  # a KPI that does not exist, listed
])
def test_bad_usage_and_values_exit_2(ws: Cli, args: tuple[str, ...]) -> None:
    result = ws(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error:") and "Traceback" not in result.output


def test_kpi_takes_a_comma_list_as_by_does(ws: Cli) -> None:
    listed = ws.report("--period", "2026-10", "--kpi", "win_rate,total_revenue")
    repeated = ws.report("--period", "2026-10", "--kpi", "win_rate", "--kpi", "total_revenue")
    assert [r["kpi"] for r in listed["rows"]] == ["win_rate", "total_revenue"]
    assert listed == repeated
    wrong = ws("report", "--kpi", "win_rate,nosuch", ok=False)
    assert wrong.exit_code == 2 and "unknown KPI 'nosuch'" in wrong.stderr


def test_kpis_says_it_opens_no_workspace(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "demo.duckdb"), "kpis")
    assert result.exit_code == 0
    assert "win_rate" in result.stdout
    assert "kpis opens no workspace" in result.stderr
    assert not (tmp_path / "demo.duckdb").exists()
    assert "opens no workspace" not in run("kpis").stderr
    after = run("kpis", "--db", str(tmp_path / "demo.duckdb"))  # after the command too, as README says
    assert after.exit_code == 0 and "kpis opens no workspace" in after.stderr
    assert not (tmp_path / "demo.duckdb").exists()
    # The forecast's figures, below the KPIs: their descriptions dimmed, no markup shown as text.
    assert "[dim]" not in after.stdout and "[/]" not in after.stdout


def test_two_workspaces_in_the_environment_are_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = make_workspace(tmp_path / "a.duckdb"), make_workspace(tmp_path / "b.duckdb")
    monkeypatch.setenv(DB_ENV, str(a))
    monkeypatch.setenv(BACKEND_ENV, f"duckdb://{b}")
    result = run("config")
    assert result.exit_code == 2, result.output
    assert DB_ENV in result.stderr and BACKEND_ENV in result.stderr
    # An explicit --db settles it (and is that file); the same file twice is one workspace.
    assert str(a) in run("config", "--db", str(a)).stdout
    monkeypatch.setenv(BACKEND_ENV, f"duckdb://{a}")
    assert run("config").exit_code == 0
    # From Python: the same refusal.
    monkeypatch.setenv(BACKEND_ENV, f"duckdb://{b}")
    from salesmetrics.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match=BACKEND_ENV):
        Workspace.open()


@pytest.mark.parametrize("group", [(), ("program",), ("schedule",), ("target",), ("user",)])
def test_help_lists_each_command_with_its_summary_wrapped_to_the_terminal(group: tuple[str, ...]) -> None:
    """The command list of --help flows each summary to the width: no line broken where the docstring
    happened to break ("... with its noise badge, the" / "targets (off track first) ...")."""
    result = CliRunner().invoke(app, [*group, "--help"], env={"COLUMNS": "80"})
    panel = result.stdout.split("Commands ─")[1].split("╰")[0]
    summaries: dict[str, list[str]] = {}
    start = 0  # where the summaries' column begins
    for line in panel.splitlines()[1:]:
        name, _, rest = line.strip("│").strip().partition(" ")
        if line[2:3].strip() and name:
            summaries[name] = [rest.strip()]
            start = line.index(rest.strip(), len(name) + 2)
        elif summaries and line.strip("│ "):
            summaries[list(summaries)[-1]].append(line.strip("│ "))
    assert len(summaries) >= 3, result.stdout
    for name, lines in summaries.items():
        # Each line but the last is filled: the next line's first word would not have fit on it
        # (the column ends before the panel's padding and border, at 78).
        for this, following in pairwise(lines):
            room = 78 - start - len(this)
            assert len(following.split()[0]) + 1 > room, (name, this, following, result.stdout)


def _salesmetrics(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console script's own way in (``main``), as a process: the app it builds is the one run."""
    import os

    return subprocess.run([sys.executable, "-m", "salesmetrics", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "100", **(env or {})}, timeout=120)


def test_the_console_script_runs_commands_groups_and_root_options_in_any_order(ws: Cli) -> None:
    """main() builds only the command asked for: it must still take the root's options before it,
    run a group's command, list every command in --help and suggest one for a typo."""
    db = str(ws.db)
    before = _salesmetrics("--db", db, "report", "--period", "2026-10", "--kpi", "total_revenue",
                           "--format", "json")
    after = _salesmetrics("report", "--period", "2026-10", "--kpi", "total_revenue", "--format", "json",
                          "--db", db)
    equals = _salesmetrics(f"--db={db}", "report", "--period", "2026-10", "--kpi", "total_revenue",
                           "--format", "json")
    assert before.returncode == after.returncode == equals.returncode == 0, before.stderr
    value = ws.value("--period", "2026-10", "--kpi", "total_revenue")
    for run_ in (before, after, equals):
        assert json.loads(run_.stdout)["rows"][0]["value"] == value
    group = _salesmetrics("target", "set", "win_rate", "0.3", "--period", "2026-Q4",
                          env={"SALESMETRICS_DB": db})
    assert group.returncode == 0, group.stderr
    assert "win_rate" in _salesmetrics("--db", db, "target", "list").stdout
    listed = _salesmetrics("--help").stdout
    assert all(f" {name} " in listed for name in ("report", "forecast", "serve", "target", "program"))
    typo = _salesmetrics("--db", db, "reprot")
    assert typo.returncode == 2 and "Did you mean 'report'" in typo.stderr + typo.stdout


def test_an_empty_list_says_how_to_add_the_first(ws: Cli) -> None:
    """No bare header over nothing: each list with nothing in it names the command that adds one;
    its JSON stays an empty list for scripts."""
    quarter = f"{date.today().year}-Q{(date.today().month - 1) // 3 + 1}"
    said = {args: " ".join(ws(*args).stdout.split()) for args in (
        ("target", "list"), ("target", "status"), ("target", "status", "--lang", "de"),
        ("schedule", "list"), ("alert", "list"))}

    assert said[("target", "list")].startswith(
        f"no targets: set one with salesmetrics target set win_rate VALUE --period {quarter}")
    assert said[("target", "status")].startswith(
        "no target for this-quarter: set one with salesmetrics target set")
    assert said[("target", "status", "--lang", "de")].startswith(
        "Kein Ziel für dieses Quartal. Eines setzen:")
    assert 'salesmetrics schedule add monday-numbers --every "mon 08:00"' in said[("schedule", "list")]
    assert "salesmetrics alert add win_rate --when off_track" in said[("alert", "list")]
    for args in (("target", "list"), ("target", "status"), ("schedule", "list"), ("alert", "list")):
        assert json.loads(ws(*args, "--format", "json").stdout) == []
    ws("target", "set", "win_rate", "0.3", "--period", quarter)
    listed = ws("target", "list").stdout
    assert "win_rate" in listed and "no targets" not in listed
