using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using OrdersMail.BuildingBlocks.Data;

namespace OrdersMail.BuildingBlocks.Webhooks;

/// <summary>
/// What a webhook ingress answers a delivery it refuses: a problem (<c>application/problem+json</c>) whose detail says
/// what is wrong, in the same words at every ingress, so whoever sent it can fix it. A refused signature names the check
/// that failed, never whose secret was tried: the answer does not tell a prober whether an inbox or endpoint exists.
/// </summary>
public static class WebhookProblems
{
    /// <summary>Whether <paramref name="contentType"/> is JSON in UTF-8, as Svix sends it (<c>application/json</c>, charset absent or utf-8).</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>415: the body is not declared as JSON.</summary>
    public static ProblemHttpResult NotJson() =>
        TypedResults.Problem("The body must be JSON: Content-Type application/json, in UTF-8.", statusCode: StatusCodes.Status415UnsupportedMediaType);

    /// <summary>413: the body is (or announces it is) longer than <paramref name="limit"/>.</summary>
    public static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem($"The body is over the limit of {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>401: the signature check refused the delivery.</summary>
    public static ProblemHttpResult Unverified(WebhookRefusal refusal) => Unverified(Describe(refusal));

    /// <summary>401 with a detail of the ingress's own (a refusal that is not a <see cref="WebhookRefusal"/>).</summary>
    public static ProblemHttpResult Unverified(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>Seconds the provider is asked to wait before sending a delivery answered <see cref="RetryLater"/> again.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>
    /// 503 with <c>Retry-After</c> (<see cref="RetryAfterSeconds"/>, set on <paramref name="response"/>): the delivery is
    /// neither refused nor recorded, as what the ingress needs for it (its database) could not answer now; the provider
    /// sends it again, and it is taken once that answers.
    /// </summary>
    public static ProblemHttpResult RetryLater(HttpResponse response, string detail)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// Describes a webhook ingress in the OpenAPI document: a JSON body (the provider's event), and the problems every
    /// ingress can answer: 400 (verified, but not an event it takes), 401 (not verified), 413, 415, and 503 with
    /// <c>Retry-After</c> (its database could not record it in time: the provider retries; <see cref="DatabaseBusyAnswer"/>).
    /// The handler returns them as <see cref="ProblemHttpResult"/>, which its result type cannot name. The body is described by a transformer, not <c>Accepts</c>: that would also make routing
    /// refuse any other content type itself, with a bare 415 instead of the ingress's problem saying what is wrong.
    /// </summary>
    public static RouteHandlerBuilder ProducesWebhookAnswers(this RouteHandlerBuilder route) =>
        route.WithTags("Webhooks")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The provider's event as it signed it: the signature covers these exact bytes.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesDatabaseBusy();

    /// <summary>What a refusal means, for the one who sent the delivery.</summary>
    public static string Describe(WebhookRefusal refusal) => refusal switch
    {
        WebhookRefusal.MissingHeaders => "The svix-id, svix-timestamp and svix-signature headers are required, each once.",
        WebhookRefusal.InvalidTimestamp => "svix-timestamp must be Unix time in seconds, as digits.",
        WebhookRefusal.StaleTimestamp => "svix-timestamp is more than 5 minutes in the past.",
        WebhookRefusal.FutureTimestamp => "svix-timestamp is more than 5 minutes in the future.",
        WebhookRefusal.BodyNotUtf8 => "The body is not valid UTF-8, so it cannot be what was signed.",
        _ => "No v1 entry of svix-signature signs this svix-id, svix-timestamp and body with the endpoint's secret.",
    };
}
