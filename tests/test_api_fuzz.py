"""The API fuzzed from its own schema (schemathesis): every operation, a bounded number of generated
requests each (a few hundred in all), none answered with a 5xx, and every answer as the schema says:
its status documented, its body of the documented shape (issue 18, item 14)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from salesmetrics.web.app import create_app
from webdata import make_workspace

EXAMPLES_PER_OPERATION = 15  # ~20 operations: about 300 requests
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


# The schema is read at collection (one test per operation); the app opens its file per request,
# so the workspace is made at that path when the tests start.
WORK = Path(tempfile.mkdtemp(prefix="salesmetrics-fuzz-"))
APP = create_app(WORK / "web.duckdb", warm=False)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module", autouse=True)
def workspace() -> Iterator[Path]:
    db = make_workspace(WORK / "web.duckdb")
    yield db
    shutil.rmtree(WORK, ignore_errors=True)


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 20  # every route of /api/v1, the import included


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_every_operation_answers_as_documented(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    fuzz()
