"""Our side, in one process: ``python -m bench.ours ACTION ...`` prints JSON with its own timings.

* ``import DB CSV_DIR``: import the files into a new workspace;
* ``report DB MONTH --repeat N``: a warm-up, then N reports of every KPI by rep (and of the
  compared KPIs alone), with the compared figures;
* ``dashboard DB MONTH --repeat N``: the dashboard's full set of questions for the month (every
  tile beside the period before and a year before, charts, leaderboard) and a 24-month trend;
* ``views DB MONTH``: what the other pages ask, each view new to the process (no answer of another
  serves it), after a warm-up view of each: a rep's page (scorecard with three earlier months, and
  the rep's trend) for three reps, the insights page (its five answers) for the month and the one
  before, and the forecast page (forecast, slippage, accuracy) of the month's quarter as of its
  last day, its first view.
* ``pages DB MONTH``: the same pages and the dashboard as the web app serves them (server side: the
  request through the app, rendering included, no network), each view new to the app after a
  warm-up view of each kind: the dashboard for the month and the one before, a rep's page for three
  reps, insights for the month and the one before, the forecast page as above.
"""

from __future__ import annotations

import argparse
import inspect
import json
import time
from datetime import timedelta
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
    parser.add_argument("action", choices=("import", "report", "dashboard", "views", "pages"))
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
    elif args.action == "views":
        with Workspace.open(args.db, read_only=True) as ws:
            out.update(_views(ws, args.arg))
    elif args.action == "pages":
        out.update(_pages(args.db, args.arg))
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


def _views(ws: Any, month: str) -> dict[str, list[float]]:
    start, end = month_bounds(month)
    span = Period(start, end, month)
    months = [month] + [f"{start.year - (start.month <= k)}-{(start.month - 1 - k) % 12 + 1:02d}"
                        for k in (1, 2)]
    quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    last_day = end - timedelta(days=1)

    def rep_page(rep: str) -> None:
        ws.scorecard(rep, month, history=3)
        ws.revenue_trend(span, "week", filters={"rep": [rep]})

    def insights_page(period: str) -> None:
        ws.activity_effectiveness(period)
        ws.funnel(period)
        ws.satisfaction(period)
        ws.losses(period)
        ws.won_lost(period)

    # As the page asks it: the first 100 deals listed, where the program can (a baseline may not).
    listed = {"listed": 100} if "listed" in inspect.signature(ws.forecast).parameters else {}

    def forecast_page() -> None:
        ws.forecast(quarter, as_of=last_day, **listed)
        ws.slippage(quarter, as_of=last_day)
        ws.forecast_accuracy(as_of=last_day)

    # A warm-up view of each kind first (another rep, another month), as the dashboard has one;
    # not of the forecast page: its first view is the one measured.
    *reps, warm_rep = sorted(ws.store.names("reps"))[:4]
    rep_page(warm_rep)
    insights_page(months[2])
    return {"rep_s": [_once(rep_page, rep) for rep in reps],
            "insights_s": [_once(insights_page, period) for period in months[:2]],
            "forecast_s": [_once(forecast_page)]}


def _pages(db: str, month: str) -> dict[str, list[float]]:
    import warnings

    warnings.simplefilter("ignore")  # the test client's notes on stderr
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    start, end = month_bounds(month)
    months = [month] + [f"{start.year - (start.month <= k)}-{(start.month - 1 - k) % 12 + 1:02d}"
                        for k in (1, 2, 3)]
    quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    last_day = end - timedelta(days=1)
    with Workspace.open(db, read_only=True) as ws:
        *reps, warm_rep = sorted(ws.store.names("reps"))[:4]
    # As `salesmetrics serve` makes it, but for the warm-up it does at start: that would answer the
    # default view before the first request.
    with TestClient(create_app(db, warm=False, hold=60)) as client:
        def page(path: str) -> float:
            t0 = time.perf_counter()
            answer = client.get(path)
            took = time.perf_counter() - t0
            if answer.status_code != 200:
                raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
            return took

        for path in (f"/?period={months[3]}", f"/reps/{warm_rep}?period={month}",
                     f"/insights?period={months[3]}"):
            page(path)
        return {"dashboard_page_s": [page(f"/?period={m}") for m in months[:2]],
                "rep_page_s": [page(f"/reps/{rep}?period={month}") for rep in reps],
                "insights_page_s": [page(f"/insights?period={m}") for m in months[:2]],
                "forecast_page_s": [page(f"/forecast?period={quarter}&as_of={last_day}")]}


def _once(view: Any, *args: Any) -> float:
    t0 = time.perf_counter()
    view(*args)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
