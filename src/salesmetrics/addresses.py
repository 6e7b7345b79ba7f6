"""E-mail addresses and the SMTP server's URL, read and checked before anything is rendered or sent.

Plain rules, no network: an address is ``local@domain.tld`` (optionally ``Name <local@domain.tld>``),
never with a line break (which would let a value add mail headers); an SMTP URL is
``smtp://[user@]host[:port]`` (STARTTLS when the server offers it) or ``smtps://`` (TLS from the
start), and never holds a password: that comes only from ``$SALESMETRICS_SMTP_PASSWORD``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from .errors import SalesmetricsError

PASSWORD_ENV = "SALESMETRICS_SMTP_PASSWORD"
SMTP_URL_ENV = "SALESMETRICS_SMTP_URL"

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")


class AddressError(SalesmetricsError, ValueError):
    """Something given as an e-mail address or an SMTP server that is not one."""


def check_address(text: str) -> str:
    """``text`` if it is an e-mail address (``a@example.com`` or ``Name <a@example.com>``), as it
    goes into a header; else :class:`AddressError` naming it."""
    raw = text.strip()
    if not raw or "\n" in raw or "\r" in raw:
        raise AddressError(f"{text!r} is not an e-mail address (write name@example.com)")
    name, address = parseaddr(raw)
    bare = raw if "<" not in raw else address
    if not address or not _ADDRESS.fullmatch(address) or bare != address or len(address) > 254:
        raise AddressError(f"{text!r} is not an e-mail address (write name@example.com)")
    return str(Address(display_name=name, addr_spec=address)) if name else address


def check_addresses(texts: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Every address checked, each once, in the order given; at least one."""
    if not texts:
        raise AddressError("give at least one address to send to (--to name@example.com)")
    return tuple(dict.fromkeys(check_address(t) for t in texts))


@dataclass(frozen=True)
class SmtpUrl:
    host: str
    port: int
    user: str | None
    ssl: bool  # smtps: TLS from the first byte; smtp: STARTTLS when the server offers it

    def __str__(self) -> str:
        user = f"{self.user}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'smtps' if self.ssl else 'smtp'}://{user}{host}:{self.port}"

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_smtp_url(text: str) -> SmtpUrl:
    """``smtp://user@host:587``, ``smtps://host``, or ``HOST:PORT`` / ``HOST`` (``--smtp``)."""
    raw = text.strip()
    if not raw:
        raise AddressError("the SMTP server is empty; write smtp://user@host:587 or HOST:PORT")
    if "://" not in raw:
        raw = "smtp://" + raw
    try:
        url = urlsplit(raw)
        port = url.port
    except ValueError as exc:
        raise AddressError(f"cannot read the SMTP server {text!r}: {exc}; write smtp://user@host:587 "
                           "or HOST:PORT") from None
    if url.scheme not in ("smtp", "smtps"):
        raise AddressError(f"the SMTP server {text!r} must start smtp:// or smtps://")
    if url.password is not None:
        raise AddressError(f"the SMTP server's URL holds a password: give it only in ${PASSWORD_ENV}, "
                           "never in a URL, an option or a setting (they are stored or shown)")
    if not url.hostname or (url.path not in ("", "/")) or url.query or url.fragment:
        raise AddressError(f"cannot read the SMTP server {text!r}; write smtp://user@host:587 or HOST:PORT")
    ssl = url.scheme == "smtps"
    user = unquote(url.username) if url.username else None
    return SmtpUrl(url.hostname, port or (465 if ssl else 25), user, ssl)
