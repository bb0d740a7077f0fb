# shellcheck shell=bash
# The four OrdersMail services as deploy/local runs them: names, projects and ports.
# Sourced by up.sh and down.sh after lib.sh. Ports follow the same ORDERSMAIL_ scheme
# as everything else (ORDERSMAIL_OrdersApi__Port=...), which the services read too.

: "${ORDERSMAIL_OrdersApi__Port:=5100}"
: "${ORDERSMAIL_InboxProvisioner__Port:=5200}"
: "${ORDERSMAIL_InboundRouter__Port:=5300}"
: "${ORDERSMAIL_DeliveryTracker__Port:=5400}"
export ORDERSMAIL_OrdersApi__Port ORDERSMAIL_InboxProvisioner__Port ORDERSMAIL_InboundRouter__Port ORDERSMAIL_DeliveryTracker__Port

# name|project|port
SERVICES=(
  "orders-api|OrdersMail.OrdersApi|$ORDERSMAIL_OrdersApi__Port"
  "inbox-provisioner|OrdersMail.InboxProvisioner|$ORDERSMAIL_InboxProvisioner__Port"
  "inbound-router|OrdersMail.InboundRouter|$ORDERSMAIL_InboundRouter__Port"
  "delivery-tracker|OrdersMail.DeliveryTracker|$ORDERSMAIL_DeliveryTracker__Port"
)

RUN_DIR="$DATA_DIR/run"
BUILD_DIR="$DATA_DIR/build"

service_pid_file() { echo "$RUN_DIR/$1.pid"; }

# service_pid NAME: the recorded pid of a service we started, if it is still alive.
service_pid() {
  local pid
  pid="$(cat "$(service_pid_file "$1")" 2>/dev/null)" || return 1
  pid_alive "$pid" '^(dotnet|OrdersMail)' && echo "$pid"
}
