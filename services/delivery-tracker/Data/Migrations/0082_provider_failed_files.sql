-- An email the provider accepted and reported failed later (Resend's email.failed, AgentMail's message.rejected) is
-- failed for the relay too (send_state 'failed', set with the delivery state's move), so ops can send it again; its
-- file, in sent/ since the acceptance, is moved to failed/ after the commit. failed_file_due says since when that move
-- is owed: set with the failure, cleared once the file is in failed/ (ProviderFailedFiles), so a process that died
-- between the commit and the move has it done by the next pass, and the retention sweep keeps the file meanwhile.
alter table outbound_emails add column if not exists failed_file_due timestamptz;
create index if not exists outbound_emails_failed_file_due on outbound_emails (failed_file_due) where failed_file_due is not null;
