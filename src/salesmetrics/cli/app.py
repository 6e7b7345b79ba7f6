"""The ``salesmetrics`` command: the Typer app, its two consoles, and how a command opens the
workspace the command line names. Commands live in the modules beside this one, one per group; each
only parses options, asks the :class:`~salesmetrics.workspace.Workspace` and prints."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from typer.core import TyperGroup, TyperOption

from .. import __version__
from ..access import Viewer
from ..errors import (
    SalesmetricsError,
    is_out_of_range,
    out_of_range,
)
from ..workspace import Workspace
from .options import BackendOption, DbOption, given, stopped
from .output import fail, fit_consoles, out, refuse


class OneValueOnce(TyperGroup):
    """A group whose commands refuse an option of one value given twice: Click keeps the last, so
    ``report --by team --by rep`` answered by rep alone and ``--period 2025-10 --period 2025-11``
    for November, exit 0, as if that were what was asked."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, TyperGroup):
            _given_once(ctx, name, command, rest)
        return name, command, rest


def _given_once(ctx: Any, name: str | None, command: Any, args: list[str]) -> None:
    """Counted as the command's own parser reads the line (``-p2026-10``, ``--period=...``, a value
    that looks like an option), before it runs: the real parse then says anything else wrong."""
    probe = type(ctx)(command, parent=ctx, info_name=name, resilient_parsing=True)
    try:
        _, _, order = command.make_parser(probe).parse_args(list(args))
    except Exception:  # a line it cannot read is refused by the real parse, in its own words
        return
    if any(seen.name == "help" for seen in order):  # --help shows the help, whatever else is given
        return
    for param in command.params:
        if not isinstance(param, TyperOption) or param.multiple or param.is_flag or param.count:
            continue
        given = sum(1 for seen in order if seen is param)
        if given > 1:
            option = max(param.opts, key=len)
            # Only the report groups by several at once (the forecast is by rep or by team).
            several = ("; several groupings go in one, with commas: --by team,rep"
                       if option == "--by" and name == "report" else "")
            raise refuse(f"{option} given {given} times; it takes one value{several}")


app = typer.Typer(
    cls=OneValueOnce,
    name="salesmetrics",
    help="Sales KPIs from your CRM records: computed exactly, explained, honest about certainty.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

def chosen(db: Path | None = None, backend: str | None = None) -> tuple[Path | None, str | None]:
    """The workspace the command line names (``--db`` and ``--backend``, wherever given), or
    ``(None, None)`` for the default. Two different ones are refused: one would be ignored; so are
    $SALESMETRICS_DB and $SALESMETRICS_BACKEND naming two when the command line names none."""
    from ..backends import environment_conflict
    from ..backends.url import parse_url

    dbs = list(dict.fromkeys(os.path.abspath(p) for p in [db, *given("db")] if p is not None))
    backends = list(dict.fromkeys(b for b in [backend, *given("backend")] if b))
    urls = [parse_url(b) for b in backends]
    places = dict.fromkeys([*dbs, *(os.path.abspath(u.path) if u.kind == "duckdb" and u.path else
                                    u.redacted() for u in urls)])
    if len(places) > 1:
        named = " and ".join(repr(p) for p in places)
        raise refuse(f"--db/--backend name two workspaces ({named}): give one, or the same "
                     "one everywhere")
    if not places and (conflict := environment_conflict()):
        raise refuse(conflict)
    return (Path(dbs[0]) if dbs else None), (backends[0] if backends else None)


@contextmanager
def open_workspace(db: Path | None, *, read_only: bool = False,
                   backend: str | None = None) -> Iterator[Workspace]:
    """Open the workspace the command line names (:func:`chosen`) and turn user errors into one
    clear line (:func:`stopped`): exit code 2 for what was asked wrong, 1 for what stops it."""
    path = db  # the file named before the command (--db X report) when it was chosen from there
    try:
        path, url = chosen(db, backend)
        with Workspace.open(path, read_only=read_only, backend=url) as ws:
            yield ws
    except SalesmetricsError as exc:
        raise stopped(exc) from None
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.DataError) and is_out_of_range(str(exc)):  # the file is fine
            raise fail(out_of_range(str(exc))) from None
        # a file damaged past what opening it showed
        from ..storage import damaged, resolve_path

        raise fail(str(damaged(resolve_path(path), exc))) from None


def viewer_of(ws: Workspace, email: str | None) -> Viewer | None:
    """``--as-user EMAIL``: what that account would see (None: the command line sees everything,
    as whoever can open the file can)."""
    return None if email is None else ws.accounts.viewer_of(email)


def duckdb_file(db: Path | None, what: str) -> Path:
    """The workspace file for a command that works on a DuckDB file only (serve, demo)."""
    from ..backends.url import parse_url
    from ..storage import resolve_path

    try:
        path, backend = chosen(db)
        url = parse_url(backend) if backend else None
    except SalesmetricsError as exc:  # a URL that cannot be read
        raise stopped(exc) from None
    if url is not None:
        if url.remote:
            raise refuse(f"{what} works on a DuckDB workspace file (--db), not on {url.redacted()}")
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
    fit_consoles()
    # --backend and --db given here reach every command through chosen().
