"""Two checks on every request before any route sees it, each a small ASGI layer of its own.

* **Host.** A page on another site can point a DNS name of its own at this server (DNS
  rebinding) and read the figures, or post imports, as if it were this site. The server answers
  only the names it is known by: loopback names always, the names given with ``--allowed-host``,
  and, bound to all interfaces, the machine's own names and addresses.
* **Size.** A request body larger than ``max_bytes`` is refused with 413 before it is stored:
  by its Content-Length at once, or, sent in chunks, as soon as it grows past the limit.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..decimal_json import dumps

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
ALL_INTERFACES = ("0.0.0.0", "::", "")


def host_of(header: str) -> str:
    """The host of a Host header, without its port: ``[::1]:8000`` -> ``::1``, ``A.b.:80`` -> ``a.b``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else ""
    return value.rsplit(":", 1)[0].rstrip(".") if value.count(":") == 1 else value.rstrip(".")


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def machine_names() -> set[str]:
    """This machine's names and the addresses they resolve to (the default when bound to every
    interface: what a colleague would type to reach it)."""
    names = {socket.gethostname(), socket.getfqdn()}
    found = {n.lower() for n in names if n}
    try:  # the address other machines reach this one by (a UDP "connect" sends nothing)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.add(str(probe.getsockname()[0]))
    except OSError:
        pass
    for name in list(found):
        try:
            for info in socket.getaddrinfo(name, None):
                found.add(str(info[4][0]).split("%")[0].lower())
        except OSError:
            continue
    return found


def allowed_hosts(bound: str, given: Iterable[str] = ()) -> set[str]:
    """The Host names a server bound to ``bound`` answers, besides loopback names (always):
    ``given`` (``--allowed-host``), the bound address itself, and, bound to every interface with
    none given, the machine's own names and addresses."""
    hosts = {host_of(h) or h.lower() for h in given}
    address = bound.strip("[]").lower()
    if address not in ALL_INTERFACES:
        hosts.add(address)
    elif not hosts:
        hosts |= machine_names()
    return hosts


class HostCheck:
    """Refuses (400) a request whose Host header is not loopback or one of ``hosts``."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(host_of(h) or h for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            host = host_of(header)
            if not (_is_loopback(host) or host in self.hosts):
                await _refuse(send, 400, "bad_host",
                              f"this server does not answer to the host {header!r}; start it with "
                              "--allowed-host NAME to reach it by that name")
                return
        await self.app(scope, receive, send)


class TooLarge(HTTPException):
    pass


# A body other than an upload's (a target, a program, a login: JSON or a form) is a few hundred
# bytes: up to 100 MB of one let a single request hold the write turn for minutes (a tester).
MAX_PLAIN_BODY = 1_000_000
UPLOAD_PATHS = frozenset({"/upload", "/api/v1/import"})


class BodyLimit:
    """Refuses (413) a request body over ``max_bytes`` (an upload's: :data:`UPLOAD_PATHS`), or over
    :data:`MAX_PLAIN_BODY` (any other); the error handlers word the answer."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, limit: int) -> TooLarge:
        if limit < self.max_bytes:
            return TooLarge(413, f"the request is larger than {limit / 1e6:g} MB, the most this server "
                                 "accepts for anything but an upload of files")
        return TooLarge(413, f"the request is larger than {limit / 1e6:g} MB, the most "
                             "this server accepts (salesmetrics serve --max-upload-mb raises it); "
                             "import larger files with `salesmetrics import`")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        # By the route, not the type the client declares: any body said to be multipart was let in
        # up to the upload's limit (the review).
        upload = scope.get("path") in UPLOAD_PATHS
        limit = self.max_bytes if upload else min(self.max_bytes, MAX_PLAIN_BODY)
        declared = int(length) if length.isdigit() else None
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise self._too_large(limit)
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise self._too_large(limit)
            return message

        await self.app(scope, limited, send)


async def _refuse(send: Send, status: int, kind: str, message: str) -> None:
    body = dumps({"error": {"message": message, "type": kind}}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
