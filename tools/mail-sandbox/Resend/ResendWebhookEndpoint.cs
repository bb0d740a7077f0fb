namespace OrdersMail.MailSandbox.Resend;

/// <summary>A webhook endpoint set up through <c>POST /sandbox/resend/webhooks</c>, shaped like Resend's webhook object.</summary>
public sealed record ResendWebhookEndpoint
{
    /// <summary>Its id, a UUID as Resend's are.</summary>
    public required string Id { get; init; }

    /// <summary>Where events are POSTed.</summary>
    public required string Url { get; init; }

    /// <summary>The events it receives.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary>The <c>whsec_</c> secret every delivery to it is signed with.</summary>
    public required string SigningSecret { get; init; }

    /// <summary>Creation.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
