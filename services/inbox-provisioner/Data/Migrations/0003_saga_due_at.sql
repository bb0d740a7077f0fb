-- When a saga asked for its step to be retried (AgentMail was unavailable through the client's retries): written by
-- the saga repository from the instance's RetryAt, cleared by the dispatcher as it claims the retry. The index holds
-- only sagas waiting for a retry, so the dispatcher's frequent look finds nothing cheaply when none is due.
alter table provisioning_sagas add column due_at timestamptz;

create index provisioning_sagas_due on provisioning_sagas (due_at) where due_at is not null;
