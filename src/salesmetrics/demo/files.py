"""The demo data set as canonical CSV files, or imported into a workspace."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..schema import TABLES
from .constants import CURRENCY, FILES, TIME_ZONE
from .generator import Generator, Tables, latest_day
from .programs import Planted, plant

if TYPE_CHECKING:
    from ..importing import ImportSummary
    from ..workspace import Workspace

def write_table(path: Path, table: str, rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        names = TABLES[table].column_names
        writer.writerow(names)
        for row in rows:
            # Optional columns the demo does not make up (call durations, ...) are left empty.
            writer.writerow([*row, *[""] * (len(names) - len(row))])
            count += 1
    return count


def generate(out_dir: Path, *, seed: int = 42, today: date | None = None) -> dict[str, int]:
    """Write the demo data set as canonical CSV files (one per table) into ``out_dir``.

    Covers the two years before ``today`` (default: the last day whose evening has passed, in the
    demo's time zone: :func:`.generator.latest_day`); the same ``seed`` and ``today`` give
    identical files. Returns the number of rows written per table.
    """
    day = today or latest_day(datetime.now(ZoneInfo(TIME_ZONE)).replace(tzinfo=None))
    generator = Generator(seed, day)
    tables = generator.run()
    return _write(tables, plant(tables, generator.reps, day, seed), Path(out_dir))


def _write(tables: Tables, planted: Planted, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)

    # Ids follow time, as a CRM hands them out.
    tables.activities.sort()
    activities = ([f"A{i:06d}", rep_id, kind, at.isoformat(), deal_id]
                  for i, (at, rep_id, kind, deal_id) in enumerate(tables.activities, start=1))
    tables.nps.sort()
    nps = ([f"N{i:05d}", account, str(score), at.isoformat(), rep_id]
           for i, (at, account, score, rep_id) in enumerate(tables.nps, start=1))

    rows: dict[str, Iterable[Sequence[object]]] = {
        "reps": tables.reps,
        "products": tables.products,
        "accounts": tables.accounts,
        "deals": tables.deals,
        "deal_items": tables.deal_items,
        "activities": activities,
        "quotas": tables.quotas,
        "nps_responses": nps,
        "stage_history": tables.stage_history,
        "programs": planted.programs,
        "program_participants": planted.participants,
    }
    return {name: write_table(out_dir / f"{name}.csv", name, rows[name]) for name in FILES}


def build(workspace: Workspace, *, seed: int = 42, today: date | None = None) -> ImportSummary:
    """Fill ``workspace`` with the demo data set (base currency USD, time zone Europe/Berlin).

    The deals come in as a CRM's weekly exports would: first as they stood at the start and the
    middle of recent quarters (demo/forecast.py), each import at its own time, then as they stand
    today with everything else. So the workspace keeps the history of expected close dates and
    categories that the forecast's accuracy and slippage read. The summary counts every record
    once, where it was first inserted.

    Meant for an empty workspace: an import replaces records with the same ids but keeps others,
    so building into one with other data mixes the two.
    """
    workspace.set_setting("base_currency", CURRENCY)
    workspace.set_setting("time_zone", TIME_ZONE)
    zone = ZoneInfo(TIME_ZONE)
    # Nothing dated after now (generate): a demo's "today" ahead of the clock read as the future.
    day = today or latest_day(datetime.now(zone).replace(tzinfo=None))
    generator = Generator(seed, day)
    tables = generator.run()
    # The programs after the simulation (its draws stay as they were), before any export is written.
    planted = plant(tables, generator.reps, day, seed)
    summaries: list[ImportSummary] = []
    with tempfile.TemporaryDirectory(prefix="salesmetrics-demo-") as tmp:
        for i, moment in enumerate(tables.snapshots):
            folder = Path(tmp) / f"export-{i}"
            folder.mkdir()
            write_table(folder / "deals.csv", "deals", tables.deals_at(moment))
            if i == 0:  # deals name their reps and accounts
                write_table(folder / "reps.csv", "reps", tables.reps)
                write_table(folder / "accounts.csv", "accounts", tables.accounts)
            summaries.append(workspace.import_files(folder, now=moment.replace(tzinfo=zone)))
        folder = Path(tmp) / "today"
        _write(tables, planted, folder)
        summaries.append(workspace.import_files(folder, now=generator.horizon.replace(tzinfo=zone)))
    return _combined(summaries)


def _combined(summaries: list[ImportSummary]) -> ImportSummary:
    """One summary of several imports: records inserted by any, changed and unchanged by the last."""
    inserted: dict[str, int] = {}
    for summary in summaries:
        for t in summary.tables:
            inserted[t.table] = inserted.get(t.table, 0) + t.inserted
    last = summaries[-1]
    tables = tuple(replace(t, inserted=inserted[t.table]) for t in last.tables)
    return replace(last, tables=tables, history=sum(s.history for s in summaries))
