"""The forecast, slippage and accuracy read only the deals they can count (insights/deal_history.Pick:
at 1M deals, reading every deal and change into Python took 20-30 s). Picking must never change a
figure: on random deals, imported several times at random moments with dates pushed and pulled,
stages moved and deals closed, each answer is the same as when every deal in view is read."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_csv
from salesmetrics.decimal_json import dumps
from salesmetrics.insights import deal_history
from salesmetrics.workspace import Workspace
from test_forecast import DEALS_HEADER, REPS, deal

STAGES = ("", "discovery", "proposal", "negotiation")
CATEGORIES = ("", "commit", "best_case", "pipeline", "omitted")
START = date(2026, 1, 1)
# Each example imports up to three times and asks ~20 questions twice: ~4 s. SALESMETRICS_PROPERTY_EXAMPLES
# (tests/test_properties.py) searches harder.
EXAMPLES = max(8, int(os.environ.get("SALESMETRICS_PROPERTY_EXAMPLES", "30")) // 3)


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


@st.composite
def _version(draw: Any, deal_id: str, created: int) -> dict[str, str]:
    """One export's line for a deal created ``created`` days into the year."""
    status = draw(st.sampled_from(("open", "open", "won", "lost")))
    closed = ""
    if status != "open":
        closed = f"{_day(created + draw(st.integers(0, 200))).isoformat()}T10:00:00"
    expected = draw(st.one_of(st.just(""), st.integers(0, 420).map(lambda d: _day(d).isoformat())))
    probability = draw(st.sampled_from(("", "0.2", "0.5", "0.9")))
    return deal(deal_id, draw(st.sampled_from(("r1", "r2"))), status,
                str(draw(st.integers(1, 90)) * 100), closed=closed, stage=draw(st.sampled_from(STAGES)),
                expected=expected, category=draw(st.sampled_from(CATEGORIES)), probability=probability,
                created=f"{_day(created).isoformat()}T09:00:00")


@st.composite
def histories(draw: Any) -> tuple[list[tuple[datetime, list[dict[str, str]]]], list[dict[str, str]]]:
    """Up to three exports of up to eight deals (a deal may be new in a later one), each imported
    at its own moment; and the stage history of some of them."""
    ids = [f"d{i}" for i in range(draw(st.integers(1, 8)))]
    created = {i: draw(st.integers(0, 250)) for i in ids}
    moments = sorted(draw(st.lists(st.integers(0, 400), min_size=1, max_size=3, unique=True)))
    exports = []
    for moment in moments:
        present = [i for i in ids if draw(st.booleans()) or not exports]
        exports.append((datetime.combine(_day(moment), datetime.min.time(), UTC) + timedelta(hours=9),
                        [draw(_version(i, created[i])) for i in present]))
    stages = [{"deal_id": i, "stage": stage,
               "entered_at": f"{_day(created[i] + k * 10).isoformat()}T10:00:00"}
              for i in ids if draw(st.booleans())
              for k, stage in enumerate(("discovery", "proposal", "negotiation")[:draw(st.integers(1, 3))])]
    return exports, stages


def _answers(db: Path) -> str:
    """Every question the forecast page asks, for two quarters and as of three days, as JSON."""
    out: list[Any] = []
    with Workspace.open(db, read_only=True) as ws:
        for as_of in ("2026-05-15", "2026-08-10"):
            for period in ("2026-Q2", "2026-Q3"):
                if as_of < "2026-07-01" and period == "2026-Q3":
                    continue  # a period starting after the as-of day is refused
                out.append(ws.forecast(period, as_of=as_of, by="rep").as_json())
                out.append(ws.slippage(period, as_of=as_of).as_json())
            out.append(ws.forecast_accuracy(last=3, as_of=as_of, by="rep").as_json())
    return dumps(out)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_picking_the_deals_never_changes_an_answer(tmp_path_factory: pytest.TempPathFactory,
                                                   history: Any) -> None:
    exports, stages = history
    folder = tmp_path_factory.mktemp("pick")
    db = folder / "ws.duckdb"
    write_csv(folder / "reps.csv", REPS)
    if stages:
        write_csv(folder / "stage_history.csv", stages)
    with Workspace.open(db) as ws:
        for i, (moment, rows) in enumerate(exports):
            write_csv(folder / "deals.csv", rows, DEALS_HEADER)
            first = [folder / "reps.csv", *([folder / "stage_history.csv"] if stages else [])]
            ws.import_files(*(first if i == 0 else []), folder / "deals.csv", now=moment)
    picked = _answers(db)
    every = pytest.MonkeyPatch()
    # The reference: every deal in view read, as before there was a pick.
    every.setattr(deal_history, "_picked", lambda q, d, pick: deal_history.ibis.literal(True))
    try:
        assert _answers(db) == picked
    finally:
        every.undo()
