-- One confirmation per order. The row is the claim, committed before the outbox file is written: whoever inserts
-- it (the InboxReady/InboxProvisioningFailed consumer, or the sweeper after Confirmation:WaitForInbox) writes the
-- file; a later event for the same order finds the row and writes nothing. written_at stays null until the file
-- exists, so a claim whose writer died is found again and written under the same email_id (the relay dedupes).
create table order_confirmations (
    order_id    uuid        primary key references orders (id) on delete cascade,
    email_id    uuid        not null unique,
    reply_to    text        not null,
    reason      text        not null check (reason in ('inbox_ready', 'provisioning_failed', 'inbox_timeout')),
    claimed_at  timestamptz not null default now(),
    written_at  timestamptz,
    file_name   text
);

create index order_confirmations_unwritten on order_confirmations (claimed_at) where written_at is null;

-- The sweeper's candidates: orders still waiting for their inbox, oldest first.
create index orders_awaiting_inbox on orders (created_at) where provisioning_state = 'pending';
