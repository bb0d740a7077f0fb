-- Parked messages were kept for good, each with its whole email (up to about 1 MB): unauthenticated mail is parked
-- whatever it names and stays parked at every re-route, so anyone could grow the table for good by sending SPF-failing
-- mail to a customer's reply address. Ops can now dismiss a parked message (POST /routing/parked/{id}/dismiss): it is
-- marked dismissed and its email cleared, and its row stays, so a page that ended with it still says where the next
-- one starts. The retention sweep deletes routed and dismissed rows the retention period after they were done
-- (parked_messages_done), and rows nobody acted on after Routing:UnattendedKeepFor (parked_messages_waiting, which the
-- list pages through). Rows set aside for a person (received_events with claimed_until 'infinity') were kept for good
-- too, and mail the router cannot read can come from anyone: they are dismissed likewise
-- (POST /routing/set-aside/{svixId}/dismiss), email and body cleared and left to the sweep as any event done with,
-- dismissed_at set so that dismissing one again is answered the same; those nobody acted on go after
-- Routing:UnattendedKeepFor, found through received_events_set_aside.
alter table parked_messages add column if not exists dismissed_at timestamptz;
alter table parked_messages alter column email drop not null;
create index if not exists parked_messages_waiting on parked_messages (parked_at, id) where routed_at is null and dismissed_at is null;
drop index if exists parked_messages_pending;
create index if not exists parked_messages_done on parked_messages ((coalesce(routed_at, dismissed_at))) where routed_at is not null or dismissed_at is not null;
alter table received_events add column if not exists dismissed_at timestamptz;
