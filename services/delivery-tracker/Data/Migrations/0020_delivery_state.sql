-- Delivery state from verified provider events. The rank is the contract's DeliveryState value (queued 1 < sent 2
-- < delivery_delayed 3 < delivered 4 < bounced 5 < complained 6 < failed 7), a total order, so that however
-- the events arrive the email ends in the same state: the finals all outrank delivered, and between two finals
-- (a rare contradiction) the higher one wins whichever came first. orders-api ranks its view the same way.
comment on column outbound_emails.delivery_rank is 'DeliveryState value of delivery_state; only ever rises (DeliveryProgress)';

-- Resend webhook deliveries already applied, by svix-id (the same on every Svix retry and replay).
create table resend_webhook_deliveries (
    svix_id      text        primary key,
    event_type   text        not null,
    received_at  timestamptz not null default now()
);

-- Verified delivery facts about an email the tracker has no row for yet (a webhook faster than the relay's
-- row, or than the provider id it stamps after the send). Kept here, never dropped, and applied by
-- PendingDeliveryEvents once outbound_emails has a row with that provider and provider_message_id.
create table pending_delivery_events (
    id                   bigint      generated always as identity primary key,
    provider             text        not null check (provider in ('agentmail', 'resend')),
    provider_message_id  text        not null,
    state                int         not null check (state between 1 and 7),
    detail               text,
    occurred_at          timestamptz not null,
    source               text        not null,
    received_at          timestamptz not null default now()
);

create index pending_delivery_events_by_email on pending_delivery_events (provider, provider_message_id);
