-- A look given up (AgentMail refused the router's key, or stayed away past the pump's attempts) lost its row, and nothing
-- could ask for it again. Ops now can (POST /routing/missed-mail/{inboxId}), from a time of their choosing: the look
-- lists the mail received after it. Null is the look's own window, Routing:MissedMailWindow before requested_at.
alter table missed_mail_lookups add column listed_after timestamptz;
