#!/usr/bin/env bash
# Stops what up.sh started: the sandbox and the four services (by their recorded pids), the trace viewer, then
# PostgreSQL and RabbitMQ. Data stays in the data dir for the next up.sh;
# delete that directory (.data/ by default) for a clean slate.
set -euo pipefail
LOG_TAG=ordersmail  # the prefix of this script's messages (lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LIB_DIR/services.sh"
. "$LIB_DIR/trace-viewer.sh"

for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ _ <<<"$entry"
  if pid="$(service_pid "$name")"; then
    info "$name: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 20 all_gone "$pid" || terminate_pids "$name" "$pid"
    ok "$name: stopped"
  else
    info "$name: not running"
  fi
  rm -f "$(service_pid_file "$name")"
done

trace_viewer_stop
"$LIB_DIR/infra.sh" stop all
