-- A look for missed mail lists at most Routing:MissedMailPages pages a pass, oldest first: one cut short there went on to
-- drop the newest mail, the mail most likely missed. It now records where it stopped (the newest message it listed)
-- and its next pass lists after that; a new request for the inbox starts from its own window again.
alter table missed_mail_lookups add column resume_after timestamptz;
