using System.Text.Json;

namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary><c>CreateInboxRequest</c>, read and checked. Every member is optional; username and domain are lower-cased.</summary>
/// <param name="Username">The username, or null for a random one.</param>
/// <param name="Domain">The domain, <c>agentmail.to</c> unless given.</param>
/// <param name="DisplayName">Rendered as <c>Display Name &lt;address&gt;</c>; empty means none.</param>
/// <param name="ClientId">The idempotency key.</param>
/// <param name="Metadata">The inbox's metadata.</param>
public sealed record CreateInboxRequest(string? Username, string Domain, string? DisplayName, string? ClientId, Dictionary<string, JsonElement>? Metadata)
{
    /// <summary>Reads the request from <paramref name="body"/>, recording its issues there.</summary>
    public static CreateInboxRequest Read(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var username = body.ReadString("username") is { } given ? UsernameRules.Normalize(given) : null;
        if (username is not null && UsernameRules.Check(username) is { } issue)
        {
            body.Add(issue);
        }

        return new CreateInboxRequest(username, DomainRules.Read(body), body.ReadString("display_name"), ClientIdRules.Read(body), InboxMetadata.ReadNew(body));
    }
}

/// <summary>
/// <c>UpdateInboxRequest</c>, read and checked: <c>display_name</c> and/or <c>metadata</c>, at least one of them
/// (username and domain are immutable, other members are ignored). An empty <c>display_name</c> removes it.
/// </summary>
/// <param name="DisplayName">The new display name, or null to keep it.</param>
/// <param name="MetadataChanges">Keys to set (or, with a null value, remove), or null when none.</param>
/// <param name="ClearMetadata">True for <c>"metadata": null</c>: remove every key.</param>
public sealed record UpdateInboxRequest(string? DisplayName, IReadOnlyDictionary<string, JsonElement?>? MetadataChanges, bool ClearMetadata)
{
    /// <summary>Reads the request from <paramref name="body"/>, recording its issues there.</summary>
    public static UpdateInboxRequest Read(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!body.Has("display_name") && !body.Has("metadata"))
        {
            body.Add(SchemaIssue.Custom([], "Provide display_name or metadata (or both)"));
        }

        var displayName = body.ReadString("display_name");
        var changes = InboxMetadata.ReadChanges(body, out var clear);
        return new UpdateInboxRequest(displayName, changes, clear);
    }
}
