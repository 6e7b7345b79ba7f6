"""The one core object: a workspace file, its settings, its records and the questions asked of it.

Every face (CLI, web, API, Python) goes through :class:`Workspace`; none holds business logic of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
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
    from datetime import datetime

    from .coverage import PeriodHint
    from .dashboard import Dashboard
    from .drilldown import RecordsBehind
    from .importing import FormatOptions, ImportSummary
    from .importing.select import MappingsArg
    from .insights.effectiveness import ActivityEffectiveness
    from .insights.funnel import Funnel
    from .insights.peers import RepComparison
    from .insights.ramp import RampCohorts
    from .insights.satisfaction import Satisfaction
    from .insights.scorecard import Scorecard
    from .kpis.model import KPI
    from .periods import Period
    from .records import Records
    from .report import Report
    from .summary import Summary
    from .targets import Target, TargetStatus
    from .values import Known


class Workspace:
    """A salesmetrics workspace: one embedded DuckDB file holding canonical records and settings."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._con = con
        self._ibis: Any = None
        self._settings: Settings | None = None
        self._data_version: int | None = None

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
             wait: float | None = None, backend: str | None = None) -> Workspace:
        """Open (and create, unless ``read_only``) the workspace at ``path``.

        ``path`` defaults to ``$SALESMETRICS_DB``, else ``./salesmetrics.duckdb``. A workspace made by an
        older version is migrated on open. While another process holds the file, opening retries for
        ``wait`` seconds (default ``$SALESMETRICS_LOCK_WAIT``, else 30), then raises
        :class:`~salesmetrics.errors.WorkspaceBusyError`.

        ``backend`` names the engine holding the records: ``duckdb:///file.duckdb`` (the default;
        the same as ``path``), ``postgres://user@host/db``, ``pyspark`` or
        ``spark://host:7077/warehouse`` (docs/scaling.md). Without ``backend`` and ``path``,
        ``$SALESMETRICS_BACKEND`` names it; a ``path`` given is that file, whatever the
        environment says.
        """
        from .backends.url import from_environment

        url = from_environment(backend) if backend or path is None else None
        if url is not None and url.remote:
            from .backends.remote import RemoteWorkspace

            return RemoteWorkspace.connect(url, read_only=read_only)
        if url is not None and url.path is not None:
            path = url.path
        resolved = storage.resolve_path(path)
        if not read_only and resolved.parent and not resolved.parent.exists():
            resolved.parent.mkdir(parents=True, exist_ok=True)
        con = storage.connect(resolved, read_only=read_only, wait=wait)
        try:
            if read_only:
                if storage.schema_version(con) != storage.SCHEMA_VERSION:
                    con.close()
                    con = storage.connect(resolved, wait=wait)
                    storage.migrate(con)
                    con.close()
                    con = storage.connect(resolved, read_only=True, wait=wait)
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
        """The currencies the records use. Every report asks (twice: base currency, foreign ones),
        so the answer is kept until the data version moves."""
        version = self.data_version
        cached = getattr(self, "_currencies", None)
        if cached is None or cached[0] != version:
            cached = (version, self._read_currencies())
            self._currencies = cached
        return list(cached[1])

    def _read_currencies(self) -> list[str]:
        rows = self._con.execute(
            "SELECT DISTINCT upper(currency) FROM ("
            " SELECT currency FROM deals UNION ALL SELECT currency FROM products"
            " UNION ALL SELECT currency FROM quotas) WHERE currency IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    # -- records -------------------------------------------------------------------------------
    @property
    def data_version(self) -> int:
        if self.read_only and self._data_version is not None:
            return self._data_version
        version = storage.data_version(self._con)
        if self.read_only:
            self._data_version = version
        return version

    def counts(self) -> dict[str, int]:
        """Number of records per canonical table."""
        out: dict[str, int] = {}
        for name in TABLES:
            rows = self._con.execute(f"SELECT count(*) FROM {name}").fetchall()
            out[name] = int(rows[0][0]) if rows else 0
        return out

    def names(self, table: str) -> dict[str, str]:
        """Display names by id for ``reps`` or ``products`` (ids without a name are left out)."""
        key = {"reps": "rep_id", "products": "product_id"}[table]
        rows = self._con.execute(f"SELECT {key}, name FROM {table} WHERE name IS NOT NULL").fetchall()
        return {str(k): str(v) for k, v in rows}

    def import_files(self, *paths: str | os.PathLike[str],
                     on_progress: Callable[[str, int, int], None] | None = None,
                     source: str | None = None, mapping: MappingsArg = None,
                     options: FormatOptions | None = None, now: datetime | None = None) -> ImportSummary:
        """Import CSV, Excel or Parquet files (or folders of them); all or nothing.

        Canonical files: each file's stem names its table (``deals.csv`` -> ``deals``). CRM exports:
        ``source="hubspot"`` (or ``close``, ``salesforce``, ``pipedrive``). Any other export:
        ``mapping`` is a mapping file (or several, or :class:`~salesmetrics.importing.Mapping`
        objects); each file's header picks the one it fits. ``options``
        (:class:`~salesmetrics.importing.FormatOptions`) set the decimal comma, date format,
        encoding, ... where the files do not settle them. ``now`` is when stage changes are
        recorded as happening if the export does not say (default: the import's time).

        Raises :class:`~salesmetrics.errors.ImportValidationError` listing every problem found, and
        then nothing is written.
        """
        from .importing import import_files
        from .importing.select import select_mappings

        mappings, label = select_mappings(source, mapping)
        return import_files(self._con, [Path(p) for p in paths], self.settings, on_progress=on_progress,
                            mappings=mappings, options=options, source_label=label, now=now)

    def teams(self, viewer: Viewer | None = None) -> dict[str, str | None]:
        """Each visible rep's team (None for a rep without one)."""
        reps = self.records(viewer).table("reps")
        rows = reps.select("rep_id", "team").to_pyarrow().to_pylist()
        return {str(r["rep_id"]): r["team"] or None for r in rows}

    def dimension_values(self, viewer: Viewer | None = None) -> dict[str, list[tuple[str, str]]]:
        """What each filter dimension can be set to, as (id, label) pairs: what a face offers to
        choose from. Labels are names where the records have them. The same values a filter is
        checked against (:mod:`salesmetrics.values`)."""
        known = self.known_values(("team", "rep", "product", "source", "pipeline", "activity_type"),
                                  viewer)
        reps, products = known.rep_names, self.names("products")

        def plain(dim: str) -> list[tuple[str, str]]:
            return [(v, v) for v in sorted(known.ids(dim))]

        return {
            "team": plain("team"),
            "rep": [(r, reps.get(r) or r)
                    for r in sorted(known.ids("rep"), key=lambda r: ((reps.get(r) or r).lower(), r))],
            "product": sorted(((p, products.get(p) or p) for p in known.ids("product")),
                              key=lambda pair: (pair[1].lower(), pair[0])),
            "source": plain("source"),
            "pipeline": plain("pipeline"),
            "activity_type": plain("activity_type"),
        }

    def known_values(self, dimensions: Iterable[str], viewer: Viewer | None = None) -> Known:
        """The values filters on ``dimensions`` can take for ``viewer``, and reps' names. Every
        filtered question asks, so they are kept until the data version moves."""
        from .values import SOURCE_OF, collect, read

        who = viewer or Viewer.everyone()
        version = self.data_version
        cached: tuple[int, dict[Any, Any]] | None = getattr(self, "_known", None)
        if cached is None or cached[0] != version:
            cached = (version, {})
            self._known = cached
        kept = cached[1]
        sources = tuple(sorted({SOURCE_OF[d] for d in dimensions if d in SOURCE_OF}))
        if (who, sources) not in kept:
            for source in sources:
                if (who, source) not in kept:
                    kept[who, source] = read(self.records(who), source)
            kept[who, sources] = collect(row for source in sources for row in kept[who, source])
        known: Known = kept[who, sources]
        return known

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
        compare: bool = False,
    ) -> Report:
        """Compute KPIs for a period, grouped ``by`` dimensions and narrowed by ``filters``. With
        ``compare``, each row also carries the period before and whether the change is significant."""
        from .report import build_report

        return build_report(self, period, by=by, kpis=kpis, filters=filters, as_of=as_of, viewer=viewer,
                            compare=compare)

    def period_hint(self, period: str | Period, *, as_of: date | None = None,
                    viewer: Viewer | None = None) -> PeriodHint | None:
        """None when ``period`` holds a record (a deal created or closed, an activity, an answer);
        else the first and last day of the records and a period to try (a report of only zeros
        carries it as ``hint``)."""
        from .coverage import period_hint
        from .report import resolve_period

        return period_hint(self, resolve_period(self, period, as_of), viewer)

    def summary(self, period: str = "last-month", *, as_of: date | None = None, top: int = 5,
                viewer: Viewer | None = None) -> Summary:
        """Every KPI for ``period`` beside the period before, with the top reps and the products."""
        from .summary import build_summary

        return build_summary(self, period, as_of=as_of, top=top, viewer=viewer)

    def targets(
        self,
        period: str | Period,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        viewer: Viewer | None = None,
    ) -> dict[str, Any]:
        """The goal set for each KPI over ``period`` (kpi id -> value in the KPI's unit), for the
        company, or the one team or rep the filters pick."""
        from .report import resolve_filters, resolve_period
        from .targets import company_targets

        return company_targets(self, resolve_period(self, period, None),
                               resolve_filters(self, filters, viewer))

    def records_behind(
        self,
        kpi: str,
        period: str | Period = "last-30-days",
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | None = None,
        viewer: Viewer | None = None,
    ) -> RecordsBehind:
        """The records a KPI's figure rests on (the won deals behind revenue, the answers behind NPS,
        ...), read exactly as the KPI reads them."""
        from .drilldown import records_behind

        return records_behind(self, kpi, period, filters=filters, as_of=as_of, viewer=viewer)

    def dashboard(
        self,
        period: str | Period = "last-month",
        *,
        grain: str | None = None,
        filters: Mapping[str, Sequence[str]] | None = None,
        as_of: date | None = None,
        viewer: Viewer | None = None,
    ) -> Dashboard:
        """Headline tiles (beside the period before and a year before) and the series of every
        dashboard chart, for one period and set of filters."""
        from .dashboard import build_dashboard

        return build_dashboard(self, period, grain=grain, filters=filters, as_of=as_of, viewer=viewer)

    def rep_comparison(
        self,
        rep: str,
        period: str | Period = "last-month",
        *,
        as_of: date | None = None,
        viewer: Viewer | None = None,
    ) -> RepComparison:
        """One rep's KPIs beside the median of their team's reps."""
        from .insights.peers import build_rep_comparison

        return build_rep_comparison(self, rep, period, as_of=as_of, viewer=viewer)

    # -- insights (insights/: scorecard, effectiveness, funnel, satisfaction, ramp; targets.py) ------
    def scorecard(self, rep: str, period: str | Period = "last-quarter", *, history: int = 3,
                  as_of: date | None = None, viewer: Viewer | None = None) -> Scorecard:
        """One rep's KPIs against the team's median and their own previous ``history`` periods, with
        a diagnosis in words (works little but converts well, or works a lot but converts poorly)."""
        from .insights.scorecard import build_scorecard

        return build_scorecard(self, rep, period, history=history, as_of=as_of, viewer=viewer)

    def activity_effectiveness(self, period: str | Period = "last-quarter", *, by: str | None = None,
                               filters: Mapping[str, Sequence[str]] | None = None,
                               as_of: date | None = None,
                               viewer: Viewer | None = None) -> ActivityEffectiveness:
        """Per activity type: wins and revenue of the deals that had it, activities per won and per
        lost deal, meeting-to-win and demo-to-win conversion; for everyone, or ``by`` rep or team."""
        from .insights.effectiveness import build_activity_effectiveness

        return build_activity_effectiveness(self, period, by=by, filters=filters, as_of=as_of,
                                            viewer=viewer)

    def funnel(self, period: str | Period = "last-quarter", *, cohort: bool = False,
               probabilities: Mapping[str, float] | None = None,
               filters: Mapping[str, Sequence[str]] | None = None, as_of: date | None = None,
               viewer: Viewer | None = None, by: str | None = None) -> Funnel:
        """Stage-to-stage conversion and time in stage, sales velocity and the weighted pipeline; for
        everyone, or a funnel each ``by`` rep, team or pipeline."""
        from .insights.funnel import build_funnel

        return build_funnel(self, period, cohort=cohort, probabilities=probabilities, filters=filters,
                            as_of=as_of, viewer=viewer, by=by)

    def satisfaction(self, period: str | Period = "last-year", *, as_of: date | None = None,
                     filters: Mapping[str, Sequence[str]] | None = None,
                     viewer: Viewer | None = None) -> Satisfaction:
        """Average won-deal value of promoters against detractors, with an interval of the ratio."""
        from .insights.satisfaction import build_satisfaction

        return build_satisfaction(self, period, as_of=as_of, filters=filters, viewer=viewer)

    def ramp_cohorts(self, *, as_of: date | None = None, viewer: Viewer | None = None) -> RampCohorts:
        """Ramp curves by hire month: attainment by month of tenure, and the share of each cohort
        ramped, against the RAIN Group benchmark of 9 and 15 months."""
        from .insights.ramp import build_ramp_cohorts

        return build_ramp_cohorts(self, as_of=as_of, viewer=viewer)

    def set_target(self, kpi: str, value: str | Decimal, *, team: str | None = None,
                   rep: str | None = None, period: str | Period | None = None,
                   as_of: date | None = None) -> Target:
        """Set the goal for a KPI (the company's, or a team's or rep's), for one period or standing."""
        from .report import resolve_period
        from .targets import set_target

        span = None if period is None else resolve_period(self, period, as_of)
        return set_target(self, kpi, value, team=team, rep=rep, period=span)

    def unset_target(self, kpi: str, *, team: str | None = None, rep: str | None = None,
                     period: str | Period | None = None, as_of: date | None = None) -> bool:
        from .report import resolve_period
        from .targets import unset_target

        span = None if period is None else resolve_period(self, period, as_of)
        return unset_target(self, kpi, team=team, rep=rep, period=span)

    def list_targets(self, kpi: str | None = None) -> list[Target]:
        from .targets import list_targets

        return list_targets(self, kpi)

    def target_status(self, period: str | Period = "this-quarter", *, as_of: date | None = None,
                      viewer: Viewer | None = None) -> list[TargetStatus]:
        """Every target that applies to ``period`` beside its figure: status (on_track, at_risk,
        off_track), pace to date, and the change from the period before. What a target tile shows."""
        from .report import resolve_period
        from .targets import target_statuses

        return target_statuses(self, resolve_period(self, period, as_of), as_of=as_of, viewer=viewer)
