using System.Diagnostics;
using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>Writes a claimed confirmation into the mail outbox, then records it written.</summary>
public sealed partial class ConfirmationWriter(MailOutboxWriter outbox, ConfirmationClaims claims, ILogger<ConfirmationWriter> logger)
{
    /// <summary>Writes <paramref name="order"/>'s confirmation; a crash before it is recorded leaves the claim for the sweeper to write again.</summary>
    public async Task WriteAsync(ConfirmationOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var traceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
        var fileName = await outbox.WriteAsync(ConfirmationEmail.Compose(order, traceParent), cancellationToken);
        await claims.MarkWrittenAsync(order.OrderId, fileName, cancellationToken);
        LogWritten(logger, order.OrderRef, order.EmailId, fileName);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmation of order {OrderRef} written to the outbox as email {EmailId} ({FileName})")]
    private static partial void LogWritten(ILogger logger, string orderRef, Guid emailId, string fileName);
}
