using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using OrdersMail.BuildingBlocks.Http;

namespace OrdersMail.OrdersApi.Timeline;

/// <summary>
/// Describes, in the OpenAPI document, the headers of the timeline's conditional GET that its handler reads and writes
/// itself (<see cref="TimelineETag"/>): the generator sees neither, and a client generated from the document would fetch
/// the whole answer at every poll.
/// </summary>
internal static class EntityTagHeaders
{
    /// <summary>Adds the request's optional <c>If-None-Match</c> and the <c>ETag</c> of its 200 and 304.</summary>
    public static TBuilder WithEntityTagHeaders<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.AddHeaderParameter(
                HeaderNames.IfNoneMatch,
                "The ETag of the answer the caller holds: 304 with no body while it is still the answer.",
                new OpenApiSchema { Type = JsonSchemaType.String });

            operation.SetHeader("200", HeaderNames.ETag, Tag());
            var notModified = operation.SetHeader("304", HeaderNames.ETag, Tag());
            if (notModified is not null)
            {
                notModified.Description = "The answer is still the one whose ETag the request sent in If-None-Match.";
            }

            return Task.CompletedTask;
        });

    private static OpenApiHeader Tag() => new()
    {
        Description = "The answer's tag, to send in If-None-Match; it changes whenever anything in the answer does.",
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
