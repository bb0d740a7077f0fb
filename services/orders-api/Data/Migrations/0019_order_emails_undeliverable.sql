-- The emails that bounced, drew a complaint or failed: before answering a message the agent looks among them for a reply
-- to the sender's address (Agent/BlockedRecipients), as AgentMail refuses every later send to it. They are few, and
-- looked through for every message the agent may answer.
create index order_emails_undeliverable on order_emails (email_id) where state in ('bounced', 'complained', 'failed');
