-- Before answering a message the agent looks for an earlier reply to the sender's address that bounced, drew a complaint
-- or was rejected (Agent/BlockedRecipients), as AgentMail refuses every later send to it: found from the address, on
-- any order (agent_replies_sender leads with the order).
create index agent_replies_by_sender on agent_replies (sender);
