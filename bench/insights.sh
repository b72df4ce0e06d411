#!/usr/bin/env bash
# Insights benchmark (issue: insights). GET /staff/insights for the last year at one location, signed in as the demo
# manager: p50 and p95 over 50 requests one after another (after warm-ups), with 1,000,000 survey responses and
# 3,000,000 visits over three years (2 locations, 40 staff), and again at 10x fewer rows. Goals: p95 < 300 ms; at
# 10x fewer rows within 2x (the cost should not grow with history). Prints figures and the slowest statements
# (pg_stat_statements); asserts nothing.
# Each scale is seeded once into a template database (keyed by the seed file and the row counts, reseeded after
# 7 days or with BENCH_RESEED=1) and cloned for each run; the app migrates the clone on start.
# BENCH_SEED_ONLY=1 only seeds the templates. BENCH_RESPONSES/BENCH_VISITS set the large scale, BENCH_REQUESTS the number of timed requests,
# BENCH_PG_PORT/BENCH_APP_PORT the ports.
set -euo pipefail
source "$(dirname "$0")/../tools/lib.sh"

RESPONSES="${BENCH_RESPONSES:-1000000}"
VISITS="${BENCH_VISITS:-3000000}"
REQUESTS="${BENCH_REQUESTS:-50}"
WARMUPS="${BENCH_WARMUPS:-5}"
PG_PORT="${BENCH_PG_PORT:-55446}" APP_PORT="${BENCH_APP_PORT:-5097}"
BENCH="$CX_ROOT/bench/CustomerExperience.Bench/bin/Release/net10.0/CustomerExperience.Bench.dll"
SEED="$CX_ROOT/bench/insights-seed.sql"
MANAGER=manager@northside.example MANAGER_PASSWORD=Manager-Demo-2026

cx_install_base
cx_apt_install curl
# Durability off: it only slows the seeding. pg_stat_statements: the statements the page runs, with their times.
cx_start_postgres bench-insights "$PG_PORT" shared_buffers=256MB maintenance_work_mem=256MB fsync=off synchronous_commit=off \
  full_page_writes=off shared_preload_libraries=pg_stat_statements
cx_build Release
(cd "$CX_ROOT" && dotnet build bench/CustomerExperience.Bench -c Release --disable-build-servers -nologo -v:q -clp:ErrorsOnly) >/dev/null
psql_db() { local db="$1"; shift; psql -qtA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"; }
conn() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$1;Command Timeout=300"; }

APP_PID=""
start_app() { # database, seed the demo clinic (true/false)
  ConnectionStrings__Default="$(conn "$1")" Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false \
  App__PublicBaseUrl="http://127.0.0.1:$APP_PORT" App__RunJobs=false App__SeedDemoData="$2" \
  RateLimits__PublicWritePerMinute=100000000 RateLimits__PublicReadPerMinute=100000000 Logging__LogLevel__Default=Warning \
  ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" --urls "http://127.0.0.1:$APP_PORT" \
    --contentRoot "$CX_ROOT/src/CustomerExperience.Web" >>"$CX_STATE/bench-insights-app.log" 2>&1 &
  APP_PID=$!
  cx_wait_port "$APP_PORT" 600 || cx_die "app did not start (see $CX_STATE/bench-insights-app.log)"
  # The port opens after the migrations and demo seeding (hosted services start first).
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$APP_PORT/healthz" >/dev/null && return 0; sleep 0.5; done
  cx_die "app did not answer /healthz (see $CX_STATE/bench-insights-app.log)"
}
stop_app() { [ -n "$APP_PID" ] && { kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; }; APP_PID=""; }
cx_on_exit 'stop_app'
: >"$CX_STATE/bench-insights-app.log"

# A template per scale: migrated, the demo clinic, then insights-seed.sql.
template() { # responses visits -> template name
  local responses="$1" visits="$2" name
  name="cx_insights_$(md5sum "$SEED" | cut -c1-8)_${responses}_${visits}"
  local seeded
  seeded="$(psql_db postgres -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$name'")"
  if [ -n "$seeded" ] && [ -z "${BENCH_RESEED:-}" ] && [ "$seeded" \> "$(date -u -d '-7 days' +%F)" ]; then
    cx_log "using template $name (seeded $seeded)"
  else
    psql_db postgres -c "DROP DATABASE IF EXISTS $name" -c "DROP DATABASE IF EXISTS cx_insights_seed" -c "CREATE DATABASE cx_insights_seed"
    cx_log "migrating and seeding the demo clinic"
    start_app cx_insights_seed true
    stop_app
    cx_log "seeding $responses responses and $visits visits"
    local started=$SECONDS
    psql_db cx_insights_seed -v responses="$responses" -v visits="$visits" -f "$SEED" >/dev/null
    # The monthly survey durations, which the seed (triggers off) leaves to be counted afresh.
    psql_db cx_insights_seed -c "SELECT cx.insight_recount_durations(NULL)" -c "VACUUM ANALYZE cx.insight_duration_months" >/dev/null
    cx_log "seeded in $((SECONDS - started)) s"
    psql_db postgres -c "ALTER DATABASE cx_insights_seed RENAME TO $name" -c "COMMENT ON DATABASE $name IS '$(date -u +%F)'"
  fi
  echo "$name"
}

# measure responses visits -> JSON line of the page timings, plus counts; prints the top statements when asked.
measure() {
  local tpl db=cx_insights
  tpl="$(template "$1" "$2")"
  psql_db postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE $tpl"
  start_app "$db" false
  # A migration added since the template was seeded may bring indexes without statistics, and tables without a visibility map (index-only scans).
  psql_db "$db" -c "VACUUM ANALYZE" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  local location url
  location="$(psql_db "$db" -c "SELECT id FROM cx.locations ORDER BY name LIMIT 1")"
  url="/staff/insights?period=year&location=$location"
  COUNTS="$(psql_db "$db" -F ' ' -c "SELECT (SELECT count(*) FROM cx.survey_responses), (SELECT count(*) FROM cx.survey_answers),
      (SELECT count(*) FROM cx.appointments), (SELECT count(*) FROM cx.customers), (SELECT count(*) FROM cx.outbound_emails WHERE kind = 'recall'),
      (SELECT count(*) FROM cx.recovery_cases), (SELECT count(*) FROM cx.staff_users)")"
  psql_db "$db" -c "SELECT pg_stat_statements_reset()" >/dev/null
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  RESULT="$(dotnet "$BENCH" page "http://127.0.0.1:$APP_PORT" "$MANAGER" "$MANAGER_PASSWORD" "$url" "$WARMUPS" "$REQUESTS")"
  LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
  # Per page view: each statement's calls and mean time, slowest total first.
  STATEMENTS="$(psql_db "$db" -F ' | ' -c "
      SELECT round((total_exec_time / $((REQUESTS + WARMUPS)))::numeric, 1) AS ms_per_view, calls, round(mean_exec_time::numeric, 1) AS mean_ms,
             round(shared_blks_hit::numeric / calls) AS hit_per_call, round(shared_blks_read::numeric / calls) AS read_per_call,
             left(regexp_replace(query, '\s+', ' ', 'g'), 110)
      FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' AND dbid = (SELECT oid FROM pg_database WHERE datname = '$db')
      ORDER BY total_exec_time DESC LIMIT ${BENCH_STATEMENTS:-12}")"
  stop_app
}

num() { printf '%s' "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
SMALL_R=$((RESPONSES / 10)) SMALL_V=$((VISITS / 10))

# BENCH_SEED_ONLY=1: make sure both templates exist (seeding takes the better part of an hour), measure nothing.
if [ -n "${BENCH_SEED_ONLY:-}" ]; then
  template "$RESPONSES" "$VISITS" >/dev/null
  template "$SMALL_R" "$SMALL_V" >/dev/null
  cx_log "templates ready"
  exit 0
fi

measure "$RESPONSES" "$VISITS"
BIG="$RESULT" BIG_COUNTS="$COUNTS" BIG_LOAD="$LOAD_BEFORE -> $LOAD_AFTER" BIG_STATEMENTS="$STATEMENTS"
measure "$SMALL_R" "$SMALL_V"
SMALL="$RESULT" SMALL_COUNTS="$COUNTS" SMALL_LOAD="$LOAD_BEFORE -> $LOAD_AFTER" SMALL_STATEMENTS="$STATEMENTS"

line() { # label json counts load
  read -r r a v c e k s <<<"$3"
  printf '  %s: p50 %s ms, p95 %s ms (min %s, max %s; first request %s ms; page %s bytes)\n' "$1" "$(num "$2" p50Ms)" "$(num "$2" p95Ms)" \
    "$(num "$2" minMs)" "$(num "$2" maxMs)" "$(num "$2" firstMs)" "$(num "$2" bytes)"
  printf '      %s responses, %s answers, %s visits, %s customers, %s recall emails, %s cases, %s staff; load average %s\n' \
    "$r" "$a" "$v" "$c" "$e" "$k" "$s" "$4"
}
cat <<REPORT

insights benchmark  ($(nproc) cores, $(date -u +%FT%TZ)); GET /staff/insights, last year, one location, as a manager,
$REQUESTS requests one after another after $WARMUPS warm-ups
$(line "full scale" "$BIG" "$BIG_COUNTS" "$BIG_LOAD")
$(line "10x fewer rows" "$SMALL" "$SMALL_COUNTS" "$SMALL_LOAD")
  p95 full / p95 10x fewer: $(awk -v a="$(num "$BIG" p95Ms)" -v b="$(num "$SMALL" p95Ms)" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }') (goal <= 2x); full-scale p95 goal < 300 ms

  statements per page view, full scale (ms per view | calls | mean ms | buffers hit/call | read/call | statement):
$(printf '%s\n' "$BIG_STATEMENTS" | sed 's/^/    /')

  statements per page view, 10x fewer rows:
$(printf '%s\n' "$SMALL_STATEMENTS" | sed 's/^/    /')
REPORT
