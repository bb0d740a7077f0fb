-- The claim's index left out only routed rows (email cleared): a row set aside for a person (claimed_until 'infinity',
-- see Routing/UnroutedEmails) keeps its email for Routing:UnattendedKeepFor (30 days), so every claim walked the index
-- through every set-aside row older than the oldest waiting one and read its row only to pass it by. After an incident
-- that set aside 100,000 emails, each claim (two pump loops per replica, every scan, back to back under a backlog) read
-- 100,000 rows to claim a batch. This index holds only the rows still waiting; the claim states the same predicate so
-- the planner can use it. Set-aside rows are read through received_events_set_aside, as before.
-- Built inside the migration's transaction (the runner's, where create index concurrently cannot run), so the ingress's
-- inserts and the claims wait for one scan of the table, its retention period of events.
create index if not exists received_events_waiting on received_events (received_at)
    where email is not null and claimed_until is distinct from 'infinity';
drop index if exists received_events_unrouted;
