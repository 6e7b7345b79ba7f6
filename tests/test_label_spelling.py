"""One spelling per label (importing/spelling.py). Found by a tester: lost reasons "Price ", "price"
and "PRICE" stayed three rows of one deal each (14.3 % of 7 closed) in `losses`, the report by
lost reason, the API and the pages, where they are one reason of three deals (42.9 %), the first
one. A label is written as it is spelled most, in the workspace first, then in the import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import Cli, write_csv


def _deal(i: int, status: str, reason: str = "", source: str = "") -> dict[str, str]:
    return {"deal_id": f"d{i}", "rep_id": "r1", "created_at": "2026-10-01T10:00:00",
            "closed_at": f"2026-10-{10 + i}T10:00:00", "status": status, "amount": "1100.00",
            "currency": "USD", "lost_reason": reason, "source": source}


def _losses(cli: Cli) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli("report", "--period", "2026-Q4", "--kpi", "lost_deals",
                                          "--format", "json").stdout)
    return {r["lost_reason"]: r["value"] for r in data["rows"]}


def test_a_label_spelled_several_ways_is_one(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    write_csv(folder / "reps.csv", [{"rep_id": "r1", "name": "Anna", "team": "north"}])
    write_csv(folder / "deals.csv", [
        _deal(1, "lost", "Price ", "Web"), _deal(2, "lost", "price", "web"), _deal(3, "lost", "PRICE", "Web"),
        _deal(4, "lost", "Price"), _deal(5, "lost", "timing"), _deal(6, "won", source="WEB"),
        _deal(7, "won")])
    cli = Cli(tmp_path / "w.duckdb")
    cli.import_(folder)
    assert _losses(cli) == {"Price": 4, "timing": 1}  # "Price" twice, the others once
    sources = json.loads(cli("report", "--period", "2026-Q4", "--kpi", "win_rate", "--by", "source",
                             "--format", "json").stdout)["rows"]
    assert [(r["source"], r["n"]) for r in sources] == [(None, 3), ("Web", 4)]
    # Imported again, nothing changes; a later file's "PRICE" meets the stored spelling.
    from salesmetrics import Workspace

    with Workspace.open(cli.db) as ws:
        again = ws.import_files(folder).as_json()["tables"]["deals"]
    assert again == {"inserted": 0, "updated": 0, "unchanged": 7}
    cli.import_(write_csv(tmp_path / "later" / "deals.csv", [_deal(8, "lost", "PRICE")]))
    assert _losses(cli) == {"Price": 5, "timing": 1}
    filtered = json.loads(cli("report", "--period", "2026-Q4", "--kpi", "lost_deals", "--filter",
                              "lost_reason=Price", "--format", "json").stdout)["rows"]
    assert [r["value"] for r in filtered] == [5]
