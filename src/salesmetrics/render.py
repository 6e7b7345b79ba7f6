"""Turning report rows into text for people: numbers formatted by locale, tables, CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)
from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table

from .kpis import REGISTRY
from .periods import Period
from .report import ROW_FIELDS, Report
from .summary import Headline, Summary

if TYPE_CHECKING:
    from .coverage import PeriodHint

LOCALES = {"en": "en_US", "de": "de_DE"}

FLAG_TEXT = {
    "en": {
        "no_data": "no data",
        "no_quota": "no quota",
        "quota_prorated": "quota pro-rated by days",
        "still_ramping": "still ramping",
        "small_sample": "small sample",
        "median_not_reached": "median not reached: under half of the deals won yet",
    },
    "de": {
        "no_data": "keine Daten",
        "no_quota": "keine Quote",
        "quota_prorated": "Quote tagesgenau anteilig",
        "still_ramping": "noch in Einarbeitung",
        "small_sample": "kleine Stichprobe",
        "median_not_reached": "Median nicht erreicht: noch nicht die Hälfte der Deals gewonnen",
    },
}


# A figure against its target (targets.py), and a change against the period before (trust.py), in words.
STATUS_TEXT = {
    "en": {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"},
    "de": {"on_track": "im Plan", "at_risk": "gefährdet", "off_track": "nicht im Plan"},
}
SIGNIFICANCE_TEXT: dict[str, dict[bool | None, str]] = {
    "en": {True: "significant", False: "within noise", None: "not tested"},
    "de": {True: "signifikant", False: "im Rauschen", None: "nicht getestet"},
}


def _words(lang: str) -> str:
    return "de" if lang.lower().startswith("de") else "en"


def format_status(status: str | None, lang: str = "en") -> str:
    """``on_track`` as ``on track`` / ``im Plan``; a dash without a status."""
    return "–" if status is None else STATUS_TEXT[_words(lang)].get(status, status.replace("_", " "))


def format_significance(significant: bool | None, lang: str = "en") -> str:
    return SIGNIFICANCE_TEXT[_words(lang)][significant]


def format_pace(pace: float | None, lang: str = "en") -> str:
    """A pace (1.0: exactly on target) as a whole percent: ``120 %``."""
    if pace is None:
        return "–"
    return str(format_percent(pace, format="#,##0 %", locale=LOCALES.get(lang, "en_US")))


DIMENSION_TEXT = {
    "en": {"rep": "Rep", "team": "Team", "product": "Product", "source": "Source",
           "activity_type": "Activity type", "pipeline": "Pipeline", "week": "Week", "month": "Month",
           "quarter": "Quarter"},
    "de": {"rep": "Mitarbeiter", "team": "Team", "product": "Produkt", "source": "Quelle",
           "activity_type": "Aktivitätsart", "pipeline": "Pipeline", "week": "Woche", "month": "Monat",
           "quarter": "Quartal"},
}


def dimension_title(dim: str, lang: str = "en") -> str:
    """A grouping dimension as a column header: ``Rep`` / ``Mitarbeiter``."""
    return DIMENSION_TEXT["de" if lang.lower().startswith("de") else "en"].get(dim, dim)


def fit(table: Table, width: int | None, drop: Sequence[str] = (), lang: str = "en") -> Table:
    """The table at most ``width`` columns wide without cutting a figure or a word.

    Columns that must not wrap (``no_wrap``: money, numbers, intervals) keep their widest cell; the
    others wrap, each keeping its longest word whole. While even that is too wide, the columns whose
    headers ``drop`` names go, in that order (the least needed first), and the caption says which.
    Rich's own narrowing does neither (it shrinks the widest columns and cuts words with "…"), so the
    text columns get their widths here. ``width`` None: as it is (no terminal to fit)."""
    if width is None:
        return table
    console = Console(width=width, file=io.StringIO())  # measures only; prints nothing
    options = console.options.update_width(10_000)  # a cell's natural width, not one cut to fit

    def measure(column: Column) -> tuple[int, int]:
        sizes = [Measurement.get(console, options, cell) for cell in (column.header, *column.cells)]
        return max(m.minimum for m in sizes), max(m.maximum for m in sizes)

    def frame() -> int:  # borders and cell padding: all but the cells' own text
        edges = (2 if table.box and table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
        return edges + len(table.columns) * (table.padding[1] + table.padding[3])

    def narrowest() -> int:
        return frame() + sum(measure(c)[1] if c.no_wrap else measure(c)[0] for c in table.columns)

    order = [c.header for c in table.columns]
    dropped: list[str] = []
    for header in drop:
        if narrowest() <= width:
            break
        found = next((c for c in table.columns if c.header == header), None)
        if found is None:
            continue
        table.columns.remove(found)
        for index, kept in enumerate(table.columns):
            kept._index = index  # Rich pads the first and last column by their index
        dropped.append(header)
    sizes = {id(c): measure(c) for c in table.columns}
    for column in table.columns:
        if column.no_wrap:
            column.min_width = sizes[id(column)][1]
    wrapping = [c for c in table.columns if not c.no_wrap]
    room = width - frame() - sum(sizes[id(c)][1] for c in table.columns if c.no_wrap)
    if sum(sizes[id(c)][1] for c in wrapping) > room >= sum(sizes[id(c)][0] for c in wrapping):
        # Water-filling: every text column gets its longest word, then the room left goes a
        # character at a time to the columns that still want more.
        given = {id(c): sizes[id(c)][0] for c in wrapping}
        left = room - sum(given.values())
        while left > 0:
            wanting = [c for c in wrapping if given[id(c)] < sizes[id(c)][1]]
            if not wanting:
                break
            for column in wanting[:left]:
                given[id(column)] += 1
            left -= min(left, len(wanting))
        for column in wrapping:
            column.width = given[id(column)]
    if dropped:
        shown = ", ".join(sorted(dropped, key=order.index))  # as the columns stood
        table.caption = (f"bei {width} Spalten nicht gezeigt: {shown} (ein breiteres Terminal zeigt sie)"
                         if lang.lower().startswith("de") else
                         f"not shown at {width} columns: {shown} (a wider terminal shows "
                         f"{'it' if len(dropped) == 1 else 'them'})")
        table.caption_justify = "left"
    return table


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


def format_figure(kpi: str, value: Any, currency: str | None, lang: str = "en", *,
                  flags: Sequence[str] = (), lower_bound: Any = None) -> str:
    """A KPI's figure where a reader looks for it (a headline, a report row): the value, else what
    can be said without one, never a bare dash: ``over 182 days`` for a median beyond the longest
    time observed, or why there is none (``no deal closed``, ``no quota``)."""
    definition = REGISTRY[kpi]
    if value is not None:
        return format_value(value, definition.unit, currency, lang)
    if lower_bound is not None:
        shown = format_value(lower_bound, definition.unit, currency, lang)
        return f"über {shown}" if lang == "de" else f"over {shown}"
    if "no_quota" in flags:
        return format_flag("no_quota", lang)
    return definition.empty.get(lang) if definition.empty else format_flag("no_data", lang)


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
    return _notes(row["flags"], lang, row.get("days_so_far"))


def report_table(report: Report, lang: str = "en", width: int | None = None) -> Table:
    """The report's rows as a table at most ``width`` wide: figures whole, titles and notes wrapped,
    and, where it is still too wide, the interval and then n left out (the caption says so)."""
    de = lang == "de"
    title = f"{'Kennzahlen' if de else 'KPIs'} {_span(report.measured)}"
    if report.previous is not None:
        title += f", {'gegenüber' if de else 'against'} {_span(report.previous)}"
    table = Table(title=title, title_justify="left")
    table.add_column("KPI")
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    for dim in dims:
        table.add_column(dimension_title(dim, lang))
    table.add_column("Wert" if de else "Value", justify="right", no_wrap=True)
    intervals = any(row.get("ci_low") is not None for row in report.rows)
    if intervals:
        table.add_column("95 %", justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    compared = report.previous is not None
    if compared:
        table.add_column("Vorher" if de else "Before", justify="right", no_wrap=True)
        table.add_column("Änderung" if de else "Change", justify="right", no_wrap=True)
        # "significant" / "signifikant" is one word: room for it, or it is cut to "signi…".
        table.add_column("Test", min_width=11)
    targeted = any(row.get("target") is not None for row in report.rows)
    if targeted:
        table.add_column("Ziel" if de else "Target", justify="right", no_wrap=True)
        table.add_column("Status")
        table.add_column("Tempo" if de else "Pace", justify="right", no_wrap=True)
    table.add_column("Hinweise" if de else "Notes")
    previous = None
    for row in report.rows:
        kpi = REGISTRY[row["kpi"]]
        if previous is not None and previous != kpi.id:
            table.add_section()
        table.add_row(
            kpi.title.get(lang) if previous != kpi.id else "",
            *["" if row.get(d) is None else str(row[d]) for d in dims],
            format_figure(row["kpi"], row["value"], row.get("currency"), lang, flags=row["flags"],
                          lower_bound=row.get("lower_bound")),
            *([format_ci(row, lang)] if intervals else []),
            str(row["n"]),
            *(_compared_cells(row, lang) if compared else []),
            *(_target_cells(row, lang) if targeted else []),
            row_notes(row, lang),
        )
        previous = kpi.id
    # The least needed first: the interval and sample size, then what a comparison or target adds.
    return fit(table, width, ["95 %", "n", "Test", "Vorher" if de else "Before",
                              "Tempo" if de else "Pace"], lang)


def _notes(flags: Sequence[str], lang: str, days_so_far: int | None = None) -> str:
    # "no data" and "no quota" are what the figure itself says then, in words (format_figure)
    return ", ".join(format_flag(f, lang, days_so_far) for f in flags if f not in ("no_data", "no_quota"))


def _compared_cells(row: dict[str, Any], lang: str) -> list[str]:
    """Before, change (points for rates and NPS, percent otherwise) and whether it is beyond noise."""
    unit, currency = row["unit"], row.get("currency")
    tested = "–" if row.get("change") is None else format_significance(row.get("significant"), lang)
    return [format_value(row.get("previous"), unit, currency, lang),
            format_delta(row.get("change"), unit, lang), tested]


def _target_cells(row: dict[str, Any], lang: str) -> list[str]:
    if row.get("target") is None:
        return ["", "", ""]
    return [format_value(row["target"], row["unit"], row.get("currency"), lang),
            format_status(row.get("target_status"), lang), format_pace(row.get("pace"), lang)]


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


def format_hint(hint: PeriodHint, lang: str = "en") -> str:
    """A period without records, said with where the records are and what to try (the CLI's words;
    the dashboard links the period instead)."""
    span = _span(hint.period)
    if hint.first is None or hint.last is None:
        if lang == "de":
            return (f"Keine Datensätze im Zeitraum {span}: der Arbeitsbereich enthält noch keine; "
                    "importieren Sie sie mit `salesmetrics import DATEIEN`")
        return (f"No records in {span}: the workspace holds none yet; import them with "
                "`salesmetrics import FILES`")
    first, last = hint.first.isoformat(), hint.last.isoformat()
    if lang == "de":
        return (f"Keine Datensätze im Zeitraum {span}: die Datensätze reichen von {first} bis {last}; "
                f"versuchen Sie --period {hint.suggestion}")
    return f"No records in {span}: records run {first} to {last}: try --period {hint.suggestion}"


def _span(p: Period) -> str:
    return f"{p.start.isoformat()} – {p.last_day.isoformat()}"


def summary_tables(summary: Summary, lang: str = "en", width: int | None = None) -> list[Table]:
    de = lang == "de"
    p, b = summary.measured, summary.previous_period
    head = Table(
        title=f"{_span(p)}, {'gegenüber' if de else 'against'} {_span(b)}", title_justify="left"
    )
    head.add_column("KPI")
    head.add_column("Wert" if de else "Value", justify="right", no_wrap=True)
    head.add_column("Vorher" if de else "Before", justify="right", no_wrap=True)
    head.add_column("Änderung" if de else "Change", justify="right", no_wrap=True)
    head.add_column("n", justify="right", no_wrap=True)
    head.add_column("Hinweise" if de else "Notes")
    for h in summary.headlines:
        unit = REGISTRY[h.kpi].unit
        head.add_row(
            REGISTRY[h.kpi].title.get(lang),
            format_figure(h.kpi, h.value, summary.currency, lang, flags=h.flags, lower_bound=h.lower_bound),
            format_value(h.previous, unit, summary.currency, lang),
            format_change(h, lang),
            str(h.n),
            _notes(h.flags, lang, h.days_so_far),
        )
    tables = [fit(head, width, ["n", "Vorher" if de else "Before"], lang)]
    for title, rows, dim in (
        ("Top-Vertriebsmitarbeiter" if de else "Top reps", summary.top_reps, "rep"),
        ("Umsatz pro Produkt" if de else "Revenue per product", summary.products, "product"),
    ):
        names = summary.rep_names if dim == "rep" else summary.product_names
        t = Table(title=title, title_justify="left")
        t.add_column(dimension_title(dim, lang))
        t.add_column("Umsatz" if de else "Revenue", justify="right", no_wrap=True)
        t.add_column("Deals", justify="right", no_wrap=True)
        for r in rows:
            label = names.get(r[dim]) or str(r[dim])
            t.add_row(label, format_value(r["value"], "money", r.get("currency"), lang), str(r["n"]))
        tables.append(fit(t, width, (), lang))
    return tables


def _dims(row: dict[str, Any]) -> list[str]:
    return [k for k in row if k not in ROW_FIELDS]


# CSV columns after the interval, as in the JSON rows: with a comparison, and where a row has a target.
COMPARE_COLUMNS = ("previous", "change", "p_value", "significant")
TARGET_COLUMNS = ("target", "target_status", "pace")


def report_csv(report: Report) -> str:
    """The rows as CSV for machines: the JSON's names and plain numbers (rates as fractions, money
    as exact decimals, ``true``/``false``), one column per field."""
    dims = list(dict.fromkeys(d for row in report.rows for d in _dims(row)))
    extra = ((COMPARE_COLUMNS if report.previous is not None else ())
             + (TARGET_COLUMNS if any(row.get("target") is not None for row in report.rows) else ())
             + tuple(k for k in ("days_so_far",) if any(k in row for row in report.rows)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", *dims, "value", "unit", "currency", "n", "flags", "period_start",
                     "period_end", "ci_low", "ci_high", *extra])
    for row in report.rows:
        writer.writerow([
            row["kpi"], *[row.get(d) if row.get(d) is not None else "" for d in dims],
            _csv_cell(row["value"]),
            row["unit"], row.get("currency") or "", row["n"], ";".join(row["flags"]),
            report.period.start.isoformat(), report.period.end.isoformat(),
            *(_csv_cell(row.get(k)) for k in ("ci_low", "ci_high", *extra)),
        ])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
