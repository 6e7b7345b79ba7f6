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
from .output import err, fail, out, refuse, styled


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but a loopback "
                                      "address lets other machines in, and there is no login yet.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="A name (or address) the server may be reached by, besides loopback "
                               "names (repeatable). Default: the address bound to; bound to all "
                               "interfaces (0.0.0.0, ::), this machine's names and addresses.")] = None,
    max_upload_mb: Annotated[float | None, typer.Option(
        "--max-upload-mb", help="The largest upload (request) accepted, in MB. Default: "
                                "$SALESMETRICS_MAX_UPLOAD_MB, else 100.", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Serve the dashboard (http://HOST:PORT/) and the JSON API (/api/v1, documented at /docs)."""
    import ipaddress

    import uvicorn

    from ..web.app import create_app, upload_limit
    from ..web.guards import allowed_hosts

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
    # Whatever the address, the server answers only the names it is known by (web/guards.py), so a
    # web page elsewhere cannot reach it through a DNS name of its own (DNS rebinding).
    hosts = sorted(allowed_hosts(host, allowed_host or ()))
    if max_upload_mb is not None and max_upload_mb <= 0:
        raise refuse("--max-upload-mb must be more than 0")
    web = create_app(path, public_address=None if local else url, allowed_hosts=hosts,
                     max_upload_bytes=upload_limit(max_upload_mb))
    out.print(f"salesmetrics dashboard for {path}: {url}  (API: {url}api/v1, docs: {url}docs; "
              "Ctrl+C stops)", highlight=False, soft_wrap=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")
