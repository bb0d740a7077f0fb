-- Ops' list of a customer's sagas (GET /provisioning?user_id=, Operations/ProvisioningReader) carries the newest 100,
-- and sagas are never deleted: through an index of the user id alone it read every saga the customer ever had, then
-- sorted them. Ordered by created_at within the user id, the index gives the newest first and the list stops at 100.
-- It serves a lookup by the user id alone as well. Built inside the migration's transaction (the runner's, where
-- create index concurrently cannot run), so saga writes wait for one scan of the table.
create index if not exists provisioning_sagas_user_newest on provisioning_sagas ((data ->> 'userId'), created_at desc);
drop index if exists provisioning_sagas_user;
