"""Sending a digest or an alert by e-mail: which SMTP server, the message, and what the server said.

The message is ``multipart/mixed``: a ``multipart/alternative`` of the plain text and the HTML (whose
charts are ``multipart/related`` PNG parts, shown by ``cid:``), and the PDF attached. The server is
``--smtp``, else ``$SALESMETRICS_SMTP_URL``, else the workspace's ``smtp_url`` setting; with
``smtp://`` the connection is upgraded with STARTTLS whenever the server offers it, and a password
(only ever from ``$SALESMETRICS_SMTP_PASSWORD``) is never sent over a connection that is not
encrypted, except to this machine.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid

from ..addresses import PASSWORD_ENV, SMTP_URL_ENV, AddressError, SmtpUrl, check_address, parse_smtp_url
from ..errors import SalesmetricsError
from .render import Rendered

TIMEOUT = 30.0


class DeliveryError(SalesmetricsError):
    """The SMTP server could not be reached, or refused the message: ``str()`` says which, with the
    server's own answer. ``accepted`` lists recipients the server took all the same (some refused)."""

    def __init__(self, message: str, accepted: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.accepted = tuple(accepted)


class _WholeSubject(EmailPolicy):
    """Python 3.11's folder drops the space where it folds between two encoded words: a German
    alert read "ist für1. Okt." in every mail client (RFC 2047 readers ignore the space between
    encoded words). A subject that is not ASCII is written as encoded words of its own here, the
    spaces inside them; every other header as the standard policy writes it."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() == "subject" and not str(value).isascii():
            return _encoded_words(name, str(value), self.linesep)
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() == "subject" and not str(value).isascii():
            return _encoded_words(name, str(value), self.linesep).encode("ascii")
        return super().fold_binary(name, value)


POLICY = _WholeSubject()
_WORD_BYTES = 39  # 52 characters of base64: a folded line stays within 78


def _encoded_words(name: str, text: str, linesep: str) -> str:
    words, chunk = [], ""
    for char in text:  # cut between characters, never inside one
        if len((chunk + char).encode("utf-8")) > _WORD_BYTES:
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    encoded = [f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode('ascii')}?=" for w in words]
    return f"{name}: " + f"{linesep} ".join(encoded) + linesep


class NoSmtpServer(SalesmetricsError, ValueError):
    """Nowhere to send from: no ``--smtp``, ``$SALESMETRICS_SMTP_URL`` or ``smtp_url`` setting."""


def smtp_server(given: str | None, setting: str | None,
                environ: Mapping[str, str] | None = None) -> SmtpUrl:
    """The SMTP server: ``--smtp``, else ``$SALESMETRICS_SMTP_URL``, else the ``smtp_url`` setting."""
    env = os.environ if environ is None else environ
    for text, where in ((given, "--smtp"), (env.get(SMTP_URL_ENV), f"${SMTP_URL_ENV}"),
                        (setting, "the smtp_url setting")):
        if text:
            try:
                return parse_smtp_url(text)
            except AddressError as exc:
                raise AddressError(f"{where}: {exc}") from None
    raise NoSmtpServer("no SMTP server to send with: give --smtp HOST:PORT, set $SALESMETRICS_SMTP_URL, "
                       "or `salesmetrics config set smtp_url smtp://user@host:587`")


def sender(server: SmtpUrl, setting: str | None) -> str:
    """The From address: the ``mail_from`` setting, else the SMTP user if it is an address, else
    salesmetrics@ this machine's name."""
    if setting:
        return setting
    if server.user:
        try:
            return check_address(server.user)
        except AddressError:
            pass
    host = socket.getfqdn() or "localhost"
    return f"salesmetrics@{host if '.' in host else host + '.localdomain'}"


def build_message(rendered: Rendered, *, sender: str, to: Sequence[str], pdf: bytes | None = None,
                  pdf_name: str = "digest.pdf") -> EmailMessage:
    """The message: plain text and HTML alternatives (the HTML's charts as related parts), and the
    PDF attached."""
    message = EmailMessage(policy=POLICY)
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    domain = sender.rsplit("@", 1)[-1].rstrip(">") or None
    message["Message-ID"] = make_msgid("salesmetrics", domain=domain)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    html_part = message.get_payload()[1]  # type: ignore[index]
    assert isinstance(html_part, EmailMessage)
    for image in rendered.images:
        html_part.add_related(image.png, "image", "png", cid=f"<{image.cid}>",
                              filename=f"{image.cid.split('@')[0]}.png")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


def build_plain_message(subject: str, body: str, *, sender: str, to: Sequence[str]) -> EmailMessage:
    """A short message in plain text (an alert)."""
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    domain = sender.rsplit("@", 1)[-1].rstrip(">") or None
    message["Message-ID"] = make_msgid("salesmetrics", domain=domain)
    message.set_content(body)
    return message


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _answer(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(said.split())}"


def send(message: EmailMessage, server: SmtpUrl, *, timeout: float = TIMEOUT,
         environ: Mapping[str, str] | None = None) -> None:
    """Hand the message to the SMTP server; returns once the server has accepted it for every
    recipient. Raises :class:`DeliveryError` with the server's answer otherwise."""
    env = os.environ if environ is None else environ
    password = env.get(PASSWORD_ENV)
    if server.user and not password:
        raise DeliveryError(f"the SMTP server {server} names the user {server.user!r}: give the password "
                            f"in ${PASSWORD_ENV}")
    where = f"the SMTP server at {server.where}"
    context = ssl.create_default_context()
    try:
        client = (smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
                  if server.ssl else smtplib.SMTP(server.host, server.port, timeout=timeout))
    except (OSError, smtplib.SMTPException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        raise DeliveryError(f"cannot reach {where}: {reason}") from None
    try:
        with client:
            client.ehlo()
            encrypted = server.ssl
            if not encrypted and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                encrypted = True
            if server.user:
                if not encrypted and not _loopback(server.host):
                    raise DeliveryError(f"{where} offers no STARTTLS: the password is not sent over a "
                                        "connection anyone on the way can read (use smtps://, or a "
                                        "server that offers STARTTLS)")
                client.login(server.user, password or "")
            refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        said = "; ".join(f"{rcpt}: {_answer(code, text)}" for rcpt, (code, text) in exc.recipients.items())
        raise DeliveryError(f"{where} refused every recipient: {said}") from None
    except smtplib.SMTPResponseException as exc:
        said = _answer(exc.smtp_code, exc.smtp_error)
        raise DeliveryError(f"{where} refused the message: {said}") from None
    except smtplib.SMTPServerDisconnected as exc:
        raise DeliveryError(f"{where} closed the connection: {exc}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"sending through {where} failed: {exc}") from None
    if refused:
        said = "; ".join(f"{rcpt}: {_answer(code, text)}" for rcpt, (code, text) in refused.items())
        accepted = [r for r in message["To"].split(", ") if r not in refused]
        raise DeliveryError(f"{where} refused some recipients: {said} (sent to the others)", accepted)
