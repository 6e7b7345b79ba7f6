"""Turning report rows into text for people: numbers formatted by locale, tables, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
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
from rich.table import Table

from .kpis import REGISTRY
from .periods import Period
from .report import ROW_FIELDS, Report
from .summary import Headline, Summary

LOCALES = {"en": "en_US", "de": "de_DE"}

FLAG_TEXT = {
    "en": {
        "no_data": "no data",
        "no_quota": "no quota",
        "quota_prorated": "quota pro-rated by days",
        "still_ramping": "still ramping",
        "small_sample": "small sample",
        "median_not_reached": "median not reached",
    },
    "de": {
        "no_data": "keine Daten",
        "no_quota": "keine Quote",
        "quota_prorated": "Quote tagesgenau anteilig",
        "still_ramping": "noch in Einarbeitung",
        "small_sample": "kleine Stichprobe",
        "median_not_reached": "Median nicht erreicht",
    },
}


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
        return str(format_percent(value, format="#,##0.0 %", locale=locale))
    if unit == "days":
        days = format_decimal(value, format="#,##0.#", locale=locale)
        return f"{days} {'Tage' if lang == 'de' else 'days'}"
    if unit == "score":
        return str(format_decimal(value, format="#,##0.#", locale=locale))
    return str(format_decimal(value, locale=locale))


def format_flag(flag: str, lang: str = "en", days_so_far: int | None = None) -> str:
    """A flag in words; ``days_so_far`` (ramp_time) says how long the reps still ramping have been at it."""
    texts = FLAG_TEXT.get(lang, FLAG_TEXT["en"])
    de = lang == "de"
    if flag.endswith("_still_ramping") and flag[0].isdigit():
        n = flag.split("_", 1)[0]
        text = f"{n} noch in Einarbeitung" if de else f"{n} still ramping"
        if days_so_far is not None:
            text += (f" (am längsten bisher {format_value(days_so_far, 'days', None, lang)})" if de
                     else f" (longest {format_value(days_so_far, 'days', None, lang)} so far)")
        return text
    text = texts.get(flag, flag.replace("_", " "))
    if flag == "still_ramping" and days_so_far is not None:
        text += (f" (bisher {format_value(days_so_far, 'days', None, lang)})" if de
                 else f" ({format_value(days_so_far, 'days', None, lang)} so far)")
    return text


def row_notes(row: dict[str, Any], lang: str = "en") -> str:
    """A report row's flags in words, as the Notes column shows them."""
    return ", ".join(format_flag(f, lang, row.get("days_so_far")) for f in row["flags"])


def report_table(report: Report, lang: str = "en") -> Table:
    de = lang == "de"
    title = f"{'Kennzahlen' if de else 'KPIs'} {_span(report.period)}"
    table = Table(title=title, title_justify="left")
    table.add_column("KPI", no_wrap=True)
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    for dim in dims:
        table.add_column(dim)
    table.add_column("Wert" if de else "Value", justify="right")
    intervals = any(row.get("ci_low") is not None for row in report.rows)
    if intervals:
        table.add_column("95 %", justify="right")
    table.add_column("n", justify="right")
    table.add_column("Hinweise" if de else "Notes")
    previous = None
    for row in report.rows:
        kpi = REGISTRY[row["kpi"]]
        if previous is not None and previous != kpi.id:
            table.add_section()
        table.add_row(
            kpi.title.get(lang) if previous != kpi.id else "",
            *["" if row.get(d) is None else str(row[d]) for d in dims],
            format_value(row["value"], row["unit"], row.get("currency"), lang),
            *([format_ci(row, lang)] if intervals else []),
            str(row["n"]),
            row_notes(row, lang),
        )
        previous = kpi.id
    return table


def format_ci(row: dict[str, Any], lang: str = "en") -> str:
    """A row's 95 % interval, ``12.0 % to 30.1 %`` with a dash; an open upper end shows as ``…``."""
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is None:
        return ""
    unit, currency = row["unit"], row.get("currency")
    top = "…" if high is None else format_value(high, unit, currency, lang)
    return f"{format_value(low, unit, currency, lang)} – {top}"


def format_delta(change: float | None, unit: str, lang: str = "en") -> str:
    """A change as :attr:`Headline.change` gives it: points for rates and NPS, percent otherwise."""
    if change is None:
        return "–"
    locale = LOCALES.get(lang, "en_US")
    if unit == "ratio":
        return str(format_decimal(change * 100, format="+#,##0.0;-#,##0.0", locale=locale)) + " pp"
    if unit == "score":
        return str(format_decimal(change, format="+#,##0.0;-#,##0.0", locale=locale))
    return str(format_percent(change, format="+#,##0.0 %;-#,##0.0 %", locale=locale))


def format_change(headline: Headline, lang: str = "en") -> str:
    text = format_delta(headline.change, REGISTRY[headline.kpi].unit, lang)
    if headline.significant is False:  # tested, and within noise: say so rather than colour it
        return f"[dim]{text} ({'Rauschen' if lang == 'de' else 'noise'})[/]"
    colour = {True: "green", False: "red", None: "dim"}[headline.better]
    return f"[{colour}]{text}[/]"


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


def format_period(period: Period, lang: str = "en") -> str:
    """A period as people write it, e.g. Oct 1 to 31, 2026 (en) or 1. to 31. Okt. 2026 (de)."""
    locale = LOCALES.get(lang, "en_US")
    if period.days == 1:
        return format_day(period.start, lang)
    return str(format_interval(period.start, period.last_day, "yMMMd", locale=locale))


def _span(p: Period) -> str:
    return f"{p.start.isoformat()} – {p.last_day.isoformat()}"


def summary_tables(summary: Summary, lang: str = "en") -> list[Table]:
    de = lang == "de"
    p, b = summary.period, summary.previous_period
    head = Table(
        title=f"{_span(p)}, {'gegenüber' if de else 'against'} {_span(b)}", title_justify="left"
    )
    head.add_column("KPI", no_wrap=True)
    head.add_column("Wert" if de else "Value", justify="right", no_wrap=True)
    head.add_column("Vorher" if de else "Before", justify="right", no_wrap=True)
    head.add_column("Änderung" if de else "Change", justify="right", no_wrap=True)
    head.add_column("n", justify="right", no_wrap=True)
    head.add_column("Hinweise" if de else "Notes")
    for h in summary.headlines:
        unit = REGISTRY[h.kpi].unit
        head.add_row(
            REGISTRY[h.kpi].title.get(lang),
            format_value(h.value, unit, summary.currency, lang),
            format_value(h.previous, unit, summary.currency, lang),
            format_change(h, lang),
            str(h.n),
            ", ".join(format_flag(f, lang, h.days_so_far) for f in h.flags),
        )
    tables = [head]
    for title, rows, dim in (
        ("Top-Vertriebsmitarbeiter" if de else "Top reps", summary.top_reps, "rep"),
        ("Umsatz pro Produkt" if de else "Revenue per product", summary.products, "product"),
    ):
        names = summary.rep_names if dim == "rep" else summary.product_names
        t = Table(title=title, title_justify="left")
        t.add_column(dim, no_wrap=True)
        t.add_column("Umsatz" if de else "Revenue", justify="right", no_wrap=True)
        t.add_column("Deals", justify="right", no_wrap=True)
        for r in rows:
            label = names.get(r[dim]) or str(r[dim])
            t.add_row(label, format_value(r["value"], "money", r.get("currency"), lang), str(r["n"]))
        tables.append(t)
    return tables


def _dims(row: dict[str, Any]) -> list[str]:
    return [k for k in row if k not in ROW_FIELDS]


def report_csv(report: Report) -> str:
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    # ramp_time's days so far of reps still ramping: a column only where a row can hold them.
    extra = [k for k in ("days_so_far",) if any(k in row for row in report.rows)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", *dims, "value", "unit", "currency", "n", "flags", "period_start",
                     "period_end", "ci_low", "ci_high", *extra])
    for row in report.rows:
        value = row["value"]
        writer.writerow([
            row["kpi"], *[row.get(d) if row.get(d) is not None else "" for d in dims],
            "" if value is None else (format(value, "f") if isinstance(value, Decimal) else value),
            row["unit"], row.get("currency") or "", row["n"], ";".join(row["flags"]),
            report.period.start.isoformat(), report.period.end.isoformat(),
            *("" if row.get(k) is None else row[k] for k in ("ci_low", "ci_high", *extra)),
        ])
    return out.getvalue()
