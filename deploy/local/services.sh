# shellcheck shell=bash
# What deploy/local runs besides the two servers: the mail sandbox (the local AgentMail,
# Resend and Clerk) and the four services, with their projects and ports. Sourced by up.sh
# and down.sh after lib.sh. Ports follow the same ORDERSMAIL_ scheme as everything else
# (ORDERSMAIL_OrdersApi__Port=...), which the programs read too.

: "${ORDERSMAIL_MailSandbox__Port:=7070}"
: "${ORDERSMAIL_OrdersApi__Port:=5100}"
: "${ORDERSMAIL_InboxProvisioner__Port:=5200}"
: "${ORDERSMAIL_InboundRouter__Port:=5300}"
: "${ORDERSMAIL_DeliveryTracker__Port:=5400}"
export ORDERSMAIL_MailSandbox__Port ORDERSMAIL_OrdersApi__Port ORDERSMAIL_InboxProvisioner__Port \
  ORDERSMAIL_InboundRouter__Port ORDERSMAIL_DeliveryTracker__Port

# name|directory|project|port variable; the sandbox first, so the services find it.
SERVICES=(
  "mail-sandbox|tools/mail-sandbox|OrdersMail.MailSandbox|ORDERSMAIL_MailSandbox__Port"
  "orders-api|services/orders-api|OrdersMail.OrdersApi|ORDERSMAIL_OrdersApi__Port"
  "inbox-provisioner|services/inbox-provisioner|OrdersMail.InboxProvisioner|ORDERSMAIL_InboxProvisioner__Port"
  "inbound-router|services/inbound-router|OrdersMail.InboundRouter|ORDERSMAIL_InboundRouter__Port"
  "delivery-tracker|services/delivery-tracker|OrdersMail.DeliveryTracker|ORDERSMAIL_DeliveryTracker__Port"
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
