"""``salesmetrics import --inspect FILE``: a proposed mapping file for an export salesmetrics does not
know, for the user to check and save.

The table and columns are guessed from the header names (English and German words, and every
vendor's aliases); number and date conventions are detected from the values as an import would,
and where the file does not settle them the proposal says so in a comment instead of guessing. A
status column's values get a proposed canonical value each.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ...errors import ImportValidationError, Problem
from ...schema import TABLES
from ..read.csvfile import CsvFile, stage_csv
from ..read.detect import Conventions, conventions
from ..read.formats import FormatOptions
from ..read.reader import open_file
from ..read.sources import FORMATS, Source
from ..read.staging import create_stage
from .crm import describes_columns
from .exprs import normalize

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "deals": {
        "deal_id": ("id", "deal id", "nr", "nr.", "nummer", "deal nr", "auftragsnummer", "record id",
                    "opportunity id", "vorgang", "mql id", "lead id"),
        "rep_id": ("owner", "deal owner", "rep", "sales rep", "verkäufer", "vertriebler", "mitarbeiter",
                   "bearbeiter", "zuständig", "betreuer", "user", "besitzer", "opportunity owner",
                   "sales agent", "agent", "salesperson", "sales person", "sales rep id", "sr id",
                   "account manager", "account executive", "außendienst", "berater"),
        "account": ("account", "company", "customer", "kunde", "firma", "organisation", "organization",
                    "unternehmen", "account name"),
        "created_at": ("created", "created at", "create date", "created date", "erstellt", "erstellt am",
                       "angelegt", "angelegt am", "created on", "creation date", "date created",
                       "engage date", "engaged", "engaged on", "engagement date", "first contact",
                       "first contact date", "opened", "open date", "anlagedatum", "erstellungsdatum"),
        "closed_at": ("closed", "closed at", "close date", "abgeschlossen", "abgeschlossen am",
                      "abschlussdatum", "geschlossen am", "won date"),
        "status": ("status", "state", "zustand", "ergebnis"),
        "amount": ("amount", "value", "betrag", "wert", "umsatz", "volumen", "summe", "revenue",
                   "deal value", "auftragswert"),
        "currency": ("currency", "währung", "waehrung"),
        "source": ("source", "lead source", "quelle", "herkunft"),
        "stage": ("stage", "deal stage", "phase", "stufe"),
        "pipeline": ("pipeline",),
        "lost_reason": ("lost reason", "verlustgrund", "absagegrund"),
        # Named in full only: "expected" and "erwartet" qualify a figure otherwise (_QUALIFIERS).
        "expected_close_on": ("expected close", "expected close date", "erwarteter abschluss",
                              "erwartetes abschlussdatum", "voraussichtlicher abschluss"),
        "probability": ("probability", "win probability", "wahrscheinlichkeit",
                        "abschlusswahrscheinlichkeit"),
        "forecast_category": ("forecast category", "prognosekategorie", "forecast-kategorie"),
    },
    "reps": {
        "rep_id": ("id", "rep id", "user id", "mitarbeiter id", "personalnummer", "kürzel", "sales agent",
                   "agent", "rep", "sales rep", "salesperson", "sales person", "verkäufer", "nr", "nr.",
                   "nummer", "mitarbeiter-nr", "mitarbeiternummer"),
        "name": ("name", "full name", "vollständiger name", "mitarbeiter"),
        "team": ("team", "abteilung", "gruppe", "sales team", "vertriebsteam", "region", "regional office",
                 "office", "niederlassung"),
        "hired_on": ("hired", "hired on", "hire date", "eingestellt", "eingestellt am", "eintritt",
                     "eintrittsdatum", "einstellungsdatum", "start date"),
    },
    "products": {
        "product_id": ("product", "product id", "sku", "item", "produkt", "artikel", "artikelnummer",
                       "artikelnr", "artikel-nr", "produktnummer", "nr", "nr.", "nummer"),
        "name": ("product name", "produktname", "bezeichnung"),
        "unit_price": ("price", "unit price", "sales price", "list price", "preis", "listenpreis",
                       "stückpreis", "verkaufspreis"),
    },
    # A German quota file (Verkäufer;Beginn;Ende;Quote) was proposed as reps (a tester).
    "quotas": {
        "rep_id": ("rep", "rep id", "owner", "sales rep", "sales agent", "agent", "verkäufer", "mitarbeiter",
                   "vertriebler", "bearbeiter"),
        "team": ("team", "sales team", "vertriebsteam", "abteilung", "gruppe"),
        # Not "von", "bis", "from", "to", "betrag": a deals file of Nr;Kunde;Betrag;Von;Bis was
        # proposed as quotas by them (the review).
        "period_start": ("start", "start date", "valid from", "beginn", "gültig ab", "startdatum",
                         "zeitraum von", "quota start", "quotenbeginn"),
        "period_end": ("end", "end date", "valid to", "valid until", "ende", "gültig bis", "enddatum",
                       "zeitraum bis", "quota end", "quotenende"),
        "amount": ("quota", "target", "goal", "quote", "ziel", "zielwert", "soll", "sollwert", "vorgabe",
                   "umsatzziel", "quota amount"),
        "currency": ("currency", "währung", "waehrung"),
    },
    "activities": {
        "activity_id": ("id", "activity id", "nr", "nummer", "aktivitäts-id", "aktivitäts id",
                        "aktivitätsnummer", "aktivitäts-nr"),
        "rep_id": ("owner", "user", "mitarbeiter", "verkäufer", "assigned to", "bearbeiter", "sales agent",
                   "agent", "sales rep", "sr id"),
        "type": ("type", "typ", "art", "activity type", "aktivität", "kanal"),
        "occurred_at": ("date", "datum", "occurred at", "zeitpunkt", "when", "due date", "am"),
        "deal_id": ("deal", "deal id", "opportunity", "vorgang"),
        "duration_seconds": ("duration", "dauer", "duration seconds"),
        "direction": ("direction", "richtung"),
        "outcome": ("outcome", "ergebnis", "disposition"),
    },
    # Read only for a file of companies (_lists_companies): deals name their account too.
    "accounts": {
        "account_id": ("account", "account name", "company", "company name", "customer", "client",
                       "kunde", "firma", "unternehmen", "organisation", "organization"),
        "industry": ("industry", "sector", "branche"),
        "segment": ("segment", "tier", "size class", "größenklasse"),
        "region": ("region", "territory", "gebiet", "regional office"),
        "employees": ("employees", "employee count", "number of employees", "mitarbeiterzahl"),
        "country": ("country", "land", "office location", "headquarters", "hauptsitz"),
    },
    "nps_responses": {
        "response_id": ("id", "response id", "respondent id", "respondent", "submission id", "antwort id"),
        "account": ("account", "company", "customer", "kunde", "firma"),
        "score": ("score", "nps", "nps score", "rating", "bewertung", "likelihood to recommend",
                  "how likely", "recommend", "empfehlung"),
        "responded_at": ("timestamp", "date", "responded at", "submitted", "submitted at", "answered at",
                         "survey date", "datum", "zeitstempel", "zeitpunkt"),
        "rep_id": ("owner", "rep", "sales rep", "sales agent", "agent", "verkäufer", "betreuer"),
    },
}
_STATUS_WORDS = (
    ("won", ("won", "gewonnen", "closed won", "erfolgreich", "auftrag", "gewonnen/abgeschlossen")),
    ("lost", ("lost", "verloren", "closed lost", "abgesagt", "abgelehnt", "storniert")),
    ("open", ("open", "offen", "active", "aktiv", "in bearbeitung", "laufend", "neu", "new", "engaging",
              "prospecting", "prospect", "qualifying", "qualification", "qualified", "discovery",
              "proposal", "negotiation", "negotiating", "on hold", "pending", "in progress", "working",
              "angebot", "verhandlung", "qualifizierung")),
)
# Words naming the other side of a sale (or a lead): a column of them never holds the rep, however
# close its name comes to "user_id" -- unless it also names a person of the team ("account owner").
_OTHER_PARTY = frozenset({"customer", "customers", "client", "account", "company", "buyer", "seller",
                          "lead", "mql", "contact", "shop", "store", "merchant", "partner", "supplier",
                          "vendor", "kunde", "kunden", "firma", "organisation", "organization"})
_PERSON = frozenset({"owner", "rep", "agent", "salesperson", "manager", "executive", "verkäufer",
                     "vertriebler", "mitarbeiter", "bearbeiter", "betreuer", "berater", "sr"})
# A qualified figure is another figure: "declared_monthly_revenue" is no deal's amount, "expected
# close date" no close. Such names match only when written out in full.
_QUALIFIERS = frozenset({"declared", "monthly", "annual", "yearly", "expected", "estimated", "forecast",
                         "potential", "planned", "jährlich", "monatlich", "geplant", "erwartet"})
# A yes/no column ("has_company", "is_won") says whether, not what: never a record's value.
_FLAGS = frozenset({"has", "is", "hat", "ist"})
# A date of a sale's outcome ("won_date", "close date") is never when an activity happened.
_OUTCOME = frozenset({"won", "lost", "closed", "close", "gewonnen", "verloren", "abgeschlossen"})
# A question answered on a scale of 0 to 10: the NPS question (or one like it).
_ZERO_TO_TEN = re.compile(r"\b0\s*(?:-|–|to|bis)\s*10\b")
# Columns that describe a company, not a sale: a file of them is a list of accounts.
_COMPANY_FACTS = frozenset({"sector", "industry", "branche", "employees", "employee count",
                            "number of employees", "mitarbeiterzahl", "year established", "founded",
                            "gründungsjahr", "office location", "headquarters", "hauptsitz", "subsidiary of",
                            "parent company", "website", "annual revenue", "jahresumsatz", "country"})
_COMPANY_NAMES = frozenset({"account", "account name", "company", "company name", "customer", "client",
                            "kunde", "firma", "unternehmen", "organisation", "organization"})


def _candidates(table: str, column: str) -> list[str]:
    from .crm import VENDORS

    names = [column, column.replace("_", " "), *SYNONYMS.get(table, {}).get(column, ())]
    for vendor in VENDORS.values():
        for mapping in vendor.mappings:
            if mapping.table == table and column in mapping.columns:
                names += [n for col in mapping.columns[column].cols() for n in col.names]
    return [normalize(n) for n in names]


def _score(header: str, candidates: list[str], column: str = "", table: str = "") -> float:
    if table == "nps_responses" and column == "score" and _ZERO_TO_TEN.search(header):
        return 1.0  # "On a scale of 0-10, how would you rate ...?"
    if header in candidates or header.replace("_", " ") in candidates:
        return 1.0
    words = set(re.split(r"[\s_\-/.]+", header))
    if words & _QUALIFIERS or words & _FLAGS:
        return 0.0
    if "?" in header or len(words) > 4:
        return 0.0  # a survey's question ("... customer speaker session?") names no record's column
    if column == "rep_id" and words & _OTHER_PARTY and not words & _PERSON:
        return 0.0
    if table == "activities" and (words & _OUTCOME or (column == "type" and words & _OTHER_PARTY)):
        return 0.0  # a won date is no activity's time, a lead's type no activity's type
    if any(c in words for c in candidates if " " not in c and len(c) > 3):
        return 0.8
    close = difflib.get_close_matches(header, candidates, n=1, cutoff=0.75)
    return 0.7 if close else 0.0


def guess(names: list[str]) -> tuple[str, dict[str, str]]:
    """The table a header most likely holds, and its column for each canonical column."""
    best: tuple[float, str, dict[str, str]] = (-1.0, "deals", {})
    for table in TABLES.values():
        if table.name == "accounts":
            continue  # a file of companies is told by its header first (_lists_companies)
        total, chosen = _matched(table.name, names)
        if total > best[0]:
            best = (total, table.name, chosen)
    return best[1], best[2]


def _matched(name: str, names: list[str]) -> tuple[float, dict[str, str]]:
    """How well a header fits table ``name``, and its column for each canonical column."""
    table = TABLES[name]
    header = [normalize(n) for n in names]
    pairs: list[tuple[float, str, int]] = []
    for column in table.column_names:
        candidates = _candidates(table.name, column)
        pairs += [(_score(h, candidates, column, table.name), column, i) for i, h in enumerate(header)]
    chosen: dict[str, str] = {}
    used: set[int] = set()
    total = 0.0
    for score, column, i in sorted(pairs, key=lambda p: -p[0]):
        if score > 0 and column not in chosen and i not in used:
            chosen[column] = names[i]
            used.add(i)
            total += score * (2 if table.column(column).required else 1)
    # Every required column found, and something beside it: a lone "Nr" is every table's id, and
    # made a deals file of Nr;Kunde;Betrag;Von;Bis a file of reps (the review).
    if all(c.name in chosen for c in table.columns if c.required) and len(chosen) > 1:
        total += 3
    return total, chosen


def _status_value(value: str) -> tuple[str, bool]:
    low = normalize(value)
    for canonical, words in _STATUS_WORDS:
        if low in words or any(w in low for w in words if len(w) > 3):
            return canonical, True
    return "open", False


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def propose(con: duckdb.DuckDBPyConnection, path: Path, options: FormatOptions | None = None) -> str:
    """The TOML text of a mapping proposed for ``path``."""
    options = options or FormatOptions()
    if not path.is_file():
        raise ImportValidationError([Problem(str(path), None, None, None,
                                             "file not found" if not path.exists() else "not a file")])
    fmt = FORMATS.get(path.suffix.lower(), "csv")
    source = Source("", path, fmt)
    with tempfile.TemporaryDirectory(prefix="salesmetrics-inspect-") as work:
        opened = open_file(con, source, options, Path(work))
        if isinstance(opened, Problem):
            raise ImportValidationError([opened])
        names = opened.names
        if describes_columns(names):
            return _render_dictionary(path, names)
        # A file of companies is the accounts deals name (README: accounts), never deals.
        table, chosen = (("accounts", _matched("accounts", names)[1]) if _lists_companies(names)
                         else guess(names))
        constants = _constants(table, chosen)
        found: Conventions | None = None
        halves: tuple[Conventions | list[Problem], ...] = ()
        unsettled: list[Problem] = []
        statuses: list[str] = []
        empty_amounts = 0
        gaps: list[Gap] = []
        units: dict[str, str] = {}
        csv_file = opened.csv
        if csv_file is not None:
            positions = {n: names.index(n) for n in chosen.values()}
            stage, data = "_inspect_stage", "_inspect_stage_data"
            loaded = stage_csv(con, csv_file, str(path), sorted(set(positions.values())), data)
            if not isinstance(loaded, Problem):
                create_stage(con, stage, data, loaded.line)
                try:
                    kinds = {c: TABLES[table].column(c).kind for c in chosen}
                    numbers = [(f"c{positions[n]}", n) for c, n in chosen.items()
                               if kinds[c] in ("money", "decimal")]
                    dates = [(f"c{positions[n]}", n) for c, n in chosen.items()
                             if kinds[c] in ("date", "timestamp")]
                    result = conventions(con, stage, numbers, dates, options, strict=False,
                                         file=str(path))
                    found = result if isinstance(result, Conventions) else None
                    if found is None:  # one half unsettled: propose what the other half says
                        halves = (conventions(con, stage, numbers, [], options, strict=False, file=str(path)),
                                  conventions(con, stage, [], dates, options, strict=False, file=str(path)))
                        unsettled = [p for h in halves if not isinstance(h, Conventions) for p in h]
                    if "status" in chosen:
                        col = f"c{positions[chosen['status']]}"
                        statuses = [str(r[0]) for r in con.execute(
                            f"SELECT DISTINCT {col} FROM {stage} WHERE {col} IS NOT NULL "
                            "ORDER BY 1 LIMIT 30").fetchall()]
                    if table == "deals" and "amount" in chosen:
                        col = f"c{positions[chosen['amount']]}"
                        empty_amounts = int(con.execute(
                            f"SELECT count(*) FROM {stage} WHERE {col} IS NULL").fetchall()[0][0])
                    gaps = _gaps(con, stage, table, chosen, positions)
                    units = _units(con, stage, table, chosen, positions)
                finally:
                    con.execute(f"DROP VIEW IF EXISTS {stage}")
                    con.execute(f"DROP TABLE IF EXISTS {data}")
    return _render(path, table, names, chosen, found, statuses, options, csv_file, empty_amounts,
                   gaps, constants, halves, unsettled, units)


def _units(con: duckdb.DuckDBPyConnection, stage: str, table: str, chosen: dict[str, str],
           positions: dict[str, int]) -> dict[str, str]:
    """A duration written as 00:15:00 in every row that has one: read with unit "hms" (proposed as a
    plain column, it was refused as "not a whole number", no word of hms). Not 15:00, which hms
    reads as hours and minutes where an export may mean minutes and seconds: not guessed."""
    name = chosen.get("duration_seconds") if table == "activities" else None
    if name is None:
        return {}
    col = f"c{positions[name]}"
    timed, given = con.execute(
        f"SELECT count(*) FILTER (WHERE regexp_full_match(trim({col}), '\\d+:\\d{{2}}:\\d{{2}}')), "
        f"count({col}) FROM {stage}").fetchall()[0]
    return {"duration_seconds": "hms"} if given and timed == given else {}


@dataclass(frozen=True)
class Gap:
    """A required column the file leaves empty in ``rows`` rows; ``skip``: the status values whose
    rows all lack it and together make up every such row (skipping them loses nothing else)."""

    column: str  # canonical
    file_column: str
    rows: int
    skip: tuple[str, ...] = ()


def _gaps(con: duckdb.DuckDBPyConnection, stage: str, table: str, chosen: dict[str, str],
          positions: dict[str, int]) -> list[Gap]:
    """Required values the file leaves empty, which the import would refuse row by row (a deal's
    amount aside: open deals take [defaults] amount = "0"). Where a status explains them all (every
    Prospecting deal and only those lack their engage date), skipping that status is proposed."""
    out = []
    status = f"c{positions[chosen['status']]}" if "status" in chosen else None
    for column in TABLES[table].columns:
        name = chosen.get(column.name)
        if not column.required or name is None or (table == "deals" and column.name == "amount"):
            continue
        col = f"c{positions[name]}"
        empty = int(con.execute(f"SELECT count(*) FROM {stage} WHERE {col} IS NULL").fetchall()[0][0])
        if not empty:
            continue
        skip: tuple[str, ...] = ()
        if status is not None:
            groups = con.execute(
                f"SELECT {status}, count(*), count(*) FILTER (WHERE {col} IS NULL) FROM {stage} "
                f"GROUP BY {status} HAVING count(*) FILTER (WHERE {col} IS NULL) > 0").fetchall()
            if all(value is not None and total == missing for value, total, missing in groups):
                skip = tuple(sorted(str(value) for value, _, _ in groups))
        out.append(Gap(column.name, name, empty, skip))
    return out


def _constants(table: str, chosen: dict[str, str]) -> dict[str, str]:
    """Canonical values the header itself says: a file with a won date and no status holds won
    deals; a survey without an id column names each answer by its time."""
    out: dict[str, str] = {}
    closed = normalize(chosen.get("closed_at", "")).replace("_", " ")
    if table == "deals" and "status" not in chosen and re.search(r"\b(won|gewonnen)\b", closed):
        out["status"] = "won"
    return out


def _render_dictionary(path: Path, names: list[str]) -> str:
    return "\n".join([
        f"# `salesmetrics import --inspect {path.name}`: a data dictionary ({', '.join(names)}): it",
        "# describes the columns of the other files, and holds no records, so there is nothing to import",
        "# from it. Read it beside the mappings proposed for the other files, to check each column.",
    ]) + "\n"


def _lists_companies(names: list[str]) -> bool:
    """A file of companies: a company's name beside facts about companies (sector, employees, ...)
    and nothing that happens in a sale (a status, a close date)."""
    header = [normalize(n).replace("_", " ") for n in names]
    sale = {n for c in ("status", "created_at", "closed_at") for n in _candidates("deals", c)}
    facts = sum(1 for h in header if h in _COMPANY_FACTS)
    return facts >= 2 and any(h in _COMPANY_NAMES for h in header) and not any(h in sale for h in header)


def _date_hint(unsettled: Sequence[Problem]) -> str:
    """The commented date format for dates no value settles, in the separator the file writes them
    with (dots: day first, as everyone writes them)."""
    value = next((p.value for p in unsettled if p.value and "date" in p.message), None)
    sep = found[1] if value and (found := re.match(r"\s*\d{1,2}([./-])", value)) else "/"
    if sep == ".":
        return '# date_format = "dd.mm.yyyy"   # the values do not say: or "dd.mm.yy" for two-digit years'
    return f'# date_format = "dd{sep}mm{sep}yyyy"   # the values do not say: or "mm{sep}dd{sep}yyyy"'


def _render(path: Path, table: str, names: list[str], chosen: dict[str, str],
            found: Conventions | None, statuses: list[str], options: FormatOptions,
            csv_file: CsvFile | None, empty_amounts: int = 0, gaps: list[Gap] | None = None,
            constants: dict[str, str] | None = None,
            halves: tuple[Conventions | list[Problem], ...] = (),
            unsettled: Sequence[Problem] = (), units: dict[str, str] | None = None) -> str:
    gaps, constants, units = gaps or [], constants or {}, units or {}
    spec = TABLES[table]
    out = [f"# Mapping proposed by `salesmetrics import --inspect {path.name}`.",
           "# Check every line, then: salesmetrics import --mapping THIS_FILE.toml " + path.name,
           f'table = "{table}"', "", "[format]"]
    delimiter = csv_file.delimiter if csv_file is not None else None
    if delimiter and delimiter != "," and path.suffix.lower() != ".xlsx":
        out.append(f"delimiter = {_quote(delimiter)}")
    if options.encoding:
        out.append(f"encoding = {_quote(options.encoding)}")
    if found is None:
        numbers, dates = halves or (None, None)
        if isinstance(numbers, Conventions) and numbers.decimal == ",":
            out += ['decimal = ","', f"thousands = {_quote(numbers.thousands)}"]
        elif not isinstance(numbers, Conventions):
            out.append('# decimal = ","          # the values do not say: "," for 1.234,56, "." for 1,234.56')
        if isinstance(dates, Conventions):
            if dates.date_formats:
                out.append(f"date_format = {_quote(dates.date_label.split(' or ')[0])}")
        else:
            out.append(_date_hint(unsettled))
    else:
        if found.decimal == ",":
            out += ['decimal = ","', f"thousands = {_quote(found.thousands)}"]
        if found.date_formats:
            label = found.date_label.split(" or ")[0]
            out.append(f"date_format = {_quote(label)}")
    if "currency" in spec.column_names and "currency" not in chosen:
        out.append('# currency = "EUR"      # the file has no currency column: name its currency')
    out += ["", "[columns]"]
    for column in spec.columns:
        if column.name in units:
            out.append(f"{column.name} = {{ column = {_quote(chosen[column.name])}, "
                       f"unit = {_quote(units[column.name])} }}   # written as hours:minutes:seconds")
        elif column.name in chosen:
            out.append(f"{column.name} = {_quote(chosen[column.name])}")
        elif column.name in constants:
            out.append(f"{column.name} = {{ value = {_quote(constants[column.name])} }}   "
                       f"# every row: the file's {chosen.get('closed_at', '')} says so")
        elif column.name == "response_id" and "responded_at" in chosen:
            out.append(f"response_id = {_quote(chosen['responded_at'])}   # the file has no id column: "
                       "each answer's time stands for it (check no two answers share one)")
        else:
            need = "required: name the file's column" if column.required else "optional"
            out.append(f'# {column.name} = ""  # {need}')
    unused = [n for n in names if n not in chosen.values()]
    if unused:
        out.append(f"# not used: {', '.join(unused)}")
    if statuses:
        out += ["", "[values.status]"]
        for value in statuses:
            canonical, sure = _status_value(value)
            check = "" if sure else "   # check: open, won or lost?"
            out.append(f"{_quote(value)} = \"{canonical}\"{check}")
        out.append('# "*" = "open"   # every value not listed above')
    if empty_amounts:
        out += ["", "[defaults]",
                f'amount = "0"   # {empty_amounts} row(s) without {chosen["amount"]}: open deals count as 0 '
                "(won or lost ones are refused)"]
    out += _render_gaps(gaps, chosen)
    if "rep_id" in chosen and table in ("deals", "activities"):
        out += ["", "# The people in the rep_id column become reps.", "[owners]"]
    return "\n".join(out) + "\n"


def _render_gaps(gaps: list[Gap], chosen: dict[str, str]) -> list[str]:
    """Rows the import would refuse for an empty required value: the skip that leaves exactly them
    out, or the two ways to decide (a default, or a skip) where no status explains them."""
    out: list[str] = []
    skips = [g for g in gaps if g.skip]
    if skips:
        values = sorted({v for g in skips for v in g.skip})
        out.append("")
        for g in skips:
            out.append(f"# {g.rows} row(s) without {g.file_column} (required for {g.column}) are all "
                       f"{' or '.join(g.skip)}, and those all lack it: they are left out (and counted)")
        out += ["[skip]", f"{_quote(chosen['status'])} = [{', '.join(_quote(v) for v in values)}]"]
    for g in gaps:
        if not g.skip:
            out += ["", f"# {g.rows} row(s) without {g.file_column} (required for {g.column}) would be "
                        "refused: give it a value under [defaults] (" + f'{g.column} = "..."' + "), or leave "
                        "such rows out under [skip] (a column = [values] they hold)"]
    return out
