"""Which files an import reads and which table each one fills.

A file's stem names its table, case-insensitively (``Deals.CSV`` fills ``deals``; ``deals_2026.csv``
fills nothing). Folders contribute their ``*.csv`` and ``*.parquet`` files (not recursively, hidden
files skipped). Several files may fill the same table; their rows must then not share a key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import ImportValidationError, Problem
from ..schema import TABLES

Format = Literal["csv", "parquet"]
FORMATS: dict[str, Format] = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class Source:
    table: str
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


def _source(path: Path) -> Source | Problem:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        suffix = path.suffix or "(none)"
        return Problem(str(path), None, None, None,
                       f"unsupported file type {suffix!r}; import .csv or .parquet files")
    table = path.stem.strip().lower()
    if table not in TABLES:
        hint = _suggest(table, list(TABLES))
        return Problem(
            str(path), None, None, None,
            f"unknown table {path.stem!r}: the file name must be a table name{hint} "
            f"(tables: {', '.join(TABLES)})",
        )
    return Source(table, path, fmt)


def _folder_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in FORMATS
    )


def resolve(paths: list[Path]) -> tuple[list[Source], list[Problem]]:
    """Expand folders and name each file's table; problems are collected, never raised."""
    sources: list[Source] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir():
            files = _folder_files(given)
            if not files:
                problems.append(Problem(str(given), None, None, None,
                                        "folder has no .csv or .parquet files"))
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
            found = _source(path)
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
