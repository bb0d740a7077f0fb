using System.Text.Json.Nodes;
using OrdersMail.MailSandbox.Core;
using OrdersMail.MailSandbox.Webhooks;

namespace OrdersMail.MailSandbox.AgentMail;

/// <summary>
/// Raises an AgentMail event for an inbox: the envelope <c>{"type":"event","event_type","event_id", &lt;object&gt;}</c>
/// goes, signed with each webhook's own secret, to every webhook whose scope covers the inbox and whose
/// event types include it.
/// </summary>
public sealed class AgentMailEvents(AgentMailStore store, WebhookDispatcher dispatcher)
{
    /// <summary>Raises <paramref name="eventType"/> for <paramref name="inboxId"/> with its payload objects (e.g. <c>message</c> and <c>thread</c>, or <c>delivery</c>).</summary>
    /// <returns>The event id.</returns>
    public string Raise(string inboxId, string eventType, IReadOnlyDictionary<string, object> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var eventId = Ids.New("evt_", 24);
        var envelope = new JsonObject
        {
            ["type"] = "event",
            ["event_type"] = eventType,
            ["event_id"] = eventId,
        };
        foreach (var (key, value) in objects)
        {
            envelope[key] = System.Text.Json.JsonSerializer.SerializeToNode(value, SandboxJson.Options);
        }

        var body = envelope.ToJsonString(SandboxJson.Options);
        foreach (var webhook in store.SubscribersOf(inboxId, eventType))
        {
            dispatcher.Dispatch(new WebhookMessage(SandboxApi.AgentMail, webhook.WebhookId, webhook.Url, webhook.Secret, Ids.New("msg_"), eventType, body, webhook.Headers));
        }

        return eventId;
    }
}
