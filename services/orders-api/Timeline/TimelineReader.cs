using Dapper;
using Npgsql;
using OrdersMail.OrdersApi.Emails;
using OrdersMail.OrdersApi.Orders;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// Reads an order's timeline for its owner: the order as <see cref="OrderReader"/> shows it (the ownership check), then
/// its newest messages, its confirmation claim, the confirmation's email and its copies (older than the order's newest
/// emails, it would be left out: it is the one a customer asks about) and the agent's replies to those messages, from
/// orders-api's own tables.
/// </summary>
public sealed class TimelineReader(NpgsqlDataSource dataSource, OrderReader orders, TimeProvider time)
{
    /// <summary>
    /// The most messages one answer carries (the newest ones), and the agent's replies to those alone: anyone may write to
    /// the order's inbox, and each message may get a reply. The order's <c>message_count</c> says how many there are;
    /// <c>ListOrderMessages</c> (with <c>include_archived=true</c>) pages through them all, as <c>ListOrderEmails</c> through the emails.
    /// </summary>
    public const int MaxMessages = 500;

    /// <summary>
    /// The most of each message's text one answer carries, in characters. Anyone may write to an order's inbox, each
    /// message up to about a megabyte: 500 whole ones would be half a gigabyte read into one answer, each poll of it.
    /// Cut in the database, so no more than this is ever read (<see cref="NewestMessagesSql"/>); the whole message is one
    /// <c>GetOrderMessage</c> away.
    /// </summary>
    public const int MaxBodyLength = 16_000;

    /// <summary>
    /// The most text of all the messages' bodies one answer carries together, in UTF-8 bytes, filled newest message
    /// first: each poll of the page fetches the answer whole, and a thread of hundreds of messages each quoting the rest
    /// (<see cref="MaxBodyLength"/> apiece) came to 4-8 MB, more than a slow link brings within the page's timeout. Older
    /// messages than the budget holds carry their one-line preview, cut. Half a megabyte of Latin text takes about 4 s on
    /// a link of 1 Mbit/s, within the page's 10 s (the JSON writes other scripts' characters as \uXXXX escapes, twice
    /// their UTF-8 bytes), and the page fetches it again only when it changed (<see cref="TimelineETag"/>).
    /// </summary>
    public const int MaxBodiesBytes = 512 * 1024;

    /// <summary>
    /// The newest <see cref="MaxMessages"/> messages of an order (<c>@OrderId</c>), oldest first. Newest first, each body
    /// cut at <see cref="MaxBodyLength"/> characters while their UTF-8 bytes together fit <see cref="MaxBodiesBytes"/>;
    /// every older one carries its preview instead, cut unless the preview is its whole body. Our replies carry where
    /// their email stands (<see cref="SentAgainChain"/>): a reply is written to the conversation before it is sent.
    /// </summary>
    /// <remarks>
    /// Read no more than that: whether a body is cut is asked of its first <see cref="MaxBodyLength"/> + 1 characters,
    /// read once, not of its whole length (in a UTF-8 database <c>length(body)</c> reads and decompresses every body
    /// whole, where <c>left</c> reads only the slice it returns). And a body's slice is read only while the budget may
    /// still hold it: <c>octet_length</c>, which PostgreSQL answers from the stored value's header without reading it,
    /// capped at <see cref="MaxBodyLength"/> is at most the bytes of its cut body (a character is at least a byte), so
    /// once that floor summed newest first is over the budget, nothing older is read. The slices read come to the budget
    /// and one body more for Latin text, four times that at most (four bytes a character). <c>body &lt;&gt; preview</c>
    /// compares lengths first, and reads a body only as long as its preview.
    /// </remarks>
    public static readonly string NewestMessagesSql =
        $"""
        select Id, MessageId, Direction, FromAddress, Subject,
               case when Spent <= @MaxBodiesBytes then left(Head, @MaxBodyLength) else Preview end as Body,
               case when Spent <= @MaxBodiesBytes then length(Head) > @MaxBodyLength else Body <> Preview end as BodyCut,
               SenderVerified, Labels, ReceivedAt, EmailId, {SentAgainChain.NewestState("counted.EmailId")} as DeliveryState
        from (
            select headed.*,
                   sum(coalesce(octet_length(left(Head, @MaxBodyLength)), @MaxBodiesBytes + 1))
                       over (order by ReceivedAt desc, Id desc rows between unbounded preceding and current row) as Spent
            from (
                select newest.*,
                       case when sum(least(octet_length(Body), @MaxBodyLength))
                                     over (order by ReceivedAt desc, Id desc rows between unbounded preceding and current row) <= @MaxBodiesBytes
                            then left(Body, @MaxBodyLength + 1) end as Head
                from (
                    select id as Id, message_id as MessageId, direction as Direction, from_address as FromAddress, subject as Subject,
                           body as Body, preview as Preview, sender_verified as SenderVerified, labels as Labels, received_at as ReceivedAt,
                           email_id as EmailId
                    from order_messages where order_id = @OrderId
                    order by received_at desc, id desc
                    limit @MaxMessages) newest) headed) counted
        order by ReceivedAt, Id
        """;

    /// <summary>The order's timeline, or null when it does not exist or is not <paramref name="userId"/>'s.</summary>
    public async Task<OrderTimelineView?> FindAsync(string userId, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await orders.FindAsync(userId, orderId, cancellationToken);
        if (order is null)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {NewestMessagesSql};

            select reason as Reason, reply_to as ReplyTo, claimed_at as ClaimedAt, written_at as WrittenAt,
                   attempts as Attempts, given_up_at as GivenUpAt
            from order_confirmations where order_id = @OrderId;

            select r.message_id as MessageId, r.email_id as EmailId, r.intent as Intent, r.composer as Composer, r.claimed_at as ClaimedAt,
                   r.written_at as WrittenAt, r.attempts as Attempts, r.given_up_at as GivenUpAt,
                   {SentAgainChain.NewestState("r.email_id")} as DeliveryState
            from agent_replies r
            where r.order_id = @OrderId
              and r.message_id in (
                  select message_id from order_messages where order_id = @OrderId order by received_at desc, id desc limit @MaxMessages)
            order by coalesce(r.written_at, r.given_up_at, r.claimed_at);

            select {OrderEmailRow.Columns} from order_emails e
            where e.order_id = @OrderId
              and e.email_id in {SentAgainChain.WithCopies("select email_id from order_confirmations where order_id = @OrderId")}
            order by e.recorded_at, e.email_id;
            """,
            new { OrderId = orderId, MaxMessages, MaxBodyLength, MaxBodiesBytes },
            cancellationToken: cancellationToken));

        var messages = (await results.ReadAsync<TimelineMessageRow>()).ToList();
        var confirmation = await results.ReadSingleOrDefaultAsync<TimelineConfirmationRow>();
        var replies = (await results.ReadAsync<TimelineReplyRow>()).ToList();
        var confirmationEmails = (await results.ReadAsync<OrderEmailRow>()).Select(e => e.ToView()).ToList();
        return TimelineComposer.Compose(order, messages, confirmation, confirmationEmails, replies, time.GetUtcNow());
    }
}
