"""A writer against a busy dashboard: ``python -m bench.contention [--clients 2 8 16] [--writes 20]``.

Starts `salesmetrics serve` on a copy of the demo workspace, keeps N clients asking it for views it
has not answered before (each needs the file), and meanwhile opens the workspace for writing from
other processes, as `salesmetrics import` does, one after another: how long each writer waited for
the file (p50, p99, max) and what the clients were answered (200, 503 with Retry-After, ...).

Before the writer marker (storage.connect), a writer here waited its full 30 s and gave up in 4
runs out of 4 with 2 or more clients: readers overlapped, so the file was never free.

Prints JSON; docs/benchmarks.md quotes it. Timings are of this machine and its load at the time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

WRITER = """
import sys, time
from salesmetrics import Workspace
start = time.perf_counter()
ws = Workspace.open(sys.argv[1], wait=60)
waited = time.perf_counter() - start
ws.set_setting("ramp_threshold", sys.argv[2])  # a small write, as an import's transaction is one
ws.close()
print(waited)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(db: Path, port: int | None = None) -> Iterator[str]:
    """`salesmetrics serve` on ``db`` in a process of its own; yields its base URL."""
    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-m", "salesmetrics", "serve", "--db", str(db), "--port",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/kpis", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def new_view(rng: random.Random) -> str:
    """A view no one asked before (a period of random days, maybe a filter): it needs the file."""
    first = date.today() - timedelta(days=rng.randrange(30, 700))
    period = f"{first.isoformat()}..{(first + timedelta(days=rng.randrange(7, 120))).isoformat()}"
    choice = rng.randrange(4)
    if choice == 0:
        return f"/?period={period}&team={rng.choice(['east', 'west', 'central'])}"
    if choice == 1:
        return f"/api/v1/report?period={period}&by=rep"
    if choice == 2:
        return f"/api/v1/summary?period={period}"
    return f"/?period={period}"


@dataclass
class Load:
    """Clients asking for new views until stopped; what they were answered."""

    url: str
    clients: int
    statuses: Counter[str] = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not self._stop.is_set():
                path = new_view(rng)
                try:
                    r = client.get(path)
                except httpx.HTTPError as exc:
                    self.bad.append(f"{path}: {exc!r}")
                    continue
                label = str(r.status_code)
                if r.status_code == 503:
                    label += " with Retry-After" if r.headers.get("retry-after") else " WITHOUT Retry-After"
                    if not r.headers.get("retry-after"):
                        self.bad.append(f"{path}: 503 without Retry-After")
                    time.sleep(float(r.headers.get("retry-after") or 1) / 4)
                elif r.status_code not in (200, 400):
                    self.bad.append(f"{path}: {r.status_code} {r.text[:200]}")
                self.statuses[label] += 1

    def __enter__(self) -> Load:
        for n in range(self.clients):
            thread = threading.Thread(target=self._client, args=(n,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(90)


def writer_wait(db: Path, value: str) -> float:
    done = subprocess.run([sys.executable, "-c", WRITER, str(db), value], capture_output=True, text=True,
                          timeout=120, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(demo: Path, clients: int, writes: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "demo.duckdb"
        shutil.copy(demo, db)
        with server(db) as url, Load(url, clients) as load:
            time.sleep(3)  # the clients are at it
            waits = [writer_wait(db, f"0.{90 + n % 10}") for n in range(writes)]
            time.sleep(0.5)
        return {"clients": clients, "writes": writes,
                "writer_wait_s": {"p50": round(statistics.median(waits), 3),
                                  "p99": round(percentile(waits, 0.99), 3), "max": round(max(waits), 3)},
                "answers": dict(load.statuses), "unexpected": load.bad[:5]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, nargs="+", default=[2, 8, 16])
    parser.add_argument("--writes", type=int, default=20)
    args = parser.parse_args()
    from salesmetrics import Workspace
    from salesmetrics.demo import build

    with tempfile.TemporaryDirectory() as work:
        demo = Path(work) / "demo.duckdb"
        with Workspace.open(demo) as ws:
            build(ws)
        results = [measure(demo, n, args.writes) for n in args.clients]
    print(json.dumps({"cpus": os.cpu_count(), "runs": results}, indent=2))


if __name__ == "__main__":
    main()
