"""``salesmetrics serve``: the dashboard and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import app, duckdb_file, open_workspace
from .options import DbOption
from .output import err, out, refuse


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but a loopback "
                                      "address lets other machines in: the workspace needs users "
                                      "(salesmetrics user add), or --no-login.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    no_login: Annotated[bool, typer.Option("--no-login", help="Serve a workspace without users on "
                                           "--host anyway: anyone who can reach it sees every "
                                           "figure.")] = False,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Also answer requests for this host name (repeatable): the public name "
                             "a reverse proxy in front forwards (docs/team.md).")] = None,
    db: DbOption = None,
) -> None:
    """Serve the dashboard (http://HOST:PORT/) and the JSON API (/api/v1, documented at /docs)."""
    import ipaddress

    import uvicorn

    from ..web.app import create_app

    path = duckdb_file(db, "serve")
    # A missing or foreign file is said now, not per request; so is who may sign in.
    with open_workspace(path, read_only=True) as ws:
        users = len(ws.accounts.users())
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        local = False
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if not local and not users and not no_login:
        raise refuse(f"--host {host} lets other machines in, and this workspace has no users, so anyone "
                     f"who can reach {url} would see every figure. Add one (salesmetrics user add EMAIL "
                     "--role admin) so people sign in, or give --no-login to serve it without sign-in.")
    if not local and not users:
        err.print(f"[bold red]Warning:[/] listening on {host} without sign-in (--no-login): anyone who can "
                  f"reach {url} sees every figure. Use --host 127.0.0.1 to keep it on this machine.",
                  highlight=False)
    elif not local:
        err.print(f"Note: {users} user(s) sign in; passwords and sessions travel unencrypted over plain "
                  "HTTP: put a reverse proxy with TLS in front (docs/team.md).", highlight=False)
    if users and no_login:
        err.print("Note: --no-login changes nothing: this workspace has users, who sign in.", highlight=False)
    # A loopback server answers only to loopback names (and the names a proxy in front forwards), so
    # a web page elsewhere cannot reach it through a DNS name that points at 127.0.0.1.
    extra = list(allow_host or [])
    hosts: list[str] | None = None
    if local and host != "::1":
        hosts = ["127.0.0.1", "localhost", *extra]
    elif extra:
        hosts = [host, *extra]
    web = create_app(path, public_address=None if local else url, allowed_hosts=hosts)
    out.print(f"salesmetrics dashboard for {path}: {url}  (API: {url}api/v1, docs: {url}docs; "
              "Ctrl+C stops)", highlight=False, soft_wrap=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")
