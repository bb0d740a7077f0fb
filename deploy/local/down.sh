#!/usr/bin/env bash
# Stops what up.sh started: the sandbox and the four services (by their recorded pids), any second replica the load
# tool's scale-out scenario left running, the trace viewer, then PostgreSQL and RabbitMQ. Data stays in the data dir
# for the next up.sh; delete that directory (.data/ by default) for a clean slate.
set -euo pipefail
LOG_TAG=ordersmail  # the prefix of this script's messages (lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LIB_DIR/services.sh"
. "$LIB_DIR/trace-viewer.sh"

# stop_recorded NAME: stops the process run/NAME.pid names, if it is alive and one of ours, and forgets it.
stop_recorded() {
  local pid
  if pid="$(service_pid "$1")"; then
    info "$1: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 20 all_gone "$pid" || terminate_pids "$1" "$pid"
    ok "$1: stopped"
  else
    info "$1: not running"
  fi
  rm -f "$(service_pid_file "$1")"
}

# The scale-out scenario's second replicas (run/<service>.replica.pid) are stopped by the scenario itself, but a run
# killed (Ctrl-C, its test host killed) leaves them detached and running: after the next up.sh they competed with its
# services for the queues and the outbox, and held the ports next to theirs.
for file in "$RUN_DIR"/*.replica.pid; do
  [[ -e "$file" ]] || continue
  name="${file##*/}"
  stop_recorded "${name%.pid}"
done

for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ _ <<<"$entry"
  stop_recorded "$name"
done

trace_viewer_stop
"$LIB_DIR/infra.sh" stop all
