"""The figures the three contenders must agree on, and the check that they do, to the cent.

The compared set is one month by rep of every KPI the plain-Python reference of the property tests
covers (tests/reference.py): ramp time and the Kaplan-Meier cycle are ours alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

COMPARED = (
    "total_revenue", "revenue_per_rep", "revenue_per_product", "average_deal_size",
    "sales_cycle_length", "win_rate", "pipeline_win_rate", "quota_attainment", "activity_count", "nps",
)
UNITS = {"total_revenue": "money", "revenue_per_rep": "money", "revenue_per_product": "money",
         "average_deal_size": "money", "sales_cycle_length": "days", "win_rate": "ratio",
         "pipeline_win_rate": "ratio", "quota_attainment": "ratio", "activity_count": "count",
         "nps": "score"}
TOLERANCE = {"ratio": 1e-6, "days": 1e-3, "score": 1e-3}

# One figure: (kpi, rep, product) -> (value as text, n). Money as exact text with two places.
Key = tuple[str, str | None, str | None]
Figures = dict[Key, tuple[str, int]]


def month_bounds(month: str) -> tuple[date, date]:
    year, mon = (int(p) for p in month.split("-"))
    start = date(year, mon, 1)
    end = date(year + mon // 12, mon % 12 + 1, 1)
    return start, end


def as_rows(figures: Figures) -> list[list[Any]]:
    return [[k, r, p, v, n] for (k, r, p), (v, n) in sorted(figures.items(), key=repr)]


def from_rows(rows: Iterable[Iterable[Any]]) -> Figures:
    out: Figures = {}
    for kpi, rep, product, value, n in rows:
        out[(kpi, rep, product)] = (value, int(n))
    return out


def from_report(rows: Iterable[Mapping[str, Any]]) -> Figures:
    """Our report's rows (Report.rows), in the compared shape."""
    out: Figures = {}
    for row in rows:
        if row["kpi"] not in COMPARED or row["value"] is None:
            continue
        value = row["value"]
        text = f"{value:.2f}" if UNITS[row["kpi"]] == "money" else str(value)
        out[(row["kpi"], row.get("rep"), row.get("product"))] = (text, int(row["n"]))
    return out


def differences(ours: Figures, theirs: Figures, name: str, limit: int = 10) -> list[str]:
    """What differs between two sets of figures (empty: they agree)."""
    problems = []
    for key in sorted(set(ours) | set(theirs), key=repr):
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None:
            problems.append(f"{key}: ours {a}, {name} {b}")
            continue
        unit = UNITS[key[0]]
        if a[1] != b[1]:
            problems.append(f"{key}: n ours {a[1]}, {name} {b[1]}")
        elif unit in ("money", "count"):
            if a[0] != b[0]:
                problems.append(f"{key}: ours {a[0]}, {name} {b[0]}")
        elif abs(float(a[0]) - float(b[0])) > TOLERANCE[unit] + 1e-12:
            problems.append(f"{key}: ours {a[0]}, {name} {b[0]}")
        if len(problems) >= limit:
            break
    return problems
