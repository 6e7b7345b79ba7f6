"""Text faces of enablement programs: the list, one program, and its effect (Rich tables, words from
:mod:`salesmetrics.text`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from rich.table import Table

from ..insights.program_effect import ProgramEffect
from ..insights.ramp import BENCHMARK_COMPETENT, BENCHMARK_TOP
from ..programs import Program
from ..text.catalogue import text
from ..text.numbers import format_value
from ..text.programs import (
    also_in_text,
    cost_caveat,
    effect_sentence,
    effect_span,
    flags_text,
    format_effect,
    format_group_value,
    format_p,
    format_unit_cost,
    kind_text,
    kpi_label,
    months_text,
    not_measured_text,
    onboarding_sentence,
    ramping_text,
)
from .tables import fit


def _cost(p: Program, lang: str) -> str:
    return "" if p.cost is None else format_value(p.cost, "money", p.currency, lang)


def programs_table(programs: Sequence[Program], lang: str = "en", width: int | None = None) -> Table:
    t = Table(title=text("programs_title", lang), title_justify="left")
    for key in ("program_id", "program_name", "program_kind", "program_start", "program_end"):
        t.add_column(text(key, lang), no_wrap=key in ("program_id", "program_start", "program_end"))
    t.add_column(text("program_cost", lang), justify="right", no_wrap=True)
    t.add_column(text("program_participants", lang), justify="right", no_wrap=True)
    for p in programs:
        t.add_row(p.program_id, p.name, kind_text(p.kind, lang), p.start_on.isoformat(),
                  p.end_on.isoformat() if p.end_on else "", _cost(p, lang), str(len(p.participants)))
    return fit(t, width, [text("program_cost", lang), text("program_kind", lang)], lang)


def program_text(p: Program, names: Mapping[str, str], lang: str = "en") -> str:
    who = ", ".join(f"{names[r]} ({r})" if r in names else r for r in p.participants)
    lines = [f"{p.name} ({p.program_id}): {kind_text(p.kind, lang)}",
             f"{text('program_start', lang)}: {p.start_on.isoformat()}"
             + (f", {text('program_end', lang)}: {p.end_on.isoformat()}" if p.end_on else "")]
    if p.cost is not None:
        lines.append(f"{text('program_cost', lang)}: {_cost(p, lang)}")
    lines.append(f"{text('program_participants', lang)} ({len(p.participants)}): {who}")
    return "\n".join(lines)


def windows_text(e: ProgramEffect, lang: str = "en") -> str:
    span = "{} – {}"
    key = "program_windows_cut" if e.cut else "program_windows"
    return text(key, lang, days=e.before.days, window=e.window_days,
                before=span.format(e.before.start.isoformat(), e.before.last_day.isoformat()),
                after_from=e.after.start.isoformat(),
                after=span.format(e.after.start.isoformat(), e.after.last_day.isoformat()))


def comparison_text(e: ProgramEffect, names: Mapping[str, str], lang: str = "en") -> str:
    rule = text("comparison_auto", lang) if e.comparison == "auto" else e.comparison
    reps = ", ".join(names.get(r, r) for r in e.others) or "–"
    said = text("program_comparison", lang, rule=rule, reps=reps)
    since = e.ramping_since.isoformat() if e.ramping_since else ""
    more = [ramping_text(e, names, since, lang), not_measured_text(e, names, date.isoformat, lang),
            also_in_text(e, date.isoformat, lang)]
    return "\n".join([said, *(m for m in more if m)])


def effect_table(e: ProgramEffect, lang: str = "en", width: int | None = None) -> Table:
    t = Table(title=f"{e.program.name}: {windows_text(e, lang)}", title_justify="left")
    t.add_column("KPI")
    for key in ("participants_before", "participants_after", "others_before", "others_after", "effect"):
        t.add_column(text(key, lang), justify="right", no_wrap=True)
    t.add_column("95 %", justify="right", no_wrap=True)
    t.add_column("p", justify="right", no_wrap=True)
    t.add_column(text("reps_compared", lang), justify="right", no_wrap=True)
    t.add_column(text("notes", lang))
    for r in e.rows:
        currency = r.currency
        t.add_row(
            kpi_label(r.kpi, r.basis, lang),
            *[format_group_value(v, r.unit, currency, lang) for v in
              (r.participants_before, r.participants_after, r.others_before, r.others_after)],
            format_effect(r.effect, r.unit, currency, lang),
            effect_span(r.ci_low, r.ci_high, r.unit, currency, lang),
            format_p(r.p_value, lang), f"{r.n_participants} / {r.n_others}", flags_text(r.flags, lang),
        )
    drop = [text(k, lang) for k in ("others_before", "participants_before", "reps_compared")] + ["p"]
    return fit(t, width, drop, lang)


def effect_text(e: ProgramEffect, lang: str = "en") -> str:
    lines = [effect_sentence(r, r.currency, lang) for r in e.rows]
    for r in e.rows:
        noise = cost_caveat(r, lang)
        if e.cost_share is not None and e.cost is not None:
            n, m = e.cost_share
            share = format_value(e.cost, "money", e.currency, lang)
            noise += text("cost_prorated_note", lang, n=n, m=m, cost=share)
        if r.cost_per_extra_won_deal is not None:
            lines.append(text("cost_per_won_deal", lang,
                              value=format_value(r.cost_per_extra_won_deal, "money", e.currency, lang))
                         + noise)
        if r.cost_per_extra_revenue is not None:
            lines.append(text("cost_per_revenue", lang,
                              value=format_unit_cost(r.cost_per_extra_revenue, e.currency, lang)) + noise)
    return "\n".join(lines)


def onboarding_table(e: ProgramEffect, lang: str = "en", width: int | None = None) -> Table:
    assert e.onboarding is not None
    o = e.onboarding
    t = Table(title=f"{e.program.name}: {text('onboarding_h', lang)}", title_justify="left")
    t.add_column("")
    t.add_column(text("hires", lang), justify="right", no_wrap=True)
    t.add_column(text("ramped", lang), justify="right", no_wrap=True)
    t.add_column(text("median_months", lang), justify="right", no_wrap=True)
    t.add_column("95 %", justify="right", no_wrap=True)
    for key, g in (("hired_before", o.hired_before), ("hired_after", o.hired_after)):
        band = ("" if g.ci_low is None else f"≥ {months_text(g.ci_low, lang)}" if g.ci_high is None
                else f"{months_text(g.ci_low, lang)} – {months_text(g.ci_high, lang)}")
        t.add_row(text(key, lang), str(len(g.reps)), str(g.ramped), months_text(g.median_months, lang), band)
    return fit(t, width, ["95 %"], lang)


def onboarding_text(e: ProgramEffect, lang: str = "en") -> str:
    assert e.onboarding is not None
    o = e.onboarding
    return onboarding_sentence(o.hired_before, o.hired_after, o.p_value, o.flags, BENCHMARK_COMPETENT,
                               BENCHMARK_TOP, lang)
