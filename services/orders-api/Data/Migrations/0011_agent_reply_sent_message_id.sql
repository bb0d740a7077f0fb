-- The Message-ID AgentMail sent a reply under (OutboundEmailSent), kept on the reply's claim: an event consumed before
-- the transaction adding the reply's conversation row commits finds no row to correct, so that transaction takes the
-- Message-ID from here instead. Both take the claim's row lock, so whichever commits first, the row ends with it.
alter table agent_replies add column sent_message_id text;
