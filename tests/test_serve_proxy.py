"""Forwarded headers on the real server (`salesmetrics serve`, a subprocess): a tester on the same
machine sent twelve failed sign-ins, each claiming another address in X-Forwarded-For, and never met
the per-address limit (uvicorn trusted the header from every loopback client). Without `--proxy` the
header is ignored, and the eleventh failure from one address gets 429; with `--proxy` (a reverse
proxy on this machine, docs/team.md) each forwarded address counts apart."""

from __future__ import annotations

from pathlib import Path

import httpx

from accountsdata import make_workspace
from helpers import form_token
from serving import served


def failed_sign_ins(base: str, count: int) -> list[int]:
    """``count`` sign-ins with a wrong password, each for another (unknown) email and claiming
    another address: the status of each."""
    out = []
    with httpx.Client(base_url=base) as client:
        for i in range(count):
            token = form_token(client.get("/login").text)
            answer = client.post("/login", data={"email": f"nobody{i}@example.com", "password": "wrong one",
                                                 "csrf": token, "next": "/"},
                                 headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
            out.append(answer.status_code)
    return out


def test_forwarded_addresses_count_only_behind_a_proxy(tmp_path: Path) -> None:
    db = make_workspace(tmp_path / "team.duckdb")
    with served(db) as (base, _):
        statuses = failed_sign_ins(base, 11)
    assert statuses[:10] == [401] * 10 and statuses[10] == 429, statuses
    with served(db, "--proxy") as (base, _):
        assert failed_sign_ins(base, 11) == [401] * 11  # eleven addresses, one failure each
