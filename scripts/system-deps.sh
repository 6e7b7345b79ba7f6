#!/usr/bin/env bash
# What the tests need from the machine, not from PyPI: Debian's chromium (the browser tests drive it;
# Playwright never downloads one), node and npm (axe-core, the accessibility checker the browser tests
# inject, comes from the npm registry: tests/browser/package-lock.json), PostgreSQL and Java (the
# conformance suite's other backends).
# Idempotent; installs only what is missing. Without root or sudo it says what is missing and stops
# there: the tests that need it then fail (in CI) or say why they skip.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    [ -x /usr/bin/chromium ] || echo "note: /usr/bin/chromium is missing (apt-get install chromium)" >&2
    command -v pg_ctlcluster >/dev/null || echo "note: PostgreSQL is missing (apt-get install postgresql)" >&2
    command -v npm >/dev/null || echo "note: npm is missing (apt-get install nodejs npm)" >&2
    exit 0
  fi
fi
if [ ! -x /usr/bin/chromium ]; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
if ! command -v npm >/dev/null; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
fi
bash scripts/test-backends.sh
