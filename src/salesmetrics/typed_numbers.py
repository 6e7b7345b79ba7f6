"""Numbers as a person types them (a target, a program's cost), in either convention.

``1234.56``, ``1,234.56``, ``1234,56``, ``1.234,56``, ``1 234,56`` and ``1'234.56`` are all
1234.56, and ``1.000.000`` a million: a German sales leader types ``250.000`` and ``12,50`` where
an English one types ``250,000`` and ``12.50``. Where both readings are numbers, one separator
followed by exactly three digits (``250.000``, ``1,500``), nothing tells them apart, so the number
is refused (:class:`Ambiguous`), never guessed: a target read a thousand times too small would be
met by everyone, silently.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")  # one separator between groups of three, checked below


class NotANumber(ValueError):
    """The text is not a number in either convention."""


class Ambiguous(ValueError):
    """The text is a number in both conventions, with different values (``250.000``)."""

    def __init__(self, text: str, thousands: Decimal, decimal: Decimal) -> None:
        super().__init__(text)
        self.text, self.thousands, self.decimal = text, thousands, decimal

    def readings(self, comma: bool = False) -> tuple[str, str]:
        """Both readings as plain numbers (``250000``, ``250``; ``1500``, ``1.5`` or ``1,5``)."""
        decimal = format(self.decimal.normalize(), "f")
        return format(self.thousands, "f"), decimal.replace(".", ",") if comma else decimal


def read_number(text: str) -> Decimal:
    """The number ``text`` says: a sign, digits, at most one decimal separator (``.`` or ``,``) and
    thousands separators of the other kind (or spaces) between groups of three digits."""
    raw = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    sign = ""
    if raw[:1] in "+-":
        sign, raw = raw[:1], raw[1:].lstrip()
    # Groups of three by spaces, or by apostrophes as the Swiss write them: 1 234,56, 1'234.56.
    if grouped := re.fullmatch(r"\d{1,3}([ '’])\d{3}(?:\1\d{3})*(?:[.,]\d+)?", raw):
        raw = raw.replace(grouped.group(1), "")
    if re.fullmatch(r"[.,]\d+", raw):  # .5 or ,5
        raw = "0" + raw
    if not raw or not re.fullmatch(r"[\d.,]+", raw) or not raw[0].isdigit() or not raw[-1].isdigit():
        raise NotANumber(text)
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        point = "." if raw.rfind(".") > raw.rfind(",") else ","
        whole, _, fraction = raw.rpartition(point)
        if raw.count(point) > 1 or not _GROUPED.fullmatch(whole):
            raise NotANumber(text)
        return _decimal(sign, whole.replace("." if point == "," else ",", ""), fraction, text)
    if dots + commas == 0:
        return _decimal(sign, raw, "", text)
    mark = "." if dots else ","
    if dots + commas > 1:  # 1.000.000 or 1,000,000: only thousands separators
        if not _GROUPED.fullmatch(raw):
            raise NotANumber(text)
        return _decimal(sign, raw.replace(mark, ""), "", text)
    whole, _, fraction = raw.partition(mark)
    if len(fraction) == 3 and whole != "0" and len(whole) <= 3:
        raise Ambiguous(text, _decimal(sign, whole + fraction, "", text),
                        _decimal(sign, whole, fraction, text))
    return _decimal(sign, whole, fraction, text)


def _decimal(sign: str, whole: str, fraction: str, text: str) -> Decimal:
    if not _DIGITS.fullmatch(whole) or (fraction and not _DIGITS.fullmatch(fraction)):
        raise NotANumber(text)
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:
        raise NotANumber(text) from None
