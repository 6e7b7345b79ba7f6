"""``salesmetrics user``, ``token`` and ``audit``: who may open the dashboard and the API, and what
was done. Whoever can write the workspace file administers its accounts; every change is noted in
the audit log as made at the command line (``cli:LOGIN``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .app import OneValueOnce, app, open_workspace
from .options import DbOption, FormatOption
from .output import check_format, err, out, refuse, write_json

user_app = typer.Typer(help="Add, list and remove the users who may sign in to the dashboard and API.",
                       no_args_is_help=True, cls=OneValueOnce)
token_app = typer.Typer(help="API tokens (Authorization: Bearer TOKEN) for scripts.", no_args_is_help=True,
                        cls=OneValueOnce)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input (for scripts); "
                             "without it, it is asked for without echo.")]


@user_app.callback()
def _user_group(db: DbOption = None) -> None:
    pass


@token_app.callback()
def _token_group(db: DbOption = None) -> None:
    pass


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise refuse("--password-stdin: standard input is empty")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise refuse("no terminal to ask the password on: give --password-stdin and pipe it in")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The user's email: what they sign in with.")],
    role: Annotated[str, typer.Option("--role", help="admin (everything, and changes), manager (their "
                                      "teams) or rep (their own records).")],
    rep: Annotated[str | None, typer.Option("--rep", help="A rep user's rep: id or full name.")] = None,
    team: Annotated[list[str] | None, typer.Option("--team", help="A manager's team (repeatable).")] = None,
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Add a user who may sign in (admin, manager or rep)."""
    with open_workspace(db) as ws:
        accounts = ws.accounts  # refused before the password is asked for, on a remote backend
        user = accounts.add_user(email, role, _password(password_stdin), rep=rep, teams=team or ())
        what = f" (rep {user.rep})" if user.rep else f" (teams {', '.join(user.teams)})" if user.teams else ""
        out.print(f"added {user.email}: {user.role}{what}", highlight=False)


@user_app.command("change")
def user_change(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: Annotated[str, typer.Option("--role", help="admin, manager or rep, as for `user add`.")],
    rep: Annotated[str | None, typer.Option("--rep", help="A rep user's rep: id or full name.")] = None,
    team: Annotated[list[str] | None, typer.Option("--team", help="A manager's team (repeatable).")] = None,
    db: DbOption = None,
) -> None:
    """Change a user's role and what they see; their password and API tokens stay, their open
    sessions end."""
    with open_workspace(db) as ws:
        accounts = ws.accounts
        before = accounts.user(email)
        user = accounts.change_user(email, role, rep=rep, teams=team or ())
        what = f" (rep {user.rep})" if user.rep else f" (teams {', '.join(user.teams)})" if user.teams else ""
        out.print(f"changed {user.email}: {user.role}{what}, was {before.role}"
                  + (f" (rep {before.rep})" if before.rep else f" (teams {', '.join(before.teams)})"
                     if before.teams else "") + "; their sessions ended", highlight=False)
        tokens = [t.token_id for t in accounts.tokens() if t.email == user.email]
        if tokens:  # a script's token now reads what the new view shows: said, not found out
            err.print(f"{len(tokens)} API token(s) of {user.email} now answer with this view "
                      f"({', '.join(tokens)})", highlight=False, markup=False)


@user_app.command("list")
def user_list(fmt: FormatOption = "table", db: DbOption = None) -> None:
    """List the users and what they may see."""
    from rich.table import Table

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        users = ws.accounts.users()
        if fmt == "json":
            write_json([u.as_json() for u in users])
            return
        table = Table(title="Users", title_justify="left")
        for column in ("email", "role", "sees", "added (UTC)"):
            table.add_column(column)
        for u in users:
            sees = (f"rep {u.rep}" if u.rep else f"teams {', '.join(u.teams)}" if u.teams else "everything")
            table.add_row(u.email, u.role, sees, u.created_at.strftime("%Y-%m-%d %H:%M"))
        out.print(table if users else "no users: the dashboard needs no sign-in (loopback only)")


@user_app.command("remove")
def user_remove(email: Annotated[str, typer.Argument(help="The user's email.")], db: DbOption = None) -> None:
    """Remove a user, their sessions and their API tokens."""
    with open_workspace(db) as ws:
        ws.accounts.remove_user(email)
        gone = email.strip().lower()
        out.print(f"removed {gone}", highlight=False)
        # What they owned stops at its next run, and would resume under whoever is added with the
        # same email: said now, not found out from a failed run.
        owned = [f"schedule {s.name}" for s in ws.list_schedules() if s.owner == gone]
        owned += [f"alert {a.id}" for a in ws.list_alerts() if a.owner == gone]
        if owned:
            err.print(f"Note: {gone} owned {', '.join(owned)}: each fails at its next run and sends "
                      "nothing (schedule list says why). Remove them, or add the user again to let them "
                      "run with the new account's view.", highlight=False, markup=False, soft_wrap=True)
        if not ws.accounts.users():
            err.print("Note: that was the last user. Without users no one signs in: `serve` on this "
                      "machine shows every figure to anyone on it, and a server others reach answers "
                      "no one until a user is added (salesmetrics user add EMAIL --role admin).",
                      highlight=False, markup=False)


@user_app.command("passwd")
def user_passwd(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Set a user's password; their open sessions end."""
    with open_workspace(db) as ws:
        accounts = ws.accounts
        accounts.user(email)  # an unknown user is said before a password is asked for
        accounts.set_password(email, _password(password_stdin))
        who = email.strip().lower()
        out.print(f"password of {who} changed; their sessions ended", highlight=False)
        tokens = [t.token_id for t in accounts.tokens() if t.email == who]
        if tokens:  # credentials of their own, not derived from the password: said, not kept quiet
            err.print(f"{len(tokens)} API token(s) of {who} still work ({', '.join(tokens)}): "
                      "`salesmetrics token revoke ID` ends one", highlight=False, markup=False)


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str | None, typer.Option("--name", help="A label: what the token is for.")] = None,
    db: DbOption = None,
) -> None:
    """Create an API token and print it, once: it is stored hashed and cannot be shown again."""
    with open_workspace(db) as ws:
        token, plain = ws.accounts.create_token(email, name)
        out.print(f"token {token.token_id} for {token.email}: shown once, store it now", highlight=False)
        # The token is the last word of the last line, for scripts (`| tail -1 | awk '{print $NF}'`).
        out.print(f"Authorization: Bearer {plain}", highlight=False, soft_wrap=True)


@token_app.command("list")
def token_list(fmt: FormatOption = "table", db: DbOption = None) -> None:
    """List the API tokens (never the tokens themselves) with when each was last used."""
    from rich.table import Table

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        tokens = ws.accounts.tokens()
        if fmt == "json":
            write_json([t.as_json() for t in tokens])
            return
        table = Table(title="API tokens", title_justify="left")
        for column in ("id", "user", "name", "created (UTC)", "last used (UTC)"):
            table.add_column(column)
        for t in tokens:
            table.add_row(t.token_id, t.email, t.name or "", t.created_at.strftime("%Y-%m-%d %H:%M"),
                          t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never")
        out.print(table if tokens else "no API tokens")


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token's id (`token list`), or the token itself.")],
    db: DbOption = None,
) -> None:
    """Revoke an API token: requests with it are refused from now on."""
    with open_workspace(db) as ws:
        found = ws.accounts.revoke_token(token)
        out.print(f"revoked token {found.token_id} of {found.email}", highlight=False)


@app.command()
def audit(
    limit: Annotated[int, typer.Option("--limit", help="The newest N entries (0: all).", min=0)] = 50,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """The audit log: sign-ins, imports, targets, settings, users and tokens (who, when, what)."""
    from rich.table import Table

    check_format(fmt)
    with open_workspace(db, read_only=True) as ws:
        entries = ws.accounts.audit_log(limit or None)
        if fmt == "json":
            write_json([e.as_json() for e in entries])
            return
        table = Table(title="Audit log (newest first)", title_justify="left")
        for column in ("when (UTC)", "who", "what", "detail", "from"):
            table.add_column(column, overflow="fold")
        for e in entries:
            table.add_row(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action, e.detail or "",
                          e.client or "")
        out.print(table)
