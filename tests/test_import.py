"""Importing CSV and Parquet files through the public API: what is written, what is refused, and that
a refused import leaves the workspace exactly as it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from salesmetrics.errors import ImportValidationError, Problem
from salesmetrics.importing import ImportSummary, TableCounts, tables_for_paths
from salesmetrics.importing import write as import_write
from salesmetrics.workspace import Workspace

REPS = "rep_id,name,team,hired_on\nR1,Ann,east,2024-01-15\nR2,Bob,west,2025-06-01\n"
PRODUCTS = "product_id,name,unit_price,currency\nP1,Widget,10.00,EUR\nP2,Gadget,25.50,EUR\n"
DEALS = (
    "deal_id,rep_id,account,created_at,closed_at,status,amount,currency\n"
    "D1,R1,Acme,2026-01-05T09:00:00,2026-02-01T12:00:00,won,1000.50,EUR\n"
    "D2,R2,Globex,2026-01-06T10:00:00,,open,200,EUR\n"
    "D3,R1,Initech,2026-01-07T11:00:00,2026-01-20T15:30:00,lost,300.25,EUR\n"
)
DEAL_ITEMS = "deal_id,product_id,quantity,unit_price\nD1,P1,10,10.00\nD1,P2,2.5,25.50\n"
QUOTAS = (
    "rep_id,team,period_start,period_end,amount,currency\n"
    "R1,,2026-01-01,2026-03-31,5000,EUR\n"
    ",east,2026-01-01,2026-03-31,20000,EUR\n"
)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "w.duckdb") as workspace:
        yield workspace


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def counts_of(summary: ImportSummary) -> dict[str, tuple[int, int, int]]:
    return {t.table: (t.inserted, t.updated, t.unchanged) for t in summary.tables}


def seeded(ws: Workspace, folder: Path) -> Workspace:
    """A workspace that already holds reps, so a refused import has something to leave alone."""
    ws.import_files(write(folder / "seed", "reps.csv", REPS))
    return ws


def refused(ws: Workspace, *paths: Path | str) -> ImportValidationError:
    """Import expecting refusal; the workspace must be unchanged afterwards."""
    before = (ws.counts(), ws.data_version)
    with pytest.raises(ImportValidationError) as caught:
        ws.import_files(*paths)
    assert (ws.counts(), ws.data_version) == before
    temporary = ws.connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()
    assert temporary == (0,)
    return caught.value


def only(error: ImportValidationError) -> Problem:
    assert error.total == 1, str(error)
    return error.problems[0]


def assert_problem(error: ImportValidationError, file: Path | str, line: int | None,
                   column: str | None, value: str | None, message: str) -> None:
    """One of the problems is exactly at file/line/column/value, and the message says all that."""
    matching = [p for p in error.problems
                if (p.file, p.line, p.column, p.value) == (str(file), line, column, value)]
    assert matching, f"no problem at {file}:{line} {column}={value!r} in:\n{error}"
    assert message in matching[0].message, str(error)
    text = str(error)
    assert str(matching[0]) in text
    assert str(file) in text
    if line is not None:
        assert f"line {line}" in text
    if column is not None:
        assert repr(column) in text
    if value is not None:
        assert repr(value) in text


def one_value(ws: Workspace, sql: str) -> Any:
    row = ws.connection.execute(sql).fetchone()
    assert row is not None
    return row[0]


# -- good imports -------------------------------------------------------------------------------


def test_multi_table_import_counts_rows_per_table(ws: Workspace, files: Path) -> None:
    paths = [write(files, n, t) for n, t in [
        ("deals.csv", DEALS), ("reps.csv", REPS), ("products.csv", PRODUCTS),
        ("deal_items.csv", DEAL_ITEMS), ("quotas.csv", QUOTAS)]]
    version = ws.data_version

    summary = ws.import_files(*paths)

    assert [t.table for t in summary.tables] == ["reps", "products", "deals", "deal_items", "quotas"]
    assert counts_of(summary) == {"reps": (2, 0, 0), "products": (2, 0, 0), "deals": (3, 0, 0),
                                  "deal_items": (2, 0, 0), "quotas": (2, 0, 0)}
    assert summary.files == tuple(str(p) for p in paths)
    assert summary.changed == 11
    assert ws.data_version == version + 1
    assert ws.counts()["deals"] == 3
    assert ws.connection.execute(
        "SELECT deal_id, closed_at, amount, currency FROM deals ORDER BY deal_id").fetchall() == [
        ("D1", datetime(2026, 2, 1, 12), Decimal("1000.50"), "EUR"),
        ("D2", None, Decimal("200.00"), "EUR"),
        ("D3", datetime(2026, 1, 20, 15, 30), Decimal("300.25"), "EUR"),
    ]


def test_reimporting_the_same_files_changes_nothing(ws: Workspace, files: Path) -> None:
    paths = [write(files, "reps.csv", REPS), write(files, "deals.csv", DEALS),
             write(files, "quotas.csv", QUOTAS)]
    ws.import_files(*paths)
    version, counts = ws.data_version, ws.counts()

    summary = ws.import_files(*paths)

    assert counts_of(summary) == {"reps": (0, 0, 2), "deals": (0, 0, 3), "quotas": (0, 0, 2)}
    assert summary.changed == 0
    assert ws.data_version == version
    assert ws.counts() == counts
    assert one_value(ws, "SELECT count(*) FROM duckdb_tables() WHERE temporary") == 0


def test_a_changed_record_replaces_the_old_one(ws: Workspace, files: Path) -> None:
    ws.import_files(write(files, "reps.csv", REPS), write(files, "deals.csv", DEALS))
    version = ws.data_version
    changed = (
        "deal_id,rep_id,created_at,closed_at,status,amount\n"  # account and currency left out
        "D2,R2,2026-01-06T10:00:00,2026-02-10T10:00:00,won,250\n"
        "D4,R2,2026-01-08T10:00:00,,open,50\n"
    )

    summary = ws.import_files(write(files / "later", "deals.csv", changed))

    # D2's account and currency are emptied, and the summary says so (D4 is new: nothing lost).
    emptied = (("account", 1), ("currency", 1))
    assert summary.tables == (TableCounts("deals", inserted=1, updated=1, unchanged=0, emptied=emptied),)
    assert summary.as_json()["emptied_by_missing_columns"] == {"deals": {"account": 1, "currency": 1}}
    assert ws.data_version == version + 1
    assert ws.connection.execute(
        "SELECT status, amount, account, currency FROM deals WHERE deal_id = 'D2'").fetchall() == [
        ("won", Decimal("250.00"), None, None)]
    assert ws.counts()["deals"] == 4


def test_quotas_with_empty_key_parts_are_matched_on_reimport(ws: Workspace, files: Path) -> None:
    seeded(ws, files)
    ws.import_files(write(files, "quotas.csv", QUOTAS))
    changed = QUOTAS.replace("20000", "25000")

    summary = ws.import_files(write(files / "later", "quotas.csv", changed))

    assert counts_of(summary) == {"quotas": (0, 1, 1)}
    assert ws.counts()["quotas"] == 2
    assert one_value(ws, "SELECT amount FROM quotas WHERE team = 'east'") == Decimal("25000.00")


def test_values_are_normalised(ws: Workspace, files: Path) -> None:
    seeded(ws, files)
    text = (" Deal_ID ;REP_id;created_at;closed_at;Status;amount;currency\n"
            "  D1 ;R1;2026-01-05;2026-01-09;  WON ;12.5; usd \n")

    ws.import_files(write(files, "Deals.CSV", text))

    assert ws.connection.execute("SELECT deal_id, status, amount, currency FROM deals").fetchall() \
        == [("D1", "won", Decimal("12.50"), "USD")]


def test_spreadsheet_exports_with_bom_crlf_and_semicolons(ws: Workspace, files: Path) -> None:
    text = "\ufeffrep_id;name;team\r\nR1;Ann;east\r\nR2;Bob;west\r\n"
    path = files / "reps.csv"
    path.write_bytes(text.encode("utf-8"))

    ws.import_files(path)

    assert ws.connection.execute("SELECT rep_id, name, team FROM reps ORDER BY 1").fetchall() == [
        ("R1", "Ann", "east"), ("R2", "Bob", "west")]


def test_header_only_file_imports_nothing(ws: Workspace, files: Path) -> None:
    version = ws.data_version

    summary = ws.import_files(write(files, "reps.csv", "rep_id,name,team\n"))

    assert summary.tables == (TableCounts("reps"),)
    assert ws.data_version == version


def test_folders_expand_to_their_files_and_stems_name_tables(files: Path) -> None:
    write(files, "reps.csv", REPS)
    write(files, "Deals.CSV", DEALS)
    write(files, "notes.txt", "not imported")
    write(files, ".hidden.csv", "ignored")
    products = write(files / "other", "products.parquet", b"")

    found = tables_for_paths([files, products])

    assert found == [("deals", files / "Deals.CSV"), ("reps", files / "reps.csv"),
                     ("products", products)]


def test_unknown_table_names_the_known_tables(files: Path) -> None:
    path = write(files, "deals_2026.csv", DEALS)

    with pytest.raises(ImportValidationError) as caught:
        tables_for_paths([path])

    problem = only(caught.value)
    assert problem.file == str(path)
    assert "unknown table 'deals_2026'" in problem.message
    assert "did you mean 'deals'" in problem.message
    assert "reps, products, deals" in problem.message


def test_two_files_for_one_table_are_both_imported(ws: Workspace, files: Path) -> None:
    seeded(ws, files)
    first = write(files / "a", "deals.csv", DEALS)
    second = write(files / "b", "deals.csv", DEALS.split("\n", 1)[0]
                   + "\nD9,R2,Acme,2026-01-06T10:00:00,,open,20,EUR\n")

    summary = ws.import_files(files / "a", second)

    assert summary.files == (str(first), str(second))
    assert counts_of(summary) == {"deals": (4, 0, 0)}


def test_a_deal_whose_rep_comes_in_the_same_import_passes(ws: Workspace, files: Path) -> None:
    summary = ws.import_files(write(files, "deals.csv", DEALS), write(files, "reps.csv", REPS))

    assert counts_of(summary)["deals"] == (3, 0, 0)


def test_progress_is_reported_per_step(ws: Workspace, files: Path) -> None:
    steps: list[tuple[str, int, int]] = []

    ws.import_files(write(files, "reps.csv", REPS), write(files, "deals.csv", DEALS),
                    on_progress=lambda what, done, total: steps.append((what, done, total)))

    # Two files, then converting, checking and writing reps, deals and the deals' history
    # (deal_changes, which every import of deals keeps).
    assert steps[0] == (f"reading {files / 'reps.csv'}", 0, 11)
    assert [done for _, done, _ in steps] == list(range(12))
    assert steps[-1] == ("done", 11, 11)
    assert ("writing deals", 9, 11) in steps
    assert ("writing deal_changes", 10, 11) in steps


# -- time stamps --------------------------------------------------------------------------------


def test_time_stamps_are_stored_as_local_time_of_the_workspace(ws: Workspace, files: Path) -> None:
    ws.set_setting("time_zone", "Europe/Berlin")
    seeded(ws, files)
    zone_before = one_value(ws, "SELECT current_setting('TimeZone')")
    text = (
        "activity_id,rep_id,type,occurred_at\n"
        "A1,R1,call,2026-03-01T10:00:00Z\n"          # UTC, winter: +1
        "A2,R1,call,2026-07-01 10:00:00+02:00\n"     # already Berlin summer time
        "A3,R1,call,2026-07-01T10:00:00-04:00\n"
        "A4,R1,call,2026-03-01T10:00\n"              # no zone: Berlin
        "A5,R1,call,2026-03-01 10:00:00.5\n"
        "A6,R1,call,2026-03-01\n"                    # bare date: midnight
    )

    ws.import_files(write(files, "activities.csv", text))

    stored = dict(ws.connection.execute("SELECT activity_id, occurred_at FROM activities").fetchall())
    assert stored == {
        "A1": datetime(2026, 3, 1, 11), "A2": datetime(2026, 7, 1, 10),
        "A3": datetime(2026, 7, 1, 16), "A4": datetime(2026, 3, 1, 10),
        "A5": datetime(2026, 3, 1, 10, 0, 0, 500000), "A6": datetime(2026, 3, 1),
    }
    assert one_value(ws, "SELECT current_setting('TimeZone')") == zone_before


@pytest.mark.parametrize("value", ["2026-03-01T25:00:00", "01.03.2026", "2026-03-01T10:00:00 CET",
                                   "epoch", "2026-3-1", "1767225600"])
def test_malformed_time_stamps_are_refused(ws: Workspace, files: Path, value: str) -> None:
    seeded(ws, files)
    path = write(files, "activities.csv", f"activity_id,rep_id,type,occurred_at\nA1,R1,call,{value}\n")

    error = refused(ws, path)

    assert_problem(error, path, 2, "occurred_at", value, "not a date and time")


# -- Parquet ------------------------------------------------------------------------------------


def test_parquet_files_are_imported_and_checked(ws: Workspace, files: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    seeded(ws, files)
    good = files / "nps_responses.parquet"
    pq.write_table(pa.table({
        "response_id": ["N1", "N2"],
        "score": pa.array([9.0, 3.0], pa.float64()),   # pandas turns int columns with gaps into floats
        "responded_at": pa.array([datetime(2026, 3, 1, 10), datetime(2026, 3, 2)], pa.timestamp("us")),
        "rep_id": ["R1", None],
    }), good)

    summary = ws.import_files(good)

    assert counts_of(summary) == {"nps_responses": (2, 0, 0)}
    assert ws.connection.execute(
        "SELECT response_id, score, responded_at, rep_id FROM nps_responses ORDER BY 1").fetchall() == [
        ("N1", 9, datetime(2026, 3, 1, 10), "R1"), ("N2", 3, datetime(2026, 3, 2), None)]

    bad = files / "bad" / "nps_responses.parquet"
    bad.parent.mkdir()
    pq.write_table(pa.table({"response_id": ["N3", "N4"], "score": [5, 12],
                             "responded_at": ["2026-03-01", "2026-03-02"]}), bad)
    assert_problem(refused(ws, bad), bad, 2, "score", "12", "must be at most 10")


def test_a_file_that_is_not_parquet_is_refused(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.parquet", REPS)

    problem = only(refused(ws, path))

    assert (problem.file, problem.line) == (str(path), None)
    assert "not a readable Parquet file" in problem.message


# -- file-level problems ------------------------------------------------------------------------


def test_missing_file(ws: Workspace, files: Path) -> None:
    problem = only(refused(ws, files / "reps.csv"))

    assert (problem.file, problem.message) == (str(files / "reps.csv"), "file not found")


def test_empty_file(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv", "")

    problem = only(refused(ws, path))

    assert problem.file == str(path)
    assert "file is empty" in problem.message


def test_binary_file(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" * 20)
    assert "a zip archive named as a CSV file" in only(refused(ws, path)).message
    path = write(files, "reps.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20)

    problem = only(refused(ws, path))

    assert "not a CSV text file" in problem.message


def test_truncated_file_names_the_line(ws: Workspace, files: Path) -> None:
    seeded(ws, files)
    path = write(files, "deals.csv", DEALS + "D4,R2,2026-01-0")

    error = refused(ws, path)

    problem = only(error)
    assert (problem.file, problem.line, problem.value) == (str(path), 5, "D4,R2,2026-01-0")
    assert "line has 3 values but the header has 8 columns" in problem.message
    assert f"{path}, line 5" in str(error)


def test_unclosed_quote_names_the_line(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv", 'rep_id,name,team\nR1,"Ann,east\n')

    problem = only(refused(ws, path))

    assert problem.line == 2
    assert "never closed" in problem.message


def test_line_numbers_count_multi_line_values_and_blank_lines(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv",
                 'rep_id,name,team,hired_on\nR1,"Ann\nMarie",east,2024-01-01\n\nR2,Bob,west,someday\n')

    error = refused(ws, path)

    assert_problem(error, path, 5, "hired_on", "someday", "not a date")


# -- header problems ----------------------------------------------------------------------------


def test_unknown_column_suggests_close_names(ws: Workspace, files: Path) -> None:
    path = write(files, "deals.csv", DEALS.replace("account", "Acount"))

    problem = only(refused(ws, path))

    assert (problem.file, problem.line, problem.column) == (str(path), 1, "Acount")
    assert "unknown column for table deals; did you mean 'account'" in problem.message


def test_missing_required_column(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv", "name,team\nAnn,east\n")

    assert_problem(refused(ws, path), path, 1, "rep_id", None, "required column is missing")


def test_column_given_twice(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv", "rep_id,name,Name\nR1,Ann,Anna\n")

    assert_problem(refused(ws, path), path, 1, "Name", None, "column appears twice")


# -- value and record problems ------------------------------------------------------------------

DEAL_HEADER = "deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
GOOD_DEAL = "D1,R1,2026-01-05,2026-01-09,won,100,EUR"


@pytest.mark.parametrize(("file", "row", "column", "value", "message"), [
    ("deals.csv", "D1,,2026-01-05,2026-01-09,won,100,EUR", "rep_id", "", "required value is empty"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-09,won,\"1,000.00\",EUR", "amount", "1,000.00",
     "not a number"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-09,won,100.005,EUR", "amount", "100.005",
     "more than 2 decimal places"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-09,won,1e3,EUR", "amount", "1e3", "not a number"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-09,pending,100,EUR", "status", "pending",
     "must be one of open, won, lost"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-09,won,100,EURO", "currency", "EURO",
     "three-letter ISO 4217 code"),
    ("deals.csv", "D1,R1,2026-01-05,,won,100,EUR", "closed_at", "", "a won deal needs closed_at"),
    ("deals.csv", "D1,R1,2026-01-05,,lost,100,EUR", "closed_at", "", "a lost deal needs closed_at"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-04T23:00,won,100,EUR", "closed_at", "2026-01-04T23:00",
     "closed_at is before created_at (2026-01-05)"),
    ("deals.csv", "D1,R1,2026-01-05,2026-01-09,open,100,EUR", "closed_at", "2026-01-09",
     "open deal has closed_at; clear it or set the status"),
    ("deals.csv", "D1,R9,2026-01-05,2026-01-09,won,100,EUR", "rep_id", "R9",
     "not found in reps"),
    ("reps.csv", "R5,Eve,east,2026-13-01", "hired_on", "2026-13-01", "not a date"),
    ("nps_responses.csv", "N1,seven,2026-03-01", "score", "seven", "not a whole number"),
    ("nps_responses.csv", "N1,11,2026-03-01", "score", "11", "must be at most 10"),
    ("nps_responses.csv", "N1,-1,2026-03-01", "score", "-1", "must be at least 0"),
    ("deal_items.csv", "D1,P1,-1,10", "quantity", "-1", "must be at least 0"),
    ("deal_items.csv", "D1,P7,1,10", "product_id", "P7", "not found in products"),
    ("quotas.csv", ",,2026-01-01,2026-03-31,100", "rep_id or team", "",
     "fill in at least one of rep_id, team"),
    ("quotas.csv", "R1,,2026-01-01,2026-03-31,-100", "amount", "-100", "must be at least 0"),
    ("quotas.csv", "R1,,2026-04-01,2026-03-31,100", "period_end", "2026-03-31",
     "period_end is before period_start (2026-04-01)"),
])
def test_bad_values_are_refused_with_file_line_column_and_value(
        ws: Workspace, files: Path, file: str, row: str, column: str, value: str, message: str) -> None:
    seeded(ws, files)
    ws.import_files(write(files / "seed", "products.csv", PRODUCTS), write(files / "seed", "deals.csv",
                                                                           DEAL_HEADER + GOOD_DEAL))
    headers = {"deals.csv": DEAL_HEADER, "reps.csv": "rep_id,name,team,hired_on\n",
               "nps_responses.csv": "response_id,score,responded_at\n",
               "deal_items.csv": "deal_id,product_id,quantity,unit_price\n",
               "quotas.csv": "rep_id,team,period_start,period_end,amount\n"}
    path = write(files, file, headers[file] + row + "\n")

    error = refused(ws, path)

    assert error.total == 1, str(error)
    assert_problem(error, path, 2, column, value, message)


def test_duplicate_keys_name_the_first_line(ws: Workspace, files: Path) -> None:
    path = write(files, "reps.csv", "rep_id,name\nR1,Ann\nR2,Bob\nR1,Anna\n")

    assert_problem(refused(ws, path), path, 4, "rep_id", "R1", "duplicate rep_id: already on line 2")


def test_duplicate_keys_across_files_name_the_other_file(ws: Workspace, files: Path) -> None:
    first = write(files / "a", "reps.csv", "rep_id,name\nR1,Ann\n")
    second = write(files / "b", "reps.csv", "rep_id,name\nR2,Bob\nR1,Anna\n")

    error = refused(ws, first, second)

    assert_problem(error, second, 3, "rep_id", "R1", f"already on {first} line 2")


def test_duplicate_composite_keys(ws: Workspace, files: Path) -> None:
    seeded(ws, files)
    path = write(files, "quotas.csv", QUOTAS + ",east,2026-01-01,2026-03-31,1,EUR\n")

    assert_problem(refused(ws, path), path, 4, "rep_id, team, period_start, period_end",
                   "east, 2026-01-01, 2026-03-31", "already on line 3")


def test_a_deal_whose_rep_is_nowhere_is_refused(ws: Workspace, files: Path) -> None:
    path = write(files, "deals.csv", DEALS)

    error = refused(ws, path)

    assert error.total == 3
    assert_problem(error, path, 3, "rep_id", "R2", "neither in the workspace nor in this import")


def test_all_problems_of_all_files_are_collected(ws: Workspace, files: Path) -> None:
    reps = write(files, "reps.csv", "rep_id,name,hired_on\nR1,Ann,never\n")
    deals = write(files, "deals.csv", DEAL_HEADER + "D1,R1,2026-01-05,,won,x,EUR\n")

    error = refused(ws, reps, deals, files / "nothere.csv", write(files, "leads.csv", "a\n1\n"))

    assert error.total == 5
    assert [(Path(p.file).name, p.line, p.column) for p in error.problems] == [
        ("nothere.csv", None, None), ("leads.csv", None, None),
        ("reps.csv", 2, "hired_on"), ("deals.csv", 2, "closed_at"), ("deals.csv", 2, "amount")]


def test_an_unreadable_file_does_not_make_its_references_fail(ws: Workspace, files: Path) -> None:
    reps = write(files, "reps.csv", "rep_id,nmae\nR1,Ann\nR2,Bob\n")
    deals = write(files, "deals.csv", DEALS)

    error = refused(ws, reps, deals)

    assert_problem(error, reps, 1, "nmae", None, "did you mean 'name'")
    assert error.total == 1


def test_more_than_50_problems_lists_50_and_counts_the_rest(ws: Workspace, files: Path) -> None:
    # 70 ids each twice: 70 problems, each its own ("already on line N").
    rows = "".join(f"R{i},Rep,east\n" for i in range(70))
    path = write(files, "reps.csv", "rep_id,name,team\n" + rows + rows)

    error = refused(ws, path)

    assert error.total == 70
    assert len(error.problems) == 50 and not error.repeated
    assert [p.line for p in error.problems] == list(range(72, 122))
    assert str(error).startswith("Import refused, nothing was written: 70 problem(s) found.")
    assert str(error).endswith("... and 20 more")


def test_one_problem_on_70_lines_is_said_once_with_its_value(ws: Workspace, files: Path) -> None:
    rows = "".join(f"R{i},Rep,east,not-a-date\n" for i in range(70))
    path = write(files, "reps.csv", "rep_id,name,team,hired_on\n" + rows)

    error = refused(ws, path)

    assert error.total == 70
    assert [p.line for p in error.problems] == [2, 3, 4]  # the first few, line by line (the API)
    assert str(error).splitlines()[1:] == [
        f"  {path}, column 'hired_on', 70 lines from line 2: not a date; write dates as YYYY-MM-DD, "
        "such as 2026-03-01 (value 'not-a-date')"]


# -- all or nothing -----------------------------------------------------------------------------


def test_a_failure_while_writing_rolls_everything_back(ws: Workspace, files: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(ws, files)
    real_upsert = import_write._upsert

    def failing(con: Any, table: Any, rows: str, guard: str | None = None,
                present: frozenset[str] | None = None) -> TableCounts:
        if table.name == "deals":
            raise RuntimeError("disk full")
        result: TableCounts = real_upsert(con, table, rows, guard, present)
        return result

    monkeypatch.setattr(import_write, "_upsert", failing)
    before = (ws.counts(), ws.data_version)
    changed_reps = REPS.replace("Ann", "Annie") + "R3,Cy,east,2026-01-01\n"

    with pytest.raises(RuntimeError, match="disk full"):
        ws.import_files(write(files, "reps.csv", changed_reps), write(files, "deals.csv", DEALS))

    assert (ws.counts(), ws.data_version) == before
    assert one_value(ws, "SELECT name FROM reps WHERE rep_id = 'R1'") == "Ann"
    assert one_value(ws, "SELECT count(*) FROM duckdb_tables() WHERE temporary") == 0


def test_the_year_0000_is_refused_not_stored_as_1_bc(ws: Workspace, files: Path) -> None:
    """A placeholder for an unknown date, read by DuckDB as 1 BC: a date no period holds, and one
    the history of a workspace's first deals could not read back."""
    deals = DEALS.replace("deal_id,rep_id,account,created_at,closed_at,status,amount,currency",
                          "deal_id,rep_id,account,created_at,closed_at,status,amount,currency,"
                          "expected_close_on")
    deals = deals.replace(",EUR\n", ",EUR,\n").replace("200,EUR,\n", "200,EUR,0000-01-01\n")
    activities = "activity_id,rep_id,type,occurred_at\nA1,R1,call,0000-03-01 10:00\nA2,R1,call,2026-03-01\n"
    with pytest.raises(ImportValidationError) as refused:
        ws.import_files(write(files, "reps.csv", REPS), write(files, "deals.csv", deals),
                        write(files, "activities.csv", activities))
    assert [(Path(p.file).name, p.line, p.column, p.value, p.message) for p in refused.value.problems] == [
        ("deals.csv", 3, "expected_close_on", "0000-01-01",
         "there is no year 0000; a placeholder for an unknown date? leave it empty"),
        ("activities.csv", 2, "occurred_at", "0000-03-01 10:00",
         "there is no year 0000; a placeholder for an unknown date? leave it empty")]
    assert one_value(ws, "SELECT count(*) FROM deals") == 0
    # The year 1 is a year, but one no period reaches: refused too, as a typo.
    with pytest.raises(ImportValidationError) as early:
        ws.import_files(write(files, "reps.csv", REPS),
                        write(files, "deals.csv", deals.replace("0000-01-01", "0001-01-01")))
    assert [p.message for p in early.value.problems] == [
        "a year before 1000, which no period reaches; a typo?"]
    # The year 1000 is the first a period reaches: stored, and kept in the deals' history as written.
    ws.import_files(write(files, "reps.csv", REPS),
                    write(files, "deals.csv", deals.replace("0000-01-01", "1000-01-01")))
    assert ws.connection.execute("SELECT CAST(new_expected_close_on AS VARCHAR) FROM deal_changes "
                                 "WHERE deal_id = 'D2'").fetchall() == [("1000-01-01",)]
