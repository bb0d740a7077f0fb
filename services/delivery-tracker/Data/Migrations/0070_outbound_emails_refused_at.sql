-- When the provider last refused an email's send outright (its team's quota used up): nothing went out under the send's
-- Idempotency-Key then, so the relay's idempotency window (Relay:IdempotencyWindow) runs from here instead of from the
-- pick-up, and an email waiting out a quota for a day is sent when the quota is back, not failed as unanswered.
alter table outbound_emails add column if not exists refused_at timestamptz;
