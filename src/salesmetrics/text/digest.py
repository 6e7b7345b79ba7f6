"""The digest's words, in English and German: its sections, a target and a change in a sentence, the
subject line, and what an alert says. Figures are written by :mod:`.numbers` and :mod:`.figures`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..kpis import REGISTRY
from ..periods import Period
from ..trust import moved
from . import is_german
from .catalogue import text
from .figures import format_figure, format_significance, format_status
from .numbers import (
    format_day,
    format_delta,
    format_p_value,
    format_pace,
    format_period,
    format_value,
)

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Sales digest", "Vertriebsbericht"),
    "as_of": ("as of {day}", "Stand {day}"),
    "compared": ("compared with {previous}", "verglichen mit {previous}"),
    "filters": ("Filters: {filters}", "Filter: {filters}"),
    "scope": ("Only what {who} may see: {scope}", "Nur, was {who} sehen darf: {scope}"),
    "scope_seen_by": ("what {who} may see", "was {who} sehen darf"),
    "headlines": ("Key figures", "Kennzahlen"),
    "kpi": ("KPI", "Kennzahl"),
    "value": ("Now", "Jetzt"),
    "previous": ("Before", "Davor"),
    "change": ("Change", "Änderung"),
    "noise": ("Beyond noise?", "Über dem Rauschen?"),
    "targets": ("Targets", "Ziele"),
    "target": ("Target", "Ziel"),
    "status": ("Status", "Status"),
    "pace": ("Pace", "Tempo"),
    "no_targets": ("No target applies to this digest. Set one with `salesmetrics target set`.",
                   "Für diesen Bericht gilt kein Ziel. Ziele setzt `salesmetrics target set`."),
    # Of one who sees part of the workspace (a schedule's owner, --as-user): they cannot set one.
    "no_targets_of_yours": ("No target you may see applies to this digest.",
                            "Für diesen Bericht gilt kein Ziel, das Sie sehen dürfen."),
    # Named for its rule, the scorecard's diagnosis: the dashboard's "Needs attention" is another
    # (targets missed, drops beyond noise), and two lists of one name read as a contradiction.
    "attention": ("Reps to coach: more activity, or training in closing",
                  "Mitarbeiter zum Coachen: mehr Aktivität oder Schulung im Abschluss"),
    "attention_window": ("Judged as their scorecard judges them, against their team, over {period} "
                         "(a verdict needs {min} closed deals).",
                         "Beurteilt wie auf ihrer Scorecard, gegen ihr Team, über {period} (ein Urteil "
                         "braucht {min} abgeschlossene Deals)."),
    # "No rep needs attention" read as an all-clear beside a dashboard listing reps behind quota
    # (the output tester): this list is about working and converting, and says how many it judged.
    "no_attention": ("No rep to coach: the {n} reps with enough closed deals work and convert in line "
                     "with their team or better. Quotas and targets: see Targets.",
                     "Kein Mitarbeiter zum Coachen: Die {n} Mitarbeiter mit genug abgeschlossenen Deals "
                     "arbeiten und schließen im Rahmen ihres Teams oder besser ab. Quoten und Ziele: siehe "
                     "Abschnitt „Ziele“."),
    "no_attention_one": ("No rep to coach: the one rep with enough closed deals works and converts in "
                         "line with their team or better. Quotas and targets: see Targets.",
                         "Kein Mitarbeiter zum Coachen: Der eine Mitarbeiter mit genug abgeschlossenen "
                         "Deals arbeitet und schließt im Rahmen seines Teams oder besser ab. Quoten und "
                         "Ziele: siehe Abschnitt „Ziele“."),
    "attention_unfiltered": ("Not shown under a filter by {dims}: a rep's verdict rests on all their "
                             "deals and activities, not only those under the filter.",
                             "Unter einem Filter nach {dims} nicht gezeigt: Das Urteil über einen "
                             "Mitarbeiter beruht auf allen seinen Deals und Aktivitäten, nicht nur auf "
                             "denen unter dem Filter."),
    "targets_unfiltered": ("Targets are not shown under a filter by {dims}: a target is the company's, a "
                           "team's or a rep's figure, never that of a slice by {dims}.",
                           "Ziele werden unter einem Filter nach {dims} nicht gezeigt: Ein Ziel gilt dem "
                           "Unternehmen, einem Team oder einem Mitarbeiter, nie einem Ausschnitt nach "
                           "{dims}."),
    "not_filtered": ("Left out, as they cannot be filtered by {dims}: {kpis}.",
                     "Weggelassen, da nicht nach {dims} filterbar: {kpis}."),
    "none_judged": ("No rep had the {min} closed deals a verdict needs: none could be judged.",
                    "Kein Mitarbeiter hatte die {min} abgeschlossenen Deals, die ein Urteil braucht: "
                    "Keiner konnte beurteilt werden."),
    "changes": ("Significant changes", "Signifikante Veränderungen"),
    "no_changes": ("No change from the period before is beyond noise.",
                   "Keine Veränderung gegenüber dem Zeitraum davor geht über das Rauschen hinaus."),
    "no_changes_empty": ("Nothing to compare: the period holds no records.",
                         "Nichts zu vergleichen: Der Zeitraum enthält keine Datensätze."),
    "charts": ("Charts", "Diagramme"),
    "trend_week": ("Revenue by week", "Umsatz nach Woche"),
    "trend_month": ("Revenue by month", "Umsatz nach Monat"),
    "trend_quarter": ("Revenue by quarter", "Umsatz nach Quartal"),
    "products": ("Revenue by product", "Umsatz nach Produkt"),
    "trend_no_rate": ("The revenue chart is left out: {reason}", "Das Umsatzdiagramm fehlt: {reason}"),
    "no_products": ("No product revenue in this period.", "Kein Produktumsatz in diesem Zeitraum."),
    "empty": ("No records in this period: the records run from {first} to {last}.",
              "Keine Datensätze in diesem Zeitraum: Die Datensätze reichen vom {first} bis {last}."),
    "empty_unseen": ("No records in this period that you may see: the workspace's records are of other "
                     "reps or teams.",
                     "Keine Datensätze in diesem Zeitraum, die Sie sehen dürfen: Die Datensätze des "
                     "Arbeitsbereichs gehören zu anderen Mitarbeitern oder Teams."),
    "empty_none": ("No records in this period: the workspace holds none yet.",
                   "Keine Datensätze in diesem Zeitraum: Der Arbeitsbereich enthält noch keine."),
    "footer": ("Made by salesmetrics from version {version} of the workspace's data (each import counts "
               "it up). Every figure is the one "
               "`salesmetrics report` gives for the same period and filters.",
               "Erstellt von salesmetrics aus Version {version} der Daten des Arbeitsbereichs (jeder "
               "Import zählt sie hoch). Jede Zahl ist die, die "
               "`salesmetrics report` für denselben Zeitraum und dieselben Filter liefert."),
    "pdf_attached": ("The digest is attached as a PDF.", "Der Bericht liegt als PDF bei."),
    "chart_alt_trend": ("{title}, {first} to {last}: highest {high} ({high_at}), latest {latest}.",
                        "{title}, {first} bis {last}: höchster Wert {high} ({high_at}), zuletzt {latest}."),
    "chart_alt_products": ("{title}: {items}.", "{title}: {items}."),
    "products_more": ("; and {n} more: {amount}", "; und {n} weitere: {amount}"),
    "subject": ("Sales digest {period}", "Vertriebsbericht {period}"),
    "subject_off_track": ("{count} off track", "{count} nicht im Plan"),
    "subject_missed": ("{count} missed", "{count} verfehlt"),
    "subject_empty": ("no records", "keine Datensätze"),
    "alert_subject": ("salesmetrics alert: {what}", "salesmetrics-Hinweis: {what}"),
    "alert_off_track": ("{kpi} ({scope}) is off track for {period}: {value} against a target of "
                        "{target}{pace}.",
                        "{kpi} ({scope}) ist für {period} nicht im Plan: {value} bei einem Ziel von "
                        "{target}{pace}."),
    # The period over when checked (a backfill, or an alert on a month gone by): reached or missed.
    "alert_missed": ("{kpi} ({scope}) missed its target for {period}: {value} against a target of "
                     "{target}{pace}.",
                     "{kpi} ({scope}) hat das Ziel für {period} verfehlt: {value} bei einem Ziel von "
                     "{target}{pace}."),
    # The pace said as what it is ("pace 44 %" was never explained in a message; a tester).
    "alert_pace": (" (pace {pace}: at 100 % the target is reached by the period's end)",
                   " (Tempo {pace}: bei 100 % wird das Ziel zum Ende des Zeitraums erreicht)"),
    "alert_of_it": (" ({pace} of it)", " ({pace} davon)"),
    "alert_basis": ("Based on {n} {what}{ci}{notes}.", "Beruht auf {n} {what}{ci}{notes}."),
    "alert_ci": ("; 95 % interval {ci}", "; 95-%-Intervall {ci}"),
    "alert_reached": ("{kpi} ({scope}) reached its target for {period} after all: {value} against a "
                      "target of {target}.",
                      "{kpi} ({scope}) hat das Ziel für {period} doch erreicht: {value} bei einem Ziel "
                      "von {target}."),
    "alert_back_on_track": ("{kpi} ({scope}) is no longer off track for {period}: {status}, {value} "
                            "against a target of {target}.",
                            "{kpi} ({scope}) ist für {period} nicht mehr außer Plan: {status}, {value} "
                            "bei einem Ziel von {target}."),
    # The stretch compared with is named: "from 90.9 %" read as all of the month before, where it
    # was its first five days (a tester).
    "alert_drop": ("{kpi} ({scope}) dropped significantly in {period}: {value}, from {previous} "
                   "in {before} ({delta}, {p}).",
                   "{kpi} ({scope}) ist in {period} signifikant gefallen: {value}, nach {previous} "
                   "im Zeitraum {before} ({delta}, {p})."),
    "alert_drop_over": ("{kpi} ({scope}) no longer shows a significant drop in {period}: {value}, "
                        "against {previous} in {before}.",
                        "{kpi} ({scope}) zeigt in {period} keinen signifikanten Rückgang mehr: {value}, "
                        "gegenüber {previous} im Zeitraum {before}."),
    "alert_no_figure": ("{kpi} ({scope}) has no figure to judge for {period}.",
                        "{kpi} ({scope}) hat für {period} keinen Wert, der sich beurteilen lässt."),
    # Why an alert cannot be judged now (digest/alerts.py, UNJUDGED): `alert list`, `schedule run-due`.
    "unjudged_no_target": ("no target for {kpi} ({scope}) in {period}, so it cannot go off track: set one "
                           "with salesmetrics target set {kpi} VALUE{options}",
                           "kein Ziel für {kpi} ({scope}) in {period}, also kann es nicht außer Plan "
                           "geraten: eines setzt salesmetrics target set {kpi} WERT{options}"),
    "unjudged_target_hidden": ("the {kpi} target ({scope}) in {period} is not one {owner} may see, "
                               "and the alert holds only what they see",
                               "das Ziel für {kpi} ({scope}) in {period} darf {owner} nicht sehen, und "
                               "der Hinweis enthält nur, was sie sehen dürfen"),
    "unjudged_no_figure": ("{kpi} ({scope}) has no figure in {period} to set against its target",
                           "{kpi} ({scope}) hat in {period} keinen Wert, der sich mit dem Ziel "
                           "vergleichen lässt"),
    "unjudged_no_test": ("{kpi} has no significance test, so it never drops beyond noise: remove this "
                         "alert, or watch {kpi} with --when off_track",
                         "{kpi} hat keinen Signifikanztest und fällt daher nie über das Rauschen "
                         "hinaus: Entfernen Sie diesen Hinweis oder beobachten Sie {kpi} mit "
                         "--when off_track"),
    "unjudged_not_tested": ("the change of {kpi} ({scope}) in {period} from the period before could not "
                            "be tested (no figure, or too few records, on one side)",
                            "die Veränderung von {kpi} ({scope}) in {period} gegenüber dem Zeitraum "
                            "davor ließ sich nicht testen (kein Wert oder zu wenige Datensätze auf "
                            "einer Seite)"),
    "unjudged_first_day": ("{period} starts today: it is judged on whole days, from tomorrow",
                           "{period} beginnt heute: beurteilt wird nach ganzen Tagen, ab morgen"),
    "unjudged_not_started": ("{period} has not started yet on the day judged: nothing in it to judge",
                             "{period} hat am beurteilten Tag noch nicht begonnen: darin ist nichts zu "
                             "beurteilen"),
    "unjudged_refused": ("{detail}", "{detail}"),
    "alert_footer": ("You get this because of salesmetrics alert {id} (--when {condition}); you hear "
                     "again when the state changes, not each time it is checked.",
                     "Sie erhalten dies wegen des salesmetrics-Hinweises {id} (--when {condition}); Sie "
                     "hören wieder davon, wenn sich der Zustand ändert, nicht bei jeder Prüfung."),
}

# A KPI's change in words: its direction, and whether that is the KPI's good way.
_ROSE = ("rose", "gestiegen")
_FELL = ("fell", "gefallen")
_BETTER = ("better", "besser")
_WORSE = ("worse", "schlechter")


def words(key: str, lang: str, **values: object) -> str:
    pair = _TEXT[key]
    text = pair[1] if is_german(lang) else pair[0]
    return text.format(**values) if values else text


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if is_german(lang) else pair[0]


def kpi_title(kpi: str, lang: str) -> str:
    return REGISTRY[kpi].title.get("de" if is_german(lang) else "en")


def scope_name(scope: str, scope_id: str | None, names: Mapping[str, str], lang: str) -> str:
    """Whose figure: the company, a team, or a rep by name."""
    if scope == "company" or scope_id is None:
        return text("scope_company", lang)
    if scope == "team":
        return text("scope_team", lang, id=scope_id)
    return names.get(scope_id, scope_id)


def format_p(p: float | None, lang: str) -> str:
    """``p = 0.012``, or ``p < 0.001`` for the very small ones."""
    if p is None:
        return "p = –"
    shown = format_p_value(p, lang, "0.###")
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def change_sentence(kpi: str, value: Any, previous: Any, change: float | None, better: bool | None,
                    p_value: float | None, currency: str | None, lang: str) -> str:
    """``Win rate rose from 25.0 % to 40.0 % (+15.0 pp): better, beyond noise (p = 0.012).``"""
    unit = REGISTRY[kpi].unit
    rose = (moved(value, previous, change, True) or 0) > 0  # listed: beyond noise
    direction = _pick(_ROSE if rose else _FELL, lang)
    judged = "" if better is None else f"{_pick(_BETTER if better else _WORSE, lang)}, "
    before, now = format_value(previous, unit, currency, lang), format_value(value, unit, currency, lang)
    delta = format_delta(change, unit, lang)
    noise = format_significance(True, lang)
    if is_german(lang):
        return (f"{kpi_title(kpi, lang)}: von {before} auf {now} {direction} ({delta}), {judged}{noise} "
                f"({format_p(p_value, lang)}).")
    return (f"{kpi_title(kpi, lang)} {direction} from {before} to {now} ({delta}): {judged}{noise} "
            f"({format_p(p_value, lang)}).")


def target_sentence(kpi: str, scope: str, scope_id: str | None, value: Any, target: Any,
                    status: str | None, pace: float | None, currency: str | None,
                    names: Mapping[str, str], lang: str, flags: Sequence[str] = (), *,
                    over: bool = False) -> str:
    """``Total revenue (team east): $1,000.10 against a target of $5,000.00: off track, pace 40 %.``"""
    unit = REGISTRY[kpi].unit
    who = scope_name(scope, scope_id, names, lang)
    shown = format_figure(kpi, value, currency, lang, flags=flags)
    goal = format_value(target, unit, currency, lang)
    pace_text = "" if pace is None else (f", Tempo {format_pace(pace, lang)}" if is_german(lang)
                                         else f", pace {format_pace(pace, lang)}")
    state = format_status(status, lang, over=over)
    if is_german(lang):
        return f"{kpi_title(kpi, lang)} ({who}): {shown} bei einem Ziel von {goal}: {state}{pace_text}."
    return f"{kpi_title(kpi, lang)} ({who}): {shown} against a target of {goal}: {state}{pace_text}."


def unjudged_sentence(reason: str, kpi: str, scope: str, scope_id: str | None, period: Period | None,
                      names: Mapping[str, str], lang: str, *, watched: str = "", owner: str | None = None,
                      detail: str | None = None) -> str:
    """Why an alert cannot be judged now, e.g. ``no target for total_revenue (company) in Jul 1 to
    31, 2026, so it cannot go off track: set one with salesmetrics target set total_revenue VALUE
    --period 2026-07``. ``watched``: the alert's period as it was given (what the hint repeats)."""
    options = "" if scope_id is None else f" --{scope} {scope_id}"
    options += f" --period {watched}" if watched else ""
    return words(f"unjudged_{reason}", lang, kpi=kpi, scope=scope_name(scope, scope_id, names, lang),
                 period=format_period(period, lang) if period is not None else watched,
                 options=options, owner=owner or "", detail=detail or "")


def subject(period: Period, off_track: int, empty: bool, lang: str, *, over: bool = False) -> str:
    """The mail's subject: the period, and what needs doing first (targets missed, once it is
    ``over``)."""
    text = words("subject", lang, period=format_period(period, lang))
    if empty:
        return f"{text}: {words('subject_empty', lang)}"
    if off_track:
        return f"{text}: {words('subject_missed' if over else 'subject_off_track', lang, count=off_track)}"
    return text


def empty_text(first: Any, last: Any, lang: str, unseen: bool = False) -> str:
    if unseen:
        return words("empty_unseen", lang)
    if first is None or last is None:
        return words("empty_none", lang)
    return words("empty", lang, first=format_day(first, lang), last=format_day(last, lang))
