-- The Message-ID the provider's events say the email went out with, when it is not the one we recorded (Resend sends
-- through Amazon SES, which may replace ours): kept so that each id the email is given is published once
-- (OutboundMessageIdAssigned), however often the events naming it come. A kept fact holds the id its event named.
alter table outbound_emails add column if not exists assigned_message_id text;
alter table pending_delivery_events add column if not exists internet_message_id text;
