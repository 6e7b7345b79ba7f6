"""A server keeps the query results its views read until the records change (recall.Recall): a
month's dashboard finds the month before's figures where the view before read them. Kept answers
must be the answers: the same as a fresh server's, never another viewer's, never those of records
since changed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accountsdata import ADMIN, REP, make_workspace
from helpers import Cli, write_csv
from salesmetrics.kpis import compiled
from salesmetrics.recall import Recall
from salesmetrics.web.app import create_app
from test_accounts_web import sign_in


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts DuckDB was asked to run for a figure, one entry a run."""
    asked: list[str] = []
    read = compiled.Compiled._read

    def counted(self: compiled.Compiled, con: Any, arguments: dict[str, Any]) -> Any:
        asked.append(self.sql)
        return read(self, con, arguments)

    monkeypatch.setattr(compiled.Compiled, "_read", counted)
    return asked


def _tiles(answer: dict[str, Any]) -> dict[str, tuple[Any, Any, int]]:
    return {t["kpi"]: (t["value"], t["previous"], t["n"]) for t in answer["tiles"]}


def _signed_in(app: Any, email: str) -> TestClient:
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    client.__enter__()
    assert sign_in(client, email).status_code == 303
    return client


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("kept") / "team.duckdb")


def _dashboard(client: TestClient, period: str) -> dict[str, Any]:
    r = client.get("/api/v1/dashboard", params={"period": period})
    assert r.status_code == 200, r.text
    out: dict[str, Any] = json.loads(r.text, parse_float=Decimal)  # money to the cent
    return out


def test_the_month_after_reads_the_month_before_from_the_view_before(team: Path, reads: list[str]) -> None:
    fresh = _signed_in(create_app(team, warm=False), ADMIN)
    alone = _dashboard(fresh, "2026-11")
    read_alone = len(reads)
    browsing = _signed_in(create_app(team, warm=False), ADMIN)
    october = _dashboard(browsing, "2026-10")
    reads.clear()
    november = _dashboard(browsing, "2026-11")
    # The same figures as a server that never showed October: November's tiles compared with
    # October's 8,200.00 revenue and 5 of 7 won.
    assert _tiles(november) == _tiles(alone)
    assert november["tiles"] == alone["tiles"] and november["reps"] == alone["reps"]
    by_kpi = {t["kpi"]: t for t in november["tiles"]}
    before = {t["kpi"]: t for t in october["tiles"]}
    assert by_kpi["total_revenue"]["previous"] == Decimal("8200.00") == before["total_revenue"]["value"]
    assert by_kpi["win_rate"]["previous"] == pytest.approx(Decimal(5) / 7, abs=Decimal('1e-6'))
    # October's figures were not asked of DuckDB again.
    assert 0 < len(reads) < read_alone
    for client in (fresh, browsing):
        client.__exit__(None, None, None)


def test_a_rep_is_never_answered_from_what_the_admin_read(team: Path) -> None:
    app = create_app(team, warm=False)
    admin, rep = _signed_in(app, ADMIN), _signed_in(app, REP)
    for period in ("2026-10", "2026-11"):
        assert _tiles(_dashboard(admin, period))
    mine = _tiles(_dashboard(rep, "2026-11"))
    # Vorhaus' own October: 1,000.00 won, 1 of 2 closed won; the company's was 8,200.00 and 5 of 7.
    assert mine["total_revenue"][1] == Decimal("1000.00")
    assert mine["win_rate"][1] == Decimal('0.5')
    assert _tiles(_dashboard(admin, "2026-11"))["total_revenue"][1] == Decimal("8200.00")
    admin.__exit__(None, None, None)
    rep.__exit__(None, None, None)


def test_an_import_is_seen_by_the_next_view(tmp_path: Path) -> None:
    write_csv(tmp_path / "reps.csv", [{"rep_id": "r1", "name": "Ann", "team": "t"}])
    deal = {"rep_id": "r1", "status": "won", "currency": "EUR", "created_at": "2026-05-02"}
    write_csv(tmp_path / "deals.csv", [{**deal, "deal_id": "d1", "amount": "100.00",
                                        "closed_at": "2026-05-10"}])
    db = tmp_path / "w.duckdb"
    Cli(db).import_(tmp_path / "reps.csv", tmp_path / "deals.csv")
    with TestClient(create_app(db, warm=False)) as client:
        assert _tiles(_dashboard(client, "2026-06"))["total_revenue"][1] == Decimal("100.00")
        # Another process imports a second May deal while the server runs.
        (tmp_path / "more").mkdir()
        write_csv(tmp_path / "more" / "deals.csv", [{**deal, "deal_id": "d2", "amount": "250.50",
                                                     "closed_at": "2026-05-20"}])
        Cli(db).import_(tmp_path / "more" / "deals.csv")
        assert _tiles(_dashboard(client, "2026-06"))["total_revenue"][1] == Decimal("350.50")
        assert _tiles(_dashboard(client, "2026-05"))["total_revenue"][0] == Decimal("350.50")


def test_kept_results_make_room_least_recently_read_first() -> None:
    kept = Recall(limit=10)
    made: list[str] = []

    def make(name: str, size: int) -> Any:
        return lambda: made.append(name) or [0] * size

    def weight(value: list[int]) -> int:
        return len(value)

    for name in "abc":
        kept.get(1, name, make(name, 4), weight)  # a and b fit; c makes 12: a goes
    kept.get(1, "b", make("b", 4), weight)  # b read again: c is now the oldest
    kept.get(1, "d", make("d", 4), weight)  # c goes
    kept.get(1, "b", make("b", 4), weight)
    kept.get(1, "a", make("a", 4), weight)
    assert made == ["a", "b", "c", "d", "a"]
    # An answer heavier than the whole is given, not kept, and pushes nothing out (b and a stay).
    assert len(kept.get(1, "huge", make("huge", 11), weight)) == 11
    kept.get(1, "huge", make("huge", 11), weight)
    kept.get(1, "b", make("b", 4), weight)
    kept.get(1, "a", make("a", 4), weight)
    assert made == ["a", "b", "c", "d", "a", "huge", "huge"]
    # Another version of the records: everything computed anew; an answer without a weight stays.
    kept.get(2, "e", make("e", 100))
    kept.get(2, "e", make("e", 100))
    kept.get(2, "b", make("b", 4), weight)
    assert made[7:] == ["e", "b"]


def test_another_file_at_the_path_is_read_as_itself(tmp_path: Path) -> None:
    """A demo made again over the file (or a workspace moved over it) may stand at the same data
    version: its figures were answered from the old file's, kept and shared (a tester)."""
    made = []
    for name, amount in (("old", "100.00"), ("new", "777.00")):
        folder = tmp_path / name
        folder.mkdir()
        write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Ann", "team": "t"}])
        write_csv(folder / "deals.csv", [{"deal_id": "d1", "rep_id": "r1", "status": "won", "amount": amount,
                                          "currency": "EUR", "created_at": "2026-05-02",
                                          "closed_at": "2026-05-10"}])
        db = tmp_path / f"{name}.duckdb"
        Cli(db).import_(folder / "reps.csv", folder / "deals.csv")
        made.append(db)
    old, new = made
    served = tmp_path / "served.duckdb"
    old.rename(served)
    with TestClient(create_app(served, warm=False)) as client:
        assert _tiles(_dashboard(client, "2026-06"))["total_revenue"][1] == Decimal("100.00")
        before = client.get("/api/v1/workspace").json()["data_version"]
        new.rename(served)  # the same steps: the same data version, other figures
        assert client.get("/api/v1/workspace").json()["data_version"] == before
        assert _tiles(_dashboard(client, "2026-06"))["total_revenue"][1] == Decimal("777.00")
        assert _tiles(_dashboard(client, "2026-05"))["total_revenue"][0] == Decimal("777.00")
