-- An agent reply's row becomes its claim: inserted in the transaction that records the inbound message, before any
-- file exists, with the email id and the file's name fixed then. written_at stays null until the file is in the
-- outbox; the file is written under the row's lock, by whichever run finds it unwritten, so racing runs write one
-- file, and a run that died after the claim leaves it for the redelivery to write under the same name.
alter table agent_replies
    alter column written_at drop not null,
    alter column written_at drop default,
    alter column composer drop not null,
    add column claimed_at timestamptz not null default now();

-- The agent's replies join the conversation as outbound rows, each carrying its outbox email id: its message_id is
-- provisional until the relay reports the Message-ID AgentMail gave it (OutboundEmailSent).
alter table order_messages add column email_id uuid;
create unique index order_messages_email_id on order_messages (email_id) where email_id is not null;
