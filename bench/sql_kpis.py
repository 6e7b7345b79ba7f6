"""The compared figures in hand-written DuckDB SQL on the workspace file: the engine's floor, what
our query layer costs on top of it. ``python -m bench.sql_kpis DB MONTH [--repeat N]`` prints JSON."""

from __future__ import annotations

import argparse
import json
import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

from .figures import Figures, as_rows, month_bounds

QUERIES = {
    "revenue": """
        SELECT rep_id, sum(amount), count(*) FROM deals
        WHERE status = 'won' AND closed_at >= $start AND closed_at < $end GROUP BY rep_id""",
    "product": """
        SELECT i.product_id, d.rep_id, sum(round(i.quantity * i.unit_price, 2)), count(DISTINCT d.deal_id)
        FROM deal_items i JOIN deals d USING (deal_id)
        WHERE d.status = 'won' AND d.closed_at >= $start AND d.closed_at < $end GROUP BY ALL""",
    "cycle": """
        SELECT rep_id, sum(date_diff('day', created_at::DATE, closed_at::DATE)), count(*) FROM deals
        WHERE status = 'won' AND closed_at >= $start AND closed_at < $end GROUP BY rep_id""",
    "win": """
        SELECT rep_id, count(*) FILTER (status = 'won'), count(*) FROM deals
        WHERE status IN ('won', 'lost') AND closed_at >= $start AND closed_at < $end GROUP BY rep_id""",
    "pipeline": """
        SELECT rep_id, count(*) FILTER (status = 'won' AND closed_at >= $start AND closed_at < $end),
               count(*) FROM deals
        WHERE created_at < $end AND (closed_at IS NULL OR closed_at >= $start) GROUP BY rep_id""",
    "quota": """
        SELECT rep_id, sum(amount * date_diff('day', greatest(period_start, $start::DATE),
                                              least(period_end + 1, $end::DATE))
                           / date_diff('day', period_start, period_end + 1))
        FROM quotas WHERE rep_id IS NOT NULL AND period_start < $end::DATE AND period_end >= $start::DATE
        GROUP BY rep_id""",
    "touched": """
        SELECT DISTINCT rep_id FROM deals
        WHERE (created_at >= $start AND created_at < $end) OR (closed_at >= $start AND closed_at < $end)""",
    "activities": """
        SELECT rep_id, count(*) FROM activities WHERE occurred_at >= $start AND occurred_at < $end
        GROUP BY rep_id""",
    "nps": """
        SELECT rep_id, count(*) FILTER (score >= 9), count(*) FILTER (score <= 6), count(*)
        FROM nps_responses WHERE responded_at >= $start AND responded_at < $end GROUP BY rep_id""",
}


def compute(con: duckdb.DuckDBPyConnection, month: str) -> Figures:
    start, end = month_bounds(month)
    params = {"start": start, "end": end}

    def run(name: str) -> list[tuple[Any, ...]]:
        return con.execute(QUERIES[name], params).fetchall()

    out: Figures = {}
    revenue = {}
    for rep, total, n in run("revenue"):
        revenue[rep] = (total, n)
        out[("total_revenue", rep, None)] = (f"{total:.2f}", n)
        out[("revenue_per_rep", rep, None)] = (f"{total:.2f}", n)
        mean = (Decimal(total) / n).quantize(Decimal("0.01"), ROUND_HALF_UP)
        out[("average_deal_size", rep, None)] = (f"{mean:.2f}", n)
    for product, rep, total, n in run("product"):
        out[("revenue_per_product", rep, product)] = (f"{total:.2f}", n)
    for rep, days, n in run("cycle"):
        out[("sales_cycle_length", rep, None)] = (str(round(float(days) / n, 4)), n)
    for rep, hits, n in run("win"):
        out[("win_rate", rep, None)] = (str(round(hits / n, 6)), n)
    pipeline = run("pipeline")
    for rep, hits, n in pipeline:
        out[("pipeline_win_rate", rep, None)] = (str(round(hits / n, 6)), n)
    quotas = run("quota")
    for rep, quota in quotas:
        got, n = revenue.get(rep, (Decimal(0), 0))
        if quota:
            out[("quota_attainment", rep, None)] = (str(round(float(Decimal(got) / Decimal(quota)), 6)), n)
    at_work = {rep for (rep,) in run("touched")} | {rep for rep, _ in quotas}
    for rep, n in run("activities"):
        out[("activity_count", rep, None)] = (str(n), n)
        at_work.add(rep)
    # A rep who worked in the month (a deal created or closed, a quota, an activity) and won or
    # logged nothing: 0.
    for rep in at_work:
        for kpi in ("total_revenue", "revenue_per_rep"):
            out.setdefault((kpi, rep, None), ("0.00", 0))
        out.setdefault(("activity_count", rep, None), ("0", 0))
    for rep, promoters, detractors, n in run("nps"):
        out[("nps", rep, None)] = (str(round((promoters - detractors) * 100 / n, 4)), n)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("month")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    times: list[float] = []
    figures: Figures = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        figures = compute(con, args.month)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"compute_s": times, "figures": as_rows(figures)}))


if __name__ == "__main__":
    main()
