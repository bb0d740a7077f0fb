-- Orders placed through the API, and what the rest of the system reports about them.
-- Money is numeric (exact decimal); currency is the ISO 4217 code the order was placed in.
create table orders (
    id                   uuid          primary key,
    order_ref            text          not null unique,
    user_id              text          not null,
    customer_email       text          not null,
    customer_name        text,
    currency             char(3)       not null,
    total                numeric(19,4) not null check (total >= 0),
    status               text          not null default 'placed',
    -- Idempotency-Key of the request that created it, with a fingerprint of that request's body.
    idempotency_key      text,
    request_fingerprint  text,
    -- From inbox-provisioner's InboxReady / InboxProvisioningFailed.
    provisioning_state   text          not null default 'pending' check (provisioning_state in ('pending', 'ready', 'failed')),
    provisioning_detail  text,
    inbox_id             text,
    reply_address        text,
    created_at           timestamptz   not null default now(),
    unique (user_id, idempotency_key)
);

-- "The caller's orders, newest first" with keyset pagination on (created_at, id).
create index orders_of_user on orders (user_id, created_at desc, id desc);

create table order_items (
    order_id    uuid          not null references orders (id) on delete cascade,
    line        int           not null,
    sku         text          not null,
    name        text          not null,
    quantity    int           not null check (quantity > 0),
    unit_price  numeric(19,4) not null check (unit_price >= 0),
    primary key (order_id, line)
);

-- Transactional outbox: an event is written in the same transaction as the order it is about, so it exists
-- if and only if the order does; the relay publishes pending rows and stamps them.
create table outbox_messages (
    id            uuid        primary key, -- also the bus message id, so consumers recognise a republish
    message_type  text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    attempts      int         not null default 0,
    last_error    text
);

create index outbox_pending on outbox_messages (created_at) where published_at is null;

-- An order's outbound emails and their delivery state, from delivery-tracker's events. Events may arrive in
-- any order, so the descriptive columns are filled by whichever event carries them; state_rank only rises.
create table order_emails (
    email_id    uuid        primary key,
    order_id    uuid        not null references orders (id) on delete cascade,
    kind        text,
    subject     text,
    recipients  text[],
    provider    text,
    state       text        not null,
    state_rank  int         not null,
    detail      text,
    queued_at   timestamptz,
    updated_at  timestamptz not null
);

create index order_emails_of_order on order_emails (order_id, queued_at);

-- Bus messages already applied, per consumer: a redelivered or republished event changes nothing twice.
create table processed_messages (
    consumer      text        not null,
    message_id    uuid        not null,
    processed_at  timestamptz not null default now(),
    primary key (consumer, message_id)
);
