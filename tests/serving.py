"""The real server for tests that need one: `salesmetrics serve` as a subprocess, on a free port,
answered once its /health says so, stopped when the test is done."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mailserver import free_port

SALESMETRICS = Path(sys.executable).with_name("salesmetrics")
__all__ = ["SALESMETRICS", "free_port", "served"]


@contextmanager
def served(db: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``salesmetrics serve --db DB EXTRA...``: its base URL and process, once it answers."""
    port = free_port()
    proc = subprocess.Popen([str(SALESMETRICS), "serve", "--db", str(db), "--port", str(port), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(base + "/health", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"salesmetrics serve did not start:\n{proc.communicate()[0]}")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)
