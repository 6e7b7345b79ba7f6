"""Turning report rows into text for people: numbers formatted by locale, tables, CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent
from rich.table import Table

from .kpis import REGISTRY
from .periods import Period
from .report import Report
from .summary import Headline, Summary

LOCALES = {"en": "en_US", "de": "de_DE"}

FLAG_TEXT = {
    "en": {
        "no_data": "no data",
        "no_quota": "no quota",
        "quota_prorated": "quota pro-rated by days",
        "still_ramping": "still ramping",
    },
    "de": {
        "no_data": "keine Daten",
        "no_quota": "keine Quote",
        "quota_prorated": "Quote tagesgenau anteilig",
        "still_ramping": "noch in Einarbeitung",
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


def format_flag(flag: str, lang: str = "en") -> str:
    texts = FLAG_TEXT.get(lang, FLAG_TEXT["en"])
    if flag.endswith("_still_ramping") and flag[0].isdigit():
        n = flag.split("_", 1)[0]
        return f"{n} noch in Einarbeitung" if lang == "de" else f"{n} still ramping"
    return texts.get(flag, flag.replace("_", " "))


def report_table(report: Report, lang: str = "en") -> Table:
    de = lang == "de"
    title = f"{'Kennzahlen' if de else 'KPIs'} {_span(report.period)}"
    table = Table(title=title, title_justify="left")
    table.add_column("KPI", no_wrap=True)
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    for dim in dims:
        table.add_column(dim)
    table.add_column("Wert" if de else "Value", justify="right")
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
            str(row["n"]),
            ", ".join(format_flag(f, lang) for f in row["flags"]),
        )
        previous = kpi.id
    return table


def format_change(headline: Headline, lang: str = "en") -> str:
    change = headline.change
    if change is None:
        return "–"
    locale = LOCALES.get(lang, "en_US")
    unit = REGISTRY[headline.kpi].unit
    if unit == "ratio":
        text = format_decimal(change * 100, format="+#,##0.0;-#,##0.0", locale=locale) + " pp"
    elif unit == "score":
        text = format_decimal(change, format="+#,##0.0;-#,##0.0", locale=locale)
    else:
        text = str(format_percent(change, format="+#,##0.0 %;-#,##0.0 %", locale=locale))
    colour = {True: "green", False: "red", None: "dim"}[headline.better]
    return f"[{colour}]{text}[/]"


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
            ", ".join(format_flag(f, lang) for f in h.flags),
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
    fixed = {"kpi", "value", "unit", "currency", "n", "flags"}
    return [k for k in row if k not in fixed]


def report_csv(report: Report) -> str:
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", *dims, "value", "unit", "currency", "n", "flags", "period_start",
                     "period_end"])
    for row in report.rows:
        value = row["value"]
        writer.writerow([
            row["kpi"], *[row.get(d) if row.get(d) is not None else "" for d in dims],
            "" if value is None else (format(value, "f") if isinstance(value, Decimal) else value),
            row["unit"], row.get("currency") or "", row["n"], ";".join(row["flags"]),
            report.period.start.isoformat(), report.period.end.isoformat(),
        ])
    return out.getvalue()
