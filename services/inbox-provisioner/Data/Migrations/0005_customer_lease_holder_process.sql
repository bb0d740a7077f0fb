-- The process that holds the lease (HolderProcess: machine, boot, PID namespace, user, PID and its start time), so a
-- step on the same machine can take over at once from a holder whose process is provably gone (a provisioner killed
-- and started again) instead of waiting for expires_at. Null for a holder this version cannot name, and for rows
-- written before it: those are taken over once expired, as before.
alter table customer_leases add column holder_process text;
