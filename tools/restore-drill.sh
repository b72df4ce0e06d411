#!/usr/bin/env bash
# Backup-and-restore drill: pg_dump -Fc the app database, pg_restore it into a fresh database, and prove the copy is
# whole: every table's row count (all the app's schemas: cx, hangfire, ...) equal to the database as it was dumped,
# the same EF migrations history, the same sequences, indexes, constraints and triggers, and the app started on the
# copy answering /healthz/ready. Prints each step with its time and size; exits non-zero on any mismatch.
#
# The counts of the source are taken inside the very snapshot pg_dump reads (pg_export_snapshot), so the drill is exact
# on a live database with the app running and jobs writing.
#
#   tools/restore-drill.sh [--host H] [--port P] [--user U] [--db NAME] [--target NAME] [--app-port N] [--keep]
#
# Defaults: the run.sh database (127.0.0.1:55432, postgres, customer_experience); target <db>_drill; app port 5098.
# Environment: PGPASSWORD as for any libpq tool; CX_DRILL_DUMP_DIR (default .run/) for the dump file.
# The app started on the copy sends no email (SMTP points at a closed port) and seeds nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HOST=127.0.0.1 PORT="${CX_PG_PORT:-55432}" USER_NAME=postgres DB=customer_experience TARGET="" APP_PORT=5098 KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --user) USER_NAME="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --target) TARGET="$2"; shift 2 ;;
    --app-port) APP_PORT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) cx_die "unknown argument $1 (see the top of $0)" ;;
  esac
done
TARGET="${TARGET:-${DB}_drill}"
[ "$TARGET" != "$DB" ] || cx_die "--target must differ from --db"
DUMP="${CX_DRILL_DUMP_DIR:-$CX_STATE}/restore-drill-$DB.dump"
APP_DLL="$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll"

command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && command -v psql >/dev/null || cx_apt_install postgresql-client
command -v curl >/dev/null || cx_apt_install curl
# The newest client tools on the machine (a pg_dump older than the server refuses to dump it).
PG_BIN="$(cx_pg_bin || true)"; PG_BIN="${PG_BIN:-$(dirname "$(command -v pg_dump)")}"
PGARGS=(-h "$HOST" -p "$PORT" -U "$USER_NAME")
sql() { local db="$1"; shift; PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" "${PGARGS[@]}" -d "$db" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
human() { numfmt --to=iec-i --suffix=B "$1" 2>/dev/null || echo "$1 bytes"; }

# Every user table and its exact row count, one "schema.table<TAB>count" a line, sorted.
COUNTS_SQL="SELECT n.nspname || '.' || c.relname || E'\t' ||
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    AND n.nspname NOT LIKE 'pg_temp%' AND NOT c.relispartition
  ORDER BY 1;"
# The schema's shape: schemas, extensions, indexes, constraints, triggers, functions (names and definitions' hashes).
SHAPE_SQL="SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
  UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
  UNION ALL SELECT 'index ' || schemaname || '.' || indexname || ' ' || md5(indexdef) FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'constraint ' || n.nspname || '.' || conname || ' ' || md5(pg_get_constraintdef(c.oid)) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'trigger ' || tgrelid::regclass || '.' || tgname FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'function ' || p.oid::regprocedure || ' ' || md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  ORDER BY 1;"
# Sequences are not transactional (the snapshot does not hold them still), so rather than equal values the copy's
# must not be behind its data: each owned sequence's last value at least the largest id in its column.
SEQUENCES_SQL="SELECT schemaname || '.' || sequencename FROM pg_sequences ORDER BY 1;"
SEQUENCES_BEHIND_SQL="SELECT seq.oid::regclass || ' last_value ' || coalesce(ps.last_value::text, 'unused') || ' < max(' || tbl.oid::regclass || '.' || a.attname || ') ' || m.top
  FROM pg_class seq
  JOIN pg_depend d ON d.objid = seq.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class tbl ON tbl.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = tbl.oid AND a.attnum = d.refobjsubid
  JOIN pg_sequences ps ON ps.schemaname = seq.relnamespace::regnamespace::text AND ps.sequencename = seq.relname
  CROSS JOIN LATERAL (SELECT (xpath('/row/m/text()', query_to_xml(format('SELECT max(%I)::bigint AS m FROM %s', a.attname, tbl.oid::regclass), false, true, '')))[1]::text::bigint AS top) m
  WHERE seq.relkind = 'S' AND m.top IS NOT NULL AND coalesce(ps.last_value, 0) < m.top
  ORDER BY 1;"

cx_log "restore drill: $DB on $HOST:$PORT -> $TARGET (client tools $("$PG_BIN/pg_dump" --version | awk '{print $NF}'), server $(sql postgres -c 'SHOW server_version' | awk '{print $1}'))"
sql postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || cx_die "database $DB does not exist on $HOST:$PORT"

# Find the EF history table (DatabaseSetup puts it at cx.__ef_migrations_history; look rather than assume).
HISTORY="$(sql "$DB" -c "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
  WHERE table_name ILIKE '%ef%migrations%history%' ORDER BY 1 LIMIT 1")"
[ -n "$HISTORY" ] || cx_die "no EF migrations history table in $DB (has the app ever started on it?)"
HISTORY_SQL="SELECT migration_id || ' ' || product_version FROM $HISTORY ORDER BY migration_id;"

WORK="$(mktemp -d)"; chmod 755 "$WORK"
cx_on_exit "rm -rf '$WORK'"
mkdir -p "$(dirname "$DUMP")"

# ---------------------------------------------------------------- 1. dump, from one exported snapshot
# A session holds a repeatable-read transaction open; pg_dump reads its snapshot, and the counts below are taken in it.
coproc SNAP { "$PG_BIN/psql" "${PGARGS[@]}" -d "$DB" -X -q -At -v ON_ERROR_STOP=1 2>&1; }
SNAP_PROCESS=$SNAP_PID # bash unsets SNAP_PID as soon as the coprocess exits
snap() { # run SQL in the snapshot session, print its output
  printf '%s\n\\echo __drill_end__\n' "$1" >&"${SNAP[1]}"
  local line
  while IFS= read -r -u "${SNAP[0]}" line; do
    [ "$line" = "__drill_end__" ] && return 0
    printf '%s\n' "$line"
  done
  cx_die "the snapshot session ended unexpectedly"
}
# (Into files, not $(...): a coprocess's descriptors are not for subshells.)
snap "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" >"$WORK/snapshot"
SNAPSHOT="$(cat "$WORK/snapshot")"
[[ "$SNAPSHOT" =~ ^[0-9A-F-]+$ ]] || cx_die "could not export a snapshot: $SNAPSHOT"

started="$(now)"
rm -f "$DUMP"
"$PG_BIN/pg_dump" "${PGARGS[@]}" -d "$DB" -Fc --snapshot="$SNAPSHOT" -f "$DUMP" || cx_die "pg_dump failed"
snap "SELECT pg_database_size(current_database());" >"$WORK/size"
DB_SIZE="$(cat "$WORK/size")"
printf 'dump:     pg_dump -Fc of %s (%s on disk) -> %s, %s, in %s\n' "$DB" "$(human "$DB_SIZE")" "$DUMP" "$(human "$(stat -c %s "$DUMP")")" "$(secs "$started")"

started="$(now)"
snap "$COUNTS_SQL" >"$WORK/source.counts"
snap "$HISTORY_SQL" >"$WORK/source.history"
snap "$SHAPE_SQL" >"$WORK/source.shape"
snap "$SEQUENCES_SQL" >"$WORK/source.sequences"
snap "COMMIT;" >/dev/null
exec {SNAP[1]}>&-
wait "$SNAP_PROCESS" 2>/dev/null || true
printf 'counted:  %s tables, %s rows in the dumped snapshot, in %s\n' \
  "$(wc -l <"$WORK/source.counts")" "$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$WORK/source.counts")" "$(secs "$started")"

# ---------------------------------------------------------------- 2. restore into a fresh database
started="$(now)"
sql postgres -c "DROP DATABASE IF EXISTS \"$TARGET\" WITH (FORCE)"
sql postgres -c "CREATE DATABASE \"$TARGET\" TEMPLATE template0 ENCODING 'UTF8'"
[ "$KEEP" -eq 1 ] || cx_on_exit "'$PG_BIN/psql' -h '$HOST' -p '$PORT' -U '$USER_NAME' -d postgres -X -q -c 'DROP DATABASE IF EXISTS \"$TARGET\" WITH (FORCE)' >/dev/null 2>&1"
"$PG_BIN/pg_restore" "${PGARGS[@]}" -d "$TARGET" --exit-on-error --no-owner -j 2 "$DUMP" || cx_die "pg_restore into $TARGET failed"
sql "$TARGET" -c "ANALYZE" >/dev/null
printf 'restore:  pg_restore -j 2 into %s (%s on disk), in %s\n' "$TARGET" "$(human "$(sql postgres -c "SELECT pg_database_size('$TARGET')")")" "$(secs "$started")"

# ---------------------------------------------------------------- 3. verify
started="$(now)"
sql "$TARGET" -c "$COUNTS_SQL" >"$WORK/restored.counts"
sql "$TARGET" -c "$HISTORY_SQL" >"$WORK/restored.history"
sql "$TARGET" -c "$SHAPE_SQL" >"$WORK/restored.shape"
sql "$TARGET" -c "$SEQUENCES_SQL" >"$WORK/restored.sequences"
mismatches=0
compare() { # name source restored
  if diff -u --label "$DB" --label "$TARGET" "$2" "$3" >"$WORK/diff"; then return 0; fi
  printf 'MISMATCH  %s:\n' "$1"; sed -n '3,40p' "$WORK/diff" | sed 's/^/    /'
  mismatches=$((mismatches + 1))
}
compare "row counts" "$WORK/source.counts" "$WORK/restored.counts"
compare "migrations history ($HISTORY)" "$WORK/source.history" "$WORK/restored.history"
compare "indexes, constraints, triggers, functions" "$WORK/source.shape" "$WORK/restored.shape"
compare "sequences" "$WORK/source.sequences" "$WORK/restored.sequences"
sql "$TARGET" -c "$SEQUENCES_BEHIND_SQL" >"$WORK/behind"
if [ -s "$WORK/behind" ]; then
  printf 'MISMATCH  sequences behind their data (the next insert would collide):\n'; sed 's/^/    /' "$WORK/behind"
  mismatches=$((mismatches + 1))
fi
schemas="$(cut -d. -f1 "$WORK/source.counts" | sort -u | tr '\n' ' ')"
printf 'verify:   %s tables in schemas %s(rows per schema: %s); %s migrations, last %s; %s indexes, %s constraints, %s triggers, %s functions, %s sequences, %s behind its data; in %s\n' \
  "$(wc -l <"$WORK/restored.counts")" "$schemas" \
  "$(awk -F'\t' '{ split($1, p, "."); s[p[1]] += $2 } END { for (k in s) printf "%s%s %d", (n++ ? ", " : ""), k, s[k] }' "$WORK/restored.counts")" \
  "$(wc -l <"$WORK/restored.history")" "$(tail -n 1 "$WORK/restored.history" | cut -d' ' -f1)" \
  "$(grep -c '^index ' "$WORK/restored.shape")" "$(grep -c '^constraint ' "$WORK/restored.shape")" \
  "$(grep -c '^trigger ' "$WORK/restored.shape")" "$(grep -c '^function ' "$WORK/restored.shape")" \
  "$(wc -l <"$WORK/restored.sequences")" "$(wc -l <"$WORK/behind")" "$(secs "$started")"
for table in cx.appointments cx.customers cx.survey_responses cx.outbound_emails hangfire.job; do
  restored="$(awk -F'\t' -v t="$table" '$1 == t { print $2 }' "$WORK/restored.counts")"
  dumped="$(awk -F'\t' -v t="$table" '$1 == t { print $2 }' "$WORK/source.counts")"
  [ -n "$restored$dumped" ] && printf '          %-22s %s rows restored, %s dumped\n' "$table" "${restored:-none}" "${dumped:-none}"
done
[ "$(wc -l <"$WORK/source.counts")" -gt 0 ] || { echo "MISMATCH  no tables found in $DB"; mismatches=$((mismatches + 1)); }

# ---------------------------------------------------------------- 4. the app on the copy
[ -f "$APP_DLL" ] || cx_build Release
if (exec 3<>"/dev/tcp/127.0.0.1/$APP_PORT") 2>/dev/null; then cx_die "port $APP_PORT is taken; pass --app-port"; fi
started="$(now)"
APP_LOG="$CX_STATE/restore-drill-app.log"
CONN="Host=$HOST;Port=$PORT;Username=$USER_NAME;Database=$TARGET"
[ -n "${PGPASSWORD:-}" ] && CONN="$CONN;Password=$PGPASSWORD"
# Jobs on, so ready also proves the Hangfire schema came back (its server must report in); SMTP on a closed port,
# so the copy sends nobody anything (its outbox just waits).
ConnectionStrings__Default="$CONN" Smtp__Host=127.0.0.1 Smtp__Port=1 Smtp__EnableSsl=false \
App__PublicBaseUrl="http://127.0.0.1:$APP_PORT" App__RunJobs=true App__SeedDemoData=false ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$APP_DLL" --urls "http://127.0.0.1:$APP_PORT" --contentRoot "$CX_ROOT/src/CustomerExperience.Web" >"$APP_LOG" 2>&1 &
APP_PID=$!
cx_on_exit "kill $APP_PID 2>/dev/null; wait $APP_PID 2>/dev/null"
status=000 deadline=$((SECONDS + 90))
while [ "$SECONDS" -lt "$deadline" ]; do
  kill -0 "$APP_PID" 2>/dev/null || break
  status="$(curl -s -o "$WORK/ready.json" -w '%{http_code}' "http://127.0.0.1:$APP_PORT/healthz/ready" || true)"
  [ "$status" = 200 ] && break
  sleep 0.25
done
if [ "$status" = 200 ]; then
  printf 'app:      started on %s, /healthz/ready 200 after %s: %s\n' "$TARGET" "$(secs "$started")" "$(cat "$WORK/ready.json")"
else
  printf 'MISMATCH  the app on %s did not answer /healthz/ready 200 within 90 s (last: %s; log: %s)\n' "$TARGET" "$status" "$APP_LOG"
  tail -n 15 "$APP_LOG" | sed 's/^/    /'
  mismatches=$((mismatches + 1))
fi
# Starting must not have needed a migration: the copy's schema was already the app's.
sql "$TARGET" -c "$HISTORY_SQL" >"$WORK/started.history"
compare "migrations history after the app started on the copy" "$WORK/source.history" "$WORK/started.history"
services="$(curl -s -H "X-Forwarded-Proto: https" "http://127.0.0.1:$APP_PORT/api/v1/services" | grep -o '"id"' | wc -l || true)"
active="$(sql "$TARGET" -c "SELECT count(*) FROM cx.services WHERE is_active" 2>/dev/null || echo '?')"
if [ "$services" = "$active" ]; then
  printf 'app:      GET /api/v1/services lists %s services, the %s active in the copy\n' "$services" "$active"
else
  printf 'MISMATCH  GET /api/v1/services on the copy lists %s services; the copy has %s active\n' "$services" "$active"
  mismatches=$((mismatches + 1))
fi
kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null || true

if [ "$mismatches" -gt 0 ]; then
  printf 'restore drill FAILED: %s mismatch(es); dump kept at %s\n' "$mismatches" "$DUMP"
  exit 1
fi
[ "$KEEP" -eq 1 ] && printf 'kept:     database %s and %s\n' "$TARGET" "$DUMP"
printf 'restore drill passed: %s restored from %s is complete and serves\n' "$TARGET" "$(basename "$DUMP")"
