"""The shortcuts an import takes at scale (issue 17) store exactly what the long way stores.

- Time stamps without a zone skip the trip through the zone rules when the workspace's zone is
  UTC: checked against a workspace in Etc/GMT (the same clock, read the long way) and by hand.
- Values are trimmed only where their first or last character is a space of some kind: checked
  against Python's own strip of the same characters. A CSV file whose bytes hold no space but the
  plain one (no tab, form feed, non-breaking space or line end inside a value) is trimmed of plain
  spaces only: checked the same way over files quoted or not, with either line end and delimiter.
- A reference is looked up in the stored and the imported values at once: a value in either is
  found, one in neither is named, wherever it is.
- A table's first import checks its rows as it writes them: the problems it names, and what it
  leaves written (nothing), are those of the checks run first, the long way; so do those of a
  first import that reads its large files straight, without staging them
  (test_import_straight.py).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from helpers import write_csv
from salesmetrics import Workspace
from salesmetrics.errors import ImportValidationError

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
_ids = itertools.count()


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Workspace, Path]]:
    """A workspace in UTC (the shortcut) and one in Etc/GMT (the long way), both with rep r1."""
    folder = tmp_path_factory.mktemp("zones")
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Ann"}])
    with Workspace.open(folder / "utc.duckdb") as utc, Workspace.open(folder / "gmt.duckdb") as gmt:
        gmt.set_setting("time_zone", "Etc/GMT")
        for ws in (utc, gmt):
            ws.import_files(folder / "reps.csv")
        yield utc, gmt, folder


def _stored(ws: Workspace, sql: str, *params: object) -> list[tuple[object, ...]]:
    return ws.store.connection.execute(sql, list(params)).fetchall()


def _import_times(ws: Workspace, path: Path, ids: list[str]) -> list[object] | list[tuple[object, ...]]:
    """The stored occurred_at of each id, or the problems (line, column, value, message)."""
    try:
        ws.import_files(path)
    except ImportValidationError as exc:
        return [(p.line, p.column, p.value, p.message) for p in exc.problems]
    found = dict(_stored(ws, "SELECT activity_id, occurred_at FROM activities "
                             "WHERE activity_id IN (SELECT unnest(?))", ids))
    return [found[i] for i in ids]


def _digits(n: int, low: int = 0, high: int | None = None) -> st.SearchStrategy[str]:
    return st.integers(low, 10 ** n - 1 if high is None else high).map(lambda v: f"{v:0{n}d}")


def _near(n: int, low: int, high: int, odd: list[str]) -> st.SearchStrategy[str]:
    """Mostly valid parts, sometimes impossible ones."""
    valid = _digits(n, low, high)
    return valid | valid | valid | valid | st.sampled_from(odd) | _digits(n)


# Shapes near the valid ones: impossible months, days and hours, every separator, fractions of
# one to nine digits, zones in and out of range.
TIMES = st.builds(
    lambda y, m, d, sep, h, mi, sec, frac, zone: f"{y}-{m}-{d}{sep}{h}:{mi}{sec}{frac}{zone}",
    _near(4, 1, 9999, ["0000", "1969", "1970", "9999"]),
    _near(2, 1, 12, ["00", "13"]),
    _near(2, 1, 28, ["29", "30", "31", "32", "00"]),
    st.sampled_from(["T", " ", "t"]),
    _near(2, 0, 23, ["24"]),
    _near(2, 0, 59, ["60"]),
    st.sampled_from([""]) | _near(2, 0, 59, ["60", "61"]).map(lambda v: ":" + v),
    st.sampled_from([""]) | st.integers(1, 9).flatmap(lambda n: _digits(n).map(lambda v: "." + v)),
    st.sampled_from(["", "", "", "Z", "z", "+02:00", "-05", "+0530", "+14:00", "+25:00", "-12:30"]),
) | st.builds(lambda y, m, d: f"{y}-{m}-{d}", _near(4, 1, 9999, ["0000"]),
              _near(2, 1, 12, ["13"]), _near(2, 1, 28, ["29", "30", "31"]))


@settings(SETTINGS, max_examples=80)
@given(times=st.lists(TIMES, min_size=1, max_size=8))
@example(times=["2026-03-01t14:30", "2026-03-29 02:30:00.1234567", "2026-03-01T14:30:00Z",
                "2026-03-01 14:30:00.999999999", "2024-02-29", "2025-02-29"])
def test_utc_time_stamps_are_stored_as_the_zone_rules_store_them(
        zones: tuple[Workspace, Workspace, Path], times: list[str]) -> None:
    utc, gmt, folder = zones
    ids = [f"a{next(_ids)}" for _ in times]
    path = folder / "activities.csv"
    write_csv(path, [{"activity_id": i, "rep_id": "r1", "type": "call", "occurred_at": t}
                     for i, t in zip(ids, times, strict=True)])
    assert _import_times(utc, path, ids) == _import_times(gmt, path, ids)


def test_utc_time_stamps_by_hand(zones: tuple[Workspace, Workspace, Path]) -> None:
    utc, _, folder = zones
    written = {"2026-03-01": datetime(2026, 3, 1), "2026-03-29 02:30": datetime(2026, 3, 29, 2, 30),
               "2026-03-01T14:30:00.5": datetime(2026, 3, 1, 14, 30, 0, 500000),
               "2026-03-01T14:30:00.123456": datetime(2026, 3, 1, 14, 30, 0, 123456),
               "2026-03-01t14:30": datetime(2026, 3, 1, 14, 30),
               "2026-03-01T14:30:00Z": datetime(2026, 3, 1, 14, 30),
               "2026-03-01T14:30:00+01:00": datetime(2026, 3, 1, 13, 30),
               "2024-02-29T23:59:59-00:30": datetime(2024, 3, 1, 0, 29, 59)}
    ids = [f"h{next(_ids)}" for _ in written]
    path = folder / "activities.csv"
    write_csv(path, [{"activity_id": i, "rep_id": "r1", "type": "call", "occurred_at": t}
                     for i, t in zip(ids, written, strict=True)])
    assert _import_times(utc, path, ids) == list(written.values())
    write_csv(path, [{"activity_id": "bad", "rep_id": "r1", "type": "call",
                      "occurred_at": "2026-02-30 10:00"}])
    assert _import_times(utc, path, ["bad"]) == [
        (2, "occurred_at", "2026-02-30 10:00", "no such day: 2026-02 has 28 days")]


# The spaces an import trims (RE2's \s and the non-breaking space) and two it keeps.
SPACES = " \t\n\f\r\xa0"
EDGES = st.text(alphabet=SPACES + "\v\u2003", max_size=3)
CORES = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=6)


@SETTINGS
@given(values=st.lists(st.tuples(EDGES, CORES, EDGES), min_size=1, max_size=6))
def test_values_are_trimmed_exactly_where_they_have_edge_spaces(
        zones: tuple[Workspace, Workspace, Path], values: list[tuple[str, str, str]]) -> None:
    utc, _, folder = zones
    names = ["".join(parts) for parts in values]
    ids = [f"t{next(_ids)}" for _ in names]
    path = folder / "reps.parquet"
    pq.write_table(pa.table({"rep_id": ids, "name": names}), path)
    utc.import_files(path)
    found = dict(_stored(utc, "SELECT rep_id, name FROM reps WHERE rep_id IN (SELECT unnest(?))", ids))
    assert [found[i] for i in ids] == [n.strip(SPACES) or None for n in names]


def test_references_are_found_in_the_workspace_or_the_import(
        zones: tuple[Workspace, Workspace, Path], tmp_path: Path) -> None:
    utc, _, _ = zones
    write_csv(tmp_path / "reps.csv", [{"rep_id": "r2", "name": "Bob"}])
    write_csv(tmp_path / "activities.csv", [
        {"activity_id": "x1", "rep_id": "r1", "type": "call", "occurred_at": "2026-03-01"},  # stored
        {"activity_id": "x2", "rep_id": "r2", "type": "call", "occurred_at": "2026-03-01"},  # imported
        {"activity_id": "x3", "rep_id": "r9", "type": "call", "occurred_at": "2026-03-01"}])
    with pytest.raises(ImportValidationError) as refused:
        utc.import_files(tmp_path)
    assert [(p.line, p.column, p.value, p.message) for p in refused.value.problems] == [
        (4, "rep_id", "r9", "not found in reps (neither in the workspace nor in this import)")]
    (tmp_path / "activities.csv").write_text(
        (tmp_path / "activities.csv").read_text().replace("r9", "r2"))
    utc.import_files(tmp_path)
    assert _stored(utc, "SELECT activity_id, rep_id FROM activities WHERE activity_id LIKE 'x%' "
                        "ORDER BY 1") == [("x1", "r1"), ("x2", "r2"), ("x3", "r2")]


# Mostly values a fast file holds (plain spaces at the edges), sometimes one that makes it slow.
PLAIN_EDGES = st.text(alphabet=" ", max_size=2) | EDGES
CSV_CORES = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                           blacklist_characters="\x00\r\n"), max_size=6)


@SETTINGS
@given(values=st.lists(st.tuples(PLAIN_EDGES, CSV_CORES | CORES, PLAIN_EDGES), min_size=1,
                       max_size=6),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       line_end=st.sampled_from(["\n", "\r\n"]), delimiter=st.sampled_from([",", ";", "\t"]))
@example(values=[(" ", "a", "  "), ("", "b", "")], quoting=csv.QUOTE_MINIMAL, line_end="\n",
         delimiter=",")
@example(values=[("\n", "a", ""), (" ", "b", "\r")], quoting=csv.QUOTE_ALL, line_end="\r\n",
         delimiter=",")
@example(values=[("", "a\tb", " ")], quoting=csv.QUOTE_MINIMAL, line_end="\n", delimiter="\t")
@example(values=[(" ", "\u2003", " ")], quoting=csv.QUOTE_MINIMAL, line_end="\n", delimiter=",")
def test_csv_values_are_trimmed_exactly_where_they_have_edge_spaces(
        zones: tuple[Workspace, Workspace, Path], values: list[tuple[str, str, str]], quoting: int,
        line_end: str, delimiter: str) -> None:
    utc, _, folder = zones
    names = ["".join(parts) for parts in values]
    # Python's writer quotes only the characters of its own line end: a lone carriage return
    # would go out bare, which is no CSV any reader agrees on.
    assume(quoting == csv.QUOTE_ALL or line_end == "\r\n" or not any("\r" in n for n in names))
    ids = [f"c{next(_ids)}" for _ in names]
    path = folder / "reps.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=quoting, lineterminator=line_end, delimiter=delimiter)
        writer.writerow(["rep_id", "name"])
        writer.writerows(zip(ids, names, strict=True))
    utc.import_files(path)
    found = dict(_stored(utc, "SELECT rep_id, name FROM reps WHERE rep_id IN (SELECT unnest(?))", ids))
    assert [found[i] for i in ids] == [n.strip(SPACES) or None for n in names]


def _deal_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        status = draw(st.sampled_from(["won", "lost", "open", "WON", "maybe"]))
        rows.append({"deal_id": draw(st.sampled_from(["d1", "d2", "d3", "d4", ""])),
                     "rep_id": draw(st.sampled_from(["r1", "r1", "r9"])),
                     "created_at": draw(st.sampled_from(["2026-01-05", "2026-02-30", "yesterday"])),
                     "closed_at": draw(st.sampled_from(["", "2026-03-01", "2025-12-31"])),
                     "status": status,
                     "amount": draw(st.sampled_from(["10.00", "-5", "1.234", "abc", "", "1200"])),
                     # What the history of deals keeps (deal_changes), as written and as stored.
                     "probability": draw(st.sampled_from(["", "0.6", "60%", "1.5"])),
                     "expected_close_on": draw(st.sampled_from(["", "2026-04-01", "01.04.2026"])),
                     "stage": draw(st.sampled_from(["", " proposal ", "Won"]))})
    return rows


def _activity_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    return [{"activity_id": draw(st.sampled_from(["a1", "a2", "a3", "a4"])),
             "rep_id": draw(st.sampled_from(["r1", "r9", ""])),
             "type": "call",
             "occurred_at": draw(st.sampled_from(["2026-01-05 10:00", "2026-01-05 25:00", "2026-01-05 24:00",
                                                  "now"])),
             "deal_id": draw(st.sampled_from(["", "d1", "d2", "d8"]))}
            for _ in range(draw(st.integers(1, 6)))]


def _item_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    # Its key (deal, product) is made of references: a line's own problems and its key's meet.
    return [{"deal_id": draw(st.sampled_from(["d1", "d2", "d8"])),
             "product_id": draw(st.sampled_from(["p1", "p9"])), "quantity": "1",
             "unit_price": draw(st.sampled_from(["2.00", "x"]))}
            for _ in range(draw(st.integers(0, 4)))]


Files = tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]


@st.composite
def _imports(draw: st.DrawFn) -> Files:
    return _deal_rows(draw), _activity_rows(draw), _item_rows(draw)


def _outcome(folder: Path, name: str) -> tuple[object, ...]:
    with Workspace.open(folder / f"{name}.duckdb") as ws:
        ws.import_files(folder / "reps.csv", folder / "products.csv")
        version = ws.data_version
        try:
            ws.import_files(*(folder / f"{t}.csv" for t in ("deals", "activities", "deal_items")
                              if (folder / f"{t}.csv").exists()))
        except ImportValidationError as exc:
            assert ws.data_version == version
            assert _stored(ws, "SELECT (SELECT count(*) FROM deals) + (SELECT count(*) FROM activities)"
                               " + (SELECT count(*) FROM deal_items)"
                               " + (SELECT count(*) FROM duckdb_tables() WHERE temporary)") == [(0,)]
            return ("refused", exc.total, [(p.file, p.line, p.column, p.value, p.message)
                                           for p in exc.problems])
        return ("imported", _stored(ws, "SELECT deal_id, amount FROM deals ORDER BY 1"),
                _stored(ws, "SELECT activity_id, occurred_at FROM activities ORDER BY 1"),
                _stored(ws, "SELECT * EXCLUDE (changed_at) FROM deal_changes ORDER BY deal_id"))


@settings(SETTINGS, max_examples=40)
@given(files=_imports())
@example(files=([{"deal_id": "d1", "rep_id": "r1", "created_at": "2026-01-05", "closed_at": "",
                  "status": "open", "amount": "1200", "probability": "60%",
                  "expected_close_on": "2026-04-01", "stage": " proposal "},
                 {"deal_id": "d2", "rep_id": "r1", "created_at": "2026-01-05", "closed_at": "2026-03-01",
                  "status": "WON", "amount": "10.00", "probability": "", "expected_close_on": "",
                  "stage": ""}], [], []))
@example(files=([{"deal_id": "d1", "rep_id": "r1", "created_at": "2026-01-05", "closed_at": "",
                  "status": "open", "amount": "10.00"}], [],
                [{"deal_id": "dX", "product_id": "p1", "quantity": "1", "unit_price": "2.00"}] * 2))
def test_a_first_import_checks_as_it_writes_what_the_long_way_checks(
        files: Files, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from salesmetrics.importing import run

    folder = tmp_path_factory.mktemp("first")
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Ann"}])
    write_csv(folder / "products.csv", [{"product_id": "p1", "name": "Widget"}])
    for table, rows in zip(("deals", "activities", "deal_items"), files, strict=True):
        if rows:
            write_csv(folder / f"{table}.csv", rows)
    guarded = _outcome(folder, "guarded")
    with monkeypatch.context() as patched:  # every table checked before anything is written
        patched.setattr(run, "holds_any", lambda con, table: True)
        assert _outcome(folder, "long") == guarded
    with monkeypatch.context() as patched:  # the activities and items read straight by the write
        patched.setattr(run, "STRAIGHT_BYTES", 0)
        assert _outcome(folder, "straight") == guarded


def test_a_table_filled_since_its_checks_is_checked_before_it_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one pass is for a table with nothing stored; one that holds records by the time it is
    written (another writer between the checks and the write) has its rows checked first."""
    from salesmetrics.importing import run

    write_csv(tmp_path / "reps.csv", [{"rep_id": "r1", "name": "Ann"}])
    deal = {"rep_id": "r1", "created_at": "2026-01-05", "closed_at": "", "status": "open"}
    write_csv(tmp_path / "old" / "deals.csv", [{**deal, "deal_id": "d1", "amount": "10.00"}])
    write_csv(tmp_path / "deals.csv", [{**deal, "deal_id": "d2", "amount": "10.00"},
                                       {**deal, "deal_id": "d3", "amount": "ten"}])
    with Workspace.open(tmp_path / "w.duckdb") as ws:
        ws.import_files(tmp_path / "reps.csv", tmp_path / "old" / "deals.csv")
        monkeypatch.setattr(run, "holds_any", lambda con, table: False)  # as the checks saw it
        with pytest.raises(ImportValidationError) as refused:
            ws.import_files(tmp_path / "deals.csv")
        assert [(p.line, p.column, p.value) for p in refused.value.problems] == [(3, "amount", "ten")]
        assert _stored(ws, "SELECT deal_id FROM deals") == [("d1",)]
