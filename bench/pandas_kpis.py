"""The compared figures from the canonical Parquet files with pandas, the way an analyst's
notebook would compute them: read, filter, group, divide. Money is summed in integer cents so the
answer is exact. ``python -m bench.pandas_kpis PARQUET_DIR MONTH [--repeat N]`` prints JSON."""

from __future__ import annotations

import argparse
import json
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from .figures import Figures, as_rows, month_bounds


def load(folder: Path) -> dict[str, pd.DataFrame]:
    t = {name: pd.read_parquet(folder / f"{name}.parquet")
         for name in ("deals", "deal_items", "activities", "quotas", "nps_responses")}
    for name, col in (("deals", "amount"), ("deal_items", "unit_price"), ("quotas", "amount")):
        t[name][col + "_cents"] = (t[name][col].astype("float64") * 100).round().astype("int64")
    t["deal_items"]["quantity"] = t["deal_items"]["quantity"].astype("float64")
    return t


def _money(cents: int) -> str:
    return f"{Decimal(int(cents)).scaleb(-2):.2f}"


def compute(t: dict[str, pd.DataFrame], month: str) -> Figures:
    start, end = (pd.Timestamp(d) for d in month_bounds(month))
    out: Figures = {}
    deals = t["deals"]
    closed_now = deals["closed_at"].ge(start) & deals["closed_at"].lt(end)
    won = deals[closed_now & deals["status"].eq("won")]

    revenue = won.groupby("rep_id")["amount_cents"].agg(["sum", "size"])
    for rep, r in revenue.iterrows():
        for kpi in ("total_revenue", "revenue_per_rep"):
            out[(kpi, str(rep), None)] = (_money(r["sum"]), int(r["size"]))
        mean = (Decimal(int(r["sum"])) / int(r["size"])).scaleb(-2)
        mean = mean.quantize(Decimal("0.01"), ROUND_HALF_UP)
        out[("average_deal_size", str(rep), None)] = (f"{mean:.2f}", int(r["size"]))

    items = t["deal_items"].merge(won[["deal_id", "rep_id"]], on="deal_id")
    items["cents"] = (items["quantity"] * items["unit_price_cents"]).round().astype("int64")
    by_product = items.groupby(["product_id", "rep_id"]).agg(cents=("cents", "sum"),
                                                              n=("deal_id", "nunique"))
    for (product, rep), r in by_product.iterrows():
        out[("revenue_per_product", str(rep), str(product))] = (_money(r["cents"]), int(r["n"]))

    days = (won["closed_at"].dt.normalize() - won["created_at"].dt.normalize()).dt.days
    cycle = days.groupby(won["rep_id"]).agg(["sum", "size"])
    for rep, r in cycle.iterrows():
        out[("sales_cycle_length", str(rep), None)] = (str(round(r["sum"] / r["size"], 4)), int(r["size"]))

    closed = deals[closed_now & deals["status"].isin(["won", "lost"])]
    rate = closed["status"].eq("won").groupby(closed["rep_id"]).agg(["sum", "size"])
    for rep, r in rate.iterrows():
        out[("win_rate", str(rep), None)] = (str(round(r["sum"] / r["size"], 6)), int(r["size"]))

    still_open = deals["closed_at"].isna() | deals["closed_at"].ge(start)
    open_during = deals[deals["created_at"].lt(end) & still_open]
    hits = (open_during["status"].eq("won") & open_during["closed_at"].ge(start)
            & open_during["closed_at"].lt(end))
    pipe = hits.groupby(open_during["rep_id"]).agg(["sum", "size"])
    for rep, r in pipe.iterrows():
        out[("pipeline_win_rate", str(rep), None)] = (str(round(r["sum"] / r["size"], 6)), int(r["size"]))

    q = t["quotas"]
    q = q[q["rep_id"].notna()].copy()
    first, stop = pd.Timestamp(start), pd.Timestamp(end)
    q_start, q_end = pd.to_datetime(q["period_start"]), pd.to_datetime(q["period_end"]) + pd.Timedelta(days=1)
    overlap = (q_end.clip(upper=stop) - q_start.clip(lower=first)).dt.days
    total = (q_end - q_start).dt.days
    q["share"] = q["amount_cents"] * overlap / total
    quota = q[overlap > 0].groupby("rep_id")["share"].sum()
    for rep, cents in quota.items():
        got = revenue["sum"].get(rep, 0)
        n = int(revenue["size"].get(rep, 0))
        if cents:
            out[("quota_attainment", str(rep), None)] = (str(round(float(got) / float(cents), 6)), n)

    acts = t["activities"]
    acts = acts[acts["occurred_at"].ge(start) & acts["occurred_at"].lt(end)]
    counted = acts.groupby("rep_id").size()
    for rep, n in counted.items():
        out[("activity_count", str(rep), None)] = (str(int(n)), int(n))
    # A rep who worked in the month (a deal created or closed, a quota, an activity) and won or
    # logged nothing: 0.
    touched = deals[closed_now | (deals["created_at"].ge(start) & deals["created_at"].lt(end))]
    for rep in {str(r) for r in (*touched["rep_id"].unique(), *quota.index, *counted.index)}:
        for kpi in ("total_revenue", "revenue_per_rep"):
            out.setdefault((kpi, rep, None), ("0.00", 0))
        out.setdefault(("activity_count", rep, None), ("0", 0))

    nps = t["nps_responses"]
    nps = nps[nps["responded_at"].ge(start) & nps["responded_at"].lt(end)]
    score = pd.DataFrame({"p": nps["score"].ge(9), "d": nps["score"].le(6), "rep_id": nps["rep_id"]})
    net = score.groupby("rep_id").agg(p=("p", "sum"), d=("d", "sum"), n=("p", "size"))
    for rep, r in net.iterrows():
        out[("nps", str(rep), None)] = (str(round((int(r["p"]) - int(r["d"])) * 100 / int(r["n"]), 4)),
                                        int(r["n"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("month")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    began = time.perf_counter()
    tables = load(args.folder)
    loaded = time.perf_counter() - began
    times: list[float] = []
    figures: Figures = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        figures = compute(tables, args.month)
        times.append(time.perf_counter() - t0)
    result: dict[str, Any] = {"load_s": loaded, "compute_s": times, "figures": as_rows(figures)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
