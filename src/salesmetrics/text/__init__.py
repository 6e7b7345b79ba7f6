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


def language(tag: str) -> str | None:
    """The language a tag names, ``en`` or ``de``, with a region or not (``de-AT``, ``de_DE``), in
    any case; None for any other (``fr``, ``english``). The command line and the API read it alike."""
    name, _, region = tag.replace("_", "-").partition("-")
    if name.lower() not in LANGS or (region and not region.isalnum()):
        return None
    return name.lower()


def is_german(lang: str) -> bool:
    return lang.lower().startswith("de")
