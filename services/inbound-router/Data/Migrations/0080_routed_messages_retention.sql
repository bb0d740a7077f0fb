-- routed_messages is the "decided once" record of each inbound message. It grew for good: one row per email ever
-- received. A decision needs remembering only as long as the same message can come again: AgentMail's retries stop
-- after about 28 h, and received_events (the svix-id and event_id dedupe in front of it) is kept for the retention
-- period. The retention sweep now deletes decisions as old as that; this BRIN index (rows are appended in
-- decided_at order) lets it find them without reading the table, for next to nothing per row. See 0070.
create index if not exists routed_messages_decided_at_brin on routed_messages using brin (decided_at) with (autosummarize = on);
