using System.Diagnostics;
using OrdersMail.BuildingBlocks.MailOutbox;
using OrdersMail.BuildingBlocks.Telemetry;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>Writes a claimed confirmation into the mail outbox, then records it written.</summary>
public sealed partial class ConfirmationWriter(MailOutboxWriter outbox, ConfirmationClaims claims, ServiceTelemetry telemetry, ILogger<ConfirmationWriter> logger)
{
    /// <summary>Writes <paramref name="order"/>'s confirmation; a crash before it is recorded leaves the claim for the sweeper to write again.</summary>
    public async Task WriteAsync(ConfirmationOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);

        // The file carries this span's context, so the relay's sending of it continues the order's trace. The span
        // continues the trace it runs in (InboxReady's, the order's), or, written by the sweeper outside any, the
        // order's placement.
        var parent = Activity.Current is null ? TraceParents.Parse(order.TraceParent) : default;
        using var activity = telemetry.ActivitySource.StartActivity("confirmation write", ActivityKind.Internal, parent).SetOrder(order.OrderRef, order.OrderId);
        var fileName = await outbox.WriteAsync(ConfirmationEmail.Compose(order, TraceParents.Current()), cancellationToken);
        await claims.MarkWrittenAsync(order.OrderId, fileName, cancellationToken);
        LogWritten(logger, order.OrderRef, order.EmailId, fileName);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmation of order {OrderRef} written to the outbox as email {EmailId} ({FileName})")]
    private static partial void LogWritten(ILogger logger, string orderRef, Guid emailId, string fileName);
}
