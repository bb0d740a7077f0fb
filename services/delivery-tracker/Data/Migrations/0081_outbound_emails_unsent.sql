-- The relay's idempotency window (Relay:IdempotencyWindow) runs from the pick-up, or from window_from, when the relay
-- began a send of an email none of whose sends before could have been accepted; and not at all while unsent holds:
-- every send of the email so far was held back unsent (a pause of this relay's) or answered with a refusal that says
-- its key was not used (Resend's quota). Such an email has no answer to lose, so it is sent when the pause ends however
-- long it lasted. refused_at, which every hold moved, restarted the window for a send whose answer had been lost
-- before the hold: builds before this one still read it, so it stays, and an email pending now keeps its window.
alter table outbound_emails add column if not exists window_from timestamptz;
alter table outbound_emails add column if not exists unsent boolean not null default false;
update outbound_emails set window_from = refused_at where send_state = 'pending' and refused_at > queued_at and window_from is null;
