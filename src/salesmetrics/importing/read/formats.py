"""How the values of a file are written: encoding, number and date conventions, a constant currency.

Every field left ``None`` is detected from the file where that is unambiguous (see :mod:`.detect`)
and otherwise asked for. Canonical files are read strictly (ISO dates, ``1234.56``) unless an
option says otherwise: their format is a documented contract, and guessing would hide mistakes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, fields, replace

from ...errors import SalesmetricsError

# Friendly tokens as people write them (``dd.mm.yyyy HH:MM``): lower-case m is the month, upper-case
# M the minute, as in most spreadsheet and CRM settings pages.
_TOKENS = [("yyyy", "%Y"), ("yy", "%y"), ("dd", "%d"), ("d", "%d"), ("mm", "%m"), ("m", "%m"),
           ("HH", "%H"), ("H", "%H"), ("hh", "%I"), ("MM", "%M"), ("SS", "%S"), ("ss", "%S"),
           ("AM/PM", "%p"), ("am/pm", "%p")]
_TOKEN = re.compile("|".join(re.escape(t) for t, _ in _TOKENS))
_TOKEN_MAP = dict(_TOKENS)

DECIMALS = (".", ",")
THOUSANDS = (".", ",", " ", "'", "\u00a0", "\u202f")


class FormatError(SalesmetricsError, ValueError):
    """An import option (or a mapping file's format setting) that cannot be used."""


def strptime_format(text: str) -> str:
    """``dd.mm.yyyy`` (or a strftime pattern such as ``%d.%m.%Y``) as a strptime pattern."""
    pattern = text if "%" in text else _TOKEN.sub(lambda m: _TOKEN_MAP[m[0]], text)
    if pattern.count("%m") > 1:  # "hh:mm" read its minutes as a second month
        raise FormatError(f"date format {text!r} names the month (mm) twice; minutes are MM, as in "
                          "dd.mm.yyyy HH:MM")
    if not ("%d" in pattern and "%m" in pattern and ("%Y" in pattern or "%y" in pattern)):
        raise FormatError(
            f"date format {text!r} must name the day, month and year, such as dd.mm.yyyy, "
            "mm/dd/yyyy, dd/mm/yyyy or dd.mm.yyyy HH:MM"
        )
    return pattern


def with_times(pattern: str) -> list[str]:
    """A date pattern and the same followed by a time: exports mix date-only and date-time columns.
    A pattern with a time reads its date alone too: under --date-format "dd.mm.yyyy HH:MM" for
    created_at, a hired_on of 01.01.2025 was refused, told to try a year of two digits."""
    if "%H" in pattern or "%I" in pattern:
        # "dd.mm.yyyy, HH:MM" or "dd.mm.yyyy - HH:MM": the day without what joins the time to it
        day = re.split(r"[ T]?%[HI]", pattern, maxsplit=1)[0].rstrip(" ,;-T@")
        dated = day != pattern and "%d" in day and "%m" in day and ("%Y" in day or "%y" in day)
        return [pattern, day] if dated else [pattern]
    return [f"{pattern} %H:%M:%S", f"{pattern} %H:%M", f"{pattern}T%H:%M:%S", f"{pattern}T%H:%M",
            pattern]


def encoding_name(text: str) -> str:
    try:
        found = codecs.lookup(text)
    except LookupError:
        raise FormatError(f"unknown encoding {text!r}; use utf-8, cp1252 (Windows, Excel), "
                          "latin-1 or another Python codec name") from None
    # rot13, hex, base64, zip and bz2 are codecs, but of text to text or bytes to bytes: reading a
    # file with one was a TypeError traceback.
    if not getattr(found, "_is_text_encoding", True):
        raise FormatError(f"{text!r} is no text encoding (it turns text into text, or bytes into "
                          "bytes); use utf-8, cp1252 (Windows, Excel), latin-1 or another text encoding")
    return found.name


@dataclass(frozen=True)
class FormatOptions:
    encoding: str | None = None       # None: UTF-8 (a BOM is skipped); others are transcoded
    delimiter: str | None = None      # None: the one of , ; tab | the header uses most
    decimal: str | None = None        # "." or ","; None: detected (exports) or "." (canonical)
    thousands: str | None = None      # None: "." with a decimal comma, none with a decimal point
    date_format: str | None = None    # friendly or strftime; None: detected (exports) or ISO
    currency: str | None = None       # a constant currency for files without a currency column
    sheet: str | None = None          # xlsx: the worksheet; None: the first

    def __post_init__(self) -> None:
        if self.decimal is not None and self.decimal not in DECIMALS:
            raise FormatError(f"decimal separator must be '.' or ',', not {self.decimal!r}")
        if self.thousands is not None and self.thousands not in (*THOUSANDS, ""):
            raise FormatError(f"thousands separator must be one of . , space ' or empty, "
                              f"not {self.thousands!r}")
        if self.decimal and self.thousands and self.decimal == self.thousands:
            raise FormatError("the decimal and thousands separators must differ")
        if self.date_format is not None:
            strptime_format(self.date_format)
        if self.encoding is not None:
            encoding_name(self.encoding)
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise FormatError(f"delimiter must be one character, not {self.delimiter!r}")
        if self.currency is not None and not re.fullmatch(r"[A-Za-z]{3}", self.currency):
            raise FormatError(f"currency must be a three-letter ISO 4217 code, not {self.currency!r}")

    @classmethod
    def given(cls, decimal_comma: bool | None = None, date_format: str | None = None,
              encoding: str | None = None) -> FormatOptions:
        """The options as a person gives them: ``decimal_comma`` (True: 1.234,56; False: 1,234.56;
        None: the files settle it), as ``import --decimal-comma`` and the upload form take them.
        Either way the other mark groups thousands (in threes, checked): --decimal-point refused
        the 1,234.56 its help names, where --decimal-comma took 1.234,56."""
        return cls(decimal=None if decimal_comma is None else "," if decimal_comma else ".",
                   thousands=None if decimal_comma is not False else ",",
                   date_format=date_format, encoding=encoding)

    def over(self, base: FormatOptions) -> FormatOptions:
        """These options where set, else ``base``'s: the command line wins over a mapping file,
        which wins over a vendor's defaults."""
        changes = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        return replace(base, **changes)

    @property
    def thousands_separator(self) -> str:
        if self.thousands is not None:
            return self.thousands
        # With a decimal comma the dot can only group thousands, so 1.234,56 is unambiguous.
        return "." if self.decimal == "," else ""
