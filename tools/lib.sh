# Shared by run.sh and test.sh: install what is missing, start a private Postgres and maildev,
# and stop what we started when the calling script exits. Source it; do not run it.
# shellcheck shell=bash

CX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CX_STATE="$CX_ROOT/.run"          # logs, pid files, test results (git-ignored)
mkdir -p "$CX_STATE"

cx_log() { printf '==> %s\n' "$*" >&2; }
cx_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then CX_SUDO=(); else CX_SUDO=(sudo); fi

# ---------------------------------------------------------------- packages
CX_APT_UPDATED=0
cx_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || cx_die "missing packages (${missing[*]}) and no apt-get to install them"
  cx_log "installing ${missing[*]}"
  if [ "$CX_APT_UPDATED" -eq 0 ]; then
    "${CX_SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    CX_APT_UPDATED=1
  fi
  "${CX_SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

cx_pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Everything both scripts need: .NET (checked, not installed), Node.js, Postgres, the npm tools.
cx_install_base() {
  command -v dotnet >/dev/null || cx_die "the .NET 10 SDK is required (https://dot.net); dotnet is not on PATH"
  command -v node >/dev/null && command -v npm >/dev/null || cx_apt_install nodejs npm
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || cx_die "Node.js 20+ is required for maildev and ical.js (found $(node --version))"
  [ -n "$(cx_pg_bin)" ] || cx_apt_install postgresql
  [ -n "$(cx_pg_bin)" ] || cx_die "PostgreSQL server binaries not found under /usr/lib/postgresql after installing"
  command -v psql >/dev/null || cx_apt_install postgresql-client
  cx_apt_install ca-certificates tzdata
  cx_npm_tools
}

cx_npm_tools() {
  local stamp="$CX_ROOT/tools/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$CX_ROOT/tools/package-lock.json" -nt "$stamp" ]; then
    cx_log "npm ci in tools/ (maildev, ical.js)"
    (cd "$CX_ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || cx_die "npm ci failed in tools/"
  fi
}

# ---------------------------------------------------------------- cleanup
CX_CLEANUP=()
cx_on_exit() { CX_CLEANUP+=("$1"); }
cx_cleanup() {
  local i
  for ((i = ${#CX_CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CX_CLEANUP[$i]}" || true; done
  CX_CLEANUP=()
}
trap cx_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- postgres
# Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user
# (created by the Debian package, or by us); as a normal user it is simply ours.
cx_pg_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  echo postgres
}

cx_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The data directory lives in the git-ignored .data/ of the repository. When the postgres user cannot
# reach it (a checkout under /root, say), it moves to /var/tmp and .data/<name> becomes a link to it.
cx_pg_datadir() {
  local name="$1" dir="$CX_ROOT/.data/$name" user
  user="$(cx_pg_user)"
  mkdir -p "$CX_ROOT/.data"
  if [ -L "$dir" ]; then readlink "$dir"; return; fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$user" "$dir"
    if ! cx_as_pg test -w "$dir" 2>/dev/null; then
      rmdir "$dir"
      local alt
      alt="/var/tmp/customer-experience-$(printf '%s' "$CX_ROOT" | md5sum | cut -c1-8)/$name"
      mkdir -p "$alt" && chown "$user" "$alt" && chmod 700 "$alt"
      ln -s "$alt" "$dir"
      dir="$alt"
    fi
  fi
  echo "$dir"
}

# cx_start_postgres NAME PORT [extra postgres -c settings...]
cx_start_postgres() {
  local name="$1" port="$2"; shift 2
  local bin data log opts=""
  bin="$(cx_pg_bin)"
  data="$(cx_pg_datadir "$name")"
  log="$data/server.log"

  if [ ! -f "$data/PG_VERSION" ]; then
    cx_log "creating Postgres cluster in $data"
    cx_as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || cx_as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null \
      || cx_die "initdb failed for $data"
  fi
  # A cluster left running by an earlier run that was killed: stop it and start clean.
  if cx_as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    cx_log "stopping a Postgres left running in $data"
    cx_as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
    cx_die "port $port is taken by another Postgres; stop it or free the port"
  fi
  local setting
  for setting in "$@"; do opts="$opts -c $setting"; done
  cx_log "starting Postgres on 127.0.0.1:$port"
  cx_as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' $opts" start >/dev/null \
    || { tail -n 20 "$log" >&2 2>/dev/null; cx_die "Postgres did not start (log: $log)"; }
  cx_on_exit "cx_as_pg '$bin/pg_ctl' -D '$data' -m fast -w stop >/dev/null 2>&1"
}

# cx_create_database PORT NAME
cx_create_database() {
  local port="$1" db="$2" bin
  bin="$(cx_pg_bin)"
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
  fi
}

# ---------------------------------------------------------------- maildev
cx_wait_port() {
  local port="$1" tries="${2:-100}"
  while [ "$tries" -gt 0 ]; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2; tries=$((tries - 1))
  done
  return 1
}

# cx_start_maildev NAME SMTP_PORT WEB_PORT
cx_start_maildev() {
  local name="$1" smtp="$2" web="$3" pidfile="$CX_STATE/maildev-$1.pid" log="$CX_STATE/maildev-$1.log"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    cx_log "stopping a maildev left running by an earlier run"
    kill "$(cat "$pidfile")" 2>/dev/null || true
    local n=50; while kill -0 "$(cat "$pidfile")" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null; then cx_die "port $smtp is already in use; maildev needs it"; fi
  cx_log "starting maildev: SMTP 127.0.0.1:$smtp, web http://127.0.0.1:$web"
  node "$CX_ROOT/tools/maildev-server.cjs" --ip 127.0.0.1 --smtp "$smtp" --web "$web" \
    >"$log" 2>&1 &
  echo $! >"$pidfile"
  cx_on_exit "kill $! 2>/dev/null; rm -f '$pidfile'"
  cx_wait_port "$web" && cx_wait_port "$smtp" || { tail -n 20 "$log" >&2; cx_die "maildev did not start (log: $log)"; }
}

cx_build() {
  cx_log "dotnet build ($1)"
  (cd "$CX_ROOT" && dotnet build CustomerExperience.sln -c "$1" --disable-build-servers -nologo -clp:ErrorsOnly -v:q) || cx_die "build failed"
}
