"""The KPI registry: every KPI by id, validated when the package is imported."""

from __future__ import annotations

from difflib import get_close_matches
from functools import cache

from ..errors import UnknownKPIError, keyed
from .definitions import KPIS
from .model import AGGREGATION_UNITS, DIMENSIONS, KPI, Outcome, Text


def _validate(kpis: tuple[KPI, ...]) -> dict[str, KPI]:
    registry: dict[str, KPI] = {}
    problems = []
    for kpi in kpis:
        if kpi.id in registry:
            problems.append(f"{kpi.id}: defined twice")
        unknown = set(kpi.dimensions) - set(DIMENSIONS)
        if unknown:
            problems.append(f"{kpi.id}: unknown dimensions {sorted(unknown)}")
        if not set(kpi.always_by) <= kpi.dimensions:
            problems.append(f"{kpi.id}: always_by must be among its dimensions")
        if kpi.aggregation not in AGGREGATION_UNITS:
            problems.append(f"{kpi.id}: unknown aggregation {kpi.aggregation!r}")
        elif kpi.unit not in AGGREGATION_UNITS[kpi.aggregation]:
            problems.append(f"{kpi.id}: a {kpi.aggregation} cannot have unit {kpi.unit!r}")
        if not (kpi.title.en and kpi.title.de and kpi.description.en and kpi.description.de):
            problems.append(f"{kpi.id}: needs an English and a German title and description")
        if kpi.finalize is not None and kpi.finalize({}).value is None and kpi.empty is None:
            # A headline with nothing to show says why, never a bare dash.
            problems.append(f"{kpi.id}: can have no figure, so it needs `empty` (why, in words)")
        registry[kpi.id] = kpi
    if problems:
        raise RuntimeError("invalid KPI definitions: " + "; ".join(problems))
    return registry


REGISTRY: dict[str, KPI] = _validate(KPIS)


@cache
def same_figure(kpi_id: str, by: tuple[str, ...]) -> tuple[str, ...]:
    """The other KPIs that are the same figure as ``kpi_id`` when grouped by ``by``
    (:meth:`KPI.shape`): a rep's revenue is both total_revenue and revenue_per_rep."""
    shape = REGISTRY[kpi_id].shape(by)
    return tuple(k.id for k in REGISTRY.values() if k.id != kpi_id and k.shape(by) == shape)


def get(kpi_id: str) -> KPI:
    try:
        return REGISTRY[kpi_id]
    except KeyError:
        known = ", ".join(REGISTRY)
        meant = _meant(kpi_id)
        if meant is not None:  # WIN_RATE, win-rate: said which one, as a mistyped team is
            raise keyed(UnknownKPIError(f"unknown KPI {kpi_id!r} (did you mean {meant!r}?); known KPIs: "
                                        f"{known}"), "kpi_unknown_close", kpi=kpi_id, meant=meant,
                        known=known) from None
        raise keyed(UnknownKPIError(f"unknown KPI {kpi_id!r}; known KPIs: {known}"), "kpi_unknown",
                    kpi=kpi_id, known=known) from None


def _meant(typed: str) -> str | None:
    """The KPI ``typed`` most likely means: the same id in another case or with - or spaces for
    _, else the closest one by spelling."""
    folded = "_".join(typed.strip().replace("-", " ").split()).casefold()
    if folded in REGISTRY:
        return folded
    close = get_close_matches(folded, list(REGISTRY), n=1, cutoff=0.75)
    return close[0] if close else None


__all__ = ["DIMENSIONS", "KPI", "REGISTRY", "Outcome", "Text", "get", "same_figure"]
