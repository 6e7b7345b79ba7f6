"""KPIs defined alike but for their name ask one query (report._alike): total revenue and revenue
per rep, by rep. Each still gets its own rows: its targets, its comparison, its own flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from salesmetrics import Workspace
from salesmetrics.kpis import compiled
from webdata import make_workspace


def figures(rows: list[dict[str, Any]], kpi: str) -> dict[Any, tuple[Any, ...]]:
    return {r["rep"]: (r["value"], r["n"], r["flags"], r["ci_low"], r.get("previous"), r.get("change"))
            for r in rows if r["kpi"] == kpi}


def test_total_revenue_by_rep_is_read_once_for_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_workspace(tmp_path / "ws.duckdb")
    with Workspace.open(db) as ws:
        ws.set_target("revenue_per_rep", "1000", rep="jim", period="2026-10")
    asked: list[str] = []
    real = compiled.columns

    def counted(kpi: Any, query: Any) -> Any:
        asked.append(kpi.id)
        return real(kpi, query)

    with Workspace.open(db, read_only=True) as ws:
        alone = {kpi: ws.report("2026-10", by="rep", kpis=[kpi], compare=True).rows
                 for kpi in ("total_revenue", "revenue_per_rep")}
        monkeypatch.setattr(compiled, "columns", counted)
        both = ws.report("2026-10", by="rep", kpis=["total_revenue", "revenue_per_rep", "win_rate"]).rows
        assert sorted(asked) == ["total_revenue", "win_rate"]  # one query for the two
        compared = ws.report("2026-10", by="rep", kpis=["total_revenue", "revenue_per_rep"],
                             compare=True).rows
    for rows in (both, compared):
        assert figures(rows, "revenue_per_rep") == figures(rows, "total_revenue")
    # Each as it is when asked alone, with the period before.
    assert figures(compared, "total_revenue") == figures(alone["total_revenue"], "total_revenue")
    assert figures(compared, "revenue_per_rep") == figures(alone["revenue_per_rep"], "revenue_per_rep")
    revenue = figures(both, "total_revenue")
    assert revenue["jim"][0] > 0 and revenue["jim"][1] >= 1
    # A rep's revenue target, set as revenue per rep, is the rep's total revenue's too (one
    # figure, kpis.same_figure); each row has its own flags.
    jim = {r["kpi"]: r for r in both if r.get("rep") == "jim"}
    assert jim["revenue_per_rep"]["target"] is not None
    assert jim["total_revenue"]["target"] == jim["revenue_per_rep"]["target"]
    assert jim["revenue_per_rep"]["flags"] is not jim["total_revenue"]["flags"]


def test_one_by_rep_and_one_overall_are_two_queries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a grouping, total revenue is one figure and revenue per rep one a rep: not alike."""
    db = make_workspace(tmp_path / "ws.duckdb")
    asked: list[str] = []
    real = compiled.columns
    monkeypatch.setattr(compiled, "columns", lambda kpi, q: (asked.append(kpi.id), real(kpi, q))[1])
    with Workspace.open(db, read_only=True) as ws:
        rows = ws.report("2026-10", kpis=["total_revenue", "revenue_per_rep"]).rows
    assert sorted(asked) == ["revenue_per_rep", "total_revenue"]
    total = [r for r in rows if r["kpi"] == "total_revenue"]
    assert len(total) == 1 and "rep" not in total[0]
    assert total[0]["value"] == sum(r["value"] for r in rows if r["kpi"] == "revenue_per_rep")
