-- The retention sweep deletes ids consumed before the cutoff; without an index on processed_at it read the whole table
-- every hour to find them (115 ms for orders-api's 211,000 rows, none expired). Rows are appended in time order, so a
-- BRIN index (each range of 128 pages' lowest and highest processed_at) lets it read only the ranges old enough, for
-- next to nothing on insert, where a B-tree would add an entry per consumed message. See the outbox's 0004.
create index if not exists processed_messages_processed_at_brin on processed_messages using brin (processed_at) with (autosummarize = on);
