"""Import problems in German.

The import (``importing/``, a floor below the words) phrases each problem in English, most of them in
SQL (``importing/check/``); here each phrasing is matched and said in German for the upload page and the
API. A phrasing not listed stays English; tests/test_german.py makes every problem the checks can
raise pass through here in German.
"""

from __future__ import annotations

import re

_COLUMNS_DE = "Spalten"

# (the English message as a pattern, its German). Groups carry the values into the German.
_PROBLEMS: tuple[tuple[str, str], ...] = (
    # values (importing/check/values.py)
    (r"required value is empty", "Pflichtwert ist leer"),
    # files (importing/read/)
    (r"not UTF-8 text; save the file as CSV \(UTF-8\), or name its encoding \(--encoding cp1252 for a "
     r"CSV saved by Excel on Windows\)",
     "kein UTF-8-Text; die Datei als CSV (UTF-8) speichern oder ihre Kodierung angeben "
     "(--encoding cp1252 für eine CSV-Datei, die Excel unter Windows gespeichert hat)"),
    (r"unsupported file type '(.*)'; import \.csv, \.xlsx or \.parquet files",
     r"nicht unterstützter Dateityp '\1'; .csv-, .xlsx- oder .parquet-Dateien importieren"),
    (r"no table is called '(.*)'", r"keine Tabelle heißt '\1'"),
    (r"not a date; write dates as YYYY-MM-DD, such as 2026-03-01",
     "kein Datum; Daten als JJJJ-MM-TT schreiben, z. B. 2026-03-01"),
    (r"not a date and time; write ISO 8601 such as 2026-03-01T14:30:00, 2026-03-01 14:30 or "
     r"2026-03-01T14:30:00\+01:00",
     "kein Datum mit Uhrzeit; ISO 8601 schreiben, z. B. 2026-03-01T14:30:00, 2026-03-01 14:30 oder "
     "2026-03-01T14:30:00+01:00"),
    (r"not a whole number", "keine ganze Zahl"),
    (r"not a yes/no value; write true or false", "kein Ja/Nein-Wert; true oder false schreiben"),
    (r"not a number; write plain numbers such as 1234.56 \(no thousands separators or currency symbols\)",
     "keine Zahl; schlichte Zahlen schreiben, z. B. 1234.56 (ohne Tausendertrennzeichen und "
     "Währungssymbole)"),
    (r"more than (\d+) decimal places; values must be exact",
     r"mehr als \1 Nachkommastellen; Werte müssen exakt sein"),
    (r"number too large", "Zahl zu groß"),
    (r"must be at least (.+)", r"muss mindestens \1 sein"),
    (r"must be at most (.+)", r"darf höchstens \1 sein"),
    (r"must be one of (.+)", r"muss einer dieser Werte sein: \1"),
    (r"not a currency code; write a three-letter ISO 4217 code such as EUR",
     "kein Währungscode; einen dreibuchstabigen ISO-4217-Code schreiben, z. B. EUR"),
    # rules (importing/check/rules.py)
    (r"a won deal needs closed_at \(when it was won\)",
     "ein gewonnener Deal braucht closed_at (wann er gewonnen wurde)"),
    (r"a lost deal needs closed_at \(when it was lost\)",
     "ein verlorener Deal braucht closed_at (wann er verloren wurde)"),
    (r"open deal has closed_at; clear it or set the status",
     "offener Deal hat closed_at; leeren Sie es oder setzen Sie den Status"),
    (r"closed_at is before created_at \((.*)\)", r"closed_at liegt vor created_at (\1)"),
    (r"period_end is before period_start \((.*)\)", r"period_end liegt vor period_start (\1)"),
    # records (importing/check/validate.py)
    (r"fill in at least one of (.+)", r"mindestens eines ausfüllen: \1"),
    (r"duplicate (.+): already on (?:(\S+) )?line (\d+)",
     r"doppelt (\1): schon in \2 Zeile \3"),
    (r"not found in (\w+) \(neither in the workspace nor in this import\)",
     r"nicht gefunden in \1 (weder im Arbeitsbereich noch in diesem Import)"),
    # the header (importing/mapping/header.py)
    (r"column (\d+) has no name", r"Spalte \1 hat keinen Namen"),
    (r"column appears twice in the header \(columns (\d+) and (\d+)\)",
     r"Spalte steht zweimal in der Kopfzeile (Spalten \1 und \2)"),
    (r"unknown column for table (\w+); did you mean (.+)\? \(columns: (.+)\)",
     r"unbekannte Spalte für Tabelle \1; meinten Sie \2? (" + _COLUMNS_DE + r": \3)"),
    (r"unknown column for table (\w+); \(columns: (.+)\)",
     r"unbekannte Spalte für Tabelle \1 (" + _COLUMNS_DE + r": \2)"),
    (r"required column is missing from the header", "Pflichtspalte fehlt in der Kopfzeile"),
    (r"the header is not that of (\w+) \(it has none of (.+); columns: (.+)\)",
     r"die Kopfzeile ist nicht die von \1 (sie hat keine von \2; " + _COLUMNS_DE + r": \3)"),
    # reading the file (importing/read/)
    (r"file is empty; expected a header line with the column names",
     "Datei ist leer; erwartet wird eine Kopfzeile mit den Spaltennamen"),
    (r"line 1 is empty; it must be the header", "Zeile 1 ist leer; sie muss die Kopfzeile sein"),
    (r"file not found", "Datei nicht gefunden"),
)
_COMPILED = tuple((re.compile(pattern), german) for pattern, german in _PROBLEMS)
# Added to a value's problem where it looks European (importing/check/values.py): the option.
_HINTS = (
    ("; a decimal comma (1.234,56)? import with --decimal-comma",
     "; ein Dezimalkomma (1.234,56)? mit --decimal-comma importieren"),
    ("; a thousands comma (write 1500 for 1,500) or a decimal comma (import with --decimal-comma)?",
     "; ein Tausendertrennzeichen (1500 für 1,500 schreiben) oder ein Dezimalkomma (mit "
     "--decimal-comma importieren)?"),
    ("; a date as 31.12.2026? import with --date-format dd.mm.yyyy",
     "; ein Datum wie 31.12.2026? mit --date-format dd.mm.yyyy importieren"),
    ("; import with --date-format dd/mm/yyyy or --date-format mm/dd/yyyy, whichever the file uses",
     "; mit --date-format dd/mm/yyyy oder --date-format mm/dd/yyyy importieren, je nachdem, was die "
     "Datei verwendet"),
)


def problem_text(message: str, lang: str = "en") -> str:
    """An import problem's message in ``lang`` (English as the import phrased it)."""
    if not lang.lower().startswith("de"):
        return message
    for english, german_hint in _HINTS:
        if message.endswith(english):
            return problem_text(message[: -len(english)], lang) + german_hint
    for pattern, german in _COMPILED:
        found = pattern.fullmatch(message)
        if found:
            return found.expand(german).replace("schon in  Zeile", "schon in Zeile")
    return message


def translated(message: str) -> bool:
    """Whether the message has German words here (for the test that every problem has)."""
    for english, _ in _HINTS:
        if message.endswith(english):
            message = message[: -len(english)]
    return any(pattern.fullmatch(message) for pattern, _ in _COMPILED)
