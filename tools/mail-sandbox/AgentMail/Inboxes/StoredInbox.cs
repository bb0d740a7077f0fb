namespace OrdersMail.MailSandbox.AgentMail.Inboxes;

/// <summary>An inbox as AgentMail stores it (and returns it: the <c>Inbox</c> object).</summary>
public sealed record StoredInbox
{
    /// <summary>The pod the inbox belongs to (the sandbox has one default pod).</summary>
    public required string PodId { get; init; }

    /// <summary>The inbox's id, which is its email address.</summary>
    public required string InboxId { get; init; }

    /// <summary>The same address.</summary>
    public required string Email { get; init; }

    /// <summary>Rendered as <c>Display Name &lt;address&gt;</c>.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The idempotency key it was created with.</summary>
    public string? ClientId { get; init; }

    /// <summary>Up to 256 keys of string, number or boolean values.</summary>
    public Dictionary<string, System.Text.Json.JsonElement>? Metadata { get; init; }

    /// <summary>Last change.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Creation.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
