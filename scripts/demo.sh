#!/usr/bin/env bash
# Set up, build the demo workspace (demo.duckdb), print its KPI summary, then serve the dashboard.
# Scripted use: pass --no-serve (or set SALESMETRICS_NO_SERVE=1) to stop after the summary.
# Other arguments go to `salesmetrics demo` (e.g. --seed 7 --lang de); SALESMETRICS_PORT sets the port.
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
[ "${SALESMETRICS_NO_SERVE:-}" = "1" ] && serve=0
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-serve" ]; then serve=0; else args+=("$arg"); fi
done
bash scripts/setup.sh
.venv/bin/salesmetrics demo --db demo.duckdb --replace ${args[@]+"${args[@]}"}
if [ "$serve" = 1 ]; then
  exec .venv/bin/salesmetrics serve --db demo.duckdb --port "${SALESMETRICS_PORT:-8000}"
fi
