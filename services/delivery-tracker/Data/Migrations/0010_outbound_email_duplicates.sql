-- Outbox files that carried the email_id of an email already picked up from another file: not sent again,
-- moved to sent/ and remembered here, so an operator can see why a file went to sent/ without a send.
create table outbound_email_duplicates (
    file_name    text        primary key,
    email_id     uuid        not null references outbound_emails (email_id),
    received_at  timestamptz not null default now()
);
