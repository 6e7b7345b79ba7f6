"""Import problems in German.

The import (``importing/``, a floor below the words) phrases each problem in English, most of them in
SQL (``importing/check/``); here each phrasing is matched and said in German for the upload page and the
API, and for `import --lang de`. A phrasing not listed stays English (tests/test_german_sentences.py
runs refused imports through the command in German).
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
    (r"there is no year 0000; a placeholder for an unknown date\? leave it empty",
     "es gibt kein Jahr 0000; ein Platzhalter für ein unbekanntes Datum? leer lassen"),
    (r"a year before 1000, which no period reaches; a typo\?",
     "ein Jahr vor 1000, das kein Zeitraum erreicht; ein Tippfehler?"),
    (r"holds an invisible character \(a zero-width space, a byte order mark, a direction mark\): it would "
     r"look like another id and not be it",
     "enthält ein unsichtbares Zeichen (ein Leerzeichen ohne Breite, eine Bytereihenfolge-Markierung, "
     "eine Richtungsmarke): die ID sähe aus wie eine andere und wäre es nicht"),
    (r"begins or ends with a space of another script \(an ideographic or typographic one\): it would look "
     r"like another id and not be it",
     "beginnt oder endet mit einem Leerzeichen einer anderen Schrift (einem ideografischen oder "
     "typografischen): die ID sähe aus wie eine andere und wäre es nicht"),
    (r"not a whole number", "keine ganze Zahl"),
    (r"not a percentage from 0 to 100; a share such as 0\.9 is refused: write 90 \(a percent cell's value is "
     r"90 % as 0\.9: export the percentage, or import the workbook itself\)",
     "kein Prozentwert von 0 bis 100; ein Anteil wie 0,9 wird abgelehnt: 90 schreiben (der Wert einer "
     "Prozentzelle ist bei 90 % 0,9: den Prozentwert exportieren oder die Arbeitsmappe selbst importieren)"),
    (r"no such day: (\d{4}-\d{2}) has (\d+) days", r"diesen Tag gibt es nicht: \1 hat \2 Tage"),
    (r"not a date and time: no such time as (\S+); a day runs from 00:00 to 23:59 \(24:00 is 00:00 of "
     r"the next day\)",
     r"kein Datum mit Uhrzeit: die Uhrzeit \1 gibt es nicht; ein Tag reicht von 00:00 bis 23:59 (24:00 ist "
     r"00:00 des nächsten Tages)"),
    (r"not a date: no such time as (\S+); a day runs from 00:00 to 23:59 \(24:00 is 00:00 of the next day\)",
     r"kein Datum: die Uhrzeit \1 gibt es nicht; ein Tag reicht von 00:00 bis 23:59 (24:00 ist 00:00 des "
     r"nächsten Tages)"),
    # values read by a mapping's format (importing/mapping/exprs.py)
    (r"not a date in the format (.+); a year of two digits\? the format (.+) reads it; the month first\? "
     r"the format (.+) reads it",
     r"kein Datum im Format \1; eine zweistellige Jahreszahl? das Format \2 liest sie; der Monat zuerst? "
     r"das Format \3 liest ihn"),
    (r"not a date in the format (.+); a year of two digits\? the format (.+) reads it; the day first\? "
     r"the format (.+) reads it",
     r"kein Datum im Format \1; eine zweistellige Jahreszahl? das Format \2 liest sie; der Tag zuerst? "
     r"das Format \3 liest ihn"),
    (r"not a date and time in the format (.+); a year of two digits\? the format (.+) reads it; the month "
     r"first\? the format (.+) reads it",
     r"kein Datum mit Uhrzeit im Format \1; eine zweistellige Jahreszahl? das Format \2 liest sie; der "
     r"Monat zuerst? das Format \3 liest ihn"),
    (r"not a date and time in the format (.+); a year of two digits\? the format (.+) reads it; the day "
     r"first\? the format (.+) reads it",
     r"kein Datum mit Uhrzeit im Format \1; eine zweistellige Jahreszahl? das Format \2 liest sie; der "
     r"Tag zuerst? das Format \3 liest ihn"),
    (r"not a date in the format (.+); a year of two digits\? the format (.+) reads it",
     r"kein Datum im Format \1; eine zweistellige Jahreszahl? das Format \2 liest sie"),
    # The formats hold no "; ": a greedy group read the year's clause as part of the format.
    (r"not a date in the format ([^;]+); the month first\? the format ([^;]+) reads it",
     r"kein Datum im Format \1; der Monat zuerst? das Format \2 liest ihn"),
    (r"not a date and time in the format ([^;]+); the month first\? the format ([^;]+) reads it",
     r"kein Datum mit Uhrzeit im Format \1; der Monat zuerst? das Format \2 liest ihn"),
    (r"not a date in the format ([^;]+); the day first\? the format ([^;]+) reads it",
     r"kein Datum im Format \1; der Tag zuerst? das Format \2 liest ihn"),
    (r"not a date and time in the format ([^;]+); the day first\? the format ([^;]+) reads it",
     r"kein Datum mit Uhrzeit im Format \1; der Tag zuerst? das Format \2 liest ihn"),
    (r"not a date and time in the format (.+); a year of two digits\? the format (.+) reads it",
     r"kein Datum mit Uhrzeit im Format \1; eine zweistellige Jahreszahl? das Format \2 liest sie"),
    (r"not a date in the format (.+)", r"kein Datum im Format \1"),
    (r"not a date and time in the format (.+)", r"kein Datum mit Uhrzeit im Format \1"),
    (r"not a number; write numbers such as (.+)", r"keine Zahl; Zahlen schreiben wie \1"),
    (r"not a yes/no value; write true or false", "kein Ja/Nein-Wert; true oder false schreiben"),
    (r"not a number: a currency \((.+?)\) beside the amount; write numbers such as (.+)",
     r"keine Zahl: eine Währung (\1) beim Betrag; Zahlen schreiben wie \2"),
    (r"not a number: a currency \((.+?)\) beside the amount", r"keine Zahl: eine Währung (\1) beim Betrag"),
    (r"not a number; write plain numbers such as 1234.56 \(no thousands separators or currency symbols\)",
     "keine Zahl; schlichte Zahlen schreiben, z. B. 1234.56 (ohne Tausendertrennzeichen und "
     "Währungssymbole)"),
    (r"more than (\d+) decimal places; values must be exact",
     r"mehr als \1 Nachkommastellen; Werte müssen exakt sein"),
    (r"number too large", "Zahl zu groß"),
    (r"must be at least (.+)", r"muss mindestens \1 sein"),
    # probabilities (importing/check/values.py), before the general "must be at most"
    (r"must be at most 1; write a share from 0 to 1 \(0\.6\) or a percentage with its sign \(60%\)",
     "darf höchstens 1 sein; einen Anteil von 0 bis 1 (0.6) oder einen Prozentwert mit Zeichen (60%) "
     "schreiben"),
    (r"not a probability; write a share from 0 to 1 \(0\.6\) or a percentage \(60%\)",
     "keine Wahrscheinlichkeit; einen Anteil von 0 bis 1 (0.6) oder einen Prozentwert (60%) schreiben"),
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
    (r"negative amount; a deal is what a customer agrees to pay \(refunds and credit notes are not "
     r"deals: leave them out of the export\)",
     "negativer Betrag; ein Deal ist, was ein Kunde zu zahlen zusagt (Erstattungen und Gutschriften "
     "sind keine Deals: aus dem Export weglassen)"),
    (r"period_end is before period_start \((.*)\)", r"period_end liegt vor period_start (\1)"),
    # records (importing/check/validate.py)
    (r"fill in at least one of (.+)", r"mindestens eines ausfüllen: \1"),
    (r"duplicate (.+): already on (?:(\S+) )?line (\d+)",
     r"doppelt (\1): schon in \2 Zeile \3"),
    (r"not found in (\w+): once \1 are imported, a (\w+)'s (\w+) must be one of their (\w+)s \(neither the "
     r"workspace nor this import has it\); add it to \1, or leave the \3 empty",
     r"nicht gefunden in \1: Sobald \1 importiert sind, muss \3 eines Datensatzes (\2) eine ihrer \4 "
     r"sein (weder der Arbeitsbereich noch dieser Import hat sie); in \1 ergänzen oder \3 leer lassen"),
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
    (r"the header is not that of (\w+) \(it has none of (.+); the columns of \1 are: (.+)\)",
     r"die Kopfzeile ist nicht die von \1 (sie hat keine von \2; die Spalten von \1 sind: \3)"),
    (r"named for (\w+), but its header \((.+)\) has none of its required columns \((.+)\)",
     r"nach \1 benannt, aber ihre Kopfzeile (\2) hat keine ihrer Pflichtspalten (\3)"),
    (r"the header is not that of (\w+) \(it lacks most of its columns, among them the required (.+); "
     r"the columns of \1 are: (.+)\)",
     r"die Kopfzeile ist nicht die von \1 (ihr fehlen die meisten Spalten, darunter die Pflichtspalten \2; "
     r"die Spalten von \1 sind: \3)"),
    (r"named for (\w+), but its header \((.+)\) lacks most of its columns, the required among them "
     r"\((.+)\)",
     r"nach \1 benannt, aber ihrer Kopfzeile (\2) fehlen die meisten Spalten, darunter die "
     r"Pflichtspalten (\3)"),
    # reading the file (importing/read/)
    (r"file is empty; expected a header line with the column names",
     "Datei ist leer; erwartet wird eine Kopfzeile mit den Spaltennamen"),
    (r"line 1 is empty; it must be the header", "Zeile 1 ist leer; sie muss die Kopfzeile sein"),
    (r"file not found", "Datei nicht gefunden"),
    (r"folder has no \.csv, \.xlsx or \.parquet files",
     "der Ordner enthält keine .csv-, .xlsx- oder .parquet-Dateien"),
    (r"cannot read the file \((.*)\)", r"die Datei lässt sich nicht lesen (\1)"),
    (r"cannot read the file: (.*)", r"die Datei lässt sich nicht lesen: \1"),
    (r"not (\S+) text \(byte (\d+) cannot be read as \S+\); name the file's encoding with --encoding",
     r"kein \1-Text (Byte \2 lässt sich nicht als \1 lesen); die Kodierung der Datei mit --encoding "
     r"angeben"),
    (r"not (\S+) text \((.*)\); a file without a byte order mark needs its order named: "
     r"--encoding utf-16-le \(Windows\) or utf-16-be",
     r"kein \1-Text (\2); eine Datei ohne Byte-Order-Mark braucht die Angabe ihrer Byte-Reihenfolge: "
     r"--encoding utf-16-le (Windows) oder utf-16-be"),
    (r"an Excel workbook \(xlsx\) named as a CSV file: rename it \.xlsx, and it is read as one",
     "eine Excel-Arbeitsmappe (xlsx) mit dem Namen einer CSV-Datei: in .xlsx umbenennen, dann wird sie "
     "als solche gelesen"),
    (r"contains a NUL byte \(binary data, not text\)", "enthält ein NUL-Byte (Binärdaten, kein Text)"),
    (r"a mapping file and an export of a CRM \(--from\) were sent together: send one or the other",
     "eine Mapping-Datei und der Export eines CRM (--from) wurden zusammen gesendet: nur eines davon "
     "senden"),
    (r"only mapping files were sent: send the export they read with them",
     "nur Mapping-Dateien wurden gesendet: den Export, den sie lesen, mitsenden"),
    (r"a gzip-compressed file named as a CSV file: unpack it first \(gunzip, or 7-Zip on Windows\), then "
     r"import the CSV file inside",
     "eine gzip-komprimierte Datei mit dem Namen einer CSV-Datei: zuerst entpacken (gunzip, oder 7-Zip "
     "unter Windows), dann die CSV-Datei darin importieren"),
    (r"a zip archive named as a CSV file: unpack it first, then import the CSV files inside \(or the folder "
     r"they are in\)",
     "ein Zip-Archiv mit dem Namen einer CSV-Datei: zuerst entpacken, dann die CSV-Dateien darin importieren "
     "(oder ihren Ordner)"),
    (r"not a CSV text file \(binary data, or a UTF-16 export\); save it as CSV \(UTF-8\)",
     "keine CSV-Textdatei (Binärdaten oder ein UTF-16-Export); als CSV (UTF-8) speichern"),
    (r"the header line cannot be read as CSV \((.*)\)", r"die Kopfzeile lässt sich nicht als CSV lesen (\1)"),
    (r"line has 1 value but the header has (\d+) columns: a report's footer \(a confidentiality or "
     r"copyright line\)\? Then export the details alone, or delete those lines; else a value holding the "
     r"delimiter or a line break without quotes",
     r"die Zeile hat 1 Wert, die Kopfzeile aber \1 Spalten: die Fußzeile eines Berichts (ein "
     r"Vertraulichkeits- oder Copyright-Vermerk)? Dann nur die Details exportieren oder diese Zeilen "
     r"löschen; sonst ein Wert mit dem Trennzeichen oder einem Zeilenumbruch ohne Anführungszeichen"),
    (r"this column looks like the amounts' currency, but (.+) read the currency from (.+): the amounts "
     r"would be taken as the base currency\. Rename the column, or describe the file with --mapping "
     r"\(docs/mapping\.md\)",
     r"diese Spalte sieht aus wie die Währung der Beträge, aber \1 liest die Währung aus \2: die Beträge "
     r"würden als Basiswährung genommen. Die Spalte umbenennen oder die Datei mit --mapping beschreiben "
     r"(docs/mapping.md)"),
    (r"not a yes or no the import knows: it reads (.+) \(or 1\) as yes, and (.+) \(or 0\) as no",
     r"kein Ja oder Nein, das der Import kennt: Er liest \1 (oder 1) als Ja und \2 (oder 0) als Nein"),
    (r"a value the import does not know: it reads (.+), and leaves out the (.+) among them",
     r"ein Wert, den der Import nicht kennt: Er liest \1 und lässt die \2 darunter aus"),
    (r"line has (\d+) values but the header has (\d+) columns \(a truncated file, or a value "
     r"containing the delimiter without quotes\?\)",
     r"die Zeile hat \1 Werte, die Kopfzeile aber \2 Spalten (eine abgeschnittene Datei oder ein Wert "
     r"mit dem Trennzeichen ohne Anführungszeichen?)"),
    (r"line ends with a (Windows|Unix) line end \((CR LF|LF)\) where line 1 ends with a (?:Windows|Unix) "
     r"line end \((CR LF|LF)\): the file mixes two kinds of line ends \(lines added by another "
     r"program\?\); save it again with one kind",
     r"die Zeile endet mit einem \1-Zeilenende (\2), Zeile 1 mit \3: die Datei mischt zwei Arten von "
     r"Zeilenenden (Zeilen aus einem anderen Programm angefügt?); sie mit einer Art neu speichern"),
    (r"a quoted value is never closed \(a truncated file, or a stray quote\?\)",
     "ein Wert in Anführungszeichen wird nie geschlossen (eine abgeschnittene Datei oder ein "
     "verirrtes Anführungszeichen?)"),
    (r"line is too long to be a record \(is this really a CSV file\?\)",
     "die Zeile ist zu lang für einen Datensatz (ist das wirklich eine CSV-Datei?)"),
    (r"not a readable Excel \.xlsx file \((.*)\); open it in Excel and save it again, or save the "
     r"sheet as CSV",
     r"keine lesbare Excel-Datei (.xlsx) (\1); in Excel öffnen und neu speichern oder das Blatt als "
     r"CSV speichern"),
    (r"cell (\w+) holds a formula whose result was never saved \(and ([\d,]+) more cells\): the workbook "
     r"was written by a program that does not calculate\. Open it in Excel or LibreOffice and save it, so "
     r"each result is kept, or save the sheet as CSV",
     r"Zelle \1 enthält eine Formel, deren Ergebnis nie gespeichert wurde (und \2 weitere Zellen): die "
     r"Arbeitsmappe stammt von einem Programm, das nicht rechnet. In Excel oder LibreOffice öffnen und "
     r"speichern, damit jedes Ergebnis erhalten bleibt, oder das Blatt als CSV speichern"),
    (r"cell (\w+) holds a formula whose result was never saved: the workbook was written by a program "
     r"that does not calculate\. Open it in Excel or LibreOffice and save it, so each result is kept, or "
     r"save the sheet as CSV",
     r"Zelle \1 enthält eine Formel, deren Ergebnis nie gespeichert wurde: die Arbeitsmappe stammt von "
     r"einem Programm, das nicht rechnet. In Excel oder LibreOffice öffnen und speichern, damit jedes "
     r"Ergebnis erhalten bleibt, oder das Blatt als CSV speichern"),
    (r"the workbook unpacks to (.+) MB, more than the (.+) MB salesmetrics reads from an \.xlsx file; "
     r"save the sheet as CSV \(or raise the limit with \$(\w+)\)",
     r"die Arbeitsmappe ist entpackt \1 MB groß, mehr als die \2 MB, die salesmetrics aus einer "
     r".xlsx-Datei liest; das Blatt als CSV speichern (oder die Grenze mit $\3 anheben)"),
    (r"no sheet (.+); the workbook has (.+)", r"kein Blatt \1; die Arbeitsmappe hat \2"),
    (r"the sheet has more than (.+) rows, the most Excel holds; save it as CSV",
     r"das Blatt hat mehr als \1 Zeilen, mehr als Excel fasst; als CSV speichern"),
    (r"the sheet's first row is empty; it must be the header",
     "die erste Zeile des Blatts ist leer; sie muss die Kopfzeile sein"),
    (r"the sheet is empty; expected a header row", "das Blatt ist leer; erwartet wird eine Kopfzeile"),
    (r"not a readable Parquet file \((.*)\)", r"keine lesbare Parquet-Datei (\1)"),
    (r"cannot read the Parquet file \((.*)\)", r"die Parquet-Datei lässt sich nicht lesen (\1)"),
    # the file's conventions (importing/read/detect.py)
    (r"numbers are written two ways: (.+) on line (\d+) has a decimal point, this one a decimal "
     r"comma; make them agree, or choose with --decimal-comma / --decimal-point",
     r"Zahlen sind auf zwei Arten geschrieben: \1 in Zeile \2 hat einen Dezimalpunkt, dieser Wert ein "
     r"Dezimalkomma; vereinheitlichen oder mit --decimal-comma / --decimal-point wählen"),
    (r"ambiguous number: (.+) could be read with a decimal point or a decimal comma, and no value in "
     r"the file settles it; pass --decimal-comma \(1\.234,56\) or --decimal-point \(1,234\.56\), or "
     r"set decimal in the mapping",
     r"mehrdeutige Zahl: \1 lässt sich mit Dezimalpunkt oder mit Dezimalkomma lesen, und kein Wert der "
     r"Datei entscheidet es; --decimal-comma (1.234,56) oder --decimal-point (1,234.56) angeben oder "
     r"decimal im Mapping setzen"),
    (r"dates are written two ways: (.+) \(line (\d+)\) puts the day first, this one the month; make "
     r"them agree, or choose with --date-format",
     r"Daten sind auf zwei Arten geschrieben: \1 (Zeile \2) nennt zuerst den Tag, dieser Wert den "
     r"Monat; vereinheitlichen oder mit --date-format wählen"),
    (r"ambiguous date: (.+) could be day(.)month or month.day and no value in the file settles it; "
     r"pass --date-format (\S+) or --date-format (\S+) \(or set date_format in the mapping\)",
     r"mehrdeutiges Datum: \1 kann Tag\2Monat oder Monat\2Tag sein, und kein Wert der Datei "
     r"entscheidet es; --date-format \3 oder --date-format \4 angeben (oder date_format im Mapping "
     r"setzen)"),
    # mappings and CRM exports (importing/mapping/)
    (r"no mapping given fits this file", "keines der angegebenen Mappings passt zu dieser Datei"),
    (r"required column is missing for (.+): expected (.+); closest in the file: (.+)",
     r"Pflichtspalte fehlt für \1: erwartet \2; am nächsten kommt in der Datei: \3"),
    (r"required column is missing for (.+): expected (.+)", r"Pflichtspalte fehlt für \1: erwartet \2"),
    (r"column (.+) of (.+) is missing", r"Spalte \1 von \2 fehlt"),
    (r"this looks like a (.+) export \((.+)\); import it with --from (\w+)",
     r"das sieht aus wie ein \1-Export (\2); mit --from \3 importieren"),
    (r"this looks like a data dictionary \((.+)\): it describes the other files' columns and holds no "
     r"records; leave it out of the import \(name the other files, or move it out of the folder\)",
     r"das sieht aus wie ein Datenverzeichnis (\1): es beschreibt die Spalten der anderen Dateien und "
     r"enthält keine Datensätze; beim Import weglassen (die anderen Dateien nennen oder es aus dem "
     r"Ordner nehmen)"),
    (r"this looks like a canonical (\w+) file; import it without --from or --mapping, named (\S+)",
     r"das sieht aus wie eine Standarddatei für \1; ohne --from und --mapping importieren, als \2"),
    (r"not a (\w+) export: none of its columns is in the header \((.*)\); an export made with the CRM's "
     r"screens in another language than English names its columns in that language: export in English, or "
     r"let `salesmetrics import --inspect FILE` propose a mapping",
     r"kein \1-Export: keine seiner Spalten steht in der Kopfzeile (\2); ein Export mit den Masken des CRM "
     r"in einer anderen Sprache als Englisch benennt seine Spalten in dieser Sprache: auf Englisch "
     r"exportieren oder mit `salesmetrics import --inspect DATEI` ein Mapping vorschlagen lassen"),
    (r"not a (\w+) export: none of its columns is in the header \((.*)\)",
     r"kein \1-Export: keine seiner Spalten steht in der Kopfzeile (\2)"),
    (r"not a file the mapping reads: none of its columns is in the header \((.*)\)",
     r"keine Datei, die das Mapping liest: keine seiner Spalten steht in der Kopfzeile (\1)"),
    (r"this looks like a canonical (\w+) file; name it (\S+)",
     r"das sieht aus wie eine Standarddatei für \1; benennen Sie sie \2"),
)
# Why rows of an export were left out (importing/mapping/: Skip.reason), as the counts say it.
_SKIPPED: tuple[tuple[str, str], ...] = (
    (r"deleted deals", "gelöschte Deals"),
    (r"empty rows \(no value in any column read\)", "leere Zeilen (kein Wert in den gelesenen Spalten)"),
    (r"activities not done yet \(planned\)", "noch nicht erledigte Aktivitäten (geplant)"),
    (r"open tasks \(not done yet\)", "offene Aufgaben (noch nicht erledigt)"),
    (r"tasks not started, in progress, waiting or deferred \(Status\)",
     "nicht begonnene, laufende, wartende oder zurückgestellte Aufgaben (Status)"),
    (r"emails never sent", "nie gesendete E-Mails"),
    (r"meetings that did not take place", "Termine, die nicht stattfanden"),
    # The column as the file names it ("Deal Stage"), its values quoted and joined by " or ".
    (r"rows whose (.+?) is (.+)", r"Zeilen, deren \1 \2 ist"),
)
_COMPILED = tuple((re.compile(pattern), german) for pattern, german in _PROBLEMS)
_COMPILED_SKIPPED = tuple((re.compile(pattern), german) for pattern, german in _SKIPPED)
# Added to a value's problem where it looks European (importing/check/values.py): the option.
_HINTS = (
    ("; a status of your own? export the column 'Closed' (IsClosed) filled for every task, which then "
     "decides (the standard statuses are read in seven languages)",
     "; ein eigener Status? die Spalte 'Closed' (IsClosed) für jede Aufgabe gefüllt mit exportieren, die "
     "dann entscheidet (die Standardstatus werden in sieben Sprachen gelesen)"),
    ("; a status in a language the import does not read? export with Pipedrive set to English, or write a "
     "mapping that names each status",
     "; ein Status in einer Sprache, die der Import nicht liest? mit Pipedrive auf Englisch exportieren "
     "oder ein Mapping schreiben, das jeden Status nennt"),
    ("; the currency goes in a column of its own (currency), not beside the amount",
     "; die Währung gehört in eine eigene Spalte (currency), nicht neben den Betrag"),
    ("; a decimal comma (1.234,56)? import with --decimal-comma",
     "; ein Dezimalkomma (1.234,56)? mit --decimal-comma importieren"),
    ("; a thousands comma (write 1500 for 1,500) or a decimal comma (import with --decimal-comma)?",
     "; ein Tausendertrennzeichen (1500 für 1,500 schreiben) oder ein Dezimalkomma (mit "
     "--decimal-comma importieren)?"),
    ("; a date as 31.12.2026? import with --date-format dd.mm.yyyy",
     "; ein Datum wie 31.12.2026? mit --date-format dd.mm.yyyy importieren"),
    ("; a date as 31.12.26? import with --date-format dd.mm.yy",
     "; ein Datum wie 31.12.26? mit --date-format dd.mm.yy importieren"),
    ("; import with --date-format dd/mm/yyyy or --date-format mm/dd/yyyy, whichever the file uses",
     "; mit --date-format dd/mm/yyyy oder --date-format mm/dd/yyyy importieren, je nachdem, was die "
     "Datei verwendet"),
)


# Hints with a value of their own (importing/check/problems.refined, a mapping's advice), matched at a
# message's end.
_PATTERN_HINTS = (
    (re.compile(r"; a closed stage of your own\? export the columns ('[^']*') and ('[^']*') \(so named\) "
                r"filled for every deal, or write a mapping that names each stage's status "
                r"\(`salesmetrics import --inspect FILE` proposes one\)$"),
     r"; eine eigene abgeschlossene Phase? die Spalten \1 und \2 (mit diesen Namen) für jeden Deal gefüllt "
     r"exportieren oder ein Mapping schreiben, das den Status jeder Phase nennt (`salesmetrics import "
     r"--inspect DATEI` schlägt eines vor)"),
    (re.compile(r"; a word of the export's own\? name it in the mapping's \[values\.(\w+)\] "
                r"\(\"your word\" = \"(\w+)\"\)$"),
     r'; ein eigenes Wort des Exports? im Mapping unter [values.\1] zuordnen ("Ihr Wort" = "\2")'),
    (re.compile(r"; words of your own\? write a mapping that names each (\w+) "
                r"\(`salesmetrics import --inspect FILE` proposes one\)$"),
     r"; eigene Wörter? ein Mapping schreiben, das jeden Wert von \1 zuordnet (`salesmetrics import "
     r"--inspect DATEI` schlägt eines vor)"),
    (re.compile(r"; (\d+) looks like a spreadsheet's day number \((\S+)\): format the column as a date "
                r"before saving, or import the \.xlsx itself$"),
     r"; \1 sieht wie die Tageszahl einer Tabellenkalkulation aus (\2): die Spalte vor dem Speichern als "
     r"Datum formatieren oder die .xlsx selbst importieren"),
)


def problem_text(message: str, lang: str = "en") -> str:
    """An import problem's message in ``lang`` (English as the import phrased it)."""
    if not lang.lower().startswith("de"):
        return message
    for english, german_hint in _HINTS:
        if message.endswith(english):
            return problem_text(message[: -len(english)], lang) + german_hint
    for pattern, german_hint in _PATTERN_HINTS:
        hint = pattern.search(message)
        if hint is not None:
            return problem_text(message[: hint.start()], lang) + hint.expand(german_hint)
    found = _german(_COMPILED, message)
    # Column names listed as alternatives ('Deal ID' or 'Record ID') are joined in German.
    return message if found is None else found.replace("schon in  Zeile", "schon in Zeile").replace(
        "' or '", "' oder '")


def skip_reason(reason: str, lang: str = "en") -> str:
    """Why an export's rows were left out (``Skipped.reason``), in ``lang``."""
    found = _german(_COMPILED_SKIPPED, reason) if lang.lower().startswith("de") else None
    # Only the joins between quoted values: a value of the user's own ('Rock or Roll') stays as it is.
    return reason if found is None else found.replace("' or '", "' oder '")


def _german(table: tuple[tuple[re.Pattern[str], str], ...], english: str) -> str | None:
    """``english`` in German by the first pattern of ``table`` it matches whole; None: none does."""
    for pattern, german in table:
        found = pattern.fullmatch(english)
        if found:
            return found.expand(german)
    return None
