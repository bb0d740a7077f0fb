-- A reply claim carries what its reply needs besides the recorded message (order_messages: sender, subject, text,
-- thread), so the sweeper can compose and write a claim its consumer left unwritten past every retry: the inbox it
-- is sent from, the thread's References and the trace it continues. attempts counts the sweeper's takes; after
-- Agent:Replies:MaxAttempts the claim is given up (given_up_at), a final state the timeline shows as failed.
alter table agent_replies
    add column inbox_id        text,
    add column thread_refs     text[] not null default '{}',
    add column trace_parent    text,
    add column attempts        integer not null default 0,
    add column given_up_at     timestamptz;

-- Claims from before this migration did not keep their inbox: the order's own is the one its customer writes to.
update agent_replies r set inbox_id = o.reply_address
from orders o
where o.id = r.order_id and r.written_at is null;

-- One with no inbox to answer from cannot be written: it is given up now, visibly, rather than swept for ever.
update agent_replies set given_up_at = now() where written_at is null and inbox_id is null;

-- The sweeper's candidates: claims neither written nor given up, oldest first.
create index agent_replies_unwritten on agent_replies (claimed_at) where written_at is null and given_up_at is null;
