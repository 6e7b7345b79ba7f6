"""The command line on a terminal: what only a terminal gets (a progress bar, a spinner, colour)
draws and ends as on a pipe, in a real pseudo-terminal, not a captured stream."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from helpers import write_csv

SALESMETRICS = Path(sys.executable).with_name("salesmetrics")


def on_a_terminal(*args: str, timeout: float = 120) -> tuple[int, str]:
    """Run ``salesmetrics *args`` with its output on a pseudo-terminal; its exit code and what it
    wrote there."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    proc = subprocess.Popen([str(SALESMETRICS), *args], stdin=subprocess.DEVNULL, stdout=follower,
                            stderr=follower, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the last writer closed: the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=max(1.0, deadline - time.monotonic())), b"".join(chunks).decode(errors="replace")


def test_an_import_on_a_terminal_shows_its_progress_and_its_counts(tmp_path: Path) -> None:
    reps = write_csv(tmp_path / "in" / "reps.csv", [{"rep_id": "R1", "name": "Ann", "team": "east"}])
    deals = write_csv(tmp_path / "in" / "deals.csv", [
        {"deal_id": f"D{i}", "rep_id": "R1", "created_at": "2026-01-05", "closed_at": "2026-02-10",
         "status": "won", "amount": "100.00", "currency": "USD"} for i in range(3)])
    code, shown = on_a_terminal("import", "--db", str(tmp_path / "w.duckdb"), str(reps), str(deals))
    assert code == 0, shown
    assert "Traceback" not in shown and "Error" not in shown
    assert "\x1b[" in shown  # drawn for a terminal: the progress bar's and the table's codes
    counts = next(line for line in shown.splitlines() if "deals" in line and "│" in line)
    assert counts.split("│")[2].strip() == "3"  # inserted
