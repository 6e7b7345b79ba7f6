"""``salesmetrics import``: records in, all or nothing; ``--inspect`` proposes a mapping instead."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ImportValidationError, SalesmetricsError
from ..text import is_german
from ..text.catalogue import text
from ..text.errors import refusal
from ..text.problems import skip_reason
from .app import app, chosen, open_workspace
from .options import BackendOption, DbOption, check_lang, stopped
from .output import err, fail, out, refuse
from .schedules import alerts_after_import

if TYPE_CHECKING:
    from ..importing import FormatOptions, ImportSummary
    from ..workspace import Workspace


@app.command("import")
def import_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="CSV, Excel (.xlsx) or Parquet files, or folders of them. Canonical files: the file "
             "name says the table (deals.csv -> deals).", show_default=False)] = None,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    source: Annotated[str | None, typer.Option(
        "--from", help="The CRM the files were exported from: close, hubspot, salesforce or "
                       "pipedrive (deals, owners and activities; any file names).")] = None,
    mapping: Annotated[list[Path] | None, typer.Option(
        "--mapping", help="A mapping file (TOML) describing any other export (repeatable: each file "
                          "uses the one its header fits). See docs/mapping.md.")] = None,
    inspect: Annotated[Path | None, typer.Option(
        "--inspect", help="Import nothing: propose a mapping file for this export on stdout.")] = None,
    decimal_comma: Annotated[bool | None, typer.Option(
        "--decimal-comma/--decimal-point", help="How the files write decimals (1.234,56 or "
                                                 "1,234.56). Default: read from an export's values (--from, "
                                                 "--mapping); canonical files write 1234.56.",
        show_default=False)] = None,
    date_format: Annotated[str | None, typer.Option(
        "--date-format", help="How the files write dates: dd.mm.yyyy, dd/mm/yyyy, mm/dd/yyyy, "
                              "dd.mm.yyyy HH:MM, ... Default: read from an export's "
                              "values (--from, --mapping); canonical files write ISO 8601 "
                              "(2026-03-31).")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="Text encoding of CSV files not in UTF-8, e.g. cp1252 (Excel on "
                           "Windows); a file that is UTF-8 is read as UTF-8.")] = None,
    backend: BackendOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of what the import says (its counts, "
                                      "warnings and problems): en or de.", callback=check_lang)] = "en",
) -> None:
    """Import records: canonical files, CRM exports (--from) or any export (--mapping). All or
    nothing: any bad value and nothing is written."""
    from ..importing import FormatOptions

    try:
        options = FormatOptions.given(decimal_comma, date_format, encoding)
    except SalesmetricsError as exc:  # --encoding nope, --date-format that names no format
        raise refuse(str(exc)) from None
    if inspect is not None:
        _inspect(inspect, options, lang)
        return
    if not paths:
        raise refuse("name the files or folders to import (or --inspect FILE)")
    new_file = _file_to_create(db, backend)
    imported = False
    try:
        with open_workspace(db, backend=backend) as ws:
            summary = _run(ws, paths, db, backend, quiet=quiet, source=source, mapping=mapping,
                           options=options, lang=lang)
            imported = True
            _tell(ws, summary, lang)
    finally:
        if new_file is not None and not imported:  # a refused first import leaves no empty workspace
            for made in (new_file, new_file.with_name(new_file.name + ".wal")):
                # On a read-only file system nothing was made, and the refusal is already said.
                with contextlib.suppress(OSError):
                    made.unlink(missing_ok=True)


def _run(ws: Workspace, paths: list[Path], db: Path | None, backend: str | None, *, quiet: bool,
         source: str | None, mapping: list[Path] | None, options: FormatOptions,
         lang: str) -> ImportSummary:
    """The import itself, with a progress bar on a terminal; a refusal in the command's language."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}", markup=False), BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=err, transient=True, disable=quiet or not err.is_terminal,
    )
    with progress:
        task = progress.add_task("importing", total=None)

        def step(what: str, done: int, total: int) -> None:
            progress.update(task, description=what, completed=done, total=total)

        try:
            return ws.import_files(*paths, on_progress=step, source=source,
                                   mapping=list(mapping) if mapping else None, options=options)
        except ImportValidationError as exc:  # the commands it suggests keep this workspace
            raise fail(refusal(exc, lang, _naming(db, backend)), german=is_german(lang)) from None


def _tell(ws: Workspace, summary: ImportSummary, lang: str) -> None:
    """What the import did: counts per table, then what it passed over, removed or noticed."""
    from rich.table import Table

    table = Table(title=text("imported_into", lang, path=ws.path), title_justify="left")
    # The English heads stay lower case and "table" as they were: scripts read them.
    heads = ("table", "inserted", "updated", "unchanged") if lang == "en" else (
        text("table", lang), text("inserted", lang), text("updated", lang), text("same", lang))
    for i, col in enumerate(heads):
        table.add_column(col, justify="left" if i == 0 else "right")
    for t in summary.tables:
        table.add_row(t.table, str(t.inserted), str(t.updated), str(t.unchanged))
    out.print(table)
    for skipped in summary.skipped:
        out.print(text("import_skipped", lang, n=skipped.rows, reason=skip_reason(skipped.reason, lang),
                       file=skipped.file),
                  highlight=False)
    for gone in summary.deleted:
        n, keys = len(gone.keys), gone.keys
        shown = ", ".join(keys[:10])
        if n > 10:
            shown = text("import_deleted_more", lang, shown=shown, n=n - 10)
        out.print(text("import_deleted", lang, n=n, table=gone.table, shown=shown,
                       verb="is" if n == 1 else "are"), highlight=False)
    for name in summary.without_rows:
        out.print(text("import_without_rows", lang, file=name), highlight=False)
    for e in summary.emptied:
        money = " " + text("emptied_currency", lang) if e.column == "currency" else ""
        out.print(text("import_emptied", lang, column=e.column, n=e.records, table=e.table,
                       records="record" if e.records == 1 else "records") + money, highlight=False)
    for a in summary.ahead:
        out.print(text("import_ahead", lang, n=a.records, table=a.table, column=a.column,
                       latest=f"{a.latest:%Y-%m-%d %H:%M}"), highlight=False)
    for twin in summary.look_alike:
        out.print(text("import_look_alike", lang, n=twin.records, first=twin.example[0],
                       second=twin.example[-1]), highlight=False)
    for o in summary.overlapping:
        first, second = ("..".join(day.isoformat() for day in span) for span in o.spans)
        out.print(text("import_overlapping", lang, n=o.reps, rep=o.rep, first=first, second=second),
                  highlight=False)
    for u in summary.unstaffed:
        out.print(text("import_unstaffed", lang, user=u.user, teams=", ".join(u.teams)),
                  highlight=False, soft_wrap=True, markup=False)
    alerts_after_import(ws)
    if summary.history:
        out.print(text("import_history", lang, n=summary.history), highlight=False)


def _file_to_create(db: Path | None, backend: str | None) -> Path | None:
    """The workspace file this import opens when it does not exist yet (None: it exists, or the
    workspace is a server's)."""
    from ..backends.url import parse_url
    from ..storage import resolve_path

    try:
        path, url = chosen(db, backend)
        parsed = parse_url(url) if url else None
    except SalesmetricsError:  # open_workspace says what is wrong with the names
        return None
    if parsed is not None and (parsed.remote or parsed.path is None):
        return None
    file = resolve_path(parsed.path if parsed is not None else path)
    return None if file.exists() or str(file) == ":memory:" else file


def _naming(db: Path | None, backend: str | None) -> str:
    """The options that named the workspace on this command line (none: the default again)."""
    import shlex

    path, url = chosen(db, backend)
    if path is not None:
        return f"--db {shlex.quote(str(path))}"
    return f"--backend {shlex.quote(url)}" if url else ""


def _inspect(path: Path, options: FormatOptions, lang: str) -> None:
    """Print a proposed mapping file for ``path``; a file it cannot read is said in ``lang``, and
    not as an import refused ("nothing was written", of a command that writes nothing)."""
    import duckdb

    from ..importing.mapping.propose import propose

    try:
        with duckdb.connect() as con:
            sys.stdout.write(propose(con, path, options))
    except ImportValidationError as exc:
        problems = refusal(exc, lang).split("\n", 1)[1:]
        head = text("inspect_refused", lang, file=path.name, n=exc.total)
        raise fail("\n".join([head, *problems]), german=is_german(lang)) from None
    except SalesmetricsError as exc:
        raise stopped(exc) from None
