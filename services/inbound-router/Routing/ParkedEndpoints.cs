using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.InboundRouter.Routing;

/// <summary><c>GET /routing/parked</c> and <c>POST /routing/parked/{id}/route</c>: what ops look at and act on.</summary>
public static class ParkedEndpoints
{
    private const int MaxLimit = 500;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapParkedMessages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/routing/parked", ListAsync);
        app.MapPost("/routing/parked/{id:guid}/route", RouteAsync);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ParkedMessageView>>, BadRequest<string>>> ListAsync(
        ParkedMessages parked, CancellationToken cancellationToken, int? limit = null)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.BadRequest($"limit is 1 to {MaxLimit}");
        }

        return TypedResults.Ok(await parked.ListAsync(limit ?? 100, cancellationToken));
    }

    private static async Task<Results<Ok<RerouteResult>, NotFound, Conflict<RerouteResult>>> RouteAsync(
        Guid id, ParkedMessages parked, CancellationToken cancellationToken)
    {
        var result = await parked.RerouteAsync(id, cancellationToken);
        return result.Outcome switch
        {
            RerouteOutcome.Routed => TypedResults.Ok(result),
            RerouteOutcome.StillParked => TypedResults.Conflict(result),
            _ => TypedResults.NotFound(),
        };
    }
}
