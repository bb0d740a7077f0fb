-- Whether the build that recorded an inbound message hands off every message it labels (this one on). A build from
-- before hand-offs (0016) labels a message without one, and during a rolling upgrade such a replica keeps consuming
-- beside the new ones: its rows keep the default, false, and the hand-off reconcile (Handoffs/HandoffReconcile) hands
-- off their agent labels. A label without a hand-off on a row this build recorded is the customer's own, not the agent's.
-- A constant default changes no row: the column is added without rewriting the table.
alter table order_messages add column recorded_with_handoffs boolean not null default false;

-- The reconcile's candidates, by when they were recorded: inbound messages with one of the agent's labels that an
-- older build recorded, few on any day; new rows enter it only while an older replica runs. Built inside the
-- migration's transaction (the runner's, where create index concurrently cannot run), so writes to order_messages
-- wait for one scan of the table.
create index order_messages_labelled_by_older_build on order_messages (created_at)
    where direction = 'inbound' and not recorded_with_handoffs and labels && array['needs-review', 'needs-action']::text[];
