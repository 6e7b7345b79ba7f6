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

# A memory size as DuckDB's memory_limit takes it: a number and a unit of 1000^i or 1024^i bytes.
_UNITS = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_MEMORY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", re.IGNORECASE)
# Below this an import's first read fails for want of memory (a 50 MB CSV at 16 MB), and DuckDB's
# "out of memory" reads like a damaged file.
MIN_MEMORY = 64e6


# What each kind of variable takes, as its refusal says it (German: text/errors.py).
TAKES = {
    "seconds": "a number of seconds, such as 30",
    "megabytes": "a number of megabytes above 0, such as 100",
    "count": "a whole number of 1 or more, such as 4",
    "memory": "a memory size of 64MB or more, such as 2GB or 512MB",
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
    """``$name`` as a memory size DuckDB takes (``2GB``, ``512MiB``), of at least 64 MB."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    found = _MEMORY.fullmatch(raw)
    if (found is None or found[2].lower() not in _UNITS
            or float(found[1]) * _UNITS[found[2].lower()] < MIN_MEMORY):
        raise _refused(name, raw, "memory", default)
    return f"{found[1]}{found[2]}"
