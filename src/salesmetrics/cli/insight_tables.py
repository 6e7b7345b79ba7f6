"""Text faces of the insights: Rich tables in English or German, numbers formatted by locale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from rich.table import Table
from rich.text import Text

from ..insights.effectiveness import ActivityEffectiveness, GroupSummary
from ..insights.funnel import Funnel
from ..insights.ramp import BENCHMARK_COMPETENT, BENCHMARK_TOP, RampCohorts
from ..insights.satisfaction import Satisfaction
from ..insights.scorecard import Scorecard
from ..kpis import REGISTRY
from ..periods import Period
from ..target_status import TargetStatus
from ..targets import Target
from ..text.catalogue import VALUES, lookup, period_name, text
from ..text.figures import (
    dimension_title,
    filters_note,
    format_figure,
    format_flag,
    format_status,
    format_target_pace,
)
from ..text.numbers import LOCALES, format_delta, format_share, format_value
from ..text.programs import kind_text
from .tables import fit

STATUS_COLOURS = {"on_track": "green", "at_risk": "yellow", "off_track": "red"}


def _de(lang: str) -> bool:
    return lang.lower().startswith("de")


def interval(low: Any, high: Any, unit: str, currency: str | None, lang: str) -> str:
    if low is None and high is None:
        return ""
    return f"{format_value(low, unit, currency, lang)} – {format_value(high, unit, currency, lang)}"


def scorecard_table(card: Scorecard, lang: str = "en", width: int | None = None) -> Table:
    de = _de(lang)
    who = card.name or card.rep
    table = Table(title=f"{who} ({card.team or '–'}), {card.measured.label}", title_justify="left")
    table.add_column("KPI")
    table.add_column("Wert" if de else "Value", justify="right", no_wrap=True)
    table.add_column("95 %", justify="right", no_wrap=True)
    table.add_column("Team-Median" if de else "Team median", justify="right", no_wrap=True)
    for p in card.history_periods:
        table.add_column(p.label, justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("Hinweise" if de else "Notes")
    for line in card.lines:
        unit = REGISTRY[line.kpi].unit
        if missing := REGISTRY[line.kpi].missing_input(line.flags):  # never imported: no zeros to compare
            table.add_row(REGISTRY[line.kpi].title.get(lang), format_flag(missing, lang), "", "–",
                          *["–" for _ in line.history], str(line.n),
                          ", ".join(format_flag(f, lang) for f in line.flags if f != missing))
            continue
        table.add_row(
            REGISTRY[line.kpi].title.get(lang), format_value(line.value, unit, card.currency, lang),
            interval(line.ci_low, line.ci_high, unit, card.currency, lang),
            format_value(line.team_median, unit, card.currency, lang),
            *[format_value(v, unit, card.currency, lang) for _, v in line.history],
            str(line.n), ", ".join(format_flag(f, lang) for f in line.flags),
        )
    # Narrow: the interval first, then the rep's own past from the oldest period; the rep against
    # the team is the point of the scorecard and stays.
    return fit(table, width, ["95 %", *(p.label for p in card.history_periods), "n"], lang)


def programs_line(card: Scorecard, lang: str = "en") -> str:
    """The programs the rep took part in, one line: ``Programs taken part in: Discovery training
    (training, from 2026-05-18)``."""
    if not card.programs:
        return text("rep_no_programs", lang)
    word = "ab" if _de(lang) else "from"
    listed = "; ".join(f"{p.name} ({kind_text(p.kind, lang)}, {word} {p.start_on.isoformat()})"
                       for p in card.programs)
    return f"{text('rep_programs', lang)}: {listed}"


def _pct(v: Any, lang: str) -> str:
    return format_value(v, "ratio", None, lang)


def _num(v: Any, lang: str = "en", pattern: str = "#,##0.#") -> str:
    """A figure rounded for reading (one decimal unless ``pattern`` says otherwise): ``14.3``."""
    return "–" if v is None else str(format_decimal(v, format=pattern, locale=LOCALES.get(lang, "en_US")))


def _p(p: float | None, lang: str) -> str:
    """A p-value as people quote it: ``p = 0.57``, ``p = 0.004``, ``p < 0.001``."""
    if p is None:
        return "p = –"
    if p < 0.001:
        return f"p < {_num(0.001, lang, '0.000')}"
    return f"p = {_num(p, lang, '0.00' if p >= 0.01 else '0.000')}"


def heading(what: str, period: Period, lang: str = "en",
            filters: Mapping[str, Sequence[str]] | None = None) -> str:
    """The line above an insight without a table title of its own: what, the stretch measured, and
    what it was narrowed to."""
    words = {"activities": ("Activities and outcomes", "Aktivitäten und Ergebnisse"),
             "cycle": ("Sales cycle", "Verkaufszyklus")}[what]
    said = words[1] if _de(lang) else words[0]
    return f"{said}, {period_name(period.label, lang)}{filters_note(filters, lang)}"


def _group_title(result: ActivityEffectiveness, g: GroupSummary, lang: str) -> str:
    """The group's deals, and (where its deals had activities) activities per won and lost deal and
    meeting- and demo-to-win: only the figures there are, never a 0 / 0 or a dash."""
    de = _de(lang)
    head = f"{dimension_title(result.by, lang)}: {g.group or '–'}, " if result.by else ""
    parts = [f"{head}{'abgeschlossene Deals' if de else 'closed deals'}: {g.closed}, "
             f"{'gewonnen' if de else 'won'}: {g.won}"]
    if not g.types:  # no activity logged on these deals: the note says what to import
        return parts[0]
    won, lost = g.activities_per_won_deal, g.activities_per_lost_deal
    if won is not None and lost is not None:
        per = "Aktivitäten je gewonnenem/verlorenem Deal" if de else "activities per won/lost deal"
        parts.append(f"{per} {_num(won, lang)} / {_num(lost, lang)}")
    elif won is not None:
        parts.append(f"{'Aktivitäten je gewonnenem Deal' if de else 'activities per won deal'} "
                     f"{_num(won, lang)} ({'kein Deal verloren' if de else 'no deal lost'})")
    elif lost is not None:
        parts.append(f"{'Aktivitäten je verlorenem Deal' if de else 'activities per lost deal'} "
                     f"{_num(lost, lang)} ({'kein Deal gewonnen' if de else 'no deal won'})")
    conversions = [f"{word} {_pct(rate, lang)}" for word, rate in (
        ("Termin→Gewinn" if de else "meeting→win", g.meeting_to_win),
        ("Demo→Gewinn" if de else "demo→win", g.demo_to_win)) if rate is not None]
    if conversions:
        parts.append(", ".join(conversions))
    return "; ".join(parts)


def effectiveness_tables(result: ActivityEffectiveness, lang: str = "en",
                         width: int | None = None) -> list[Table | str]:
    """A table per group; a group whose deals had no activity is its title line alone."""
    de = _de(lang)
    tables: list[Table | str] = []
    for g in result.groups:
        title = _group_title(result, g, lang)
        if not g.types:
            tables.append(title)
            continue
        t = Table(title=title, title_justify="left")
        for col in (("Typ" if de else "type"), ("Deals mit" if de else "deals with"),
                    ("gewonnen" if de else "won"),
                    ("Umsatz der Deals damit" if de else "revenue of deals with it"),
                    ("Gewinnrate mit" if de else "win rate with"), "95 %",
                    ("ohne" if de else "without"), ("je gew. Deal" if de else "per won deal"),
                    ("je verl. Deal" if de else "per lost deal")):
            text = col in ("type", "Typ")  # an activity type is typed (--filter activity_type=): whole
            t.add_column(col, justify="left" if text else "right", no_wrap=True)
        for line in g.types:
            t.add_row(line.activity_type, str(line.deals_with), str(line.won_with),
                      format_value(line.revenue_with, "money", result.currency, lang),
                      _pct(line.win_rate_with, lang),
                      interval(line.ci_low, line.ci_high, "ratio", None, lang),
                      _pct(line.win_rate_without, lang), _num(line.per_won_deal, lang),
                      _num(line.per_lost_deal, lang))
        tables.append(fit(t, width, ["95 %", "je verl. Deal" if de else "per lost deal",
                                     "je gew. Deal" if de else "per won deal", "ohne" if de else "without"],
                          lang))
    return tables


def effectiveness_note(result: ActivityEffectiveness, lang: str = "en") -> str:
    """What the table can and cannot say: association, not cause; the revenue column overlaps."""
    if not result.groups:
        return ("Keine abgeschlossenen Deals in diesem Zeitraum." if _de(lang) else
                "No closed deals in this period.")
    if not any(g.types for g in result.groups):
        return ("Keine Aktivitäten an den abgeschlossenen Deals: Aktivitäten mit deal_id importieren "
                "(activities.csv), um sie den Ergebnissen gegenüberzustellen." if _de(lang) else
                "No activities are logged on the closed deals: import activities with their deal_id "
                "(activities.csv) to set them against outcomes.")
    de = _de(lang)
    if not result.by:
        total = format_value(result.groups[0].revenue_won, "money", result.currency, lang)
        whole = (f"den Umsatz (gewonnene Deals insgesamt: {total})" if de else
                 f"revenue (won deals in all: {total})")
    else:
        whole = "den Umsatz der Gruppe" if de else "the group's revenue"
    if de:
        return ("Zusammenhang, keine Ursache: Gute Deals bekommen Demos. „Umsatz der Deals damit“ ist "
                "der Umsatz der gewonnenen Deals, die diese Aktivität hatten; ein Deal mit Anruf, E-Mail "
                "und Termin zählt bei allen dreien. Die Zeilen überschneiden sich und ergeben zusammen "
                f"nicht {whole}.")
    return ("Association, not cause: good deals get demos. 'Revenue of deals with it' is the revenue of "
            "the won deals that had the activity; a deal with a call, an email and a meeting counts under "
            f"all three. The rows overlap and do not add up to {whole}.")


def target_line(t: Target) -> str:
    unit = REGISTRY[t.kpi].unit
    who = t.scope if t.scope_id is None else f"{t.scope} {t.scope_id}"
    when = t.period.label if t.period else "every period"
    return f"target {t.kpi} = {format_value(t.value, unit, None, 'en')} for {who}, {when}"


def targets_table(targets: list[Target], width: int | None = None) -> Table:
    table = Table(title="Targets", title_justify="left")
    for col in ("kpi", "for", "period", "target"):  # ids, periods and figures: whole
        table.add_column(col, justify="right" if col == "target" else "left", no_wrap=col != "for")
    for t in targets:
        unit = REGISTRY[t.kpi].unit
        who = t.scope if t.scope_id is None else f"{t.scope} {t.scope_id}"
        table.add_row(t.kpi, who, t.period.label if t.period else "(standing)",
                      format_value(t.value, unit, None, "en"))
    return fit(table, width)


def set_target_hint(kpi: str | None = None, lang: str = "en") -> str:
    """The command that sets a target, for this quarter (an example that does not age)."""
    today = date.today()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    command = f"salesmetrics target set {kpi or 'win_rate'} VALUE --period {quarter}"
    return command + (" (--team oder --rep: das Ziel eines Teams oder Mitarbeiters)" if lang.startswith("de")
                      else " (--team or --rep for theirs)")


def no_targets_text(period: str, lang: str = "en") -> str:
    period = period_name(period, lang, sentence=True)
    if lang.startswith("de"):
        return f"Kein Ziel für {period}. Eines setzen: {set_target_hint(None, lang)}"
    return f"no target for {period}: set one with {set_target_hint()}"


def status_table(statuses: list[TargetStatus], currency: str | None, lang: str = "en",
                 width: int | None = None, span: str = "", names: Mapping[str, str] | None = None) -> Table:
    """``span``: the stretch measured, in the title (a fiscal year moves what 2026-Q4 is).
    ``names``: the reps' names, which say whose target it is as the targets page does ("Rosa
    Three (r3)", not "rep r3")."""
    de = _de(lang)
    table = Table(title=" ".join(filter(None, ("Ziele" if de else "Targets", span))), title_justify="left")
    for col in ("KPI", "für" if de else "for", "Wert" if de else "value", "Ziel" if de else "target",
                "Tempo" if de else "pace", "Status", "Vorperiode" if de else "before",
                "Änderung" if de else "change"):
        words = col in ("KPI", "for", "für", "Status")
        table.add_column(col, justify="left" if words else "right", no_wrap=not words)
    for s in statuses:
        unit = REGISTRY[s.kpi].unit
        noise = "" if s.significant is not False else (" (Rauschen)" if de else " (noise)")
        table.add_row(
            REGISTRY[s.kpi].title.get(lang),
            f"{name} ({s.scope_id})" if s.scope == "rep" and (name := (names or {}).get(s.scope_id or ""))
            else text(f"scope_{s.scope}", lang, id=s.scope_id),
            format_figure(s.kpi, s.value, currency, lang, flags=s.flags, lower_bound=s.lower_bound),
            format_value(s.target, unit, currency, lang), format_target_pace(s.pace, lang),
            Text(format_status(s.status, lang, over=s.over), style=STATUS_COLOURS.get(s.status or "", "")),
            format_value(s.previous, unit, currency, lang),
            format_delta(s.change, unit, lang) + noise,
        )
    return fit(table, width, ["Vorperiode" if de else "before", "Änderung" if de else "change"], lang)


def funnel_tables(f: Funnel, lang: str = "en", width: int | None = None) -> list[Table]:
    de = _de(lang)
    mode = ("Kohorte" if de else "cohort") if f.cohort else ("Aktivität" if de else "activity")
    t = Table(title=f"{'Vertriebstrichter' if de else 'Funnel'} {period_name(f.measured.label, lang)} "
                    f"({mode}){filters_note(f.filters, lang)}", title_justify="left")
    if f.by:  # ids one types (--filter rep=R004): whole, never wrapped
        t.add_column(dimension_title(f.by, lang), no_wrap=True)
    for col in (("Phase" if de else "stage"), ("zu Beginn" if de else "at start"),
                ("eingetreten" if de else "entered"), ("weiter" if de else "advanced"),
                ("ausgeschieden" if de else "dropped"), ("zurück" if de else "moved back"),
                ("offen" if de else "open"), ("Konversion" if de else "conversion"), "95 %",
                ("Phase→Gewinn" if de else "stage→win"), ("Tage (Median)" if de else "days (median)")):
        text = col in ("stage", "Phase")  # a stage's name is typed (--probability STAGE=P): whole too
        t.add_column(col, justify="left" if text else "right", no_wrap=True)
    groups = [(g.key, g.stages) for g in f.groups] if f.by else [(None, f.stages)]
    for i, (key, stages) in enumerate(groups):
        if i:
            t.add_section()
        for j, s in enumerate(stages):
            head = ([("–" if key is None else str(key)) if j == 0 else ""] if f.by else [])
            t.add_row(*head, s.stage, str(s.open_at_start), str(s.entered), str(s.advanced),
                      str(s.dropped), str(s.moved_back), str(s.still_open), _pct(s.conversion, lang),
                      interval(s.ci_low, s.ci_high, "ratio", None, lang), _pct(s.to_win, lang),
                      _num(s.days_median, lang))

    days = "Tage (Median)" if de else "days (median)"
    # Narrow: the interval and days in stage first, then stage-to-win (the pipeline's p(stage) has it);
    # then, for long stage names, the moves back (mostly none) and the deals there at the start.
    narrow = ["95 %", days, "Phase→Gewinn" if de else "stage→win", "zurück" if de else "moved back",
              "zu Beginn" if de else "at start"]

    def money(x: Any) -> str:
        return format_value(x, "money", f.currency, lang)

    def weighted(x: Any, unrated: int) -> str:  # None: no stage history to weigh by, or no rate
        if x is not None:
            return money(x)
        if unrated:
            return "kein Wechselkurs" if de else "no exchange rate"
        return "kein Phasenverlauf" if de else "no stage history"

    labels = [("offene Deals" if de else "open deals"), ("Gewinnrate" if de else "win rate"),
              ("Durchschn. Dealgröße" if de else "average deal size"),
              ("Zyklus (Tage)" if de else "cycle (days)"),
              ("Vertriebsgeschwindigkeit pro Tag" if de else "sales velocity per day"),
              ("offener Betrag" if de else "open amount"),
              ("gewichtete Pipeline" if de else "weighted pipeline")]
    if f.by:
        v = Table(title="Pipeline", title_justify="left")
        v.add_column(dimension_title(f.by, lang), no_wrap=True)
        for label in labels:
            v.add_column(label, justify="right", no_wrap=True)
        # Narrow: the inputs of the velocity first (cycle, win rate, average deal); money stays whole.
        pipeline_narrow = [labels[3], labels[1], labels[2]]
        for g in f.groups:
            line = g.pipeline
            v.add_row("–" if g.key is None else str(g.key), str(line.open_deals),
                      _pct(line.win_rate, lang), money(line.average_deal_size), _num(line.cycle_days, lang),
                      money(line.velocity_per_day), money(line.open_amount),
                      weighted(line.weighted_pipeline, line.without_rate))
        return [fit(t, width, narrow, lang), fit(v, width, pipeline_narrow, lang)]
    v = Table(title="Pipeline", title_justify="left")
    v.add_column("")
    v.add_column("", justify="right")
    values = [str(f.open_deals), _pct(f.win_rate, lang), money(f.average_deal_size), _num(f.cycle_days, lang),
              money(f.velocity_per_day), money(f.open_amount), weighted(f.weighted_pipeline, f.without_rate)]
    for label, value in zip(labels, values, strict=True):
        v.add_row(label, value)
    for stage, p in f.probabilities.items():
        source = f.probability_source[stage]  # the JSON's code; in German its word
        said = {"given": "vorgegeben", "history": "Verlauf"}.get(source, source) if de else source
        v.add_row(f"  p({stage})", f"{_pct(p, lang)} ({said})")
    return [fit(t, width, narrow, lang), fit(v, width, (), lang)]


def funnel_note(f: Funnel, lang: str = "en") -> str:
    """How the funnel's counts add up, or why there are none."""
    de = _de(lang)
    lines = f.stages + [s for g in f.groups for s in g.stages]
    if not f.has_history:
        return ("Kein Phasenverlauf importiert: Der Trichter wird aus stage_history (deal_id, stage, "
                "entered_at) gelesen. Importieren Sie ihn, oder importieren Sie mit --from CRM, das "
                "Phasenwechsel zwischen Importen festhält." if de else
                "No stage history imported: the funnel is read from stage_history (deal_id, stage, "
                "entered_at). Import it, or import with --from CRM, which records stage changes between "
                "imports.")
    if not any(s.open_at_start or s.entered or s.still_open for s in lines):
        return ("Laut Phasenverlauf war in diesem Zeitraum kein Deal in einer Phase." if de else
                "No deal was in any stage during this period, by the stage history.")
    shown = [s for g in f.groups for s in g.stages] if f.by else f.stages
    skipped = sum(s.skipped for s in shown)
    back = sum(s.moved_back for s in shown)
    if de:
        start = "" if f.cohort else "zu Beginn + "
        return (f"Jede Zeile geht auf: {start}eingetreten = weiter + ausgeschieden + zurück + offen. "
                f"„Weiter“ heißt in eine spätere Phase oder gewonnen: {skipped} davon übersprangen die "
                "nächste Phase, daher kann „weiter“ einer Phase größer sein als „eingetreten“ der nächsten; "
                f"„zurück“ ({back}) zählt Rückschritte in eine frühere Phase und erneutes Eintreten in "
                "dieselbe. Konversion = weiter / (weiter + ausgeschieden).")
    start = "" if f.cohort else "at start + "
    return (f"Each row adds up: {start}entered = advanced + dropped + moved back + open. Advanced means "
            f"to any later stage or won: {skipped} of those skipped the next stage, so a stage's advanced "
            f"can exceed the next one's entered; moved back ({back}) counts moves to an earlier stage and "
            "re-entering the same one. Conversion = advanced / (advanced + dropped).")


def satisfaction_table(s: Satisfaction, lang: str = "en", width: int | None = None) -> Table:
    de = _de(lang)
    t = Table(title=f"{'Bestellwert nach Zufriedenheit' if de else 'Order value by satisfaction'} "
                    f"{period_name(s.measured.label, lang)}{filters_note(s.filters, lang)}",
              title_justify="left")
    for col in (("Gruppe" if de else "group"), ("Kunden" if de else "accounts"),
                ("Bestellungen" if de else "orders"), ("Ø Bestellung" if de else "average order")):
        text = col in ("group", "Gruppe")
        t.add_column(col, justify="left" if text else "right", no_wrap=not text)
    for g in s.groups:
        t.add_row(lookup(VALUES, g.category, lang), str(g.accounts), str(g.orders),
                  format_value(g.average_order, "money", s.currency, lang))
    return fit(t, width, (), lang)


def satisfaction_text(s: Satisfaction, lang: str = "en") -> str:
    de = _de(lang)
    verdict = s.said(lang)
    if s.ratio is None:
        return verdict
    ci = s.ratio_ci or (None, None)
    ratio, low, high = (_num(v, lang, "0.00") for v in (s.ratio, *ci))
    if de:
        return (f"Promotoren / Kritiker: {ratio}x (95 %: {low}–{high}, Bootstrap über Kunden), "
                f"{_p(s.p_value, lang)}. {verdict}")
    return (f"Promoters / detractors: {ratio}x (95 %: {low}–{high}, bootstrap over accounts), "
            f"{_p(s.p_value, lang)}. {verdict}")


# Months of tenure kept longest when the terminal is narrow: the first quarter, half a year, and
# the RAIN Group's 9 (competent) and 15 (top performer) months.
RAMP_KEY_MONTHS = (1, 2, 3, 6, 9, 12, 15, 18)


def ramp_table(r: RampCohorts, lang: str = "en", width: int | None = None) -> Table:
    de = _de(lang)
    longest = max((len(c.curve) for c in r.cohorts), default=0)
    shown = min(longest, 18)
    t = Table(title=("Einarbeitung nach Einstellungsmonat (Zielerreichung je Monat)" if de else
                     "Ramp by hire month (attainment per month of tenure)"), title_justify="left")
    t.add_column("Kohorte" if de else "cohort", no_wrap=True)
    t.add_column("Reps", justify="right", no_wrap=True)
    t.add_column("eingearbeitet" if de else "ramped", justify="right", no_wrap=True)
    for k in range(1, shown + 1):
        t.add_column(f"M{k}", justify="right", no_wrap=True)
    for c in r.cohorts:
        cells = []
        for k in range(1, shown + 1):
            p = c.curve[k - 1] if k <= len(c.curve) else None
            cells.append(format_share(None if p is None else p.attainment_mean, lang))
        t.add_row(c.hire_month, str(len(c.reps)), format_share(c.ramped_share, lang), *cells)
    months = range(shown, 0, -1)  # narrow: the months between the key ones go first, latest first
    drop = [f"M{k}" for k in months if k not in RAMP_KEY_MONTHS]
    drop += [f"M{k}" for k in months if k in RAMP_KEY_MONTHS and k not in (1, 9)]
    return fit(t, width, drop, lang)


def ramp_missing_text(r: RampCohorts, lang: str = "en") -> str | None:
    """Why no rep's ramp can be measured, in words (None when some can)."""
    de = _de(lang)
    if r.missing == "no_deals":
        return ("Keine Deals vorhanden: Die Einarbeitung wird ab dem ersten Deal gemessen; zuerst Deals "
                "importieren." if de else
                "No deals on record: ramp is measured from the first deal on; import deals first.")
    if r.missing == "no_deals_yet":
        day, first = r.as_of.isoformat(), r.first_record.isoformat() if r.first_record else "–"
        return (f"Am {day} war noch kein Deal erfasst (der erste stammt vom {first}): Die Einarbeitung "
                "wird ab dem ersten Deal gemessen." if de else
                f"No deal was on record by {day} (the first is from {first}): ramp is measured from the "
                "first deal on.")
    if r.missing == "none_hired_yet":
        day, first = r.as_of.isoformat(), r.first_record.isoformat() if r.first_record else "–"
        n = r.hired_later
        return (f"Kein seit dem ersten Deal ({first}) eingestellter Mitarbeiter hatte am {day} angefangen: "
                f"{n} {'wurde' if n == 1 else 'wurden'} später eingestellt." if de else
                f"No rep hired on or after the first deal on record ({first}) had started by {day}: "
                f"{n} {'rep was' if n == 1 else 'reps were'} hired later.")
    if r.missing == "no_hire_dates":
        return ("Kein Mitarbeiter hat ein Einstellungsdatum, und die Einarbeitung wird ab dort gemessen: "
                "reps mit hired_on importieren (reps.csv: rep_id, name, team, hired_on)." if de else
                "No rep has a hire date, and ramp is measured from it: import reps with hired_on "
                "(reps.csv: rep_id, name, team, hired_on) to see how new hires come up to speed.")
    if r.missing == "hired_before_records":
        first = r.first_record.isoformat() if r.first_record else "–"
        n = r.reps_with_hire_date
        return (f"{n} Mitarbeiter {'hat' if n == 1 else 'haben'} ein Einstellungsdatum, alle vor dem "
                f"ersten Deal ({first}): Ihre ersten Monate fehlen in den Daten, ihre Einarbeitung lässt "
                "sich nicht messen." if de else
                f"{n} {'rep has' if n == 1 else 'reps have'} a hire date, all before the first deal on "
                f"record ({first}): their first months are not in the records, so their ramp cannot be "
                "measured.")
    return None


def ramp_text(r: RampCohorts, lang: str = "en") -> str:
    rule = r.rule_text.get(lang)
    missing = ramp_missing_text(r, lang)
    if missing:
        return f"{missing} {rule}"
    return f"{rule} {_ramp_median_text(r, lang)}"


def _ramp_median_text(r: RampCohorts, lang: str) -> str:
    de = _de(lang)
    lo, hi = r.median_ci

    def months(v: Any) -> str:
        return _num(v, lang, "#,##0.##")

    # A bound Kaplan-Meier cannot give is said in words: a dash beside the band's own read "2--".
    if lo is None and hi is None:
        band = "nicht bestimmbar" if de else "not known"
    else:
        above = months(hi) if hi is not None else "offen" if de else "open"
        band = f"{months(lo)}–{above}" if hi is not None else f"{months(lo)} – {above}"
    if de:
        median = months(r.median_months) if r.median_months is not None else "nicht erreicht"
        return (f"Median bis eingearbeitet (Kaplan-Meier über {r.reps} Reps, wer noch lernt, zählt als "
                f"„noch nicht“): {median} Monate (95 %: {band}); eingearbeitet nach "
                f"{BENCHMARK_COMPETENT} Monaten: {_pct(r.ramped_by_competent, lang)}, nach {BENCHMARK_TOP}: "
                f"{_pct(r.ramped_by_top, lang)}. RAIN Group: etwa {BENCHMARK_COMPETENT} Monate bis zur "
                f"Kompetenz, {BENCHMARK_TOP} bis zur Spitzenleistung.")
    median = months(r.median_months) if r.median_months is not None else "not reached"
    return (f"Median months to ramp (Kaplan-Meier over {r.reps} reps, those still ramping count as 'not "
            f"yet'): {median} (95 %: {band}); ramped by month {BENCHMARK_COMPETENT}: "
            f"{_pct(r.ramped_by_competent, lang)}, by month {BENCHMARK_TOP}: {_pct(r.ramped_by_top, lang)}. "
            f"RAIN Group: about {BENCHMARK_COMPETENT} months to competency, {BENCHMARK_TOP} to top "
            "performance.")
