#!/usr/bin/env bash
# Reminder benchmark (issue: reminder journeys). 100,000 customers, 20,000 reminders due at once: time from due
# to delivered (every outbox row Sent, i.e. accepted by maildev) with the app already running, as in a clinic,
# messages/s, and the app's peak memory, beside a minimal SMTP client pushing the same number of messages into the same maildev over one kept-open
# connection (the ceiling). Goals: >= 50% of the ceiling; app memory < 400 MB. Prints figures; asserts nothing.
# BENCH_TRACE=/path/app.nettrace also records 45 s of the app with dotnet-trace (dotnet tool install -g dotnet-trace).
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

CUSTOMERS="${BENCH_CUSTOMERS:-100000}"
DUE="${BENCH_DUE:-20000}"
LEAD="${BENCH_LEAD_SECONDS:-60}"
PG_PORT=55434 APP_PORT=5094 SMTP_PORT=1027 WEB_PORT=1082
BENCH="$CX_ROOT/bench/CustomerExperience.Bench/bin/Release/net10.0/CustomerExperience.Bench.dll"

cx_install_base
cx_start_postgres bench "$PG_PORT" max_connections=200
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS cx_remind" -c "CREATE DATABASE cx_remind"
cx_start_maildev bench "$SMTP_PORT" "$WEB_PORT"
cx_build Release
(cd "$CX_ROOT" && dotnet build bench/CustomerExperience.Bench -c Release --disable-build-servers -nologo -v:q -clp:ErrorsOnly) >/dev/null
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cx_remind"
sql() { psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d cx_remind -c "$1"; }

# First start: migrate, then stop; seed reminders that fall due LEAD seconds later, start again with jobs on, and start
# the clock at that instant (the app is up and idle by then).
app() {
  ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port="$SMTP_PORT" Smtp__EnableSsl=false Smtp__MaxParallel=32 \
  App__PublicBaseUrl="http://127.0.0.1:$APP_PORT" App__RunJobs="$1" App__SeedDemoData=false \
  Outbox__BatchSize=500 Jobs__SchedulePollingInterval=00:00:01 Jobs__Reminders="* * * * * *" Jobs__OutboxSweep="* * * * * *" Logging__LogLevel__Default=Warning \
  ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$APP_PORT" \
    --contentRoot "$CX_ROOT/src/CustomerExperience.Web" >>"$CX_STATE/bench-reminders-app.log" 2>&1 &
  echo $!
}
: >"$CX_STATE/bench-reminders-app.log"
PID="$(app false)"
cx_wait_port "$APP_PORT" 300 || cx_die "app did not start (see $CX_STATE/bench-reminders-app.log)"
kill "$PID"; wait "$PID" 2>/dev/null || true

cx_log "seeding $CUSTOMERS customers, $DUE reminders due at once in $LEAD s"
DUE_AT="$(dotnet "$BENCH" seed-reminders "$CONN" "$CUSTOMERS" "$DUE" "$LEAD")"

# CPU seconds of a process (and of its reaped children, for Postgres' ended backends) plus its live children.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ t += $14 + $15 + $16 + $17 } END { printf "%.1f", t / hz }' "/proc/$1/stat" $(pgrep -P "$1" | sed 's|.*|/proc/&/stat|') 2>/dev/null; }
POSTMASTER="$(head -1 "$CX_ROOT/.data/bench/postmaster.pid")"
MAILDEV="$(cat "$CX_STATE/maildev-bench.pid")"
PG_CPU0="$(cpu "$POSTMASTER")"; MAILDEV_CPU0="$(cpu "$MAILDEV")"
PID="$(app true)"
START="$DUE_AT"
cx_on_exit "kill $PID 2>/dev/null"
cx_wait_port "$APP_PORT" 300 || cx_die "app did not start (see $CX_STATE/bench-reminders-app.log)"
UP_BEFORE_DUE=yes; [ "$(date +%s)" -lt "$DUE_AT" ] || UP_BEFORE_DUE="no, raise BENCH_LEAD_SECONDS"
[ -n "${BENCH_TRACE:-}" ] && { ~/.dotnet/tools/dotnet-trace collect -p "$PID" --duration 00:00:45 -o "$BENCH_TRACE" >"$CX_STATE/bench-reminders-trace.log" 2>&1 & }
PEAK=0; SENT=0
while :; do
  RSS=$(awk '/VmRSS/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo 0)
  [ "${RSS:-0}" -gt "$PEAK" ] && PEAK=$RSS
  SENT=$(sql "SELECT count(*) FROM cx.outbound_emails WHERE kind = 'reminder' AND status = 'Sent'" 2>/dev/null || echo 0)
  [ "$SENT" -ge "$DUE" ] && break
  kill -0 "$PID" 2>/dev/null || cx_die "the app died (see $CX_STATE/bench-reminders-app.log)"
  sleep 0.5
done
END=$(date +%s.%N)
DUPLICATES=$(sql "SELECT count(*) - count(DISTINCT appointment_id) FROM cx.outbound_emails WHERE kind = 'reminder'")
ATTEMPTS=$(sql "SELECT max(attempts) FROM cx.outbound_emails WHERE kind = 'reminder'")
CPU="$(cpu "$PID") $(cpu "$POSTMASTER") $(cpu "$MAILDEV")"
TIMELINE=$(sql "SELECT extract(epoch FROM min(created_at)), extract(epoch FROM max(created_at)), extract(epoch FROM min(sent_at)) FROM cx.outbound_emails WHERE kind = 'reminder'")
kill "$PID"; wait "$PID" 2>/dev/null || true

cx_log "ceiling: one kept-open SMTP connection, $DUE messages"
CEILING="$(dotnet "$BENCH" smtp-push 127.0.0.1 "$SMTP_PORT" "$DUE")"
C_RATE="$(printf '%s' "$CEILING" | sed -n 's/.*"messagesPerSecond":\([0-9.]*\).*/\1/p')"

awk -v s="$START" -v e="$END" -v n="$DUE" -v c="$C_RATE" -v peak="$PEAK" -v dup="$DUPLICATES" -v att="$ATTEMPTS" -v cores="$(nproc)" -v cust="$CUSTOMERS" -v up="$UP_BEFORE_DUE" -v tl="$TIMELINE" -v cpu="$CPU $PG_CPU0 $MAILDEV_CPU0" 'BEGIN {
  t = e - s; rate = n / t
  printf "\nreminder benchmark  (%d cores, %d customers, %d reminders due at once)\n", cores, cust, n
  printf "  due -> all accepted by maildev: %.1f s (app running before due: %s), %.1f messages/s; duplicates %d, max attempts %d\n", t, up, rate, dup, att
  printf "  ceiling, one kept-open SMTP connection: %.1f messages/s  -> app = %.0f%% of it (goal >= 50%%)\n", c, 100 * rate / c
  split(tl, x, "|")
  printf "  after due: first reminder queued %.1f s, last queued %.1f s, first accepted %.1f s\n", x[1] - s, x[2] - s, x[3] - s
  split(cpu, y, " ")
  printf "  CPU seconds during the run: app %.1f, Postgres %.1f, maildev %.1f\n", y[1], y[2] - y[4], y[3] - y[5]
  printf "  app peak memory (RSS): %.0f MB (goal < 400 MB)\n", peak / 1024
}'
