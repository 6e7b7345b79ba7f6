"""The property tests (tests/test_properties.py) on every backend: random small workspaces, every
KPI against the plain-Python reference, and a second import of the same files changing nothing.

Examples per backend are fewer where a backend is slow to start a query (Spark); DuckDB's own run in
tests/test_properties.py searches hardest. ``SALESMETRICS_CONFORMANCE_EXAMPLES`` raises them all.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from backend_fixtures import backend
from conformance_backends import fresh, require
from hypothesis import given, settings

from reference import kpi_rows
from salesmetrics import Workspace
from test_properties import (
    PROPERTY_SETTINGS,
    RampScenario,
    Scenario,
    ask,
    assert_rows_match,
    check_ramp,
    measured_end,
    ramp_scenarios,
    scenarios,
    write_records,
)

__all__ = ["backend"]

_MORE = int(os.environ.get("SALESMETRICS_CONFORMANCE_EXAMPLES", "0"))
EXAMPLES = {"duckdb": _MORE or 8, "postgres": _MORE or 8, "pyspark": _MORE or 2}
_counter = itertools.count()


def _check(kind: str, scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "records"
        written = write_records(folder, scenario.data)
        with fresh(kind, Path(tmp) / f"w{next(_counter)}") as url, Workspace.open(backend=url) as ws:
            first = ws.import_files(folder)
            assert {t.table: (t.inserted, t.updated, t.unchanged) for t in first.tables} == {
                table: (n, 0, 0) for table, n in written.items()}
            version = ws.data_version
            for query in scenario.queries:
                if not query.kpis():
                    continue
                report = ask(ws, query, scenario.data)
                if report is None:  # a filter naming nothing was refused, as asked
                    continue
                assert (report.period.start, report.period.end) == (query.start, query.end), query
                assert not report.skipped, report.skipped
                expected = [row for kpi in query.kpis()
                            for row in kpi_rows(scenario.data, kpi, query.start,
                                                measured_end(query.start, query.end), query.by,
                                                query.filters)]
                assert_rows_match(report.rows, expected, query)
            again = ws.import_files(folder)
            assert {t.table: (t.inserted, t.updated, t.unchanged) for t in again.tables} == {
                table: (0, 0, n) for table, n in written.items()}
            assert ws.data_version == version


def test_every_kpi_matches_the_reference(backend: str) -> None:
    require(backend)

    @settings(PROPERTY_SETTINGS, max_examples=EXAMPLES[backend])
    @given(scenario=scenarios(max_queries=2))
    def run(scenario: Scenario) -> None:
        _check(backend, scenario)

    run()


def test_ramp_time_matches_the_reference(backend: str) -> None:
    """ramp_time's sustained rule (a window function over each rep's months) and the cohorts."""
    require(backend)

    @settings(PROPERTY_SETTINGS, max_examples=EXAMPLES[backend])
    @given(scenario=ramp_scenarios())
    def run(scenario: RampScenario) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "records"
            write_records(folder, scenario.data)
            with (fresh(backend, Path(tmp) / f"w{next(_counter)}") as url,
                  Workspace.open(backend=url) as ws):
                ws.import_files(folder)
                check_ramp(ws, scenario)

    run()


@pytest.mark.parametrize("kind", ["postgres", "pyspark"])
def test_a_changed_record_is_updated_not_added(kind: str, tmp_path: Path) -> None:
    """A newer export replaces records by key and counts them as updated, on remote backends too;
    a derived row (here: none) never blanks what it does not say."""
    from helpers import write_csv

    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Ann", "team": "east"}])
    write_csv(folder / "deals.csv", [
        {"deal_id": "d1", "rep_id": "r1", "created_at": "2026-01-05T09:00:00",
         "closed_at": "2026-02-01T10:00:00", "status": "won", "amount": "100.00", "currency": "USD"},
        {"deal_id": "d2", "rep_id": "r1", "created_at": "2026-01-05T09:00:00", "status": "open",
         "amount": "50.00", "currency": "USD"}])
    with fresh(kind, tmp_path / "w") as url:
        _update_and_refuse(url, folder)
        with Workspace.open(backend=url) as again:  # settings live with the records
            assert again.settings.fiscal_year_start == 4


def _update_and_refuse(url: str, folder: Path) -> None:
    from helpers import write_csv
    from salesmetrics import ImportValidationError

    with Workspace.open(backend=url) as ws:
        ws.import_files(folder)
        write_csv(folder / "deals.csv", [
            {"deal_id": "d2", "rep_id": "r1", "created_at": "2026-01-05T09:00:00",
             "closed_at": "2026-02-03T10:00:00", "status": "won", "amount": "60.00", "currency": "USD"},
            {"deal_id": "d3", "rep_id": "r1", "created_at": "2026-01-06T09:00:00", "status": "open",
             "amount": "10.00", "currency": "USD"}])
        (folder / "reps.csv").unlink()
        summary = ws.import_files(folder)
        assert [(t.table, t.inserted, t.updated, t.unchanged) for t in summary.tables] == [
            ("deals", 1, 1, 0)]
        assert ws.report("2026-02", kpis=["total_revenue"]).value("total_revenue") == 160
        assert ws.counts()["deals"] == 3
        # The reference check found rep r1 in the backend, not in this import.
        write_csv(folder / "deals.csv", [
            {"deal_id": "d4", "rep_id": "nobody", "created_at": "2026-01-06T09:00:00",
             "status": "open", "amount": "1.00", "currency": "USD"}])
        with pytest.raises(ImportValidationError, match="not found in reps"):
            ws.import_files(folder)
        ws.set_setting("fiscal_year_start", "4")
