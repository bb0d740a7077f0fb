-- Each order's conversation: the customer's routed inbound emails and the agent's replies.
create table order_messages (
    id               uuid        primary key default gen_random_uuid(), -- the id in the API's URLs
    order_id         uuid        not null references orders (id) on delete cascade,
    message_id       text        not null, -- RFC 5322 Message-ID, <...>
    thread_id        text,
    direction        text        not null check (direction in ('inbound', 'outbound')),
    from_address     text        not null,
    subject          text        not null,
    preview          text        not null,
    body             text        not null,
    sender_verified  boolean     not null,
    labels           text[]      not null default '{}',
    is_read          boolean     not null default false,
    archived         boolean     not null default false,
    received_at      timestamptz not null,
    created_at       timestamptz not null default now(),
    -- One row per message, however often its event is delivered.
    unique (order_id, message_id)
);

-- Oldest first with keyset pagination on (received_at, id).
create index order_messages_timeline on order_messages (order_id, received_at, id);
