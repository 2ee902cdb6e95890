#!/usr/bin/env bash
# Builds and runs every test project, then prints one line: "N passed, N failed".
# Installs and starts what the tests need (a local PostgreSQL when available, Debian's chromium for the console) and stops PostgreSQL afterwards.
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

# The console's browser tests drive Debian's Chromium (tests/SleepTime.Console.Tests); without it they skip with the reason.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the console's browser tests..."
    if ! { apt-get update -qq >/dev/null 2>&1 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/tmp/sleeptime-chromium-install.log 2>&1; }; then
      echo "warning: chromium could not be installed (last lines of /tmp/sleeptime-chromium-install.log below); the console's browser tests will be skipped" >&2
      tail -n 5 /tmp/sleeptime-chromium-install.log >&2 || true
    fi
  else
    echo "warning: /usr/bin/chromium is missing and this run cannot install it (needs root and apt-get); the console's browser tests will be skipped" >&2
  fi
fi

log="$results/dotnet-test.log"
dotnet test SleepTime.slnx -c Release --results-directory "$results" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    81, Skipped:     0, Total:    81, ..."
passed=0; failed=0; skipped=0
while read -r f p s; do
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done < <(sed -n 's/^.*\(Passed\|Failed\)! *- *Failed: *\([0-9]*\), *Passed: *\([0-9]*\), *Skipped: *\([0-9]*\),.*$/\2 \3 \4/p' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "error: dotnet test exited with $status (a build failure or a crashed test host)" >&2; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
