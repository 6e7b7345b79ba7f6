#!/usr/bin/env bash
# Set up (Python packages in .venv; chromium, PostgreSQL and Java from Debian), then run every check
# CI runs: lint, types, the whole test suite on every backend.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
# axe-core, pinned by tests/browser/package-lock.json, for the browser tests' accessibility checks.
if command -v npm >/dev/null; then
  (cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
echo "== ruff"; .venv/bin/ruff check src tests bench
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/pytest "$@"
