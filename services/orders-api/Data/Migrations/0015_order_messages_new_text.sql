-- What the agent reads of an inbound message besides its whole body: the new words AgentMail found in a reply
-- (InboundMessageRouted.NewText), and the Message-ID it answers, whose presence makes its subject the thread's rather
-- than the customer's (Agent/NewWords). The sweeper composes a reply again from this row, and must read what the
-- recording run read. Null new_text: the body is all the agent reads (no quoted history found, a router before the
-- field, a row before this migration); null in_reply_to on older rows reads their subject, as the agent then did.
alter table order_messages add column new_text text, add column in_reply_to text;
