-- The order's trace (the `order place` span), so work the order causes outside any trace of its own, a confirmation
-- the sweeper writes, continues it instead of starting a trace that only carries the order's reference.
alter table orders add column trace_parent text;
