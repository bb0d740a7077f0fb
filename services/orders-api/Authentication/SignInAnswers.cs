using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Authentication;

/// <summary>
/// Describes, in the OpenAPI document, what a route behind sign-in answers before it runs: the 401 problem of a refused
/// token, and the 503 problem with <c>Retry-After</c> when Clerk's signing keys could not be fetched
/// (<see cref="KeysUnavailableAnswer"/>). Authentication answers both, so no endpoint's own results can name them.
/// </summary>
internal static class SignInAnswers
{
    private const string KeysUnavailable =
        "Clerk's signing keys could not be fetched to verify the session token (reason jwks_unavailable): the token may be good, so send the request again after Retry-After rather than signing in again.";

    /// <summary>
    /// Adds the 401 and the 503 to every operation <paramref name="builder"/> maps. Where the database's 503 is described
    /// already (<c>ProducesDatabaseBusy</c>, applied before this), the keys are named as one more cause of it.
    /// </summary>
    public static TBuilder ProducesSignInRefusals<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(Problem(StatusCodes.Status401Unauthorized));
        builder.Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == StatusCodes.Status503ServiceUnavailable))
            {
                endpoint.Metadata.Add(Problem(StatusCodes.Status503ServiceUnavailable));
            }
        });
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.GetValueOrDefault("503") is not OpenApiResponse unavailable)
            {
                return Task.CompletedTask;
            }

            var databaseBusy = unavailable.Headers?.ContainsKey(HeaderNames.RetryAfter) ?? false;
            if (!databaseBusy)
            {
                operation.SetHeader("503", HeaderNames.RetryAfter, OpenApiResponseHeaders.RetryAfterSeconds("Seconds to wait before sending the request again."));
            }

            unavailable.Description = databaseBusy ? $"{unavailable.Description} Or {KeysUnavailable}" : KeysUnavailable;
            return Task.CompletedTask;
        });
    }

    private static ProducesResponseTypeMetadata Problem(int statusCode) =>
        new(statusCode, typeof(ProblemDetails), ["application/problem+json"]);
}
