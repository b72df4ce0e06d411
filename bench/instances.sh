#!/usr/bin/env bash
# One app instance against two on the same Postgres (issue 15, production readiness). With the booking benchmark's data
# (bench/booking.sh: a 20-room bench location and BENCH_APPOINTMENTS appointments), measured from a second process on
# loopback with the same load generator, first against one instance, then spread round-robin over two:
#   - availability for one service/location over 14 days: requests/s, server p50/p95;
#   - bookings/s for 16 concurrent clients booking distinct slots through the API, p50/p95.
# Both instances run jobs (App__RunJobs=true, as in docker-compose.yml; BENCH_RUN_JOBS=false for web only) and share
# the Data Protection keys through the database. Prints figures and what the second instance adds; asserts nothing.
# On a machine with few cores both instances compete for the same CPUs (and with Postgres), so expect little gain.
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

APPOINTMENTS="${BENCH_APPOINTMENTS:-100000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
CLIENTS="${BENCH_CLIENTS:-16}"
BOOKINGS="${BENCH_BOOKINGS:-3000}"
RUN_JOBS="${BENCH_RUN_JOBS:-true}"
PG_PORT="${BENCH_PG_PORT:-55436}" APP1_PORT="${BENCH_APP_PORT:-5093}"
APP2_PORT="$((APP1_PORT + 1))"
BENCH="$CX_ROOT/bench/CustomerExperience.Bench/bin/Release/net10.0/CustomerExperience.Bench.dll"
SERVICE=00000000-0000-7000-8000-00000000b002 LOCATION=00000000-0000-7000-8000-00000000b001

cx_install_base
cx_apt_install curl
# Two instances may each open Npgsql's default 100 pooled connections.
cx_start_postgres bench-instances "$PG_PORT" max_connections=300
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS cx_bench_instances" -c "CREATE DATABASE cx_bench_instances"
# BENCH_NO_BUILD=1 reuses the Release builds already there (a build takes minutes on a busy 2-core machine).
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  cx_build Release
  (cd "$CX_ROOT" && dotnet build bench/CustomerExperience.Bench -c Release --disable-build-servers -nologo -v:q -clp:ErrorsOnly) >/dev/null
fi
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cx_bench_instances"

# start_instance PORT: the app on the shared database, returning once /healthz/ready answers 200.
start_instance() {
  local port="$1" pid
  ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false \
  App__PublicBaseUrl="http://127.0.0.1:$APP1_PORT" App__RunJobs="$RUN_JOBS" App__SeedDemoData=false \
  RateLimits__PublicWritePerMinute=100000000 RateLimits__PublicReadPerMinute=100000000 Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$port" --contentRoot "$CX_ROOT/src/CustomerExperience.Web" \
    >"$CX_STATE/bench-instance-$port.log" 2>&1 &
  pid=$!
  INSTANCE_PID=$pid
  cx_on_exit "kill $pid 2>/dev/null"
  local deadline=$((SECONDS + 120))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz/ready" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || cx_die "instance on $port exited (see $CX_STATE/bench-instance-$port.log)"
    [ "$SECONDS" -lt "$deadline" ] || cx_die "instance on $port not ready after 120 s (see $CX_STATE/bench-instance-$port.log)"
    sleep 0.25
  done
}

FROM="$(date -u -d '+1 day' +%F)"
PATH_QUERY="/api/v1/availability?serviceId=$SERVICE&locationId=$LOCATION&from=$FROM&days=14"
measure() { # label base-urls...: availability and bookings over the given instances
  local label="$1"; shift
  local urls="" bases="" base
  for base in "$@"; do urls="$urls${urls:+,}$base$PATH_QUERY"; bases="$bases${bases:+,}$base"; done
  cx_log "$label: availability, $CONCURRENCY concurrent for ${SECONDS_PER_RUN}s"
  dotnet "$BENCH" load "$urls" "$CONCURRENCY" "$SECONDS_PER_RUN" >"$CX_STATE/bench-instances-$label-avail.json" \
    || cx_log "$label: some availability requests failed (counted as errors below)"
  cx_log "$label: bookings, $CLIENTS clients, $BOOKINGS distinct slots"
  dotnet "$BENCH" book "$bases" "$SERVICE" "$LOCATION" "$CLIENTS" "$BOOKINGS" >"$CX_STATE/bench-instances-$label-book.json" \
    || cx_log "$label: some bookings failed (counted below)"
}

# Seed with no app running (its jobs' statements and the seed's inserts wait on each other): one start migrates.
cx_log "migrating (one start of the app), then seeding $APPOINTMENTS appointments"
start_instance "$APP1_PORT"
kill "$INSTANCE_PID"; wait "$INSTANCE_PID" 2>/dev/null || true
dotnet "$BENCH" seed-bookings "$CONN" "$APPOINTMENTS" >/dev/null
cx_log "instance 1 on :$APP1_PORT"
start_instance "$APP1_PORT"
SLOTS="$(curl -s "http://127.0.0.1:$APP1_PORT$PATH_QUERY" | grep -o '"start"' | wc -l)"
measure one "http://127.0.0.1:$APP1_PORT"

cx_log "instance 2 on :$APP2_PORT (same database)"
start_instance "$APP2_PORT"
measure two "http://127.0.0.1:$APP1_PORT" "http://127.0.0.1:$APP2_PORT"

num() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" "$CX_STATE/bench-instances-$1.json"; }
gain() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%+.0f%% (two instances give %.2fx one)", 100 * (b - a) / a, b / a; else print "n/a" }'; }
JOB_SERVERS="$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d cx_bench_instances -Atc "SELECT count(*) FROM hangfire.server" 2>/dev/null || echo '?')"
KEYS="$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d cx_bench_instances -Atc "SELECT count(*) FROM cx.data_protection_keys" 2>/dev/null || echo '?')"
CONNECTIONS="$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc \
  "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cx_bench_instances'" 2>/dev/null || echo '?')"

row() { # label
  printf '    %-14s %8s requests/s (server p50 %s ms, p95 %s ms; client p95 %s ms; %s errors)\n' "$1 instance$([ "$1" = one ] || echo s)" \
    "$(num "$1-avail" requestsPerSecond)" "$(num "$1-avail" serverP50Ms)" "$(num "$1-avail" serverP95Ms)" "$(num "$1-avail" clientP95Ms)" "$(num "$1-avail" errors)"
}
brow() {
  printf '    %-14s %8s bookings/s (p50 %s ms, p95 %s ms; %s created, %s conflicts, %s failed)\n' "$1 instance$([ "$1" = one ] || echo s)" \
    "$(num "$1-book" bookingsPerSecond)" "$(num "$1-book" p50Ms)" "$(num "$1-book" p95Ms)" "$(num "$1-book" created)" "$(num "$1-book" conflicts)" "$(num "$1-book" failed)"
}
cat <<REPORT

instances benchmark  ($(nproc) cores shared by Postgres, the instances and the load generator; $APPOINTMENTS appointments; $(date -u +%FT%TZ))
  two instances on :$APP1_PORT and :$APP2_PORT, one database, App__RunJobs=$RUN_JOBS on both ($JOB_SERVERS Hangfire servers registered,
  $KEYS shared Data Protection key(s), $CONNECTIONS connections to the database at the end); load round-robin over both
  availability, 14 days, $SLOTS slots/response, $CONCURRENCY concurrent:
$(row one)
$(row two)
    second instance adds $(gain "$(num one-avail requestsPerSecond)" "$(num two-avail requestsPerSecond)")
  bookings, $CLIENTS concurrent clients, distinct slots:
$(brow one)
$(brow two)
    second instance adds $(gain "$(num one-book bookingsPerSecond)" "$(num two-book bookingsPerSecond)")
REPORT
