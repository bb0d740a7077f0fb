using Dapper;
using MassTransit;
using Npgsql;
using OrdersMail.Contracts.Outbound;

namespace OrdersMail.InboundRouter.Learning;

/// <summary>
/// Learns the Message-ID of every email we send about an order, so a reply naming it finds its order. It learns it
/// from <see cref="OutboundEmailSent"/> alone, which carries it for both channels (the one we chose for Resend, the one
/// AgentMail assigned to a reply): a customer can only answer an email once it is sent, so the earlier
/// <see cref="OutboundEmailQueued"/> taught nothing a reply could use, and cost a delivery and a consume per email. It
/// learns too, keeping ours, the one a provider gave the email instead (<see cref="OutboundMessageIdAssigned"/>: Resend
/// sends through Amazon SES, which may replace ours), since the recipient's client answers that one. The insert is
/// idempotent, so redeliveries need no record.
/// </summary>
public sealed class OutboundMessageIdsConsumer(NpgsqlDataSource dataSource) : IConsumer<OutboundEmailSent>, IConsumer<OutboundMessageIdAssigned>
{
    /// <summary>The consumer's queue.</summary>
    public const string Name = "inbound-router-outbound-message-ids";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<OutboundEmailSent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RememberAsync(context.Message.InternetMessageId, context.Message.OrderId, context.CancellationToken);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<OutboundMessageIdAssigned> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RememberAsync(context.Message.InternetMessageId, context.Message.OrderId, context.CancellationToken);
    }

    private async Task RememberAsync(string? internetMessageId, Guid? orderId, CancellationToken cancellationToken)
    {
        if (internetMessageId is null || orderId is null)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into outbound_message_ids (internet_message_id, order_id) values (@Id, @OrderId) on conflict do nothing",
            new { Id = internetMessageId, OrderId = orderId },
            cancellationToken: cancellationToken));
    }
}
