-- Each reply claim keeps the bare address it answers, lower case, so the agent can count its answers to one sender on
-- one order (Agent:AnswerLimit): a customer's auto-responder that answers every reply is answered a few times, not for
-- ever. Claims of the last 30 days, the longest window the setting allows, take the address of the message they answer
-- (From's <address>, or all of it when it has no angle brackets); older ones can be in no window and stay null.
alter table agent_replies add column sender text;

update agent_replies r set sender = lower(coalesce(substring(m.from_address from '<([^<>]+)>\s*$'), btrim(m.from_address)))
from order_messages m
where m.order_id = r.order_id and m.message_id = r.message_id and m.direction = 'inbound'
  and r.claimed_at > now() - interval '30 days';

-- The count made for every message the agent may answer.
create index agent_replies_sender on agent_replies (order_id, sender, claimed_at);
