-- A verified AgentMail event the ingress cannot read as the event it says it is (a received message without `from` or
-- `timestamp`, a Message-ID over 998 bytes, a delivery fact without its timestamp) was answered 400: Svix retried it
-- for days and dropped it, and the customer's email reached no one. It is set aside at once instead, like an email
-- routing can never decide (claimed_until 'infinity', set_aside_reason), with the verified body as it came, for a
-- person to read and for POST /routing/set-aside/{svixId}/retry to read again with a newer reader. Null on every other row.
alter table received_events add column if not exists unreadable_event text;
