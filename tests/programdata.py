"""A tiny workspace for enablement programs, with every figure worked out by hand.

The program "Discovery" starts on 2026-04-01 for p1 and p2 (team a); with the default window of 90
days the before window is 2026-01-01 to 2026-03-31 and the after window 2026-04-01 to 2026-06-29.

| rep | team | before: won/closed, won amounts, cycle | after: won/closed, won amounts, cycle | activities |
|---|---|---|---|---|
| p1 | a | 1/4, 100, 10 days | 2/4, 300 + 300, 6 days | 9, then 18 |
| p2 | a | 1/3, 200, 10 days | 2/3, 250 + 250, 6 days | 9, then 9 |
| o1 | b | 2/4, 100 + 100, 10 days | 3/4, 100 x 3, 10 days | 9, then 9 |
| o2 | b | 1/2, 400, 10 days | 1/2, 400, 10 days | 9, then 9 |
| o3 | b | 0/2 | 4/4, 100 x 4, 10 days | 9, then 9; in "Playbook", starting 2026-05-01 |
| o4 | c | 1/2, 100, 10 days | nothing: left in March | 9, then none |

Quotas: 1000.00 for each of p1, p2, o1, o2 in each window.

The comparison group (reps active in both windows, in no program starting in either) is o1 and o2:
o3 is in a program starting in the after window, o4 is not active after.

* win rate: participants 2/7 then 4/7, comparison 3/6 then 4/6: effect 2/7 - 1/6 = 5/42;
* average deal size: participants 300/2 = 150 then 1100/4 = 275, comparison 600/3 = 200 then
  700/4 = 175: effect 125 + 25 = 150.00;
* revenue per rep: participants 150 then 550, comparison 300 then 350: effect 400 - 50 = 350.00;
* sales cycle: participants 10 then 6 days, comparison 10 then 10: effect -4 days;
* activities per rep and week: participants 9 then 13.5 per 90 days (90 / 7 weeks), comparison 9 then
  9: effect 4.5 x 7 / 90 = 0.35;
* quota attainment: participants (0.1 + 0.2) / 2 = 0.15 then (0.6 + 0.5) / 2 = 0.55, comparison
  (0.2 + 0.4) / 2 = 0.3 then (0.3 + 0.4) / 2 = 0.35: effect 0.35.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from helpers import write_csv

REPS = [
    {"rep_id": "p1", "name": "Pia Park", "team": "a", "hired_on": "2020-01-01"},
    {"rep_id": "p2", "name": "Paul Petit", "team": "a", "hired_on": "2020-01-01"},
    {"rep_id": "o1", "name": "Olga Ortiz", "team": "b", "hired_on": "2020-01-01"},
    {"rep_id": "o2", "name": "Omar Osei", "team": "b", "hired_on": "2020-01-01"},
    {"rep_id": "o3", "name": "Otto Orr", "team": "b", "hired_on": "2020-01-01"},
    {"rep_id": "o4", "name": "Oona Ode", "team": "c", "hired_on": "2020-01-01"},
]
BEFORE = date(2026, 2, 1)  # deals of the before window close from here on
AFTER = date(2026, 5, 4)
# rep -> ((won amounts, lost count, cycle days) before, (...) after)
PLAN: dict[str, tuple[tuple[list[str], int, int], tuple[list[str], int, int] | None]] = {
    "p1": ((["100.00"], 3, 10), (["300.00", "300.00"], 2, 6)),
    "p2": ((["200.00"], 2, 10), (["250.00", "250.00"], 1, 6)),
    "o1": ((["100.00", "100.00"], 2, 10), (["100.00"] * 3, 1, 10)),
    "o2": ((["400.00"], 1, 10), (["400.00"], 1, 10)),
    "o3": (([], 2, 10), (["100.00"] * 4, 0, 10)),
    "o4": ((["100.00"], 1, 10), None),
}
ACTIVITIES = {"p1": (9, 18), "p2": (9, 9), "o1": (9, 9), "o2": (9, 9), "o3": (9, 9), "o4": (9, 0)}
START = "2026-04-01"


def _deals() -> list[dict[str, Any]]:
    rows = []
    for rep, windows in PLAN.items():
        for first, plan in zip((BEFORE, AFTER), windows, strict=True):
            if plan is None:
                continue
            won, lost, cycle = plan
            outcomes = [("won", a) for a in won] + [("lost", "50.00")] * lost
            for i, (status, amount) in enumerate(outcomes):
                closed = datetime.combine(first + timedelta(days=i), datetime.min.time()).replace(hour=10)
                rows.append({"deal_id": f"{rep}-{first.month}-{i}", "rep_id": rep,
                             "created_at": (closed - timedelta(days=cycle)).isoformat(),
                             "closed_at": closed.isoformat(), "status": status, "amount": amount,
                             "currency": "USD"})
    return rows


def _activities() -> list[dict[str, Any]]:
    rows = []
    for rep, (before, after) in ACTIVITIES.items():
        for first, count in ((date(2026, 1, 5), before), (date(2026, 4, 6), after)):
            for i in range(count):
                rows.append({"activity_id": f"{rep}-{first.month}-a{i}", "rep_id": rep, "type": "call",
                             "occurred_at": f"{first + timedelta(days=i)}T09:00:00"})
    return rows


QUOTAS = [{"rep_id": r, "period_start": start, "period_end": end, "amount": "1000.00", "currency": "USD"}
          for r in ("p1", "p2", "o1", "o2")
          for start, end in (("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-29"))]


def write_records(folder: Path) -> Path:
    write_csv(folder / "reps.csv", REPS)
    write_csv(folder / "deals.csv", _deals())
    write_csv(folder / "activities.csv", _activities())
    write_csv(folder / "quotas.csv", QUOTAS)
    return folder


def write_programs(folder: Path) -> Path:
    """The two programs as canonical files: Discovery (p1, p2) and Playbook (o3)."""
    write_csv(folder / "programs.csv", [
        {"program_id": "disc", "name": "Discovery", "kind": "training", "start_on": START, "end_on": "",
         "cost": "1000.00", "currency": "USD"},
        {"program_id": "play", "name": "Playbook", "kind": "playbook", "start_on": "2026-05-01",
         "end_on": "", "cost": "", "currency": ""},
    ])
    write_csv(folder / "program_participants.csv", [
        {"program_id": "disc", "rep_id": "p1"}, {"program_id": "disc", "rep_id": "p2"},
        {"program_id": "play", "rep_id": "o3"},
    ])
    return folder
