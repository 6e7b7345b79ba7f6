"""A real SMTP server for the tests (aiosmtpd), on a free loopback port, keeping what it received.

``refuse`` makes it answer the DATA command with an error, as a server that takes the connection but
not the message does; ``stop()`` takes it down, as a server that is not there.
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, content_type: str) -> Any:
        return next(p for p in self.message.walk() if p.get_content_type() == content_type)

    def text(self) -> str:
        content: str = self.part("text/plain").get_content()
        return content

    def html(self) -> str:
        content: str = self.part("text/html").get_content()
        return content

    def attachments(self) -> list[Any]:
        return list(self.message.iter_attachments())


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: str | None = None  # e.g. "554 5.7.1 Message rejected: policy"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK: queued"


class MailServer:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.running = True

    @property
    def url(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def refuse(self, answer: str | None) -> None:
        self.handler.refuse = answer

    def stop(self) -> None:
        if self.running:  # a test that took it down, then the fixture's teardown
            self.controller.stop()
            self.running = False
