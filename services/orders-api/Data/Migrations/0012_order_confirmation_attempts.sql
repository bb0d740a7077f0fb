-- attempts counts the confirmation sweeper's takes of a claim left unwritten; after Confirmation:MaxAttempts the claim
-- is given up (given_up_at), a final state the timeline shows as failed, instead of being written again for ever.
alter table order_confirmations
    add column attempts        integer not null default 0,
    add column given_up_at     timestamptz;

-- The sweeper's candidates: claims neither written nor given up, oldest first.
drop index order_confirmations_unwritten;
create index order_confirmations_unwritten on order_confirmations (claimed_at) where written_at is null and given_up_at is null;
