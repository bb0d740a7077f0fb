using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersMail.DeliveryTracker.Delivery;

/// <summary><c>POST /webhooks/resend</c>: Resend's delivery events, answered the way Svix expects.</summary>
public static class ResendWebhookEndpoint
{
    /// <summary>The route.</summary>
    public const string Route = "/webhooks/resend";

    /// <summary>204 once handled; a problem (400, 401, 413, 503) with nothing changed otherwise.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAsync(HttpRequest request, ResendWebhookIngress ingress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        var (outcome, problem) = await ingress.ReceiveAsync(request, cancellationToken);
        return outcome switch
        {
            IngressOutcome.Accepted => TypedResults.NoContent(),
            IngressOutcome.Unverified => TypedResults.Problem(problem, statusCode: StatusCodes.Status401Unauthorized),
            IngressOutcome.TooLarge => TypedResults.Problem(problem, statusCode: StatusCodes.Status413PayloadTooLarge),
            IngressOutcome.NotConfigured => TypedResults.Problem(problem, statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest),
        };
    }
}
