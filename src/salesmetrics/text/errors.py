"""Error messages in the reader's language.

The core raises its errors in English (``str(error)``, what the command line prints) and names what
each says with a key and its values (:func:`salesmetrics.errors.keyed`); the pages and the API word
them here, in English or German. The English here may differ from ``str()`` where the command line's
words do not fit a page: a page has no ``--period`` flag to point to.
"""

from __future__ import annotations

import string
from decimal import Decimal

from ..environment import TAKES
from ..errors import (
    ImportValidationError,
    ProgramError,
    Repeated,
    RepeatedParameterError,
    SalesmetricsError,
    UnknownFile,
    UnknownParameterError,
    UnknownValueError,
    quoted,
    unknown_files,
)
from .catalogue import german_dates, period_name
from .catalogue import text as words
from .problems import problem_text

_PERIOD_FORMS = "2026-10, 2026-Q3, 2026-W47, 2026, 2026-10-01..2026-10-31 (or 01.10.2026..31.10.2026)"
# As the German pages write weeks, and in German throughout.
_PERIOD_FORMS_DE = _PERIOD_FORMS.replace("2026-W47", "2026-KW47").replace("(or ", "(oder ")

_WHOLE_DEALS = ("cannot filter the {question} by {{dims}}: it counts whole deals (filter by {{allowed}})",
                "{question} lässt sich nicht nach {{dims}} filtern: gezählt werden ganze Deals (filtern "
                "nach {{allowed}})")
ERRORS: dict[str, tuple[str, str]] = {
    **{f"whole_deal_filters_{q}": (_WHOLE_DEALS[0].format(question=q), _WHOLE_DEALS[1].format(question=de))
       for q, de in (("forecast", "Die Prognose"), ("slippage", "Die Verschiebung"),
                     ("losses", "Die Verlustanalyse"), ("satisfaction", "Die Zufriedenheitsanalyse"),
                     ("activities", "Die Aktivitätsanalyse"), ("cycle", "Der Verkaufszyklus"),
                     ("funnel", "Der Vertriebstrichter"))},
    "reps_shown_value": ("reps={value!r}: write reps=all for every rep in the leaderboard, or leave it out",
                         "reps={value!r}: reps=all zeigt alle Vertriebsmitarbeiter in der Rangliste; "
                         "sonst weglassen"),
    "attention_shown_value": ("attention={value!r}: write attention=all for every rep who needs "
                              "attention, or leave it out",
                              "attention={value!r}: attention=all zeigt alle Mitarbeiter, die Aufmerksamkeit "
                              "brauchen; sonst weglassen"),
    "period_unreadable": (
        "cannot read period {period!r}; write e.g. " + _PERIOD_FORMS + ", last-30-days, this-month or "
        "last-quarter",
        "Zeitraum {period!r} ist nicht lesbar; schreiben Sie z. B. " + _PERIOD_FORMS_DE + ", "
        "letzte-30-tage, dieser-monat oder letztes-quartal"),
    "period_not_a_date": ("{period!r}: {text!r} is not a date (use YYYY-MM-DD or DD.MM.YYYY)",
                          "{period!r}: {text!r} ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ verwenden)"),
    "period_end_before_start": ("{period!r}: the end date is before the start date",
                                "{period!r}: Das Enddatum liegt vor dem Anfangsdatum"),
    "no_workspace": ("no workspace at {path}; create one with `salesmetrics import` or `demo`",
                     "kein Arbeitsbereich unter {path}; einen mit `salesmetrics import` oder `demo` "
                     "anlegen"),
    "as_of_future": ("as of {as_of}, a day still to come (today is {today}): the records as they will "
                     "stand then are not known; ask as of today or earlier",
                     "Stand {as_of}, ein Tag, der noch kommt (heute ist der {today}): Wie die Datensätze "
                     "dann stehen, ist nicht bekannt; fragen Sie zum Stand heute oder früher"),
    "as_of_to_come": ("as of {as_of}, a day still to come: {period} runs past today ({today}), and its "
                      "figures as they will stand then are not known; ask as of today or earlier",
                      "Stand {as_of}, ein Tag, der noch kommt: {period} reicht über heute ({today}) hinaus, "
                      "und wie die Zahlen dann stehen, ist nicht bekannt; fragen Sie zum Stand heute oder "
                      "früher"),
    "period_no_week": ("{period!r}: {year} has no ISO week {week}",
                       "{period!r}: {year} hat keine Kalenderwoche {week}"),
    "period_no_month": ("{period!r}: there is no month {month}", "{period!r}: Es gibt keinen Monat {month}"),
    "period_days_at_least_one": ("{period!r}: the number of days must be at least 1",
                                 "{period!r}: Die Zahl der Tage muss mindestens 1 sein"),
    "period_after_as_of": (
        "{period} starts after {as_of}, the day the figures are taken as of: nothing in it had happened "
        "yet",
        "{period} beginnt nach dem {as_of}, dem Stichtag der Zahlen: Darin war noch nichts geschehen"),
    "period_beyond_calendar": (
        "{period!r} is outside the days salesmetrics reads: {first} to {last}",
        "{period!r} liegt außerhalb der Tage, die salesmetrics liest: {first} bis {last}"),
    "period_calendar_edge": (
        "the period reaches beyond the calendar near {day}; periods run from {first} to {last}",
        "der Zeitraum reicht nahe {day} über den Kalender hinaus; Zeiträume reichen von {first} bis "
        "{last}"),
    "day_beyond_calendar": (  # {day!s}: the day as it was typed (see _said_in_german)
        "{what} {day!s} is outside the days salesmetrics reads: {first} to {last}",
        "{what} {day!s} liegt außerhalb der Tage, die salesmetrics liest: {first} bis {last}"),
    "day_not_a_date": ("{what} {text!r} is not a date; write YYYY-MM-DD (or DD.MM.YYYY), such as 2026-10-15",
                       "{what} {text!r} ist kein Datum; schreiben Sie TT.MM.JJJJ (oder JJJJ-MM-TT), etwa "
                       "15.10.2026"),
    "day_not_iso": ("{what} {text!r} is not a date; write YYYY-MM-DD, such as 2026-10-15",
                    "{what} {text!r} ist kein Datum; schreiben Sie JJJJ-MM-TT, etwa 2026-10-15"),
    "day_not_in_calendar": ("{what} {text!r} is not a day of the calendar",
                            "{what} {text!r} ist kein Tag des Kalenders"),
    "compare_two_team": ("name at least two teams to compare",
                         "nennen Sie mindestens zwei Teams zum Vergleich"),
    "compare_two_rep": ("name at least two reps to compare",
                        "nennen Sie mindestens zwei Mitarbeiter zum Vergleich"),
    "compare_not_both": ("compare teams or reps, not both at once",
                         "vergleichen Sie Teams oder Mitarbeiter, nicht beides zugleich"),
    "stage_probability": ("probability {item!r}: write STAGE=P with P from 0 to 1",
                          "Wahrscheinlichkeit {item!r}: schreiben Sie PHASE=P mit P von 0 bis 1"),
    "unknown_kpi": ("unknown KPI {kpi!r}; see /api/v1/kpis",
                    "unbekannte Kennzahl {kpi!r}; siehe /api/v1/kpis"),
    # The command line says "(--period 2026-Q4)"; a page has a period field instead.
    "target_needs_period": ("{kpi} adds up over a period: give the target a period (e.g. 2026-Q4)",
                            "{kpi} summiert sich über einen Zeitraum: Geben Sie dem Ziel einen "
                            "Zeitraum (z. B. 2026-Q4)"),
    "kpi_unknown": ("unknown KPI {kpi!r}; known KPIs: {known}",
                    "unbekannte Kennzahl {kpi!r}; bekannte Kennzahlen: {known}"),
    "kpi_unknown_close": ("unknown KPI {kpi!r} (did you mean {meant!r}?); known KPIs: {known}",
                          "unbekannte Kennzahl {kpi!r} (meinten Sie {meant!r}?); bekannte Kennzahlen: "
                          "{known}"),
    "forecast_by": ("the forecast is by rep or team, not {by!r}",
                    "die Prognose gibt es nach Mitarbeiter oder Team, nicht nach {by!r}"),
    "probability_outcome": (
        "{stage!r} is an outcome, not an open stage: a probability weighs the deals open in a stage "
        "({stages})",
        "{stage!r} ist ein Ausgang, keine offene Phase: eine Wahrscheinlichkeit gewichtet die in einer "
        "Phase offenen Deals ({stages})"),
    "funnel_by": ("the funnel is by rep, team, pipeline, not {by!r}",
                  "den Trichter gibt es nach Mitarbeiter, Team oder Pipeline, nicht nach {by!r}"),
    "losses_by": ("losses are by rep, team, segment, not {by!r}",
                  "Verluste gibt es nach Mitarbeiter, Team oder Segment, nicht nach {by!r}"),
    "activities_by": ("activity effectiveness is by rep or team, not {by!r}",
                      "die Wirkung der Aktivitäten gibt es nach Mitarbeiter oder Team, nicht nach {by!r}"),
    "trend_days": ("a trend by day covers at most {most} days, and {period} has {days}: choose week or month",
                   "ein Verlauf nach Tagen umfasst höchstens {most} Tage, {period} hat {days}: Woche oder "
                   "Monat wählen"),
    "group_unknown": ("cannot group by {item!r}; dimensions are: {dimensions}",
                      "Gruppieren nach {item!r} geht nicht; Dimensionen sind: {dimensions}"),
    "several_currencies": ("the records come in several currencies ({currencies}); choose the one to "
                           "report in with `salesmetrics config set base_currency {likely}` and import "
                           "fx_rates for the others",
                           "Die Datensätze sind in mehreren Währungen ({currencies}); die Währung der "
                           "Berichte wählen mit `salesmetrics config set base_currency {likely}` und "
                           "fx_rates für die anderen importieren"),
    "target_not_a_number": ("target {value!r} is not a number", "Ziel {value!r} ist keine Zahl"),
    "target_exponent": ("target {value!r} is written with an exponent: write it in digits (1000000, 1.5, "
                        "30%)", "Ziel {value!r} ist mit Exponent geschrieben: bitte in Ziffern (1000000, "
                        "1,5, 30%)"),
    "target_ambiguous": ("target {value!r} could be {thousands} or {decimal}: write it without "
                         "thousands separators",
                         "Ziel {value!r} kann {thousands} oder {decimal_de} sein: ohne "
                         "Tausendertrennzeichen schreiben"),
    "target_ratio": ("{kpi} is a ratio: write 0.3 or 30% for 30 %, not {value}",
                     "{kpi} ist eine Quote: 0,3 oder 30 % für 30 % schreiben, nicht {value}"),
    "target_score": ("{kpi} runs from -100 to 100, not {value}",
                     "{kpi} reicht von -100 bis 100, nicht {value}"),
    "target_negative": ("a target for {kpi} cannot be negative",
                        "Ein Ziel für {kpi} kann nicht negativ sein"),
    "target_too_large": ("target {value} is too large: at most 999,999,999,999.99",
                         "Ziel {value} ist zu groß: höchstens 999.999.999.999,99"),
    "target_cents": ("a target of money is in cents: {value} has more than two decimals",
                     "Ein Ziel in Geld wird in Cent angegeben: {value} hat mehr als zwei Nachkommastellen"),
    "too_many_buckets": ("grouped by {grain}, {first} to {last} is about {count:,} rows a KPI, and a report "
                         "holds at most {most:,}: choose a coarser grain (week, month, quarter) or a shorter "
                         "period",
                         "nach {grain} gruppiert, ergibt {first} bis {last} etwa {count:,} Zeilen je "
                         "KPI, und ein Bericht hält höchstens {most:,}: ein gröberes Raster (Woche, Monat, "
                         "Quartal) oder einen kürzeren Zeitraum wählen"),
    "empty_filter_value": ("{dim}=: an empty value names nothing; leave {dim} out for all of them, or "
                           "name one",
                           "{dim}=: ein leerer Wert nennt nichts; {dim} für alle weglassen oder einen Wert "
                           "nennen"),
    "target_both": ("a target is for a team or for a rep, not both",
                    "Ein Ziel gilt für ein Team oder einen Mitarbeiter, nicht für beide"),
    "target_empty_scope": ("an empty {what} names no one: name one, or leave it out for the company's target",
                           "Ein leeres Feld {what} nennt niemanden: einen Wert angeben oder es für das "
                           "Unternehmensziel weglassen"),
    "target_over_all": ("{kpi} cannot be above 100 %, not {value}",
                        "{kpi} kann nicht über 100 % liegen, nicht {value}"),
    "target_per_product": ("{kpi} is per product; targets are for the company, a team or a rep",
                           "{kpi} gilt je Produkt; Ziele gelten für das Unternehmen, ein Team oder "
                           "einen Mitarbeiter"),
    "target_per_lost_reason": ("{kpi} is counted per loss reason, never as one figure a target could be "
                               "set against; set one on win_rate instead",
                               "{kpi} wird je Verlustgrund gezählt, nie als eine Zahl, an der sich ein "
                               "Ziel messen ließe; setzen Sie stattdessen eines für win_rate"),
    # The command line says "(--rep ID)"; a page has a rep field instead.
    "target_per_rep": ("{kpi} is measured per rep, so a {scope} target for it would meet no figure: set it "
                       "per rep, or set total_revenue for the {scope}",
                       "{kpi} wird je Mitarbeiter gemessen; ein Ziel für das Unternehmen oder ein Team "
                       "träfe nie auf eine Zahl: Setzen Sie es je Mitarbeiter oder setzen Sie "
                       "total_revenue"),
    "target_scope": ("{kpi} cannot be measured per {scope}, so it cannot have a {scope} target",
                     "{kpi} lässt sich nicht je {scope} messen und kann daher kein Ziel für {scope} "
                     "haben"),
    "not_found": ("Not found: {path}", "Nicht gefunden: {path}"),
    "method_not_allowed": ("{method} is not allowed here", "{method} ist hier nicht erlaubt"),
    "internal": ("internal error; the server log has the details",
                 "interner Fehler; Einzelheiten stehen im Protokoll des Servers"),
    # The workspace's own errors name its path and the PID holding it: those go to the server's log.
    # Who is asking, not what: the web's 401, 403 and 503 before any question is read.
    "sign_in_first": ("sign in first: send Authorization: Bearer TOKEN (salesmetrics token create EMAIL)",
                      "Bitte zuerst anmelden: Authorization: Bearer TOKEN mitsenden (salesmetrics token "
                      "create EMAIL)"),
    "admin_only": ("only an admin may do this", "Das darf nur ein Admin"),
    "form_stale": ("the form's security token is missing or out of date: reload the page and try again",
                   "Das Sicherheitstoken des Formulars fehlt oder ist abgelaufen: Seite neu laden und "
                   "erneut versuchen"),
    "cross_site": ("cross-site form posts are refused",
                   "Formulare, die von einer anderen Website abgeschickt werden, werden abgelehnt"),
    "no_users": ("this server was started for people who sign in, and the workspace has no users any "
                 "more: add one (salesmetrics user add EMAIL --role admin), or restart it with --no-login "
                 "to serve it without sign-in",
                 "Dieser Server wurde für Nutzer mit Anmeldung gestartet, und der Arbeitsbereich hat "
                 "keine Nutzer mehr: einen anlegen (salesmetrics user add EMAIL --role admin) oder den "
                 "Server mit --no-login neu starten, um ihn ohne Anmeldung zu betreiben"),
    # Not always an import: a Python session or a command holding the file for writing (a tester).
    "workspace_busy": ("the workspace is busy: an import, or another program, is writing it; try again in "
                       "a few seconds",
                       "Der Arbeitsbereich ist belegt: Ein Import oder ein anderes Programm schreibt ihn; "
                       "bitte in einigen Sekunden erneut versuchen"),
    "workspace_unavailable": ("the workspace cannot be opened just now; the server's log says why",
                              "Der Arbeitsbereich lässt sich gerade nicht öffnen; das Protokoll des "
                              "Servers nennt den Grund"),
    "no_rate": ("{n} {what} in {currency} (and maybe others) have no exchange rate to {base} on or "
                "before {day}; import fx_rates (date, currency, rate_to_base) covering them. Amounts "
                "in different currencies are never added as they are.",
                "{n} {what} in {currency} (und vielleicht weitere) haben keinen Wechselkurs zu {base} "
                "am oder vor dem {day}; importieren Sie fx_rates (date, currency, rate_to_base), die "
                "sie abdecken. Beträge in verschiedenen Währungen werden nie unverändert addiert."),
    "deal_no_rate": ("deal {deal} is in {currency}, with no exchange rate to the base currency on or "
                     "before the day its amount is measured (the day it closed, or the day of the "
                     "view); import fx_rates (date, currency, rate_to_base) covering it. Amounts in "
                     "different currencies are never added as they are.",
                     "Deal {deal} ist in {currency}, ohne Wechselkurs zur Basiswährung am oder vor "
                     "dem Tag, an dem sein Betrag gemessen wird (dem Abschlusstag oder dem Tag der "
                     "Ansicht); importieren Sie fx_rates (date, currency, rate_to_base), die ihn "
                     "abdecken. Beträge in verschiedenen Währungen werden nie unverändert addiert."),
    # A figure that stands, compared with nothing: the period before has money without a rate.
    "previous_refused": ("not compared with the period before ({period}): {reason}",
                         "kein Vergleich mit dem Zeitraum davor ({period}): {reason}"),
    "year_ago_refused": ("not compared with a year before ({period}): {reason}",
                         "kein Vorjahresvergleich ({period}): {reason}"),
    # Answered by rep or team, but for some of them (no figure in their rows).
    "groups_refused": ("no figure for {groups}: {reason}", "keine Zahl für {groups}: {reason}"),
    "no_line_items": ("no deal has line items (deal_items), so no figure can be grouped or filtered by "
                      "product: import deal_items.csv (deal_id, product_id, quantity, unit_price), or "
                      "map an export to it (docs/mapping.md)",
                      "Kein Deal hat Positionen (deal_items), daher lässt sich keine Kennzahl nach "
                      "Produkt gruppieren oder filtern: deal_items.csv (deal_id, product_id, quantity, "
                      "unit_price) importieren oder einen Export darauf abbilden (docs/mapping.md)"),
    "environment_value": ("${name}={raw!r} is not {takes}; set it so, or unset it for the default "
                          "({default})",
                          "${name}={raw!r} ist {takes}; so setzen oder für den Standardwert "
                          "({default}) entfernen"),
    "import_refused": ("Import refused, nothing was written: {n} problem(s) found.",
                       "Import abgelehnt, nichts wurde geschrieben: {n} Problem(e) gefunden."),
}


# What holds money without a rate (errors.UNRATED), by its key.
_UNRATED = {"deals": ("deal(s)", "Deal(s)"), "open_deals": ("open deal(s)", "offene(r) Deal(s)"),
            "quotas": ("quota(s)", "Quote(n)")}


# What an environment variable takes (environment.TAKES), by its key: said as what it is not.
_TAKES_DE = {
    "seconds": "keine Zahl von Sekunden wie 30",
    "seconds_1": "keine Zahl von Sekunden ab 1 wie 60",
    "megabytes": "keine Zahl von Megabytes über 0 wie 100",
    "count": "keine ganze Zahl ab 1 wie 4",
    "memory": "keine Speichergröße ab 64MB wie 2GB, 512MiB oder 50%",
}


# Values a German sentence says its way: a period's label and days, which the core passes in ISO
# ("(2026-03-01..2026-03-31)" inside German words). Never a value echoed as it was typed, which a
# template marks by a conversion ({period!r}, {day!s}).
_DAYS_SAID = frozenset({"as_of", "today", "day", "first", "last"})


_GRAINS_DE = {"day": "Tag", "week": "Woche", "month": "Monat", "quarter": "Quartal"}


class _GermanFormatter(string.Formatter):
    """``{n:,}`` with German thousands (1.500), so the core passes numbers, not their German text."""

    def format_field(self, value: object, format_spec: str) -> str:
        said = str(super().format_field(value, format_spec))
        if "," in format_spec and isinstance(value, int | float | Decimal):
            return said.translate(str.maketrans(",.", ".,"))
        return said


_GERMAN = _GermanFormatter()


def _said_in_german(words: str, values: dict[str, object]) -> dict[str, object]:
    out = dict(values)
    for key, value in values.items():
        if not isinstance(value, str) or "{" + key + "}" not in words:
            continue
        if key == "grain":
            out[key] = _GRAINS_DE.get(value, value)
        elif key == "period":
            out[key] = period_name(value, "de", sentence=not words.startswith("{period}"))
        elif key in _DAYS_SAID:
            out[key] = german_dates(value)
    return out


def say(key: str, lang: str = "en", **values: object) -> str:
    german = lang.lower().startswith("de")
    words = ERRORS[key][1 if german else 0]
    if german:
        values = _said_in_german(words, values)
    if key == "no_rate":
        values = {**values, "what": _UNRATED[str(values["what"])][1 if german else 0]}
    if key == "environment_value":
        takes = str(values["takes"])
        values = {**values, "takes": _TAKES_DE[takes] if german else TAKES[takes]}
    return _GERMAN.format(words, **values) if german else words.format(**values)


def error_text(error: Exception, lang: str = "en") -> str:
    """The error's message for a reader of ``lang``: worded here when the core named it (a key), the
    core's own two languages for an unknown value, else its English message."""
    # These word themselves, in both languages.
    if isinstance(error, UnknownValueError | ProgramError | UnknownParameterError | RepeatedParameterError):
        return error.text(lang)
    if isinstance(error, ImportValidationError):
        return say("import_refused", lang, n=error.total)
    if isinstance(error, SalesmetricsError) and error.key in ERRORS:
        return say(error.key, lang, **error.values)
    return str(error)


_UNKNOWN_FILES_DE = {
    "head": "{n} Datei(en) nicht erkannt: eine Standarddatei heißt wie ihre Tabelle (deals.csv, "
            "reps.csv, ...) und hat deren Spalten:",
    "then": "Für jede ein Mapping vorschlagen lassen, prüfen, dann die Datei damit importieren:",
    "crm": "Den Export eines CRM importiert --from (close, hubspot, salesforce, pipedrive), wie er "
           "auch heißt.",
}


def _repeated_values(bad: Repeated, lang: str) -> str:
    """The values of a problem said once for many lines, in the words the upload page uses too."""
    if not bad.values:
        return ""
    if bad.distinct == 1:
        return f" ({words('value', lang)} {quoted(bad.values[0], words('characters', lang))})"
    shown = bad.values_text(words("values_more", lang), words("characters", lang))
    return "; " + words("repeated_values", lang, n=bad.distinct, values=shown)


def refusal(error: ImportValidationError, lang: str, workspace: str = "") -> str:
    """A refused import as the command line says it, in ``lang``: what
    :meth:`ImportValidationError.text` says in English, every problem in German where the import's
    phrasing has its German (:func:`problem_text`)."""
    if not lang.lower().startswith("de"):
        return error.text(workspace)
    lines = [say("import_refused", lang, n=error.total)]
    unknown = [p for p in error.problems if isinstance(p, UnknownFile)]
    lines += unknown_files(unknown, workspace, _UNKNOWN_FILES_DE, lambda reason: problem_text(reason, lang))
    listed, unsaid = error.lines_apart()
    for bad in listed:
        if isinstance(bad, UnknownFile):
            continue
        if isinstance(bad, Repeated):
            column = "" if bad.column is None else f", Spalte {bad.column!r}"
            where = words("repeated_where", lang, n=bad.lines, first=bad.first_line)
            lines.append(f"  {bad.file}{column}, {where}: {problem_text(bad.message, lang)}"
                         f"{_repeated_values(bad, lang)}")
            continue
        where = bad.file + ("" if bad.line is None else f", Zeile {bad.line}")
        where += "" if bad.column is None else f", Spalte {bad.column!r}"
        shown = "" if bad.value is None else f" (Wert {quoted(bad.value, 'Zeichen')})"
        lines.append(f"  {where}: {problem_text(bad.message, lang)}{shown}")
    if unsaid:
        lines.append(f"  ... und {unsaid} weitere")
    return "\n".join(lines)


__all__ = ["ERRORS", "error_text", "problem_text", "refusal", "say"]


# A request's parameter the API's types refuse (pydantic's error types), in German; English keeps
# pydantic's own words. `?window=abc&lang=de` was answered "Input should be a valid integer".
_INVALID_DE: dict[str, str] = {
    "int_parsing": "eine ganze Zahl ist erwartet",
    "int_from_float": "eine ganze Zahl ist erwartet",
    "float_parsing": "eine Zahl ist erwartet",
    "bool_parsing": "true oder false ist erwartet",
    "date_parsing": "ein Datum JJJJ-MM-TT ist erwartet",
    "date_from_datetime_parsing": "ein Datum JJJJ-MM-TT ist erwartet",
    "missing": "fehlt",
    "extra_forbidden": "kein Feld dieser Anfrage",
    "greater_than_equal": "muss mindestens {ge} sein",
    "greater_than": "muss größer als {gt} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "less_than": "muss kleiner als {lt} sein",
    "string_too_long": "ist zu lang (höchstens {max_length} Zeichen)",
    "literal_error": "muss eines von {expected} sein",
    "enum": "muss eines von {expected} sein",
}
HTTP_DE = {404: "Nicht gefunden", 405: "Methode nicht erlaubt"}


def invalid_text(kind: str, message: str, context: dict[str, object] | None, lang: str = "en") -> str:
    """What is wrong with one parameter of a request, in ``lang``: pydantic's ``message`` in
    English, ours by its error type ``kind`` in German (its ``message`` where we have none)."""
    if not lang.lower().startswith("de") or kind not in _INVALID_DE:
        return message
    try:
        return _INVALID_DE[kind].format(**(context or {}))
    except (KeyError, IndexError):
        return message
