using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary><c>POST /webhooks/resend</c>: Resend's delivery events, answered the way Svix expects.</summary>
public static class ResendWebhookEndpoint
{
    /// <summary>The route.</summary>
    public const string Route = "/webhooks/resend";

    /// <summary>204 once handled; a problem (400, 401, 413, 415, 503) with nothing changed otherwise.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAsync(HttpRequest request, ResendWebhookIngress ingress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        return await ingress.ReceiveAsync(request, cancellationToken) is { } problem ? problem : TypedResults.NoContent();
    }
}
