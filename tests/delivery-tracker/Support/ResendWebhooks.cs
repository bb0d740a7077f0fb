using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrdersMail.DeliveryTracker.Relay;
using StandardWebhooks;

namespace OrdersMail.DeliveryTracker.Tests.Support;

/// <summary>Resend webhook deliveries as Svix sends them: the body, and its signature by the StandardWebhooks library under the svix-* names.</summary>
public static class ResendWebhooks
{
    private static readonly WebhookConfigurationOptions SvixHeaders = new()
    {
        IdHeaderKey = "svix-id",
        TimestampHeaderKey = "svix-timestamp",
        SignatureHeaderKey = "svix-signature",
    };

    /// <summary>
    /// A Resend email event's body, <c>type</c> last as in Resend's real payloads; about an email a relay sent, its tag
    /// echoed with <paramref name="sentBy"/> (the default deployment's value), or untagged when that is null (another
    /// application's on the same Resend account).
    /// </summary>
    public static string Event(string type, string resendEmailId, DateTimeOffset at, JsonObject? extraData = null, string? sentBy = RelayTag.DefaultValue)
    {
        var data = new JsonObject
        {
            ["created_at"] = "2026-09-01T10:00:00.123456+00:00",
            ["email_id"] = resendEmailId,
            ["from"] = "Orders <orders@ordersmail.example>",
            ["to"] = new JsonArray("jane@example.com"),
            ["subject"] = "Your order",
        };
        if (sentBy is not null)
        {
            data["tags"] = new JsonObject { [RelayTag.Name] = sentBy };
        }

        foreach (var (name, value) in extraData ?? [])
        {
            data[name] = value?.DeepClone();
        }

        return new JsonObject { ["created_at"] = at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), ["data"] = data, ["type"] = type }.ToJsonString();
    }

    /// <summary>A delivery of <paramref name="body"/> signed with <paramref name="secret"/>, stamped <paramref name="sentAt"/> (now by default).</summary>
    public static HttpRequestMessage Sign(string body, string secret, string? svixId = null, DateTimeOffset? sentAt = null)
    {
        var id = svixId ?? $"msg_{Guid.NewGuid():N}";
        var timestamp = sentAt ?? DateTimeOffset.UtcNow;
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signature = new StandardWebhook(key, SvixHeaders).Sign(id, timestamp, body);
        return Request(body, id, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), signature);
    }

    /// <summary>A delivery with the headers exactly as given.</summary>
    public static HttpRequestMessage Request(string body, string svixId, string timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/resend") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("svix-id", svixId);
        request.Headers.Add("svix-timestamp", timestamp);
        request.Headers.Add("svix-signature", signature);
        return request;
    }
}
