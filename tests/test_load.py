"""A CLI import while the dashboard is busy (issue 18, item 1): 4 clients ask the real server for
views it has not answered before, for 20 s, on the demo workspace; meanwhile `salesmetrics import`
runs in its own process. The import gets in and succeeds, and every answer is 200, 400 or 503 with
Retry-After: never a 5xx of another kind, never a hang."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
from bench.contention import Load, server

CLIENTS = 4
SECONDS = 20


def test_a_cli_import_gets_in_while_four_clients_read(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
                     "LOAD-1,R001,2026-10-01,2026-10-02,won,1234.56,USD\n", encoding="utf-8")
    salesmetrics = str(Path(sys.executable).with_name("salesmetrics"))
    with server(db) as url, Load(url, CLIENTS) as load:
        start = time.monotonic()
        time.sleep(3)  # the clients are in the file
        imported = subprocess.run([salesmetrics, "import", "--quiet", str(deals), "--db", str(db)],
                                  capture_output=True, text=True, timeout=SECONDS + 30)
        took = time.monotonic() - start - 3
        time.sleep(max(0.0, SECONDS - (time.monotonic() - start)))
        after = httpx.get(f"{url}/api/v1/records", params={"kpi": "total_revenue", "period": "2026-10-02"},
                          timeout=60)
    assert imported.returncode == 0, imported.stderr
    assert "deals" in imported.stdout and took < SECONDS, took
    assert load.bad == [], load.bad[:5]
    assert set(load.statuses) <= {"200", "400", "503 with Retry-After"}, load.statuses
    assert load.statuses["200"] >= CLIENTS  # they were answered, not just turned away
    # The server sees the import: its answers follow the data version.
    assert after.status_code == 200
    assert "LOAD-1" in {row["deal_id"] for row in after.json()["rows"]}
