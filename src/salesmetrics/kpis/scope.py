"""The scope of a question: which dimensions it is grouped by, which values it is filtered to, and
the queries a KPI is computed with over one period, filters and viewer.

Every face hands what a person typed (``--by rep``, ``--filter team=east``, ``?team=east``) to the
functions here, so grouping and filtering mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from ..access import Viewer
from ..errors import DimensionError, UnknownKPIError, keyed
from ..periods import Period, fiscal_quarter_of
from ..store import Store
from .dimensions import CATEGORY_DIMENSIONS, DIMENSIONS, TIME_DIMENSIONS
from .known_values import resolve_values
from .model import KPI
from .query import Query


def parse_kpis(kpis: str | Iterable[str] | None) -> list[str]:
    """KPI ids asked for, each once: ``"win_rate"``, ``"win_rate,nps"`` (as the command line takes
    them) or a list. A string is never read as its letters ('unknown KPI "w"')."""
    if isinstance(kpis, str):
        named = [k.strip() for k in kpis.split(",") if k.strip()]
        if not named:  # "" or ",": asked for nothing, which is not asking for everything
            raise UnknownKPIError(f"no KPI named in {kpis!r}; name one, such as win_rate")
        kpis = named
    # Each item may name several too (--kpi win_rate,nps given to a command that repeats --kpi).
    return list(dict.fromkeys(p.strip() for k in kpis or () for p in k.split(",") if p.strip()))


def parse_dimensions(by: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"rep"``, ``"rep,month"`` or ``["rep", "month"]``; None or nothing: no grouping."""
    if by is None:
        return ()
    items = [p.strip() for p in (by.split(",") if isinstance(by, str) else by) if p and p.strip()]
    out: list[str] = []
    for item in items:
        dim = item.lower().replace("-", "_")
        if dim not in DIMENSIONS:
            raise keyed(DimensionError(f"cannot group by {item!r}; dimensions are: {', '.join(DIMENSIONS)}"),
                        "group_unknown", item=item, dimensions=", ".join(DIMENSIONS))
        if dim not in out:
            out.append(dim)
    if len([d for d in out if d in TIME_DIMENSIONS]) > 1:
        raise DimensionError("group by one time grain at a time (day, week, month or quarter)")
    return tuple(out)


def filters_json(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """An answer's filters as its JSON says them: each dimension's values as a list."""
    return {k: list(v) for k, v in filters.items()}


def normalise_filters(filters: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, values in (filters or {}).items():
        dim = key.lower().replace("-", "_")
        if dim not in CATEGORY_DIMENSIONS:
            raise DimensionError(
                f"cannot filter by {key!r}; filters are: {', '.join(CATEGORY_DIMENSIONS)}"
            )
        vals = (values,) if isinstance(values, str) else tuple(values)
        if dim == "activity_type":
            vals = tuple(v.lower() for v in vals)
        out[dim] = tuple(dict.fromkeys(out.get(dim, ()) + vals))
    return out


def resolve_filters(store: Store, filters: Mapping[str, Sequence[str]] | None,
                    viewer: Viewer | None = None) -> dict[str, tuple[str, ...]]:
    """Filters normalised, every value the stored id (a rep's name becomes their id), and a value
    that names nothing the viewer can see refused (:mod:`salesmetrics.kpis.known_values`): never a
    silent zero. Every core question that takes filters starts here."""
    return resolve_values(store, normalise_filters(filters), viewer)


# What a question that counts whole deals (the forecast, slippage, losses) can be filtered by: what
# a deal has one of. Not a product (a deal's amount holds every product on it: the forecast's
# closed won by product read $1,956,562 where the revenue of the product's lines was $1,742,850),
# an activity type (it was passed over, the figures those of every deal) or a lost reason (the
# losses' closed deals narrowed to the lost: a lost rate of 100 %).
DEAL_FILTERS = ("rep", "team", "source", "pipeline", "segment", "industry", "region")


def whole_deal_filters(where: Mapping[str, Sequence[str]], question: str, also: Sequence[str] = ()) -> None:
    """Refuse a filter ``question`` ("forecast", "slippage", "losses", "satisfaction",
    "activities", "cycle", "funnel") cannot apply to whole deals, rather than answer as if
    unfiltered or over the wrong deals. ``also``: what else it takes (the activities, an activity type)."""
    allowed = (*DEAL_FILTERS, *also)
    bad = [d for d in where if d not in allowed]
    if bad:
        raise keyed(DimensionError(
            f"cannot filter the {question} by {', '.join(bad)}: it counts whole deals (filter by "
            f"{', '.join(allowed)})"),
            f"whole_deal_filters_{question}", dims=", ".join(bad), allowed=", ".join(allowed))


def time_label(grain: str, start: date, fiscal_year_start: int) -> str:
    if grain == "day":
        return start.isoformat()
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{start.year}-{start.month:02d}"
    year, quarter = fiscal_quarter_of(start, fiscal_year_start)
    return f"{year}-Q{quarter}"


def why_not(kpi: KPI, by: tuple[str, ...], filters: dict[str, tuple[str, ...]]) -> str | None:
    bad = [d for d in by if not kpi.supports(d)] + [d for d in filters if not kpi.supports(d)]
    if not bad:
        return None
    dims = ", ".join(sorted(kpi.dimensions, key=DIMENSIONS.index))
    return f"{kpi.id} cannot be grouped or filtered by {', '.join(bad)} (it supports {dims})"


def query_maker(
    store: Store,
    span: Period,
    where: dict[str, tuple[str, ...]],
    *,
    as_of: date | None = None,
    viewer: Viewer | None = None,
) -> Callable[[tuple[str, ...]], Query]:
    """Queries over one period, filters and viewer, grouped as asked: what the report computes KPIs
    with, and what the records behind a figure are read with, so both always agree.

    With ``as_of`` the period is cut at the end of that day: every KPI then reads only records up
    to it (deals closed, activities, answers, deals created), as they stood then."""
    span = span.until(as_of)
    settings = store.settings
    base = store.base_currency()
    foreign = tuple(c for c in store.currencies() if c != base)
    records = store.records(viewer)
    rollups = store.rollups_fresh()
    today = store.today()

    def make(by: tuple[str, ...]) -> Query:
        return Query(
            records=records, period=span, by=by, filters=where,
            fiscal_year_start=settings.fiscal_year_start, base_currency=base,
            foreign_currencies=foreign, ramp_rule=settings.ramp_rule,
            ramp_threshold=settings.ramp_threshold, ramp_sustain=settings.ramp_sustain, as_of=as_of,
            rollups=rollups, today=today,
        )

    return make
