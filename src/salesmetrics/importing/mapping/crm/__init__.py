"""What salesmetrics knows about CRM exports: one small module per vendor, each a list of built-in
:class:`~salesmetrics.importing.mapping.Mapping` s (deals, owners, activities, ...), picked per file
by its header. Nothing here reads data; it only says where each canonical value is in an export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ....schema import TABLES
from ...read.csvfile import read_header
from ..exprs import normalize
from ..model import Mapping, fit
from . import close, hubspot, pipedrive, salesforce


@dataclass(frozen=True)
class Vendor:
    key: str           # as typed after --from
    label: str         # as shown
    mappings: tuple[Mapping, ...]


VENDORS: dict[str, Vendor] = {
    v.key: v for v in (
        Vendor("close", "Close", close.MAPPINGS),
        Vendor("hubspot", "HubSpot", hubspot.MAPPINGS),
        Vendor("salesforce", "Salesforce", salesforce.MAPPINGS),
        Vendor("pipedrive", "Pipedrive", pipedrive.MAPPINGS),
    )
}


# The header of a data dictionary: it describes other files' columns and holds no records.
_DICTIONARY = frozenset({"table", "field", "column", "description", "definition", "type", "data type",
                         "meaning", "format", "example", "tabelle", "feld", "spalte", "beschreibung"})


def describes_columns(names: list[str]) -> bool:
    """A data dictionary: its header names tables, fields and what they mean, not any record."""
    header = {normalize(n).replace("_", " ") for n in names}
    return (header <= _DICTIONARY and bool(header & {"description", "definition", "meaning", "beschreibung"})
            and bool(header & {"field", "column", "feld", "spalte"}))


def _dictionary(names: list[str]) -> str:
    return (f"this looks like a data dictionary ({', '.join(names)}): it describes the other files' "
            "columns and holds no records; leave it out of the import (name the other files, or "
            "move it out of the folder)")


def recognise(names: list[str], exclude: str | None = None, *, mapped: bool = True) -> str | None:
    """Whose export a header looks like, said as advice (``this looks like a HubSpot export``), or
    None; a data dictionary is said to be one. ``exclude``: the vendor the user named, which is
    known not to fit. ``mapped``: the file was given with --from or --mapping (a canonical file is
    then told to go without them; else only to be named for its table)."""
    if describes_columns(names):
        return _dictionary(names)
    best: tuple[int, Vendor, Mapping] | None = None
    for vendor in VENDORS.values():
        if vendor.label == exclude:
            continue
        for mapping in vendor.mappings:
            found = fit(mapping, names)
            if found.usable and (best is None or found.found > best[0]):
                best = (found.found, vendor, mapping)
    if best is not None:
        _, vendor, mapping = best
        return (f"this looks like a {vendor.label} export ({mapping.name}); "
                f"import it with --from {vendor.key}")
    header = {normalize(n) for n in names}
    for table in TABLES.values():
        required = {c.name for c in table.columns if c.required}
        if required <= header and header <= set(table.column_names):
            if not mapped:
                return f"this looks like a canonical {table.name} file; name it {table.name}.csv"
            return (f"this looks like a canonical {table.name} file; import it without --from or "
                    f"--mapping, named {table.name}.csv")
    return None


def recognise_path(path: Path) -> str | None:
    """:func:`recognise` for a CSV file given without --from (whose name is then no table)."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return None
    try:
        header = read_header(path, str(path))
    except OSError:
        return None
    if not isinstance(header, tuple):
        return None
    if describes_columns(header[1]):  # no mapping would import it: said so, not how to map it
        return _dictionary(header[1])
    return recognise(header[1], mapped=False)


def vendor(key: str) -> Vendor:
    from ...read.formats import FormatError

    found = VENDORS.get(key.strip().lower())
    if found is None:
        raise FormatError(f"unknown CRM {key!r}; --from takes one of {', '.join(VENDORS)} "
                          "(any other export: --mapping FILE.toml)")
    return found
