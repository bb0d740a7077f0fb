-- inbound-router's schema: what it verifies webhooks with, what it has received, and what it routes by.

-- The webhook that feeds each inbox now, learned from InboxReady / InboxWebhookReplaced (or asked of AgentMail
-- when an event comes first), and its signing secret, read from AgentMail by the router itself (it never travels
-- on the bus). as_of orders the facts: an older InboxReady never undoes a newer replacement.
create table inbox_webhooks (
    inbox_id    text        primary key,
    webhook_id  text        not null,
    secret      text,
    as_of       timestamptz not null,
    updated_at  timestamptz not null default now()
);

-- Webhooks replaced by another: never trusted again, whatever message names them later.
create table retired_webhooks (
    webhook_id  text        primary key,
    retired_at  timestamptz not null default now()
);

-- Every verified delivery, once: the svix-id (stable across Svix's retries) and AgentMail's event id are both
-- dedupe keys. Written in the same transaction as the outbox row that hands the event to the bus.
create table received_events (
    svix_id     text        primary key,
    event_id    text        not null unique,
    inbox_id    text        not null,
    event_type  text        not null,
    received_at timestamptz not null default now()
);

create index received_events_received_at on received_events (received_at);

-- order_ref -> order, from OrderCreated and InboxReady: what the inbox's metadata.order_ref points at.
create table order_refs (
    order_ref   text        primary key,
    order_id    uuid        not null,
    user_id     text        not null
);

-- The RFC Message-IDs of mail we sent, per order: a reply naming one belongs to that order.
create table outbound_message_ids (
    internet_message_id text primary key,
    order_id            uuid not null
);

-- One routing decision per inbound message (routed or parked), so a message is published once.
create table routed_messages (
    inbox_id    text        not null,
    message_id  text        not null,
    decided_at  timestamptz not null default now(),
    primary key (inbox_id, message_id)
);

-- Messages no order could be found for: kept whole for ops to re-route once the cause is fixed.
create table parked_messages (
    id          uuid        primary key,
    inbox_id    text        not null,
    message_id  text        not null,
    reason      text        not null,
    email       jsonb       not null,
    parked_at   timestamptz not null default now(),
    routed_at   timestamptz,
    order_id    uuid,
    unique (inbox_id, message_id)
);

create index parked_messages_pending on parked_messages (parked_at) where routed_at is null;
