-- Every outbound email the relay has picked up from the mail outbox, keyed by the email's id (the file's
-- email_id, or one derived from its name). The relay owns the send columns; verified provider events own the
-- delivery columns, whose rank only rises (queued 1 < sent 2 < delayed 3 < delivered 4 < bounced, complained,
-- failed 5), so a late or repeated event never moves an email back.
create table outbound_emails (
    email_id             uuid        primary key,
    order_id             uuid,
    kind                 text,
    provider             text        not null check (provider in ('agentmail', 'resend')),
    recipients           text[]      not null,
    subject              text        not null,
    file_name            text        not null,
    -- The RFC 5322 Message-ID as sent: chosen by us for Resend, returned by AgentMail for replies.
    internet_message_id  text,
    -- Resend's email id or AgentMail's message id: what the provider's delivery events name.
    provider_message_id  text,
    send_state           text        not null default 'pending' check (send_state in ('pending', 'sent', 'failed')),
    attempts             int         not null default 0,
    next_attempt_at      timestamptz,
    last_error           text,
    delivery_state       text        not null default 'queued',
    delivery_rank        int         not null default 1,
    delivery_detail      text,
    queued_at            timestamptz not null default now(),
    sent_at              timestamptz,
    updated_at           timestamptz not null default now()
);

create unique index outbound_emails_by_provider_message on outbound_emails (provider, provider_message_id)
    where provider_message_id is not null;
create index outbound_emails_by_internet_message on outbound_emails (internet_message_id)
    where internet_message_id is not null;
create index outbound_emails_of_order on outbound_emails (order_id, queued_at);
create index outbound_emails_due on outbound_emails (next_attempt_at) where send_state = 'pending';
