"""The command line: ``salesmetrics``. It parses options, asks the
:class:`~salesmetrics.workspace.Workspace` and prints; no business logic lives here.

``app`` (the Typer app) and ``main`` are what the console script and tests use. Each group of
commands is a module of its own, registered on ``app`` when imported here.
"""

from __future__ import annotations

import inspect

import typer

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


def main() -> None:
    app()
