"""Words in two languages, in one place: what every face (terminal, pages, API messages, digests)
and the insights say, and how they write numbers, money, dates and periods.

* :mod:`.numbers`: values, money, percentages, days, dates and periods, by locale (Babel);
* :mod:`.figures`: a KPI's figure in words, its flags, target status and significance;
* :mod:`.catalogue`: the pages' words by key;
* :mod:`.labels`: the short labels of tables (column headers), English with their German;
* :mod:`.insights`: the sentences of the insights (diagnoses, verdicts, explanations).
"""

from __future__ import annotations

LANGS = ("en", "de")


def is_german(lang: str) -> bool:
    return lang.lower().startswith("de")
