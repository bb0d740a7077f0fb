using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Sweeping;

/// <summary>
/// What ops' write-again routes share, one for each kind of claim a sweeper gives up (the order confirmation, the agent
/// reply): a POST outside <c>/api</c> behind the ops key (a customer's session token is not the key), and the same
/// answers to what <see cref="UnwrittenClaims.PutBackAsync{TClaim}"/> came to: 202 with the claim put back, 409 for
/// one written or still tried, 404 for an unknown order or claim, 400 for an id that does not parse.
/// </summary>
public static class WriteAgainRoutes
{
    /// <summary>Maps <paramref name="handler"/> as <c>POST {group}{pattern}</c>, behind the ops key, with the answers every write-again gives.</summary>
    public static RouteHandlerBuilder MapWriteAgain(this IEndpointRouteBuilder app, string group, string tag, string pattern, Delegate handler) =>
        app.MapGroup(group).WithTags(tag).AnswerPrivately().RequireOpsKey().ProducesDatabaseBusy()
            .MapPost(pattern, handler)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>
    /// The answer to <paramref name="outcome"/>: <paramref name="claim"/> names the claim in its problems ("The
    /// confirmation of order …"), <paramref name="notClaimed"/> is the 404 of an order with no such claim (detail,
    /// title), and <paramref name="putBack"/> is told of a claim put back, to log it.
    /// </summary>
    public static Results<Accepted<TClaim>, ProblemHttpResult> Answer<TClaim>(
        WriteAgainOutcome<TClaim> outcome, Guid orderId, string claim, (string Detail, string Title) notClaimed, Action<TClaim> putBack)
    {
        ArgumentNullException.ThrowIfNull(putBack);
        switch (outcome)
        {
            case WriteAgainOutcome<TClaim>.PutBack back:
                putBack(back.Claim);
                return TypedResults.Accepted((string?)null, back.Claim);
            case WriteAgainOutcome<TClaim>.Written written:
                return Problem(StatusCodes.Status409Conflict, $"{claim} was written to the outbox at {written.WrittenAt:O}; the relay sends it once.", "Written already");
            case WriteAgainOutcome<TClaim>.BeingTried tried:
                return Problem(
                    StatusCodes.Status409Conflict,
                    $"{claim} is not given up: it is being written, or the sweeper is trying it ({tried.Attempts} attempt(s) spent so far).",
                    "Not given up");
            case WriteAgainOutcome<TClaim>.NotClaimed:
                return Problem(StatusCodes.Status404NotFound, notClaimed.Detail, notClaimed.Title);
            default:
                return Problem(StatusCodes.Status404NotFound, $"No order {orderId}.", "Unknown order");
        }
    }

    /// <summary>The 400 of an id that does not parse.</summary>
    public static ProblemHttpResult InvalidId(string detail, string title = "Invalid id") => Problem(StatusCodes.Status400BadRequest, detail, title);

    private static ProblemHttpResult Problem(int status, string detail, string title) => TypedResults.Problem(detail, statusCode: status, title: title);
}
