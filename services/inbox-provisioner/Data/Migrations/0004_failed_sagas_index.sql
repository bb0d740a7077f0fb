-- The per-state gauge counts the sagas ops act on, in progress and failed, every sweep. Ready sagas stay for good
-- and are not counted (counting them read the whole table each time); failed ones are few, and this index keeps
-- their count from reading the rest.
create index provisioning_sagas_failed on provisioning_sagas (updated_at) where current_state = 'Failed';
