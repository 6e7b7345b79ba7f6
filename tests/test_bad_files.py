"""Files that once gave tracebacks are refused with a clear message (issue 18, items 6, 7, 12, 13):
one test per case, through the command line (and the upload where it applies)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from helpers import Cli
from salesmetrics import Workspace
from salesmetrics.importing.run import TEMP_PREFIX, clean_stale_folders
from salesmetrics.web.app import create_app

REPS = "rep_id,name\nr1,Ann\n"


def _no_traceback(result: object) -> None:
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in getattr(result, "output", "")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """The workbook with one part's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = change(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
REP_ROWS = [["rep_id", "name"], ["r1", "Ann"], ["r2", "Bob"]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "in"
    path.mkdir()
    return path


# -- item 6: xlsx that cannot be read -----------------------------------------------------------
def test_a_truncated_xlsx_is_refused(cli: Cli, folder: Path) -> None:
    data = _xlsx(REP_ROWS)
    (folder / "reps.xlsx").write_bytes(data[: len(data) * 2 // 3])
    result = cli.import_(folder / "reps.xlsx", ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "reps.xlsx: not a readable Excel .xlsx file" in result.stderr
    Workspace.open(cli.db).close()  # the upload page serves a workspace that exists
    upload = TestClient(create_app(cli.db, warm=False)).post(
        "/api/v1/import", files=[("files", ("reps.xlsx", data[:2000], "application/octet-stream"))])
    assert upload.status_code == 422 and "not a readable Excel .xlsx file" in upload.text


def test_an_xlsx_with_a_dtd_and_entities_is_refused(cli: Cli, folder: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')

    def with_dtd(xml: str) -> str:
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        return laughs + body.replace("<v>", "<v>", 1).replace(">Ann<", ">&lol2;<")

    data = _rewrite(_xlsx(REP_ROWS), SHEET, with_dtd)
    data = _rewrite(data, "xl/sharedStrings.xml", with_dtd) if "xl/sharedStrings.xml" in \
        zipfile.ZipFile(io.BytesIO(data)).namelist() else data
    (folder / "reps.xlsx").write_bytes(data)
    result = cli.import_(folder / "reps.xlsx", ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "reps.xlsx: not a readable Excel .xlsx file" in result.stderr
    Workspace.open(cli.db).close()  # the upload page serves a workspace that exists
    upload = TestClient(create_app(cli.db, warm=False)).post(
        "/api/v1/import", files=[("files", ("reps.xlsx", data, "application/octet-stream"))])
    assert upload.status_code == 422


def test_an_xlsx_that_unpacks_past_the_limit_is_refused(cli: Cli, folder: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["rep_id", "name"]] + [[f"r{i}", "x" * 200] for i in range(3000)]
    (folder / "reps.xlsx").write_bytes(_xlsx(rows))
    monkeypatch.setenv("SALESMETRICS_XLSX_MAX_MB", "0.2")
    result = cli.import_(folder / "reps.xlsx", ok=False)
    assert result.exit_code == 1 and "the workbook unpacks to" in result.stderr
    assert "more than the 0 MB" in result.stderr or "more than the" in result.stderr
    assert "SALESMETRICS_XLSX_MAX_MB" in result.stderr
    monkeypatch.setenv("SALESMETRICS_XLSX_MAX_MB", "50")
    assert "3000" in " ".join(cli.import_(folder / "reps.xlsx").stdout.split())


# -- item 7: the sheet's <dimension> ----------------------------------------------------------
def test_xlsx_rows_past_an_understated_dimension_are_read(cli: Cli, folder: Path) -> None:
    data = _rewrite(_xlsx(REP_ROWS), SHEET, lambda xml: xml.replace('ref="A1:B3"', 'ref="A1:B2"'))
    assert b'ref="A1:B2"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    (folder / "reps.xlsx").write_bytes(data)
    cli.import_(folder / "reps.xlsx")
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.connection.execute("SELECT rep_id FROM reps ORDER BY 1").fetchall() == [("r1",), ("r2",)]


# -- item 6: encodings, --inspect --------------------------------------------------------------
def test_utf16_named_for_a_file_without_a_bom(cli: Cli, folder: Path) -> None:
    (folder / "reps.csv").write_bytes(REPS.encode("utf-16-le"))
    result = cli("import", "--quiet", "--encoding", "utf-16", str(folder / "reps.csv"), ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "--encoding utf-16-le" in result.stderr
    cli("import", "--quiet", "--encoding", "utf-16-le", str(folder / "reps.csv"))
    unknown = cli("import", "--quiet", "--encoding", "klingon", str(folder / "reps.csv"), ok=False)
    assert unknown.exit_code == 2 and "unknown encoding 'klingon'" in unknown.stderr


def test_a_file_mixing_line_ends_names_the_first_line_that_differs(cli: Cli, folder: Path) -> None:
    """Lines added by another program: DuckDB's reader said only "The CSV Parser state machine
    reached an invalid state"."""
    (folder / "reps.csv").write_bytes(b"rep_id,name\r\nr1,Ann\r\nr2,Bob\nr3,Cid\r\n")
    result = cli("import", "--quiet", str(folder / "reps.csv"), ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and not cli.db.exists()
    said = " ".join(result.stderr.split())
    assert ("reps.csv, line 3: line ends with a Unix line end (LF) where line 1 ends with a Windows line "
            "end (CR LF): the file mixes two kinds of line ends") in said
    german = cli("import", "--quiet", "--lang", "de", str(folder / "reps.csv"), ok=False).stderr
    german = " ".join(german.split())
    assert "Zeile 3: die Zeile endet mit einem Unix-Zeilenende (LF), Zeile 1 mit CR LF" in german
    # A line end inside quotes is a value's (an Excel cell of two lines), not the one that differs.
    (folder / "reps.csv").write_bytes(b'rep_id,name\r\nr1,"Ann\nSmith"\r\nr2,Bob\r\nr3,Cid\nr4,Dee\r\n')
    said = " ".join(cli("import", "--quiet", str(folder / "reps.csv"), ok=False).stderr.split())
    assert "reps.csv, line 5: line ends with a Unix line end (LF)" in said
    # Saved with one kind, it is read.
    (folder / "reps.csv").write_bytes(b'rep_id,name\r\nr1,"Ann\nSmith"\r\nr2,Bob\r\nr3,Cid\r\n')
    cli("import", "--quiet", str(folder / "reps.csv"))


def test_inspect_a_missing_file(cli: Cli, folder: Path) -> None:
    result = cli("import", "--inspect", str(folder / "nope.csv"), ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "nope.csv: file not found" in result.stderr
    # Said as what it is, not an import refused ("nothing was written"), and in German when asked.
    assert "cannot propose a mapping for nope.csv: 1 problem(s) found" in result.stderr
    assert "nothing was written" not in result.stderr
    german = cli("import", "--inspect", str(folder / "nope.csv"), "--lang", "de", ok=False)
    assert "Für nope.csv lässt sich kein Mapping vorschlagen" in german.stderr
    assert "nope.csv: Datei nicht gefunden" in german.stderr


# -- item 6 and 12: files that are no workspace ----------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_truncated_workspace(tmp_path: Path, folder: Path) -> None:
    good = Cli(tmp_path / "good.duckdb")
    (folder / "reps.csv").write_text(REPS + "".join(f"r{i},N{i}\n" for i in range(2, 20000)))
    good.import_(folder / "reps.csv")
    data = good.db.read_bytes()
    broken = Cli(tmp_path / "broken.duckdb")
    broken.db.write_bytes(data[: len(data) // 2])
    for args in (("report", "--period", "2026-10"), ("config",), ("import", "--quiet", str(folder))):
        result = broken(*args, ok=False)
        _no_traceback(result)
        assert result.exit_code == 1, args
        assert "cannot be read; it may be damaged or truncated" in result.stderr, args


def test_a_damaged_workspace(tmp_path: Path, folder: Path) -> None:
    cli = Cli(tmp_path / "w.duckdb")
    (folder / "reps.csv").write_text(REPS + "".join(f"r{i},N{i}\n" for i in range(2, 20000)))
    cli.import_(folder / "reps.csv")
    data = bytearray(cli.db.read_bytes())
    data[300_000:600_000] = b"\xff" * 300_000
    cli.db.write_bytes(bytes(data))
    result = cli("report", "--period", "2026-10", "--by", "rep", ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "may be damaged" in result.stderr


def test_a_workspace_in_a_folder_it_cannot_write_is_said_so_not_damaged(tmp_path: Path, folder: Path) -> None:
    """A read-only folder was said as a damaged workspace to restore from a backup: the file was
    whole, its change's log could not be written beside it (a tester). Run as the user would be:
    root is let write anywhere, so root drops that right first."""
    cli = Cli(tmp_path / "shut" / "w.duckdb")
    (folder / "reps.csv").write_text(REPS)
    cli.import_(folder / "reps.csv")
    (folder / "reps.csv").write_text(REPS + "r2,Bob\n")
    salesmetrics = str(Path(sys.executable).with_name("salesmetrics"))
    root = os.geteuid() == 0
    as_user = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if root else []
    cli.db.parent.chmod(0o555)
    try:
        result = subprocess.run([*as_user, salesmetrics, "import", "--quiet", "--db", str(cli.db),
                                 str(folder / "reps.csv")], capture_output=True, text=True, timeout=120)
    finally:
        cli.db.parent.chmod(0o755)
    said = " ".join(result.stderr.split())
    assert result.returncode == 1 and "cannot be changed: its folder or files are not writable" in said, said
    assert "damaged" not in said and f"Let this user write to {cli.db.parent}" in said
    assert cli("report", "--period", "2026-10").exit_code == 0  # whole, as it was


def test_a_duckdb_file_with_a_deals_table_is_refused_untouched(tmp_path: Path, folder: Path) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE deals (id INTEGER, what VARCHAR)")
    con.execute("INSERT INTO deals VALUES (1, 'not ours')")
    con.close()
    before = _digest(other)
    cli = Cli(other)
    (folder / "reps.csv").write_text(REPS)
    for args in (("report",), ("summary",), ("config",), ("import", "--quiet", str(folder)),
                 ("config", "set", "time_zone", "UTC")):
        result = cli(*args, ok=False)
        _no_traceback(result)
        assert result.exit_code == 1, args
        assert "is a DuckDB file but not a salesmetrics workspace" in result.stderr
        assert "deals" in result.stderr and "nothing was changed" in result.stderr
    assert _digest(other) == before
    assert sorted(os.listdir(tmp_path)) == ["in", "other.duckdb"]


def test_read_commands_never_create_a_file(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "typo.duckdb")
    for args in (("report",), ("summary",), ("records", "total_revenue"), ("trend",), ("config",),
                 ("target", "list"), ("target", "status"), ("scorecard", "r1"), ("funnel",), ("ramp",),
                 ("cycle",), ("activities",), ("satisfaction",), ("dashboard",),
                 # These created typo.duckdb and answered from it: an empty forecast, "no deal was lost".
                 ("forecast",), ("forecast", "--accuracy"), ("slippage",), ("losses",), ("program", "list"),
                 ("program", "show", "x"), ("program", "effect", "x"), ("schedule", "list"),
                 ("alert", "list")):
        result = cli(*args, ok=False)
        _no_traceback(result)
        assert result.exit_code == 1, (args, result.output)
        assert f"no workspace at {cli.db}" in result.stderr, args
    assert os.listdir(tmp_path) == []
    assert cli("config", "set", "time_zone", "UTC").exit_code == 0  # a write makes it
    assert cli("report", "--format", "json").exit_code == 0


def test_an_empty_duckdb_file_is_read_by_nothing_and_filled_by_writes(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    cli = Cli(tmp_path / "empty.duckdb")
    assert "an empty DuckDB file" in cli("report", ok=False).stderr
    cli("config", "set", "time_zone", "UTC")
    assert cli("report", "--format", "json").exit_code == 0


def test_an_older_workspace_is_upgraded_by_writes_only(tmp_path: Path) -> None:
    from salesmetrics import storage

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    storage.migrate(con, upto=3)
    con.close()
    before = _digest(path)
    cli = Cli(path)
    refused = cli("report", ok=False)
    assert refused.exit_code == 1 and "made by an older salesmetrics (schema version 3" in refused.stderr
    assert _digest(path) == before
    cli("config", "set", "time_zone", "UTC")
    assert cli("report", "--format", "json").exit_code == 0


# -- item 13: extensions -----------------------------------------------------------------------
def test_a_sqlite_file_is_refused_without_fetching_an_extension(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    sqlite3.connect(path).execute("CREATE TABLE deals (a)").connection.commit()
    before = _digest(path)
    result = Cli(path)("report", ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "not a salesmetrics workspace (not a DuckDB file)" in result.stderr
    assert "extension" not in result.stderr.lower() and _digest(path) == before
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        settings = dict(ws.connection.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
    assert settings == {"autoload_known_extensions": "false", "autoinstall_known_extensions": "false"}


def test_stale_import_folders_are_removed(tmp_path: Path, cli: Cli, folder: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"{TEMP_PREFIX}{dead.pid}-abc"
    (stale / "x").mkdir(parents=True)
    alive = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-def"
    alive.mkdir()
    assert clean_stale_folders(tmp_path) == [stale]
    assert not stale.exists() and alive.exists()
    shutil.rmtree(alive)


# -- item 6: a full disk ---------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 1.5 MB file system (tmpfs), where root may mount one; else the test is skipped."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_says_which_file_and_how_much(small_disk: Path, folder: Path) -> None:
    cli = Cli(small_disk / "w.duckdb")
    (folder / "reps.csv").write_text(REPS)
    cli.import_(folder / "reps.csv")
    rows = "".join(f"a{i},r1,call,2026-01-01T10:00:00\n" for i in range(150_000))
    (folder / "activities.csv").write_text("activity_id,rep_id,type,occurred_at\n" + rows)
    result = cli.import_(folder / "activities.csv", ok=False)
    _no_traceback(result)
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert f"no space left on the disk holding {small_disk}" in message
    assert "It needs about" in message and "MB are free)" in message
    assert "nothing of this import was kept" in message
    assert cli("report", "--format", "json", "--kpi", "activity_count").exit_code == 0
    # A setting or a target on a disk with no room left was "cannot be read; it may be damaged or
    # truncated (... cannot rollback - no transaction is active). Restore it from a backup".
    with open(small_disk / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()
    for args in (("config", "set", "fiscal_year_start", "4"), ("target", "set", "win_rate", "30%")):
        result = cli(*args, ok=False)
        _no_traceback(result)
        said = " ".join(result.stderr.split())
        if result.exit_code == 0:  # DuckDB found room in the file's own free pages
            continue
        assert "no space left on the disk" in said and "nothing was changed" in said, said
        assert "damaged" not in said and "import" not in said


def test_hostile_options_are_refused_in_words_not_tracebacks(cli: Cli, folder: Path, tmp_path: Path) -> None:
    """rot13, hex, base64 and zip are Python codecs, but not of text (a TypeError traceback); a
    mapping's table as a list was "unhashable type"; an output into a folder that does not exist
    was a FileNotFoundError after the whole report was computed."""
    (folder / "reps.csv").write_text("rep_id,name\nr1,Ann\n", encoding="utf-8")
    for codec in ("rot13", "hex", "base64", "zip"):
        result = cli("import", "--encoding", codec, str(folder / "reps.csv"), ok=False)
        _no_traceback(result)
        assert result.exit_code == 2 and f"'{codec}' is no text encoding" in result.stderr, result.output
    mapping = tmp_path / "m.toml"
    mapping.write_text('table = ["reps"]\n[columns]\nrep_id = "rep_id"\n', encoding="utf-8")
    result = cli("import", "--mapping", str(mapping), str(folder / "reps.csv"), ok=False)
    _no_traceback(result)
    assert "table must be one of reps," in " ".join(result.stderr.split())
    cli.import_(folder / "reps.csv")
    for args in (("report", "--period", "2026-10", "--format", "xlsx", "--output", "nodir/x.xlsx"),
                 ("records", "total_revenue", "--period", "2026-10", "--format", "xlsx", "-o",
                  "nodir/x.xlsx"),
                 ("digest", "--period", "2026-10", "--output", "nodir/x.pdf")):
        result = cli(*args, ok=False)
        _no_traceback(result)
        assert result.exit_code == 2 and "there is no folder nodir" in result.stderr, args


def test_a_nul_byte_in_a_field_and_archives_named_csv_are_said_as_such(cli: Cli, folder: Path) -> None:
    """One NUL byte in one field was "not a CSV text file", no line or column; a gzip or zip
    archive named .csv was too (a tester). Nothing is written."""
    (folder / "deals.csv").write_bytes(b"deal_id;rep_id;created_at\nd1;r1;2026-01-01\nd2;r\x001;2026-01-01\n")
    said = " ".join(cli("import", "--quiet", str(folder / "deals.csv"), ok=False).stderr.split())
    assert "deals.csv, line 3, column 'rep_id': contains a NUL byte (binary data, not text)" in said
    german = cli("import", "--quiet", "--lang", "de", str(folder / "deals.csv"), ok=False).stderr
    german = " ".join(german.split())
    assert "Zeile 3, Spalte 'rep_id': enthält ein NUL-Byte (Binärdaten, kein Text)" in german
    (folder / "deals.csv").unlink()
    (folder / "reps.csv").write_bytes(gzip.compress(REPS.encode()))
    assert "a gzip-compressed file named as a CSV file: unpack it first" in " ".join(
        cli("import", "--quiet", str(folder / "reps.csv"), ok=False).stderr.split())
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("reps.csv", REPS)
    (folder / "reps.csv").write_bytes(packed.getvalue())
    assert "a zip archive named as a CSV file: unpack it first" in " ".join(
        cli("import", "--quiet", str(folder / "reps.csv"), ok=False).stderr.split())
    assert not cli.db.exists()


def test_a_workbook_named_csv_is_said_to_be_one(cli: Cli, folder: Path) -> None:
    """An .xlsx saved as reps.csv read "binary data, or a UTF-16 export; save it as CSV"."""
    (folder / "reps.csv").write_bytes(_xlsx(REP_ROWS))
    result = cli.import_(folder / "reps.csv", ok=False)
    _no_traceback(result)
    assert "an Excel workbook (xlsx) named as a CSV file: rename it .xlsx" in " ".join(result.stderr.split())
    (folder / "reps.csv").rename(folder / "reps.xlsx")
    cli.import_(folder / "reps.xlsx")


def test_a_spreadsheet_s_day_number_is_said_to_be_one(cli: Cli, folder: Path) -> None:
    """45662 in a date column was "not a date and time", without a word of where it came from: a
    date cell that lost its format in a spreadsheet before the CSV was saved."""
    (folder / "reps.csv").write_text("rep_id\nr1\n", encoding="utf-8")
    (folder / "deals.csv").write_text("deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
                                      "d1,r1,45662,,open,10.00,USD\n", encoding="utf-8")
    english = " ".join(cli.import_(folder, ok=False).stderr.split())
    assert ("45662 looks like a spreadsheet's day number (2025-01-05): format the column as a date "
            "before saving, or import the .xlsx itself") in english
    german = " ".join(cli("import", "--lang", "de", str(folder), ok=False).stderr.split())
    assert "45662 sieht wie die Tageszahl einer Tabellenkalkulation aus (2025-01-05)" in german
    assert "kein Datum mit Uhrzeit" in german


def test_a_formula_never_calculated_is_refused(cli: Cli, folder: Path) -> None:
    """A workbook written by a script keeps formulas without their results; openpyxl reads them as
    empty, so an optional amount or date was dropped without a word. A formula whose result was
    saved reads as its result; a text result of "" reads as empty."""
    (folder / "reps.csv").write_text("rep_id\nr1\n", encoding="utf-8")
    header = ["deal_id", "rep_id", "created_at", "closed_at", "status", "amount", "currency"]
    (folder / "deals.xlsx").write_bytes(_xlsx([
        header, ["d1", "r1", "2026-10-01", "2026-10-05", "won", 10, "USD"],
        ["d2", "r1", "2026-10-02", "2026-10-06", "won", "=10*2", "USD"],
        ["d3", "r1", "2026-10-02", '=IF(1,"",1)', "open", 30, "USD"]]))
    result = cli.import_(folder, ok=False)
    _no_traceback(result)
    said = " ".join(result.stderr.split())
    assert ("deals.xlsx, line 3, column 'amount': cell F3 holds a formula whose result was never saved "
            "(and 1 more cells): the workbook was written by a program that does not calculate."
            ) in said, said
    assert "(value '=10*2')" in said
    german = " ".join(cli("import", "--lang", "de", str(folder), ok=False).stderr.split())
    assert ("Zelle F3 enthält eine Formel, deren Ergebnis nie gespeichert wurde (und 1 weitere "
            "Zellen)") in german
    # The results saved, as Excel saves them (a number in <v>, a text "" as t="str"): read as such.
    calculated = _rewrite((folder / "deals.xlsx").read_bytes(), SHEET, lambda xml: xml.replace(
        "<f>10*2</f><v />", "<f>10*2</f><v>20</v>").replace('<c r="D4">', '<c r="D4" t="str">'))
    (folder / "deals.xlsx").write_bytes(calculated)
    cli.import_(folder)
    with Workspace.open(cli.db, read_only=True) as ws:
        deals = ws.connection.execute(
            "SELECT deal_id, amount, closed_at FROM deals ORDER BY deal_id").fetchall()
    assert [(d, str(a), c is None) for d, a, c in deals] == [
        ("d1", "10.00", False), ("d2", "20.00", False), ("d3", "30.00", True)]


def test_a_formula_in_a_column_not_read_or_a_totals_row_is_no_reason_to_refuse(cli: Cli,
                                                                              folder: Path) -> None:
    """A script's notes column of formulas, or a totals row under the records, was read as empty
    (and the row left out) before formulas were checked: neither refuses the file (the review)."""
    opportunities = Path(__file__).parent / "fixtures" / "crm" / "salesforce" / "opportunities.csv"
    lines = [line.split(",") for line in opportunities.read_text(encoding="utf-8").splitlines()]
    sheet: list[list[object]] = [[*lines[0], "Notes"]]
    sheet += [[*line, f"=A{i}&B{i}"] for i, line in enumerate(lines[1:], start=2)]
    amount = lines[0].index("Amount")
    sheet.append([None] * amount + [f"=SUM(E2:E{len(lines)})"])  # a totals row: a formula alone
    (folder / "opportunities.xlsx").write_bytes(_xlsx(sheet))
    cli("import", "--quiet", "--from", "salesforce", str(folder / "opportunities.xlsx"))
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.counts()["deals"] == len(lines) - 1
    sheet[1][amount] = "=1000*2"  # a formula in a column the import reads: refused
    (folder / "opportunities.xlsx").write_bytes(_xlsx(sheet))
    result = cli("import", "--from", "salesforce", str(folder / "opportunities.xlsx"), ok=False)
    said = " ".join(result.stderr.split())
    assert "line 2, column 'Amount': cell E2 holds a formula whose result was never saved:" in said, said
