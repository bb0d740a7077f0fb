using Microsoft.OpenApi;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// Describes, in an OpenAPI operation transformer, a header an answer carries that the document generator cannot see:
/// one its handler or an exception handler writes by hand (<c>Retry-After</c>, <c>ETag</c>, <c>Location</c>...). A client
/// generated from the document reads only the headers it names.
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

    /// <summary>A <c>Retry-After</c> in seconds, the only form the services write.</summary>
    public static OpenApiHeader RetryAfterSeconds(string description, bool required = true) => new()
    {
        Description = description,
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
    };
}
