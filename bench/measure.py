"""Running a contender as a whole process: wall time and peak memory (max RSS, from the kernel's
accounting of that one process via wait4, in bench/launch.py), and whatever JSON it printed."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: dict[str, Any] = field(default_factory=dict)
    load: float = float("nan")  # the machine's 1-minute load average when the run started


# A contender runs as an installed program does, which keeps its modules' bytecode: where the shell
# says not to write it (PYTHONDONTWRITEBYTECODE, set on the machines these figures come from), every
# run compiled salesmetrics' 62 modules afresh, 0.14 s of a 1.2 s report (a profile, 2026-12-06).
_WRITING_BYTECODE = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def load_average() -> float:
    """The 1-minute load average: the machine is shared, and a figure means little without it."""
    return os.getloadavg()[0]


def run(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` from the repository root, started by bench/launch.py so that its peak resident
    memory (ru_maxrss of exactly that process, from wait4) is its own, not this process's."""
    load = load_average()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json") as figures:
        launcher = [PYTHON, "-S", str(ROOT / "bench" / "launch.py"), figures.name]
        proc = subprocess.run([*launcher, *argv], cwd=ROOT, stdout=out, stderr=err,
                              env={**_WRITING_BYTECODE, **(env or {})}, check=False)
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode().strip(), err.read().decode()
        if proc.returncode:
            raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}):\n{problem[-3000:]}")
        measured = json.loads(Path(figures.name).read_text())
    last = text.splitlines()[-1] if text else ""
    parsed = json.loads(last) if last.startswith("{") else {}
    return Run(measured["seconds"], measured["peak_kb"] / 1024, parsed, load)


def alternating(contenders: dict[str, list[str]], runs: int,
                env: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, Any]]:
    """Whole processes, interleaved: one warm-up run of each, then ``runs`` rounds in which every
    contender runs once (the order turning each round), so each sees the same machine load. Per
    contender: the median time, the peak memory and the load averages its runs started under."""
    names = list(contenders)
    for name in names:
        run(contenders[name], (env or {}).get(name))  # warm-up: file cache, bytecode, kept SQL
    measured: dict[str, list[Run]] = {name: [] for name in names}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            measured[name].append(run(contenders[name], (env or {}).get(name)))
    return {name: {"s": median([m.seconds for m in ms]), "peak_mb": max(m.peak_mb for m in ms),
                   "all_s": [round(m.seconds, 3) for m in ms], "load": [round(m.load, 1) for m in ms]}
            for name, ms in measured.items()}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, str]:
    import duckdb
    import ibis
    import pandas
    import pyarrow

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "duckdb": duckdb.__version__, "ibis": ibis.__version__, "pandas": pandas.__version__,
            "pyarrow": pyarrow.__version__}
