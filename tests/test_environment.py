"""Our environment variables read strictly: a value one does not take is refused, naming the
variable and what it takes, before anything is written, and never replaced by the default without a
word. ``SALESMETRICS_IMPORT_MEMORY=bogus`` once made an import say the workspace was damaged;
``SALESMETRICS_MAX_UPLOAD_MB=1g`` was 100 MB."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from helpers import Cli, form_token, write_csv
from salesmetrics import Workspace
from salesmetrics.web.app import create_app
from webdata import make_workspace

REPS = [{"rep_id": "ann", "name": "Ann", "team": "East"}]
DEALS = (b"deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
         b"n1,jim,2026-10-01,2026-10-02,won,10.00,USD\n")


def _said(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.mark.parametrize("value", ["bogus", "0", "1KB", "-1GB", "2 parsecs", "63MB", "1e3MB", "101%",
                                   "2 kilobytes", "3000000000"])
def test_an_import_memory_it_does_not_take_is_refused_and_nothing_written(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    reps = write_csv(tmp_path / "reps.csv", REPS)
    cli.import_(write_csv(tmp_path / "first" / "reps.csv", [{"rep_id": "bob", "name": "Bob"}]))
    monkeypatch.setenv("SALESMETRICS_IMPORT_MEMORY", value)
    result = cli.import_(reps, ok=False)
    assert result.exit_code == 2  # a value refused
    said = _said(result)
    assert (f"$SALESMETRICS_IMPORT_MEMORY={value!r} is not a memory size of 64MB or more, such as "
            "2GB, 512MiB or 50%; set it so, or unset it for the default (2GB)") in said
    assert "damaged" not in said and "Traceback" not in said
    monkeypatch.delenv("SALESMETRICS_IMPORT_MEMORY")
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.store.names("reps") == {"bob": "Bob"}


@pytest.mark.parametrize("value", ["512MiB", "2 GB", "1.5gb", "64MB", " 3GB ", "2G", "1024m",
                                   "4 gigabytes", "3000000000B", "50%"])
def test_an_import_memory_in_any_unit_duckdb_reads_is_used(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SALESMETRICS_IMPORT_MEMORY", value)
    cli.import_(write_csv(tmp_path / "reps.csv", REPS))
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.store.names("reps") == {"ann": "Ann"}


@pytest.mark.parametrize("value", ["soon", "nan", "-1", "inf"])
def test_a_lock_wait_it_does_not_take_is_refused(cli: Cli, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    cli.import_(write_csv(tmp_path / "reps.csv", REPS))
    monkeypatch.setenv("SALESMETRICS_LOCK_WAIT", value)
    result = cli("report", "--period", "2026-10", ok=False)
    assert result.exit_code == 2
    assert (f"$SALESMETRICS_LOCK_WAIT={value!r} is not a number of seconds, such as 30; set it so, "
            "or unset it for the default (30.0)") in _said(result)
    monkeypatch.setenv("SALESMETRICS_LOCK_WAIT", "0.5")  # a fraction of a second is a wait
    assert cli("report", "--period", "2026-10", "--format", "json").exit_code == 0


@pytest.mark.parametrize(("name", "value", "takes", "default"), [
    ("SALESMETRICS_MAX_UPLOAD_MB", "1g", "a number of megabytes above 0, such as 100", "100"),
    ("SALESMETRICS_MAX_UPLOAD_MB", "0", "a number of megabytes above 0, such as 100", "100"),
    ("SALESMETRICS_SCHEDULE_INTERVAL", "-5", "a number of seconds of 1 or more, such as 60", "60"),
    ("SALESMETRICS_SCHEDULE_INTERVAL", "1m", "a number of seconds of 1 or more, such as 60", "60"),
    # README: at least 1; 0 and 0.5 were raised to 1 without a word.
    ("SALESMETRICS_SCHEDULE_INTERVAL", "0.5", "a number of seconds of 1 or more, such as 60", "60"),
    ("SALESMETRICS_LOCK_WAIT", "soon", "a number of seconds, such as 30", "30.0"),
    # Read by every upload: said when the server starts, not by each upload's answer.
    ("SALESMETRICS_IMPORT_MEMORY", "lots", "a memory size of 64MB or more, such as 2GB, 512MiB or 50%",
     "2GB"),
    ("SALESMETRICS_XLSX_MAX_MB", "-3", "a number of megabytes above 0, such as 100", "500"),
])
def test_serve_refuses_a_setting_it_does_not_take_before_it_starts(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        name: str, value: str, takes: str, default: str) -> None:
    cli.import_(write_csv(tmp_path / "reps.csv", REPS))
    monkeypatch.setenv(name, value)
    # Refused before uvicorn would start: the test would hang on a server otherwise.
    result = cli("serve", "--port", "1", ok=False)
    assert result.exit_code == 2
    said = _said(result)
    assert f"${name}={value!r} is not {takes}; set it so, or unset it for the default ({default})" in said
    assert "Traceback" not in said and "Preparing the dashboard" not in said


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["rep_id", "name", "team"])
    sheet.append(["ann", "Ann", "East"])
    book.save(path)
    return path


def test_an_xlsx_limit_it_does_not_take_is_refused(cli: Cli, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    book = _workbook(tmp_path / "reps.xlsx")
    monkeypatch.setenv("SALESMETRICS_XLSX_MAX_MB", "lots")
    result = cli.import_(book, ok=False)
    assert result.exit_code == 2
    assert ("$SALESMETRICS_XLSX_MAX_MB='lots' is not a number of megabytes above 0, such as 100; "
            "set it so, or unset it for the default (500)") in _said(result)
    monkeypatch.setenv("SALESMETRICS_XLSX_MAX_MB", "0.5")  # half a megabyte is a limit
    cli.import_(book)
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.store.names("reps") == {"ann": "Ann"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_workspace(tmp_path / "web.duckdb"), warm=False)) as c:
        yield c


def test_an_upload_says_the_setting_in_the_readers_language(client: TestClient,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    before = client.get("/api/v1/workspace").json()["counts"]["deals"]
    monkeypatch.setenv("SALESMETRICS_IMPORT_MEMORY", "viel")
    files = [("files", ("deals.csv", DEALS, "text/csv"))]
    api = client.post("/api/v1/import", files=files)
    assert api.status_code == 500 and api.json()["error"]["type"] == "server_setting", api.text
    assert api.json()["error"]["message"] == (
        "$SALESMETRICS_IMPORT_MEMORY='viel' is not a memory size of 64MB or more, such as 2GB, "
        "512MiB or 50%; set it so, or unset it for the default (2GB)")
    page = client.post("/upload?lang=de", data={"csrf": form_token(client.get("/upload").text)},
                       files=files)
    assert page.status_code == 500
    assert ("$SALESMETRICS_IMPORT_MEMORY='viel' ist keine Speichergröße ab 64MB wie 2GB, 512MiB "
            "oder 50%; so setzen oder für den Standardwert (2GB) entfernen") in html.unescape(page.text)
    monkeypatch.delenv("SALESMETRICS_IMPORT_MEMORY")
    assert client.get("/api/v1/workspace").json()["counts"]["deals"] == before
    assert client.post("/api/v1/import", files=files).status_code == 200
