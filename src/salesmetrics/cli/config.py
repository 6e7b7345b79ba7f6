"""``salesmetrics config``: show or change the workspace's settings."""

from __future__ import annotations

from typing import Annotated

import typer

from ..settings import SETTINGS
from .app import app, open_workspace
from .options import DbOption
from .output import out, styled

config_app = typer.Typer(help="Show or change workspace settings.", no_args_is_help=False)
app.add_typer(config_app, name="config")


@config_app.callback(invoke_without_command=True)
def config_show(ctx: typer.Context, db: DbOption = None) -> None:
    """Show the workspace's settings."""
    from rich.table import Table

    if ctx.invoked_subcommand is not None:
        return
    with open_workspace(db, read_only=True) as ws:
        table = Table(title=f"Settings of {ws.path}", title_justify="left")
        for col in ("setting", "value", "meaning"):
            table.add_column(col)
        for name, value in ws.setting_values().items():
            table.add_row(name, value or styled("[dim](from the records)[/]"), SETTINGS[name].help)
        out.print(table)


@config_app.command("set")
def config_set(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SETTINGS)}.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
    db: DbOption = None,
) -> None:
    """Change a setting."""
    with open_workspace(db) as ws:
        stored = ws.set_setting(name, value)
        out.print(f"{name} = {stored}", highlight=False)


@config_app.command("unset")
def config_unset(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SETTINGS)}.")],
    db: DbOption = None,
) -> None:
    """Return a setting to its default."""
    with open_workspace(db) as ws:
        ws.set_setting(name, None)
        out.print(f"{name} = {ws.setting_values()[name] or '(from the records)'}", highlight=False)
