#!/usr/bin/env bash
# Confirmation benchmark (issue: the design's libraries). Time from a booking's commit (its 201) to its confirmation
# accepted by the SMTP server, p50 and p95 over 200 bookings made one after another, with the app's Hangfire server
# running and the recurring sweep slowed to once a minute, so what is measured is the job each commit enqueues.
# Goal: p95 < 1 s. Prints figures; asserts nothing.
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

BOOKINGS="${BENCH_BOOKINGS:-200}"
PG_PORT=55434 APP_PORT=5095 SINK_PORT=1029
BENCH="$CX_ROOT/bench/CustomerExperience.Bench/bin/Release/net10.0/CustomerExperience.Bench.dll"

cx_install_base
cx_apt_install curl
cx_start_postgres bench "$PG_PORT" max_connections=200
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS cx_confirm" -c "CREATE DATABASE cx_confirm"
cx_build Release
(cd "$CX_ROOT" && dotnet build bench/CustomerExperience.Bench -c Release --disable-build-servers -nologo -v:q -clp:ErrorsOnly) >/dev/null
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cx_confirm"

ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port="$SINK_PORT" Smtp__EnableSsl=false \
App__PublicBaseUrl="http://127.0.0.1:$APP_PORT" App__RunJobs=true App__SeedDemoData=false Jobs__OutboxSweep="0 * * * * *" \
RateLimits__PublicWritePerMinute=100000000 RateLimits__PublicReadPerMinute=100000000 Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Development \
  dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$APP_PORT" --contentRoot "$CX_ROOT/src/CustomerExperience.Web" \
  >"$CX_STATE/bench-confirm-app.log" 2>&1 &
APP_PID=$!
cx_on_exit "kill $APP_PID 2>/dev/null"
cx_wait_port "$APP_PORT" 300 || cx_die "app did not start (see $CX_STATE/bench-confirm-app.log)"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$APP_PORT/healthz" >/dev/null && break; sleep 0.2; done
dotnet "$BENCH" seed-bookings "$CONN" 1000 >/dev/null
SERVICE=00000000-0000-7000-8000-00000000b002 LOCATION=00000000-0000-7000-8000-00000000b001

cx_log "booking $BOOKINGS visits one after another; timing each confirmation to the SMTP sink"
RESULT="$(dotnet "$BENCH" confirm "http://127.0.0.1:$APP_PORT" "$SERVICE" "$LOCATION" "$SINK_PORT" "$BOOKINGS")"
num() { printf '%s' "$RESULT" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

cat <<REPORT

confirmation benchmark  ($(nproc) cores, $(date -u +%FT%TZ))
  booking committed -> confirmation accepted by SMTP, $(num delivered) of $(num bookings) bookings:
    p50 $(num p50Ms) ms, p95 $(num p95Ms) ms (goal < 1000 ms), max $(num maxMs) ms
REPORT
