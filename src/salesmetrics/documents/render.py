"""The digest as HTML a mail client shows and as plain text.

Mail clients are not browsers: many ignore ``<style>`` blocks and every external file. So the HTML is
one 600 px column of tables with the styles on each element (``style=``), system fonts, and the
charts as PNG images (:mod:`.charts`): ``data:`` URIs in a file or PDF, ``cid:`` parts in a message.
Colours pass WCAG AA contrast and no status is told by colour alone (the word is always there).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..digest.content import Digest
from ..insights.scorecard import MIN_CLOSED
from ..kpis import REGISTRY
from ..report import skipped_notes
from ..text.catalogue import period_name
from ..text.digest import (
    change_sentence,
    empty_text,
    kpi_title,
    scope_name,
    subject,
    target_sentence,
    words,
)
from ..text.errors import error_text
from ..text.figures import (
    closed_ahead_text,
    dimension_title,
    flag_notes,
    format_figure,
    format_significance,
    format_status,
)
from ..text.numbers import (
    bucket_name,
    format_compact,
    format_day,
    format_delta,
    format_pace,
    format_period,
    format_value,
)
from . import charts

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

Images = Literal["data", "cid"]

# The styles, once, and put on each element by the template (mail clients drop <style> blocks).
FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
STYLE = {
    "body": f"margin:0;padding:0;background:#f3f4f6;color:#1b1f24;font-family:{FONT};font-size:15px;"
            "line-height:1.45",
    "outer": "width:100%;background:#f3f4f6",
    "column": "width:100%;max-width:600px;background:#ffffff;border-collapse:collapse",
    "cell": "padding:20px",
    "h1": "margin:0 0 4px 0;font-size:22px;line-height:1.25",
    "h2": "margin:24px 0 8px 0;font-size:18px;line-height:1.3;border-bottom:2px solid #0072B2;"
          "padding-bottom:4px",
    "meta": "margin:0;color:#4a525c;font-size:14px",
    "p": "margin:0 0 8px 0",
    "table": "width:100%;border-collapse:collapse;font-size:13px",
    "th": "text-align:left;padding:6px 4px;border-bottom:1px solid #c9ced4;color:#4a525c;font-weight:600",
    "th_num": "text-align:right;padding:6px 4px;border-bottom:1px solid #c9ced4;color:#4a525c;"
              "font-weight:600",
    "td": "padding:6px 4px;border-bottom:1px solid #e5e7eb;vertical-align:top",
    # no nowrap: figures keep together by their no-break spaces, and a narrow screen may wrap the rest
    "td_num": "padding:6px 4px;border-bottom:1px solid #e5e7eb;text-align:right;vertical-align:top",
    "badge_significant": "display:inline-block;padding:1px 6px;border-radius:3px;background:#0b4f8a;"
                         "color:#ffffff;font-size:12px",
    "badge_noise": "display:inline-block;padding:1px 6px;border-radius:3px;background:#e5e7eb;"
                   "color:#1b1f24;font-size:12px",
    "badge_off_track": "display:inline-block;padding:1px 6px;border-radius:3px;background:#a4231a;"
                       "color:#ffffff;font-size:12px;font-weight:600;white-space:nowrap",
    "badge_at_risk": "display:inline-block;padding:1px 6px;border-radius:3px;background:#f6d860;"
                     "color:#1b1f24;font-size:12px;font-weight:600;white-space:nowrap",
    "badge_on_track": "display:inline-block;padding:1px 6px;border-radius:3px;background:#006b47;"
                      "color:#ffffff;font-size:12px;font-weight:600;white-space:nowrap",
    "better": "color:#006b47",
    "worse": "color:#a4231a",
    "notice": "margin:0 0 8px 0;padding:10px 12px;background:#fff4d6;border-left:4px solid #b26b00",
    "img": "display:block;width:100%;max-width:560px;height:auto;border:0",
    "figcaption": "margin:4px 0 16px 0;color:#4a525c;font-size:13px",
    "footer": "margin:16px 0 0 0;color:#4a525c;font-size:12px",
    "li": "margin:0 0 8px 0",
}
# Shapes beside the words, so a status reads without colour (and in the plain text too).
MARKS = {"off_track": "▼", "at_risk": "●", "on_track": "▲", None: ""}


@dataclass(frozen=True)
class Image:
    cid: str
    png: bytes
    alt: str  # the figures in words: the caption under the image, and the text version
    title: str  # the image's alt text: the caption follows it, so a reader hears the figures once
    width: int
    height: int

    def src(self, images: Images) -> str:
        if images == "cid":
            return f"cid:{self.cid}"
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class Rendered:
    """One digest, rendered: the subject, the HTML, the plain text and the images the HTML shows."""

    subject: str
    html: str
    text: str
    images: list[Image] = field(default_factory=list)


def render_digest(digest: Digest, lang: str = "en", *, images: Images = "data",
                  note: str | None = None) -> Rendered:
    """The digest as HTML (``images``: ``data`` for a file or PDF, ``cid`` for a message whose
    related parts carry them) and as plain text. ``note`` is one more line under the title (the
    message says the PDF is attached)."""
    view = _view(digest, lang)
    drawn = _charts(digest, lang)
    context = {**view, "charts": [{"title": i.title, "alt": i.alt, "src": i.src(images),
                                   "width": i.width, "height": i.height} for i in drawn],
               "s": STYLE, "note": note}
    html = _env.get_template("digest.html").render(**context)
    text = _env.get_template("digest.txt").render(**context)
    return Rendered(view["subject"], html, text, drawn)


def _view(d: Digest, lang: str) -> dict[str, Any]:
    cur = d.currency
    names = d.rep_names
    heads = []
    for h in d.headlines:
        unit = REGISTRY[h.kpi].unit
        kind = {True: "significant", False: "noise", None: "untested"}[h.significant]
        heads.append({
            "title": kpi_title(h.kpi, lang),
            "value": format_figure(h.kpi, h.value, cur, lang, flags=h.flags, lower_bound=h.lower_bound),
            "previous": format_value(h.previous, unit, cur, lang),
            "delta": format_delta(h.change, unit, lang),
            "better": h.better,
            "noise": format_significance(h.significant, lang), "noise_kind": kind,
            # What goes with the figure, as the report's notes say it (a tester: 30.7 % of quota,
            # all of it won by a rep without one, mailed without "revenue won without a quota").
            "notes": flag_notes(h.flags, lang, h.days_so_far),
        })
    targets = []
    for t in d.targets:
        unit = REGISTRY[t.kpi].unit
        targets.append({
            "title": kpi_title(t.kpi, lang), "who": scope_name(t.scope, t.scope_id, names, lang),
            "value": format_figure(t.kpi, t.value, cur, lang, flags=t.flags),
            "target": format_value(t.target, unit, cur, lang),
            "status": format_status(t.status, lang, over=t.over), "status_code": t.status or "none",
            "mark": MARKS.get(t.status, ""), "pace": format_pace(t.pace, lang),
            "sentence": target_sentence(t.kpi, t.scope, t.scope_id, t.value, t.target, t.status, t.pace,
                                        cur, names, lang, t.flags, over=t.over),
        })
    attention = [{"name": a.name or a.rep, "team": a.team, "verdict": a.diagnosis.verdict(lang),
                  "text": a.diagnosis.text(lang)} for a in d.attention]
    changes = [change_sentence(h.kpi, h.value, h.previous, h.change, h.better, h.p_value, cur, lang)
               for h in d.changes]

    def written(where: Mapping[str, Sequence[str]]) -> str:
        return "; ".join(
            f"{dimension_title(k, lang)} = {', '.join(names.get(v, v) if k == 'rep' else v for v in vs)}"
            for k, vs in where.items())

    filters = written(d.filters)
    dims = ", ".join(dimension_title(k, lang) for k in d.unfiltered)
    left_out = [s.kpi for s in d.skipped if s.cause == "not_applicable"]
    return {
        "lang": "de" if lang.startswith("de") else "en",
        "w": lambda key, **kw: words(key, lang, **kw),
        "subject": subject(d.measured, len(d.off_track), d.empty, lang,
                           over=bool(d.targets) and all(t.over for t in d.targets)),
        "title": words("title", lang),
        "period": format_period(d.measured, lang),
        "period_label": period_name(d.period.label, lang),
        "as_of": format_day(d.as_of, lang) if d.as_of else None,
        "previous": format_period(d.previous_period, lang),
        "filters": filters,
        "scope": words("scope", lang, scope=written(d.scope), who=d.seen_by) if d.scope else None,
        "empty": empty_text(d.hint.first, d.hint.last, lang, d.hint.unseen) if d.hint else None,
        "closed_ahead": (closed_ahead_text(d.closed_ahead, lang, day=format_day(d.closed_ahead.last, lang))
                         if d.closed_ahead else None),
        "unrated": [*skipped_notes([*d.skipped, *d.uncompared], lang),
                    *([words("trend_no_rate", lang, reason=error_text(d.trend_refused, lang))]
                      if d.trend_refused is not None else [])],
        "headlines": heads, "targets": targets, "attention": attention, "changes": changes,
        "attention_period": format_period(d.attention_period, lang),
        "min_closed": MIN_CLOSED,
        "left_out": words("not_filtered", lang, dims=", ".join(
            dimension_title(k, lang) for k in d.filters if any(not REGISTRY[x].supports(k) for x in left_out)
        ), kpis=", ".join(REGISTRY[k].title.get(lang) for k in left_out)) if left_out else None,
        "unfiltered": bool(d.unfiltered),
        # Of a period without records, "no change is beyond noise" read as a calm week.
        "no_changes": words("no_changes_empty" if d.empty else "no_changes", lang),
        "no_targets": (words("targets_unfiltered", lang, dims=dims) if d.unfiltered
                       else words("no_targets_of_yours" if d.seen_by else "no_targets", lang)),
        "no_attention": (words("attention_unfiltered", lang, dims=dims) if d.unfiltered
                         else words("no_attention_one" if d.attention_judged == 1 else "no_attention", lang,
                                    n=d.attention_judged) if d.attention_judged
                         else words("none_judged", lang, min=MIN_CLOSED)),
        "version": d.data_version,
    }


def _charts(d: Digest, lang: str) -> list[Image]:
    cur = d.currency
    out = []
    if any(p.value for p in d.trend):  # a chart of zeros ("highest $0.00 (2019-02)") says nothing
        title = words(f"trend_{d.trend_grain}", lang)
        bars = [charts.Bar(p.key, float(p.value or 0), format_value(p.value, "money", cur, lang))
                for p in d.trend]
        png, width, height = charts.column_chart(
            [charts.Bar(_short(b.label, d.trend_grain, lang), b.value, b.text) for b in bars],
            lambda v: format_compact(v, "money", cur, lang))
        high = max(bars, key=lambda b: b.value)
        alt = words("chart_alt_trend", lang, title=title, first=bucket_name(bars[0].label, lang),
                    last=bucket_name(bars[-1].label, lang), high=high.text,
                    high_at=bucket_name(high.label, lang), latest=bars[-1].text)
        out.append(Image("trend@salesmetrics", png, alt, title, width, height))
    if d.products:
        title = words("products", lang)
        bars = [charts.Bar(d.product_names.get(p.key, p.key), float(p.value),
                           format_value(p.value, "money", cur, lang)) for p in d.products]
        png, width, height = charts.bar_chart(bars)
        items = "; ".join(f"{b.label} {b.text}" for b in bars)
        if d.more_products:  # the chart's top few: the rest said, so the bars add up to the revenue
            items += words("products_more", lang, n=d.more_products,
                           amount=format_value(d.more_products_value, "money", cur, lang))
        alt = words("chart_alt_products", lang, title=title, items=items)
        out.append(Image("products@salesmetrics", png, alt, title, width, height))
    return out


def _short(key: str, grain: str, lang: str = "en") -> str:
    """``2026-W41`` as ``W41`` (``KW 41`` in German, as the caption says it), ``2026-10`` as
    ``10/26``: labels that fit under a bar."""
    if grain == "week" and "-W" in key:
        week = key.split("-", 1)[1]
        return f"KW {week[1:]}" if lang.startswith("de") else week
    if grain == "month" and len(key) == 7:
        return f"{key[5:]}/{key[2:4]}"
    if grain == "day" and len(key) == 10:
        return f"{key[8:]}.{key[5:7]}."
    return key
