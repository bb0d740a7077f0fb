using System.Text.Json.Nodes;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// Walks a real answer along its schema in an OpenAPI document and names every property a schema lists as required that
/// the answer leaves out: what a response validator generated from the document (zod, ajv) would refuse.
/// </summary>
internal static class RequiredProperties
{
    /// <summary>Each <c>path: name</c> the answer lacks, where <c>path</c> is the JSON path of the object.</summary>
    public static List<string> MissingFrom(JsonObject document, JsonNode schema, JsonNode? answer)
    {
        var missing = new List<string>();
        Walk(document, schema, answer, "$", missing);
        return missing;
    }

    private static void Walk(JsonObject document, JsonNode schema, JsonNode? answer, string path, List<string> missing)
    {
        schema = Resolve(document, schema);
        if (answer is null)
        {
            return;
        }

        // A nullable reference is written as a choice of null and the object's schema.
        foreach (var choice in (schema["oneOf"] ?? schema["anyOf"])?.AsArray() ?? [])
        {
            Walk(document, choice!, answer, path, missing);
        }

        if (answer is JsonObject obj)
        {
            foreach (var name in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!obj.ContainsKey(name))
                {
                    missing.Add($"{path}: {name}");
                }
            }

            foreach (var (name, value) in obj)
            {
                if (schema["properties"]?[name] is { } property)
                {
                    Walk(document, property, value, $"{path}.{name}", missing);
                }
            }
        }
        else if (answer is JsonArray array && schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(document, items, array[i], $"{path}[{i}]", missing);
            }
        }
    }

    private static JsonNode Resolve(JsonObject document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;
}
