#!/usr/bin/env bash
# Booking benchmark (issues: online booking, speed). With 10,000, 100,000 and 1,000,000 appointments in the database:
#   - availability for one service/location over 14 days: server p50/p95 and requests/s from 8 clients and from one,
#     loaded from a second process on loopback, beside a minimal Kestrel endpoint's requests/s (the HTTP ceiling),
#     with the slot cache (as served) and without it (a second instance with Booking:CacheSlots=false);
#   - /book/time for one day, the public page, server p95 from 8 clients;
# then, at the largest size, bookings/s for 16 concurrent clients booking distinct slots through the API, beside
# pgbench running the same customer and visit INSERT (the database ceiling).
# Goals: availability >= 5% of the Kestrel figure with server p95 < 10 ms at 8 clients, flat in the history's size;
# /book/time p95 < 20 ms; bookings >= 30% of the pgbench figure with p95 < 50 ms. Prints figures; asserts nothing.
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

SIZES="${BENCH_SIZES:-10000 100000 1000000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
CLIENTS=16
BOOKINGS="${BENCH_BOOKINGS:-3000}"
PG_PORT=55434 APP_PORT=5091 CEILING_PORT=5092 UNCACHED_PORT=5093
BENCH="$CX_ROOT/bench/CustomerExperience.Bench/bin/Release/net10.0/CustomerExperience.Bench.dll"

cx_install_base
cx_apt_install curl
cx_start_postgres bench "$PG_PORT" max_connections=200
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS cx_bench" -c "CREATE DATABASE cx_bench"
cx_build Release
(cd "$CX_ROOT" && dotnet build bench/CustomerExperience.Bench -c Release --disable-build-servers -nologo -v:q -clp:ErrorsOnly) >/dev/null
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cx_bench"

start_app() { # PORT LOG [extra env assignments...]
  local port="$1" log="$2"; shift 2
  env ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false \
    App__PublicBaseUrl="http://127.0.0.1:$port" App__RunJobs=false App__SeedDemoData=false \
    RateLimits__PublicWritePerMinute=100000000 RateLimits__PublicReadPerMinute=100000000 Logging__LogLevel__Default=Warning \
    ASPNETCORE_ENVIRONMENT=Development "$@" \
    dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$port" \
    --contentRoot "$CX_ROOT/src/CustomerExperience.Web" >"$log" 2>&1 &
  cx_on_exit "kill $! 2>/dev/null"
  cx_wait_port "$port" 300 || cx_die "app did not start (see $log)"
  curl -sf --retry 600 --retry-delay 1 --retry-all-errors -o /dev/null "http://127.0.0.1:$port/api/v1/services" || cx_die "the app did not answer (see $log)"
}
start_app "$APP_PORT" "$CX_STATE/bench-app.log"
start_app "$UNCACHED_PORT" "$CX_STATE/bench-app-uncached.log" Booking__CacheSlots=false

dotnet "$BENCH" kestrel "$CEILING_PORT" >/dev/null 2>&1 &
CEILING_PID=$!
cx_on_exit "kill $CEILING_PID 2>/dev/null"
cx_wait_port "$CEILING_PORT" 100
cx_log "ceiling: minimal Kestrel endpoint, $CONCURRENCY clients"
KESTREL="$(dotnet "$BENCH" load "http://127.0.0.1:$CEILING_PORT/" "$CONCURRENCY" "$SECONDS_PER_RUN")"
kill "$CEILING_PID" 2>/dev/null || true


num() { printf '%s' "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "n/a" }'; }
K_RPS="$(num "$KESTREL" requestsPerSecond)"
SERVICE=00000000-0000-7000-8000-00000000b002 LOCATION=00000000-0000-7000-8000-00000000b001
FROM="$(date -u -d '+1 day' +%F)"
QUERY="serviceId=$SERVICE&locationId=$LOCATION&from=$FROM"
URL="http://127.0.0.1:$APP_PORT/api/v1/availability?$QUERY&days=14"
PAGE="http://127.0.0.1:$APP_PORT/book/time?$QUERY&date=$FROM"
ROWS=""
for size in $SIZES; do
  cx_log "seeding up to $size appointments"
  dotnet "$BENCH" seed-bookings "$CONN" "$size"
  SLOTS="$(curl -s "$URL" | grep -o '"start"' | wc -l)"
  cx_log "$size: warming up (3 s per URL: JIT and caches, not measured)"
  for warm in "$URL" "http://127.0.0.1:$UNCACHED_PORT/api/v1/availability?$QUERY&days=14" "$PAGE"; do
    dotnet "$BENCH" load "$warm" "$CONCURRENCY" 3 >/dev/null
  done
  cx_log "$size: availability, $CONCURRENCY clients and 1, ${SECONDS_PER_RUN}s each ($SLOTS slots per response)"
  AVAIL="$(dotnet "$BENCH" load "$URL" "$CONCURRENCY" "$SECONDS_PER_RUN")"
  AVAIL1="$(dotnet "$BENCH" load "$URL" 1 "$SECONDS_PER_RUN")"
  cx_log "$size: availability without the slot cache, $CONCURRENCY clients"
  UNCACHED="$(dotnet "$BENCH" load "http://127.0.0.1:$UNCACHED_PORT/api/v1/availability?$QUERY&days=14" "$CONCURRENCY" "$SECONDS_PER_RUN")"
  cx_log "$size: /book/time for a day, $CONCURRENCY clients"
  TIMEPAGE="$(dotnet "$BENCH" load "$PAGE" "$CONCURRENCY" "$SECONDS_PER_RUN")"
  ROWS="$ROWS$(printf '  %9s  %5s  %7s  %6s  %6s  %6s   %6s %6s    %7s  %6s    %6s  %6s' "$size" "$SLOTS" \
    "$(num "$AVAIL" requestsPerSecond)" "$(ratio "$(num "$AVAIL" requestsPerSecond)" "$K_RPS")" "$(num "$AVAIL" serverP50Ms)" "$(num "$AVAIL" serverP95Ms)" \
    "$(num "$AVAIL1" serverP50Ms)" "$(num "$AVAIL1" serverP95Ms)" "$(num "$UNCACHED" requestsPerSecond)" "$(num "$UNCACHED" serverP95Ms)" \
    "$(num "$TIMEPAGE" requestsPerSecond)" "$(num "$TIMEPAGE" serverP95Ms)")"$'\n'
done

cx_log "bookings: $CLIENTS clients, $BOOKINGS distinct slots"
BOOK="$(dotnet "$BENCH" book "http://127.0.0.1:$APP_PORT" "$SERVICE" "$LOCATION" "$CLIENTS" "$BOOKINGS")"

cx_log "ceiling: pgbench, $CLIENTS clients, the same customer and visit INSERT"
# A booking inserts a new customer and their visit: so does each pgbench transaction (a fresh customer per row, as the
# bench's bookings have).
cat >"$CX_STATE/bench-insert.sql" <<'SQL'
WITH c AS (
  INSERT INTO cx.customers (id, full_name, email, normalized_email, preferred_time_of_day, email_opt_out, created_at)
  SELECT id, 'Pgbench Customer', e, e, 'Any', false, now()
  FROM (SELECT gen_random_uuid() AS id) i, LATERAL (SELECT 'pgbench-' || i.id || '@bench.example' AS e) m
  RETURNING id)
INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                             status, source, calendar_sequence, created_at)
SELECT gen_random_uuid(), c.id, '00000000-0000-7000-8000-00000000b002',
       '00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-0000000c0001',
       s, s + interval '15 minutes', s + interval '15 minutes', 'Booked', 'Online', 0, now()
FROM c, (SELECT timestamptz '2031-01-01' + nextval('cx.bench_slot') * interval '15 minutes' AS s) t;
SQL
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d cx_bench -c "CREATE SEQUENCE IF NOT EXISTS cx.bench_slot"
PGBENCH="$("$(cx_pg_bin)/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" -f "$CX_STATE/bench-insert.sql" cx_bench 2>&1)"
PGBENCH_TPS="$(printf '%s\n' "$PGBENCH" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -n 1)"

B_RATE="$(num "$BOOK" bookingsPerSecond)" B_P50="$(num "$BOOK" p50Ms)" B_P95="$(num "$BOOK" p95Ms)" B_CREATED="$(num "$BOOK" created)" B_CONFLICTS="$(num "$BOOK" conflicts)"

cat <<REPORT

booking benchmark  ($(nproc) cores, $(date -u +%FT%TZ))
  minimal Kestrel endpoint, $CONCURRENCY clients: ${K_RPS} requests/s (the HTTP ceiling)
  availability for 14 days, $CONCURRENCY clients unless said (server times in ms), and /book/time for a day:
     visits  slots    req/s  of ceil     p50     p95   1 client p50/p95   no cache req/s, p95   /book/time req/s, p95
$ROWS  goals: >= 5% of the ceiling, p95 < 10 ms, flat in the number of visits; /book/time p95 < 20 ms
  bookings, $CLIENTS concurrent clients, distinct slots, at the largest size:
    ${B_RATE} bookings/s (p50 ${B_P50} ms, p95 ${B_P95} ms; ${B_CREATED} created, ${B_CONFLICTS} conflicts)
    vs pgbench, the same customer and visit INSERT: ${PGBENCH_TPS} tps = $(ratio "$B_RATE" "$PGBENCH_TPS") of the database ceiling
  goals: >= 30% of the pgbench figure, p95 < 50 ms
REPORT
