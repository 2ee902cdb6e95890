#!/usr/bin/env bash
# Builds and runs every test project, then prints one line: "N passed, N failed".
# Installs and starts what the tests need (a local PostgreSQL when available) and stops it afterwards.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

cleanup() { [ -x "$root/.ci/postgres" ] && "$root/.ci/postgres" stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ -x "$root/.ci/postgres" ]; then
  if pg_url="$("$root/.ci/postgres" start)"; then
    export SLEEPTIME_TEST_POSTGRES="$pg_url"
  else
    echo "warning: PostgreSQL could not be started; PostgreSQL tests will be skipped" >&2
  fi
fi

dotnet test SleepTime.slnx -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "error: dotnet test exited with $status (build failure?)" >&2; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
