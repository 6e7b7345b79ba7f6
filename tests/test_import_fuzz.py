"""Random bytes and random CSV-shaped text fed to the importer (issue 18): every outcome is an import
or a refusal listing problems with the file they are in, never another exception, and a refused
import writes nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesmetrics import Workspace
from salesmetrics.errors import ImportValidationError
from salesmetrics.schema import TABLES

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "reps.csv").write_text("rep_id,name\nr1,Ann\nr2,Bob\n", encoding="utf-8")
    with Workspace.open(folder / "w.duckdb") as opened:
        opened.import_files(folder / "reps.csv")
        yield opened


def _attempt(ws: Workspace, name: str, data: bytes) -> None:
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        path = work / name
        path.write_bytes(data)
        version = ws.data_version
        try:
            ws.import_files(path)
        except ImportValidationError as exc:
            assert exc.problems and all(p.file.startswith(str(work)) or p.file == "(upload)"
                                        for p in exc.problems), exc.problems
            assert all(p.message for p in exc.problems)
            assert ws.data_version == version  # refused: nothing written
    finally:
        shutil.rmtree(work)


@SETTINGS
@given(data=st.binary(max_size=3000),
       name=st.sampled_from(["deals.csv", "reps.tsv", "activities.xlsx", "nps_responses.parquet",
                             "quotas.txt"]))
def test_random_bytes(ws: Workspace, data: bytes, name: str) -> None:
    _attempt(ws, name, data)


VALUES = st.one_of(
    st.sampled_from(["", "r1", "r2", "won", "lost", "open", "WON", "2026-10-01", "2026-10-01T10:00:00Z",
                     "2026-13-45", "9999-12-31T23:59:59+14:00", "0001-01-01", "1e3", "-5", "0",
                     "1.005", "1.234,56", "USD", "eur", "€", "NaN", "inf", "10", "12.50",
                     "=HYPERLINK(1)", "[/x]", "\x00", "a\"b", "a,b", "a;b", "x" * 300, "call"]),
    st.text(max_size=20),
)


@st.composite
def csv_text(draw: st.DrawFn) -> tuple[str, bytes]:
    table = draw(st.sampled_from(sorted(TABLES)))
    known = list(TABLES[table].column_names)
    header = draw(st.lists(st.one_of(st.sampled_from(known), st.text(max_size=8)), min_size=0,
                           max_size=len(known) + 2))
    if draw(st.booleans()):
        header = known
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = draw(st.lists(st.lists(VALUES, min_size=0, max_size=len(header) + 2), max_size=12))

    def cell(value: str) -> str:
        if draw(st.booleans()) and any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(v) for v in header)] + [delimiter.join(cell(v) for v in r) for r in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return f"{table}.csv", text.encode(encoding, errors="replace")


@SETTINGS
@given(file=csv_text())
def test_random_csv_shaped_text(ws: Workspace, file: tuple[str, bytes]) -> None:
    _attempt(ws, *file)
