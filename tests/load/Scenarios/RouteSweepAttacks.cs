using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Absurd input at every route the four services describe in their OpenAPI documents, so a route added later is
/// attacked without anyone writing its cases: each parameter in turn given values no caller should send (not an id,
/// negative, past any integer, 300 characters, an emoji, bytes that are not UTF-8, a path climbing out, a blank, NUL in
/// a query), the others a well-formed id of nothing, and every route that takes a body the bodies no parser should
/// choke on (2,000 deep, not UTF-8, NUL, over 256 KiB, a number past any double, not JSON, not an object). Each is asked
/// with the credentials the route wants (a user's token at orders-api's /api/ routes, the ops key at every ops route), so what refuses it is
/// the route itself, and each must answer a status its document lists (a refusal, or for a read an empty answer), with
/// a problem that says what is wrong when it refuses. Routes whose errors are not problems (the order's web page) and
/// the webhook ingresses (signed and forged at length by <see cref="WebhookAttacks"/>) are left out.
/// </summary>
public static class RouteSweepAttacks
{
    // Already percent-encoded where a path or query needs it; none decodes to NUL in a path, which Kestrel refuses
    // itself with a bare 400 before any route sees it.
    private static readonly (string Name, string Value)[] PathValues =
    [
        ("not an id", "abc"),
        ("negative", "-1"),
        ("past any integer", "99999999999999999999"),
        ("300 characters", new string('x', 300)),
        ("an emoji", "%F0%9F%98%80"),
        ("not UTF-8", "%FF%FE"),
        ("climbing out", "..%2F..%2Fetc%2Fpasswd"),
        ("a blank", "%20"),
        ("the empty UUID", Guid.Empty.ToString()),
    ];

    private static readonly (string Name, string Value)[] QueryValues =
    [
        .. PathValues,
        ("NUL", "%00"),
        ("empty", ""),
    ];

    private static readonly (string Name, string ContentType, byte[] Body)[] Bodies =
    [
        ("JSON 2,000 deep", "application/json", Encoding.UTF8.GetBytes(new string('[', 2_000) + new string(']', 2_000))),
        ("not UTF-8", "application/json", [.. "{\"labels\":[\""u8, 0xC3, 0x28, .. "\"]}"u8]),
        ("NUL in a string", "application/json", "{\"customer_email\":\"a\\u0000@example.com\",\"is_read\":\"\\u0000\",\"labels\":[\"\\u0000\"]}"u8.ToArray()),
        ("over 256 KiB", "application/json", Encoding.UTF8.GetBytes($"{{\"labels\":[\"{new string('x', 300 * 1024)}\"]}}")),
        ("a number past any double", "application/json", "{\"is_read\":1e999,\"items\":[{\"quantity\":1e999}]}"u8.ToArray()),
        ("not JSON", "application/json", "{\"is_read\":"u8.ToArray()),
        ("JSON null", "application/json", "null"u8.ToArray()),
        ("JSON array", "application/json", "[]"u8.ToArray()),
        ("text/plain", "text/plain", "{\"is_read\":true}"u8.ToArray()),
    ];

    /// <summary>The cases for every described route of the four services, read from their OpenAPI documents now.</summary>
    public static async Task<IReadOnlyList<AttackCase>> CasesAsync(ScenarioContext context, AttackSetup setup)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(setup);
        var cases = new List<AttackCase>();
        foreach (var service in LocalSystem.Services)
        {
            var baseUrl = context.System.ServiceUrl(service);
            var document = JsonNode.Parse(await context.Http.GetStringAsync(new Uri(baseUrl, "/openapi/v1.json")))!;
            foreach (var operation in Operations(document))
            {
                // orders-api's customer routes are under /api/; its ops routes (/agent/handoffs, /agent/replies, /confirmations), like every other service's, want the ops key.
                var credentials = service == "orders-api" && operation.Path.StartsWith("/api/", StringComparison.Ordinal) ? setup.TokenA : context.System.OpsKey;
                cases.AddRange(CasesFor($"{service} routes", baseUrl, operation, credentials));
            }
        }

        return cases;
    }

    private static IEnumerable<AttackCase> CasesFor(string target, Uri baseUrl, Operation operation, string credentials)
    {
        // A route that takes a body gets an empty JSON object while its parameters are attacked, not a 415 for having none.
        var body = operation.TakesBody ? ("an empty object", "application/json", "{}"u8.ToArray()) : default((string, string, byte[])?);
        foreach (var parameter in operation.Parameters)
        {
            foreach (var (name, value) in parameter.InPath ? PathValues : QueryValues)
            {
                var url = operation.Url(baseUrl, parameter.Name, value);
                yield return Case(target, $"{operation.Method} {operation.Path}, {parameter.Name} {name}", operation, url, credentials, body);
            }
        }

        if (operation.TakesBody)
        {
            var url = operation.Url(baseUrl, null, null);
            foreach (var bad in Bodies)
            {
                yield return Case(target, $"{operation.Method} {operation.Path}, body {bad.Name}", operation, url, credentials, bad);
            }
        }
    }

    private static AttackCase Case(string target, string name, Operation operation, Uri url, string credentials, (string Name, string ContentType, byte[] Body)? body) =>
        new(target, name, operation.Expected, async http =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials);
            if (body is { } content)
            {
                request.Content = new ByteArrayContent(content.Body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(content.ContentType);
            }

            return await http.SendAsync(request);
        });

    // The operations whose refusals the document says are problems, the webhook ingresses aside.
    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (path.StartsWith("/webhooks/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                var problems = responses.Any(r => r.Key[0] == '4' && r.Value?["content"]?["application/problem+json"] is not null);
                if (!problems)
                {
                    continue;
                }

                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => new Parameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>() == "path"))
                    .ToList();
                var documented = responses.Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture)).ToHashSet();
                yield return new Operation(method.ToUpperInvariant(), path, parameters, operation["requestBody"] is not null, documented);
            }
        }
    }

    private sealed record Parameter(string Name, bool InPath);

    private sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, bool TakesBody, IReadOnlySet<int> Documented)
    {
        // A status the document lists for the route, but neither a server error nor one the credentials rule out, and
        // for a route that changes something no success either: absurd input may be read (an id of nothing lists
        // nothing), never acted on.
        public IReadOnlySet<int> Expected { get; } = Documented
            .Where(s => s is < 500 and not 401 and not 403 && (Method == "GET" || s >= 400))
            .ToHashSet();

        // The route with `absurd` in place of parameter `name` and a well-formed id of nothing in every other path
        // parameter; query parameters other than `name` are left out.
        public Uri Url(Uri baseUrl, string? name, string? absurd)
        {
            var path = Path;
            foreach (var parameter in Parameters.Where(p => p.InPath))
            {
                path = path.Replace($"{{{parameter.Name}}}", parameter.Name == name ? absurd : Guid.NewGuid().ToString(), StringComparison.Ordinal);
            }

            var query = Parameters.FirstOrDefault(p => !p.InPath && p.Name == name) is { } asked ? $"?{asked.Name}={absurd}" : "";
            return new Uri(baseUrl, path + query);
        }
    }
}
