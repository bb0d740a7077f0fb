using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.Contracts.Inbound;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>Writes a routing decision, once per message, with its event (<c>InboundMessageRouted</c> or <c>InboundMessageParked</c>) in the caller's transaction.</summary>
public sealed partial class RoutedMessages(OutboxWriter outbox)
{
    /// <summary>Records the decision; false when the message was decided before (nothing is written again).</summary>
    public async Task<bool> ApplyAsync(NpgsqlTransaction transaction, InboundEmailReceived email, RoutingDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(decision);
        var first = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "insert into routed_messages (inbox_id, message_id) values (@InboxId, @MessageId) on conflict do nothing",
            new { email.InboxId, email.MessageId },
            transaction,
            cancellationToken: cancellationToken));
        if (first == 0)
        {
            return false;
        }

        if (decision.OrderId is { } orderId)
        {
            await outbox.AddAsync(transaction, Routed(email, orderId, decision.RoutedBy!) with { OrderRef = decision.OrderRef }, cancellationToken);
            return true;
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "insert into parked_messages (id, inbox_id, message_id, reason, email) values (@Id, @InboxId, @MessageId, @Reason, @Email::jsonb)",
            new { Id = Guid.NewGuid(), email.InboxId, email.MessageId, Reason = decision.ParkReason, Email = OutboxMessageTypes.Serialize(email, typeof(InboundEmailReceived)) },
            transaction,
            cancellationToken: cancellationToken));
        await outbox.AddAsync(
            transaction,
            new InboundMessageParked(email.InboxId, email.MessageId, email.From, email.Subject, decision.ParkReason!, email.ReceivedAt),
            cancellationToken);
        return true;
    }

    /// <summary>What orders-api and the agent are told of a routed email.</summary>
    public static InboundMessageRouted Routed(InboundEmailReceived email, Guid orderId, string routedBy)
    {
        ArgumentNullException.ThrowIfNull(email);
        return new InboundMessageRouted(
            orderId, email.InboxId, email.MessageId, email.ThreadId, email.From, email.Subject, email.Text ?? TextOf(email.Html), email.InReplyTo,
            email.References, routedBy, email.ReceivedAt, email.AutoSubmitted, email.Precedence, email.XAutoreply);
    }

    // A mail with only an HTML body: its text without tags, enough for the conversation and the agent.
    private static string TextOf(string? html) =>
        html is null ? "" : WebUtility.HtmlDecode(Tags().Replace(html, " ")).Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
