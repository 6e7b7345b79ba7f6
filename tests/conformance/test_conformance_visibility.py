"""Who sees what, on every backend: the records filter (salesmetrics.records) is one Ibis expression,
so a rep sees only their own records, and a manager their teams', in PostgreSQL and Spark exactly
as in DuckDB. The team and its figures are tests/accountsdata.py's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from backend_fixtures import backend, backend_url

from accountsdata import ME, SURNAMES, TEAMS, markers, set_targets, write_records
from salesmetrics import Viewer, Workspace
from salesmetrics.decimal_json import dumps
from salesmetrics.errors import AccountError

__all__ = ["backend", "backend_url"]

PERIOD = "2026-10"
REP = Viewer.of_rep("quintessa@example.com", ME)
NORTH = Viewer.of_teams("north.lead@example.com", {"north"})


def _hidden(viewer: Viewer) -> list[str]:
    if viewer is REP:
        return [m for r in SURNAMES if r != ME for m in markers(r)]
    return [m for r in SURNAMES if TEAMS[r] != "north" for m in markers(r)]


def _answers(ws: Workspace, viewer: Viewer) -> dict[str, Any]:
    return {
        "report": ws.report(PERIOD, by="rep", viewer=viewer).as_json(),
        "dashboard": ws.dashboard(PERIOD, viewer=viewer).as_json(),
        "records": ws.records_behind("win_rate", PERIOD, viewer=viewer).as_json(),
        "items": ws.report(PERIOD, kpis=["revenue_per_product"], viewer=viewer).as_json(),
        "funnel": ws.funnel(PERIOD, by="rep", viewer=viewer).as_json(),
        "activities": ws.activity_effectiveness(PERIOD, by="rep", viewer=viewer).as_json(),
        "dimensions": ws.dimension_values(viewer),
        "targets": [t.as_json() for t in ws.list_targets(viewer=viewer)],
        "scorecard": ws.scorecard(ME, PERIOD, history=1, viewer=viewer).as_json(),
    }


def test_each_viewer_sees_only_their_records(backend: str, backend_url: str, tmp_path: Path) -> None:
    with Workspace.open(backend=backend_url) as ws:
        ws.import_files(write_records(tmp_path / "records"))
        set_targets(ws)
        revenue = {name: ws.report(PERIOD, kpis=["total_revenue"], viewer=v).rows[0]["value"]
                   for name, v in (("rep", REP), ("north", NORTH), ("all", Viewer.everyone()))}
        assert revenue == {"rep": 1000, "north": 4200, "all": 8200}
        assert {name: ws.counts(v)["deals"] for name, v in (("rep", REP), ("north", NORTH))} == {
            "rep": 3, "north": 7}
        for viewer in (REP, NORTH):
            answers = _answers(ws, viewer)
            text = dumps(answers).lower()
            for marker in _hidden(viewer):
                assert marker.lower() not in text, (backend, viewer.name, marker)
        rep = _answers(ws, REP)
        assert sorted(r["deal_id"] for r in rep["records"]["rows"]) == ["dl-xqvorhaus-1", "dl-xqvorhaus-2"]
        assert rep["items"]["rows"][0]["value"] == 1000  # the lines of the rep's own deal only
        assert [(t["scope"], t["scope_id"]) for t in rep["targets"]] == [("rep", ME)]
        assert [line["rep"] for line in rep["dashboard"]["reps"]] == [ME]
        revenue_line = next(k for k in rep["scorecard"]["kpis"] if k["kpi"] == "total_revenue")
        assert revenue_line["team_median"] == 1000 and revenue_line["compared"] == 3
        north = _answers(ws, NORTH)
        assert [p for p, _ in north["dimensions"]["pipeline"]] == ["new"]
        assert "qualify" in {s["stage"] for s in north["funnel"]["stages"]}
        # Activity effectiveness, counted in SQL per rep and type: the rep's own two closed deals.
        [mine] = rep["activities"]["groups"]
        assert (mine["rep"], mine["closed_deals"], mine["won_deals"], mine["revenue_won"]) == (ME, 2, 1, 1000)
        # Their activities (October 10th to 12th) came after both deals closed (the 5th and 8th): they
        # decided neither, and count toward none.
        assert (mine["activities_per_won_deal"], mine["meeting_to_win"]) == (0.0, None)
        assert json.loads(dumps(north["report"]))["rows"]


def test_accounts_need_a_workspace_file(backend: str, backend_url: str) -> None:
    with Workspace.open(backend=backend_url) as ws:
        if backend == "duckdb":
            assert ws.accounts.users() == []
        else:
            with pytest.raises(AccountError, match="accounts live in a DuckDB workspace file"):
                ws.accounts.users()
