"""Settings read from the environment (``SALESMETRICS_*``), each read strictly: a value that is not
what the variable takes is refused, naming the variable, rather than replaced by the default without
a word (``SALESMETRICS_MAX_UPLOAD_MB=1g`` was 100 MB) or handed to DuckDB (a memory limit of
``bogus`` or ``1KB`` once made an import say the workspace was damaged). Unset or empty: the
default."""

from __future__ import annotations

import math
import os
import re

from .errors import EnvironmentValueError, keyed

# A memory size as DuckDB's memory_limit takes it: a number and a unit of 1000^i or 1024^i bytes
# (2GB, 2G, 2 gigabytes, 512MiB, 3000000000B), or a share of the machine's memory (80%).
_UNITS = {
    **{unit: 1000 ** power for power, units in enumerate(
        (("b", "byte", "bytes"), ("k", "kb", "kilobyte", "kilobytes"), ("m", "mb", "megabyte", "megabytes"),
         ("g", "gb", "gigabyte", "gigabytes"), ("t", "tb", "terabyte", "terabytes"))) for unit in units},
    **{unit: 1024 ** power for power, units in enumerate(
        (("kib", "kibibyte", "kibibytes"), ("mib", "mebibyte", "mebibytes"), ("gib", "gibibyte", "gibibytes"),
         ("tib", "tebibyte", "tebibytes")), start=1) for unit in units},
}
_MEMORY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+|%)\s*", re.IGNORECASE)
# Below this an import's first read fails for want of memory (a 50 MB CSV at 16 MB), and DuckDB's
# "out of memory" reads like a damaged file.
MIN_MEMORY = 64_000_000


def _machine_memory() -> int | None:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not on every system
        return None


# Staging tables live in DuckDB's buffer pool; past this they spill to its temp_directory (next to
# the workspace file), so a file larger than memory imports without needing its size in RAM.
IMPORT_MEMORY, DEFAULT_IMPORT_MEMORY = "SALESMETRICS_IMPORT_MEMORY", "2GB"
# How far an .xlsx file may unpack, in MB: raised when a real workbook needs it; anything that
# large imports faster as CSV anyway.
XLSX_MAX_MB, DEFAULT_XLSX_MAX_MB = "SALESMETRICS_XLSX_MAX_MB", 500

# What each kind of variable takes, as its refusal says it (German: text/errors.py).
TAKES = {
    "seconds": "a number of seconds, such as 30",
    "seconds_1": "a number of seconds of 1 or more, such as 60",
    "megabytes": "a number of megabytes above 0, such as 100",
    "count": "a whole number of 1 or more, such as 4",
    "memory": "a memory size of 64MB or more, such as 2GB, 512MiB or 50%",
}


def _refused(name: str, raw: str, takes: str, default: object) -> EnvironmentValueError:
    return keyed(EnvironmentValueError(
        f"${name}={raw!r} is not {TAKES[takes]}; set it so, or unset it for the default ({default})"),
        "environment_value", name=name, raw=raw, takes=takes, default=default)


def number(name: str, default: float, *, takes: str, minimum: float = 0.0, above: bool = False,
           whole: bool = False) -> float:
    """``$name`` as a number of at least ``minimum`` (``above``: more than it; ``whole``: without a
    fraction); ``takes`` names what it is (a key of :data:`TAKES`) for the refusal."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise _refused(name, raw, takes, default) from None
    if (not math.isfinite(value) or value < minimum or (above and value == minimum)
            or (whole and not value.is_integer())):
        raise _refused(name, raw, takes, default)
    return value


def memory(name: str, default: str) -> str:
    """``$name`` as a memory size DuckDB takes, of at least 64 MB: in bytes (``2000000000B``)."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    found = _MEMORY.fullmatch(raw)
    unit = found[2].lower() if found else ""
    if found is None or (unit != "%" and unit not in _UNITS):
        raise _refused(name, raw, "memory", default)
    number = float(found[1])
    if unit == "%":
        machine = _machine_memory()
        if machine is None:
            return f"{found[1]}%"  # DuckDB knows the machine's memory where we cannot tell
        size = int(machine * number / 100) if number <= 100 else 0
    else:
        size = int(number * _UNITS[unit])
    if size < MIN_MEMORY:
        raise _refused(name, raw, "memory", default)
    return f"{size}B"


def import_memory() -> str:
    """DuckDB's memory limit during an import."""
    return memory(IMPORT_MEMORY, DEFAULT_IMPORT_MEMORY)


def xlsx_limit() -> int:
    """How many bytes the parts of an .xlsx file may unpack to."""
    return int(number(XLSX_MAX_MB, DEFAULT_XLSX_MAX_MB, takes="megabytes", above=True) * 1_000_000)
