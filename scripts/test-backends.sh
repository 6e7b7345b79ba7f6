#!/usr/bin/env bash
# The servers the conformance suite (tests/conformance) runs on: a local PostgreSQL with the role and
# database the tests use, and Java for Spark's local mode. Idempotent: installs only what is missing,
# starts the cluster if it is down, creates the role and database if they are not there.
set -euo pipefail
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ -z "$(pg_lsclusters -h)" ]; then  # installed without a cluster: make the usual one
  $sudo pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main
fi
read -r version cluster _ < <(pg_lsclusters -h | head -n 1)
$sudo pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true  # already running is fine
for _ in $(seq 1 30); do
  as_postgres psql -qAtc 'SELECT 1' >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -v ON_ERROR_STOP=1 -qAt <<'SQL'
SELECT 'CREATE ROLE salesmetrics LOGIN PASSWORD ''salesmetrics'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'salesmetrics')\gexec
SELECT 'CREATE DATABASE salesmetrics_test OWNER salesmetrics'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'salesmetrics_test')\gexec
SQL
