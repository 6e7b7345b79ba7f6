"""How a request's language is chosen, and what templates call to say things in it.

The words themselves live in :mod:`salesmetrics.text` (one place for every face); numbers, money and
dates are formatted there too, with Babel.
"""

from __future__ import annotations

from ..periods import AS_GERMANS_WRITE, GERMAN_LAST_DAYS, written_for
from ..text.catalogue import COLUMNS, KINDS, N_WORDS, N_WORDS_ONE, VALUES, lookup, period_name, text

LANGS = ("en", "de")
DEFAULT_LANG = "en"
COOKIE = "lang"


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the remembered choice, then the browser's preference, then English."""
    for choice in (query, cookie):
        if choice and choice.lower()[:2] in LANGS:
            return choice.lower()[:2]
    best, best_q = DEFAULT_LANG, 0.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= position * 1e-6  # equal weights: the first listed wins
        primary = tag.strip().lower()[:2]
        if primary in LANGS and q > best_q:
            best, best_q = primary, q
    return best


class Words:
    """What templates call: ``t("apply")``, ``t.column("amount")``, ``t.value("won")``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def period(self, label: str) -> str:
        """A period as typed (last-month) in the reader's language (Letzter Monat)."""
        return period_name(label, self.lang)

    def typed(self, text: str) -> str:
        """A period as the reader types it, for a field (letzter-monat on a German page)."""
        return written_for(text, self.lang)

    def period_words(self) -> dict[str, str]:
        """What :meth:`typed` writes, for the page script that puts the address's period back in its
        field (app.js, syncFilters): the links carry last-month, the German field letzter-monat."""
        if not self.lang.lower().startswith("de"):
            return {}
        return {**AS_GERMANS_WRITE, "last-N-days": GERMAN_LAST_DAYS.format(n="$1")}

    def column(self, name: str) -> str:
        return lookup(COLUMNS, name, self.lang)

    def value(self, code: str) -> str:
        return lookup(VALUES, code, self.lang)

    def kind(self, kind: str) -> str:
        return lookup(KINDS, kind, self.lang)

    def n_words(self, kpi: str, n: int | None = None) -> str:
        if n == 1 and kpi in N_WORDS_ONE:
            return lookup(N_WORDS_ONE, kpi, self.lang)
        return lookup(N_WORDS, kpi, self.lang) if kpi in N_WORDS else self("records_word")
