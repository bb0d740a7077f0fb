using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.Resend;

/// <summary>
/// Raises a Resend email event: the envelope <c>{created_at, data, type}</c> goes, Svix-signed with each
/// endpoint's own secret, to every endpoint subscribed to the type. <c>type</c> comes last, as in Resend's real
/// payloads, so receivers that depend on key order fail here rather than in production.
/// </summary>
public sealed class ResendEvents(ResendStore store, WebhookDispatcher dispatcher, TimeProvider time)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>Raises <paramref name="eventType"/> for <paramref name="email"/>, with an event-specific object (e.g. <c>bounce</c>) in <c>data</c>.</summary>
    public void Raise(StoredEmail email, string eventType, (string Name, JsonObject Value)? extra = null)
    {
        ArgumentNullException.ThrowIfNull(email);
        var request = email.Request;
        var data = new JsonObject
        {
            ["created_at"] = ResendTime.Record(email.CreatedAt),
            ["email_id"] = email.Id,
            ["from"] = request.From,
            ["to"] = new JsonArray([.. request.To.Select(to => JsonValue.Create(to))]),
            ["subject"] = request.Subject,
            ["message_id"] = email.MessageId,
        };
        if (request.Tags.Count > 0)
        {
            // An object {name: value} here, unlike the request's array of {name, value}.
            data["tags"] = new JsonObject(request.Tags.Select(t => KeyValuePair.Create(t.Name, (JsonNode?)JsonValue.Create(t.Value))));
        }

        if (request.Headers.Count > 0)
        {
            data["headers"] = new JsonArray([.. request.Headers.Select(h => new JsonObject { ["name"] = h.Key, ["value"] = h.Value })]);
        }

        if (extra is var (name, value))
        {
            data[name] = value;
        }

        var envelope = new JsonObject
        {
            ["created_at"] = ResendTime.Event(time.GetUtcNow()),
            ["data"] = data,
            ["type"] = eventType,
        };
        var body = envelope.ToJsonString(SandboxJson.Options);

        // One Svix message per event: every endpoint sees the same svix-id, as Svix fans one message out.
        var svixId = Ids.New("msg_");
        foreach (var endpoint in store.SubscribersOf(eventType))
        {
            dispatcher.Dispatch(new WebhookMessage(SandboxApi.Resend, endpoint.Id, endpoint.Url, endpoint.SigningSecret, svixId, eventType, body, NoHeaders));
        }
    }
}
