-- One row per customer whose AgentMail resources a step is changing: which step (holder) and until when. A lease is
-- taken, renewed and released in short autocommit statements, so no connection or lock is held while the step calls
-- AgentMail (the transaction-scoped advisory lock it replaces was, for the length of AgentMail's retries). A holder
-- that dies leaves its row; the row is taken over once expires_at has passed. Every write to customer_inboxes made
-- under a lease checks, in the same statement, that the lease is still this holder's.
create table customer_leases (
    user_id text primary key,
    holder uuid not null,
    expires_at timestamptz not null
);
