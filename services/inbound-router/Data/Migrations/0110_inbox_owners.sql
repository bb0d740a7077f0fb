-- Whose inbox each is (one per customer, user_id), learnt from InboxReady. A reply naming the Message-ID of mail we
-- sent for an order goes to that order only when it reached the inbox of that order's customer: a Message-ID is not
-- a secret (it travels in every copy and forward of the email), and naming one must not put a stranger's mail in
-- another customer's order. An inbox learnt before this table has no row until its next InboxReady; meanwhile its mail
-- goes by the inbox's metadata.order_ref, the customer's newest order, which is theirs either way.
create table inbox_owners (
    inbox_id text primary key,
    user_id  text not null
);
