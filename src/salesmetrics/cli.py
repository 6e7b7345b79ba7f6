"""The command line: parses options, calls the :class:`Workspace`, prints. No business logic here."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .decimal_json import dumps
from .errors import SalesmetricsError, UnknownValueError
from .kpis import REGISTRY
from .kpis.model import DIMENSIONS
from .render import report_csv, report_table, summary_tables
from .settings import SETTINGS
from .text.figures import format_hint
from .text.numbers import LOCALES
from .workspace import Workspace

app = typer.Typer(
    name="salesmetrics",
    help="Sales KPIs from your CRM records: computed exactly, explained, honest about certainty.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Show or change workspace settings.", no_args_is_help=False)
app.add_typer(config_app, name="config")

# Piped or captured output gets room for a full table instead of Rich's 80-column fallback.
out = Console(width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 120)


def _fit_consoles() -> None:
    """Print as wide as $COLUMNS says when it is set (a terminal's width, a script's choice), even
    piped; else a terminal's own width; else 120. Asked per command: a test runner or a shell may
    change COLUMNS between commands of one process."""
    import os
    import shutil

    for console, stream in ((out, sys.stdout), (err, sys.stderr)):
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            console.width = int(columns)
        elif stream.isatty():
            console.width = shutil.get_terminal_size().columns
        else:
            console.width = 120

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Workspace file. Default: $SALESMETRICS_DB, else ./salesmetrics.duckdb.",
                 show_default=False),
]
BackendOption = Annotated[
    str | None,
    typer.Option("--backend", help="Engine holding the records: duckdb:///file.duckdb (default, as --db), "
                 "postgres://user@host/db, pyspark or spark://host:7077/warehouse. Default: "
                 "$SALESMETRICS_BACKEND. See docs/scaling.md.", show_default=False),
]


def _check_lang(value: str) -> str:
    if value.lower() not in LOCALES:
        raise typer.BadParameter(f"{value!r}: write {' or '.join(LOCALES)}")
    return value.lower()


LangOption = Annotated[str, typer.Option("--lang", help="Language of titles and numbers: en or de.",
                                         callback=_check_lang)]


def _given(name: str) -> list[Any]:
    """The values of option ``name`` given to the command, its group and before it (innermost
    first): ``salesmetrics --db X config set ...``, ``config --db X set ...`` and ``config set ...
    --db X`` all say the same."""
    try:  # Typer 0.2x runs on its own copy of Click, whose context this is
        from typer._click.globals import get_current_context
    except ImportError:  # older Typer: Click itself
        from click import get_current_context  # type: ignore[no-redef]
    ctx = get_current_context(silent=True)
    found = []
    while ctx is not None:
        if ctx.params.get(name) is not None:
            found.append(ctx.params[name])
        ctx = ctx.parent
    return found


def _refuse(message: str) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(2)


def _chosen(db: Path | None = None, backend: str | None = None) -> tuple[Path | None, str | None]:
    """The workspace the command line names (``--db`` and ``--backend``, wherever given), or
    ``(None, None)`` for the default. Two different ones are refused: one would be ignored."""
    from .backends.url import parse_url

    dbs = list(dict.fromkeys(os.path.abspath(p) for p in [db, *_given("db")] if p is not None))
    backends = list(dict.fromkeys(b for b in [backend, *_given("backend")] if b))
    urls = [parse_url(b) for b in backends]
    places = dict.fromkeys([*dbs, *(os.path.abspath(u.path) if u.kind == "duckdb" and u.path else
                                    u.redacted() for u in urls)])
    if len(places) > 1:
        named = " and ".join(repr(p) for p in places)
        raise _refuse(f"--db/--backend name two workspaces ({named}): give one, or the same "
                      "one everywhere")
    return (Path(dbs[0]) if dbs else None), (backends[0] if backends else None)
AS_OF_HELP = ("Figures as they stood at the end of this day (YYYY-MM-DD): later records do not count, a "
              "period running past it is cut there, relative periods and the pace end on it. Default: "
              "today, with every record counted.")


@contextmanager
def _workspace(db: Path | None, *, read_only: bool = False,
               backend: str | None = None) -> Iterator[Workspace]:
    """Open the workspace the command line names (:func:`_chosen`) and turn user errors into one
    clear line: exit code 2 for a value that names nothing (a mistyped team or rep), else 1."""
    try:
        path, url = _chosen(db, backend)
        with Workspace.open(path, read_only=read_only, backend=url) as ws:
            yield ws
    except UnknownValueError as exc:
        lang = next(iter(_given("lang")), "en")
        raise _refuse(exc.text(lang)) from None
    except SalesmetricsError as exc:
        # escape: a message may quote "[defaults]" or "[values.status]", which are no markup
        err.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None


def _duckdb_file(db: Path | None, what: str) -> Path:
    """The workspace file for a command that works on a DuckDB file only (serve, demo)."""
    from .backends.url import parse_url
    from .storage import resolve_path

    try:
        path, backend = _chosen(db)
        url = parse_url(backend) if backend else None
    except SalesmetricsError as exc:  # a URL that cannot be read
        err.print(f"[bold red]Error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None
    if url is not None:
        if url.remote:
            raise _refuse(f"{what} works on a DuckDB workspace file (--db), not on {url.redacted()}")
        path = url.path
    return resolve_path(path)


def _version(value: bool) -> None:
    if value:
        out.print(f"salesmetrics {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    backend: BackendOption = None,
    db: DbOption = None,
) -> None:
    """Sales KPIs from your CRM records."""
    _fit_consoles()
    # --backend and --db given here reach every command through _chosen().


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
                                                 "1,234.56). Default: read from the values.",
        show_default=False)] = None,
    date_format: Annotated[str | None, typer.Option(
        "--date-format", help="How the files write dates: dd.mm.yyyy, dd/mm/yyyy, mm/dd/yyyy, "
                              "dd.mm.yyyy HH:MM, ... Default: read from the values.")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="Text encoding of CSV files not in UTF-8, e.g. cp1252 (Excel on "
                           "Windows).")] = None,
    backend: BackendOption = None,
) -> None:
    """Import records: canonical files, CRM exports (--from) or any export (--mapping). All or
    nothing: any bad value and nothing is written."""
    from .importing import FormatOptions

    if inspect is not None:
        _inspect(inspect, decimal_comma, date_format, encoding)
        return
    if not paths:
        err.print("[bold red]Error:[/] name the files or folders to import (or --inspect FILE)")
        raise typer.Exit(2)
    with _workspace(db, backend=backend) as ws:
        options = FormatOptions(decimal=None if decimal_comma is None else "," if decimal_comma else ".",
                                date_format=date_format, encoding=encoding)
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), console=err, transient=True, disable=quiet or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("importing", total=None)

            def step(what: str, done: int, total: int) -> None:
                progress.update(task, description=what, completed=done, total=total)

            summary = ws.import_files(*paths, on_progress=step, source=source,
                                      mapping=list(mapping) if mapping else None, options=options)
        table = Table(title=f"Imported into {ws.path}", title_justify="left")
        for col in ("table", "inserted", "updated", "unchanged"):
            table.add_column(col, justify="left" if col == "table" else "right")
        for t in summary.tables:
            table.add_row(t.table, str(t.inserted), str(t.updated), str(t.unchanged))
        out.print(table)
        for skipped in summary.skipped:
            out.print(f"skipped {skipped.rows} {skipped.reason} in {skipped.file}", highlight=False)


def _inspect(path: Path, decimal_comma: bool | None, date_format: str | None,
             encoding: str | None) -> None:
    """Print a proposed mapping file for ``path``."""
    import duckdb

    from .importing import FormatOptions
    from .importing.mapping.propose import propose

    try:
        options = FormatOptions(decimal=None if decimal_comma is None else "," if decimal_comma else ".",
                                date_format=date_format, encoding=encoding)
        with duckdb.connect() as con:
            sys.stdout.write(propose(con, path, options))
    except SalesmetricsError as exc:
        # escape: a message may quote "[defaults]" or "[values.status]", which are no markup
        err.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None


@app.command()
def report(
    period: Annotated[str, typer.Option("--period", "-p", help="2026-10, 2026-Q3, 2026-W47, "
                                        "last-30-days, 2026-10-01..2026-10-31, this-month, ...")]
    = "last-30-days",
    by: Annotated[str, typer.Option("--by", help=f"Group by: {', '.join(DIMENSIONS)} (comma-separated).")]
    = "",
    kpi: Annotated[list[str] | None, typer.Option("--kpi", "-k", help="KPI id (repeatable). "
                                                  "Default: all. See `salesmetrics kpis`.")] = None,
    filter_: Annotated[list[str] | None, typer.Option("--filter", "-f", help="DIM=VALUE[,VALUE] "
                                                      "(repeatable), e.g. team=east.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    compare: Annotated[bool, typer.Option("--compare", help="Also the period before, and whether each "
                                          "change is significant or within noise.")] = False,
    lang: LangOption = "en",
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Compute KPIs for a period."""
    if fmt not in ("table", "json", "csv"):
        err.print(f"[bold red]Error:[/] --format must be table, json or csv, not {fmt!r}")
        raise typer.Exit(2)
    with _workspace(db, backend=backend) as ws:
        anchor = _as_of(as_of)
        filters = _parse_filters(filter_ or [])
        result = ws.report(period, by=by, kpis=kpi or None, filters=filters, as_of=anchor,
                           compare=compare)
        if fmt == "json":
            sys.stdout.write(result.to_json() + "\n")
        elif fmt == "csv":
            sys.stdout.write(report_csv(result))
        else:
            out.print(report_table(result, lang, out.width))
            for s in result.skipped:
                err.print(f"[dim]skipped: {s.reason}[/]")
        if result.hint is not None and fmt != "json":  # JSON carries it as "hint"
            err.print(format_hint(result.hint, lang), style="yellow", highlight=False, markup=False)


def _parse_filters(items: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not key.strip() or not values.strip():
            err.print(f"[bold red]Error:[/] --filter {item!r}: write DIM=VALUE, e.g. team=east")
            raise typer.Exit(2)
        filters.setdefault(key.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
    return filters


@app.command()
def kpis(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    lang: LangOption = "en",
) -> None:
    """List the KPI catalogue: ids, titles, units and formulas."""
    if fmt not in ("table", "json"):
        raise _refuse(f"--format must be table or json, not {fmt!r}")
    if fmt == "json":
        sys.stdout.write(dumps([k.as_json(lang) for k in REGISTRY.values()]) + "\n")
        return
    de = lang.lower().startswith("de")
    table = Table(title="Kennzahlen" if de else "KPIs", show_lines=True)
    headers = (("ID", "Titel", "Einheit", "Formel", "Dimensionen") if de else
               ("id", "title", "unit", "formula", "dimensions"))
    for col in headers:
        table.add_column(col)
    for k in REGISTRY.values():
        info = k.as_json(lang)
        table.add_row(k.id, info["title"] + "\n[dim]" + info["description"] + "[/]", k.unit,
                      k.formula, ", ".join(info["dimensions"]))
    out.print(table)


@config_app.callback(invoke_without_command=True)
def config_show(ctx: typer.Context, db: DbOption = None) -> None:
    """Show the workspace's settings."""
    if ctx.invoked_subcommand is not None:
        return
    with _workspace(db) as ws:
        table = Table(title=f"Settings of {ws.path}", title_justify="left")
        for col in ("setting", "value", "meaning"):
            table.add_column(col)
        for name, value in ws.setting_values().items():
            table.add_row(name, value or "[dim](from the records)[/]", SETTINGS[name].help)
        out.print(table)


@config_app.command("set")
def config_set(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SETTINGS)}.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
    db: DbOption = None,
) -> None:
    """Change a setting."""
    with _workspace(db) as ws:
        stored = ws.set_setting(name, value)
        out.print(f"{name} = {stored}")


@config_app.command("unset")
def config_unset(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SETTINGS)}.")],
    db: DbOption = None,
) -> None:
    """Return a setting to its default."""
    with _workspace(db) as ws:
        ws.set_setting(name, None)
        out.print(f"{name} = {ws.setting_values()[name] or '(from the records)'}")


@app.command()
def demo(
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same data.")]
    = 42,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the workspace file if it exists.")]
    = False,
    period: Annotated[str, typer.Option("--period", "-p", help="Period of the printed summary.")]
    = "last-month",
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Build a realistic demo workspace (22 reps, two years of deals) and print its KPI summary."""
    from . import demo as demo_data

    path = _duckdb_file(db, "demo")
    if path.exists():
        if not replace:
            err.print(f"[bold red]Error:[/] {path} exists; pass --replace to overwrite it with demo data, "
                      "or --db to choose another file")
            raise typer.Exit(1)
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    with _workspace(path) as ws:
        with err.status("building the demo workspace..."):
            summary = demo_data.build(ws, seed=seed)
        counts = ", ".join(f"{t.inserted} {t.table}" for t in summary.tables)
        out.print(f"Demo workspace {ws.path}: {counts}")
        _print_summary(ws, period, None, lang)


def _print_summary(ws: Workspace, period: str, as_of: date | None, lang: str) -> None:
    from rich.columns import Columns

    found = ws.summary(period, as_of=as_of)
    tables = summary_tables(found, lang, out.width)
    out.print(tables[0])
    out.print(Columns(tables[1:], padding=(0, 4)))
    if found.hint is not None:
        err.print(format_hint(found.hint, lang), style="yellow", highlight=False, markup=False)


@app.command()
def summary(
    period: Annotated[str, typer.Option("--period", "-p", help="Period, e.g. last-month, 2026-Q3.")]
    = "last-month",
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Every KPI for a period beside the period before, the top reps and the products."""
    with _workspace(db) as ws:
        _print_summary(ws, period, _as_of(as_of), lang)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but a loopback "
                                      "address lets other machines in, and there is no login yet.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the dashboard (http://HOST:PORT/) and the JSON API (/api/v1, documented at /docs)."""
    import ipaddress

    import uvicorn

    from .web.app import create_app

    path = _duckdb_file(db, "serve")
    with _workspace(path, read_only=True):  # a missing or foreign file is said now, not per request
        pass
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        local = False
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if not local:
        err.print(f"[bold red]Warning:[/] listening on {host}: the dashboard has no login yet, so anyone "
                  f"who can reach {url} sees every figure. Use --host 127.0.0.1 to keep it on this machine.",
                  highlight=False)
    # A loopback server answers only to loopback names, so a web page elsewhere cannot reach it
    # through a DNS name that points at 127.0.0.1.
    hosts = ["127.0.0.1", "localhost"] if local and host != "::1" else None
    web = create_app(path, public_address=None if local else url, allowed_hosts=hosts)
    out.print(f"salesmetrics dashboard for {path}: {url}  (API: {url}api/v1, docs: {url}docs; "
              "Ctrl+C stops)", highlight=False, soft_wrap=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")


def _as_of(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        err.print(f"[bold red]Error:[/] --as-of {text!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None


def main() -> None:
    app()


# The insight commands (scorecard, activities, target, funnel, satisfaction, ramp, cycle) register
# themselves on ``app``; imported last, so they find everything above.
from . import insights_cli  # noqa: E402, F401
