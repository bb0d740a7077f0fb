using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OrdersMail.Integrations.AgentMail;

/// <summary>
/// AgentMail's JSON: snake_case member names, metadata keys as they are, null optionals left out of requests, and
/// unknown response members ignored (the API adds members over time). A member the wire records do not mark optional
/// (<c>?</c>) must be there and not null: an answer without one is not AgentMail's, and fails as a
/// <see cref="JsonException"/> while it is read, which every caller handles, instead of as a null deep in a caller.
/// </summary>
internal static class AgentMailJson
{
    /// <summary>Options for every request and response body.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { RequireNonNullableParameters } },
    };

    /// <summary>
    /// Makes each constructor parameter that is neither nullable nor defaulted required. Not
    /// <see cref="JsonSerializerOptions.RespectRequiredConstructorParameters"/>, which would also require the
    /// optionals AgentMail leaves out.
    /// </summary>
    private static void RequireNonNullableParameters(JsonTypeInfo type)
    {
        foreach (var member in type.Properties)
        {
            if (member.AssociatedParameter is { IsNullable: false, HasDefaultValue: false })
            {
                member.IsRequired = true;
            }
        }
    }
}

/// <summary><c>CreateInboxRequest</c> on the wire; absent optionals are left out.</summary>
internal sealed record CreateInboxBody(string? Username, string? DisplayName, string ClientId, IReadOnlyDictionary<string, string>? Metadata)
{
    public static CreateInboxBody Of(CreateInbox request) =>
        new(request.Username, request.DisplayName, request.ClientId, request.Metadata is { Count: > 0 } metadata ? metadata : null);
}

/// <summary><c>UpdateInboxRequest</c>: metadata keys are merged in, a null value removes its key; a null display name is left out, so kept.</summary>
internal sealed record UpdateInboxBody(string? DisplayName, IReadOnlyDictionary<string, string?> Metadata);

/// <summary><c>CreateInboxWebhookRequest</c>: the path sets the scope.</summary>
internal sealed record CreateInboxWebhookBody(string Url, IReadOnlyList<string> EventTypes, string ClientId);

/// <summary><c>UpdateWebhookRequest</c> with event types only: the list replaces the webhook's set in full.</summary>
internal sealed record UpdateWebhookEventTypesBody(IReadOnlyList<string> EventTypes);

/// <summary>
/// The <c>Webhook</c> object as read off the wire. It has no <c>secret</c> member, so the secret AgentMail sends is
/// dropped while parsing and never held in memory by the model.
/// </summary>
internal sealed record WebhookResponse(
    string WebhookId,
    string Url,
    IReadOnlyList<string>? EventTypes,
    IReadOnlyList<string>? InboxIds,
    IReadOnlyList<string>? PodIds,
    bool Enabled,
    string? ClientId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public AgentMailWebhook ToWebhook() =>
        new(WebhookId, Url, EventTypes ?? [], InboxIds ?? [], PodIds ?? [], Enabled, ClientId, CreatedAt, UpdatedAt);
}

/// <summary>A page of inboxes. No <c>next_page_token</c> on the last page.</summary>
internal sealed record InboxListResponse(IReadOnlyList<AgentMailInbox> Inboxes, string? NextPageToken);

/// <summary>A page of webhooks; each read without its secret. No <c>next_page_token</c> on the last page.</summary>
internal sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Webhooks, string? NextPageToken);

/// <summary>The same <c>Webhook</c> object read for its <c>secret</c> alone: every other member is dropped.</summary>
internal sealed record WebhookSecretResponse(string WebhookId, string Secret);

/// <summary>The <c>Message</c> object as read off the wire, optional lists and all.</summary>
internal sealed record MessageResponse(
    string InboxId,
    string ThreadId,
    string MessageId,
    IReadOnlyList<string>? Labels,
    DateTimeOffset Timestamp,
    string From,
    IReadOnlyList<string>? To,
    IReadOnlyList<string>? Cc,
    IReadOnlyList<string>? ReplyTo,
    string? Subject,
    string? Preview,
    string? Text,
    string? Html,
    string? ExtractedText,
    string? ExtractedHtml,
    string? InReplyTo,
    IReadOnlyList<string>? References,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public AgentMailMessage ToMessage() => new(
        InboxId, ThreadId, MessageId, Labels ?? [], Timestamp, From, To ?? [], Cc ?? [], ReplyTo ?? [], Subject, Preview,
        Text, Html, ExtractedText, ExtractedHtml, InReplyTo, References ?? [], CreatedAt, UpdatedAt);
}

/// <summary>A page of <c>MessageItem</c>s: messages without their bodies. No <c>next_page_token</c> on the last page.</summary>
internal sealed record MessageListResponse(IReadOnlyList<MessageItemResponse> Messages, string? NextPageToken);

/// <summary>The <c>MessageItem</c> object as read off the wire.</summary>
internal sealed record MessageItemResponse(
    string InboxId,
    string ThreadId,
    string MessageId,
    IReadOnlyList<string>? Labels,
    DateTimeOffset Timestamp,
    string From,
    string? Subject,
    string? InReplyTo,
    IReadOnlyList<string>? References,
    IReadOnlyDictionary<string, string>? Headers,
    DateTimeOffset? CreatedAt)
{
    public AgentMailMessageItem ToItem() =>
        new(InboxId, ThreadId, MessageId, Labels ?? [], Timestamp, From, Subject, InReplyTo, References ?? [], Headers ?? new Dictionary<string, string>(), CreatedAt);
}

/// <summary>AgentMail's <c>ErrorResponse</c>, plus the <c>suggestions</c> of <c>resource_taken</c>.</summary>
internal sealed record ErrorResponse(string? Name, string? Code, string? Message, IReadOnlyList<string>? Suggestions);
