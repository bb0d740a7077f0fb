-- A bounce's type and sub-type (Permanent, Transient, Undetermined; MailboxFull...): a soft bounce leaves its email to be
-- sent again (send_state 'failed', its file owed to failed/), so a bounce kept before its email's row keeps them too.
alter table pending_delivery_events add column if not exists bounce_type text;
alter table pending_delivery_events add column if not exists bounce_sub_type text;
