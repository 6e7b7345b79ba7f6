"""From the forecast, its accuracy, slippage and loss reasons to what the pages show: words, figures,
the forecast's bar and the links into the deals behind each part of it. Formatting only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..insights.forecast import BARS, Accuracy, Forecast, ForecastDeal, ForecastRow, Said, dates_word
from ..insights.losses import Losses
from ..insights.slippage import Slippage
from ..text.figures import format_significance
from ..text.forecast import (
    FIGURE_BY_ID,
    accuracy_not_kept,
    moved_out_note,
    no_push_note,
    notes_in_words,
    unseen_note,
    word,
)
from ..text.numbers import format_day, format_delta, format_times
from . import charts
from .views import Chart, Formatter, ViewState, raw

COLOURS = {"closed_won": charts.GREEN, "commit": charts.BLUE, "best_case": charts.SKY,
           "pipeline": charts.ORANGE}
# The bars the page can drill into: each part of the forecast's bar, the omitted and overdue deals.
DRILLABLE = (*BARS, "omitted", "overdue")


def explain(key: str, lang: str) -> str:
    """A figure's explanation (``salesmetrics kpis``, second part), for a tooltip."""
    found = FIGURE_BY_ID.get(key)
    return found.as_json(lang)["description"] if found else ""


def forecast_chart(result: Forecast, state: ViewState, f: Formatter) -> Chart:
    """The period's bar, drawn for a phone, a card and a wide screen; its data table links each
    part to the deals behind it (the bars themselves are no links: one tab stop per chart)."""
    lang = f.lang
    total = result.total
    parts = [charts.Bar(word(bar, lang), float(getattr(total, bar)), f.value(getattr(total, bar), "money"),
                        href=state.url("/forecast", bar=bar, by=result.by) + "#deals", colour=COLOURS[bar],
                        note=explain(bar, lang))
             for bar in BARS]
    quota = float(total.quota) if total.quota is not None else None
    label = f"{word('quota', lang)} {f.value(total.quota, 'money')}" if total.quota is not None else ""
    summary = ", ".join(f"{p.label} {p.text}" for p in parts) + (f"; {label}" if label else "")
    # The period in the reader's words and dates, as the line above it: "Forecast this-quarter
    # (2026-10-01..2026-12-31)" was the command's token, in the German page's chart too (a tester).
    title = f"{word('forecast', lang)}: {f.period(result.period)}"
    svg = charts.responsive("forecast-bar", lambda cid, width: charts.money_stack(
        cid, title, parts, summary=summary, target=quota, target_label=label, width=width), wide=True)
    rows: list[tuple[str, str, str | None]] = [(p.label, p.text, p.href) for p in parts]
    if total.quota is not None:
        rows.append((word("quota", lang), f.value(total.quota, "money"), None))
    return Chart("forecast-bar", title, svg, rows, wide=True)


def figures(row: ForecastRow, f: Formatter) -> list[dict[str, str]]:
    """The figures beside the bar: each with its explanation on hover."""
    lang = f.lang
    out = []
    for key in ("weighted", "call_commit", "call_best_case", "quota", "gap", "coverage"):
        value = getattr(row, key)
        shown = ((word("period_over", lang) if "quota_missed" in row.flags else format_times(value, lang))
                 if key == "coverage" else f.value(value, "money"))
        out.append({"key": key, "label": word(key, lang), "value": shown, "raw": raw(value),
                    "help": explain(key, lang)})
    return out


def rows(result: Forecast, f: Formatter, names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One line per rep or team (with ``by``), then everyone; a rep by name where ``names`` (id:
    name) has one, as the deals below list them (R016 read as nobody the leader knows)."""
    lang = f.lang
    lines = [(r.key, r) for r in result.rows] if result.by else []
    lines.append((None, result.total))
    named = names if result.by == "rep" and names else {}
    out = []
    for key, r in lines:
        cells = {bar: f.value(getattr(r, bar), "money") for bar in (*BARS, "weighted", "call_commit")}
        shown = word("everyone", lang) if key is None else named.get(key) or key
        out.append({"key": shown, "raw_key": key or "",
                    "cells": cells, "quota": f.value(r.quota, "money"), "gap": f.value(r.gap, "money"),
                    # A period over has no coverage: said in words, as the command line says it.
                    "coverage": (word("period_over", lang) if "quota_missed" in r.flags
                                 else format_times(r.coverage, lang)),
                    "overdue": f.value(r.overdue, "money")})
    return out


def notes(result: Forecast, f: Formatter) -> list[str]:
    # The deals no bar holds are said beside the bar (omitted), not among the notes.
    return notes_in_words(result, lambda value: f.value(value, "money"), f.lang, omitted=False)


@dataclass(frozen=True)
class DealsView:
    bar: str | None
    title: str
    rows: list[dict[str, str]]
    more: int  # deals behind it not listed (the API lists them all)
    day: str = "expected"  # the head of the dates' column: "close_date" where a won deal is listed


def deals(result: Forecast, bar: str | None, f: Formatter, shown: int,
          names: Mapping[str, str] | None = None) -> DealsView:
    """The first ``shown`` deals behind one part of the bar (``bar``), or behind all of them: a
    quarter at 1M deals has 45,000 won, which made a page of 14 MB and 11 s."""
    lang = f.lang
    chosen = bar if bar in DRILLABLE else None
    found: list[ForecastDeal] = result.overdue if chosen == "overdue" else [
        d for d in result.deals if chosen is None or d.bar == chosen]
    title = word(chosen, lang) if chosen else word("behind", lang)
    # Closed-won deals the forecast did not list (its ``listed``) are more of them.
    unlisted = result.unlisted if chosen in (None, "closed_won") else 0
    listed = found[:shown]
    return DealsView(chosen, title, [deal_row(d, f, names) for d in listed],
                     max(0, len(found) - shown) + unlisted, dates_word(listed))


def deal_row(d: ForecastDeal, f: Formatter, names: Mapping[str, str] | None = None) -> dict[str, str]:
    """A deal as the page lists it; the rep by name where ``names`` (id: name) has one, as the
    filter form offers them (R016 read as nobody the leader knows)."""
    lang = f.lang
    source = {"own": word("own", lang), "stage": word("stage_rate", lang)}.get(d.probability_source or "")
    chance = (f"{f.value(d.probability, 'ratio')} ({source})" if d.probability is not None else "–")
    when = d.close_day
    return {"deal_id": d.deal_id, "rep": (names or {}).get(d.rep) or d.rep, "team": d.team or "–",
            "bar": word(d.bar, lang),
            "bar_code": d.bar, "amount": f.value(d.amount, "money"), "raw_amount": raw(d.amount),
            "date": format_day(when, lang) if when else "–", "stage": d.stage or "–",
            "probability": chance, "weighted": f.value(d.weighted, "money")}


def moved_out(result: Slippage, f: Formatter, shown: int,
              names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The first ``shown`` deals moved out of the period, and how many more there are."""
    lang = f.lang
    if (unseen := unseen_note(result, lang)) is not None:
        return {"note": unseen, "rows": [], "more": 0}
    rows = [{"deal_id": r.deal_id, "rep": (names or {}).get(r.rep) or r.rep, "pushes": f.number(r.pushes),
             "days": f.value(r.days, "days"), "from": format_day(r.first, lang),
             "to": format_day(r.latest, lang), "amount": f.value(r.amount, "money")}
            for r in result.moved_out[:shown]]
    note = moved_out_note(len(result.moved_out), f.value(result.moved_out_amount, "money"), lang)
    return {"note": note if result.rows else f"{no_push_note(lang)} {note}",
            "rows": rows, "more": max(0, len(result.moved_out) - shown)}


def accuracy(result: Accuracy, f: Formatter) -> list[dict[str, str]]:
    """Everyone's line per past quarter: what closed, and the commit call at the start and the
    middle with its error."""
    lang = f.lang

    def said(s: Said, actual: Any) -> tuple[str, str]:
        if s.row is None:
            return word("not_kept", lang), "–"
        error = s.error(s.row.call_commit, actual)
        shown = "–" if error is None else (("+" if error >= 0 else "") + f.value(error, "ratio"))
        return f.value(s.row.call_commit, "money"), shown

    out = []
    for r in result.rows:
        if r.key is not None:
            continue
        start, start_error = said(r.start, r.actual)
        middle, middle_error = said(r.middle, r.actual)
        out.append({"period": r.period.label, "actual": f.value(r.actual, "money"), "start": start,
                    "start_error": start_error, "middle": middle, "middle_error": middle_error,
                    "kept": "yes" if r.start.row is not None else "no"})
    return out


def accuracy_note(result: Accuracy, lang: str) -> str | None:
    return accuracy_not_kept(lang) if any(r.start.row is None for r in result.rows) else None


def losses(result: Losses, f: Formatter) -> list[dict[str, str]]:
    """Everyone's loss reasons (the page asks for no grouping), most lost value first."""
    lang = f.lang
    out = []
    for r in result.rows:
        data = r.as_json(result.by)
        change = data["change"]
        out.append({
            "reason": r.reason or word("no_reason", lang), "code": r.reason or "",
            "count": f.number(r.lost_count), "value": f.value(r.lost_value, "money"),
            "rate": f.value(r.rate, "ratio"),
            "interval": f.span(data["ci_low"], data["ci_high"], "ratio") or "",
            "before": f.value(r.previous_rate, "ratio"),
            "change": format_delta(change, "ratio", lang),
            "significance": format_significance(data["significant"], lang) if change is not None else "",
        })
    return out
