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
cx_apt_install chromium chromium-driver fonts-liberation curl
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

# One more test: the backup-and-restore drill (tools/restore-drill.sh) on a demo clinic that the app seeds and keeps
# running (jobs writing) while it is dumped. Counted like any test.
DRILL_PORT="${CX_TEST_DRILL_PORT:-5185}"
drill_passed=0
restore_drill() {
  local db=cx_restore_drill_demo log="$CX_STATE/restore-drill.log" pid status=000 deadline=$((SECONDS + 120))
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" || return 1
  ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$db" \
  Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false App__PublicBaseUrl="http://127.0.0.1:$DRILL_PORT" \
  App__SeedDemoData=true App__RunJobs=true ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" \
    --urls "http://127.0.0.1:$DRILL_PORT" --contentRoot "$CX_ROOT/src/CustomerExperience.Web" >"$CX_STATE/restore-drill-seed.log" 2>&1 &
  pid=$!
  while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
    status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$DRILL_PORT/healthz/ready" || true)"
    [ "$status" = 200 ] && break
    sleep 0.25
  done
  if [ "$status" = 200 ]; then
    "$CX_ROOT/tools/restore-drill.sh" --port "$PG_PORT" --db "$db" --app-port "$((DRILL_PORT + 1))" >"$log" 2>&1
    status=$?
  else
    echo "the app seeding the demo clinic did not get ready (log: $CX_STATE/restore-drill-seed.log)" >"$log"
    status=1
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  cat "$log"
  return "$status"
}
cx_log "restore drill (tools/restore-drill.sh) on a seeded demo clinic"
drill_started=$SECONDS
if restore_drill; then drill_passed=1; fi
cx_log "restore drill $([ "$drill_passed" -eq 1 ] && echo passed || echo FAILED) in $((SECONDS - drill_started)) s"

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
passed=$((passed + drill_passed)); failed=$((failed + 1 - drill_passed))
# No seeded personal data in any log line: one test, passed or failed.
if [ "$scan" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# CI shows only the end of the output: name each failed test and the start of its message just above the summary.
if [ "$failed" -gt 0 ]; then
  [ "$drill_passed" -eq 1 ] || { echo "FAILED restore drill (tools/restore-drill.sh)"; { grep -E "^(MISMATCH|error|restore drill)" "$CX_STATE/restore-drill.log" 2>/dev/null || true; } | head -n 12 | sed "s/^/    /"; }
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
