# shellcheck shell=bash
# The local trace viewer: the .NET Aspire dashboard, run standalone (no Docker). It is an OTLP receiver and a UI for
# traces, metrics and structured logs. NuGet is the only way to get it here: restoring tools/trace-viewer downloads
# its self-contained build once into the NuGet package folder. Sourced by up.sh and down.sh after lib.sh.
# Local use only: the dashboard runs with anonymous access, on loopback.

: "${ORDERSMAIL_TraceViewer__Port:=18888}"
: "${ORDERSMAIL_TraceViewer__OtlpGrpcPort:=18889}"
: "${ORDERSMAIL_TraceViewer__OtlpHttpPort:=18890}"
export ORDERSMAIL_TraceViewer__Port ORDERSMAIL_TraceViewer__OtlpGrpcPort ORDERSMAIL_TraceViewer__OtlpHttpPort

TRACE_VIEWER_PROJECT="$REPO_ROOT/tools/trace-viewer/OrdersMail.TraceViewer.csproj"
TRACE_VIEWER_URL="http://127.0.0.1:$ORDERSMAIL_TraceViewer__Port"

# trace_viewer_program: the dashboard's executable, restored from NuGet when it is not there yet.
trace_viewer_program() {
  local version packages program
  version="$(sed -n 's/.*Aspire.Dashboard.Sdk.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$TRACE_VIEWER_PROJECT")"
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  program="$packages/aspire.dashboard.sdk.linux-x64/$version/tools/Aspire.Dashboard"
  if [[ ! -x "$program" ]]; then
    info "trace-viewer: downloading the Aspire dashboard $version from NuGet (once)"
    dotnet restore "$TRACE_VIEWER_PROJECT" --nologo -v quiet >"$LOG_DIR/trace-viewer.restore.log" 2>&1 \
      || { show_log "$LOG_DIR/trace-viewer.restore.log" 20; fail "trace-viewer: restoring $TRACE_VIEWER_PROJECT failed"; }
  fi
  [[ -x "$program" ]] || fail "trace-viewer: $program is missing after the restore"
  echo "$program"
}

# trace_viewer_tmp: the dashboard's temporary directory, where it keeps what it receives in a SQLite database. On disk,
# with every span of a load run written and trimmed again, it wrote over 40 MB/s, and PostgreSQL's and RabbitMQ's fsyncs
# waited behind it (IO pressure 60-70 %, docs/benchmarks.md, inbound-router). So it lives in memory (/dev/shm) where the machine
# has it; the dashboard finds it through TMPDIR. One directory per data directory, so a down.sh of another checkout
# never clears the store of a dashboard this one runs.
trace_viewer_tmp() {
  if [[ -d /dev/shm && -w /dev/shm ]]; then
    echo "/dev/shm/ordersmail-trace-viewer-$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)"
  else
    echo "${TMPDIR:-/tmp}"
  fi
}

# trace_viewer_clear_tmp: removes this data directory's in-memory store once its dashboard is gone (a killed one leaves it).
trace_viewer_clear_tmp() {
  local tmp; tmp="$(trace_viewer_tmp)"
  [[ "$tmp" == /dev/shm/ordersmail-trace-viewer-* ]] && rm -rf "$tmp"
  return 0
}

trace_viewer_pid() {
  local pid
  pid="$(cat "$RUN_DIR/trace-viewer.pid" 2>/dev/null)" || return 1
  pid_alive "$pid" '^Aspire' && echo "$pid"
}

# trace_viewer_start: starts the dashboard (if it is not running) and points the services' OTLP exporters at it,
# unless OTEL_EXPORTER_OTLP_ENDPOINT already names a collector of the caller's choosing.
trace_viewer_start() {
  if pid="$(trace_viewer_pid)"; then
    ok "trace-viewer: already running on $TRACE_VIEWER_URL (pid $pid)"
  else
    local program
    program="$(trace_viewer_program)"
    require_free_port trace-viewer "$ORDERSMAIL_TraceViewer__Port" "HTTP" ORDERSMAIL_TraceViewer__Port
    require_free_port trace-viewer "$ORDERSMAIL_TraceViewer__OtlpGrpcPort" "OTLP/gRPC" ORDERSMAIL_TraceViewer__OtlpGrpcPort
    require_free_port trace-viewer "$ORDERSMAIL_TraceViewer__OtlpHttpPort" "OTLP/HTTP" ORDERSMAIL_TraceViewer__OtlpHttpPort
    rotate_log "$LOG_DIR/trace-viewer.log"
    trace_viewer_clear_tmp
    local tmp; tmp="$(trace_viewer_tmp)"
    mkdir -p "$tmp" && chmod 700 "$tmp"
    # At the lowest CPU priority: it shares the cores with the services it watches, and at 1,000 ingress events/s it
    # takes half a core. It gets what they leave instead of delaying their answers (docs/benchmarks.md, inbound-router).
    TMPDIR="$tmp" ASPNETCORE_URLS="$TRACE_VIEWER_URL" \
      ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$ORDERSMAIL_TraceViewer__OtlpGrpcPort" \
      ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$ORDERSMAIL_TraceViewer__OtlpHttpPort" \
      ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
      setsid nohup nice -n 19 "$program" </dev/null >"$LOG_DIR/trace-viewer.log" 2>&1 9>&- &
    echo $! >"$RUN_DIR/trace-viewer.pid"
    wait_until "$ORDERSMAIL_START_TIMEOUT" http_ok "$TRACE_VIEWER_URL/api/telemetry/traces" "" "" \
      || { show_log "$LOG_DIR/trace-viewer.log" 20; fail "trace-viewer: $TRACE_VIEWER_URL did not answer within ${ORDERSMAIL_START_TIMEOUT}s"; }
    # Where the kernel groups each session for scheduling (autogroup), a process's nice only ranks it within its own
    # session, and the dashboard's session competed with each service's as an equal: the session is lowered as well.
    # Only now, once it answers: by then setsid has made that session its own, not up.sh's.
    echo 19 >"/proc/$(cat "$RUN_DIR/trace-viewer.pid")/autogroup" 2>/dev/null || true
    ok "trace-viewer: ready  $TRACE_VIEWER_URL"
  fi
  : "${OTEL_EXPORTER_OTLP_ENDPOINT:=http://127.0.0.1:$ORDERSMAIL_TraceViewer__OtlpGrpcPort}"
  export OTEL_EXPORTER_OTLP_ENDPOINT
}

trace_viewer_stop() {
  if pid="$(trace_viewer_pid)"; then
    info "trace-viewer: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 20 all_gone "$pid" || terminate_pids trace-viewer "$pid"
    ok "trace-viewer: stopped"
  fi
  trace_viewer_clear_tmp
  rm -f "$RUN_DIR/trace-viewer.pid"
}
