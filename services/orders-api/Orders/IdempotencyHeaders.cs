using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Describes, in the OpenAPI document, the headers of <c>POST /api/orders</c> that its handler reads and writes itself:
/// the <c>Idempotency-Key</c> it takes (read by hand, so that a bad one is refused with a problem naming it), and the
/// <c>Location</c> and <c>Idempotent-Replayed</c> it answers with. The generator sees none of them, and a client generated
/// from the document that never sends the key places a second order when it resends after a 503 or a timeout.
/// </summary>
public static class IdempotencyHeaders
{
    /// <summary>Adds the request's optional key and the answers' headers to every operation <paramref name="builder"/> maps.</summary>
    public static TBuilder WithIdempotencyHeaders<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.AddHeaderParameter(
                OrdersEndpoints.IdempotencyKeyHeader,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Makes the order safe to send again: a retry with the same key and the same order answers 200 with the first order, with another order 409. Sent at most once, 1 to {OrdersEndpoints.MaxIdempotencyKeyLength} characters, not all blank; 400 otherwise."),
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = OrdersEndpoints.MaxIdempotencyKeyLength });

            operation.SetHeader("201", HeaderNames.Location, Location("The order's address."));
            operation.SetHeader("200", OrdersEndpoints.ReplayedHeader, new OpenApiHeader
            {
                Description = "true: the order was placed by an earlier request with this Idempotency-Key.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
            });
            if (operation.SetHeader("200", HeaderNames.Location, Location("The first order's address.")) is { } replayed)
            {
                replayed.Description = "An earlier request with this Idempotency-Key and this order placed it: the first order, not a second.";
            }

            return Task.CompletedTask;
        });

    private static OpenApiHeader Location(string description) => new()
    {
        Description = description,
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
    };
}
