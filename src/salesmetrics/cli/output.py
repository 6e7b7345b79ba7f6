"""Where a command's answer goes: the two consoles (sized to the terminal or $COLUMNS), errors in
one line, and JSON or a drawn answer, chosen by ``--format``."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..decimal_json import dumps

# Piped or captured output gets room for a full table instead of Rich's 80-column fallback.
# Markup and emoji codes are off: names, amounts and messages come from the records, and a rep
# called "[/x]" or ":thumbs_up:" is printed as written. Styled words are Text objects (styled()).
out = Console(width=None if sys.stdout.isatty() else 120, markup=False, emoji=False)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 120, markup=False, emoji=False)


def styled(markup: str) -> Text:
    """Words of our own with Rich markup (``[dim]...[/]``); anything from the data inside them must
    be passed through :func:`~rich.markup.escape` first."""
    return Text.from_markup(markup, emoji=False)


def fit_consoles() -> None:
    """Print as wide as $COLUMNS says when it is set (a terminal's width, a script's choice), even
    piped; else a terminal's own width; else 120. Asked per command: a test runner or a shell may
    change COLUMNS between commands of one process."""
    for console, stream in ((out, sys.stdout), (err, sys.stderr)):
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            console.width = int(columns)
        elif stream.isatty():
            console.width = shutil.get_terminal_size().columns
        else:
            console.width = 120


def fail(message: str, code: int = 1) -> typer.Exit:
    """Say what is wrong in one line on stderr; the caller raises what this returns. Exit code 2
    for a usage or value the command refuses, 1 for anything else that stops it."""
    # escape: a message may quote "[defaults]" or "[values.status]", which are no markup
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def refuse(message: str) -> typer.Exit:
    return fail(message, 2)


def check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json")) -> None:
    if fmt not in allowed:
        raise refuse(f"--format must be {', '.join(allowed[:-1])} or {allowed[-1]}, not {fmt!r}")


def write_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


def answer(fmt: str, result: Any, draw: Callable[[], None]) -> None:
    """The one way a command gives its answer: ``result.as_json()`` for ``--format json``, else
    whatever ``draw`` prints (tables, sentences)."""
    if fmt == "json":
        write_json(result.as_json())
    else:
        draw()
