"""One file, from disk to the SQL of its canonical rows.

1. Open it: read the header (CSV, transcoded to UTF-8 if need be; an Excel sheet converted to CSV;
   Parquet's schema).
2. Choose its mapping from the header: the identity mapping of the table its name says (canonical
   files), else the best-fitting of the mappings given (a vendor's file kinds, mapping files).
3. Stage the file columns the mapping uses, with DuckDB's own readers.
4. Leave out rows that hold no record (deleted deals), counting them.
5. Detect the file's number and date conventions (:mod:`.detect`).
6. Compile the mapping into SQL over the staging table, one :class:`.Input` per canonical table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from ...errors import Problem, UnknownFile
from ...schema import TABLES
from ..mapping.crm import recognise
from ..mapping.exprs import FALSY, TRUTHY, Col, Compiler, Const, Expr, First, leaves, normalize
from ..mapping.header import match_columns
from ..mapping.history import changes_input, history_input
from ..mapping.model import Mapping, best_fit, canonical, missing_problems, unread_currency
from ..sql import literal
from .csvfile import CsvFile, open_csv, stage_csv
from .detect import TWO_WAYS, Conventions, conventions
from .excel import not_calculated, open_xlsx
from .formats import FormatOptions
from .parquetfile import parquet_names, stage_parquet
from .sources import Source
from .staging import EMPTY, EMPTY_ROWS, Input, Staged, create_stage, data_name, stage_name


@dataclass(frozen=True)
class ReadOptions:
    """What every file of one import shares."""

    options: FormatOptions
    mappings: Sequence[Mapping] | None  # None: canonical files named by their table
    now: str                            # the import's time, ISO with zone
    workdir: Path                       # temporary files (transcoded text, converted sheets)
    source_label: str | None = None     # "HubSpot", for messages
    straight_files: frozenset[int] = frozenset()  # read by the write alone (csvfile.stage_csv)


@dataclass(frozen=True)
class _Opened:
    csv: CsvFile | None
    names: list[str]


def open_file(con: duckdb.DuckDBPyConnection, source: Source, options: FormatOptions,
          workdir: Path) -> _Opened | Problem:
    if source.format == "parquet":
        names = parquet_names(con, source.path, source.name)
        return names if isinstance(names, Problem) else _Opened(None, names)
    if source.format == "xlsx":
        sheet = open_xlsx(source.path, source.name, options.sheet, workdir, comma=options.decimal == ",")
    else:
        sheet = open_csv(source.path, source.name, options.encoding, options.delimiter, workdir)
    return sheet if isinstance(sheet, Problem) else _Opened(sheet, sheet.names)


def _choose(source: Source, names: list[str],
            read: ReadOptions) -> tuple[Mapping, dict[str, int]] | list[Problem]:
    """The file's mapping and the position of each (normalized) header name it uses."""
    if read.mappings is None:
        matched, problems = match_columns(TABLES[source.table], names, source.name)
        if any(isinstance(p, UnknownFile) for p in problems):
            # Named for its table but someone else's file: a Pipedrive export saved as deals.csv
            # was told only to write a mapping, where export.csv was told --from pipedrive.
            looks = recognise(names, mapped=False)
            if looks:
                return [Problem(source.name, None, None, None, looks)]
        if problems:
            return problems
        return canonical(source.table), matched
    chosen, nearest = best_fit(list(read.mappings), names)
    if chosen is None:
        looks = recognise(names, exclude=read.source_label)
        if looks:
            return [Problem(source.name, None, None, None, looks)]
        if nearest is None:
            return [Problem(source.name, 1, None, None, "no mapping given fits this file")]
        if not nearest.found:
            # Not one column in common: no broken export of that kind ("HubSpot owners, missing
            # firstName"), but another file altogether.
            what = f"a {read.source_label} export" if read.source_label else "a file the mapping reads"
            shown = ", ".join(repr(n) for n in names[:6]) + (", ..." if len(names) > 6 else "")
            # A CRM's export in the language of its screens names its columns in that language:
            # say so, and the way out, not only that nothing fits (a tester with localized exports).
            how = ("; an export made with the CRM's screens in another language than English names its "
                   "columns in that language: export in English, or let `salesmetrics import --inspect "
                   "FILE` propose a mapping" if read.source_label else "")
            return [Problem(source.name, 1, None, None,
                            f"not {what}: none of its columns is in the header ({shown}){how}")]
        return missing_problems(nearest, names, source.name)
    if read.source_label is not None and (unread := unread_currency(chosen.mapping, names, source.name)):
        return unread
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        positions.setdefault(normalize(name), index)
    return chosen.mapping, positions


# What opening a file reads by (the header a mapping is chosen by depends on them); the other
# format options read its values.
_OPENING = ("encoding", "delimiter", "sheet")


def _opening(options: FormatOptions) -> tuple[str | None, ...]:
    return tuple(getattr(options, name) for name in _OPENING)


def _open_and_choose(con: duckdb.DuckDBPyConnection, source: Source,
                     read: ReadOptions) -> tuple[_Opened, Mapping, dict[str, int]] | list[Problem]:
    """The file opened and its mapping. A mapping file may say how its files are opened
    (``[format]`` encoding, delimiter, sheet; the command line wins), and the header the mapping is
    chosen by is read so. Where every mapping given opens files alike (one mapping file), the file
    is opened once, so; else as the command line says, and again as the mapping that fits then
    says, which must open it (a sheet it names that the workbook lacks is said, not passed over
    for the first); where it could not be opened or no mapping fits, as each mapping says, kept
    where that mapping then fits, and else the problems of the first that read a header (a
    missing column, not "not UTF-8" for a file its mapping says is cp1252). A cp1252 file with
    ``encoding = "cp1252"`` in its mapping was refused as "not UTF-8 text"."""
    ways = {_opening(read.options.over(m.format)): read.options.over(m.format)
            for m in read.mappings or ()}
    first = next(iter(ways.values())) if len(ways) == 1 else read.options
    opened = open_file(con, source, first, read.workdir)
    chosen: tuple[Mapping, dict[str, int]] | list[Problem] = (
        [opened] if isinstance(opened, Problem) else _choose(source, opened.names, read))
    if read.mappings is not None and len(ways) > 1:
        fitted = not isinstance(chosen, list)
        candidates = [chosen[0]] if not isinstance(chosen, list) else list(read.mappings)
        # Each way of opening tried once, and what it opened asked of every mapping that opens so:
        # with two cp1252 mappings, the second was passed over as tried, and its own file refused
        # as "not UTF-8" (a tester).
        seen: dict[tuple[str | None, ...], _Opened | Problem] = {}
        for mapping in candidates:
            options = read.options.over(mapping.format)
            way = _opening(options)
            if way == _opening(first):
                continue
            if way not in seen:
                seen[way] = open_file(con, source, options, read.workdir)
            again = seen[way]
            if isinstance(again, Problem):
                if fitted:  # the mapping that fits cannot open the file as it says
                    return [again]
                continue
            fits = _choose(source, again.names, read)
            if not isinstance(fits, list) and fits[0] is mapping:
                return again, *fits
            if isinstance(opened, Problem) and isinstance(fits, list) and chosen == [opened]:
                chosen = fits  # a header read at last: what it lacks says more than "not UTF-8"
    if isinstance(chosen, list):
        return chosen
    assert not isinstance(opened, Problem)
    return opened, *chosen


def _used(mapping: Mapping, positions: dict[str, int]) -> dict[str, int]:
    """The header names the mapping reads (the first alias found of each column), by position."""
    used: dict[str, int] = {}
    for col in mapping.cols():
        for name in col.names:
            key = normalize(name)
            if key in positions:
                used[key] = positions[key]
                break
    return used


def _columns(mapping: Mapping, options: FormatOptions) -> dict[str, tuple[Expr, str]]:
    table = TABLES[mapping.table]
    columns: dict[str, tuple[Expr, str]] = {
        name: (expr, table.column(name).kind) for name, expr in mapping.columns.items()}
    if options.currency and "currency" in table.column_names:
        given = columns.get("currency")
        constant = Const(options.currency.upper())
        columns["currency"] = (First(given[0], constant) if given else constant, "text")
    return columns


def _skip(con: duckdb.DuckDBPyConnection, data: str, mapping: Mapping,
          compiler: Compiler) -> tuple[list[str], tuple[tuple[str, int], ...], tuple[str, ...]]:
    """The conditions of rows that hold no record, how many each leaves out (a row counts for the
    first condition it meets), and the keys of those that say their record was deleted."""
    conditions: list[str] = []
    skipped: list[tuple[str, int]] = []
    gone: list[str] = []
    key = TABLES[mapping.table].key[0]
    for skip in mapping.skip:
        condition = skip.when.sql(compiler)
        earlier = "".join(f" AND NOT coalesce({c}, false)" for c in conditions)
        count = int(con.execute(f"SELECT count(*) FROM {data} WHERE ({condition}){earlier}")
                    .fetchall()[0][0])
        if count:
            if skip.gone and key in mapping.columns:
                keyed = compiler.compile(mapping.columns[key], "text").text
                gone += [str(r[0]) for r in con.execute(
                    f"SELECT DISTINCT {keyed} FROM {data} WHERE ({condition}){earlier} ORDER BY 1"
                ).fetchall() if r[0] is not None]
            conditions.append(condition)
            skipped.append((skip.reason, count))
    return conditions, tuple(skipped), tuple(gone)


def _unknown(con: duckdb.DuckDBPyConnection, data: str, line: str, mapping: Mapping, names: list[str],
             compiler: Compiler, file: str, blank: str | None = None) -> list[Problem]:
    """Values of a skip's column it does not know (``Skip.known``), and of a yes-or-no column
    (``Mapping.flags``), each named: neither skipped nor kept without a word. An empty one of a
    skip's column too, where the file has the column: a planned call with an empty Done or IsClosed
    counted as done (a tester with localized exports). Not in rows where ``blank`` (SQL) holds:
    rows of empty cells, skipped as such."""
    rows = "true" if blank is None else f"NOT ({blank})"

    def not_known(value: str, known: tuple[str, ...], empty: str, column: Col, message: str,
                  scope: str = "true") -> list[Problem]:
        """The first rows of ``scope`` whose ``value`` (SQL) is none of ``known`` (without case,
        composed), or holds where ``empty`` does; each named by the file's ``column``."""
        staged = compiler.column(column)
        if staged is None:
            return []
        listed = ", ".join(literal(v.lower()) for v in known)
        found = con.execute(f"SELECT {line}, coalesce({value}, '') FROM {data} WHERE {rows} AND {scope} "
                            f"AND ({empty} OR lower(trim(nfc_normalize({value}))) NOT IN ({listed})) "
                            "ORDER BY 1 LIMIT 20").fetchall()
        return [Problem(file, int(at), names[int(staged[1:])], str(raw), message) for at, raw in found]

    problems: list[Problem] = []
    for skip in mapping.skip:
        column = next((col for col in skip.of.cols() if compiler.column(col)), None) \
            if skip.of is not None else None
        if skip.of is None or not skip.known or column is None:
            continue
        value = skip.of.sql("text", compiler).sql
        # An empty one is refused where nothing else decides (skip.unless: a task's Status).
        empty = f"{value} IS NULL"
        if skip.unless is not None:
            empty += f" AND {skip.unless.sql('text', compiler).sql} IS NULL"
        scope = f"{skip.where_empty.sql('text', compiler).sql} IS NULL" if skip.where_empty else "true"
        words = (v for v in skip.said or skip.known if not v.isdigit() and len(v) > 1)  # 1/0, y/n: alike
        shown = ", ".join(repr(v) for v in dict.fromkeys(words))
        problems += not_known(value, skip.known, empty, column,
                              f"a value the import does not know: it reads {shown}, and leaves out the "
                              f"{skip.reason} among them{skip.hint}", scope)
    yes = ", ".join(repr(v) for v in TRUTHY if not v.isdigit() and len(v) > 1)
    no = ", ".join(repr(v) for v in FALSY if not v.isdigit() and len(v) > 1)
    for flag in mapping.flags:
        value = flag.sql("text", compiler).sql
        problems += not_known(value, (*TRUTHY, *FALSY), "false", flag,
                              f"not a yes or no the import knows: it reads {yes} (or 1) as yes, and "
                              f"{no} (or 0) as no")
    return problems


def _labels(mapping: Mapping, names: list[str], compiler: Compiler) -> dict[str, str]:
    """The file's name for each canonical column read from one file column, for problems."""
    by_stage = {f"c{i}": n for i, n in enumerate(names)}
    labels: dict[str, str] = {}
    for column, expr in mapping.columns.items():
        cols = [col for col, _ in leaves(expr, "text")]
        if cols:
            found = compiler.column(cols[0])
            if found is not None and by_stage[found] != column:
                labels[column] = by_stage[found]
    return labels


def stage_file(con: duckdb.DuckDBPyConnection, source: Source, index: int,
               read: ReadOptions) -> Staged | list[Problem]:
    """Stage ``source``; its problems instead if it cannot be read or does not fit."""
    try:
        if source.path.stat().st_size == 0:
            return [Problem(source.name, None, None, None, EMPTY)]
        picked = _open_and_choose(con, source, read)
    except OSError as exc:
        return [Problem(source.name, None, None, None, f"cannot read the file ({exc.strerror})")]
    if isinstance(picked, list):
        return picked
    opened, mapping, positions = picked
    options = read.options.over(mapping.format)
    used = _used(mapping, positions) if not mapping.canonical else positions
    stage, data = stage_name(index), data_name(index)
    order = sorted(set(used.values()))
    if opened.csv is not None:
        loaded = stage_csv(con, opened.csv, source.name, order, data, straight=index in read.straight_files)
    else:
        loaded = stage_parquet(con, source.path, source.name, opened.names, order, data)
    if isinstance(loaded, Problem):
        return [loaded]
    if opened.csv is not None and opened.csv.uncalculated:
        read_here = {position + 1 for position in used.values()}
        cells = {cell: f for cell, f in opened.csv.uncalculated.items() if cell[1] in read_here}
        if cells:
            return [not_calculated(source.name, cells, opened.csv.names)]
    line, nul_free = loaded
    stage_columns = {name: f"c{position}" for name, position in used.items()}
    columns = _columns(mapping, options)
    plain = Compiler(stage_columns, columns=columns)
    # A spreadsheet saves the rows it once formatted as ";;;;": no record, said as skipped, not
    # five "required value is empty" problems a row, nor an export's empty "Done" refused as a
    # value the import does not know. (A file read straight is not counted here, which would read
    # it once more: a row of its refused stages it again, this way.) Only the columns read are
    # staged: a row with a value in a column no mapping reads alone is such a row too.
    blank = (" AND ".join(f"c{p} IS NULL" for p in order)
             if order and index not in read.straight_files else None)
    if unknown := _unknown(con, data, line, mapping, opened.names, plain, source.name, blank):
        return unknown
    conditions, skipped, gone = _skip(con, data, mapping, plain)
    if blank is not None:
        earlier = "".join(f" AND NOT coalesce({c}, false)" for c in conditions)
        count = int(con.execute(f"SELECT count(*) FROM {data} WHERE {blank}{earlier}").fetchall()[0][0])
        if count:
            conditions.append(blank)
            skipped += ((EMPTY_ROWS, count),)
    create_stage(con, stage, data, line, tuple(conditions))
    found = _conventions(con, stage, mapping, columns, plain, opened.names, options, source.name)
    sheet_points = opened.csv is not None and opened.csv.point_fractions
    both_ways = isinstance(found, list) and all(p.message.startswith(TWO_WAYS) for p in found)
    if sheet_points and (both_ways or (isinstance(found, Conventions) and found.decimal == ",")):
        # A sheet read with a decimal comma (its text cells write 1.234,56, or a mapping or option
        # says so) had its number cells written with a point: 1.234 would read as 1234, 1234.5 not
        # at all. They are written again its way (a number cell is exact, never ambiguous).
        return stage_file(con, source, index, replace(read, options=replace(read.options, decimal=",")))
    if isinstance(found, list):
        return found
    compiler = Compiler(stage_columns, found.decimal, found.thousands, found.date_formats,
                        found.date_label, mapping.naive_utc, columns)
    inputs = [Input(index, mapping.table, stage,
                    {name: compiler.compile(expr, kind) for name, (expr, kind) in columns.items()})]
    for output in mapping.also:
        table = TABLES[output.table]
        keys = [output.columns[k] for k in table.key if k in output.columns]
        if not all(any(compiler.column(c) is not None for c in e.cols()) for e in keys):
            continue  # the file lacks the key of this side record (deals without an owner column)
        side = {name: compiler.compile(expr, table.column(name).kind)
                for name, expr in output.columns.items()}
        inputs.append(Input(index, output.table, stage, side, derived=output.derived))
    if mapping.track_stages and mapping.table == "deals":
        inputs.append(history_input(index, stage, compiler, mapping.stage_changed_at, read.now))
    if mapping.table == "deals":  # every import of deals keeps what changed (deal_changes)
        inputs.append(changes_input(index, stage, compiler, read.now))
    # Values drawn from a file without NUL bytes hold none (stored ones were checked when imported).
    inputs = [replace(i, nul_free=nul_free) for i in inputs]
    return Staged(source, index, stage, tuple(inputs), _labels(mapping, opened.names, compiler),
                  mapping.advice, skipped, gone, _given(columns, compiler))


def _given(columns: dict[str, tuple[Expr, str]], compiler: Compiler) -> frozenset[str]:
    """The columns the file gives a value to: a constant, or a column of the file it has."""
    out = set()
    for name, (expr, _) in columns.items():
        read = list(expr.cols())
        if not read or any(compiler.column(c) is not None for c in read):
            out.add(name)
    return frozenset(out)


def _conventions(con: duckdb.DuckDBPyConnection, stage: str, mapping: Mapping,
                 columns: dict[str, tuple[Expr, str]], compiler: Compiler, names: list[str],
                 options: FormatOptions, file: str) -> Conventions | list[Problem]:
    by_stage = {f"c{i}": n for i, n in enumerate(names)}
    numbers: dict[str, str] = {}
    dates: dict[str, str] = {}
    exprs = list(columns.values())
    for output in mapping.also:
        exprs += [(e, TABLES[output.table].column(n).kind) for n, e in output.columns.items()]
    if mapping.stage_changed_at is not None:
        exprs.append((mapping.stage_changed_at, "timestamp"))
    for expr, kind in exprs:
        for col, leaf in leaves(expr, kind):
            found = compiler.column(col)
            if found is None:
                continue
            if leaf == "number":
                numbers[found] = by_stage[found]
            elif leaf in ("date", "timestamp"):
                dates[found] = by_stage[found]
    return conventions(con, stage, list(numbers.items()), list(dates.items()), options,
                       strict=mapping.canonical, file=file)


__all__ = ["ReadOptions", "open_file", "stage_file"]
