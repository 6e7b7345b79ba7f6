"""The faces that are files and messages: the digest as self-contained HTML, plain text and PDF, the
e-mail that carries them, and Excel workbooks of a report or the records behind a figure.

Like ``cli/`` and ``web/``, a face: it renders what the core answers (:mod:`salesmetrics.digest`,
:class:`~salesmetrics.workspace.Workspace`) with the words of :mod:`salesmetrics.text`, and holds no
business logic. Both other faces use it: ``salesmetrics digest`` and ``report --format xlsx``, and the
dashboard's downloads and its schedule runner.

* :mod:`.charts`: the digest's charts as PNG (mail clients show PNG; many do not show SVG);
* :mod:`.render`: the digest as HTML (inline styles, 600 px wide) and as plain text;
* :mod:`.pdf`: the same HTML as PDF (WeasyPrint);
* :mod:`.mail`: SMTP settings, the message (HTML with a text alternative, the PDF attached), sending;
* :mod:`.deliver`: schedules and alerts run: claim, render, send, record;
* :mod:`.xlsx`: workbooks with real numbers, formats, a frozen header and a cover sheet.
"""
