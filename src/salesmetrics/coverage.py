"""Where the records are in time: what a report over a period with no records says instead of a page
of zeros ("records run 2016-10-20 to 2017-12-31: try --period 2017").

A period holds no records when no deal was created or closed, no activity happened and no answer was
given in it (what the viewer may see, without the report's filters: a filter that matches nothing is
another matter). Faces only render the hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .access import Viewer
from .kpis import compiled
from .kpis.query import Query
from .periods import Period, fiscal_quarter_of
from .store import Store


@dataclass(frozen=True)
class PeriodHint:
    """A period that holds no records, where the records are, and a period that holds some."""

    period: Period
    first: date | None  # None: the workspace holds no records at all
    last: date | None
    suggestion: str | None  # a period to try: the fiscal year of the latest record

    def as_json(self) -> dict[str, Any]:
        return {"records_start": self.first, "records_end": self.last,
                "suggested_period": self.suggestion}


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def period_hint(store: Store, span: Period, viewer: Viewer | None = None) -> PeriodHint | None:
    """None when ``span`` holds a record; else where the records are and what to try."""
    query = Query(records=store.records(viewer), period=span)
    # Kept compiled like a KPI (kpis/compiled.py): the year before of a dashboard often holds
    # nothing, and a new process then needs no Ibis to say so.
    found = compiled.run("period hint", _moments, query)[0]
    if found["inside"]:
        return None
    first, last = _day(found["first"]), _day(found["last"])
    suggestion = None
    if last is not None:
        suggestion = str(fiscal_quarter_of(last, store.settings.fiscal_year_start)[0])
    return PeriodHint(span, first, last, suggestion)


def _moments(q: Query) -> Any:
    """The first and last moment on record, and how many fall in the query's period."""
    records = q.records
    deals, activities = records.table("deals"), records.table("activities")
    answers = records.table("nps_responses")
    # One column of moments; cast alike, since required columns are typed NOT NULL.
    parts = [deals.select(at=deals.created_at.cast("timestamp")),
             deals.filter(deals.closed_at.notnull()).select(at=deals.closed_at.cast("timestamp")),
             activities.select(at=activities.occurred_at.cast("timestamp")),
             answers.select(at=answers.responded_at.cast("timestamp"))]
    moments = parts[0].union(*parts[1:], distinct=False)
    return moments.aggregate(
        first=moments.at.min(), last=moments.at.max(),
        inside=((moments.at >= q.start) & (moments.at < q.end)).cast("int64").sum(),
    )
