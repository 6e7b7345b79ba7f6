"""Helpers the tests share: write canonical CSVs, run the real CLI in-process and read its JSON.

Fixtures live in conftest.py; everything a test imports lives here.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from salesmetrics.cli import app

# The one demo workspace the tests share (conftest.demo_db): the demo's data as of this day.
DEMO_SEED = 42
DEMO_TODAY_ISO = "2026-10-15"


def write_csv(path: Path, rows: Iterable[Mapping[str, Any]], header: list[str] | None = None) -> Path:
    rows = list(rows)
    cols = header or list(dict.fromkeys(k for r in rows for k in r))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if r.get(k) is None else r.get(k) for k in cols})
    return path


class Cli:
    """Runs `salesmetrics ...` against one workspace file, the way a user would."""

    def __init__(self, db: Path, columns: int | None = None) -> None:
        self.db = db
        self.runner = CliRunner()
        self.columns = columns  # the terminal's width ($COLUMNS); None: as the environment says

    def __call__(self, *args: str, ok: bool = True) -> Any:
        env = {"COLUMNS": str(self.columns)} if self.columns else None
        result = self.runner.invoke(app, [*args, "--db", str(self.db)], env=env)
        if ok and result.exit_code != 0:
            if result.exception and not isinstance(result.exception, SystemExit):
                raise result.exception
            raise AssertionError(
                f"salesmetrics {' '.join(args)} failed ({result.exit_code}):\n{result.output}"
                f"{result.stderr if result.stderr_bytes is not None else ''}"
            )
        return result

    def import_(self, *paths: Path | str, ok: bool = True) -> Any:
        return self("import", "--quiet", *map(str, paths), ok=ok)

    def report(self, *args: str) -> dict[str, Any]:
        result = self("report", "--format", "json", *args)
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def value(self, *args: str, **dims: str) -> Any:
        """The single row's value of a one-KPI report, optionally picking the row by dimensions."""
        rows = [r for r in self.report(*args)["rows"]
                if all(r.get(k) == v for k, v in dims.items())]
        assert len(rows) == 1, rows
        return rows[0]["value"]


def add_user(cli: Cli, email: str, *role: str) -> None:
    """``salesmetrics user add EMAIL ROLE...`` with a password on stdin, as a script adds one."""
    added = cli.runner.invoke(app, ["user", "add", email, *role, "--password-stdin", "--db", str(cli.db)],
                              input="a long enough password\n")
    assert added.exit_code == 0, added.output


def form_token(page: str) -> str:
    """The hidden CSRF field of the (first) form on a page: what a browser posts back with it."""
    import re

    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found[1]


def clock_at(at: datetime) -> type[datetime]:
    """A ``datetime`` whose ``now()`` is ``at`` on the workspace's clock, whatever the machine's
    says: patched in as ``salesmetrics.store.datetime`` (mock.patch)."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
            return at.replace(tzinfo=tz) if tz is not None else at

    return Clock
