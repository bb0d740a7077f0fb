-- Bumped each time the customer's inbox is confirmed deleted (a teardown, the webhook watch finding it gone, a 404 on
-- its stamp), so the next one is asked for under a new client_id: AgentMail documents that a create under a client_id
-- already used answers the stored original, and not what it answers once that original was deleted, so asking again
-- under the same client_id may hand back the dead inbox. 0 keeps the client_id inboxes had before (inbox-{user id}).
alter table customer_inboxes add column inbox_generation integer not null default 0;

-- A teardown deletes the customer's row, and their generation with it, so a customer who orders again would be back
-- at generation 0, the client_id of the inbox just deleted. The generation their next inbox must be asked for under is
-- kept here instead (the user id and a number, nothing of what they ordered), and a new row starts from it. The row of
-- a customer who came back is not removed: a later teardown writes the larger generation over it.
create table retired_inbox_generations (
    user_id text primary key,
    inbox_generation integer not null,
    retired_at timestamptz not null default now()
);
