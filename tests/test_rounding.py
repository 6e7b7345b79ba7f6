"""A figure of more than two places in money is rounded to the cent half up, as an accountant and a
spreadsheet's ROUND do: 16312.37 over two deals is 8156.19, on the command line, in the JSON API and
in Python. Half to even gave 8156.18, and a controller checking by hand found the cent (two testers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from helpers import Cli
from salesmetrics import Workspace
from salesmetrics.web.app import create_app


def test_an_average_of_half_a_cent_is_rounded_up_on_every_face(cli: Cli, csvs: Any) -> None:
    csvs("reps", [{"rep_id": "r1", "team": "east"}])

    def won(deal_id: str, amount: str) -> dict[str, str]:
        return {"deal_id": deal_id, "rep_id": "r1", "created_at": "2026-09-01", "closed_at": "2026-09-10",
                "status": "won", "amount": amount, "currency": "EUR"}

    cli.import_(csvs("deals", [won("d007", "11159.47"), won("d021", "5152.90")]).parent)
    asked = ("--period", "2026-09", "--kpi", "average_deal_size")
    assert cli.value(*asked) == 8156.19
    assert "€8,156.19" in cli("report", *asked).stdout
    with TestClient(create_app(cli.db, warm=False)) as client:
        api = client.get("/api/v1/report", params={"period": "2026-09", "kpi": "average_deal_size"})
    assert b'"value": 8156.19' in api.content or b'"value":8156.19' in api.content
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.report("2026-09", kpis="average_deal_size").value("average_deal_size") == Decimal("8156.19")
