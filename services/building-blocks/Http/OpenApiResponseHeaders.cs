using Microsoft.OpenApi;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// Describes, in an OpenAPI operation transformer, a header the document generator cannot see: one an answer carries
/// because its handler or an exception handler writes it by hand (<c>Retry-After</c>, <c>ETag</c>, <c>Location</c>...),
/// or one a request may carry because its handler reads it by hand (<c>Idempotency-Key</c>, <c>If-None-Match</c>). A
/// client generated from the document sends and reads only the headers it names.
/// </summary>
public static class OpenApiResponseHeaders
{
    /// <summary>
    /// Names <paramref name="header"/> as <paramref name="name"/> on the operation's answer of <paramref name="statusCode"/>
    /// and returns that answer, to describe further; null, and nothing named, when the operation declares no such answer.
    /// </summary>
    public static OpenApiResponse? SetHeader(this OpenApiOperation operation, string statusCode, string name, OpenApiHeader header)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Responses?.GetValueOrDefault(statusCode) is not OpenApiResponse response)
        {
            return null;
        }

        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = header;
        return response;
    }

    /// <summary>Names the optional request header <paramref name="name"/> among the operation's parameters.</summary>
    public static void AddHeaderParameter(this OpenApiOperation operation, string name, string description, OpenApiSchema schema)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Description = description,
            Schema = schema,
        });
    }

    /// <summary>A <c>Retry-After</c> in seconds, the only form the services write.</summary>
    public static OpenApiHeader RetryAfterSeconds(string description, bool required = true) => new()
    {
        Description = description,
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
    };
}
