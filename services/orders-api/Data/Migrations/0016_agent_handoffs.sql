-- The inbound messages the agent handed to a person (labelled needs-review or needs-action), one row per message,
-- written where the agent decides, in the transaction that records the message. The labels are the customer's to
-- change; this row is what ops list (GET /agent/handoffs) and mark done, whatever the customer did with the label.
create table agent_handoffs (
    message     uuid        primary key references order_messages (id) on delete cascade, -- order_messages.id
    label       text        not null check (label in ('needs-review', 'needs-action')),
    reason      text        not null, -- why: sender_not_verified, answer_limit_reached, asks_for_action, labelled_before_handoffs
    intent      text        not null, -- what the message asks for, as the agent read it (where_is_my_order, cancel...)
    handed_at   timestamptz not null default now(),
    done_at     timestamptz
);

-- The open hand-offs, oldest first with keyset pagination on (handed_at, message), and their count for the gauge.
create index agent_handoffs_open on agent_handoffs (handed_at, message) where done_at is null;

-- Messages the agent labelled before this table existed were promised a person too: each inbound message that still
-- carries one of its labels is handed off as of when it was recorded (a label the customer removed is gone, and so
-- is what it said).
insert into agent_handoffs (message, label, reason, intent, handed_at)
select m.id,
       case when 'needs-review' = any (m.labels) then 'needs-review' else 'needs-action' end,
       'labelled_before_handoffs',
       coalesce(r.intent, 'other'),
       m.created_at
from order_messages m
left join agent_replies r on r.order_id = m.order_id and r.message_id = m.message_id
where m.direction = 'inbound' and m.labels && array['needs-review', 'needs-action'];
