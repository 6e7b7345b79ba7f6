"""The server starts answering once the default view is ready, so the first visitor is served from the
cache; then it warms the insights and forecast pages, and compiles other views only while no visitor waits."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from salesmetrics.access import Viewer
from salesmetrics.web import answers
from salesmetrics.web.app import create_app
from webdata import make_workspace


def test_the_first_view_after_start_is_answered_from_the_cache(tmp_path: Path) -> None:
    db = make_workspace(tmp_path / "web.duckdb")
    said: list[float] = []
    app = create_app(db, on_ready=lambda: said.append(time.perf_counter()))
    with TestClient(app) as client:
        assert len(said) == 1  # serve prints its address only now
        gate = app.state.gate
        everyone = Viewer.everyone()
        # The default view and the filter form's values are computed before anyone can ask.
        assert gate.has_answer(answers.dashboard_key(gate, everyone, answers.DEFAULT_PERIOD, None, {}, None))
        assert gate.has_answer(("dimensions", everyone))
        page = client.get("/")
        assert page.status_code == 200 and 'data-kpi="total_revenue"' in page.text
        # Next, in the background: the insights page of the same period.
        # The day an answer is for, as the gate keys it (zone, day, the running minute): the earlier
        # ("today", date) matched no key, so the waits below ran to their deadline every time.
        zone, day = gate.clock()
        today = ("today", zone, day, gate.running_minute())
        keys: list[tuple[object, ...]] = [
            ("effectiveness", everyone, answers.DEFAULT_PERIOD, (), today, None),
            ("funnel", everyone, answers.DEFAULT_PERIOD, (), today, None, False, ()),
            ("satisfaction", everyone, answers.DEFAULT_PERIOD, (), today)]
        keys.append(("won lost", everyone, answers.DEFAULT_PERIOD, (), today))
        keys.append(("losses", everyone, answers.DEFAULT_PERIOD, None, (), today))
        deadline = time.monotonic() + 120
        while not all(gate.has_answer(k) for k in keys) and time.monotonic() < deadline:
            time.sleep(0.1)
        # Then the forecast page (its first view reads every deal's history): served as warmed.
        forecast_keys = [
            ("forecast", everyone, answers.FORECAST_PERIOD, None, (), today, answers.FORECAST_LISTED),
            ("slippage", everyone, answers.FORECAST_PERIOD, (), today),
            ("forecast accuracy", everyone, answers.ACCURACY_QUARTERS, "rep", (), today)]
        while not all(gate.has_answer(k) for k in keys + forecast_keys) and time.monotonic() < deadline:
            time.sleep(0.1)
        stats = gate.cache.stats
        before = stats.misses
        assert client.get("/insights").status_code == 200
        assert stats.misses == before
        forecast = client.get("/forecast")
        assert forecast.status_code == 200 and "forecast" in forecast.text.lower()
        assert stats.misses == before


def test_compiling_other_views_waits_while_a_visitor_is_served(tmp_path: Path) -> None:
    db = make_workspace(tmp_path / "web.duckdb")
    app = create_app(db, warm=False)
    gate = app.state.gate
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.perf_counter()
    done = answers.prepare_queries(gate, Viewer.everyone(), stop.is_set, busy=lambda: True)
    assert done == 0 and time.perf_counter() - started >= 0.5  # it waited, and asked nothing
    asked: list[bool] = []
    done = answers.prepare_queries(gate, Viewer.everyone(), lambda: len(asked) > 1,
                                   busy=lambda: asked.append(False) or False)
    assert done == 1  # not busy: the first view (the unfiltered dashboard) is computed


def test_the_first_visitor_does_not_wait_for_fastapi_to_read_the_routes(tmp_path: Path) -> None:
    """FastAPI works out each router's routes (dependencies, models) when a request first looks
    through it: 0.6 s of the first view after start at 1M deals. The start does it instead."""
    import fastapi.routing

    db = make_workspace(tmp_path / "web.duckdb")
    worked: list[str] = []
    original = fastapi.routing._populate_api_route_state

    def counted(route: object, path: str, *args: object, **kwargs: object) -> None:
        worked.append(path)
        original(route, path, *args, **kwargs)  # type: ignore[arg-type]

    fastapi.routing._populate_api_route_state = counted  # type: ignore[assignment]
    try:
        with TestClient(create_app(db)) as client:
            started = len(worked)
            assert started > 10  # every route of the pages, the API and sign-in, at start
            assert client.get("/").status_code == 200
            assert client.get("/api/v1/kpis").status_code == 200
            assert worked[started:] == []
    finally:
        fastapi.routing._populate_api_route_state = original  # type: ignore[assignment]


def test_the_server_stops_its_helpers_before_it_returns(tmp_path: Path) -> None:
    """Stopped during the warm-up, the app waits for the warm-up's question to finish: a thread
    still in DuckDB when the process ended took it down ("terminate called after throwing")."""
    db = make_workspace(tmp_path / "web.duckdb")
    with TestClient(create_app(db, schedules=True)):
        assert any(t.name == "salesmetrics-warm" for t in threading.enumerate())
    assert not [t.name for t in threading.enumerate()
                if t.name in ("salesmetrics-warm", "salesmetrics-schedules")]


def test_the_views_compiled_ahead_include_a_week_drawn_by_day(tmp_path: Path, monkeypatch) -> None:
    from salesmetrics import Workspace

    db = make_workspace(tmp_path / "web.duckdb")
    gate = create_app(db, warm=False).state.gate
    asked: list[tuple[str, str]] = []
    real = Workspace.dashboard

    def dashboard(self: Workspace, period: str, **kwargs: object) -> object:
        board = real(self, period, **kwargs)  # type: ignore[arg-type]
        asked.append((period, board.grain))
        return board

    monkeypatch.setattr(Workspace, "dashboard", dashboard)
    done = answers.prepare_queries(gate, Viewer.everyone(), lambda: False)
    assert done == len(asked) + 2  # and the first rep's page, for two periods
    assert ("this-week", "day") in asked and ("this-month", "week") in asked
    assert ("last-quarter", "month") in asked
