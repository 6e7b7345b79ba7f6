"""The demo data set as canonical CSV files, or imported into a workspace."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..schema import TABLES
from .constants import CURRENCY, FILES, TIME_ZONE
from .generator import Generator
from .programs import plant

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

    Covers the two years before ``today`` (default: the current date); the same ``seed`` and
    ``today`` give identical files. Returns the number of rows written per table.
    """
    day = today or date.today()
    generator = Generator(seed, day)
    tables = generator.run()
    planted = plant(tables, generator.reps, day, seed)  # after the simulation: its draws stay as they were
    out_dir = Path(out_dir)
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

    Meant for an empty workspace: an import replaces records with the same ids but keeps others,
    so building into one with other data mixes the two.
    """
    workspace.set_setting("base_currency", CURRENCY)
    workspace.set_setting("time_zone", TIME_ZONE)
    with tempfile.TemporaryDirectory(prefix="salesmetrics-demo-") as tmp:
        folder = Path(tmp)
        generate(folder, seed=seed, today=today)
        return workspace.import_files(folder)
