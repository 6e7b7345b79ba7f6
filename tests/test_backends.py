"""Choosing where the records live: backend URLs, and --backend / $SALESMETRICS_BACKEND on DuckDB
(the conformance suite, tests/conformance, runs the same on PostgreSQL and Spark)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesmetrics import Workspace, WorkspaceError
from salesmetrics.backends import BACKEND_ENV, parse_url
from salesmetrics.cli import app


def test_urls_name_the_engine_and_where_its_records_are() -> None:
    assert parse_url("duckdb:///tmp/x.duckdb").path == Path("/tmp/x.duckdb")
    assert parse_url("duckdb://rel/x.duckdb").path == Path("rel/x.duckdb")
    pg = parse_url("postgres://me:secret@db:5433/sales?schema=sm")
    assert (pg.kind, pg.options, pg.remote) == ("postgres", {"schema": "sm"}, True)
    assert "secret" not in pg.redacted()
    local = parse_url("pyspark:///data/wh?master=local[4]&deals=crm.opps")
    assert (local.kind, local.master, local.path) == ("pyspark", "local[4]", Path("/data/wh"))
    assert local.options == {"deals": "crm.opps"}
    cluster = parse_url("spark://master:7077/mnt/lake/sm")
    assert (cluster.master, cluster.path) == ("spark://master:7077", Path("/mnt/lake/sm"))
    with pytest.raises(WorkspaceError, match="unknown backend"):
        parse_url("mysql://x/y")
    with pytest.raises(WorkspaceError, match="name the database"):
        parse_url("postgres://host")
    with pytest.raises(WorkspaceError, match="names no Spark master"):  # a Java traceback
        parse_url("spark://")


def test_a_duckdb_backend_url_is_the_same_as_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sales.duckdb"
    with Workspace.open(backend=f"duckdb://{target}") as ws:
        assert ws.path == target
    monkeypatch.setenv("SALESMETRICS_BACKEND", f"duckdb://{tmp_path / 'env.duckdb'}")
    with Workspace.open() as ws:
        assert ws.path == tmp_path / "env.duckdb"
    with Workspace.open(tmp_path / "explicit.duckdb") as ws:  # --db wins over the environment
        assert ws.path == tmp_path / "explicit.duckdb"


def test_the_cli_takes_backend_on_commands_and_before_them(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "reps.csv").write_text("rep_id,name,team\nr1,Ann,east\n")
    (folder / "deals.csv").write_text(
        "deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
        "d1,r1,2026-10-01T09:00:00,2026-10-02T10:00:00,won,100.00,USD\n")
    url = f"duckdb://{tmp_path / 'w.duckdb'}"
    runner = CliRunner()
    done = runner.invoke(app, ["import", "--quiet", str(folder), "--backend", url])
    assert done.exit_code == 0, done.output
    # The root option sets $SALESMETRICS_BACKEND for the command; naming it in env= puts it back after.
    report = runner.invoke(app, ["--backend", url, "report", "--period", "2026-10", "--kpi",
                                 "total_revenue", "--format", "json"], env={BACKEND_ENV: None})
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["rows"][0]["value"] == 100
    assert (tmp_path / "w.duckdb").exists()
    assert BACKEND_ENV not in os.environ
