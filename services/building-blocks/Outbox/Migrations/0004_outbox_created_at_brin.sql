-- The retention sweep looks for rows published before the cutoff. With no index on the times it read the whole table
-- every hour to find them: 557 ms and 104,210 pages (827 MB) on a router whose 202,000 rows were all younger than the
-- cutoff, and a table grows with a week of traffic. A BRIN index keeps each range of 128 pages' lowest and highest
-- created_at (rows are appended in time order): the sweep reads only the ranges old enough to hold an expired row. It
-- costs next to nothing on insert (a new range is summarised once it is full, autosummarize), unlike a B-tree entry per
-- row. The sweep's condition adds created_at < cutoff, which published_at < cutoff implies, so the index can serve it.
create index if not exists outbox_messages_created_at_brin on outbox_messages using brin (created_at) with (autosummarize = on);
