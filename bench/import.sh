#!/usr/bin/env bash
# CSV import benchmark (issue 14). Generates a customer file (full name, preferred name, email, phone, date of birth,
# last visits of two services), uploads it through /staff/admin/import as the demo admin and imports it with the real
# Hangfire job, at BENCH_SIZES rows (default 10,000 then 100,000), each with a freshly started app: rows/s from
# "Import all rows" to Completed, and the app's peak memory (RSS), which should not grow with the file (streamed).
# Each file is imported twice: all new customers, then all matched and unchanged (the re-import).
# Goal: >= 5,000 rows/s on 2 cores. Prints figures; asserts nothing.
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

SIZES="${BENCH_SIZES:-10000 100000}"
PG_PORT=55438 APP_PORT=5096
DB=cx_import
WORK="$CX_STATE/bench-import"
LOG="$CX_STATE/bench-import-app.log"
mkdir -p "$WORK"

cx_install_base
cx_start_postgres bench-import "$PG_PORT" max_connections=200
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
cx_build Release
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB"
sql() { psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -c "$1"; }

# Nothing is mailed here; SMTP only has to be configured. Development: curl signs in over plain http, and Production's
# cookies are Secure (https only).
app() {
  ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false \
  App__PublicBaseUrl="http://127.0.0.1:$APP_PORT" App__RunJobs="$2" App__SeedDemoData="$1" Logging__LogLevel__Default=Warning \
  ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$APP_PORT" \
    --contentRoot "$CX_ROOT/src/CustomerExperience.Web" >>"$LOG" 2>&1 &
  echo $!
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null || true; }

# First start: migrate and seed the demo clinic (its admin, locations and services), then stop.
: >"$LOG"
PID="$(app true false)"
cx_wait_port "$APP_PORT" 900 || cx_die "app did not start (see $LOG)"
stop "$PID"
LOCATION="$(sql "SELECT id FROM cx.locations ORDER BY name LIMIT 1")"
mapfile -t SERVICES < <(sql "SELECT id FROM cx.services WHERE is_active ORDER BY name LIMIT 2")
NAMES="$(sql "SELECT string_agg('Last visit ' || name, ',' ORDER BY name) FROM (SELECT name FROM cx.services WHERE is_active ORDER BY name LIMIT 2) s")"

BASE="http://127.0.0.1:$APP_PORT"
JAR="$WORK/cookies"
token() { curl -fsS -b "$JAR" -c "$JAR" "$BASE$1" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }

RESULTS=()
for ROWS in $SIZES; do
  FILE="$WORK/customers-$ROWS.csv"
  # Unique people per size (so each run creates every customer); every 1,000th row has a bad email.
  awk -v n="$ROWS" -v names="$NAMES" -v tag="$ROWS" 'BEGIN {
    srand(42); printf "Full name,Preferred name,Email,Phone,Date of birth,%s\r\n", names
    for (i = 1; i <= n; i++) {
      email = (i % 1000 == 0) ? "not-an-email" : sprintf("customer%d.%s@import.example", i, tag)
      printf "\"Müller-%d, Zoë\",Zoë,%s,+1 212 555 %04d,%04d-%02d-%02d,%04d-%02d-%02d,%s\r\n", i, email, i % 10000,
        1940 + i % 60, 1 + i % 12, 1 + i % 28, 2024 + i % 2, 1 + i % 12, 1 + i % 28, (i % 3 == 0) ? "" : "2025-06-15"
    }
  }' >"$FILE"
  SIZE_MB="$(awk -v b="$(stat -c %s "$FILE")" 'BEGIN { printf "%.1f", b / 1048576 }')"

  PID="$(app false true)"
  cx_on_exit "kill $PID 2>/dev/null"
  cx_wait_port "$APP_PORT" 900 || cx_die "app did not start (see $LOG)"
  rm -f "$JAR"
  SIGNIN="$(curl -sS -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode "email=admin@northside.example" \
    --data-urlencode "password=Admin-Demo-2026" --data-urlencode "__RequestVerificationToken=$(token /signin)" "$BASE/signin")"
  [[ "$SIGNIN" == 302* ]] || cx_die "sign-in as the demo admin failed: $SIGNIN"
  # The file twice: first every row is a new customer, then every row matches one and changes nothing.
  for PASS in new again; do
    LOCATION_URL="$(curl -sS -b "$JAR" -c "$JAR" -o "$WORK/upload.html" -w '%{redirect_url}' -F "__RequestVerificationToken=$(token /staff/admin/import)" \
      -F "file=@$FILE;type=text/csv" "$BASE/staff/admin/import?handler=Upload")"
    [[ "${LOCATION_URL,,}" == */staff/admin/import/* ]] || cx_die "upload refused: '$LOCATION_URL' (page in $WORK/upload.html, log $LOG)"
    ID="${LOCATION_URL##*/}"
    FORM="FullName=0&PreferredName=1&Email=2&Phone=3&DateOfBirth=4&DateFormat=yyyy-MM-dd&LocationId=$LOCATION&service-${SERVICES[0]}=5&service-${SERVICES[1]}=6"
    TOKEN="$(token "/staff/admin/import/$ID")"
    START=$(date +%s.%N)
    curl -fsS -b "$JAR" -c "$JAR" -o /dev/null -d "$FORM&__RequestVerificationToken=$TOKEN" "$BASE/staff/admin/import/$ID?handler=Start"
    PEAK=0
    while :; do
      RSS=$(awk '/VmRSS/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo 0)
      [ "${RSS:-0}" -gt "$PEAK" ] && PEAK=$RSS
      PROGRESS="$(curl -fsS -b "$JAR" "$BASE/staff/admin/import/$ID?handler=Progress")"
      case "$PROGRESS" in *'"status":"Completed"'*|*'"status":"Failed"'*) break ;; esac
      kill -0 "$PID" 2>/dev/null || cx_die "the app died (see $LOG)"
      sleep 0.2
    done
    END=$(date +%s.%N)
    RESULTS+=("$ROWS $PASS $SIZE_MB $START $END $PEAK $PROGRESS")
  done
  stop "$PID"
done

printf '\nCSV import benchmark  (%d cores; load average %s)\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
for r in "${RESULTS[@]}"; do
  read -r ROWS PASS SIZE_MB START END PEAK PROGRESS <<<"$r"
  awk -v n="$ROWS" -v pass="$PASS" -v mb="$SIZE_MB" -v s="$START" -v e="$END" -v peak="$PEAK" -v p="$PROGRESS" 'BEGIN {
    t = e - s; printf "  %7d rows (%s MB, %-5s): %.1f s, %.0f rows/s (goal >= 5,000), app peak RSS %.0f MB\n", n, mb, pass, t, n / t, peak / 1024
    printf "                         %s\n", p
  }'
done
