"""What a KPI can be grouped and filtered by. Time grains group only."""

from __future__ import annotations

CATEGORY_DIMENSIONS = ("rep", "team", "product", "source", "activity_type", "pipeline")
TIME_DIMENSIONS = ("week", "month", "quarter")
DIMENSIONS = CATEGORY_DIMENSIONS + TIME_DIMENSIONS
