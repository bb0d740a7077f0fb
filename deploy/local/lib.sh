# shellcheck shell=bash disable=SC2034  # LOG_DIR etc. are used by the sourcing scripts
# Shared helpers and defaults for the local-infrastructure scripts in deploy/local/.
# Source it (". deploy/local/lib.sh"); it does not change shell options itself.
#
# Every setting is an environment variable, so a test can start a private,
# throw-away instance next to the main one just by pointing ORDERSMAIL_DATA_DIR
# somewhere else and choosing other ports. The .NET services read the same
# ORDERSMAIL_* variables, so keep the names exactly as they are.

# --- repo root ---------------------------------------------------------------
LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Prefer git (works from any checkout/worktree); fall back to deploy/local/../..
REPO_ROOT="$(git -C "$LIB_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$LIB_DIR/../.." && pwd))"

# --- settings (exact names shared with the .NET code) ------------------------
: "${ORDERSMAIL_Postgres__Host:=127.0.0.1}"
: "${ORDERSMAIL_Postgres__Port:=55432}"
: "${ORDERSMAIL_Postgres__Username:=ordersmail}"
: "${ORDERSMAIL_Postgres__Password:=ordersmail}"
: "${ORDERSMAIL_Postgres__Database:=ordersmail}"
: "${ORDERSMAIL_RabbitMq__Host:=127.0.0.1}"
: "${ORDERSMAIL_RabbitMq__Port:=55672}"
: "${ORDERSMAIL_RabbitMq__ManagementPort:=55673}"
: "${ORDERSMAIL_RabbitMq__Username:=ordersmail}"
: "${ORDERSMAIL_RabbitMq__Password:=ordersmail}"
# Erlang distribution port: AMQP port + 20000 like stock RabbitMQ (5672 -> 25672),
# but that does not fit below 65536 for our high ports, so then AMQP - 10000
# (55672 -> 45672). Not AMQP - 20000: 35672-35682 is where rabbitmqctl listens.
if [[ -z "${ORDERSMAIL_RabbitMq__DistPort:-}" && "$ORDERSMAIL_RabbitMq__Port" =~ ^[0-9]+$ ]]; then
  if (( ORDERSMAIL_RabbitMq__Port + 20000 <= 65535 )); then
    ORDERSMAIL_RabbitMq__DistPort=$(( ORDERSMAIL_RabbitMq__Port + 20000 ))
  else
    ORDERSMAIL_RabbitMq__DistPort=$(( ORDERSMAIL_RabbitMq__Port - 10000 ))
  fi
fi
: "${ORDERSMAIL_DATA_DIR:=$REPO_ROOT/.data}"
: "${ORDERSMAIL_START_TIMEOUT:=60}"   # seconds per server start
: "${ORDERSMAIL_LOCK_TIMEOUT:=120}"   # seconds to wait for another infra.sh on the same data dir
: "${ORDERSMAIL_BUILD_LOCK_TIMEOUT:=900}"   # seconds to wait for another up.sh building a program
: "${ORDERSMAIL_APT_LOCK:=/var/lock/ordersmail-apt.lock}"   # one for the whole machine: see apt_install
: "${ORDERSMAIL_APT_LOCK_TIMEOUT:=600}"   # seconds to wait for another of these scripts installing packages
export ORDERSMAIL_Postgres__Host ORDERSMAIL_Postgres__Port ORDERSMAIL_Postgres__Username \
  ORDERSMAIL_Postgres__Password ORDERSMAIL_Postgres__Database ORDERSMAIL_RabbitMq__Host \
  ORDERSMAIL_RabbitMq__Port ORDERSMAIL_RabbitMq__ManagementPort ORDERSMAIL_RabbitMq__Username \
  ORDERSMAIL_RabbitMq__Password ORDERSMAIL_RabbitMq__DistPort ORDERSMAIL_DATA_DIR

# The data dir must be absolute: servers run with other working directories.
case "$ORDERSMAIL_DATA_DIR" in /*) ;; *) ORDERSMAIL_DATA_DIR="$PWD/$ORDERSMAIL_DATA_DIR" ;; esac
DATA_DIR="$ORDERSMAIL_DATA_DIR"
LOG_DIR="$DATA_DIR/logs"

PG_BIN="${ORDERSMAIL_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_APT_PACKAGE="postgresql-15"
RABBIT_BIN="${ORDERSMAIL_RABBIT_BIN:-/usr/lib/rabbitmq/bin}"

# --- messages ----------------------------------------------------------------
if [[ -t 2 && -z "${NO_COLOR:-}" ]]; then
  _C_INFO=$'\e[36m' _C_OK=$'\e[32m' _C_WARN=$'\e[33m' _C_FAIL=$'\e[31m' _C_OFF=$'\e[0m'
else
  _C_INFO='' _C_OK='' _C_WARN='' _C_FAIL='' _C_OFF=''
fi
# All messages go to stderr so stdout stays free for machine-readable output.
info() { printf '%s[%s]%s %s\n' "$_C_INFO" "${LOG_TAG:-infra}" "$_C_OFF" "$*" >&2; }
ok()   { printf '%s[%s]%s %s\n' "$_C_OK" "${LOG_TAG:-infra}" "$_C_OFF" "$*" >&2; }
warn() { printf '%s[%s] warning:%s %s\n' "$_C_WARN" "${LOG_TAG:-infra}" "$_C_OFF" "$*" >&2; }
# fail MESSAGE... : print an error (each argument on its own line) and exit 1.
fail() {
  printf '%s[%s] ERROR:%s %s\n' "$_C_FAIL" "${LOG_TAG:-infra}" "$_C_OFF" "$1" >&2
  shift
  local line; for line in "$@"; do printf '        %s\n' "$line" >&2; done
  exit 1
}
# show_log FILE [N]: last N lines of a log, indented, to help explain a failure.
show_log() {
  local file="$1" n="${2:-25}"
  if [[ -s "$file" ]]; then
    printf '%s[%s]%s last %s lines of %s:\n' "$_C_WARN" "${LOG_TAG:-infra}" "$_C_OFF" "$n" "$file" >&2
    tail -n "$n" "$file" | sed 's/^/    | /' >&2
  fi
}

# --- small utilities ---------------------------------------------------------
is_root() { [[ "$(id -u)" == 0 ]]; }

# rotate_log FILE [KEEP]: moves FILE to FILE.1, FILE.1 to FILE.2 ... up to FILE.KEEP (default 5; the
# oldest goes), so a program started again does not wipe the log of the run before, which may have crashed.
rotate_log() {
  local file="$1" keep="${2:-5}" i
  [[ -s "$file" ]] || return 0
  for (( i = keep - 1; i >= 1; i-- )); do
    if [[ -e "$file.$i" ]]; then mv -f "$file.$i" "$file.$(( i + 1 ))"; fi
  done
  mv -f "$file" "$file.1"
}

# wait_until TIMEOUT_SECONDS COMMAND... : poll COMMAND every 0.5 s until it succeeds.
# Returns 1 on timeout. COMMAND may itself call fail() to abort early (e.g. the
# server process died), which is why it runs in this shell and not a subshell.
wait_until() {
  local timeout="$1"; shift
  local deadline=$(( SECONDS + timeout ))
  until "$@"; do
    (( SECONDS >= deadline )) && return 1
    sleep 0.5
  done
}

# pid_alive PID [COMM_REGEX]: the process exists (and its name matches, so a
# recycled pid of some unrelated process is not mistaken for our server).
pid_alive() {
  local pid="$1" comm stat
  [[ "$pid" =~ ^[0-9]+$ ]] && stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  # A zombie (exited, not yet reaped by its parent) counts as gone.
  [[ "${stat##*) }" == Z* ]] && return 1
  [[ -z "${2:-}" ]] && return 0
  comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
  [[ "$comm" =~ $2 ]]
}

all_gone() { local q; for q in "$@"; do pid_alive "$q" && return 1; done; return 0; }

# terminate_pids SERVICE PID...: SIGTERM, wait up to 15 s, then SIGKILL. Only
# ever called with pids that we recorded ourselves.
terminate_pids() {
  local svc="$1"; shift
  warn "$svc: sending SIGTERM to pid(s) $*"
  kill -TERM "$@" 2>/dev/null || true
  wait_until 15 all_gone "$@" && return 0
  warn "$svc: still alive, sending SIGKILL to pid(s) $*"
  kill -KILL "$@" 2>/dev/null || true
  wait_until 10 all_gone "$@" || fail "$svc: pid(s) $* do not go away"
}

# port_owner PORT: prints "name (pid N)" (or the raw ss line) of whatever listens
# on TCP PORT on any address; returns 1 if the port is free.
port_owner() {
  local line
  line="$(ss -ltnpH "sport = :$1" 2>/dev/null | head -n1)"
  [[ -n "$line" ]] || return 1
  if [[ "$line" =~ users:\(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
    echo "${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
  else
    echo "another process (${line//  / })"
  fi
}

# require_free_port SERVICE PORT WHAT VARIABLE: fail clearly if PORT is already taken.
require_free_port() {
  local owner
  if ! [[ "$2" =~ ^[0-9]+$ ]] || (( $2 < 1 || $2 > 65535 )); then
    fail "$1: $3 port '$2' (from $4) is not a valid TCP port"
  fi
  if owner="$(port_owner "$2")"; then
    fail "$1: cannot start: port $2 ($3) is already in use by $owner" \
      "Stop that process, or choose another port with $4=<port>."
  fi
}

# with_lock COMMAND...: run COMMAND while holding an exclusive lock on this data
# dir, so parallel 'infra.sh start' calls (e.g. parallel test assemblies) queue
# up instead of racing; the later ones then simply see "already running".
# The lock fd (9) must not leak into the servers we launch, or the lock would be
# held for as long as they run: every launch below closes it with 9>&-.
with_lock() {
  mkdir -p "$DATA_DIR"
  local lock="$DATA_DIR/.infra.lock"
  exec 9>>"$lock"
  if ! flock -w "$ORDERSMAIL_LOCK_TIMEOUT" 9; then
    fail "could not get the lock $lock within ${ORDERSMAIL_LOCK_TIMEOUT}s" \
      "Another infra.sh seems stuck on this data dir; check 'ps aux | grep infra.sh'."
  fi
  # Called plainly (not via "||") so that 'set -e' stays in effect inside.
  "$@"
  exec 9>&-
}

# http_ok URL USER PASS: true if URL answers 2xx with basic auth. Uses curl,
# or bash's /dev/tcp when curl is missing (plain HTTP to 127.0.0.1 only).
http_ok() {
  local url="$1" user="$2" pass="$3"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 3 -u "$user:$pass" "$url" 2>/dev/null
    return
  fi
  local rest="${url#http://}" hostport path status
  hostport="${rest%%/*}"; path="/${rest#*/}"
  ( exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\nAuthorization: Basic %s\r\n\r\n' \
      "$path" "$hostport" "$(printf '%s:%s' "$user" "$pass" | base64 -w0)" >&3
    IFS=' ' read -r -t 3 _ status _ <&3 && [[ "$status" == 2* ]] ) 2>/dev/null
}

# --- prerequisites -----------------------------------------------------------
_APT_UPDATED=""
# apt_install PACKAGE...: install Debian packages (root only), 'apt-get update'
# at most once per run. Waits for the dpkg lock in case something else installs too.
apt_install() {
  if ! is_root; then
    fail "missing package(s): $*" "Install with: sudo apt-get update && sudo apt-get install -y $*"
  fi
  lock_apt "$*"
  if [[ -z "$_APT_UPDATED" ]]; then
    info "running apt-get update (once) to install: $*"
    apt-get -o DPkg::Lock::Timeout=120 update -qq >&2 7>&- || fail "apt-get update failed (see output above)"
    _APT_UPDATED=1
  fi
  info "installing: $*"
  # The package's postinst may try to start the system service; we never use it
  # (and it is blocked by policy-rc.d here); our servers run on their own ports.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq "$@" >&2 7>&- \
    || fail "apt-get install $* failed (see output above)"
  exec 7>&-
}

# lock_apt PACKAGES: holds ORDERSMAIL_APT_LOCK (fd 7) until apt_install is done, waiting for it at most
# ORDERSMAIL_APT_LOCK_TIMEOUT. DPkg::Lock::Timeout waits for dpkg's lock but not for /var/lib/apt/lists/lock, which
# 'apt-get update' takes: on a fresh machine the test hosts of a plain 'dotnet test' start infra.sh at once, and all but
# one update failed. apt-get runs with fd 7 closed, so a daemon a package starts cannot keep the lock. Without flock
# (util-linux, Essential in Debian) there is nothing to lock with: this install is what brings it.
lock_apt() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 7>>"$ORDERSMAIL_APT_LOCK"
  flock -n 7 && return 0
  info "waiting for another of these scripts to finish installing packages (at most ${ORDERSMAIL_APT_LOCK_TIMEOUT}s)"
  flock -w "$ORDERSMAIL_APT_LOCK_TIMEOUT" 7 || fail "could not get the lock $ORDERSMAIL_APT_LOCK within ${ORDERSMAIL_APT_LOCK_TIMEOUT}s to install: $1" \
    "Another install seems stuck; find it with 'fuser -v $ORDERSMAIL_APT_LOCK' or 'ps aux | grep apt-get'," \
    "or wait longer with ORDERSMAIL_APT_LOCK_TIMEOUT=<seconds>."
}

# install_prerequisites postgres|rabbitmq|all: make sure the tools exist before
# touching anything, installing the Debian packages when root. PostgreSQL's
# package would create and start a system cluster on 5432 as a side effect;
# createcluster.conf tells postgresql-common not to (only if nobody configured it).
install_prerequisites() {
  local what="$1" missing=()
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  command -v flock >/dev/null 2>&1 || missing+=(util-linux)
  # Optional in Debian 12, and not pulled in by any package here: up.sh needs it to register delivery-tracker's
  # Resend webhook with the sandbox.
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ((${#missing[@]})) && apt_install "${missing[@]}"
  if [[ "$what" == postgres || "$what" == all ]]; then
    local b
    if [[ ! -x "$PG_BIN/initdb" ]] && is_root; then
      info "postgres: $PG_BIN/initdb not found, installing the Debian package $PG_APT_PACKAGE"
      if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
        mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
      fi
      apt_install "$PG_APT_PACKAGE"
    fi
    for b in initdb pg_ctl postgres psql createdb pg_isready; do
      [[ -x "$PG_BIN/$b" ]] || fail "postgres: $PG_BIN/$b not found (PostgreSQL 15 server binaries)" \
        "Install with: sudo apt-get install -y $PG_APT_PACKAGE   (or set ORDERSMAIL_PG_BIN to another bin dir)"
    done
  fi
  if [[ "$what" == rabbitmq || "$what" == all ]]; then
    if [[ ! -x "$RABBIT_BIN/rabbitmq-server" ]]; then
      info "rabbitmq: $RABBIT_BIN/rabbitmq-server not found, installing the Debian package"
      apt_install rabbitmq-server
      [[ -x "$RABBIT_BIN/rabbitmq-server" ]] || fail "rabbitmq: still no $RABBIT_BIN/rabbitmq-server after installing rabbitmq-server"
    fi
  fi
}
