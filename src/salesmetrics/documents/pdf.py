"""The digest as PDF: the same HTML, laid out on A4 pages by WeasyPrint.

Why WeasyPrint and not Chromium's printing: it is a Python package (its system libraries, pango and a
font, come from Debian through scripts/system-deps.sh), needs no browser process per document, and
fetches nothing: the HTML it gets carries its images as data: URIs, and any other URL is refused.
"""

from __future__ import annotations

import logging

from ..errors import SalesmetricsError


class PdfError(SalesmetricsError):
    """The PDF could not be made (the system libraries WeasyPrint needs are missing)."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document."""
    # WeasyPrint names every CSS property it does not draw (mail-only ones): not the reader's concern.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import weasyprint
    except OSError as exc:  # pango missing: say what to install, not a traceback
        raise PdfError(f"cannot make a PDF: {exc}. Install pango (Debian: apt-get install "
                       "libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; scripts/system-deps.sh "
                       "does it)") from None
    from weasyprint.urls import URLFetcher

    # Everything the digest shows is in the HTML (data: images); no other URL is followed.
    fetcher = URLFetcher(allowed_protocols=("data",), timeout=5)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
