"""Mapping files (``--mapping FILE.toml``): any export, described by the person who has it.

    table = "deals"                    # the canonical table the file fills

    [format]                           # all optional; unset means detected from the file
    delimiter = ";"
    encoding = "cp1252"
    decimal = ","
    thousands = "."
    date_format = "dd.mm.yyyy"
    currency = "EUR"                   # for files without a currency column
    sheet = "Deals"                    # .xlsx: the worksheet

    [columns]                          # canonical column = the file's column
    deal_id = "Nr"
    amount = "Betrag"                  # or { column = "Wert", unit = "cents" }
    currency = { value = "EUR" }       # a constant

    [values.status]                    # the file's value = the canonical value
    "Gewonnen" = "won"
    "*" = "open"                       # any value not listed

    [defaults]                         # where the file's value is empty (amount: open deals only)
    amount = "0"

    [skip]                             # rows to leave out: column = [values]
    "Status" = ["Gelöscht"]

    [owners]                           # the rep_id column's people become reps
    name = "Verkäufer"                 # (their name, where another column has it)

The full reference is docs/mapping.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping as MappingType
from difflib import get_close_matches
from pathlib import Path
from typing import Any, get_args

from ...schema import TABLES
from ..read.formats import FormatError, FormatOptions
from .exprs import Col, Const, Expr, First, Is, Map, Unit
from .model import Mapping, Output, Skip

_FORMAT_KEYS = {"delimiter", "encoding", "decimal", "thousands", "date_format", "currency", "sheet"}
_TOP_KEYS = {"table", "name", "format", "columns", "values", "skip", "owners", "track_stages",
             "defaults"}
ANY_OTHER = "*"  # in [values.<column>]: the canonical value of every file value not listed


def _fail(path: Path, message: str) -> FormatError:
    return FormatError(f"mapping file {path}: {message}")


def _text(path: Path, where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{where} must be a non-empty text, not {value!r}")
    return value


def _column(path: Path, name: str, spec: object) -> tuple[Expr, Col | None]:
    """The expression for one ``[columns]`` entry, and the file column it needs."""
    if isinstance(spec, str):
        col = Col(_text(path, f"columns.{name}", spec))
        return col, col
    if isinstance(spec, dict):
        if "value" in spec:
            return Const(str(spec["value"])), None
        unknown = set(spec) - {"column", "unit"}
        if unknown or "column" not in spec:
            raise _fail(path, f"columns.{name} must be a column name, {{ column = \"...\", "
                        "unit = \"cents\" }} or {{ value = \"...\" }}")
        unit = spec.get("unit")
        if unit is not None and unit not in get_args(Unit):
            raise _fail(path, f"columns.{name}: unit must be one of {', '.join(get_args(Unit))}, "
                        f"not {unit!r}")
        col = Col(_text(path, f"columns.{name}.column", spec["column"]), unit=unit)
        return col, col
    raise _fail(path, f"columns.{name} must be a column name or a table, not {spec!r}")


def _format(path: Path, raw: object) -> FormatOptions:
    if not isinstance(raw, dict):
        raise _fail(path, "[format] must be a table")
    unknown = set(raw) - _FORMAT_KEYS
    if unknown:
        raise _fail(path, f"unknown [format] setting {sorted(unknown)[0]!r} "
                    f"(settings: {', '.join(sorted(_FORMAT_KEYS))})")
    try:
        return FormatOptions(**{k: str(v) for k, v in raw.items()})
    except FormatError as exc:
        raise _fail(path, str(exc)) from None


def _defaults(path: Path, table: str, raw: object, columns: dict[str, Expr]) -> dict[str, Expr]:
    """``[defaults]``: each named column takes the constant where the file's value is empty (or the
    file has no such column). A deal's amount is the exception the CRMs taught: only an open deal
    takes the default, since a won or lost deal's amount is revenue and win rates, never a guess."""
    from .crm.common import amount_of_open_as

    if not isinstance(raw, dict):
        raise _fail(path, "[defaults] must map canonical columns to values, such as amount = \"0\"")
    out: dict[str, Expr] = {}
    for name, value in raw.items():
        if name not in TABLES[table].column_names:
            raise _fail(path, f"[defaults] names {name}, which {table} does not have "
                        f"(columns: {', '.join(TABLES[table].column_names)})")
        if isinstance(value, bool) or not isinstance(value, str | int | float) or str(value) == "":
            raise _fail(path, f"defaults.{name} must be a value such as \"0\", not {value!r}")
        given = columns.get(name)
        if table == "deals" and name == "amount":
            if given is None:
                raise _fail(path, "defaults.amount needs amount in [columns]: a won or lost deal's "
                            "amount is never a default")
            out[name] = amount_of_open_as(given, str(value))
        else:
            out[name] = Const(str(value)) if given is None else First(given, Const(str(value)))
    return out


def parse_mapping(path: Path, data: MappingType[str, Any]) -> Mapping:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(path, f"unknown setting {sorted(unknown)[0]!r} "
                    f"(settings: {', '.join(sorted(_TOP_KEYS))})")
    table_name = data.get("table")
    if table_name is None:
        # What --inspect writes for a data dictionary (comments only): nothing in it to import.
        raise _fail(path, f"it names no table (table = \"deals\", one of {', '.join(TABLES)}); a "
                    "data dictionary's proposal names none: the file holds no records, leave it out")
    if not isinstance(table_name, str) or table_name not in TABLES:  # ["deals"]: unhashable
        raise _fail(path, f"table must be one of {', '.join(TABLES)}, not {table_name!r}")
    table = TABLES[table_name]
    given = data.get("columns")
    if not isinstance(given, dict) or not given:
        raise _fail(path, "[columns] must map canonical columns to the file's columns")
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise _fail(path, "[values] must hold tables such as [values.status]")
    columns: dict[str, Expr] = {}
    needed: list[Col] = []
    for name, spec in given.items():
        if name not in table.column_names:
            raise _fail(path, f"{table.name} has no column {name!r} "
                        f"(columns: {', '.join(table.column_names)})")
        expr, col = _column(path, name, spec)
        if col is not None:
            needed.append(col)
        mapped = values.get(name)
        if mapped is not None:
            if not isinstance(mapped, dict):
                raise _fail(path, f"[values.{name}] must map the file's values to canonical ones")
            listed = {str(k): str(v) for k, v in mapped.items() if k != ANY_OTHER}
            other = Const(str(mapped[ANY_OTHER])) if ANY_OTHER in mapped else None
            expr = Map(expr, listed, other=other)
        columns[name] = expr
    for name in values:
        if name not in columns:
            # Keyed by the canonical column, not the file's: [values.product] for product_id was
            # refused without a word of which name it takes (the first-hour tester).
            close = get_close_matches(name, list(columns), n=1, cutoff=0.5) or [
                c for c in columns if name in c or c in name][:1]
            meant = f"; did you mean [values.{close[0]}]?" if close else ""
            raise _fail(path, f"[values.{name}] maps a column that [columns] does not name: a [values] "
                        f"table is named for the canonical column, as [columns] names it "
                        f"({', '.join(columns) or 'none'}){meant}")
    columns.update(_defaults(path, table.name, data.get("defaults", {}), columns))
    skips: list[Skip] = []
    for column, listed in (data.get("skip") or {}).items():
        if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
            raise _fail(path, f"skip.{column} must be a list of values, such as [\"deleted\"]")
        # Each value quoted: the German reason joins them with "oder", and a value may hold " or ".
        values_said = " or ".join(f"'{v}'" for v in listed)
        skips.append(Skip(Is(Col(column), *listed), f"rows whose {column} is {values_said}"))
        needed.append(Col(column))
    also: tuple[Output, ...] = ()
    owners = data.get("owners")
    if owners is not None:
        if "rep_id" not in columns or table.name == "reps":
            raise _fail(path, "[owners] needs a rep_id column in [columns]")
        side: dict[str, Expr] = {"rep_id": columns["rep_id"]}
        if isinstance(owners, dict) and owners.get("name"):
            side["name"] = Col(_text(path, "owners.name", owners["name"]))
        also = (Output("reps", side, derived=True),)
    track = data.get("track_stages", table.name == "deals")
    # A word of the export's own the mapping does not name ("Storniert") was told only the three
    # values it must be, not where the mapping names it (a tester).
    advice = {c.name: f"; a word of the export's own? name it in the mapping's [values.{c.name}] "
                      f"(\"your word\" = \"{c.choices[-1]}\")"
              for c in table.columns if c.choices and c.name in columns}
    return Mapping(
        str(data.get("name") or f"mapping {path.name}"), table.name, columns, also=also,
        identify=tuple(needed), skip=tuple(skips), track_stages=bool(track) and table.name == "deals",
        format=_format(path, data.get("format", {})), advice=advice,
    )


def load_mapping(path: Path) -> Mapping:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FormatError(f"cannot read mapping file {path} ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"not valid TOML ({exc})") from None
    return parse_mapping(path, data)
