using System.Text.Json;

namespace OrdersMail.MailSandbox.Core;

/// <summary>
/// Array query parameters as both SDK families send them: repeated keys (<c>labels=a&amp;labels=b</c>, Python and
/// the OpenAPI default) or one JSON-encoded value (<c>labels=["a","b"]</c>, the Node SDK).
/// </summary>
public static class QueryArrays
{
    /// <summary>The values of <paramref name="name"/>, or an empty list when absent. Null when a JSON value is malformed.</summary>
    public static IReadOnlyList<string>? Read(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Query[name];
        if (values.Count == 1 && values[0] is { } single && single.TrimStart().StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<List<string>>(single) ?? [];
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return [.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)];
    }
}
