-- A batch is needed only while a member may be sent again as it: pending, and within Resend's 24 h idempotency
-- window. The retention sweep deletes older batches with no pending member (after Delivery's KeepFor, 7 days by
-- default); their sent or failed members keep their rows and lose only the link.
alter table outbound_emails drop constraint outbound_emails_batch_id_fkey;
alter table outbound_emails add constraint outbound_emails_batch_id_fkey
    foreign key (batch_id) references resend_batches (batch_id) on delete set null;
