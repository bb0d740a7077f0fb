-- When orders-api first heard of each email, set once. An order's emails are listed, and the newest of them shown with
-- the order, by (recorded_at, email_id): no later event moves an email in that order (queued_at may come after its
-- first event, updated_at changes with each), so paging reaches each exactly once. Older rows take their queued time.
alter table order_emails add column recorded_at timestamptz not null default now();
update order_emails set recorded_at = coalesce(queued_at, updated_at);
create index order_emails_listed on order_emails (order_id, recorded_at, email_id);
