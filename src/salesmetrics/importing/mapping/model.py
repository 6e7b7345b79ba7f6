"""A mapping: how one kind of export file becomes canonical records.

Vendors (``--from hubspot``) are built-in mappings, a ``--mapping FILE.toml`` is read into the same
dataclass, and a canonical file (``deals.csv``) is the identity mapping of its table. Each file is
matched to the mapping whose columns its header has (:func:`fit`), so one import may mix the deals,
owners and calls of one CRM.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field

from ...errors import Problem
from ...schema import TABLES
from ..read.formats import FormatOptions
from .exprs import Col, Cond, Const, Expr, leaves, normalize


@dataclass(frozen=True)
class Output:
    """Records of one canonical table made from each row of the file.

    ``derived`` outputs are side records (the owner of a deal becomes a rep): rows with the same key
    are merged into one, a record the import also lists explicitly wins, and writing one only fills
    in columns, never clears what the workspace already knows (a rep's team, say).
    """

    table: str
    columns: MappingType[str, Expr]
    derived: bool = False


@dataclass(frozen=True)
class Skip:
    """Rows that hold no record (a deleted deal, a planned activity): left out and counted."""

    when: Cond
    reason: str
    # The row says its record was deleted at the source (a deleted deal): the import tells where
    # the workspace still holds and counts one, as it removes none.
    gone: bool = False
    # Every value ``of`` may hold (without case), those that skip and those that do not: any other
    # refuses the file. A Pipedrive "Done" of "Nicht erledigt" was counted as done.
    of: Expr | None = None
    known: tuple[str, ...] = ()
    # An empty ``of`` is refused too, unless this column holds a value, which then decides (a row's
    # Status).
    unless: Col | None = None
    # ``of`` is checked only where this column is empty, or not in the file: where written, it
    # decides (a task's IsClosed over its Status).
    where_empty: Col | None = None
    hint: str = ""  # added to the refusal of an unknown value: the way out
    said: tuple[str, ...] = ()  # the values that refusal names, where not all of ``known`` (dozens)


@dataclass(frozen=True)
class Mapping:
    name: str                                # as shown to the user: "HubSpot deals"
    table: str
    columns: MappingType[str, Expr]
    also: tuple[Output, ...] = ()
    identify: tuple[Col, ...] = ()           # columns that tell this kind of file from others
    skip: tuple[Skip, ...] = ()
    # Columns read as yes or no (exprs.TRUTHY, exprs.FALSY): any other value refuses the file. A
    # Salesforce "Won" of VRAI (French Excel) read as no, and every won deal was imported as open.
    flags: tuple[Col, ...] = ()
    stage_changed_at: Expr | None = None     # when the deal entered its current stage, if exported
    track_stages: bool = False               # record stage changes in stage_history
    naive_utc: bool = False                  # times without a zone are UTC (API exports)
    format: FormatOptions = field(default_factory=FormatOptions)
    vendor: str | None = None
    canonical: bool = False                  # the table's own columns: strict header, strict formats
    # What a refusal of a column's value adds: the ways out where a vendor's words were not read (a
    # stage of the user's own: "must be one of open, won, lost" did not say what to do).
    advice: MappingType[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for output in (self.output, *self.also):
            table = TABLES.get(output.table)
            if table is None:
                raise ValueError(f"{self.name}: unknown table {output.table!r}")
            for name in output.columns:
                table.column(name)  # KeyError on a typo in a built-in mapping

    @property
    def output(self) -> Output:
        return Output(self.table, self.columns)

    @property
    def outputs(self) -> tuple[Output, ...]:
        return (self.output, *self.also)

    def cols(self) -> list[Col]:
        found: list[Col] = []
        for output in self.outputs:
            for expr in output.columns.values():
                found += expr.cols()
        for skip in self.skip:
            found += skip.when.cols()
        if self.stage_changed_at is not None:
            found += self.stage_changed_at.cols()
        return found + list(self.identify)


def canonical(table: str) -> Mapping:
    """The identity mapping of a canonical table."""
    columns = {c: Col(c) for c in TABLES[table].column_names}
    # A status in the file's own words ("gewonnen", "offen") was told only the three it must be.
    advice = {c.name: f"; words of your own? write a mapping that names each {c.name} "
                      "(`salesmetrics import --inspect FILE` proposes one)"
              for c in TABLES[table].columns if c.choices}
    return Mapping(f"canonical {table}", table, columns, canonical=True, advice=advice)


def _values(expr: Expr) -> list[Col]:
    """The columns a value is read from (not those that only decide between them)."""
    return [col for col, _ in leaves(expr, "text")]


def _resolvable(expr: Expr, header: set[str]) -> bool:
    if isinstance(expr, Const):
        return True
    return any(normalize(n) in header for c in _values(expr) for n in c.names)


@dataclass(frozen=True)
class Fit:
    """How well a file's header fits a mapping."""

    mapping: Mapping
    found: int                                   # columns of the mapping the header has
    missing: tuple[tuple[str, Col | None], ...]  # required canonical columns it lacks
    identified: bool                             # the header has every identifying column

    @property
    def usable(self) -> bool:
        return self.identified and not self.missing


def fit(mapping: Mapping, header: list[str]) -> Fit:
    names = {normalize(n) for n in header}
    table = TABLES[mapping.table]
    missing: list[tuple[str, Col | None]] = []
    for column in table.columns:
        if not column.required:
            continue
        expr = mapping.columns.get(column.name)
        if expr is None or not _resolvable(expr, names):
            first = next(iter(_values(expr)), None) if expr is not None else None
            missing.append((column.name, first))
    cols = {c.names for c in mapping.cols()}
    found = sum(any(normalize(n) in names for n in group) for group in cols)
    identified = all(any(normalize(n) in names for n in c.names) for c in mapping.identify)
    return Fit(mapping, found, tuple(missing), identified)


def best_fit(mappings: list[Mapping], header: list[str]) -> tuple[Fit | None, Fit | None]:
    """The usable mapping the header fits best, and (when none is usable) the nearest one."""
    fits = sorted((fit(m, header) for m in mappings), key=lambda f: (f.identified, -len(f.missing),
                                                                     f.found), reverse=True)
    usable = [f for f in fits if f.usable]
    if usable:
        return usable[0], None
    return None, (fits[0] if fits else None)


def missing_problems(nearest: Fit, header: list[str], file: str) -> list[Problem]:
    """The required columns a file lacks, each with the names it could have had and the closest
    names the header does have."""
    problems: list[Problem] = []
    for canonical_name, col in nearest.missing:
        names = col.names if col is not None else (canonical_name,)
        close: list[str] = []
        for name in names:
            for match in difflib.get_close_matches(normalize(name), [normalize(h) for h in header],
                                                   n=2, cutoff=0.6):
                original = next(h for h in header if normalize(h) == match)
                if original not in close:
                    close.append(original)
        expected = " or ".join(repr(n) for n in names[:4])
        hint = (f"; closest in the file: {', '.join(repr(c) for c in close[:3])}" if close
                else "")
        problems.append(Problem(file, 1, canonical_name, None,
                                f"required column is missing for {nearest.mapping.name}: expected "
                                f"{expected}{hint}"))
    for col in nearest.mapping.identify:
        if not any(normalize(n) in {normalize(h) for h in header} for n in col.names):
            problems.append(Problem(file, 1, col.names[0], None,
                                    f"column {col.names[0]!r} of {nearest.mapping.name} is missing"))
    return problems


# Words a header uses for the currency of the amounts beside it, in the languages CRMs export in.
_CURRENCY_WORDS = ("currency", "währung", "waehrung", "devise", "moneda", "valuta")


def unread_currency(mapping: Mapping, header: list[str], file: str) -> list[Problem]:
    """A vendor's export whose currency the mapping reads from no column it has, while another column
    names a currency ("Amount Currency" of a Salesforce report): its amounts would be read as the
    base currency and added to euros, dollars and yen alike. Refused, naming the column."""
    expr = mapping.columns.get("currency")
    if mapping.canonical or "currency" not in TABLES[mapping.table].column_names:
        return []
    names = {normalize(n) for n in header}
    if expr is not None and _resolvable(expr, names):
        return []
    used = {normalize(n) for c in mapping.cols() for n in c.names}
    found = [h for h in header if normalize(h) not in used and _names_a_currency(normalize(h))]
    if not found:
        return []
    read = (" or ".join(repr(n) for n in _values(expr)[0].names[:4]) if expr is not None and _values(expr)
            else "no column")
    return [Problem(file, 1, found[0], None,
                    f"this column looks like the amounts' currency, but {mapping.name} read the currency "
                    f"from {read}: the amounts would be taken as the base currency. Rename the column, "
                    "or describe the file with --mapping (docs/mapping.md)")]


def _names_a_currency(name: str) -> bool:
    """A header naming a currency: its first or last word is one ("Amount Currency", "Currency ISO
    Code", "Betrag Währung"), and no "in" makes it an amount in one ("Amount in company currency")."""
    words = name.replace("_", " ").replace("-", " ").split()
    return bool(words) and (words[0] in _CURRENCY_WORDS or words[-1] in _CURRENCY_WORDS) and not (
        {"in", "im"} & set(words))
