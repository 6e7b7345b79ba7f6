"""``salesmetrics serve``: the dashboard and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from ..errors import SalesmetricsError
from ..storage import WorkspaceOutdatedError
from ..workspace import Workspace
from .app import app, duckdb_file, open_workspace
from .options import DbOption
from .output import err, fail, out, styled


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but a loopback "
                                      "address lets other machines in, and there is no login yet.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the dashboard (http://HOST:PORT/) and the JSON API (/api/v1, documented at /docs)."""
    import ipaddress

    import uvicorn

    from ..web.app import create_app

    path = duckdb_file(db, "serve")
    try:  # a missing or foreign file is said now, not per request
        Workspace.open(path, read_only=True).close()
    except WorkspaceOutdatedError:
        # The one reading command that upgrades a workspace of an older version: the server opens
        # it read-only for every answer, and would refuse each one.
        with open_workspace(path):
            pass
    except SalesmetricsError as exc:
        raise fail(str(exc)) from None
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        local = False
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if not local:
        err.print(styled(f"[bold red]Warning:[/] listening on {escape(host)}: the dashboard has no login "
                         f"yet, so anyone who can reach {escape(url)} sees every figure. Use --host "
                         "127.0.0.1 to keep it on this machine."), highlight=False)
    # A loopback server answers only to loopback names, so a web page elsewhere cannot reach it
    # through a DNS name that points at 127.0.0.1.
    hosts = ["127.0.0.1", "localhost"] if local and host != "::1" else None
    web = create_app(path, public_address=None if local else url, allowed_hosts=hosts)
    out.print(f"salesmetrics dashboard for {path}: {url}  (API: {url}api/v1, docs: {url}docs; "
              "Ctrl+C stops)", highlight=False, soft_wrap=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")
