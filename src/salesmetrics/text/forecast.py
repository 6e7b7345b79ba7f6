"""The words of the forecast, slippage and losses, in English and German: each figure explained (the
second part of ``salesmetrics kpis``: they are not KPIs of the registry, but figures of their own
questions), the headers of their tables and the sentences said beside them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalogue import text
from .figures import closed_ahead_text
from .numbers import format_day, format_value


@dataclass(frozen=True)
class Figure:
    """A figure of the forecast, slippage or losses, explained once for every face."""

    id: str
    question: str  # the command that answers with it: forecast, slippage, losses
    title: tuple[str, str]  # English, German
    description: tuple[str, str]
    formula: str

    def as_json(self, lang: str = "en") -> dict[str, str]:
        de = lang.lower().startswith("de")
        return {"id": self.id, "question": self.question, "title": self.title[de],
                "description": self.description[de], "formula": self.formula}


FIGURES: tuple[Figure, ...] = (
    Figure("closed_won", "forecast", ("Closed won", "Gewonnen"),
           ("Deals won in the period up to the as-of day.",
            "Im Zeitraum bis zum Stichtag gewonnene Deals."),
           "sum(amount of deals won in the period, closed_at up to the end of the as-of day)"),
    Figure("commit", "forecast", ("Commit", "Commit"),
           ("Open deals the rep commits to: forecast category commit, expected to close between the "
            "as-of day and the period's end.",
            "Offene Deals, für die der Mitarbeiter einsteht: Prognosekategorie „commit“, erwarteter "
            "Abschluss zwischen Stichtag und Ende des Zeitraums."),
           "sum(amount of open deals, category commit, as-of <= expected_close_on < period end)"),
    Figure("best_case", "forecast", ("Best case", "Best Case"),
           ("Open deals that could close in the period if things go well: category best_case, "
            "expected between the as-of day and the period's end.",
            "Offene Deals, die bei gutem Verlauf im Zeitraum abschließen könnten: Kategorie "
            "„best_case“, erwartet zwischen Stichtag und Ende des Zeitraums."),
           "sum(amount of open deals, category best_case, as-of <= expected_close_on < period end)"),
    Figure("pipeline", "forecast", ("Pipeline", "Pipeline"),
           ("The rest of the open deals expected in the period: category pipeline, or none given. "
            "Deals marked omitted are shown apart and counted nowhere.",
            "Die übrigen im Zeitraum erwarteten offenen Deals: Kategorie „pipeline“ oder keine. Als "
            "ausgenommen (Kategorie „omitted“) markierte Deals werden gesondert gezeigt und nirgends "
            "gezählt."),
           "sum(amount of open deals, category pipeline or none, as-of <= expected_close_on < end)"),
    Figure("weighted", "forecast", ("Weighted forecast", "Gewichtete Prognose"),
           ("Closed won plus each open deal of the period times its win probability: the deal's own "
            "where set, else its stage's historical stage-to-win rate as it stood on the as-of day. "
            "A deal with neither is counted as unweighted, not guessed.",
            "Gewonnen plus jeder offene Deal des Zeitraums mal seiner Gewinnwahrscheinlichkeit: "
            "der eigenen, wo gesetzt, sonst der historischen Phase-zu-Gewinn-Rate seiner Phase am "
            "Stichtag. Ein Deal ohne beides wird als ungewichtet ausgewiesen, nicht geschätzt."),
           "closed_won + sum(amount x (probability, else stage-to-win rate)), open deals of the period"),
    Figure("quota", "forecast", ("Quota", "Quote"),
           ("The period's quota of the rep, team or everyone, pro-rated by days as quota attainment "
            "reads it. None when filtered to a segment, source, pipeline or product.",
            "Die Quote des Zeitraums für Mitarbeiter, Team oder alle, tagesgenau anteilig wie bei "
            "der Quotenerreichung. Keine, wenn nach Segment, Quelle, Pipeline oder Produkt "
            "gefiltert wird."),
           "sum(quota pro-rated by days to the period)"),
    Figure("gap", "forecast", ("Gap", "Lücke"),
           ("What is still missing to quota.", "Was zur Quote noch fehlt."),
           "quota - closed_won"),
    Figure("coverage", "forecast", ("Coverage", "Abdeckung"),
           ("How many times the open pipeline of the period covers the gap; below 1 even winning "
            "every deal misses quota. None once quota is reached.",
            "Wie oft die offene Pipeline des Zeitraums die Lücke deckt; unter 1 verfehlt selbst "
            "ein Gewinn aller Deals die Quote. Keine, sobald die Quote erreicht ist."),
           "(commit + best_case + pipeline) / gap"),
    Figure("call_commit", "forecast", ("Commit call", "Commit-Prognose"),
           ("The number a leader commits to: what is won plus what is committed.",
            "Die Zahl, für die eine Führungskraft einsteht: Gewonnenes plus Zugesagtes."),
           "closed_won + commit"),
    Figure("call_best_case", "forecast", ("Best-case call", "Best-Case-Prognose"),
           ("What the period closes at if the best case comes in too.",
            "Womit der Zeitraum abschließt, wenn auch der Best Case eintrifft."),
           "closed_won + commit + best_case"),
    Figure("overdue", "forecast", ("Overdue", "Überfällig"),
           ("Open deals whose expected close date is before the as-of day: listed apart, counted in "
            "no bar, until someone dates them again.",
            "Offene Deals mit erwartetem Abschluss vor dem Stichtag: gesondert aufgeführt und in "
            "keinem Balken gezählt, bis jemand sie neu datiert."),
           "open deals with expected_close_on < as-of (and before the period's end)"),
    Figure("accuracy", "forecast", ("Forecast accuracy", "Prognosegenauigkeit"),
           ("For past quarters: the calls and the weighted forecast as the workspace knew them at "
            "the start (end of the first day) and the middle of the quarter, against what closed; "
            "the error is relative to what closed (+0.25: called 25 % too high).",
            "Für vergangene Quartale: die Prognosen und die gewichtete Prognose, wie der "
            "Arbeitsbereich sie zu Beginn (Ende des ersten Tages) und zur Mitte des Quartals kannte, "
            "gegen das Gewonnene; der Fehler ist relativ zum Gewonnenen (+0,25: 25 % zu hoch)."),
           "(call - closed won in the quarter) / closed won in the quarter"),
    Figure("pushes", "slippage", ("Pushes", "Verschiebungen"),
           ("How often a deal's expected close date was moved later, by the history kept at each "
            "import.",
            "Wie oft der erwartete Abschluss eines Deals nach hinten verschoben wurde, laut dem bei "
            "jedem Import festgehaltenen Verlauf."),
           "count(kept changes of expected_close_on to a later day)"),
    Figure("slipped_days", "slippage", ("Days slipped", "Verschobene Tage"),
           ("Days from the first expected close date on record to the latest.",
            "Tage vom ersten erfassten erwarteten Abschluss bis zum letzten."),
           "latest expected_close_on - first expected_close_on"),
    Figure("moved_out", "slippage", ("Moved out", "Herausgeschoben"),
           ("Deals expected in the period at some time that are now expected after it and did not "
            "close within it (Salesforce pipeline inspection's \"moved out\").",
            "Deals, die irgendwann im Zeitraum erwartet wurden, jetzt danach erwartet werden und "
            "darin nicht abgeschlossen wurden (\"Moved out\" der Salesforce Pipeline Inspection)."),
           "count and amount of deals once expected in the period, latest expected >= period end"),
    Figure("lost_rate", "losses", ("Lost rate", "Verlustquote"),
           ("A lost reason's share of the deals closed in the period, with Wilson's 95 % interval "
            "and the change in points from the period before, tested for noise.",
            "Anteil eines Verlustgrundes an den im Zeitraum abgeschlossenen Deals, mit Wilsons "
            "95-%-Intervall und der Änderung in Punkten ggü. der Vorperiode, auf Rauschen geprüft."),
           "count(lost for the reason) / count(won + lost), deals closed in the period"),
)

FIGURE_BY_ID = {f.id: f for f in FIGURES}

# Headers and words of the tables and pages, by key: (English, German).
WORDS: dict[str, tuple[str, str]] = {
    "no_quota_cell": ("no quota", "keine Quote"),
    "quota_met": ("quota met", "Quote erreicht"),
    "no_open_deals": ("nothing open", "nichts offen"),
    "period_over": ("period over", "Zeitraum vorbei"),
    "forecast": ("Forecast", "Prognose"),
    "figures": ("Forecast, slippage and losses", "Prognose, Verschiebungen und Verluste"),
    "closed_won": ("Closed won", "Gewonnen"),
    "commit": ("Commit", "Commit"),
    "best_case": ("Best case", "Best Case"),
    "pipeline": ("Pipeline", "Pipeline"),
    "omitted": ("Omitted", "Ausgenommen"),
    "weighted": ("Weighted", "Gewichtet"),
    "quota": ("Quota", "Quote"),
    "gap": ("Gap", "Lücke"),
    "coverage": ("Coverage", "Abdeckung"),
    "call_commit": ("Commit call", "Commit-Prognose"),
    "call_best_case": ("Best-case call", "Best-Case-Prognose"),
    "overdue": ("Overdue", "Überfällig"),
    "unweighted": ("Unweighted", "Ungewichtet"),
    "everyone": ("Everyone", "Alle"),
    "behind": ("The deals behind the bars", "Die Deals hinter den Balken"),
    "deal": ("Deal", "Deal"),
    "rep": ("Rep", "Mitarbeiter"),
    "team": ("Team", "Team"),
    "segment": ("Segment", "Segment"),
    "bar": ("Bar", "Balken"),
    "amount": ("Amount", "Betrag"),
    "close_date": ("Close date", "Abschlussdatum"),
    "expected": ("Expected", "Erwartet"),
    "probability": ("Probability", "Wahrscheinlichkeit"),
    "stage": ("Stage", "Phase"),
    "status": ("Status", "Status"),
    "pushes": ("Pushes", "Verschiebungen"),
    "days": ("Days", "Tage"),
    "from": ("From", "Von"),
    "to": ("To", "Bis"),
    "moved_out": ("Moved out", "Herausgeschoben"),
    "lost_reason": ("Lost reason", "Verlustgrund"),
    "no_reason": ("(no reason given)", "(kein Grund angegeben)"),
    "lost_count": ("Lost", "Verloren"),
    "lost_value": ("Lost value", "Verlorener Wert"),
    "lost_rate": ("Lost rate", "Verlustquote"),
    "interval": ("95 %", "95 %"),
    "before": ("Before", "Vorher"),
    "change": ("Change", "Änderung"),
    "period": ("Period", "Zeitraum"),
    "actual": ("Closed won", "Gewonnen"),
    "said_start": ("Said at the start", "Prognose zu Beginn"),
    "said_middle": ("Said at the middle", "Prognose zur Mitte"),
    "error": ("Error", "Fehler"),
    "error_start": ("Error (start)", "Fehler (Beginn)"),
    "error_middle": ("Error (middle)", "Fehler (Mitte)"),
    "not_kept": ("not kept", "nicht erfasst"),
    "accuracy": ("Forecast accuracy", "Prognosegenauigkeit"),
    "slippage": ("Slippage", "Verschiebungen"),
    "losses": ("Loss reasons", "Verlustgründe"),
    "significant": ("significant", "signifikant"),
    "within_noise": ("within noise", "im Rauschen"),
    "not_tested": ("not tested", "nicht getestet"),
    "own": ("own", "eigene"),
    "stage_rate": ("stage rate", "Phasenrate"),
}

_FLAGS: dict[str, tuple[str, str]] = {
    "no_quota": ("no quota set for the period", "keine Quote für den Zeitraum"),
    "quota_not_applicable": ("quotas belong to reps and teams: none for this filter",
                             "Quoten gelten für Mitarbeiter und Teams: keine für diesen Filter"),
    "quota_reached": ("quota reached", "Quote erreicht"),
    "period_over": ("the period is over: nothing open can close in it any more",
                    "der Zeitraum ist vorbei: kein offener Deal kann mehr darin abgeschlossen werden"),
    "quota_missed": ("the gap is what the quota was missed by", "die Lücke ist der Betrag, um den die "
                     "Quote verfehlt wurde"),
    "quota_prorated": ("the quota is the period's share of a longer one, pro-rated by days",
                       "die Quote ist der tagesgenau anteilige Teil einer längeren"),
    "unquoted_revenue": ("closed won holds deals won by reps without a quota (or on days outside it), which "
                         "the gap nets against the quota",
                         "„Gewonnen“ enthält Abschlüsse von Mitarbeitern ohne Quote (oder an Tagen außerhalb "
                         "ihrer Quote); die Lücke verrechnet sie mit der Quote der anderen"),
    "stage_rates_in_view": ("stage rates rest on the deals you may see: over every deal (a leader's view) "
                            "a deal may weigh differently",
                            "Phasenraten beruhen auf den Deals, die Sie sehen dürfen: über alle Deals "
                            "(die Sicht der Leitung) kann ein Deal anders gewichtet sein"),
    "unweighted_deals": ("deals without a probability of their own or of their stage are not "
                         "weighted", "Deals ohne eigene oder Phasen-Wahrscheinlichkeit sind nicht "
                         "gewichtet"),
    "overdue_deals": ("overdue deals are listed apart", "überfällige Deals sind gesondert aufgeführt"),
}


def _de(lang: str) -> bool:
    return lang.lower().startswith("de")


def word(key: str, lang: str = "en") -> str:
    pair = WORDS.get(key)
    return pair[_de(lang)] if pair else key


def flag(code: str, lang: str = "en") -> str:
    pair = _FLAGS.get(code)
    return pair[_de(lang)] if pair else code.replace("_", " ")


def _one_or_many(count: int, lang: str, one: tuple[str, str], many: tuple[str, str]) -> str:
    """A sentence about ``count`` deals in the reader's language, its verbs agreeing: (English,
    German) for one deal, and for many ({count} in them)."""
    return (one if count == 1 else many)[_de(lang)].format(count=format_value(count, "count", None, lang))


def unweighted_note(count: int, amount: str, lang: str = "en") -> str:
    """The deals the weighted forecast leaves out, with their amount (the flag alone did not say how
    much: a commit deal of $10,000 without a probability was missing from it unsaid)."""
    return _one_or_many(count, lang, (
        f"1 deal ({amount}) has no probability of its own or of its stage: the weighted forecast leaves "
        "it out.",
        f"1 Deal ({amount}) hat keine eigene oder Phasen-Wahrscheinlichkeit: Die gewichtete Prognose "
        "lässt ihn aus."), (
        f"{{count}} deals ({amount}) have no probability of their own or of their stage: the weighted "
        "forecast leaves them out.",
        f"{{count}} Deals ({amount}) haben keine eigene oder Phasen-Wahrscheinlichkeit: Die gewichtete "
        "Prognose lässt sie aus."))


def overdue_note(count: int, amount: str, lang: str = "en", over: bool = False) -> str:
    """``over``: the period is over, and a date set again cannot bring a deal back into it."""
    if not count:
        return ("Kein offener Deal ist überfällig." if _de(lang)
                else "No open deal is overdue.")
    if over:
        return _one_or_many(count, lang, (
            f"1 open deal ({amount}) was expected to close by the period's end and did not.",
            f"1 offener Deal ({amount}) sollte bis zum Ende des Zeitraums abgeschlossen werden und wurde "
            "es nicht."), (
            f"{{count}} open deals ({amount}) were expected to close by the period's end and did not.",
            f"{{count}} offene Deals ({amount}) sollten bis zum Ende des Zeitraums abgeschlossen werden "
            "und wurden es nicht."))
    return _one_or_many(count, lang, (
        f"1 open deal ({amount}) is overdue: expected to close before the as-of day. It counts in no "
        "bar until someone dates it again.",
        f"1 offener Deal ({amount}) ist überfällig: sein erwarteter Abschluss liegt vor dem Stichtag. "
        "Er zählt in keinem Balken, bis jemand ihn neu datiert."), (
        f"{{count}} open deals ({amount}) are overdue: expected to close before the as-of day. They "
        "count in no bar until someone dates them again.",
        f"{{count}} offene Deals ({amount}) sind überfällig: ihr erwarteter Abschluss liegt vor dem "
        "Stichtag. Sie zählen in keinem Balken, bis jemand sie neu datiert."))


def undated_note(count: int, amount: str | None, lang: str = "en") -> str:
    """Open deals no record ever dated ("" where there are none): in no bar, said, so an empty
    pipeline is not read as no pipeline. ``amount`` None: one of them has no exchange rate."""
    if not count:
        return ""
    worth = f" ({amount})" if amount is not None else ""
    return _one_or_many(count, lang, (
        f"1 open deal{worth} has no expected close date: it counts in no bar until someone dates it.",
        f"1 offener Deal{worth} hat kein erwartetes Abschlussdatum und zählt in keinem Balken, bis "
        "jemand ihn datiert."), (
        f"{{count}} open deals{worth} have no expected close date: they count in no bar until someone "
        "dates them.",
        f"{{count}} offene Deals{worth} haben kein erwartetes Abschlussdatum und zählen in keinem "
        "Balken, bis jemand sie datiert."))


def more_text(count: int, lang: str = "en") -> str:
    if _de(lang):
        return f"... und {count} weitere (alle: --deals oder --format json)"
    return f"... and {count} more (all of them: --deals or --format json)"


def moved_out_note(count: int, amount: str, lang: str = "en") -> str:
    one = count == 1
    if _de(lang):
        return (f"Herausgeschoben: {count} {'Deal' if one else 'Deals'} ({amount}) "
                f"{'wurde' if one else 'wurden'} irgendwann in diesem Zeitraum erwartet und "
                f"{'wird' if one else 'werden'} jetzt danach erwartet.")
    return (f"Moved out: {count} {'deal' if one else 'deals'} ({amount}) {'was' if one else 'were'} "
            f"expected in this period at some time and {'is' if one else 'are'} now expected after it.")


def no_push_note(lang: str = "en") -> str:
    """What slippage says where no deal was pushed: "Moved out: 0 deals" alone read as a question
    left unanswered (a tester)."""
    if _de(lang):
        return "Kein Deal, der in diesem Zeitraum erwartet wurde, wurde verschoben."
    return "No deal expected in this period was pushed."


def no_expected_dates_note(lang: str = "en") -> str:
    if _de(lang):
        return ("Kein Deal hat ein erwartetes Abschlussdatum (expected_close_on), also lässt sich keine "
                "Verschiebung sehen: ordnen Sie die Spalte des Exports mit dem geplanten Abschluss "
                "expected_close_on zu (docs/mapping.md).")
    return ("No deal has an expected close date (expected_close_on), so none can be seen to slip: map "
            "the export's column of the planned close to expected_close_on (docs/mapping.md).")


def no_history_note(lang: str = "en") -> str:
    if _de(lang):
        return ("Noch kein Verlauf festgehalten: Jeder Import von Deals hält ab jetzt fest, was sich "
                "ändert (erwarteter Abschluss, Betrag, Kategorie, Phase); importieren Sie neuere "
                "Exporte, um Verschiebungen zu sehen.")
    return ("No history kept yet: every import of deals now keeps what changes (expected close date, "
            "amount, category, stage); import newer exports to see deals slip.")


def short_rows_note(amount: str, keys: Sequence[str], total_gap: str, by: str, lang: str = "en",
                    unquoted: bool = False) -> str:
    """The rows short of their quota when the total's gap nets them against those ahead, or (where
    ``unquoted``) against revenue no quota measures."""
    named = ", ".join(keys[:3]) + (", ..." if len(keys) > 3 else "")
    if _de(lang):
        why = ("andere vor ihrer liegen oder Mitarbeiter ohne Quote Umsatz erzielt haben" if unquoted
               else "andere vor ihrer liegen")
        who = {"team": "Team", "rep": "Mitarbeiter"}.get(by, by)
        if len(keys) == 1:
            return (f"{who} {named} liegt {amount} unter der Quote; die Lücke für alle ({total_gap}) ist "
                    f"kleiner, weil {why}.")
        many = {"team": "Teams", "rep": "Mitarbeiter"}.get(by, by)
        return (f"{len(keys)} {many} ({named}) liegen zusammen {amount} unter ihrer Quote; die Lücke für "
                f"alle ({total_gap}) ist kleiner, weil {why}.")
    why = "others are ahead of theirs or won without a quota" if unquoted else "others are ahead of theirs"
    if len(keys) == 1:
        return (f"{by.capitalize()} {named} is {amount} short of its quota; the gap for everyone "
                f"({total_gap}) is less because {why}.")
    return (f"{len(keys)} {by}s ({named}) are {amount} short of their quotas together; the gap for "
            f"everyone ({total_gap}) is less because {why}.")


def quota_beyond_rows_note(amount: str, lang: str = "en", less: bool = False) -> str:
    """``less``: everyone's quota is ``amount`` less than the rows' added up."""
    if less and _de(lang):
        return (f"Die Quote für alle ist {amount} kleiner als die Quoten der Zeilen zusammen: die eigene "
                "Quote eines Teams gilt an ihren Tagen statt der Quoten seiner Vertriebsmitarbeiter.")
    if less:
        return (f"The quota for everyone is {amount} less than the rows' quotas added up: a team's own "
                "quota stands for its reps' quotas on its days.")
    if _de(lang):
        return (f"Die Quote für alle enthält {amount}, die in keiner Zeile steht (die eigene Quote eines "
                "Teams).")
    return f"The quota for everyone holds {amount} that is on no row (a team's own quota)."


def notes_in_words(forecast: Any, money: Callable[[Decimal], str], lang: str = "en",
                   omitted: bool = True) -> list[str]:
    """What a forecast's figures leave out, in sentences, for every face alike: its flags, the overdue
    and undated deals, a quota on no row, the rows short of theirs, the deals no bar holds (``omitted``:
    the page says those beside its bar). ``forecast`` is an insights.forecast.Forecast, passed in as
    ``unseen_note``'s slippage is: the words are a floor below the answers."""
    total = forecast.total
    said = [unweighted_note(total.unweighted_deals, money(total.unweighted), lang)
            if code == "unweighted_deals" else flag(code, lang)
            for code in total.flags if code not in ("overdue_deals", "undated_deals")]
    said.append(overdue_note(total.overdue_deals, money(total.overdue), lang, "period_over" in total.flags))
    if total.undated_deals:
        said.append(undated_note(total.undated_deals,
                                 money(total.undated) if total.undated is not None else None, lang))
    if (beyond := forecast.quota_beyond_rows) is not None:
        said.append(quota_beyond_rows_note(money(abs(beyond)), lang, less=beyond < 0))
    if (short := forecast.short_rows) is not None and forecast.by is not None and total.gap is not None:
        said.append(short_rows_note(money(short[0]), short[1], money(max(total.gap, Decimal(0))),
                                    forecast.by, lang, "unquoted_revenue" in total.flags))
    if forecast.closed_ahead is not None:
        # Won or lost, dated after today: in no bar, where they read as open pipeline (a tester).
        said.append(closed_ahead_text(forecast.closed_ahead, lang))
    if omitted and total.omitted:
        said.append(text("forecast_omitted", lang, amount=money(total.omitted)))
    elif omitted and total.omitted is None:
        said.append(text("forecast_omitted_unrated", lang))
    return [s[0].upper() + s[1:] + ("" if s.endswith(".") else ".") for s in said]


def unseen_note(slippage: Any, lang: str = "en") -> str | None:
    """Why no deal can be seen to slip (insights.slippage.Slippage.unseen, passed in: the words are
    a floor below the answers), in words; None: the rows say what slipped."""
    why = slippage.unseen
    if why == "no_expected_dates":
        return no_expected_dates_note(lang)
    if why == "no_history":
        return no_history_note(lang)
    if why == "history_later":
        return history_later_note(format_day(slippage.history_from.date(), lang), lang)
    return None


def history_later_note(first: str, lang: str = "en") -> str:
    if _de(lang):
        return (f"Zu diesem Stichtag war noch kein Verlauf festgehalten: Er beginnt am {first}. Fragen "
                "Sie zu einem späteren Stand.")
    return f"No history was kept by that day: it starts on {first}. Ask as of a later day."


def losses_notes(losses: Any, lang: str = "en") -> list[str]:
    """What the loss reasons' table needs said under it (insights.losses.Losses, passed in): a lost
    value that says nothing, how many changes read as significant by chance alone, and what the dash
    stands for in a grouped table."""
    de = _de(lang)
    said = []
    if losses.lost_value_unknown:
        said.append("Jeder in diesem Zeitraum verlorene Deal hat den Betrag 0: Der verlorene Wert sagt "
                    "hier nichts (manche CRMs leeren den Betrag verlorener Deals; exportieren Sie den "
                    "Betrag, den der Deal hatte)." if de else
                    "Every deal lost in this period has an amount of 0: the lost value says nothing "
                    "here (some CRMs clear a lost deal's amount; export the amount the deal had).")
    tested, significant = losses.tests
    if tested > 1:
        chance = f"{tested * 0.05:.1f}"
        verb = "ist" if significant == 1 else "sind"  # "Von 4 sind 1" read on the page (at the stop)
        said.append(f"Jede Änderung wird für sich auf dem 5-%-Niveau getestet: Von {tested} {verb} "
                    f"{significant} signifikant, rein zufällig wären es etwa {chance.replace('.', ',')}."
                    if de else
                    f"Each change is tested on its own at 5 %: {significant} of {tested} read as "
                    f"significant, where about {chance} would by chance alone.")
    if losses.by and any(r.group is None for r in losses.rows):
        said.append(f"–: ohne {word(losses.by, lang)}." if de
                    else f"–: no {word(losses.by, lang).lower()} recorded.")
    if losses.closed_ahead is not None:
        said.append(closed_ahead_text(losses.closed_ahead, lang))
    return said


def accuracy_not_kept(lang: str = "en") -> str:
    if _de(lang):
        return ("Für diesen Zeitpunkt wurde noch keine Prognose festgehalten: Der Verlauf beginnt mit "
                "dem ersten Import.")
    return "No forecast was kept at that moment: the history starts with the first import."
