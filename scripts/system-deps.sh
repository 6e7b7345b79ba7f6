#!/usr/bin/env bash
# What the tests need from the machine, not from PyPI: Debian's chromium (the browser tests drive it;
# Playwright never downloads one), node and npm (axe-core, the accessibility checker the browser tests
# inject, comes from the npm registry: tests/browser/package-lock.json), PostgreSQL and Java (the
# conformance suite's other backends), and pango with a font (WeasyPrint draws the digest's PDF with
# them; the Python package ships neither).
# Idempotent; installs only what is missing. Without root or sudo it says what is missing and stops
# there: the tests that need it then fail (in CI) or say why they skip.
set -euo pipefail
cd "$(dirname "$0")/.."
# WeasyPrint (the digest's PDF): pango and its shaping libraries, and fonts with German letters.
PDF_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    [ -x /usr/bin/chromium ] || echo "note: /usr/bin/chromium is missing (apt-get install chromium)" >&2
    command -v pg_ctlcluster >/dev/null || echo "note: PostgreSQL is missing (apt-get install postgresql)" >&2
    command -v npm >/dev/null || echo "note: npm is missing (apt-get install nodejs npm)" >&2
    for pkg in $PDF_PACKAGES; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" ||
        echo "note: $pkg is missing (apt-get install $PDF_PACKAGES): the digest's PDF needs it" >&2
    done
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
missing=""
for pkg in $PDF_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
bash scripts/test-backends.sh
