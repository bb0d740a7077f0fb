namespace OrdersMail.OrdersApi.Emails;

/// <summary>
/// Where an email stands once ops sent it again. delivery-tracker's send-again makes a failed email a copy with a new id
/// whose <c>sent_again_of</c> names it, and a copy that fails in turn may be sent again too: the newest copy of the chain
/// is what the customer got, while what points at the email (an agent reply's claim, its message in the conversation)
/// keeps naming the first one.
/// </summary>
internal static class SentAgainChain
{
    // sent_again_of is what an event said; nothing in the database keeps two rows from naming each other. A loop stops
    // here, far past any chain ops make by hand.
    private const int MaxCopies = 32;

    /// <summary>
    /// A scalar subquery: the state of the newest copy of the email whose id is the SQL expression
    /// <paramref name="emailId"/> (a column of the enclosing query), the email's own when it was never sent again, null
    /// when orders-api has no row of it yet.
    /// </summary>
    public static string NewestState(string emailId) =>
        $"""
        (with recursive chain (email_id, state, recorded_at, depth) as (
             select original.email_id, original.state, original.recorded_at, 0 from order_emails original where original.email_id = {emailId}
             union all
             select copied.email_id, copied.state, copied.recorded_at, chain.depth + 1
             from chain join order_emails copied on copied.sent_again_of = chain.email_id
             where chain.depth < {MaxCopies})
         select chain.state from chain order by chain.depth desc, chain.recorded_at desc limit 1)
        """;

    /// <summary>
    /// A subquery for <c>in</c>: the ids the SQL query <paramref name="emailIds"/> selects (one column) and those of all
    /// their copies, sent again.
    /// </summary>
    public static string WithCopies(string emailIds) =>
        $"""
        (with recursive chain (email_id, depth) as (
             select named.email_id, 0 from ({emailIds}) named (email_id)
             union all
             select copied.email_id, chain.depth + 1
             from chain join order_emails copied on copied.sent_again_of = chain.email_id
             where chain.depth < {MaxCopies})
         select chain.email_id from chain)
        """;
}
