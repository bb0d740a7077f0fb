namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary><c>CreateInboxRequest</c> on the wire; absent optionals are left out.</summary>
internal sealed record CreateInboxBody(string? Username, string? DisplayName, string ClientId, IReadOnlyDictionary<string, string>? Metadata)
{
    public static CreateInboxBody Of(CreateInbox request) =>
        new(request.Username, request.DisplayName, request.ClientId, request.Metadata is { Count: > 0 } metadata ? metadata : null);
}

/// <summary><c>UpdateInboxRequest</c> with metadata only: keys are merged in, a null value removes its key.</summary>
internal sealed record UpdateInboxMetadataBody(IReadOnlyDictionary<string, string?> Metadata);

/// <summary><c>CreateInboxWebhookRequest</c>: the path sets the scope.</summary>
internal sealed record CreateInboxWebhookBody(string Url, IReadOnlyList<string> EventTypes, string ClientId);

/// <summary><c>UpdateWebhookRequest</c> with event types only: the list replaces the webhook's set in full.</summary>
internal sealed record UpdateWebhookEventTypesBody(IReadOnlyList<string> EventTypes);
