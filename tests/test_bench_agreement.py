"""The benchmark's agreement check at a tiny size: ours, the pandas script and hand-written DuckDB
SQL must give the same figures to the cent, so a change that is fast but wrong fails here."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from bench import pandas_kpis, sql_kpis
from bench.figures import COMPARED, differences, from_report
from bench.generate import SIZES, generate

from salesmetrics import Workspace

MONTH = "2025-11"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    generate(SIZES["T"], folder, seed=11)
    with Workspace.open(folder / "work.duckdb") as ws:
        ws.import_files(folder / "csv")
    return folder


def test_ours_pandas_and_raw_sql_agree_to_the_cent(tiny: Path) -> None:
    with Workspace.open(tiny / "work.duckdb", read_only=True) as ws:
        ours = from_report(ws.report(MONTH, by="rep", kpis=list(COMPARED)).rows)
    theirs = pandas_kpis.compute(pandas_kpis.load(tiny / "parquet"), MONTH)
    con = duckdb.connect(str(tiny / "work.duckdb"), read_only=True)
    try:
        raw = sql_kpis.compute(con, MONTH)
    finally:
        con.close()
    assert {k[0] for k in ours} == set(COMPARED)  # every KPI has figures to compare
    assert differences(ours, theirs, "pandas") == []
    assert differences(ours, raw, "raw SQL") == []


def test_a_wrong_figure_is_caught(tiny: Path) -> None:
    theirs = pandas_kpis.compute(pandas_kpis.load(tiny / "parquet"), MONTH)
    key = next(k for k in theirs if k[0] == "total_revenue")
    value, n = theirs[key]
    off_by_a_cent = dict(theirs)
    off_by_a_cent[key] = (f"{float(value) + 0.01:.2f}", n)
    assert differences(theirs, off_by_a_cent, "pandas")


def test_the_pages_views_are_timed_each_new_to_the_process(tiny: Path) -> None:
    """``python -m bench.ours views``: three reps' pages, two months of insights and the forecast
    page, each asked once; the table has a row for each and for the program before."""
    import json
    import subprocess
    import sys

    from bench.report import ROWS, VIEW_PAGES

    done = subprocess.run([sys.executable, "-m", "bench.ours", "views", str(tiny / "work.duckdb"), MONTH],
                          capture_output=True, text=True, check=True)
    timed = json.loads(done.stdout)
    assert {k: len(v) for k, v in timed.items()} == {"rep_s": 3, "insights_s": 2, "forecast_s": 1}
    assert all(t > 0 for v in timed.values() for t in v)
    keys = {key for _, key, _ in ROWS}
    assert {f"{page}_s" for page in VIEW_PAGES} <= keys and "_base_views" in keys


def test_the_served_pages_are_timed_each_new_to_the_app(tiny: Path) -> None:
    """``python -m bench.ours pages``: the dashboard, a rep's page, insights and the forecast page as
    the web app serves them (each answered 200, or the run stops); the table has a row for them and
    for the program before."""
    import json
    import subprocess
    import sys

    from bench.report import ROWS, SERVED_PAGES, _value

    done = subprocess.run([sys.executable, "-m", "bench.ours", "pages", str(tiny / "work.duckdb"), MONTH],
                          capture_output=True, text=True, check=True)
    timed = json.loads(done.stdout)
    assert {k: len(v) for k, v in timed.items()} == {"dashboard_page_s": 2, "rep_page_s": 3,
                                                     "insights_page_s": 2, "forecast_page_s": 1,
                                                     "dashboard_browse_s": 1}
    assert all(t > 0 for v in timed.values() for t in v)
    assert {"_pages", "_base_pages"} <= {key for _, key, _ in ROWS}
    result = {f"{page}_page_s": min(timed[f"{page}_page_s"]) for page in SERVED_PAGES}
    assert _value(result, "_pages", "").count(" / ") == 3
