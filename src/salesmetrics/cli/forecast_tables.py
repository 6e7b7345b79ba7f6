"""The forecast, its accuracy, slippage and loss reasons as Rich tables, in the reader's language.
Imported by their commands only, so a plain ``salesmetrics report`` loads none of this."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from rich.table import Table

from ..insights.forecast import Accuracy, Forecast, ForecastDeal, ForecastRow, Said, dates_word
from ..insights.losses import Losses
from ..insights.slippage import Slippage
from ..text.catalogue import period_name
from ..text.figures import filters_note, format_significance
from ..text.forecast import (
    accuracy_not_kept,
    losses_notes,
    more_text,
    moved_out_note,
    no_push_note,
    notes_in_words,
    unseen_note,
    word,
)
from ..text.numbers import format_day, format_delta, format_times, format_value, span_text
from .tables import fit


def _money(value: Any, currency: str | None, lang: str) -> str:
    return format_value(value, "money", currency, lang)


def _ratio(value: Any, lang: str) -> str:
    return format_value(value, "ratio", None, lang) if value is not None else "–"


def forecast_table(f: Forecast, lang: str = "en", width: int | None = None,
                   names: Mapping[str, str] | None = None) -> Table:
    """The forecast's figures, a row per rep or team (``names``: reps by name where they have one, as
    the page shows them; R001 ... R022 had to be looked up, the forecast tester)."""
    w = partial(word, lang=lang)  # a table's many headers read better short
    t = Table(title=f"{w('forecast')} {period_name(f.period.label, lang)} ({format_day(f.as_of, lang)})"
                    f"{filters_note(f.filters, lang)}", title_justify="left")
    if f.by:
        t.add_column(w(f.by), no_wrap=True)  # a team's id, a rep's name: either is taken by --filter
    heads = ("closed_won", "commit", "best_case", "pipeline", "weighted", "quota", "gap", "coverage",
             "call_commit", "call_best_case", "overdue")
    for head in heads:
        t.add_column(w(head), justify="right", no_wrap=True)
    rows: list[tuple[str | None, ForecastRow]] = [(r.key, r) for r in f.rows] if f.by else []
    rows.append((w("everyone") if f.by else None, f.total))
    for i, (key, r) in enumerate(rows):
        if f.by and i == len(rows) - 1:
            t.add_section()
        cells = [_money(getattr(r, k), f.currency, lang) if k not in ("quota", "gap", "coverage")
                 else "" for k in heads]
        # No bare dash: what an empty cell means, said (no quota; a quota already met needs no cover).
        none = w("no_quota_cell")
        cells[heads.index("quota")] = _money(r.quota, f.currency, lang) if r.quota is not None else none
        cells[heads.index("gap")] = _money(r.gap, f.currency, lang) if r.gap is not None else none
        cells[heads.index("coverage")] = (format_times(r.coverage, lang) if r.coverage is not None
                                          else none if r.quota is None
                                          else w("quota_met") if r.gap is not None and r.gap <= 0
                                          else w("period_over") if "quota_missed" in r.flags
                                          else w("no_open_deals"))
        t.add_row(*([(names or {}).get(key or "") or str(key or "–")] if f.by else []), *cells)
    # The least needed first: the overdue are listed apart, the gap says the quota, the bars are in
    # the calls; the calls are what a forecast call is about, and stay with closed won, commit, gap
    # and coverage (dropped first, they were what 120 columns left out; the forecast tester).
    drop = ("overdue", "quota", "pipeline", "best_case", "weighted", "call_best_case", "call_commit")
    return fit(t, width, [w(key) for key in drop], lang)


def forecast_notes(f: Forecast, lang: str = "en") -> str:
    """What the figures leave out, in words: no quota, unweighted deals, the overdue ones."""
    return " ".join(notes_in_words(f, lambda value: _money(value, f.currency, lang), lang))


def deals_table(deals: list[ForecastDeal], title: str, currency: str | None, lang: str = "en",
                width: int | None = None, limit: int | None = None) -> Table:
    """The deals, or the first ``limit`` of them (the caption says how many more there are)."""
    w = partial(word, lang=lang)
    t = Table(title=title, title_justify="left")
    more = len(deals) - limit if limit is not None and len(deals) > limit else 0
    deals = deals[:limit] if more else deals
    if more:
        t.caption = more_text(more, lang)
        t.caption_justify = "left"
    for key, right in (("deal", False), ("rep", False), ("bar", False), ("amount", True),
                       (dates_word(deals), True), ("probability", True), ("weighted", True)):
        t.add_column(w(key), justify="right" if right else "left", no_wrap=right)
    for d in deals:
        source = {"own": w("own"), "stage": w("stage_rate")}.get(d.probability_source or "", "")
        chance = f"{_ratio(d.probability, lang)} ({source})" if d.probability is not None else "–"
        t.add_row(d.deal_id, d.rep, w(d.bar), _money(d.amount, currency, lang),
                  format_day(d.close_day, lang) if d.close_day else "–", chance,
                  _money(d.weighted, currency, lang) if d.weighted is not None else "–")
    return fit(t, width, [w("weighted"), w("probability")], lang)


def accuracy_table(a: Accuracy, lang: str = "en", width: int | None = None) -> Table:
    w = partial(word, lang=lang)
    t = Table(title=w("accuracy"), title_justify="left")
    t.add_column(w("period"))
    if a.by:
        t.add_column(w(a.by), no_wrap=True)
    for key in ("actual", "said_start", "error_start", "said_middle", "error_middle"):
        t.add_column(w(key), justify="right", no_wrap=True)

    def said(s: Said) -> tuple[str, str]:
        if s.row is None:
            return w("not_kept"), "–"
        error = s.error(s.row.call_commit, actual)
        return _money(s.row.call_commit, a.currency, lang), _signed(error, lang)

    last = None
    for r in a.rows:
        if last is not None and r.period != last:
            t.add_section()
        last = r.period
        actual = r.actual
        start, middle = said(r.start), said(r.middle)
        who = [str(r.key) if r.key is not None else w("everyone")] if a.by else []
        t.add_row(r.period.label, *who, _money(actual, a.currency, lang), *start, *middle)
    t.caption = (f"{word('call_commit', lang)}; {word('error', lang)}: (call - closed won) / closed won"
                 if not lang.startswith("de") else
                 f"{word('call_commit', lang)}; Fehler: (Prognose - Gewonnen) / Gewonnen")
    t.caption_justify = "left"
    if any(r.start.row is None for r in a.rows):
        t.caption += "\n" + accuracy_not_kept(lang)
    # An error is the call against closed won, both shown; the middle's goes first, as the closer
    # call errs least.
    return fit(t, width, [w("error_middle"), w("error_start")], lang)


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = format_value(value, "ratio", None, lang)
    return text if value < 0 else f"+{text}"


def slippage_table(s: Slippage, lang: str = "en", width: int | None = None) -> Table:
    w = partial(word, lang=lang)
    t = Table(title=f"{w('slippage')} {period_name(s.period.label, lang)}{filters_note(s.filters, lang)}",
              title_justify="left")
    for key, right in (("deal", False), ("rep", False), ("pushes", True), ("days", True),
                       ("from", True), ("to", True), ("amount", True), ("moved_out", False)):
        t.add_column(w(key), justify="right" if right else "left", no_wrap=right)
    yes = {True: "ja" if lang.startswith("de") else "yes", False: ""}
    for r in s.rows:
        t.add_row(r.deal_id, r.rep, str(r.pushes), str(r.days), format_day(r.first, lang),
                  format_day(r.latest, lang), _money(r.amount, s.currency, lang), yes[r.moved_out])
    return fit(t, width, [w("from")], lang)


def slippage_text(s: Slippage, lang: str = "en") -> str:
    if (unseen := unseen_note(s, lang)) is not None:
        return unseen
    moved = moved_out_note(len(s.moved_out), _money(s.moved_out_amount, s.currency, lang), lang)
    return moved if s.rows else f"{no_push_note(lang)} {moved}"


def losses_text(result: Losses, lang: str = "en") -> str | None:
    if result.rows:
        return None
    return (f"Im Zeitraum {period_name(result.period.label, lang, sentence=True)} und davor wurde kein Deal "
            "verloren."
            if lang.startswith("de") else
            f"No deal was lost in {period_name(result.period.label, lang)}, nor in the period before.")


def losses_table(result: Losses, lang: str = "en", width: int | None = None) -> Table:
    w = partial(word, lang=lang)
    # The period before is said by its dates: a running period's may be cut where its records end.
    against = "gegenüber" if lang.lower().startswith("de") else "against"
    before = f", {against} {span_text(result.previous, lang)}"
    t = Table(title=f"{w('losses')} {period_name(result.period.label, lang)}{before}"
                    f"{filters_note(result.filters, lang)}", title_justify="left")
    if result.by:
        t.add_column(w(result.by))
    t.add_column(w("lost_reason"))
    for key in ("lost_count", "lost_value", "lost_rate", "interval", "before", "change"):
        t.add_column(w(key), justify="right", no_wrap=True)
    t.add_column("")
    for r in result.rows:
        data = r.as_json(result.by)
        band = (f"{_ratio(data['ci_low'], lang)} – {_ratio(data['ci_high'], lang)}"
                if data["ci_low"] is not None else "–")
        change = data["change"]
        moved = format_delta(change, "ratio", lang)
        t.add_row(*([str(r.group or "–")] if result.by else []), r.reason or w("no_reason"),
                  str(r.lost_count), _money(r.lost_value, result.currency, lang),
                  _ratio(r.rate, lang), band, _ratio(r.previous_rate, lang), moved,
                  format_significance(data["significant"], lang) if change is not None else "")
    if notes := losses_notes(result, lang):
        t.caption, t.caption_justify = "\n".join(notes), "left"
    return fit(t, width, [w("interval"), w("before")], lang)
