"""The results as a Markdown table in docs/benchmarks.md, between markers: what is written around
them (the analysis) stays as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"

# The pages besides the dashboard that bench.ours times (``views``), each a key ``<page>_s``.
VIEW_PAGES = ("rep", "insights", "forecast")
# The pages as the web app serves them (``pages``), each a key ``<page>_page_s``.
SERVED_PAGES = ("dashboard", "rep", "insights", "forecast")

ROWS: list[tuple[str, str, str]] = [
    # (label, key, format)
    ("deals / activities", "_counts", ""),
    ("machine load average (1 min) during the runs, min-max", "_load", ""),
    ("**import** CSV, whole process (s)", "import_s", "s"),
    ("import rows/s (all tables, with validation)", "import_rows_per_s", "rate"),
    ("import peak memory (MB)", "import_peak_mb", "mb"),
    ("**`salesmetrics report`**, every KPI by rep, whole process (s)", "report_all_s", "s"),
    ("report peak memory (MB)", "report_all_peak_mb", "mb"),
    ("report, the compared KPIs, whole process (s)", "report_cmp_s", "s"),
    ("**pandas script** (reads Parquet), whole process (s)", "pandas_s", "s"),
    ("pandas peak memory (MB)", "pandas_peak_mb", "mb"),
    ("**hand-written DuckDB SQL**, whole process (s)", "sql_s", "s"),
    ("raw SQL peak memory (MB)", "sql_peak_mb", "mb"),
    ("ours / pandas, whole process, compared KPIs", "_vs_pandas", "x"),
    ("ours / pandas, whole process, every KPI", "_vs_pandas_all", "x"),
    ("before this change (`--baseline`): `report`, every KPI, whole process (s)", "base_report_all_s", "s"),
    ("ours / before, whole process, every KPI", "_vs_base", "x"),
    ("our query layer in-process, compared KPIs, warm (s)", "ours_cmp_warm_s", "s"),
    ("hand-written SQL in-process, warm (s)", "sql_warm_s", "s"),
    ("ours / raw SQL, in-process warm", "_vs_sql", "x"),
    ("our report in-process, every KPI, warm (s)", "ours_all_warm_s", "s"),
    ("pandas in-process: read Parquet (s) / compute, data in memory (s)", "_pandas_parts", ""),
    ("**dashboard** full query set, warm (s)", "dashboard_warm_s", "s"),
    ("dashboard full query set, first call (s)", "dashboard_cold_s", "s"),
    ("before this change: dashboard full query set, warm (s)", "base_dashboard_warm_s", "s"),
    ("dashboard full query set, a fifth of the deals in euros, warm (s)", "fx_dashboard_warm_s", "s"),
    ("the same, first call (s)", "fx_dashboard_cold_s", "s"),
    ("before this change: the same, warm (s)", "base_fx_dashboard_warm_s", "s"),
    ("a rep's page (scorecard, trend), in process, each rep new (s)", "rep_s", "s"),
    ("the insights page (its five answers), in process, each month new (s)", "insights_s", "s"),
    ("the forecast page (forecast, slippage, accuracy), in process, first view (s)", "forecast_s", "s"),
    ("before this change: a rep's page / insights / forecast page (s)", "_base_views", ""),
    ("**served by the web app**, each view new, server side: dashboard / a rep's page / insights / "
     "forecast page (s)", "_pages", ""),
    ("before this change: the same (s)", "_base_pages", ""),
    ("served, browsing: the month after the month before, whose figures the server kept (s)",
     "dashboard_browse_s", "s"),
    ("before this change: import CSV, whole process (s)", "base_import_s", "s"),
    ("figures compared (all agree to the cent)", "figures", "int"),
]


def _cell(result: dict[str, Any], key: str, fmt: str) -> str:
    try:
        text = _value(result, key, fmt)
    except (KeyError, ValueError, ZeroDivisionError):
        return "-"
    return "-" if "nan" in text else text  # not measured (--no-pandas)


def _value(result: dict[str, Any], key: str, fmt: str) -> str:
    if key == "_counts":
        return f"{result['deals']:,} / {result['activities']:,}"
    if key == "_vs_pandas":
        return f"{result['report_cmp_s'] / result['pandas_s']:.2f}x"
    if key == "_vs_pandas_all":
        return f"{result['report_all_s'] / result['pandas_s']:.2f}x"
    if key == "_load":
        return f"{result['load_min']:.1f}-{result['load_max']:.1f}"
    if key == "_vs_base":
        return f"{result['report_all_s'] / result['base_report_all_s']:.2f}x"
    if key == "_vs_sql":
        return f"{result['ours_cmp_warm_s'] / result['sql_warm_s']:.2f}x"
    if key == "_base_views":
        parts = [result[f"base_{page}_s"] for page in VIEW_PAGES]
        if any(p != p for p in parts):  # NaN: no --baseline
            raise ValueError(key)
        return " / ".join(f"{p:.3f}" if p < 10 else f"{p:.1f}" for p in parts)
    if key in ("_pages", "_base_pages"):
        prefix = "base_" if key == "_base_pages" else ""
        served = [result[f"{prefix}{page}_page_s"] for page in SERVED_PAGES]
        if any(p != p for p in served):  # NaN: no --baseline
            raise ValueError(key)
        return " / ".join(f"{p:.3f}" for p in served)
    if key == "_pandas_parts":
        return f"{result['pandas_load_s']:.2f} / {result['pandas_compute_s']:.2f}"
    value = result[key]
    if isinstance(value, float) and value != value:  # NaN: not measured (--no-pandas)
        raise ValueError(key)
    if fmt == "s":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if fmt == "rate":
        return f"{value / 1e6:.2f} M"
    if fmt == "mb":
        return f"{value:.0f}"
    return f"{value:,}"


def table(stored: dict[str, Any]) -> str:
    sizes = [s for s in ("T", "S", "M", "L") if s in stored.get("sizes", {})]
    m = stored.get("machine", {})
    lines = [
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram')} RAM, {m.get('os')}; Python "
        f"{m.get('python')}, DuckDB {m.get('duckdb')}, Ibis {m.get('ibis')}, pandas {m.get('pandas')}, "
        f"pyarrow {m.get('pyarrow')}. Month: {stored['sizes'][sizes[0]]['month'] if sizes else '-'}, "
        "by rep; medians of " + ", ".join(f"{stored['sizes'][s]['runs']} ({s})" for s in sizes)
        + " runs after a warm-up run, the contenders' whole processes interleaved round by round "
        "(so each saw the same load); L without pandas (it would need ~20 GB).",
        "",
        "| measure | " + " | ".join(sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for label, key, fmt in ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(stored["sizes"][s], key, fmt) for s in sizes) + " |")
    return "\n".join(lines)


def write_markdown(path: Path, stored: dict[str, Any]) -> None:
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    path.write_text(f"{head}{START}\n{table(stored)}\n{END}{tail}")
