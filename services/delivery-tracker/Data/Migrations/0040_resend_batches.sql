-- Batches of Resend sends (POST /emails/batch). Resend's Idempotency-Key covers a whole batch, so a batch whose
-- answer was lost (a timeout, a kill) must be sent again with exactly the same members and bytes under the same key,
-- or Resend sends its emails twice. Its membership and its request body are committed before the send, with the
-- members' rows; the key is derived from batch_id. A member still pending with a batch_id is only ever sent again
-- as part of that batch; a batch Resend refuses for good (strict mode: nothing of it sent) has its members'
-- batch_id cleared, and each is sent on its own.
create table resend_batches (
    batch_id    uuid        primary key,
    -- The members in the order of the request, which is the order of the ids Resend answers.
    email_ids   uuid[]      not null,
    -- The exact request body (a JSON array of emails), sent again byte for byte.
    body        bytea       not null,
    created_at  timestamptz not null default now()
);

alter table outbound_emails add column batch_id uuid references resend_batches (batch_id);
create index outbound_emails_by_batch on outbound_emails (batch_id) where batch_id is not null;
