-- AgentMail names an inbox by its address, and an address freed by a deleted inbox can be given to another customer:
-- the inbox is then theirs from the InboxReady that says so. The owner follows the newest InboxReady (its ready_at),
-- as the inbox's webhook does; an older one delivered late changes nothing. A row from before has no as_of: the next
-- InboxReady for its inbox sets both.
alter table inbox_owners add column as_of timestamptz;
