-- A received email that routing can never decide is set aside for a person (claimed_until 'infinity', see
-- Routing/UnroutedEmails). Until now why was only in the router's log; it is kept with the row, for
-- GET /routing/set-aside and the ordersmail.inbound.set_aside gauge, which read them through the partial index
-- (set-aside rows are few; the table holds every event of the retention period).
alter table received_events add column if not exists set_aside_reason text;
update received_events set set_aside_reason = 'set aside before its reason was kept: see the router''s log for its svix_id'
where claimed_until = 'infinity' and set_aside_reason is null;
create index if not exists received_events_set_aside on received_events (received_at) where claimed_until = 'infinity';
