"""Enablement programs on every backend: imported from files, added and removed through the CLI (the
core writes them itself), refused when a name is used twice, and measured with the same exact
difference in differences as on DuckDB (tests/programdata.py has the figures by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from backend_fixtures import backend, backend_url, cli

from helpers import write_csv
from programdata import write_programs, write_records

__all__ = ["backend", "backend_url", "cli"]

pytestmark = pytest.mark.usefixtures("backend")


def test_programs_are_kept_and_measured_on_every_backend(cli: Any, tmp_path: Path) -> None:
    cli.import_(write_records(tmp_path / "records"))
    cli.import_(write_programs(tmp_path / "programs"))
    added = json.loads(cli("program", "add", "Coaching", "--start", "2026-05-01", "--rep", "Olga Ortiz",
                           "--cost", "500", "--format", "json").stdout)
    assert added["participants"] == ["o1"] and added["cost"] == 500
    listed = json.loads(cli("program", "list", "--format", "json").stdout)
    assert [p["program_id"] for p in listed] == ["disc", "coaching", "play"]  # by start, then name

    data = json.loads(cli("program", "effect", "Discovery", "--as-of", "2026-09-01", "--kpi", "win_rate",
                          "--kpi", "average_deal_size", "--format", "json").stdout)
    rows = {r["kpi"]: r for r in data["rows"]}
    # o1 is in "Coaching" now, which starts in the after window: the comparison group is o2 alone.
    assert data["comparison"]["reps"] == ["o2"]
    assert rows["win_rate"]["effect"] == round(2 / 7 - 0, 6)
    assert rows["average_deal_size"]["effect"] == 125  # 150 to 275 against 400 to 400

    removed = cli("program", "remove", "coaching").stdout
    assert "removed program 'Coaching'" in removed
    data = json.loads(cli("program", "effect", "Discovery", "--as-of", "2026-09-01", "--kpi", "win_rate",
                          "--format", "json").stdout)
    assert data["comparison"]["reps"] == ["o1", "o2"]
    assert data["rows"][0]["effect"] == round(5 / 42, 6)

    # A name the backend holds already is refused, whole, by an import as by `program add`.
    folder = tmp_path / "twice"
    write_csv(folder / "programs.csv", [{"program_id": "d2", "name": "DISCOVERY", "start_on": "2026-06-01"}])
    refused = cli("import", str(folder), ok=False)
    assert refused.exit_code != 0 and "already in the workspace" in refused.output
    assert cli("program", "add", "discovery", "--start", "2026-06-01", "--rep", "p1", ok=False).exit_code == 2
    listed = json.loads(cli("program", "list", "--format", "json").stdout)
    assert [p["program_id"] for p in listed] == ["disc", "play"]
