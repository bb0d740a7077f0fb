using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrdersMail.BuildingBlocks.Http;
using OrdersMail.BuildingBlocks.Webhooks;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// The optional body of <c>POST /routing/parked/{id}/route</c>: the order ops route the message to, instead of the one the
/// routing rules pick (mail about an older order than they pick, or mail parked because the router knows no order of the
/// customer's placed by the time it was received).
/// </summary>
/// <param name="OrderRef">
/// The order's reference (<c>ORD-7K3Q9X</c>): what ops see in the customer's mail, in AgentMail's inbox metadata and in park
/// reasons, and what the router knows each order by (<c>order_refs</c> is keyed by it).
/// </param>
public sealed record RouteToOrder(string OrderRef)
{
    /// <summary>The most of a body read: an order reference is a few bytes.</summary>
    public const int MaxBodyBytes = 4 * 1024;

    // Strict, so that a body that says more or other than one order (order_id, two order_refs, a number) is refused
    // rather than read as no order, which would route by the rules instead of where ops said.
    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = ApiNamingPolicy.Instance,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// The order <paramref name="request"/>'s body names, or the problem refusing the body: over
    /// <see cref="MaxBodyBytes"/> (413), not a JSON object naming one order in text PostgreSQL can take (400). Neither for
    /// an empty body: the routing rules decide, as they always have.
    /// </summary>
    public static async Task<(RouteToOrder? Order, ProblemHttpResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Read as the webhook ingress reads an event: whole, and refused once over the limit whether its length is declared or not.
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, TypedResults.Problem(
                $"The body is over the limit of {MaxBodyBytes} bytes; it is {{\"order_ref\": \"...\"}} or nothing.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Body too large"));
        }

        if (body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (TextCheck.Check(json.RootElement) is { Count: > 0 } badText)
            {
                return (null, Invalid(string.Join("; ", badText.Select(e => $"{e.Key} {string.Join(", ", e.Value)}"))));
            }

            return json.RootElement.Deserialize<RouteToOrder>(Strict) is { } order && !string.IsNullOrWhiteSpace(order.OrderRef)
                ? (order, null)
                : (null, Invalid("order_ref is required: the reference of the order to route the message to."));
        }
        catch (JsonException e)
        {
            return (null, Invalid(e.Message));
        }
    }

    private static ProblemHttpResult Invalid(string why) =>
        TypedResults.Problem(
            $"The body is {{\"order_ref\": \"...\"}}, naming the order to route the message to, or nothing to route it by the routing rules: {why}",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid body");
}
