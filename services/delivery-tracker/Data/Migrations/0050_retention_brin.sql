-- The retention sweep's lookups of Resend webhook ids and Resend batches read each whole table every hour to find
-- the rows older than the cutoff. Both are appended in time order: a BRIN index (each range of 128 pages' lowest and
-- highest time) lets the sweep read only the ranges old enough, for next to nothing per row. See the outbox's 0004.
create index if not exists resend_webhook_deliveries_received_at_brin on resend_webhook_deliveries using brin (received_at) with (autosummarize = on);
create index if not exists resend_batches_created_at_brin on resend_batches using brin (created_at) with (autosummarize = on);
