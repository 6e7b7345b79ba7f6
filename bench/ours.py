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
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from salesmetrics import Workspace
from salesmetrics.periods import Period

from .figures import COMPARED, as_rows, from_report, month_bounds


def _each_new(db: str, fn: Callable[[Any], Any], repeat: int) -> tuple[list[float], Any]:
    """``fn(ws)`` ``repeat`` times, each on the workspace opened anew, so that no run reads what an
    earlier one kept (Store.memo keeps query results until the records change). The workspace held
    open beside them keeps DuckDB's database, and the blocks it read, as a long-running process
    would (the connections of one process to one file share them)."""
    times, result = [], None
    for _ in range(repeat):
        with Workspace.open(db, read_only=True) as ws:
            t0 = time.perf_counter()
            result = fn(ws)
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
        with Workspace.open(args.db, read_only=True):
            out["cold_s"], _ = _each_new(args.db, lambda ws: ws.report(args.arg, by="rep"), 1)
            out["all_s"], _ = _each_new(args.db, lambda ws: ws.report(args.arg, by="rep"), args.repeat)
            out["compared_s"], report = _each_new(
                args.db, lambda ws: ws.report(args.arg, by="rep", kpis=list(COMPARED)), args.repeat)
            out["figures"] = as_rows(from_report(report.rows))
    elif args.action == "views":
        with Workspace.open(args.db, read_only=True):
            out.update(_views(args.db, args.arg))
    elif args.action == "pages":
        out.update(_pages(args.db, args.arg))
    else:
        end = month_bounds(args.arg)[1]
        year, mon = (int(p) for p in args.arg.split("-"))
        first_month = f"{year - 2 + (mon // 12)}-{mon % 12 + 1:02d}"
        trend = Period(month_bounds(first_month)[0], end, f"{first_month}..{args.arg}")

        def full_set(ws: Any) -> None:
            ws.dashboard(args.arg)
            ws.revenue_trend(trend, "month")

        with Workspace.open(args.db, read_only=True):
            out["cold_s"], _ = _each_new(args.db, full_set, 1)
            out["warm_s"], _ = _each_new(args.db, full_set, args.repeat)
    print(json.dumps(out))


def _views(db: str, month: str) -> dict[str, list[float]]:
    start, end = month_bounds(month)
    span = Period(start, end, month)
    months = [month] + [f"{start.year - (start.month <= k)}-{(start.month - 1 - k) % 12 + 1:02d}"
                        for k in (1, 2)]
    quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    last_day = end - timedelta(days=1)

    def rep_page(ws: Any, rep: str) -> None:
        ws.scorecard(rep, month, history=3)
        ws.revenue_trend(span, "week", filters={"rep": [rep]})

    def insights_page(ws: Any, period: str) -> None:
        ws.activity_effectiveness(period)
        ws.funnel(period)
        ws.satisfaction(period)
        ws.losses(period)
        ws.won_lost(period)

    def forecast_page(ws: Any) -> None:
        # As the page asks it: the first 100 deals listed, where the program can (a baseline may not).
        listed = {"listed": 100} if "listed" in inspect.signature(ws.forecast).parameters else {}
        ws.forecast(quarter, as_of=last_day, **listed)
        ws.slippage(quarter, as_of=last_day)
        ws.forecast_accuracy(as_of=last_day)

    def once(view: Callable[..., None], *args: Any) -> float:
        return _each_new(db, lambda ws: view(ws, *args), 1)[0][0]

    # A warm-up view of each kind first (another rep, another month), as the dashboard has one;
    # not of the forecast page: its first view is the one measured.
    with Workspace.open(db, read_only=True) as ws:
        *reps, warm_rep = sorted(ws.store.names("reps"))[:4]
    once(rep_page, warm_rep)
    once(insights_page, months[2])
    return {"rep_s": [once(rep_page, rep) for rep in reps],
            "insights_s": [once(insights_page, period) for period in months[:2]],
            "forecast_s": [once(forecast_page)]}


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

    def page(client: Any, path: str) -> float:
        t0 = time.perf_counter()
        answer = client.get(path)
        took = time.perf_counter() - t0
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
        return took

    # As `salesmetrics serve` makes it, but for the warm-up it does at start: that would answer the
    # default view before the first request. Each view new: nor does a server that keeps the query
    # results of one view for the next (a program that can) serve it from another's.
    alone = {"share_results": False} if "share_results" in inspect.signature(create_app).parameters else {}
    with TestClient(create_app(db, warm=False, hold=60, **alone)) as client:
        for path in (f"/?period={months[3]}", f"/reps/{warm_rep}?period={month}",
                     f"/insights?period={months[3]}"):
            page(client, path)
        out = {"dashboard_page_s": [page(client, f"/?period={m}") for m in months[:2]],
               "rep_page_s": [page(client, f"/reps/{rep}?period={month}") for rep in reps],
               "insights_page_s": [page(client, f"/insights?period={m}") for m in months[:2]],
               "forecast_page_s": [page(client, f"/forecast?period={quarter}&as_of={last_day}")]}
    if alone:
        # Browsing, as the server keeps results: the month after the month before, whose figures
        # its tiles compare with were read by the view before.
        with TestClient(create_app(db, warm=False, hold=60)) as client:
            page(client, f"/?period={months[3]}")
            page(client, f"/?period={months[1]}")
            out["dashboard_browse_s"] = [page(client, f"/?period={months[0]}")]
    return out


if __name__ == "__main__":
    main()
