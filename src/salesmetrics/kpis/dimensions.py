"""What a KPI can be grouped and filtered by (time grains group only), and filters as people write
them: ``team=east,west``."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import DimensionError

# segment, industry and region are the deal's account's (accounts, through deals.account);
# lost_reason groups what was lost.
CATEGORY_DIMENSIONS = ("rep", "team", "product", "source", "activity_type", "pipeline", "segment",
                       "industry", "region", "lost_reason")
ACCOUNT_DIMENSIONS = ("segment", "industry", "region")
TIME_DIMENSIONS = ("day", "week", "month", "quarter")
DIMENSIONS = CATEGORY_DIMENSIONS + TIME_DIMENSIONS


def parse_filter_items(items: Iterable[str]) -> dict[str, list[str]]:
    """``["team=east,west", "rep=Daniel Okafor"]`` (as ``--filter`` and ``?filter=`` take them) as
    a mapping of dimension to values. Empty values are dropped: a form's "All" is no filter."""
    filters: dict[str, list[str]] = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not key.strip() or not values.strip():
            raise DimensionError(f"filter {item!r}: write DIM=VALUE, e.g. team=east")
        add_filter_values(filters, key.strip(), [values])
    return filters


def add_filter_values(filters: dict[str, list[str]], dim: str, values: Iterable[str]) -> None:
    """Add comma-separated ``values`` to ``filters[dim]``, once each, in order."""
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if items:
        known = filters.setdefault(dim, [])
        known.extend(i for i in dict.fromkeys(items) if i not in known)
