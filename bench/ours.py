"""Our side, in one process: ``python -m bench.ours ACTION ...`` prints JSON with its own timings.

* ``import DB CSV_DIR``: import the files into a new workspace;
* ``report DB MONTH --repeat N``: a warm-up, then N reports of every KPI by rep (and of the
  compared KPIs alone), with the compared figures;
* ``dashboard DB MONTH --repeat N``: the dashboard's full set of questions for the month (every
  tile beside the period before and a year before, charts, leaderboard) and a 24-month trend.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from salesmetrics import Workspace
from salesmetrics.periods import Period

from .figures import COMPARED, as_rows, from_report, month_bounds


def _timed(fn: Any, repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("import", "report", "dashboard"))
    parser.add_argument("db")
    parser.add_argument("arg")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    out: dict[str, Any] = {}
    if args.action == "import":
        t0 = time.perf_counter()
        with Workspace.open(args.db) as ws:
            summary = ws.import_files(Path(args.arg))
        out["import_s"] = [time.perf_counter() - t0]
        out["rows"] = sum(t.inserted + t.updated + t.unchanged for t in summary.tables)
    elif args.action == "report":
        with Workspace.open(args.db, read_only=True) as ws:
            first, _ = _timed(lambda: ws.report(args.arg, by="rep"), 1)
            out["cold_s"] = first
            out["all_s"], _ = _timed(lambda: ws.report(args.arg, by="rep"), args.repeat)
            out["compared_s"], report = _timed(
                lambda: ws.report(args.arg, by="rep", kpis=list(COMPARED)), args.repeat)
            out["figures"] = as_rows(from_report(report.rows))
    else:
        end = month_bounds(args.arg)[1]
        year, mon = (int(p) for p in args.arg.split("-"))
        first_month = f"{year - 2 + (mon // 12)}-{mon % 12 + 1:02d}"
        trend = Period(month_bounds(first_month)[0], end, f"{first_month}..{args.arg}")

        def full_set() -> None:
            ws.dashboard(args.arg)
            ws.revenue_trend(trend, "month")

        with Workspace.open(args.db, read_only=True) as ws:
            out["cold_s"], _ = _timed(full_set, 1)
            out["warm_s"], _ = _timed(full_set, args.repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
