-- The agent's replies written to the mail outbox, one per inbound message. A row is added only after its file is in
-- the outbox, so a consumer that runs again for the message finds it and writes no second file; a run that died
-- between the file and this row writes the same email_id again, which the relay sends once.
create table agent_replies (
    order_id    uuid        not null references orders (id) on delete cascade,
    message_id  text        not null, -- the customer's RFC 5322 Message-ID
    email_id    uuid        not null unique,
    file_name   text        not null,
    intent      text        not null,
    composer    text        not null,
    written_at  timestamptz not null default now(),
    primary key (order_id, message_id)
);

-- "Is this sender one of our own inboxes?", asked for every inbound message so the agent never answers itself.
create index orders_reply_address on orders (lower(reply_address)) where reply_address is not null;
