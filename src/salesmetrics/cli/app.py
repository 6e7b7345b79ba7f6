"""The ``salesmetrics`` command: the Typer app, its two consoles, and how a command opens the
workspace the command line names. Commands live in the modules beside this one, one per group; each
only parses options, asks the :class:`~salesmetrics.workspace.Workspace` and prints."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__
from ..access import Viewer
from ..errors import AccountError, SalesmetricsError, UnknownValueError
from ..workspace import Workspace
from .options import BackendOption, DbOption
from .output import fail, fit_consoles, out, refuse

app = typer.Typer(
    name="salesmetrics",
    help="Sales KPIs from your CRM records: computed exactly, explained, honest about certainty.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

def given(name: str) -> list[Any]:
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


def chosen(db: Path | None = None, backend: str | None = None) -> tuple[Path | None, str | None]:
    """The workspace the command line names (``--db`` and ``--backend``, wherever given), or
    ``(None, None)`` for the default. Two different ones are refused: one would be ignored."""
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
    return (Path(dbs[0]) if dbs else None), (backends[0] if backends else None)


@contextmanager
def open_workspace(db: Path | None, *, read_only: bool = False,
                   backend: str | None = None) -> Iterator[Workspace]:
    """Open the workspace the command line names (:func:`chosen`) and turn user errors into one
    clear line: exit code 2 for a value that names nothing (a mistyped team or rep), else 1."""
    try:
        path, url = chosen(db, backend)
        with Workspace.open(path, read_only=read_only, backend=url) as ws:
            yield ws
    except UnknownValueError as exc:
        lang = next(iter(given("lang")), "en")
        raise refuse(exc.text(lang)) from None
    except AccountError as exc:
        raise refuse(str(exc)) from None
    except SalesmetricsError as exc:
        raise fail(str(exc)) from None


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
        raise fail(str(exc)) from None
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
