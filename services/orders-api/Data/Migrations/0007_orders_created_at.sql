-- The confirmation sweeper looks for orders with no confirmation in a bounded window of recent orders, whatever
-- their provisioning state (an InboxReady can reach the order and be dead-lettered on the confirmation's queue).
create index orders_created_at on orders (created_at);
