"""``salesmetrics demo``: a realistic workspace to try everything on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..periods import DEFAULT_PERIOD
from .app import app, duckdb_file, open_workspace
from .options import DbOption, LangOption
from .output import err, fail, out
from .report import print_summary


@app.command()
def demo(
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same data.")]
    = 42,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the workspace file if it exists.")]
    = False,
    period: Annotated[str, typer.Option("--period", "-p", help="Period of the printed summary.")]
    = DEFAULT_PERIOD,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Build a realistic demo workspace (22 reps, two years of deals) and print its KPI summary."""
    from .. import demo as demo_data

    path = duckdb_file(db, "demo")
    if path.exists():
        if not replace:
            raise fail(f"{path} exists; pass --replace to overwrite it with demo data, or --db to "
                       "choose another file")
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    with open_workspace(path) as ws:
        with err.status("building the demo workspace..."):
            summary = demo_data.build(ws, seed=seed)
        counts = ", ".join(f"{t.inserted} {t.table}" for t in summary.tables)
        out.print(f"Demo workspace {ws.path}: {counts}", highlight=False)
        print_summary(ws, period, None, lang)
