-- Each email's copy, found from the email it copies: the timeline shows an agent reply as its newest copy stands once ops
-- sent it again (Emails/SentAgainChain), walking from the reply's email to its copy, and from a failed copy to the next,
-- for each of up to 500 replies at every poll. Copies are few; an email sent once has no entry.
create index order_emails_copies on order_emails (sent_again_of) where sent_again_of is not null;
