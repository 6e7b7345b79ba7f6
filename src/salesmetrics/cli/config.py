"""``salesmetrics config``: show or change the workspace's settings."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import SettingsError
from ..settings import SETTINGS, SettingChange, parse_setting
from ..workspace import Workspace
from .app import OneValueOnce, app, open_workspace
from .options import DbOption
from .output import out, refuse, styled

config_app = typer.Typer(help="Show or change workspace settings.", no_args_is_help=False, cls=OneValueOnce)
app.add_typer(config_app, name="config")


@config_app.callback(invoke_without_command=True)
def config_show(ctx: typer.Context, db: DbOption = None) -> None:
    """Show the workspace's settings."""
    from rich.table import Table

    from .tables import fit

    if ctx.invoked_subcommand is not None:
        return
    with open_workspace(db, read_only=True) as ws:
        table = Table(title=f"Settings of {ws.path}", title_justify="left")
        for col in ("setting", "value", "meaning"):  # names and values one types: whole
            table.add_column(col, no_wrap=col != "meaning")
        for name, value in ws.setting_values().items():
            # Only the base currency is read from the records when unset; the rest are just unset.
            unset = "(from the records)" if name == "base_currency" else "(not set)"
            table.add_row(name, value or styled(f"[dim]{unset}[/]"), SETTINGS[name].help)
        out.print(fit(table, out.width))


# A value may start with a minus (ramp_threshold -1): taken as the value, to be refused in words,
# not as an option Click does not know.
@config_app.command("set", context_settings={"ignore_unknown_options": True})
def config_set(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SETTINGS)}.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
    db: DbOption = None,
) -> None:
    """Change a setting."""
    _check(name, value)
    with open_workspace(db) as ws:
        change = ws.set_setting(name, value)
        out.print(f"{name} = {change.value}", highlight=False)
        _say_rates_removed(ws, change)
        _say_midnights_moved(change)


@config_app.command("unset")
def config_unset(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SETTINGS)}.")],
    db: DbOption = None,
) -> None:
    """Return a setting to its default."""
    _check(name, None)
    with open_workspace(db) as ws:
        change = ws.set_setting(name, None)  # an unset moves no rates (Store.rates_moved)
        unset = "(from the records)" if name == "base_currency" else "(not set)"
        out.print(f"{name} = {ws.setting_values()[name] or unset}", highlight=False)
        _say_midnights_moved(change)


def _say_midnights_moved(change: SettingChange) -> None:
    if months := change.months_moved:
        many = months != 1
        out.print(f"{months:,} record time{'s' if many else ''} now fall{'' if many else 's'} in another "
                  "month (the same instant in the new zone: 23:30 on the 31st in UTC is the 1st "
                  "in Berlin), so the monthly figures they count in change. If the files wrote their "
                  "times in the new zone, import them again: times without an offset are then read "
                  "in it.", highlight=False)
    n = change.midnights_moved
    if n:
        out.print(f"{n:,} record time{'s were' if n != 1 else ' was'} at exactly midnight (a date without a "
                  "time, as CRMs export one?) and now read on the day before: the same instant in the "
                  "new zone. If they were dates, import the files again: dates and times without an "
                  "offset are then read in the new time zone.", highlight=False)


def _say_rates_removed(ws: Workspace, change: SettingChange) -> None:
    rates, base = change.rates_removed, change.rates_were_to
    if rates:
        out.print(f"the {rates} exchange rate{'s' if rates != 1 else ''} kept converted to {base} and "
                  f"{'were' if rates != 1 else 'was'} removed with it: import rates to {ws.base_currency()} "
                  "(fx_rates: date, currency, rate_to_base) for records in other currencies; until "
                  "then their amounts are refused, never converted at the old base's rates",
                  highlight=False)


def _check(name: str, value: str | None) -> None:
    """A setting name or value that cannot be read is refused (exit code 2) before the workspace is
    opened, so a typo creates no file."""
    try:
        parse_setting(name, value)
    except SettingsError as exc:
        raise refuse(str(exc)) from None
