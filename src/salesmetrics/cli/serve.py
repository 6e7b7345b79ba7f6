"""``salesmetrics serve``: the dashboard and the JSON API."""

from __future__ import annotations

import contextlib
import errno
import socket
from pathlib import Path
from typing import Annotated

import typer

from ..errors import EnvironmentValueError, SalesmetricsError
from ..storage import WorkspaceOutdatedError
from ..workspace import Workspace
from .app import app, duckdb_file, open_workspace
from .options import DbOption
from .output import err, escape, fail, out, refuse, styled

# How long the server keeps the file open after the last answer it computed (web/gate.py): a leader
# clicking through pages asks again within a minute, and finds what DuckDB read for the last one.
HOLD_SECONDS = 60.0


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but a loopback "
                                      "address lets other machines in: the workspace needs users "
                                      "(salesmetrics user add), or --no-login.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    no_login: Annotated[bool, typer.Option("--no-login", help="Serve a workspace without users on "
                                           "--host anyway: anyone who can reach it sees every "
                                           "figure.")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", "--allow-host",
        help="A name (or address) the server may be reached by, besides loopback names "
             "(repeatable): e.g. the public name a reverse proxy in front forwards (docs/team.md). "
             "Default: the address bound to; bound to all interfaces (0.0.0.0, ::), this machine's "
             "names and addresses.")] = None,
    proxy: Annotated[bool, typer.Option(
        "--proxy", help="A reverse proxy on this machine forwards to this server (docs/team.md): take "
                        "each client's address and scheme from its X-Forwarded-For and X-Forwarded-Proto. "
                        "Without it they are ignored: anyone on this machine could claim any address "
                        "and sign in past the per-address limit.")] = False,
    max_upload_mb: Annotated[float | None, typer.Option(
        "--max-upload-mb", help="The largest upload (request) accepted, in MB. Default: "
                                "$SALESMETRICS_MAX_UPLOAD_MB, else 100.", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Serve the dashboard (http://HOST:PORT/) and the JSON API (/api/v1, documented at /docs)."""
    import ipaddress

    from ..web.guards import allowed_hosts

    path = duckdb_file(db, "serve")
    # A missing or foreign file is said now, not per request; so is who may sign in.
    try:
        with Workspace.open(path, read_only=True) as ws:
            users = len(ws.accounts.users())
    except WorkspaceOutdatedError:
        # The one reading command that upgrades a workspace of an older version: the server opens
        # it read-only for every answer, and would refuse each one.
        with open_workspace(path) as ws:
            users = len(ws.accounts.users())
    except EnvironmentValueError as exc:  # $SALESMETRICS_LOCK_WAIT: a value refused, as elsewhere
        raise fail(str(exc), 2) from None
    except SalesmetricsError as exc:
        raise fail(str(exc)) from None
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
        err.print(styled(f"[bold red]Warning:[/] listening on {escape(host)} without sign-in (--no-login): "
                         f"anyone who can reach {escape(url)} sees every figure. Use --host 127.0.0.1 to "
                         "keep it on this machine."), highlight=False)
    elif not local:
        err.print(f"Note: {users} user(s) sign in; passwords and sessions travel unencrypted over plain "
                  "HTTP: put a reverse proxy with TLS in front (docs/team.md).", highlight=False,
                  markup=False)
    if users and no_login:
        err.print("Note: --no-login changes nothing: this workspace has users, who sign in.", highlight=False)
    # Whatever the address, the server answers only the names it is known by (web/guards.py), so a
    # web page elsewhere cannot reach it through a DNS name of its own (DNS rebinding).
    hosts = sorted(allowed_hosts(host, allowed_host or ()))
    if max_upload_mb is not None and max_upload_mb <= 0:
        raise refuse("--max-upload-mb must be more than 0")

    listening = _listen(host, port, url)
    try:
        _serve(path, host, port, url, local, no_login, hosts, max_upload_mb, proxy, listening)
    finally:  # Ctrl+C while the dashboard is prepared, or a refusal: the port is let go at once
        for sock in listening:
            sock.close()


def _serve(path: Path, host: str, port: int, url: str, local: bool, no_login: bool, hosts: list[str],
           max_upload_mb: float | None, proxy: bool, listening: list[socket.socket]) -> None:
    import uvicorn

    from ..web.app import create_app, upload_limit

    def ready() -> None:  # the default view is computed: the first visitor is served at once
        out.print(f"salesmetrics dashboard for {path}: {url}  (API: {url}api/v1, docs: {url}docs; "
                  "Ctrl+C stops)", highlight=False, soft_wrap=True)

    try:  # $SALESMETRICS_MAX_UPLOAD_MB or $SALESMETRICS_SCHEDULE_INTERVAL set to what it does not take
        web = create_app(path, public_address=None if local else url, allowed_hosts=hosts,
                         max_upload_bytes=upload_limit(max_upload_mb), on_ready=ready,
                         schedules=True, hold=HOLD_SECONDS, settle=True,
                         open_without_users=local or no_login)
    except SalesmetricsError as exc:  # a value refused, as `import` says one (exit code 2)
        raise fail(str(exc), 2) from None
    err.print(f"Preparing the dashboard for {path} ...", highlight=False)
    # Forwarded headers are a proxy's to set: trusted from every loopback client, they let any local
    # user or SSH tunnel name its own address (12 failed sign-ins with 12 addresses, no 429).
    server = uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level="warning",
                                           proxy_headers=proxy))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=listening)
    if not server.started:  # the app did not start (or was stopped before it had): uvicorn.run's 3
        raise typer.Exit(3)


def _listen(host: str, port: int, url: str) -> list[socket.socket]:
    """The server's socket, bound before anything is prepared, so a port another program listens on
    is refused before the address is printed as served (uvicorn binds only once the app has
    started: "[Errno 98] address already in use" came after it, and requests to it reached whatever
    else was there). uvicorn is handed these sockets, so no other program can take the port between.
    Bound as asyncio binds a host for uvicorn: every address the host resolves to (localhost may be
    ::1 and 127.0.0.1), an IPv6 socket for IPv6 alone (--host :: is not every IPv4 address too)."""
    try:
        infos = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise refuse(f"--host {host}: not an address this machine can listen on ({exc.strerror})") from None
    listening: list[socket.socket] = []
    try:
        for family, kind, proto, address in dict.fromkeys((f, k, p, a) for f, k, p, _, a in infos):
            sock = socket.socket(family, kind, proto)
            listening.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio binds
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            # Listening at once holds the port: two sockets with SO_REUSEADDR may both bind it while
            # neither listens. A visitor early is queued until the dashboard is prepared.
            sock.listen(2048)  # uvicorn's backlog
    except OSError as exc:
        for sock in listening:
            sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise fail(f"{url} is in use: another program (another salesmetrics serve?) listens on "
                       f"port {port}. Stop it, or choose another port with --port.") from None
        raise fail(f"cannot listen on {url}: {exc.strerror}") from None
    return listening
