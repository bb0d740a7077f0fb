using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.OrdersApi.Sweeping;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// <c>POST /confirmations/{orderId}/write-again</c>: for ops, once they fixed what failed a confirmation's writes (a
/// permission on the outbox, a writer bug for this order's content), puts the claim the sweeper gave up back in its
/// hands. Nothing else writes it again: a new <c>InboxReady</c> or <c>InboxProvisioningFailed</c> would, but the order's
/// are applied already and a redelivery of them changes nothing. Behind the ops key (<see cref="WriteAgainRoutes"/>).
/// </summary>
public static partial class WriteAgainEndpoint
{
    /// <summary>Maps the route, behind the ops key.</summary>
    public static IEndpointRouteBuilder MapConfirmationWriteAgain(this IEndpointRouteBuilder app)
    {
        app.MapWriteAgain("/confirmations", "Order confirmations", "/{orderId}/write-again", WriteAgainAsync)
            .WithName("WriteConfirmationAgain")
            .WithSummary("Puts a confirmation the sweeper gave up back in its hands, its attempts anew; the next sweep writes it under the email id it always had.")
            .WithDescription(
                "202 with the claim put back: no longer shown failed on the order's timeline, and written at the sweeper's next look "
                + "(Confirmation:SweepInterval), or given up again after Confirmation:MaxAttempts if the cause is not fixed. "
                + "409 when the claim is not given up: written already, or still being written or tried. "
                + "404 for an unknown order, or one whose confirmation nothing claimed yet; 400 if the id is not a UUID.");
        return app;
    }

    private static async Task<Results<Accepted<ConfirmationPutBack>, ProblemHttpResult>> WriteAgainAsync(
        string orderId, ConfirmationClaims claims, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return WriteAgainRoutes.InvalidId("An order is named by its id, a UUID.");
        }

        var logger = loggers.CreateLogger(typeof(WriteAgainEndpoint).FullName!);
        return WriteAgainRoutes.Answer(
            await claims.PutBackAsync(id, cancellationToken),
            id,
            $"The confirmation of order {id}",
            ($"Nothing claimed the confirmation of order {id} yet: it goes out when the order's inbox is ready or failed, or its wait is over.", "No confirmation claimed"),
            claim => LogPutBack(logger, claim.OrderRef, claim.EmailId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The confirmation of order {OrderRef} (email {EmailId}), given up, was put back in the sweeper's hands by ops")]
    private static partial void LogPutBack(ILogger logger, string orderRef, Guid emailId);
}
