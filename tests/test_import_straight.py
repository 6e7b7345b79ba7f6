"""A large canonical CSV of a table the workspace holds nothing of is read once, by the write, not
staged first (issue 17: the import at M). What it stores, and what it refuses, is what the usual
way stores and refuses: every problem named on its line, nothing written.

Files here are small; the size from which a file is read straight is set to 0 (and, for the usual
way, out of reach). Which way ran is seen through the staging objects the import leaves in DuckDB
as it works: a view over the file where it was read straight, a table where it was staged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from helpers import write_csv
from salesmetrics import Workspace
from salesmetrics.errors import ImportValidationError
from salesmetrics.importing import run

REPS = [{"rep_id": "r1", "name": "Ann"}, {"rep_id": "r2", "name": "Bo"}]
DEALS = [{"deal_id": "d1", "rep_id": "r1", "created_at": "2026-01-05", "closed_at": "2026-02-01",
          "status": "won", "amount": "1200.50"},
         {"deal_id": "d2", "rep_id": "r2", "created_at": "2026-01-07", "closed_at": "",
          "status": "open", "amount": "300.00"}]


def _activity(i: int, **changed: str) -> dict[str, str]:
    row = {"activity_id": f"a{i}", "rep_id": "r1" if i % 2 else "r2", "type": "call",
           "occurred_at": f"2026-01-{(i * 7) % 28 + 1:02d} {i % 24:02d}:15:00",
           "deal_id": "d1" if i % 3 == 0 else ""}
    return {**row, **changed}


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    write_csv(tmp_path / "reps.csv", REPS)
    write_csv(tmp_path / "deals.csv", DEALS)
    write_csv(tmp_path / "activities.csv", [_activity(i) for i in range(1, 41)])
    return tmp_path


class Ways:
    """Counts, per import, the staging objects made over each file ('view' where the write read
    the file itself, 'table' where it was staged first) and the writes begun."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from salesmetrics.importing.read import csvfile

        self.seen: list[tuple[str, str]] = []
        original = csvfile._stage

        def stage(con, file, name, positions, data, *, spaces_only, view=False):  # type: ignore[no-untyped-def]
            self.seen.append((Path(name).name, "view" if view else "table"))
            return original(con, file, name, positions, data, spaces_only=spaces_only, view=view)

        monkeypatch.setattr(csvfile, "_stage", stage)
        self.writes = 0
        write_all = run.write_all

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.writes += 1
            return write_all(*args, **kwargs)

        monkeypatch.setattr(run, "write_all", counted)

    def of(self, file: str) -> list[str]:
        return [way for name, way in self.seen if name == file]


@pytest.fixture()
def ways(monkeypatch: pytest.MonkeyPatch) -> Iterator[Ways]:
    monkeypatch.setattr(run, "STRAIGHT_BYTES", 0)
    yield Ways(monkeypatch)


def _stored(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return ws.store.connection.execute(sql).fetchall()


def _left_behind(ws: Workspace) -> tuple[object, ...]:
    """The import's own temporary tables and views (the workspace keeps views of its own)."""
    return (_stored(ws, "SELECT count(*) FROM duckdb_tables() WHERE temporary "
                        "AND table_name LIKE '\\_import%' ESCAPE '\\'"),
            _stored(ws, "SELECT count(*) FROM duckdb_views() WHERE temporary "
                        "AND view_name LIKE '\\_import%' ESCAPE '\\'"))


def _everything(ws: Workspace) -> tuple[object, ...]:
    return (_stored(ws, "SELECT * FROM activities ORDER BY activity_id"),
            _stored(ws, "SELECT activity_id FROM activities ORDER BY rowid"),
            _stored(ws, "SELECT * FROM activity_types_by_closed_deal ORDER BY ALL"),
            _stored(ws, "SELECT * FROM deals ORDER BY deal_id"),
            # The history kept of them, but for the moment of the import.
            _stored(ws, "SELECT * EXCLUDE (changed_at) FROM deal_changes ORDER BY deal_id"),
            _left_behind(ws))


def _usual(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as patched:
        patched.setattr(run, "STRAIGHT_BYTES", 1 << 62)
        with Workspace.open(tmp_path / "usual.duckdb") as ws:
            summary = ws.import_files(*sorted(folder.glob("*.csv")))
            return summary.as_json(), _everything(ws)


def test_a_first_import_read_straight_stores_what_the_usual_way_stores(
        files: Path, tmp_path: Path, ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        summary = ws.import_files(*sorted(files.glob("*.csv")))
        straight = summary.as_json(), _everything(ws)
        # The deals too: their history is read from them as written.
        assert ways.of("activities.csv") == ways.of("reps.csv") == ways.of("deals.csv") == ["view"]
        assert straight[0]["tables"]["activities"] == {"inserted": 40, "updated": 0, "unchanged": 0}
        assert _stored(ws, "SELECT count(*), count(deal_id), min(occurred_at)::VARCHAR FROM activities") \
            == [(40, 13, "2026-01-01 00:15:00")]
        # Written in time order, as the usual way writes them.
        times = _stored(ws, "SELECT occurred_at FROM activities ORDER BY rowid")
        assert times == sorted(times)
        # Importing the same files again changes nothing, and reads the activities the usual way
        # (the table is filled now).
        version = ws.data_version
        again = ws.import_files(*sorted(files.glob("*.csv"))).as_json()["tables"]
        assert again["activities"] == {"inserted": 0, "updated": 0, "unchanged": 40}
        assert ws.data_version == version
        assert ways.of("activities.csv") == ["view", "table"]  # filled now: staged
    assert _usual(files, tmp_path, monkeypatch) == straight


def _refused(folder: Path, db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with Workspace.open(db) as ws:
        with pytest.raises(ImportValidationError) as refused:
            ws.import_files(*sorted(folder.glob("*.csv")))
        left = _stored(ws, "SELECT (SELECT count(*) FROM reps) + (SELECT count(*) FROM deals) + "
                           "(SELECT count(*) FROM activities) + (SELECT count(*) FROM deal_changes)")
        assert left == [(0,)]  # nothing written
        assert _left_behind(ws) == ([(0,)], [(0,)])
    return [(Path(p.file).name, p.line, p.column, p.value, p.message) for p in refused.value.problems], left


@pytest.mark.parametrize("rows, expected", [
    # A value that is no time, on line 4 (the header is line 1).
    ({3: {"occurred_at": "05.01.2026"}},
     [("activities.csv", 4, "occurred_at", "05.01.2026",
       "not a date and time; write ISO 8601 such as 2026-03-01T14:30:00, 2026-03-01 14:30 or "
       "2026-03-01T14:30:00+01:00; a date as 31.12.2026? import with --date-format dd.mm.yyyy")]),
    # A rep found nowhere, and a key given twice.
    ({2: {"rep_id": "r9"}, 9: {"activity_id": "a5"}},
     [("activities.csv", 3, "rep_id", "r9",
       "not found in reps (neither in the workspace nor in this import)"),
      ("activities.csv", 10, "activity_id", "a5", "duplicate activity_id: already on line 6")]),
    # A required value left empty.
    ({40: {"type": ""}}, [("activities.csv", 41, "type", "", "required value is empty")]),
])
def test_a_problem_in_a_file_read_straight_is_named_on_its_line(
        files: Path, tmp_path: Path, ways: Ways, monkeypatch: pytest.MonkeyPatch,
        rows: dict[int, dict[str, str]], expected: list[tuple[object, ...]]) -> None:
    write_csv(files / "activities.csv", [_activity(i, **rows.get(i, {})) for i in range(1, 41)])
    found, _ = _refused(files, tmp_path / "w.duckdb")
    assert found == expected
    # Tried straight, then staged to name the lines; written only the first time: once a
    # problem is known, every table is checked before anything is written.
    assert ways.of("activities.csv") == ["view", "table"]
    assert ways.writes == 1
    with monkeypatch.context() as patched:
        patched.setattr(run, "STRAIGHT_BYTES", 1 << 62)
        assert _refused(files, tmp_path / "usual.duckdb")[0] == found


def test_a_problem_in_deals_read_straight_is_named_on_its_line(files: Path, tmp_path: Path,
                                                               ways: Ways) -> None:
    write_csv(files / "deals.csv", [*DEALS, {**DEALS[0], "amount": "99.00"},
                                    {**DEALS[1], "deal_id": "d3", "status": "cancelled"}])
    found, _ = _refused(files, tmp_path / "w.duckdb")
    assert found == [
        ("deals.csv", 4, "deal_id", "d1", "duplicate deal_id: already on line 2"),
        ("deals.csv", 5, "status", "cancelled", "must be one of open, won, lost; words of your own? write "
         "a mapping that names each status (`salesmetrics import --inspect FILE` proposes one)")]
    assert ways.of("deals.csv") == ["view", "table"]


def test_a_spreadsheets_empty_rows_read_straight_are_skipped_as_staged(
        files: Path, tmp_path: Path, ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows of empty cells are counted where the file is staged: read straight, they are refused
    by the write, and the file is staged again, the usual way, which skips and counts them."""
    text = (files / "activities.csv").read_text().splitlines()
    (files / "activities.csv").write_text("\n".join([*text[:5], ",,,,", *text[5:], ",,,,"]) + "\n")
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        summary = ws.import_files(*sorted(files.glob("*.csv")))
        assert ways.of("activities.csv") == ["view", "table"]
        straight = summary.as_json(), _everything(ws)
    assert straight[0]["tables"]["activities"] == {"inserted": 40, "updated": 0, "unchanged": 0}
    assert [(Path(s.file).name, s.reason, s.rows) for s in summary.skipped] \
        == [("activities.csv", "empty rows (no value in any column read)", 2)]
    assert _usual(files, tmp_path, monkeypatch) == straight


def test_deals_with_a_history_of_their_own_are_staged(files: Path, tmp_path: Path, ways: Ways) -> None:
    """A file of deal_changes fills the history beside what the deals' first import records: the
    deals are staged, the history read from them as staged, with the file's entries."""
    write_csv(files / "deal_changes.csv", [{"deal_id": "d1", "changed_at": "2026-01-20T10:00:00",
                                            "old_amount": "1000.00", "new_amount": "1200.50"}])
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        ws.import_files(*sorted(files.glob("*.csv")))
        assert ways.of("deals.csv") == ["table"] and ways.of("activities.csv") == ["view"]
        assert _stored(ws, "SELECT deal_id, old_amount::VARCHAR, new_amount::VARCHAR FROM deal_changes "
                           "ORDER BY ALL") \
            == [("d1", "1000.00", "1200.50"), ("d1", None, "1200.50"), ("d2", None, "300.00")]


def test_a_line_the_reader_refuses_is_named(files: Path, tmp_path: Path, ways: Ways) -> None:
    text = (files / "activities.csv").read_text().splitlines()
    text[7] += ",extra"  # line 8 has a value more than the header
    (files / "activities.csv").write_text("\n".join(text) + "\n")
    found, _ = _refused(files, tmp_path / "w.duckdb")
    assert [(f, line) for f, line, *_ in found] == [("activities.csv", 8)]
    assert "line has 6 values but the header has 5 columns" in str(found[0][4])


def test_problems_of_other_files_come_with_those_of_the_file_read_straight(
        files: Path, tmp_path: Path, ways: Ways) -> None:
    write_csv(files / "deals.csv", [DEALS[0], {**DEALS[1], "amount": "3,00"}])
    write_csv(files / "activities.csv", [_activity(i, **({"rep_id": "r7"} if i == 5 else {}))
                                         for i in range(1, 41)])
    found, _ = _refused(files, tmp_path / "w.duckdb")
    assert [(f, line, column) for f, line, column, *_ in found] == [
        ("activities.csv", 6, "rep_id"), ("deals.csv", 3, "amount")]


def test_quoted_values_over_lines_and_edge_spaces_read_straight_as_staged(
        files: Path, tmp_path: Path, ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [_activity(i) for i in range(1, 41)]
    rows[4]["type"] = "  email "
    rows[6]["outcome"] = "left a\nmessage"  # a quoted value over two lines
    rows[7]["outcome"] = "\n\u00a0reached "
    rows[8]["direction"] = "\tinbound"
    write_csv(files / "activities.csv", rows)
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        ws.import_files(*sorted(files.glob("*.csv")))
        straight = _everything(ws)
        assert _stored(ws, "SELECT activity_id, type, outcome, direction FROM activities "
                           "WHERE activity_id IN ('a5', 'a7', 'a8', 'a9') ORDER BY 1") == [
            ("a5", "email", None, None), ("a7", "call", "left a\nmessage", None),
            ("a8", "call", "reached", None), ("a9", "call", None, "inbound")]
    assert ways.of("activities.csv") == ["view"]
    assert _usual(files, tmp_path, monkeypatch)[1] == straight


def test_progress_counts_on_when_the_import_runs_again(files: Path, tmp_path: Path, ways: Ways) -> None:
    write_csv(files / "activities.csv", [_activity(i, **({"type": ""} if i == 9 else {}))
                                         for i in range(1, 41)])
    steps: list[tuple[str, int, int]] = []
    with Workspace.open(tmp_path / "w.duckdb") as ws, pytest.raises(ImportValidationError):
        ws.import_files(*sorted(files.glob("*.csv")),
                        on_progress=lambda what, done, total: steps.append((what, done, total)))
    # Three files, and converting, checking and writing reps, deals, activities and the deals'
    # history: 15 steps a run. The first run stops at writing the activities (the 14th step: the
    # write's own check refuses the row); the second counts on from there, saying why it runs,
    # and stops once everything is checked (it writes nothing).
    first = [s for s in steps if not s[0].startswith("looking for the problems: ")]
    second = steps[len(first):]
    assert first[0] == (f"reading {files / 'activities.csv'}", 0, 15)
    assert first[-1] == ("writing activities", 13, 15)
    assert second[0] == (f"looking for the problems: reading {files / 'activities.csv'}", 14, 29)
    assert second[-1] == ("looking for the problems: checking deal_changes", 24, 29)
    assert [done for _, done, _ in steps] == list(range(25))


def test_an_error_once_the_rows_are_written_is_said_not_imported_again(
        files: Path, tmp_path: Path, ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise duckdb.IOException("IO Error: the disk went away")

    monkeypatch.setattr(run, "dated_after", broken)
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        with pytest.raises(duckdb.IOException, match="the disk went away"):
            ws.import_files(*sorted(files.glob("*.csv")))
        # Committed before the error: written once, read once, and there.
        assert ways.writes == 1
        assert ways.of("activities.csv") == ["view"]
        assert _stored(ws, "SELECT count(*) FROM activities") == [(40,)]
        assert _left_behind(ws) == ([(0,)], [(0,)])


def test_an_error_reading_again_would_meet_too_is_said_at_once(
        files: Path, tmp_path: Path, ways: Ways) -> None:
    """Not a problem in the file: the import is not run again (nor would a full disk or memory
    run out be, run._may_be_the_rows)."""
    db = tmp_path / "w.duckdb"
    Workspace.open(db).close()
    # A workspace open read-only: the write of the first file read straight is refused (asked of
    # the store: the workspace itself refuses an import on a read-only file before any reading).
    with Workspace.open(db, read_only=True) as ws, pytest.raises(duckdb.Error, match="read-only mode"):
        ws.store.import_files(*sorted(files.glob("*.csv")))
    assert ways.writes == 1
    assert ways.of("reps.csv") == ways.of("activities.csv") == ["view"]


def test_a_line_that_reads_like_such_an_error_is_named_on_its_line(files: Path, tmp_path: Path,
                                                                   ways: Ways) -> None:
    """DuckDB's words for a refused line quote it: what it says is not taken for DuckDB's own."""
    text = (files / "activities.csv").read_text().splitlines()
    text[7] += ",No space left on device: attached in read-only mode"
    (files / "activities.csv").write_text("\n".join(text) + "\n")
    found, _ = _refused(files, tmp_path / "w.duckdb")
    assert [(f, line) for f, line, *_ in found] == [("activities.csv", 8)]
    assert ways.of("activities.csv") == ["view", "table"]


def test_an_import_leaves_the_connections_memory_limit_as_it_found_it(files: Path, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        def limit() -> object:
            return _stored(ws, "SELECT current_setting('memory_limit')")

        before = limit()
        for _ in range(3):  # said rounded: set back as said, it shrank a little every time
            ws.import_files(*sorted(files.glob("*.csv")))
        assert limit() == before


def test_rows_of_the_same_time_are_listed_alike_however_they_were_stored(
        tmp_path: Path, ways: Ways, monkeypatch: pytest.MonkeyPatch) -> None:
    """The write keeps time order only (a key to break ties would cost 2 s of the 23 s an import
    of 10M activities takes), so rows of the same time may be stored in any order: every list
    shown orders them by their key too. Here they are stored in two orders, read straight from
    a file in one order and staged from a file in the other."""
    rows = [_activity(i, occurred_at=f"2026-01-{i % 3 + 10:02d} 09:00:00") for i in range(1, 601)]
    folders = {}
    for name, ordered in (("one", rows), ("other", rows[::-1])):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        write_csv(folders[name] / "reps.csv", REPS)
        write_csv(folders[name] / "deals.csv", DEALS)
        write_csv(folders[name] / "activities.csv", ordered)
    listed, stored = [], []
    for name, threshold in (("one", 0), ("other", 1 << 62)):
        monkeypatch.setattr(run, "STRAIGHT_BYTES", threshold)
        with Workspace.open(tmp_path / f"{name}.duckdb") as ws:
            ws.import_files(*sorted(folders[name].glob("*.csv")))
            stored.append(_stored(ws, "SELECT activity_id FROM activities ORDER BY rowid"))
            behind = ws.records_behind("activity_count", "2026-01")
            listed.append((behind.as_json(), behind.to_csv()))
    assert ways.of("activities.csv") == ["view", "table"]
    assert stored[0] != stored[1]  # the ties are stored in two orders...
    assert listed[0] == listed[1]  # ...and listed in one
    ids = [row["activity_id"] for row in listed[0][0]["rows"]]
    assert len(ids) == 600
    assert ids[:3] == ["a101", "a104", "a107"]  # the latest first, then by their key
