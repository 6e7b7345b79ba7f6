"""Which files an import reads and which table each one fills.

A canonical file's stem names its table, case-insensitively (``Deals.CSV`` fills ``deals``;
``deals_2026.csv`` fills nothing). An export read through mappings (``--from hubspot``,
``--mapping``) may have any name: its header says which mapping, and so which table, it fits.
Folders contribute their ``*.csv``, ``*.tsv``, ``*.xlsx`` and ``*.parquet`` files (not recursively,
hidden files skipped). Several files may fill the same table; their rows must then not share a key.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...errors import ImportValidationError, Problem, UnknownFile
from ...schema import TABLES

Format = Literal["csv", "parquet", "xlsx"]
FORMATS: dict[str, Format] = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet",
                              ".xlsx": "xlsx"}
_FOLDER_SUFFIXES = (".csv", ".tsv", ".parquet", ".xlsx")


@dataclass(frozen=True)
class Source:
    table: str  # the canonical table named by the file's stem; "" for an export read by mappings
    path: Path
    format: Format

    @property
    def name(self) -> str:
        """The file as the user gave it (folder entries: the folder as given plus the file name)."""
        return str(self.path)


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def _source(path: Path, mapped: bool, recognise: Callable[[Path], str | None] | None) -> Source | Problem:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        suffix = path.suffix or "(none)"
        return Problem(str(path), None, None, None,
                       f"unsupported file type {suffix!r}; import .csv, .xlsx or .parquet files")
    if mapped:
        return Source("", path, fmt)
    table = path.stem.strip().lower()
    if table not in TABLES:
        looks = recognise(path) if recognise is not None else None
        if looks:
            return Problem(str(path), None, None, None, looks)
        hint = _suggest(table, list(TABLES))
        return UnknownFile(
            str(path), None, None, None,
            f"unknown table {path.stem!r}: the file name must be a table name{hint} "
            f"(tables: {', '.join(TABLES)}); for a CRM export use --from, for any other export "
            "--mapping (see `salesmetrics import --inspect FILE`)",
            reason=f"no table is called {path.stem!r}{hint}",
        )
    return Source(table, path, fmt)


def _folder_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.startswith("~$")
        and p.suffix.lower() in _FOLDER_SUFFIXES
    )


def resolve(paths: list[Path], *, mapped: bool = False,
            recognise: Callable[[Path], str | None] | None = None) -> tuple[list[Source], list[Problem]]:
    """Expand folders and name each file's table (unless ``mapped``: then its header will);
    problems are collected, never raised. ``recognise`` may explain a file whose name is no
    table (``this looks like a HubSpot export``)."""
    sources: list[Source] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir():
            files = _folder_files(given)
            if not files:
                problems.append(Problem(str(given), None, None, None,
                                        "folder has no .csv, .xlsx or .parquet files"))
        elif given.is_file():
            files = [given]
        else:
            problems.append(Problem(str(given), None, None, None, "file not found"))
            continue
        for path in files:
            # The same file named twice (e.g. by itself and by its folder) is read once: its rows
            # would otherwise all be reported as duplicates of themselves.
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            found = _source(path, mapped, recognise)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                sources.append(found)
    return sources, problems


def tables_for_paths(paths: list[Path]) -> list[tuple[str, Path]]:
    """``(table, file)`` for every file the paths name.

    Raises ImportValidationError if a path is missing, or names no table or an unknown one.
    """
    sources, problems = resolve(paths)
    if problems:
        raise ImportValidationError(problems)
    return [(s.table, s.path) for s in sources]
