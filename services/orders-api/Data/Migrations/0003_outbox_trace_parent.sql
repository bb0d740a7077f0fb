-- The W3C traceparent of the request that wrote an outbox row, so its publish (and everything consuming it
-- in the other services) continues that request's trace instead of starting the relay's own.
alter table outbox_messages add column trace_parent text;
