-- The trace of each order (the traceparent of the OrderCreated / InboxReady consume that taught the router its
-- reference), so a customer's email routed to the order, which starts a trace of its own, links to the order's.
alter table order_refs add column trace_parent text;

create index order_refs_by_order on order_refs (order_id);
