"""A figure in words: its value, or why there is none (never a bare dash); its flags, its status
against a target, whether a change is beyond noise; and the names of the dimensions it is grouped by."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..coverage import ClosedAhead, PeriodHint
from ..kpis import REGISTRY
from .catalogue import german_dates
from .numbers import format_pace, format_value, span_text

FLAG_TEXT = {
    "en": {
        "no_data": "no data",
        "no_quota": "no quota",
        "no_hire_dates": "no hire dates",
        "no_activities": "none imported",
        "no_records": "no records in this period",
        "no_rate": "no exchange rate",
        "previous_no_rate": "not compared: the period before has money without an exchange rate",
        "year_ago_no_rate": "not compared with a year before: money without an exchange rate then",
        "earlier_no_rate": "an earlier period has money without an exchange rate",
        "quota_prorated": "quota pro-rated by days",
        "unquoted_revenue": "includes deals won by reps without a quota, or on days outside it",
        "still_ramping": "still ramping",
        "small_sample": "small sample",
        "median_not_reached": "median not reached: under half of the deals won yet",
        "no_comparison_group": "no comparison group: before and after only",
        "seasonality": "the comparison group moved beyond noise too",
        "window_incomplete": "the after window is not over yet",
        "cost_in_other_currency": "cost in another currency than the figures",
        "cost_within_noise": "cost on an effect not shown beyond noise",
        "cost_prorated": "the cost of the participants you see",
        "cost_beyond_wins": "no cost per extra: the effect counts more than the participants won",
        "other_program": "participants in another program then too",
        "bucket_cut": "only the days inside the period",
    },
    "de": {
        "no_data": "keine Daten",
        "no_quota": "keine Quote",
        "no_hire_dates": "keine Einstellungsdaten",
        "no_activities": "keine importiert",
        "no_records": "keine Datensätze im Zeitraum",
        "no_rate": "kein Wechselkurs",
        "previous_no_rate": "kein Vergleich: der Zeitraum davor hat Beträge ohne Wechselkurs",
        "year_ago_no_rate": "kein Vorjahresvergleich: damals Beträge ohne Wechselkurs",
        "earlier_no_rate": "ein früherer Zeitraum hat Beträge ohne Wechselkurs",
        "quota_prorated": "Quote tagesgenau anteilig",
        "unquoted_revenue": "enthält Abschlüsse von Mitarbeitern ohne Quote oder an Tagen außerhalb",
        "still_ramping": "noch in Einarbeitung",
        "small_sample": "kleine Stichprobe",
        "median_not_reached": "Median nicht erreicht: noch nicht die Hälfte der Deals gewonnen",
        "no_comparison_group": "keine Vergleichsgruppe: nur vorher und nachher",
        "seasonality": "auch die Vergleichsgruppe bewegte sich jenseits des Rauschens",
        "window_incomplete": "das Zeitfenster danach ist noch nicht vorbei",
        "cost_in_other_currency": "Kosten in einer anderen Währung als die Zahlen",
        "cost_within_noise": "Kosten auf einem Effekt, der nicht jenseits des Rauschens belegt ist",
        "cost_prorated": "Kosten der Teilnehmer, die Sie sehen",
        "cost_beyond_wins": ("keine Kosten je Zusätzlichem: der Effekt zählt mehr, als die Teilnehmer "
                             "gewannen"),
        "other_program": "Teilnehmer zugleich in einem anderen Programm",
        "bucket_cut": "nur die Tage innerhalb des Zeitraums",
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


# A target beside a figure that cannot be judged against it (no figure, or a median not reached
# short of the target): said, not a dash.
NOT_JUDGED = {"en": "not judged yet", "de": "noch nicht beurteilt"}
# ... and of a period over, which will never be: "not judged yet" of a past week read as pending.
NOT_JUDGED_OVER = {"en": "not judged", "de": "nicht beurteilt"}


# A period over: its target was reached or missed. "On track" of a finished October, pace 912 %, read as
# if the month could still slip (targets.judge: a period over is on_track or off_track only).
OVER_TEXT = {
    "en": {"on_track": "reached", "off_track": "missed"},
    "de": {"on_track": "erreicht", "off_track": "verfehlt"},
}


def format_status(status: str | None, lang: str = "en", *, over: bool = False) -> str:
    """``on_track`` as ``on track`` / ``im Plan``, or ``reached`` / ``erreicht`` once the period is
    ``over``; without a status, that it is not judged (yet, while the period runs)."""
    if status is None:
        return (NOT_JUDGED_OVER if over else NOT_JUDGED)[_words(lang)]
    if over and status in OVER_TEXT[_words(lang)]:
        return OVER_TEXT[_words(lang)][status]
    return STATUS_TEXT[_words(lang)].get(status, status.replace("_", " "))


def format_target_pace(pace: float | None, lang: str = "en") -> str:
    """A target's pace (``115 %``); blank without one, beside a status that says why."""
    return "" if pace is None else format_pace(pace, lang)


def format_significance(significant: bool | None, lang: str = "en") -> str:
    return SIGNIFICANCE_TEXT[_words(lang)][significant]


DIMENSION_TEXT = {
    "en": {"rep": "Rep", "team": "Team", "product": "Product", "source": "Source",
           "activity_type": "Activity type", "pipeline": "Pipeline", "segment": "Segment",
           "industry": "Industry", "region": "Region", "lost_reason": "Lost reason", "day": "Day",
           "week": "Week", "month": "Month", "quarter": "Quarter"},
    "de": {"rep": "Mitarbeiter", "team": "Team", "product": "Produkt", "source": "Quelle",
           "activity_type": "Aktivitätsart", "pipeline": "Pipeline", "segment": "Segment",
           "industry": "Branche", "region": "Region", "lost_reason": "Verlustgrund", "day": "Tag",
           "week": "Woche", "month": "Monat", "quarter": "Quartal"},
}


def dimension_title(dim: str, lang: str = "en") -> str:
    """A grouping dimension as a column header: ``Rep`` / ``Mitarbeiter``."""
    return DIMENSION_TEXT["de" if lang.lower().startswith("de") else "en"].get(dim, dim)


def filters_note(filters: Mapping[str, Sequence[str]] | None, lang: str = "en") -> str:
    """What an answer was narrowed to, for its title: `` (Team east; Rep r1)``, or nothing. A table
    pasted without it read as the company's figure."""
    if not filters:
        return ""
    return " (" + "; ".join(f"{dimension_title(k, lang)} {', '.join(v)}" for k, v in filters.items()) + ")"


def format_figure(kpi: str, value: Any, currency: str | None, lang: str = "en", *,
                  flags: Sequence[str] = (), lower_bound: Any = None) -> str:
    """A KPI's figure where a reader looks for it (a headline, a report row): the value, else what
    can be said without one, never a bare dash: ``over 182 days`` for a median beyond the longest
    time observed, or why there is none (``no deal closed``, ``no quota``)."""
    definition = REGISTRY[kpi]
    # A count of 0 where the records it counts were never imported says so (KPI.needs).
    if missing := definition.missing_input(flags):
        return format_flag(missing, lang)
    if value is not None:
        return format_value(value, definition.unit, currency, lang)
    if lower_bound is not None:
        shown = format_value(lower_bound, definition.unit, currency, lang)
        return f"über {shown}" if lang == "de" else f"over {shown}"
    # Why there is none, said instead of the KPI's own words for an empty figure.
    for why in ("no_rate", "no_records", "no_quota", "no_hire_dates"):
        if why in flags:
            return format_flag(why, lang)
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
    return flag_notes(row["flags"], lang, row.get("days_so_far"))


def flag_notes(flags: Sequence[str], lang: str, days_so_far: int | None = None) -> str:
    # "no data" and "no quota" are what the figure itself says then, in words (format_figure); a
    # bucket the period cuts has its days beside its label ("W40 2026 (Oct 1 - 4)")
    return ", ".join(format_flag(f, lang, days_so_far) for f in flags
                     if f not in ("no_data", "no_quota", "no_hire_dates", "no_activities", "no_records",
                                  "no_rate", "bucket_cut"))


def format_no_rows(period: Any, by: Sequence[str], lang: str = "en") -> str:
    """A grouped report without a single row, said (an empty frame says nothing of why)."""
    groups = ", ".join(dimension_title(d, lang) for d in by)
    if lang == "de":
        return (f"Keine Zeilen: nichts, was diese Kennzahlen zählen, fällt in {span_text(period, lang)} "
                f"(gruppiert nach {groups})")
    return f"No rows: nothing these KPIs count falls in {span_text(period)} (grouped by {groups})"


def format_kpi_no_rows(kpi: str, by: Sequence[str], lang: str = "en") -> str:
    """One KPI of a grouped report that no group has a row of, said where its rows would be (why is
    the KPI's own: no hire dates, nothing in the period, ...: the report without --by says it)."""
    groups = ", ".join(dimension_title(d, lang) for d in by)
    title = REGISTRY[kpi].title.get(lang)
    if lang == "de":
        return f"{title}: keine Zeile nach {groups}; warum, sagt der Bericht ohne --by"
    return f"{title}: no row by {groups.lower()}; the report without --by says why"


def closed_ahead_text(ahead: ClosedAhead, lang: str = "en", *, day: str | None = None) -> str:
    """Deals of a running period closed on a day still to come, said with what to do: ``day`` the
    latest close day as the page writes it."""
    n, won = ahead.deals, ahead.won
    last = day or (german_dates(ahead.last.isoformat()) if lang == "de" else ahead.last.isoformat())
    if lang == "de":
        which = (("gewonnen" if won else "verloren") + f", am {last}" if n == 1
                 else f"{won} davon gewonnen; zuletzt am {last}")
        deals = "1 Deal dieses Zeitraums" if n == 1 else f"{n} Deals dieses Zeitraums"
        verb, counts = ("ist", "er zählt ab seinem") if n == 1 else ("sind", "sie zählen ab ihrem")
        return (f"{deals} mit Abschluss nach heute ({which}) {verb} noch nicht gezählt: ein laufender "
                f"Zeitraum wird bis heute gelesen, und {counts} Tag. Ist ein Abschlussdatum falsch, "
                "korrigieren Sie es im CRM und importieren Sie erneut.")
    which = (("won" if won else "lost") + f", on {last}" if n == 1
             else f"{won} of them won; the latest on {last}")
    deals, verb, counts = (("1 deal of this period", "is", "it counts from its") if n == 1
                           else (f"{n} deals of this period", "are", "they count from their"))
    return (f"{deals} closed after today ({which}) {verb} not counted yet: a running period is read to "
            f"today, and {counts} day on. If a close date is wrong, correct it in the CRM and import again.")


def format_hint(hint: PeriodHint, lang: str = "en") -> str:
    """A period without records, said with where the records are and what to try (the CLI's words;
    the dashboard links the period instead)."""
    span = span_text(hint.period, lang)
    if hint.unseen:
        if lang == "de":
            return (f"Keine Datensätze im Zeitraum {span}, die Sie sehen dürfen: Die Datensätze des "
                    "Arbeitsbereichs gehören zu anderen Mitarbeitern oder Teams (welche einem Konto "
                    "zugeordnet sind, legt `salesmetrics user` fest)")
        return (f"No records in {span} that you may see: those the workspace holds are of other reps or "
                "teams (an account's reps and teams are set with `salesmetrics user`)")
    if hint.first is None or hint.last is None:
        if lang == "de":
            return (f"Keine Datensätze im Zeitraum {span}: der Arbeitsbereich enthält noch keine; "
                    "importieren Sie sie mit `salesmetrics import DATEIEN`")
        return (f"No records in {span}: the workspace holds none yet; import them with "
                "`salesmetrics import FILES`")
    # The days as the span beside them is written (01.11.2026 in German, not 2026-09-01).
    first, last = ((german_dates(d.isoformat()) for d in (hint.first, hint.last)) if lang == "de"
                   else (hint.first.isoformat(), hint.last.isoformat()))
    if not hint.outside:  # a quiet day between records: nothing to try instead
        if lang == "de":
            return (f"Keine neuen Datensätze im Zeitraum {span} (die Datensätze reichen von {first} "
                    f"bis {last})")
        return f"No new records in {span} (records run {first} to {last})"
    if lang == "de":
        return (f"Keine Datensätze im Zeitraum {span}: die Datensätze reichen von {first} bis {last}; "
                f"versuchen Sie --period {hint.suggestion}")
    return f"No records in {span}: records run {first} to {last}: try --period {hint.suggestion}"
