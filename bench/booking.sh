#!/usr/bin/env bash
# Booking benchmark (issue: online booking). With 100,000 appointments in the database:
#   - availability for one service/location over 14 days: server p50/p95 and requests/s, loaded from a
#     second process on loopback, beside a minimal Kestrel endpoint's requests/s (the HTTP ceiling);
#   - bookings/s for 16 concurrent clients booking distinct slots through the API, beside pgbench running
#     the same appointment INSERT (the database ceiling).
# Goals: availability p95 < 25 ms; booking rate >= 30% of the pgbench figure. Prints figures; asserts nothing.
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

APPOINTMENTS="${BENCH_APPOINTMENTS:-100000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
CLIENTS=16
BOOKINGS="${BENCH_BOOKINGS:-3000}"
PG_PORT=55434 APP_PORT=5091 CEILING_PORT=5092
BENCH="$CX_ROOT/bench/CustomerExperience.Bench/bin/Release/net10.0/CustomerExperience.Bench.dll"

cx_install_base
cx_apt_install curl
cx_start_postgres bench "$PG_PORT" max_connections=200
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS cx_bench" -c "CREATE DATABASE cx_bench"
cx_build Release
(cd "$CX_ROOT" && dotnet build bench/CustomerExperience.Bench -c Release --disable-build-servers -nologo -v:q -clp:ErrorsOnly) >/dev/null
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cx_bench"

ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false \
App__PublicBaseUrl="http://127.0.0.1:$APP_PORT" App__RunJobs=false App__SeedDemoData=false \
RateLimits__PublicWritePerMinute=100000000 RateLimits__PublicReadPerMinute=100000000 Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Development \
  dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$APP_PORT" --contentRoot "$CX_ROOT/src/CustomerExperience.Web" \
  >"$CX_STATE/bench-app.log" 2>&1 &
APP_PID=$!
cx_on_exit "kill $APP_PID 2>/dev/null"
cx_wait_port "$APP_PORT" 300 || cx_die "app did not start (see $CX_STATE/bench-app.log)"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$APP_PORT/api/v1/services" >/dev/null && break; sleep 0.2; done

cx_log "seeding $APPOINTMENTS appointments"
dotnet "$BENCH" seed-bookings "$CONN" "$APPOINTMENTS"
SERVICE=00000000-0000-7000-8000-00000000b002 LOCATION=00000000-0000-7000-8000-00000000b001
FROM="$(date -u -d '+1 day' +%F)"
URL="http://127.0.0.1:$APP_PORT/api/v1/availability?serviceId=$SERVICE&locationId=$LOCATION&from=$FROM&days=14"
SLOTS="$(curl -s "$URL" | grep -o '"start"' | wc -l)"

cx_log "availability: $CONCURRENCY concurrent for ${SECONDS_PER_RUN}s ($SLOTS slots per response)"
AVAIL="$(dotnet "$BENCH" load "$URL" "$CONCURRENCY" "$SECONDS_PER_RUN")"
cx_log "availability: one client at a time for ${SECONDS_PER_RUN}s (latency without queueing)"
AVAIL1="$(dotnet "$BENCH" load "$URL" 1 "$SECONDS_PER_RUN")"

dotnet "$BENCH" kestrel "$CEILING_PORT" >/dev/null 2>&1 &
CEILING_PID=$!
cx_on_exit "kill $CEILING_PID 2>/dev/null"
cx_wait_port "$CEILING_PORT" 100
cx_log "ceiling: minimal Kestrel endpoint, same load"
KESTREL="$(dotnet "$BENCH" load "http://127.0.0.1:$CEILING_PORT/" "$CONCURRENCY" "$SECONDS_PER_RUN")"
kill "$CEILING_PID" 2>/dev/null || true

cx_log "bookings: $CLIENTS clients, $BOOKINGS distinct slots"
BOOK="$(dotnet "$BENCH" book "http://127.0.0.1:$APP_PORT" "$SERVICE" "$LOCATION" "$CLIENTS" "$BOOKINGS")"

cx_log "ceiling: pgbench, $CLIENTS clients, the same appointment INSERT"
cat >"$CX_STATE/bench-insert.sql" <<'SQL'
INSERT INTO cx.appointments (id, customer_id, service_id, location_id, resource_id, start, "end", blocked_until,
                             status, source, calendar_sequence, created_at)
SELECT gen_random_uuid(), '00000000-0000-7000-8000-00000000b003', '00000000-0000-7000-8000-00000000b002',
       '00000000-0000-7000-8000-00000000b001', '00000000-0000-7000-8000-0000000c0001',
       s, s + interval '15 minutes', s + interval '15 minutes', 'Booked', 'Online', 0, now()
FROM (SELECT timestamptz '2031-01-01' + nextval('cx.bench_slot') * interval '15 minutes' AS s) t;
SQL
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d cx_bench -c "CREATE SEQUENCE IF NOT EXISTS cx.bench_slot"
PGBENCH="$("$(cx_pg_bin)/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" -f "$CX_STATE/bench-insert.sql" cx_bench 2>&1)"
PGBENCH_TPS="$(printf '%s\n' "$PGBENCH" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -n 1)"

num() { printf '%s' "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
A_RPS="$(num "$AVAIL" requestsPerSecond)" A_P50="$(num "$AVAIL" serverP50Ms)" A_P95="$(num "$AVAIL" serverP95Ms)"
A_CP95="$(num "$AVAIL" clientP95Ms)" K_RPS="$(num "$KESTREL" requestsPerSecond)"
A1_P50="$(num "$AVAIL1" serverP50Ms)" A1_P95="$(num "$AVAIL1" serverP95Ms)" A1_RPS="$(num "$AVAIL1" requestsPerSecond)"
B_RATE="$(num "$BOOK" bookingsPerSecond)" B_P95="$(num "$BOOK" p95Ms)" B_CREATED="$(num "$BOOK" created)" B_CONFLICTS="$(num "$BOOK" conflicts)"

cat <<REPORT

booking benchmark  ($(nproc) cores, $APPOINTMENTS appointments, $(date -u +%FT%TZ))
  availability, 14 days, $SLOTS slots/response, $CONCURRENCY concurrent:
    server p50 ${A_P50} ms, p95 ${A_P95} ms (goal < 25 ms); client p95 ${A_CP95} ms
    ${A_RPS} requests/s  vs  minimal Kestrel ${K_RPS} requests/s  = $(ratio "$A_RPS" "$K_RPS") of the HTTP ceiling
    one client at a time: server p50 ${A1_P50} ms, p95 ${A1_P95} ms, ${A1_RPS} requests/s
  bookings, $CLIENTS concurrent clients, distinct slots:
    ${B_RATE} bookings/s (p95 ${B_P95} ms; ${B_CREATED} created, ${B_CONFLICTS} conflicts)
    vs pgbench same INSERT ${PGBENCH_TPS} tps  = $(ratio "$B_RATE" "$PGBENCH_TPS") of the database ceiling (goal >= 30%)
REPORT
