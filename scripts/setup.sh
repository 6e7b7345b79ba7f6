#!/usr/bin/env bash
# Create .venv at the repo root and install salesmetrics with the pinned versions of everything it uses.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "salesmetrics needs Python 3.11 or newer; $("$PY" --version) found (set PYTHON=...)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,postgres,spark]"
  touch "$stamp"
fi
# axe-core for the accessibility checks of the browser tests (package.json pins it; npm's registry).
if command -v npm >/dev/null && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund --silent
fi
