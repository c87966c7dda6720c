#!/usr/bin/env bash
# The whole check, in the order CI runs it (docs/style.md §7): format → lint → typecheck → build → tests.
# Tests start real redis-server / redis-sentinel processes, so those must be on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

need_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v redis-sentinel >/dev/null
}
if ! need_redis; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "redis-server not found: installing Debian packages redis-server redis-tools redis-sentinel" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools redis-sentinel) >&2 || true
  fi
  if ! need_redis; then
    echo "npm test needs redis-server, redis-cli and redis-sentinel on PATH: install the Debian packages" >&2
    echo "'redis-server', 'redis-tools' and 'redis-sentinel' (apt-get install redis-server redis-tools redis-sentinel)." >&2
    exit 1
  fi
fi

echo "== format"; npx prettier --check . --log-level warn
echo "== lint"; npx eslint . --max-warnings=0
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit && npx tsc -p web/tsconfig.json --noEmit
echo "== build"; npm run --silent build

echo "== tests"
mkdir -p .tmp
shopt -s globstar nullglob
files=(src/**/*.test.ts test/**/*.test.ts web/src/**/*.test.ts)
# Test files are separate processes; most of their time is spent waiting on real servers.
set +e
node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-3}" --test-reporter=spec \
  --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination=.tmp/test-results.tap "${files[@]}"
status=$?
set -e
# The plain closing line CI reads, from the TAP summary of the same run.
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' .tmp/test-results.tap | tail -n 1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' .tmp/test-results.tap | tail -n 1)
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
