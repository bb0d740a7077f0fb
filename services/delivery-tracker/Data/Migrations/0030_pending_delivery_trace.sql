-- The trace a kept delivery fact arrived in (a webhook's traceparent): applied later, it is applied in that trace,
-- so the DeliveryStateChanged it causes still belongs to the email's, and the order's, trace.
alter table pending_delivery_events add column trace_parent text;
