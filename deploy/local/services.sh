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

# The URLs that name those ports, derived from them, and the providers' keys: the services assume no provider URL or
# key and do not start without one (the sandbox takes any am_ or re_ key), nor without a Clerk instance and web app
# origin. A URL or key set explicitly (e.g. a real AgentMail's) is kept as it is.
SANDBOX_URL="http://127.0.0.1:$ORDERSMAIL_MailSandbox__Port"
: "${ORDERSMAIL_InboxProvisioner__AgentMail__BaseUrl:=$SANDBOX_URL/agentmail}"
: "${ORDERSMAIL_InboxProvisioner__AgentMail__ApiKey:=am_local_sandbox}"
: "${ORDERSMAIL_InboxProvisioner__Provisioning__WebhookUrl:=http://127.0.0.1:$ORDERSMAIL_InboundRouter__Port/webhooks/agentmail}"
: "${ORDERSMAIL_InboundRouter__AgentMail__BaseUrl:=$SANDBOX_URL/agentmail}"
: "${ORDERSMAIL_InboundRouter__AgentMail__ApiKey:=am_local_sandbox}"
: "${ORDERSMAIL_Clerk__JwksUrl:=$SANDBOX_URL/clerk/.well-known/jwks.json}"
# The sandbox signs its tokens with the URL it was reached at; the README mints them at 127.0.0.1.
: "${ORDERSMAIL_Clerk__Issuer:=$SANDBOX_URL/clerk}"
# The web app's origin, which the sandbox's tokens name as their azp unless asked for another.
: "${ORDERSMAIL_Clerk__AuthorizedParties__0:=http://localhost:3000}"
export ORDERSMAIL_InboxProvisioner__AgentMail__BaseUrl ORDERSMAIL_InboxProvisioner__AgentMail__ApiKey \
  ORDERSMAIL_InboxProvisioner__Provisioning__WebhookUrl \
  ORDERSMAIL_InboundRouter__AgentMail__BaseUrl ORDERSMAIL_InboundRouter__AgentMail__ApiKey \
  ORDERSMAIL_Clerk__JwksUrl ORDERSMAIL_Clerk__Issuer ORDERSMAIL_Clerk__AuthorizedParties__0

# The mail outbox: one directory orders-api writes emails into and delivery-tracker's relay sends from, as the
# sender below (the relay assumes none); a confirmation whose order has no inbox asks for replies at the Reply-To
# below (orders-api assumes none either). An absolute path (the services refuse a relative one, which each would take
# from its own working directory): one set relative is taken from here, as ORDERSMAIL_DATA_DIR is.
: "${ORDERSMAIL_MailOutbox__Directory:=$DATA_DIR/outbox}"
case "$ORDERSMAIL_MailOutbox__Directory" in /*) ;; *) ORDERSMAIL_MailOutbox__Directory="$PWD/$ORDERSMAIL_MailOutbox__Directory" ;; esac
: "${ORDERSMAIL_Resend__BaseUrl:=$SANDBOX_URL/resend}"
: "${ORDERSMAIL_Resend__ApiKey:=re_local_sandbox}"
: "${ORDERSMAIL_DeliveryTracker__AgentMail__BaseUrl:=$SANDBOX_URL/agentmail}"
: "${ORDERSMAIL_DeliveryTracker__AgentMail__ApiKey:=am_local_sandbox}"
: "${ORDERSMAIL_DeliveryTracker__Relay__From:=OrdersMail <orders@ordersmail.local>}"
: "${ORDERSMAIL_Confirmation__DefaultReplyTo:=orders@ordersmail.local}"
export ORDERSMAIL_MailOutbox__Directory ORDERSMAIL_Resend__BaseUrl ORDERSMAIL_Resend__ApiKey \
  ORDERSMAIL_DeliveryTracker__AgentMail__BaseUrl ORDERSMAIL_DeliveryTracker__AgentMail__ApiKey ORDERSMAIL_DeliveryTracker__Relay__From \
  ORDERSMAIL_Confirmation__DefaultReplyTo

# The mail outbox holds customers' addresses and whole emails for days: readable by its owner only, as the ops key and
# PostgreSQL's data are. The services create what is missing so, whatever their umask; this also closes one an older
# build made 0755 (nothing below it can then be reached by another account).
ensure_mail_outbox() {
  (umask 077 && mkdir -p "$ORDERSMAIL_MailOutbox__Directory") && chmod 700 "$ORDERSMAIL_MailOutbox__Directory" \
    || fail "could not make the mail outbox $ORDERSMAIL_MailOutbox__Directory its owner's only"
}

# The key of the services' ops routes (Ops:ApiKey; they do not start without one): made once per data directory and
# kept in it, readable by its owner only, where ops' curl and the load tool read it. A key set already is kept.
ensure_ops_key() {
  [[ -n "${ORDERSMAIL_Ops__ApiKey:-}" ]] || {
    local file="$DATA_DIR/ops-key"
    [[ -s "$file" ]] || (umask 077 && printf 'ops_%s' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$file") \
      || fail "could not write the ops key to $file"
    ORDERSMAIL_Ops__ApiKey="$(cat "$file")"
  }
  export ORDERSMAIL_Ops__ApiKey
}

# name|directory|project|port variable; the sandbox first, so the services find it.
SERVICES=(
  "mail-sandbox|tools/mail-sandbox|OrdersMail.MailSandbox|ORDERSMAIL_MailSandbox__Port"
  "orders-api|services/orders-api|OrdersMail.OrdersApi|ORDERSMAIL_OrdersApi__Port"
  "inbox-provisioner|services/inbox-provisioner|OrdersMail.InboxProvisioner|ORDERSMAIL_InboxProvisioner__Port"
  "inbound-router|services/inbound-router|OrdersMail.InboundRouter|ORDERSMAIL_InboundRouter__Port"
  "delivery-tracker|services/delivery-tracker|OrdersMail.DeliveryTracker|ORDERSMAIL_DeliveryTracker__Port"
)

RUN_DIR="$DATA_DIR/run"

# prepare_service NAME: what a service needs from the ones started before it, done just before it starts.
# delivery-tracker verifies Resend's webhooks with its endpoint's secret: the endpoint is registered with the
# sandbox (which stands in for Resend's dashboard) for the delivery events it tracks, and the secret it returns
# is exported. An endpoint the sandbox has already for the tracker's URL and events is reused: registering one per
# start left the earlier ones behind, each delivering every event again under a secret the new tracker refuses, and
# retried 8 times (on a system whose tracker up.sh had started many times, the tracker spent 9-11 ms of CPU per order
# instead of 3-4, and the sandbox's retries reached it during the attack scenario). A secret set already (a real
# Resend endpoint's) is kept. The sandbox keeps endpoints in memory, so a sandbox started again needs the tracker
# started again too.
prepare_service() {
  [[ "$1" == orders-api ]] && retire_queues
  [[ "$1" == inbound-router ]] && retire_bindings
  [[ "$1" == delivery-tracker && -z "${ORDERSMAIL_Resend__WebhookSecret:-}" ]] || return 0
  command -v curl >/dev/null 2>&1 || fail "curl is needed to register delivery-tracker's Resend webhook with the sandbox" \
    "Install curl, or set ORDERSMAIL_Resend__WebhookSecret."
  wait_until "$ORDERSMAIL_START_TIMEOUT" http_ok "$SANDBOX_URL/sandbox/resend/webhooks" "" "" \
    || fail "mail-sandbox: no answer within ${ORDERSMAIL_START_TIMEOUT}s; delivery-tracker's Resend webhook cannot be registered"
  local events='["email.sent","email.delivered","email.delivery_delayed","email.bounced","email.complained","email.failed","email.suppressed"]'
  local url="http://127.0.0.1:$ORDERSMAIL_DeliveryTracker__Port/webhooks/resend"
  local listed answer
  listed="$(curl -fsS --max-time 5 "$SANDBOX_URL/sandbox/resend/webhooks")" \
    || fail "mail-sandbox: listing its Resend webhooks failed"
  # One endpoint object per line (they hold no nested objects), the sandbox's field order: id, url, events, secret.
  answer="$(sed 's/},{/}\n{/g' <<<"$listed" | grep -F "\"url\":\"$url\",\"events\":$events," | head -n 1)" || true
  if [[ -z "$answer" ]]; then
    answer="$(curl -fsS --max-time 5 -X POST "$SANDBOX_URL/sandbox/resend/webhooks" -H 'Content-Type: application/json' \
      -d "{\"url\":\"$url\",\"events\":$events}")" \
      || fail "mail-sandbox: registering delivery-tracker's Resend webhook failed"
  fi
  ORDERSMAIL_Resend__WebhookSecret="$(sed -n 's/.*"signing_secret":"\([^"]*\)".*/\1/p' <<<"$answer")"
  [[ -n "$ORDERSMAIL_Resend__WebhookSecret" ]] || fail "mail-sandbox: no signing_secret in its answer: $answer"
  export ORDERSMAIL_Resend__WebhookSecret
}

# Queues no consumer reads any more. MassTransit never deletes a queue, so one left behind by an earlier build stays
# bound to its events and collects them for good (and the load tool's "quiet system" never comes). Deleted before
# orders-api starts; an event waiting in one is covered elsewhere (noted beside each). A list that only grows.
RETIRED_QUEUES=(
  # 2026-12-03: the confirmation is claimed by orders-api-inbox-ready and orders-api-inbox-provisioning-failed, in
  # the transaction that updates the order; an order left ready or failed without one is claimed by the sweeper.
  orders-api-order-confirmation
)

retire_queues() {
  command -v curl >/dev/null 2>&1 || { warn "curl is missing: retired queues (${RETIRED_QUEUES[*]}) are not deleted"; return 0; }
  local queue
  for queue in "${RETIRED_QUEUES[@]}"; do
    delete_retired queue "$queue" "queues/$(management_vhost)/$queue"
  done
}

# Bindings no consumer needs any more, as "source exchange|destination exchange" (MassTransit binds each message type's
# exchange to the exchange of the consumer's queue). MassTransit never removes a binding, so one left by an earlier build
# keeps routing that message type into the queue, where the consumer now skips it. Deleted before the service starts.
RETIRED_BINDINGS=(
  # 2026-12-04: inbound-router learns outbound Message-IDs from OutboundEmailSent alone.
  "OrdersMail.Contracts.Outbound:OutboundEmailQueued|inbound-router-outbound-message-ids"
)

retire_bindings() {
  command -v curl >/dev/null 2>&1 || { warn "curl is missing: retired bindings (${RETIRED_BINDINGS[*]}) are not deleted"; return 0; }
  local binding source destination
  for binding in "${RETIRED_BINDINGS[@]}"; do
    IFS='|' read -r source destination <<<"$binding"
    # "~" names the binding with an empty routing key and no arguments, the only kind MassTransit makes here.
    delete_retired binding "$source -> $destination" "bindings/$(management_vhost)/e/${source//:/%3A}/e/$destination/~"
  done
}

# The broker's virtual host as the management API's paths spell it.
management_vhost() {
  local vhost="${ORDERSMAIL_RabbitMq__VirtualHost:-/}"
  echo "${vhost//\//%2F}"
}

# delete_retired KIND NAME PATH: DELETEs PATH of the management API; gone already is fine, anything else is a warning.
delete_retired() {
  local status
  status="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -u "$ORDERSMAIL_RabbitMq__Username:$ORDERSMAIL_RabbitMq__Password" \
    -X DELETE "http://127.0.0.1:$ORDERSMAIL_RabbitMq__ManagementPort/api/$3")" || status=unreachable
  case "$status" in
    204) info "rabbitmq: deleted the retired $1 $2" ;;
    404) ;;
    *) warn "rabbitmq: could not delete the retired $1 $2 (management API: $status)" ;;
  esac
}

service_pid_file() { echo "$RUN_DIR/$1.pid"; }

# service_pid NAME: the recorded pid of a service we started, if it is still alive.
service_pid() {
  local pid
  pid="$(cat "$(service_pid_file "$1")" 2>/dev/null)" || return 1
  pid_alive "$pid" '^(dotnet|OrdersMail)' && echo "$pid"
}
