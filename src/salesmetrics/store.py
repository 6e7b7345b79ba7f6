"""One open workspace and nothing above it: the file (or remote engine), its settings, currencies,
names and counts, the records a viewer may see, the data version, and imports.

Every core module that answers a question takes a :class:`Store` and is called as a function
(``build_report(store, ...)``); :class:`~salesmetrics.workspace.Workspace` is the friendly facade on
top with one method per question. A store never calls back up into those modules.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import duckdb

from . import storage
from .access import Viewer
from .errors import SettingsError, keyed
from .periods import Period, resolve_period
from .recall import Recall
from .records import Records
from .schema import TABLES
from .settings import SETTINGS, SettingChange, Settings, parse_setting

if TYPE_CHECKING:
    from .importing import FormatOptions, ImportSummary
    from .importing.mapping.select import MappingsArg
    from .importing.run import Destination

T = TypeVar("T")
U = TypeVar("U")

# A setting of no one's typing, kept beside the others (and with them on other backends): the base
# currency the kept exchange rates convert to (Store.rates_base).
RATES_BASE = "_fx_rates_base"


def _day_moves(day: date, old: str, new: str) -> bool:
    """Whether midnight of ``day`` in zone ``old`` falls on another day in zone ``new``."""
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(old))
    return start.astimezone(ZoneInfo(new)).date() != day


def _size_of(paths: tuple[str | os.PathLike[str], ...]) -> int:
    total = 0
    for given in map(Path, paths):
        try:
            files = [given] if given.is_file() else [p for p in given.iterdir() if p.is_file()]
            total += sum(p.stat().st_size for p in files)
        except OSError:
            continue
    return total


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without one): still a line in the log
        return "unknown"


def _import_detail(summary: ImportSummary) -> str:
    counts = "; ".join(f"{t.table}: {t.inserted} new, {t.updated} updated" for t in summary.tables)
    return f"{', '.join(Path(f).name for f in summary.files)} ({counts or 'nothing'})"


class Store:
    """A salesmetrics workspace held open: one embedded DuckDB file with canonical records and settings."""

    # Accounts and the audit log live in the workspace's own DuckDB file (accounts.py); a store
    # whose records are elsewhere keeps none (backends/remote.py).
    holds_accounts = True

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._main = con
        # A job of side_by_side reads through a connection of its own (this thread's); every other
        # read goes through the one the store was opened with.
        self._local = threading.local()
        self._jobs: set[duckdb.DuckDBPyConnection] = set()  # the jobs' connections, while open
        self._jobs_lock = threading.Lock()
        self._ibis: Any = None
        self._settings: Settings | None = None
        self._data_version: int | None = None
        self._currencies: tuple[int, list[str]] | None = None
        self._memo = Recall()
        # Where query results are kept (memo with a weight): a server's, shared by its requests
        # (share_results), else this store's own.
        self._results: Recall | None = None
        # Who the changes made through this store are by, for the audit log: the person at the
        # command line unless a face says otherwise (the server: the signed-in user).
        self.actor = f"cli:{_login()}"
        self.client: str | None = None

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
             wait: float | None = None) -> Store:
        """Open (and create, unless ``read_only``) the DuckDB workspace at ``path`` (default
        ``$SALESMETRICS_DB``, else ``./salesmetrics.duckdb``), migrating an older schema.

        ``read_only`` never creates or changes a file: a missing file, an empty or foreign DuckDB
        file and a workspace of an older schema are refused with a message naming the path. A
        foreign DuckDB file (tables, no salesmetrics metadata) is refused either way, untouched."""
        resolved = storage.resolve_path(path)
        if not read_only and resolved.parent and not resolved.parent.exists():
            resolved.parent.mkdir(parents=True, exist_ok=True)
        con = storage.connect(resolved, read_only=read_only, wait=wait)
        try:
            storage.check_workspace(con, resolved, read_only=read_only)
            if not read_only:
                storage.migrate(con)
        except duckdb.Error as exc:
            con.close()
            raise storage.damaged(resolved, exc) from None
        except Exception:
            con.close()
            raise
        return cls(resolved, con, read_only=read_only)

    def close(self) -> None:
        self._ibis = None
        self._main.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {str(self.path)!r}>"

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        own: duckdb.DuckDBPyConnection | None = getattr(self._local, "con", None)
        return own if own is not None else self._main

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._con

    @property
    def ibis(self) -> Any:
        """The Ibis backend over this workspace (KPI definitions compile against it)."""
        return self._backend_over(self._con)

    def _backend_over(self, con: duckdb.DuckDBPyConnection) -> Any:
        """An Ibis backend over ``con``: the store's own, or that of the job running here."""
        if con is self._main:
            if self._ibis is None:
                import ibis

                self._ibis = ibis.duckdb.from_connection(con)
            return self._ibis
        if con is getattr(self._local, "con", None):
            if self._local.ibis is None:
                import ibis

                self._local.ibis = ibis.duckdb.from_connection(con)
            return self._local.ibis
        raise RuntimeError("records asked for within a job of Store.side_by_side were read outside "
                           "it: ask the store for them in the thread that reads them")

    def side_by_side(self, *jobs: Callable[[], Any]) -> list[Any]:
        """Each ``job()``'s result, in order, the jobs run at the same time, each on a thread and a
        DuckDB connection of its own to the same file (a connection serves one call at a time, and
        refuses a second). DuckDB works without Python's lock, so one job's queries run while
        another's Python finishes its rows.

        A job must ask the store for what it reads (``records()``, ``connection``, a query maker)
        from within: records keep the connection they were asked for on, so records of the caller
        read in two jobs at once are refused by DuckDB, and records of a job read after it by the
        store (:meth:`_backend_over`) or by DuckDB (closed). The first job's error, if any, is
        raised once every job has finished, and the jobs' connections are closed by then (one left
        open would keep the file open after :meth:`close`). Jobs may run jobs of their own."""
        from concurrent.futures import ThreadPoolExecutor, wait

        if len(jobs) < 2:
            return [job() for job in jobs]
        # Made here, one after another, from the connection of the thread that asks, which does
        # nothing else until the jobs are done.
        parent = self._con
        cons: list[duckdb.DuckDBPyConnection] = []
        try:
            for _ in jobs:
                con = parent.cursor()
                with self._jobs_lock:
                    self._jobs.add(con)
                cons.append(con)
                con.execute("SET enable_progress_bar = false")
            pool = ThreadPoolExecutor(len(jobs), thread_name_prefix="salesmetrics-read")
            try:
                futures = [pool.submit(self._on, con, job) for con, job in zip(cons, jobs, strict=True)]
                wait(futures)
            except BaseException:
                # Ctrl-C reaches this thread only: the jobs' queries are stopped, not waited for.
                for con in cons:
                    with contextlib.suppress(duckdb.Error):
                        con.interrupt()
                raise
            finally:
                pool.shutdown(wait=True)  # a job's connection is never closed under it
            return [f.result() for f in futures]
        finally:
            for con in cons:
                with self._jobs_lock:
                    self._jobs.discard(con)
                with contextlib.suppress(duckdb.Error):
                    con.close()

    def interrupt(self) -> None:
        """Stop what the store's connections are running, the jobs' too: each raises
        ``duckdb.InterruptException`` where it was asked. From another thread (a server gives way to
        a writer so)."""
        with self._jobs_lock:
            running = [self._main, *self._jobs]
        for con in running:
            with contextlib.suppress(duckdb.Error):  # a job's, closed as it finished meanwhile
                con.interrupt()

    def spread(self, items: Sequence[U], worker: Callable[[], Callable[[U], T]],
               lanes: int = 2) -> list[T]:
        """``work(item)`` for each item, in order, ``lanes`` jobs side by side (:meth:`side_by_side`)
        taking the next item as each finishes one, so a slow item (ramp time) does not leave the
        other lanes idle behind a fixed share. ``worker()`` makes a lane's ``work`` within the lane
        (what it reads, it asks for there)."""
        results: list[T | None] = [None] * len(items)
        pending = iter(range(len(items)))
        lock = threading.Lock()

        def lane() -> None:
            work = worker()
            while True:
                with lock:
                    i = next(pending, None)
                if i is None:
                    return
                results[i] = work(items[i])

        self.side_by_side(*[lane] * max(1, min(lanes, len(items))))
        return results  # type: ignore[return-value]  # every slot filled, or a lane raised

    def _on(self, con: duckdb.DuckDBPyConnection, job: Callable[[], T]) -> T:
        self._local.con, self._local.ibis = con, None
        try:
            return job()
        finally:
            self._local.con = self._local.ibis = None

    def saved_meta(self) -> None:
        """Called after a workspace table other than the records (targets, ...) was written and
        committed here. A remote store copies it to where the records live."""

    # -- settings ------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        # A read-only connection sees no writes (DuckDB lets no other process write the file while
        # it is open), so what it read once stays true: a dashboard asks ~40 times.
        if self.read_only and self._settings is not None:
            return self._settings
        settings = Settings.from_strings(storage.read_settings(self._con))
        if self.read_only:
            self._settings = settings
        return settings

    def setting_values(self) -> dict[str, str | None]:
        stored = storage.read_settings(self._con)
        return {name: stored.get(name, s.default) for name, s in SETTINGS.items()}

    def set_setting(self, name: str, value: str | None) -> SettingChange:
        """Set (or with ``None`` reset) a setting, and say what that did.

        Changing the time zone re-expresses stored local times in the new zone, so the same instants
        stay the same instants. Moving the base currency removes the rates to the old one
        (:meth:`rates_moved`).
        """
        new = parse_setting(name, value)
        moved = self.rates_moved(name, new)
        were_to = self.rates_base() if moved else None
        old = self.settings.time_zone
        target = new or str(SETTINGS["time_zone"].default)
        shifts = name == "time_zone" and old != target
        midnights = self.midnights(old, target) if shifts else 0
        months = self.months_moved(old, target) if shifts else 0
        self._con.execute("BEGIN TRANSACTION")
        try:
            if shifts:  # the records' times, re-expressed: the rollups' months may move
                self._shift_time_zone(old, target)
            if moved:
                self._con.execute("DELETE FROM fx_rates")
            if name == "base_currency" and new:
                storage.write_setting(self._con, RATES_BASE, new)
            storage.write_setting(self._con, name, new)
            # Money in the base currency is summed anew for a new base (storage.BASE_ROLLUP).
            storage.bump_data_version(self._con, records=True if shifts or moved > 0 else (
                {"_settings"} if name == "base_currency" else False))
            self._con.execute("COMMIT")
        except Exception:
            self._con.execute("ROLLBACK")
            raise
        self.audit("setting", (f"{name} = {new}" if new is not None else f"{name} unset")
                   + (", the exchange rates to the old base removed" if moved else ""))
        return SettingChange(new, moved, were_to, midnights, months)

    def midnights(self, old: str, new: str) -> int:
        """How many stored record times are at exactly midnight (dates without a time, most likely)
        and read on the day before once re-expressed from zone ``old`` in zone ``new``: a move west
        (UTC to New York) takes them there; a move east (UTC to Berlin) keeps their day."""
        found = 0
        for table in TABLES.values():
            for column in table.columns:
                if column.kind == "timestamp":
                    t = self.records().table(table.name)
                    at = t[column.name]
                    days = t.filter(at == at.truncate("D")).group_by(day=at.date()).aggregate(
                        n=lambda g: g.count())
                    found += sum(r["n"] for r in days.to_pyarrow().to_pylist()
                                 if _day_moves(r["day"], old, new))
        return found

    def months_moved(self, old: str, new: str) -> int:
        """How many stored record times fall in another month once re-expressed from zone ``old`` in
        zone ``new`` (a deal closed at 23:30 on October 31st in UTC is November 1st in Berlin): the
        monthly figures they were in change, which a zone change did without a word."""
        found = 0
        for table in TABLES.values():
            for column in table.columns:
                if column.kind == "timestamp":
                    found += int(self._con.execute(
                        f"SELECT count(*) FROM {table.name} WHERE date_trunc('month', {column.name}) <> "
                        f"date_trunc('month', timezone(?, timezone(?, {column.name})))", [new, old],
                    ).fetchall()[0][0])
        return found

    def rates_moved(self, name: str, new: str | None) -> int:
        """How many exchange rates setting ``name`` to ``new`` takes away: all of them where it
        moves the base currency away from the one they convert to (:meth:`rates_base`), else none.
        A rate says what one unit of a currency is worth in the base (``rate_to_base``), so rates to
        EUR read as rates to USD would convert a GBP deal at its EUR price: they go with the change.
        Unsetting the base moves nothing (the rates still convert to what they did), and rates
        imported before any base was chosen are for the one chosen first."""
        if name != "base_currency" or not new:
            return 0
        kept_for = self.rates_base()
        return self.count("fx_rates") if kept_for and kept_for != new else 0

    def rates_base(self) -> str | None:
        """The base currency the kept exchange rates convert to: the one chosen when they were (or
        since), kept through an unset; None before any was chosen."""
        stored = storage.read_settings(self._con)
        return stored.get(RATES_BASE) or stored.get("base_currency")

    def _shift_time_zone(self, old: str, new: str) -> None:
        for table in TABLES.values():
            for column in table.columns:
                if column.kind == "timestamp":
                    self._con.execute(
                        f"UPDATE {table.name} SET {column.name} = "
                        f"timezone(?, timezone(?, {column.name}))",
                        [new, old],
                    )

    def base_currency(self) -> str | None:
        """The configured base currency, else the one currency all records share (None if none)."""
        configured = self.settings.base_currency
        if configured:
            return configured
        currencies = self.currencies()
        if len(currencies) == 1:
            return currencies[0]
        if not currencies:
            return None
        # The currency most deals are in is the likely one to report in (not the first by name).
        likely = self._most_deals_currency() or currencies[0]
        listed = ", ".join(currencies)
        raise keyed(SettingsError(
            f"the records come in several currencies ({listed}); choose the one to report "
            f"in with `salesmetrics config set base_currency {likely}` and import fx_rates "
            "for the others"
        ), "several_currencies", currencies=listed, likely=likely)

    def currencies(self) -> list[str]:
        """The currencies the records use. Every report asks (twice: base currency, foreign ones),
        so the answer is kept until the data version moves."""
        version = self.data_version
        cached = self._currencies
        if cached is None or cached[0] != version:
            cached = (version, self._read_currencies())
            self._currencies = cached
        return list(cached[1])

    def _most_deals_currency(self) -> str | None:
        found = self._con.execute("SELECT upper(currency) FROM deals WHERE currency IS NOT NULL "
                                  "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()
        return str(found[0][0]) if found else None

    def _read_currencies(self) -> list[str]:
        rows = self._con.execute(
            "SELECT DISTINCT upper(currency) FROM ("
            " SELECT currency FROM deals UNION ALL SELECT currency FROM products"
            " UNION ALL SELECT currency FROM quotas) WHERE currency IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    # -- records -------------------------------------------------------------------------------
    def rollups_fresh(self) -> bool:
        """Whether the records' rollups (storage.ROLLUPS) may be read: built at this data version."""
        return self.memo(("rollups fresh",), lambda: storage.rollups_fresh(self._con))

    @property
    def data_version(self) -> int:
        if self.read_only and self._data_version is not None:
            return self._data_version
        version = storage.data_version(self._con)
        if self.read_only:
            self._data_version = version
        return version

    def counts(self, viewer: Viewer | None = None) -> dict[str, int]:
        """Number of records per canonical table (those ``viewer`` may see)."""
        if viewer is not None and not viewer.sees_everything:
            records = self.records(viewer)
            return {name: int(records.table(name).count().execute()) for name in TABLES}
        return {name: self.count(name) for name in TABLES}

    def count(self, table: str) -> int:
        """Number of records in one canonical table."""
        TABLES[table]  # a canonical table, never text from outside
        rows = self._con.execute(f"SELECT count(*) FROM {table}").fetchall()
        return int(rows[0][0]) if rows else 0

    def names(self, table: str, viewer: Viewer | None = None) -> dict[str, str]:
        """Display names by id for ``reps`` or ``products`` (ids without a name are left out); of
        the reps ``viewer`` may see."""
        key = {"reps": "rep_id", "products": "product_id"}[table]
        if viewer is not None and not viewer.sees_everything:
            t = self.records(viewer).table(table)
            rows = t.filter(t.name.notnull()).select(key, "name").to_pyarrow().to_pylist()
            return {str(r[key]): str(r["name"]) for r in rows}
        rows = self._con.execute(f"SELECT {key}, name FROM {table} WHERE name IS NOT NULL").fetchall()
        return {str(k): str(v) for k, v in rows}

    def import_files(self, *paths: str | os.PathLike[str],
                     on_progress: Callable[[str, int, int], None] | None = None,
                     source: str | None = None, mapping: MappingsArg = None,
                     options: FormatOptions | None = None, now: datetime | None = None,
                     destination: Destination | None = None) -> ImportSummary:
        """Import CSV, Excel or Parquet files (or folders of them); all or nothing.

        Canonical files: each file's stem names its table (``deals.csv`` -> ``deals``). CRM exports:
        ``source="hubspot"`` (or ``close``, ``salesforce``, ``pipedrive``). Any other export:
        ``mapping`` is a mapping file (or several, or :class:`~salesmetrics.importing.Mapping`
        objects); each file's header picks the one it fits. ``options``
        (:class:`~salesmetrics.importing.FormatOptions`) set the decimal comma, date format,
        encoding, ... where the files do not settle them. ``now`` is when stage changes are
        recorded as happening if the export does not say (default: the import's time).

        Raises :class:`~salesmetrics.errors.ImportValidationError` listing every problem found, and
        then nothing is written. ``destination`` receives the checked rows instead of this
        workspace (:class:`~salesmetrics.importing.handoff.KeepChecked`: checked here on a
        read-only connection, written later).
        """
        from .importing import import_files
        from .importing.mapping.select import select_mappings

        mappings, label = select_mappings(source, mapping)
        try:
            summary = import_files(self._con, [Path(p) for p in paths], self.settings,
                                   on_progress=on_progress, mappings=mappings, options=options,
                                   source_label=label, now=now, destination=destination)
        except (duckdb.Error, OSError) as exc:
            if not storage.is_disk_full(exc):
                raise
            # Staged as text, checked and written, an import needs about twice its files' size.
            raise storage.disk_full(self.path, exc, 2 * _size_of(paths)) from None
        # With a destination the rows are written elsewhere, and what wrote them says so.
        return self.imported(summary) if destination is None else summary

    def imported(self, summary: ImportSummary) -> ImportSummary:
        """An import written: noted in the audit log, and its summary with, of the records its
        files say were deleted at the source, only those this workspace holds (and so counts). An
        import removes no record, and says so rather than let a deleted deal stay in the revenue
        unseen. Whatever wrote the rows (here, a backend, the web's writer) calls it once."""
        self.note_import(summary)
        if not summary.deleted:
            return summary
        from dataclasses import replace

        from .importing.counts import Deleted

        held = []
        for gone in summary.deleted:
            key = TABLES[gone.table].key[0]
            t = self.records().table(gone.table)
            found = t.filter(t[key].isin(list(gone.keys))).select(key).to_pyarrow().column(key).to_pylist()
            if found:
                held.append(Deleted(gone.table, tuple(sorted(str(k) for k in found))))
        return replace(summary, deleted=tuple(held))

    def change_records(self, insert: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                       delete: Mapping[str, tuple[str, Sequence[str]]] | None = None) -> None:
        """Records the core writes itself (a program added or removed), as one change: first the
        records of ``delete`` (table -> (column, values): those whose column holds one of the
        values) go, then the rows of ``insert`` (table -> rows by column name) are added; one
        transaction, one new data version. The caller has checked the rows (imports check theirs)."""
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            for table, (column, values) in (delete or {}).items():
                if values:
                    marks = ", ".join(["?"] * len(values))
                    where = TABLES[table].column(column).name  # a column of the table, never text
                    con.execute(f"DELETE FROM {table} WHERE {where} IN ({marks})", list(values))
            for table, rows in (insert or {}).items():
                names = TABLES[table].column_names
                if rows:
                    marks = ", ".join(["?"] * len(names))
                    con.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                                    [[row.get(c) for c in names] for row in rows])
            touched = set(insert or {}) | set(delete or {})
            storage.bump_data_version(con, records=touched)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    def note_import(self, summary: ImportSummary) -> None:
        """An import in the audit log: its files and what each table gained."""
        self.audit("import", _import_detail(summary))

    def teams(self, viewer: Viewer | None = None) -> dict[str, str | None]:
        """Each visible rep's team (None for a rep without one)."""
        records = self.records(viewer)
        if records.connection is not None and records.viewer.sees_everything:
            # Every dashboard asks: plain SQL, without building (and importing) Ibis for it.
            found = records.connection.execute("SELECT rep_id, team FROM reps").fetchall()
            return {str(rep): team or None for rep, team in found}
        reps = records.table("reps")
        rows = reps.select("rep_id", "team").to_pyarrow().to_pylist()
        return {str(r["rep_id"]): r["team"] or None for r in rows}

    def audit(self, action: str, detail: str = "") -> None:
        """Note a change in the audit log (who: :attr:`actor`, from :attr:`client`). Its own small
        transaction, after the change was committed; a store without accounts keeps no log."""
        if not self.holds_accounts or self.read_only:
            return
        from datetime import UTC

        self._con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
                          [datetime.now(UTC).replace(tzinfo=None), self.actor, action, detail,
                           self.client])

    def memo(self, key: Hashable, compute: Callable[[], T],
             weight: Callable[[T], int] | None = None) -> T:
        """``compute()``, kept under ``key`` until the data version moves: for answers every
        question asks again (the values a filter may take, the stage history of every deal, ...).
        Computed once: the jobs of side_by_side that ask for a key another is computing wait for
        its answer (the forecast page's three questions each read the same stage history). A
        compute may ask for other keys, never, through them, for its own (it would recurse alone).

        With ``weight`` (an answer's size), an answer that may be dropped for room (recall.Recall),
        kept where :meth:`share_results` says (a query's result, kpis/compiled.py)."""
        if weight is not None and self._results is not None:
            # Kept across requests: a day's answers (a running period's) are not the next day's.
            return self._results.get((self.data_version, self.today()), key, compute, weight)
        return self._memo.get(self.data_version, key, compute, weight)

    def share_results(self, results: Recall) -> None:
        """Keep query results in ``results``, which other stores of this workspace share: a
        server's requests each open a store, and the next view reads what the last one read."""
        self._results = results

    def records(self, viewer: Viewer | None = None) -> Records:
        """The one place records are read: canonical tables as Ibis expressions, limited to what
        ``viewer`` may see."""
        # Ibis is imported and bound only when a query is built, not when its SQL is kept; to the
        # connection of the thread that asked (a job of side_by_side has its own).
        con = self._con
        return Records.later(lambda: self._backend_over(con), viewer or Viewer.everyone(),
                             engine="duckdb", connection=con, memo=self.memo)

    def now(self) -> datetime:
        """Now on the workspace's clock (naive, to the second). The records are dated in its time
        zone, so "today", a running period and a schedule's hour are read there: on a server in
        UTC, a workspace in Tokyo is already in December 3 while the server's clock says December 2,
        and "today" read on the server's clock was Tokyo's yesterday."""
        return datetime.now(ZoneInfo(self.settings.time_zone)).replace(tzinfo=None, microsecond=0)

    def today(self) -> date:
        """Today on the workspace's clock (:meth:`now`)."""
        return self.now().date()

    def period(self, period: str | Period, as_of: date | None = None) -> Period:
        """``period`` ("2026-Q3", "last-month", ...) read with this workspace's fiscal year, relative
        periods from ``as_of`` or else from today on the workspace's clock."""
        return resolve_period(period, as_of=as_of or self.today(),
                              fiscal_year_start=self.settings.fiscal_year_start)
