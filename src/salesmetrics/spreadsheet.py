"""The one rule for text put in a cell that a spreadsheet will open (CSV downloads, xlsx exports).

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and tab or carriage return as a way to smuggle one in), so an account named
``=HYPERLINK("http://evil.example", "click")`` in a CRM export would become a live link, or worse,
in the sales leader's spreadsheet. OWASP's advice: prefix such text with a single quote, which the
spreadsheet shows as text. Only text is touched: numbers (a refund of ``-500.00``) stay numbers.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: T) -> T | str:
    """``value`` as a spreadsheet cell: text that a spreadsheet would run as a formula gets a leading
    ``'``; anything else (numbers, dates, None, ordinary text) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
