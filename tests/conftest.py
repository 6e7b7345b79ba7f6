"""Fixtures every test file may ask for. Helpers to import are in helpers.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from helpers import DEMO_SEED, DEMO_TODAY_ISO, Cli, write_csv
from mailserver import MailServer


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """What processes keep for the next one (compiled SQL, quantiles: cache.py) goes to a folder of
    this run, never the user's cache: a run starts with nothing kept."""
    os.environ["SALESMETRICS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "work.duckdb")


@pytest.fixture
def csvs(tmp_path: Path) -> Callable[..., Path]:
    """Write one canonical table as a CSV in a fresh folder and return its path."""
    folder = tmp_path / "records"

    def make(table: str, rows: Iterable[Mapping[str, Any]], header: list[str] | None = None) -> Path:
        return write_csv(folder / f"{table}.csv", rows, header)

    return make


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace (seed 42, as of 2026-10-15), built once for the whole run: tests open it
    read-only, so none can change what another sees."""
    from datetime import date

    from salesmetrics import Workspace
    from salesmetrics.demo import build

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Workspace.open(path) as ws:
        build(ws, seed=DEMO_SEED, today=date.fromisoformat(DEMO_TODAY_ISO))
    return path


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A local SMTP server (aiosmtpd) that keeps what it receives."""
    server = MailServer()
    yield server
    server.stop()
