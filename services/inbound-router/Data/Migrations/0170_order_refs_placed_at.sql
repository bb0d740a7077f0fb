-- When each order was placed (OrderCreated.PlacedAt), so mail routed late (recovered after its webhook was mended, or
-- re-routed by ops from the parked list) goes to the customer's newest order placed by the time the mail was received,
-- not to one the customer placed after writing it, which the inbox's metadata.order_ref names by then. A row learnt
-- before this column (or from an InboxReady whose OrderCreated is still to come) has no placed_at: its order routes as
-- before, by the stamp alone.
alter table order_refs add column placed_at timestamptz;

-- The customer's newest order placed by a time: one index probe for each email whose stamp is newer than the email.
create index order_refs_by_customer on order_refs (user_id, placed_at);
