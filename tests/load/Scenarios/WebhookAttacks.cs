using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.Testing.Http;

namespace OrdersMail.Load.Scenarios;

/// <summary>
/// Hostile requests at both webhook ingresses: inbound-router's <c>POST /webhooks/agentmail</c> and delivery-tracker's
/// <c>POST /webhooks/resend</c>. Unsigned (one naming a real inbox in another case), forged, cross-tenant, correctly signed but stale or future, replays of a
/// real delivery's exact bytes (a duplicate: answered, nothing happens twice) and of its headers over an altered
/// body, malformed JSON, oversize, non-UTF-8 and wrongly typed bodies, and a chunked body that cannot be read.
/// </summary>
public static class WebhookAttacks
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(10);

    /// <summary>The cases against inbound-router.</summary>
    public static IReadOnlyList<AttackCase> AgentMailCases(Uri router, AttackSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        const string Target = "inbound-router";
        var url = new Uri(router, "webhooks/agentmail");
        var real = setup.AgentMailDelivery;
        var realBody = Encoding.UTF8.GetBytes(Text(real, "body"));
        var fresh = FreshEvent(realBody);
        var otherInbox = Encoding.UTF8.GetBytes(Text(real, "body").Replace(setup.InboxOfB, "inb_not_ours_" + Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal));
        // Reply addresses are public, and AgentMail answers for an address in any case: the router stored the inbox's
        // webhook and secret under such a spelling, for good, when an unsigned event named it.
        var otherSpelling = Encoding.UTF8.GetBytes(Text(real, "body").Replace(setup.InboxOfB, setup.InboxOfB.ToUpperInvariant(), StringComparison.Ordinal));
        return
        [
            Case(Target, "unsigned", 401, () => Request(url, fresh, "application/json", null)),
            Case(Target, "forged signature", 401, () => Request(url, fresh, "application/json", Signed(SvixSigner.ForgedSecret(), fresh, DateTimeOffset.UtcNow))),
            Case(Target, "cross-tenant: another inbox's secret", 401, () => Request(url, fresh, "application/json", Signed(setup.SecretOfA, fresh, DateTimeOffset.UtcNow))),
            Case(Target, "correctly signed, stale timestamp", 401, () => Request(url, fresh, "application/json", Signed(setup.SecretOfB, fresh, DateTimeOffset.UtcNow - Skew))),
            Case(Target, "correctly signed, future timestamp", 401, () => Request(url, fresh, "application/json", Signed(setup.SecretOfB, fresh, DateTimeOffset.UtcNow + Skew))),
            Case(Target, "replay of a real delivery, exact bytes (duplicate)", 200, () => Request(url, realBody, "application/json", RealHeaders(real))),
            Case(Target, "replay of a real delivery's headers, altered body", 401, () => Request(url, Altered(realBody), "application/json", RealHeaders(real))),
            Case(Target, "replay of a real delivery's signature under a new svix-id", 401, () => Request(url, realBody, "application/json", WithNewId(RealHeaders(real)))),
            Case(Target, "unsigned, naming a real inbox in another case", 401, () => Request(url, otherSpelling, "application/json", null)),
            Case(Target, "unknown inbox", 401, () => Request(url, otherInbox, "application/json", Signed(SvixSigner.ForgedSecret(), otherInbox, DateTimeOffset.UtcNow))),
            Case(Target, "no inbox named", 401, () => Request(url, "{\"event_type\":\"message.received\"}"u8.ToArray(), "application/json", Signed(setup.SecretOfB, "{\"event_type\":\"message.received\"}"u8.ToArray(), DateTimeOffset.UtcNow))),
            Case(Target, "malformed JSON", 401, () => Request(url, "{\"message\":{\"inbox_id\":"u8.ToArray(), "application/json", Signed(setup.SecretOfB, "{\"message\":{\"inbox_id\":"u8.ToArray(), DateTimeOffset.UtcNow))),
            Case(Target, "not UTF-8", 401, () => Request(url, NotUtf8(fresh), "application/json", Signed(setup.SecretOfB, NotUtf8(fresh), DateTimeOffset.UtcNow))),
            Case(Target, "inbox named by a lone surrogate", 401, () => Request(url, """{"message":{"inbox_id":"\ud800"}}"""u8.ToArray(), "application/json", null)),
            Case(Target, "inbox named by a byte that is not UTF-8", 401, () => Request(url, [.. "{\"message\":{\"inbox_id\":\"a"u8, 0xFF, .. "\"}}"u8], "application/json", null)),
            Case(Target, "over 1.1 MiB", 413, () => Request(url, Padded(fresh, 1200 * 1024), "application/json", null)),
            Case(Target, "wrong content type", 415, () => Request(url, fresh, "text/plain", Signed(setup.SecretOfB, fresh, DateTimeOffset.UtcNow))),
            Unreadable(Target, url),
        ];
    }

    /// <summary>The cases against delivery-tracker.</summary>
    public static IReadOnlyList<AttackCase> ResendCases(Uri tracker, AttackSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        const string Target = "delivery-tracker";
        var url = new Uri(tracker, "webhooks/resend");
        var real = setup.ResendDelivery;
        var realBody = Encoding.UTF8.GetBytes(Text(real, "body"));
        // The attacker's wish: turn a delivered email into a bounce.
        var bounce = Encoding.UTF8.GetBytes(Text(real, "body").Replace("email.delivered", "email.bounced", StringComparison.Ordinal));
        return
        [
            Case(Target, "unsigned", 401, () => Request(url, bounce, "application/json", null)),
            Case(Target, "forged signature", 401, () => Request(url, bounce, "application/json", Signed(SvixSigner.ForgedSecret(), bounce, DateTimeOffset.UtcNow))),
            Case(Target, "correctly signed, stale timestamp", 401, () => Request(url, bounce, "application/json", Signed(setup.ResendSecret, bounce, DateTimeOffset.UtcNow - Skew))),
            Case(Target, "correctly signed, future timestamp", 401, () => Request(url, bounce, "application/json", Signed(setup.ResendSecret, bounce, DateTimeOffset.UtcNow + Skew))),
            Case(Target, "replay of a real delivery, exact bytes (duplicate)", 204, () => Request(url, realBody, "application/json", RealHeaders(real))),
            Case(Target, "replay of a real delivery's headers, altered body", 401, () => Request(url, bounce, "application/json", RealHeaders(real))),
            Case(Target, "malformed JSON, unsigned", 401, () => Request(url, "{\"type\":"u8.ToArray(), "application/json", null)),
            Case(Target, "malformed JSON, correctly signed", 400, () => Request(url, "{\"type\":"u8.ToArray(), "application/json", Signed(setup.ResendSecret, "{\"type\":"u8.ToArray(), DateTimeOffset.UtcNow))),
            Case(Target, "not UTF-8, correctly signed", 401, () => Request(url, NotUtf8(bounce), "application/json", Signed(setup.ResendSecret, NotUtf8(bounce), DateTimeOffset.UtcNow))),
            Case(Target, "over 256 KiB", 413, () => Request(url, Padded(bounce, 300 * 1024), "application/json", null)),
            Case(Target, "wrong content type", 415, () => Request(url, bounce, "text/plain", Signed(setup.ResendSecret, bounce, DateTimeOffset.UtcNow))),
            Unreadable(Target, url),
        ];
    }

    private static AttackCase Case(string target, string name, int expected, Func<HttpRequestMessage> build) => AttackCase.Of(target, name, expected, build);

    // A chunked body whose chunk size is not hexadecimal, correctly signed headers or not: Kestrel cannot read it,
    // and the service answered 500 before its BadRequestBodyExceptionHandler.
    private static AttackCase Unreadable(string target, Uri url) =>
        new(target, "chunked body that cannot be read", new HashSet<int> { 400 }, _ => MalformedChunkedRequest.PostAsync(url, new Dictionary<string, string> { ["svix-id"] = "msg_unreadable" }));

    /// <summary>A webhook delivery as a provider posts it: <paramref name="body"/> under <paramref name="headers"/>, taken as they are.</summary>
    internal static HttpRequestMessage Request(Uri url, byte[] body, string contentType, IReadOnlyDictionary<string, string>? headers)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static Dictionary<string, string> Signed(string secret, byte[] body, DateTimeOffset at) =>
        new(SvixSigner.Headers(secret, $"msg_attack_{Guid.NewGuid():N}", at, body));

    private static Dictionary<string, string> RealHeaders(JsonNode attempt) => new()
    {
        ["svix-id"] = Text(attempt, "svix_id"),
        ["svix-timestamp"] = attempt["timestamp"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture),
        ["svix-signature"] = Text(attempt, "signature"),
    };

    private static Dictionary<string, string> WithNewId(Dictionary<string, string> headers)
    {
        headers["svix-id"] = $"msg_attack_{Guid.NewGuid():N}";
        return headers;
    }

    /// <summary>The real event under a new event id, so a signature wrongly accepted would record it rather than be deduplicated.</summary>
    private static byte[] FreshEvent(byte[] body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        json["event_id"] = $"evt_attack_{Guid.NewGuid():N}";
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>The body with one more space before its closing brace: the same JSON, different bytes.</summary>
    private static byte[] Altered(byte[] body) => [.. body[..^1], (byte)' ', body[^1]];

    private static byte[] NotUtf8(byte[] body) => [.. body[..^1], (byte)',', (byte)'"', (byte)'x', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', body[^1]];

    /// <summary>The body padded past <paramref name="size"/> bytes with a long string field, still valid JSON.</summary>
    private static byte[] Padded(byte[] body, int size) =>
        [.. body[..^1], .. Encoding.ASCII.GetBytes($",\"padding\":\"{new string('x', size)}\""), body[^1]];

    private static string Text(JsonNode? node, string field) => node?[field]?.GetValue<string>() ?? "";
}
