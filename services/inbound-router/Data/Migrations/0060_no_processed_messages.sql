-- The router's consumers only learn facts (an order's reference, an inbox's webhook, a retired webhook, an email's
-- Message-ID) with idempotent upserts, so a redelivery needs no record of having been applied: the processed-messages
-- table, and the journal of the building block that created it, go.
drop table if exists processed_messages;
drop table if exists schema_migrations_inbox;
