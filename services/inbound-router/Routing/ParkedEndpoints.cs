using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Ops;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Routing;

/// <summary><c>GET /routing/parked</c> and <c>POST /routing/parked/{id}/route</c>: what ops look at and act on.</summary>
public static class ParkedEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapParkedMessages(this IEndpointRouteBuilder app)
    {
        var parked = app.MapGroup("/routing/parked").WithTags("Parked messages").RequireOpsKey();
        parked.MapGet("", ListAsync)
            .WithName("ListParkedMessages")
            .WithSummary("Parked messages not yet routed again, oldest first, with the reason each was parked.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        parked.MapPost("/{id}/route", RouteAsync)
            .WithName("RouteParkedMessage")
            .WithSummary("Routes a parked message again, once its cause is fixed; 409 with the reason if it still cannot be; 503 or 502 when AgentMail cannot say, the message still parked.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesAgentMailProblems();
        return app;
    }

    // The limit and the id are read as text, so that one that does not parse is answered with a problem saying so,
    // not with the framework's bare 400 or a route that does not match (404).
    private static Task<Results<Ok<IReadOnlyList<ParkedMessageView>>, ProblemHttpResult>> ListAsync(
        ParkedMessages parked, CancellationToken cancellationToken, string? limit = null) =>
        ListLimit.ListAsync(limit, DefaultLimit, MaxLimit, count => parked.ListAsync(count, cancellationToken));

    private static async Task<Results<Ok<RerouteResult>, Conflict<RerouteResult>, ProblemHttpResult>> RouteAsync(
        string id, ParkedMessages parked, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var parkedId))
        {
            return TypedResults.Problem("A parked message's id is a UUID, as GET /routing/parked lists it.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid id");
        }

        RerouteResult result;
        try
        {
            result = await parked.RerouteAsync(parkedId, cancellationToken);
        }
        catch (Exception e) when (AgentMailProblems.For(e, "the re-route", "Route it again later; it stays parked until then.") is { } problem)
        {
            // AgentMail is read (the inbox's order reference, a body its webhook left out) before anything is written: the message stays parked.
            return problem;
        }

        return result.Outcome switch
        {
            RerouteOutcome.Routed => TypedResults.Ok(result),
            RerouteOutcome.StillParked => TypedResults.Conflict(result),
            _ => TypedResults.Problem($"No message {parkedId} is parked: it was routed already, or never parked.", statusCode: StatusCodes.Status404NotFound, title: "Not parked"),
        };
    }
}
