"""The command line: ``salesmetrics``. It parses options, asks the
:class:`~salesmetrics.workspace.Workspace` and prints; no business logic lives here.

``app`` (the Typer app) and ``main`` are what the console script and tests use. Each group of
commands is a module of its own, registered on ``app`` when imported here.
"""

from __future__ import annotations

from .app import app

# In the order `salesmetrics --help` lists them.
# isort: off
from . import imports, report, figures, insights, targets, config, accounts, demo, serve
# isort: on

__all__ = ["app", "main"]

# The modules above register their commands on ``app``; named so the imports are not unused.
_COMMANDS = (imports, report, figures, insights, targets, config, accounts, demo, serve)


def main() -> None:
    app()
