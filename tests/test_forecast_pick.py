"""The forecast, slippage and accuracy read only the deals they can count (insights/deal_history.Pick:
at 1M deals, reading every deal and change into Python took 20-30 s), and the accuracy and the page's
forecast add up the won deals in SQL (deal_history.won_sums). Neither may ever change an answer:
on random deals, imported several times at random moments with dates pushed and pulled, deals
closed (some at midnight, on a period's first moment), reps moved between teams and amounts in a
currency whose rates start on a random day, each answer (or refusal) is the same as when every
deal in view is read and placed one by one, for everyone, a rep and a manager, with and without
filters."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Cli, write_csv
from salesmetrics.access import Viewer
from salesmetrics.decimal_json import dumps
from salesmetrics.errors import SalesmetricsError
from salesmetrics.insights import deal_history
from salesmetrics.kpis import compiled
from salesmetrics.workspace import Workspace
from test_forecast import DEALS_HEADER

HEADER = [*DEALS_HEADER, "source"]
REPS = [{"rep_id": "r1", "name": "Rita Roe", "team": "east"},
        {"rep_id": "r2", "name": "Rob Ray", "team": "west"},
        {"rep_id": "r3", "name": "Sam Sun", "team": "east"}]
MOVED = [dict(r, team="west") if r["rep_id"] == "r3" else r for r in REPS]  # r3 changes team
VIEWERS = {"everyone": None, "a rep": Viewer.of_rep("rita@example.com", "r1"),
           "a manager": Viewer.of_teams("east@example.com", {"east"})}
FILTERS: tuple[dict[str, list[str]], ...] = ({}, {"team": ["east"]}, {"source": ["web"]}, {"rep": ["r2"]})
START = date(2026, 1, 1)
# Each example imports up to three times and asks ~15 questions twice: ~5 s.
# SALESMETRICS_PROPERTY_EXAMPLES (tests/test_properties.py) searches harder.
EXAMPLES = max(8, int(os.environ.get("SALESMETRICS_PROPERTY_EXAMPLES", "30")) // 3)


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


@st.composite
def _version(draw: Any, deal_id: str, created: int) -> dict[str, str]:
    """One export's line for a deal created ``created`` days into the year."""
    status = draw(st.sampled_from(("open", "open", "won", "lost")))
    opened = _day(created) + draw(st.sampled_from(("T00:00:00", "T09:00:00")))
    closed = ""
    if status != "open":
        at = draw(st.sampled_from(("T00:00:00", "T10:00:00", "T23:59:59")))
        # Never before it was created (the import refuses that): midnight of that day moves on.
        closed = max(_day(created + draw(st.integers(0, 200))) + at, opened)
    return {
        "deal_id": deal_id, "rep_id": draw(st.sampled_from(("r1", "r2", "r3"))), "account": "",
        "created_at": opened,
        "closed_at": closed, "status": status, "amount": str(draw(st.integers(1, 90)) * 100),
        "currency": draw(st.sampled_from(("USD", "USD", "EUR"))),
        "source": draw(st.sampled_from(("web", "ref"))),
        "stage": draw(st.sampled_from(("", "discovery", "proposal", "negotiation"))), "lost_reason": "",
        "expected_close_on": draw(st.one_of(st.just(""), st.integers(0, 420).map(_day))),
        "forecast_category": draw(st.sampled_from(("", "commit", "best_case", "pipeline", "omitted"))),
        "probability": draw(st.sampled_from(("", "0.2", "0.5", "0.9"))),
    }


@st.composite
def histories(draw: Any) -> dict[str, Any]:
    """Up to three exports of up to eight deals (a deal may be new in a later one), each imported
    at its own moment, some after r3 moved; the stage history of some deals; the day the EUR rates
    start; who asks, and with which filter."""
    ids = [f"d{i}" for i in range(draw(st.integers(1, 8)))]
    created = {i: draw(st.integers(0, 250)) for i in ids}
    exports = []
    for moment in sorted(draw(st.lists(st.integers(0, 400), min_size=1, max_size=3, unique=True))):
        present = [i for i in ids if draw(st.booleans()) or not exports]
        at = datetime.fromisoformat(_day(moment)).replace(tzinfo=UTC)
        exports.append((at + timedelta(hours=draw(st.sampled_from((0, 9)))),
                        [draw(_version(i, created[i])) for i in present], draw(st.booleans())))
    stages = [{"deal_id": i, "stage": stage, "entered_at": f"{_day(created[i] + k * 10)}T10:00:00"}
              for i in ids if draw(st.booleans())
              for k, stage in enumerate(("discovery", "proposal", "negotiation")[:draw(st.integers(1, 3))])]
    return {"exports": exports, "stages": stages, "rates_from": _day(draw(st.integers(0, 300))),
            "viewer": draw(st.sampled_from(sorted(VIEWERS))), "filters": draw(st.sampled_from(FILTERS))}


def _ask(question: Any, *args: Any, **kw: Any) -> Any:
    try:
        found = question(*args, **kw)
        return found if isinstance(found, dict) else found.as_json()
    except SalesmetricsError as exc:  # a deal without a rate is refused, naming it: the same one
        return f"{type(exc).__name__}: {exc}"


def _first_won(ws: Workspace, period: str, **kw: Any) -> dict[str, Any]:
    """The forecast as the page asks it (``listed``: the first won deal listed, and any closed at
    the same moment; all added up): its figures, the first won deal, the open ones, and how many
    won there are."""
    found = ws.forecast(period, listed=1, **kw)
    data = found.as_json()
    won = [d for d in data["deals"] if d["bar"] == "closed_won"]
    data["deals"] = won[:1] + [d for d in data["deals"] if d["bar"] != "closed_won"]
    data["won_deals"] = len(won) + found.unlisted
    # Said only where deals were cut: the reference reads them all, so it never says it. How many
    # won deals there are is compared just above, whichever way they were counted.
    data.pop("unlisted", None)
    return data


def _answers(db: Path, viewer: Viewer | None, filters: dict[str, list[str]]) -> str:
    """Every question the forecast page asks, for two quarters and as of two days, as JSON."""
    out: list[Any] = []
    kw: dict[str, Any] = {"viewer": viewer, "filters": filters}
    with Workspace.open(db, read_only=True) as ws:
        for as_of in ("2026-04-01", "2026-08-10"):
            for period in ("2026-Q2", "2026-Q3"):
                if as_of < "2026-07-01" and period == "2026-Q3":
                    continue  # a period starting after the as-of day is refused
                out.append(_ask(ws.forecast, period, as_of=as_of, by="team", **kw))
                out.append(_ask(_first_won, ws, period, as_of=as_of, by="rep", **kw))
                out.append(_ask(ws.slippage, period, as_of=as_of, **kw))
            out.append(_ask(ws.forecast_accuracy, last=2, as_of=as_of, by="rep", **kw))
    return dumps(out)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_picking_the_deals_never_changes_an_answer(tmp_path_factory: pytest.TempPathFactory,
                                                   history: dict[str, Any]) -> None:
    folder = tmp_path_factory.mktemp("pick")
    db = folder / "ws.duckdb"
    write_csv(folder / "fx_rates.csv", [{"date": history["rates_from"], "currency": "EUR",
                                         "rate_to_base": "1.1"}])
    first = [folder / "fx_rates.csv"]
    if history["stages"]:
        first.append(write_csv(folder / "stage_history.csv", history["stages"]))
    with Workspace.open(db) as ws:
        ws.set_setting("base_currency", "USD")
        for i, (moment, rows, moved) in enumerate(history["exports"]):
            write_csv(folder / "reps.csv", MOVED if moved else REPS)
            write_csv(folder / "deals.csv", rows, HEADER)
            ws.import_files(*(first if i == 0 else []), folder / "reps.csv", folder / "deals.csv",
                            now=moment)
    viewer, filters = VIEWERS[history["viewer"]], history["filters"]
    picked = _answers(db, viewer, filters)
    every = pytest.MonkeyPatch()
    # The reference: every deal in view read, as before there was a pick, and the won ones placed
    # one by one rather than added up in SQL (deal_history.won_sums).
    every.setattr(deal_history, "_picked", lambda q, d: deal_history.ibis.literal(True))
    # Nothing kept (kpis/compiled.py): the picked deals' SQL of the first answers would serve the
    # reference, and the reference's must not serve anything after it.
    every.setattr(compiled, "_key", lambda name, query: None)
    every.setattr(deal_history, "won_sums", lambda *args: None)
    try:
        assert _answers(db, viewer, filters) == picked
    finally:
        every.undo()


def test_a_filter_value_that_reads_like_sql_is_no_sql(tmp_path: Path) -> None:
    """The picked deals' kept SQL marks its common table expressions NOT MATERIALIZED (by their
    names); a rep whose id reads like one (`, "t2" AS (`) is a value, not one of them: the forecast
    filtered to that rep still finds the rep's commit deal."""
    odd = 'ann, "t2" AS (x'
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": rep, "name": rep, "team": "east", "hired_on": "2024-01-01"}
                                    for rep in (odd, "bob")])
    write_csv(folder / "deals.csv", [
        {"deal_id": d, "rep_id": rep, "created_at": "2025-01-05T09:00:00", "status": "open",
         "currency": "USD", "amount": amount, "expected_close_on": "2027-02-10",
         "forecast_category": "commit", "probability": "0.5", "stage": "proposal"}
        for d, rep, amount in (("d1", odd, "100.00"), ("d2", "bob", "200.00"))])
    cli = Cli(tmp_path / "ws.duckdb")
    cli.import_(folder)
    with Workspace.open(cli.db, read_only=True) as ws:
        found = ws.forecast("2027-Q1", filters={"rep": [odd]}, as_of=date(2026, 12, 1))
    assert (found.total.commit, found.total.deals) == (Decimal("100.00"), 1)
