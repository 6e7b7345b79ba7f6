"""The words of enablement programs and their effect, in English and German: the kinds, the effect
of a program in the KPI's unit with a sign, and the sentence that reads an effect row (or an
onboarding comparison) for a person, null results included.

The analysis (:mod:`salesmetrics.insights.program_effect`) computes; these only say it. They take
the facts they need (protocols), so the words stay below the insights."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from babel.numbers import format_currency, format_decimal

from ..kpis import REGISTRY
from .numbers import LOCALES, format_p_value, format_value

KINDS: dict[str, tuple[str, str]] = {
    "training": ("training", "Schulung"),
    "onboarding": ("onboarding", "Einarbeitung"),
    "playbook": ("playbook", "Playbook"),
    "content": ("sales content", "Vertriebsinhalte"),
    "tool": ("tool", "Werkzeug"),
}

# What a group's figure is (the effect row's ``basis``), said after the KPI's title.
BASIS: dict[str, tuple[str, str]] = {
    "pooled": ("", ""),
    "per_rep_per_week": ("per rep and week", "je Mitarbeiter und Woche"),
    "mean_per_rep": ("mean per rep", "Mittel je Mitarbeiter"),
}


def _de(lang: str) -> bool:
    return lang.lower().startswith("de")


def kind_text(kind: str, lang: str = "en") -> str:
    pair = KINDS.get(kind)
    return kind if pair is None else pair[1 if _de(lang) else 0]


def kpi_label(kpi: str, basis: str, lang: str = "en") -> str:
    """The KPI's title, with what a group's figure is where that is not the KPI's own pooling:
    ``Activities (per rep and week)``."""
    title = REGISTRY[kpi].title.get(lang)
    extra = BASIS.get(basis, ("", ""))[1 if _de(lang) else 0]
    return f"{title} ({extra})" if extra else title


def format_group_value(value: Any, unit: str, currency: str | None, lang: str = "en") -> str:
    """A group's figure in a window; activities per rep and week keep a decimal."""
    if value is not None and unit == "count":
        return str(format_decimal(value, format="#,##0.0#", locale=LOCALES["de" if _de(lang) else "en"]))
    return format_value(value, unit, currency, lang)


def format_effect(value: Any, unit: str, currency: str | None, lang: str = "en") -> str:
    """An effect with its sign, in the KPI's unit: ``+12.3 pp``, ``-$420.00``, ``+2.5 days``."""
    if value is None:
        return "–"
    locale = LOCALES["de" if _de(lang) else "en"]
    if unit == "ratio":
        points = " Pp." if _de(lang) else " pp"
        return str(format_decimal(float(value) * 100, format="+#,##0.0;-#,##0.0", locale=locale)) + points
    if unit == "money" and currency:
        text = str(format_currency(abs(value), currency, locale=locale))
        return ("-" if value < 0 else "+") + text
    if unit == "days":
        days = format_decimal(value, format="+#,##0.0;-#,##0.0", locale=locale)
        return f"{days} {'Tage' if _de(lang) else 'days'}"
    return str(format_decimal(value, format="+#,##0.0#;-#,##0.0#", locale=locale))


def effect_span(low: Any, high: Any, unit: str, currency: str | None, lang: str = "en") -> str:
    if low is None or high is None:
        return ""
    return f"{format_effect(low, unit, currency, lang)} – {format_effect(high, unit, currency, lang)}"


def p_text(p: float, lang: str = "en") -> str:
    """``p = 0.023``, or ``p < 0.001``."""
    shown = format_p(p, lang)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def format_unit_cost(value: Any, currency: str | None, lang: str = "en") -> str:
    """What one unit of extra revenue cost, to four places: ``$0.0137``."""
    locale = LOCALES["de" if _de(lang) else "en"]
    if currency is None:
        return str(format_decimal(value, format="#,##0.0000", locale=locale))
    return str(format_currency(value, currency, format="¤#,##0.0000" if not _de(lang) else "#,##0.0000 ¤",
                               locale=locale, currency_digits=False))


def format_p(p: float | None, lang: str = "en") -> str:
    if p is None:
        return "–"
    return format_p_value(p, lang)


class EffectFacts(Protocol):
    @property
    def kpi(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def effect(self) -> Any: ...
    @property
    def ci_low(self) -> Any: ...
    @property
    def ci_high(self) -> Any: ...
    @property
    def p_value(self) -> float | None: ...
    @property
    def flags(self) -> tuple[str, ...]: ...
    @property
    def n_participants(self) -> int: ...
    @property
    def n_others(self) -> int: ...
    @property
    def others_change(self) -> Any: ...


def cost_caveat(row: EffectFacts, lang: str = "en") -> str:
    """What a cost per extra win or per unit of revenue must be read with, said for its reason: no
    comparison group (the change may be the season's), few reps or deals behind an effect beyond
    noise (a hint), or an effect not shown beyond noise. "Not shown beyond noise" stood under "beyond
    noise (p < 0.001), but on few reps" and under a plain before and after (the enablement tester)."""
    from .catalogue import text

    if "no_comparison_group" in row.flags:
        return text("cost_no_comparison", lang)
    if "cost_within_noise" not in row.flags:
        return ""
    if row.p_value is not None and row.p_value < 0.05 and "small_sample" in row.flags:
        return text("cost_hint", lang)
    return text("cost_noise", lang)


def effect_sentence(row: EffectFacts, currency: str | None, lang: str = "en") -> str:
    """One effect row read for a person: the effect beyond the comparison group, its interval, and
    whether it is beyond noise; a null result says what it does and does not mean."""
    de = _de(lang)
    title = kpi_label(row.kpi, row.basis, lang)
    if row.effect is None:
        from .figures import format_flag

        # Records never imported (activities of a deals export) say so, not "no participant".
        missing = [format_flag(f, lang) for f in row.flags if f != "no_data"]
        if missing:
            return f"{title}: {'nicht messbar' if de else 'not measurable'}, {missing[0]}."
        return (f"{title}: nicht messbar, kein Teilnehmer hat in beiden Zeitfenstern einen Wert."
                if de else f"{title}: not measurable, no participant has a figure in both windows.")
    effect = format_effect(row.effect, row.unit, currency, lang)
    span = effect_span(row.ci_low, row.ci_high, row.unit, currency, lang)
    plain = "no_comparison_group" in row.flags
    if de:
        what = (f"{title}: {effect} gegenüber vorher (ohne Vergleichsgruppe: ein reiner Vorher-Nachher-"
                "Vergleich, der auch Saison und Markt enthält)" if plain else
                f"{title}: {effect} über die Veränderung der Vergleichsgruppe hinaus")
    else:
        what = (f"{title}: {effect} against before (no comparison group: a plain before and after, which "
                "also holds the season and the market)" if plain else
                f"{title}: {effect} beyond the comparison group's change")
    if not span or row.p_value is None:
        tail = (" Zu wenige Mitarbeiter für ein Intervall." if de else " Too few reps for an interval.")
        return f"{what}.{tail}"
    p = p_text(row.p_value, lang)
    if row.p_value < 0.05 and "small_sample" in row.flags:
        # The reps' spread alone: with few reps or deals it can be nil (ten deals read p < 0.001).
        tail = (f" (95 %: {span}), jenseits des Rauschens ({p}), doch bei wenigen Mitarbeitern oder "
                "Abschlüssen: ein Hinweis, kein Befund." if de else
                f" (95 %: {span}), beyond noise ({p}), but on few reps or deals: a hint, not a finding.")
    elif row.p_value < 0.05:
        tail = (f" (95 %: {span}), jenseits des Rauschens ({p})." if de else
                f" (95 %: {span}), beyond noise ({p}).")
    else:
        tail = (f" (95 %: {span}), im Rauschen ({p}): Auch gar kein Effekt passt zu den Daten; "
                "dass es keinen gibt, belegen sie aber nicht. Jeder Effekt im Intervall ist mit ihnen "
                "vereinbar." if de else
                f" (95 %: {span}), within noise ({p}): the data do not rule out no effect, nor do they "
                "show there is none; any effect inside the interval fits them.")
    if "seasonality" in row.flags:
        moved = format_effect(row.others_change, row.unit, currency, lang)
        tail += (f" Die Vergleichsgruppe selbst hat sich jenseits des Rauschens verändert ({moved}): Saison "
                 "oder Markt haben alle bewegt; der Effekt ist die Veränderung darüber hinaus." if de else
                 f" The comparison group itself moved beyond noise ({moved}): the season or the market "
                 "moved everyone; the effect is the change beyond that.")
    return what + tail


class RampingFacts(Protocol):
    @property
    def participants(self) -> tuple[str, ...]: ...
    @property
    def others(self) -> tuple[str, ...]: ...
    @property
    def ramping(self) -> tuple[str, ...]: ...
    @property
    def ramping_others(self) -> tuple[str, ...]: ...


RAMPING_NAMED = 10  # participants still new named at most


def ramping_text(e: RampingFacts, names: Mapping[str, str], since: str, lang: str = "en") -> str | None:
    """The measured reps still new in the window before, participants named: their ramp is not the
    program's doing. None where there are none."""
    from .catalogue import text

    if not e.ramping and not e.ramping_others:
        return None
    named = ", ".join(names.get(r, r) for r in e.ramping[:RAMPING_NAMED])
    if len(e.ramping) > RAMPING_NAMED:
        named = text("import_deleted_more", lang, shown=named, n=len(e.ramping) - RAMPING_NAMED)
    compared = (text("program_ramping_others", lang, m=len(e.ramping_others), others=len(e.others))
                if e.others else "")
    return text("program_ramping", lang, since=since, n=len(e.ramping), of=len(e.participants),
                reps=f" ({named})" if named else "", compared=compared)


class LeftOutFacts(Protocol):
    @property
    def not_measured(self) -> tuple[tuple[str, str, date | None], ...]: ...


def not_measured_text(e: LeftOutFacts, names: Mapping[str, str], day: Callable[[date], str],
                      lang: str = "en") -> str | None:
    """The participants the effect does not rest on, each with why: ``Not measured: Ann (hired
    2026-05-01, after the start)``. None where every participant is measured."""
    from .catalogue import text

    if not e.not_measured:
        return None
    said = [text(f"not_measured_{why}", lang, rep=names.get(rep, rep), hired=day(hired) if hired else "")
            for rep, why, hired in e.not_measured]
    return text("program_not_measured", lang, reps="; ".join(said))


class AlsoInFacts(Protocol):
    @property
    def also_in(self) -> tuple[tuple[str, date, tuple[str, ...]], ...]: ...

    @property
    def participants(self) -> tuple[str, ...]: ...


def also_in_text(e: AlsoInFacts, day: Callable[[date], str], lang: str = "en") -> str | None:
    """The other programs measured participants took within the windows, each with how many: the
    effect is theirs too. None where there are none."""
    from .catalogue import text

    if not e.also_in:
        return None
    said = [text("program_also_in_one", lang, n=len(reps), of=len(e.participants), name=name,
                 start=day(start)) for name, start, reps in e.also_in]
    return text("program_also_in", lang, programs="; ".join(said))


def flags_text(flags: Sequence[str], lang: str = "en") -> str:
    from .figures import format_flag

    return ", ".join(format_flag(f, lang) for f in flags if f != "no_data")


class HireFacts(Protocol):
    @property
    def reps(self) -> tuple[str, ...]: ...
    @property
    def ramped(self) -> int: ...
    @property
    def median_months(self) -> float | None: ...
    @property
    def ci_low(self) -> float | None: ...
    @property
    def ci_high(self) -> float | None: ...


def months_text(value: float | None, lang: str = "en") -> str:
    if value is None:
        return "nicht erreicht" if _de(lang) else "not reached"
    n = format_decimal(value, format="#,##0.#", locale=LOCALES["de" if _de(lang) else "en"])
    return f"{n} {'Monate' if _de(lang) else 'months'}"


def hires_text(group: HireFacts, lang: str = "en") -> str:
    """``5 hires, 4 ramped; median 6 months (95 %: 4 to 9 months)``."""
    de = _de(lang)
    n = len(group.reps)
    median = months_text(group.median_months, lang)
    if group.ci_low is None:
        band = ""
    else:
        high = ("offen" if de else "open") if group.ci_high is None else months_text(group.ci_high, lang)
        band = f" (95 %: {months_text(group.ci_low, lang)} – {high})"
    if de:
        return f"{n} Neuzugänge, {group.ramped} eingearbeitet; Median {median}{band}"
    return f"{n} hire{'s' if n != 1 else ''}, {group.ramped} ramped; median {median}{band}"


def onboarding_sentence(before: HireFacts, after: HireFacts, p_value: float | None, flags: Sequence[str],
                        competent: int, top: int, lang: str = "en") -> str:
    de = _de(lang)
    p = "p = –" if p_value is None else p_text(p_value, lang)
    few = "small_sample" in flags
    verdict = ("" if p_value is None else
               (" jenseits des Rauschens, doch bei wenigen Neuzugängen: ein Hinweis, kein Befund" if de else
                " beyond noise, but on few hires: a hint, not a finding") if p_value < 0.05 and few else
               (" jenseits des Rauschens" if de else " beyond noise") if p_value < 0.05 else
               (" im Rauschen: mit so wenigen Neuzugängen ist ein Unterschied schwer zu belegen" if de
                else " within noise: with this few hires a difference is hard to show"))
    if de:
        return (f"Vor der Änderung eingestellt: {hires_text(before, lang)}. "
                f"Danach: {hires_text(after, lang)}. "
                f"Log-Rank-Test {p}{verdict}. RAIN Group: etwa {competent} Monate bis zur Kompetenz, "
                f"{top} bis zur Spitzenleistung.")
    return (f"Hired before the change: {hires_text(before, lang)}. After: {hires_text(after, lang)}. "
            f"Log-rank test {p}{verdict}. RAIN Group: about {competent} months to competency, {top} to "
            "top performance.")
