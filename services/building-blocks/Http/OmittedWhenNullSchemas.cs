using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// Takes out of an object schema's <c>required</c> each property its answers leave out when it is null or default
/// (<see cref="JsonIgnoreCondition.WhenWritingNull"/>, <see cref="JsonIgnoreCondition.WhenWritingDefault"/>). The document
/// generator lists every constructor parameter as required, so a client generated from it typed such a property as
/// present (<c>next_cursor: string | null</c>) and a response validator refused every answer without it.
/// </summary>
public static class OmittedWhenNullSchemas
{
    /// <summary>An OpenAPI schema transformer; the wire format is unchanged.</summary>
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (schema.Required is not { Count: > 0 } required || context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties.Where(p => IsOmittedWhenNull(p, context.JsonTypeInfo.Options)))
        {
            required.Remove(property.Name);
        }

        return Task.CompletedTask;
    }

    private static bool IsOmittedWhenNull(JsonPropertyInfo property, JsonSerializerOptions options)
    {
        var condition = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>()
            .Select(a => (JsonIgnoreCondition?)a.Condition)
            .FirstOrDefault() ?? options.DefaultIgnoreCondition;
        return condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
    }
}
