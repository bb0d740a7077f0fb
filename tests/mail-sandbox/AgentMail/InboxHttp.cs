using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Tests.Support;

namespace OrdersMail.MailSandbox.Tests.AgentMail;

/// <summary>An answer of the sandbox as a client sees it on the wire: status, headers and the JSON body (null when empty).</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Body">The parsed body.</param>
/// <param name="RequestUri">The URI as sent, to check how a path was encoded.</param>
public sealed record WireReply(HttpStatusCode Status, HttpResponseHeaders Headers, JsonNode? Body, Uri RequestUri)
{
    /// <summary>The body as an object.</summary>
    public JsonObject Json => Body?.AsObject() ?? throw new InvalidOperationException($"HTTP {(int)Status} had no JSON body.");

    /// <summary>The first validation issue's path, e.g. <c>username</c> or <c>event_types.1</c>.</summary>
    public string FirstIssuePath => string.Join('.', Json["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));

    /// <summary>The first validation issue's code.</summary>
    public string FirstIssueCode => Json["errors"]![0]!["code"]!.GetValue<string>();
}

/// <summary>Calls to the sandbox's AgentMail API as raw HTTP, for the inbox and webhook specs.</summary>
public static class InboxHttp
{
    /// <summary>The AgentMail base path.</summary>
    public const string V0 = "/agentmail/v0";

    /// <summary>Forgets every inbox, webhook and fault rule, so a spec starts from nothing.</summary>
    public static async Task ResetAsync(this SandboxFactory factory)
    {
        using var client = factory.CreateClient();
        (await client.PostAsync("/sandbox/reset", null)).EnsureSuccessStatusCode();
    }

    /// <summary>Sends <paramref name="body"/> serialized with snake_case names (null: no body).</summary>
    public static Task<WireReply> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null) =>
        client.SendAsync(method, path, body is null ? null : JsonContent.Create(body, options: SandboxFactory.Json));

    /// <summary>Sends <paramref name="json"/> exactly as written.</summary>
    public static Task<WireReply> SendRawAsync(this HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(method, path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Creates an inbox and returns it, failing the spec unless the answer is 200.</summary>
    public static async Task<JsonObject> CreateInboxAsync(this HttpClient client, object? body = null)
    {
        var reply = await client.SendAsync(HttpMethod.Post, $"{V0}/inboxes", body ?? new { });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    /// <summary>Creates an inbox with this username on agentmail.to and returns its id.</summary>
    public static async Task<string> CreateInboxIdAsync(this HttpClient client, string username) =>
        (await client.CreateInboxAsync(new { username }))["inbox_id"]!.GetValue<string>();

    /// <summary>The string items of a JSON array member.</summary>
    public static IReadOnlyList<string> Strings(this JsonObject json, string member) =>
        json[member] is JsonArray array ? [.. array.Select(item => item!.GetValue<string>())] : [];

    private static async Task<WireReply> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new WireReply(response.StatusCode, response.Headers, text.Length == 0 ? null : JsonNode.Parse(text), request.RequestUri!);
    }
}
