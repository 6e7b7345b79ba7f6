"""A digest as the file or the message it is delivered as."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from typing import Literal

from ..digest.content import Digest
from ..text.digest import words
from .mail import build_message
from .pdf import html_to_pdf
from .render import render_digest

Attach = Literal["pdf", "html"]
FORMATS = ("pdf", "html")


def file_name(digest: Digest, suffix: str) -> str:
    span = digest.measured
    return f"digest-{span.start.isoformat()}-{span.last_day.isoformat()}.{suffix}"


def digest_file(digest: Digest, lang: str, fmt: str) -> bytes:
    """The digest as a file of its own: HTML with its images inside, or the PDF of that HTML."""
    rendered = render_digest(digest, lang, images="data")
    if fmt == "pdf":
        return html_to_pdf(rendered.html)
    return rendered.html.encode("utf-8")


def digest_message(digest: Digest, lang: str, *, sender: str, to: Sequence[str],
                   attach: Attach = "pdf") -> EmailMessage:
    """The digest as one message: the HTML body with a plain-text alternative, and with
    ``attach="pdf"`` the PDF attached (``html``: the body alone)."""
    pdf = html_to_pdf(render_digest(digest, lang, images="data").html) if attach == "pdf" else None
    note = words("pdf_attached", lang) if pdf is not None else None
    mailed = render_digest(digest, lang, images="cid", note=note)
    return build_message(mailed, sender=sender, to=to, pdf=pdf, pdf_name=file_name(digest, "pdf"))
