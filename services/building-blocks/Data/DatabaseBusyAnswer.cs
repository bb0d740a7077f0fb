using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>
/// Describes, in the OpenAPI document, the 503 every route that uses the database can answer: the
/// <see cref="DatabaseBusyExceptionHandler"/> writes it, with <c>Retry-After</c>, when the database cannot take the request
/// now. It answers from outside the endpoint, so no endpoint's own results can name it.
/// </summary>
public static class DatabaseBusyAnswer
{
    /// <summary>Adds the 503 problem and its <c>Retry-After</c> header to every operation <paramref name="builder"/> maps.</summary>
    public static TBuilder ProducesDatabaseBusy<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]));
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.GetValueOrDefault("503") is OpenApiResponse busy)
            {
                busy.Description = "The database could not take the request now: send it again after Retry-After, with the same Idempotency-Key where the route takes one.";
                busy.Headers ??= new Dictionary<string, IOpenApiHeader>();
                busy.Headers[HeaderNames.RetryAfter] = new OpenApiHeader
                {
                    Description = "Seconds to wait before sending the request again.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }

            return Task.CompletedTask;
        });
    }
}
