"""Rows of a KPI (or of a list of records) for a query, with the SQL kept once per shape and the
period's bounds and the filter values as parameters.

Building an Ibis expression and compiling it costs 15-25 ms, more than DuckDB needs to run most KPIs
(docs/benchmarks.md), and a dashboard asks ~40 of them. A KPI's SQL depends on the period only
through its bounds, and on a filter only through its values, so on the embedded engine the text is
kept per shape (what is asked, grouping, which filters with how many values, settings, viewer) with
named parameters where those go, and later queries run it without Ibis.

That the SQL depends on them only that way is checked, not assumed. The first query of a shape
runs as compiled. The second is compiled for stand-ins unlike the first query (a period of another
year, month, weekday and length; made-up filter values), and the text is kept only if both agree
once the parameters are taken out. A definition that derives anything else from them (a year, a
grid of months, a table of spans) compiles to two different texts and is compiled every time, as
before; so is a query that looks at data while it is built (currency checks). ``as_of`` is part of
the shape: a definition may read it (a ramp stops counting days there), and the period it cuts
(report.query_maker) is a parameter like any other.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.operations as ops

from ..periods import Period
from .model import KPI
from .query import Query

# Far from any real record, unlike each other in year, month, day, weekday and length.
_STAND_INS = (
    Period(date(1901, 2, 5), date(1901, 3, 19), "stand-in"),
    Period(date(1903, 11, 20), date(1903, 11, 23), "stand-in"),
    Period(date(1905, 4, 27), date(1906, 1, 9), "stand-in"),
)


def _parameters(query: Query) -> list[tuple[str, str, Any]]:
    """What becomes a parameter of the kept SQL: (name, SQL type, value) -- the period's bounds as
    the query layer writes them, and each filter value."""
    p = query.period
    out: list[tuple[str, str, Any]] = [
        ("sm_start_at", "TIMESTAMP", p.start_at), ("sm_end_at", "TIMESTAMP", p.end_at),
        ("sm_start", "DATE", p.start), ("sm_end", "DATE", p.end),
    ]
    for dim, values in sorted(query.filters.items()):
        out.extend((f"sm_{dim}_{i}", "VARCHAR", value) for i, value in enumerate(values))
    return out


_SIZE = 2048


@dataclass
class Compiled:
    sql: str  # with $sm_start_at, ... where the period's bounds go
    parameters: tuple[str, ...]
    schema: Any  # Ibis' schema of the result: rows come back as Ibis would have returned them
    # Whether DuckDB's own result types give the same Python values (seen on the first run): then
    # rows are taken straight from DuckDB, a millisecond a query less than through Arrow.
    native: bool | None = None

    def arguments(self, query: Query) -> dict[str, Any]:
        return {name: value for name, _, value in _parameters(query) if name in self.parameters}

    def fetch(self, con: Any, query: Query) -> list[dict[str, Any]]:
        if self.native is not False:
            cursor = con.execute(self.sql, self.arguments(query))
            found = cursor.fetchall()  # fetched either way: DuckDB wants a result finished
            if self.native is None:
                self.native = _same_values(cursor.description, self.schema)
            if self.native:
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in found]
        return _fetch_arrow(con, self.sql, self.arguments(query), self.schema)


@dataclass(frozen=True)
class _Seen:
    """A shape asked once: its SQL for that query, to check the next one against (the query's
    period and parameters only, not the query: that would keep its connection's objects alive)."""

    sql: str
    period: Period
    parameters: tuple[tuple[str, str, Any], ...]
    schema: Any


class _Uncacheable:
    pass


_NOT = _Uncacheable()
_cache: OrderedDict[Hashable, Compiled | _Seen | _Uncacheable] = OrderedDict()
_lock = threading.Lock()


def rows(kpi: KPI, query: Query) -> list[dict[str, Any]]:
    """The KPI's result rows (one dict per group) for ``query``."""
    return run(f"kpi {kpi.id}", kpi.compute, query)


def run(name: str, build: Callable[[Query], Any], query: Query) -> list[dict[str, Any]]:
    """The rows of the table ``build(query)`` makes. ``name`` says what it is: one name, one
    ``build``, so the SQL can be kept for the next query of the same shape."""
    key = _key(name, query)
    if key is None:
        return _via_ibis(build(query))
    backend = query.records.backend
    entry = _get(key)
    if isinstance(entry, _Seen):
        entry = _verify(entry, build, query)
        _put(key, entry)
    if isinstance(entry, Compiled):
        return entry.fetch(backend.con, query)
    expr = build(query)
    if entry is _NOT or expr.op().find(ops.InMemoryTable):  # in-memory tables: new names each time
        _put(key, _NOT)
        return _via_ibis(expr)
    schema = expr.schema()
    sql = str(backend.compile(expr))
    _put(key, _Seen(sql, query.period, tuple(_parameters(query)), schema))
    return _fetch_arrow(backend.con, sql, {}, schema)


def kept(name: str, query: Query) -> bool:
    """Whether the SQL of ``name`` for queries shaped like ``query`` runs without Ibis now."""
    key = _key(name, query)
    return key is not None and isinstance(_get(key), Compiled)


def clear() -> None:
    with _lock:
        _cache.clear()


def _get(key: Hashable) -> Compiled | _Seen | _Uncacheable | None:
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _put(key: Hashable, entry: Compiled | _Seen | _Uncacheable) -> None:
    with _lock:
        _cache[key] = entry
        while len(_cache) > _SIZE:
            _cache.popitem(last=False)


def _key(name: str, query: Query) -> Hashable | None:
    backend = query.records.backend
    if getattr(backend, "name", None) != "duckdb":
        return None
    if query.foreign_currencies:  # building the query checks the exchange rates against the data
        return None
    # Filter values are parameters too: one text serves every team, rep or product.
    filters = tuple(sorted((dim, len(values)) for dim, values in query.filters.items()))
    return (name, query.by, filters, query.fiscal_year_start, query.base_currency,
            query.ramp_rule, query.ramp_threshold, query.ramp_sustain, query.records.viewer, query.as_of)


def _verify(seen: _Seen, build: Callable[[Query], Any], query: Query) -> Compiled | _Uncacheable:
    try:
        return _checked(seen, build, query)
    except Exception:  # the check must never break a query that runs fine as compiled
        return _NOT


def _checked(seen: _Seen, build: Callable[[Query], Any], query: Query) -> Compiled | _Uncacheable:
    backend = query.records.backend

    def text_for(period: Period) -> tuple[str, tuple[str, ...]] | None:
        stand_in = _stand_in(query, period)
        expr = build(stand_in)
        if expr.schema() != seen.schema:
            return None
        return _template(str(backend.compile(expr)), backend, _parameters(stand_in))

    unlike = [s for s in _STAND_INS if _unlike(s, seen.period)]
    first = _STAND_INS[0] if not unlike else unlike[0]
    text = text_for(first)
    if text is None:
        return _NOT
    if unlike and _template(seen.sql, backend, seen.parameters) == text:
        return Compiled(*text, seen.schema)
    # The first query's own values may equal another literal of its SQL (a source called "won"):
    # then two stand-ins, which cannot, decide.
    if text_for(next(s for s in _STAND_INS if s is not first)) == text:
        return Compiled(*text, seen.schema)
    return _NOT


def _unlike(a: Period, b: Period) -> bool:
    def traits(p: Period) -> tuple[int, ...]:
        return (p.days, p.start.weekday(), p.start.day, p.end.day, p.start.month, p.end.month,
                p.start.year, p.end.year)

    return all(x != y for x, y in zip(traits(a), traits(b), strict=True))


def _stand_in(query: Query, period: Period) -> Query:
    """The query over a stand-in period, with stand-in filter values. A new Query on the same
    Records, whose table expressions depend on neither."""
    filters = {dim: tuple(f"sm-stand-in-{dim}-{i}" for i in range(len(values)))
               for dim, values in query.filters.items()}
    # replace(), not a copy field by field: a field added to Query later must reach the stand-in.
    return replace(query, period=period, filters=filters)


def _template(sql: str, backend: Any,
              parameters: Iterable[tuple[str, str, Any]]) -> tuple[str, tuple[str, ...]]:
    used = []
    for name, sql_type, value in parameters:
        literal = _literal_sql(backend, value)
        if literal in sql:
            sql = sql.replace(literal, f"CAST(${name} AS {sql_type})")
            used.append(name)
    return sql, tuple(used)


_SELECT = re.compile(r'\s*SELECT\s+(?P<literal>.+?)\s+AS\s+"_bound"\s*', re.S)


def _literal_sql(backend: Any, value: date | datetime | str) -> str:
    """How the backend writes ``value`` in SQL (DuckDB: ``MAKE_DATE(1901, 2, 5)``, ``'east'``)."""
    found = _SELECT.fullmatch(str(backend.compile(ibis.literal(value).name("_bound"))))
    if found is None:  # an unexpected form: nothing will match, and the texts will not agree
        return "\x00unmatchable\x00"
    return found["literal"]


def _via_ibis(expr: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return result


def _fetch_arrow(con: Any, sql: str, arguments: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    # What Ibis' to_pyarrow does on DuckDB: its result, cast to the expression's schema.
    table = con.sql(sql, params=arguments or None).to_arrow_table()
    result: list[dict[str, Any]] = table.cast(schema.to_pyarrow()).to_pylist()
    return result


def _same_values(description: Any, schema: Any) -> bool:
    """Whether DuckDB's column types give the Python values Ibis' types would: the same kind of
    value, and Decimals of the same scale (``7500.00`` is written as such)."""
    if [d[0] for d in description] != list(schema.names):
        return False
    for (_, duck, *_), dtype in zip(description, schema.types, strict=True):
        duck = str(duck).upper()
        if dtype.is_integer():
            same = duck in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                            "USMALLINT", "UINTEGER", "UBIGINT")
        elif dtype.is_decimal():
            same = duck.startswith("DECIMAL(") and duck.rstrip(")").endswith(f",{dtype.scale}")
        elif dtype.is_floating():
            same = duck in ("DOUBLE", "FLOAT")
        elif dtype.is_timestamp():
            same = duck == "TIMESTAMP" and dtype.timezone is None
        else:
            same = (duck, str(dtype)) in {("VARCHAR", "string"), ("BOOLEAN", "boolean"),
                                          ("DATE", "date")}
        if not same:
            return False
    return True
