-- A relay claims a batch (claimed_until, committed at once) and publishes it with no transaction, connection or
-- row lock held while the broker confirms; it stamps the rows afterwards. A claim whose relay died is taken back
-- once it has run out (Outbox:ClaimLease). Rows nobody claimed keep null here.
alter table outbox_messages add column if not exists claimed_until timestamptz;
-- During a rolling deploy a relay of the previous version ignores claims and may publish a claimed row as well;
-- consumers recognise the repeat by its message id (the row id), as they do a republish after a crash.
