"""The command line: ``salesmetrics``. It parses options, asks the
:class:`~salesmetrics.workspace.Workspace` and prints; no business logic lives here.

``app`` (the Typer app) and ``main`` are what the console script and tests use. Each group of
commands is a module of its own, registered on ``app`` when imported here.
"""

from __future__ import annotations

import inspect
import sys

import typer
import typer.main

from .app import app

# In the order `salesmetrics --help` lists them.
# isort: off
from . import imports, report, figures, insights, forecast, targets, programs, digest, schedules, config
from . import accounts, demo, serve
# isort: on

__all__ = ["app", "main"]

# The modules above register their commands on ``app``; named so the imports are not unused.
_COMMANDS = (imports, report, figures, insights, forecast, targets, programs, digest, schedules, config,
             accounts, demo, serve)


def _summaries_on_one_line(group: typer.Typer) -> None:
    """A command list in ``--help`` shows each command's first paragraph, and Typer's rich mode keeps
    the docstring's line breaks there ("... with its noise badge, the" / "targets ..."): each command
    gets that paragraph as one line, which the list wraps to the terminal."""
    for info in group.registered_commands:
        text = info.help or (info.callback.__doc__ if info.callback else None)
        if info.short_help is None and text:
            info.short_help = " ".join(inspect.cleandoc(text).split("\n\n")[0].split())
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _summaries_on_one_line(sub.typer_instance)


_summaries_on_one_line(app)


def _only_the_command_asked(args: list[str]) -> None:
    """Typer builds every command's Click command before it runs one: 47 of them, 60-70 ms of each
    run, a tenth of a report at 1M deals. Where the first word after the root's own options names a
    command or a group, the app keeps just that one. Anything else (``--help``, ``--version``, a
    mistyped command, whose message lists the others) gets the whole app."""
    at = 0
    while at < len(args) and args[at].startswith("-"):
        if args[at] not in ("--db", "--backend") and not args[at].startswith(("--db=", "--backend=")):
            return
        at += 2 if args[at] in ("--db", "--backend") else 1
    if at >= len(args):
        return
    name = args[at]
    commands = [c for c in app.registered_commands
                if (c.name or typer.main.get_command_name(c.callback.__name__ if c.callback else "")) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups


def main() -> None:
    _only_the_command_asked(sys.argv[1:])
    app()
