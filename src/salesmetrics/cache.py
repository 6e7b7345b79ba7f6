"""What one process works out and the next can reuse: kept in the user's cache directory, in a folder
per program version, so an upgrade (or an edited source file) never reads an older program's notes.

Compiling a KPI to SQL takes Ibis and sqlglot (~0.5 s to import) and 5-25 ms per KPI, more than
DuckDB needs to run most of them; a command is a new process every time. So the SQL kept per query
shape (kpis/compiled.py) and the quantiles the intervals need (stats.py) are written here, and a
process that finds them imports neither Ibis nor scipy.

Where: ``$SALESMETRICS_CACHE_DIR``, else ``$XDG_CACHE_HOME/salesmetrics``, else
``~/.cache/salesmetrics``; ``SALESMETRICS_CACHE_DIR=`` (empty) turns it off. A cache must never
break a command: a folder that cannot be written, or a file that cannot be read, is as if empty.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

CACHE_ENV = "SALESMETRICS_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent
# Sibling folders of other program versions untouched this long are removed.
_STALE_DAYS = 14
# What the text of kept SQL depends on besides our own source: the compilers' versions.
_COMPILERS = ("ibis", "sqlglot", "duckdb")


def root() -> Path | None:
    """The cache's folder, or None when caching is off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "salesmetrics"


@functools.cache
def program_version() -> str:
    """A fingerprint of this program: every source file of the package (path, size, modification
    time: a stat each, ~1 ms in all) and the installed compilers. Any edit gives a new folder."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(_PACKAGE)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    for name in _COMPILERS:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin:
            st = os.stat(origin)
            h.update(f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def folder(*parts: str) -> Path | None:
    """This program version's folder (or a subfolder), or None when caching is off."""
    base = root()
    if base is None:
        return None
    return base.joinpath(f"v-{program_version()}", *parts)


def read_json(path: Path) -> Any:
    """The JSON in ``path``, or None if there is none (or it cannot be read)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any) -> bool:
    """Write ``value`` to ``path`` whole or not at all (a temporary file renamed into place, so a
    reader in another process never sees half a file). False if it could not be written."""
    try:
        new_folder = not path.parent.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        if new_folder:
            _prune(path.parent)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(value, f, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def clear() -> None:
    """Forget everything this program version kept (tests; ``rm -r`` does the same)."""
    mine = folder()
    if mine is not None:
        shutil.rmtree(mine, ignore_errors=True)


def _prune(created: Path) -> None:
    """A new version's first write: remove other versions' folders nobody used for a while."""
    base = root()
    if base is None:
        return
    mine = base / f"v-{program_version()}"
    cutoff = time.time() - _STALE_DAYS * 86400
    try:
        for other in base.glob("v-*"):
            if other != mine and other.is_dir() and other.stat().st_mtime < cutoff:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        pass
