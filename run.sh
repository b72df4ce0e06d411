#!/usr/bin/env bash
# Installs what is missing, starts a private Postgres and maildev, migrates, seeds a demo clinic and
# serves the app on http://127.0.0.1:${CX_PORT:-5080}. Ctrl-C stops everything it started.
set -euo pipefail
source "$(dirname "$0")/tools/lib.sh"

CX_PORT="${CX_PORT:-5080}"
PG_PORT="${CX_PG_PORT:-55432}"
SMTP_PORT="${CX_SMTP_PORT:-1025}"
MAILDEV_PORT="${CX_MAILDEV_PORT:-1080}"

cx_install_base
cx_start_postgres run "$PG_PORT"
cx_create_database "$PG_PORT" customer_experience
cx_start_maildev run "$SMTP_PORT" "$MAILDEV_PORT"
cx_build Release

# Development: plain http on 127.0.0.1, so cookies may go without the Secure flag (Production insists on it and sends
# HSTS; run it behind a TLS proxy, see README "Behind a TLS proxy").
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=customer_experience"
export Smtp__Host=127.0.0.1 Smtp__Port="$SMTP_PORT" Smtp__EnableSsl=false
export App__PublicBaseUrl="http://127.0.0.1:$CX_PORT" App__SeedDemoData=true App__RunJobs=true
# Demo kiosk: a fresh secret each start; the link printed below enrols the browser that opens it as Riverside's kiosk.
DEMO_KIOSK_CODE="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export Kiosk__DemoEnrolmentCode="$DEMO_KIOSK_CODE"

cx_log "starting the app (migrations and demo data run at start-up)"
dotnet "$CX_ROOT/src/CustomerExperience.Web/bin/Release/net10.0/CustomerExperience.Web.dll" \
  --urls "http://127.0.0.1:$CX_PORT" --contentRoot "$CX_ROOT/src/CustomerExperience.Web" &
APP_PID=$!
cx_on_exit "kill $APP_PID 2>/dev/null; wait $APP_PID 2>/dev/null"

for _ in $(seq 1 300); do
  kill -0 "$APP_PID" 2>/dev/null || cx_die "the app exited during start-up (see the log lines above)"
  (exec 3<>"/dev/tcp/127.0.0.1/$CX_PORT") 2>/dev/null && break
  sleep 0.2
done

cat <<INFO

  CustomerExperience is running.
    Clinic site      http://127.0.0.1:$CX_PORT/
    Book a visit     http://127.0.0.1:$CX_PORT/book
    JSON API         http://127.0.0.1:$CX_PORT/api/v1/services   (OpenAPI: /openapi/v1.json)
    Staff sign-in    http://127.0.0.1:$CX_PORT/signin
    Waiting room     http://127.0.0.1:$CX_PORT/waiting/riverside
    Demo kiosk       http://127.0.0.1:$CX_PORT/kiosk-setup/demo-$DEMO_KIOSK_CODE
                     (open it on a tablet or a browser window: it becomes Riverside's exit kiosk)
    Health           http://127.0.0.1:$CX_PORT/healthz
    Sent email       http://127.0.0.1:$MAILDEV_PORT/   (maildev; SMTP on 127.0.0.1:$SMTP_PORT)
    Postgres         psql -h 127.0.0.1 -p $PG_PORT -U postgres customer_experience

  Demo staff logins (password after the email):
    Admin        admin@northside.example       Admin-Demo-2026
    Manager      manager@northside.example     Manager-Demo-2026
    Front desk   frontdesk@northside.example   FrontDesk-Demo-2026
    Clinician    clinician@northside.example   Clinician-Demo-2026

  Press Ctrl-C to stop the app, maildev and Postgres.

INFO
wait "$APP_PID"
