"""The API fuzzed from its own schema (schemathesis): every operation, a bounded number of generated
requests each (a few hundred in all), none answered with a 5xx, and every answer as the schema says:
its status documented, its body of the documented shape (issue 18, item 14). Then again over a
workspace with users, asked by nobody (401), by a rep (their records only; writes 403) and by an
admin (writes through the same gate as uploads), fewer requests each."""

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

from accountsdata import ADMIN, REP
from accountsdata import make_workspace as make_team
from salesmetrics import Workspace
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


# The same API over a workspace with accounts (issue 12): who asks changes every answer.
TEAM_APP = create_app(WORK / "team" / "team.duckdb", warm=False)
TEAM_SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", TEAM_APP)
TEAM_OPERATIONS = [result.ok() for result in TEAM_SCHEMA.get_all_operations()]
EXAMPLES_PER_OPERATION_AND_ROLE = 4
TOKENS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def workspace() -> Iterator[Path]:
    db = make_workspace(WORK / "web.duckdb")
    (WORK / "team").mkdir()
    team = make_team(WORK / "team" / "team.duckdb")
    with Workspace.open(team) as ws:
        for email in (REP, ADMIN):
            TOKENS[email] = ws.accounts.create_token(email, "fuzz")[1]
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


@pytest.mark.parametrize("role", ["nobody", "rep", "admin"])
@pytest.mark.parametrize("operation", TEAM_OPERATIONS, ids=lambda op: op.label)
def test_every_operation_answers_every_role_as_documented(operation: Any, role: str) -> None:
    email = {"rep": REP, "admin": ADMIN}.get(role)
    headers = {"Authorization": f"Bearer {TOKENS[email]}"} if email else {}
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION_AND_ROLE, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case: schemathesis.Case) -> None:
        statuses.add(case.call_and_validate(checks=CHECKS, headers=headers).status_code)

    fuzz()
    if role == "nobody":
        assert statuses == {401}
    elif role == "rep" and operation.method.upper() != "GET":
        assert statuses <= {400, 403}  # a rep changes nothing, whatever is sent
