#!/usr/bin/env bash
# Set up, build the demo workspace (demo.duckdb) and print its KPI summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/salesmetrics demo --db demo.duckdb --replace "$@"
