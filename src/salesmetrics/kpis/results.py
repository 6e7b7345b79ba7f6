"""A query's result in Python: its rows or its columns, and a kept text read the quick way.

DuckDB hands a DECIMAL to Python as a ``Decimal`` at ~0.6 us a value and a HUGEINT (what SUM of
integers gives) as an ``int`` at ~0.35 us, against ~0.05 us for a BIGINT or a short text: in a
report by rep at 1M deals, a fifth of the time DuckDB's results took to reach Python
(docs/benchmarks.md, item 53). A kept text whose result DuckDB has described (kpis/compiled.py) is
therefore read through a :func:`lean` text around it: its decimals as text, made ``Decimal`` here
(the same value and exponent: DuckDB writes every digit of the scale), and its HUGEINTs as
BIGINT. A sum too large for a BIGINT fails the cast; the text is then read as it is
(:data:`TOO_LARGE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import duckdb

# What the lean text's casts raise where a HUGEINT does not fit a BIGINT.
TOO_LARGE = (duckdb.ConversionException, duckdb.OutOfRangeException)


class Result:
    """A result as column names and either its rows (a tuple each) or its columns (a sequence
    each): the other is made only when asked for, once."""

    __slots__ = ("_columns", "_rows", "names")

    def __init__(self, names: list[str], rows: list[tuple[Any, ...]] | None = None,
                 columns: list[Sequence[Any]] | None = None) -> None:
        assert (rows is None) != (columns is None)
        self.names = names
        self._rows = rows
        self._columns = columns

    def rows(self) -> list[tuple[Any, ...]]:
        if self._rows is None:
            assert self._columns is not None
            self._rows = list(zip(*self._columns, strict=True))
        return self._rows

    def size(self) -> int:
        """What it weighs where it is kept (recall.Recall): a value a cell, and the values of a
        list in one (Kaplan-Meier's spells, ~160 a rep), and 1 besides, so that an empty result
        weighs something too: 100,000 of them were 56 MB that nothing counted (the review)."""
        rows = self._rows
        if rows is not None:
            first = rows[0] if rows else ()
            lists = [i for i, v in enumerate(first) if isinstance(v, list | tuple)]
            return 1 + len(rows) * len(self.names) + sum(len(r[i] or ()) for r in rows for i in lists)
        assert self._columns is not None
        return 1 + sum(len(c) + (sum(len(v or ()) for v in c) if c and isinstance(c[0], list | tuple) else 0)
                       for c in self._columns)

    def copy(self) -> Result:
        """The same values in lists of its own (the rows are tuples, which nobody changes)."""
        if self._rows is not None:
            return Result(self.names[:], rows=self._rows[:])
        assert self._columns is not None
        return Result(self.names[:], columns=[list(c) for c in self._columns])

    def columns(self) -> list[Sequence[Any]]:
        if self._columns is None:
            assert self._rows is not None
            self._columns = (list(zip(*self._rows, strict=True)) if self._rows
                             else [() for _ in self.names])
        return self._columns


class Lean:
    """A text around a kept one that returns the same values quicker (:func:`lean`), and which of
    its columns are decimals written as text."""

    __slots__ = ("decimals", "sql")

    def __init__(self, sql: str, decimals: tuple[int, ...]) -> None:
        self.sql = sql
        self.decimals = decimals

    def read(self, con: Any, arguments: dict[str, Any], names: list[str]) -> Result:
        found = con.execute(self.sql, arguments).fetchall()
        if not found:
            return Result(names, rows=found)
        columns: list[Sequence[Any]] = list(zip(*found, strict=True))
        for i in self.decimals:
            col = columns[i]
            columns[i] = (list(map(Decimal, col)) if None not in col
                          else [None if v is None else Decimal(v) for v in col])
        return Result(names, columns=columns)


def lean(sql: str, described: Sequence[tuple[str, str]]) -> Lean | None:
    """The lean text for ``sql``, whose result DuckDB describes as ``described`` ((name, type) a
    column), or None where no column is worth it (or two share a name: a text around it could
    not tell them apart)."""
    names = [name for name, _ in described]
    if len(set(names)) != len(names):
        return None
    parts, decimals, cast = [], [], False
    for i, (name, kind) in enumerate(described):
        quoted = '"' + name.replace('"', '""') + '"'
        if kind.startswith("DECIMAL("):
            parts.append(f"CAST({quoted} AS VARCHAR) AS {quoted}")
            decimals.append(i)
        elif kind == "HUGEINT":
            parts.append(f"CAST({quoted} AS BIGINT) AS {quoted}")
        else:
            parts.append(quoted)
            continue
        cast = True
    if not cast:
        return None
    return Lean(f"SELECT {', '.join(parts)} FROM ({sql}) AS sm_result", tuple(decimals))
