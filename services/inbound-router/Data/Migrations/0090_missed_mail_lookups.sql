-- Inboxes whose mail received while no webhook fed them is still to be looked for (Recovery/MissedMailPump): written
-- with the learning of a replaced webhook, in the same command, and deleted once the look is done, so an AgentMail
-- outage delays a look and never loses it.
create table missed_mail_lookups (
    inbox_id     text        primary key,
    requested_at timestamptz not null default now(),
    attempts     integer     not null default 0,
    due_at       timestamptz not null default now()
);
