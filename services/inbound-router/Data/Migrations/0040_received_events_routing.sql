-- A received email waits for routing in its own received_events row instead of going through the bus: the ingress's
-- group commit stores what routing needs with the row, and the router's routing pump takes unrouted rows from here.
--   email          the InboundEmailReceived as JSON (NUL-free, as the outbox writes); null for delivery facts, and
--                  cleared once routed, so a week of kept rows does not keep every body
--   trace_parent   the ingress request's W3C traceparent: the routing span continues it
--   claimed_until  a pump's claim: until then no other pump takes the row; a pump that dies leaves it to expire
--   route_attempts claims so far, so a row whose routing keeps failing is parked after Routing:MaxAttempts
--   routed_at      when its decision (routed or parked) committed
alter table received_events
    add column email          text,
    add column trace_parent   text,
    add column claimed_until  timestamptz,
    add column route_attempts int not null default 0,
    add column routed_at      timestamptz;

-- The pump's scan: only rows still waiting, oldest first.
create index received_events_unrouted on received_events (received_at) where email is not null;

-- Emails handed to the bus before this version and not routed yet (in the outbox or in the old routing queue, whose
-- consumer is gone) wait in their rows instead; their outbox rows that were never published are dropped.
do $$
begin
    if to_regclass('outbox_messages') is not null then
        update received_events r
        set email = o.payload::text, trace_parent = o.trace_parent
        from outbox_messages o
        where o.message_type = 'OrdersMail.InboundRouter.Routing.InboundEmailReceived'
          and o.payload->>'eventId' = r.event_id
          and not exists (
              select 1 from routed_messages m
              where m.inbox_id = o.payload->>'inboxId' and m.message_id = o.payload->>'messageId');
        delete from outbox_messages
        where message_type = 'OrdersMail.InboundRouter.Routing.InboundEmailReceived' and published_at is null;
    end if;
end
$$;
