"""``salesmetrics digest``: a period's numbers as HTML or PDF, or by e-mail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..addresses import AddressError, check_addresses
from ..text import is_german
from ..text.catalogue import text
from .app import app, open_workspace, viewer_of
from .options import (
    AsOfOption,
    AsUserOption,
    BackendOption,
    DbOption,
    FilterOption,
    LangOption,
    PeriodOption,
    as_of_day,
    filters_given,
)
from .output import check_format, err, out, refuse, writable_file, write_json, write_output

ToOption = Annotated[list[str] | None, typer.Option("--to", help="Send to this address (repeatable).")]
SmtpOption = Annotated[str | None, typer.Option(
    "--smtp", help="SMTP server, HOST:PORT or smtp://user@host:587 (STARTTLS when offered). Default: "
    "$SALESMETRICS_SMTP_URL, else the smtp_url setting. The password only ever comes from "
    "$SALESMETRICS_SMTP_PASSWORD.", show_default=False)]
SkipEmptyOption = Annotated[bool, typer.Option("--skip-empty", help="A period without records: write and "
                                               "send nothing (else the digest says it is empty).")]


def recipients(to: list[str] | None) -> tuple[str, ...]:
    """``--to``, every address checked before anything is computed or rendered (exit 2)."""
    try:
        return check_addresses(to or [])
    except AddressError as exc:
        raise refuse(str(exc)) from None


@app.command()
def digest(
    period: PeriodOption = "last-week",
    filter_: FilterOption = None,
    lang: LangOption = "en",
    as_of: AsOfOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the digest to FILE.html "
                                                "or FILE.pdf.")] = None,
    to: ToOption = None,
    smtp: SmtpOption = None,
    skip_empty: SkipEmptyOption = False,
    fmt: Annotated[str | None, typer.Option("--format", help="json: the digest's content as JSON "
                                            "(what the API's /api/v1/digest answers).")] = None,
    as_user: AsUserOption = None,
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """The period's digest: every headline KPI beside the period before with its noise badge, the
    targets (off track first), the reps who need attention, the charts and the significant changes.
    Written as HTML or PDF (--output), or sent as one e-mail (--to): the HTML with a plain-text
    alternative and the PDF attached."""
    if fmt in ("html", "htm", "pdf"):
        raise refuse(f"--format {fmt}: the digest is written as HTML or PDF with --output FILE.{fmt}; "
                     "--format takes json (the digest as data)")
    if fmt is not None:
        check_format(fmt, ("json",))
    if output is None and not to and fmt is None:
        raise refuse("say where the digest goes: --output FILE.html|FILE.pdf, --to ADDRESS, or "
                     "--format json")
    suffix = output.suffix.lower().lstrip(".") if output is not None else None
    if output is not None and suffix not in ("html", "htm", "pdf"):
        raise refuse(f"--output {output}: the digest is written as .html or .pdf")
    if output is not None:
        writable_file(output)
    addresses = recipients(to) if to else ()
    filters = filters_given(filter_)
    anchor = as_of_day(as_of)
    from ..documents.mail import NoSmtpServer, sender, smtp_server

    with open_workspace(db, read_only=True, backend=backend) as ws:  # a digest only reads
        server = None
        if addresses:
            try:
                server = smtp_server(smtp, ws.setting_values().get("smtp_url"))
            except (AddressError, NoSmtpServer) as exc:
                raise refuse(str(exc)) from None
        found = ws.digest(period, filters=filters, as_of=anchor, viewer=viewer_of(ws, as_user))
        if fmt == "json":
            write_json(found.as_json())
        if found.empty and skip_empty:
            err.print(f"{found.measured.label}: no records in the period; nothing written or sent "
                      "(--skip-empty)", highlight=False)
            return
        from ..documents.digests import digest_file, digest_message
        from ..documents.mail import send

        if output is not None:
            write_output(output, digest_file(found, lang, "pdf" if suffix == "pdf" else "html"))
            out.print(text("wrote", lang, file=output), highlight=False)
        if server is not None:
            message = digest_message(found, lang, sender=sender(server, ws.setting_values().get("mail_from")),
                                     to=addresses)
            send(message, server)  # DeliveryError: exit 1 with the server's answer (open_workspace)
            # The subject as written (its thin spaces too), not as Python quotes it ('\u2009').
            subject, whom = str(message["Subject"]), ", ".join(addresses)
            out.print(f"„{subject}“ an {whom} gesendet (über {server.where})" if is_german(lang)
                      else f"sent '{subject}' to {whom} via {server.where}", highlight=False)


