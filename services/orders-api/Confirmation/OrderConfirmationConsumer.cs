using MassTransit;
using Microsoft.Extensions.Options;
using OrdersMail.Contracts.Provisioning;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// Writes each order's confirmation when provisioning ends: with the customer's inbox as Reply-To on
/// <see cref="InboxReady"/>, with the default address on <see cref="InboxProvisioningFailed"/>. orders-api writes it,
/// not delivery-tracker, because it owns the order's items and total; the tracker would otherwise need a copy of
/// every order. The claim in <c>order_confirmations</c> makes it one per order: a redelivery, or an event after the
/// sweeper's fallback, finds the claim and writes nothing.
/// </summary>
public sealed partial class OrderConfirmationConsumer(
    ConfirmationClaims claims,
    ConfirmationWriter writer,
    IOptions<ConfirmationOptions> options,
    ILogger<OrderConfirmationConsumer> logger) : IConsumer<InboxReady>, IConsumer<InboxProvisioningFailed>
{
    /// <summary>The consumer's queue, its own beside orders-api's order-view consumers of the same events.</summary>
    public const string Name = "orders-api-order-confirmation";

    /// <inheritdoc />
    public Task Consume(ConsumeContext<InboxReady> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ready = context.Message;
        return ConfirmAsync(ready.OrderId, ready.UserId, ready.InboxAddress, ConfirmationClaims.InboxReady, context.CancellationToken);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<InboxProvisioningFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failed = context.Message;
        return ConfirmAsync(failed.OrderId, failed.UserId, options.Value.DefaultReplyTo, ConfirmationClaims.ProvisioningFailed, context.CancellationToken);
    }

    private async Task ConfirmAsync(Guid orderId, string userId, string replyTo, string reason, CancellationToken cancellationToken)
    {
        if (await claims.ClaimAsync(orderId, userId, replyTo, reason, cancellationToken) is not { } order)
        {
            LogNothingToDo(logger, orderId, reason);
            return;
        }

        await writer.WriteAsync(order, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} ({Reason}): its confirmation was claimed before, or the order is not the customer's; nothing to write")]
    private static partial void LogNothingToDo(ILogger logger, Guid orderId, string reason);
}
