"""The one core object: a workspace file, its settings, its records and the questions asked of it.

Every face (CLI, web, API, Python) goes through :class:`Workspace`; none holds business logic of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb

from . import storage
from .access import Viewer
from .errors import SettingsError
from .schema import TABLES
from .settings import SETTINGS, Settings, parse_setting

if TYPE_CHECKING:
    from .importing import ImportSummary
    from .kpis.model import KPI
    from .periods import Period
    from .records import Records
    from .report import Report
    from .summary import Summary


class Workspace:
    """A salesmetrics workspace: one embedded DuckDB file holding canonical records and settings."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._con = con
        self._ibis: Any = None

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Workspace:
        """Open (and create, unless ``read_only``) the workspace at ``path``.

        ``path`` defaults to ``$SALESMETRICS_DB``, else ``./salesmetrics.duckdb``. A workspace made by an
        older version is migrated on open.
        """
        resolved = storage.resolve_path(path)
        if not read_only and resolved.parent and not resolved.parent.exists():
            resolved.parent.mkdir(parents=True, exist_ok=True)
        con = storage.connect(resolved, read_only=read_only)
        try:
            if read_only:
                if storage.schema_version(con) != storage.SCHEMA_VERSION:
                    con.close()
                    con = storage.connect(resolved)
                    storage.migrate(con)
                    con.close()
                    con = storage.connect(resolved, read_only=True)
            else:
                storage.migrate(con)
        except Exception:
            con.close()
            raise
        return cls(resolved, con, read_only=read_only)

    def close(self) -> None:
        self._ibis = None
        self._con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workspace {str(self.path)!r}>"

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._con

    @property
    def ibis(self) -> Any:
        """The Ibis backend over this workspace (KPI definitions compile against it)."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self._con)
        return self._ibis

    # -- settings ------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return Settings.from_strings(storage.read_settings(self._con))

    def setting_values(self) -> dict[str, str | None]:
        stored = storage.read_settings(self._con)
        return {name: stored.get(name, s.default) for name, s in SETTINGS.items()}

    def set_setting(self, name: str, value: str | None) -> str | None:
        """Set (or with ``None`` reset) a setting; returns the stored value.

        Changing the time zone re-expresses stored local times in the new zone, so the same instants
        stay the same instants.
        """
        new = None if value is None else parse_setting(name, value)
        self._con.execute("BEGIN TRANSACTION")
        try:
            if name == "time_zone":
                old = self.settings.time_zone
                target = new or str(SETTINGS["time_zone"].default)
                if old != target:
                    self._shift_time_zone(old, target)
            storage.write_setting(self._con, name, new)
            storage.bump_data_version(self._con)
            self._con.execute("COMMIT")
        except Exception:
            self._con.execute("ROLLBACK")
            raise
        return new

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
        raise SettingsError(
            f"the records come in several currencies ({', '.join(currencies)}); choose the one to report "
            f"in with `salesmetrics config set base_currency {currencies[0]}` and import fx_rates "
            "for the others"
        )

    def currencies(self) -> list[str]:
        rows = self._con.execute(
            "SELECT DISTINCT upper(currency) FROM ("
            " SELECT currency FROM deals UNION ALL SELECT currency FROM products"
            " UNION ALL SELECT currency FROM quotas) WHERE currency IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    # -- records -------------------------------------------------------------------------------
    @property
    def data_version(self) -> int:
        return storage.data_version(self._con)

    def counts(self) -> dict[str, int]:
        """Number of records per canonical table."""
        out: dict[str, int] = {}
        for name in TABLES:
            row = self._con.execute(f"SELECT count(*) FROM {name}").fetchone()
            out[name] = int(row[0]) if row else 0
        return out

    def names(self, table: str) -> dict[str, str]:
        """Display names by id for ``reps`` or ``products`` (ids without a name are left out)."""
        key = {"reps": "rep_id", "products": "product_id"}[table]
        rows = self._con.execute(f"SELECT {key}, name FROM {table} WHERE name IS NOT NULL").fetchall()
        return {str(k): str(v) for k, v in rows}

    def import_files(self, *paths: str | os.PathLike[str],
                     on_progress: Callable[[str, int, int], None] | None = None) -> ImportSummary:
        """Import canonical CSV or Parquet files (or folders of them); all or nothing.

        Each file's stem names its table (``deals.csv`` -> ``deals``). Raises
        :class:`~salesmetrics.errors.ImportValidationError` listing every problem found, and then
        nothing is written.
        """
        from .importing import import_files

        return import_files(self._con, [Path(p) for p in paths], self.settings, on_progress=on_progress)

    def records(self, viewer: Viewer | None = None) -> Records:
        """The one place records are read: canonical tables as Ibis expressions, limited to what
        ``viewer`` may see."""
        from .records import Records

        return Records(self.ibis, viewer or Viewer.everyone())

    # -- questions -----------------------------------------------------------------------------
    def kpis(self) -> list[KPI]:
        from .kpis import REGISTRY

        return list(REGISTRY.values())

    def report(
        self,
        period: str | Period = "last-30-days",
        *,
        by: str | Sequence[str] = (),
        kpis: Iterable[str] | None = None,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | None = None,
        viewer: Viewer | None = None,
    ) -> Report:
        """Compute KPIs for a period, grouped ``by`` dimensions and narrowed by ``filters``."""
        from .report import build_report

        return build_report(self, period, by=by, kpis=kpis, filters=filters, as_of=as_of, viewer=viewer)

    def summary(self, period: str = "last-month", *, as_of: date | None = None, top: int = 5) -> Summary:
        """Every KPI for ``period`` beside the period before, with the top reps and the products."""
        from .summary import build_summary

        return build_summary(self, period, as_of=as_of, top=top)
