-- Kept delivery facts are now dropped after the retention period (unmatched by then, never matched): the sweep finds
-- them by their time, appended in order, as it finds Resend webhook ids (0050).
create index if not exists pending_delivery_events_received_at_brin on pending_delivery_events using brin (received_at) with (autosummarize = on);
