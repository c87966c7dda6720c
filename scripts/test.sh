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
# Every test server logs into .tmp/test-logs/ and every secret a test uses is recorded there
# (test/support/test-logs.ts, secrets.ts): start empty, so the check after the suite reads this run only.
rm -rf .tmp/test-logs .tmp/test-results.tap .tmp/test-results-after.tap
mkdir -p .tmp/test-logs
shopt -s globstar nullglob
files=()
for file in src/**/*.test.ts test/**/*.test.ts web/src/**/*.test.ts; do
  # test/after-suite/ reads what the whole suite left behind: it runs after it, below.
  [[ "$file" == test/after-suite/* ]] || files+=("$file")
done
# Test files are separate processes; most of their time is spent waiting on real servers.
set +e
node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-3}" --test-reporter=spec \
  --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination=.tmp/test-results.tap "${files[@]}"
status=$?
echo "== after the suite: the logs of every test server hold no secret"
node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=.tmp/test-results-after.tap test/after-suite/*.test.ts
after_status=$?
set -e
# The plain closing line CI reads: both runs added up, from their TAP summaries.
count() {
  local n
  n=$(sed -n "s/^# $1 \([0-9]*\)\$/\1/p" "$2" 2>/dev/null | tail -n 1)
  echo "${n:-0}"
}
passed=$(( $(count pass .tmp/test-results.tap) + $(count pass .tmp/test-results-after.tap) ))
failed=$(( $(count fail .tmp/test-results.tap) + $(count fail .tmp/test-results-after.tap) ))
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$after_status"
