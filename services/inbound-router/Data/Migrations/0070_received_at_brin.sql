-- received_at served only the retention sweep (the routing pump's claim has its own partial index). As a B-tree it
-- cost an index entry, and so a WAL record, for every event received and again for every routing mark (which changes
-- email, so it is never a HOT update). A BRIN index (each range of 128 pages' lowest and highest received_at; rows are
-- appended in time order) serves the sweep as well, for next to nothing per row. See the outbox's 0004.
create index if not exists received_events_received_at_brin on received_events using brin (received_at) with (autosummarize = on);
drop index if exists received_events_received_at;
