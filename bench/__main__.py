"""``python -m bench``: generate, check that everyone agrees, time, and write docs/benchmarks.md.

For each size (S and M by default; ``--size L`` for the big one): the canonical files are generated
once (bench/generate.py), imported into a workspace, and then ours, an idiomatic pandas script and
hand-written DuckDB SQL compute the same month of figures by rep. Nothing is timed until the three
agree to the cent. Whole processes are timed by wall clock with the peak memory the kernel saw; the
in-process figures come from the processes themselves (a warm-up call first, then the median).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .figures import COMPARED, differences, from_rows
from .generate import SIZES, TABLES, generate
from .measure import PYTHON, ROOT, alternating, machine, median, run
from .report import SERVED_PAGES, VIEW_PAGES, write_markdown

SALESMETRICS = str(Path(PYTHON).with_name("salesmetrics"))
DEFAULT_WORK = Path(tempfile.gettempdir()) / "salesmetrics-bench"


def _ensure_data(size: str, work: Path, seed: int) -> Path:
    folder = work / size
    if not (folder / "DONE").exists() or (folder / "DONE").read_text().strip() != f"{size} seed={seed}":
        print(f"[{size}] generating {SIZES[size].deals:,} deals, {SIZES[size].activities:,} activities",
              file=sys.stderr)
        generate(SIZES[size], folder, seed)
    return folder


def _fresh(path: Path) -> Path:
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    return path


def _rows_in(csv_dir: Path) -> int:
    import duckdb

    con = duckdb.connect()
    return sum(int(con.execute(f"SELECT count(*) FROM read_csv('{csv_dir / (t + '.csv')}')").fetchall()[0][0])
               for t in TABLES)


# A fifth of the deals and a seventh of the quotas in euros, a rate for every day: a company selling
# in two currencies. Written straight into a copy of the workspace, with the data version moved as
# any write does, so the rollups read as stale; setting the base currency as a user sets it then
# rebuilds them all (several are read with other currencies: the rates of every day, ramp time's).
_TWO_CURRENCIES = [
    "UPDATE deals SET currency = 'EUR' WHERE hash(deal_id) % 5 = 0",
    "UPDATE quotas SET currency = 'EUR' WHERE hash(rep_id) % 7 = 0",
    "INSERT INTO fx_rates SELECT d::DATE, 'EUR', (1.05 + 0.05 * sin(epoch(d) / 8e6))::DECIMAL(18, 6) "
    "FROM range(TIMESTAMP '2022-12-01', TIMESTAMP '2026-12-31', INTERVAL 1 DAY) t(d)",
    "UPDATE _meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'",
]


def _in_two_currencies(db: Path, env: dict[str, str] | None) -> Path:
    import duckdb

    copy = _fresh(db.with_name(db.stem + "-fx.duckdb"))
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    for statement in _TWO_CURRENCIES:
        con.execute(statement)
    con.close()
    run([SALESMETRICS, "config", "set", "base_currency", "USD", "--db", str(copy)], env)
    return copy


def bench_size(size: str, work: Path, month: str, runs: int, seed: int, import_runs: int,
               with_pandas: bool = True, baseline: Path | None = None) -> dict[str, Any]:
    data = _ensure_data(size, work, seed)
    csv_dir, pq_dir = data / "csv", data / "parquet"
    db, base_db = data / "work.duckdb", data / "work-baseline.duckdb"
    log = lambda what: print(f"[{size}] {what}", file=sys.stderr)  # noqa: E731
    rows = _rows_in(csv_dir)
    # The program before a change, run from its source tree on its own workspace (it may not
    # read a newer schema): --baseline SRC times it beside ours, interleaved, under the same load.
    base_env = {"PYTHONPATH": str(baseline)} if baseline else None

    log("import (whole process)" + (", ours and the baseline interleaved" if baseline else ""))
    imports, base_imports = [], []
    for _ in range(import_runs):
        imports.append(run([SALESMETRICS, "import", "--quiet", str(csv_dir), "--db", str(_fresh(db))]))
        if baseline:
            base_imports.append(run([SALESMETRICS, "import", "--quiet", str(csv_dir), "--db",
                                     str(_fresh(base_db))], base_env))
    log("import (in-process)")
    inproc = run([PYTHON, "-m", "bench.ours", "import", str(_fresh(data / "inproc.duckdb")), str(csv_dir)])
    _fresh(data / "inproc.duckdb")

    log("checking that ours, pandas and raw SQL agree")
    ours = run([PYTHON, "-m", "bench.ours", "report", str(db), month, "--repeat", str(runs)])
    pandas = (run([PYTHON, "-m", "bench.pandas_kpis", str(pq_dir), month, "--repeat", str(runs)])
              if with_pandas else None)
    sql = run([PYTHON, "-m", "bench.sql_kpis", str(db), month, "--repeat", str(runs)])
    base = (run([PYTHON, "-m", "bench.ours", "report", str(base_db), month, "--repeat", str(runs)],
                base_env) if baseline else None)
    mine = from_rows(ours.output["figures"])
    for name, other in (("pandas", pandas), ("raw SQL", sql), ("the baseline", base)):
        if other is None:
            continue
        problems = differences(mine, from_rows(other.output["figures"]), name)
        if problems:
            raise SystemExit(f"[{size}] ours and {name} disagree; no timings are worth printing:\n  "
                             + "\n  ".join(problems))
    log(f"agreed on {len(mine)} figures")

    log("report, pandas and SQL as whole processes, interleaved")
    report_args = [SALESMETRICS, "report", "--db", str(db), "--period", month, "--by", "rep",
                   "--format", "json"]
    contenders = {
        "report_all": report_args,
        "report_cmp": [*report_args, *[a for k in COMPARED for a in ("--kpi", k)]],
        "sql": [PYTHON, "-m", "bench.sql_kpis", str(db), month],
    }
    if with_pandas:
        contenders["pandas"] = [PYTHON, "-m", "bench.pandas_kpis", str(pq_dir), month]
    if baseline:
        contenders["base_report_all"] = [SALESMETRICS, "report", "--db", str(base_db), "--period",
                                         month, "--by", "rep", "--format", "json"]
    whole = alternating(contenders, runs, {"base_report_all": base_env or {}})
    nan = {"s": float("nan"), "peak_mb": float("nan"), "load": []}
    log("dashboard")
    dash = run([PYTHON, "-m", "bench.ours", "dashboard", str(db), month, "--repeat", str(runs)])
    base_dash = (run([PYTHON, "-m", "bench.ours", "dashboard", str(base_db), month, "--repeat",
                      str(runs)], base_env) if baseline else None)

    log("dashboard, a fifth of the deals in euros")
    fx_dash = run([PYTHON, "-m", "bench.ours", "dashboard", str(_in_two_currencies(db, None)), month,
                   "--repeat", str(runs)])
    # The program before may take a minute a set here: three runs are its median.
    base_fx_dash = (run([PYTHON, "-m", "bench.ours", "dashboard", str(_in_two_currencies(base_db, base_env)),
                         month, "--repeat", "3"], base_env) if baseline else None)

    log("the other pages' views")
    views = run([PYTHON, "-m", "bench.ours", "views", str(db), month])
    base_views = (run([PYTHON, "-m", "bench.ours", "views", str(base_db), month], base_env)
                  if baseline else None)

    log("the pages as the web app serves them")
    pages = run([PYTHON, "-m", "bench.ours", "pages", str(db), month])
    base_pages = (run([PYTHON, "-m", "bench.ours", "pages", str(base_db), month], base_env)
                  if baseline else None)

    import_s = median([r.seconds for r in imports])
    loads = [r.load for r in [*imports, *base_imports, ours, sql, dash, fx_dash, views, pages]] + [
        x for w in whole.values() for x in w["load"]]
    return {
        "size": size, "deals": SIZES[size].deals, "activities": SIZES[size].activities, "rows": rows,
        "month": month, "runs": runs, "figures": len(mine),
        "load_min": min(loads), "load_max": max(loads),
        "import_s": import_s, "import_rows_per_s": rows / import_s,
        "import_peak_mb": max(r.peak_mb for r in imports),
        "import_load": [round(r.load, 1) for r in imports],
        "import_inproc_s": inproc.output["import_s"][0],
        "base_import_s": median([r.seconds for r in base_imports]) if base_imports else float("nan"),
        "report_all_s": whole["report_all"]["s"], "report_all_peak_mb": whole["report_all"]["peak_mb"],
        "report_cmp_s": whole["report_cmp"]["s"], "report_cmp_peak_mb": whole["report_cmp"]["peak_mb"],
        "pandas_s": whole.get("pandas", nan)["s"], "pandas_peak_mb": whole.get("pandas", nan)["peak_mb"],
        "sql_s": whole["sql"]["s"], "sql_peak_mb": whole["sql"]["peak_mb"],
        "base_report_all_s": whole.get("base_report_all", nan)["s"],
        "whole_runs": whole,
        "ours_cold_s": ours.output["cold_s"][0], "ours_all_warm_s": median(ours.output["all_s"]),
        "ours_cmp_warm_s": median(ours.output["compared_s"]),
        "base_cmp_warm_s": median(base.output["compared_s"]) if base else float("nan"),
        "pandas_load_s": pandas.output["load_s"] if pandas else float("nan"),
        "pandas_compute_s": median(pandas.output["compute_s"]) if pandas else float("nan"),
        "sql_warm_s": median(sql.output["compute_s"]),
        "dashboard_cold_s": dash.output["cold_s"][0], "dashboard_warm_s": median(dash.output["warm_s"]),
        "dashboard_peak_mb": dash.peak_mb,
        "base_dashboard_warm_s": median(base_dash.output["warm_s"]) if base_dash else float("nan"),
        "fx_dashboard_warm_s": median(fx_dash.output["warm_s"]),
        "fx_dashboard_cold_s": fx_dash.output["cold_s"][0],
        "base_fx_dashboard_warm_s": (median(base_fx_dash.output["warm_s"]) if base_fx_dash
                                     else float("nan")),
        **{f"{page}_s": median(views.output[f"{page}_s"]) for page in VIEW_PAGES},
        **{f"base_{page}_s": median(base_views.output[f"{page}_s"]) if base_views else float("nan")
           for page in VIEW_PAGES},
        **{f"{page}_page_s": median(pages.output[f"{page}_page_s"]) for page in SERVED_PAGES},
        "dashboard_browse_s": median(pages.output.get("dashboard_browse_s", [float("nan")])),
        **{f"base_{page}_page_s": (median(base_pages.output[f"{page}_page_s"]) if base_pages
                                   else float("nan")) for page in SERVED_PAGES},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=sorted(SIZES),
                        help="S, M (default: both) or L (10M deals, 100M activities); repeatable")
    parser.add_argument("--runs", type=int, default=5, help="measured runs after the warm-up")
    parser.add_argument("--import-runs", type=int, default=0, help="imports to time (default 3, M+: 2)")
    parser.add_argument("--month", default="2025-11", help="the month reported on")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where data and workspaces go")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print, do not update --out")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="the src folder of an earlier version, timed beside ours (interleaved)")
    parser.add_argument("--no-pandas", action="store_true",
                        help="leave pandas out (at L it needs ~20 GB to hold 100M activities)")
    args = parser.parse_args(argv)
    results_file = args.out.with_suffix(".json")
    stored: dict[str, Any] = json.loads(results_file.read_text()) if results_file.exists() else {}
    sizes = args.size or ["S", "M"]
    # Bytecode for ours and the baseline before any run, as an install leaves it: an import is
    # timed without a warm-up, and its first run would otherwise pay for compiling (the baseline,
    # a fresh tree, for all of it).
    for src in (ROOT / "src", args.baseline):
        if src is not None:
            subprocess.run([PYTHON, "-m", "compileall", "-q", str(src)], check=True,
                           stdout=subprocess.DEVNULL)
    for size in sizes:
        import_runs = args.import_runs or (3 if SIZES[size].deals <= 100_000 else 2)
        result = bench_size(size, args.work, args.month, args.runs, args.seed, import_runs,
                            with_pandas=not args.no_pandas, baseline=args.baseline)
        stored.setdefault("sizes", {})[size] = result
        print(json.dumps(result, indent=1))
    stored["machine"] = machine()
    if not args.no_write:
        results_file.write_text(json.dumps(stored, indent=1) + "\n")
        write_markdown(args.out, stored)
        print(f"wrote {args.out} and {results_file}", file=sys.stderr)


if __name__ == "__main__":
    main()
