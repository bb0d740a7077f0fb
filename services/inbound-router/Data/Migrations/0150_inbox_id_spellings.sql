-- An event naming an inbox in another spelling of its address (JANE@… for jane@…; anyone could post one, unsigned)
-- made the router ask AgentMail, which answers for any spelling, and store the inbox's webhook and secret under that
-- spelling for good: a row no replacement of the webhook moved, whose old secret stayed trusted. The router now keys
-- by the inbox id as AgentMail spells it; the rows stored under another spelling of an inbox it knows from InboxReady
-- go, with any look for missed mail asked for under them (it would route the inbox's mail a second time).
delete from inbox_webhooks w
where not exists (select 1 from inbox_owners o where o.inbox_id = w.inbox_id)
  and exists (select 1 from inbox_owners o where lower(o.inbox_id) = lower(w.inbox_id));

delete from missed_mail_lookups l
where not exists (select 1 from inbox_owners o where o.inbox_id = l.inbox_id)
  and exists (select 1 from inbox_owners o where lower(o.inbox_id) = lower(l.inbox_id));
