"""Record keys without primary-key indexes (schema v5): the importer alone keeps them unique, a
workspace from before v5 keeps its records, and the other backends still declare their keys. Also
the staging views: lines stay right when an export's rows are skipped."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from salesmetrics import Workspace, storage
from salesmetrics.backends.base import table_columns
from salesmetrics.errors import ImportValidationError
from salesmetrics.schema import TABLES

CRM = Path(__file__).parent / "fixtures" / "crm"
REPS = "rep_id,name,team,hired_on\nR1,Ann,east,2024-01-15\nR2,Bob,west,2025-06-01\n"
HEADER = "deal_id,rep_id,account,created_at,closed_at,status,amount,currency\n"
D1 = "D1,R1,Acme,2026-01-05T09:00:00,2026-02-01T12:00:00,won,1000.50,EUR\n"
D2 = "D2,R2,Globex,2026-01-06T10:00:00,,open,200,EUR\n"
D2_WON = "D2,R2,Globex,2026-01-06T10:00:00,2026-03-01T10:00:00,won,200,EUR\n"
D3 = "D3,R1,Initech,2026-01-07T11:00:00,,open,300.25,EUR\n"


def _counts(ws: Workspace, folder: Path) -> dict[str, tuple[int, int, int]]:
    summary = ws.import_files(folder)
    return {t.table: (t.inserted, t.updated, t.unchanged) for t in summary.tables}


def _files(root: Path, name: str, deals: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "reps.csv").write_text(REPS)
    (folder / "deals.csv").write_text(HEADER + deals)
    return folder


def test_record_tables_have_no_primary_key(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        keyed = ws.connection.execute(
            "SELECT DISTINCT table_name FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'").fetchall()
    keyed_tables = {r[0] for r in keyed}
    assert not keyed_tables & set(TABLES)  # the records; the workspace's own small tables keep theirs
    assert {"_meta", "_settings", "targets", "users"} <= keyed_tables


def test_keys_stay_unique_across_imports(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        assert _counts(ws, _files(tmp_path, "a", D1 + D2)) == {"reps": (2, 0, 0), "deals": (2, 0, 0)}
        # One record unchanged, one changed, one new: the stored table is compared by key.
        later = _files(tmp_path, "b", D1 + D2_WON + D3)
        assert _counts(ws, later) == {"reps": (0, 0, 2), "deals": (1, 1, 1)}
        assert _counts(ws, later) == {"reps": (0, 0, 2), "deals": (0, 0, 3)}
        found = ws.connection.execute(
            "SELECT deal_id, count(*), any_value(status) FROM deals GROUP BY 1 ORDER BY 1").fetchall()
    assert found == [("D1", 1, "won"), ("D2", 1, "won"), ("D3", 1, "open")]


def test_a_key_twice_in_one_import_is_still_refused(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        folder = _files(tmp_path, "a", D1 + D2 + D1)
        with pytest.raises(ImportValidationError) as caught:
            ws.import_files(folder)
        assert [(p.line, p.column, p.message) for p in caught.value.problems] == [
            (4, "deal_id", "duplicate deal_id: already on line 2")]
        assert ws.connection.execute("SELECT count(*) FROM deals").fetchall() == [(0,)]


def test_a_workspace_from_before_v5_keeps_its_records(tmp_path: Path) -> None:
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    storage.migrate(con, upto=4)
    con.execute("INSERT INTO reps VALUES ('R1', 'Ann', 'east', '2024-01-15'), "
                "('R2', 'Bob', 'west', '2025-06-01')")
    con.execute("INSERT INTO deals (deal_id, rep_id, account, created_at, closed_at, status, amount, "
                "currency) VALUES ('D1', 'R1', 'Acme', '2026-01-05 09:00', '2026-02-01 12:00', 'won', "
                "1000.50, 'EUR')")
    con.close()
    with Workspace.open(path) as ws:
        assert storage.schema_version(ws.connection) == storage.SCHEMA_VERSION
        nullable = dict(ws.connection.execute(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_name = 'deals'").fetchall())
        assert nullable["deal_id"] == "NO" and nullable["account"] == "YES"
        assert _counts(ws, _files(tmp_path, "a", D1 + D2)) == {"reps": (0, 0, 2), "deals": (1, 0, 1)}


def test_other_backends_still_declare_the_keys() -> None:
    con = duckdb.connect()
    storage.migrate(con)
    columns = table_columns(con, list(TABLES))
    primary = {name: [c.name for c in cols if c.primary] for name, cols in columns.items()}
    assert primary["deals"] == ["deal_id"]
    assert primary["deal_items"] == ["deal_id", "product_id"]
    assert primary["fx_rates"] == ["date", "currency"]
    assert primary["quotas"] == [] and primary["stage_history"] == []


def test_lines_stay_right_after_skipped_rows(tmp_path: Path) -> None:
    folder = tmp_path / "pipedrive"
    folder.mkdir()
    lines = (CRM / "pipedrive" / "deals.csv").read_text().splitlines()
    deleted = next(i for i, line in enumerate(lines) if ",Deleted," in line)
    bad = deleted + 1  # the row after the skipped one, 0-based
    lines[bad] = lines[bad].replace("2400.5", "lots")
    (folder / "deals.csv").write_text("\n".join(lines) + "\n")
    with Workspace.open(tmp_path / "w.duckdb") as ws, pytest.raises(ImportValidationError) as caught:
        ws.import_files(folder, source="pipedrive")
    assert [(p.line, p.value) for p in caught.value.problems] == [(bad + 1, "lots")]
