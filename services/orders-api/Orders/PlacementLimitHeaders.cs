using Microsoft.Net.Http.Headers;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Describes, in the OpenAPI document, the <c>Retry-After</c> of <c>POST /api/orders</c>'s 429 (<see cref="TooManyOrdersProblem"/>):
/// the problem's type names the status, not the header it writes, and a client generated from the document should wait
/// that long rather than send the order again at once.
/// </summary>
public static class PlacementLimitHeaders
{
    /// <summary>Adds the header to the 429 of every operation <paramref name="builder"/> maps.</summary>
    public static TBuilder WithPlacementLimitHeaders<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var refused = operation.SetHeader(
                "429",
                HeaderNames.RetryAfter,
                OpenApiResponseHeaders.RetryAfterSeconds("Seconds until one more order is taken: until the counted order that leaves the window first has left it."));
            if (refused is not null)
            {
                refused.Description = "The caller has placed as many orders as it may within a minute or a day (OrdersApi:Placement); nothing was placed. The problem names the limit.";
            }

            return Task.CompletedTask;
        });
}
