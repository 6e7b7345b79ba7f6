"""A small team with accounts, for the visibility tests. Every rep's name, id and records carry a
surname that appears nowhere else, so "does this answer show another rep?" is a search for it.

October 2026, team north: Vorhaus wins dl-xqvorhaus-1 for 1000.00 and loses one (400.00), with one
open; Nkemelu wins 2000.00 and 500.00; Trapani wins 700.00 and loses one (100.00). Team south:
Ferrandiz wins 4000.00 in a pipeline of his own. Revenue: Vorhaus 1000.00, north 4200.00, company
8200.00; win rate: Vorhaus 1/2, north 4/6, company 5/7. Activities: Vorhaus 3, Nkemelu 2, Trapani 1,
Ferrandiz 4.

Users: an admin, the manager of north, Vorhaus as a rep. Targets for October's revenue: Vorhaus
1500, Nkemelu 2500, team south 3000, the company 9000.
"""

from __future__ import annotations

from pathlib import Path

from helpers import write_csv
from salesmetrics import Workspace

SURNAMES = {"xqvorhaus": "Vorhaus", "xqnkemelu": "Nkemelu", "xqtrapani": "Trapani",
            "xqferrandiz": "Ferrandiz"}
TEAMS = {"xqvorhaus": "north", "xqnkemelu": "north", "xqtrapani": "north", "xqferrandiz": "south"}
FIRST = {"xqvorhaus": "Quintessa", "xqnkemelu": "Bartholomew", "xqtrapani": "Ysolde",
         "xqferrandiz": "Octavian"}

ADMIN, MANAGER, REP = "admin@example.com", "north.lead@example.com", "quintessa@example.com"
PASSWORD = "correct horse battery"
ME = "xqvorhaus"


def markers(rep: str) -> list[str]:
    """What must not appear in an answer to someone who may not see ``rep``: their id, names and
    (through the surname, which every record id and account carries) their records."""
    return [rep, SURNAMES[rep], FIRST[rep]]


def _deal(rep: str, n: int, status: str, amount: str, created: str, closed: str | None,
          pipeline: str = "new") -> dict[str, str | None]:
    return {"deal_id": f"dl-{rep}-{n}", "rep_id": rep, "account": f"{SURNAMES[rep]} Account {n}",
            "created_at": f"{created}T10:00:00", "closed_at": f"{closed}T10:00:00" if closed else None,
            "status": status, "amount": amount, "currency": "USD", "source": "inbound",
            "pipeline": pipeline, "stage": "proposal" if status == "open" else None}


DEALS = [
    _deal("xqvorhaus", 1, "won", "1000.00", "2026-09-20", "2026-10-05"),
    _deal("xqvorhaus", 2, "lost", "400.00", "2026-09-22", "2026-10-08"),
    _deal("xqvorhaus", 3, "open", "300.00", "2026-10-10", None),
    _deal("xqnkemelu", 1, "won", "2000.00", "2026-09-10", "2026-10-06"),
    _deal("xqnkemelu", 2, "won", "500.00", "2026-09-15", "2026-10-12"),
    _deal("xqtrapani", 1, "won", "700.00", "2026-09-01", "2026-10-07"),
    _deal("xqtrapani", 2, "lost", "100.00", "2026-09-03", "2026-10-09"),
    _deal("xqferrandiz", 1, "won", "4000.00", "2026-09-05", "2026-10-03", "pipeline-ferrandiz"),
    _deal("xqferrandiz", 2, "won", "800.00", "2026-08-05", "2026-09-03", "pipeline-ferrandiz"),
]
ACTIVITY_COUNTS = {"xqvorhaus": 3, "xqnkemelu": 2, "xqtrapani": 1, "xqferrandiz": 4}


def write_records(folder: Path) -> Path:
    reps = [{"rep_id": r, "name": f"{FIRST[r]} {SURNAMES[r]}", "team": TEAMS[r], "hired_on": "2020-01-01"}
            for r in SURNAMES]
    activities = [{"activity_id": f"ac-{r}-{i}", "rep_id": r, "type": "call" if i % 2 else "meeting",
                   "occurred_at": f"2026-10-{10 + i:02d}T09:00:00", "deal_id": f"dl-{r}-1"}
                  for r, n in ACTIVITY_COUNTS.items() for i in range(n)]
    answers = [{"response_id": f"np-{r}-1", "account": f"{SURNAMES[r]} Account 1", "score": score,
                "responded_at": "2026-10-20T12:00:00", "rep_id": r}
               for r, score in (("xqvorhaus", "9"), ("xqnkemelu", "3"), ("xqferrandiz", "10"))]
    quotas = [{"rep_id": r, "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": amount,
               "currency": "USD"}
              for r, amount in (("xqvorhaus", "2000.00"), ("xqnkemelu", "2000.00"),
                                ("xqtrapani", "1000.00"), ("xqferrandiz", "5000.00"))]
    items = [{"deal_id": "dl-xqvorhaus-1", "product_id": "P1", "quantity": "2", "unit_price": "500.00"},
             {"deal_id": "dl-xqferrandiz-1", "product_id": "P1", "quantity": "8", "unit_price": "500.00"}]
    history = [{"deal_id": d["deal_id"], "stage": stage, "entered_at": f"{day}T08:00:00"}
               for d in DEALS if d["status"] != "open" and d["created_at"] and d["created_at"] >= "2026-09"
               for stage, day in (("qualify", d["created_at"][:10]), ("proposal", "2026-10-01"))]
    write_csv(folder / "reps.csv", reps)
    write_csv(folder / "products.csv", [{"product_id": "P1", "name": "Widget", "unit_price": "500.00",
                                         "currency": "USD"}])
    write_csv(folder / "deals.csv", DEALS)
    write_csv(folder / "deal_items.csv", items)
    write_csv(folder / "activities.csv", activities)
    write_csv(folder / "nps_responses.csv", answers)
    write_csv(folder / "quotas.csv", quotas)
    write_csv(folder / "stage_history.csv", history)
    return folder


def set_targets(ws: Workspace) -> None:
    ws.set_target("total_revenue", "1500", rep="xqvorhaus", period="2026-10")
    ws.set_target("total_revenue", "2500", rep="xqnkemelu", period="2026-10")
    ws.set_target("total_revenue", "3000", team="south", period="2026-10")
    ws.set_target("total_revenue", "9000", period="2026-10")


def make_workspace(path: Path, *, users: bool = True) -> Path:
    """The team's records and targets, and (with ``users``) its three accounts."""
    folder = write_records(path.parent / "team-records")
    with Workspace.open(path) as ws:
        ws.import_files(folder)
        set_targets(ws)
        if users:
            ws.accounts.add_user(ADMIN, "admin", PASSWORD)
            ws.accounts.add_user(MANAGER, "manager", PASSWORD, teams=["north"])
            ws.accounts.add_user(REP, "rep", PASSWORD, rep="Quintessa Vorhaus")
    return path
