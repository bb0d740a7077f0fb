#!/usr/bin/env bash
# Starts the whole OrdersMail system on this machine, no Docker needed:
# PostgreSQL and RabbitMQ (deploy/local/infra.sh), then the mail sandbox and the four services, each
# waited for until its /health/ready answers. Installs what is missing (as root).
# Running it again leaves what already runs alone. Stop everything with down.sh.
# Programs are published once per state of the sources, into a cache every data dir shares
# (build-cache.sh); a program started again keeps its previous logs as <name>.log.1 ... .5.
set -euo pipefail
usage() {
  cat >&2 <<USAGE
Usage: deploy/local/up.sh [--no-journey]
  Starts PostgreSQL, RabbitMQ, the trace viewer, the mail sandbox and the four services, then plays one
  customer's journey through them (tools/journey), printing each step.
  --no-journey   start everything, skip the journey
USAGE
}
play_journey=1
for argument in "$@"; do
  case "$argument" in
    --no-journey) play_journey=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
done
LOG_TAG=ordersmail  # the prefix of this script's messages (lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LIB_DIR/services.sh"
. "$LIB_DIR/build-cache.sh"
. "$LIB_DIR/trace-viewer.sh"

command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is not on PATH" \
  "Install it from Microsoft's Debian 12 packages (dotnet-sdk-10.0) and run this again."

"$LIB_DIR/infra.sh" start all

mkdir -p "$RUN_DIR" "$LOG_DIR"
ensure_mail_outbox
ensure_ops_key
trace_viewer_start
BUILD_DIR="$(build_dir)"
(( play_journey )) && publish journey tools/journey OrdersMail.Journey "$BUILD_DIR"

sandbox_started=0
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name dir project port_variable <<<"$entry"
  port="${!port_variable}"
  if pid="$(service_pid "$name")"; then
    # The sandbox keeps Resend's endpoints in memory: one started now has forgotten the endpoint the running tracker
    # verifies with, and would sign every delivery event with no secret the tracker knows (no email would ever be
    # delivered). So the tracker starts again too, and prepare_service registers its endpoint with this sandbox.
    if [[ "$name" == delivery-tracker ]] && (( sandbox_started )); then
      info "$name: the mail sandbox started again, so $name does too (its Resend endpoint is registered anew)"
      terminate_pids "$name" "$pid"
    else
      ok "$name: already running on http://127.0.0.1:$port (pid $pid)"
      continue
    fi
  fi
  [[ "$name" == mail-sandbox ]] && sandbox_started=1
  # Published just before it starts (a no-op when these sources were built before), so a service that was still
  # stopping when this script began is started from a build that exists.
  publish "$name" "$dir" "$project" "$BUILD_DIR"
  require_free_port "$name" "$port" "HTTP" "$port_variable"
  prepare_service "$name"
  rotate_log "$LOG_DIR/$name.log"
  # setsid + nohup + no inherited stdio: the service outlives this script and its terminal, and $!
  # is the dotnet process itself. The content root is the build directory (its appsettings.json).
  setsid nohup dotnet "$BUILD_DIR/$name/$project.dll" --contentRoot "$BUILD_DIR/$name" \
    </dev/null >"$LOG_DIR/$name.log" 2>&1 9>&- &
  echo $! >"$(service_pid_file "$name")"
  info "$name: starting on port $port (log: $LOG_DIR/$name.log)"
done

service_ready() { http_ok "http://127.0.0.1:$2/health/ready" "" "" || { service_pid "$1" >/dev/null || fail "$1 exited during start-up" "$(tail -n 20 "$LOG_DIR/$1.log")"; return 1; }; }
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ port_variable <<<"$entry"
  port="${!port_variable}"
  if ! wait_until "$ORDERSMAIL_START_TIMEOUT" service_ready "$name" "$port"; then
    show_log "$LOG_DIR/$name.log" 20
    fail "$name: /health/ready did not answer 200 within ${ORDERSMAIL_START_TIMEOUT}s" "See http://127.0.0.1:$port/health/ready for which check fails."
  fi
  ok "$name: ready  http://127.0.0.1:$port/health/ready"
done

cat >&2 <<INFO

OrdersMail is up.
  Mail sandbox            http://127.0.0.1:$ORDERSMAIL_MailSandbox__Port  (AgentMail /agentmail/v0, Resend /resend, Clerk /clerk, control /sandbox)
  Trace viewer            $TRACE_VIEWER_URL  (Aspire dashboard: traces, metrics, structured logs; OTLP at $OTEL_EXPORTER_OTLP_ENDPOINT)
  RabbitMQ management UI  http://127.0.0.1:$ORDERSMAIL_RabbitMq__ManagementPort  (user $ORDERSMAIL_RabbitMq__Username, password $ORDERSMAIL_RabbitMq__Password)
  PostgreSQL              postgresql://$ORDERSMAIL_Postgres__Username@127.0.0.1:$ORDERSMAIL_Postgres__Port/$ORDERSMAIL_Postgres__Database
  Service logs (JSON)     $LOG_DIR/<service>.log  (earlier runs: <service>.log.1 ... .5)
  Stop everything         deploy/local/down.sh
INFO

(( play_journey )) || exit 0
info "playing one customer's journey through the system (tools/journey; --no-journey skips it)"
dotnet "$BUILD_DIR/journey/OrdersMail.Journey.dll" \
  || fail "the journey stopped at the step printed above" "Everything stays up: fix the cause and run deploy/local/up.sh again."
