-- Bus messages already applied, per consumer, in the schema of the service that calls AddProcessedMessages:
-- a redelivered or republished event changes nothing twice.
--
-- "if not exists": orders-api created this table in its own 0001 migration before it moved into the building
-- blocks, and the service's own migrations run first, so on its schemas this script changes nothing.
create table if not exists processed_messages (
    consumer      text        not null,
    message_id    uuid        not null,
    processed_at  timestamptz not null default now(),
    primary key (consumer, message_id)
);
