"""The dashboard's speed as a visitor meets it: ``python -m bench.web [--views N]``.

Builds the demo workspace (22 reps, two years), starts the web app in-process as `salesmetrics serve`
does, and reads the server's own time (the ``Server-Timing`` header: everything between request and
response, rendering included) for:

* a view no process has asked before, with nothing compiled and nothing kept from an earlier
  process (the first visitor of a server after an upgrade);
* the first view of a new process that finds the compiled SQL kept by an earlier one (cache.py):
  the first visitor after `salesmetrics serve` starts, as a restart meets it;
* views not answered yet -- other periods, grains and filters -- after the start-up warm-up;
* a view answered before (the answer cache);
* the first view after start as `serve` has it: the time the app takes to start (it answers once the
  default view is ready) and the server time of that first view;
* a rep's page and the insights page not answered yet (after the warm-up).

Prints JSON with the load average beside it; docs/benchmarks.md quotes it. Timings are of this
machine and its load at the time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from salesmetrics import Workspace
from salesmetrics.access import Viewer
from salesmetrics.demo import build
from salesmetrics.web import answers
from salesmetrics.web.app import create_app

# Periods and filters a sales leader clicks through; none is among the warm-up's own views.
VIEWS = (
    "period=2025-Q3", "period=2025-Q4", "period=2026-01", "period=2026-02", "period=2025-W30",
    "period=2025-Q3&team=east", "period=2026-02&team=west", "period=2025-06&team=central",
    "period=last-30-days", "period=2025-11&team=east", "period=2025-09&rep=R003",
    "period=2025-Q2&product=SUB-BASIC", "period=2025-10&source=referral", "period=2026-01&rep=R011",
    "period=2025-05", "period=2024-Q4&team=west",
)


def _server_ms(response: Any) -> float:
    found = re.search(r"app;dur=([0-9.]+)", response.headers["server-timing"])
    assert found and response.status_code == 200, response.text[:500]
    return float(found[1])


_NEW_PROCESS = """
import json, re, sys
from fastapi.testclient import TestClient
from salesmetrics.web.app import create_app
app = create_app(sys.argv[1], warm=False)
with TestClient(app) as client:
    r = client.get("/?" + sys.argv[2])
    print(json.dumps({"ms": float(re.search(r"app;dur=([0-9.]+)", r.headers["server-timing"])[1]),
                      "status": r.status_code}))
"""


def _new_process_ms(db: Path, view: str) -> float:
    """The server time of the first view of a new server process (its own interpreter)."""
    done = subprocess.run([sys.executable, "-c", _NEW_PROCESS, str(db), view], capture_output=True,
                          text=True, check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["status"] == 200, found
    return float(found["ms"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=len(VIEWS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "demo.duckdb"
        with Workspace.open(db) as ws:
            build(ws)
        load = [round(os.getloadavg()[0], 1)]
        # As `salesmetrics serve` starts: the app answers once the default view is ready.
        started = time.perf_counter()
        with TestClient(create_app(db)) as client:
            ready = time.perf_counter() - started
            first = _server_ms(client.get("/"))
        load.append(round(os.getloadavg()[0], 1))
        app = create_app(db, warm=False)
        with TestClient(app) as client:
            gate = app.state.gate
            cold = _server_ms(client.get("/?period=2025-08&team=central"))
            answers.warm_up(gate, Viewer.everyone())
            warmed = answers.prepare_queries(gate, Viewer.everyone(), lambda: False)
            load.append(round(os.getloadavg()[0], 1))
            times = [_server_ms(client.get(f"/?{view}")) for view in VIEWS[:args.views]]
            cached = _server_ms(client.get(f"/?{VIEWS[0]}"))
            reps = [_server_ms(client.get(f"/reps/{rep}?period={period}"))
                    for rep, period in (("R003", "2025-09"), ("R011", "2026-01"), ("R017", "2025-Q4"))]
            insights = [_server_ms(client.get(f"/insights?{view}"))
                        for view in ("period=2025-09", "period=2026-01&team=east", "period=2025-Q4")]
            load.append(round(os.getloadavg()[0], 1))
        restarted = [_new_process_ms(db, view) for view in ("period=2025-07", "period=2025-06&team=west",
                                                            "period=2025-Q1")]
    print(json.dumps({
        "start_until_answering_s": round(ready, 2),
        "first_view_after_start_ms": round(first, 1),
        "first_view_cold_process_ms": round(cold, 1),
        "first_view_new_process_with_kept_sql_ms": [round(t, 1) for t in restarted],
        "warm_up_views": warmed,
        "new_view_ms": {"median": round(statistics.median(times), 1), "max": round(max(times), 1),
                        "all": [round(t, 1) for t in times]},
        "answered_view_ms": round(cached, 1),
        "new_rep_view_ms": [round(t, 1) for t in reps],
        "new_insights_view_ms": [round(t, 1) for t in insights],
        "load_average_1min": load,
    }, indent=2))


if __name__ == "__main__":
    main()
