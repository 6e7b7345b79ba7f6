"""The ``notimpl`` marker keeps ibis' rules: it names real backends and the error they raise, and a
backend that starts passing turns the strict xfail into a failure (so the marker must go)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
import pytest
from backend_fixtures import backend  # noqa: F401


def pytest_configure(config):
    config.addinivalue_line("markers", "notimpl(backends, raises, reason): as in tests/conformance")
"""


def _run(pytester: pytest.Pytester, body: str) -> pytest.RunResult:
    import pathlib

    here = pathlib.Path(__file__).parent
    pytester.syspathinsert(here)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_marked=body)
    return pytester.runpytest("-p", "no:cacheprovider", "-q")


def test_an_unknown_backend_name_is_refused(pytester: pytest.Pytester) -> None:
    result = _run(pytester, """
import pytest
@pytest.mark.notimpl(["duckbd"], raises=ValueError)
def test_x(backend):
    pass
""")
    assert "notimpl names ['duckbd']" in result.stdout.str()
    result.assert_outcomes(errors=3)  # a fixture that fails is an error of each test


def test_raises_is_required(pytester: pytest.Pytester) -> None:
    result = _run(pytester, """
import pytest
@pytest.mark.notimpl(["pyspark"])
def test_x(backend):
    pass
""")
    assert "notimpl needs raises=" in result.stdout.str()


def test_a_backend_that_passes_fails_the_marker(pytester: pytest.Pytester) -> None:
    result = _run(pytester, """
import pytest
@pytest.mark.notimpl(["pyspark"], raises=NotImplementedError)
def test_x(backend):
    if backend == "pyspark":
        return
""")
    result.assert_outcomes(passed=2, failed=1)  # XPASS(strict) on pyspark


def test_the_known_error_is_an_expected_failure(pytester: pytest.Pytester) -> None:
    result = _run(pytester, """
import pytest
@pytest.mark.notimpl(["pyspark"], raises=NotImplementedError)
def test_x(backend):
    if backend == "pyspark":
        raise NotImplementedError("not yet")
""")
    result.assert_outcomes(passed=2, xfailed=1)
