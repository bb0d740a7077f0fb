-- One row per order's provisioning saga (the PostgreSQL saga repository's shape: state projected for ops,
-- the instance itself as jsonb). Rows stay after the saga ends so ops can always read what happened.
create table provisioning_sagas (
    correlation_id uuid primary key,
    current_state text not null,
    version integer not null,
    data jsonb not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- The sweeper looks for sagas sitting in a step; ops look sagas up by customer.
create index provisioning_sagas_in_progress on provisioning_sagas (updated_at)
    where current_state not in ('Ready', 'Failed');
create index provisioning_sagas_user on provisioning_sagas ((data ->> 'userId'));

-- One row per customer: the AgentMail resources they own, and their newest order (whose reference the
-- inbox's metadata must end with). Every change to a customer's AgentMail resources happens under a
-- transaction-scoped advisory lock on the customer, so concurrent orders of one customer take turns.
create table customer_inboxes (
    user_id text primary key,
    inbox_id text,
    inbox_address text,
    webhook_id text,
    -- Bumped each time a webhook is deleted, so the next one is created under a new client_id.
    webhook_generation integer not null default 0,
    newest_order_id uuid not null,
    newest_order_ref text not null,
    newest_placed_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create unique index customer_inboxes_inbox on customer_inboxes (inbox_id) where inbox_id is not null;
