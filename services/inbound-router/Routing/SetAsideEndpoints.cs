using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Data;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// <c>GET /routing/set-aside</c>, <c>POST /routing/set-aside/{svixId}/retry</c> and <c>POST /routing/set-aside/{svixId}/dismiss</c>:
/// the emails routing could never decide, and the verified events the ingress could not read.
/// </summary>
public static class SetAsideEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapSetAsideEmails(this IEndpointRouteBuilder app)
    {
        var setAside = app.MapGroup("/routing/set-aside").WithTags("Set-aside emails").RequireOpsKey().ProducesDatabaseBusy();
        setAside.MapGet("", ListAsync)
            .WithName("ListSetAsideEmails")
            .WithSummary("Received emails routing could never decide (neither routed nor parked) and verified events the ingress could not read, oldest first, with why.")
            .WithDescription(
                "A page of at most limit (1 to 500, 100 by default). The next page: after = the svix_id of the last one listed "
                + "(given back since or not); an empty page is the end. 400 for a limit out of range, or an after that is not the svix-id of an event the router has recorded.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        setAside.MapPost("/{svixId}/retry", RetryAsync)
            .WithName("RetrySetAsideEmail")
            .WithSummary("Gives a set-aside email back to routing with its attempts from zero, once its cause is fixed; one that still cannot be decided is set aside again.")
            .WithDescription(
                "202 once given back. An event the ingress could not read is read again with this version's reader: 202 once it reads, recorded as the "
                + "ingress would have (an email for routing, or a delivery fact for the bus); 409 with the reason while it still cannot be read (it stays set aside). "
                + "404 when nothing is set aside under that svix-id.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        setAside.MapPost("/{svixId}/dismiss", DismissAsync)
            .WithName("DismissSetAsideEmail")
            .WithSummary("Dismisses a set-aside email or event a person has dealt with (read in AgentMail, or worthless): it leaves the list, its email and body are cleared.")
            .WithDescription("204 once dismissed, and again for one dismissed before. 404 when nothing is set aside under that svix-id (given back, never set aside, or past retention).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    // Events that stay set aside for good (one that still cannot be read when retried) would otherwise fill the first
    // page and hide what was set aside since.
    private static async Task<Results<Ok<IReadOnlyList<SetAsideEmailView>>, ProblemHttpResult>> ListAsync(
        SetAsideEmails setAside, HttpRequest request, CancellationToken cancellationToken, string? limit = null, string? after = null)
    {
        if (!ListLimit.TryRead(limit, DefaultLimit, MaxLimit, out var count))
        {
            return TypedResults.Problem($"limit {ListLimit.Rule(MaxLimit)}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        // A NUL, which PostgreSQL refuses in text outright (a 500), or an escape that is not UTF-8, which would be looked
        // up as the escape's own text (after=%FF as "%FF").
        if (QueryText.Refused(request, "after") is { } badText)
        {
            return badText;
        }

        // No svix-id the ingress records is that long.
        if (after is not null && WebhookIdLimits.TooLong(("after", after, WebhookIdLimits.IdBytes)) is not null)
        {
            return TypedResults.Problem(
                $"after is the svix_id of the last one of a page GET /routing/set-aside listed: no svix-id is longer than {WebhookIdLimits.IdBytes} bytes.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid after");
        }

        if (await setAside.ListAsync(count, after, cancellationToken) is { } page)
        {
            return TypedResults.Ok(page);
        }

        return TypedResults.Problem(
            $"after is the svix_id of the last one of a page GET /routing/set-aside listed; the router has recorded no event {after} (or no longer: retention swept it).",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid after");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RetryAsync(
        string svixId, SetAsideEmails setAside, RoutingSignal signal, CancellationToken cancellationToken)
    {
        var retry = await setAside.RetryAsync(svixId, cancellationToken);
        if (retry.StillUnreadable is { } reason)
        {
            return TypedResults.Problem(
                $"The event still cannot be read, and stays set aside: {reason}.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Still unreadable");
        }

        if (!retry.GivenBack)
        {
            return TypedResults.Problem(
                "No received email is set aside under that svix-id: it was given back already, or never set aside (GET /routing/set-aside lists them).",
                statusCode: StatusCodes.Status404NotFound,
                title: "Not set aside");
        }

        // Routed at the pump's next claim, which this starts now rather than at its next scan.
        signal.Notify();
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DismissAsync(string svixId, SetAsideEmails setAside, CancellationToken cancellationToken) =>
        await setAside.DismissAsync(svixId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(
                "Nothing is set aside under that svix-id: it was given back, never set aside, or is past retention (GET /routing/set-aside lists them).",
                statusCode: StatusCodes.Status404NotFound,
                title: "Not set aside");
}
