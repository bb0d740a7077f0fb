using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Ops;

namespace OrdersMail.OrdersApi.Confirmation;

/// <summary>
/// <c>POST /confirmations/{orderId}/write-again</c>: for ops, once they fixed what failed a confirmation's writes (a
/// permission on the outbox, a writer bug for this order's content), puts the claim the sweeper gave up back in its
/// hands. Nothing else writes it again: a new <c>InboxReady</c> or <c>InboxProvisioningFailed</c> would, but the order's
/// are applied already and a redelivery of them changes nothing. Outside <c>/api</c>, behind the ops key, like the
/// hand-offs: a customer's session token is not the key.
/// </summary>
public static partial class WriteAgainEndpoint
{
    /// <summary>Maps the route, behind the ops key.</summary>
    public static IEndpointRouteBuilder MapConfirmationWriteAgain(this IEndpointRouteBuilder app)
    {
        var confirmations = app.MapGroup("/confirmations").WithTags("Order confirmations").RequireOpsKey().ProducesDatabaseBusy();
        confirmations.MapPost("/{orderId}/write-again", WriteAgainAsync)
            .WithName("WriteConfirmationAgain")
            .WithSummary("Puts a confirmation the sweeper gave up back in its hands, its attempts anew; the next sweep writes it under the email id it always had.")
            .WithDescription(
                "202 with the claim put back: no longer shown failed on the order's timeline, and written at the sweeper's next look "
                + "(Confirmation:SweepInterval), or given up again after Confirmation:MaxAttempts if the cause is not fixed. "
                + "409 when the claim is not given up: written already, or still being written or tried. "
                + "404 for an unknown order, or one whose confirmation nothing claimed yet; 400 if the id is not a UUID.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Accepted<ConfirmationPutBack>, ProblemHttpResult>> WriteAgainAsync(
        string orderId, ConfirmationClaims claims, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return TypedResults.Problem("An order is named by its id, a UUID.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid id");
        }

        switch (await claims.PutBackAsync(id, cancellationToken))
        {
            case WriteAgainOutcome.PutBack putBack:
                var logger = loggers.CreateLogger(typeof(WriteAgainEndpoint).FullName!);
                LogPutBack(logger, putBack.Claim.OrderRef, putBack.Claim.EmailId);
                return TypedResults.Accepted((string?)null, putBack.Claim);
            case WriteAgainOutcome.Written written:
                return Conflict($"The confirmation of order {id} was written to the outbox at {written.WrittenAt:O}; the relay sends it once.", "Written already");
            case WriteAgainOutcome.BeingTried tried:
                return Conflict(
                    $"The confirmation of order {id} is not given up: it is being written, or the sweeper is trying it ({tried.Attempts} attempt(s) spent so far).",
                    "Not given up");
            case WriteAgainOutcome.NotClaimed:
                return TypedResults.Problem(
                    $"Nothing claimed the confirmation of order {id} yet: it goes out when the order's inbox is ready or failed, or its wait is over.",
                    statusCode: StatusCodes.Status404NotFound,
                    title: "No confirmation claimed");
            default:
                return TypedResults.Problem($"No order {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown order");
        }
    }

    private static ProblemHttpResult Conflict(string detail, string title) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    [LoggerMessage(Level = LogLevel.Information, Message = "The confirmation of order {OrderRef} (email {EmailId}), given up, was put back in the sweeper's hands by ops")]
    private static partial void LogPutBack(ILogger logger, string orderRef, Guid emailId);
}
