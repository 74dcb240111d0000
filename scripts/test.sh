#!/usr/bin/env bash
# `make test`: quality gates, then the suite on SQLite and (when configured) PostgreSQL in parallel.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOGS=$(mktemp -d)
total_start=$(date +%s)
failed=0

stage() {
  local name=$1; shift
  local start; start=$(date +%s)
  echo "=== $name"
  if "$@"; then status=0; else status=$?; failed=1; fi
  echo "=== $name: $(( $(date +%s) - start ))s (exit $status)"
  return 0
}

stage ruff "$BIN/ruff" check .
stage bandit "$BIN/bandit" -q -r asylon -c pyproject.toml
stage mypy "$BIN/mypy" asylon
if [ "$failed" != 0 ]; then echo "Quality gates failed."; exit 1; fi

run_suite() {  # name, then environment assignments
  local name=$1; shift
  env "$@" "$BIN/pytest" -p no:cacheprovider -q > "$LOGS/$name.log" 2>&1
}

start=$(date +%s)
echo "=== pytest (SQLite$( [ -n "${ASYLON_TEST_DATABASE_URL:-}" ] && echo ' and PostgreSQL in parallel'))"
run_suite sqlite ASYLON_TEST_DATABASE_URL= ASYLON_TEST_REDIS_URL= ASYLON_DATA_DIR= &
sqlite_pid=$!
if [ -n "${ASYLON_TEST_DATABASE_URL:-}" ]; then
  run_suite postgresql ASYLON_DATA_DIR= &
  postgres_pid=$!
else
  echo "ASYLON_TEST_DATABASE_URL is not set: skipping the PostgreSQL run."
fi
wait $sqlite_pid; sqlite_status=$?
postgres_status=0
if [ -n "${postgres_pid:-}" ]; then wait "$postgres_pid"; postgres_status=$?; fi
for name in sqlite postgresql; do
  [ -f "$LOGS/$name.log" ] || continue
  echo "----- pytest on $name"
  cat "$LOGS/$name.log"
done
echo "=== pytest: $(( $(date +%s) - start ))s (SQLite exit $sqlite_status, PostgreSQL exit $postgres_status)"
echo "=== make test total: $(( $(date +%s) - total_start ))s"
[ "$sqlite_status" = 0 ] && [ "$postgres_status" = 0 ]
