-- A received email's row is inserted, claimed by the routing pump (claimed_until) and marked routed within moments.
-- Half-filled pages keep those versions on the row's own page (see the outbox's 0003_outbox_fillfactor.sql): the claim
-- becomes a HOT update and the WAL holds only what changed. Applies to pages filled from now on.
alter table received_events set (fillfactor = 50);
