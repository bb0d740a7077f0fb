using System.Text.Json;
using OrdersMail.BuildingBlocks.Outbox;
using OrdersMail.InboundRouter.Secrets;
using OrdersMail.Integrations.AgentMail;

namespace OrdersMail.InboundRouter.Routing;

/// <summary>
/// A verified <c>message.received</c>, as the ingress stores it in its <c>received_events</c> row for the routing pump
/// (the router's own record: it never travels on the bus). <see cref="Text"/> and <see cref="Html"/> are both null when
/// AgentMail left the body out (over 1 MB): routing then reads the message from AgentMail.
/// </summary>
/// <param name="EventId">AgentMail's event id.</param>
/// <param name="InboxId">The inbox that received it.</param>
/// <param name="MessageId">The RFC Message-ID, in <c>&lt;...&gt;</c> form.</param>
/// <param name="ThreadId">AgentMail's thread id.</param>
/// <param name="From">The sender as received.</param>
/// <param name="Subject">The subject line, empty when there was none.</param>
/// <param name="Text">The plain-text body (or the extracted text), if sent.</param>
/// <param name="Html">The HTML body, if sent.</param>
/// <param name="InReplyTo">The Message-ID it answers, if any.</param>
/// <param name="References">The thread's Message-IDs, oldest first.</param>
/// <param name="ReceivedAt">
/// When AgentMail received it: the message's <c>created_at</c> (AgentMail's clock), its <c>timestamp</c> (when it was
/// sent, by the sender's clock) only when AgentMail gave none. Routing compares it with when orders were placed, and
/// orders-api orders the conversation by it.
/// </param>
/// <param name="AutoSubmitted">The <c>Auto-Submitted</c> header, if present.</param>
/// <param name="Precedence">The <c>Precedence</c> header, if present.</param>
/// <param name="XAutoreply">The <c>X-Autoreply</c> header, if present.</param>
/// <param name="Unauthenticated">
/// AgentMail could not authenticate the sender (<c>message.received.unauthenticated</c>): the mail may be forged, so it is
/// parked for a person and never routed to an order. False in rows written before the router took such mail.
/// </param>
/// <param name="Spam">
/// AgentMail's filter took it for spam (<c>message.received.spam</c>): it may be a customer's genuine mail all the same,
/// so it is parked for a person, who routes it to its order or dismisses it. False in rows written before the router
/// took such mail.
/// </param>
/// <param name="ExtractedText">AgentMail's <c>extracted_text</c>: the new text of a reply without its quoted history, if it found one. Null in rows written before the router kept it.</param>
/// <param name="ExtractedHtml">AgentMail's <c>extracted_html</c>: the same of the HTML body. Null in rows written before the router kept it.</param>
/// <param name="ListId">The <c>List-Id</c> header, if present. Null in rows written before the router kept it.</param>
/// <param name="ListUnsubscribe">The <c>List-Unsubscribe</c> header, if present. Null in rows written before the router kept it.</param>
/// <param name="XAutorespond">The <c>X-Autorespond</c> header, if present. Null in rows written before the router kept it.</param>
public sealed record InboundEmailReceived(
    string EventId,
    string InboxId,
    string MessageId,
    string ThreadId,
    string From,
    string Subject,
    string? Text,
    string? Html,
    string? InReplyTo,
    IReadOnlyList<string> References,
    DateTimeOffset ReceivedAt,
    string? AutoSubmitted,
    string? Precedence,
    string? XAutoreply,
    bool Unauthenticated = false,
    bool Spam = false,
    string? ExtractedText = null,
    string? ExtractedHtml = null,
    string? ListId = null,
    string? ListUnsubscribe = null,
    string? XAutorespond = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The email with the headers that tell automatic mail (<c>Auto-Submitted</c>, <c>Precedence</c>, <c>X-Autoreply</c>,
    /// <c>List-Id</c>, <c>List-Unsubscribe</c>, <c>X-Autorespond</c>) picked from
    /// <paramref name="headers"/>, whatever their case, as AgentMail keeps them on a message (a webhook's or a list's),
    /// marked with the <paramref name="classes"/> AgentMail put it in.
    /// </summary>
    public static InboundEmailReceived Of(
        string eventId,
        string inboxId,
        string messageId,
        string threadId,
        string from,
        string? subject,
        MessageBody body,
        string? inReplyTo,
        IReadOnlyList<string>? references,
        DateTimeOffset receivedAt,
        IReadOnlyDictionary<string, string>? headers,
        ReceivedMailClasses classes)
    {
        string? Header(string name) => headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        return new InboundEmailReceived(
            eventId, inboxId, messageId, threadId, from, subject ?? "", body.Text, body.Html, inReplyTo, references ?? [], receivedAt,
            Header("Auto-Submitted"), Header("Precedence"), Header("X-Autoreply"),
            classes.HasFlag(ReceivedMailClasses.Unauthenticated), classes.HasFlag(ReceivedMailClasses.Spam), body.ExtractedText, body.ExtractedHtml,
            Header("List-Id"), Header("List-Unsubscribe"), Header("X-Autorespond"));
    }

    /// <summary>Whether the webhook carried a body; without one the message is read from AgentMail before routing.</summary>
    public bool HasBody => Text is not null || Html is not null;

    /// <summary>
    /// Its stored form (a received event's routing payload, a parked message's email): JSON written as the outbox writes
    /// payloads, with any NUL replaced, which PostgreSQL's <c>jsonb</c> cannot hold.
    /// </summary>
    public string ToJson() => OutboxMessageTypes.Serialize(this, typeof(InboundEmailReceived));

    /// <summary>Reads a stored form back.</summary>
    /// <exception cref="JsonException">It is not an email's stored form.</exception>
    public static InboundEmailReceived FromJson(string json) =>
        JsonSerializer.Deserialize<InboundEmailReceived>(json, Json) ?? throw new JsonException("A stored email is null.");
}
