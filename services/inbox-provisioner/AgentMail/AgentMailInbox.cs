using System.Text.Json;

namespace OrdersMail.InboxProvisioner.AgentMail;

/// <summary>An AgentMail inbox as the API returns it.</summary>
/// <param name="InboxId">The inbox's id, which is its email address (<c>cust-42@agentmail.to</c>).</param>
/// <param name="Email">The same address.</param>
/// <param name="DisplayName">Its display name, if any.</param>
/// <param name="ClientId">The idempotency key it was created with, if any.</param>
/// <param name="Metadata">Its metadata (values are strings, numbers or booleans), or null when it has none.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record AgentMailInbox(
    string InboxId,
    string Email,
    string? DisplayName,
    string? ClientId,
    IReadOnlyDictionary<string, JsonElement>? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
