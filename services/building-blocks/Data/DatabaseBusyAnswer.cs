using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.BuildingBlocks.Data;

/// <summary>
/// Describes, in the OpenAPI document, the 503 every route that uses the database can answer: the
/// <see cref="DatabaseBusyExceptionHandler"/> writes it, with <c>Retry-After</c>, when the database cannot take the request
/// now. It answers from outside the endpoint, so no endpoint's own results can name it.
/// </summary>
public static class DatabaseBusyAnswer
{
    private const string Busy = "The database could not take the request now: send it again after Retry-After, with the same Idempotency-Key where the route takes one.";

    /// <summary>
    /// Adds the 503 problem and its <c>Retry-After</c> header to every operation <paramref name="builder"/> maps. Where a
    /// route also declares a 503 of its own (AgentMail or the broker away), the header is described as not always sent.
    /// </summary>
    public static TBuilder ProducesDatabaseBusy<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        var busyAnswer = new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]);
        builder.WithMetadata(busyAnswer);
        return builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            // The route's own 503 may come without Retry-After (an AgentMail outage's does): a client generated from
            // the document must not count on the header then.
            var ownAnswer = context.Description.ActionDescriptor.EndpointMetadata
                .OfType<IProducesResponseTypeMetadata>()
                .Any(m => m.StatusCode == StatusCodes.Status503ServiceUnavailable && !ReferenceEquals(m, busyAnswer));
            var busy = operation.SetHeader(
                "503",
                HeaderNames.RetryAfter,
                OpenApiResponseHeaders.RetryAfterSeconds(
                    ownAnswer
                        ? "Seconds to wait before sending the request again; always sent when the database was busy."
                        : "Seconds to wait before sending the request again.",
                    required: !ownAnswer));
            if (busy is not null)
            {
                busy.Description = ownAnswer
                    ? $"{Busy} The route's own 503s, which its description names, may come without Retry-After."
                    : Busy;
            }

            return Task.CompletedTask;
        });
    }
}
