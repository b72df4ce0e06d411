#!/usr/bin/env bash
# Everything run.sh needs plus Chromium, then every test against a private Postgres and maildev.
# Last line: "tests: N passed, M failed" (", K skipped" when any were skipped). Non-zero exit on failure.
set -uo pipefail
source "$(dirname "$0")/tools/lib.sh"
set -e

PG_PORT="${CX_TEST_PG_PORT:-55433}"
SMTP_PORT="${CX_TEST_SMTP_PORT:-1026}"
MAILDEV_PORT="${CX_TEST_MAILDEV_PORT:-1081}"
RESULTS="$CX_STATE/test-results"

cx_install_base
cx_apt_install chromium chromium-driver fonts-liberation
# Tests make and drop many databases; durability buys nothing here.
cx_start_postgres test "$PG_PORT" fsync=off synchronous_commit=off full_page_writes=off max_connections=800
cx_start_maildev test "$SMTP_PORT" "$MAILDEV_PORT"
cx_build Release

export CX_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export CX_TEST_SMTP_HOST=127.0.0.1 CX_TEST_SMTP_PORT="$SMTP_PORT"
export CX_TEST_MAILDEV_URL="http://127.0.0.1:$MAILDEV_PORT"
export CX_CHROMIUM=/usr/bin/chromium CX_TOOLS_DIR="$CX_ROOT/tools"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# Every test host also logs at Debug to this file; the scan below counts as one more test.
export CX_TEST_LOG_FILE="$RESULTS/app-debug.log"
: > "$CX_TEST_LOG_FILE"
set +e
started=$SECONDS
(cd "$CX_ROOT" && dotnet test CustomerExperience.sln -c Release --no-build -nologo \
  --results-directory "$RESULTS" --logger trx --logger "console;verbosity=normal" "$@")
status=$?
cx_log "dotnet test took $((SECONDS - started)) s"
scan_report="$(node "$CX_ROOT/tools/log-scan.mjs" "$CX_TEST_LOG_FILE" 2>&1)"
scan=$?
set -e

passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p="$(get passed)"; f="$(get failed)"; e="$(get error)"; t="$(get timeout)"; x="$(get total)"; ex="$(get executed)"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
  skipped=$((skipped + ${x:-0} - ${ex:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; cx_log "dotnet test failed before reporting results"; fi
if [ $((passed + failed)) -eq 0 ]; then failed=1; cx_log "no tests ran"; fi
# No seeded personal data in any log line: one test, passed or failed.
if [ "$scan" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# CI shows only the end of the output: name each failed test and the start of its message just above the summary.
if [ "$failed" -gt 0 ]; then
  for trx in "$RESULTS"/*.trx; do
    [ -f "$trx" ] || continue
    awk '/<UnitTestResult [^>]*outcome="Failed"/ { match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11); lines = 0; want = 1 }
         want && /<Message>/ { show = 1 }
         show { end = /<\/Message>/; sub(/^ *<Message>/, ""); sub(/<\/Message>.*/, ""); if (lines++ < 12) print "    " $0; if (end) show = want = 0 }' "$trx"
  done
fi
[ "$scan" -eq 0 ] || echo "FAILED log scan of $CX_TEST_LOG_FILE"
printf '%s\n' "$scan_report"
summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
cx_cleanup
echo "$summary"
[ "$failed" -eq 0 ]
