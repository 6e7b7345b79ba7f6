#!/usr/bin/env bash
# Set up (Python packages in .venv; chromium, PostgreSQL and Java from Debian), then run every check
# CI runs: lint, types, the whole test suite on every backend.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
echo "== ruff"; .venv/bin/ruff check src tests bench
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/pytest "$@"
