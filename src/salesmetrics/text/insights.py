"""The sentences of the insights, in English and German: a rep's diagnosis, the verdict on the
promoters' orders, the sales cycle's two figures, and what "ramped" means as the settings say.

The insights compute; these only say it. Each takes the facts it needs (a protocol, not the insight's
own class, so the words stay below the insights)."""

from __future__ import annotations

from typing import Any, Protocol

from ..kpis.model import Text
from ..settings import Settings
from .numbers import format_number


class DiagnosisFacts(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def activity(self) -> str | None: ...
    @property
    def conversion(self) -> str | None: ...
    @property
    def figures(self) -> dict[str, Any]: ...
    @property
    def activity_missing(self) -> str | None: ...


class CycleFacts(Protocol):
    @property
    def average(self) -> Any: ...
    @property
    def average_ci(self) -> tuple[Any, Any]: ...
    @property
    def won(self) -> int: ...
    @property
    def median(self) -> Any: ...
    @property
    def median_ci(self) -> tuple[Any, Any]: ...
    @property
    def still_open(self) -> int: ...
    @property
    def oldest_open_days(self) -> int | None: ...
    @property
    def longer_than_average(self) -> int: ...
    @property
    def median_lower_bound(self) -> Any: ...


# -- a rep's scorecard ---------------------------------------------------------------------------
def _pct(value: Any, lang: str = "en") -> str:
    return "–" if value is None else f"{format_number(float(value) * 100, lang, '#,##0')} %"


def _activity_missing_text(d: DiagnosisFacts, de: bool) -> str:
    if d.activity_missing == "not_imported":
        return ("Die Aktivitätshälfte der Einschätzung braucht Aktivitäten: Es sind keine importiert "
                "(activities.csv), daher lässt sich nicht sagen, ob dieser Mitarbeiter mehr oder weniger "
                "arbeitet als das Team." if de else
                "The activity half of the diagnosis needs activities: none are imported (activities.csv), "
                "so whether this rep works more or less than the team cannot be told.")
    return ("Die Aktivitätshälfte der Einschätzung braucht Aktivitäten: Für das Team sind in diesem "
            "Zeitraum keine erfasst, daher lässt sich nicht sagen, ob dieser Mitarbeiter mehr oder "
            "weniger arbeitet als das Team." if de else
            "The activity half of the diagnosis needs activities: none of the team's are logged in this "
            "period, so whether this rep works more or less than the team cannot be told.")


def diagnosis_label_key(code: str | None, activity: str | None) -> str | None:
    """The catalogue key of a diagnosis in a word or two (the leaderboard's column): "in line" with
    activity beyond the team's is said as working more than the team, as the verdict says it."""
    if code is None:
        return None
    return f"diagnosis_{code}_busy" if code == "in_line" and activity == "high" else f"diagnosis_{code}"


def diagnosis_verdict(d: DiagnosisFacts, lang: str = "en", *, min_closed: int, min_peers: int) -> str:
    """The diagnosis in one or two sentences (English or German), without its figures."""
    de = lang.lower().startswith("de")
    verdict = _verdict(d, de, min_closed, min_peers)
    if d.activity_missing:
        return f"{verdict} {_activity_missing_text(d, de)}"
    return verdict


def _verdict(d: DiagnosisFacts, de: bool, min_closed: int, min_peers: int) -> str:
    f = d.figures
    if d.code == "not_enough_data":
        return _what_is_missing(f, de, min_closed, min_peers)
    if d.activity_missing and d.code == "in_line":  # conversion alone: say nothing of the work
        return ("Schließt ab wie das Team: Der Unterschied liegt im Rauschen." if de else
                "Converts like the team: the difference is within noise.")
    # "Converts as well as the team" would claim what a wide interval cannot: with conversion
    # "typical" the win rate may be 16 % against the team's 28 %, only too few deals to tell apart.
    if de:
        return {
            "needs_more_activity": ("Arbeitet wenig, schließt aber gut ab: braucht mehr Aktivität, "
                                    "keine Schulung." if d.conversion == "high" else
                                    "Arbeitet weniger als das Team; die Gewinnrate lässt sich von der "
                                    "des Teams nicht unterscheiden (Unterschied im Rauschen): braucht "
                                    "mehr Aktivität."),
            "needs_training": "Arbeitet viel, schließt aber schlecht ab: braucht Schulung im Abschluss, "
                              "nicht mehr Aktivität." if d.activity == "high" else
                              "Schließt schlechter ab als das Team: braucht Schulung im Abschluss.",
            "needs_activity_and_training": "Wenig Aktivität und schwacher Abschluss: braucht beides, "
                                           "mehr Aktivität und Schulung.",
            "strong": "Schließt besser ab als das Team: ein Vorbild, von dem andere lernen können.",
            "in_line": ("Arbeitet mehr als das Team; ob besser oder schlechter abgeschlossen wird, lässt "
                        "sich noch nicht sagen: Der Unterschied der Gewinnrate zum Team liegt im "
                        "Rauschen." if d.activity == "high"
                        else "Im Rahmen des Teams: Unterschiede liegen im Rauschen."),
        }[d.code]
    return {
        "needs_more_activity": ("Works little but converts well: needs more activity, not training."
                                if d.conversion == "high" else
                                "Works less than the team, with a win rate not told apart from the "
                                "team's (the difference is within noise): needs more activity."),
        "needs_training": "Works a lot but converts poorly: needs training in closing, not more "
                          "activity." if d.activity == "high" else
                          "Converts worse than the team: needs training in closing.",
        "needs_activity_and_training": "Little activity and weak conversion: needs both, more activity "
                                       "and training.",
        "strong": "Converts better than the team: someone the others can learn from.",
        "in_line": ("Works more than the team; whether it converts better or worse cannot be told yet: "
                    "the win rate's difference from the team's is within noise." if d.activity == "high"
                    else "In line with the team: the differences are within noise."),
    }[d.code]


def _what_is_missing(f: dict[str, Any], de: bool, min_closed: int, min_peers: int) -> str:
    """Not enough data, saying which of the two things is missing (closed deals, or teammates to
    compare with), never a requirement already met ("at least 2 teammates" in a team of 7)."""
    missing = []
    if f["closed_deals"] < min_closed:
        # "closed deals in the period: 1", not "1 closed deals": right for any number.
        missing.append(f"abgeschlossene Deals im Zeitraum: {f['closed_deals']} (nötig sind mindestens "
                       f"{min_closed})" if de else
                       f"closed deals in the period: {f['closed_deals']} (at least {min_closed} are "
                       "needed)")
    teammates = f.get("teammates", 0)
    with_rate = f.get("teammates_with_win_rate", 0)
    if teammates < min_peers:
        missing.append(f"Teamkollegen mit Daten im Zeitraum: {teammates} (nötig sind mindestens "
                       f"{min_peers} zum Vergleich)" if de else
                       f"teammates with records in the period: {teammates} (at least {min_peers} are "
                       "needed to compare with)")
    elif not with_rate:
        missing.append("kein Teamkollege hat im Zeitraum eine Gewinnrate" if de else
                       "no teammate has a win rate in the period")
    head = "Nicht genug Daten für ein Urteil" if de else "Not enough data for a verdict"
    return f"{head}: {'; '.join(missing)}." if missing else f"{head}."


def diagnosis_text(d: DiagnosisFacts, lang: str = "en", *, min_closed: int, min_peers: int) -> str:
    """The verdict followed by the figures it rests on."""
    verdict = diagnosis_verdict(d, lang, min_closed=min_closed, min_peers=min_peers)
    if d.code == "not_enough_data":
        return verdict
    f = d.figures
    de = lang.lower().startswith("de")
    lang = "de" if de else "en"
    ci = f.get("win_rate_ci") or [None, None]
    rate, low, high, team = (_pct(v, lang) for v in (f["win_rate"], ci[0], ci[1],
                                                     f["team_median_win_rate"]))
    if d.activity_missing:  # the win rate alone: no activity figures to show
        if de:
            return f"{verdict} Gewinnrate {rate} (95-%-Intervall {low}–{high}) gegenüber {team} im Team."
        return f"{verdict} Win rate {rate} (95 % interval {low}–{high}) against the team's {team}."
    # Counts and ratios as the language writes numbers (Babel): 1.176 and 23,06 in German.
    count, median, per, team_per = (format_number(f[k], lang) for k in (
        "activities", "team_median_activities", "activities_per_closed_deal",
        "team_median_activities_per_closed_deal"))
    if de:
        facts = (f"{count} Aktivitäten (Team-Median {median}), {per} je abgeschlossenem Deal (Team "
                 f"{team_per}); Gewinnrate {rate} (95-%-Intervall {low}–{high}) gegenüber {team} im Team.")
    else:
        facts = (f"{count} activities (team median {median}), {per} per closed deal (team {team_per}); "
                 f"win rate {rate} (95 % interval {low}–{high}) against the team's {team}.")
    return f"{verdict} {facts}"


# -- satisfaction ----------------------------------------------------------------------------------
# The verdict on the article's claim that promoters' orders are 33 % larger ({min_accounts}: the
# accounts each side needs before there is a verdict).
SATISFACTION_VERDICTS = {
    "en": {
        "not_enough_data": "Not enough data: at least {min_accounts} promoter and {min_accounts} detractor "
                           "accounts with won deals are needed.",
        "supports_claim": "Promoters spend more per order, and the records are consistent with the "
                          "article's +33 %.",
        "higher_than_claimed": "Promoters spend more per order, by more than the article's +33 %.",
        "lower_than_claimed": "Promoters' orders are clearly below the article's +33 % over detractors'.",
        "no_difference": "No difference beyond noise: the records cannot tell promoters' orders from "
                         "detractors'.",
    },
    "de": {
        "not_enough_data": "Nicht genug Daten: nötig sind mindestens {min_accounts} Promotoren- und "
                           "{min_accounts} Kritiker-Kunden mit gewonnenen Deals.",
        "supports_claim": "Promotoren geben je Bestellung mehr aus, und die Daten passen zu den +33 % des "
                          "Artikels.",
        "higher_than_claimed": "Promotoren geben je Bestellung mehr aus, und zwar mehr als die +33 % des "
                               "Artikels.",
        "lower_than_claimed": "Promotoren geben je Bestellung deutlich weniger als 33 % mehr aus als "
                              "Kritiker.",
        "no_difference": "Kein Unterschied jenseits des Rauschens: Die Daten unterscheiden die "
                         "Bestellungen von Promotoren und Kritikern nicht.",
    },
}


# Beside a verdict on fewer than 30 accounts a side (Satisfaction.flags).
SATISFACTION_FEW = {
    "en": " On few accounts ({promoters} promoters, {detractors} detractors): a hint, not a finding.",
    "de": " Bei wenigen Kunden ({promoters} Promotoren, {detractors} Kritiker): ein Hinweis, kein Befund.",
}


# -- the sales cycle -------------------------------------------------------------------------------
def cycle_text(c: CycleFacts, lang: str = "en") -> str:
    """The average over won deals beside the Kaplan-Meier median, and why they differ; without a
    deal won, what can be said instead."""
    de = lang.lower().startswith("de")

    def days(v: Any) -> str:
        return format_number(None if v is None else round(float(v)), "de" if de else "en", "#,##0")

    if not c.won and not c.still_open:
        return ("Kein Deal wurde in diesem Zeitraum gewonnen oder war offen: Es gibt keinen "
                "Verkaufszyklus zu messen." if de else
                "No deal was won or open in this period: there is no sales cycle to measure.")

    def ci(low: Any, high: Any) -> str:  # no interval: nothing, rather than dashes
        top = "…" if high is None else days(high)  # a median's interval may be open-ended
        return "" if low is None and high is None else f" (95 %: {days(low)}–{top})"

    median = days(c.median) if c.median is not None else (
        "nicht erreicht" if de else "not reached")
    if c.median is None and c.median_lower_bound is not None:
        median = f"{'über' if de else 'over'} {days(c.median_lower_bound)}"
    if not c.won and c.median is None and c.median_lower_bound is None:
        # Open deals and no median (a period holding no record of them): nothing to say in days.
        return (f"Kein Deal wurde in diesem Zeitraum gewonnen, daher gibt es keinen Durchschnitt und auch "
                f"keinen Median: Die {c.still_open} offenen Deals haben in ihm keinen Datensatz." if de else
                f"No deal was won in this period, so there is no average, and no median either: the "
                f"{c.still_open} deals open across it have no record in it.")
    if not c.won:  # open deals only: no average, and the median beyond the oldest of them
        if de:
            return (f"Kein Deal wurde in diesem Zeitraum gewonnen, daher gibt es keinen Durchschnitt; "
                    f"Kaplan-Meier-Median {median} Tage mit {c.still_open} noch offenen Deals: Noch "
                    "keiner ist gewonnen, der Median liegt jenseits der längsten beobachteten Zeit.")
        return (f"No deal was won in this period, so there is no average; Kaplan-Meier median {median} "
                f"days with {c.still_open} deals still open: none is won yet, so the median lies beyond "
                "the longest time observed.")
    n_open, older = c.still_open, c.longer_than_average
    won_en = f"{c.won} won deal{'' if c.won == 1 else 's'}"
    won_de = f"{c.won} gewonnene{'n' if c.won == 1 else ''} Deal{'' if c.won == 1 else 's'}"
    open_en = f"{n_open} deal{'' if n_open == 1 else 's'} still open" if n_open else "no deal still open"
    open_de = f"mit {n_open} noch offenen Deal{'' if n_open == 1 else 's'}" if n_open else "ohne offenen Deal"
    oldest_en = f" (the oldest {days(c.oldest_open_days)} days)" if c.oldest_open_days else ""
    oldest_de = f" (der älteste {days(c.oldest_open_days)} Tage)" if c.oldest_open_days else ""
    older_en = (f"{older} open deal{'' if older == 1 else 's'} {'is' if older == 1 else 'are'} already "
                f"older than the average{oldest_en}")
    older_de = (f"{older} offene{'r' if older == 1 else ''} Deal{'' if older == 1 else 's'} "
                f"{'ist' if older == 1 else 'sind'} schon älter als der Durchschnitt{oldest_de}")
    # Why the two differ depends on the records, compared as they are said (whole days): the open
    # deals lengthen the median only where they are older than the won deals took; with none open,
    # or young ones, it is the spread of the won deals' cycles (a fixed sentence said "and so comes
    # out longer" beside a shorter median).
    if c.median is None or c.average is None:
        order = "longer"  # not reached: beyond the longest time observed
    else:
        m, a = round(float(c.median)), round(float(c.average))
        order = "same" if days(c.median) == days(c.average) else "shorter" if m < a else "longer"
    if de:
        head = (f"Durchschnitt {days(c.average)} Tage über {won_de}{ci(*c.average_ci)}; Kaplan-Meier-"
                f"Median {median} Tage{ci(*c.median_ci)} {open_de}. ")
        if not n_open:
            why = ("Kein Deal ist am Ende des Zeitraums offen, beide beruhen also nur auf den gewonnenen: "
                   + {"same": "Sie stimmen überein.",
                      "shorter": "Die längsten Zyklen ziehen den Durchschnitt nach oben.",
                      "longer": "Die kürzesten Zyklen ziehen den Durchschnitt nach unten."}[order])
        elif order == "same":
            why = ("Beide stimmen überein: Kaplan-Meier zählt die offenen Deals als „bis jetzt nicht "
                   "gewonnen“ mit" + (f", und {older_de}." if older else ", keiner ist älter als der "
                                      "Durchschnitt."))
        elif order == "shorter":
            why = ("Der Durchschnitt sieht nur gewonnene Deals; Kaplan-Meier zählt die offenen als „bis "
                   "jetzt nicht gewonnen“ mit, und doch fällt der Median kürzer aus: Einige lange Zyklen "
                   "ziehen den Durchschnitt nach oben" + (f"; {older_de}." if older else "."))
        elif older:
            why = (f"Der Durchschnitt sieht nur gewonnene Deals; {older_de}. Kaplan-Meier zählt sie "
                   "als „bis jetzt nicht gewonnen“ und fällt darum länger aus; steht der Median auf "
                   "„nicht erreicht“, ist noch nicht die Hälfte der Deals gewonnen – oft ein Zeichen "
                   "für liegengebliebene Deals, die geschlossen gehören.")
        else:
            why = ("Der Durchschnitt sieht nur gewonnene Deals; keiner der offenen ist älter als er. "
                   "Der Median fällt länger aus, weil einige kurze Zyklen den Durchschnitt nach unten "
                   "ziehen oder die offenen Deals noch nicht gewonnen sind.")
        return head + why
    head = (f"Average {days(c.average)} days over {won_en}{ci(*c.average_ci)}; Kaplan-Meier median "
            f"{median} days{ci(*c.median_ci)} with {open_en}. ")
    if not n_open:
        why = ("No deal is open at the period's end, so both rest on the won deals alone: "
               + {"same": "they agree.", "shorter": "the longest cycles pull the average up.",
                  "longer": "the shortest cycles pull the average down."}[order])
    elif order == "same":
        why = ("The two agree: Kaplan-Meier counts the open deals too, as 'not won yet'"
               + (f", and {older_en}." if older else ", none of them older than the average."))
    elif order == "shorter":
        why = ("The average sees only won deals; Kaplan-Meier counts the open ones too, as 'not won "
               "yet', and still its median comes out shorter: a few long cycles pull the average up"
               + (f"; {older_en}." if older else "."))
    elif older:
        why = (f"The average sees only won deals; {older_en}. Kaplan-Meier counts them as 'not won "
               "yet' and so comes out longer; a median 'not reached' means fewer than half of the "
               "deals have been won yet, often a sign of stale deals that should be closed.")
    else:
        why = ("The average sees only won deals; none of the open ones is older than it. The median "
               "comes out longer as a few short cycles pull the average down, or as the open deals "
               "are not won yet.")
    return head + why


# -- ramp ----------------------------------------------------------------------------------------
def rule_text(settings: Settings) -> Text:
    """The ramp rule as set, in words: what "ramped" means in this workspace."""
    en, de = (f"{format_number(settings.ramp_threshold * 100, lang, '#,##0.###')} %" for lang in ("en", "de"))
    k, n = settings.ramp_sustain
    if settings.ramp_rule == "quota":
        target = Text(f"{en} of their quota (reps without a quota: of the median monthly revenue of "
                      "reps past 12 months' tenure)",
                      f"{de} der eigenen Quote (ohne Quote: des Median-Monatsumsatzes der "
                      "Mitarbeiter mit mehr als 12 Monaten Betriebszugehörigkeit)")
    else:
        target = Text(f"{en} of the median monthly revenue of reps past 12 months' tenure",
                      f"{de} des Median-Monatsumsatzes der Mitarbeiter mit mehr als 12 Monaten "
                      "Betriebszugehörigkeit")
    if n == 1:
        return Text(f"Ramped: a rep at {target.en} in a month (ramp_sustain {k}/{n}).",
                    f"Eingearbeitet: wer in einem Monat {target.de} erreicht (ramp_sustain {k}/{n}).")
    return Text(
        f"Ramped: a rep at {target.en} in {k} of {n} consecutive months, not in one lucky month; the "
        f"ramp month is the first of those {k} (setting ramp_sustain {k}/{n}).",
        f"Eingearbeitet: wer in {k} von {n} aufeinanderfolgenden Monaten {target.de} erreicht, nicht in "
        f"einem einzelnen Glücksmonat; der Einarbeitungsmonat ist der erste dieser {k} (Einstellung "
        f"ramp_sustain {k}/{n}).",
    )
