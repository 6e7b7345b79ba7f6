"""Fixtures of the conformance suite, imported by its modules: every test there runs once per
backend (ids duckdb, postgres, pyspark), and a ``notimpl`` marker names the backends that cannot do
it yet (strict xfail: the day it passes, the marker must go).

Not a conftest.py: tests/conftest.py is imported as ``conftest`` by the worked examples, and a
second one would take its name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conformance_backends import KINDS, fresh
from typer.testing import CliRunner

from salesmetrics.backends.url import BACKEND_ENV
from salesmetrics.cli import app


@pytest.fixture(params=KINDS)
def backend(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    for mark in request.node.iter_markers("notimpl"):
        named = list(mark.args[0]) if mark.args else []
        # As in ibis: a marker must name real backends and the error they raise, so a typo cannot
        # hide a failure and a different failure is not taken for the known one.
        if not named or set(named) - set(KINDS):
            pytest.fail(f"notimpl names {named}; backends are {', '.join(KINDS)}")
        if "raises" not in mark.kwargs:
            pytest.fail("notimpl needs raises=: the exception the backend raises today")
        if kind in named:
            request.applymarker(pytest.mark.xfail(strict=True, raises=mark.kwargs["raises"],
                                                  reason=mark.kwargs.get("reason", "")))
    return kind


@pytest.fixture
def backend_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with fresh(backend, tmp_path / backend) as url:
        yield url


class BackendCli:
    """``salesmetrics ...`` as a user runs it, with the records on one backend
    ($SALESMETRICS_BACKEND, as a user of Postgres or Spark would set it)."""

    def __init__(self, url: str, db: Path) -> None:
        self.url = url
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> Any:
        # No --db: a file named on the command line would be used instead of the backend.
        result = self.runner.invoke(app, list(args), env={BACKEND_ENV: self.url})
        if ok and result.exit_code != 0:
            if result.exception and not isinstance(result.exception, SystemExit):
                raise result.exception
            raise AssertionError(f"salesmetrics {' '.join(args)} failed ({result.exit_code}):\n"
                                 f"{result.output}")
        return result


@pytest.fixture
def cli(backend_url: str, tmp_path: Path) -> Any:
    """The worked examples' ``cli`` (tests/conftest.py), on the backend under test."""
    from helpers import Cli

    class OnBackend(BackendCli, Cli):
        pass

    return OnBackend(backend_url, tmp_path / "unused.duckdb")
