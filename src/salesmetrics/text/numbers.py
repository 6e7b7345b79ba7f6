"""Numbers, money, dates and periods as a person reads them, in English or German (Babel): the same
in the terminal, on the pages and in digests."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from ..periods import Period

LOCALES = {"en": "en_US", "de": "de_DE"}


def format_value(value: Any, unit: str, currency: str | None, lang: str = "en") -> str:
    """A KPI value as a person reads it: ``$7,500.00`` / ``7.500,00 $``, ``36 %``, ``23 days``."""
    if value is None:
        return "–"
    locale = LOCALES.get(lang, "en_US")
    if unit == "money":
        if currency:
            return str(format_currency(Decimal(value), currency, locale=locale))
        return str(format_decimal(Decimal(value), format="#,##0.00", locale=locale))
    if unit == "ratio":
        # Short of 100 % is never shown as 100.0 % (a quota 1 cent short, beside "missed").
        return _unsigned_zero(str(format_percent(short_of_one(value, 3), format="#,##0.0 %", locale=locale)))
    if unit == "days":
        days = _unsigned_zero(str(format_decimal(value, format="#,##0.#", locale=locale)))
        return f"{days} {'Tage' if lang == 'de' else 'days'}"
    if unit == "score":
        return _unsigned_zero(str(format_decimal(value, format="#,##0.#", locale=locale)))
    return _unsigned_zero(str(format_decimal(value, locale=locale)))


def _unsigned_zero(text: str) -> str:
    """A negative value that rounds to nothing is no negative figure: an NPS interval read
    "-0 - 70.6" (-0.04 rounded to a whole score)."""
    if text[:1] in ("-", "\u2212") and not any(c in "123456789" for c in text):
        return text[1:]
    return text


def format_times(value: float | None, lang: str = "en") -> str:
    """A multiple, as coverage is read: ``2.40x`` / ``2,40x``."""
    if value is None:
        return "–"
    return f"{format_decimal(value, format='#,##0.00', locale=LOCALES.get(lang, 'en_US'))}x"


def format_number(value: Any, lang: str = "en", pattern: str = "#,##0.##") -> str:
    """A plain number in a sentence, grouped and with the language's decimal mark: ``1,176`` /
    ``1.176``, ``23.06`` / ``23,06``; a dash for none."""
    if value is None:
        return "–"
    return str(format_decimal(value, format=pattern, locale=LOCALES.get(lang, "en_US")))


def format_share(share: float | None, lang: str = "en") -> str:
    """A share as the language writes a whole percent: ``278%`` / ``278 %``; blank for none."""
    if share is None:
        return ""
    return str(format_percent(share, locale=LOCALES.get(lang, "en_US")))


def format_pace(pace: float | None, lang: str = "en") -> str:
    """A pace (1.0: exactly on target) as a whole percent: ``120 %``; a pace short of the target
    never as ``100 %`` (99.77 % read "pace 100 %" beside "missed")."""
    if pace is None:
        return "–"
    return str(format_percent(short_of_one(pace, 2), format="#,##0 %", locale=LOCALES.get(lang, "en_US")))


def short_of_one(value: Any, places: int) -> Any:
    """``value`` as shown to ``places`` decimals, never shown as 1 (100 %) where it is short of it:
    the largest figure of that precision below 1 instead (0.99996 of a quota is 99.9 %, in the colour
    of a quota missed)."""
    # Rounded as Babel will write it (half to even, in decimals): round(0.995, 2) is 0.99 in binary
    # floats, while Babel wrote "100 %".
    if value is None or not value < 1 or Decimal(str(value)).quantize(Decimal(1).scaleb(-places),
                                                                       ROUND_HALF_EVEN) < 1:
        return value
    return type(value)(1 - 10 ** -places) if isinstance(value, float) else Decimal(1) - Decimal(10) ** -places


def format_ci(row: dict[str, Any], lang: str = "en") -> str:
    """A row's 95 % interval, ``12.0 % to 30.1 %`` with a dash. An open upper end (a median the
    data cannot bound from above) shows as ``≥ 79 days``: a terminal cuts text with "…", so an
    interval ending in one would read as cut."""
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is None:
        return ""
    unit, currency = row["unit"], row.get("currency")
    if high is None:
        return f"≥ {format_value(low, unit, currency, lang)}"
    return f"{format_value(low, unit, currency, lang)} – {format_value(high, unit, currency, lang)}"


def format_delta(change: float | None, unit: str, lang: str = "en", points: str | None = None) -> str:
    """A change as :attr:`Headline.change` gives it: points for rates and NPS, percent otherwise.
    ``points`` names the percentage points of a rate's change (the dashboard writes the word out;
    else pp, in German Pp.)."""
    if change is None:
        return "–"
    locale = LOCALES.get(lang, "en_US")
    points = points or ("Pp." if lang.lower().startswith("de") else "pp")
    if unit == "ratio":
        return _no_change(str(format_decimal(change * 100, format="+#,##0.0;-#,##0.0", locale=locale))) \
            + f" {points}"
    if unit == "score":
        return _no_change(str(format_decimal(change, format="+#,##0.0;-#,##0.0", locale=locale)))
    return _no_change(str(format_percent(change, format="+#,##0.0 %;-#,##0.0 %", locale=locale)))


def _no_change(text: str) -> str:
    """A fall that rounds to nothing is written as no change is, +0.0: a program's interval read
    "-0.0 pp to +0.0 pp"."""
    if text[:1] in ("-", "\u2212") and not any(c in "123456789" for c in text):
        return "+" + text[1:]
    return text


def format_compact(value: Any, unit: str, currency: str | None, lang: str = "en") -> str:
    """A short figure for chart axes: ``$1.7M`` / ``1,7 Mio. $``, ``40 %``."""
    locale = LOCALES.get(lang, "en_US")
    if unit == "money" and currency:
        short = str(format_compact_currency(float(value), currency, locale=locale, fraction_digits=1))
        if re.search(r"\d{4}", short):  # German has no short form for thousands: group them instead
            pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
            return str(format_currency(Decimal(int(value)), currency, format=pattern, locale=locale,
                                       currency_digits=False))
        return short
    if unit == "ratio":
        return str(format_percent(value, format="#,##0 %", locale=locale))
    return str(format_compact_decimal(float(value), locale=locale, fraction_digits=1))


def format_day(day: date, lang: str = "en") -> str:
    return str(format_date(day, "medium", locale=LOCALES.get(lang, "en_US")))


def format_moment(moment: datetime, lang: str = "en") -> str:
    """A local date and time, short: ``10/29/26, 10:54 AM`` / ``29.10.26, 10:54``."""
    locale = LOCALES.get(lang, "en_US")
    return f"{format_date(moment, 'short', locale=locale)}, {format_time(moment, 'short', locale=locale)}"


def format_record_moment(moment: datetime, lang: str = "en") -> str:
    """A record's moment as :func:`format_moment`, but midnight as its day alone (``10/12/26``): a
    CRM's export of days (2026-10-12) read "10/12/26, 12:00 AM" in the records behind a figure."""
    if moment.time() == time(0):
        return str(format_date(moment, "short", locale=LOCALES.get(lang, "en_US")))
    return format_moment(moment, lang)


def format_period(period: Period, lang: str = "en") -> str:
    """A period as people write it, e.g. Oct 1 to 31, 2026 (en) or 1. to 31. Okt. 2026 (de)."""
    locale = LOCALES.get(lang, "en_US")
    if period.days == 1:
        text = format_day(period.start, lang)
    else:
        text = str(format_interval(period.start, period.records_last_day, "yMMMd", locale=locale))
    if period.cut_within is not None:  # the stretch set beside a period ending today (periods.to_date)
        until = format_time(period.cut_within, "short", locale=locale)
        text += f", bis {until}" if lang.lower().startswith("de") else f", to {until}"
    return text


def week_label(key: str, lang: str = "en", *, year: bool = True) -> str:
    """An ISO week ``2026-W40`` as people read it: ``W40 2026`` / ``KW 40 2026`` (Kalenderwoche)."""
    found = re.fullmatch(r"(\d{4})-W(\d{2})", key)
    if not found:
        return key
    week = f"KW {int(found[2])}" if lang.lower().startswith("de") else f"W{found[2]}"
    return f"{week} {found[1]}" if year else week


def bucket_name(key: str, lang: str = "en") -> str:
    """A trend's bucket as a German reader says it (``2026-10`` as ``Okt. 2026``, ``2026-Q4`` as
    ``Q4 2026``, a week as ``KW 40 2026``, a day as ``05.10.2026``); English keeps the key, which
    ``--period`` reads."""
    if not lang.lower().startswith("de"):
        return key
    if month := re.fullmatch(r"(\d{4})-(\d{2})", key):
        return str(format_date(date(int(month[1]), int(month[2]), 1), "MMM y", locale=LOCALES["de"]))
    if quarter := re.fullmatch(r"(\d{4})-Q(\d)", key):
        return f"Q{quarter[2]} {quarter[1]}"
    if day := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", key):
        return f"{day[3]}.{day[2]}.{day[1]}"
    return week_label(key, lang)


def span_text(p: Period, lang: str = "en") -> str:
    """A period's first and last day, as a table's title says them: ISO in English (what scripts
    and ``--period`` read), ``01.10.2026`` in German."""
    cut = f" {p.cut_within:%H:%M}" if p.cut_within is not None else ""
    return f"{numeric_day(p.start, lang)} – {numeric_day(p.records_last_day, lang)}{cut}"


def numeric_day(day: date, lang: str = "en") -> str:
    """``2026-10-01`` in English, ``01.10.2026`` in German."""
    return f"{day:%d.%m.%Y}" if lang.lower().startswith("de") else day.isoformat()


# Axis steps, for every face that draws a chart (web/charts.py, documents/charts.py).
def nice_ticks(top: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round axis steps (1, 2, 2.5 or 5 times a power of ten) from zero to at least ``top``;
    ``whole``: an axis of counts, whose steps are never under 1 (two deals read 0, 0, 1, 1, 2)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def format_p_value(p: float, lang: str = "en", pattern: str = "0.000") -> str:
    """A p-value after "p": ``< 0.001`` for the very small ones, ``< 0.05`` for one just under the
    5 % level that would round up to it (0.049988 read "p = 0.050" beside "beyond noise"), else
    ``0.034`` (``pattern``)."""
    locale = LOCALES["de" if lang.lower().startswith("de") else "en"]
    if p < 0.001:
        return "< " + str(format_decimal(0.001, format="0.000", locale=locale))
    if 0.0495 <= p < 0.05:
        return "< " + str(format_decimal(0.05, format="0.00", locale=locale))
    return str(format_decimal(p, format=pattern, locale=locale))
