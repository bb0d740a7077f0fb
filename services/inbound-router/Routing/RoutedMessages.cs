using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Messaging;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// Writes routing decisions, once per message, with their events (<c>InboundMessageRouted</c> or <c>InboundMessageParked</c>)
/// in the caller's transaction: a batch in three statements (the claims, the parked messages, the outbox rows).
/// </summary>
public sealed class RoutedMessages(OutboxWriter outbox)
{
    /// <summary>
    /// Records the decisions of <paramref name="routings"/> (one per message: the caller removes repeats); returns those
    /// that were new, whose events will be published. A message decided before (or parked before) writes nothing again.
    /// </summary>
    public async Task<IReadOnlyList<Routing>> ApplyAsync(NpgsqlTransaction transaction, IReadOnlyList<Routing> routings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(routings);
        if (routings.Count == 0)
        {
            return [];
        }

        var claimed = (await transaction.Connection!.QueryAsync<(string InboxId, string MessageId)>(new CommandDefinition(
            """
            insert into routed_messages (inbox_id, message_id) select * from unnest(@InboxIds, @MessageIds)
            on conflict do nothing
            returning inbox_id, message_id
            """,
            new { InboxIds = routings.Select(r => r.Email.InboxId).ToArray(), MessageIds = routings.Select(r => r.Email.MessageId).ToArray() },
            transaction,
            cancellationToken: cancellationToken))).ToHashSet();
        var applied = routings.Where(r => claimed.Contains((r.Email.InboxId, r.Email.MessageId))).ToList();

        var parked = applied.Where(r => r.Decision.OrderId is null).ToList();
        if (parked.Count > 0)
        {
            // parked_messages keeps a message longer than routed_messages keeps its decision (Routing:UnattendedKeepFor, and
            // the retention period after it was routed again or dismissed): the same Message-ID parked again meanwhile
            // (sent again, or forged) is the same message, decided before. The first parking is kept, what ops have seen,
            // routed or dismissed since, and the repeat writes nothing, like any message decided before: its batch is not
            // failed by the unique key.
            var parkedNow = (await transaction.Connection!.QueryAsync<(string InboxId, string MessageId)>(new CommandDefinition(
                """
                insert into parked_messages (id, inbox_id, message_id, reason, email)
                select p.id, p.inbox_id, p.message_id, p.reason, p.email::jsonb
                from unnest(@Ids, @InboxIds, @MessageIds, @Reasons, @Emails) as p (id, inbox_id, message_id, reason, email)
                on conflict (inbox_id, message_id) do nothing
                returning inbox_id, message_id
                """,
                new
                {
                    Ids = parked.Select(_ => Guid.NewGuid()).ToArray(),
                    InboxIds = parked.Select(p => p.Email.InboxId).ToArray(),
                    MessageIds = parked.Select(p => p.Email.MessageId).ToArray(),
                    Reasons = parked.Select(p => p.Decision.ParkReason!).ToArray(),
                    Emails = parked.Select(p => p.Email.ToJson()).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken))).ToHashSet();
            applied = [.. applied.Where(r => r.Decision.OrderId is not null || parkedNow.Contains((r.Email.InboxId, r.Email.MessageId)))];
        }

        await OutboxWriter.AddEntriesAsync(transaction, [.. applied.Select(r => r.Event)], cancellationToken);
        return applied;
    }

    /// <summary>
    /// The decision for <paramref name="email"/> with its event prepared for the outbox under the current trace (the
    /// message's routing span), ready for <see cref="ApplyAsync"/>.
    /// </summary>
    public Routing Prepare(InboundEmailReceived email, RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(decision);
        var entry = decision.OrderId is { } orderId
            ? outbox.Prepare(Routed(email, orderId, decision.RoutedBy!) with { OrderRef = decision.Order?.OrderRef })
            : outbox.Prepare(new InboundMessageParked(email.InboxId, email.MessageId, email.From, email.Subject, decision.ParkReason!, email.ReceivedAt));
        return new Routing(email, decision, entry);
    }

    /// <summary>
    /// What orders-api and the agent are told of a routed email: its whole text for the conversation, and the new words
    /// AgentMail found in it for the agent, which must answer what the customer wrote now, not the answers they quote;
    /// each cut to <see cref="InboundText.MaxLength"/> and marked so, as a webhook's body can be up to 1 MB.
    /// </summary>
    public static InboundMessageRouted Routed(InboundEmailReceived email, Guid orderId, string routedBy)
    {
        ArgumentNullException.ThrowIfNull(email);
        var text = InboundText.Bounded(email.Text ?? HtmlText.Of(email.Html));
        var newText = InboundText.BoundedOrNull(email.ExtractedText ?? (email.ExtractedHtml is { } html ? HtmlText.Of(html) : null));
        return new InboundMessageRouted(
            orderId, email.InboxId, email.MessageId, email.ThreadId, email.From, email.Subject, text, email.InReplyTo,
            email.References, routedBy, email.ReceivedAt, email.AutoSubmitted, email.Precedence, email.XAutoreply,
            NewText: string.IsNullOrWhiteSpace(newText) || newText == text ? null : newText,
            ListId: email.ListId, ListUnsubscribe: email.ListUnsubscribe, XAutorespond: email.XAutorespond);
    }

    /// <summary>One message's decision and the event that publishes it.</summary>
    /// <param name="Email">The email.</param>
    /// <param name="Decision">Where it goes.</param>
    /// <param name="Event">Its <c>InboundMessageRouted</c> or <c>InboundMessageParked</c>, prepared for the outbox.</param>
    public sealed record Routing(InboundEmailReceived Email, RoutingDecision Decision, OutboxEntry Event);
}
