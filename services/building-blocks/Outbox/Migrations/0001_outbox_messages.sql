-- Transactional outbox, in the schema of the service that calls AddOutbox: an event is written in the same
-- transaction as the change it is about, so it exists if and only if the change does; the relay publishes
-- pending rows and stamps them, or sets a row aside as a dead letter after Outbox:MaxAttempts failed attempts.
--
-- Everything here is "if not exists": orders-api created outbox_messages in its own migrations (0001, 0003)
-- before the outbox moved into the building blocks, and those run first, so on its schemas, deployed or new,
-- this script only adds what is new (the dead-letter column and the pending index that skips dead letters).
create table if not exists outbox_messages (
    id            uuid        primary key, -- also the bus message id, so consumers recognise a republish
    message_type  text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    attempts      int         not null default 0,
    last_error    text,
    -- The W3C traceparent of the request that wrote the row: its publish continues that request's trace.
    trace_parent  text
);

alter table outbox_messages add column if not exists trace_parent text;

-- When the relay gave up on the row; last_error says why. A dead letter is never published or deleted by the
-- service; ops read it, and put it back by clearing this column (see the README).
alter table outbox_messages add column if not exists dead_lettered_at timestamptz;

-- The relay's pending scan, oldest first; orders-api's index of the same name did not skip dead letters.
drop index if exists outbox_pending;
create index outbox_pending on outbox_messages (created_at) where published_at is null and dead_lettered_at is null;

create index if not exists outbox_dead_letters on outbox_messages (dead_lettered_at) where dead_lettered_at is not null;
