# shellcheck shell=bash disable=SC2034  # SERVICES is used by the sourcing scripts
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

# The URLs that name those ports, derived from them: the programs' own defaults name the default ports,
# so without these a second instance on other ports would talk to the first one's sandbox and router.
# A URL set explicitly (e.g. a real AgentMail) is kept as it is.
SANDBOX_URL="http://127.0.0.1:$ORDERSMAIL_MailSandbox__Port"
: "${ORDERSMAIL_InboxProvisioner__AgentMail__BaseUrl:=$SANDBOX_URL/agentmail}"
: "${ORDERSMAIL_InboxProvisioner__Provisioning__WebhookUrl:=http://127.0.0.1:$ORDERSMAIL_InboundRouter__Port/webhooks/agentmail}"
: "${ORDERSMAIL_InboundRouter__AgentMail__BaseUrl:=$SANDBOX_URL/agentmail}"
: "${ORDERSMAIL_Clerk__JwksUrl:=$SANDBOX_URL/clerk/.well-known/jwks.json}"
# The sandbox signs its tokens with the URL it was reached at; the README mints them at 127.0.0.1.
: "${ORDERSMAIL_Clerk__Issuer:=$SANDBOX_URL/clerk}"
export ORDERSMAIL_InboxProvisioner__AgentMail__BaseUrl ORDERSMAIL_InboxProvisioner__Provisioning__WebhookUrl \
  ORDERSMAIL_InboundRouter__AgentMail__BaseUrl \
  ORDERSMAIL_Clerk__JwksUrl ORDERSMAIL_Clerk__Issuer

# The mail outbox: one directory orders-api writes emails into and delivery-tracker's relay sends from.
: "${ORDERSMAIL_MailOutbox__Directory:=$DATA_DIR/outbox}"
: "${ORDERSMAIL_Resend__BaseUrl:=$SANDBOX_URL/resend}"
: "${ORDERSMAIL_DeliveryTracker__AgentMail__BaseUrl:=$SANDBOX_URL/agentmail}"
export ORDERSMAIL_MailOutbox__Directory ORDERSMAIL_Resend__BaseUrl ORDERSMAIL_DeliveryTracker__AgentMail__BaseUrl

# name|directory|project|port variable; the sandbox first, so the services find it.
SERVICES=(
  "mail-sandbox|tools/mail-sandbox|OrdersMail.MailSandbox|ORDERSMAIL_MailSandbox__Port"
  "orders-api|services/orders-api|OrdersMail.OrdersApi|ORDERSMAIL_OrdersApi__Port"
  "inbox-provisioner|services/inbox-provisioner|OrdersMail.InboxProvisioner|ORDERSMAIL_InboxProvisioner__Port"
  "inbound-router|services/inbound-router|OrdersMail.InboundRouter|ORDERSMAIL_InboundRouter__Port"
  "delivery-tracker|services/delivery-tracker|OrdersMail.DeliveryTracker|ORDERSMAIL_DeliveryTracker__Port"
)

RUN_DIR="$DATA_DIR/run"

service_pid_file() { echo "$RUN_DIR/$1.pid"; }

# service_pid NAME: the recorded pid of a service we started, if it is still alive.
service_pid() {
  local pid
  pid="$(cat "$(service_pid_file "$1")" 2>/dev/null)" || return 1
  pid_alive "$pid" '^(dotnet|OrdersMail)' && echo "$pid"
}
