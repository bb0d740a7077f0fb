#!/usr/bin/env bash
# Runs every OrdersMail test on the real servers: installs what is missing (as root; chromium too),
# starts PostgreSQL and RabbitMQ once (deploy/local/infra.sh; each test class then gets
# its own fresh database and vhost on them, or on containers when a Docker engine
# answers: see the README), builds, runs all test projects, prints which servers they
# ran on, and ends with one summary line: "Tests: N passed, N failed, N skipped". The
# servers are left running for the next run; deploy/local/infra.sh stop ends them.
set -euo pipefail
LOG_TAG=tests  # the prefix of this script's messages (lib.sh)
. "$(dirname "${BASH_SOURCE[0]}")/../deploy/local/lib.sh"

command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is not on PATH" \
  "Install it from Microsoft's Debian 12 packages (dotnet-sdk-10.0) and run this again."

"$LIB_DIR/infra.sh" start all

# The order timeline page's browser specs drive Debian's chromium: Playwright cannot download a browser here.
if [[ ! -x /usr/bin/chromium ]]; then
  if is_root; then
    apt_install chromium
  else
    warn "chromium is not installed: the timeline page's browser specs will fail until 'sudo apt-get install -y chromium'"
  fi
fi

results="$DATA_DIR/test-results"
rm -rf "$results"
cd "$REPO_ROOT"

info "building OrdersMail.sln"
dotnet build OrdersMail.sln --nologo -v quiet -clp:ErrorsOnly

info "running the tests"
status=0
dotnet test OrdersMail.sln --no-build --nologo --logger "trx" \
  --results-directory "$results" "$@" || status=$?

# One line for people and CI alike, summed over every test project's TRX report.
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["total"] - c["executed"] }')
if (( status != 0 && failed == 0 )); then
  # A test host that crashed or a project that did not run leaves no failed test behind: still a failure.
  failed=1
  warn "dotnet test exited $status without a failed test in its reports (a crashed test host?)"
fi
# Each test process says which servers it ran on (Testcontainers or the local binaries); its output is in the TRX.
grep -oh 'Test servers: [^&<]*' "$results"/*.trx 2>/dev/null | sort -u || true
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
